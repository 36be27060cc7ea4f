"""The published list as KPU hands it out, a Model A-Daftar Pemilih PDF (NIK and NKK after 6 digits, birth day and
month hidden, an age column), made from an independent profile: read back whole, and the duplicates claimed on
it are one person about as often as on the same list in CSV."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest

from kawal.engine.audit import audit
from kawal.synth.generator import generate
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
    assert "birth dates hidden" in summary["duplicates"]["threshold_how"]
    assert pairs.true_positives > 0 and pairs.precision >= 0.95, pairs


EXACT = ("DI_BAWAH_UMUR", "USIA_TIDAK_WAJAR", "DATA_TIDAK_LENGKAP", "NIK_WILAYAH")


@pytest.fixture(scope="module")
def kawal_city_pdf(tmp_path_factory):
    """kawal's own generator (every kind of problem, with its truth) printed as the published PDF. KPU prints a
    list per TPS, so the generator's rows without a TPS are not printed (and leave the truth)."""
    city = tmp_path_factory.mktemp("published-pdf-checks")
    generate(N, seed=5, out=city)
    with (city / "dpt.csv").open(newline="", encoding="utf-8") as f:
        rows = sorted(
            (r for r in csv.DictReader(f) if r["tps"]),
            key=lambda r: (r["kecamatan"], r["kelurahan"], r["tps"], int(r["id"])),
        )
    printed = {r["id"] for r in rows}
    with (city / "truth.csv").open(newline="") as f, (city / "truth-printed.csv").open("w", newline="") as out:
        reader = csv.DictReader(f)
        writer = csv.DictWriter(out, reader.fieldnames or [])
        writer.writeheader()
        writer.writerows(r for r in reader if r["id"] in printed)
    write_pdf(rows, city / "dps.pdf", PUBLISHED)
    sizes = Counter((r["kode_kelurahan"], str(int(r["tps"]))) for r in rows if r["kode_kelurahan"])
    max_per_tps = sorted(sizes.values())[-3]  # the two biggest TPS are over the limit
    result = audit([city / "dps.pdf"], city / "audit", wilayah="3671", max_per_tps=max_per_tps)
    scores = score_audit(result.out / "findings.csv", city / "truth-printed.csv", city / "dpt.csv")
    return {k for k, n in sizes.items() if n > max_per_tps}, rows, result, scores


def test_nothing_printed_is_rejected(kawal_city_pdf):
    _, rows, result, _ = kawal_city_pdf
    assert result.rows_in == len(rows) and result.rejected == 0


@pytest.mark.parametrize("check", EXACT)
def test_the_checks_that_can_decide_on_a_pdf_are_exact(kawal_city_pdf, check):
    score = kawal_city_pdf[3].get(check)
    assert score is not None and score.true_positives > 0, check
    assert score.false_positives == 0 and score.false_negatives == 0, (check, score)


def test_full_tps_are_found_from_the_pdf(kawal_city_pdf):
    over, _, result, _ = kawal_city_pdf
    with (result.out / "findings.csv").open(newline="") as f:
        found = {(r["kode_kelurahan"], str(int(r["tps"]))) for r in csv.DictReader(f) if r["check"] == "TPS_PENUH"}
    assert over and found == over
