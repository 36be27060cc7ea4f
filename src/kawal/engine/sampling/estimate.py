"""Error rates with confidence intervals from a drawn sample and what the field found.

List → people (records drawn at random in each stratum): in each stratum the share p_h of responding records in
a category; overall the stratified estimate p = Σ W_h p_h with W_h = N_h / N and variance
Σ W_h² (1 − f_h) p_h (1 − p_h) / (n_h − 1), f_h = n_h / N_h (finite-population correction). The interval is
Wilson's, computed on the effective sample size n_eff = p (1 − p) / var, which keeps it inside [0, 1] and honest
for small counts (Korn & Graubard 1998). Records the field could not settle are non-response: left out of the
denominator (assumed missing at random within the stratum) and reported, never hidden.

People → list and household coverage (RT clusters drawn at random, everyone met in them counted): in each stratum
the ratio p_h = Σ y_c / Σ m_c over its sampled RT, with the linearised variance
(1 − f_h) c_h / (c_h − 1) Σ (y_c − p_h m_c)² / (Σ m_c)², strata weighted by their voters.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from kawal.engine.sampling.plan import z_value

# What a relawan can find for a drawn record, in the order reports show them. "tidak_terjangkau": not settled.
RECORD_OUTCOMES = ("ditemukan", "tidak_di_alamat", "meninggal", "di_bawah_umur", "data_salah")
ERROR_CATEGORIES = RECORD_OUTCOMES[1:]
NONRESPONSE = "tidak_terjangkau"


@dataclass(frozen=True)
class Estimate:
    category: str
    stratum: str  # "" for the whole population
    drawn: int  # units drawn (records, or RT)
    responded: int  # of those, units with an answer
    base: int  # the denominator: records answered, or people (households) met in the RT
    count: int
    rate: float | None
    low: float | None
    high: float | None

    @property
    def nonresponse(self) -> float | None:
        return 1 - self.responded / self.drawn if self.drawn else None


def wilson(p: float, n_eff: float, z: float) -> tuple[float, float]:
    """Wilson's score interval for a proportion ``p`` seen on ``n_eff`` (effective) observations."""
    if n_eff <= 0:
        return 0.0, 1.0
    z2 = z * z
    centre = (p + z2 / (2 * n_eff)) / (1 + z2 / n_eff)
    half = z / (1 + z2 / n_eff) * math.sqrt(max(p * (1 - p) / n_eff + z2 / (4 * n_eff * n_eff), 0.0))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class _Stratum:
    name: str
    population: int
    drawn: int
    responded: int
    count: int


def _combine(category: str, strata: list[_Stratum], z: float) -> Estimate:
    usable = [s for s in strata if s.responded > 0]
    total = sum(s.population for s in usable)
    drawn = sum(s.drawn for s in strata)
    responded = sum(s.responded for s in strata)
    count = sum(s.count for s in strata)
    if not total:
        return Estimate(category, "", drawn, responded, responded, count, None, None, None)
    rate = sum(s.population / total * s.count / s.responded for s in usable)
    variance = sum(
        (s.population / total) ** 2
        * (1 - s.responded / s.population)
        * (s.count / s.responded)
        * (1 - s.count / s.responded)
        / max(s.responded - 1, 1)
        for s in usable
    )
    low, high = wilson(rate, _effective_n(rate, variance, usable), z)
    return Estimate(category, "", drawn, responded, responded, count, rate, low, high)


def _effective_n(rate: float, variance: float, strata: list[_Stratum]) -> float:
    """p(1−p)/var; when every stratum saw 0 (or all) the variance is 0 and the plain size, corrected for the
    finite population, stands in."""
    if variance > 0 and 0 < rate < 1:
        return rate * (1 - rate) / variance
    responded = sum(s.responded for s in strata)
    population = sum(s.population for s in strata)
    return responded / max(1e-9, 1 - responded / population) if population > responded else float(responded) * 1e6


def estimate_records(
    sample: list[tuple[str, str]],
    population: dict[str, int],
    outcomes: dict[str, str],
    confidence: float = 0.95,
    categories: tuple[str, ...] = ERROR_CATEGORIES,
) -> list[Estimate]:
    """Per category: one estimate per stratum and one overall (stratum ""). ``sample`` is (stratum, unit) for
    every drawn unit; ``outcomes`` maps a unit to its category (missing or "tidak_terjangkau": not settled)."""
    z = z_value(confidence)
    drawn: dict[str, int] = defaultdict(int)
    responded: dict[str, int] = defaultdict(int)
    found: dict[tuple[str, str], int] = defaultdict(int)
    for stratum, unit in sample:
        drawn[stratum] += 1
        outcome = outcomes.get(unit, NONRESPONSE)
        if outcome == NONRESPONSE:
            continue
        if outcome not in RECORD_OUTCOMES:
            raise ValueError(f"unit {unit}: hasil {outcome!r} tidak dikenal ({', '.join(RECORD_OUTCOMES)})")
        responded[stratum] += 1
        found[(stratum, outcome)] += 1
    out = []
    for category in categories:
        strata = [_Stratum(h, population[h], drawn[h], responded[h], found[(h, category)]) for h in sorted(drawn)]
        for s in strata:
            rate = s.count / s.responded if s.responded else None
            low, high = _stratum_interval(s, z) if s.responded else (None, None)
            out.append(Estimate(category, s.name, s.drawn, s.responded, s.responded, s.count, rate, low, high))
        out.append(_combine(category, strata, z))
    return out


def _stratum_interval(s: _Stratum, z: float) -> tuple[float, float]:
    p = s.count / s.responded
    fpc = 1 - s.responded / s.population
    n_eff = s.responded / fpc if fpc > 0 else s.responded * 1e6
    return wilson(p, n_eff, z)


@dataclass(frozen=True)
class Cluster:
    stratum: str
    unit: str  # the RT
    met: int  # people (or households) counted in it
    count: int  # of whom with the attribute (not on the list; visited by the Pantarlih; …)


def estimate_clusters(
    clusters: list[Cluster],
    units_per_stratum: dict[str, int],
    weights: dict[str, float],
    confidence: float = 0.95,
    category: str = "",
) -> list[Estimate]:
    """Ratio estimates from RT clusters: per stratum and overall (stratum ""), strata weighted by ``weights``
    (their voters). ``units_per_stratum``: RT in the stratum, for the finite-population correction."""
    z = z_value(confidence)
    by_stratum: dict[str, list[Cluster]] = defaultdict(list)
    for c in clusters:
        by_stratum[c.stratum].append(c)
    out, parts = [], []
    for name in sorted(by_stratum):
        group = [c for c in by_stratum[name] if c.met > 0]
        met, count = sum(c.met for c in group), sum(c.count for c in group)
        if not met:
            out.append(Estimate(category, name, len(by_stratum[name]), 0, 0, 0, None, None, None))
            continue
        ratio = count / met
        variance = _cluster_variance(group, ratio, met, units_per_stratum.get(name, len(group)))
        parts.append((weights.get(name, 0.0), ratio, variance, met, count, len(by_stratum[name]), len(group)))
        low, high = wilson(ratio, ratio * (1 - ratio) / variance if variance > 0 and 0 < ratio < 1 else met, z)
        out.append(Estimate(category, name, len(by_stratum[name]), len(group), met, count, ratio, low, high))
    out.append(_combine_clusters(category, parts, z))
    return out


def _cluster_variance(group: list[Cluster], ratio: float, met: int, units: int) -> float:
    c = len(group)
    if c < 2:
        return 0.0
    fpc = max(0.0, 1 - c / units) if units else 1.0
    spread = sum((g.count - ratio * g.met) ** 2 for g in group)
    return fpc * c / (c - 1) * spread / (met * met)


def _combine_clusters(category: str, parts: list[tuple], z: float) -> Estimate:
    total_weight = sum(p[0] for p in parts)
    drawn, responded = sum(p[5] for p in parts), sum(p[6] for p in parts)
    met = sum(p[3] for p in parts)
    count = sum(p[4] for p in parts)
    if not total_weight:
        return Estimate(category, "", drawn, responded, met, count, None, None, None)
    rate = sum(w / total_weight * r for w, r, *_ in parts)
    variance = sum((w / total_weight) ** 2 * v for w, _r, v, *_ in parts)
    n_eff = rate * (1 - rate) / variance if variance > 0 and 0 < rate < 1 else met
    low, high = wilson(rate, n_eff, z)
    return Estimate(category, "", drawn, responded, met, count, rate, low, high)
