"""The columns of KPU's Model A voter list beyond the basics, read as SQL: birth dates with hidden parts, KTP-el,
disability and the ``keterangan`` markers (B, U, the TMS codes, the lokasi-khusus codes).

Published copies of a DPS or DPT hide part of the birth date (``**-**-1985``, ``XX/XX/1985``, ``1985``). Such a
date is no reason to reject a row: the visible parts are kept as ``lahir_tahun``, ``lahir_bulan`` and
``lahir_hari`` (NULL where hidden) and ``tanggal_lahir`` holds a date only when all of it is visible. The
columns are made in SQL, row by row, each behind a cheap test of its input (see :func:`snapshot_query`).
"""

from __future__ import annotations

from kawal.engine.elections import DEFAULT, LOKASI_KHUSUS, tms_table
from kawal.engine.nik import MASK_CHARACTERS

# One part of a date: digits, mask characters, or a mix (a part with any mask character counts as hidden).
_PART = "[0-9" + MASK_CHARACTERS + "]"
_DAY = _PART + "{1,2}"
_YEAR = _PART + "{4}"
# Day-month-year with any of the importer's separators, year-month-day, or a year alone (digits or all hidden).
HIDDEN_DATE = (
    f"^(?:({_DAY})[-/|. ]({_DAY})[-/|. ]({_YEAR})|({_YEAR})[-/]({_DAY})[-/]({_DAY})"
    f"|([0-9]{{4}}|[{MASK_CHARACTERS}]{{4}}))$"
)
_GROUPS = "['d1', 'm1', 'y1', 'y2', 'm2', 'd2', 'y3']"
DAYS_IN_MONTH = "[31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]"  # 29-02 of an unknown year may be real

# The codes KPU's Sidalih puts in ``keterangan`` for a voter who no longer qualifies (TMS), per scheme, and the
# words lists use for them: data, in kawal/data/tms_<scheme>.csv (see kawal.engine.elections).
TMS_CODES: dict[str, dict[int, tuple[str, str]]] = {
    scheme: {c: tms.label for c, tms in tms_table(scheme).items()} for scheme in (DEFAULT.tms_scheme,)
}
TMS_WORDS: dict[int, tuple[str, ...]] = {c: tms.words for c, tms in tms_table(DEFAULT.tms_scheme).items()}

# Disability as KPU codes it (PKPU 7/2022 order; unconfirmed): the number or the words, several per voter.
DISABILITY_WORDS: dict[int, tuple[str, ...]] = {
    1: ("FISIK", "DAKSA"),
    2: ("INTELEKTUAL", "GRAHITA"),
    3: ("MENTAL", "PSIKOSOSIAL", "LARAS"),
    4: ("WICARA", "BISU"),
    5: ("RUNGU", "TULI"),
    6: ("NETRA", "BUTA"),
}

KTP_EL = """CASE
    WHEN {c} IN ('S', 'B') THEN {c}
    WHEN regexp_replace(upper({c}), '[^A-Z]', '', 'g') IN ('S', 'Y', 'YA', 'ADA', 'PUNYA', 'MEMILIKI', 'KTPEL', 'EKTP')
         OR starts_with(upper({c}), 'SUDAH') THEN 'S'
    WHEN regexp_replace(upper({c}), '[^A-Z]', '', 'g') IN ('B', 'T', 'TIDAK', 'TIDAKADA', 'BELUM')
         OR starts_with(upper({c}), 'BELUM') OR starts_with(upper({c}), 'TIDAK') THEN 'B'
END"""


def _disability_codes() -> str:
    """The codes a disability text names, sorted and joined by commas (``4,5``), or NULL when it names none (the
    text itself is kept as written). Text, not a list: a list column costs the snapshot writer as much as all the
    other new columns together, even when it is empty."""
    upper = "upper(disabilitas)"
    codes = ", ".join(
        f"CASE WHEN regexp_matches({upper}, '\\b{code}\\b|{'|'.join(words)}') THEN '{code}' END"
        for code, words in DISABILITY_WORDS.items()
    )
    return f"CASE WHEN disabilitas IS NOT NULL THEN nullif(concat_ws(',', {codes}), '') END"


DISABILITY_CODES = _disability_codes()

# Columns the import adds to a snapshot, with what an older snapshot (made before they existed) reads as.
COLUMNS: dict[str, str] = {
    "lahir_tahun": "CAST(year(tanggal_lahir) AS SMALLINT)",
    "lahir_bulan": "CAST(month(tanggal_lahir) AS SMALLINT)",
    "lahir_hari": "CAST(day(tanggal_lahir) AS SMALLINT)",
    "lahir_tersembunyi": "false",
    "ktp_el": "NULL::VARCHAR",
    "disabilitas_kode": "NULL::VARCHAR",
    "pemilih_baru": "false",
    "ubah_data": "false",
    "tms_kode": "NULL::SMALLINT",
    "lokasi_khusus": "NULL::SMALLINT",
    "sudah_tms": "false",
}

# --- birth dates with hidden parts ---------------------------------------------------------------------------


# The shape nearly every row of a published list has (**-**-1985, **-03-1985): two-character day and month, of
# digits or mask characters, and a four-digit year, separated by '-'. HIDDEN_DATE's first alternative reads it as
# these three parts and nothing else, so they are cut out by position; the regular expression on every row was a
# fifth of such a list's import.
_DMY_SHAPE = (
    f"[0-9{MASK_CHARACTERS}][0-9{MASK_CHARACTERS}]-[0-9{MASK_CHARACTERS}][0-9{MASK_CHARACTERS}]-[0-9][0-9][0-9][0-9]"
)


def _split_hidden_date(text: str) -> str:
    """``text`` cut into HIDDEN_DATE's groups (a struct of ``_GROUPS``; '' for a group that took no part)."""
    by_position = (
        f"struct_pack(d1 := {text}[1:2], m1 := {text}[4:5], y1 := {text}[7:10], y2 := '', m2 := '', d2 := '', y3 := '')"
    )
    return (
        f"CASE WHEN {text} GLOB '{_DMY_SHAPE}' THEN {by_position} "
        f"ELSE regexp_extract({text}, '{HIDDEN_DATE}', {_GROUPS}) END"
    )


def hidden_birth_date(query: str, date_text: str) -> str:
    """``query`` plus ``_lahir_v``: for a birth date that did not parse as a whole but is a date with hidden parts
    (masked, or a day or month of zeros), its visible year, month and day (NULL where hidden); NULL for every other
    row.

    ``query`` has ``tanggal_lahir`` (the parsed date) and ``date_text`` (the text as written). Only rows whose date
    did not parse reach the regular expression, and it runs once per row: the second projection reads its parts.
    Nothing else is added, as the import's table stores every column it makes and a column of NULLs costs nothing.
    """
    split = (
        f"SELECT *, CASE WHEN tanggal_lahir IS NULL AND {date_text} IS NOT NULL "
        f"THEN {_split_hidden_date(date_text)} END AS _lahir_s FROM ({query})"
    )
    # A day or month of zeros (00-00-1985, as Dukcapil writes an unknown date) is hidden too: the year is kept.
    part = "nullif(TRY_CAST(coalesce(nullif(_lahir_s.{a}, ''), nullif(_lahir_s.{b}, '')) AS SMALLINT), 0)"
    day, month = part.format(a="d1", b="d2"), part.format(a="m1", b="m2")
    year = "TRY_CAST(coalesce(nullif(_lahir_s.y1, ''), nullif(_lahir_s.y2, ''), nullif(_lahir_s.y3, '')) AS SMALLINT)"
    # Readable when it matched, its visible day and month exist (29-02 allowed), its year is not 0000, and some part
    # is hidden: a date with every part visible that failed to parse is no date.
    readable = f"""(_lahir_s.y1 || _lahir_s.y2 || _lahir_s.y3) <> ''
        AND coalesce(_lahir_d BETWEEN 1 AND 31, true) AND coalesce(_lahir_m BETWEEN 1 AND 12, true)
        AND coalesce(_lahir_y > 0, true) AND NOT (_lahir_d IS NOT NULL AND _lahir_m IS NOT NULL AND _lahir_y IS NOT NULL)
        AND coalesce(_lahir_d <= {DAYS_IN_MONTH}[_lahir_m], true)"""
    # the parts once per row, in a projection of their own: written into the test, each was parsed three times
    parsed = f"SELECT *, {day} AS _lahir_d, {month} AS _lahir_m, {year} AS _lahir_y FROM ({split})"
    parts = "struct_pack(y := _lahir_y, m := _lahir_m, d := _lahir_d)"
    return (
        f"SELECT * EXCLUDE (_lahir_s, _lahir_d, _lahir_m, _lahir_y), "
        f"CASE WHEN _lahir_s IS NOT NULL AND {readable} THEN {parts} END AS _lahir_v FROM ({parsed})"
    )


# The snapshot's birth-date columns from the import's ``tanggal_lahir`` and ``_lahir_v``.
BIRTH_COLUMNS = {
    "lahir_tahun": "CAST(coalesce(year(tanggal_lahir), _lahir_v.y) AS SMALLINT)",
    "lahir_bulan": "CAST(coalesce(month(tanggal_lahir), _lahir_v.m) AS SMALLINT)",
    "lahir_hari": "CAST(coalesce(day(tanggal_lahir), _lahir_v.d) AS SMALLINT)",
    "lahir_tersembunyi": "_lahir_v IS NOT NULL",
}

# --- the snapshot's columns --------------------------------------------------------------------------------


def _word_cases(text: str) -> str:
    """The TMS code a keterangan written in words stands for, else NULL."""
    cases = " ".join(
        f"WHEN {text} IN ({', '.join(repr(w) for w in words)}) THEN {code}" for code, words in TMS_WORDS.items()
    )
    return f"CASE {cases} END"


def _keterangan_markers() -> dict[str, str]:
    """The markers of a keterangan from ``_ket`` (capitals, punctuation as single spaces; NULL when empty).

    A TMS code is a number of the table (1-8 in 2024) alone or after ``TMS`` (words may follow: ``TMS 1
    MENINGGAL``), or the words alone; free text that merely mentions a word (``PINDAH TPS``) is not taken for one.
    """
    codes = "|".join(str(c) for c in sorted(TMS_WORDS, reverse=True))  # 10 before 1, should a scheme have it
    number = f"TRY_CAST(nullif(regexp_extract(_ket, '^(?:TMS ?)?({codes})(?: [A-Z ]*)?$', 1), '') AS SMALLINT)"
    words = _word_cases("regexp_replace(_ket, '^TMS ', '')")
    low, high = LOKASI_KHUSUS.start, LOKASI_KHUSUS.stop - 1
    lokasi = f"nullif(regexp_extract(_ket, '(?:^| )({low // 10}[{low % 10}-{high % 10}])(?: |$)', 1), '')"
    return {
        "tms_kode": f"CASE WHEN _ket IS NOT NULL THEN CAST(coalesce({number}, {words}) AS SMALLINT) END",
        "pemilih_baru": "CASE WHEN _ket IS NULL THEN false ELSE regexp_matches(_ket, '(^| )B( |$)|PEMILIH BARU|^BARU$') END",
        "ubah_data": "CASE WHEN _ket IS NULL THEN false ELSE regexp_matches(_ket, '(^| )U( |$)|UBAH DATA|^UBAH$') END",
        "lokasi_khusus": f"CASE WHEN _ket IS NOT NULL THEN CAST({lokasi} AS SMALLINT) END",
    }


def snapshot_query(rows: str, columns: tuple[str, ...]) -> str:
    """The snapshot's ``columns`` from ``rows`` (the import's accepted rows in order, with the parsed fields and
    ``_lahir_v``), the columns of :data:`COLUMNS` made here, row by row.

    Each is behind a test of its input: a list of full dates with no keterangan and no disability (the common
    case) pays little more than writing them.
    """
    made = {**BIRTH_COLUMNS, **_keterangan_markers(), "disabilitas_kode": DISABILITY_CODES}
    ket = "CASE WHEN keterangan IS NOT NULL THEN trim(regexp_replace(upper(keterangan), '[^A-Z0-9]+', ' ', 'g')) END"
    first = f"SELECT *, {ket} AS _ket FROM ({rows})"
    second = ", ".join(f"{made[c]} AS {c}" if c in made else c for c in columns if c != "sudah_tms")
    tms = "CASE WHEN _ket IS NULL THEN false ELSE tms_kode IS NOT NULL OR _ket = 'TMS' OR starts_with(_ket, 'TMS ') END"
    return f"SELECT * EXCLUDE (_ket), {tms} AS sudah_tms FROM (SELECT {second}, _ket FROM ({first}))"
