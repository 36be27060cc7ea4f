"""Name material for the synthetic city: the naming traditions of Tangerang's people.

Kota Tangerang mixes Betawi, Sundanese and Javanese families with Chinese-Indonesian (Cina Benteng), Batak,
Minang and many Arabic-derived Muslim names; many people carry a single name. Lists are upper case, as the
DPT prints names.

The lists are data files in ``data/`` (``given_names.csv``, ``second_names.csv``, ``traditions.csv``,
``birthplaces.csv``, ``addresses.csv``; see ``data/README.md``), read once when this module is imported. Their
row order is the order the generator draws from, so a seed gives the same city (``tests/synth/test_names_data.py``).
"""

from __future__ import annotations

import csv
from importlib.resources import files

_DATA = files("kawal.synth") / "data"


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((_DATA / name).read_text(encoding="utf-8").splitlines()))


def _grouped(rows: list[dict[str, str]], key: str, value: str) -> dict[str, tuple[str, ...]]:
    """Values by ``key``, each group in file order; groups in order of first appearance."""
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(row[key], []).append(row[value])
    return {k: tuple(v) for k, v in out.items()}


def _given() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    rows = _rows("given_names.csv")
    male = _grouped([r for r in rows if r["sex"] == "L"], "tradition", "name")
    female = _grouped([r for r in rows if r["sex"] == "P"], "tradition", "name")
    return {t: (male[t], female[t]) for t in dict.fromkeys(r["tradition"] for r in rows)}


# tradition -> (male given names, female given names)
GIVEN: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = _given()

# Second parts of a name by tradition (a second given name, a family or clan name).
SECOND: dict[str, tuple[str, ...]] = _grouped(_rows("second_names.csv"), "tradition", "name")

# tradition, share of the city, share of single names
TRADITIONS: tuple[tuple[str, float, float], ...] = tuple(
    (r["tradition"], float(r["city_share"]), float(r["single_name_share"])) for r in _rows("traditions.csv")
)
THREE_PART_SHARE = 0.35  # of names that are not single: given, middle and second name
SURNAME_FAMILIES = ("batak", "tionghoa", "minang")  # family or clan name shared by the household

BIRTHPLACES: dict[str, tuple[str, ...]] = _grouped(_rows("birthplaces.csv"), "tradition", "place")

_ADDRESSES = _grouped(_rows("addresses.csv"), "kind", "name")
STREETS = _ADDRESSES["jalan"]
KAMPUNG = _ADDRESSES["kampung"]
PERUMAHAN = _ADDRESSES["perumahan"]

MALE_TITLES = ("H.", "DRS.", "IR.")
FEMALE_TITLES = ("HJ.", "DRA.")
DEGREES = ("S.PD.", "S.E.", "S.H.", "S.KOM.", "S.AG.", "M.M.", "S.T.")
DISABILITIES = ("FISIK", "INTELEKTUAL", "MENTAL", "SENSORIK NETRA", "SENSORIK RUNGU", "SENSORIK WICARA")
