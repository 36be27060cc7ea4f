"""Import a DP4/DPS/DPT file into an immutable snapshot: map columns, parse fields, reject what is unreadable.

A value that is present but cannot be read (a date that is no date, L/P that is neither) rejects its row with
the row and the field named; an empty value is kept as empty for the audit to report. Rows in always equal
rows loaded plus rows rejected, and the snapshot records both.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import cast

import duckdb
import pyarrow as pa

from kawal import __version__
from kawal.engine import model_a, sealed
from kawal.engine.columns import CANONICAL
from kawal.engine.folder_reader import is_list_folder, scan_folder, source_bytes
from kawal.engine.readers import SourceInfo, guess_encoding, is_text, number_rows, read_into, scan_file
from kawal.engine.snapshots import REJECTS, SCHEMA_VERSION, VOTERS, Snapshot, SnapshotStore, sha256_file
from kawal.engine.sql import connect, literal, message, one, scalar
from kawal.i18n import KawalError, t
from kawal.wilayah import ROOT, Unit, normalise_name, registry

# The list's stage, in the order a Pilkada makes them (DOMAIN.md), then LAIN for anything else. Codes are capitals
# (DPTb is written DPTB) so that any spelling of one names it. DPHP and its place are unconfirmed.
STAGE_NAMES: dict[str, tuple[str, str]] = {
    "DP4": ("DP4, data penduduk dari Kemendagri", "DP4, population data from Kemendagri"),
    "COKLIT": (
        "hasil coklit: Model A-Daftar Pemilih dengan tanda B/U/TMS dari Pantarlih",
        "coklit result: Model A-Daftar Pemilih with the Pantarlih's B/U/TMS marks",
    ),
    "DPHP": ("DPHP, daftar pemilih hasil pemutakhiran", "DPHP, the list as updated after coklit"),
    "DPS": ("DPS, daftar pemilih sementara", "DPS, the provisional list"),
    "DPSHP": ("DPSHP, DPS hasil perbaikan", "DPSHP, the corrected provisional list"),
    "DPT": ("DPT, daftar pemilih tetap", "DPT, the final list"),
    "DPTB": ("DPTb, daftar pemilih tambahan (pindah memilih)", "DPTb, voters moving to another TPS"),
    "DPK": ("DPK, daftar pemilih khusus", "DPK, voters not on the DPT"),
    "LAIN": ("daftar lain", "another list"),
}
STAGES: tuple[str, ...] = tuple(STAGE_NAMES)
# A column whose share of explicit float forms (3.67E+15, 1234.0) reaches this is treated as an Excel number column.
FLOAT_COLUMN_SHARE = 0.01

BAD_STAGE = ("Tahap '{stage}' tidak dikenal; pilih {stages}.", "Unknown stage '{stage}'; choose {stages}.")
NO_FILE = ("File {path} tidak ada.", "File {path} does not exist.")
FIELD = {
    "tanggal_lahir": (
        "tanggal_lahir '{v}' tidak terbaca (pakai DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD atau DD|MM|YYYY; bagian yang "
        "disamarkan boleh ditulis *, X atau #, mis. **-**-1985)",
        "tanggal_lahir '{v}' unreadable (use DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD or DD|MM|YYYY; hidden parts may be "
        "written *, X or #, e.g. **-**-1985)",
    ),
    "usia": ("usia '{v}' bukan angka 0-150", "usia '{v}' is not a number 0-150"),
    "jenis_kelamin": ("jenis_kelamin '{v}' bukan L atau P", "jenis_kelamin '{v}' is neither L nor P"),
    "status_kawin": ("status_kawin '{v}' bukan B, S atau P", "status_kawin '{v}' is not B, S or P"),
    "ktp_el": ("ktp_el '{v}' bukan S (sudah) atau B (belum)", "ktp_el '{v}' is neither S (has one) nor B (not yet)"),
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
    stage, store = _validate(path, stage, store)
    # Loading the region registry (about a second of Python) and scanning the file (hash and encoding) run beside
    # DuckDB reading it: DuckDB and hashlib release the GIL, so the three share the cores instead of taking turns.
    with ThreadPoolExecutor(max_workers=2) as pool:
        unit_future = pool.submit(_unit, wilayah)
        say(t(("Menghitung SHA-256 file", "Hashing the file")))
        scan = pool.submit(_scan, path)
        if _maybe_imported(store, path, stage):
            existing = store.find_source(scan.result()[0], stage, unit_future.result().kpu_code)
            if existing:
                return ImportResult(existing, True, time.perf_counter() - started)
        with store.staging() as work:
            con, unit, meta = _checked(path, stage, work, unit_future, scan, say, lambda: _connect(work))
            say(t(("Menulis snapshot Parquet", "Writing the Parquet snapshot")))
            _write_parquet(con, work, meta["record_ids"])
            meta["voters_sha256"] = sha256_file(work / VOTERS)
            con.close()
            snapshot = store.commit(work, meta, stage, unit.kpu_code)
    return ImportResult(snapshot, False, time.perf_counter() - started)


def hold_voter_list(
    path: Path,
    wilayah: str | None,
    con: duckdb.DuckDBPyConnection,
    number: int,
    work: Path,
    progress: Progress | None = None,
) -> Snapshot:
    """Read ``path`` as :func:`import_voter_list` does, into tables of ``con``'s database instead of a stored
    snapshot: for an audit of a file, which keeps nothing of it. Writing the Parquet file and reading it back was a
    fifth of such an audit's time.

    The returned snapshot's ``held`` names the schema that holds its ``voters`` (a view, in the columns of the
    snapshot's file but in no order: ``row_no`` numbers the rows) and its ``rejects`` table; :func:`release_held`
    drops the rest once the voters are read. Its path is a name only. ``work`` is a folder for DuckDB to spill to,
    which the caller removes.
    """
    say = progress or (lambda _step: None)
    stage = "LAIN"
    _validate(path, stage, None)
    schema = f"input_{number}"

    def connector() -> duckdb.DuckDBPyConnection:  # a fresh schema each time: a second reading starts clean
        con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
        cursor = con.cursor()
        cursor.execute(f"USE {schema}")
        _set_import_options(cursor, work)
        return cursor

    with ThreadPoolExecutor(max_workers=2) as pool:
        unit_future = pool.submit(_unit, wilayah)
        scan = pool.submit(_scan, path)
        cursor, unit, meta = _checked(path, stage, work, unit_future, scan, say, connector)
        _hold(cursor, schema, meta["record_ids"])
        cursor.close()
    name = f"{number:04d}-{stage.lower()}-{unit.kpu_code or 'semua'}"
    meta |= {"number": number, "name": name, "schema_version": SCHEMA_VERSION, "sealed": False}
    return Snapshot(work / name, meta, held=schema)


def _checked(
    path: Path,
    stage: str,
    work: Path,
    unit_future: Future[Unit],
    scan: Future[tuple[str, str]],
    say: Progress,
    connector: Callable[[], duckdb.DuckDBPyConnection],
) -> tuple[duckdb.DuckDBPyConnection, Unit, dict]:
    """A connection holding the view ``checked`` (every row, parsed, with why it is rejected), the wilayah, and
    the snapshot's metadata."""
    say(t(("Membaca file", "Reading the file")))
    con, info = _read_and_parse(path, work, unit_future, scan, connector)
    unit = unit_future.result()
    say(t(("Memeriksa dan menormalkan kolom", "Checking and normalising fields")))
    _resolve(con, unit, info)
    counts, evidence, ids = _tally(con, info)
    meta = _meta(path, scan.result()[0], stage, unit, info, counts, evidence)
    meta["record_ids"] = _record_id_form(con, counts["loaded"], *ids)
    return con, unit, meta


def _scan(path: Path) -> tuple[str, str]:
    """The source's SHA-256 and encoding: a file's, or a folder's files' (see kawal.engine.folder_reader)."""
    return scan_folder(path) if path.is_dir() else scan_file(path)


def _validate(path: Path, stage: str, store: SnapshotStore | None) -> tuple[str, SnapshotStore]:
    stage = stage.strip().upper()  # DPTb, dptb and DPTB are one stage
    if stage not in STAGES:
        raise KawalError(BAD_STAGE, stage=stage, stages=", ".join(STAGES))
    if not (Path(path).is_file() or is_list_folder(Path(path))):
        raise KawalError(NO_FILE, path=path)
    return stage, store or SnapshotStore()


def _unit(wilayah: str | None) -> Unit:
    """The wilayah the list must lie in. The registry loads here, beside DuckDB's reading, even without a wilayah:
    the kelurahan codes are resolved with it next, and loaded there it held up a city's first audit by 0.5 s."""
    units = registry()
    return units.lookup(wilayah) if wilayah else ROOT


def _maybe_imported(store: SnapshotStore, path: Path, stage: str) -> bool:
    """Whether a stored snapshot could come from this file: only then must the hash be known before reading."""
    size = source_bytes(Path(path))
    return any(s.meta["stage"] == stage and s.meta["source"]["bytes"] == size for s in store.list())


def _read_and_parse(
    path: Path,
    work: Path,
    unit: Future[Unit],
    scan: Future[tuple[str, str]],
    connector: Callable[[], duckdb.DuckDBPyConnection],
) -> tuple[duckdb.DuckDBPyConnection, SourceInfo]:
    """A connection holding ``parsed`` (see :func:`_parse`) made from the file.

    A CSV is read in the encoding its first bytes suggest while the scan of the whole file is still running; in
    the rare case the scan then finds another (a Windows-1252 file), it is read again in that one.
    """
    guess = guess_encoding(path) if is_text(path) else None
    con = connector()
    try:
        info = _read(con, path, work, unit, guess)
        _parse(con)
    except (KawalError, duckdb.Error):
        if guess is None or scan.result()[1] == guess:
            raise
    else:
        if guess is None or scan.result()[1] == guess:
            return con, info
    con.close()
    con = connector()
    info = _read(con, path, work, unit, scan.result()[1])
    _parse(con)
    return con, info


def _read(
    con: duckdb.DuckDBPyConnection, path: Path, work: Path, unit: Future[Unit], encoding: str | None
) -> SourceInfo:
    """The file into ``raw``; an unknown wilayah is reported before any problem with the file, as it was checked first."""
    try:
        return read_into(con, path, work, encoding)
    except KawalError:
        unit.result()
        raise


def _connect(work: Path) -> duckdb.DuckDBPyConnection:
    con = connect()
    _set_import_options(con, work)
    return con


def _set_import_options(con: duckdb.DuckDBPyConnection, work: Path) -> None:
    """Spill to ``work``; keep the rows in the file's order (row numbers come from it)."""
    con.execute(f"SET temp_directory = {literal(work / 'duckdb-tmp')}")
    con.execute("SET preserve_insertion_order = true")


# --- field parsing -------------------------------------------------------------------------------------------
# The templates below take the column as {c} (see _fill). Each parser first takes the forms nearly every cell has
# (001, L, 04-03-1965) with cheap byte tests, and leaves the rest to the general rule, which gives the same answer
# for those forms: parsing every cell the general way was most of the import's time.

# Tabs and line breaks become spaces, the ends are trimmed, and '-' or '.' alone mean empty (as KPU prints them).
_BLANK_ALWAYS = "nullif(nullif(nullif(trim(replace(replace(replace({c}, chr(9), ' '), chr(10), ' '), chr(13), ' ')), ''), '-'), '.')"
# Only cells that could change go through it: every cell of a row holding a tab, a line break or any non-ASCII
# character (trim also removes Unicode spaces such as NBSP; ``__unusual`` is one test per row), a cell ending in a
# space, and a cell sorting before '/', which takes '', '-', '.' and a leading space (and a few other leading
# punctuation marks, which the full rule leaves as they are), but for one starting with '*': a published list's
# masked date (**-**-1985) is in every row, and sending it through the full rule was a fifth of its import.
_BLANK = (
    "CASE WHEN __unusual OR {c} < '*' OR ({c} >= '+' AND {c} < '/') OR suffix({c}, ' ') THEN "
    + _BLANK_ALWAYS
    + " ELSE {c} END"
)
_SPACED = "CASE WHEN contains({c}, '  ') THEN regexp_replace({c}, ' {2,}', ' ', 'g') ELSE {c} END"
FREE_TEXT = ("nama", "tempat_lahir", "alamat", "keterangan", "kelurahan", "kecamatan", "disabilitas")
_DIGITS_1_3 = "(strlen({c}) BETWEEN 1 AND 3 AND NOT {c} GLOB '*[!0-9]*')"  # one to three ASCII digits
_NUMBER_SMALL = r"""CASE
    WHEN {digits} THEN CAST({c} AS SMALLINT)
    ELSE TRY_CAST(regexp_extract(upper({c}), '^(?:{word})?\s*0*([0-9]{1,3})(?:\.0+)?$', 1) AS SMALLINT)
END"""
_USIA = r"""CASE
    WHEN {digits} THEN CASE WHEN CAST({c} AS SMALLINT) <= 150 THEN CAST({c} AS SMALLINT) END
    WHEN TRY_CAST(regexp_extract({c}, '^([0-9]{1,3})(?:\.0+)?$', 1) AS SMALLINT) <= 150
        THEN CAST(regexp_extract({c}, '^([0-9]{1,3})', 1) AS SMALLINT)
END"""
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d|%m|%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d")
_ALL_FORMATS = "[" + ", ".join(f"'{f}'" for f in DATE_FORMATS) + "]"
# try_strptime with a list is slow for every format it tries and fails; a date written exactly in one format's
# shape (two-digit day and month, four-digit year) is parsed by that format alone. No format before it in the list
# can read that shape (its separators or digit counts differ), so where it parses the list gives the same date,
# and where it fails the list still decides.
_DATE_SHAPES = {
    f: f.replace("%d", "[0-9][0-9]").replace("%m", "[0-9][0-9]").replace("%Y", "[0-9][0-9][0-9][0-9]")
    for f in DATE_FORMATS
    if "%H" not in f
}
_DATE = (
    "CASE WHEN {c} IS NULL THEN NULL\n"
    # A masked date (**-**-1991, as KPU publishes lists) is never a whole one: trying every format on it took most
    # of the import of a published list.
    "    WHEN contains({c}, '*') THEN NULL\n"
    + "".join(
        f"    WHEN {{c}} GLOB '{shape}'\n"
        f"        THEN CAST(coalesce(try_strptime({{c}}, '{f}'), try_strptime({{c}}, {_ALL_FORMATS})) AS DATE)\n"
        for f, shape in _DATE_SHAPES.items()
    )
    + r"""    WHEN regexp_full_match({c}, '[0-9]{5}(\.0+)?')
        THEN DATE '1899-12-30' + CAST(regexp_extract({c}, '^[0-9]+') AS INTEGER)
    ELSE CAST(try_strptime({c}, """
    + _ALL_FORMATS
    + ") AS DATE)\nEND"
)
_SEX = """CASE
    WHEN {c} IN ('L', 'P') THEN {c}
    WHEN upper({c}) IN ('L', 'LK', 'LAKI-LAKI', 'LAKI LAKI', 'LAKI', 'PRIA', 'M') THEN 'L'
    WHEN upper({c}) IN ('P', 'PR', 'PEREMPUAN', 'WANITA', 'W', 'F') THEN 'P'
END"""
_MARRIED = """CASE
    WHEN {c} IN ('B', 'S', 'P') THEN {c}
    WHEN upper({c}) IN ('B', 'BELUM', 'BELUM KAWIN', 'BELUM MENIKAH', 'BK') THEN 'B'
    WHEN upper({c}) IN ('S', 'SUDAH', 'KAWIN', 'SUDAH KAWIN', 'MENIKAH', 'SUDAH MENIKAH', 'K') THEN 'S'
    WHEN upper({c}) IN ('P', 'PERNAH', 'PERNAH KAWIN', 'PERNAH MENIKAH', 'CERAI', 'CERAI HIDUP', 'CERAI MATI',
                        'JANDA', 'DUDA') THEN 'P'
END"""
_TPS = r"""CASE
    WHEN {c} IS NULL THEN NULL
    WHEN {digits} THEN nullif(CAST({c} AS SMALLINT), 0)
    WHEN regexp_full_match({c}, '[0-9]{13}') THEN nullif(CAST(right({c}, 3) AS SMALLINT), 0)
    ELSE nullif(TRY_CAST(regexp_extract(upper({c}), '^(?:TPS)?\s*0*([0-9]{1,3})(?:\.0+)?$', 1) AS SMALLINT), 0)
END"""
# Excel's text-forcing apostrophe and stray spaces, removed only where there are any (RE2's \s is tab, line feed,
# form feed, carriage return and space).
_IDENTIFIER = (
    "CASE WHEN starts_with({c}, '''') OR contains({c}, ' ') OR contains({c}, chr(9)) OR contains({c}, chr(10)) "
    "OR contains({c}, chr(12)) OR contains({c}, chr(13)) THEN regexp_replace({c}, '^''|\\s', '', 'g') ELSE {c} END"
)
PARSED = {
    "tanggal_lahir": _DATE,
    "usia": _USIA,
    "jenis_kelamin": _SEX,
    "status_kawin": _MARRIED,
    "rt": _NUMBER_SMALL.replace("{word}", "RT"),
    "rw": _NUMBER_SMALL.replace("{word}", "RW"),
    "tps": _TPS,
    "ktp_el": model_a.KTP_EL,
}


def _fill(template: str, column: str) -> str:
    """A template with ``{c}`` as the column (``str.format`` would take the regexes' braces too)."""
    return template.replace("{digits}", _DIGITS_1_3).replace("{c}", column)


def _field_error(column: str) -> str:
    """The reason a present value did not parse; ``_text_<column>`` holds the value as written. A birth date
    with hidden parts is read into ``_lahir_v`` (see :mod:`kawal.engine.model_a`) and is no error."""
    text = f"_text_{column}"
    failed = f"{text} IS NOT NULL AND {column} IS NULL" + (" AND _lahir_v IS NULL" if column == "tanggal_lahir" else "")
    return f"CASE WHEN {failed} THEN {message(FIELD[column], v=text)} END"


def _parse(con: duckdb.DuckDBPyConnection) -> None:
    """The table ``parsed``: every row of ``raw`` with its fields cleaned and parsed, in ``raw``'s order.

    This is the one copy of the list the import makes (for a CSV, the file is read here). Its field errors are
    joined into one text (concat_ws skips NULLs, so no list is built per row); the kelurahan comes later, in
    :func:`_resolve`, from the few distinct combinations this table holds.
    """
    blanks = ", ".join(f"{_fill(_BLANK, c)} AS {c}" for c in CANONICAL)
    spaced = ", ".join(f"{_fill(_SPACED, c)} AS {c}" if c in FREE_TEXT else c for c in CANONICAL)
    everything = f"concat({', '.join(CANONICAL)})"
    unusual = " OR ".join(
        [*(f"contains(__all, chr({code}))" for code in (9, 10, 13)), "strlen(__all) <> length(__all)"]
    )
    tps_kode = "CASE WHEN regexp_full_match(tps, '[0-9]{13}') THEN left(tps, 10) END AS tps_kode"
    con.execute(
        f"""CREATE VIEW cleaned AS SELECT __row, __sheet, __line, {spaced}, {tps_kode}
            FROM (SELECT __row, __sheet, __line, {blanks}
                  FROM (SELECT *, {unusual} AS __unusual FROM (SELECT *, {everything} AS __all FROM raw)))"""
    )
    parsed = ", ".join(f"{_fill(expr, f'c.{c}')} AS {c}, c.{c} AS _text_{c}" for c, expr in PARSED.items())
    texts = ", ".join(f"_text_{c}" for c in PARSED)
    all_empty = " AND ".join(f"c.{col} IS NULL" for col in CANONICAL)
    identifier = {c: _fill(_IDENTIFIER, f"c.{c}") for c in ("nkk", "nik")}
    errors = ", ".join(_field_error(c) for c in PARSED)
    fields = f"""
        SELECT c.__row, c.__sheet, c.__line, c.id, {identifier["nkk"]} AS nkk, {identifier["nik"]} AS nik,
               c.nama, c.tempat_lahir, {parsed}, c.alamat, c.disabilitas, c.keterangan,
               c.kode_kelurahan AS kode_in, c.kelurahan AS kelurahan_in, c.kecamatan AS kecamatan_in,
               c.tps_kode AS tps_kode_in, {all_empty} AS empty_row
        FROM cleaned c"""
    con.execute(
        f"""
        CREATE TABLE parsed AS
        SELECT * EXCLUDE ({texts}), nullif(concat_ws('; ', {errors}), '') AS field_reason
        FROM ({model_a.hidden_birth_date(fields, "_text_tanggal_lahir")})
        """
    )


def _resolve(con: duckdb.DuckDBPyConnection, unit: Unit, info: SourceInfo) -> None:
    """The view ``checked``: ``parsed`` numbered, with its kelurahan resolved and ``reason`` (NULL when the row
    loads, else why it is rejected)."""
    rows = number_rows(con, "parsed", info)
    _resolve_kelurahan(con, unit)
    keys = ("kode_in", "kelurahan_in", "kecamatan_in", "tps_kode_in")
    con.execute(
        f"""
        CREATE VIEW checked AS
        SELECT p.* EXCLUDE ({", ".join(keys)}, empty_row, field_reason), k.kode_kelurahan, k.kode_kecamatan,
               k.kelurahan_nama AS kelurahan, k.kecamatan_nama AS kecamatan,
               CASE WHEN p.empty_row THEN {message(EMPTY_ROW)}
                    ELSE nullif(concat_ws('; ', p.field_reason, k.error), '') END AS reason
        FROM {rows} p LEFT JOIN kel_map k ON {" AND ".join(f"p.{c} IS NOT DISTINCT FROM k.{c}" for c in keys)}
        """
    )


def _tally(
    con: duckdb.DuckDBPyConnection, info: SourceInfo
) -> tuple[dict[str, int], dict[str, object], tuple[int, int, int]]:
    """The counts, how strongly the NIK column looks like an Excel number column (see kawal.engine.nik), and how
    many accepted rows have an ``id``, how many distinct ids they have and the longest (see
    :func:`_record_id_form`)."""
    loaded, field_rejects, nik_values, float_forms, ids, distinct_ids, longest = one(
        con,
        "SELECT count(*) FILTER (reason IS NULL), count(*) FILTER (reason IS NOT NULL), "
        "count(nik) FILTER (reason IS NULL), count(*) FILTER (reason IS NULL AND "
        "regexp_full_match(nik, '[0-9](?:[.,][0-9]+)?[eE]\\+?[0-9]+|[0-9]+[.,]0+')), "
        "count(id) FILTER (reason IS NULL), count(DISTINCT id) FILTER (reason IS NULL), "
        "coalesce(max(length(id)) FILTER (reason IS NULL), 0) FROM checked",
    )
    rejected = field_rejects + scalar(con, "SELECT count(*) FROM parse_rejects")
    share = float_forms / nik_values if nik_values else 0.0
    evidence = {
        "nik_values": nik_values,
        "float_forms": float_forms,
        "numeric_cells": info.numeric_nik_cells,
        "float_column": bool(info.numeric_nik_cells) or share >= FLOAT_COLUMN_SHARE,
    }
    counts = {"rows_in": loaded + rejected, "loaded": loaded, "rejected": rejected}
    return counts, evidence, (ids, distinct_ids, longest)


# The record id names a row in findings, in the web app and to the PPS, so it must name one row of the file. KPU
# numbers Model A's rows per TPS (NO starts again at 1 in each): in a file of a kelurahan or a city one NO names
# several rows, and a finding about "12" could be any of them (the web app would pin it on one voter, perhaps the
# wrong one). So the id is the NO where it names one row of the file; else TPS and NO (001-12), as a PDF's are
# already; else the kelurahan too (3671011001/001-12); else the data row number. One form for the whole file, the
# first that names every accepted row once (with the row number for a row without NO), so a person can follow it.
# A NO longer than MAX_NO_LENGTH is no row number (another column taken for NO): the row number is the id, which
# also keeps every id within what the web app stores (Voter.record_id, 64 characters).
MAX_NO_LENGTH = 40
_TPS_NO = "concat_ws('-', lpad(CAST(tps AS VARCHAR), 3, '0'), id)"
RECORD_IDS = {
    "no": "id",
    "tps-no": f"CASE WHEN id IS NOT NULL THEN {_TPS_NO} END",
    "kelurahan/tps-no": f"CASE WHEN id IS NOT NULL THEN concat_ws('/', kode_kelurahan, {_TPS_NO}) END",
    "row": "NULL::VARCHAR",
}

# What the import and the audit report say when the NO does not name the rows (see RECORD_IDS).
RECORD_ID_NOTES = {
    "tps-no": (
        "Nomor urut (NO) {s} berulang di tiap TPS, jadi baris disebut dengan TPS dan NO-nya, misalnya 001-12.",
        "{s} numbers its rows (NO) again in each TPS, so rows are named by TPS and NO, e.g. 001-12.",
    ),
    "kelurahan/tps-no": (
        "Nomor urut (NO) {s} berulang di tiap TPS, jadi baris disebut dengan kode kelurahan, TPS dan NO-nya, "
        "misalnya 3671011001/001-12.",
        "{s} numbers its rows (NO) again in each TPS, so rows are named by kelurahan code, TPS and NO, e.g. "
        "3671011001/001-12.",
    ),
    "row": (
        "Nomor urut (NO) {s} tidak bisa menunjuk satu baris (berulang, atau lebih dari 40 karakter), jadi baris "
        "disebut dengan nomor barisnya di file.",
        "The row numbers (NO) of {s} cannot name one row each (they repeat, or run past 40 characters), so rows "
        "are named by their row in the file.",
    ),
}


def _record_id_form(con: duckdb.DuckDBPyConnection, loaded: int, ids: int, distinct_ids: int, longest: int) -> str:
    """The first form of :data:`RECORD_IDS` under which the accepted rows' record ids (the form's id, else the row
    number) are all different; ``row`` where a NO is longer than :data:`MAX_NO_LENGTH`. Every row with its own NO,
    or none with one, needs no further look."""
    if longest > MAX_NO_LENGTH:
        return "row"
    if distinct_ids == ids and ids in (0, loaded):
        return "no"
    for form in ("no", "tps-no", "kelurahan/tps-no"):
        record = f"coalesce({RECORD_IDS[form]}, CAST(__row AS VARCHAR))"
        if scalar(con, f"SELECT count(DISTINCT {record}) = count(*) FROM checked WHERE reason IS NULL"):
            return form
    return "row"


# --- kelurahan -----------------------------------------------------------------------------------------------


def _resolve_kelurahan(con: duckdb.DuckDBPyConnection, unit: Unit) -> None:
    """Map each distinct (kode, names, TPS code) combination to a kelurahan once, in Python, and join back.

    There are a few hundred combinations in a city's list, so this stays set-based while using the same
    name rules as the wilayah registry.
    """
    combos = con.execute("SELECT DISTINCT kode_in, kelurahan_in, kecamatan_in, tps_kode_in FROM parsed").fetchall()
    rows = [_resolve_one(unit, kode, kel, kec, tps_kode) for kode, kel, kec, tps_kode in combos]
    columns: list[Sequence[object]] = list(zip(*rows, strict=True)) if rows else [[] for _ in range(9)]
    names: tuple[str, ...] = (
        "kode_in",
        "kelurahan_in",
        "kecamatan_in",
        "tps_kode_in",
        "kode_kelurahan",
        "kode_kecamatan",
    )
    names += ("kelurahan_nama", "kecamatan_nama", "error")
    kel_map = pa.table({n: pa.array(list(col), pa.string()) for n, col in zip(names, columns, strict=True)})
    con.register("kel_map_arrow", kel_map)
    con.execute("CREATE TABLE kel_map AS SELECT * FROM kel_map_arrow")
    con.unregister("kel_map_arrow")


def _resolve_one(unit: Unit, kode: str | None, kel: str | None, kec: str | None, tps_kode: str | None) -> tuple:
    found, error = _find_kelurahan(unit, kode or tps_kode, kel, kec)
    if found is None:
        return (kode, kel, kec, tps_kode, None, None, None, None, error)
    parent = cast(Unit, registry().parent(found.code))  # a kelurahan always lies in a kecamatan
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

# The snapshot's columns, in order; those of kawal.engine.model_a last, as older snapshots end before them.
SNAPSHOT_COLUMNS: tuple[str, ...] = (
    "row_no",
    "sheet",
    "line",
    "id",
    "nkk",
    "nik",
    "nama",
    "tempat_lahir",
    "tanggal_lahir",
    "usia",
    "jenis_kelamin",
    "status_kawin",
    "alamat",
    "rt",
    "rw",
    "disabilitas",
    "keterangan",
    "kode_kelurahan",
    "kode_kecamatan",
    "kelurahan",
    "kecamatan",
    "tps",
    *model_a.COLUMNS,
)


def _snapshot_source(record_ids: str) -> str:
    """What the snapshot is made from: the checked columns it keeps, the record id in its form (see
    :data:`RECORD_IDS`) as ``id``, and what kawal.engine.model_a makes its own from."""
    kept = (c for c in SNAPSHOT_COLUMNS[3:] if c not in model_a.COLUMNS or c == "ktp_el")
    return "__row AS row_no, __sheet AS sheet, __line AS line, " + ", ".join(
        f"{RECORD_IDS[record_ids]} AS id" if c == "id" else c for c in kept
    )


def _voters_query(record_ids: str, ordered: bool = True) -> str:
    """The snapshot's rows: the accepted rows, in the file's order if ``ordered``, with the Model A columns.

    The Model A columns are made after the sort (model_a.snapshot_query), so the sort does not carry them."""
    order = " ORDER BY __row" if ordered else ""
    rows = f"SELECT {_snapshot_source(record_ids)}, _lahir_v FROM checked WHERE reason IS NULL{order}"
    return model_a.snapshot_query(rows, SNAPSHOT_COLUMNS)


_REJECTS_QUERY = """
    SELECT __row AS row_no, __sheet AS sheet, __line AS line, reason,
           to_json(struct_pack(id, nkk, nik, nama, tanggal_lahir, jenis_kelamin, kode_kelurahan, tps))::VARCHAR AS raw
    FROM checked WHERE reason IS NOT NULL
    UNION ALL SELECT __row, __sheet, __line, reason, raw FROM parse_rejects
    ORDER BY row_no"""


def _write_parquet(con: duckdb.DuckDBPyConnection, work: Path, record_ids: str) -> None:
    con.execute(
        f"COPY ({_voters_query(record_ids)}) "
        f"TO {literal(sealed.target(work / VOTERS))} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)"
    )
    con.execute(
        f"COPY ({_REJECTS_QUERY}) TO {literal(sealed.target(work / REJECTS))} (FORMAT parquet, COMPRESSION zstd)"
    )


def _hold(con: duckdb.DuckDBPyConnection, schema: str, record_ids: str) -> None:
    """``rejects`` as a table of ``schema``, and ``voters`` as a view over the import's tables there, its rows in
    no particular order: ``row_no`` numbers them. An audit reads the view once, into its own table; sorting the rows
    into a table of their own first took 0.8 s of a city's audit. :func:`release_held` lets the rest go after."""
    con.execute(f"CREATE TABLE {schema}.rejects AS {_REJECTS_QUERY}")
    con.execute(f"CREATE VIEW {schema}.voters AS {_voters_query(record_ids, ordered=False)}")


def release_held(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    """Drop all that :func:`hold_voter_list` left in ``schema`` but the ``rejects`` table: once its voters are read."""
    for name, kind in con.execute(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = ? AND table_name <> 'rejects'",
        [schema],
    ).fetchall():
        con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} IF EXISTS {schema}.{name} CASCADE")


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
            "bytes": source_bytes(Path(path)),
            "format": info.format,
            "encoding": info.encoding,
            "delimiter": info.delimiter,
            "sheets": info.sheets,
            "parts": len(info.parts),  # the files of a folder read as one list (kawal.engine.folder_reader)
            "skipped_sheets": info.skipped_sheets,
        },
        "columns": info.mapping,
        "unmapped_columns": info.unmapped,
        "counts": counts,
        "reconciled": counts["rows_in"] == counts["loaded"] + counts["rejected"],
        "nik_excel": evidence,
    }
