"""Small helpers for building DuckDB statements."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb

from kawal.i18n import t

_PLACEHOLDER = re.compile(r"\{(\w+)(:[^}]*)?\}")


def literal(value: str | Path) -> str:
    """A SQL string literal, for the places DuckDB takes no parameters (COPY ... TO, SET)."""
    return "'" + str(value).replace("'", "''") + "'"


def message(text: dict[str, str] | tuple[str, str], **expressions: str) -> str:
    """A message in the user's language as a SQL expression, its ``{placeholders}`` filled by SQL expressions.

    The placeholders are renumbered for DuckDB's ``format`` so each language may order them its own way;
    placeholders without an expression are filled in Python (none are left in the message text).
    """
    template = t(text) if isinstance(text, dict | tuple) else text
    order: list[str] = []

    def renumber(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in order:
            order.append(name)
        return "{" + str(order.index(name)) + "}"

    sql_template = _PLACEHOLDER.sub(renumber, template).replace("'", "''")
    missing = [name for name in order if name not in expressions]
    if missing:
        raise KeyError(f"no SQL expression for {missing} in {template!r}")
    args = "".join(f", {expressions[name]}" for name in order)
    return f"format('{sql_template}'{args})"


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple:
    """The single row of a query, with the result fully consumed (DuckDB 2 refuses other work on a pending one)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0]


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> Any:
    """The single value of a query (typed by the query, so Any to the checker)."""
    return one(con, sql, params)[0]


def connect(**settings: str | int | float | list[str]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection for the engine: DuckDB's own progress bar off (kawal draws its own), sealed
    snapshot files readable (:mod:`kawal.engine.sealed`)."""
    from kawal.engine import sealed  # here: the package's __init__ imports this module before sealed

    con = duckdb.connect(config=dict(settings))
    con.execute("SET enable_progress_bar = false")  # a session option: not accepted in the connect config
    sealed.register(con)
    return con


FORMULA_START = "=+-@\t\r"  # what a spreadsheet reads as the start of a formula


def spreadsheet_safe(value: object) -> object:
    """A text cell a spreadsheet will not run: one starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] and value[0] in FORMULA_START:
        return "'" + value
    return value


def spreadsheet_safe_sql(expr: str) -> str:
    """:func:`spreadsheet_safe` as a SQL expression over a text column."""
    return f"CASE WHEN left({expr}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || {expr} ELSE {expr} END"
