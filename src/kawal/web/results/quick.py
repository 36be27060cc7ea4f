"""The quick count in the web app: a TPS sample drawn before election day, estimated from verified readings."""

from __future__ import annotations

from typing import cast

from kawal.engine import QuickCountTps, RatioEstimate, ratio_estimate
from kawal.web.results.models import QuickCount
from kawal.web.results.models import TpsResult as Verified


def estimates(quick: QuickCount) -> dict:
    """Vote share of each paslon and turnout with 95% intervals, and the sampled TPS still missing."""
    sample = quick.sample
    stratum_of = dict(sample.units.values_list("key", "stratum"))
    frame_dpt = dict(sample.units.values_list("key", "voters"))
    population = {k: v["population"] for k, v in sample.strata.items()}
    sampled = {k: v["n"] for k, v in sample.strata.items()}
    reported: dict[str, dict[str, int]] = {  # verified rows: their numbers are set
        r.kode_tps: cast(dict[str, int], r.verified)
        for r in Verified.objects.filter(
            election=quick.election, kode_tps__in=list(stratum_of), status=Verified.Status.VERIFIED
        )
    }
    shares: dict[int, RatioEstimate] = {}
    for number in range(1, quick.election.paslon + 1):
        rows = [
            QuickCountTps(stratum_of[k], n.get(f"suara_paslon_{number}", 0), _valid(n, quick.election.paslon))
            for k, n in reported.items()
        ]
        shares[number] = ratio_estimate(rows, population, sampled, sample.confidence)
    turnout_rows = [
        QuickCountTps(stratum_of[k], n.get("suara_sah_dan_tidak_sah", 0), n.get("dpt") or frame_dpt[k])
        for k, n in reported.items()
    ]
    return {
        "shares": shares,
        "turnout": ratio_estimate(turnout_rows, population, sampled, sample.confidence),
        "missing": sorted(set(stratum_of) - set(reported)),
        "sampled": len(stratum_of),
    }


def _valid(numbers: dict, paslon: int) -> int:
    return numbers.get("suara_sah") or sum(numbers.get(f"suara_paslon_{i}", 0) for i in range(1, paslon + 1))
