"""Issue 16: XLSX sheet size was unbounded. calamine holds a sheet as a dense grid up to its last cell, so a file
of a few kilobytes naming one far cell took gigabytes (100,000 rows × 2,000 columns: 6 GB and 30 s). The sheets
are measured in a child process with bounded memory first, and refused when too large."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest
import xlsxwriter

from kawal.engine import excel_guard, readers
from kawal.engine.sql import connect
from kawal.i18n import KawalError


def _sheet(path: Path, far_row: int, far_column: int) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("DPT")
    for column, title in enumerate(["NAMA", "NIK", "TANGGAL LAHIR", "ALAMAT"]):
        sheet.write(0, column, title)
    sheet.write_row(1, 0, ["BUDI", "3671051708900003", "17-08-1990", "JL. MERDEKA"])
    sheet.write(far_row, far_column, "x")
    book.close()
    return path


def _read(path: Path, tmp_path: Path) -> None:
    readers.read_into(connect(), path, tmp_path)


def test_a_sheet_too_wide_is_refused_by_its_measure(tmp_path):
    path = _sheet(tmp_path / "lebar.xlsx", 10, excel_guard.MAX_COLUMNS + 10)
    with pytest.raises(KawalError, match=r"terlalu besar|too large"):
        _read(path, tmp_path)


def test_a_few_kilobytes_asking_for_gigabytes_are_refused_without_taking_them(tmp_path):
    path = _sheet(tmp_path / "bom.xlsx", 1_048_575, 16_383)  # XFD1048576: 17 G cells, 500 GB as a grid
    assert path.stat().st_size < 10_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(KawalError):
        _read(path, tmp_path)
    assert time.perf_counter() - started < 60
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 500 * 1024  # KiB: this process grew little


def test_an_ordinary_sheet_is_read(tmp_path):
    path = _sheet(tmp_path / "biasa.xlsx", 2, 3)
    info = readers.read_into(con := connect(), path, tmp_path)
    assert info.format == "xlsx" and con.execute("SELECT count(*) FROM raw_excel").fetchone()[0] == 2
