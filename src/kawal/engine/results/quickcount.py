"""Quick count: estimate vote shares and turnout from a stratified random sample of TPS.

Combined ratio estimator with finite-population correction (Cochran 1977, §6.11): for paslon j,
R̂ = Σ_h N_h ȳ_h / Σ_h N_h x̄_h with y = the paslon's votes and x = valid votes (for turnout, y = ballots cast,
x = DPT); V(R̂) = Σ_h N_h² (1 − n_h/N_h) s²_{e,h} / n_h / X̂² with residuals e = y − R̂ x. The 95% interval is
R̂ ± 1.96 √V. Sampled TPS that have not reported are counted as missing, not imputed: the estimate uses the
ones in, and the page says how many are still out.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from kawal.engine.sampling.plan import z_value


@dataclass(frozen=True)
class TpsResult:
    stratum: str
    y: float  # the paslon's votes (or ballots cast)
    x: float  # valid votes (or DPT)


@dataclass(frozen=True)
class RatioEstimate:
    ratio: float | None
    low: float | None
    high: float | None
    reported: int
    sampled: int

    @property
    def missing(self) -> int:
        return self.sampled - self.reported


def ratio_estimate(
    results: list[TpsResult], population: dict[str, int], sampled: dict[str, int], confidence: float = 0.95
) -> RatioEstimate:
    """``population``: TPS per stratum (N_h); ``sampled``: TPS drawn per stratum; ``results``: those reported."""
    by: dict[str, list[TpsResult]] = defaultdict(list)
    for r in results:
        by[r.stratum].append(r)
    total_sampled = sum(sampled.values())
    y_hat = sum(population[h] * sum(r.y for r in rs) / len(rs) for h, rs in by.items())
    x_hat = sum(population[h] * sum(r.x for r in rs) / len(rs) for h, rs in by.items())
    if not x_hat:
        return RatioEstimate(None, None, None, len(results), total_sampled)
    ratio = y_hat / x_hat
    variance = 0.0
    for h, rs in by.items():
        n = len(rs)
        if n < 2:
            continue
        residuals = [r.y - ratio * r.x for r in rs]
        mean = sum(residuals) / n
        s2 = sum((e - mean) ** 2 for e in residuals) / (n - 1)
        variance += population[h] ** 2 * (1 - n / population[h]) * s2 / n
    half = z_value(confidence) * math.sqrt(variance) / x_hat
    return RatioEstimate(ratio, max(0.0, ratio - half), min(1.0, ratio + half), len(results), total_sampled)
