"""Import a DP4/DPS/DPT file into an immutable snapshot: map columns, parse fields, reject what is unreadable.

A value that is present but cannot be read (a date that is no date, L/P that is neither) rejects its row with
the row and the field named; an empty value is kept as empty for the audit to report. Rows in always equal
rows loaded plus rows rejected, and the snapshot records both.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

from kawal import __version__
from kawal.engine.columns import CANONICAL
from kawal.engine.readers import SourceInfo, read_into
from kawal.engine.snapshots import REJECTS, VOTERS, Snapshot, SnapshotStore, sha256_file
from kawal.engine.sql import connect, literal, message, one, scalar
from kawal.i18n import KawalError, t
from kawal.wilayah import ROOT, Unit, normalise_name, registry

STAGES = ("DP4", "DPS", "DPT", "LAIN")
# A column whose share of explicit float forms (3.67E+15, 1234.0) reaches this is treated as an Excel number column.
FLOAT_COLUMN_SHARE = 0.01

BAD_STAGE = ("Tahap '{stage}' tidak dikenal; pilih {stages}.", "Unknown stage '{stage}'; choose {stages}.")
NO_FILE = ("File {path} tidak ada.", "File {path} does not exist.")
FIELD = {
    "tanggal_lahir": (
        "tanggal_lahir '{v}' tidak terbaca (pakai DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD atau DD|MM|YYYY)",
        "tanggal_lahir '{v}' unreadable (use DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD or DD|MM|YYYY)",
    ),
    "usia": ("usia '{v}' bukan angka 0-150", "usia '{v}' is not a number 0-150"),
    "jenis_kelamin": ("jenis_kelamin '{v}' bukan L atau P", "jenis_kelamin '{v}' is neither L nor P"),
    "status_kawin": ("status_kawin '{v}' bukan B, S atau P", "status_kawin '{v}' is not B, S or P"),
    "rt": ("rt '{v}' bukan nomor RT", "rt '{v}' is not an RT number"),
    "rw": ("rw '{v}' bukan nomor RW", "rw '{v}' is not an RW number"),
    "tps": (
        "tps '{v}' bukan nomor TPS (1-999 atau kode 13 angka)",
        "tps '{v}' is not a TPS number (1-999 or 13-digit code)",
    ),
}
EMPTY_ROW = ("baris kosong", "empty row")
KELURAHAN_UNKNOWN = (
    "kelurahan '{kel}' (kecamatan '{kec}') tidak dikenal di wilayah {wilayah}",
    "kelurahan '{kel}' (kecamatan '{kec}') is not known in region {wilayah}",
)
KELURAHAN_AMBIGUOUS = (
    "kelurahan '{kel}' ada di lebih dari satu kecamatan: isi kolom kecamatan",
    "kelurahan '{kel}' exists in more than one kecamatan: fill in the kecamatan column",
)
KODE_UNKNOWN = (
    "kode_kelurahan '{kode}' tidak ada di daftar Kemendagri",
    "kode_kelurahan '{kode}' is in no Kemendagri list",
)
KODE_OUTSIDE = (
    "kode_kelurahan '{kode}' di luar wilayah {wilayah}",
    "kode_kelurahan '{kode}' is outside region {wilayah}",
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ImportResult:
    snapshot: Snapshot
    reused: bool  # the same file was imported before for this stage and wilayah
    seconds: float


def import_voter_list(
    path: Path,
    stage: str,
    wilayah: str | None,
    store: SnapshotStore | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read ``path`` and store it as a new snapshot (or return the snapshot it already is).

    ``wilayah`` limits the kelurahan the list may contain; ``None`` accepts any (names then need their kecamatan).
    """
    started = time.perf_counter()
    say = progress or (lambda _step: None)
    stage, unit, store = _validate(path, stage, wilayah, store)
    say(t(("Menghitung SHA-256 file", "Hashing the file")))
    source_sha = sha256_file(path)
    existing = store.find_source(source_sha, stage, unit.kpu_code)
    if existing:
        return ImportResult(existing, True, time.perf_counter() - started)
    with store.staging() as work:
        con = _connect(work)
        say(t(("Membaca file", "Reading the file")))
        info = read_into(con, path, work)
        say(t(("Memeriksa dan menormalkan kolom", "Checking and normalising fields")))
        counts = _normalise(con, unit)
        say(t(("Menulis snapshot Parquet", "Writing the Parquet snapshot")))
        _write_parquet(con, work)
        meta = _meta(path, source_sha, stage, unit, info, counts, _float_evidence(con, info))
        meta["voters_sha256"] = sha256_file(work / VOTERS)
        con.close()
        snapshot = store.commit(work, meta, stage, unit.kpu_code)
    return ImportResult(snapshot, False, time.perf_counter() - started)


def _validate(
    path: Path, stage: str, wilayah: str | None, store: SnapshotStore | None
) -> tuple[str, Unit, SnapshotStore]:
    stage = stage.upper()
    if stage not in STAGES:
        raise KawalError(BAD_STAGE, stage=stage, stages=", ".join(STAGES))
    if not Path(path).is_file():
        raise KawalError(NO_FILE, path=path)
    unit = registry().lookup(wilayah) if wilayah else ROOT
    return stage, unit, store or SnapshotStore()


def _connect(work: Path) -> duckdb.DuckDBPyConnection:
    con = connect()
    con.execute(f"SET temp_directory = {literal(work / 'duckdb-tmp')}")
    con.execute("SET preserve_insertion_order = true")
    return con


# --- field parsing -------------------------------------------------------------------------------------------

# Tabs and line breaks become spaces, the ends are trimmed, and '-' or '.' alone mean empty (as KPU prints them).
_BLANK = "nullif(nullif(nullif(trim(replace(replace(replace({c}, chr(9), ' '), chr(10), ' '), chr(13), ' ')), ''), '-'), '.')"
_SPACED = "CASE WHEN contains({c}, '  ') THEN regexp_replace({c}, ' {{2,}}', ' ', 'g') ELSE {c} END"
FREE_TEXT = ("nama", "tempat_lahir", "alamat", "keterangan", "kelurahan", "kecamatan", "disabilitas")
_NUMBER_SMALL = "TRY_CAST(regexp_extract(upper({c}), '^(?:{word})?\\s*0*([0-9]{{1,3}})(?:\\.0+)?$', 1) AS SMALLINT)"
_DATE = """CASE
    WHEN {c} IS NULL THEN NULL
    WHEN regexp_full_match({c}, '[0-9]{{5}}(\\.0+)?')
        THEN DATE '1899-12-30' + CAST(regexp_extract({c}, '^[0-9]+') AS INTEGER)
    ELSE CAST(try_strptime({c}, ['%d-%m-%Y', '%d/%m/%Y', '%Y-%m-%d', '%d|%m|%Y', '%d.%m.%Y',
                                  '%Y-%m-%d %H:%M:%S', '%Y/%m/%d']) AS DATE)
END"""
_SEX = """CASE
    WHEN upper({c}) IN ('L', 'LK', 'LAKI-LAKI', 'LAKI LAKI', 'LAKI', 'PRIA', 'M') THEN 'L'
    WHEN upper({c}) IN ('P', 'PR', 'PEREMPUAN', 'WANITA', 'W', 'F') THEN 'P'
END"""
_MARRIED = """CASE
    WHEN upper({c}) IN ('B', 'BELUM', 'BELUM KAWIN', 'BELUM MENIKAH', 'BK') THEN 'B'
    WHEN upper({c}) IN ('S', 'SUDAH', 'KAWIN', 'SUDAH KAWIN', 'MENIKAH', 'SUDAH MENIKAH', 'K') THEN 'S'
    WHEN upper({c}) IN ('P', 'PERNAH', 'PERNAH KAWIN', 'PERNAH MENIKAH', 'CERAI', 'CERAI HIDUP', 'CERAI MATI',
                        'JANDA', 'DUDA') THEN 'P'
END"""
_TPS = """CASE
    WHEN {c} IS NULL THEN NULL
    WHEN regexp_full_match({c}, '[0-9]{{13}}') THEN nullif(CAST(right({c}, 3) AS SMALLINT), 0)
    ELSE nullif(TRY_CAST(regexp_extract(upper({c}), '^(?:TPS)?\\s*0*([0-9]{{1,3}})(?:\\.0+)?$', 1) AS SMALLINT), 0)
END"""
_IDENTIFIER = "regexp_replace({c}, '^''|\\s', '', 'g')"  # Excel's text-forcing apostrophe and stray spaces


def _field_error(column: str, parsed: str) -> str:
    return f"CASE WHEN {column} IS NOT NULL AND {parsed} IS NULL THEN {message(FIELD[column], v=column)} END"


def _cleaned(column: str) -> str:
    blank = _BLANK.format(c=column)
    return _SPACED.format(c=blank) if column in FREE_TEXT else blank


def _normalise(con: duckdb.DuckDBPyConnection, unit: Unit) -> dict[str, int]:
    blanks = ", ".join(f"{_cleaned(c)} AS {c}" for c in CANONICAL)
    tps = _BLANK.format(c="tps")
    tps_kode = f"CASE WHEN regexp_full_match({tps}, '[0-9]{{13}}') THEN left({tps}, 10) END AS tps_kode"
    # A view: the distinct kelurahan combinations and the checked rows read it once each, and nothing is copied.
    con.execute(f"CREATE VIEW cleaned AS SELECT __row, __sheet, __line, {blanks}, {tps_kode} FROM raw")
    _resolve_kelurahan(con, unit)
    parsed = {
        "tanggal_lahir": _DATE.format(c="tanggal_lahir"),
        "usia": "CASE WHEN TRY_CAST(regexp_extract(usia, '^([0-9]{1,3})(?:\\.0+)?$', 1) AS SMALLINT) <= 150 "
        "THEN CAST(regexp_extract(usia, '^([0-9]{1,3})', 1) AS SMALLINT) END",
        "jenis_kelamin": _SEX.format(c="jenis_kelamin"),
        "status_kawin": _MARRIED.format(c="status_kawin"),
        "rt": _NUMBER_SMALL.format(c="rt", word="RT"),
        "rw": _NUMBER_SMALL.format(c="rw", word="RW"),
        "tps": _TPS.format(c="tps"),
    }
    errors = ", ".join([*(_field_error(c, expr) for c, expr in parsed.items()), "k.error"])
    parsed_columns = ", ".join(f"{expr} AS {c}" for c, expr in parsed.items())
    all_empty = " AND ".join(f"c.{col} IS NULL" for col in CANONICAL)
    con.execute(
        f"""
        CREATE TABLE checked AS
        SELECT c.__row, c.__sheet, c.__line, c.id, {_IDENTIFIER.format(c="c.nkk")} AS nkk,
               {_IDENTIFIER.format(c="c.nik")} AS nik, c.nama, c.tempat_lahir, {parsed_columns},
               c.alamat, c.disabilitas, c.keterangan, k.kode_kelurahan, k.kode_kecamatan, k.kelurahan_nama AS kelurahan,
               k.kecamatan_nama AS kecamatan,
               CASE WHEN {all_empty} THEN [{message(EMPTY_ROW)}]
                    ELSE list_filter([{errors}], lambda e: e IS NOT NULL) END AS errors
        FROM cleaned c LEFT JOIN kel_map k ON c.kode_kelurahan IS NOT DISTINCT FROM k.kode_in
            AND c.kelurahan IS NOT DISTINCT FROM k.kelurahan_in AND c.kecamatan IS NOT DISTINCT FROM k.kecamatan_in
            AND c.tps_kode IS NOT DISTINCT FROM k.tps_kode_in
        """
    )
    return _counts(con)


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    loaded, field_rejects = one(
        con, "SELECT count(*) FILTER (len(errors) = 0), count(*) FILTER (len(errors) > 0) FROM checked"
    )
    parse_rejects = scalar(con, "SELECT count(*) FROM parse_rejects")
    rejected = field_rejects + parse_rejects
    return {"rows_in": loaded + rejected, "loaded": loaded, "rejected": rejected}


# --- kelurahan -----------------------------------------------------------------------------------------------


def _resolve_kelurahan(con: duckdb.DuckDBPyConnection, unit: Unit) -> None:
    """Map each distinct (kode, names, TPS code) combination to a kelurahan once, in Python, and join back.

    There are a few hundred combinations in a city's list, so this stays set-based while using the same
    name rules as the wilayah registry.
    """
    combos = con.execute("SELECT DISTINCT kode_kelurahan, kelurahan, kecamatan, tps_kode FROM cleaned").fetchall()
    rows = [_resolve_one(unit, kode, kel, kec, tps_kode) for kode, kel, kec, tps_kode in combos]
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in range(9)]
    names = ("kode_in", "kelurahan_in", "kecamatan_in", "tps_kode_in", "kode_kelurahan", "kode_kecamatan")
    names += ("kelurahan_nama", "kecamatan_nama", "error")
    kel_map = pa.table({n: pa.array(list(col), pa.string()) for n, col in zip(names, columns, strict=True)})
    con.register("kel_map_arrow", kel_map)
    con.execute("CREATE TABLE kel_map AS SELECT * FROM kel_map_arrow")
    con.unregister("kel_map_arrow")


def _resolve_one(unit: Unit, kode: str | None, kel: str | None, kec: str | None, tps_kode: str | None) -> tuple:
    found, error = _find_kelurahan(unit, kode or tps_kode, kel, kec)
    if found is None:
        return (kode, kel, kec, tps_kode, None, None, None, None, error)
    parent = registry().parent(found.code)
    return (kode, kel, kec, tps_kode, found.kpu_code, parent.kpu_code, found.name, parent.name, None)


def _find_kelurahan(unit: Unit, kode: str | None, kel: str | None, kec: str | None) -> tuple[Unit | None, str | None]:
    if kode:
        return _kelurahan_by_code(unit, kode)
    if kel:
        return _kelurahan_by_name(unit, kel, kec)
    return (unit, None) if unit.level == 4 else (None, None)


def _kelurahan_by_code(unit: Unit, kode: str) -> tuple[Unit | None, str | None]:
    digits = kode.replace(".", "").replace(" ", "")
    found = registry().get(digits) if digits.isdigit() and len(digits) == 10 else None
    if found is None:
        return None, f"kode_kelurahan: {t(KODE_UNKNOWN, kode=kode)}"
    if not found.kpu_code.startswith(unit.kpu_code):
        return None, f"kode_kelurahan: {t(KODE_OUTSIDE, kode=kode, wilayah=unit.kpu_code)}"
    return found, None


def _kelurahan_by_name(unit: Unit, kel: str, kec: str | None) -> tuple[Unit | None, str | None]:
    wanted = normalise_name(kel)
    kecamatan = [u for u in _units_at(unit, 3) if kec is None or normalise_name(u.name) == normalise_name(kec)]
    matches = [k for parent in kecamatan for k in registry().children(parent.code) if normalise_name(k.name) == wanted]
    if unit.level == 4 and normalise_name(unit.name) == wanted:
        matches = [unit]
    current = [m for m in matches if m.current] or matches
    if len({m.code for m in current}) == 1:
        return current[0], None
    message = KELURAHAN_AMBIGUOUS if current else KELURAHAN_UNKNOWN
    return None, f"kelurahan: {t(message, kel=kel, kec=kec or '-', wilayah=unit.kpu_code)}"


@cache
def _units_at(unit: Unit, level: int) -> list[Unit]:
    """The units of ``level`` inside ``unit`` (or the one above it, when ``unit`` is deeper)."""
    if unit.level >= level:
        return [unit] if unit.level == level else [registry().lookup(unit.parent or "")]
    if unit is ROOT:
        return [u for u in registry() if u.level == level]
    return [u for u in registry().descendants(unit.code) if u.level == level]


# --- output --------------------------------------------------------------------------------------------------

VOTER_COLUMNS = (
    "__row AS row_no, __sheet AS sheet, __line AS line, id, nkk, nik, nama, tempat_lahir, tanggal_lahir, usia, "
    "jenis_kelamin, status_kawin, alamat, rt, rw, disabilitas, keterangan, kode_kelurahan, kode_kecamatan, "
    "kelurahan, kecamatan, tps"
)


def _write_parquet(con: duckdb.DuckDBPyConnection, work: Path) -> None:
    con.execute(
        f"COPY (SELECT {VOTER_COLUMNS} FROM checked WHERE len(errors) = 0 ORDER BY __row) "
        f"TO {literal(work / VOTERS)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)"
    )
    con.execute(
        f"""COPY (
            SELECT __row AS row_no, __sheet AS sheet, __line AS line, array_to_string(errors, '; ') AS reason,
                   to_json(struct_pack(id, nkk, nik, nama, tanggal_lahir, jenis_kelamin, kode_kelurahan, tps))::VARCHAR
                   AS raw
            FROM checked WHERE len(errors) > 0
            UNION ALL SELECT __row, __sheet, __line, reason, raw FROM parse_rejects
            ORDER BY row_no
        ) TO {literal(work / REJECTS)} (FORMAT parquet, COMPRESSION zstd)"""
    )


def _float_evidence(con: duckdb.DuckDBPyConnection, info: SourceInfo) -> dict[str, object]:
    """How strongly the NIK column looks like an Excel number column (see kawal.engine.nik)."""
    total, floats = one(
        con,
        "SELECT count(nik), count(*) FILTER (regexp_full_match(nik, '[0-9](?:[.,][0-9]+)?[eE]\\+?[0-9]+|[0-9]+[.,]0+')) "
        "FROM checked WHERE len(errors) = 0",
    )
    share = floats / total if total else 0.0
    return {
        "nik_values": total,
        "float_forms": floats,
        "numeric_cells": info.numeric_nik_cells,
        "float_column": bool(info.numeric_nik_cells) or share >= FLOAT_COLUMN_SHARE,
    }


def _meta(
    path: Path, sha: str, stage: str, unit: Unit, info: SourceInfo, counts: dict[str, int], evidence: dict
) -> dict:
    return {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "kawal_version": __version__,
        "stage": stage,
        "wilayah": unit.kpu_code,
        "wilayah_name": unit.name,
        "source": {
            "name": Path(path).name,
            "sha256": sha,
            "bytes": Path(path).stat().st_size,
            "format": info.format,
            "encoding": info.encoding,
            "delimiter": info.delimiter,
            "sheets": info.sheets,
            "skipped_sheets": info.skipped_sheets,
        },
        "columns": info.mapping,
        "unmapped_columns": info.unmapped,
        "counts": counts,
        "reconciled": counts["rows_in"] == counts["loaded"] + counts["rejected"],
        "nik_excel": evidence,
    }
