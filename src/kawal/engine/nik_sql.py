"""The NIK and NKK rules of :mod:`kawal.engine.nik`, as SQL over a whole column.

``add_nik_columns`` adds to a DuckDB table, for a NIK (or NKK) column, the same verdicts ``parse_nik`` gives one
value: the normalised number, the format reasons, whether the region prefix is known, the date problems, and the
sex and birth date the NIK encodes. A test runs both on the same values and demands the same answers.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa

from kawal.engine.nik import MESSAGES, SPACES, valid_prefixes
from kawal.engine.sql import message, scalar

SCIENTIFIC = r"[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]+"
DOT_ZERO = r"[0-9]+[.,]0+"


def register_prefixes(con: duckdb.DuckDBPyConnection) -> None:
    """The table ``nik_prefix(prefix)`` of every 6-digit kecamatan code of every list version."""
    if scalar(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'nik_prefix'"):
        return
    table = pa.table({"prefix": pa.array(sorted(valid_prefixes()), pa.string())})
    con.register("nik_prefix_arrow", table)
    con.execute("CREATE TABLE nik_prefix AS SELECT prefix FROM nik_prefix_arrow")
    con.unregister("nik_prefix_arrow")


def add_nik_columns(
    con: duckdb.DuckDBPyConnection,
    table: str,
    column: str = "nik",
    *,
    prefix: str = "nik",
    float_sql: str = "false",
    election_date: date = date(2024, 11, 27),
    with_date: bool = True,
    join: bool = True,
) -> str:
    """Replace ``table`` (which has a ``rid`` key) with itself plus ``<prefix>_*`` columns describing ``column``.

    Columns: ``_d`` (normalised: spaces gone, X as *, Excel's .0 removed), ``_shape`` (16 digits or *),
    ``_full`` (16 visible digits), ``_format`` (list of reason codes), ``_prefix_ok``, and with ``with_date``:
    ``_date_problems`` (list of reason codes), ``_sex``, ``_dd``, ``_mm``, ``_yy`` (visible parts) and ``_born``.
    """
    register_prefixes(con)
    p = prefix
    narrow = f"{p}_narrow"  # the work runs on (rid, value) only; the wide table is joined once at the end
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {narrow} AS SELECT rid, {column} AS {p}_value, {float_sql} AS {p}_float FROM {table}"
    )
    float_flag = f"{p}_float"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {narrow} AS
        WITH a AS (
            SELECT *, replace(replace(regexp_replace(coalesce({p}_value, ''), '{SPACES}', '', 'g'), 'X', '*'), 'x', '*') AS {p}_n
            FROM {narrow}
        ), b AS (
            SELECT *, regexp_full_match({p}_n, '{SCIENTIFIC}') AS {p}_sci, regexp_full_match({p}_n, '{DOT_ZERO}') AS {p}_dot0
            FROM a
        ), c AS (
            SELECT *, CASE WHEN {p}_dot0 THEN regexp_extract({p}_n, '^([0-9]+)', 1) ELSE {p}_n END AS {p}_d FROM b
        ), d AS (
            SELECT *, NOT {p}_sci AND regexp_full_match({p}_d, '[0-9*]{{16}}') AS {p}_shape FROM c
        )
        SELECT * EXCLUDE ({p}_n, {p}_sci, {p}_dot0, {p}_value, {p}_float),
            {p}_shape AND NOT contains({p}_d, '*') AS {p}_full,
            list_filter([
                CASE WHEN {p}_n = '' THEN 'empty' END,
                CASE WHEN {p}_sci THEN 'scientific' END,
                CASE WHEN {p}_dot0 THEN 'dot_zero' END,
                CASE WHEN {p}_n <> '' AND NOT {p}_sci AND NOT {p}_shape
                     THEN CASE WHEN regexp_matches({p}_d, '[^0-9*]') THEN 'characters' ELSE 'length' END END,
                CASE WHEN {float_flag} AND {p}_shape AND NOT {p}_dot0 AND NOT contains({p}_d, '*')
                          AND right({p}_d, 1) = '0' THEN 'trailing_zero' END,
                CASE WHEN {"true" if with_date else "false"} AND {p}_shape AND substr({p}_d, 13, 4) = '0000' THEN 'serial' END
            ], lambda r: r IS NOT NULL) AS {p}_format
        FROM d
        """
    )
    _add_prefix_check(con, narrow, p)
    if with_date:
        _add_date_columns(con, narrow, p, election_date)
    if join:
        con.execute(
            f"CREATE OR REPLACE TABLE {table} AS SELECT t.*, n.* EXCLUDE (rid) FROM {table} t JOIN {narrow} n USING (rid)"
        )
        con.execute(f"DROP TABLE {narrow}")
    return narrow


def _add_prefix_check(con: duckdb.DuckDBPyConnection, table: str, p: str) -> None:
    """Known prefix: an exact lookup, or for masked prefixes a LIKE over the distinct patterns only."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {p}_masked_prefix AS
        SELECT pattern, EXISTS (SELECT 1 FROM nik_prefix WHERE prefix LIKE replace(pattern, '*', '_')) AS ok
        FROM (SELECT DISTINCT substr({p}_d, 1, 6) AS pattern FROM {table} WHERE {p}_shape AND contains(substr({p}_d, 1, 6), '*'));
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT t.*, CASE WHEN NOT t.{p}_shape THEN NULL
                         WHEN contains(substr(t.{p}_d, 1, 6), '*') THEN m.ok
                         ELSE n.prefix IS NOT NULL END AS {p}_prefix_ok
        FROM {table} t
        LEFT JOIN nik_prefix n ON n.prefix = substr(t.{p}_d, 1, 6)
        LEFT JOIN {p}_masked_prefix m ON m.pattern = substr(t.{p}_d, 1, 6);
        DROP TABLE {p}_masked_prefix;
        """
    )


def _add_date_columns(con: duckdb.DuckDBPyConnection, table: str, p: str, election_date: date) -> None:
    """DDMMYY: day 01-31 (41-71 for women), month 01-12, a real date in the latest century not after election day."""
    e = f"DATE '{election_date.isoformat()}'"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        WITH parts AS (
            SELECT *,
                CASE WHEN {p}_shape AND NOT contains(substr({p}_d, 7, 2), '*') THEN CAST(substr({p}_d, 7, 2) AS INTEGER) END AS {p}_dd,
                CASE WHEN {p}_shape AND NOT contains(substr({p}_d, 9, 2), '*') THEN CAST(substr({p}_d, 9, 2) AS INTEGER) END AS {p}_mm,
                CASE WHEN {p}_shape AND NOT contains(substr({p}_d, 11, 2), '*') THEN CAST(substr({p}_d, 11, 2) AS INTEGER) END AS {p}_yy,
                CASE WHEN {p}_shape AND substr({p}_d, 7, 1) <> '*'
                     THEN CASE WHEN substr({p}_d, 7, 1) IN ('4', '5', '6', '7') THEN 'P' ELSE 'L' END END AS {p}_sex
            FROM {table}
        ), checked AS (
            SELECT *,
                {p}_dd IS NOT NULL AND NOT ({p}_dd BETWEEN 1 AND 31 OR {p}_dd BETWEEN 41 AND 71) AS {p}_bad_day,
                {p}_mm IS NOT NULL AND NOT {p}_mm BETWEEN 1 AND 12 AS {p}_bad_month
            FROM parts
        ), dated AS (
            SELECT *, CASE WHEN {p}_dd IS NOT NULL AND {p}_mm IS NOT NULL AND {p}_yy IS NOT NULL
                                AND NOT {p}_bad_day AND NOT {p}_bad_month
                           THEN {p}_dd - CASE WHEN {p}_dd > 40 THEN 40 ELSE 0 END END AS {p}_day
            FROM checked
        ), safe AS (  -- make_date is evaluated even where CASE discards it: keep its inputs legal
            SELECT *, CASE WHEN {p}_day IS NOT NULL THEN {p}_mm ELSE 1 END AS {p}_m,
                      coalesce({p}_yy, 0) AS {p}_y, coalesce({p}_day, 1) AS {p}_dy
            FROM dated
        ), born AS (
            SELECT * EXCLUDE ({p}_m, {p}_y, {p}_dy),
                CASE WHEN {p}_day IS NULL THEN NULL
                     WHEN {p}_dy <= day(last_day(make_date(2000 + {p}_y, {p}_m, 1)))
                          AND make_date(2000 + {p}_y, {p}_m, least({p}_dy, 28)) + ({p}_dy - least({p}_dy, 28)) <= {e}
                          THEN make_date(2000 + {p}_y, {p}_m, least({p}_dy, 28)) + ({p}_dy - least({p}_dy, 28))
                     WHEN {p}_dy <= day(last_day(make_date(1900 + {p}_y, {p}_m, 1)))
                          THEN make_date(1900 + {p}_y, {p}_m, least({p}_dy, 28)) + ({p}_dy - least({p}_dy, 28)) END AS {p}_born
            FROM safe
        )
        SELECT * EXCLUDE ({p}_bad_day, {p}_bad_month, {p}_day),
            list_filter([CASE WHEN {p}_bad_day THEN 'day' END, CASE WHEN {p}_bad_month THEN 'month' END,
                         CASE WHEN {p}_day IS NOT NULL AND {p}_born IS NULL THEN 'date' END],
                        lambda r: r IS NOT NULL) AS {p}_date_problems
        FROM born
        """
    )


DATE_REASONS = ("day", "month", "date")


def reason_text(reason_sql: str, kind: str, raw_sql: str, p: str = "nik") -> str:
    """SQL for the explanation of one reason code, in the user's language, the NIK shown masked."""
    cases = []
    for reason, text in MESSAGES.items():
        if kind != "NIK" and reason in DATE_REASONS:
            continue
        values = {
            "kind": f"'{kind}'",
            "raw": raw_sql,
            "length": f"length({p}_d)",
            "chars": f"array_to_string(list_distinct(regexp_extract_all({p}_d, '[^0-9*]')), ' ')",
            "prefix": f"substr({p}_d, 1, 6)",
            "day": f"substr({p}_d, 7, 2)",
            "month": f"substr({p}_d, 9, 2)",
            "value": f"printf('%02d-%s-%s', {p}_dd - CASE WHEN {p}_dd > 40 THEN 40 ELSE 0 END, substr({p}_d, 9, 2), substr({p}_d, 11, 2))",
        }
        needed = {k: v for k, v in values.items() if "{" + k in text[0] or "{" + k in text[1]}
        cases.append(f"WHEN '{reason}' THEN {message(text, **needed)}")
    return f"CASE {reason_sql} {' '.join(cases)} END"


def mask_sql(column: str, visible_start: int = 6) -> str:
    """:func:`kawal.engine.nik.mask` as a SQL expression: region code visible, the rest as ``*``."""
    return (
        f"CASE WHEN {column} IS NULL THEN '' ELSE substr({column}, 1, {visible_start}) || "
        f"repeat('*', greatest(0, length({column}) - {visible_start})) END"
    )
