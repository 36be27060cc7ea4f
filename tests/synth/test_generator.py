import csv
from collections import Counter, defaultdict
from datetime import date, datetime

import pytest

from kawal.engine.importer import import_voter_list
from kawal.engine.nik import parse_nik
from kawal.synth.generator import MAX_PER_TPS, generate
from kawal.wilayah import registry

N = 30_000


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("city")
    summary = generate(N, seed=7, out=out)
    with (out / "dpt.csv").open() as f:
        dpt = list(csv.DictReader(f))
    with (out / "truth.csv").open() as f:
        truth = list(csv.DictReader(f))
    return out, summary, dpt, truth


def problems(truth):
    return {row["id"]: set(filter(None, row["problems"].split(";"))) for row in truth}


def with_problem(truth, check):
    return [row_id for row_id, found in problems(truth).items() if check in found]


def age(born: date) -> int:
    return 2024 - born.year - ((born.month, born.day) > (11, 27))


def birth(row):
    return datetime.strptime(row["tanggal_lahir"], "%d-%m-%Y").date()


def test_size_columns_and_ids(city):
    _out, summary, dpt, truth = city
    assert len(dpt) == len(truth) == N == summary.voters
    assert [r["id"] for r in dpt] == [str(i) for i in range(1, N + 1)] == [r["id"] for r in truth]
    assert list(dpt[0]) == [
        "id",
        "nkk",
        "nik",
        "nama",
        "tempat_lahir",
        "tanggal_lahir",
        "jenis_kelamin",
        "status_kawin",
        "alamat",
        "rt",
        "rw",
        "disabilitas",
        "keterangan",
        "kode_kelurahan",
        "kelurahan",
        "kecamatan",
        "tps",
    ]


def test_deterministic_per_seed(city, tmp_path):
    out, *_ = city
    generate(N, seed=7, out=tmp_path / "again")
    generate(N, seed=8, out=tmp_path / "other")
    assert (tmp_path / "again" / "dpt.csv").read_bytes() == (out / "dpt.csv").read_bytes()
    assert (tmp_path / "again" / "truth.csv").read_bytes() == (out / "truth.csv").read_bytes()
    assert (tmp_path / "other" / "dpt.csv").read_bytes() != (out / "dpt.csv").read_bytes()


def test_real_kelurahan_and_tps_within_the_maximum(city):
    _out, _summary, dpt, truth = city
    reg = registry()
    kel = {r["kode_kelurahan"] for r in dpt if r["kode_kelurahan"]}
    assert len(kel) == 104 and all(reg.lookup(k).kpu_code.startswith("3671") for k in kel)
    sizes = Counter((r["kode_kelurahan"], r["tps"]) for r in dpt if r["kode_kelurahan"] and r["tps"])
    overfull = {k for k, v in sizes.items() if v > MAX_PER_TPS}
    assert len(overfull) >= 1
    flagged = {(dpt[int(i) - 1]["kode_kelurahan"], dpt[int(i) - 1]["tps"]) for i in with_problem(truth, "TPS_PENUH")}
    assert flagged == overfull


def test_clean_rows_have_valid_niks_that_agree_with_the_row(city):
    _out, _s, dpt, truth = city
    issues = problems(truth)
    nik_checks = {"NIK_FORMAT", "NIK_WILAYAH", "NIK_TANGGAL", "NIK_TIDAK_COCOK", "DATA_TIDAK_LENGKAP"}
    clean = [r for r in dpt if not issues[r["id"]] & nik_checks]
    assert len(clean) > 0.99 * N * 0.98
    for row in clean[::7]:
        nik = parse_nik(row["nik"])
        assert nik.valid, (row, nik.explain())
        assert nik.sex == row["jenis_kelamin"]
        born = birth(row)
        assert (nik.birth_date.day, nik.birth_date.month, nik.birth_date.year % 100) == (
            born.day,
            born.month,
            born.year % 100,
        )


@pytest.mark.parametrize("check", ["NIK_FORMAT", "NIK_WILAYAH", "NIK_TANGGAL"])
def test_injected_nik_problems_are_what_the_parser_finds(city, check):
    _out, _s, dpt, truth = city
    rows = with_problem(truth, check)
    assert rows
    for row_id in rows:
        assert check in {p.check for p in parse_nik(dpt[int(row_id) - 1]["nik"]).problems}


def test_nik_mismatch_rows_disagree_with_their_nik(city):
    _out, _s, dpt, truth = city
    rows = with_problem(truth, "NIK_TIDAK_COCOK")
    assert len(rows) >= 20
    for row_id in rows:
        row = dpt[int(row_id) - 1]
        nik = parse_nik(row["nik"])
        born = birth(row)
        same_date = (nik.birth_date.day, nik.birth_date.month, nik.birth_date.year % 100) == (
            born.day,
            born.month,
            born.year % 100,
        )
        assert not same_date or nik.sex != row["jenis_kelamin"]


def test_duplicates_share_a_person_id_and_vary_as_real_ones_do(city):
    _out, _s, dpt, truth = city
    by_person = defaultdict(list)
    for t_row, row in zip(truth, dpt, strict=True):
        by_person[t_row["person_id"]].append(row)
    groups = [rows for rows in by_person.values() if len(rows) > 1]
    flagged = set(with_problem(truth, "PEMILIH_GANDA"))
    assert flagged == {r["id"] for rows in groups for r in rows}
    assert len(groups) == round(0.008 * N)
    assert sum(a["nama"] != b["nama"] for a, b in groups) > 0.3 * len(groups)
    assert sum(a["nik"] != b["nik"] for a, b in groups) > 0.3 * len(groups)
    assert sum(a["kode_kelurahan"] != b["kode_kelurahan"] for a, b in groups) > 0.1 * len(groups)
    assert all(a["tanggal_lahir"] == b["tanggal_lahir"] for a, b in groups)


def test_shared_niks_between_different_people_are_not_the_same_person(city):
    _out, _s, dpt, truth = city
    by_nik = defaultdict(set)
    for t_row, row in zip(truth, dpt, strict=True):
        by_nik[row["nik"]].add(t_row["person_id"])
    assert sum(len(people) > 1 for people in by_nik.values()) >= 10
    flagged = set(with_problem(truth, "NIK_GANDA"))
    counts = Counter(r["nik"] for r in dpt)
    assert flagged == {row["id"] for row in dpt if counts[row["nik"]] > 1 and parse_nik(row["nik"]).digits}


def test_age_rules(city):
    _out, _s, dpt, truth = city
    under = with_problem(truth, "DI_BAWAH_UMUR")
    assert len(under) == round(0.0005 * (N - round(0.008 * N)))
    for row_id in under:
        row = dpt[int(row_id) - 1]
        assert age(birth(row)) < 17 and row["status_kawin"] == "B"
    married_minors = [r for r in dpt if r["tanggal_lahir"] and age(birth(r)) < 17 and r["status_kawin"] != "B"]
    assert married_minors and not any(r["id"] in under for r in married_minors)
    for row_id in with_problem(truth, "USIA_TIDAK_WAJAR"):
        assert age(birth(dpt[int(row_id) - 1])) >= 100


def test_households_and_misplaced_voters(city):
    _out, _s, dpt, truth = city
    sizes = Counter(r["nkk"] for r in dpt)
    assert 2.0 < N / len(sizes) < 3.2
    assert with_problem(truth, "KK_TERPISAH") and with_problem(truth, "TPS_TIDAK_SESUAI_RT")
    places = defaultdict(set)
    for r in dpt:
        if r["kode_kelurahan"] and r["tps"]:
            places[(r["nkk"], r["kode_kelurahan"])].add(r["tps"])
    split = {r["id"] for r in dpt if len(places[(r["nkk"], r["kode_kelurahan"])]) > 1}
    assert set(with_problem(truth, "KK_TERPISAH")) == split


def test_missing_fields(city):
    _out, _s, dpt, truth = city
    rows = with_problem(truth, "DATA_TIDAK_LENGKAP")
    assert rows
    for row_id in rows:
        row = dpt[int(row_id) - 1]
        assert "" in (row["nama"], row["tanggal_lahir"], row["jenis_kelamin"], row["tps"], row["kode_kelurahan"])


def test_names_from_the_regions_traditions(city):
    _out, _s, dpt, _t = city
    names = [r["nama"] for r in dpt if r["nama"]]
    assert 0.05 * len(names) < sum(" " not in n for n in names) < 0.2 * len(names)  # many single names
    assert sum(n.split(",")[0].count(" ") >= 2 for n in names) > 0.2 * len(names)  # and many of three parts
    assert any(n.startswith("HJ. ") for n in names) and any(n.startswith("H. ") for n in names)
    assert any(", S.PD." in n for n in names)
    for surname in ("SIHOMBING", "CHANIAGO", "WIJAYA", "SANTOSO"):
        assert any(n.endswith(surname) for n in names)


def test_generated_city_imports_cleanly(city, store):
    out, *_ = city
    snap = import_voter_list(out / "dpt.csv", "DPT", "3671", store).snapshot
    assert snap.counts == {"rows_in": N, "loaded": N, "rejected": 0}
