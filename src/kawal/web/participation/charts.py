"""A scatter plot with its fitted line, as inline SVG (no JavaScript)."""

from __future__ import annotations

import html

from kawal.engine import Fit


def scatter(points: list[tuple[str, float, float]], fit: Fit | None, names: dict[str, str], width: int = 560) -> str:
    """x: sosialisasi reach per 1,000 voters; y: turnout change in percentage points."""
    height, pad = 360, 48
    xs = [x for _k, x, _y in points] or [0.0]
    ys = [y for _k, _x, y in points] or [0.0]
    x_max = max(max(xs), 1.0) * 1.1
    y_low, y_high = min(min(ys), 0.0) - 1, max(max(ys), 0.0) + 1

    def px(x: float) -> float:
        return pad + (width - 2 * pad) * x / x_max

    def py(y: float) -> float:
        return height - pad - (height - 2 * pad) * (y - y_low) / (y_high - y_low)

    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" class="scatter" font-family="sans-serif" font-size="12" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{pad}" x2="{width - pad}" y1="{py(0):.1f}" y2="{py(0):.1f}" stroke="#999"/>',
        f'<line x1="{pad}" x2="{pad}" y1="{pad / 2}" y2="{height - pad}" stroke="#999"/>',
        f'<text x="{width / 2}" y="{height - 10}" text-anchor="middle">peserta sosialisasi per 1.000 pemilih</text>',
        f'<text x="14" y="{height / 2}" transform="rotate(-90 14 {height / 2})" text-anchor="middle">'
        "perubahan partisipasi (poin)</text>",
    ]
    for tick in (0, x_max / 2, x_max):
        shown = f"{tick:.1f}".replace(".", ",")  # the axis reads the Indonesian way: 12,5
        parts.append(f'<text x="{px(tick):.1f}" y="{height - pad + 16}" text-anchor="middle">{shown}</text>')
    for tick in (y_low, 0.0, y_high):
        shown = f"{tick:+.1f}".replace(".", ",")
        parts.append(f'<text x="{pad - 6}" y="{py(tick) + 4:.1f}" text-anchor="end">{shown}</text>')
    if fit is not None:
        parts.append(
            f'<line x1="{px(0):.1f}" y1="{py(fit.intercept):.1f}" x2="{px(x_max):.1f}" '
            f'y2="{py(fit.intercept + fit.slope * x_max):.1f}" stroke="#c62828" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    for kode, x, y in points:
        per, points_ = f"{x:.1f}".replace(".", ","), f"{y:+.1f}".replace(".", ",")  # Indonesian: 12,5 and +2,1
        label = html.escape(f"{names.get(kode, kode)}: {per} per 1.000, {points_} poin")
        parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="5" fill="#1565c0"><title>{label}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)
