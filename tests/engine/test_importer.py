import json
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter

from kawal.engine.importer import import_voter_list
from kawal.i18n import KawalError
from tests.conftest import HEADER, ROWS, write_csv


def voters(snapshot):
    return duckdb.sql(f"SELECT * FROM read_parquet('{snapshot.voters_path}') ORDER BY row_no").fetchall()


def column(snapshot, name):
    return [
        r[0]
        for r in duckdb.sql(f"SELECT {name} FROM read_parquet('{snapshot.voters_path}') ORDER BY row_no").fetchall()
    ]


def rejects(snapshot):
    return duckdb.sql(
        f"SELECT row_no, line, sheet, reason FROM read_parquet('{snapshot.rejects_path}') ORDER BY row_no"
    ).fetchall()


def test_kpu_headers_map_to_canonical_columns(tmp_path, store):
    path = write_csv(tmp_path / "dpt.csv", [HEADER, *ROWS])
    snap = import_voter_list(path, "DPT", "3671", store).snapshot
    assert snap.counts == {"rows_in": 3, "loaded": 3, "rejected": 0}
    assert snap.meta["reconciled"]
    assert snap.meta["columns"]["NO. KK" if "NO. KK" in HEADER else "NKK"] == "nkk"
    assert snap.meta["columns"]["L/P"] == "jenis_kelamin"
    assert column(snap, "id") == ["1", "2", "3"]
    assert column(snap, "tanggal_lahir")[0] == date(1965, 3, 4)
    assert column(snap, "kode_kelurahan") == ["3671011001", "3671011001", "3671051007"]
    assert column(snap, "kelurahan") == ["Sukarasa", "Sukarasa", "Ketapang"]
    assert column(snap, "kode_kecamatan") == ["367101", "367101", "367105"]
    assert column(snap, "status_kawin") == ["S", "S", "P"]
    assert column(snap, "rt") == [1, 1, 3] and column(snap, "rw") == [2, 2, 1] and column(snap, "tps") == [1, 1, 2]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiter_is_detected(tmp_path, store, delimiter):
    lines = [line.replace(",", delimiter) for line in [HEADER, *ROWS]]
    snap = import_voter_list(write_csv(tmp_path / "dpt.csv", lines), "DPS", "3671", store).snapshot
    assert snap.meta["source"]["delimiter"] == delimiter
    assert snap.counts["loaded"] == 3


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"), ("utf-16", "utf-16")],
)
def test_encoding_is_detected(tmp_path, store, encoding, expected):
    row = ROWS[0].replace("AANG", "RENÉ ŒUVRE")
    snap = import_voter_list(write_csv(tmp_path / "dpt.csv", [HEADER, row], encoding), "DPT", "3671", store).snapshot
    assert snap.meta["source"]["encoding"] == expected
    assert column(snap, "nama") == ["RENÉ ŒUVRE"]


def test_title_rows_above_the_header_are_skipped(tmp_path, store):
    lines = ["DAFTAR PEMILIH TETAP PILKADA 2024", "KOTA TANGERANG", "", HEADER, *ROWS]
    snap = import_voter_list(write_csv(tmp_path / "dpt.csv", lines), "DPT", "3671", store).snapshot
    assert snap.counts["loaded"] == 3
    assert column(snap, "line") == [5, 6, 7]


@pytest.mark.parametrize(
    "value",
    ["04-03-1965", "04/03/1965", "1965-03-04", "04|03|1965", "23805", "23805.0", "4-3-1965"],
)
def test_date_formats(tmp_path, store, value):
    lines = ["NAMA;TGL LAHIR;L/P", f"AANG;{value};L"]
    snap = import_voter_list(write_csv(tmp_path / "d.csv", lines), "LAIN", "3671011001", store).snapshot
    assert column(snap, "tanggal_lahir") == [date(1965, 3, 4)]


def test_dates_in_a_format_shape_that_does_not_parse_are_still_rejected(tmp_path, store):
    lines = ["NAMA;TGL LAHIR", "A;31-02-1965", "B;1965-13-04", "C;04.03.1965", "D;1965/03/04"]
    snap = import_voter_list(write_csv(tmp_path / "d.csv", lines), "LAIN", "3671011001", store).snapshot
    assert column(snap, "tanggal_lahir") == [date(1965, 3, 4), date(1965, 3, 4)]
    assert [r[0] for r in rejects(snap)] == [1, 2]


def test_cells_are_cleaned_alike_on_the_fast_and_the_full_path(tmp_path, store):
    lines = [
        "NAMA,TEMPAT LAHIR,ALAMAT,RT,RW,L/P",
        " AANG ,GARUT,KP.\tDUKUH, 001,02 ,L",
        "IMAS\u00a0,\u3000-,SITI  AMINAH,.,-, P",
        "SOEPRAPTO,SEMARANG,JL. GARUDA,3,1,L",
    ]
    snap = import_voter_list(write_csv(tmp_path / "d.csv", lines), "LAIN", "3671011001", store).snapshot
    assert column(snap, "nama") == ["AANG", "IMAS", "SOEPRAPTO"]
    assert column(snap, "tempat_lahir") == ["GARUT", None, "SEMARANG"]
    assert column(snap, "alamat") == ["KP. DUKUH", "SITI AMINAH", "JL. GARUDA"]
    assert column(snap, "rt") == [1, None, 3] and column(snap, "rw") == [2, None, 1]
    assert column(snap, "jenis_kelamin") == ["L", "P", "L"]


def test_usia_instead_of_birth_date(tmp_path, store):
    snap = import_voter_list(
        write_csv(tmp_path / "d.csv", ["NAMA,USIA,JK", "A,45,L", "B,,P"]), "DPT", "3671011001", store
    ).snapshot
    assert column(snap, "usia") == [45, None]


def test_a_kelurahan_wilayah_fills_the_kelurahan_of_every_row(tmp_path, store):
    snap = import_voter_list(
        write_csv(tmp_path / "d.csv", ["NAMA,JK,TPS", "A,L,TPS 003"]), "DPT", "3671011001", store
    ).snapshot
    assert column(snap, "kode_kelurahan") == ["3671011001"]
    assert column(snap, "tps") == [3]


def test_13_digit_tps_code_gives_kelurahan_and_number(tmp_path, store):
    snap = import_voter_list(
        write_csv(tmp_path / "d.csv", ["NAMA,JK,TPS", "A,L,3671051007012"]), "DPT", "3671", store
    ).snapshot
    assert column(snap, "kode_kelurahan") == ["3671051007"] and column(snap, "tps") == [12]


def test_unreadable_rows_are_rejected_with_row_and_field_and_counts_reconcile(tmp_path, store):
    lines = [
        HEADER,
        ROWS[0],
        ROWS[1].replace("10-11-1990", "31-13-1990"),
        ROWS[2].replace(",L,P,", ",X,P,"),
        "4,1,2,3",
        ROWS[0].replace("SUKARASA", "ATLANTIS").replace("1,", "5,", 1),
        ",,,,,,,,,,,,,",
        ROWS[0].replace("1,", "7,", 1).replace(",001,002,", ",SATU,002,"),
        ROWS[0].replace("1,", "8,", 1),
    ]
    result = import_voter_list(write_csv(tmp_path / "dpt.csv", lines), "DPT", "3671", store)
    snap = result.snapshot
    assert snap.counts == {"rows_in": 8, "loaded": 2, "rejected": 6}
    assert snap.meta["reconciled"]
    found = {row: reason for row, _line, _sheet, reason in rejects(snap)}
    assert set(found) == {2, 3, 4, 5, 6, 7}
    assert "tanggal_lahir '31-13-1990'" in found[2]
    assert "jenis_kelamin 'X'" in found[3]
    assert "kolom" in found[4]
    assert "ATLANTIS" in found[5] and "kelurahan" in found[5]
    assert found[6] == "baris kosong"
    assert "rt 'SATU'" in found[7]
    assert column(snap, "row_no") == [1, 8]
    assert column(snap, "id") == ["1", "8"]


def test_reject_messages_in_english(tmp_path, store):
    from kawal.i18n import set_language

    set_language("en")
    lines = ["NAMA,TGL LAHIR", "A,yesterday"]
    snap = import_voter_list(write_csv(tmp_path / "d.csv", lines), "DPT", "3671011001", store).snapshot
    assert "unreadable" in rejects(snap)[0][3]


def test_kelurahan_outside_the_wilayah_is_rejected(tmp_path, store):
    lines = ["NAMA,KODE KELURAHAN", "A,3674011001", "B,9999999999", "C,36.71.01.1001"]
    snap = import_voter_list(write_csv(tmp_path / "d.csv", lines), "DPT", "3671", store).snapshot
    found = [r[3] for r in rejects(snap)]
    assert "di luar wilayah 3671" in found[0] and "tidak ada di daftar" in found[1]
    assert column(snap, "kode_kelurahan") == ["3671011001"]


def test_nik_text_is_kept_as_written_without_spaces_or_excel_apostrophe(tmp_path, store):
    lines = ["NAMA,NIK", "A,'3671010403650018", "B,3671 0104 0365 0019", "C,3.67101E+15"]
    snap = import_voter_list(write_csv(tmp_path / "d.csv", lines), "DPT", "3671011001", store).snapshot
    assert column(snap, "nik") == ["3671010403650018", "3671010403650019", "3.67101E+15"]
    assert snap.meta["nik_excel"]["float_forms"] == 1
    assert snap.meta["nik_excel"]["float_column"]


def test_missing_name_column_is_a_clear_error(tmp_path, store):
    with pytest.raises(KawalError, match="NAMA"):
        import_voter_list(write_csv(tmp_path / "d.csv", ["NIK,TPS", "3671010403650018,1"]), "DPT", "3671", store)
    with pytest.raises(KawalError, match="judul kolom"):
        import_voter_list(write_csv(tmp_path / "d.csv", ["a,b", "1,2"]), "DPT", "3671", store)
    assert store.list() == []


def test_bad_stage_wilayah_and_format(tmp_path, store):
    path = write_csv(tmp_path / "d.csv", [HEADER, *ROWS])
    with pytest.raises(KawalError, match="Tahap"):
        import_voter_list(path, "DPX", "3671", store)
    with pytest.raises(KawalError, match="3699"):
        import_voter_list(path, "DPT", "3699", store)
    other = tmp_path / "d.json"
    other.write_text("{}")
    with pytest.raises(KawalError, match="json"):
        import_voter_list(other, "DPT", "3671", store)


def write_xlsx(path: Path) -> Path:
    book = xlsxwriter.Workbook(path)
    date_format = book.add_format({"num_format": "dd-mm-yyyy"})
    cover = book.add_worksheet("REKAP")
    cover.write_row(0, 0, ["REKAPITULASI", "JUMLAH"])
    for name, first_id in (("TPS 001", 1), ("TPS 002", 3)):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, ["DAFTAR PEMILIH TETAP"])
        sheet.write_row(2, 0, ["NO", "NIK", "NAMA", "TGL LAHIR", "L/P", "KELURAHAN", "KECAMATAN", "TPS"])
        sheet.write_row(3, 0, [first_id, "3671010403650018", "AANG"])
        sheet.write_datetime(3, 3, __import__("datetime").datetime(1965, 3, 4), date_format)
        sheet.write_row(3, 4, ["L", "SUKARASA", "TANGERANG", int(name[-1])])
        sheet.write_row(
            4, 0, [first_id + 1, 3671015011900032, "IMAS", 33187, "P", "SUKARASA", "TANGERANG", int(name[-1])]
        )
    book.close()
    return path


def test_xlsx_all_sheets_with_title_rows_and_numeric_nik_evidence(tmp_path, store):
    snap = import_voter_list(write_xlsx(tmp_path / "dpt.xlsx"), "DPT", "3671", store).snapshot
    assert snap.counts == {"rows_in": 4, "loaded": 4, "rejected": 0}
    assert snap.meta["source"]["sheets"] == ["TPS 001", "TPS 002"]
    assert snap.meta["source"]["skipped_sheets"] == ["REKAP"]
    assert column(snap, "id") == ["1", "2", "3", "4"]
    assert column(snap, "sheet") == ["TPS 001", "TPS 001", "TPS 002", "TPS 002"]
    assert column(snap, "line") == [4, 5, 4, 5]
    assert column(snap, "nik")[1] == "3671015011900032.0"  # a number cell: kept as evidence of Excel
    assert column(snap, "tanggal_lahir") == [date(1965, 3, 4), date(1990, 11, 10)] * 2
    assert snap.meta["nik_excel"]["numeric_cells"] == 2 and snap.meta["nik_excel"]["float_column"]
    assert column(snap, "tps") == [1, 1, 2, 2]


def test_parquet_with_typed_columns(tmp_path, store):
    table = pa.table(
        {
            "NIK": ["3671010403650018"],
            "NAMA": ["AANG"],
            "TANGGAL LAHIR": pa.array([date(1965, 3, 4)]),
            "JENIS KELAMIN": ["LAKI-LAKI"],
            "KODE KELURAHAN": ["3671011001"],
            "TPS": pa.array([7], pa.int32()),
        }
    )
    pq.write_table(table, tmp_path / "d.parquet")
    snap = import_voter_list(tmp_path / "d.parquet", "DP4", "3671", store).snapshot
    assert voters(snap)[0][8] == date(1965, 3, 4)
    assert column(snap, "jenis_kelamin") == ["L"] and column(snap, "tps") == [7]


def test_snapshot_metadata_and_permissions(tmp_path, store):
    path = write_csv(tmp_path / "dpt.csv", [HEADER, *ROWS])
    result = import_voter_list(path, "DPT", "3671", store)
    snap = result.snapshot
    meta = json.loads((snap.path / "meta.json").read_text())
    assert meta["number"] == 1 and meta["name"] == "0001-dpt-3671"
    assert len(meta["source"]["sha256"]) == 64 and len(meta["voters_sha256"]) == 64
    assert meta["stage"] == "DPT" and meta["wilayah"] == "3671"
    for file in ("voters.parquet", "rejects.parquet", "meta.json"):
        assert (snap.path / file).stat().st_mode & 0o777 == 0o400
    assert snap.path.stat().st_mode & 0o777 == 0o700


def test_same_file_twice_reuses_the_snapshot_and_new_file_gets_next_number(tmp_path, store):
    path = write_csv(tmp_path / "dpt.csv", [HEADER, *ROWS])
    first = import_voter_list(path, "DPT", "3671", store)
    again = import_voter_list(path, "DPT", "3671", store)
    assert again.reused and again.snapshot.path == first.snapshot.path
    other = import_voter_list(write_csv(tmp_path / "dps.csv", [HEADER, *ROWS[:2]]), "DPS", "3671", store)
    assert other.snapshot.number == 2
    assert [s.name for s in store.list()] == ["0001-dpt-3671", "0002-dps-3671"]
    assert store.get("2").path == store.get("0002-dps-3671").path == store.get(other.snapshot.path).path


def test_failed_import_leaves_nothing_behind(tmp_path, store, monkeypatch):
    import kawal.engine.importer as importer

    def explode(*_args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "_write_parquet", explode)
    with pytest.raises(RuntimeError):
        import_voter_list(write_csv(tmp_path / "dpt.csv", [HEADER, *ROWS]), "DPT", "3671", store)
    assert store.list() == []
    assert list((store.root / ".staging").iterdir()) == []
