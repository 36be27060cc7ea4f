"""kawal at national scale: generate a 10 M-row list, audit it with the default (estimated) settings, score it.

The list (kawal's generator) is generated once into bench/out/scale/city-<n>-<seed>/ (kept between runs; the
generation's wall time and peak memory are kept beside it in bench-generate.json). Then ``kawal audit dpt.csv`` runs
as a user would run it, import included, in a child process (wall seconds and peak memory are that process's own),
with the default duplicate threshold. PEMILIH_GANDA is scored per pair against the truth and set beside the audit's
own estimates of its precision and recall (summary.json -> duplicates).

    .venv/bin/python bench/scale_bench.py [--voters 10000000] [--seed 2024] [--memory 1536MB]

``--memory`` is the audit's (default: the audit's own, kawal.engine.memory.MEMORY_LIMIT): under it DuckDB spills to
disk, so the figures say what the default costs on a list this size; a larger one shows what memory buys.

Writes bench/out/scale/results.md and results.json. Needs about 20 GiB of memory to generate 10 M rows and about
6 GB of disk.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from common import GIB, OUT, estimates, kawal, load, run_measured
from kawal.engine.memory import MEMORY_LIMIT
from kawal.synth.score import score_audit

SCALE = OUT / "scale"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--memory", default=MEMORY_LIMIT)
    args = parser.parse_args()
    city = SCALE / f"city-{args.voters}-{args.seed}"
    row = {"rows": args.voters, "generate": generate(city, args.voters, args.seed), "audit": audit(city, args.memory)}
    text = report(row)
    print(text)
    (SCALE / "results.md").write_text(text + "\n")
    (SCALE / "results.json").write_text(json.dumps(row, indent=2) + "\n")
    print(f"\n→ {SCALE / 'results.md'}, {SCALE / 'results.json'}")


def generate(city: Path, voters: int, seed: int) -> dict:
    """Generate the list once; its figures are kept beside it."""
    figures = city / "bench-generate.json"
    if (city / "truth.csv").exists() and figures.exists():
        return json.loads(figures.read_text())
    before = load()
    seconds, peak = run_measured(kawal("generate", "--voters", str(voters), "--seed", str(seed), "--out", str(city)))
    found = {"wall_s": round(seconds, 1), "peak_gib": round(peak / GIB, 2), "load": before, "disk": disk(city)}
    figures.write_text(json.dumps(found) + "\n")
    return found


def disk(city: Path) -> dict:
    free = shutil.disk_usage(city).free
    sizes = {f.name: f.stat().st_size for f in city.iterdir() if f.is_file()}
    return {"free_gb": round(free / 1e9, 1), **{k: round(v / 1e9, 2) for k, v in sizes.items()}}


def audit(city: Path, memory: str) -> dict:
    """``kawal audit dpt.csv`` with the default settings (but ``memory``), then its PEMILIH_GANDA pairs scored against the truth."""
    result, data = city / "audit", city / "kawal-data"
    shutil.rmtree(result, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)
    before = load()
    try:
        seconds, peak = run_measured(
            kawal(
                "audit",
                str(city / "dpt.csv"),
                "--wilayah",
                "3671",
                "--out",
                str(result),
                "--data",
                str(data),
                "--memory",
                memory,
            )
        )
    finally:
        shutil.rmtree(data, ignore_errors=True)
    after = load()
    summary = json.loads((result / "summary.json").read_text())
    pairs = score_audit(result / "findings.csv", city / "truth.csv", city / "dpt.csv")["PEMILIH_GANDA_PAIRS"]
    return {
        "memory": memory,
        "wall_s": round(seconds, 1),
        "peak_gib": round(peak / GIB, 2),
        "load_before": before,
        "load_after": after,
        "steps_s": summary.get("seconds", {}),
        "candidate_pairs": summary.get("duplicates", {}).get("candidate_pairs"),
        "linked_pairs": summary.get("duplicates", {}).get("linked_pairs"),
        "tp": pairs.true_positives,
        "fp": pairs.false_positives,
        "fn": pairs.false_negatives,
        "precision": round(pairs.precision, 4),
        "recall": round(pairs.recall, 4),
        "f1": round(pairs.f1, 4),
        **estimates(result / "summary.json"),
    }


def report(row: dict) -> str:
    g, a = row["generate"], row["audit"]
    steps = ", ".join(f"{k} {v} s" for k, v in a["steps_s"].items())
    return "\n".join(
        [
            "| step | rows | wall s | peak GiB | load (1/5/15 min) |",
            "| --- | ---: | ---: | ---: | --- |",
            f"| kawal generate | {row['rows']:,} | {g['wall_s']:.1f} | {g['peak_gib']:.2f} | {g['load']} |",
            f"| kawal audit dpt.csv --memory {a['memory']} | {row['rows']:,} | {a['wall_s']:.1f} | {a['peak_gib']:.2f} | "
            f"{a['load_before']} → {a['load_after']} |",
            "",
            "| PEMILIH_GANDA pairs | threshold | candidates | linked | TP | FP | FN | P | R | F1 | est P | est R |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| against the truth | {a.get('threshold')} | {a['candidate_pairs']:,} | {a['linked_pairs']:,} | "
            f"{a['tp']:,} | {a['fp']:,} | {a['fn']:,} | {a['precision']:.4f} | {a['recall']:.4f} | {a['f1']:.4f} | "
            f"{a.get('est_precision')} | {a.get('est_recall')} |",
            "",
            f"Audit steps: {steps}. Disk after generating (GB): {', '.join(f'{k} {v}' for k, v in g['disk'].items())}.",
        ]
    )


if __name__ == "__main__":
    main()
