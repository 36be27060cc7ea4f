"""Birthplaces written the ways clerks write them fold to one kab/kota key; unknown places stay as written."""

import pytest

from kawal.engine.audit.places import build_place_keys
from kawal.engine.sql import connect

WRITTEN = [
    "TANGERANG",
    "TANGERANG",
    "KAB. TANGERANG",
    "TNG",
    "TANGERANG, BANTEN",
    "CIPONDOH",  # a kecamatan of Kota Tangerang
    "SOLO",
    "SURAKARTA",
    "RANGKASBITUNG",  # the town that is the seat of Kab. Lebak
    "LEBAK",
    "JAKARTA BARAT",
    "JAKARTA",
    "JKT",
    "SEMARANG",
    "SEMARANG",
    "SMG",
    "SUMEDANG",
    "P. SIANTAR",
    "UJUNG PANDANG",
    "MAKASSAR",
    "XQZ",
    "BALI",  # a province: a word of its own, not a short form of BALIKPAPAN
    "BALIKPAPAN",
    "ACEH",
    "ACEH BESAR",
    "KUTA",  # a kecamatan of four letters
    "KUTAI KARTANEGARA",
    "SUKAMULYA",  # a kecamatan of Kab. Tangerang, and villages in dozens of other kab/kota
    "TGR",
    "TNG",  # twice: the count of rows goes to one key
    None,
]


@pytest.fixture(scope="module")
def keys():
    con = connect()
    con.execute("CREATE TABLE src (tempat_lahir VARCHAR)")
    con.executemany("INSERT INTO src VALUES (?)", [(w,) for w in WRITTEN])
    build_place_keys(con, "src")
    found = {written: key for written, key in con.execute("SELECT tempat_lahir, place_key FROM place_keys").fetchall()}
    rows = con.execute("SELECT sum(rows_with) FROM place_keys").fetchone()[0]
    con.close()
    return found, rows


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("TNG", "TANGERANG"),
        ("TANGERANG, BANTEN", "TANGERANG"),
        ("KAB. TANGERANG", "TANGERANG"),
        ("CIPONDOH", "TANGERANG"),
        ("SOLO", "SURAKARTA"),
        ("RANGKASBITUNG", "LEBAK"),
        ("JAKARTA BARAT", "JAKARTA"),
        ("JKT", "JAKARTA"),
        ("SMG", "SEMARANG"),  # more rows born in Semarang than in Sumedang on this list
        ("UJUNG PANDANG", "MAKASSAR"),
        ("TGR", "TANGERANG"),
    ],
)
def test_one_kab_kota_written_two_ways_has_one_key(keys, a, b):
    found, _rows = keys
    assert found[a] == found[b]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("SEMARANG", "SUMEDANG"),
        ("SURAKARTA", "TANGERANG"),
        ("LEBAK", "TANGERANG"),
        ("BALI", "BALIKPAPAN"),
        ("ACEH", "ACEH BESAR"),
        ("KUTA", "KUTAI KARTANEGARA"),
        ("SUKAMULYA", "TANGERANG"),
    ],
)
def test_different_places_keep_different_keys(keys, a, b):
    found, _rows = keys
    assert found[a] != found[b]


def test_unknown_place_stays_as_written_and_every_row_is_counted(keys):
    found, rows = keys
    assert found["XQZ"] == "XQZ"
    assert found["P. SIANTAR"] == "PEMATANGSIANTAR"
    assert found[None] is None
    assert rows == len(WRITTEN)


def test_the_pair_level_names_the_same_region_written_another_way():
    from kawal.engine.audit import duplicates as d

    place = d.COMPARISONS[d.FIELDS.index("place")]
    assert place.level_names == ("exact", "same_region", "close", "other")
