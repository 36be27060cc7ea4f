"""The import's cheap tests in front of its general rules give the general rules' answers: a published list's masked
dates (``**-**-1985``) skip the blanking rule and the hidden-date regular expression, its masked NIKs the NIK's
cleaning rules, and nothing else changes."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from kawal.engine import model_a
from kawal.engine.importer import _BLANK, _BLANK_ALWAYS, _DATE, _fill
from kawal.engine.nik_sql import nik_query, register_prefixes
from kawal.engine.sql import connect

PARTS = ["**", "XX", "xx", "##", "01", "00", "29", "31", "12", "13", "*1", "0*", "1", ""]
YEARS = ["1953", "****", "0000", "19X5", "2001"]
SEPARATORS = ["-", "/", ".", " ", "|"]


def _date_texts() -> list[str]:
    texts = {"1953", "****", "abc", "**-**-19534", "a*-**-1953", "**-**-1953 ", "29-02-****", "31-04-****"}
    for day, month, year, sep in itertools.product(PARTS, PARTS, YEARS, SEPARATORS):
        texts |= {f"{day}{sep}{month}{sep}{year}", f"{year}{sep}{month}{sep}{day}"}
    return sorted(texts)


def _table(values: list[str]):
    con = connect()
    con.execute("CREATE TABLE t (c VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [[v] for v in values])
    return con


def test_the_hidden_date_shape_is_cut_as_the_regular_expression_cuts_it():
    texts = _date_texts()
    con = _table(texts)
    regex = f"regexp_extract(c, '{model_a.HIDDEN_DATE}', {model_a._GROUPS})"
    differing = con.execute(
        f"SELECT c FROM t WHERE {model_a._split_hidden_date('c')} IS DISTINCT FROM {regex}"
    ).fetchall()
    assert differing == []
    shaped = {r[0] for r in con.execute(f"SELECT c FROM t WHERE c GLOB '{model_a._DMY_SHAPE}'").fetchall()}
    assert {"**-**-1953", "XX-xx-2001", "##-12-0000", "31-12-1953"} <= shaped  # the fast path was taken


@pytest.mark.parametrize(
    ("text", "visible"),
    [
        ("**-**-1953", {"y": 1953, "m": None, "d": None}),
        ("**-03-1985", {"y": 1985, "m": 3, "d": None}),
        ("XX-XX-1990", {"y": 1990, "m": None, "d": None}),
        ("##-12-2001", {"y": 2001, "m": 12, "d": None}),
        ("00-00-1985", {"y": 1985, "m": None, "d": None}),  # Dukcapil's unknown day and month
        ("**/**/1953", {"y": 1953, "m": None, "d": None}),  # another separator: the regular expression
        ("29-02-****", {"y": None, "m": 2, "d": 29}),
        ("31-04-****", None),  # no 31 April
        ("**-13-1990", None),  # no month 13
        ("31-02-1990", None),  # every part visible and no date: no hidden date either
    ],
)
def test_a_published_birth_date_keeps_its_visible_parts(text, visible):
    con = _table([text])
    query = model_a.hidden_birth_date(f"SELECT c, {_fill(_DATE, 'c')} AS tanggal_lahir FROM t", "c")
    assert con.execute(f"SELECT _lahir_v FROM ({query})").fetchone()[0] == visible


CELLS = [
    "",
    " ",
    "-",
    ".",
    "*",
    "**-**-1953",
    "**-**-1953 ",
    "*\t1",
    " *1",
    "+62",
    ",",
    "(x)",
    " BUDI",
    "BUDI ",
    "BUDI\tSANTOSO",
    "SITI\u00a0AMINAH",
    "\u00a0X",
    "'3671",
    "001",
    "L",
    "JL. MERDEKA",
]


@pytest.mark.parametrize("cell", CELLS)
def test_the_blanking_rule_skips_only_cells_it_would_leave_alone(cell):
    con = _table([cell])
    unusual = "(contains(c, chr(9)) OR contains(c, chr(10)) OR contains(c, chr(13)) OR strlen(c) <> length(c))"
    fast = _fill(_BLANK, "c").replace("__unusual", unusual)
    assert con.execute(f"SELECT {fast} IS NOT DISTINCT FROM {_fill(_BLANK_ALWAYS, 'c')} FROM t").fetchone()[0]


@pytest.mark.parametrize("region", ["367101", "999999", "000000"])
@pytest.mark.parametrize("float_column", [False, True])
def test_a_masked_nik_gets_the_verdicts_of_the_general_rules(region, float_column):
    """``367101**********`` takes the fast path; the same NIK masked with X goes through the general rules (which
    read X as '*'): every verdict column is the same."""
    con = connect()
    register_prefixes(con)
    con.execute("CREATE TABLE t (nik VARCHAR, f BOOLEAN)")
    con.executemany(
        "INSERT INTO t VALUES (?, ?)", [[region + "*" * 10, float_column], [region + "X" * 10, float_column]]
    )
    query = nik_query("t", "nik", prefix="nik", float_sql="f", election_date=date(2024, 11, 27))
    fast, general = con.execute(f"SELECT * EXCLUDE (nik) FROM ({query}) ORDER BY nik").fetchall()
    assert fast == general
    assert fast[1] == region + "*" * 10  # nik_d
