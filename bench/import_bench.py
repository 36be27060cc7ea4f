"""Import speed: the 1.38 M-row synthetic city from CSV, and 200 k rows from XLSX.

Each import runs in its own process so its peak memory (max RSS) is its own. Prints rows per second, wall
time and peak memory, and the ratio of the two formats.

    .venv/bin/python bench/import_bench.py [--voters 1377828] [--xlsx-rows 200000]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from common import kawal, run_measured

OUT = Path(__file__).parent / "out" / "import"


def generate(voters: int) -> Path:
    folder = OUT / f"city-{voters}"
    if not (folder / "dpt.csv").exists():
        seconds, peak = run_measured(kawal("generate", "--voters", str(voters), "--out", str(folder)))
        print(f"generate {voters:>10,} rows  {seconds:7.1f} s  {peak:7.0f} MiB peak")
    return folder / "dpt.csv"


def write_xlsx(csv_path: Path, rows: int) -> Path:
    """The first ``rows`` rows of the city as an XLSX sheet, numbers stored as text as KPU exports do."""
    import csv

    import xlsxwriter

    target = csv_path.parent / f"dpt-{rows}.xlsx"
    if target.exists():
        return target
    book = xlsxwriter.Workbook(target, {"constant_memory": True})
    sheet = book.add_worksheet("DPT")
    with csv_path.open(encoding="utf-8") as f:
        for i, record in enumerate(csv.reader(f)):
            if i > rows:
                break
            sheet.write_row(i, 0, record)
    book.close()
    return target


def import_once(path: Path, data: Path) -> tuple[float, float]:
    shutil.rmtree(data, ignore_errors=True)
    return run_measured(kawal("import", str(path), "--stage", "DPT", "--wilayah", "3671", "--data", str(data)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=1_377_828)
    parser.add_argument("--xlsx-rows", type=int, default=200_000)
    args = parser.parse_args()
    csv_path = generate(args.voters)
    xlsx_path = write_xlsx(csv_path, args.xlsx_rows)
    data = OUT / "data"
    print(f"{'format':<6} {'rows':>10} {'wall s':>8} {'rows/s':>10} {'peak MiB':>9}  file")
    results = {}
    for label, path, rows in (("csv", csv_path, args.voters), ("xlsx", xlsx_path, args.xlsx_rows)):
        seconds, peak = import_once(path, data)
        results[label] = rows / seconds
        size = path.stat().st_size / 2**20
        print(
            f"{label:<6} {rows:>10,} {seconds:>8.1f} {rows / seconds:>10,.0f} {peak:>9.0f}  {path.name} ({size:,.0f} MiB)"
        )
    print(f"csv/xlsx throughput ratio: {results['csv'] / results['xlsx']:.1f}x")
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
