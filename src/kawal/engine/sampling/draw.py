"""Draw a sample anyone can re-derive: KPU, the Ormas and Bawaslu each run ``kawal sample draw`` on the same file
with the same public phrase and get the very same units, byte for byte.

The seed is SHA-256 of the algorithm name, the unit, the phrase (announced in a meeting, spaces normalised) and the
SHA-256 of the list file. Each unit's rank is SHA-256(seed ":" unit key); a stratum's sample is its n units of
lowest rank. That is a simple random sample without replacement in each stratum (the hash acts as a random
number), and it depends on nothing but the inputs: not on row order, threads or the machine. The unit key is the
record id the audit reports (the file's ``id`` column, else the row number; 1 = first data row) or, for RT
clusters, ``kode_kelurahan/rw/rt``.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from kawal.engine.nik_sql import mask_sql
from kawal.engine.sampling.plan import allocate
from kawal.engine.sql import connect, literal, spreadsheet_safe_sql
from kawal.i18n import KawalError

ALGORITHM = "kawal-sample-v1"
UNITS = ("record", "rt", "tps")
STRATA = {"kota": "'semua'", "kecamatan": "substr(kode_kelurahan, 1, 6)", "kelurahan": "kode_kelurahan"}
UNIT_KEY = {
    "record": "coalesce(id, CAST(row_no AS VARCHAR))",
    "rt": "kode_kelurahan || '/' || CAST(rw AS VARCHAR) || '/' || CAST(rt AS VARCHAR)",
    "tps": "kode_kelurahan || lpad(CAST(tps AS VARCHAR), 3, '0')",
}


class DrawError(KawalError):
    """A draw that cannot be made as asked; the message says which parameter."""


def normalise_phrase(phrase: str) -> str:
    return unicodedata.normalize("NFC", " ".join(phrase.split()))


def public_seed(phrase: str, list_sha256: str, unit: str) -> str:
    if not normalise_phrase(phrase):
        raise DrawError(("frasa benih publik kosong", "the public seed phrase is empty"))
    text = f"{ALGORITHM}\n{unit}\n{normalise_phrase(phrase)}\n{list_sha256.lower()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rank(seed: str, key: str) -> str:
    """A unit's rank, as anyone can recompute it (DuckDB's sha256 gives the same hex digest)."""
    return hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()


@dataclass(frozen=True)
class Draw:
    seed: str
    unit: str
    by: str
    strata: dict[str, dict[str, int]]  # stratum -> {"population": N_h units, "voters": …, "n": n_h}
    rows: pa.Table  # stratum, urutan, unit, kunci, and what the field needs to find the unit


def population(con: duckdb.DuckDBPyConnection, source: str, unit: str, by: str) -> dict[str, tuple[int, int]]:
    """Units and voters per stratum: what the allocation and the estimator's weights rest on."""
    _units(con, source, unit, by)
    rows = con.execute("SELECT stratum, count(*), sum(pemilih) FROM units GROUP BY ALL ORDER BY 1").fetchall()
    return {stratum: (int(units), int(voters)) for stratum, units, voters in rows}


def _units(con: duckdb.DuckDBPyConnection, source: str, unit: str, by: str) -> None:
    if unit not in UNITS or by not in STRATA:
        raise DrawError(
            (
                "unit {u} / strata {b}: pilih unit {us} dan strata {bs}",
                "unit {u} / strata {b}: choose a unit of {us} and strata of {bs}",
            ),
            u=unit,
            b=by,
            us=", ".join(UNITS),
            bs=", ".join(STRATA),
        )
    if unit == "record":
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE units AS
            SELECT {STRATA[by]} AS stratum, {UNIT_KEY["record"]} AS unit, row_no, kode_kelurahan, rw, rt, tps,
                   {spreadsheet_safe_sql("nama")} AS nama, {spreadsheet_safe_sql("alamat")} AS alamat,
                   {mask_sql("nik")} AS nik_tersamar, 1 AS pemilih
            FROM {source} WHERE kode_kelurahan IS NOT NULL"""
        )
    elif unit == "tps":
        _tps_units(con, source, by)
    else:
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE units AS
            SELECT {STRATA[by]} AS stratum, {UNIT_KEY["rt"]} AS unit, min(row_no) AS row_no, kode_kelurahan, rw, rt,
                   min(tps) AS tps, NULL::VARCHAR AS nama, NULL::VARCHAR AS alamat, NULL::VARCHAR AS nik_tersamar,
                   count(*) AS pemilih
            FROM {source} WHERE kode_kelurahan IS NOT NULL AND rw IS NOT NULL AND rt IS NOT NULL
            GROUP BY ALL"""
        )


def _tps_units(con: duckdb.DuckDBPyConnection, source: str, by: str) -> None:
    """TPS from a voter list (voters counted per TPS) or from a TPS frame with ``kode_tps`` and ``dpt`` columns."""
    columns = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    if {"kode_tps", "dpt"} <= columns:
        frame = f"SELECT kode_tps, substr(kode_tps, 1, 10) AS kode_kelurahan, dpt FROM {source}"
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE units AS
            SELECT {STRATA[by]} AS stratum, kode_tps AS unit, 0 AS row_no, kode_kelurahan, NULL::SMALLINT AS rw,
                   NULL::SMALLINT AS rt, CAST(substr(kode_tps, 11, 3) AS SMALLINT) AS tps, NULL::VARCHAR AS nama,
                   NULL::VARCHAR AS alamat, NULL::VARCHAR AS nik_tersamar, dpt AS pemilih
            FROM ({frame})"""
        )
        return
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE units AS
        SELECT {STRATA[by]} AS stratum, {UNIT_KEY["tps"]} AS unit, min(row_no) AS row_no, kode_kelurahan,
               NULL::SMALLINT AS rw, NULL::SMALLINT AS rt, tps, NULL::VARCHAR AS nama, NULL::VARCHAR AS alamat,
               NULL::VARCHAR AS nik_tersamar, count(*) AS pemilih
        FROM {source} WHERE kode_kelurahan IS NOT NULL AND tps IS NOT NULL
        GROUP BY kode_kelurahan, tps"""
    )


def draw(
    source: str,
    list_sha256: str,
    phrase: str,
    *,
    unit: str = "record",
    by: str = "kecamatan",
    total: int | None = None,
    per_stratum: dict[str, int] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Draw:
    """Draw ``total`` units allocated in proportion to the strata, or ``per_stratum`` sizes, from ``source``
    (a DuckDB relation expression, e.g. ``read_parquet('voters.parquet')``)."""
    con = con or connect()
    seed = public_seed(phrase, list_sha256, unit)
    counted = population(con, source, unit, by)
    sizes = {k: units for k, (units, _voters) in counted.items()}
    if per_stratum is None:
        if not total or total < 1:
            raise DrawError(("ukuran sampel harus lebih dari 0", "the sample size must be above 0"))
        per_stratum = allocate(sizes, total)
    unknown = set(per_stratum) - set(sizes)
    if unknown:
        raise DrawError(
            ("strata tidak ada di daftar: {s}", "strata not in the list: {s}"), s=", ".join(sorted(unknown))
        )
    con.execute("CREATE OR REPLACE TEMP TABLE alloc (stratum VARCHAR, n INTEGER)")
    con.executemany("INSERT INTO alloc VALUES (?, ?)", sorted(per_stratum.items()))
    rows = con.sql(
        f"""SELECT stratum, CAST(row_number() OVER (PARTITION BY stratum ORDER BY kunci, unit, row_no) AS INTEGER)
                   AS urutan, unit, kunci, row_no, kode_kelurahan, rw, rt, tps, nama, alamat, nik_tersamar, pemilih
            FROM (SELECT u.*, sha256({literal(seed + ":")} || u.unit) AS kunci FROM units u) JOIN alloc USING (stratum)
            QUALIFY urutan <= alloc.n
            ORDER BY stratum, urutan"""
    ).to_arrow_table()
    strata = {
        k: {"population": sizes[k], "voters": counted[k][1], "n": min(per_stratum.get(k, 0), sizes[k])}
        for k in sorted(sizes)
    }
    return Draw(seed, unit, by, strata, rows)


def write(result: Draw, out: Path, phrase: str, list_sha256: str, list_name: str) -> tuple[Path, Path]:
    """``sample.csv`` (one row per unit, in stratum and draw order) and ``sample.json`` (the design, to re-derive
    and to estimate from). Neither holds a time stamp or a path, so two runs give identical bytes."""
    import pyarrow.csv as pacsv

    out.mkdir(parents=True, exist_ok=True)
    csv_path, manifest_path = out / "sample.csv", out / "sample.json"
    sink = pa.BufferOutputStream()
    pacsv.write_csv(result.rows, sink, pacsv.WriteOptions(quoting_style="needed"))
    data = sink.getvalue().to_pybytes()
    csv_path.write_bytes(data)
    manifest = {
        "algorithm": ALGORITHM,
        "phrase": normalise_phrase(phrase),
        "list": {"name": list_name, "sha256": list_sha256},
        "seed": result.seed,
        "unit": result.unit,
        "by": result.by,
        "strata": result.strata,
        "n": result.rows.num_rows,
        "sample_sha256": hashlib.sha256(data).hexdigest(),
    }
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")
    return csv_path, manifest_path
