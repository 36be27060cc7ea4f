"""Duplicates on a list as KPU publishes it (NIK and NKK hidden after 6 digits, only the birth year shown, an age
column): made by kawal.synth.published from independent profiles, whose truth still holds row for row. The
matcher claims one person only where it is sure enough for a tanggapan (precision >= 0.95), says so, and
finds a fair share of the people listed twice; recall is asserted loosely and printed (the number to raise)."""

from __future__ import annotations

import csv
import json
from itertools import pairwise
from pathlib import Path

import pytest

from kawal.engine.audit import audit
from kawal.engine.audit.duplicates import DEFAULT_PROBABILITY, HIDDEN_DATES_PROBABILITY
from kawal.synth.profiles import generate_profile
from kawal.synth.published import publish
from kawal.synth.score import score_audit

N = 20_000


@pytest.fixture(scope="module", params=["klerikal", "nama_umum"])
def audited(request, tmp_path_factory) -> tuple[dict, dict, Path]:
    city = tmp_path_factory.mktemp(f"published-{request.param}")
    generate_profile(request.param, N, 7, city)
    listed = city / "dps-published.csv"
    publish(city / "dpt.csv", listed, date_form="year")
    result = audit([listed], city / "audit", wilayah="3671")
    scores = score_audit(result.out / "findings.csv", city / "truth.csv", city / "dpt.csv")
    summary = json.loads((result.out / "summary.json").read_text())
    return scores, summary, city


def test_the_published_copy_hides_what_kpu_hides(audited):
    _, _, city = audited
    with (city / "dps-published.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert all(r["nik"][6:] == "*" * 10 and r["nkk"][6:] == "*" * 10 for r in rows if len(r["nik"]) == 16)
    assert all(r["tanggal_lahir"].startswith("**-**-") for r in rows if r["tanggal_lahir"])
    assert all(r["usia"].isdigit() for r in rows if r["tanggal_lahir"])


def test_pairs_claimed_on_a_published_list_are_one_person(audited):
    scores, _, _ = audited
    pairs = scores["PEMILIH_GANDA_PAIRS"]
    print(f"published list pairs: P {pairs.precision:.3f} R {pairs.recall:.3f} ({pairs})")
    assert pairs.true_positives > 0
    assert pairs.precision >= 0.95, pairs
    assert pairs.recall >= 0.3, pairs  # far from all: most people listed twice there differ only in hidden digits


def test_the_threshold_and_the_estimates_say_what_was_claimed(audited):
    scores, summary, _ = audited
    linkage = summary["duplicates"]
    assert linkage["probability_threshold"] == HIDDEN_DATES_PROBABILITY > DEFAULT_PROBABILITY
    assert abs(linkage["estimated_precision"] - scores["PEMILIH_GANDA_PAIRS"].precision) <= 0.05


def test_a_full_list_keeps_the_usual_threshold(tmp_path):
    generate_profile("klerikal", 3_000, 7, tmp_path)
    result = audit([tmp_path / "dpt.csv"], tmp_path / "audit", wilayah="3671")
    summary = json.loads((result.out / "summary.json").read_text())
    assert summary["duplicates"]["probability_threshold"] == DEFAULT_PROBABILITY


def test_the_pairs_below_the_threshold_are_ranked_for_the_field(audited):
    _, _, city = audited
    with (city / "audit" / "duplicate_candidates.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows, "pairs between 0.5 and the threshold are listed"
    probabilities = [float(r["probability"]) for r in rows]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(0.5 <= p < HIDDEN_DATES_PROBABILITY for p in probabilities)
    expected = [float(r["expected_precision_to_here"]) for r in rows]
    assert all(a >= b - 1e-4 for a, b in pairwise(expected))
    with (city / "truth.csv").open(newline="") as f:
        person = {r["id"]: r["person_id"] for r in csv.DictReader(f)}
    same = [person[r["record_id_a"]] == person[r["record_id_b"]] for r in rows]
    half = len(same) // 2
    top, bottom = sum(same[:half]) / max(half, 1), sum(same[half:]) / max(len(same) - half, 1)
    print(f"ranked pairs: {len(rows)}, one person {sum(same)} (top half {top:.2f}, bottom {bottom:.2f}), "
          f"expected {expected[-1]:.3f}")  # fmt: skip
    assert sum(same) > 0 and top >= bottom  # the likeliest first: the top of the list is worth the walk


@pytest.mark.parametrize("voters", [3_000, 5_000])
def test_a_small_published_list_still_finds_people_listed_twice(tmp_path, voters):
    """One kelurahan's list: few pairs to learn from, so the date's prior must already know that on such a list
    one person's two rows show the same age (with the prior of whole dates, 5,000 rows found none)."""
    generate_profile("klerikal", voters, 11, tmp_path)
    publish(tmp_path / "dpt.csv", tmp_path / "dps.csv")
    result = audit([tmp_path / "dps.csv"], tmp_path / "audit", wilayah="3671")
    pairs = score_audit(result.out / "findings.csv", tmp_path / "truth.csv", tmp_path / "dpt.csv")[
        "PEMILIH_GANDA_PAIRS"
    ]
    print(f"{voters} published rows: P {pairs.precision:.3f} R {pairs.recall:.3f}")
    assert pairs.precision >= 0.95 and pairs.recall >= 0.3, pairs


def test_the_nik_region_a_published_list_shows_is_learned_as_evidence(audited):
    """Only the NIK's first 6 digits show: one person's copies in two kelurahan share them more often than two
    people there do, and EM learns by how much."""
    _, summary, _ = audited
    region = summary["duplicates"]["model"]["fields"]["region"]
    assert region["same"]["m"] > region["same"]["u"] and region["same"]["weight"] > 0 > region["other"]["weight"]
