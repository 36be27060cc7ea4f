"""Candidate names for the public results.

The election's own candidates come first (``election.candidates``: number, name, kolom kosong, kept by the
results app). An election without them falls back to the shipped Sirekap figures of Pilkada 2024
(``data/pilkada2024_kecamatan_sirekap.csv``, KPU) when it is that election, else to "Paslon N".
"""

from __future__ import annotations

import csv
from functools import cache
from typing import TYPE_CHECKING

from kawal.engine import PILKADA_2024
from kawal.web.participation.service import SIREKAP_2024

if TYPE_CHECKING:
    from kawal.web.participation.models import Election


@cache
def _shipped() -> dict[str, dict[int, str]]:
    """pemilihan → {nomor urut: names as KPU wrote them}, from the city rows of the Sirekap file."""
    out: dict[str, dict[int, str]] = {}
    with SIREKAP_2024.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if len(row["kode_wilayah"]) == 4 and row["nomor_urut"].isdigit():
                out.setdefault(row["pemilihan"], {})[int(row["nomor_urut"])] = row["nama_paslon"].strip()
    return out


def _stored(election: Election) -> dict[int, str]:
    related = getattr(election, "candidates", None)
    if related is None or not hasattr(related, "all"):
        return {}
    return {c.number: ("Kolom kosong" if c.kolom_kosong else c.name) for c in related.all() if c.name or c.kolom_kosong}


def names(election: Election) -> dict[int, str]:
    """{nomor urut: the pair's names} for every ballot column of the election; "Paslon N" where none is known."""
    known = _stored(election)
    if not known and getattr(election, "held_on", None) == PILKADA_2024.day:
        known = _shipped().get(getattr(election, "pemilihan", ""), {})
    return {n: known.get(n) or f"Paslon {n}" for n in range(1, int(election.paslon) + 1)}
