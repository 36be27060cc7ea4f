"""A list as published with the birth month shown (**-03-1985): the month is compared beside the age, so one
person's two rows agree on more than a year, and a father and son of one name, months and decades apart, are
still weighed as ages far apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from kawal.engine.audit import audit
from kawal.synth.profiles import generate_profile
from kawal.synth.published import publish
from kawal.synth.score import score_audit
from tests.audit.every_pair import compared, level

ROWS = [
    # (lahir_bulan, lahir_tahun, usia, kelurahan)
    (3, 1980, 44, "3671011001"),
    (3, 1980, 44, "3671011002"),  # the same month at the same age
    (4, 1980, 44, "3671011001"),  # another month, the same age: a slip in the month
    (3, 1981, 43, "3671011001"),  # the same month, a year apart: weighed as ages
    (9, 2004, 20, "3671011001"),  # his son of the same name: another month, decades apart
    (None, 1980, 44, "3671011001"),  # no month shown: the age alone
]


def _pairs() -> dict[tuple[int, int], str | None]:
    rows = [
        {
            "tanggal_lahir": None,
            "lahir_bulan": m,
            "lahir_tahun": y,
            "usia": age,
            "kode_kelurahan": kel,
            "nik_d": "367101**********",
        }
        for m, y, age, kel in ROWS
    ]
    return {pair: level("dob", code) for pair, (code,) in compared(rows, "l_dob").items()}


@pytest.mark.parametrize(
    ("other", "level"),
    [(2, "month_same"), (3, "month_other"), (4, "age_near"), (5, "age_other"), (6, "age")],
)
def test_the_month_is_compared_beside_the_age(other, level):
    assert _pairs()[(1, other)] == level


def _pair_scores(city: Path, form: str):
    listed = city / f"dps-{form}.csv"
    publish(city / "dpt.csv", listed, date_form=form)
    result = audit([listed], city / f"audit-{form}", wilayah="3671")
    return score_audit(result.out / "findings.csv", city / "truth.csv", city / "dpt.csv")["PEMILIH_GANDA_PAIRS"]


def test_a_list_that_shows_the_month_finds_more_people_listed_twice(tmp_path):
    """The same list published twice, once with the year only and once with the month too: with the month kawal
    links more of the people listed twice, as precisely."""
    generate_profile("pindah", 20_000, 5, tmp_path)
    year, month = _pair_scores(tmp_path, "year"), _pair_scores(tmp_path, "month")
    print(
        f"year only: P {year.precision:.3f} R {year.recall:.3f}; month too: P {month.precision:.3f} R {month.recall:.3f}"
    )
    assert month.recall > year.recall + 0.03, (year, month)
    assert month.precision >= 0.92, month
