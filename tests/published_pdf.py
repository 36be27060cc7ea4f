"""A published-form voter list as KPU hands it out: the Model A-Daftar Pemilih PDF with NIK/NKK after six digits and
the birth day and month hidden (kawal.synth.pdf_layout), made from a synthetic city's rows."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from kawal.synth.pdf_layout import Layout, write_pdf

PUBLISHED = Layout(mask_numbers=True, mask_dates=True)


def published_pdf(city: Path, path: Path, rows: int = 60) -> int:
    """Write the first ``rows`` voters of the city's largest kelurahan to ``path``; return how many were written."""
    with (city / "dpt.csv").open(newline="", encoding="utf-8") as f:
        voters = list(csv.DictReader(f))
    largest = Counter(v["kode_kelurahan"] for v in voters).most_common(1)[0][0]
    chosen = sorted((v for v in voters if v["kode_kelurahan"] == largest), key=lambda v: v["tps"])[:rows]
    return write_pdf(chosen, path, PUBLISHED).rows
