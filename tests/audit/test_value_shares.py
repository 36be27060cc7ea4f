"""Exact agreement on a value is weighed by how common the value is, smoothed toward a prior share learned from the
list: one over the distinct values it shows, capped where the list is too small to show many."""

import csv
import json

import numpy as np
import pytest

from kawal.engine.audit import audit
from kawal.engine.audit import duplicates as d
from kawal.engine.sql import connect
from kawal.synth.profiles import generate_profile


def _people(names: list[str], places: list[str] | None = None):
    con = connect()
    places = places or ["TANGERANG"] * len(names)
    con.execute(
        "CREATE TABLE people AS SELECT name_key, place, NULL::DATE AS dob, NULL::VARCHAR AS nik "
        "FROM (SELECT unnest(?) AS name_key, unnest(?) AS place)",
        [names, places],
    )
    return con


def test_a_list_with_many_distinct_names_gives_each_the_mean_share_of_its_names():
    names = [f"NAMA{i}" for i in range(40_000)] * 2 + ["SITI"] * 5_000  # 40,001 distinct names
    con = _people(names)
    shares = d._value_shares(con)
    con.close()
    assert shares["name"] == pytest.approx(1 / 40_001, rel=0.05)  # an estimate of the distinct count
    assert shares["place"] == d.TF_FIELDS["place"][2]  # one place: 1/1 is above the cap, the cap stands
    assert shares["dob"] == d.TF_FIELDS["dob"][2] and shares["nik"] == d.TF_FIELDS["nik"][2]  # no value shown


def test_a_small_list_keeps_the_cap():
    """300 rows show 300 names at most: one over that says nothing about how common a name is in the city."""
    con = _people([f"NAMA{i}" for i in range(300)])
    assert d._value_shares(con)["name"] == d.TF_FIELDS["name"][2]
    con.close()


def _exact_weight(rows: int, name_n: int, prior_share: float | None) -> float:
    sql = d._exact_value_weight(0.9, "name", rows, prior_share)
    con = connect()
    got = con.execute(f"SELECT {sql} FROM (SELECT ?::BIGINT AS name_n)", [name_n]).fetchone()[0]
    con.close()
    return got


def test_a_name_two_rows_of_a_city_share_weighs_what_its_rarity_says():
    """Among 1.38 M rows showing 700,000 names, a name on two rows has one other holder: about 1 in 1.4 M, so
    agreeing on it is worth about log2(0.9 × 1.4 M) ≈ 20 bits. The fixed cap (1 in 10,000) added ten imagined
    holders and took 3.4 bits off."""
    rows, distinct = 1_377_828, 700_000
    learned = _exact_weight(rows, 2, 1 / distinct)
    capped = _exact_weight(rows, 2, None)
    assert learned == pytest.approx(np.log2(0.9 * (rows + d.PSEUDO_ROWS) / (1 + d.PSEUDO_ROWS / distinct)))
    assert learned - capped > 3
    # a common name is what the list says it is, whichever the prior
    assert _exact_weight(rows, 5_000, 1 / distinct) == pytest.approx(_exact_weight(rows, 5_000, None), abs=0.01)


def test_an_audit_learns_the_name_share_from_its_list_and_reports_it(tmp_path):
    generate_profile("klerikal", 20_000, 7, tmp_path)
    result = audit([tmp_path / "dpt.csv"], tmp_path / "audit", wilayah="3671")
    shares = json.loads((result.out / "summary.json").read_text())["duplicates"]["model"]["prior_value_share"]
    with (tmp_path / "dpt.csv").open(newline="") as f:
        names = {row["nama"] for row in csv.DictReader(f)}
    # one over the distinct names after normalisation (a few spellings fold into one; the count is an estimate):
    # below the cap
    assert 0.95 / len(names) <= shares["name"] < d.TF_FIELDS["name"][2]
    assert shares["dob"] == d.TF_FIELDS["dob"][2]  # 20,000 rows show fewer dates than there are: the cap stands
