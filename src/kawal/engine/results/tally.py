"""Tallies up the hierarchy: TPS → kelurahan → kecamatan → kab/kota (→ provinsi), in one set-based pass, and the
few ancestors one TPS update has to touch when tallies are kept incrementally."""

from __future__ import annotations

import duckdb

LEVELS = {2: "provinsi", 4: "kabkota", 6: "kecamatan", 10: "kelurahan", 13: "tps"}


def ancestors(kode_tps: str, top: int = 4) -> list[str]:
    """The units a TPS's numbers add into, from the kelurahan up to the ``top`` level (4: kab/kota, 2: provinsi)."""
    return [kode_tps[:n] for n in (10, 6, 4, 2) if n >= top]


def tally(con: duckdb.DuckDBPyConnection, paslon: int, table: str = "r", top: int = 4) -> None:
    """Table ``tally``: one row per unit (kode, level) with TPS counted, DPT, votes per paslon, valid, invalid and
    total; built by one GROUPING SETS pass over the TPS table."""
    votes = ", ".join(f"sum(suara_paslon_{i}) AS suara_paslon_{i}" for i in range(1, paslon + 1))
    sets = ", ".join(f"(substr(kode_tps, 1, {n}))" for n in (10, 6, 4, 2) if n >= top)
    key = " ".join(
        f"WHEN grouping(substr(kode_tps, 1, {n})) = 0 THEN substr(kode_tps, 1, {n})" for n in (10, 6, 4, 2) if n >= top
    )
    con.execute(
        f"""CREATE OR REPLACE TABLE tally AS
        SELECT CASE {key} END AS kode, count(*) AS tps_in, sum(dpt) AS dpt, {votes}{"," if votes else ""}
               sum(suara_sah) AS suara_sah, sum(suara_tidak_sah) AS suara_tidak_sah,
               sum(suara_sah_dan_tidak_sah) AS suara_sah_dan_tidak_sah
        FROM {table}
        GROUP BY GROUPING SETS ({sets})"""
    )
