"""kawal diff across stages: TMS strikes by code, B additions, U changes by kelurahan; counts that add up; lists
with hidden digits paired on what they show."""

from __future__ import annotations

import csv
import json

from kawal.cli.main import main
from kawal.engine.diff import diff_snapshots
from kawal.engine.importer import import_voter_list
from tests.conftest import write_csv

HEADER = "NO,NKK,NIK,NAMA,TEMPAT LAHIR,TGL LAHIR,L/P,KAWIN,ALAMAT,RT,RW,KELURAHAN,KECAMATAN,TPS,KETERANGAN"


def row(i: int, kelurahan: str = "SUKARASA,TANGERANG", keterangan: str = "", **changes: str) -> str:
    """Voter ``i``: a distinct NIK, name and birth date; ``changes`` replace fields by name."""
    fields = {
        "no": str(i),
        "nkk": f"36710117071000{i:02d}",
        "nik": f"3671010403{60 + i:02d}{i:04d}",
        "nama": f"WARGA {chr(64 + i)}",
        "tempat": "TANGERANG",
        "lahir": f"04-03-19{60 + i}",
        "jk": "L",
        "kawin": "S",
        "alamat": "KP. DUKUH",
        "rt": "001",
        "rw": "002",
        "kel": kelurahan,
        "tps": "001",
        "ket": keterangan,
    }
    fields.update(changes)
    return ",".join(fields.values())


def masked(line: str) -> str:
    """The row as a published list prints it: NIK and NKK after 6 digits hidden, birth date as **-**-YYYY."""
    cells = line.split(",")
    cells[1], cells[2] = cells[1][:6] + "*" * 10, cells[2][:6] + "*" * 10
    cells[5] = "**-**-" + cells[5][-4:]
    return ",".join(cells)


def snapshot(tmp_path, store, name: str, stage: str, lines: list[str]):
    return import_voter_list(write_csv(tmp_path / f"{name}.csv", [HEADER, *lines]), stage, "3671", store).snapshot


def test_dp4_to_coklit_result_counts_strikes_by_code_additions_and_changes(tmp_path, store):
    dp4 = snapshot(tmp_path, store, "dp4", "DP4", [row(i) for i in range(1, 8)])
    coklit = [
        row(1, keterangan="TMS 1"),  # deceased, struck but still shown
        row(2, keterangan="4"),  # moved away
        row(3, keterangan="U", alamat="KP. BARU"),  # data changed
        row(4),
        row(5, rt="003"),  # changed without a mark
        # 6 is gone without a mark
        row(7, keterangan="TMS"),  # struck, code not given
        row(8, keterangan="B"),  # a new voter
        row(9),  # new, unmarked
    ]
    result = diff_snapshots(dp4, snapshot(tmp_path, store, "coklit", "COKLIT", coklit), tmp_path / "d.csv")

    assert (result.old_stage, result.new_stage) == ("DP4", "COKLIT")
    assert result.matched_by["nik"] == 6 and result.matched_on == "nik"
    assert (result.old_rows, result.kept, result.struck, result.removed) == (7, 3, 3, 1)
    assert (result.new_rows, result.struck_in_new, result.added, result.added_b) == (8, 3, 2, 1)
    assert result.reconciled
    assert result.struck_by_code == {"1": 1, "4": 1, "?": 1}
    assert (result.changed, result.marked_u, result.unchanged) == (2, 1, 1)
    assert result.fields == {"alamat": 1, "rt": 1}
    [kel] = result.by_kelurahan
    assert (kel.kode_kelurahan, kel.struck, kel.struck_by_code, kel.added_b, kel.marked_u) == (
        "3671011001",
        3,
        {"1": 1, "4": 1, "?": 1},
        1,
        1,
    )
    with (tmp_path / "d.csv").open() as f:
        details = list(csv.DictReader(f))
    struck = sorted((r["id_lama"], r["tms_kode"]) for r in details if r["perubahan"] == "coret")
    assert struck == [("1", "1"), ("2", "4"), ("7", "?")]
    assert {r["id_baru"]: r["tanda"] for r in details if r["perubahan"] == "tambah"} == {"8": "B", "9": ""}
    assert (tmp_path / "d.csv").stat().st_mode & 0o077 == 0  # names: owner only


def test_rows_struck_earlier_and_left_out_count_as_struck_not_removed(tmp_path, store):
    coklit = snapshot(tmp_path, store, "c", "COKLIT", [row(1, keterangan="TMS 2"), row(2), row(3)])
    dps = snapshot(tmp_path, store, "dps", "DPS", [row(2), row(3)])
    result = diff_snapshots(coklit, dps)
    assert (result.struck, result.struck_in_new, result.removed, result.kept) == (1, 0, 0, 2)
    assert result.struck_by_code == {"2": 1} and result.reconciled


def test_published_lists_are_paired_on_name_birth_year_and_rt_and_say_so(tmp_path, store):
    old = snapshot(tmp_path, store, "dps", "DPS", [masked(row(i)) for i in range(1, 6)])
    new_rows = [masked(row(i)) for i in (1, 2, 3)] + [masked(row(4, rt="005")), masked(row(6))]
    result = diff_snapshots(old, snapshot(tmp_path, store, "dpt", "DPT", new_rows))
    assert result.matched_by == {
        "nik": 0,
        "nama+tahun_lahir+rt": 3,
        "nama+tahun_lahir+kelurahan": 1,
        "tps+no": 0,
        "nama+tahun_lahir": 0,
    }
    assert result.matched_on == "nama+tahun_lahir+rt, nama+tahun_lahir+kelurahan"
    assert (result.kept, result.changed, result.removed, result.added) == (4, 1, 1, 1)
    assert result.fields == {"rt": 1}  # hidden NIK, NKK and birth dates are never a change
    assert result.reconciled


def test_a_masked_list_against_a_full_one_reports_no_number_or_date_changes(tmp_path, store):
    old = snapshot(tmp_path, store, "dps", "DPS", [masked(row(i)) for i in range(1, 4)])
    new = snapshot(tmp_path, store, "dpt", "DPT", [row(i) for i in range(1, 4)])
    result = diff_snapshots(old, new)
    assert (result.kept, result.changed, result.added, result.removed) == (3, 0, 0, 0)
    assert result.fields == {}


def test_a_common_name_is_not_paired_across_kelurahan_unless_unique(tmp_path, store):
    twins = [row(1), row(2, nama="WARGA A", lahir="05-05-1961")]  # two WARGA A born 1961 in Sukarasa
    old = snapshot(tmp_path, store, "a", "DPS", [masked(r) for r in [*twins, row(3)]])
    moved = row(3, kelurahan="KETAPANG,CIPONDOH")
    new = snapshot(
        tmp_path,
        store,
        "b",
        "DPT",
        [masked(r) for r in [row(2, kelurahan="KETAPANG,CIPONDOH", nama="WARGA A", lahir="05-05-1961"), moved]],
    )
    result = diff_snapshots(old, new)
    # WARGA C moved to Ketapang: unique in both lists, so paired; WARGA A is ambiguous (two in the old list).
    assert result.matched_by["nama+tahun_lahir"] == 1
    assert (result.kept, result.moved, result.removed, result.added) == (1, 1, 2, 1)
    by_kel = {k.kode_kelurahan: k for k in result.by_kelurahan}
    sukarasa, ketapang = by_kel["3671011001"], by_kel["3671051007"]
    assert (sukarasa.old_rows, sukarasa.moved_out, sukarasa.removed) == (3, 1, 2)
    assert (ketapang.new_rows, ketapang.moved_in, ketapang.added) == (2, 1, 1)
    for k in result.by_kelurahan:  # each kelurahan adds up on its own
        assert k.old_rows == k.kept + k.moved_out + k.struck + k.removed
        assert k.new_rows == k.kept + k.moved_in + k.struck_in_new + k.added


def test_cli_prints_the_table_and_writes_csv_and_json_without_names(tmp_path, capsys):
    data = str(tmp_path / "data")
    old = write_csv(tmp_path / "dp4.csv", [HEADER, *(row(i) for i in range(1, 4))])
    new = write_csv(tmp_path / "coklit.csv", [HEADER, row(1, keterangan="1"), row(2), row(3), row(4, keterangan="B")])
    assert main(["import", str(old), "--stage", "DP4", "--wilayah", "3671", "--data", data]) == 0
    assert main(["import", str(new), "--stage", "coklit", "--wilayah", "3671", "--data", data]) == 0
    capsys.readouterr()
    assert main(["diff", "1", "2", "--data", data, "--csv", str(tmp_path / "kel.csv")]) == 0
    out = capsys.readouterr().out
    assert (
        "Lama 3 = tetap 2 + dicoret TMS 1 + dihapus 0" in out and "TMS 1 1" in out and "Dicocokkan pada: nik 3" in out
    )
    with (tmp_path / "kel.csv").open() as f:
        [kel] = list(csv.DictReader(f))
    assert (kel["kelurahan"], kel["dicoret"], kel["tms_1"], kel["ditambah_b"]) == ("Sukarasa", "1", "1", "1")
    assert main(["--lang", "en", "diff", "1", "2", "--data", data, "--json"]) == 0
    text = capsys.readouterr().out
    summary = json.loads(text)
    assert summary["reconciled"] and summary["struck_by_code"] == {"1": 1} and summary["added_b"] == 1
    assert "WARGA" not in text and "3671010403" not in text


def test_stage_order_is_noted_when_reversed(tmp_path, store, capsys):
    data = str(tmp_path / "data")
    a = write_csv(tmp_path / "a.csv", [HEADER, row(1)])
    b = write_csv(tmp_path / "b.csv", [HEADER, row(1), row(2)])
    main(["import", str(a), "--stage", "DPT", "--wilayah", "3671", "--data", data])
    main(["import", str(b), "--stage", "DPS", "--wilayah", "3671", "--data", data])
    capsys.readouterr()
    assert main(["--lang", "en", "diff", "1", "2", "--data", data]) == 0
    assert "stage DPS usually comes before DPT" in capsys.readouterr().out


def test_counts_add_up_on_a_generated_city(tmp_path, store):
    from kawal.synth.generator import generate

    generate(1000, seed=5, out=tmp_path / "city")
    lines = (tmp_path / "city" / "dpt.csv").read_text().splitlines()
    old = import_voter_list(write_csv(tmp_path / "old.csv", lines), "DPS", "3671", store).snapshot
    new = import_voter_list(write_csv(tmp_path / "new.csv", lines[:1] + lines[11:]), "DPT", "3671", store).snapshot
    result = diff_snapshots(old, new)
    assert result.reconciled and result.old_rows - result.new_rows == 10
    assert result.removed + result.struck - result.added == 10


def test_rows_without_a_name_pair_on_tps_and_number_with_the_same_sex_and_birth_year(tmp_path, store):
    old_rows = [masked(row(1, nama="")), masked(row(2)), masked(row(3)), masked(row(4, nama="SITI AMINAH"))]
    new_rows = [
        masked(row(1, nama="", alamat="KP. BARU")),  # same TPS and NO, no name: paired, address changed
        masked(row(2)),
        masked(row(3)),
        masked(row(4, nama="BUDI SANTOSO")),  # the same NO now holds someone else: not paired
    ]
    result = diff_snapshots(
        snapshot(tmp_path, store, "a", "DPS", old_rows), snapshot(tmp_path, store, "b", "DPT", new_rows)
    )
    assert result.matched_by["tps+no"] == 1 and result.matched_by["nama+tahun_lahir+rt"] == 2
    assert (result.kept, result.changed, result.removed, result.added) == (3, 1, 1, 1)
    assert result.fields == {"alamat": 1}


def test_rows_pair_on_their_no_whatever_form_their_record_ids_take(tmp_path, store):
    """KPU numbers each TPS from 1, so a kelurahan's file names its rows TPS-NO and a city's file
    kelurahan/TPS-NO (importer.RECORD_IDS): the step still compares the NO itself."""
    old_rows = [masked(row(1, nama="")), masked(row(2, no="1", tps="002"))]
    new_rows = [
        masked(row(1, nama="", alamat="KP. BARU")),
        masked(row(2, no="1", tps="002")),
        masked(row(3, no="1", kelurahan="KETAPANG,CIPONDOH")),  # another kelurahan's TPS 001 has a NO 1 too
    ]
    old = snapshot(tmp_path, store, "a", "DPS", old_rows)
    new = snapshot(tmp_path, store, "b", "DPT", new_rows)
    assert (old.meta["record_ids"], new.meta["record_ids"]) == ("tps-no", "kelurahan/tps-no")
    result = diff_snapshots(old, new)
    assert result.matched_by["tps+no"] == 1 and result.fields == {"alamat": 1}
