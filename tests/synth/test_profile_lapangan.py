"""The ``lapangan`` generator profile: deterministic, shaped like arsip's list, and its truth files agree with its rows."""

import csv
import json
import re
from collections import defaultdict
from datetime import date, datetime
from itertools import combinations

import pytest

from kawal.cli.main import main
from kawal.engine.nik import valid_prefixes
from kawal.synth.profile_arsip import generate_arsip
from kawal.synth.profile_lapangan import MECHANISMS, PLACES, generate_lapangan
from tests.synth.separate_profile import assert_deterministic, generated, nik_date

N = 20_000
SEED = 5
NAME_TAGS = {m for m in MECHANISMS if m.startswith("name_")}
DOB_TAGS = {m for m in MECHANISMS if m.startswith("dob_")}
NIK_TAGS = {m for m in MECHANISMS if m.startswith("nik_")}


@pytest.fixture(scope="module")
def lapangan(tmp_path_factory):
    return generated(tmp_path_factory.mktemp("lapangan"), generate_lapangan, N, SEED)


def tags(label: str) -> set[str]:
    return set(label.split("+"))


def test_deterministic_for_a_seed(tmp_path):
    assert_deterministic(generate_lapangan, tmp_path)


def test_columns_and_formats_are_arsips(lapangan, tmp_path):
    folder, summary, dpt, *_ = lapangan
    generate_arsip(1_000, 1, tmp_path)
    with (tmp_path / "dpt.csv").open(encoding="utf-8") as f:
        arsip_header = next(csv.reader(f))
    with (folder / "dpt.csv").open(encoding="utf-8") as f:
        assert next(csv.reader(f)) == arsip_header
    assert [int(r["id"]) for r in dpt] == list(range(1, N + 1))
    assert summary["voters"] == N
    prefixes = valid_prefixes()
    for r in dpt:
        assert re.fullmatch(r"\d{2}-\d{2}-\d{4}", r["tanggal_lahir"])
        assert re.fullmatch(r"\d{3}", r["rt"]) and re.fullmatch(r"\d{3}", r["rw"]) and re.fullmatch(r"\d{3}", r["tps"])
        assert r["jenis_kelamin"] in ("L", "P") and r["status_kawin"] in ("B", "S", "P")
        assert re.fullmatch(r"\d{16}", r["nkk"]) and r["nkk"][:6] in prefixes
        assert r["nama"] and r["nama"] == r["nama"].strip() and "  " not in r["nama"]
        assert r["tempat_lahir"] and r["alamat"] and r["keterangan"] == ""
        assert r["kode_kelurahan"].startswith("3671") and r["disabilitas"] in ("", "1", "2", "3", "4", "5")


def test_no_minors(lapangan):
    _, _, dpt, *_ = lapangan
    cutoff = date(2007, 11, 27)
    assert all(datetime.strptime(r["tanggal_lahir"], "%d-%m-%Y").date() <= cutoff for r in dpt)


def test_niks_are_valid(lapangan):
    _, _, dpt, _, pairs, _ = lapangan
    exempt = set()  # rows keyed with the KK number as NIK, or with the wrong sex
    for p in pairs:
        if tags(p["mechanism"]) & {"nik_kk", "sex_default"}:
            exempt |= {p["id_a"], p["id_b"]}
    prefixes = valid_prefixes()
    for r in dpt:
        assert re.fullmatch(r"\d{16}", r["nik"]), r["id"]
        assert r["nik"][:6] in prefixes and int(r["nik"][12:]) > 0, r["id"]
        female = None if r["id"] in exempt else r["jenis_kelamin"] == "P"
        assert nik_date(r["nik"], female) is not None, r["id"]


def test_pairs_cover_every_pair_of_one_person(lapangan):
    _, summary, dpt, truth, pairs, _ = lapangan
    rows = defaultdict(list)
    for r in dpt:
        rows[truth[r["id"]]["person_id"]].append(int(r["id"]))
    expected = {tuple(sorted(c)) for ids in rows.values() for c in combinations(ids, 2)}
    got = {(int(p["id_a"]), int(p["id_b"])) for p in pairs}
    assert got == expected and len(pairs) == len(expected) == summary["pairs"]
    assert any(len(ids) == 3 for ids in rows.values())
    extra = sum(len(ids) - 1 for ids in rows.values())
    assert extra == summary["duplicate_rows"] and 0.015 <= extra / N <= 0.03
    for p in pairs:
        assert p["mechanism"].split("+")[0] in PLACES
    seen = {t for p in pairs for t in p["mechanism"].split("+")}
    rare = {"name_full", "name_join", "name_wrap", "name_ejaan", "nkk_digit", "dob_picker", "dob_mmdd"}
    assert set(MECHANISMS) - rare <= seen and set(PLACES) <= seen


def test_labels_say_what_differs(lapangan):
    """Between a person's first row and a later registration, each field differs exactly when a tag says so."""
    _, _, dpt, truth, pairs, _ = lapangan
    by_id = {r["id"]: r for r in dpt}
    checked = 0
    for p in pairs:
        t = tags(p["mechanism"])
        if "copy_copy" in t:
            continue
        a, b = by_id[p["id_a"]], by_id[p["id_b"]]
        assert truth[a["id"]]["person_id"] == truth[b["id"]]["person_id"]
        assert (a["nama"] != b["nama"]) == bool(t & NAME_TAGS), p
        assert (a["tanggal_lahir"] != b["tanggal_lahir"]) == bool(t & DOB_TAGS), p
        assert (a["nik"] != b["nik"]) == bool(t & NIK_TAGS), p
        assert (a["jenis_kelamin"] != b["jenis_kelamin"]) == ("sex_default" in t), p
        assert (a["status_kawin"] != b["status_kawin"]) == ("status" in t), p
        assert (a["tempat_lahir"] != b["tempat_lahir"]) == ("birthplace" in t), p
        place = p["mechanism"].split("+")[0]
        if place in ("same_kk", "rt_rw"):
            assert a["kode_kelurahan"] == b["kode_kelurahan"] and a["tps"] == b["tps"]
            assert (a["nkk"] != b["nkk"]) == ("nkk_digit" in t), p
            assert (a["alamat"] != b["alamat"]) == ("address_typed" in t), p
            assert ((a["rt"], a["rw"]) != (b["rt"], b["rw"])) == (place == "rt_rw"), p
        elif place == "other_kk":
            assert a["kode_kelurahan"] == b["kode_kelurahan"] and a["nkk"] != b["nkk"]
        elif place == "other_kel":
            assert a["kode_kelurahan"] != b["kode_kelurahan"] and a["kecamatan"] == b["kecamatan"]
        else:
            assert a["kecamatan"] != b["kecamatan"]
        if "exact" in t:
            assert t == {place, "exact"}
        if "nik_reissued" in t:  # the extract row may come first or last: ids follow kelurahan and TPS
            assert "3671" in (a["nik"][:4], b["nik"][:4]) and b["nik"][6:12] == a["nik"][6:12]
        if "nik_kk" in t:
            assert a["nik"] == a["nkk"] or b["nik"] == b["nkk"]
        checked += 1
    assert checked > 300


def test_truth_agrees_with_rows(lapangan):
    folder, summary, dpt, truth, _, _ = lapangan
    person_rows: defaultdict[str, int] = defaultdict(int)
    nik_rows: defaultdict[str, int] = defaultdict(int)
    for r in dpt:
        person_rows[truth[r["id"]]["person_id"]] += 1
        nik_rows[r["nik"]] += 1
    for r in dpt:
        problems = set(filter(None, truth[r["id"]]["problems"].split(";")))
        assert ("PEMILIH_GANDA" in problems) == (person_rows[truth[r["id"]]["person_id"]] > 1)
        assert ("NIK_GANDA" in problems) == (nik_rows[r["nik"]] > 1)
    assert json.loads((folder / "generate.json").read_text()) == summary
    # a NIK on two rows is always one person's: the typos and re-issued numbers are nobody else's
    people_of_nik = defaultdict(set)
    for r in dpt:
        people_of_nik[r["nik"]].add(truth[r["id"]]["person_id"])
    assert all(len(people) == 1 for people in people_of_nik.values())


def test_hard_negatives_are_different_people(lapangan):
    _, summary, dpt, truth, pairs, negatives = lapangan
    by_id = {r["id"]: r for r in dpt}
    duplicates = {(p["id_a"], p["id_b"]) for p in pairs}
    kinds: defaultdict[str, int] = defaultdict(int)
    for h in negatives:
        a, b = by_id[h["id_a"]], by_id[h["id_b"]]
        assert truth[a["id"]]["person_id"] != truth[b["id"]]["person_id"]
        assert (h["id_a"], h["id_b"]) not in duplicates and a["nik"] != b["nik"]
        kinds[h["kind"]] += 1
        year_a, year_b = a["tanggal_lahir"][-4:], b["tanggal_lahir"][-4:]
        if h["kind"] == "twins":
            assert a["nkk"] == b["nkk"] and a["tanggal_lahir"] == b["tanggal_lahir"] and a["nama"] != b["nama"]
            assert a["tempat_lahir"] == b["tempat_lahir"] and a["nik"][:6] == b["nik"][:6]
            if a["jenis_kelamin"] == b["jenis_kelamin"]:
                assert a["nik"][:12] == b["nik"][:12] and abs(int(a["nik"][12:]) - int(b["nik"][12:])) == 1
        elif h["kind"] == "siblings":
            assert a["nkk"] == b["nkk"] and a["tanggal_lahir"] != b["tanggal_lahir"] and a["nama"] != b["nama"]
            assert len(set(a["nama"].split()) ^ set(b["nama"].split())) == 2
        elif h["kind"] in ("father_son", "mother_daughter"):
            assert a["nama"] == b["nama"] and a["nkk"] == b["nkk"] and abs(int(year_a) - int(year_b)) >= 15
            assert a["jenis_kelamin"] == b["jenis_kelamin"] == ("L" if h["kind"] == "father_son" else "P")
        elif h["kind"] == "neighbours":
            assert a["nama"] == b["nama"] and a["kode_kelurahan"] == b["kode_kelurahan"] and a["nkk"] != b["nkk"]
            assert (a["rt"], a["rw"]) == (b["rt"], b["rw"])
        elif h["kind"] == "cousins":
            assert a["nama"] == b["nama"] and year_a == year_b and a["tanggal_lahir"] != b["tanggal_lahir"]
            assert a["kode_kelurahan"] == b["kode_kelurahan"] and a["nkk"] != b["nkk"]
        else:
            assert h["kind"] == "namesake_dob"
            assert a["nama"] == b["nama"] and a["tanggal_lahir"] == b["tanggal_lahir"]
            assert a["kecamatan"] != b["kecamatan"]
    assert set(kinds) == {"twins", "siblings", "father_son", "mother_daughter", "neighbours", "cousins", "namesake_dob"}
    assert dict(kinds) == summary["hard_negatives"]


def test_generates_from_the_command_line(tmp_path, capsys):
    assert main(["generate", "--profile", "lapangan", "--voters", "3000", "--seed", "3", "--out", str(tmp_path)]) == 0
    assert "PEMILIH_GANDA" in capsys.readouterr().out
    assert json.loads((tmp_path / "generate.json").read_text())["profile"] == "lapangan"
