"""Small helpers for building DuckDB statements."""

from __future__ import annotations

from pathlib import Path


def literal(value: str | Path) -> str:
    """A SQL string literal, for the places DuckDB takes no parameters (COPY ... TO, SET)."""
    return "'" + str(value).replace("'", "''") + "'"
