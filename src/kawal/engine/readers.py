"""Readers: turn a CSV, XLSX, Parquet or PDF voter list into one all-text DuckDB relation ``raw``.

Every reader leaves the same shape behind, so the importer maps and checks fields once, in SQL:
``raw(__row, __sheet, __line, <canonical columns>)`` where ``__row`` is the 1-based data row over the whole
file, ``__line`` the line (CSV) or sheet row (XLSX) a person would look at, and ``parse_rejects(__row, __sheet,
__line, reason, raw)`` for rows that could not even be split into fields. A CSV's ``raw`` reads the file itself
and leaves ``__row`` and ``__line`` empty: the importer copies ``raw`` once, in order, and :func:`number_rows`
then numbers that copy and makes ``parse_rejects``.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from kawal.engine.columns import CANONICAL, NUMBER_COLUMNS, header_score, map_headers
from kawal.engine.sql import literal, scalar
from kawal.i18n import KawalError, t

HEADER_SEARCH_ROWS = 30
MIN_HEADER_SCORE = 2
DELIMITERS = (",", ";", "\t", "|")

NO_HEADER = (
    "Tidak menemukan baris judul kolom di {name}: perlu sedikitnya dua kolom yang dikenal (mis. NIK, NAMA).",
    "No header row found in {name}: at least two known columns are needed (e.g. NIK, NAMA).",
)
NO_NAME_COLUMN = (
    "{name} tidak punya kolom NAMA; kolom yang dikenali: {columns}.",
    "{name} has no NAMA column; recognised columns: {columns}.",
)
UNKNOWN_FORMAT = (
    "Format {suffix} tidak dikenal: kawal membaca CSV, XLSX, Parquet, PDF dan ZIP berisi file CSV.",
    "Unknown format {suffix}: kawal reads CSV, XLSX, Parquet, PDF and ZIP files of CSV files.",
)
UNREADABLE_PARQUET = (
    "{name} tidak dapat dibaca sebagai Parquet (rusak, terpotong, atau bukan Parquet).",
    "{name} cannot be read as Parquet (damaged, cut short, or not Parquet).",
)
CSV_REASONS = {
    "MISSING COLUMNS": ("jumlah kolom kurang dari judul", "fewer fields than the header"),
    "TOO MANY COLUMNS": ("jumlah kolom lebih dari judul", "more fields than the header"),
    "UNQUOTED VALUE": ("tanda kutip tidak berpasangan", "unbalanced quotes"),
    "INVALID ENCODING": ("karakter tidak terbaca (encoding)", "unreadable characters (encoding)"),
}


@dataclass
class SourceInfo:
    """What the reader learned about the file: format, encoding, headers and how they were mapped."""

    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheets: list[str] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)  # source header -> canonical column
    unmapped: list[str] = field(default_factory=list)
    numeric_nik_cells: int = 0  # XLSX cells holding NIK/NKK as numbers
    header_line: int | None = None  # CSV: the header's line; the data rows are numbered after reading
    # A folder of CSV files read as one (kawal.engine.folder_reader): each file's path in the folder, the number
    # of its first row in the combined file, and the lines before its rows in the file itself.
    parts: list[tuple[str, int, int]] = field(default_factory=list)


def read_into(con: duckdb.DuckDBPyConnection, path: Path, workdir: Path, encoding: str | None = None) -> SourceInfo:
    """Load ``path`` into the connection's ``raw`` and ``parse_rejects`` relations (see :func:`number_rows`).

    ``encoding`` is a text file's, when the caller knows it (else it is detected).
    """
    suffix = path.suffix.lower()
    if path.is_dir():
        from kawal.engine.folder_reader import read_folder

        return read_folder(con, path, workdir)
    if suffix == ".zip":
        from kawal.engine.folder_reader import read_zip

        return read_zip(con, path, workdir)
    if is_text(path):
        return _read_csv(con, path, workdir, encoding or detect_encoding(path))
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _read_excel(con, path)
    if suffix == ".parquet":
        return _read_parquet(con, path)
    if suffix == ".pdf":
        from kawal.engine.pdf_reader import read_pdf  # pdfplumber is loaded only for a PDF

        return read_pdf(con, path, workdir)
    raise KawalError(UNKNOWN_FORMAT, suffix=suffix or path.name)


# --- CSV -----------------------------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, UTF-16 by BOM, else Windows-1252."""
    return scan_file(path, digest=False)[1]


def guess_encoding(path: Path) -> str:
    """The encoding the file's first bytes suggest: a BOM's, else UTF-8 (only the whole file can tell for sure)."""
    with path.open("rb") as f:
        return _encoding(f.read(4), utf8=True)


def scan_file(path: Path, digest: bool = True) -> tuple[str, str]:
    """The file's SHA-256 (empty without ``digest``) and its encoding as :func:`detect_encoding` tells it, from
    one pass over its bytes."""
    sha = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    with path.open("rb") as f:
        head = f.read(4)
        f.seek(0)
        for chunk in iter(lambda: f.read(1 << 22), b""):
            if digest:
                sha.update(chunk)
            # Pure ASCII, with no multi-byte character cut at the last chunk's end, needs no decoding.
            if utf8 and not (chunk.isascii() and not decoder.getstate()[0]):
                utf8 = _decodes(decoder, chunk)
        utf8 = utf8 and _decodes(decoder, b"", final=True)
    return (sha.hexdigest() if digest else ""), _encoding(head, utf8)


def _decodes(decoder: codecs.IncrementalDecoder, chunk: bytes, final: bool = False) -> bool:
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return False
    return True


def _encoding(head: bytes, utf8: bool) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if not utf8:
        return "cp1252"
    return "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"


def _as_utf8(path: Path, encoding: str, workdir: Path) -> Path:
    """DuckDB reads UTF-8; anything else is transcoded once into the import's work folder."""
    if encoding == "utf-8":
        return path
    target = workdir / "source-utf8.csv"
    errors = "replace" if encoding == "cp1252" else "strict"  # cp1252 leaves 5 bytes undefined
    with (
        path.open("r", encoding=encoding, errors=errors, newline="") as src,
        target.open("w", encoding="utf-8") as dst,
    ):
        for chunk in iter(lambda: src.read(1 << 22), ""):
            dst.write(chunk)
    return target


def _head_lines(path: Path, limit: int = HEADER_SEARCH_ROWS) -> list[str]:
    with path.open("r", encoding="utf-8", errors="replace", newline="") as f:
        return [line for _, line in zip(range(limit), f, strict=False)]


def _find_csv_header(lines: list[str]) -> tuple[str, int, list[str]]:
    """The delimiter and line index whose row maps the most canonical columns."""
    best: tuple[int, str, int, list[str]] = (0, ",", 0, [])
    for delimiter in DELIMITERS:
        for index, cells in enumerate(csv.reader(io.StringIO("".join(lines)), delimiter=delimiter)):
            score = header_score(cells)
            if score > best[0]:
                best = (score, delimiter, index, cells)
    if best[0] < MIN_HEADER_SCORE:
        raise KawalError(NO_HEADER, name="CSV")
    return best[1], best[2], best[3]


def is_text(path: Path) -> bool:
    """Whether ``path`` is read as delimited text (CSV)."""
    return path.suffix.lower() in (".csv", ".txt", ".tsv")


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, workdir: Path, encoding: str) -> SourceInfo:
    utf8 = _as_utf8(path, encoding, workdir)
    delimiter, header_index, headers = _find_csv_header(_head_lines(utf8))
    info = _mapping_info("csv", headers)
    info.encoding, info.delimiter, info.header_line = encoding, delimiter, header_index + 1
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(headers))) + "}"
    # Not copied into a table here: the importer reads the file once, straight into its own table, in the file's
    # order; number_rows() then numbers the rows from that order.
    source = (
        f"(SELECT NULL::BIGINT AS __row, NULL::VARCHAR AS __sheet, NULL::BIGINT AS __line, * "
        f"FROM read_csv({literal(utf8)}, header = true, skip = {header_index}, delim = {literal(delimiter)}, "
        f"quote = '\"', escape = '\"', columns = {columns}, auto_detect = false, store_rejects = true, "
        "strict_mode = true, encoding = 'utf-8'))"
    )
    _select_canonical(con, source, {f"c{i}": c for i, c in map_headers(headers).items()})
    return info


def number_rows(con: duckdb.DuckDBPyConnection, table: str, info: SourceInfo) -> str:
    """``table``, made from ``raw`` in its order, as a relation whose ``__row`` and ``__line`` are filled in.

    For a CSV this also makes ``parse_rejects``: only once the file has been read are its rejected lines known.
    """
    if info.header_line is None:
        return table
    _csv_parse_rejects(con, info.header_line)
    numbered = _numbered_csv_rows(con, table, info.header_line)
    if not info.parts:
        return numbered
    values = ", ".join(f"({literal(name)}, {first}, {before})" for name, first, before in info.parts)
    con.execute(f"CREATE TABLE parts AS SELECT * FROM (VALUES {values}) AS p(name, first_row, lines_before)")
    con.execute(
        f"ALTER TABLE parse_rejects RENAME TO combined_rejects; CREATE TABLE parse_rejects AS {_in_parts('combined_rejects')}"
    )
    return f"({_in_parts(numbered)})"


def _in_parts(relation: str) -> str:
    """``relation``'s rows with their file (``__sheet``) and line in it, from their row number in the combined file
    (a line is counted there as in a single file: one a row after the lines before the rows)."""
    return f"""SELECT r.* REPLACE (p.name AS __sheet, r.__row - p.first_row + p.lines_before + 1 AS __line)
               FROM {relation} r ASOF JOIN parts p ON r.__row >= p.first_row"""


def _numbered_csv_rows(con: duckdb.DuckDBPyConnection, table: str, header_line: int) -> str:
    """A query giving accepted rows their data-row number, counting the rows the CSV parser rejected in between.

    ``rowid`` is the insertion order of the parsed rows; each rejected row before a row shifts it by one.
    """
    if not scalar(con, "SELECT count(*) FROM reject_errors"):
        return f"""(SELECT rowid + 1 AS __row, NULL::VARCHAR AS __sheet, rowid + 1 + {header_line} AS __line,
                           * EXCLUDE (__row, __sheet, __line) FROM {table})"""
    con.execute(
        f"""
        CREATE TABLE csv_gaps AS
        SELECT r - row_number() OVER (ORDER BY r) AS g, row_number() OVER (ORDER BY r) AS j
        FROM (SELECT DISTINCT CAST(line AS BIGINT) - {header_line} AS r FROM reject_errors)
        """
    )
    return f"""(SELECT k + coalesce(gaps.j, 0) AS __row, NULL::VARCHAR AS __sheet,
                       k + coalesce(gaps.j, 0) + {header_line} AS __line, rows.* EXCLUDE (k, __row, __sheet, __line)
                FROM (SELECT rowid + 1 AS k, * FROM {table}) rows ASOF LEFT JOIN csv_gaps gaps ON rows.k > gaps.g)"""


def _csv_parse_rejects(con: duckdb.DuckDBPyConnection, header_line: int) -> None:
    reasons = " ".join(
        f"WHEN error_type = '{kind}' THEN '{t(text)}'" for kind, text in CSV_REASONS.items()
    )  # fixed texts, no user data: safe to inline
    con.execute(
        f"""
        CREATE TABLE parse_rejects AS
        SELECT CAST(line AS BIGINT) - {header_line} AS __row, NULL::VARCHAR AS __sheet,
               CAST(line AS BIGINT) AS __line,
               first(CASE {reasons} ELSE error_message END ORDER BY column_idx) AS reason,
               first(csv_line) AS raw
        FROM reject_errors GROUP BY line ORDER BY line
        """
    )


# --- XLSX ----------------------------------------------------------------------------------------------------


def _read_excel(con: duckdb.DuckDBPyConnection, path: Path) -> SourceInfo:
    from python_calamine import CalamineWorkbook

    from kawal.engine import excel_guard

    excel_guard.check(path)  # a sheet's grid is dense: a few bytes of file can ask for gigabytes (issue 16)
    workbook = CalamineWorkbook.from_path(str(path))
    info = SourceInfo(format="xlsx")
    tables: list[pa.Table] = []
    first_row = 1
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        sheet = _excel_sheet(rows, name, first_row, info)
        if sheet is None:
            info.skipped_sheets.append(name)
            continue
        info.sheets.append(name)
        tables.append(sheet)
        first_row += sheet.num_rows
    if not tables:
        raise KawalError(NO_HEADER, name=path.name)
    sheets = pa.concat_tables(tables, promote_options="default")
    con.register("excel_arrow", sheets)
    con.execute("CREATE TABLE raw_excel AS SELECT * FROM excel_arrow")
    con.unregister("excel_arrow")
    _select_canonical(con, "raw_excel", {c: c for c in CANONICAL if c in sheets.column_names})
    con.execute(
        "CREATE TABLE parse_rejects (__row BIGINT, __sheet VARCHAR, __line BIGINT, reason VARCHAR, raw VARCHAR)"
    )
    return info


def _excel_sheet(rows: Sequence[Sequence[object]], sheet: str, first_row: int, info: SourceInfo) -> pa.Table | None:
    """One sheet as an all-text Arrow table of its recognised columns, or None when it has no header."""
    head = rows[:HEADER_SEARCH_ROWS]
    scores = [header_score(r) for r in head]
    if not scores or max(scores) < MIN_HEADER_SCORE:
        return None
    header_index = scores.index(max(scores))
    headers = rows[header_index]
    _merge_mapping(info, _mapping_info("xlsx", headers))
    body = rows[header_index + 1 :]
    columns = list(zip(*body, strict=True)) if body else [() for _ in headers]
    data: dict[str, pa.Array] = {
        "__row": pa.array(range(first_row, first_row + len(body)), pa.int64()),
        "__sheet": pa.array([sheet] * len(body), pa.string()),
        "__line": pa.array(range(header_index + 2, header_index + 2 + len(body)), pa.int64()),
    }
    for position, column in map_headers(headers).items():
        values = columns[position]
        if column in NUMBER_COLUMNS:
            info.numeric_nik_cells += sum(isinstance(v, float) for v in values)
        data[column] = pa.array(_cell_texts(values, keep_float_mark=column in NUMBER_COLUMNS), pa.string())
    return pa.table(data)


def _cell_texts(values: Iterable[object], keep_float_mark: bool) -> list[str | None]:
    """Render cells as the text a person sees; a number in a NIK column keeps its '.0' as Excel evidence."""
    return [_cell_text(v, keep_float_mark) for v in values]


def _cell_text(value: object, keep_float_mark: bool) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e17:
            return f"{int(value)}.0" if keep_float_mark else str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- Parquet -------------------------------------------------------------------------------------------------


def _read_parquet(con: duckdb.DuckDBPyConnection, path: Path) -> SourceInfo:
    # A damaged or foreign file is a clear refusal, like a CSV without a header; the message names no value.
    try:
        headers = [r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()]
    except duckdb.Error:
        raise KawalError(UNREADABLE_PARQUET, name=path.name) from None
    info = _mapping_info("parquet", headers)
    try:
        con.execute(
            "CREATE TABLE parquet_rows AS SELECT file_row_number + 1 AS __row, NULL::VARCHAR AS __sheet, "
            "file_row_number + 1 AS __line, * EXCLUDE (file_row_number) "
            "FROM read_parquet(?, file_row_number = true)",
            [str(path)],
        )
    except duckdb.Error:  # the footer reads, a page further in does not
        raise KawalError(UNREADABLE_PARQUET, name=path.name) from None
    mapped = {str(headers[i]): c for i, c in map_headers(headers).items()}
    _select_canonical(con, "parquet_rows", mapped)
    con.execute(
        "CREATE TABLE parse_rejects (__row BIGINT, __sheet VARCHAR, __line BIGINT, reason VARCHAR, raw VARCHAR)"
    )
    return info


# --- shared --------------------------------------------------------------------------------------------------


def _mapping_info(fmt: str, headers: Sequence[object]) -> SourceInfo:
    mapped = map_headers(headers)
    info = SourceInfo(format=fmt)
    info.mapping = {str(headers[i]): c for i, c in mapped.items()}
    info.unmapped = [str(h) for i, h in enumerate(headers) if i not in mapped and str(h or "").strip()]
    if "nama" not in mapped.values():
        raise KawalError(NO_NAME_COLUMN, name=fmt.upper(), columns=", ".join(mapped.values()) or "-")
    return info


def _merge_mapping(info: SourceInfo, sheet: SourceInfo) -> None:
    info.mapping.update(sheet.mapping)
    info.unmapped.extend(h for h in sheet.unmapped if h not in info.unmapped)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _select_canonical(con: duckdb.DuckDBPyConnection, source: str, source_to_canonical: dict[str, str]) -> None:
    """The view ``raw``: every canonical column, text, NULL where the file lacks it (no copy of the data)."""
    by_canonical = {c: s for s, c in source_to_canonical.items()}
    select = ", ".join(
        f"CAST({_quote(by_canonical[c])} AS VARCHAR) AS {c}" if c in by_canonical else f"NULL::VARCHAR AS {c}"
        for c in CANONICAL
    )
    con.execute(f"CREATE VIEW raw AS SELECT __row, __sheet, __line, {select} FROM {source}")
