"""A synthetic Kota Tangerang voter list with known problems, for tests, benchmarks and the demo.

The city is real (13 kecamatan, 104 kelurahan, TPS in proportion to KPU's counts); the people are not. Every
injected problem is recorded in ``truth.csv`` so the audit can be scored. Everything is numpy arrays: 1.38 M
rows take well under a minute. Deterministic for a given seed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kawal.engine.elections import DEFAULT
from kawal.engine.nik import valid_prefixes
from kawal.synth import names as N
from kawal.synth.variants import name_variant

CITY_VOTERS = 1_377_828  # DPT Pilkada 2024, Kota Tangerang
CITY_TPS = 2_706
ELECTION = np.datetime64(DEFAULT.day)
ADULT_CUTOFF = np.datetime64(DEFAULT.day.replace(year=DEFAULT.day.year - 17))  # born on or before: 17 that day
MAX_PER_TPS = DEFAULT.max_per_tps
SAFE_TPS_SIZE = 560  # ordinary TPS stay below the maximum even after duplicates land in them
RT_VOTERS = 130  # about 40 households per RT
RT_PER_RW = 8
HOUSEHOLD_SIZES = (np.arange(1, 7), np.array([0.22, 0.33, 0.22, 0.14, 0.06, 0.03]))
OUTSIDE_PREFIX_SHARE = 0.15  # NIK issued outside the kecamatan the person lives in
STAGES = ("persons", "problems", "truth", "write")  # the steps generate() reports, in order


@dataclass(frozen=True)
class Rates:
    """Share of rows (or of TPS, for ``overfull_tps``) that get each problem."""

    duplicate: float = 0.008
    shared_nik: float = 0.0005
    under_age: float = 0.0005
    married_minor: float = 0.0002  # legitimately registered: married at 16
    centenarian: float = 0.0003
    nik_format: float = 0.0005
    nik_wilayah: float = 0.0002
    nik_tanggal: float = 0.0002
    nik_excel: float = 0.0003
    nik_mismatch: float = 0.001
    missing: float = 0.001
    wrong_tps: float = 0.0005
    overfull_tps: float = 0.005
    placeholder_date: float = 0.01


@dataclass
class Summary:
    voters: int
    persons: int
    tps: int
    kelurahan: int
    households: int
    seed: int
    problems: dict[str, int] = field(default_factory=dict)


# --- the city ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    kel_code: np.ndarray  # 10-digit KPU codes
    kel_name: np.ndarray
    kec_code: np.ndarray  # 6-digit
    kec_name: np.ndarray
    weight: np.ndarray  # share of the city's Pilkada TPS


def load_city() -> City:
    """Kota Tangerang's kelurahan with their share of TPS: Pemilu 2024 counts scaled to Pilkada 2024 per kecamatan."""
    path = resources.files("kawal") / "data" / "units_tps.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    kec = {r["kode_kpu"]: r for r in rows if r["level"] == "kecamatan"}
    kel = [r for r in rows if r["level"] == "kelurahan"]
    pemilu_per_kec: dict[str, int] = {}
    for r in kel:
        pemilu_per_kec[r["kode_kpu"][:6]] = pemilu_per_kec.get(r["kode_kpu"][:6], 0) + int(r["tps_pemilu2024"])
    weight = [
        int(kec[r["kode_kpu"][:6]]["tps_pilkada2024"]) * int(r["tps_pemilu2024"]) / pemilu_per_kec[r["kode_kpu"][:6]]
        for r in kel
    ]
    return City(
        kel_code=np.array([r["kode_kpu"] for r in kel]),
        kel_name=np.array([r["nama_kpu_2024"] for r in kel]),
        kec_code=np.array([r["kode_kpu"][:6] for r in kel]),
        kec_name=np.array([kec[r["kode_kpu"][:6]]["nama_kpu_2024"] for r in kel]),
        weight=np.array(weight) / sum(weight),
    )


def allocate(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Split ``total`` in proportion to ``weights`` (largest remainder), each part at least ``minimum``."""
    spare = total - minimum * len(weights)
    exact = weights / weights.sum() * spare
    parts = np.floor(exact).astype(np.int64)
    remainder = spare - parts.sum()
    parts[np.argsort(-(exact - parts), kind="stable")[:remainder]] += 1
    return parts + minimum


# --- the generator -------------------------------------------------------------------------------------------


class Generator:
    """Builds the list in columns. Rows are people first; duplicate registrations are appended, then sorted."""

    def __init__(self, voters: int, seed: int, rates: Rates) -> None:
        if voters < 1000:
            raise ValueError("the synthetic city needs at least 1,000 voters")
        self.rng = np.random.default_rng(seed)
        self.seed, self.rates, self.city = seed, rates, load_city()
        self.voters = voters
        self.n_dup = round(rates.duplicate * voters)
        self.persons = voters - self.n_dup
        n_kel = len(self.city.kel_code)
        self.n_tps = max(2 * n_kel, round(voters * CITY_TPS / CITY_VOTERS))
        self.labels: dict[str, list[np.ndarray]] = {}  # check -> row chunks flagged
        self.injected: dict[str, int] = {}

    # TPS and households ------------------------------------------------------------------------------------

    def layout_tps(self) -> None:
        per_kel = allocate(self.n_tps, self.city.weight, minimum=2)
        self.tps_kel = np.repeat(np.arange(len(per_kel)), per_kel)
        first = np.concatenate([[0], np.cumsum(per_kel)[:-1]])
        self.tps_no = np.arange(self.n_tps) - first[self.tps_kel] + 1
        self.tps_size = self._tps_sizes()
        self.tps_rts = np.maximum(1, np.ceil(self.tps_size / RT_VOTERS)).astype(np.int64)
        rt_cum = np.cumsum(self.tps_rts) - self.tps_rts
        self.tps_rt_start = rt_cum - rt_cum[first][self.tps_kel]  # RT index within the kelurahan

    def _tps_sizes(self) -> np.ndarray:
        rng, n_tps = self.rng, self.n_tps
        # At least one over-full TPS once the city is big enough for one to be plausible.
        overfull = 0
        if self.voters >= 10_000 and self.rates.overfull_tps > 0:
            overfull = max(1, round(self.rates.overfull_tps * n_tps))
        self.overfull_tps = rng.choice(n_tps, size=overfull, replace=False)
        sizes = np.zeros(n_tps, dtype=np.int64)
        sizes[self.overfull_tps] = rng.integers(MAX_PER_TPS + 1, MAX_PER_TPS + 50, size=overfull)
        ordinary = np.setdiff1d(np.arange(n_tps), self.overfull_tps)
        remaining = self.persons - sizes.sum()
        weights = np.clip(rng.normal(1.0, 0.08, size=len(ordinary)), 0.5, None)
        cap = min(SAFE_TPS_SIZE, max(1, remaining // len(ordinary) * 11 // 10 + 1))
        sizes[ordinary] = np.minimum(allocate(remaining, weights), cap)
        shortfall = remaining - sizes[ordinary].sum()
        while shortfall > 0:  # clipping left people over: spread them over the TPS with room
            room = ordinary[sizes[ordinary] < cap]
            if len(room) == 0:
                raise ValueError("too many voters for the TPS of this city")
            take = min(shortfall, len(room))
            sizes[room[:take]] += 1
            shortfall -= take
        return sizes

    def layout_households(self) -> None:
        rng, n = self.rng, self.persons
        self.p_tps = np.repeat(np.arange(self.n_tps), self.tps_size)
        draws = rng.choice(HOUSEHOLD_SIZES[0], p=HOUSEHOLD_SIZES[1], size=n // 2 + 10)
        ends = np.cumsum(draws)
        cuts = np.union1d(ends[ends < n], np.cumsum(self.tps_size)[:-1])
        starts = np.zeros(n, dtype=np.int64)
        starts[cuts] = 1
        self.p_hh = np.cumsum(starts)
        n_hh = self.p_hh[-1] + 1
        hh_first = np.concatenate([[0], cuts])
        self.hh_tps = self.p_tps[hh_first]
        tps_first_hh = np.searchsorted(self.hh_tps, np.arange(self.n_tps))
        hh_per_tps = np.bincount(self.hh_tps, minlength=self.n_tps)
        rank = np.arange(n_hh) - tps_first_hh[self.hh_tps]
        rt_local = rank * self.tps_rts[self.hh_tps] // np.maximum(hh_per_tps[self.hh_tps], 1)
        self.hh_rt_index = self.tps_rt_start[self.hh_tps] + rt_local
        self.hh_tradition = rng.choice(len(N.TRADITIONS), p=[t[1] for t in N.TRADITIONS], size=n_hh)
        self.hh_address = self._addresses(n_hh)
        self.hh_nkk = self._nkk(self.city.kec_code[self.tps_kel[self.hh_tps]])

    def _addresses(self, count: int) -> np.ndarray:
        rng = self.rng
        number = rng.integers(1, 200, size=count).astype(str)
        street = np.strings.add(np.strings.add(rng.choice(N.STREETS, size=count), " NO. "), number)
        kampung = rng.choice(N.KAMPUNG, size=count)
        blok = np.array(list("ABCDEFGHJK"))[rng.integers(0, 10, size=count)]
        perum = np.strings.add(
            np.strings.add(np.strings.add(rng.choice(N.PERUMAHAN, size=count), " BLOK "), blok), number
        )
        kind = rng.choice(3, p=[0.6, 0.25, 0.15], size=count)
        return np.where(kind == 0, street, np.where(kind == 1, kampung, perum))

    def _prefix_pool(self) -> np.ndarray:
        pool = sorted(p for p in valid_prefixes() if p[:2] in ("31", "32", "33", "35", "36", "12", "13", "92"))
        return np.array(pool, dtype=np.int64)

    def _unique_serials(self, key: np.ndarray) -> np.ndarray:
        """Serial 1.. within each key (region + date), shifted by a random offset per key: unique by construction."""
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        group_start = np.concatenate([[True], sorted_key[1:] != sorted_key[:-1]])
        group_id = np.cumsum(group_start) - 1
        first = np.flatnonzero(group_start)
        rank = np.arange(len(key)) - first[group_id]
        offset = self.rng.integers(0, 40, size=len(first))[group_id]
        serial = np.empty(len(key), dtype=np.int64)
        serial[order] = rank + 1 + offset
        if serial.max() > 9999:
            raise ValueError("serial overflow: too many people share a region and birth date")
        return serial

    def _nkk(self, home_prefix: np.ndarray) -> np.ndarray:
        rng, count = self.rng, len(home_prefix)
        prefix = home_prefix.astype(np.int64)
        elsewhere = rng.random(count) < 0.10
        prefix[elsewhere] = rng.choice(self._prefix_pool(), size=elsewhere.sum())
        issued = np.datetime64("2004-01-01") + rng.integers(0, 7500, size=count)
        key = prefix * 1_000_000 + _ddmmyy(issued, np.zeros(count, dtype=bool))
        return key * 10_000 + self._unique_serials(key)

    # people ------------------------------------------------------------------------------------------------

    def make_persons(self) -> None:
        rng, n = self.rng, self.persons
        self.female = rng.random(n) < 694_585 / 1_377_828
        ages = np.arange(17, 96)
        weight = np.where(ages < 45, 1.0, np.maximum(0.04, 1.0 - (ages - 45) / 52))
        age = rng.choice(ages, p=weight / weight.sum(), size=n)
        self.born = ADULT_CUTOFF - np.round((age - 17) * 365.2425).astype(np.int64) - rng.integers(0, 365, size=n)
        self.status = self._marital_status(age)
        tradition = self.hh_tradition[self.p_hh]
        self.tradition = tradition
        self.name = self._names(tradition, age)
        birthplaces = [np.array(N.BIRTHPLACES[t[0]]) for t in N.TRADITIONS]
        self.birthplace = np.empty(n, dtype=object)
        for i, places in enumerate(birthplaces):
            mask = tradition == i
            self.birthplace[mask] = rng.choice(places, size=mask.sum())
        self.disability = np.where(rng.random(n) < 0.005, rng.choice(N.DISABILITIES, size=n), "")
        self.nik = self._niks()

    def _marital_status(self, age: np.ndarray) -> np.ndarray:
        rng = self.rng
        single = np.select([age < 20, age < 25, age < 30, age < 40], [0.95, 0.7, 0.35, 0.12], 0.05)
        widowed = np.where(age > 40, np.minimum(0.4, 0.02 + 0.004 * (age - 40)), 0.0)
        u = rng.random(len(age))
        return np.where(u < single, "B", np.where(u < single + widowed, "P", "S"))

    def _names(self, tradition: np.ndarray, age: np.ndarray) -> np.ndarray:
        rng, n = self.rng, len(tradition)
        name = np.empty(n, dtype=object)
        for i, (key, _share, single_share) in enumerate(N.TRADITIONS):
            for female in (False, True):
                mask = (tradition == i) & (self.female == female)
                count = int(mask.sum())
                given = rng.choice(N.GIVEN[key][int(female)], size=count)
                middle = np.strings.add(rng.choice(N.GIVEN[key][int(female)], size=count), " ")
                second = rng.choice(N.SECOND[key], size=count)
                if key in N.SURNAME_FAMILIES:  # the household's family or clan name
                    second = np.array(N.SECOND[key])[self.p_hh[mask] % len(N.SECOND[key])]
                parts = rng.random(count)
                middle = np.where(parts < single_share + N.THREE_PART_SHARE, middle, "")
                full = np.strings.add(np.strings.add(np.strings.add(given, " "), middle), second)
                name[mask] = np.where(parts < single_share, given, full)
        return self._titles(name.astype(str), age)

    def _titles(self, name: np.ndarray, age: np.ndarray) -> np.ndarray:
        rng, n = self.rng, len(name)
        haji = (age >= 40) & (rng.random(n) < 0.11)
        title = np.where(self.female, "HJ. ", "H. ")
        name = np.where(haji, np.strings.add(title, name), name)
        degree = (age >= 23) & (rng.random(n) < 0.03)
        suffix = np.strings.add(", ", rng.choice(N.DEGREES, size=n))
        return np.where(degree, np.strings.add(name, suffix), name)

    def _niks(self) -> np.ndarray:
        rng, n = self.rng, self.persons
        home = self.city.kec_code[self.tps_kel[self.p_tps]].astype(np.int64)
        outside = rng.random(n) < OUTSIDE_PREFIX_SHARE
        home[outside] = rng.choice(self._prefix_pool(), size=outside.sum())
        key = home * 1_000_000 + _ddmmyy(self.born, self.female)
        return key * 10_000 + self._unique_serials(key)

    # problems ------------------------------------------------------------------------------------------------

    def inject(self) -> None:
        """Give each kind of problem its own block of people, so the truth of one never muddles another."""
        r, n = self.rates, self.persons
        order = self.rng.permutation(n)
        blocks: dict[str, np.ndarray] = {}
        start = 0
        for kind, count in (
            ("duplicate", self.n_dup),
            ("shared_nik", 2 * round(r.shared_nik * n)),
            ("under_age", round(r.under_age * n)),
            ("married_minor", round(r.married_minor * n)),
            ("centenarian", round(r.centenarian * n)),
            ("nik_format", round(r.nik_format * n)),
            ("nik_wilayah", round(r.nik_wilayah * n)),
            ("nik_tanggal", round(r.nik_tanggal * n)),
            ("nik_excel", round(r.nik_excel * n)),
            ("nik_mismatch", round(r.nik_mismatch * n)),
            ("missing", round(r.missing * n)),
            ("wrong_tps", round(r.wrong_tps * n)),
            ("placeholder_date", round(r.placeholder_date * n)),
        ):
            blocks[kind] = np.sort(order[start : start + count])
            start += count
        self.injected = {k: len(v) for k, v in blocks.items()}
        self._ages(blocks)
        self._build_rows()
        self._wrong_tps(blocks["wrong_tps"])
        self._shared_nik(blocks["shared_nik"])
        self._mismatch(blocks["nik_mismatch"])
        self._duplicates(blocks["duplicate"])
        self._bad_niks(blocks)
        self._missing(blocks["missing"])

    def _ages(self, blocks: dict[str, np.ndarray]) -> None:
        rng = self.rng
        for kind, status in (("under_age", "B"), ("married_minor", "S")):
            rows = blocks[kind]
            self.born[rows] = ADULT_CUTOFF + rng.integers(1, 2 * 365, size=len(rows))
            self.status[rows] = status
        rows = blocks["centenarian"]
        self.born[rows] = ELECTION - np.round(rng.uniform(100.05, 108, size=len(rows)) * 365.2425).astype(np.int64)
        rows = blocks["placeholder_date"]
        year_start = self.born[rows].astype("datetime64[Y]").astype("datetime64[D]")
        self.born[rows] = year_start + np.where(rng.random(len(rows)) < 0.7, 181, 0)  # 01-07 or 01-01 (181: not leap)
        self._reissue_niks(
            np.concatenate([blocks[k] for k in ("under_age", "married_minor", "centenarian", "placeholder_date")])
        )

    def _reissue_niks(self, rows: np.ndarray) -> None:
        """New NIKs for people whose birth date was just set, so the NIK still agrees with it.

        Serials from 5000 up: ordinary people's serials stay far below, duplicates' new NIKs use 9000 and up.
        """
        key = self.nik[rows] // 10**10 * 1_000_000 + _ddmmyy(self.born[rows], self.female[rows])
        self.nik[rows] = key * 10_000 + 5000 + self._unique_serials(key)

    def _build_rows(self) -> None:
        """Row columns (one per registration) start as one row per person."""
        p = np.arange(self.persons)
        self.row = {
            "person": p,
            "tps": self.p_tps.copy(),
            "hh": self.p_hh.copy(),
            "nik": self.nik.astype(str).astype(object),
            "name": self.name.astype(object),
            "born": self.born.copy(),
            "female": self.female.copy(),
            "status": self.status.copy(),
            "rt_index": self.hh_rt_index[self.p_hh],
        }
        self.nkk = self.hh_nkk
        self.address = self.hh_address
        self.labels = {}

    def _label(self, check: str, rows: np.ndarray) -> None:
        self.labels.setdefault(check, []).append(np.asarray(rows))

    def _other_tps_same_kel(self, tps: np.ndarray) -> np.ndarray:
        """Another TPS of the same kelurahan (or the same TPS where the kelurahan has only one)."""
        kel = self.tps_kel[tps]
        first = np.searchsorted(self.tps_kel, kel)
        count = np.bincount(self.tps_kel, minlength=len(self.city.kel_code))[kel]
        shift = self.rng.integers(1, np.maximum(count, 2))
        return np.where(count > 1, first + (tps - first + shift) % np.maximum(count, 1), tps)

    def _wrong_tps(self, rows: np.ndarray) -> None:
        """A voter listed at another TPS of the kelurahan than the one serving their RT."""
        self.row["tps"][rows] = self._other_tps_same_kel(self.row["tps"][rows])

    def _shared_nik(self, rows: np.ndarray) -> None:
        """Two different people under one NIK: the second copies the first's number."""
        first, second = rows[0::2], rows[1::2]
        self.row["nik"][second] = self.row["nik"][first]
        born, female = self.row["born"], self.row["female"]
        differs = _ddmmyy(born[second], female[second]) != _ddmmyy(born[first], female[first])
        self._label("NIK_TIDAK_COCOK", second[differs])

    def _mismatch(self, rows: np.ndarray) -> None:
        """The row's birth date or sex no longer agrees with its NIK."""
        rng = self.rng
        flip_sex = rng.random(len(rows)) < 0.5
        self.row["female"][rows[flip_sex]] = ~self.row["female"][rows[flip_sex]]
        dates = rows[~flip_sex]
        self.row["born"][dates] = self.row["born"][dates] - rng.integers(40, 400, size=len(dates))
        self._label("NIK_TIDAK_COCOK", rows)

    def _duplicates(self, sources: np.ndarray) -> None:
        """Register some people a second time: same or altered NIK, same or varied name, same or other place."""
        rng, count = self.rng, len(sources)
        tps = self.row["tps"][sources]
        where = rng.choice(3, p=[0.4, 0.35, 0.25], size=count)  # same TPS, other TPS in kelurahan, other kelurahan
        target = np.where(where == 1, self._other_tps_same_kel(tps), tps)
        target = np.where(where == 2, rng.integers(0, self.n_tps, size=count), target)
        moved = target != tps
        new_hh = len(self.nkk) + np.arange(count)
        hh = np.where(moved, new_hh, self.row["hh"][sources])
        rt = np.where(
            moved,
            self.tps_rt_start[target] + rng.integers(0, self.tps_rts[target]),
            self.row["rt_index"][sources],
        )
        self.nkk = np.concatenate([self.nkk, self._nkk(self.city.kec_code[self.tps_kel[target]])])
        self.address = np.concatenate([self.address, self._addresses(count)])
        names = self.row["name"][sources].copy()
        vary = rng.random(count) < 0.5
        names[vary] = [name_variant(str(x), rng) for x in names[vary]]
        home = self.city.kec_code[self.tps_kel[target]].astype(np.int64)
        niks = self._duplicate_niks(sources, rng.choice(3, p=[0.45, 0.30, 0.25], size=count), home)
        self._append_rows(sources, target, hh, rt, niks, names)

    def _duplicate_niks(self, sources: np.ndarray, mode: np.ndarray, home: np.ndarray) -> np.ndarray:
        """Same NIK; a typo in the serial (a digit changed or two swapped); or a NIK issued again where the
        second registration lives (its kecamatan code, the same birth date)."""
        rng = self.rng
        nik = self.nik[sources].copy()
        serial = nik % 10_000
        typo_digit = 10 ** rng.integers(0, 4, size=len(nik))
        typo = (serial // typo_digit % 10 + rng.integers(1, 10, size=len(nik))) % 10
        typo_serial = serial - (serial // typo_digit % 10) * typo_digit + typo * typo_digit
        new_serial = 9000 + 999 - np.arange(len(nik)) % 999  # counts down from 9999: distinct from re-issues
        nik = np.where(mode == 1, nik - serial + typo_serial, nik)
        reissued = home * 10**10 + nik % 10**10 - serial + new_serial
        nik = np.where(mode == 2, reissued, nik)
        taken = np.isin(nik, self.nik) & (mode != 0)
        nik[taken] = self.nik[sources][taken]  # a typo that hits someone else's NIK is kept as the same NIK
        nik[(nik % 10_000) == 0] = self.nik[sources][(nik % 10_000) == 0]
        return nik.astype(str).astype(object)

    def _append_rows(
        self,
        sources: np.ndarray,
        tps: np.ndarray,
        hh: np.ndarray,
        rt: np.ndarray,
        nik: np.ndarray,
        names: np.ndarray,
    ) -> None:
        extra = {
            "person": sources,
            "tps": tps,
            "hh": hh,
            "nik": nik,
            "name": names,
            "born": self.row["born"][sources],
            "female": self.row["female"][sources],
            "status": self.row["status"][sources],
            "rt_index": rt,
        }
        self.row = {k: np.concatenate([v, extra[k]]) for k, v in self.row.items()}

    def _bad_niks(self, blocks: dict[str, np.ndarray]) -> None:
        rng, nik = self.rng, self.row["nik"]
        for i in blocks["nik_format"]:
            kind = rng.integers(0, 3)
            text = nik[i]
            nik[i] = text[:-1] if kind == 0 else text[:11] + "O" + text[12:] if kind == 1 else text[:12] + "0000"
        self._label("NIK_FORMAT", blocks["nik_format"])
        invalid = np.array(sorted({f"{p:06d}" for p in range(367114, 367199)} - valid_prefixes()))
        for i in blocks["nik_wilayah"]:
            nik[i] = str(rng.choice(invalid)) + nik[i][6:]
        self._label("NIK_WILAYAH", blocks["nik_wilayah"])
        for i in blocks["nik_tanggal"]:
            bad = str(rng.choice(["3201", "0001", "7212", "0113", "3002", "7102"]))
            nik[i] = nik[i][:6] + bad + nik[i][10:]
        self._label("NIK_TANGGAL", blocks["nik_tanggal"])
        for i in blocks["nik_excel"]:
            nik[i] = f"{float(nik[i]):.5E}" if rng.random() < 0.6 else nik[i] + ".0"
        self._label("NIK_FORMAT", blocks["nik_excel"])

    def _missing(self, rows: np.ndarray) -> None:
        self.blank = {
            c: np.zeros(len(self.row["person"]), bool)
            for c in ("nama", "tanggal_lahir", "jenis_kelamin", "tps", "kelurahan")
        }
        which = self.rng.integers(0, len(self.blank), size=len(rows))
        for i, column in enumerate(self.blank):
            self.blank[column][rows[which == i]] = True

    # output ------------------------------------------------------------------------------------------------

    def table(self) -> tuple[pa.Table, pa.Table]:
        """The DPT (sorted like KPU prints it) and its truth, as Arrow tables."""
        row, city = self.row, self.city
        tps = row["tps"]
        kel = self.tps_kel[tps]
        rt_index = row["rt_index"]
        order = np.lexsort((row["person"], row["hh"], rt_index, self.tps_no[tps], kel))
        rows = {k: v[order] for k, v in row.items()}
        blank = {k: v[order] for k, v in self.blank.items()}
        kel, tps = kel[order], tps[order]
        rw = rows["rt_index"] // RT_PER_RW + 1
        rt = rows["rt_index"] % RT_PER_RW + 1
        count = len(order)
        dpt = pa.table(
            {
                "id": pa.array(np.arange(1, count + 1)),
                "nkk": pa.array(self.nkk[rows["hh"]].astype(str)),
                "nik": pa.array(rows["nik"].astype(str)),
                "nama": _blank(rows["name"].astype(str), blank["nama"]),
                "tempat_lahir": pa.array(self.birthplace[rows["person"]].astype(str)),
                "tanggal_lahir": _blank(_format_dates(rows["born"]), blank["tanggal_lahir"]),
                "jenis_kelamin": _blank(np.where(rows["female"], "P", "L"), blank["jenis_kelamin"]),
                "status_kawin": pa.array(rows["status"].astype(str)),
                "alamat": pa.array(self.address[rows["hh"]].astype(str)),
                "rt": pa.array(np.char.zfill(rt.astype(str), 3)),
                "rw": pa.array(np.char.zfill(rw.astype(str), 3)),
                "disabilitas": pa.array(self.disability[rows["person"]].astype(str)),
                "keterangan": pa.array(np.full(count, "")),
                "kode_kelurahan": _blank(city.kel_code[kel], blank["kelurahan"]),
                "kelurahan": _blank(city.kel_name[kel], blank["kelurahan"]),
                "kecamatan": _blank(city.kec_name[kel], blank["kelurahan"]),
                "tps": _blank(np.char.zfill(self.tps_no[tps].astype(str), 3), blank["tps"]),
            }
        )
        truth = self._truth(order, rows, blank, kel, tps, rw, rt)
        return dpt, truth

    def _truth(
        self,
        order: np.ndarray,
        rows: dict[str, np.ndarray],
        blank: dict[str, np.ndarray],
        kel: np.ndarray,
        tps: np.ndarray,
        rw: np.ndarray,
        rt: np.ndarray,
    ) -> pa.Table:
        """Truth per row: the injected problems plus the rule checks recomputed independently in numpy."""
        count = len(order)
        position = np.empty(count, dtype=np.int64)
        position[order] = np.arange(count)
        flags: dict[str, np.ndarray] = {}
        for check, chunks in self.labels.items():
            flag = np.zeros(count, bool)
            flag[position[np.concatenate(chunks)]] = True
            flags[check] = flag
        has_date = ~blank["tanggal_lahir"]
        flags["DI_BAWAH_UMUR"] = has_date & (rows["born"] > ADULT_CUTOFF) & (rows["status"] == "B")
        flags["USIA_TIDAK_WAJAR"] = has_date & (_age(rows["born"]) >= 100)
        flags["DATA_TIDAK_LENGKAP"] = np.logical_or.reduce(list(blank.values()))
        flags["PEMILIH_GANDA"] = _in_groups_larger_than_one(rows["person"])
        flags["NIK_GANDA"] = _duplicate_niks(rows["nik"])
        placed = ~blank["tps"] & ~blank["kelurahan"]
        flags["TPS_PENUH"] = placed & (_group_size(tps, placed) > MAX_PER_TPS)
        flags["KK_TERPISAH"] = _split_households(self.nkk[rows["hh"]], kel, tps, placed)
        flags["TPS_TIDAK_SESUAI_RT"] = _rt_misplaced(kel, rw, rt, tps, placed)
        problems = pa.array(np.full(count, ""))
        for check in sorted(flags):
            problems = pc.if_else(pa.array(flags[check]), pc.binary_join_element_wise(problems, check, ";"), problems)
        problems = pc.utf8_ltrim(problems, ";")
        self.flag_counts = {check: int(flag.sum()) for check, flag in sorted(flags.items())}
        return pa.table(
            {
                "id": pa.array(np.arange(1, count + 1)),
                "person_id": pa.array(rows["person"] + 1),
                "problems": problems,
            }
        )


# --- helpers -------------------------------------------------------------------------------------------------


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day arrays of a datetime64[D] array."""
    days = days.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def _ddmmyy(born: np.ndarray, female: np.ndarray) -> np.ndarray:
    """The DDMMYY part of a NIK as an integer, 40 added to the day for women."""
    year, month, day = _ymd(born)
    return (day + 40 * female) * 10_000 + month * 100 + year % 100


def _age(born: np.ndarray) -> np.ndarray:
    """Completed years on election day."""
    year, month, day = _ymd(born)
    e_year, e_month, e_day = (int(x[0]) for x in _ymd(np.array([ELECTION])))
    before_birthday = (month > e_month) | ((month == e_month) & (day > e_day))
    return e_year - year - before_birthday


def _format_dates(days: np.ndarray) -> pa.Array:
    """DD-MM-YYYY, as KPU prints birth dates."""
    return pc.strftime(pa.array(days.astype("datetime64[s]")), "%d-%m-%Y")


def _blank(values: np.ndarray | pa.Array, blank: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(blank), "", pa.array(values))


def _group_size(key: np.ndarray, include: np.ndarray) -> np.ndarray:
    _, inverse, counts = np.unique(np.where(include, key, -1), return_inverse=True, return_counts=True)
    return counts[inverse]


def _in_groups_larger_than_one(key: np.ndarray) -> np.ndarray:
    return _group_size(key, np.ones(len(key), bool)) > 1


def _duplicate_niks(nik: np.ndarray) -> np.ndarray:
    """Rows whose NIK (16 visible digits, an Excel '.0' removed) stands on more than one row."""
    text = pc.replace_substring_regex(pa.array(nik.astype(str)), r"\.0+$", "")
    plain = pc.match_substring_regex(text, r"^[0-9]{16}$").to_numpy(zero_copy_only=False)
    values = np.array(text.to_pylist(), dtype=object)
    keys = np.where(plain, values, "")
    _, inverse, counts = np.unique(keys.astype(str), return_inverse=True, return_counts=True)
    return plain & (counts[inverse] > 1)


def _split_households(nkk: np.ndarray, kel: np.ndarray, tps: np.ndarray, placed: np.ndarray) -> np.ndarray:
    """Rows of a household (NKK) that sits in more than one TPS of one kelurahan."""
    key = np.where(placed, nkk.astype(np.int64), -1)
    pair = np.unique(np.stack([key, kel, tps], axis=1), axis=0)
    group_keys, tps_count = np.unique(pair[:, :2], axis=0, return_counts=True)
    split = group_keys[(tps_count > 1) & (group_keys[:, 0] >= 0)]
    rows = np.stack([key, kel], axis=1)
    return placed & _rows_in(rows, split)


def _rows_in(rows: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    if len(wanted) == 0:
        return np.zeros(len(rows), bool)
    combined = rows[:, 0] * 1000 + rows[:, 1]
    return np.isin(combined, wanted[:, 0] * 1000 + wanted[:, 1])


def _rt_misplaced(kel: np.ndarray, rw: np.ndarray, rt: np.ndarray, tps: np.ndarray, placed: np.ndarray) -> np.ndarray:
    """A voter whose RT votes at one other TPS for at least 90% of its other voters (and has 5 or more others)."""
    rt_key = np.where(placed, (kel * 1000 + rw) * 1000 + rt, -1)
    _, rt_id, rt_size = np.unique(rt_key, return_inverse=True, return_counts=True)
    pair_key = rt_id.astype(np.int64) * 10_000_000 + tps
    _, pair_id, pair_count = np.unique(pair_key, return_inverse=True, return_counts=True)
    count_here = pair_count[pair_id]
    best = np.zeros(len(rt_size), dtype=np.int64)
    np.maximum.at(best, rt_id, count_here)
    others = rt_size[rt_id] - 1
    mode_elsewhere = best[rt_id] > count_here
    return placed & mode_elsewhere & (others >= 5) & (best[rt_id] >= 0.9 * others)


# --- entry point ---------------------------------------------------------------------------------------------


def generate(
    voters: int = CITY_VOTERS,
    seed: int = 2024,
    out: Path = Path("."),
    rates: Rates | None = None,
    progress: Callable[[str], None] | None = None,
) -> Summary:
    """Write ``out/dpt.csv``, ``out/truth.csv`` and ``out/generate.json`` for a synthetic Kota Tangerang."""
    say = progress or (lambda _s: None)
    g = Generator(voters, seed, rates or Rates())
    say("persons")
    g.layout_tps()
    g.layout_households()
    g.make_persons()
    say("problems")
    g.inject()
    say("truth")
    dpt, truth = g.table()
    say("write")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    options = pacsv.WriteOptions(quoting_style="needed")
    pacsv.write_csv(dpt, out / "dpt.csv", options)
    pacsv.write_csv(truth, out / "truth.csv", options)
    summary = Summary(voters, g.persons, g.n_tps, len(np.unique(g.tps_kel)), len(g.nkk), seed, g.flag_counts)
    (out / "generate.json").write_text(
        json.dumps({**asdict(summary), "injected": g.injected, "rates": asdict(g.rates)}, indent=2)
    )
    return summary
