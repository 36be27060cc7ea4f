"""A folder of CSV files read as one voter list: KPU hands lists out per TPS, one file each.

Audited as separate inputs, a list of 200,000 rows in its 393 TPS files took 53 s instead of the 7 s of one file
(each input paid the import's fixed cost), and its rows were named per input. Here the files' rows are copied,
after one header, into one CSV in the import's work folder, which the CSV reader reads once. Each row keeps its
file (``__sheet``, the file's path inside the folder) and its line in that file (``__line``, counted as for a
single file); ``__row`` counts the rows over the whole folder, and a row's file is told by its number. Files are
taken in natural order (TPS 2 before TPS 10), each in its own encoding. Every file must have the first file's
columns, in the same order: a folder mixing layouts is refused, naming the file, rather than read with columns
shifted; so is a file whose quotes do not pair, whose last field could run on into the files after it.

A ZIP of such files (what a web upload can carry) is unpacked into the import's work folder (kawal.engine.zips:
within limits on its entries and unpacked size, no name leading out of that folder) and read the same way; a ZIP of
one list file is that file. Files read as no list (a ZIP inside, a file without a suffix) are named in the
snapshot's ``skipped_sheets``, so no rows go unsaid.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
from pathlib import Path

import duckdb

from kawal.engine import zips
from kawal.engine.readers import (
    HEADER_SEARCH_ROWS,
    SourceInfo,
    _encoding,
    _find_csv_header,
    _read_csv,
    is_text,
)
from kawal.i18n import KawalError

NO_FILES = (
    "{kind} {name} tidak berisi file CSV daftar pemilih.",
    "{kind} {name} holds no CSV voter-list file.",
)
OTHER_COLUMNS = (
    "Kolom {file} berbeda dari kolom {first}: semua file dalam satu folder harus berkolom sama, berurutan sama.",
    "{file} has other columns than {first}: every file in one folder must have the same columns in the same order.",
)
OTHER_FORMATS = (
    "{kind} {name} berisi file yang bukan CSV ({file}): audit file itu sendiri-sendiri, atau simpan sebagai CSV.",
    "{kind} {name} holds a file that is not CSV ({file}): audit such files one by one, or save them as CSV.",
)
OPEN_QUOTE = (
    '{file} punya tanda kutip (") yang tidak berpasangan: perbaiki file itu, atau audit file itu sendiri.',
    '{file} has a quote (") without its pair: fix that file, or audit it on its own.',
)
PART_TOO_BIG = (
    "{file} terlalu besar untuk dibaca bersama file lain ({mb} MB; paling besar {max_mb} MB per file): "
    "audit file itu sendiri.",
    "{file} is too big to read with other files ({mb} MB; at most {max_mb} MB a file): audit it on its own.",
)
LIST_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".pdf", ".parquet")
# A file of several is read whole into memory, a few copies of it at once (decoded, line ends made one, checked):
# per-TPS files are a few hundred kB. A bigger file is read on its own (one file in a ZIP is, however big).
MAX_PART_BYTES = 512 * 2**20
# A city's list is 2,706 TPS files and about 250 MB of CSV: the limits leave room for a kabupaten ten times that.
ZIP_MAX_FILES = 20_000
ZIP_MAX_BYTES = 4 * 2**30


def is_list_folder(path: Path) -> bool:
    """A folder of voter-list files, not a stored snapshot (which holds ``meta.json``)."""
    return path.is_dir() and not (path / "meta.json").exists()


def list_files(folder: Path, kind: str = "Folder") -> list[Path]:
    """The folder's CSV files (in subfolders too), in natural order; refused if it holds another list format.
    ``kind`` names the folder in messages (``ZIP`` for an unpacked ZIP file)."""
    found = _visible(folder)
    other = sorted(p for p in found if p.suffix.lower() in LIST_SUFFIXES)
    if other:
        raise KawalError(OTHER_FORMATS, kind=kind, name=folder.name, file=other[0].relative_to(folder))
    files = sorted((p for p in found if is_text(p)), key=lambda p: _natural(p.relative_to(folder)))
    if not files:
        raise KawalError(NO_FILES, kind=kind, name=folder.name)
    return files


def skipped_files(folder: Path) -> list[str]:
    """The folder's files that are read as no list (neither CSV nor another list format: a ZIP inside, a file
    without a suffix, a document), by their path in the folder: the import names them, so no rows go unsaid."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in _visible(folder)
        if not is_text(p) and p.suffix.lower() not in LIST_SUFFIXES
    )


def _visible(folder: Path) -> list[Path]:
    """The folder's files but hidden files and folders (an audit's scratch folder, with --out inside the folder; a
    Mac's ``__MACOSX/._*`` copies in a ZIP) and an audit's or a snapshot's own folder (its summary.json or
    meta.json), which an earlier run may have written there."""
    found = [p for p in folder.rglob("*") if p.is_file()]
    outputs = {p.parent for p in found if p.name in ("summary.json", "meta.json")}
    return [
        p
        for p in found
        if not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and not any(parent in outputs for parent in p.parents)
    ]


def _natural(path: Path) -> list[object]:
    """TPS 2 before TPS 10: numbers in the path compared as numbers."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.as_posix())]


def source_bytes(path: Path) -> int:
    """A file's size, or the sum of a folder's files'."""
    if path.is_dir():
        return sum(p.stat().st_size for p in list_files(path))
    return path.stat().st_size


def scan_folder(folder: Path) -> tuple[str, str]:
    """The SHA-256 of the folder's files, each by its path in the folder and its bytes, and the encoding of the
    copy the import reads (UTF-8, whatever each file's own)."""
    digest = hashlib.sha256()
    for path in list_files(folder):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 22), b""):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest(), "utf-8"


def combine(folder: Path, target: Path, kind: str = "Folder") -> list[tuple[str, int, int]]:
    """Write the folder's rows after one header into ``target`` (UTF-8) and return each file's part: its path in
    the folder, the number of its first row in ``target`` (rows counted as the CSV reader counts them: blank lines
    are none, a quoted cell may span lines), and the lines before its rows in the file itself."""
    parts: list[tuple[str, int, int]] = []
    first: tuple[str, str, list[str]] | None = None  # the first file's name, header line and columns
    row = 1  # the number of the file's first row in target
    files = list_files(folder, kind)
    for path in files:
        size = path.stat().st_size
        if size > MAX_PART_BYTES and len(files) > 1:
            raise KawalError(
                PART_TOO_BIG, file=path.relative_to(folder), mb=size // 2**20, max_mb=MAX_PART_BYTES // 2**20
            )
    with target.open("w", encoding="utf-8", newline="") as out:
        for path in files:
            text = _text(path)
            name = path.relative_to(folder).as_posix()
            if first is not None and first[1].endswith("\n") and text.startswith(first[1]):  # the same header line
                skip, cells = 1, first[2]
            else:
                skip, cells = _header(text)
            start = _after_lines(text, skip)
            if first is None:
                first = (name, text[_after_lines(text, skip - 1) : start], cells)
                out.write(first[1] if first[1].endswith("\n") else first[1] + "\n")
            elif cells != first[2]:
                raise KawalError(OTHER_COLUMNS, file=name, first=first[0])
            body = _without_blank_lines(text[start:])
            out.write(body)
            parts.append((name, row, skip))
            row += _rows(body, cells[-1], name)
    return parts


def _without_blank_lines(body: str) -> str:
    """The file's rows, each ending in a line break (a file's last may lack one), without blank lines: the CSV
    reader skips them, and rows are numbered from the lines (see readers.number_rows), so a blank line at the end of
    one file would shift every row of the next. A quoted cell may hold a blank line: a file with quotes keeps its."""
    if '"' not in body:
        body = "\n".join(line for line in body.split("\n") if line.strip("\r"))
    return body if not body or body.endswith("\n") else body + "\n"


def _rows(body: str, delimiter: str, name: str) -> int:
    """The rows the CSV reader finds in ``body``: a file's rows are told from the next file's by their number. A
    file whose quotes do not pair is refused: one left open would run on to the end, over the next files' rows."""
    if '"' not in body:
        return body.count("\n")
    try:
        return sum(1 for cells in csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True) if cells)
    except csv.Error:
        raise KawalError(OPEN_QUOTE, file=name) from None


def _text(path: Path) -> str:
    """The file's text, read once, in the encoding detect_encoding would name: a BOM's, else UTF-8 where the whole
    file decodes as such, else Windows-1252 (its undefined bytes replaced, as when a single file is transcoded);
    its line ends made LF."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    text = data.decode(_encoding(data[:4], utf8), errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")  # one line end for all files: the CSV reader wants one


def _after_lines(text: str, lines: int) -> int:
    """Where the text after its first ``lines`` lines starts."""
    position = 0
    for _ in range(lines):
        found = text.find("\n", position)
        if found < 0:  # a file of its header alone, without a line break
            return len(text)
        position = found + 1
    return position


def _header(text: str) -> tuple[int, list[str]]:
    """The lines up to and including the header, and the header's cells (with the delimiter)."""
    lines = list(itertools.islice(io.StringIO(text, newline=""), HEADER_SEARCH_ROWS))
    delimiter, index, cells = _find_csv_header(lines)
    return index + 1, [c.strip().upper() for c in cells] + [delimiter]


def read_folder(con: duckdb.DuckDBPyConnection, folder: Path, workdir: Path, kind: str = "Folder") -> SourceInfo:
    """The folder's files into ``raw`` as one CSV (see the module's docstring); :func:`number_rows` then names
    each row's file and line."""
    combined = workdir / "folder.csv"
    parts = combine(folder, combined, kind)
    info = _read_csv(con, combined, workdir, "utf-8")
    info.parts, info.sheets, info.encoding = parts, [name for name, _, _ in parts], None
    info.skipped_sheets = skipped_files(folder)
    return info


def read_zip(con: duckdb.DuckDBPyConnection, path: Path, workdir: Path) -> SourceInfo:
    """A ZIP's files read as a folder's (see :func:`read_folder`): each row keeps its file's path in the ZIP. A ZIP
    of one list file (a city's CSV zipped, or its XLSX or PDF) is that file, read as it would be on its own."""
    folder = unpack_zip(path, workdir)
    found = _visible(folder)
    if len(found) == 1 and (is_text(found[0]) or found[0].suffix.lower() in LIST_SUFFIXES):
        from kawal.engine.readers import read_into

        return read_into(con, found[0], workdir)
    return read_folder(con, folder, workdir, "ZIP")


def unpack_zip(path: Path, workdir: Path) -> Path:
    """The ZIP's files written under ``workdir/zip/<its name>`` (see kawal.engine.zips); the folder returned."""
    target = workdir / "zip" / path.name
    zips.unpack(path, target, max_files=ZIP_MAX_FILES, max_bytes=ZIP_MAX_BYTES)
    return target
