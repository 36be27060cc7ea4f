"""The ``arsip`` generator profile: deterministic, well-formed, and its truth files agree with its rows."""

import csv
import json
import re
from collections import defaultdict
from datetime import date, datetime
from itertools import combinations

import pytest

from kawal.engine.nik import valid_prefixes
from kawal.synth.profile_arsip import MECHANISMS, generate_arsip
from tests.synth.separate_profile import assert_deterministic, generated, nik_date

N = 20_000
SEED = 5
COLUMNS = [
    "id", "nkk", "nik", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "status_kawin", "alamat", "rt",
    "rw", "disabilitas", "keterangan", "kode_kelurahan", "kelurahan", "kecamatan", "tps",
]  # fmt: skip


@pytest.fixture(scope="module")
def arsip(tmp_path_factory):
    return generated(tmp_path_factory.mktemp("arsip"), generate_arsip, N, SEED)


def test_deterministic_for_a_seed(tmp_path):
    assert_deterministic(generate_arsip, tmp_path)


def test_columns_and_formats(arsip):
    folder, summary, dpt, *_ = arsip
    with (folder / "dpt.csv").open(encoding="utf-8") as f:
        assert next(csv.reader(f)) == COLUMNS
    assert [int(r["id"]) for r in dpt] == list(range(1, N + 1))
    assert summary["voters"] == N
    for r in dpt:
        assert re.fullmatch(r"\d{2}-\d{2}-\d{4}", r["tanggal_lahir"])
        assert re.fullmatch(r"\d{3}", r["rt"]) and re.fullmatch(r"\d{3}", r["rw"]) and re.fullmatch(r"\d{3}", r["tps"])
        assert r["jenis_kelamin"] in ("L", "P") and r["status_kawin"] in ("B", "S", "P")
        assert re.fullmatch(r"\d{16}", r["nkk"]) and r["nkk"][:6] in valid_prefixes()
        assert r["nama"] and r["nama"] == r["nama"].strip() and "  " not in r["nama"]


def test_no_minors(arsip):
    _, _, dpt, *_ = arsip
    cutoff = date(2007, 11, 27)
    assert all(datetime.strptime(r["tanggal_lahir"], "%d-%m-%Y").date() <= cutoff for r in dpt)


def test_niks_are_valid(arsip):
    _, _, dpt, _, pairs, _ = arsip
    exempt = set()  # rows whose NIK came from a household member, or whose sex was keyed wrong
    for p in pairs:
        if "nik_household" in p["mechanism"] or "sex_wrong" in p["mechanism"]:
            exempt |= {p["id_a"], p["id_b"]}
    blank = 0
    prefixes = valid_prefixes()
    for r in dpt:
        if not r["nik"]:
            blank += 1
            continue
        assert re.fullmatch(r"\d{16}", r["nik"]), r["id"]
        assert r["nik"][:6] in prefixes and int(r["nik"][12:]) > 0
        female = None if r["id"] in exempt else r["jenis_kelamin"] == "P"
        assert nik_date(r["nik"], female) is not None, r["id"]
    blanked = [p for p in pairs if "nik_blank" in p["mechanism"] and "copy_copy" not in p["mechanism"]]
    assert blank == len(blanked) > 0


def test_pairs_cover_every_pair_of_one_person(arsip):
    _, summary, dpt, truth, pairs, _ = arsip
    rows = defaultdict(list)
    for r in dpt:
        rows[truth[r["id"]]["person_id"]].append(int(r["id"]))
    expected = {tuple(sorted(c)) for ids in rows.values() for c in combinations(ids, 2)}
    got = {(int(p["id_a"]), int(p["id_b"])) for p in pairs}
    assert got == expected and len(pairs) == len(expected) == summary["pairs"]
    assert all(b - a > 1 for a, b in got), "a duplicate sits right after its original"
    assert any(len(ids) == 3 for ids in rows.values())
    extra = sum(len(ids) - 1 for ids in rows.values())
    assert extra == summary["duplicate_rows"] and abs(extra / N - 0.02) < 0.002
    for p in pairs:
        assert p["mechanism"].split("+")[0] in ("same_kk", "rt_rw", "other_kk")
    seen = {t for p in pairs for t in p["mechanism"].split("+")}
    assert set(MECHANISMS) - {"dob_century", "name_chinese", "sex_wrong"} <= seen


def test_truth_agrees_with_rows(arsip):
    folder, summary, dpt, truth, _, _ = arsip
    person_rows: defaultdict[str, int] = defaultdict(int)
    nik_rows: defaultdict[str, int] = defaultdict(int)
    for r in dpt:
        person_rows[truth[r["id"]]["person_id"]] += 1
        if r["nik"]:
            nik_rows[r["nik"]] += 1
    for r in dpt:
        problems = set(filter(None, truth[r["id"]]["problems"].split(";")))
        assert ("PEMILIH_GANDA" in problems) == (person_rows[truth[r["id"]]["person_id"]] > 1)
        assert ("NIK_GANDA" in problems) == (bool(r["nik"]) and nik_rows[r["nik"]] > 1)
    assert json.loads((folder / "generate.json").read_text()) == summary


def test_hard_negatives_are_different_people(arsip):
    _, summary, dpt, truth, _, negatives = arsip
    by_id = {r["id"]: r for r in dpt}
    kinds: defaultdict[str, int] = defaultdict(int)
    for h in negatives:
        a, b = by_id[h["id_a"]], by_id[h["id_b"]]
        assert truth[a["id"]]["person_id"] != truth[b["id"]]["person_id"]
        kinds[h["kind"]] += 1
        if h["kind"] == "twins":
            assert a["nkk"] == b["nkk"] and a["tanggal_lahir"] == b["tanggal_lahir"] and a["nama"] != b["nama"]
            assert a["nik"][:12] == b["nik"][:12] and abs(int(a["nik"][12:]) - int(b["nik"][12:])) == 1
        elif h["kind"] == "father_son":
            assert a["nama"] == b["nama"] and a["tanggal_lahir"] != b["tanggal_lahir"] and a["nkk"] == b["nkk"]
        elif h["kind"] == "neighbours":
            assert a["nama"] == b["nama"] and a["kode_kelurahan"] == b["kode_kelurahan"]
        else:
            assert a["nama"] == b["nama"] and a["tanggal_lahir"][-4:] == b["tanggal_lahir"][-4:]
    assert set(kinds) == {"twins", "father_son", "neighbours", "namesake_year"}
    assert dict(kinds) == summary["hard_negatives"]
