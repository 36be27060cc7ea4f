"""Kemendagri region codes (wilayah), every list version kept.

Codes change when regions split or are renamed, but a NIK keeps the code of where it was first issued, so a
code is never "wrong" just because it left the current list: each unit says which list versions it is in.

Full lists shipped: Kepmendagri 100.1.1-6117/2022 (in force for Pilkada 2024) and 300.2.2-2138/2025.
Provinsi, kab/kota and kecamatan codes of four older lists (2016-2022) come from the NIK prefix union.
Source: github.com/cahyadsn/wilayah (MIT, see ``data/LICENSE-cahyadsn-wilayah.txt``).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from kawal.i18n import KawalError

# Oldest first. The keys are the labels used by the NIK prefix union file.
VERSIONS: dict[str, str] = {
    "2016_permendagri_56_2015": "Permendagri 56/2015",
    "2018_permendagri_137_2017": "Permendagri 137/2017",
    "2020_permendagri_72_2019": "Permendagri 72/2019",
    "2022_permendagri_58_2021": "Permendagri 58/2021",
    "2023_kepmendagri_100.1.1-6117_2022": "Kepmendagri 100.1.1-6117/2022",
    "2025_kepmendagri_300.2.2-2138_2025": "Kepmendagri 300.2.2-2138/2025",
}
_VERSION_ORDER = list(VERSIONS)
V2022 = "2023_kepmendagri_100.1.1-6117_2022"
V2025 = "2025_kepmendagri_300.2.2-2138_2025"
_FULL_LISTS = {V2025: "wilayah_kemendagri_2025.csv.gz", V2022: "wilayah_kemendagri_2022_6117.csv.gz"}
PREFIX_FILE = "nik_prefix_codes_all_versions.csv.gz"
LEVEL_NAMES = {1: "provinsi", 2: "kabupaten/kota", 3: "kecamatan", 4: "kelurahan/desa"}
_LEVEL_BY_DIGITS = {2: 1, 4: 2, 6: 3, 10: 4}

NOT_FOUND = (
    "Kode wilayah {code} tidak ada di daftar Kemendagri mana pun.",
    "Region code {code} is in no Kemendagri list.",
)
BAD_CODE = (
    "'{code}' bukan kode wilayah: pakai 2, 4, 6 atau 10 angka (3671011001) atau bertitik (36.71.01.1001).",
    "'{code}' is not a region code: use 2, 4, 6 or 10 digits (3671011001) or dotted form (36.71.01.1001).",
)


@dataclass(frozen=True)
class Unit:
    """One region: provinsi, kab/kota, kecamatan or kelurahan/desa."""

    code: str  # dotted Kemendagri form, e.g. 36.71.01.1001
    name: str
    level: int
    parent: str | None
    kind: str
    versions: tuple[str, ...]

    @property
    def kpu_code(self) -> str:
        """The code as KPU forms print it, without dots (3671011001)."""
        return self.code.replace(".", "")

    @property
    def current(self) -> bool:
        """Whether the unit is in the newest list shipped."""
        return V2025 in self.versions

    def version_labels(self) -> list[str]:
        return [VERSIONS[v] for v in self.versions]


ROOT = Unit("", "Indonesia", 0, None, "negara", tuple(VERSIONS))  # the whole country: no region constraint


def data_path(name: str) -> Path:
    """Path of a file shipped in the package's ``wilayah/data`` folder."""
    return Path(str(resources.files("kawal.wilayah") / "data" / name))


def dotted(code: str) -> str:
    """Normalise a code to the dotted Kemendagri form; accepts dotted or KPU (undotted) input."""
    raw = re.sub(r"\s", "", str(code))
    digits = raw.replace(".", "")
    if not digits.isdigit() or len(digits) not in _LEVEL_BY_DIGITS:
        raise KawalError(BAD_CODE, code=code)
    parts = [digits[0:2], digits[2:4], digits[4:6], digits[6:10]]
    return ".".join(p for p in parts if p)


def normalise_name(name: str) -> str:
    """Upper case, punctuation and spacing folded, and the KEL./KEC./DESA prefixes dropped."""
    text = re.sub(r"[^0-9A-Z]+", " ", name.upper()).strip()
    text = re.sub(r"^(KELURAHAN|KEL|KECAMATAN|KEC|DESA|DS)\s+", "", text)
    return re.sub(r"^KAB\s+", "KABUPATEN ", text)


class Registry:
    """All units of every shipped list version, by code, with parent/child links."""

    def __init__(self, units: dict[str, Unit]) -> None:
        self._units = units
        self._children: dict[str | None, list[str]] = {}
        for unit in units.values():
            self._children.setdefault(unit.parent, []).append(unit.code)
        for codes in self._children.values():
            codes.sort()

    def __len__(self) -> int:
        return len(self._units)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units.values())

    def get(self, code: str) -> Unit | None:
        """The unit with this code (dotted or KPU form), or ``None``."""
        return self._units.get(dotted(code))

    def names(self, codes: set[str]) -> dict[str, str]:
        """Each code's name for display; a code that names no unit (empty, "semua", unknown) stands for itself."""
        return {c: (unit.name if c.isdigit() and (unit := self.get(c)) else c) for c in codes}

    def lookup(self, code: str) -> Unit:
        """The unit with this code; a clear error if no list version has it."""
        unit = self.get(code)
        if unit is None:
            raise KawalError(NOT_FOUND, code=code)
        return unit

    def children(self, code: str | None) -> list[Unit]:
        """Units directly below ``code`` (provinsi when ``code`` is None or empty), in code order."""
        key = dotted(code) if code else None
        return [self._units[c] for c in self._children.get(key, [])]

    def parent(self, code: str) -> Unit | None:
        unit = self.lookup(code)
        return self._units.get(unit.parent) if unit.parent else None

    def ancestors(self, code: str) -> list[Unit]:
        """From the provinsi down to the unit's parent."""
        chain: list[Unit] = []
        unit = self.parent(code)
        while unit is not None:
            chain.append(unit)
            unit = self.parent(unit.code)
        return chain[::-1]

    def descendants(self, code: str) -> Iterator[Unit]:
        for child in self.children(code):
            yield child
            yield from self.descendants(child.code)

    def find(self, name: str, parent: str | None = None) -> Unit | None:
        """The unit called ``name`` directly below ``parent`` (tolerant of case, spacing and prefixes)."""
        wanted = normalise_name(name)
        matches = [u for u in self.children(parent) if normalise_name(u.name) == wanted]
        current = [u for u in matches if u.current] or matches
        return current[0] if current else None

    def versions_of(self, code: str) -> tuple[str, ...]:
        """The list versions (oldest first) that contain ``code``; empty if none."""
        unit = self.get(code)
        return unit.versions if unit else ()


def _read_csv_gz(name: str) -> Iterator[dict[str, str]]:
    with gzip.open(data_path(name), "rt", encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def _csv_gz_rows(name: str) -> Iterator[list[str]]:
    """The file's rows as plain lists, header first (a dict per row was most of the registry's load time)."""
    text = gzip.decompress(data_path(name).read_bytes()).decode("utf-8")
    return csv.reader(io.StringIO(text, newline=""))


def _all_units() -> dict[str, Unit]:
    """Every unit once, with the versions it is in.

    The full lists give names (the newer list's win) and versions; the NIK prefix union adds older versions of
    provinsi, kab/kota and kecamatan codes, and the units of older lists only. Each unit is made once, after
    every source is read: the registry loads while a list is being imported, beside DuckDB.
    """
    fields: dict[str, tuple[str, int, str | None, str]] = {}
    versions: dict[str, list[str]] = {}
    for version in (V2022, V2025):  # newer last, so its names win
        rows = _csv_gz_rows(_FULL_LISTS[version])
        columns = {name: i for i, name in enumerate(next(rows))}
        code_at, name_at, level_at = columns["code"], columns["name"], columns["level"]
        parent_at, kind_at = columns["parent"], columns["kind"]
        for row in rows:
            code = row[code_at]
            versions.setdefault(code, []).append(version)
            fields[code] = (row[name_at], int(row[level_at]), row[parent_at] or None, row[kind_at])
    for prefix in _read_csv_gz(PREFIX_FILE):
        code, level = prefix["code"], int(prefix["level"])
        versions.setdefault(code, []).extend(_span(prefix["first_version"], prefix["last_version"]))
        if code not in fields:
            parent = code.rsplit(".", 1)[0] if level > 1 else None
            kind = "provinsi" if level == 1 else "kecamatan" if level == 3 else _kab_kind(prefix["latest_name"])
            fields[code] = (prefix["latest_name"], level, parent, kind)
    ordered: dict[tuple[str, ...], tuple[str, ...]] = {}  # a few dozen distinct histories among 93,000 units
    for listed in map(tuple, versions.values()):
        if listed not in ordered:
            ordered[listed] = tuple(v for v in _VERSION_ORDER if v in listed)
    return {
        code: Unit(code, name, level, parent, kind, ordered[tuple(versions[code])])
        for code, (name, level, parent, kind) in fields.items()
    }


def _span(first: str, last: str) -> list[str]:
    return _VERSION_ORDER[_VERSION_ORDER.index(first) : _VERSION_ORDER.index(last) + 1]


def _kab_kind(name: str) -> str:
    return "kota" if name.upper().startswith("KOTA ") else "kabupaten"


@cache
def registry() -> Registry:
    """The shared registry, loaded once per process."""
    return Registry(_all_units())
