"""The published list as KPU hands it out, a Model A-Daftar Pemilih PDF (NIK and NKK after 6 digits, birth day and
month hidden, an age column), made from an independent profile: read back whole, and the duplicates claimed on
it are one person as often as on the same list in CSV (precision >= 0.95)."""

from __future__ import annotations

import csv
import json

import pytest

from kawal.engine.audit import audit
from kawal.engine.audit.duplicates import HIDDEN_DATES_PROBABILITY
from kawal.synth.pdf_layout import Layout, write_pdf
from kawal.synth.profiles import generate_profile
from kawal.synth.score import score_audit

N = 8_000
# NO printed as the row's own id, so findings name rows the truth knows (KPU numbers per TPS; tests/engine covers it)
PUBLISHED = Layout(mask_numbers=True, mask_dates=True, number_per_tps=False)


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    city = tmp_path_factory.mktemp("published-pdf")
    generate_profile("klerikal", N, 11, city)
    with (city / "dpt.csv").open(newline="", encoding="utf-8") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: (r["kecamatan"], r["kelurahan"], r["tps"], int(r["id"])))
    written = write_pdf(rows, city / "dps.pdf", PUBLISHED)
    result = audit([city / "dps.pdf"], city / "audit", wilayah="3671")
    scores = score_audit(result.out / "findings.csv", city / "truth.csv", city / "dpt.csv")
    return written, result, scores, json.loads((result.out / "summary.json").read_text())


def test_every_printed_row_is_read(audited):
    written, result, _, _ = audited
    assert written.rows == N
    assert result.rows_in == N and result.rejected == 0


def test_duplicates_claimed_on_the_pdf_are_one_person(audited):
    _, _, scores, summary = audited
    pairs = scores["PEMILIH_GANDA_PAIRS"]
    print(f"published PDF pairs: P {pairs.precision:.3f} R {pairs.recall:.3f} ({pairs})")
    assert summary["duplicates"]["probability_threshold"] == HIDDEN_DATES_PROBABILITY
    assert pairs.true_positives > 0 and pairs.precision >= 0.95, pairs
