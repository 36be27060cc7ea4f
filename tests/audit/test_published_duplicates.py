"""Duplicates on a list as KPU publishes it (NIK and NKK hidden after 6 digits, only the birth year shown, an age
column): made by kawal.synth.published from independent profiles, whose truth still holds row for row. The
matcher links the likeliest pairs down to where its estimated precision would fall below 0.98 (the findings ask a
PPS to strike voters), says so, is about that precise in truth, and finds a fair share of the people listed twice;
recall is asserted loosely and printed (the number to raise)."""

from __future__ import annotations

import csv
import json
from itertools import pairwise
from pathlib import Path

import pytest

from kawal.engine.audit import audit
from kawal.engine.audit.duplicates import DEFAULT_PROBABILITY, HIDDEN_DATES_PRECISION
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
    # 0.98 estimated; on very common names (nama_umum) the model is over-confident, by .07 on this list of 20,000
    # (see docs/checks.md): the number to close
    assert pairs.precision >= 0.90, pairs
    assert pairs.recall >= 0.3, pairs  # far from all: most people listed twice there differ only in hidden digits


def test_the_threshold_and_the_estimates_say_what_was_claimed(audited):
    scores, summary, _ = audited
    linkage = summary["duplicates"]
    assert DEFAULT_PROBABILITY < linkage["probability_threshold"] < 1
    assert "birth dates hidden" in linkage["threshold_how"]
    assert summary["duplicate_threshold"] == linkage["probability_threshold"]
    # by construction: the pairs at or over the threshold are, by the model's own probabilities, 98 % one person
    assert linkage["estimated_precision"] >= HIDDEN_DATES_PRECISION
    assert abs(linkage["estimated_precision"] - scores["PEMILIH_GANDA_PAIRS"].precision) <= 0.08


def test_a_full_list_keeps_the_usual_threshold(tmp_path):
    generate_profile("klerikal", 3_000, 7, tmp_path)
    result = audit([tmp_path / "dpt.csv"], tmp_path / "audit", wilayah="3671")
    summary = json.loads((result.out / "summary.json").read_text())
    assert summary["duplicates"]["probability_threshold"] == DEFAULT_PROBABILITY
    assert summary["duplicates"]["threshold_how"].startswith("default")


def test_the_pairs_below_the_threshold_are_ranked_for_the_field(audited):
    scores, summary, city = audited
    with (city / "audit" / "duplicate_candidates.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows, "pairs between 0.5 and the threshold are listed"
    probabilities = [float(r["probability"]) for r in rows]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(0.5 <= p < summary["duplicate_threshold"] + 5e-5 for p in probabilities)  # printed to 4 decimals
    expected = [float(r["expected_precision_to_here"]) for r in rows]
    assert all(a >= b - 1e-4 for a, b in pairwise(expected))
    with (city / "truth.csv").open(newline="") as f:
        person = {r["id"]: r["person_id"] for r in csv.DictReader(f)}
    same = [person[r["record_id_a"]] == person[r["record_id_b"]] for r in rows]
    linked = scores["PEMILIH_GANDA_PAIRS"].precision
    print(f"ranked pairs: {len(rows)}, one person {sum(same)}, expected {expected[-1]:.3f}; linked: {linked:.3f}")
    # the likeliest are linked, the next are worth a walk: one person more often among the first
    assert 0 < sum(same) / len(same) < linked


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
    assert pairs.precision >= 0.92 and pairs.recall >= 0.3, pairs


def test_the_nik_region_a_published_list_shows_is_learned_as_evidence(audited):
    """Only the NIK's first 6 digits show: one person's copies in two kelurahan share them more often than two
    people there do, and EM learns by how much."""
    _, summary, _ = audited
    region = summary["duplicates"]["model"]["fields"]["region"]
    assert region["same"]["m"] > region["same"]["u"] and region["same"]["weight"] > 0 > region["other"]["weight"]
