import pytest

from kawal.engine.sampling.plan import PlanError, allocate, people_plan, sample_size, stratified


def test_ndi_figure_457_records_for_two_points_at_five_percent():
    assert sample_size(0.02, 0.95, 0.05).n == 457


def test_finite_population_correction_shrinks_small_populations():
    assert sample_size(0.02, 0.95, 0.05, population=1000).n == 314  # 456.2 / (1 + 455.2 / 1000) = 313.5
    assert sample_size(0.02, 0.95, 0.05, population=100).n == 83
    assert sample_size(0.02, 0.95, 0.05, population=1_377_828).n == 457


def test_nonresponse_inflates_the_visits_not_the_answers():
    plan = sample_size(0.02, 0.95, 0.05, nonresponse=0.2)
    assert (plan.n, plan.to_visit) == (457, 572)


def test_higher_confidence_needs_more():
    assert sample_size(0.02, 0.99, 0.05).n == 788


def test_proportional_allocation_adds_up_and_follows_size():
    strata = {"a": 50_000, "b": 30_000, "c": 20_000}
    plans = stratified(strata, 0.02, rate=0.05)
    assert sum(p.n for p in plans) == sample_size(0.02, rate=0.05, population=100_000).n
    assert [p.n for p in plans] == [228, 136, 91]  # 455 = 227.5 + 136.5 + 91: the tie goes to "a"


def test_per_stratum_precision_costs_far_more():
    strata = {"a": 50_000, "b": 30_000, "c": 20_000}
    assert sum(p.n for p in stratified(strata, 0.02, per_stratum=True)) > 1300


def test_allocation_gives_every_stratum_two_and_never_more_than_it_holds():
    got = allocate({"big": 10_000, "tiny": 1, "small": 5}, 20)
    assert got["tiny"] == 1 and got["small"] >= 2 and sum(got.values()) >= 20


def test_people_plan_counts_rt_clusters():
    plan = people_plan(0.02, rate=0.05, people_per_rt=10, icc=0.05)
    assert plan.design_effect == 1.45 and plan.people == 662 and plan.rts == 67


@pytest.mark.parametrize("kwargs", [{"margin": 0}, {"margin": 0.02, "rate": 1.2}, {"margin": 0.02, "confidence": 1.0}])
def test_impossible_parameters_are_refused_by_name(kwargs):
    with pytest.raises(PlanError):
        sample_size(**kwargs)
