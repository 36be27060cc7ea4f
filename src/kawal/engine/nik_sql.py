"""The NIK and NKK rules of :mod:`kawal.engine.nik`, as SQL over a whole column.

``add_nik_columns`` adds to a DuckDB table, for a NIK (or NKK) column, the same verdicts ``parse_nik`` gives one
value: the normalised number, the format reasons, whether the region prefix is known, the date problems, and the
sex and birth date the NIK encodes. A test runs both on the same values and demands the same answers.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa

from kawal.engine.elections import DEFAULT
from kawal.engine.nik import MESSAGES, SPACES, valid_prefixes
from kawal.engine.sql import message, scalar

SCIENTIFIC = r"[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]+"
DOT_ZERO = r"[0-9]+[.,]0+"
MASKED_SHAPE = "[0-9]" * 6 + "[*]" * 10  # a GLOB: 6 digits, then ten '*' taken as they are


def register_prefixes(con: duckdb.DuckDBPyConnection) -> None:
    """The tables ``nik_prefix(prefix)``, every 6-digit kecamatan code of every list version, and
    ``nik_prefix_pattern(pattern)``: each of those codes with any of its digits masked as ``*``.

    With the patterns a masked prefix is checked by the same exact lookup as a plain one (the 64 masks of some
    8,000 codes leave about 53,000 patterns), and no row needs a LIKE.
    """
    if scalar(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'nik_prefix_pattern'"):
        return
    table = pa.table({"prefix": pa.array(sorted(valid_prefixes()), pa.string())})
    con.register("nik_prefix_arrow", table)
    con.execute("CREATE OR REPLACE TABLE nik_prefix AS SELECT prefix FROM nik_prefix_arrow")
    con.unregister("nik_prefix_arrow")
    digits = ", ".join(f"CASE WHEN m & {1 << i} = 0 THEN prefix[{i + 1}] ELSE '*' END" for i in range(6))
    con.execute(
        f"CREATE TABLE nik_prefix_pattern AS SELECT DISTINCT concat({digits}) AS pattern FROM nik_prefix, range(64) r(m)"
    )


def add_nik_columns(
    con: duckdb.DuckDBPyConnection,
    table: str,
    column: str = "nik",
    *,
    prefix: str = "nik",
    float_sql: str = "false",
    election_date: date = DEFAULT.day,
    with_date: bool = True,
    join: bool = True,
) -> str:
    """Replace ``table`` (which has a ``rid`` key) with itself plus ``<prefix>_*`` columns describing ``column``.

    Columns: ``_d`` (normalised: spaces gone, X, x and # as *, Excel's .0 removed), ``_shape`` (16 digits or *),
    ``_full`` (16 visible digits), ``_format`` (list of reason codes), ``_prefix_ok``, and with ``with_date``:
    ``_date_problems`` (list of reason codes), ``_sex``, ``_dd``, ``_mm``, ``_yy`` (visible parts) and ``_born``.
    Without ``join`` the columns go to a table ``<prefix>_narrow(rid, ...)`` instead, whose name is returned.
    """
    register_prefixes(con)
    p = prefix
    source = f"(SELECT rid, {column}, {float_sql} AS {p}_float FROM {table})"
    query = nik_query(
        source, column, prefix=p, float_sql=f"{p}_float", election_date=election_date, with_date=with_date
    )
    if join:
        con.execute(
            f"CREATE OR REPLACE TABLE {table} AS SELECT t.*, n.* EXCLUDE (rid, {column}, {p}_float) "
            f"FROM {table} t JOIN ({query}) n USING (rid)"
        )
        return table
    narrow = f"{p}_narrow"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {narrow} AS SELECT * EXCLUDE ({column}, {p}_float) FROM ({query})")
    return narrow


def nik_query(
    source: str,
    column: str,
    *,
    prefix: str = "nik",
    float_sql: str = "false",
    election_date: date = DEFAULT.day,
    with_date: bool = True,
) -> str:
    """A query of every column of ``source`` (a table or a subquery) plus the ``<prefix>_*`` verdict columns of
    ``column`` that :func:`add_nik_columns` describes, computed in one pass (needs :func:`register_prefixes`).

    Each step is a projection over the one before, so nothing is materialised; a value of 16 plain digits (nearly
    all of them) skips the regular expressions, whose answers for it are known.
    """
    p = prefix
    query = _shape_query(source, column, p, float_sql, with_date)
    query = f"""SELECT s.*, CASE WHEN s.{p}_shape THEN pp.pattern IS NOT NULL END AS {p}_prefix_ok
                FROM ({query}) s LEFT JOIN nik_prefix_pattern pp ON pp.pattern = left(s.{p}_d, 6)"""
    if with_date:
        query = _date_query(query, p, election_date)
    return f"SELECT * EXCLUDE ({p}_fast) FROM ({query})"


def _shape_query(source: str, column: str, p: str, float_sql: str, with_date: bool) -> str:
    """``_fast``, ``_d``, ``_shape``, ``_full`` and ``_format``."""
    fast = f"coalesce(regexp_full_match({column}, '[0-9]{{16}}'), false)"
    # A published list's NIK: its first 6 digits and ten '*' (MASKED_SHAPE). Like 16 digits it needs no cleaning and
    # has no format problem; through the general rules its regular expressions were a quarter of such an audit's
    # NIK step.
    masked = f"coalesce({column} GLOB '{MASKED_SHAPE}', false)"
    normalised = f"translate(regexp_replace(coalesce({column}, ''), '{SPACES}', '', 'g'), 'Xx#', '***')"
    trailing_zero = f"{float_sql} AND right({p}_d, 1) = '0'"
    serial = f"{'true' if with_date else 'false'} AND substr({p}_d, 13, 4) = '0000'"
    reasons = f"""list_filter([
        CASE WHEN {p}_n = '' THEN 'empty' END,
        CASE WHEN {p}_sci THEN 'scientific' END,
        CASE WHEN {p}_dot0 THEN 'dot_zero' END,
        CASE WHEN {p}_n <> '' AND NOT {p}_sci AND NOT {p}_shape
             THEN CASE WHEN regexp_matches({p}_d, '[^0-9*]') THEN 'characters' ELSE 'length' END END,
        CASE WHEN {p}_shape AND NOT {p}_dot0 AND NOT contains({p}_d, '*') AND {trailing_zero} THEN 'trailing_zero' END,
        CASE WHEN {p}_shape AND {serial} THEN 'serial' END
    ], lambda r: r IS NOT NULL)"""
    return f"""
        SELECT * EXCLUDE ({p}_n, {p}_sci, {p}_dot0, {p}_plain, {p}_masked),
            {p}_fast OR ({p}_shape AND NOT contains({p}_d, '*')) AS {p}_full,
            CASE WHEN ({p}_fast AND NOT ({trailing_zero}) AND NOT ({serial})) OR {p}_masked THEN []::VARCHAR[]
                 ELSE {reasons} END AS {p}_format
        FROM (
            SELECT *, CASE WHEN {p}_plain THEN true
                           ELSE NOT {p}_sci AND regexp_full_match({p}_d, '[0-9*]{{16}}') END AS {p}_shape
            FROM (
                SELECT *, CASE WHEN {p}_dot0 THEN regexp_extract({p}_n, '^([0-9]+)', 1) ELSE {p}_n END AS {p}_d
                FROM (
                    SELECT *, CASE WHEN {p}_plain THEN false ELSE regexp_full_match({p}_n, '{SCIENTIFIC}') END AS {p}_sci,
                              CASE WHEN {p}_plain THEN false ELSE regexp_full_match({p}_n, '{DOT_ZERO}') END AS {p}_dot0
                    FROM (SELECT *, {p}_fast OR {p}_masked AS {p}_plain,
                                 CASE WHEN {p}_fast OR {p}_masked THEN {column} ELSE {normalised} END AS {p}_n
                          FROM (SELECT *, {fast} AS {p}_fast, {masked} AS {p}_masked FROM {source}))
                )
            )
        )"""


def _date_query(source: str, p: str, election_date: date) -> str:
    """DDMMYY: day 01-31 (41-71 for women), month 01-12, a real date in the latest century not after election day."""
    e = f"DATE '{election_date.isoformat()}'"
    return f"""
        WITH digits AS (  -- 16 plain digits: DDMMYY as one number, its parts by arithmetic
            SELECT *, CASE WHEN {p}_fast THEN CAST(substr({p}_d, 7, 6) AS INTEGER) END AS {p}_ddmmyy FROM ({source})
        ), parts AS (
            SELECT * EXCLUDE ({p}_ddmmyy),
                CASE WHEN {p}_fast THEN {p}_ddmmyy // 10000
                     WHEN {p}_shape AND NOT contains(substr({p}_d, 7, 2), '*') THEN CAST(substr({p}_d, 7, 2) AS INTEGER) END AS {p}_dd,
                CASE WHEN {p}_fast THEN {p}_ddmmyy // 100 % 100
                     WHEN {p}_shape AND NOT contains(substr({p}_d, 9, 2), '*') THEN CAST(substr({p}_d, 9, 2) AS INTEGER) END AS {p}_mm,
                CASE WHEN {p}_fast THEN {p}_ddmmyy % 100
                     WHEN {p}_shape AND NOT contains(substr({p}_d, 11, 2), '*') THEN CAST(substr({p}_d, 11, 2) AS INTEGER) END AS {p}_yy,
                CASE WHEN {p}_fast THEN CASE WHEN {p}_ddmmyy BETWEEN 400000 AND 799999 THEN 'P' ELSE 'L' END
                     WHEN {p}_shape AND substr({p}_d, 7, 1) <> '*'
                     THEN CASE WHEN substr({p}_d, 7, 1) IN ('4', '5', '6', '7') THEN 'P' ELSE 'L' END END AS {p}_sex
            FROM digits
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
