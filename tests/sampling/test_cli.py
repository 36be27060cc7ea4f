"""``kawal sample`` end to end on a small generated city, as a user runs it."""

import csv

import duckdb
import pytest

from kawal.cli.main import main
from kawal.synth.generator import generate

PHRASE = "Rapat koordinasi KPU dan Ormas, 1 Juli 2024"


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("samplecity")
    generate(4000, seed=8, out=out)
    return out / "dpt.csv"


def _rows(path):
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_plan_prints_the_sizes(capsys):
    assert main(["--lang", "en", "sample", "plan", "--margin", "0.02"]) == 0
    assert "457 records" in capsys.readouterr().out


def test_draw_twice_gives_identical_files_and_estimate_gives_intervals(city, tmp_path, capsys):
    for name in ("a", "b"):
        assert main(["sample", "draw", str(city), "--phrase", PHRASE, "--n", "120", "--out", str(tmp_path / name)]) == 0
    assert (tmp_path / "a/sample.csv").read_bytes() == (tmp_path / "b/sample.csv").read_bytes()
    drawn = _rows(tmp_path / "a/sample.csv")
    assert len(drawn) == 120 and all(r["nik_tersamar"].endswith("*") for r in drawn if r["nik_tersamar"])
    outcomes = tmp_path / "hasil.csv"
    with outcomes.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["unit", "hasil"])
        for i, row in enumerate(drawn):
            out.writerow([row["unit"], "tidak_di_alamat" if i % 10 == 0 else ("" if i % 10 == 1 else "ditemukan")])
    assert main(["sample", "estimate", str(tmp_path / "a"), "--outcomes", str(outcomes)]) == 0
    overall = next(
        r for r in _rows(tmp_path / "a/estimates.csv") if r["kategori"] == "tidak_di_alamat" and r["strata"] == "semua"
    )
    assert (overall["diambil"], overall["terjawab"], overall["jumlah"]) == ("120", "108", "12")
    assert float(overall["bawah"]) < 12 / 108 < float(overall["atas"])
    assert "<svg" in (tmp_path / "a/estimates.html").read_text()


def test_a_wrong_outcome_names_the_row_and_the_column(city, tmp_path, capsys):
    main(["sample", "draw", str(city), "--phrase", PHRASE, "--n", "20", "--out", str(tmp_path)])
    first = _rows(tmp_path / "sample.csv")[0]["unit"]
    bad = tmp_path / "hasil.csv"
    bad.write_text(f"unit,hasil\n{first},pindah\n")
    assert main(["--lang", "en", "sample", "estimate", str(tmp_path), "--outcomes", str(bad)]) == 1
    assert "hasil.csv row 2: column hasil holds 'pindah'" in capsys.readouterr().err


def test_people_met_in_sampled_rt_are_matched_to_the_list(city, tmp_path):
    assert (
        main(
            [
                "sample",
                "draw",
                str(city),
                "--phrase",
                PHRASE,
                "--unit",
                "rt",
                "--by",
                "kota",
                "--n",
                "5",
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    rts = [r["unit"] for r in _rows(tmp_path / "sample.csv")]
    listed = duckdb.sql(
        f"SELECT nama, tanggal_lahir, kode_kelurahan || '/' || CAST(rw AS INT) || '/' || CAST(rt AS INT) AS unit "
        f"FROM read_csv('{city}', all_varchar=true)"
    ).fetchall()
    people = tmp_path / "orang.csv"
    with people.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["unit", "nama", "tanggal_lahir"])
        for rt in rts:
            residents = [r for r in listed if r[2] == rt][:3]
            for nama, lahir, _unit in residents:  # on the list, one with a title and a spelling variant
                out.writerow([rt, f"H. {nama.replace('U', 'OE', 1)}", _iso(lahir)])
            out.writerow([rt, "WARGA BARU TIDAK TERDAFTAR", "2001-01-01"])
    households = tmp_path / "rumah.csv"
    households.write_text("unit,pantarlih,stiker\n" + "".join(f"{rt},ya,ya\n{rt},tidak,ya\n" for rt in rts))
    assert (
        main(
            [
                "sample",
                "estimate",
                str(tmp_path),
                "--people",
                str(people),
                "--list",
                str(city),
                "--households",
                str(households),
            ]
        )
        == 0
    )
    rows = {(r["kategori"], r["strata"]): r for r in _rows(tmp_path / "estimates.csv")}
    missing = rows[("tidak_terdaftar", "semua")]
    assert missing["jumlah"] == str(len(rts)) and missing["dasar"] == str(4 * len(rts))
    assert float(rows[("stiker_tanpa_kunjungan", "semua")]["tingkat"]) == 0.5


def _iso(value: str) -> str:
    """The generated file writes DD-MM-YYYY."""
    day, month, year = value.split("-")
    return f"{year}-{month}-{day}"
