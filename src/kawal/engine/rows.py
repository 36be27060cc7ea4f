"""Rows out of the engine's files, for a caller that stores them elsewhere (the web app's database).

The web app copies a snapshot's voters, an audit's findings and duplicate pairs, and KPU's official numbers into
its own tables. Reading those files is DuckDB's work and stays here, so the web app never imports DuckDB: it gets
plain dicts in batches (``BATCH`` rows each, a bounded amount of memory for a 1.4 M-row list).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb

from kawal.engine import sealed
from kawal.engine.audit.duplicates import record_key_sql
from kawal.engine.results.reader import Loaded, read
from kawal.engine.sql import connect, literal

BATCH = 5000

# What reading an outside file may raise besides KawalError: a broken zip, DuckDB refusing a value, a number too
# large, a file in another encoding. The caller names the file as unreadable instead of failing with a trace.
READ_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    duckdb.Error,
    OverflowError,
    UnicodeDecodeError,
    ValueError,
)

_VOTERS_SQL = """SELECT coalesce(id, CAST(row_no AS VARCHAR)) AS record_id, nama, tempat_lahir, tanggal_lahir, usia,
    jenis_kelamin, status_kawin, alamat, kode_kelurahan, rw, rt, tps, disabilitas, nik, nkk FROM read_parquet({path})"""

_KEYS_SQL = """
    SELECT coalesce(s.id, CAST(s.row_no AS VARCHAR)) AS record_id, {key} AS record_key
    FROM read_parquet({voters}) s
    WHERE coalesce(s.id, CAST(s.row_no AS VARCHAR)) IN (
        SELECT record_id_a FROM read_parquet({pairs}) UNION SELECT record_id_b FROM read_parquet({pairs})
    )"""


def _batches(sql: str, size: int) -> Iterator[list[dict]]:
    con = connect()
    try:
        for batch in con.sql(sql).to_arrow_reader(size):
            yield batch.to_pylist()
    finally:
        con.close()


def snapshot_voters(voters_path: Path, size: int = BATCH) -> Iterator[list[dict]]:
    """A snapshot's voters (``voters.parquet``) with ``record_id`` (the list's id, else the row number) and the
    fields the web app keeps, NIK and NKK as written."""
    return _batches(_VOTERS_SQL.format(path=literal(sealed.source(voters_path))), size)


def audit_findings(findings_csv: Path, size: int = BATCH) -> Iterator[list[dict]]:
    """The rows of an audit's ``findings.csv``, every value as text (empty cells as None)."""
    # no comment mark sniffed (see results.reader): a record id is the list's own NO, which may start with '#'
    return _batches(f"SELECT * FROM read_csv({literal(findings_csv)}, all_varchar = true, comment = '')", size)


def duplicate_pairs(pairs_parquet: Path, size: int = BATCH) -> Iterator[list[dict]]:
    """An audit's ``duplicate_pairs.parquet``: cluster, record_id_a, record_id_b, probability, detail."""
    sql = f"SELECT cluster, record_id_a, record_id_b, probability, detail FROM read_parquet({literal(pairs_parquet)})"
    return _batches(sql, size)


def record_keys(voters_path: Path, pairs_parquet: Path, secret: str, size: int = BATCH) -> Iterator[list[dict]]:
    """``record_id`` and ``record_key`` of each row named in a pair, computed exactly as the audit computes them
    when it matches reviewers' labels; the rest of the list is not read into Python."""
    sql = _KEYS_SQL.format(
        key=record_key_sql("s", secret), voters=literal(sealed.source(voters_path)), pairs=literal(pairs_parquet)
    )
    return _batches(sql, size)


def official_numbers(path: Path, wanted: Sequence[str], within: str = "") -> tuple[Loaded, list[str], list[tuple]]:
    """KPU's numbers per TPS from a C.Hasil file (CSV contract or Sirekap JSON, folder or zip): what was read,
    the columns of ``wanted`` the file has, and one row per TPS of ``within`` (``kode_tps`` first)."""
    con = connect()
    loaded = read(con, Path(path))
    present = {d[0] for d in con.execute("DESCRIBE r").fetchall()}
    columns = [c for c in wanted if c in present]
    select = ", ".join(["kode_tps", *columns])
    rows = con.execute(f"SELECT {select} FROM r WHERE kode_tps LIKE ?", [f"{within}%"]).fetchall()
    con.close()
    return loaded, columns, rows


def snapshot_rejects(rejects_path: Path, limit: int) -> list[tuple]:
    """The first ``limit`` rejected rows of a snapshot (``rejects.parquet``): sheet, line, row_no, reason."""
    con = connect()
    try:
        sql = f"SELECT sheet, line, row_no, reason FROM read_parquet({literal(sealed.source(rejects_path))}) ORDER BY row_no LIMIT ?"
        return con.execute(sql, [limit]).fetchall()
    finally:
        con.close()


def write_rejects(rejects_path: Path, out: Path) -> None:
    """A snapshot's rejected rows as CSV (row_no, sheet, line, reason), in row order."""
    con = connect()
    try:
        con.execute(
            f"COPY (SELECT row_no, sheet, line, reason FROM read_parquet({literal(sealed.source(rejects_path))}) ORDER BY row_no) "
            f"TO {literal(out)} (HEADER)"
        )
    finally:
        con.close()
