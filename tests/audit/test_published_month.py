"""A list as published with the birth month shown (**-03-1985): the month is compared beside the age, so one
person's two rows agree on more than a year, and a father and son of one name, months and decades apart, are
still weighed as ages far apart."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from kawal.engine.audit import audit
from kawal.engine.audit import duplicates as d
from kawal.engine.sql import connect
from kawal.synth.profiles import generate_profile
from kawal.synth.published import publish
from kawal.synth.score import score_audit

ROWS = [
    # (nama, lahir_bulan, lahir_tahun, usia, kelurahan)
    ("AHMAD FAUZI", 3, 1980, 44, "3671011001"),
    ("AHMAD FAUZI", 3, 1980, 44, "3671011002"),  # the same month at the same age
    ("AHMAD FAUZI", 4, 1980, 44, "3671011001"),  # another month, the same age: a slip in the month
    ("AHMAD FAUZI", 3, 1981, 43, "3671011001"),  # the same month, a year apart: weighed as ages
    ("AHMAD FAUZI", 9, 2004, 20, "3671011001"),  # his son: another month, decades apart
    ("AHMAD FAUZI", None, 1980, 44, "3671011001"),  # no month shown: the age alone
]


def _pairs() -> dict[tuple[int, int], str]:
    con = connect()
    n = len(ROWS)
    table = pa.table(
        {
            "rid": pa.array(range(1, n + 1), pa.int64()),
            "nama": [r[0] for r in ROWS],
            "tanggal_lahir": pa.array([None] * n, pa.date32()),
            "lahir_bulan": pa.array([r[1] for r in ROWS], pa.int16()),
            "lahir_tahun": pa.array([r[2] for r in ROWS], pa.int16()),
            "usia": pa.array([r[3] for r in ROWS], pa.int16()),
            "jenis_kelamin": ["L"] * n,
            "nik_d": pa.array([None] * n, pa.string()),
            "nik_full": [False] * n,
            "nkk_d": pa.array([None] * n, pa.string()),
            "nkk_full": [False] * n,
            "tempat_lahir": ["TANGERANG"] * n,
            "kode_kelurahan": [r[4] for r in ROWS],
            "rw": [1] * n,
            "rt": [1] * n,
            "sudah_tms": [False] * n,
        }
    )
    con.register("v_in", table)
    con.execute("CREATE TABLE v AS SELECT * FROM v_in")
    d.build_names(con)
    d.build_people(con)
    con.execute("CREATE TABLE candidates AS SELECT a.rid AS a, b.rid AS b FROM v a JOIN v b ON a.rid < b.rid")
    d.compare(con)
    rows = con.execute("SELECT a, b, l_dob FROM pairs").fetchall()
    return {(a, b): d.DOB_LEVELS[level] for a, b, level in rows}


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
