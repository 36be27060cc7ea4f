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


def colour(rate: float | None, breaks: tuple[float, ...]) -> str:
    """The class colour of a rate (None: no data, grey)."""
    if rate is None:
        return "#e0e0e0"
    for i, limit in enumerate(breaks):
        if rate <= limit:
            return COLOURS[i]
    return COLOURS[-1]


def breaks_for(rates: list[float]) -> tuple[float, ...]:
    """Quantile class limits for five colours."""
    ordered = sorted(rates)
    if not ordered:
        return (0, 0, 0, 0)
    return tuple(ordered[min(len(ordered) - 1, int(len(ordered) * q))] for q in (0.2, 0.4, 0.6, 0.8))
