from pathlib import Path

import pytest

from kawal.engine import turnout as t
from kawal.i18n import KawalError

SHIPPED = Path(t.__file__).resolve().parent.parent / "data" / "pilkada2024_kecamatan_sirekap.csv"
DPT_2024, PLENARY_TOTAL, PLENARY_VALID = 1_377_828, 802_325, 758_778  # KPU Kota Tangerang, plenary 4 Dec 2024


def test_city_turnout_on_the_plenary_numbers_is_58_2_percent():
    city = t.Turnout("3671", DPT_2024, PLENARY_TOTAL)
    assert round(city.rate * 100, 1) == 58.2
    assert city.gap() == pytest.approx(0.8 - 802_325 / 1_377_828)
    assert city.voters_needed() == 299_938  # 0.8 × 1,377,828 = 1,102,262.4 → 299,937.4 more, rounded up


def test_sirekap_tallies_are_read_per_ballot_and_wilayah():
    tallies = {(x.pemilihan, x.kode): x for x in t.read_sirekap_tallies(SHIPPED)}
    city = tallies[("walikota", "3671")]
    assert city.valid == 246_735 + 111_864 + 387_855 and (city.tps_total, city.tps_in) == (2706, 2669)
    kecamatan = [x for (p, k), x in tallies.items() if p == "walikota" and len(k) == 6]
    assert len(kecamatan) == 13 and sum(x.tps_total for x in kecamatan) == 2706


def test_raking_spreads_the_plenary_total_exactly_over_kecamatan():
    kecamatan = [x for x in t.read_sirekap_tallies(SHIPPED) if x.pemilihan == "walikota" and len(x.kode) == 6]
    raked = t.rake({x.kode: x.valid for x in kecamatan}, {x.kode: x.completeness for x in kecamatan}, PLENARY_TOTAL)
    assert sum(raked.values()) == PLENARY_TOTAL
    # each kecamatan keeps its share of the (completeness-adjusted) Sirekap count
    scaled = {x.kode: x.valid / x.completeness for x in kecamatan}
    for kode, votes in raked.items():
        assert votes == pytest.approx(PLENARY_TOTAL * scaled[kode] / sum(scaled.values()), abs=1)


def test_units_rank_by_voters_needed_and_reach_is_per_thousand():
    units = [t.Turnout("a", 10_000, 7_500), t.Turnout("b", 50_000, 30_000), t.Turnout("c", 20_000, 17_000)]
    ranked = t.rank(units, {"b": t.Reach(3, 250)})
    assert [(p.turnout.kode, p.needed) for p in ranked] == [("b", 10_000), ("a", 500), ("c", 0)]
    assert ranked[0].reach.per_thousand(50_000) == 5.0


def test_allocating_a_dpt_by_tps_adds_up():
    parts = t.allocate_dpt(DPT_2024, {"x": 240, "y": 2466})
    assert sum(parts.values()) == DPT_2024 and parts["x"] == round(DPT_2024 * 240 / 2706)


def test_fitted_line():
    fit = t.fit_line([(0, 1), (1, 3), (2, 5), (3, 7.5)])
    assert fit.slope == pytest.approx(2.15) and fit.r2 > 0.99 and fit.n == 4
    assert t.fit_line([(1, 1), (1, 2), (1, 3)]) is None


def test_a_bad_number_names_the_row_and_the_column(tmp_path):
    bad = tmp_path / "hasil.csv"
    bad.write_text(SHIPPED.read_text(encoding="utf-8").replace(",246735,", ",dua ratus,", 1), encoding="utf-8")
    with pytest.raises(KawalError, match=r"hasil.csv baris 2: kolom suara"):
        t.read_sirekap_tallies(bad)
