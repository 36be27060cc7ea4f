"""PDF import speed: a 20,000-voter kelurahan written to KPU's posting layout, then ``kawal import`` on it.

The voters come from ``kawal generate``, labelled as one kelurahan (Sukarasa, Kec. Tangerang) with ~500 voters
per TPS, as a kelurahan's DPS would be posted: every TPS starts a page, long names and addresses wrap, rows
break across pages. The import runs in its own process; its peak memory is that of the whole process tree
(the importer and its page-reading workers), sampled from /proc. Target: <= 60 s on 2 cores.

    .venv/bin/python bench/pdf_import_bench.py [--rows 20000] [--per-tps 500]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import time
from pathlib import Path

from common import kawal, run_measured
from kawal.engine.snapshots import SnapshotStore
from kawal.synth.pdf_layout import write_pdf

OUT = Path(__file__).parent / "out" / "pdf"


def kelurahan_rows(rows: int, per_tps: int) -> list[dict[str, str]]:
    folder = OUT / f"city-{rows}"
    if not (folder / "dpt.csv").exists():
        run_measured(kawal("generate", "--voters", str(rows), "--out", str(folder)))
    with (folder / "dpt.csv").open(encoding="utf-8") as f:
        voters = list(csv.DictReader(f))
    for i, row in enumerate(voters):
        row.update(kode_kelurahan="3671011001", kelurahan="SUKARASA", kecamatan="TANGERANG")
        row["tps"] = f"{i // per_tps + 1:03d}"
    return voters


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, MiB."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


def import_measured(path: Path, data: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, workers included) and the peak memory of the import's whole
    process tree. CPU / cores is what the wall time would be on an otherwise idle machine."""
    shutil.rmtree(data, ignore_errors=True)
    command = kawal("import", str(path), "--stage", "DPS", "--wilayah", "3671", "--data", str(data))
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak = 0.0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_rss_mib(child.pid))
        time.sleep(0.05)
    if status:
        raise SystemExit(f"import failed ({status})")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--per-tps", type=int, default=500)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"dps-kelurahan-{args.rows}.pdf"
    started = time.perf_counter()
    written = write_pdf(kelurahan_rows(args.rows, args.per_tps), path)
    print(
        f"write  {written.rows:,} rows, {written.pages:,} pages ({written.split_rows} rows broken across pages), "
        f"{path.stat().st_size / 2**20:.1f} MiB in {time.perf_counter() - started:.1f} s"
    )
    data = OUT / "data"
    seconds, cpu, peak = import_measured(path, data)
    counts = SnapshotStore(data).list()[-1].counts
    print(
        f"import {counts['rows_in']:,} rows in ({counts['loaded']:,} loaded + {counts['rejected']:,} rejected)  "
        f"{seconds:.1f} s  {counts['rows_in'] / seconds:,.0f} rows/s  {written.pages / seconds:.0f} pages/s  "
        f"{cpu:.1f} s CPU  {peak:.0f} MiB peak (all processes)  target <= 60 s: {'ok' if seconds <= 60 else 'MISSED'}"
    )
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
