"""Audit speed and accuracy on the synthetic city.

Generates the city (cached under bench/out/), imports it as a snapshot, audits the snapshot in a child process
(so its peak memory is its own), and scores every check against the generator's ground truth. Also times the
audit straight from the CSV (import included), as a user running ``kawal audit dpt.csv`` would.

    .venv/bin/python bench/audit_bench.py [--voters 1377828] [--seed 2024] [--skip-csv]

Targets on the 2-core machine: 1.38 M rows in <= 15 s wall and <= 4 GiB; PEMILIH_GANDA F1 >= 0.98; rule
checks exact.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from common import kawal, run_measured

OUT = Path(__file__).parent / "out" / "audit"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=1_377_828)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--skip-csv", action="store_true", help="do not time the audit straight from CSV")
    args = parser.parse_args()

    city = OUT / f"city-{args.voters}-{args.seed}"
    if not (city / "truth.csv").exists():
        seconds, peak = run_measured(
            kawal("generate", "--voters", str(args.voters), "--seed", str(args.seed), "--out", str(city))
        )
        print(f"generate      {args.voters:>12,} rows {seconds:8.1f} s {peak:8.0f} MiB peak")
    data = OUT / "data"
    shutil.rmtree(data, ignore_errors=True)
    seconds, peak = run_measured(
        kawal("import", str(city / "dpt.csv"), "--stage", "DPT", "--wilayah", "3671", "--data", str(data))
    )
    print(
        f"import csv    {args.voters:>12,} rows {seconds:8.1f} s {peak:8.0f} MiB peak  {args.voters / seconds:,.0f} rows/s"
    )

    result = OUT / "result"
    seconds, peak = run_measured(kawal("audit", "1", "--data", str(data), "--out", str(result)))
    print(
        f"audit snapshot{args.voters:>12,} rows {seconds:8.1f} s {peak:8.0f} MiB peak  {args.voters / seconds:,.0f} rows/s"
    )
    if not args.skip_csv:
        seconds_csv, peak_csv = run_measured(
            kawal("audit", str(city / "dpt.csv"), "--wilayah", "3671", "--out", str(OUT / "result-csv"))
        )
        print(f"audit csv     {args.voters:>12,} rows {seconds_csv:8.1f} s {peak_csv:8.0f} MiB peak  (import included)")

    from kawal.synth.score import score_audit

    scores = score_audit(result / "findings.csv", city / "truth.csv", city / "dpt.csv")
    print(f"\n{'check':<22}{'TP':>9}{'FP':>8}{'FN':>8}{'precision':>11}{'recall':>9}{'F1':>8}")
    for check, s in scores.items():
        print(
            f"{check:<22}{s.true_positives:>9,}{s.false_positives:>8,}{s.false_negatives:>8,}{s.precision:>11.4f}{s.recall:>9.4f}{s.f1:>8.4f}"
        )


if __name__ == "__main__":
    main()
