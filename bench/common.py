"""Helpers the benchmark scripts share: run ``kawal`` in a child process and measure it."""

from __future__ import annotations

import os
import subprocess
import sys
import time


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
