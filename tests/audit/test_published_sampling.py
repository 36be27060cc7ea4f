"""On a list as KPU publishes it, the pairs that only a weak key proposes across kelurahan (the first or last
letters of the name, or one of its words, with the birth year) are compared by a sample, each compared pair
standing for as many as were left out (``_weak_stride``). The pairs that can carry a link are compared whole: one
kelurahan, one birth month where it shows, a word written as its initial. So the audit is several times cheaper,
and links and estimates what comparing every pair did."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from kawal.engine.audit import audit
from kawal.engine.audit import duplicates as d
from kawal.synth.profiles import generate_profile
from kawal.synth.published import publish
from kawal.synth.score import score_audit
from tests.audit.every_pair import with_people

STRIDE = 1_000  # one pair in a thousand: the ones left out are all but surely left out

KEL_A, KEL_B, KEL_C = "3671011001", "3671051003", "3671061001"
ROWS = [
    # (nama, tahun lahir, bulan lahir, kelurahan, rt): NIKs and days hidden, as published
    ("SITI KUSUMAWARDANI", 1982, None, KEL_A, 1),  # one rare word, one year, other kelurahan: a weak pair ...
    ("DEWI KUSUMAWARDANI", 1982, None, KEL_B, 2),
    ("RUDI KUSUMAWARDANI", 1982, None, KEL_A, 3),  # ... and one in the same kelurahan, compared whole
    ("AHMAD F RAHMANSYAH", 1975, None, KEL_A, 1),  # a word as its initial, other kelurahan: whole
    ("AHMAD FAUZI RAHMANSYAH", 1975, None, KEL_B, 4),
    ("BAMBANG SETIAWIBAWA", 1990, 3, KEL_A, 2),  # the first letters and one birth month shown: whole
    ("BAMBANG PRIAMBODO", 1990, 3, KEL_B, 5),
    ("BAMBANG SUHARTONOWI", 1990, 7, KEL_C, 6),  # the first letters, another month: a weak pair
]


def _published(rows: list[tuple]) -> list[dict]:
    return [
        {
            "nama": name,
            "tanggal_lahir": None,
            "lahir_tahun": year,
            "lahir_bulan": month,
            "usia": 2024 - year,
            "nik_d": "367101**********",
            "kode_kelurahan": kel,
            "rt": rt,
        }
        for name, year, month, kel, rt in rows
    ]


def _weights(monkeypatch: pytest.MonkeyPatch | None = None) -> dict[tuple[str, str], int]:
    if monkeypatch:
        monkeypatch.setattr(d, "_weak_stride", lambda _con, _weak: STRIDE)
    con = with_people(_published(ROWS))
    d.build_candidates(con)
    name = {i + 1: r[0] for i, r in enumerate(ROWS)}
    found = con.execute("SELECT a, b, weight FROM candidates").fetchall()
    return {(name[a], name[b]): weight for a, b, weight in found}


def test_pairs_that_can_carry_a_link_are_compared_whole(monkeypatch):
    weights = _weights(monkeypatch)
    assert weights[("SITI KUSUMAWARDANI", "RUDI KUSUMAWARDANI")] == 1
    assert weights[("AHMAD F RAHMANSYAH", "AHMAD FAUZI RAHMANSYAH")] == 1
    assert weights[("BAMBANG SETIAWIBAWA", "BAMBANG PRIAMBODO")] == 1


def test_weak_pairs_across_kelurahan_are_sampled_and_stand_for_those_left_out(monkeypatch):
    weights = _weights(monkeypatch)
    weak = [
        ("SITI KUSUMAWARDANI", "DEWI KUSUMAWARDANI"),
        ("DEWI KUSUMAWARDANI", "RUDI KUSUMAWARDANI"),
        ("BAMBANG SETIAWIBAWA", "BAMBANG SUHARTONOWI"),
        ("BAMBANG PRIAMBODO", "BAMBANG SUHARTONOWI"),
    ]
    # the hash keeps about one in STRIDE: among four, none but by a 1-in-250 chance, fixed by the rows' ids
    assert all(weights.get(pair, STRIDE) == STRIDE for pair in weak), weights
    assert sum(pair in weights for pair in weak) <= 1


# --- end to end: a city's list of 20,000 as published, sampled against compared whole --------------------------

N = 20_000


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    city = tmp_path_factory.mktemp("published-sampling")
    generate_profile("klerikal", N, 11, city)
    publish(city / "dpt.csv", city / "dps.csv", date_form="year")
    return city


def _audited(city: Path, name: str, per_row: float = d.WEAK_PAIRS_PER_ROW) -> tuple[dict, set[tuple[str, str]]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(d, "WEAK_PAIRS_PER_ROW", per_row)
        result = audit([city / "dps.csv"], city / name, wilayah="3671")
    summary = json.loads((result.out / "summary.json").read_text())["duplicates"]
    linked = (
        duckdb.connect()
        .execute(f"SELECT record_id_a, record_id_b FROM '{result.out / 'duplicate_pairs.parquet'}'")
        .fetchall()
    )
    return summary, {tuple(sorted(p)) for p in linked}


def test_a_sample_links_and_estimates_what_comparing_every_pair_does(published):
    whole, whole_links = _audited(published, "whole", 10**12)  # the stride is 1: every pair compared
    sampled, sampled_links = _audited(published, "sampled")
    assert whole["compared_pairs"] == whole["candidate_pairs"]
    assert sampled["compared_pairs"] < 0.5 * sampled["candidate_pairs"]
    print(
        f"compared {sampled['compared_pairs']:,} of {sampled['candidate_pairs']:,} (whole: {whole['candidate_pairs']:,})"
    )
    # the weights stand for the pairs left out
    assert sampled["candidate_pairs"] == pytest.approx(whole["candidate_pairs"], rel=0.05)
    # the threshold keeping .98 precision moves a little with the sample (one pattern of levels more or less)
    assert sampled["estimated_precision"] == pytest.approx(whole["estimated_precision"], abs=0.005)
    assert sampled["estimated_recall"] == pytest.approx(whole["estimated_recall"], abs=0.02)
    assert sampled["estimated_people_on_several_rows"] == pytest.approx(
        whole["estimated_people_on_several_rows"], rel=0.05
    )
    shared = len(whole_links & sampled_links)
    assert shared >= 0.94 * len(whole_links) and shared >= 0.94 * len(sampled_links), (
        len(whole_links),
        len(sampled_links),
        shared,
    )


def test_recall_counts_the_pairs_no_rule_proposed_for_their_birth_years(published):
    """On a list that hides the dates, one person's rows whose birth years differ are proposed only by the rare
    name's rule: recall counts those it leaves out (see unproposed_by_year), nearer the truth than recall among the
    proposed pairs alone."""
    summary, _ = _audited(published, "recall")
    unproposed = summary["estimated_unproposed_pairs"]
    assert unproposed is not None and unproposed > 0
    expected = summary["estimated_people_on_several_rows"]
    among_proposed = summary["estimated_recall"] * (expected + unproposed) / expected
    true_recall = score_audit(published / "recall" / "findings.csv", published / "truth.csv", published / "dps.csv")[
        "PEMILIH_GANDA_PAIRS"
    ].recall
    print(
        f"recall: true {true_recall:.4f}, estimated {summary['estimated_recall']:.4f}, among proposed {among_proposed:.4f}"
    )
    assert abs(summary["estimated_recall"] - true_recall) < abs(among_proposed - true_recall)


def test_a_full_list_is_never_sampled(tmp_path):
    generate_profile("klerikal", 3_000, 7, tmp_path)
    result = audit([tmp_path / "dpt.csv"], tmp_path / "audit", wilayah="3671")
    summary = json.loads((result.out / "summary.json").read_text())["duplicates"]
    assert summary["compared_pairs"] == summary["candidate_pairs"] > 0
