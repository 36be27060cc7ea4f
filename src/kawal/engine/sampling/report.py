"""Estimates as a table file and as an interval plot (inline SVG, no JavaScript): each row a point and its
confidence interval, the overall estimate first and in bold, so a reader sees at once how sure each number is."""

from __future__ import annotations

import csv
import html
from collections.abc import Iterable
from pathlib import Path
from typing import cast

from kawal.engine.sampling.estimate import Estimate
from kawal.i18n import number

CSV_COLUMNS = (
    "kategori",
    "strata",
    "diambil",
    "terjawab",
    "dasar",
    "jumlah",
    "tingkat",
    "bawah",
    "atas",
    "tidak_terjawab",
)


def write_csv(estimates: Iterable[Estimate], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(CSV_COLUMNS)
        for e in estimates:
            out.writerow(
                (
                    e.category,
                    e.stratum or "semua",
                    e.drawn,
                    e.responded,
                    e.base,
                    e.count,
                    *(_fmt(v) for v in (e.rate, e.low, e.high, e.nonresponse)),
                )
            )


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


def interval_svg(
    estimates: list[Estimate], labels: dict[str, str] | None = None, width: int = 520, lang: str | None = None
) -> str:
    """One row per estimate: the label, the interval as a line, the estimate as a dot, and the figures, written
    the way of ``lang`` (default: the active language): 3,1% in Indonesian."""
    labels = labels or {}
    rows = [e for e in estimates if e.rate is not None]
    top = max((e.high or 0 for e in rows), default=0.01)
    scale_max = _nice_max(top)
    left, right, row_h = 130, 190, 24
    plot_w = width - left - right
    height = row_h * (len(rows) + 1) + 10

    def x(value: float) -> float:
        return left + plot_w * value / scale_max

    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" class="intervals" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="14">'
    ]
    for tick in (0, scale_max / 2, scale_max):
        parts.append(f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="4" y2="{height - 18}" stroke="#ddd"/>')
        parts.append(
            f'<text x="{x(tick):.1f}" y="{height - 4}" text-anchor="middle" fill="#666">{number(tick, ".1%", lang)}</text>'
        )
    for i, e in enumerate(rows):
        y = row_h * i + 16
        label = labels.get(e.stratum, e.stratum) if e.stratum else labels.get("", "Semua")
        weight = ' font-weight="bold"' if not e.stratum else ""
        parts.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end"{weight}>{html.escape(label)}</text>')
        parts.append(
            f'<line x1="{x(e.low or 0):.1f}" x2="{x(e.high or 0):.1f}" y1="{y}" y2="{y}" stroke="#c62828" stroke-width="3"/>'
        )
        parts.append(
            f'<circle cx="{x(cast(float, e.rate)):.1f}" cy="{y}" r="4.5" fill="#67000d"><title>{_title(e, lang)}</title></circle>'
        )
        parts.append(f'<text x="{width - right + 8}" y="{y + 4}"{weight}>{_title(e, lang)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _title(e: Estimate, lang: str | None) -> str:
    return html.escape(describe(e, lang))


def describe(e: Estimate, lang: str | None = None) -> str:
    """ "3,1% (2,2%–4,0%) n=457" (in English "3.1% (2.2%–4.0%) n=457"): the estimate, its interval and what it
    rests on, written the way of ``lang`` (default: the active language)."""
    base = number(e.base, ",", lang)
    if e.rate is None:
        return f"– n={base}"
    rate, low, high = (number(v, ".1%", lang) for v in (e.rate, e.low, e.high))
    return f"{rate} ({low}–{high}) n={base}"


def _nice_max(value: float) -> float:
    for step in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0):
        if value <= step:
            return step
    return 1.0
