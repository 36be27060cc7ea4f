"""PDF voter lists in KPU's posting layout (Model A-Daftar Pemilih / DPS), read with pdfplumber.

Each page holds a header block (PROVINSI, KABUPATEN/KOTA, KECAMATAN, DESA/KELURAHAN, TPS), a ruled table whose
column headings are repeated on every page, and a footer. The table is found from its rules: vertical rules give
the columns, horizontal rules the rows, and every character is put in the cell its centre falls in, so a cell
printed on several lines reads as one text. The header block's kecamatan, kelurahan and TPS fill those columns of
the page's rows; text outside the table (titles, footers, page numbers) is left out. A row whose NO cell is empty
continues the row before it (Sidalih breaks long rows at the foot of a page).

``__sheet`` is the page number and ``__line`` the row's position on that page, so a message can say "halaman 3,
baris 12". The printed NO becomes the row's ``id`` when it is unique in the document (one TPS, or numbering that
runs on); KPU restarts NO at 1 for each TPS, and then ``id`` is ``<TPS>-<NO>``.

A PDF whose pages carry no text (a scan) is refused, naming the pages; a scanned page among text pages is a
rejected entry of its own, so rows in = loaded + rejected still says that something was not read.

Speed: parsing the page's content is most of the time (pdfminer, pure Python), so pages are read in chunks by
worker processes, each opening the file itself; only the cell texts come back. The characters are taken from
pdfplumber's pdfminer layout as they are, without pdfplumber's per-character dictionaries, which would double the
time per page.
"""

from __future__ import annotations

import itertools
import logging
import os
import pickle
import re
import subprocess
import sys
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING, cast

import duckdb
import pdfplumber
import pyarrow as pa
from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage, LTLine, LTRect

from kawal.engine.columns import CANONICAL, map_headers
from kawal.engine.readers import MIN_HEADER_SCORE, SourceInfo, _select_canonical
from kawal.i18n import KawalError, t

if TYPE_CHECKING:
    from pdfminer.layout import LTPage

CHUNK_PAGES = 40  # pages per worker task: large enough to amortise opening the file, small enough to balance
MIN_PARALLEL_PAGES = 2 * CHUNK_PAGES
MAX_WORKERS = 4
RULE = 1.5  # pt: a path thinner than this is a rule
SNAP = 2.0  # pt: rules closer than this are one rule
HEADING_SEARCH_ROWS = 4

SCANNED = (
    "{name} hanya berisi gambar (hasil pindai), tanpa teks, di halaman {pages}: tidak ada yang bisa dibaca. "
    "Minta PDF asli dari KPU (bukan hasil pindai), atau salinan CSV/XLSX.",
    "{name} holds only images (a scan), no text, on pages {pages}: there is nothing to read. "
    "Ask KPU for the original PDF (not a scan), or a CSV/XLSX copy.",
)
NO_TABLE = (
    "Tidak menemukan tabel bergaris dengan judul kolom (NO, NIK, NAMA …) di {name}.",
    "No ruled table with column headings (NO, NIK, NAMA …) found in {name}.",
)
UNREADABLE = ("{name} bukan PDF yang bisa dibaca: {error}", "{name} is not a readable PDF: {error}")
SCANNED_PAGE = (
    "halaman {page} hanya gambar (hasil pindai): baris-barisnya tidak terbaca",
    "page {page} is only an image (a scan): its rows cannot be read",
)
UNTABLED_PAGE = (
    "halaman {page} berisi NIK/NKK tetapi tanpa tabel bergaris: barisnya tidak terbaca",
    "page {page} holds NIK/NKK numbers but no ruled table: its rows cannot be read",
)
BROKEN_PAGE = ("halaman {page} tidak terbaca: {error}", "page {page} cannot be read: {error}")
NO_HEADINGS = (
    "halaman {page}: tabel tanpa judul kolom yang dikenal, barisnya tidak bisa dipetakan",
    "page {page}: a table without known column headings, its rows cannot be mapped",
)

# Header block labels -> the field they give; "KABUPATEN/KOTA" before "KOTA" so the longer label wins.
_BLOCK_LABELS = re.compile(
    r"\b(PROVINSI|KABUPATEN\s*/\s*KOTA|KAB\s*/\s*KOTA|KABUPATEN|KOTA|KECAMATAN|DESA\s*/\s*KELURAHAN|"
    r"KELURAHAN\s*/\s*DESA|KELURAHAN|DESA|NO\.?\s*TPS|TPS)\s*:",
    re.IGNORECASE,
)
_BLOCK_FIELDS = {
    "KECAMATAN": "kecamatan",
    "DESAKELURAHAN": "kelurahan",
    "KELURAHANDESA": "kelurahan",
    "KELURAHAN": "kelurahan",
    "DESA": "kelurahan",
    "TPS": "tps",
    "NOTPS": "tps",
}
_NIK_LIKE = re.compile(r"\d{6}[\d*xX#]{10}")  # a NIK or NKK, masked or not
_COLUMN_NUMBER = re.compile(r"\(?(\d{1,2})\)?")


@dataclass
class _Page:
    """What one page gave: its kind, header block, headings and data rows (position on the page, cells)."""

    number: int
    kind: str  # table | scanned (images, no text) | blank | text (no table) | untabled (NIKs, no table) | broken
    block: dict[str, str] = field(default_factory=dict)
    headings: list[str] | None = None
    columns: int = 0
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    error: str = ""  # why a broken page could not be parsed


# --- reading the pages ---------------------------------------------------------------------------------------


def read_pdf(
    con: duckdb.DuckDBPyConnection, path: Path, workdir: Path, workers: int | None = None, chunk: int = CHUNK_PAGES
) -> SourceInfo:
    """Load a PDF voter list into ``raw`` and ``parse_rejects`` (see :mod:`kawal.engine.readers`).

    ``workers`` processes read the pages (default: the usable cores, at most 4; none for a short file); they
    leave their pages in ``workdir``.
    """
    count = _page_count(path)
    stitcher = _Stitcher(path.name)
    for page in _pages(path, count, workdir, workers, chunk):
        stitcher.add(page)
    _load(con, "raw_pdf", stitcher.finish())
    _select_canonical(con, "raw_pdf", {c: c for c in CANONICAL})
    _load(con, "parse_rejects", pa.table({k: pa.array(v, _REJECT_TYPES[k]) for k, v in stitcher.rejects.items()}))
    return stitcher.info


_REJECT_TYPES = {
    "__row": pa.int64(),
    "__sheet": pa.string(),
    "__line": pa.int64(),
    "reason": pa.string(),
    "raw": pa.string(),
}


def _load(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    con.register("pdf_arrow", table)
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM pdf_arrow")
    con.unregister("pdf_arrow")


def _page_count(path: Path) -> int:
    try:
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    except Exception as error:  # pdfminer raises many kinds (syntax, encryption, not a PDF at all)
        raise KawalError(UNREADABLE, name=path.name, error=str(error) or type(error).__name__) from error


def _pages(path: Path, count: int, workdir: Path, workers: int | None, chunk: int) -> Iterator[_Page]:
    """Every page's reading, in page order; a long file is split between worker processes."""
    usable = workers or min(MAX_WORKERS, len(os.sched_getaffinity(0)))
    if usable < 2 or count < 2 or (workers is None and count < MIN_PARALLEL_PAGES):
        yield from _read_range(str(path), 0, count, chunk)
        return
    yield from _parallel(path, count, workdir, min(usable, count), chunk)


def _parallel(path: Path, count: int, workdir: Path, workers: int, chunk: int) -> Iterator[_Page]:
    """One child process per contiguous part of the file, each writing its pages to a file in ``workdir``.

    Child processes started with ``python -m``, not multiprocessing: that would start them by fork (unsafe with
    DuckDB's and the importer's threads running) or by spawn, which re-runs the caller's main script and fails in
    any script without a ``__main__`` guard.
    """
    bounds = [round(i * count / workers) for i in range(workers + 1)]
    # kawal's own folder first (an empty entry would put the working directory on the path)
    paths = [str(Path(__file__).parents[2]), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    children = []
    try:
        for i, (start, end) in enumerate(itertools.pairwise(bounds)):
            out, log = workdir / f"pdf-pages-{i}.pickle", workdir / f"pdf-pages-{i}.log"
            command = [sys.executable, "-m", __name__, str(path), str(start), str(end), str(chunk), str(out)]
            with log.open("wb") as stderr:  # a file, not a pipe: a pipe nobody reads yet would stall the child
                children.append((subprocess.Popen(command, env=env, stderr=stderr), out, log))
        for child, out, log in children:
            if child.wait():
                lines = log.read_text(errors="replace").strip().splitlines() or ["?"]
                raise KawalError(UNREADABLE, name=path.name, error=lines[-1])
            yield from _unpickled(out)
            out.unlink()
            log.unlink()
    finally:
        for child, _out, _log in children:
            if child.poll() is None:
                child.kill()
                child.wait()


def _unpickled(out: Path) -> Iterator[_Page]:
    """The pages a child wrote, chunk by chunk (the file is the child's own, written by this module)."""
    with out.open("rb") as f:
        while True:
            try:
                pages = pickle.load(f)
            except EOFError:
                return
            yield from pages


def _child(arguments: list[str]) -> None:
    """A worker process: read pages ``start`` to ``end`` and pickle them chunk by chunk to ``out``."""
    path, start, end, chunk, out = arguments
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its per-page warnings would flood the parent's log
    with Path(out).open("wb") as f:
        for pages in _chunks(path, int(start), int(end), int(chunk)):
            pickle.dump(pages, f, protocol=pickle.HIGHEST_PROTOCOL)


def _read_range(path: str, start: int, end: int, chunk: int) -> Iterator[_Page]:
    for pages in _chunks(path, start, end, chunk):
        yield from pages


def _chunks(path: str, start: int, end: int, chunk: int) -> Iterator[list[_Page]]:
    """Pages ``start`` to ``end`` (0-based, end excluded) in lists of ``chunk``; the file is opened again for each
    chunk, since pdfminer keeps every object it has parsed for as long as the file is open."""
    for first in range(start, end, chunk):
        with pdfplumber.open(path) as pdf:
            pages = []
            for page in pdf.pages[first : min(first + chunk, end)]:
                pages.append(_read_page(page))
                page.close()
        yield pages


def _read_page(page: pdfplumber.page.Page) -> _Page:
    number = page.page_number
    try:
        layout = page.layout
    except Exception as error:  # a damaged content stream: this page is lost, not the file
        return _Page(number, "broken", error=str(error) or type(error).__name__)
    chars, horizontal, vertical, images = _objects(layout)
    if not chars:
        return _Page(number, "scanned" if images else "blank")
    xs, top, bottom = _columns(vertical)
    ys = _rows(horizontal, xs, top, bottom)
    if len(xs) < 3 or len(ys) < 2:
        # A cover or signature page is no loss; a page of NIKs without rules is rows that cannot be read.
        return _Page(number, "untabled" if _NIK_LIKE.search("".join(c[4] for c in chars)) else "text")
    grid, above = _bin(chars, xs, ys)
    texts = [[_cell_text(cell) for cell in row] for row in grid]
    result = _Page(number, "table", block=_block(_lines(above)), columns=len(xs) - 1)
    start = _heading_row(texts)
    if start is not None:
        # Some exports print the header block inside the table, in merged cells above the headings.
        result.block = {**_block(" ".join(cells) for cells in texts[:start]), **result.block}
        result.headings = texts[start]
        start += 1
        if start < len(texts) and _column_numbers(texts[start]):
            start += 1
    position = 0
    for cells in texts[start or 0 :]:
        if any(cells):
            position += 1
            result.rows.append((position, cells))
    return result


# --- geometry ------------------------------------------------------------------------------------------------

_Char = tuple[float, float, float, float, str]  # x0, x1, y (centre), size, text
_Segment = tuple[float, float, float]  # position across, start, end along


def _objects(layout: LTPage | LTFigure) -> tuple[list[_Char], list[_Segment], list[_Segment], int]:
    """The page's characters, horizontal and vertical rules, and image count (forms are looked into)."""
    chars: list[_Char] = []
    horizontal: list[_Segment] = []
    vertical: list[_Segment] = []
    images = 0
    stack = [iter(layout)]
    while stack:
        for obj in stack[-1]:
            kind = type(obj)
            if kind is LTChar:
                char = cast(LTChar, obj)  # the exact type, tested above
                text = char.get_text()
                if not text.isspace():
                    chars.append((char.x0, char.x1, (char.y0 + char.y1) / 2, char.size, text))
            elif kind is LTFigure:
                stack.append(iter(cast(LTFigure, obj)))
                break
            elif kind is LTImage:
                images += 1
            elif isinstance(obj, LTCurve):
                _rules(obj, horizontal, vertical)
        else:
            stack.pop()
    return chars, horizontal, vertical, images


def _rules(obj: LTCurve, horizontal: list[_Segment], vertical: list[_Segment]) -> None:
    """A thin line or rectangle is one rule; a larger rectangle gives its four sides (cells drawn as boxes)."""
    x0, y0, x1, y1 = obj.x0, obj.y0, obj.x1, obj.y1
    if x1 - x0 <= RULE and y1 - y0 > RULE:
        vertical.append(((x0 + x1) / 2, y0, y1))
    elif y1 - y0 <= RULE and x1 - x0 > RULE:
        horizontal.append(((y0 + y1) / 2, x0, x1))
    elif type(obj) is LTRect:
        horizontal.extend(((y0, x0, x1), (y1, x0, x1)))
        vertical.extend(((x0, y0, y1), (x1, y0, y1)))
    elif type(obj) is not LTLine:
        for (ax, ay), (bx, by) in itertools.pairwise(obj.pts):
            if abs(ax - bx) <= RULE < abs(ay - by):
                vertical.append(((ax + bx) / 2, min(ay, by), max(ay, by)))
            elif abs(ay - by) <= RULE < abs(ax - bx):
                horizontal.append(((ay + by) / 2, min(ax, bx), max(ax, bx)))


def _clusters(segments: list[_Segment]) -> list[tuple[float, float, float, float]]:
    """Segments at (nearly) the same position joined: (position, total length, start, end)."""
    result: list[list[float]] = []
    for position, start, end in sorted(segments):
        if result and position - result[-1][0] <= SNAP:
            last = result[-1]
            last[1] += end - start
            last[2], last[3] = min(last[2], start), max(last[3], end)
        else:
            result.append([position, end - start, start, end])
    return [(c[0], c[1], c[2], c[3]) for c in result]


def _columns(vertical: list[_Segment]) -> tuple[list[float], float, float]:
    """Column boundaries (x, left to right) and the table's top and bottom: the vertical rules that run through
    most of the table. Short strokes (a box round the header block, a logo) fall below the length cut."""
    clusters = _clusters(vertical)
    if not clusters:
        return [], 0.0, 0.0
    longest = max(c[1] for c in clusters)
    kept = [c for c in clusters if c[1] >= 0.3 * longest]
    return [c[0] for c in kept], median(c[3] for c in kept), median(c[2] for c in kept)


def _rows(horizontal: list[_Segment], xs: list[float], top: float, bottom: float) -> list[float]:
    """Row boundaries (y, top to bottom): horizontal rules inside the table spanning half its width or more."""
    if len(xs) < 2:
        return []
    width = xs[-1] - xs[0]
    inside = [s for s in horizontal if bottom - SNAP <= s[0] <= top + SNAP]
    return sorted((c[0] for c in _clusters(inside) if c[1] >= 0.5 * width), reverse=True)


def _bin(chars: list[_Char], xs: list[float], ys: list[float]) -> tuple[list[list[list[_Char]]], list[_Char]]:
    """Characters per cell (row bands top to bottom, columns left to right), and those above the table."""
    grid: list[list[list[_Char]]] = [[[] for _ in xs[1:]] for _ in ys[1:]]
    above: list[_Char] = []
    down = [-y for y in ys]  # ascending, for bisect
    columns = len(xs) - 1
    bands = len(ys) - 1
    for char in chars:
        y = char[2]
        if y > ys[0]:
            above.append(char)
            continue
        column = bisect_right(xs, (char[0] + char[1]) / 2) - 1
        band = bisect_right(down, -y) - 1
        if 0 <= column < columns and 0 <= band < bands:
            grid[band][column].append(char)
    return grid, above


def _lines(chars: list[_Char]) -> list[str]:
    """Characters as text lines, top to bottom; a gap wider than a quarter of the font size is a space."""
    lines: list[str] = []
    if not chars:
        return lines
    ordered = sorted(chars, key=lambda c: -c[2])
    current = [ordered[0]]
    for char in ordered[1:]:
        if current[0][2] - char[2] > 0.5 * char[3]:
            lines.append(_line_text(current))
            current = []
        current.append(char)
    lines.append(_line_text(current))
    return lines


def _line_text(chars: list[_Char]) -> str:
    chars.sort(key=lambda c: c[0])
    parts = [chars[0][4]]
    for before, char in itertools.pairwise(chars):
        if char[0] - before[1] > 0.25 * char[3]:
            parts.append(" ")
        parts.append(char[4])
    return "".join(parts)


def _cell_text(chars: list[_Char]) -> str:
    """A cell's text, its lines joined with one space."""
    if not chars:
        return ""
    return " ".join(" ".join(_lines(chars)).split())


# --- page structure ------------------------------------------------------------------------------------------


def _block(lines: Iterable[str]) -> dict[str, str]:
    """kecamatan, kelurahan and tps from the header block's lines."""
    block: dict[str, str] = {}
    for line in lines:
        block.update(block_fields(line))
    return block


def block_fields(line: str) -> dict[str, str]:
    """The 'LABEL : value' pairs of one header-block line (two may share a line) as kecamatan, kelurahan, tps."""
    found: dict[str, str] = {}
    labels = list(_BLOCK_LABELS.finditer(line))
    for label, following in zip(labels, [*labels[1:], None], strict=False):
        key = _BLOCK_FIELDS.get(re.sub(r"[^A-Z]", "", label.group(1).upper()))
        value = line[label.end() : following.start() if following else len(line)].strip()
        if key and value:
            found[key] = value
    return found


def _heading_map(headings: list[str]) -> dict[int, str]:
    """Column position -> canonical column (a legend such as '(L/P)' is ignored by ``canonical_name``)."""
    return map_headers(headings)


def _heading_row(texts: list[list[str]]) -> int | None:
    scores = [len(_heading_map(row)) for row in texts[:HEADING_SEARCH_ROWS]]
    if not scores or max(scores) < MIN_HEADER_SCORE:
        return None
    return scores.index(max(scores))


def _column_numbers(cells: list[str]) -> bool:
    """The '(1) (2) (3) …' row printed under the headings of KPU forms."""
    found = [_COLUMN_NUMBER.fullmatch(c) for c in cells if c]
    numbers = [int(m.group(1)) for m in found if m]
    return len(found) >= 2 and numbers == list(range(1, len(found) + 1))


def _page_ranges(pages: list[int]) -> str:
    """1, 2, 3, 7 -> '1-3, 7'."""
    ranges: list[list[int]] = []
    for page in pages:
        if ranges and page == ranges[-1][1] + 1:
            ranges[-1][1] = page
        else:
            ranges.append([page, page])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


# --- stitching pages into rows -------------------------------------------------------------------------------


class _Stitcher:
    """Joins the pages' rows in order: continuation rows onto the row they continue, header block into columns,
    and NO into ids; keeps what it could not read as parse rejects."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.info = SourceInfo(format="pdf")
        self.columns: dict[str, list[str | None]] = {c: [] for c in ("__sheet", "__line", *CANONICAL)}
        self.rejects: dict[str, list] = {k: [] for k in _REJECT_TYPES}
        self.mapping: dict[int, str] | None = None
        self.width = 0
        self.block: dict[str, str] = {}
        self.pending: dict[str, str] | None = None
        self.pending_block: dict[str, str] = {}
        self.scanned: list[int] = []
        self.text_pages = 0
        self.rows = 0

    def add(self, page: _Page) -> None:
        if page.kind == "scanned":
            self.scanned.append(page.number)
            self._reject(page.number, None, t(SCANNED_PAGE, page=page.number))
            return
        if page.kind == "broken":
            self._reject(page.number, None, t(BROKEN_PAGE, page=page.number, error=page.error))
            return
        if page.kind == "untabled":
            self.text_pages += 1
            self._reject(page.number, None, t(UNTABLED_PAGE, page=page.number))
            return
        if page.kind != "blank":
            self.text_pages += 1
        if page.kind != "table":
            self.info.skipped_sheets.append(str(page.number))
            return
        self.block = {**self.block, **page.block}
        if page.headings is not None:
            self._headings(page.headings)
        elif page.columns != self.width:
            self.mapping = None  # another table: its headings are unknown
        if self.mapping is None:
            if page.rows:
                self._reject(page.number, None, t(NO_HEADINGS, page=page.number))
            return
        for position, cells in page.rows:
            self._row(page.number, position, cells)

    def _headings(self, headings: list[str]) -> None:
        self.mapping = _heading_map(headings)
        self.width = len(headings)
        if not self.info.mapping:
            self.info.mapping = {headings[i]: c for i, c in self.mapping.items()}
            self.info.unmapped = [h for i, h in enumerate(headings) if i not in self.mapping and h]

    def _row(self, page: int, position: int, cells: list[str]) -> None:
        assert self.mapping is not None
        values = {column: cells[i] for i, column in self.mapping.items() if i < len(cells) and cells[i]}
        continues = not values.get("id") and "id" in self.mapping.values() and self.pending is not None
        if continues and self.pending_block == self.block:
            pending = cast(dict[str, str], self.pending)  # continues: set
            for column, text in values.items():  # the rest of a row broken at the foot of the page before
                before = pending.get(column)
                pending[column] = f"{before} {text}" if before else text
            return
        self._flush()
        self.pending = {"__sheet": str(page), "__line": position, **values}  # type: ignore[dict-item]
        self.pending_block = self.block

    def _flush(self) -> None:
        if self.pending is None:
            return
        for column in ("kecamatan", "kelurahan", "tps"):  # the table's own value, else the header block's
            self.pending.setdefault(column, self.pending_block.get(column))  # type: ignore[arg-type]
        for column, values in self.columns.items():
            values.append(self.pending.get(column))
        self.rows += 1
        self.pending = None

    def _reject(self, page: int, line: int | None, reason: str) -> None:
        self._flush()
        self.rows += 1
        for key, value in zip(_REJECT_TYPES, (self.rows, str(page), line, reason, None), strict=True):
            self.rejects[key].append(value)

    def finish(self) -> pa.Table:
        self._flush()
        if not self.text_pages:
            raise KawalError(SCANNED, name=self.name, pages=_page_ranges(self.scanned) or "-")
        if not self.info.mapping:
            raise KawalError(NO_TABLE, name=self.name)
        self.columns["id"] = _record_ids(self.columns["id"], self.columns["tps"], self.columns["kelurahan"])
        rejected = set(self.rejects["__row"])
        numbers = [n for n in range(1, self.rows + 1) if n not in rejected]
        data = {"__row": pa.array(numbers, pa.int64())}
        data.update({c: pa.array(v, pa.int64() if c == "__line" else pa.string()) for c, v in self.columns.items()})
        return pa.table(data)


def _record_ids(numbers: list[str | None], tps: list[str | None], kelurahan: list[str | None]) -> list[str | None]:
    """The printed NO when it names one row in the document; else TPS and NO (and the kelurahan, when a file holds
    several kelurahan with the same TPS numbers)."""
    if _unique(numbers):
        return numbers
    by_tps = [f"{p}-{n}" if n else None for p, n in zip(tps, numbers, strict=True)]
    if _unique(by_tps):
        return by_tps
    return [f"{k}/{i}" if i else None for k, i in zip(kelurahan, by_tps, strict=True)]


def _unique(values: list[str | None]) -> bool:
    present = [v for v in values if v]
    return len(set(present)) == len(present)


if __name__ == "__main__":
    # Run by _parallel as ``python -m``: call the module imported under its own name, so the pages it pickles
    # are kawal.engine.pdf_reader._Page, which the parent can load.
    from kawal.engine.pdf_reader import _child as child

    child(sys.argv[1:])
