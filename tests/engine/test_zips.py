"""Unpacking a ZIP someone sent (kawal.engine.zips): no name leads out of the folder, however it is written; links,
over-long indexes and one name twice are refused; folders as Windows tools write them are folders. And a voter
list's ZIP: one list file in it is that file, and files read as no list are named, not dropped unsaid."""

from __future__ import annotations

import stat
import zipfile

import duckdb
import pytest

from kawal.cli.main import main
from kawal.engine import folder_reader, zips
from kawal.engine.importer import import_voter_list
from kawal.engine.snapshots import SnapshotStore
from kawal.i18n import KawalError

HEADER = "NO,NKK,NIK,NAMA,TEMPAT LAHIR,TGL LAHIR,L/P,KAWIN,ALAMAT,RT,RW,KELURAHAN,KECAMATAN,TPS"


def row(no: int, nik: str, name: str, tps: str) -> str:
    return f"{no},3671011707100024,{nik},{name},TANGERANG,04-03-1965,L,S,KP. DUKUH,001,002,SUKARASA,TANGERANG,{tps}"


TPS_1 = "\n".join([HEADER, row(1, "3671010403650018", "AANG", "001"), row(2, "3671015011900032", "IMAS", "001")])
TPS_2 = "\n".join([HEADER, row(1, "3671010403650026", "UJANG", "002")])


def archive(path, members: dict[str, str | bytes]):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def unpack(path, into):
    return zips.unpack(path, into, max_files=100, max_bytes=2**20)


@pytest.mark.parametrize(
    "name",
    ["../escaped.csv", "a/../../escaped.csv", "/{root}/escaped.csv", "//{root}/escaped.csv", "\\\\{root}\\escaped.csv"],
)
def test_no_name_leads_out_of_the_folder(tmp_path, name):
    name = name.format(root=str(tmp_path).strip("/").replace("/", "\\" if "\\" in name else "/"))
    zipped = archive(tmp_path / "kiriman.zip", {"ok.csv": TPS_1, name: TPS_2})
    with pytest.raises(KawalError, match=r"kiriman\.zip: berkas tidak aman di zip"):
        unpack(zipped, tmp_path / "into")
    assert not (tmp_path / "escaped.csv").exists() and not (tmp_path / "into").exists()


@pytest.mark.parametrize("name", ["C:/escaped.csv", "c:escaped.csv", "C:\\escaped.csv"])
def test_a_windows_drive_starts_no_path(tmp_path, name):
    with pytest.raises(KawalError, match="tidak aman"):
        unpack(archive(tmp_path / "k.zip", {name: TPS_1}), tmp_path / "into")


def test_a_colon_later_in_a_name_is_a_letter(tmp_path):
    """Sirekap snapshots are kept in folders named by the time they were taken."""
    written = unpack(archive(tmp_path / "k.zip", {"2024-02-15 10:00/3671011001001.json": "{}"}), tmp_path / "into")
    assert written == [tmp_path / "into" / "2024-02-15 10:00" / "3671011001001.json"]


def test_a_link_is_refused_not_written_or_followed(tmp_path):
    link = zipfile.ZipInfo("tps-2.csv")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    zipped = tmp_path / "k.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("tps-1.csv", TPS_1)
        z.writestr(link, "/etc/passwd")
    with pytest.raises(KawalError, match=r"tidak aman di zip: tps-2\.csv"):
        unpack(zipped, tmp_path / "into")


def test_an_index_longer_than_allowed_is_refused_from_the_end_record(tmp_path):
    zipped = archive(tmp_path / "k.zip", {f"kosong-{i}/": b"" for i in range(150)} | {"tps-1.csv": TPS_1})
    assert zips._entries_listed(zipped) == 151
    with pytest.raises(KawalError, match=r"k\.zip: daftar isi zip terlalu panjang \(151 entri; paling banyak 100\)"):
        unpack(zipped, tmp_path / "into")


def test_the_end_record_of_a_zip64_index_gives_its_count(tmp_path):
    zipped = tmp_path / "k.zip"
    with zipfile.ZipFile(zipped, "w", allowZip64=True) as z:
        for i in range(70_000):  # more than the plain end record counts (65,535): ZIP64's record holds it
            z.writestr(f"{i}/", b"")
    assert zips._entries_listed(zipped) == 70_000


def test_folders_written_the_windows_way_are_folders(tmp_path):
    zipped = archive(tmp_path / "k.zip", {"DPT\\": b"", "DPT\\tps-1.csv": TPS_1})
    assert unpack(zipped, tmp_path / "into") == [tmp_path / "into" / "DPT" / "tps-1.csv"]


def test_a_zip_of_one_list_file_is_that_file(tmp_path):
    zipped = archive(tmp_path / "dpt-kota.zip", {"DPT KOTA/dpt.csv": TPS_1 + "\n", "__MACOSX/DPT KOTA/._dpt.csv": b"x"})
    snapshot = import_voter_list(zipped, "DPT", "3671", SnapshotStore(tmp_path / "data")).snapshot
    assert snapshot.counts == {"rows_in": 2, "loaded": 2, "rejected": 0}
    rows = duckdb.sql(f"SELECT sheet, line, id FROM '{snapshot.voters_path}' ORDER BY row_no").fetchall()
    assert rows == [(None, 2, "1"), (None, 3, "2")]  # as the CSV on its own: its lines, its NO
    assert snapshot.meta["source"]["name"] == "dpt-kota.zip" and snapshot.meta["source"]["parts"] == 0


def test_files_read_as_no_list_are_named_by_the_import(tmp_path, capsys):
    zipped = archive(
        tmp_path / "dpt.zip",
        {"tps-1.csv": TPS_1, "tps-2.csv": TPS_2, "tps-3": "3,X", "lama/arsip.zip": b"PK\x05\x06" + bytes(18)},
    )
    data = tmp_path / "data"
    assert main(["import", str(zipped), "--stage", "DPT", "--wilayah", "3671", "--data", str(data)]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "File dilewati (bukan daftar pemilih): lama/arsip.zip, tps-3" in said
    [snapshot] = SnapshotStore(data).list()
    assert snapshot.counts["rows_in"] == 3 and snapshot.meta["source"]["skipped_sheets"] == ["lama/arsip.zip", "tps-3"]


def test_a_big_file_among_others_is_refused_naming_it(tmp_path, monkeypatch):
    monkeypatch.setattr(folder_reader, "MAX_PART_BYTES", 100)  # each file of several is read whole into memory
    zipped = archive(tmp_path / "dpt.zip", {"tps-1.csv": TPS_1, "tps-2.csv": TPS_2})
    with pytest.raises(KawalError, match=r"tps-1\.csv terlalu besar untuk dibaca bersama file lain"):
        import_voter_list(zipped, "DPT", "3671", SnapshotStore(tmp_path / "data"))


@pytest.mark.parametrize("second", ["DPT/tps-1.csv", "dpt/TPS-1.CSV", "DPT/tps-1.csv".replace("s", "\u017f")])
def test_names_a_windows_or_mac_disk_takes_for_one_file_are_refused(tmp_path, second):
    """TPS-1.csv and tps-1.csv are one file on such a disk: the second would replace the first, its rows lost unsaid.
    The third name spells s as the long s, which casefolds to s."""
    zip_path = tmp_path / "dpt.zip"
    with zipfile.ZipFile(zip_path, "w") as z:
        z.writestr("DPT/TPS-1.csv", TPS_1)
        z.writestr(second, TPS_2)
    with pytest.raises(KawalError, match=r"dpt\.zip: berkas .* ada dua kali"):
        unpack(zip_path, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.csv"))  # refused before writing


def test_names_that_differ_beyond_case_are_two_files(tmp_path):
    zip_path = archive(tmp_path / "dpt.zip", {"DPT/TPS-1.csv": TPS_1, "DPT/TPS-11.csv": TPS_2})
    assert sorted(p.name for p in unpack(zip_path, tmp_path / "out")) == ["TPS-1.csv", "TPS-11.csv"]
