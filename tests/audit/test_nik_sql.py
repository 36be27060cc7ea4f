"""The SQL NIK rules used by the audit must agree with the Python parser, value by value."""

from datetime import date

import duckdb
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from kawal.engine.nik import parse_nik, valid_prefixes
from kawal.engine.nik_sql import add_nik_columns

FIXED = [
    "3671010403650018",
    "3671015011900032",
    "3671013102650018",
    "3671017102650018",
    "3671012902000018",
    "3671012902010018",
    "3671990403650018",
    "9201010101900001",
    "367101**********",
    "3671XXXXXXXX0018",
    "367199**********",
    "3671013*13******",
    "367101##########",
    "3671xx04#3650018",
    "36##010403650018",
    "3699##0403650018",
    "3.67101E+15",
    "3,67101E+15",
    "3671010403650018.0",
    "367101040365001",
    "36710104O3650018",
    "3671010403650000",
    "",
    "  3671 0104 0365 0018 ",
    "3671010101240001",
    "3671012711240001",
    "3671012811240001",
    "3671016902040018",
    "3671010403650010",
    "abc",
    "1234567890123456",
]


def sql_verdicts(values: list[str], float_column: bool = False) -> list[tuple]:
    con = duckdb.connect()
    con.register("input", pa.table({"rid": list(range(len(values))), "nik": values}))
    con.execute("CREATE TABLE t AS SELECT * FROM input")
    add_nik_columns(con, "t", float_sql="true" if float_column else "false")
    return con.execute(
        "SELECT nik_format, nik_prefix_ok, nik_date_problems, nik_sex, nik_born FROM t ORDER BY rid"
    ).fetchall()


def python_verdict(value: str, float_column: bool = False) -> tuple:
    r = parse_nik(value, float_column=float_column)
    fmt = sorted(p.reason for p in r.problems if p.check == "NIK_FORMAT")
    prefix = None if r.digits is None else not any(p.check == "NIK_WILAYAH" for p in r.problems)
    dates = sorted(p.reason for p in r.problems if p.check == "NIK_TANGGAL")
    return fmt, prefix, dates, r.sex if r.digits else None, r.birth_date


def sql_as_python(row: tuple) -> tuple:
    fmt, prefix_ok, dates, sex, born = row
    return sorted(fmt), prefix_ok, sorted(dates or []), sex, born


def test_fixed_cases_agree():
    for value, row in zip(FIXED, sql_verdicts(FIXED), strict=True):
        assert sql_as_python(row) == python_verdict(value), value


def test_float_column_agrees():
    values = ["3671010403650010", "3671010403650018", "3671010403650010.0"]
    for value, row in zip(values, sql_verdicts(values, float_column=True), strict=True):
        assert sql_as_python(row) == python_verdict(value, float_column=True), value


digits = st.text(alphabet="0123456789*Xx#", min_size=14, max_size=17)
plausible = st.builds(
    lambda p, d, f, s, hide: "".join(
        "*" if i in hide else c
        for i, c in enumerate(f"{p}{d.day + (40 if f else 0):02d}{d.month:02d}{d.year % 100:02d}{s:04d}")
    ),
    st.sampled_from(sorted(valid_prefixes())[:500]),
    st.dates(min_value=date(1920, 1, 1), max_value=date(2024, 11, 27)),
    st.booleans(),
    st.integers(0, 9999),
    st.sets(st.integers(0, 15), max_size=4),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(digits, plausible, st.text(max_size=20)), min_size=1, max_size=40))
def test_random_values_agree(values):
    for value, row in zip(values, sql_verdicts(values), strict=True):
        assert sql_as_python(row) == python_verdict(value), value
