"""Sampling over a stored snapshot's voters, for callers that hold a path and no DuckDB (the web app)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from kawal.engine import sealed
from kawal.engine.sampling import draw as drawing
from kawal.engine.sampling.match import match_people
from kawal.engine.sql import connect, literal


def source(voters_path: Path) -> str:
    """The snapshot's ``voters.parquet`` as the relation the draw reads."""
    return f"read_parquet({literal(sealed.source(voters_path))})"


def strata_sizes(voters_path: Path, unit: str, by: str) -> dict[str, tuple[int, int]]:
    """Units and voters per stratum of the snapshot (see ``draw.population``)."""
    con = connect()
    try:
        return drawing.population(con, source(voters_path), unit, by)
    finally:
        con.close()


def draw_from(
    voters_path: Path,
    list_sha256: str,
    phrase: str,
    *,
    unit: str,
    by: str,
    total: int | None = None,
    per_stratum: dict[str, int] | None = None,
) -> drawing.Draw:
    """The public-phrase draw over the snapshot: ``total`` units in proportion, or ``per_stratum`` sizes (the
    same rows for the same file on every machine, from the command line or the web app)."""
    con = connect()
    try:
        return drawing.draw(
            source(voters_path), list_sha256, phrase, unit=unit, by=by, total=total, per_stratum=per_stratum, con=con
        )
    finally:
        con.close()


def match_table(voters_path: Path, people: pa.Table) -> list[dict]:
    """People met in the field (columns as ``match_people`` takes them) checked against the snapshot: each row
    with ``terdaftar`` and ``tempat``."""
    con = connect()
    try:
        return match_people(con, people, source(voters_path)).to_pylist()
    finally:
        con.close()


def match_person(voters_path: Path, person: dict[str, list]) -> dict:
    """One person (one value per column) checked against the snapshot, as ``match_table``."""
    return match_table(voters_path, pa.table(person))[0]
