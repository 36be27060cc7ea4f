import csv

from kawal.engine.diff import diff_snapshots
from kawal.engine.importer import import_voter_list
from tests.conftest import HEADER, ROWS, write_csv


def test_diff_reports_added_removed_and_changed_by_kelurahan(tmp_path, store):
    dps = import_voter_list(write_csv(tmp_path / "dps.csv", [HEADER, *ROWS]), "DPS", "3671", store).snapshot
    new_person = (
        "4,3671011707100099,3671011212800007,BUDI,TANGERANG,12-12-1980,L,S,KP. BARU,002,002,SUKARASA,TANGERANG,002"
    )
    moved = ROWS[0].replace(",001\n", ",003\n").rsplit(",", 1)[0] + ",003"
    renamed = ROWS[2].replace("SOEPRAPTO", "SUPRAPTO")
    dpt = import_voter_list(
        write_csv(tmp_path / "dpt.csv", [HEADER, moved, renamed, new_person]), "DPT", "3671", store
    ).snapshot

    result = diff_snapshots(dps, dpt, tmp_path / "diff.csv")

    assert (result.added, result.removed, result.changed, result.unchanged) == (1, 1, 2, 0)
    assert result.matched_on == "nik"
    assert result.fields == {"tps": 1, "nama": 1}
    by_kel = {k.kode_kelurahan: (k.added, k.removed, k.changed) for k in result.by_kelurahan}
    assert by_kel == {"3671011001": (1, 1, 1), "3671051007": (0, 0, 1)}
    with (tmp_path / "diff.csv").open() as f:
        rows = list(csv.DictReader(f))
    changes = sorted((r["perubahan"], r["nama"], r["kolom_berubah"]) for r in rows)
    assert changes == [
        ("hapus", "IMAS RAHMAWATI", ""),
        ("tambah", "BUDI", ""),
        ("ubah", "AANG", "tps"),
        ("ubah", "SUPRAPTO", "nama"),
    ]


def test_masked_lists_are_matched_on_name_and_birth_date(tmp_path, store):
    masked = [HEADER, *(r.replace(r.split(",")[2], r.split(",")[2][:6] + "*" * 10) for r in ROWS)]
    old = import_voter_list(write_csv(tmp_path / "a.csv", masked), "DPS", "3671", store).snapshot
    changed = [masked[0], masked[1], masked[2], masked[3].replace("JL. GARUDA NO. 4", "JL. GARUDA NO. 5")]
    new = import_voter_list(write_csv(tmp_path / "b.csv", changed), "DPT", "3671", store).snapshot
    result = diff_snapshots(old, new)
    assert result.matched_on == "nama+tahun_lahir+rt"
    assert (result.added, result.removed, result.changed, result.unchanged) == (0, 0, 1, 2)
    assert result.fields == {"alamat": 1}


def test_identical_snapshots_have_no_differences(tmp_path, store):
    a = import_voter_list(write_csv(tmp_path / "a.csv", [HEADER, *ROWS]), "DPS", "3671", store).snapshot
    b = import_voter_list(write_csv(tmp_path / "b.csv", [HEADER, *ROWS]), "DPT", "3671", store).snapshot
    result = diff_snapshots(a, b)
    assert (result.added, result.removed, result.changed, result.unchanged) == (0, 0, 0, 3)
