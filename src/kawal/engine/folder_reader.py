"""A folder of CSV files read as one voter list: KPU hands lists out per TPS, one file each.

Audited as separate inputs, a city's 2,706 TPS files paid the import's fixed cost 2,706 times (a list of 200,000
rows in 393 files took 53 s instead of 6 s) and their rows were named per input. Here the files' rows are copied,
after one header, into one CSV in the import's work folder, which the CSV reader reads once; each row keeps its
file (``__sheet``, the file's path inside the folder) and its line in that file (``__line``), and ``__row`` counts
the rows over the whole folder. Files are taken in natural order (TPS 2 before TPS 10), each in its own encoding.
Every file must have the first file's columns, in the same order: a folder mixing layouts is refused, naming the
file, rather than read with columns shifted; so is a file that ends inside quotes, whose last field would run on
into the files after it.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import duckdb

from kawal.engine.readers import (
    HEADER_SEARCH_ROWS,
    SourceInfo,
    _find_csv_header,
    _read_csv,
    detect_encoding,
    is_text,
)
from kawal.i18n import KawalError

NO_FILES = (
    "Folder {name} tidak berisi file CSV daftar pemilih.",
    "Folder {name} holds no CSV voter-list file.",
)
OTHER_COLUMNS = (
    "Kolom {file} berbeda dari kolom {first}: semua file dalam satu folder harus berkolom sama, berurutan sama.",
    "{file} has other columns than {first}: every file in one folder must have the same columns in the same order.",
)
OTHER_FORMATS = (
    "Folder {name} berisi file yang bukan CSV ({file}): audit file itu sendiri-sendiri, atau simpan sebagai CSV.",
    "Folder {name} holds a file that is not CSV ({file}): audit such files one by one, or save them as CSV.",
)
OPEN_QUOTE = (
    '{file} punya tanda kutip (") yang tidak ditutup: perbaiki file itu, atau audit file itu sendiri.',
    '{file} has a quote (") that is never closed: fix that file, or audit it on its own.',
)
LIST_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".pdf", ".parquet")


def is_list_folder(path: Path) -> bool:
    """A folder of voter-list files, not a stored snapshot (which holds ``meta.json``)."""
    return path.is_dir() and not (path / "meta.json").exists()


def list_files(folder: Path) -> list[Path]:
    """The folder's CSV files (in subfolders too), in natural order; refused if it holds another list format."""
    found = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    other = sorted(p for p in found if p.suffix.lower() in LIST_SUFFIXES)
    if other:
        raise KawalError(OTHER_FORMATS, name=folder.name, file=other[0].relative_to(folder))
    files = sorted((p for p in found if is_text(p)), key=lambda p: _natural(p.relative_to(folder)))
    if not files:
        raise KawalError(NO_FILES, name=folder.name)
    return files


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


def combine(folder: Path, target: Path) -> list[tuple[str, int, int]]:
    """Write the folder's rows after one header into ``target`` (UTF-8) and return each file's part: its path in
    the folder, the line of ``target`` where its rows start, and the lines before its rows in the file itself."""
    parts: list[tuple[str, int, int]] = []
    first: tuple[str, str, list[str]] | None = None  # the first file's name, header line and columns
    line = 2  # the first row's line in target, after the header
    with target.open("w", encoding="utf-8", newline="") as out:
        for path in list_files(folder):
            text = path.read_text(encoding=detect_encoding(path), errors="replace")
            name = path.relative_to(folder).as_posix()
            if first is not None and text.startswith(first[1]):  # the common case: the same header on line 1
                skip, cells = 1, first[2]
            else:
                skip, cells = _header(text)
            start = _after_lines(text, skip)
            if first is None:
                first = (name, text[_after_lines(text, skip - 1) : start], cells)
                out.write(first[1] if first[1].endswith("\n") else first[1] + "\n")
            elif cells != first[2]:
                raise KawalError(OTHER_COLUMNS, file=name, first=first[0])
            body = text[start:]
            if body.count('"') % 2:  # it ends inside quotes: read on, its last field would swallow the next files
                raise KawalError(OPEN_QUOTE, file=name)
            if body and not body.endswith("\n"):  # a file's last line may lack its line break
                body += "\n"
            out.write(body)
            parts.append((name, line, skip))
            line += body.count("\n")
    return parts


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
    lines = io.StringIO(text, newline="").readlines()[:HEADER_SEARCH_ROWS]
    delimiter, index, cells = _find_csv_header(lines)
    return index + 1, [c.strip().upper() for c in cells] + [delimiter]


def read_folder(con: duckdb.DuckDBPyConnection, folder: Path, workdir: Path) -> SourceInfo:
    """The folder's files into ``raw`` as one CSV (see the module's docstring); :func:`number_rows` then names
    each row's file and line."""
    combined = workdir / "folder.csv"
    parts = combine(folder, combined)
    info = _read_csv(con, combined, workdir, "utf-8")
    info.parts, info.sheets, info.encoding = parts, [name for name, _, _ in parts], None
    return info
