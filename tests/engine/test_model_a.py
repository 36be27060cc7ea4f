"""Model A columns on import: birth dates with hidden parts in every order and mask character, KTP-el, disability
codes and the keterangan markers (B, U, TMS codes, lokasi khusus)."""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kawal.engine import model_a
from kawal.engine.audit import _snapshot_columns
from kawal.engine.importer import SNAPSHOT_COLUMNS, import_voter_list
from kawal.engine.sql import literal
from tests.conftest import write_csv


def load(tmp_path, store, header: str, rows: list[str]):
    snap = import_voter_list(write_csv(tmp_path / "d.csv", [header, *rows]), "DPS", "3671011001", store).snapshot
    return snap


def columns(snap, names: str) -> list[tuple]:
    return duckdb.sql(f"SELECT {names} FROM read_parquet('{snap.voters_path}') ORDER BY row_no").fetchall()


def reasons(snap) -> list[str]:
    return [
        r[0] for r in duckdb.sql(f"SELECT reason FROM read_parquet('{snap.rejects_path}') ORDER BY row_no").fetchall()
    ]


@pytest.mark.parametrize(
    ("written", "year", "month", "day"),
    [
        ("**-**-1985", 1985, None, None),
        ("XX/XX/1985", 1985, None, None),
        ("xx.xx.1985", 1985, None, None),
        ("##|##|1985", 1985, None, None),
        ("**-06-1985", 1985, 6, None),
        ("15-**-1985", 1985, None, 15),
        ("1*-06-1985", 1985, 6, None),  # a part with any hidden digit counts as hidden
        ("1985", 1985, None, None),
        ("1985-**-**", 1985, None, None),
        ("1985/XX/XX", 1985, None, None),
        ("1985-06-**", 1985, 6, None),
        ("**-**-****", None, None, None),
        ("****", None, None, None),
        ("29-02-****", None, 2, 29),  # 29 February of an unknown year may be real
        ("31-12-19**", None, 12, 31),
    ],
)
def test_a_birth_date_with_hidden_parts_keeps_what_is_visible(tmp_path, store, written, year, month, day):
    snap = load(tmp_path, store, "NAMA;TGL LAHIR", [f"A;{written}"])
    assert snap.counts["rejected"] == 0
    assert columns(snap, "tanggal_lahir, lahir_tahun, lahir_bulan, lahir_hari, lahir_tersembunyi") == [
        (None, year, month, day, True)
    ]


def test_a_full_date_fills_every_part_and_is_not_hidden(tmp_path, store):
    snap = load(tmp_path, store, "NAMA;TGL LAHIR", ["A;04-03-1965", "B;"])
    assert columns(snap, "tanggal_lahir, lahir_tahun, lahir_bulan, lahir_hari, lahir_tersembunyi") == [
        (date(1965, 3, 4), 1965, 3, 4, False),
        (None, None, None, None, False),
    ]


@pytest.mark.parametrize(
    "written",
    ["31-02-1985", "**-13-1985", "32-**-1985", "30-02-****", "0000", "**-**-85", "1985-13-**", "kemarin", "**"],
)
def test_a_present_date_that_is_neither_date_nor_hidden_date_rejects(tmp_path, store, written):
    snap = load(tmp_path, store, "NAMA;TGL LAHIR", [f"A;{written}"])
    assert snap.counts == {"rows_in": 1, "loaded": 0, "rejected": 1}
    (reason,) = reasons(snap)
    assert reason.startswith(f"tanggal_lahir '{written}' tidak terbaca") and "**-**-1985" in reason


def test_the_age_column_is_read_under_its_names(tmp_path, store):
    snap = load(tmp_path, store, "NAMA;TGL LAHIR;UMUR (TAHUN)", ["A;**-**-1985;39"])
    assert columns(snap, "usia, lahir_tahun") == [(39, 1985)]


@pytest.mark.parametrize(
    ("written", "status"),
    [("S", "S"), ("B", "B"), ("Sudah KTP-el", "S"), ("SUDAH", "S"), ("belum", "B"), ("Belum KTP-el", "B"), ("", None)],
)
def test_ktp_el(tmp_path, store, written, status):
    snap = load(tmp_path, store, "NAMA;KTP-EL", [f"A;{written}"])
    assert columns(snap, "ktp_el") == [(status,)]


def test_an_unreadable_ktp_el_rejects_its_row(tmp_path, store):
    snap = load(tmp_path, store, "NAMA;STATUS KTP-EL", ["A;MUNGKIN"])
    assert reasons(snap) == ["ktp_el 'MUNGKIN' bukan S (sudah) atau B (belum)"]


def test_disability_codes_from_numbers_and_words(tmp_path, store):
    written = [
        "1",
        "FISIK",
        "Disabilitas Intelektual",
        "3",
        "SENSORIK WICARA",
        "tuna rungu",
        "NETRA",
        "4, 5",
        "LAINNYA",
        "",
    ]
    snap = load(tmp_path, store, "NAMA;DISABILITAS", [f"A;{w}" for w in written])
    assert [r[1] for r in columns(snap, "disabilitas, disabilitas_kode")] == [
        "1", "1", "2", "3", "4", "5", "6", "4,5", None, None,
    ]  # fmt: skip
    assert columns(snap, "disabilitas")[2] == ("Disabilitas Intelektual",)  # the text is kept as written


@pytest.mark.parametrize(
    ("written", "tms", "baru", "ubah", "lokasi"),
    [
        ("1", 1, False, False, None),
        ("TMS 4", 4, False, False, None),
        ("tms-8", 8, False, False, None),
        ("TMS1", 1, False, False, None),
        ("3 DI BAWAH UMUR", 3, False, False, None),
        ("MENINGGAL", 1, False, False, None),
        ("TMS POLRI", 7, False, False, None),
        ("B", None, True, False, None),
        ("Pemilih Baru", None, True, False, None),
        ("U", None, False, True, None),
        ("UBAH DATA", None, False, True, None),
        ("91", None, False, False, 91),
        ("9", None, False, False, None),
        ("PINDAH TPS 005", None, False, False, None),  # free text that mentions a word is no TMS code
    ],
)
def test_keterangan_markers(tmp_path, store, written, tms, baru, ubah, lokasi):
    snap = load(tmp_path, store, "NAMA;KETERANGAN", [f"A;{written}"])
    assert columns(snap, "tms_kode, sudah_tms, pemilih_baru, ubah_data, lokasi_khusus, keterangan") == [
        (tms, tms is not None, baru, ubah, lokasi, written)
    ]


def test_tms_without_a_code_is_still_struck(tmp_path, store):
    snap = load(tmp_path, store, "NAMA;KET", ["A;TMS", "B;"])
    assert columns(snap, "tms_kode, sudah_tms") == [(None, True), (None, False)]


def test_every_tms_code_has_words_and_a_meaning():
    assert set(model_a.TMS_WORDS) == set(model_a.TMS_CODES["2024"]) == set(range(1, 9))


def test_a_snapshot_from_before_these_columns_reads_with_defaults(tmp_path):
    old = tmp_path / "voters.parquet"
    before = [c for c in SNAPSHOT_COLUMNS if c not in model_a.COLUMNS]
    table = {c: pa.array([None], pa.string()) for c in before}
    table["tanggal_lahir"] = pa.array([date(1965, 3, 4)])
    pq.write_table(pa.table(table), old)
    con = duckdb.connect()
    select = _snapshot_columns(con, literal(old))
    row = con.execute(
        f"SELECT lahir_tahun, lahir_bulan, lahir_hari, lahir_tersembunyi, sudah_tms, tms_kode, nik FROM (SELECT {select} "
        f"FROM read_parquet({literal(old)}))"
    ).fetchall()
    assert row == [(1965, 3, 4, False, False, None, None)]
