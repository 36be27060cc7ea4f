"""Issue 19: the tanggapan PDF read as a reader reads it (pdfplumber, page by page, cell by cell), not searched as
raw bytes: a coordinator's copy names the new voter with NIK and NKK masked and holds no unmasked NIK anywhere
(cells, title, detail); KPU's copy of the same tanggapan does show them in full, so the masking is what is tested,
not a PDF whose text could not be read."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from django.urls import reverse

from tests.web.conftest import login
from tests.web.test_pps_tanggapan import CORRECT_NIK, NIK, NKK, _compiled, visit  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def _read(pdf: bytes) -> tuple[str, list[list[str]]]:
    """The PDF's text and its table rows (header repeated on each page, taken once)."""
    assert pdf.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
        rows = [
            [" ".join((cell or "").split()) for cell in row]
            for page in document.pages
            for table in page.extract_tables()
            for row in table
        ]
    header = rows[0]
    return text, [header, *(r for r in rows if r != header)]


def _person(rows: list[list[str]], name: str) -> dict[str, str]:
    header = rows[0]
    found = [dict(zip(header, row, strict=True)) for row in rows[1:] if name in row]
    assert len(found) == 1, rows
    return found[0]


def test_the_coordinators_pdf_shows_numbers_masked_and_kpus_in_full(client, visit):  # noqa: F811
    made = _compiled(client, visit)
    login(client, "koordinator.cipondoh")
    text, rows = _read(client.get(reverse("tanggapan_export", args=[made.pk, "pdf"])).content)
    assert "TANGGAPAN MASYARAKAT" in text and len(rows) == 3  # the header, the listed voter, the new voter
    new = _person(rows, "SITI AMINAH")
    assert new["NIK"] == NIK[:6] + "*" * 10 and new["NKK"] == NKK[:6] + "*" * 10
    assert all(cell.startswith("367105") and cell.endswith("*") for row in rows[1:] for cell in row[1:3])
    # a number the PDF wraps inside its cell is still a number: look with the line breaks taken out
    assert not [cell for row in rows for cell in row if SIXTEEN_DIGITS.search(cell.replace(" ", ""))], rows
    flat = re.sub(r"\s", "", text)
    assert NIK not in flat and NKK not in flat and CORRECT_NIK not in flat

    login(client, "admin.kpu")
    text, rows = _read(client.get(reverse("tanggapan_export", args=[made.pk, "pdf"])).content)
    new = _person(rows, "SITI AMINAH")
    assert (new["NIK"].replace(" ", ""), new["NKK"].replace(" ", "")) == (NIK, NKK)
    assert CORRECT_NIK in re.sub(r"\s", "", text)  # the correction, in full for KPU
