"""Every stage a list comes in; KPU's headings with legends ('JENIS KELAMIN (L/P)'); dates with a zero day or
month read as the year alone."""

from __future__ import annotations

import duckdb
import pytest

from kawal.engine.columns import canonical_name, map_headers
from kawal.engine.importer import STAGES, import_voter_list
from kawal.i18n import KawalError
from tests.conftest import HEADER, ROWS, write_csv


@pytest.mark.parametrize(
    ("heading", "column"),
    [
        ("JENIS KELAMIN (L/P)", "jenis_kelamin"),
        ("Jenis Kelamin (L / P)", "jenis_kelamin"),
        ("JENIS KELAMIN L/P", "jenis_kelamin"),
        ("STATUS PERKAWINAN (B/S/P)", "status_kawin"),
        ("STATUS PERKAWINAN B/S/P", "status_kawin"),
        ("KTP-EL (S/B)", "ktp_el"),
        ("TANGGAL LAHIR (DD-MM-YYYY)", "tanggal_lahir"),
        ("TGL LAHIR [TGL/BLN/THN]", "tanggal_lahir"),
        ("USIA (TAHUN)", "usia"),
        ("DISABILITAS (1-6)", "disabilitas"),
        ("KETERANGAN (B/U/TMS)", "keterangan"),
        ("L/P", "jenis_kelamin"),
        ("NO. KK", "nkk"),
    ],
)
def test_headings_with_a_legend_are_recognised(heading, column):
    assert canonical_name(heading) == column


@pytest.mark.parametrize("cell", ["(1)", "(2)", "", "CATATAN (LIHAT HALAMAN 2)", "A B C", "NAMA IBU"])
def test_other_cells_are_no_heading(cell):
    assert canonical_name(cell) is None


def test_a_csv_with_kpu_legends_in_its_headings_imports(tmp_path, store):
    header = HEADER.replace("L/P", "JENIS KELAMIN (L/P)").replace("KAWIN", "STATUS PERKAWINAN (B/S/P)")
    snap = import_voter_list(write_csv(tmp_path / "a.csv", [header, *ROWS]), "DPS", "3671", store).snapshot
    assert snap.counts == {"rows_in": 3, "loaded": 3, "rejected": 0}
    assert snap.meta["columns"]["JENIS KELAMIN (L/P)"] == "jenis_kelamin"
    assert snap.meta["columns"]["STATUS PERKAWINAN (B/S/P)"] == "status_kawin"
    assert map_headers(["NO", "NO (2)"]) == {0: "id"}  # the first of two headings for one column wins


@pytest.mark.parametrize(
    ("written", "year", "month", "day"),
    [
        ("00-00-1985", 1985, None, None),
        ("00/00/1985", 1985, None, None),
        ("00-06-1985", 1985, 6, None),
        ("1985-00-00", 1985, None, None),
        ("0-0-1985", 1985, None, None),
    ],
)
def test_a_zero_day_or_month_is_hidden_and_the_year_is_kept(tmp_path, store, written, year, month, day):
    line = ROWS[0].replace("04-03-1965", written)
    snap = import_voter_list(write_csv(tmp_path / "a.csv", [HEADER, line]), "DPS", "3671", store).snapshot
    assert snap.counts["rejected"] == 0
    got = duckdb.sql(
        f"SELECT tanggal_lahir, lahir_tahun, lahir_bulan, lahir_hari, lahir_tersembunyi "
        f"FROM read_parquet('{snap.voters_path}')"
    ).fetchall()[0]
    assert got == (None, year, month, day, True)


@pytest.mark.parametrize("written", ["00-13-1985", "00-00-0000", "32-00-1985"])
def test_a_zero_part_does_not_excuse_the_rest(tmp_path, store, written):
    line = ROWS[0].replace("04-03-1965", written)
    snap = import_voter_list(write_csv(tmp_path / "a.csv", [HEADER, line]), "DPS", "3671", store).snapshot
    assert snap.counts == {"rows_in": 1, "loaded": 0, "rejected": 1}
    reason = duckdb.sql(f"SELECT reason FROM read_parquet('{snap.rejects_path}')").fetchall()[0][0]
    assert f"tanggal_lahir '{written}' tidak terbaca" in reason


def test_every_stage_is_accepted_in_any_case(tmp_path, store):
    assert STAGES == ("DP4", "COKLIT", "DPHP", "DPS", "DPSHP", "DPT", "DPTB", "DPK", "LAIN")
    path = write_csv(tmp_path / "a.csv", [HEADER, *ROWS])
    for stage in (*STAGES, "dptb", "DPTb", "coklit", " dpshp "):
        snap = import_voter_list(path, stage, "3671", store).snapshot
        assert snap.meta["stage"] == stage.strip().upper()
        assert snap.counts["loaded"] == 3


def test_an_unknown_stage_names_the_choices(tmp_path, store):
    with pytest.raises(KawalError) as error:
        import_voter_list(write_csv(tmp_path / "a.csv", [HEADER, *ROWS]), "DPX", "3671", store)
    assert "DPX" in str(error.value) and "DPSHP" in str(error.value) and "COKLIT" in str(error.value)
