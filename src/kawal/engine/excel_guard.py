"""Measure a spreadsheet's sheets in a child process with bounded memory before reading it (issue 16).

calamine holds a sheet as a dense grid from A1 to its last cell, empty cells included. A 5 kB XLSX naming one
cell at row 100,000, column 2,000 took 6 GB and 30 s to open; one cell at XFD1048576 would ask for 500 GB. The
extent lies in the file's own content (cell references, repeat counts), so it cannot be known without parsing:
the child parses under an address-space limit, and a sheet too large to measure, or measured too large, is
refused before the importer opens it. The child is started with ``python -m``, as the PDF reader's workers are.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from kawal.i18n import KawalError

MAX_CELLS = 50_000_000  # rows × columns of one sheet: a full XLSX sheet of a voter list is about 21 M
MAX_COLUMNS = 1_000  # a voter list has about 20
MEMORY_BYTES = 3 * 2**30  # the child's address space: the grid of MAX_CELLS and Python itself
SECONDS = 300

TOO_LARGE = (
    "{name}: lembar {sheet} terlalu besar ({rows} baris × {columns} kolom; paling banyak {cells} sel, "
    "{max_columns} kolom)",
    "{name}: sheet {sheet} is too large ({rows} rows × {columns} columns; at most {cells} cells, "
    "{max_columns} columns)",
)
UNMEASURABLE = (
    "{name}: lembar kerja tidak dapat dibuka dengan batas memori (terlalu besar atau rusak)",
    "{name}: the workbook cannot be opened within the memory limit (too large or damaged)",
)


def check(path: Path) -> None:
    """Raise :class:`KawalError` unless every sheet of ``path`` lies within MAX_CELLS and MAX_COLUMNS."""
    paths = [str(Path(__file__).parents[2]), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", __name__, str(path)], env=env, capture_output=True, timeout=SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise KawalError(UNMEASURABLE, name=path.name) from None
    if done.returncode != 0:
        raise KawalError(UNMEASURABLE, name=path.name)
    for sheet, rows, columns in json.loads(done.stdout):
        if rows * columns > MAX_CELLS or columns > MAX_COLUMNS:
            raise KawalError(
                TOO_LARGE, name=path.name, sheet=sheet, rows=rows, columns=columns, cells=MAX_CELLS,
                max_columns=MAX_COLUMNS,
            )  # fmt: skip


def _measure(path: str) -> list[tuple[str, int, int]]:
    from python_calamine import CalamineWorkbook

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    workbook = CalamineWorkbook.from_path(path)
    sizes = []
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        sizes.append((name, sheet.height, sheet.width))
    return sizes


if __name__ == "__main__":
    print(json.dumps(_measure(sys.argv[1])))
