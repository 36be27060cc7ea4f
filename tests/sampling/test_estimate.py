import numpy as np
import pytest

from kawal.engine.sampling.draw import draw
from kawal.engine.sampling.estimate import Cluster, estimate_clusters, estimate_records, wilson
from kawal.engine.sql import connect
from tests.sampling.population import records

REPETITIONS = 500  # each: a fresh public phrase, a real draw, 10% non-response, an estimate


def test_wilson_matches_published_values():
    assert wilson(0.5, 10, 1.959964) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    low, high = wilson(0.0, 10, 1.959964)
    assert low == 0 and high == pytest.approx(0.2775, abs=1e-4)


def test_nonresponse_is_reported_not_hidden():
    sample = [("a", str(i)) for i in range(10)]
    outcomes = {str(i): "ditemukan" for i in range(6)} | {"6": "meninggal", "7": "tidak_terjangkau"}
    overall = next(
        e for e in estimate_records(sample, {"a": 1000}, outcomes) if e.category == "meninggal" and not e.stratum
    )
    assert (overall.drawn, overall.responded, overall.count) == (10, 7, 1)
    assert overall.rate == pytest.approx(1 / 7) and overall.nonresponse == pytest.approx(0.3)


def test_an_unknown_outcome_is_refused():
    with pytest.raises(ValueError, match="hilang"):
        estimate_records([("a", "1")], {"a": 10}, {"1": "hilang"})


def test_cluster_ratio_estimate_by_hand():
    clusters = [Cluster("a", "rt1", 10, 1), Cluster("a", "rt2", 10, 3), Cluster("a", "rt3", 20, 2)]
    overall = estimate_clusters(clusters, {"a": 1000}, {"a": 1.0})[-1]
    assert overall.rate == pytest.approx(6 / 40)
    # linearised variance: (1 - 3/1000) * 3/2 * ((1-1.5)² + (3-1.5)² + (2-3)²) / 40²
    variance = (1 - 3 / 1000) * 1.5 * (0.25 + 2.25 + 1.0) / 1600
    n_eff = 0.15 * 0.85 / variance
    assert (overall.low, overall.high) == pytest.approx(wilson(0.15, n_eff, 1.959964), abs=1e-6)


def _coverage(by: str, total: int) -> tuple[float, float]:
    table, truth, true_rate = records(seed=1)
    con = connect(threads=1)
    con.register("population_in", table)
    con.execute("CREATE TABLE pop AS SELECT * FROM population_in")
    rng = np.random.default_rng(2024)
    covered = 0
    for i in range(REPETITIONS):
        result = draw("pop", "ab" * 32, f"simulasi {by} {i}", by=by, total=total, con=con)
        units = result.rows.column("unit").to_pylist()
        answered = rng.random(len(units)) >= 0.1
        outcomes = {u: truth[u] for u, ok in zip(units, answered, strict=True) if ok}
        sample = list(zip(result.rows.column("stratum").to_pylist(), units, strict=True))
        population = {k: v["population"] for k, v in result.strata.items()}
        overall = next(
            e for e in estimate_records(sample, population, outcomes, categories=("tidak_di_alamat",)) if not e.stratum
        )
        covered += overall.low <= true_rate <= overall.high
    return covered / REPETITIONS, true_rate


@pytest.mark.parametrize(("design", "by", "total"), [("simple", "kota", 457), ("stratified", "kecamatan", 600)])
def test_95_percent_intervals_cover_the_true_rate_95_percent_of_the_time(design, by, total):
    share, true_rate = _coverage(by, total)
    print(f"{design}: true rate {true_rate:.4f}, covered in {share:.1%} of {REPETITIONS} draws")
    assert 0.93 <= share <= 0.97
