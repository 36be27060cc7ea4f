"""Turnout, the gap to a target, where to focus, and whether voter education went with higher turnout.

Pure arithmetic, no Django: the web app's participation pages and the tests use it. A unit is any wilayah (kota,
kecamatan, kelurahan) or a TPS, identified by its KPU code.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kawal.engine.elections import DEFAULT
from kawal.i18n import KawalError

TARGET = DEFAULT.turnout_target  # KPU Kota Tangerang's turnout target for Pilkada 2024


@dataclass(frozen=True)
class Turnout:
    kode: str
    dpt: int
    votes: int  # ballots cast, valid and invalid (pengguna hak pilih)

    @property
    def rate(self) -> float | None:
        return self.votes / self.dpt if self.dpt else None

    def gap(self, target: float = TARGET) -> float | None:
        """Percentage points short of the target (0 when reached)."""
        return max(0.0, target - self.rate) if self.rate is not None else None

    def voters_needed(self, target: float = TARGET) -> int:
        """How many more voters would have had to come out to reach the target: the gap × the voters."""
        return max(0, math.ceil(target * self.dpt - self.votes - 1e-9))


@dataclass(frozen=True)
class Reach:
    events: int = 0
    people: int = 0  # attendance summed over events

    def per_thousand(self, dpt: int) -> float:
        return 1000 * self.people / dpt if dpt else 0.0


@dataclass(frozen=True)
class Priority:
    rank: int
    turnout: Turnout
    needed: int
    reach: Reach


def rank(units: Iterable[Turnout], reach: dict[str, Reach], target: float = TARGET) -> list[Priority]:
    """Units ordered by the voters needed to reach the target, largest first (ties by code)."""
    ordered = sorted(units, key=lambda u: (-u.voters_needed(target), u.kode))
    return [Priority(i, u, u.voters_needed(target), reach.get(u.kode, Reach())) for i, u in enumerate(ordered, 1)]


def rake(valid: dict[str, int], completeness: dict[str, float], total: int) -> dict[str, int]:
    """Spread an official total (the plenary's ballots cast) over units in proportion to their partial counts
    (Sirekap's valid votes, divided by the share of TPS already in), so the parts add up to the official whole.
    Largest remainder keeps it exact."""
    scaled = {k: v / completeness[k] if completeness.get(k) else 0.0 for k, v in valid.items()}
    weight = sum(scaled.values())
    if not weight:
        raise KawalError(("tidak ada suara untuk dibagi", "no votes to spread"))
    exact = {k: total * v / weight for k, v in scaled.items()}
    out = {k: math.floor(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: (-(exact[k] - out[k]), k))[: total - sum(out.values())]:
        out[k] += 1
    return out


def allocate_dpt(total: int, weights: dict[str, int]) -> dict[str, int]:
    """An official DPT spread over units by a known weight (e.g. their TPS), when the list itself is not at hand."""
    return rake({k: int(v) for k, v in weights.items()}, dict.fromkeys(weights, 1.0), total)


@dataclass(frozen=True)
class Fit:
    slope: float
    intercept: float
    r2: float
    n: int


def fit_line(points: list[tuple[float, float]]) -> Fit | None:
    """Least-squares line y = a + b x (None with fewer than 3 points or no spread in x)."""
    n = len(points)
    if n < 3:
        return None
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in points)
    syy = sum((y - my) ** 2 for _, y in points)
    slope = sxy / sxx
    r2 = (sxy * sxy) / (sxx * syy) if syy else 0.0
    return Fit(slope, my - slope * mx, r2, n)


# --- reading past results: the columns of KPU's Sirekap tallies per wilayah ------------------------------------

SIREKAP_COLUMNS = ("pemilihan", "kode_wilayah", "nama_wilayah", "nomor_urut", "suara", "tps_total", "tps_masuk")


@dataclass(frozen=True)
class Tally:
    pemilihan: str
    kode: str
    nama: str
    valid: int  # Σ paslon votes
    tps_total: int
    tps_in: int

    @property
    def completeness(self) -> float:
        return self.tps_in / self.tps_total if self.tps_total else 0.0


def read_sirekap_tallies(path: Path) -> list[Tally]:
    """Tallies per wilayah and ballot from a CSV in the columns of ``pilkada2024_kecamatan_sirekap.csv`` (one row per
    paslon), in UTF-8 or as Excel on Windows saves it (Windows-1252, or UTF-16). Errors name the row and the
    column."""
    sums: dict[tuple[str, str], list] = {}
    try:
        reader = csv.DictReader(io.StringIO(decoded_text(path), newline=""))
        missing = [c for c in SIREKAP_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise KawalError(
                ("{f}: kolom tidak ada: {c}", "{f}: missing columns: {c}"), f=path.name, c=", ".join(missing)
            )
        for number, row in enumerate(reader, start=2):
            key = (_cell(row, "pemilihan"), _cell(row, "kode_wilayah"))  # a short row leaves its last cells None
            numbers = {c: _count(path, number, row, c) for c in ("suara", "tps_total", "tps_masuk")}
            entry = sums.setdefault(key, [_cell(row, "nama_wilayah"), 0, numbers["tps_total"], numbers["tps_masuk"]])
            entry[1] += numbers["suara"]
    except csv.Error as error:  # a quote never closed, a field past the csv module's limit: the row, not its text
        raise KawalError(
            ("{f}: bukan CSV yang terbaca (sekitar baris {r})", "{f}: not a readable CSV (near line {r})"),
            f=path.name,
            r=reader.line_num + 1,  # the line being read when it failed
        ) from error
    return [Tally(p, k, nama, valid, total, tps_in) for (p, k), (nama, valid, total, tps_in) in sorted(sums.items())]


def decoded_text(path: Path) -> str:
    """The file's text: UTF-16 by its BOM, UTF-8 (with or without BOM) when it decodes as such, else Windows-1252
    (what Excel on Windows writes for "CSV"), as the voter-list reader does. Bytes Windows-1252 leaves undefined
    become U+FFFD rather than an error: a name may show a replacement mark, a number does not pass as one."""
    raw = path.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _cell(row: dict, column: str) -> str:
    return (row.get(column) or "").strip()


def _count(path: Path, number: int, row: dict, column: str) -> int:
    text = _cell(row, column)
    if not (text.isascii() and text.isdigit()):  # "²".isdigit() holds, int("²") fails
        raise KawalError(
            (
                "{f} baris {r}: kolom {c} harus bilangan bulat, bukan {v!r}",
                "{f} row {r}: column {c} must be a whole number, not {v!r}",
            ),
            f=path.name,
            r=number,
            c=column,
            v=text,
        )
    return int(text)
