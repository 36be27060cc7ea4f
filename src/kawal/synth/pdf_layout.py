"""A voter list written to KPU's posting layout (Model A-Daftar Pemilih) as PDF, for tests, the demo and benchmarks.

Each page has the header block (MODEL A-DAFTAR PEMILIH, the list's title, PROVINSI, KABUPATEN/KOTA, KECAMATAN,
DESA/KELURAHAN, TPS), a ruled table whose column headings are repeated on every page, and a footer with the page
number. A new TPS starts a new page; long names and addresses wrap onto several lines, and a row that does not fit
at the foot of a page is broken there and continues on the next page with its NO cell empty, as Sidalih prints it.
Pages are drawn as they fill, so memory stays that of one page whatever the list's length.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kawal.engine.elections import DEFAULT
from kawal.engine.nik import mask

PAGE_SIZES = {"A4": landscape(A4), "F4": landscape((215 * mm, 330 * mm))}
ELECTION_DAY = DEFAULT.day
FONT, BOLD = "Helvetica", "Helvetica-Bold"
MARGIN = 24.0
PAD = 2.0
FOOTER = 22.0

# (heading, field of the input row, share of the table's width). The fields are `kawal generate`'s CSV columns,
# with ``no`` the printed sequence number and ``usia`` computed.
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("NO", "no", 2.8),
    ("NKK", "nkk", 7.4),
    ("NIK", "nik", 7.4),
    ("NAMA", "nama", 11.0),
    ("TEMPAT LAHIR", "tempat_lahir", 6.8),
    ("TANGGAL LAHIR", "tanggal_lahir", 5.6),
    ("USIA", "usia", 3.0),
    ("JENIS KELAMIN (L/P)", "jenis_kelamin", 4.0),
    ("STATUS PERKAWINAN (B/S/P)", "status_kawin", 5.6),
    ("ALAMAT", "alamat", 12.0),
    ("RT", "rt", 2.8),
    ("RW", "rw", 2.8),
    ("DISABILITAS", "disabilitas", 5.6),
    ("KETERANGAN", "keterangan", 6.0),
)


@dataclass(frozen=True)
class Layout:
    """How the list is printed: paper, masking as in published copies, numbering, page breaks inside rows."""

    page: str = "A4"
    mask_numbers: bool = False  # NIK/NKK: first 6 digits visible, the rest '*'
    mask_dates: bool = False  # tanggal lahir as **-**-YYYY
    number_per_tps: bool = True  # NO restarts at 1 for each TPS (KPU's practice); else the row's own ``id``
    split_rows: bool = True  # a multi-line row may break at the foot of a page
    column_numbers: bool = True  # the (1) (2) … row under the headings of KPU forms
    rotated: bool = False  # landscape content on portrait paper turned by /Rotate 90, as some exports do
    title: str = "DAFTAR PEMILIH SEMENTARA (DPS) PEMILIHAN WALIKOTA DAN WAKIL WALIKOTA TAHUN 2024"
    provinsi: str = "BANTEN"
    kabupaten_kota: str = "KOTA TANGERANG"
    font_size: float = 7.0
    usia_on: date = ELECTION_DAY


@dataclass
class Written:
    """What was written: pages, rows and how many rows were broken across a page end."""

    pages: int = 0
    rows: int = 0
    split_rows: int = 0


def write_pdf(rows: Iterable[Mapping[str, str | None]], path: Path, layout: Layout | None = None) -> Written:
    """Write ``rows`` (dicts with `kawal generate`'s CSV columns, sorted by kelurahan and TPS) to ``path``."""
    return _Writer(Path(path), layout or Layout()).write(rows)


def printed_rows(rows: Iterable[Mapping[str, str | None]], layout: Layout | None = None) -> Iterator[dict[str, str]]:
    """The rows as the PDF prints them (NO, masks, usia, kelurahan/TPS), for comparing a read-back with."""
    layout = layout or Layout()
    for _key, group in groupby(rows, key=_group_key):
        for number, row in enumerate(group, start=1):
            yield _printed(row, number, layout)


def _group_key(row: Mapping[str, str | None]) -> tuple[str, str, str]:
    return (row.get("kecamatan") or "", row.get("kelurahan") or "", row.get("tps") or "")


def _printed(row: Mapping[str, str | None], number: int, layout: Layout) -> dict[str, str]:
    cells = {field: (row.get(field) or "").strip() for _h, field, _w in COLUMNS}
    cells["no"] = str(number) if layout.number_per_tps else (row.get("id") or "")
    cells["usia"] = _age(cells["tanggal_lahir"], layout.usia_on)
    if layout.mask_numbers:
        cells["nik"], cells["nkk"] = mask(cells["nik"]), mask(cells["nkk"])
    if layout.mask_dates and len(cells["tanggal_lahir"]) == 10:
        cells["tanggal_lahir"] = "**-**-" + cells["tanggal_lahir"][-4:]
    for field in ("kecamatan", "kelurahan", "tps"):
        cells[field] = (row.get(field) or "").strip()
    return cells


def _age(born: str, on: date) -> str:
    """Age on ``on`` from a DD-MM-YYYY date; empty when the date does not read."""
    try:
        day, month, year = (int(p) for p in born.split("-"))
        birth = date(year, month, day)
    except ValueError:
        return ""
    return str(on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day)))


class _Writer:
    def __init__(self, path: Path, layout: Layout) -> None:
        self.layout = layout
        self.size = layout.font_size
        self.leading = layout.font_size * 1.2
        self.width, self.height = PAGE_SIZES[layout.page]
        # With /Rotate 90 reportlab writes the MediaBox turned (portrait) itself: the size given is as displayed.
        self.canvas = Canvas(str(path), pagesize=(self.width, self.height), pageCompression=1)
        self.canvas.setTitle("Model A-Daftar Pemilih")
        table_width = self.width - 2 * MARGIN
        total = sum(w for _h, _f, w in COLUMNS)
        self.widths = [table_width * w / total for _h, _f, w in COLUMNS]
        self.xs = [MARGIN + sum(self.widths[:i]) for i in range(len(COLUMNS) + 1)]
        self.written = Written()
        self.y = 0.0  # where the next row's top goes
        self.table_top = 0.0
        self.page_open = False

    def write(self, rows: Iterable[Mapping[str, str | None]]) -> Written:
        for key, group in groupby(rows, key=_group_key):
            self._end_page()
            self._start_page(key)
            for number, row in enumerate(group, start=1):
                self._row(_printed(row, number, self.layout), key)
                self.written.rows += 1
        if not self.page_open:
            self._start_page(("", "", ""))
        self._end_page()
        # The page total is known only now: every footer shows the same form, defined last.
        self.canvas.beginForm("page_total")
        self.canvas.setFont(FONT, self.size)
        self.canvas.drawString(0, 0, str(self.written.pages))
        self.canvas.endForm()
        self.canvas.save()
        return self.written

    # --- page ---------------------------------------------------------------------------------------------

    def _start_page(self, key: tuple[str, str, str]) -> None:
        self.page_open = True
        self.written.pages += 1
        self.key = key
        c = self.canvas
        if self.layout.rotated:
            # A viewer turns the page a quarter clockwise; draw so that the turned page reads upright.
            c.setPageRotation(90)
            c.transform(0, 1, -1, 0, self.height, 0)
        top = self.height - MARGIN
        c.setFont(BOLD, 10)
        c.drawCentredString(self.width / 2, top - 10, "MODEL A-DAFTAR PEMILIH")
        c.setFont(BOLD, 8.5)
        c.drawCentredString(self.width / 2, top - 22, self.layout.title)
        kecamatan, kelurahan, tps = key
        left: tuple[tuple[str, str], ...] = (
            ("PROVINSI", self.layout.provinsi),
            ("KABUPATEN/KOTA", self.layout.kabupaten_kota),
        )
        left += (("KECAMATAN", kecamatan),)
        right = (("DESA/KELURAHAN", kelurahan), ("TPS", tps))
        for x, block in ((MARGIN, left), (self.width / 2 + 40, right)):
            for i, (label, value) in enumerate(block):
                y = top - 40 - i * 11
                c.setFont(FONT, 8)
                c.drawString(x, y, label)
                c.drawString(x + 78, y, ":")
                c.drawString(x + 86, y, value.upper())
        self.table_top = top - 40 - 3 * 11 - 4
        self.y = self.table_top
        self._headings()

    def _headings(self) -> None:
        lines = [
            simpleSplit(h, BOLD, self.size, w - 2 * PAD) for (h, _f, _w), w in zip(COLUMNS, self.widths, strict=True)
        ]
        self._draw_cells(lines, BOLD, centred=True)
        if self.layout.column_numbers:
            self._draw_cells([[f"({i})"] for i in range(1, len(COLUMNS) + 1)], FONT, centred=True)

    def _end_page(self) -> None:
        if not self.page_open:
            return
        c = self.canvas
        c.setLineWidth(0.5)
        for x in self.xs:
            c.line(x, self.table_top, x, self.y)
        c.line(self.xs[0], self.table_top, self.xs[-1], self.table_top)
        c.setFont(FONT, 7)
        kecamatan, kelurahan, tps = self.key
        c.drawString(MARGIN, MARGIN - 8, f"{kelurahan.upper()}, {kecamatan.upper()} - TPS {tps}")
        text = f"Halaman {self.written.pages} dari "
        x = self.width - MARGIN - 40
        c.drawString(x, MARGIN - 8, text)
        c.saveState()
        c.translate(x + stringWidth(text, FONT, 7), MARGIN - 8)
        c.doForm("page_total")
        c.restoreState()
        c.showPage()
        self.page_open = False

    # --- rows ---------------------------------------------------------------------------------------------

    def _row(self, cells: dict[str, str], key: tuple[str, str, str]) -> None:
        lines = [self._wrap(cells[f], w) for (_h, f, _w), w in zip(COLUMNS, self.widths, strict=True)]
        while True:
            needed = max(len(cell) for cell in lines)
            room = int((self.y - MARGIN - FOOTER - 2 * PAD) // self.leading)
            if needed <= room:
                self._draw_cells(lines, FONT)
                return
            if self.layout.split_rows and room >= 1 and self.y < self.table_top - 1:
                self._draw_cells([cell[:room] for cell in lines], FONT)
                lines = [cell[room:] for cell in lines]
                self.written.split_rows += 1
            self._end_page()
            self._start_page(key)

    def _wrap(self, text: str, width: float) -> list[str]:
        if not text:
            return []
        if stringWidth(text, FONT, self.size) <= width - 2 * PAD:
            return [text]
        return simpleSplit(text, FONT, self.size, width - 2 * PAD)

    def _draw_cells(self, lines: list[list[str]], font: str, centred: bool = False) -> None:
        """One table row, its text at the top of each cell, and the rule under it."""
        c = self.canvas
        c.setFont(font, self.size)
        top = self.y - PAD - self.size
        for x, width, cell in zip(self.xs, self.widths, lines, strict=False):
            for i, line in enumerate(cell):
                # A word wider than its cell (PEMATANGSIANTAR) is shrunk to fit, as a spreadsheet's export does:
                # left at full size it would run into the next column.
                wide = stringWidth(line, font, self.size)
                c.setFont(font, min(self.size, self.size * (width - 2 * PAD) / wide) if wide else self.size)
                if centred:
                    c.drawCentredString(x + width / 2, top - i * self.leading, line)
                else:
                    c.drawString(x + PAD, top - i * self.leading, line)
        self.y -= max(1, max(len(cell) for cell in lines)) * self.leading + 2 * PAD
        c.setLineWidth(0.5)
        c.line(self.xs[0], self.y, self.xs[-1], self.y)
