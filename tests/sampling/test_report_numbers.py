"""Estimates are written the reader's way: 3,1% and 1.234 in Indonesian, 3.1% and 1,234 in English."""

from kawal.engine.sampling.estimate import Estimate
from kawal.engine.sampling.report import describe, interval_svg

OVERALL = Estimate("tidak_di_alamat", "", 1300, 1250, 1234, 38, 0.0308, 0.0221, 0.0402)
STRATUM = Estimate("tidak_di_alamat", "367101", 100, 90, 90, 3, 0.0333, 0.0114, 0.0941)


def test_indonesian_estimates_use_decimal_commas_and_thousand_dots():
    assert describe(OVERALL, "id") == "3,1% (2,2%–4,0%) n=1.234"


def test_english_estimates_use_decimal_points():
    assert describe(OVERALL, "en") == "3.1% (2.2%–4.0%) n=1,234"


def test_the_interval_plot_labels_are_indonesian_but_its_geometry_is_not():
    svg = interval_svg([OVERALL, STRATUM], {"367101": "TANGERANG"}, lang="id")
    assert "3,1% (2,2%–4,0%) n=1.234" in svg and "3,3% (1,1%–9,4%) n=90" in svg
    assert ">10,0%<" in svg and ">5,0%<" in svg  # the axis ticks
    assert 'x1="130.0"' in svg  # SVG coordinates keep their decimal points


def test_an_estimate_without_answers_says_so():
    empty = Estimate("tidak_di_alamat", "", 10, 0, 0, 0, None, None, None)
    assert describe(empty, "id") == "– n=0"
