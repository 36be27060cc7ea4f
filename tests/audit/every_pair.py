"""Every pair of a small hand-made table of rows, compared as the matcher compares its candidate pairs."""

from datetime import date

import duckdb
import pyarrow as pa

from kawal.engine.audit import duplicates as d
from kawal.engine.sql import connect

DEFAULTS = {  # one person's fields, for the columns a test does not vary
    "nama": "AHMAD FAUZI",
    "tanggal_lahir": date(1980, 3, 4),
    "jenis_kelamin": "L",
    "nik_d": "3671010403800001",
    "tempat_lahir": "TANGERANG",
    "kode_kelurahan": "3671011001",
    "status_kawin": None,
    "nkk_d": None,
    "rw": 1,
    "rt": 1,
    "usia": None,  # shown on published lists, beside what they show of the date
    "lahir_bulan": None,
}


def compared(rows: list[dict], columns: str) -> dict[tuple[int, int], tuple]:
    """``columns`` of ``pairs`` for every pair (a, b) of ``rows`` (each a dict of the fields it sets; row ids from 1)."""
    con = with_people(rows)
    con.execute("CREATE TABLE candidates AS SELECT a.rid AS a, b.rid AS b FROM v a JOIN v b ON a.rid < b.rid")
    d.compare(con)
    found = {(a, b): tuple(rest) for a, b, *rest in con.execute(f"SELECT a, b, {columns} FROM pairs").fetchall()}
    con.close()
    return found


def with_people(rows: list[dict]) -> duckdb.DuckDBPyConnection:
    """A connection holding ``v`` (``rows`` over DEFAULTS, row ids from 1) and the matcher's ``people`` of it."""
    n = len(rows)
    rows = [{**DEFAULTS, **row} for row in rows]
    table = pa.table(
        {
            "rid": pa.array(range(1, n + 1), pa.int64()),
            **{c: [r[c] for r in rows] for c in ("nama", "jenis_kelamin", "tempat_lahir")},
            "tanggal_lahir": pa.array([r["tanggal_lahir"] for r in rows], pa.date32()),
            "usia": pa.array([r["usia"] for r in rows], pa.int16()),
            "lahir_bulan": pa.array([r["lahir_bulan"] for r in rows], pa.int16()),
            "lahir_tahun": pa.array([r.get("lahir_tahun") or _year(r["tanggal_lahir"]) for r in rows], pa.int16()),
            "nik_d": pa.array([r["nik_d"] for r in rows], pa.string()),
            "nik_full": [r["nik_d"] is not None and "*" not in r["nik_d"] for r in rows],
            "nkk_d": pa.array([r["nkk_d"] for r in rows], pa.string()),
            "nkk_full": [r["nkk_d"] is not None and "*" not in r["nkk_d"] for r in rows],
            "kode_kelurahan": [r["kode_kelurahan"] for r in rows],
            "rw": [r["rw"] for r in rows],
            "rt": [r["rt"] for r in rows],
            "status_kawin": pa.array([r["status_kawin"] for r in rows], pa.string()),
            "sudah_tms": [False] * n,
        }
    )
    con = connect()
    con.register("v_in", table)
    con.execute("CREATE TABLE v AS SELECT * FROM v_in")
    d.build_names(con)
    d.build_people(con)
    return con


def _year(day: date | None) -> int | None:
    return day.year if day else None


def level(field: str, code: int) -> str | None:
    """The name of ``field``'s level ``code`` (None: not compared)."""
    return d.COMPARISONS[d.FIELDS.index(field)].level_names[code] if code >= 0 else None
