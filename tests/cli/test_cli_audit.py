import csv
import json

from kawal.cli.main import main
from kawal.synth.generator import generate


def test_audit_command_writes_the_contract_files(tmp_path, capsys):
    generate(3000, seed=5, out=tmp_path / "city")
    code = main(
        [
            "audit",
            str(tmp_path / "city" / "dpt.csv"),
            "--out",
            str(tmp_path / "out"),
            "--wilayah",
            "3671",
            "--max-per-tps",
            "10",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "Baris masuk 3.000 = diaudit 3.000 + ditolak 0" in out and "PEMILIH_GANDA" in out
    with (tmp_path / "out" / "findings.csv").open() as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["record_id", "check", "tms", "cluster", "kode_kelurahan", "tps", "detail"]
        rows = list(reader)
    assert {"TPS_PENUH", "PEMILIH_GANDA"} <= {r["check"] for r in rows}
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["max_per_tps"] == 10 and summary["reconciled"]
    assert len(summary["by_kecamatan"]) == 13


def test_audit_of_a_stored_snapshot_and_a_bad_input(tmp_path, capsys):
    generate(2000, seed=6, out=tmp_path / "city")
    data = str(tmp_path / "data")
    assert (
        main(["import", str(tmp_path / "city" / "dpt.csv"), "--stage", "DPT", "--wilayah", "3671", "--data", data]) == 0
    )
    assert main(["--lang", "en", "audit", "1", "--data", data, "--out", str(tmp_path / "out")]) == 0
    assert "Rows in 2,000 = audited 2,000 + rejected 0" in capsys.readouterr().out
    assert main(["audit", "nothing-here.csv", "--data", data, "--out", str(tmp_path / "out2")]) == 1
    assert "bukan file" in capsys.readouterr().err


def test_election_date_changes_the_age_checks(tmp_path):
    generate(2000, seed=6, out=tmp_path / "city")
    dpt = str(tmp_path / "city" / "dpt.csv")
    assert main(["audit", dpt, "--out", str(tmp_path / "a"), "--wilayah", "3671"]) == 0
    assert main(["audit", dpt, "--out", str(tmp_path / "b"), "--wilayah", "3671", "--election-date", "2029-11-28"]) == 0
    under = [
        json.loads((tmp_path / d / "summary.json").read_text())["checks"]["DI_BAWAH_UMUR"]["findings"] for d in "ab"
    ]
    assert under[0] >= 1 and under[1] == 0  # by 2029 everyone listed is 17


def test_usia_date_is_the_day_the_age_column_counts_to(tmp_path):
    path = tmp_path / "dps.csv"
    path.write_text("NAMA;USIA;KAWIN;TGL LAHIR\nA;16;B;**-**-2007\n", encoding="utf-8")
    assert main(["audit", str(path), "--out", str(tmp_path / "a"), "--wilayah", "3671011001"]) == 0
    assert (
        main(["audit", str(path), "--out", str(tmp_path / "b"), "--wilayah", "3671011001", "--usia-date", "2024-08-10"])
        == 0
    )
    summaries = [json.loads((tmp_path / d / "summary.json").read_text()) for d in "ab"]
    # 16 on election day is under age; 16 on 10 August, born in 2007, may be 17 by 27 November
    assert [s["checks"]["DI_BAWAH_UMUR"]["findings"] for s in summaries] == [1, 0]
    assert summaries[1]["usia_date"] == "2024-08-10"
    assert summaries[1]["checks"]["DI_BAWAH_UMUR"]["not_checkable"] == {"umur_tidak_pasti": 1}
