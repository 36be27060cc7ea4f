"""The independent generator profiles: deterministic, well-formed, and carrying every mechanism they promise."""

import csv
import json
from collections import Counter, defaultdict
from datetime import date, datetime
from itertools import combinations

import pytest

from kawal.cli.main import main
from kawal.engine.nik import valid_prefixes
from kawal.synth.generator import MAX_PER_TPS, generate
from kawal.synth.profiles import PROFILES, generate_profile

N = 5_000
SEED = 11


def read(path):
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def lists(tmp_path_factory):
    """Every profile generated once at N voters: {profile: (folder, summary, dpt by id, truth by id, pairs, negatives)}."""
    out = {}
    for name in PROFILES:
        folder = tmp_path_factory.mktemp(name)
        summary = generate_profile(name, N, SEED, folder)
        dpt = {r["id"]: r for r in read(folder / "dpt.csv")}
        truth = {r["id"]: r for r in read(folder / "truth.csv")}
        out[name] = (folder, summary, dpt, truth, read(folder / "pairs.csv"), read(folder / "hard_negatives.csv"))
    return out


def core(name: str) -> str:
    """A name without hajj title or degree."""
    return name.split(",")[0].removeprefix("H. ").removeprefix("HJ. ")


def born(row):
    return datetime.strptime(row["tanggal_lahir"], "%d-%m-%Y").date()


def pairs_of(lists, profile):
    _folder, _summary, dpt, _truth, pairs, _neg = lists[profile]
    return [(dpt[p["id_a"]], dpt[p["id_b"]], p["mechanism"].split("+")) for p in pairs]


def test_same_columns_as_the_kawal_generator(lists, tmp_path):
    generate(1000, seed=1, out=tmp_path)
    with (tmp_path / "dpt.csv").open() as f:
        header = f.readline()
    for folder, *_ in lists.values():
        with (folder / "dpt.csv").open() as f:
            assert f.readline() == header
        with (folder / "truth.csv").open() as f:
            assert f.readline().strip() == '"id","person_id","problems"'


@pytest.mark.parametrize("profile", list(PROFILES))
def test_deterministic_per_seed(lists, tmp_path, profile):
    folder = lists[profile][0]
    generate_profile(profile, N, SEED, tmp_path / "again")
    for name in ("dpt.csv", "truth.csv", "pairs.csv", "hard_negatives.csv", "generate.json"):
        assert (tmp_path / "again" / name).read_bytes() == (folder / name).read_bytes(), name
    generate_profile(profile, N, SEED + 1, tmp_path / "other")
    assert (tmp_path / "other" / "dpt.csv").read_bytes() != (folder / "dpt.csv").read_bytes()


def nik_is_well_formed(nik: str, prefixes: frozenset[str]) -> bool:
    if len(nik) != 16 or not nik.isdigit() or nik[:6] not in prefixes or nik[12:] == "0000":
        return False
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    try:
        date(2000 + yy if yy <= 24 else 1900 + yy, month, day - 40 * (day > 40))
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("profile", list(PROFILES))
def test_rows_are_well_formed(lists, profile):
    _folder, _summary, dpt, _truth, _pairs, _neg = lists[profile]
    prefixes = valid_prefixes()
    rows = list(dpt.values())
    assert len(rows) == N and [r["id"] for r in rows] == [str(i) for i in range(1, N + 1)]
    assert all(nik_is_well_formed(r["nik"], prefixes) for r in rows)
    assert all(len(r["nkk"]) == 16 and r["nkk"][:6] in prefixes for r in rows)
    assert all(born(r) <= date(2007, 11, 27) for r in rows)  # everyone is 17 on election day
    assert {r["jenis_kelamin"] for r in rows} == {"L", "P"} and {r["status_kawin"] for r in rows} == {"B", "S", "P"}
    assert len({r["kode_kelurahan"] for r in rows}) == 104 and all(r["kode_kelurahan"][:4] == "3671" for r in rows)
    assert max(Counter((r["kode_kelurahan"], r["tps"]) for r in rows).values()) <= MAX_PER_TPS
    outside = sum(not r["nik"].startswith("3671") for r in rows)
    assert 0.05 * N < outside < 0.35 * N  # mostly Kota Tangerang prefixes, some from elsewhere


@pytest.mark.parametrize("profile", list(PROFILES))
def test_truth_pairs_and_counts_reconcile(lists, profile):
    _folder, summary, dpt, truth, pairs, _neg = lists[profile]
    rows_of = defaultdict(list)
    for row_id, t in truth.items():
        rows_of[t["person_id"]].append(int(row_id))
    expected = {(str(a), str(b)) for ids in rows_of.values() for a, b in combinations(sorted(ids), 2)}
    assert {(p["id_a"], p["id_b"]) for p in pairs} == expected
    flagged = {i for i, t in truth.items() if "PEMILIH_GANDA" in t["problems"].split(";")}
    assert flagged == {str(i) for ids in rows_of.values() if len(ids) > 1 for i in ids}
    nik_count = Counter(r["nik"] for r in dpt.values())
    nik_flagged = {i for i, t in truth.items() if "NIK_GANDA" in t["problems"].split(";")}
    assert nik_flagged == {i for i, r in dpt.items() if nik_count[r["nik"]] > 1}
    # a NIK shared by two rows always belongs to one person: no accidental collisions between people
    owners = defaultdict(set)
    for i, r in dpt.items():
        owners[r["nik"]].add(truth[i]["person_id"])
    assert all(len(people) == 1 for people in owners.values())
    assert summary["persons"] == len(rows_of) and summary["voters"] == N
    assert summary["duplicate_rows"] == N - len(rows_of)
    assert 0.01 * N <= summary["duplicate_rows"] <= 0.02 * N
    assert summary["problems"] == {"NIK_GANDA": len(nik_flagged), "PEMILIH_GANDA": len(flagged)}
    assert summary["pairs"] == len(pairs)
    tags = Counter(tag for p in pairs for tag in p["mechanism"].split("+"))
    assert summary["mechanisms"] == dict(sorted(tags.items()))
    assert json.loads((lists[profile][0] / "generate.json").read_text())["profile"] == profile


def swapped(a, b) -> bool:
    x, y = born(a), born(b)
    return x != y and (x.year, x.month, x.day) == (y.year, y.day, y.month)


def digits_apart(a: str, b: str) -> int:
    return sum(x != y for x, y in zip(a, b, strict=True))


def test_klerikal_mechanisms_occur(lists):
    pairs = pairs_of(lists, "klerikal")
    assert any(swapped(a, b) and "dob_swap" in tags for a, b, tags in pairs)
    assert any(abs((born(a) - born(b)).days) == 1 for a, b, _ in pairs)
    assert any(
        born(a).year != born(b).year and born(a).replace(year=2000) == born(b).replace(year=2000) for a, b, _ in pairs
    )
    assert any(
        {born(a).strftime("%d-%m"), born(b).strftime("%d-%m")} & {"01-07", "31-12", "01-01"}
        and "dob_placeholder" in tags
        for a, b, tags in pairs
    )
    assert any(a["jenis_kelamin"] != b["jenis_kelamin"] for a, b, _ in pairs)
    assert any(sorted(a["nama"].split()) == sorted(b["nama"].split()) and a["nama"] != b["nama"] for a, b, _ in pairs)
    assert any(a["nama"].replace(" ", "") == b["nama"].replace(" ", "") and a["nama"] != b["nama"] for a, b, _ in pairs)
    assert any(" BIN " in a["nama"] + b["nama"] or " BINTI " in a["nama"] + b["nama"] for a, b, _ in pairs)
    assert any(1 <= digits_apart(a["nik"], b["nik"]) <= 2 for a, b, _ in pairs)
    exact = sum(tags[1:] == ["exact"] for _, _, tags in pairs)
    assert 0 < exact < len(pairs) / 3  # some pure double entries, most with errors
    assert sum(len(tags) >= 4 for _, _, tags in pairs) > 0  # several mechanisms combine
    kinds = {tag.split("_")[0] for _, _, tags in pairs for tag in tags}
    assert {"dob", "name", "nik", "sex", "same", "other"} <= kinds


def test_pindah_movers_get_new_numbers_and_places(lists):
    pairs = pairs_of(lists, "pindah")
    movers = [(a, b) for a, b, tags in pairs if "other_kec" in tags]
    assert len(movers) > len(pairs) / 3
    assert all(a["kecamatan"] != b["kecamatan"] and a["nkk"] != b["nkk"] for a, b in movers)
    new_nik = [(a, b) for a, b in movers if a["nik"] != b["nik"]]
    assert len(new_nik) > len(movers) / 3
    assert any(a["nik"][:6] != b["nik"][:6] and a["nik"][6:12] == b["nik"][6:12] for a, b in new_nik)
    assert any(a["tempat_lahir"] != b["tempat_lahir"] for a, b, _ in pairs)
    assert any(a["nama"].startswith(("H. ", "HJ. ")) != b["nama"].startswith(("H. ", "HJ. ")) for a, b, _ in pairs)


def test_pindah_names_are_skewed_like_a_real_city(lists):
    _folder, _summary, dpt, *_ = lists["pindah"]
    names = [r["nama"] for r in dpt.values()]
    first = Counter(n.removeprefix("H. ").removeprefix("HJ. ").split()[0] for n in names)
    top_share = sum(c for _, c in first.most_common(10)) / len(names)
    assert 0.08 < top_share < 0.5  # a handful of names cover a large share ...
    assert len(first) > 500  # ... over a long tail
    assert sum(len(n.split()) == 1 for n in names) > 0.03 * len(names)  # mononyms: SUPARMAN, SITI
    assert {"MUHAMMAD", "SITI", "NUR"} <= set(first)


def test_nama_umum_hard_negatives_are_different_people(lists):
    _folder, summary, dpt, truth, _pairs, negatives = lists["nama_umum"]
    kinds = Counter(n["kind"] for n in negatives)
    assert set(kinds) == {"twin", "father_son", "sibling", "namesake"} and min(kinds.values()) >= 5
    for n in negatives:
        a, b = dpt[n["id_a"]], dpt[n["id_b"]]
        assert truth[n["id_a"]]["person_id"] != truth[n["id_b"]]["person_id"]
        if n["kind"] == "twin":
            assert a["tanggal_lahir"] == b["tanggal_lahir"] and a["nkk"] == b["nkk"] and a["alamat"] == b["alamat"]
            assert a["tempat_lahir"] == b["tempat_lahir"] and a["nama"] != b["nama"]
        elif n["kind"] == "father_son":
            assert core(a["nama"]) == core(b["nama"])
            assert a["nkk"] == b["nkk"] and abs(born(a).year - born(b).year) >= 17
        elif n["kind"] == "sibling":
            assert a["nkk"] == b["nkk"] and a["nama"] != b["nama"] and a["nama"][:2] == b["nama"][:2]
            assert core(a["nama"]).split()[-1] == core(b["nama"]).split()[-1]
        else:
            assert core(a["nama"]) == core(b["nama"])
            assert a["tanggal_lahir"] == b["tanggal_lahir"] and a["kode_kelurahan"] != b["kode_kelurahan"]
    twins = [n for n in negatives if n["kind"] == "twin"]
    assert any(digits_apart(dpt[n["id_a"]]["nik"], dpt[n["id_b"]]["nik"]) == 1 for n in twins)  # serials in a row
    placeholders = Counter(r["tanggal_lahir"][:5] for r in dpt.values())
    assert placeholders["01-07"] > 5 * N / 365 and summary["counts"]["placeholder_dates"] > 0.03 * N


def test_nama_umum_duplicates_vary_mildly(lists):
    pairs = pairs_of(lists, "nama_umum")
    assert all(a["kecamatan"] == b["kecamatan"] or "copy_copy" in tags for a, b, tags in pairs)
    assert sum(a["nama"] == b["nama"] for a, b, _ in pairs) > len(pairs) / 3
    assert sum(a["nik"] == b["nik"] for a, b, _ in pairs) > len(pairs) / 2


def test_campuran_mixes_every_maker(lists):
    counts = lists["campuran"][1]["counts"]
    assert counts["maker_klerikal"] > 0 and counts["maker_pindah"] > 0 and counts["maker_ringan"] > 0
    assert set(lists["campuran"][1]["hard_negatives"]) == {"twin", "father_son", "sibling", "namesake"}


def test_cli_generate_profile(tmp_path, capsys):
    assert main(["generate", "--profile", "klerikal", "--voters", "2000", "--seed", "3", "--out", str(tmp_path)]) == 0
    assert "PEMILIH_GANDA" in capsys.readouterr().out
    assert json.loads((tmp_path / "generate.json").read_text())["profile"] == "klerikal"
    assert (tmp_path / "pairs.csv").exists()


def test_unknown_profile_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown profile"):
        generate_profile("nope", N, SEED, tmp_path)
