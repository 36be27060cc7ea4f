"""A folder of CSV files (KPU hands lists out per TPS) is read as one list: each row keeps its file and line, rows
are counted over the folder, and the record ids name one row of it (see kawal.engine.folder_reader)."""

from __future__ import annotations

import csv

import duckdb
import pytest

from kawal.cli.main import main
from kawal.engine.audit import audit
from kawal.engine.importer import import_voter_list
from kawal.i18n import KawalError

HEADER = "NO,NKK,NIK,NAMA,TEMPAT LAHIR,TGL LAHIR,L/P,KAWIN,ALAMAT,RT,RW,KELURAHAN,KECAMATAN,TPS"


def row(no: int, nik: str, name: str, tps: str) -> str:
    return f"{no},3671011707100024,{nik},{name},TANGERANG,04-03-1965,L,S,KP. DUKUH,001,002,SUKARASA,TANGERANG,{tps}"


@pytest.fixture
def folder(tmp_path):
    """Three TPS files as they come: NO from 1 in each; one with blank lines at its end; one in Windows-1252 with
    CRLF line ends, a title block above its header and a broken line; one without a line break after its last
    row."""
    root = tmp_path / "DPT SUKARASA"
    (root / "tps-10").mkdir(parents=True)
    tps_2 = [HEADER, row(1, "3671010403650018", "AANG", "002"), row(2, "3671015011900032", "IMAS", "002")]
    (root / "tps-2.csv").write_text("\n".join(tps_2) + "\n\n\n")  # blank lines at its end, which are no rows
    title = ["DAFTAR PEMILIH TETAP", "TPS 010"]
    lines = [
        *title,
        HEADER,
        row(1, "3671010403650026", "JOSÉ", "010"),
        "2,broken",
        row(3, "3671010403650034", "UJANG", "010"),
    ]
    (root / "tps-10" / "dpt.csv").write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")
    (root / "tps-3.csv").write_text("\n".join([HEADER, row(1, "3671015011900032", "IMAS R", "003")]))
    return root


def test_a_folder_of_tps_files_is_one_list(folder, store):
    snapshot = import_voter_list(folder, "DPT", "3671", store).snapshot
    assert snapshot.counts == {"rows_in": 6, "loaded": 5, "rejected": 1}
    rows = duckdb.sql(f"SELECT row_no, sheet, line, id, nama FROM '{snapshot.voters_path}' ORDER BY row_no").fetchall()
    assert rows == [  # natural order: TPS 2, TPS 3, TPS 10; each row's line in its own file
        (1, "tps-2.csv", 2, "002-1", "AANG"),
        (2, "tps-2.csv", 3, "002-2", "IMAS"),
        (3, "tps-3.csv", 2, "003-1", "IMAS R"),
        (4, "tps-10/dpt.csv", 4, "010-1", "JOSÉ"),
        (6, "tps-10/dpt.csv", 6, "010-3", "UJANG"),
    ]
    rejected = duckdb.sql(f"SELECT row_no, sheet, line FROM '{snapshot.rejects_path}'").fetchall()
    assert rejected == [(5, "tps-10/dpt.csv", 5)]
    assert snapshot.meta["record_ids"] == "tps-no" and snapshot.meta["source"]["name"] == "DPT SUKARASA"


def test_findings_name_the_rows_of_the_folder(folder, tmp_path):
    result = audit([folder], tmp_path / "out", wilayah="3671")
    assert (result.rows_in, result.audited, result.rejected) == (6, 5, 1)
    with (tmp_path / "out" / "findings.csv").open() as f:
        shared = sorted(r["record_id"] for r in csv.DictReader(f) if r["check"] == "NIK_GANDA")
    assert shared == ["002-2", "003-1"]  # one NIK in two TPS files, each row named by its TPS and NO
    with (tmp_path / "out" / "rejects.csv").open() as f:
        assert [(r["file"], r["sheet"], r["line"]) for r in csv.DictReader(f)] == [
            ("DPT SUKARASA", "tps-10/dpt.csv", "5")
        ]


def test_a_folder_mixing_layouts_is_refused_naming_the_file(folder):
    (folder / "tps-4.csv").write_text("NAMA,NIK,NO\nBUDI,3671010403650042,1\n")
    with pytest.raises(KawalError, match=r"tps-4\.csv"):
        import_voter_list(folder, "DPT", "3671")


def test_a_quote_inside_a_name_is_read_as_a_letter(folder, store):
    (folder / "tps-4.csv").write_text("\n".join([HEADER, row(1, "3671010403650042", 'ANDI "BOY', "004")]) + "\n")
    snapshot = import_voter_list(folder, "DPT", "3671", store).snapshot
    assert snapshot.counts == {"rows_in": 7, "loaded": 6, "rejected": 1}  # TPS 10's file, read after it, whole
    names = duckdb.sql(f"SELECT sheet, nama FROM '{snapshot.voters_path}' ORDER BY row_no").fetchall()
    assert names[3:] == [("tps-4.csv", 'ANDI "BOY'), ("tps-10/dpt.csv", "JOSÉ"), ("tps-10/dpt.csv", "UJANG")]


def test_a_file_ending_inside_quotes_is_refused_before_it_swallows_the_next(folder):
    (folder / "tps-3.csv").write_text("\n".join([HEADER, '1,"3671015011900032']) + "\n")
    with pytest.raises(KawalError, match=r"tps-3\.csv"):
        import_voter_list(folder, "DPT", "3671")


def test_a_folder_with_a_pdf_is_refused(folder):
    (folder / "tps-5.pdf").write_bytes(b"%PDF-1.4\n")
    with pytest.raises(KawalError, match=r"tps-5\.pdf"):
        import_voter_list(folder, "DPT", "3671")


def test_an_audit_written_inside_the_folder_is_not_read_as_part_of_it(folder):
    first = audit([folder], folder / "hasil", wilayah="3671")
    (folder / ".hidden.csv").write_text("NO,NAMA\n1,X\n")
    again = audit([folder], folder / "hasil-2", wilayah="3671")
    assert (again.rows_in, again.findings) == (first.rows_in, first.findings) == (6, first.findings)


def test_the_command_line_reads_a_folder_and_names_the_file_and_line(folder, tmp_path, capsys):
    assert main(["import", str(folder), "--stage", "DPT", "--wilayah", "3671", "--data", str(tmp_path / "d")]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "tps-10/dpt.csv, baris 5 (data ke 5)" in said
    assert main(["audit", str(folder), "--out", str(tmp_path / "out"), "--wilayah", "3671"]) == 0
    assert (tmp_path / "out" / "findings.csv").exists()
