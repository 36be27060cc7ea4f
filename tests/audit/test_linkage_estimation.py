"""What the matcher learns from a list is about two *different* people where it says so: look-alikes grouped by
how common their name is, same-day pairs that are one person kept out of u, and NIKs weighed against people born
on the same or a near day."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest

from kawal.engine.audit import audit
from kawal.engine.audit import duplicates as d
from kawal.engine.audit import fellegi_sunter as fs
from kawal.engine.sql import connect
from kawal.synth.generator import generate


def draw(rng: np.random.Generator, m: list, u: list, lam: float, pairs: int) -> np.ndarray:
    """Level codes of ``pairs`` pairs from a two-class model with independent fields."""
    is_match = rng.random(pairs) < lam
    return np.column_stack(
        [
            np.where(is_match, rng.choice(len(mf), pairs, p=mf), rng.choice(len(uf), pairs, p=uf))
            for mf, uf in zip(m, u, strict=True)
        ]
    )


def test_groups_with_their_own_look_alikes_recover_m_that_pooling_misses():
    """Two groups of pairs, as blocking makes them: rare names (proposed whatever else differs) and common names
    (proposed only when most of the birth date agrees). One person's rows differ alike in both (shared m), but two
    people differ unlike: among the common names they show the first field's middle level half the time and
    agree on the second field nearly always. Pooled, EM mistakes the common names' look-alikes for one person."""
    rng = np.random.default_rng(7)
    m = [np.array([0.80, 0.15, 0.05]), np.array([0.7, 0.3]), np.array([0.6, 0.4])]
    u_rare = [np.array([0.01, 0.01, 0.98]), np.array([0.1, 0.9]), np.array([0.3, 0.7])]
    u_common = [np.array([0.01, 0.50, 0.49]), np.array([0.9, 0.1]), np.array([0.3, 0.7])]
    rare = draw(rng, m, u_rare, 0.5, 20_000)
    common = draw(rng, m, u_common, 0.005, 80_000)
    group = np.concatenate([np.zeros(len(rare), np.int64), np.ones(len(common), np.int64)])
    patterns, counts = np.unique(np.column_stack([np.vstack([rare, common]), group]), axis=0, return_counts=True)
    levels = (("a", "b", "c"), ("a", "b"), ("a", "b"))
    fields = ("x", "y", "z")
    grouped = fs.estimate(fields, levels, patterns[:, :3], counts, groups=patterns[:, 3])
    pooled = fs.estimate(fields, levels, patterns[:, :3], counts)
    assert np.abs(grouped.m[0] - m[0]).max() < 0.02
    assert np.abs(pooled.m[0] - m[0]).max() > 0.1
    true_share = (0.5 * 20_000 + 0.005 * 80_000) / 100_000
    assert abs(grouped.lam - true_share) < 0.01


def test_one_person_on_two_rows_of_one_birth_date_does_not_count_as_two_people_sharing_a_nik(tmp_path):
    """On a small list most rows sharing a birth date are one person twice, with one NIK: counted as two people,
    a shared NIK would look like something different people born on one day often have."""
    generate(3000, seed=5, out=tmp_path / "city")
    dpt = tmp_path / "city" / "dpt.csv"
    result = audit([dpt], tmp_path / "out")
    naive = duckdb.sql(
        f"""SELECT avg((x.nik = y.nik)::INT) FROM read_csv('{dpt}', all_varchar = true) x
            JOIN read_csv('{dpt}', all_varchar = true) y ON x.tanggal_lahir = y.tanggal_lahir AND x.id < y.id"""
    ).fetchall()[0][0]
    learned = result.summary["duplicates"]["model"]["nik_u_same_birth_date"]["same"]
    assert naive > 0.02  # the list has such pairs: the test can fail
    assert learned < naive / 10


def _model_with_nik(m_nik: np.ndarray, u_nik: np.ndarray) -> fs.Model:
    levels = tuple(c.level_names for c in d.COMPARISONS)
    m = tuple(m_nik if c.field == "nik" else fs.prior_m(len(c.levels)) for c in d.COMPARISONS)
    u = tuple(u_nik if c.field == "nik" else np.full(len(c.levels), 1 / len(c.levels)) for c in d.COMPARISONS)
    return fs.Model(d.FIELDS, levels, m, u, 1e-6, 1)


@pytest.mark.parametrize(
    ("dob_level", "same_day_weights"),
    [("exact", True), ("digit", True), ("day", True), ("swap", True), ("year", True), ("other", False)],
)
def test_nik_a_digit_or_two_apart_is_weighed_against_people_born_near_the_same_day(dob_level, same_day_weights):
    """Two people born a digit apart in one kecamatan, both with serial 0001, have NIKs a digit apart: among such
    pairs that is a coincidence, not the sure sign of a mistyped NIK it is among random pairs."""
    m_nik = np.array([0.6, 0.1, 0.01, 0.1, 0.19])
    random_u, same_day_u = np.array([1e-8, 5e-5, 1e-6, 1e-6, 1.0]), np.array([1e-4, 0.02, 0.004, 0.01, 0.966])
    estimates = d.Estimates(_model_with_nik(m_nik, random_u), same_day_u, {})
    nik = d.COMPARISONS[d.FIELDS.index("nik")]
    sql = d._field_weight(estimates, nik, 1_000_000)
    level = d.DOB_LEVELS.index(dob_level)
    typo = d.COMPARISONS[d.FIELDS.index("nik")].level_names.index("typo")
    row = f"SELECT {level} AS l_dob, {typo} AS l_nik, 2 AS l_area, 1 AS nik_n"  # living in two kelurahan
    weight = connect().execute(f"SELECT {sql} FROM ({row})").fetchall()[0][0]
    expected = np.log2(m_nik[typo] / (same_day_u if same_day_weights else random_u)[typo])
    assert weight == pytest.approx(expected)


def test_twins_consecutive_serials_do_not_teach_em_that_one_person_shows_them():
    """Among pairs born on one day, twins (consecutive serials, other names) are many and one person's serial
    typos few: left free, EM would credit "next" to one person; tied, its m is 1/17 of the serial typos'."""
    rng = np.random.default_rng(11)
    nik_levels = d.COMPARISONS[d.FIELDS.index("nik")].level_names
    nxt, serial = nik_levels.index("next"), nik_levels.index("serial")
    m_nik = np.array([0.6, 0.1, 0.0, 0.1, 0.2])
    u_nik = np.array([0.001, 0.02, 0.3, 0.05, 0.629])  # twins and people registered together share "next"
    m = [np.array([0.9, 0.1]), m_nik, np.array([0.8, 0.2])]
    u = [np.array([0.5, 0.5]), u_nik, np.array([0.3, 0.7])]  # twins' names look alike as often as not
    patterns, counts = np.unique(draw(rng, m, u, 0.3, 50_000), axis=0, return_counts=True)
    levels = (("a", "b"), nik_levels, ("a", "b"))
    tie = {1: d.NEXT_SERIAL}
    tied = fs.estimate(("name", "nik", "area"), levels, patterns, counts, tied=tie)
    assert tied.m[1][nxt] == pytest.approx(tied.m[1][serial] / 17)
    assert tied.m[1].sum() == pytest.approx(1.0)
    assert np.log2(tied.m[1][nxt] / u_nik[nxt]) < -5  # consecutive serials now speak against one person


def test_pairs_no_rule_proposed_are_estimated_from_those_sharing_a_nik():
    """Of 100 one-person pairs sharing a NIK, 10 were proposed by the NIK rule alone: the other rules miss one in
    ten, so the 180 one-person pairs proposed without a shared NIK stand for 200, and 20 were never proposed."""
    con = connect()
    same = d.NIK_LEVELS.index("same")
    other = d.NIK_LEVELS.index("other")
    rows = (
        [(same, False, 1.0)] * 10
        + [(same, True, 1.0)] * 90
        + [(other, True, 0.9)] * 200  # 180 expected one-person pairs
        + [(-1, True, 0.0)] * 50  # two people, NIK hidden
    )
    con.execute("CREATE TABLE pairs (l_nik TINYINT, by_other BOOLEAN, probability DOUBLE, weight INTEGER DEFAULT 1)")
    con.executemany("INSERT INTO pairs (l_nik, by_other, probability) VALUES (?, ?, ?)", rows)
    assert d.unproposed_matches(con) == pytest.approx(20.0)
    # a compared pair standing for others (a sample, see _weak_stride) counts as many times
    con.execute(f"DELETE FROM pairs WHERE l_nik = {other}")
    con.executemany("INSERT INTO pairs VALUES (?, ?, ?, ?)", [(other, True, 0.9, 4)] * 50)
    assert d.unproposed_matches(con) == pytest.approx(20.0)


def test_too_few_shared_niks_leave_the_missed_pairs_unknown():
    con = connect()
    con.execute("CREATE TABLE pairs (l_nik TINYINT, by_other BOOLEAN, probability DOUBLE, weight INTEGER DEFAULT 1)")
    con.executemany(
        "INSERT INTO pairs (l_nik, by_other, probability) VALUES (?, ?, ?)",
        [(d.NIK_LEVELS.index("same"), False, 1.0)] * 5,
    )
    assert d.unproposed_matches(con) is None  # unknown, not zero: summary.json says null


def test_random_pairs_reach_every_row_past_the_rows_not_linked(monkeypatch):
    """Rows struck as TMS or rejected leave gaps in the row ids of ``people``: the random pairs that measure u are
    drawn over the ids up to the highest, so the rows after a gap (the list's last kelurahan) are drawn too, and
    about U_SAMPLE pairs of present rows remain."""
    con = connect()
    con.execute(
        "CREATE TABLE people AS SELECT range AS rid FROM range(1, 6001) UNION ALL SELECT range FROM range(8001, 10001)"
    )
    drawn = {}

    def compare(con, source, target):
        pairs, top = con.execute(
            f"SELECT count(*), max(greatest(s.a, s.b)) FROM {source} s "
            "SEMI JOIN people x ON x.rid = s.a SEMI JOIN people y ON y.rid = s.b"
        ).fetchone()
        drawn.update(pairs=pairs, top=top)
        levels = ", ".join(f"-1::TINYINT AS {c.column}" for c in d.COMPARISONS)
        con.execute(f"CREATE OR REPLACE TABLE {target} AS SELECT {levels}")

    monkeypatch.setattr(d, "compare", compare)
    d._random_pair_u(con)
    assert drawn["top"] > 9_900
    assert 0.9 * d.U_SAMPLE < drawn["pairs"] < 1.1 * d.U_SAMPLE


def _year_pairs(pairs: list[tuple]) -> object:
    """``people`` (rid, yob, usia) and scored ``pairs`` (a, b, l_name, name_n, probability, weight) by hand."""
    con = connect()
    con.execute("CREATE TABLE people (rid BIGINT, yob SMALLINT, usia SMALLINT)")
    con.execute(
        "CREATE TABLE pairs (a BIGINT, b BIGINT, l_name TINYINT, name_n INTEGER, probability DOUBLE, weight INTEGER)"
    )
    rid = 0
    for yob_a, yob_b, level, name_n, probability, weight in pairs:
        con.executemany("INSERT INTO people VALUES (?, ?, ?)", [(rid + 1, yob_a, None), (rid + 2, yob_b, None)])
        con.execute(
            "INSERT INTO pairs VALUES (?, ?, ?, ?, ?, ?)", [rid + 1, rid + 2, level, name_n, probability, weight]
        )
        rid += 2
    return con


def test_pairs_no_rule_proposed_on_a_published_list_are_estimated_from_those_of_one_rare_name():
    """Of 100 one-person pairs of one rare name, 20 differ in birth year: no rule but the same name's proposes
    those, so the 240 one-person pairs of other names (all of one year) stand for 300, and 60 were never proposed.
    Pairs of a common name (proposed only with the year) and pairs of two people do not count among the rare name's."""
    exact, other = d.NAME_LEVELS.index("exact"), d.NAME_LEVELS.index("other")
    rare, common = d.MAX_NAME_BLOCK, d.MAX_NAME_BLOCK + 1
    con = _year_pairs(
        [(1980, 1980, exact, rare, 1.0, 1)] * 80
        + [(1980, 1981, exact, rare, 1.0, 1)] * 15
        + [(1980, None, exact, rare, 1.0, 1)] * 5  # a year missing: no year rule proposes it either
        + [(1950, 1980, exact, rare, 0.0, 1)] * 30  # a father and his son: two people
        + [(1980, 1980, other, 2, 0.8, 1)] * 200  # 160 expected one-person pairs ...
        + [(1980, 1980, exact, common, 0.8, 1)] * 50  # ... and 40 of a common name
        + [(1980, 1980, other, 2, 0.8, 5)] * 10  # a sample's pairs stand for 5 each: 40 more
    )
    assert d.unproposed_by_year(con) == pytest.approx(60.0)


def test_too_few_pairs_of_a_rare_name_leave_the_missed_pairs_unknown():
    exact = d.NAME_LEVELS.index("exact")
    con = _year_pairs([(1980, 1981, exact, 2, 1.0, 1)] * 20 + [(1980, 1980, 3, 2, 1.0, 1)] * 500)
    assert d.unproposed_by_year(con) is None


@pytest.mark.parametrize(("area", "kelurahan_u"), [("rt", True), ("kelurahan", True), ("other", False)])
def test_nik_of_people_born_the_same_day_in_one_kelurahan_is_weighed_against_their_neighbours(area, kelurahan_u):
    """Neighbours were mostly registered in one kecamatan: born the same day, their NIKs share a region and their
    serials run 0001, 0002 ..., so consecutive serials say less between them than between strangers."""
    nik_levels = d.NIK_LEVELS
    m_nik = np.array([0.6, 0.1, 0.01, 0.1, 0.19])
    same_day_u = np.array([1e-4, 0.02, 0.004, 0.01, 0.966])
    same_kel_u = np.array([1e-4, 0.02, 0.3, 0.1, 0.58])
    estimates = d.Estimates(_model_with_nik(m_nik, np.full(5, 0.2)), same_day_u, {}, same_kel_u)
    sql = d._field_weight(estimates, d.COMPARISONS[d.FIELDS.index("nik")], 1_000_000)
    nxt = nik_levels.index("next")
    area_level = d.COMPARISONS[d.FIELDS.index("area")].level_names.index(area)
    row = f"SELECT 0 AS l_dob, {nxt} AS l_nik, {area_level} AS l_area, 1 AS nik_n"
    weight = connect().execute(f"SELECT {sql} FROM ({row})").fetchall()[0][0]
    expected_u = same_kel_u if kelurahan_u else same_day_u
    assert weight == pytest.approx(np.log2(m_nik[nxt] / expected_u[nxt]))


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("BUDI YULIANTO", "YULIANTO BUDK", "words"),  # words moved and one mistyped
        ("AUFA BAHTIAR", "AUPA BAHTIAR BIN IBRAHIM", "words"),  # a word mistyped and two more
        ("AHMAD RIZKI", "RIZAL AHMAD", "other"),  # brothers: one word shared, the other only alike
        ("SITI AMINAH", "NURHAYATI SITI", "other"),
    ],
)
def test_names_alike_word_by_word_have_their_level(a, b, level):
    name = d.COMPARISONS[d.FIELDS.index("name")]
    con = connect()
    con.execute("CREATE TABLE n (x VARCHAR, y VARCHAR)")
    con.execute("INSERT INTO n VALUES (?, ?)", [a, b])
    sides = """
        SELECT replace(x, ' ', '') AS name_a, replace(y, ' ', '') AS name_b,
               string_split(x, ' ') AS tokens_a, string_split(y, ' ') AS tokens_b,
               array_to_string(list_sort(string_split(x, ' ')), '') AS sorted_a,
               array_to_string(list_sort(string_split(y, ' ')), '') AS sorted_b,
               replace(x, ' ', '') AS phon_a, replace(y, ' ', '') || '#' AS phon_b,
               false AS initial_a, false AS initial_b
        FROM n"""
    got = con.execute(f"SELECT {name.code_sql()} FROM ({d.with_name_similarities(sides)})").fetchall()[0][0]
    assert name.level_names[got] == level


def _scored(probabilities: list[float]):
    con = connect()
    con.execute("CREATE TABLE pairs (probability DOUBLE)")
    if probabilities:
        con.executemany("INSERT INTO pairs VALUES (?)", [(p,) for p in probabilities])
    return con


def test_the_precision_threshold_keeps_the_mean_of_the_linked_pairs():
    """Likeliest first: 1.0, 0.99, 0.97 keep a mean of .9867; with 0.90 it would fall to .965."""
    con = _scored([1.0, 0.99, 0.97, 0.90, 0.60, 0.40])
    cut = d.precision_threshold(con, 0.98)
    assert 0.90 < cut <= 0.97
    assert d.scalar(con, f"SELECT avg(probability) FROM pairs WHERE probability >= {cut}") >= 0.98


def test_pairs_of_one_probability_are_taken_or_left_together():
    """Three pairs tied at 0.95 after a sure one: taking one of them would keep .975, all three bring .9625: none."""
    con = _scored([1.0, 0.95, 0.95, 0.95, 0.5])
    assert d.precision_threshold(con, 0.97) == 1.0
    assert d.precision_threshold(con, 0.96) <= 0.95


def test_the_threshold_is_printable_where_the_gap_allows():
    assert d._printable(0.789263, 0.7851) == 0.7892  # links the same pairs, reads as it is applied
    assert d._printable(0.789263, 0.78921) == 0.789263  # no four-decimal number between: the exact one
    assert d.precision_threshold(_scored([]), 0.98) == 1.0


def test_two_people_of_one_name_are_measured_apart_and_mostly_share_their_sex(tmp_path):
    """Names are given to boys or to girls: two different people of one name are nearly always of one sex, while any
    two people are so half the time. The audit measures that among rows sharing a name, and says so."""
    generate(3000, seed=5, out=tmp_path / "city")
    result = audit([tmp_path / "city" / "dpt.csv"], tmp_path / "out")
    model = result.summary["duplicates"]["model"]
    any_two = model["fields"]["sex"]["same"]["u"]
    one_name = model["u_same_name"]["sex"]["same"]
    assert 0.3 < any_two < 0.7
    assert one_name > 0.9
    assert "name" not in model["u_same_name"] and "nik" not in model["u_same_name"]


def _weight_of(estimates: d.Estimates, field: str, name_level: str, level: str) -> float:
    comparison = d.COMPARISONS[d.FIELDS.index(field)]
    weight = d._field_weight(estimates, comparison, 10_000)
    codes = {c.column: -1 for c in d.COMPARISONS}
    codes |= {"l_name": d.NAME_LEVELS.index(name_level), comparison.column: comparison.level_names.index(level)}
    columns = ", ".join(f"{v}::TINYINT AS {k}" for k, v in codes.items())
    counts = "100 AS name_n, 100 AS dob_n, 100 AS place_n, 1 AS nik_n"
    return connect().execute(f"SELECT {weight} FROM (SELECT {columns}, {counts})").fetchone()[0]


def test_between_two_rows_of_one_name_a_level_weighs_what_it_says_among_people_of_one_name():
    """Sex agreement says little between two rows of one name (two people of one name mostly agree too), and a
    disagreement says less against; rows whose names differ keep the weights of any two people. A level rarer than
    SAME_NAME_MIN_U among any two people keeps the model's weight (too rare to measure apart from the one-person
    pairs the model missed)."""
    levels = tuple(c.level_names for c in d.COMPARISONS)
    m = tuple(fs.prior_m(len(c.levels)) for c in d.COMPARISONS)
    area = d.FIELDS.index("area")
    u = [np.full(len(c.levels), 1 / len(c.levels)) for c in d.COMPARISONS]
    u[area] = np.array([0.001, 0.049, 0.95])  # one RT: too rare among any two people to measure apart
    model = fs.Model(d.FIELDS, levels, m, tuple(u), 1e-4, 1)
    same_name = list(u)
    same_name[d.FIELDS.index("sex")] = np.array([0.96, 0.04])
    same_name[area] = np.array([0.05, 0.1, 0.85])
    plain = d.Estimates(model, np.full(5, 0.2), {})
    corrected = d.Estimates(model, np.full(5, 0.2), {}, same_name_u=tuple(same_name))
    for level, bits in (("same", np.log2(0.96 / 0.5)), ("other", np.log2(0.04 / 0.5))):
        before = _weight_of(plain, "sex", "exact", level)
        assert _weight_of(corrected, "sex", "exact", level) == pytest.approx(before - bits)
        assert _weight_of(corrected, "sex", "phonetic", level) == pytest.approx(before)
    assert _weight_of(corrected, "area", "exact", "rt") == pytest.approx(_weight_of(plain, "area", "exact", "rt"))
    kelurahan = _weight_of(plain, "area", "exact", "kelurahan") - np.log2(0.1 / 0.049)
    assert _weight_of(corrected, "area", "exact", "kelurahan") == pytest.approx(kelurahan)
