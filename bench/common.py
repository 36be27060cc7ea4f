"""Helpers the benchmark scripts share: run ``kawal`` in a child process and measure it; generate the test lists."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"
MATRIX = OUT / "matrix"  # generated lists, kept between runs: <profile>-<n>/ (dpt.csv, truth.csv, pairs.csv ...)
GIB = 1024  # MiB per GiB


def run_measured(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process, so each figure is that process's own."""
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(args)}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def kawal(*args: str) -> list[str]:
    """The command line of ``kawal`` in this interpreter."""
    return [sys.executable, "-m", "kawal", *args]


def load() -> str:
    """The machine's load averages (1, 5, 15 min), as ``uptime`` shows them: the CPU is shared, timings are noisy."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def all_profiles() -> list[str]:
    """``kawal`` (synth/generator.py) and every independent profile (kawal.synth.profiles, profile_arsip ...)."""
    from kawal.cli.generate import independent_profiles

    return ["kawal", *independent_profiles()]


def generate_list(profile: str, n: int, seed: int, root: Path = MATRIX) -> Path:
    """The folder of the ``profile`` list of ``n`` voters, generated once (kept between runs)."""
    city = root / f"{profile}-{n}"
    if not (city / "truth.csv").exists():
        extra = [] if profile == "kawal" else ["--profile", profile]
        seconds, peak = run_measured(
            kawal("generate", *extra, "--voters", str(n), "--seed", str(seed), "--out", str(city))
        )
        print(f"generated {profile}-{n} in {seconds:.1f} s, {peak / GIB:.2f} GiB peak (load {load()})")
    return city


def estimates(summary: Path) -> dict:
    """The matcher's own estimates of its precision and recall (and its threshold), if summary.json has them."""
    found: dict = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            dup = node.get("duplicates")
            if isinstance(dup, dict) and not found and ("estimated_precision" in dup or "estimated_recall" in dup):
                found.update(
                    est_precision=dup.get("estimated_precision"),
                    est_recall=dup.get("estimated_recall"),
                    threshold=dup.get("probability_threshold"),
                )
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    if summary.exists():
        walk(json.loads(summary.read_text()))
    return found
