"""The quick count's 95% intervals cover the true result at the nominal rate (seeded simulation)."""

import numpy as np
import pyarrow as pa
import pytest

from kawal.engine.results.quickcount import TpsResult, ratio_estimate
from kawal.engine.sampling.draw import draw
from kawal.engine.sql import connect

REPETITIONS = 500


def _city(seed: int = 3):
    """2,706 TPS in 13 kecamatan, each kecamatan leaning its own way, TPS varying around it."""
    rng = np.random.default_rng(seed)
    sizes = rng.multinomial(2706, np.full(13, 1 / 13))
    codes, dpt, turnout, paslon1 = [], [], [], []
    for k, n in enumerate(sizes, start=1):
        lean, kec_turnout = rng.uniform(0.3, 0.6), rng.uniform(0.5, 0.65)
        for i in range(n):
            codes.append(f"3671{k:02d}{1001 + i // 30:04d}{i % 30 + 1:03d}")
            dpt.append(int(rng.integers(350, 600)))
            turnout.append(float(np.clip(rng.normal(kec_turnout, 0.06), 0.2, 0.95)))
            paslon1.append(float(np.clip(rng.normal(lean, 0.08), 0.02, 0.98)))
    dpt = np.array(dpt)
    votes = np.round(dpt * np.array(turnout)).astype(int)
    valid = np.round(votes * 0.95).astype(int)
    first = np.round(valid * np.array(paslon1)).astype(int)
    frame = pa.table({"kode_tps": codes, "dpt": dpt})
    truth = {c: (int(d), int(v), int(s), int(f)) for c, d, v, s, f in zip(codes, dpt, votes, valid, first, strict=True)}
    return frame, truth, first.sum() / valid.sum(), votes.sum() / dpt.sum()


def test_wider_samples_narrow_the_interval():
    results = [TpsResult("a", y, 100) for y in (40, 50, 60, 45, 55)]
    few = ratio_estimate(results[:3], {"a": 1000}, {"a": 3})
    more = ratio_estimate(results, {"a": 1000}, {"a": 5})
    assert (more.high - more.low) < (few.high - few.low) and more.missing == 0


def test_missing_sampled_tps_are_counted_not_imputed():
    estimate = ratio_estimate([TpsResult("a", 40, 100), TpsResult("a", 60, 100)], {"a": 100}, {"a": 5})
    assert (estimate.reported, estimate.sampled, estimate.missing) == (2, 5, 3) and estimate.ratio == 0.5


def test_quick_count_intervals_cover_the_true_share_and_turnout():
    frame, truth, true_share, true_turnout = _city()
    con = connect(threads=1)
    con.register("frame_in", frame)
    con.execute("CREATE TABLE tps AS SELECT * FROM frame_in")
    population = {}
    share_hits = turnout_hits = 0
    for i in range(REPETITIONS):
        sample = draw("tps", "cd" * 32, f"hitung cepat {i}", unit="tps", by="kecamatan", total=300, con=con)
        population = {k: v["population"] for k, v in sample.strata.items()}
        sampled = {k: v["n"] for k, v in sample.strata.items()}
        rows = list(zip(sample.rows.column("stratum").to_pylist(), sample.rows.column("unit").to_pylist(), strict=True))
        shares = [TpsResult(h, truth[u][3], truth[u][2]) for h, u in rows]
        turnout = [TpsResult(h, truth[u][1], truth[u][0]) for h, u in rows]
        share = ratio_estimate(shares, population, sampled)
        rate = ratio_estimate(turnout, population, sampled)
        share_hits += share.low <= true_share <= share.high
        turnout_hits += rate.low <= true_turnout <= rate.high
    print(f"share covered {share_hits / REPETITIONS:.1%}, turnout covered {turnout_hits / REPETITIONS:.1%}")
    assert 0.93 <= share_hits / REPETITIONS <= 0.97
    assert 0.93 <= turnout_hits / REPETITIONS <= 0.97
    assert sum(population.values()) == 2706


@pytest.mark.parametrize("top", [4, 2])
def test_ancestors_of_a_tps(top):
    from kawal.engine.results.tally import ancestors

    expected = ["3671051007", "367105", "3671"] + (["36"] if top == 2 else [])
    assert ancestors("3671051007001", top) == expected
