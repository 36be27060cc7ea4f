"""A folder of CSV files (KPU hands lists out per TPS) is read as one list: each row keeps its file and line, rows
are counted over the folder, and the record ids name one row of it (see kawal.engine.folder_reader)."""

from __future__ import annotations

import csv
import hashlib
import json
import zipfile

import duckdb
import pytest

from kawal.cli.main import main
from kawal.engine import folder_reader
from kawal.engine.audit import audit
from kawal.engine.importer import import_voter_list
from kawal.engine.snapshots import SnapshotStore
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


# --- a ZIP of TPS files (what a web upload carries) ----------------------------------------------------------


def zipped(folder, target, extra: dict[str, bytes] | None = None):
    """The folder's files in a ZIP, under the folder's name as a ZIP made by a file manager stores them, with a Mac's
    resource-fork copies beside them (``__MACOSX/._*``) and any ``extra`` members as named."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = f"{folder.name}/{path.relative_to(folder).as_posix()}"
                archive.write(path, name)
                archive.writestr(f"__MACOSX/{folder.name}/._{path.name}", b"\x00\x05\x16\x07 Mac OS X")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return target


def test_a_zip_of_tps_files_is_the_folder_it_holds(folder, tmp_path, store):
    from_folder = import_voter_list(folder, "DPT", "3671", store).snapshot
    archive = zipped(folder, tmp_path / "dpt-sukarasa.zip")
    snapshot = import_voter_list(archive, "DPTB", "3671", store).snapshot
    assert snapshot.counts == from_folder.counts == {"rows_in": 6, "loaded": 5, "rejected": 1}
    rows = duckdb.sql(f"SELECT row_no, sheet, line, id, nama FROM '{snapshot.voters_path}' ORDER BY row_no").fetchall()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 6] and rows[3] == (4, "DPT SUKARASA/tps-10/dpt.csv", 4, "010-1", "JOSÉ")
    source = snapshot.meta["source"]
    assert (source["name"], source["parts"], source["bytes"]) == ("dpt-sukarasa.zip", 3, archive.stat().st_size)
    assert source["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()  # the file as it was sent
    assert not [p for p in store.root.rglob("*") if p.suffix in (".csv", ".zip")]  # nothing unpacked is kept


def test_a_zip_member_named_out_of_its_folder_is_refused_and_nothing_is_written_there(folder, tmp_path):
    archive = zipped(folder, tmp_path / "dpt.zip", {"../../escaped.csv": b"NO,NAMA\n1,X\n"})
    with pytest.raises(KawalError, match=r"\.\./\.\./escaped\.csv"):
        import_voter_list(archive, "DPT", "3671", SnapshotStore(tmp_path / "data"))


def test_a_zip_that_unpacks_too_big_is_refused_before_it_is_unpacked(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(folder_reader, "ZIP_MAX_BYTES", 1_000)  # a ZIP bomb, in small
    archive = zipped(folder, tmp_path / "dpt.zip", {"padding.csv": b"0" * 2_000})
    with pytest.raises(KawalError, match="terlalu besar"):
        import_voter_list(archive, "DPT", "3671", SnapshotStore(tmp_path / "data"))
    with pytest.raises(KawalError, match="terlalu besar"):
        folder_reader.unpack_zip(archive, tmp_path / "work")
    assert not (tmp_path / "work").exists()  # refused before the first byte is written


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: path.write_text(HEADER + "\n"), r"dpt\.zip: zip rusak"),  # a CSV named .zip
        (lambda path: path.write_bytes(b"PK\x03\x04 cut short"), r"dpt\.zip: zip rusak"),
    ],
)
def test_a_file_named_zip_that_is_none_is_refused_plainly(tmp_path, make, message):
    make(tmp_path / "dpt.zip")
    with pytest.raises(KawalError, match=message):
        import_voter_list(tmp_path / "dpt.zip", "DPT", "3671", SnapshotStore(tmp_path / "data"))


def test_a_zip_holding_one_name_twice_is_refused_rather_than_losing_the_first(folder, tmp_path):
    archive = zipped(folder, tmp_path / "dpt.zip")
    with zipfile.ZipFile(archive, "a") as z, pytest.warns(UserWarning, match="Duplicate name"):
        z.writestr("DPT SUKARASA/tps-2.csv", HEADER + "\n" + row(9, "3671010403650091", "BUDI", "002") + "\n")
    with pytest.raises(KawalError, match=r"dpt\.zip: berkas DPT SUKARASA/tps-2\.csv ada dua kali"):
        import_voter_list(archive, "DPT", "3671", SnapshotStore(tmp_path / "data"))


def test_a_zip_locked_with_a_password_is_refused_plainly(folder, tmp_path):
    archive = zipped(folder, tmp_path / "dpt.zip", {"DPT SUKARASA/tps-9.csv": HEADER.encode() + b"\n"})
    data = bytearray(archive.read_bytes())
    name = data.find(b"DPT SUKARASA/tps-9.csv")  # its local header; zipfile cannot encrypt, so mark it by hand
    central = data.find(b"DPT SUKARASA/tps-9.csv", name + 1)
    data[name - 30 + 6] |= 0x1  # the general-purpose flag's bit 0: encrypted
    data[central - 46 + 8] |= 0x1
    archive.write_bytes(bytes(data))
    with pytest.raises(KawalError, match=r"dpt\.zip: zip dikunci dengan kata sandi"):
        import_voter_list(archive, "DPT", "3671", SnapshotStore(tmp_path / "data"))


def test_a_zip_holding_a_pdf_is_refused_naming_it(folder, tmp_path):
    archive = zipped(folder, tmp_path / "dpt.zip", {"DPT SUKARASA/tps-5.pdf": b"%PDF-1.4\n"})
    with pytest.raises(KawalError, match=r"ZIP dpt\.zip .*tps-5\.pdf"):
        import_voter_list(archive, "DPT", "3671", SnapshotStore(tmp_path / "data"))


def test_the_command_line_audits_a_zip(folder, tmp_path):
    archive = zipped(folder, tmp_path / "dpt.zip")
    assert main(["audit", str(archive), "--out", str(tmp_path / "out"), "--wilayah", "3671"]) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert (summary["rows_in"], summary["audited"], summary["rejected"]) == (6, 5, 1)
