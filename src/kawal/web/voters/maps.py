"""Kelurahan maps drawn as inline SVG on the server: no tile server, no JavaScript, works offline.

Boundaries: Kota Tangerang's 104 kelurahan (cahyadsn/wilayah_boundaries, MIT; "Sumber batas: BIG / Kemendagri"),
shipped in ``static/geo/``. Another city drops its GeoJSON (properties ``kode_kpu`` and ``nama``) in the same
place and sets ``KAWAL_GEOJSON``.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

WIDTH = 640
COLOURS = ("#fff5f0", "#fcbba1", "#fb6a4a", "#cb181d", "#67000d")  # ColorBrewer Reds, 5 classes


@dataclass(frozen=True)
class Shape:
    kode: str
    nama: str
    path: str


def _default_geojson() -> Path:
    return Path(
        os.environ.get("KAWAL_GEOJSON")
        or Path(__file__).resolve().parent.parent / "static/geo/kota_tangerang_kelurahan.geojson"
    )


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


@cache
def shapes(path: Path | None = None) -> tuple[tuple[Shape, ...], int]:
    """Every kelurahan as an SVG path in a WIDTH-wide box, and the box's height."""
    features = json.loads((path or _default_geojson()).read_text(encoding="utf-8"))["features"]
    points = [p for f in features for ring in _rings(f["geometry"]) for p in ring]
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    squash = math.cos(math.radians((min_y + max_y) / 2))  # metres per degree of longitude shrink with latitude
    scale = WIDTH / ((max_x - min_x) * squash)
    height = int((max_y - min_y) * scale) + 1

    def project(p: list[float]) -> str:
        return f"{(p[0] - min_x) * squash * scale:.1f},{(max_y - p[1]) * scale:.1f}"

    drawn = []
    for f in features:
        d = " ".join("M" + " L".join(project(p) for p in ring) + " Z" for ring in _rings(f["geometry"]))
        drawn.append(Shape(f["properties"].get("kode_kpu", ""), f["properties"].get("nama", ""), d))
    return tuple(drawn), height


GREENS = ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c")  # ColorBrewer Greens: more is better


def colour(rate: float | None, breaks: tuple[float, ...], colours: tuple[str, ...] = COLOURS) -> str:
    """The class colour of a rate (None: no data, grey)."""
    if rate is None:
        return "#e0e0e0"
    for i, limit in enumerate(breaks):
        if rate <= limit:
            return colours[i]
    return colours[-1]


def nice_step(span: float, classes: int) -> float:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten) that covers ``span`` in ``classes`` steps."""
    if span <= 0:
        return 1.0
    raw = span / classes
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude * (1 + 1e-9))


def breaks_for(rates: list[float], classes: int = len(COLOURS)) -> tuple[float, ...]:
    """Class limits of equal, round width from zero (or the lowest value, when below zero): one fewer than the
    number of colours. Equal widths keep close values in the same or neighbouring classes; quantiles would put
    2.0% and 2.7% at opposite ends when every kelurahan lies between them."""
    if not rates:
        return (0,) * (classes - 1)
    low = min(0.0, min(rates))
    step = nice_step(max(rates) - low, classes)
    return tuple(round(low + step * i, 12) for i in range(1, classes))


def choropleth(rates: dict[str, float | None], colours: tuple[str, ...] = COLOURS) -> dict:
    """What a map template draws: every kelurahan with its value and fill, the box, and the legend."""
    shape_list, height = shapes()
    breaks = breaks_for([r for r in rates.values() if r is not None], len(colours))
    drawn = [
        {
            "kode": s.kode,
            "nama": s.nama,
            "path": s.path,
            "fill": colour(rates.get(s.kode), breaks, colours),
            "rate": rates.get(s.kode),
        }
        for s in shape_list
    ]
    low = min([0.0, *(r for r in rates.values() if r is not None)])
    legend = [(colours[i], breaks[i - 1] if i else low) for i in range(len(colours))]
    classes = [
        {"colour": c, "low": lo, "high": breaks[i] if i < len(breaks) else None} for i, (c, lo) in enumerate(legend)
    ]
    missing = any(rates.get(s.kode) is None for s in shape_list)
    return {"shapes": drawn, "width": WIDTH, "height": height, "legend": legend, "classes": classes, "missing": missing}
