"""The audit scored against the generator's ground truth: exact rule checks, duplicates found."""

from pathlib import Path

import duckdb
import pytest

from kawal.engine.audit import audit
from kawal.engine.sql import literal
from kawal.synth.generator import generate
from kawal.synth.score import score_audit

N = 40_000
RULE_CHECKS = (
    "NIK_FORMAT",
    "NIK_WILAYAH",
    "NIK_TANGGAL",
    "NIK_TIDAK_COCOK",
    "NIK_GANDA",
    "DI_BAWAH_UMUR",
    "USIA_TIDAK_WAJAR",
    "DATA_TIDAK_LENGKAP",
    "TPS_PENUH",
    "KK_TERPISAH",
    "TPS_TIDAK_SESUAI_RT",
)


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("truth")
    generate(N, seed=11, out=out)
    return out


@pytest.fixture(scope="module")
def scores(city):
    audit([city / "dpt.csv"], city / "audit", wilayah="3671")
    return score_audit(city / "audit" / "findings.csv", city / "truth.csv", city / "dpt.csv")


@pytest.mark.parametrize("check", RULE_CHECKS)
def test_rule_checks_are_exact(scores, check):
    score = scores[check]
    assert score.true_positives > 0, check
    assert (score.false_positives, score.false_negatives) == (0, 0), check


def test_duplicates_precision_and_recall(scores):
    rows, pairs = scores["PEMILIH_GANDA"], scores["PEMILIH_GANDA_PAIRS"]
    assert rows.precision >= 0.98 and rows.recall >= 0.97, rows
    assert pairs.f1 >= 0.975, pairs


def test_duplicates_found_when_nik_and_nkk_are_masked(city, tmp_path):
    """The published DPT masks NIK and NKK: names, birth date, birthplace and household carry the match."""
    masked = tmp_path / "dpt-masked.csv"
    source = literal(city / "dpt.csv")
    duckdb.execute(
        f"""COPY (SELECT * REPLACE (left(nik, 6) || '**********' AS nik, left(nkk, 6) || '**********' AS nkk)
                  FROM read_csv({source}, all_varchar = true)) TO {literal(masked)} (HEADER)"""
    )
    audit([masked], tmp_path / "audit", wilayah="3671")
    score = score_audit(tmp_path / "audit" / "findings.csv", city / "truth.csv", masked)["PEMILIH_GANDA_PAIRS"]
    assert score.precision >= 0.9 and score.recall >= 0.9, score
