"""Blocking: one person's two rows with a slip in the name *and* one in the date (or a name so short that one slip
changes both its ends) share no name-and-date key, yet are proposed as a candidate pair by the rules made for
them (the NIK's region and date, one RT, the name less a letter, a rare word with two of year, month and day, the
day after); two people who merely live in one RT, or share a name elsewhere in the city, or one year and month
and a sound, are not."""

from __future__ import annotations

from datetime import date

import pytest

from kawal.engine.audit import duplicates as d
from kawal.engine.sql import connect
from tests.audit.every_pair import with_people

ROWS = [
    # (nama, tanggal_lahir, nik, kode_kelurahan, rw, rt)
    # NIKs that spell one region and birth date (a serial digit mistyped), a letter added, a day off, moved
    ("SUPRIYADI", "1975-06-10", "3671011006750012", "3671011001", 1, 1),
    ("SUPRIYANDI", "1975-06-11", "3671011006750018", "3671031004", 2, 5),
    # a name too short for its first and last letters to part: a letter dropped, moved, no NIK
    ("AGUNG", "1990-01-02", None, "3671011001", 1, 2),
    ("AGNG", "1990-01-02", None, "3671041002", 3, 3),
    # one RT: two letters swapped and a day off, no NIK
    ("WAHYUDI", "1985-07-12", None, "3671021001", 4, 4),
    ("WAHUYDI", "1985-07-13", None, "3671021001", 4, 4),
    # a rare word kept, a slip in the other word and a day off, moved, no NIK
    ("SITI KUSUMAWARDANI", "1982-03-15", None, "3671011002", 5, 1),
    ("SITU KUSUMAWARDANI", "1982-03-16", None, "3671051003", 2, 2),
    # the day after across a month's end, moved, no NIK (old spelling: same sound)
    ("HENDRA GUNAWAN", "1988-03-31", None, "3671011003", 1, 1),
    ("HENDRA GOENAWAN", "1988-04-01", None, "3671061001", 2, 3),
    # one name (a title dropped), a date copied from a relative's row, one kelurahan
    ("RUSTAM EFENDI", "1966-08-17", None, "3671071001", 1, 1),
    ("RUSTAM EFENDI, S.PD", "1979-02-09", None, "3671071001", 3, 2),
    # the same name and a far date in another kelurahan: two people
    ("YOHANES MARPAUNG", "1970-05-05", None, "3671081001", 1, 1),
    ("YOHANES MARPAUNG, S.E", "1991-11-20", None, "3671091001", 2, 2),
    # one sound, one year and month, the day two digits off: two people; one digit swapped: one person
    ("DEDI KURNIAWAN", "1980-05-10", None, "3671101001", 1, 1),
    ("DEDY KURNIAWAN", "1980-05-25", None, "3671111001", 1, 1),
    ("RINA MARLINA", "1984-12-13", None, "3671121001", 1, 1),
    ("RINA MARLINAH", "1984-12-31", None, "3671131001", 1, 1),
    # one RT, two people: unlike names, other years
    ("BUDI SANTOSO", "1960-02-03", None, "3671021001", 4, 4),
    ("SITI AMINAH", "1972-02-03", None, "3671021001", 4, 4),
]


def _proposed() -> dict[tuple[str, str], bool]:
    """Whether each pair of ROWS (by name) is a candidate pair."""
    fields = ("nama", "tanggal_lahir", "nik_d", "kode_kelurahan", "rw", "rt")
    rows = [dict(zip(fields, (r[0], date.fromisoformat(r[1]), *r[2:]), strict=True)) for r in ROWS]
    con = with_people(rows)
    d.build_candidates(con)
    proposed = {(a, b) for a, b in con.execute("SELECT a, b FROM candidates").fetchall()}
    name = {i + 1: r[0] for i, r in enumerate(ROWS)}
    return {(name[a], name[b]): (a, b) in proposed for a in name for b in name if a < b}


@pytest.mark.parametrize(
    ("first", "second", "proposed"),
    [
        ("SUPRIYADI", "SUPRIYANDI", True),
        ("AGUNG", "AGNG", True),
        ("WAHYUDI", "WAHUYDI", True),
        ("SITI KUSUMAWARDANI", "SITU KUSUMAWARDANI", True),
        ("BUDI SANTOSO", "SITI AMINAH", False),
        ("WAHYUDI", "BUDI SANTOSO", False),
        ("HENDRA GUNAWAN", "HENDRA GOENAWAN", True),
        ("RUSTAM EFENDI", "RUSTAM EFENDI, S.PD", True),
        ("YOHANES MARPAUNG", "YOHANES MARPAUNG, S.E", False),
        ("DEDI KURNIAWAN", "DEDY KURNIAWAN", False),
        ("RINA MARLINA", "RINA MARLINAH", True),
    ],
)
def test_slips_that_change_every_name_and_date_key_are_still_proposed(first, second, proposed):
    assert _proposed()[(first, second)] is proposed


@pytest.mark.parametrize(("digits", "low", "high"), [(2, 1, 31), (4, 1880, 2030)])
def test_one_slip_in_digits_is_one_edit_of_the_written_number(digits, low, high):
    """_one_slip's arithmetic agrees with its definition on every pair of days (months are among them) and of
    years: one more or less, or an edit distance of 1 between the numbers written with leading zeros."""
    from kawal.engine.sql import connect

    written = f"damerau_levenshtein(lpad(x::VARCHAR, {digits}, '0'), lpad(y::VARCHAR, {digits}, '0')) = 1"
    by_definition = f"(abs(x - y) <= 1 OR {written})"
    pairs, slips, disagree = (
        connect()
        .execute(
            f"""SELECT count(*), count(*) FILTER ({d._one_slip("x", "y", digits)}),
                       count(*) FILTER (({d._one_slip("x", "y", digits)}) IS DISTINCT FROM ({by_definition}))
                FROM range({low}, {high + 1}) a(x), range({low}, {high + 1}) b(y)"""
        )
        .fetchone()
    )
    assert pairs == (high - low + 1) ** 2
    assert 0 < slips < pairs
    assert disagree == 0


def test_date_digit_level_and_placeholder_are_their_written_definitions():
    """The date comparison's "digit" level and the placeholder test, in arithmetic, agree with their definitions
    on the written date (DDMMYYYY): one digit mistyped or two neighbours swapped, two of day, month and year kept;
    a day written 0101, 0107 or 3112. Drawn: each date of 1950-1969 against every one-digit change and swap of its
    text that is a date, and against a date some way off."""
    from kawal.engine.sql import connect

    digit = dict(d.COMPARISONS[d.FIELDS.index("dob")].levels)["digit"]
    written = (
        "(year(dob_a) = year(dob_b))::INT + (month(dob_a) = month(dob_b))::INT + (day(dob_a) = day(dob_b))::INT >= 2 "
        "AND damerau_levenshtein(strftime(dob_a, '%d%m%Y'), strftime(dob_b, '%d%m%Y')) = 1"
    )
    placeholder = d._PLACEHOLDER.format(d="dob_b")
    placeholder_written = "strftime(dob_b, '%d%m') IN ('0101', '0107', '3112')"
    con = connect()
    con.execute(
        """CREATE TABLE written AS SELECT CAST(range AS DATE) AS dob, strftime(CAST(range AS DATE), '%d%m%Y') AS s
           FROM range(DATE '1950-01-01', DATE '1970-01-01', INTERVAL 1 DAY);
        CREATE TABLE date_pairs AS SELECT * FROM (
            SELECT dob AS dob_a, try_strptime(left(s, i) || c::VARCHAR || substr(s, i + 2), '%d%m%Y')::DATE AS dob_b
            FROM written, range(0, 8) r(i), range(0, 10) q(c)
            UNION ALL SELECT dob, try_strptime(left(s, i) || s[i + 2] || s[i + 1] || substr(s, i + 3), '%d%m%Y')::DATE
            FROM written, range(0, 7) r(i)
            UNION ALL SELECT dob, dob + CAST(hash(dob) % 4000 AS INTEGER) FROM written
        ) WHERE dob_b IS NOT NULL"""
    )
    pairs, digits, differ, placeholders, placeholders_differ = con.execute(
        f"""SELECT count(*), count(*) FILTER ({written}), count(*) FILTER (({digit}) IS DISTINCT FROM ({written})),
                   count(*) FILTER ({placeholder_written}),
                   count(*) FILTER (({placeholder}) IS DISTINCT FROM ({placeholder_written}))
            FROM date_pairs"""
    ).fetchone()
    assert 0 < digits < pairs and differ == 0
    assert 0 < placeholders < pairs and placeholders_differ == 0


def test_a_word_a_name_repeats_is_listed_once_where_it_first_occurs():
    """How many rows carry a word decides whether it blocks (a common word does not): a name that repeats a word
    (SITI SITI AMINAH) counts once for it."""
    words = (
        connect()
        .execute(f"SELECT {d._EACH_WORD_ONCE} FROM (SELECT ['SITI', 'SITI', 'AMINAH', 'SITI', 'NUR'] AS tokens)")
        .fetchone()[0]
    )
    assert words == ["SITI", "AMINAH", "NUR"]
