"""Each check on a list with hidden digits and dates, an age column and rows already struck as TMS: what it can
decide it finds, what it cannot it leaves alone, and the coverage says which rows and why."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from kawal.engine.audit import audit

HEADER = ["NO", "NKK", "NIK", "NAMA", "TGL LAHIR", "USIA", "L/P", "KAWIN", "RT", "RW", "KODE KELURAHAN", "TPS", "KET"]
KEL = "3671011001"
HIDDEN = "367101**********"


def row(no, born, usia="", nik=HIDDEN, nkk="367101##########", sex="L", status="S", tps="1", ket="", rt="1"):
    return [str(no), nkk, nik, f"WARGA {no}", born, usia, sex, status, rt, "1", KEL, tps, ket]


ROWS = [
    row(1, "**-**-2008", "16", status="B"),  # under age by the age column
    row(2, "**-**-2008", status="B"),  # under age by the year: born in 2008, at most 16 on 27-11-2024
    row(3, "**-**-2007", status="B"),  # 2007: 16 or 17, cannot be told
    row(4, "**-**-2008", status="S"),  # married: eligible whatever the age
    row(5, "XX/XX/1923"),  # 100 or 101
    row(6, "1924"),  # 99 or 100: cannot be told
    row(7, "**-**-2009", "15", status="B", ket="3"),  # struck already (TMS 3): not found again
    row(8, "**-**-****"),  # hidden, not empty
    row(9, ""),  # empty: DATA_TIDAK_LENGKAP
    row(10, "15-**-1980", nik="3671**1503800001"),  # a masked prefix checked on its visible digits: fine
    row(11, "15-**-1980", nik="3699**1503800001"),  # no kecamatan code 3699..: NIK_WILAYAH
    row(12, "**-04-1965", nik="367101**03650001"),  # NIK month 03, row month 04: NIK_TIDAK_COCOK
    row(13, "**-**-1965", nik="367101**03650002"),  # only the year is visible on both sides: agrees
    row(14, "04-03-1965", nik="3671010403650003", nkk="3671011707100001", tps="2"),
    row(15, "04-03-1965", nik="3671010403650003", nkk="3671011707100001", tps="3", ket="TMS 2"),  # struck duplicate
    row(16, "05-05-1970", nkk="367101##########", tps="4"),  # the same masked NKK as others, another TPS
    row(17, "01-01-1990", nik="367101##########", tps="1", ket="MENINGGAL"),
]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hidden")
    path = folder / "dps.csv"
    with path.open("w", newline="") as f:
        csv.writer(f).writerows([HEADER, *ROWS])
    result = audit([path], folder / "out", max_per_tps=12)
    assert result.rejected == 0
    return folder / "out"


@pytest.fixture(scope="module")
def findings(out) -> dict[str, dict[str, str]]:
    by_check: dict[str, dict[str, str]] = {}
    with (out / "findings.csv").open() as f:
        for r in csv.DictReader(f):
            by_check.setdefault(r["check"], {})[r["record_id"]] = r["detail"]
    return by_check


def test_under_age_only_when_certain(findings):
    found = findings["DI_BAWAH_UMUR"]
    assert sorted(found, key=int) == ["1", "2"]
    assert "menurut usia di daftar: 16 tahun, dianggap per hari pemungutan suara" in found["1"]
    assert "berumur 15–16 tahun" in found["2"] and "menurut tahun lahir 2008" in found["2"]


def test_very_old_only_when_certain(findings):
    assert list(findings["USIA_TIDAK_WAJAR"]) == ["5"]
    assert "100–101 tahun" in findings["USIA_TIDAK_WAJAR"]["5"]


def test_a_hidden_date_is_not_an_empty_one(findings):
    assert list(findings["DATA_TIDAK_LENGKAP"]) == ["9"]


def test_nik_checks_use_visible_digits_only(findings):
    assert list(findings["NIK_WILAYAH"]) == ["11"] and "3699**" in findings["NIK_WILAYAH"]["11"]
    assert "NIK_FORMAT" not in findings and "NIK_TANGGAL" not in findings
    assert list(findings["NIK_TIDAK_COCOK"]) == ["12"]
    assert "**-03-65" in findings["NIK_TIDAK_COCOK"]["12"] and "**-04-1965" in findings["NIK_TIDAK_COCOK"]["12"]


def test_hidden_or_struck_numbers_are_no_identity(findings):
    assert "NIK_GANDA" not in findings  # 14 and 15 share a NIK, but 15 is struck; the rest are hidden
    assert "KK_TERPISAH" not in findings  # 16 shares a masked NKK with rows at TPS 1


def test_struck_rows_are_left_out_of_the_tps_count(findings):
    assert "TPS_PENUH" not in findings  # TPS 1 lists 14 rows, 2 of them struck: 12 voters, the maximum


def test_coverage(out):
    summary = json.loads((out / "summary.json").read_text())
    assert summary["sudah_tms"] == 3 and summary["sudah_tms_per_kode"] == {"1": 1, "2": 1, "3": 1}
    checks = summary["checks"]
    # married rows are settled whatever their age; 3 (born 2007) is not
    assert checks["DI_BAWAH_UMUR"]["not_checkable"] == {"sudah_tms": 3, "umur_tidak_pasti": 1}
    assert checks["DI_BAWAH_UMUR"]["checkable_rows"] == len(ROWS) - 4
    assert checks["USIA_TIDAK_WAJAR"]["not_checkable"] == {
        "sudah_tms": 3, "tanggal_lahir_kosong": 1, "tanggal_lahir_tersembunyi": 1, "umur_tidak_pasti": 1,
    }  # fmt: skip
    assert checks["TPS_PENUH"]["checkable_rows"] == len(ROWS) - 3
    assert checks["NIK_GANDA"]["checkable_rows"] == 1  # 14; 15 is struck
    assert checks["NIK_WILAYAH"]["checkable_rows"] == len(ROWS)
    assert checks["KK_TERPISAH"]["not_checkable"]["nkk_tersembunyi"] == len(ROWS) - 2
    report = (out / "report.html").read_text()
    assert "dari 17 baris" in report and "sudah dicoret TMS" in report


def test_a_known_usia_day_is_used_and_said(tmp_path):
    path = tmp_path / "dps.csv"
    rows = [
        row(1, "**-**-2008", "16", status="B"),
        row(2, "**-**-2009", "15", status="B"),
        row(3, "**-**-2007", "16", status="B"),
    ]
    with path.open("w", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    result = audit([path], tmp_path / "out", usia_date=date(2024, 8, 10))
    with (result.out / "findings.csv").open() as f:
        found = {r["record_id"]: r["detail"] for r in csv.DictReader(f) if r["check"] == "DI_BAWAH_UMUR"}
    # 16 on 10-08-2024 may be 17 by 27-11-2024 (row 3, born 2007); row 1 is settled by its year, row 2 by its age
    assert sorted(found) == ["1", "2"]
    assert "menurut tahun lahir 2008" in found["1"] and "15 tahun per 10-08-2024" in found["2"]
    assert result.summary["usia_date"] == "2024-08-10" and not result.summary["usia_date_assumed"]
