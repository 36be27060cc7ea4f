"""How many records to check (list → people) and how many people to meet (people → list) for a target margin.

The formula is the usual one for a proportion: n0 = z² p (1 − p) / e², then the finite-population correction
n = n0 / (1 + (n0 − 1) / N). With z = 1.96, p = 5% and e = 2 points, n0 = 456.2, so 457 records: the figure NDI
quotes. Expected non-response inflates the number to visit; people met in the same RT resemble each other, so
the people → list sample is inflated by the design effect 1 + (k − 1) × ICC for k people per RT.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from kawal.i18n import KawalError


class PlanError(KawalError):
    """Parameters that make no plan; the message names the parameter."""


def z_value(confidence: float) -> float:
    if not 0.5 <= confidence < 1:
        raise PlanError(
            ("tingkat kepercayaan {v} harus antara 0,5 dan 1", "confidence {v} must be between 0.5 and 1"), v=confidence
        )
    return NormalDist().inv_cdf(0.5 + confidence / 2)


@dataclass(frozen=True)
class SizePlan:
    n: int  # records (or people) whose outcome is needed
    to_visit: int  # n inflated for the expected non-response
    n0: float  # before the finite-population correction
    population: int | None


def sample_size(
    margin: float,
    confidence: float = 0.95,
    rate: float = 0.05,
    population: int | None = None,
    nonresponse: float = 0.0,
    design_effect: float = 1.0,
) -> SizePlan:
    """Sample size for estimating a proportion near ``rate`` to ± ``margin`` at ``confidence``."""
    _check(margin, rate, nonresponse, design_effect)
    z = z_value(confidence)
    n0 = z * z * rate * (1 - rate) / (margin * margin) * design_effect
    n = n0 if population is None else n0 / (1 + (n0 - 1) / population)
    n_int = math.ceil(n - 1e-9)
    if population is not None:
        n_int = min(n_int, population)
    to_visit = math.ceil(n_int / (1 - nonresponse) - 1e-9)
    if population is not None:
        to_visit = min(to_visit, population)
    return SizePlan(n_int, to_visit, n0, population)


def _check(margin: float, rate: float, nonresponse: float, design_effect: float) -> None:
    if not 0 < margin < 0.5:
        raise PlanError(
            (
                "margin {v}: harus antara 0 dan 0,5 (0,02 = ±2 poin)",
                "margin {v}: must be between 0 and 0.5 (0.02 = ±2 points)",
            ),
            v=margin,
        )
    if not 0 < rate < 1:
        raise PlanError(
            (
                "perkiraan tingkat kesalahan {v}: harus antara 0 dan 1",
                "expected error rate {v}: must be between 0 and 1",
            ),
            v=rate,
        )
    if not 0 <= nonresponse < 1:
        raise PlanError(
            (
                "perkiraan tidak terjangkau {v}: harus antara 0 dan 1",
                "expected non-response {v}: must be between 0 and 1",
            ),
            v=nonresponse,
        )
    if design_effect < 1:
        raise PlanError(("efek desain {v}: minimal 1", "design effect {v}: at least 1"), v=design_effect)


@dataclass(frozen=True)
class StratumPlan:
    stratum: str
    population: int
    n: int
    to_visit: int


def stratified(
    strata: dict[str, int],
    margin: float,
    confidence: float = 0.95,
    rate: float = 0.05,
    nonresponse: float = 0.0,
    per_stratum: bool = False,
) -> list[StratumPlan]:
    """A stratified plan. Overall precision (default): the total for the whole population, spread over the strata
    in proportion to their size. ``per_stratum``: every stratum gets the margin on its own (far larger)."""
    if not strata or any(size <= 0 for size in strata.values()):
        raise PlanError(("setiap strata harus punya populasi", "every stratum needs a population"))
    if per_stratum:
        plans = {name: sample_size(margin, confidence, rate, size, nonresponse) for name, size in strata.items()}
        return [StratumPlan(k, strata[k], p.n, p.to_visit) for k, p in sorted(plans.items())]
    total = sample_size(margin, confidence, rate, sum(strata.values()), nonresponse)
    needed = allocate(strata, total.n)
    return [
        StratumPlan(k, strata[k], n, min(strata[k], math.ceil(n / (1 - nonresponse) - 1e-9)))
        for k, n in sorted(needed.items())
    ]


def allocate(strata: dict[str, int], total: int, minimum: int = 2) -> dict[str, int]:
    """Proportional allocation with the largest-remainder rule (ties by name, so it is reproducible); every
    stratum gets at least ``minimum`` (two are needed to estimate its variance), never more than it holds."""
    size = sum(strata.values())
    exact = {k: total * n / size for k, n in strata.items()}
    out = {k: min(strata[k], max(minimum, math.floor(v))) for k, v in exact.items()}
    order = sorted(strata, key=lambda k: (-(exact[k] - math.floor(exact[k])), k))
    i = 0
    while sum(out.values()) < min(total, size) and i < 10 * len(order) + total:
        k = order[i % len(order)]
        if out[k] < strata[k]:
            out[k] += 1
        i += 1
    return out


@dataclass(frozen=True)
class PeoplePlan:
    people: int
    rts: int
    people_per_rt: int
    design_effect: float


def people_plan(
    margin: float,
    confidence: float = 0.95,
    rate: float = 0.05,
    people_per_rt: int = 10,
    icc: float = 0.05,
    nonresponse: float = 0.0,
) -> PeoplePlan:
    """People → list: how many eligible residents to meet, in how many sampled RT (clusters of ``people_per_rt``)."""
    if people_per_rt < 1 or not 0 <= icc < 1:
        raise PlanError(
            ("orang per RT minimal 1 dan ICC antara 0 dan 1", "people per RT at least 1 and ICC between 0 and 1")
        )
    deff = 1 + (people_per_rt - 1) * icc
    size = sample_size(margin, confidence, rate, None, nonresponse, deff)
    return PeoplePlan(size.to_visit, math.ceil(size.to_visit / people_per_rt), people_per_rt, round(deff, 4))
