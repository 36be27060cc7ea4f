"""What the tests of the separate profiles (profile_arsip, profile_lapangan) share: reading their files, the birth
date a NIK spells, and one generated list with its files read."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def generated(folder: Path, generate: Callable[[int, int, Path], dict], voters: int, seed: int) -> tuple:
    """The list ``generate`` writes to ``folder``: the folder, its summary, dpt rows, truth by id, pairs and hard
    negatives."""
    summary = generate(voters, seed, folder)
    dpt = read(folder / "dpt.csv")
    truth = {r["id"]: r for r in read(folder / "truth.csv")}
    return folder, summary, dpt, truth, read(folder / "pairs.csv"), read(folder / "hard_negatives.csv")


def nik_date(nik: str, female: bool | None) -> date | None:
    """The birth date digits 7-12 of a NIK spell (the day plus 40 for a woman), in this century or the last."""
    dd, mm, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if female is None:
        female = dd > 40
    for year in (2000 + yy, 1900 + yy):
        try:
            return date(year, mm, dd - 40 * female)
        except ValueError:
            continue
    return None


FILES = ("dpt.csv", "truth.csv", "pairs.csv", "hard_negatives.csv", "generate.json")


def assert_deterministic(generate: Callable[[int, int, Path], dict], folder: Path) -> None:
    """One seed writes the same bytes twice; another seed writes another list."""
    a, b, c = folder / "a", folder / "b", folder / "c"
    generate(3_000, 9, a)
    generate(3_000, 9, b)
    generate(3_000, 10, c)
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "dpt.csv").read_bytes() != (c / "dpt.csv").read_bytes()
