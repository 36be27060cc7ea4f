"""Independent generator profiles: synthetic Kota Tangerang lists to measure the PEMILIH_GANDA matcher on.

kawal's own generator (``generator.py``) is what the matcher was tuned on, so scoring well there may only mean
the matcher learned that generator's habits. These profiles come from a separate picture of how a DPT goes wrong
-- clerks re-keying a row, people moving and being issued a second NIK, a city full of MUHAMMADs and SITIs, twins
and fathers and sons in one household -- and were written **without reading the matcher**
(``kawal/engine/audit/duplicates.py``): none of its weights, thresholds or normalisation rules informed them.

FROZEN: every profile below was written in full before the matcher was first measured on it (December 2026). Do
not tune a profile to the matcher's results; add a new profile instead, so earlier measurements stay comparable.

The people are our own: households of voters (head, spouse, adult children, relatives) with ages, sexes and
marriage states that fit together; names sampled from Indonesian first- and last-name frequency ranks
(``data/nama_id.csv``) with a Zipf-like skew, mononyms, MUHAMMAD/SITI/NUR compounds, family names or a father's
name shared in a household; birthplaces written the many ways clerks write them. Only the city (kelurahan,
their share of TPS) comes from ``generator.py``.

Profiles (duplicate rows as a share of all rows; each profile's ``Profile`` below has every rate):

* ``klerikal`` (1.5 %): the same person keyed twice, mostly in the same kelurahan. Between the two rows 0-3
  kinds of error combine: birth date (day/month swapped, a day or a year off, one digit mistyped or two
  transposed, a placeholder 01-07/31-12/01-01), sex, name (word order, a word dropped or added -- father's name,
  BIN/BINTI, a family name --, initials, words joined or split, phonetic spelling Y/I KH/H F/P/V SY/S Z/J/DZ
  AI/AE -AH/-A double letters, one or two typos), NIK (one or two digits changed, two transposed, or re-issued).
* ``pindah`` (1.5 %): movers. The second row is in another kecamatan or kelurahan with a new NKK, address,
  RT/RW and TPS; most get a new NIK (the new kecamatan's prefix, or from outside the city, sometimes keyed from a
  wrong birth date); birthplace written another way (TANGERANG / TANGGERANG / KAB. TANGERANG ...); names change
  little (a hajj title or a degree gained, a spelling). Names are drawn with a strong frequency skew.
* ``nama_umum`` (1.2 %): very common names and many hard negatives -- twins (same NKK, address, birth date and
  birthplace, NIKs one serial apart, different given names), fathers and sons of the same name, siblings named
  alike with the same father's or family name, namesakes born on the same day in another kelurahan, and
  placeholder birth dates shared by many. Its duplicates vary mildly.
* ``campuran`` (1.8 %): all of the above at once.

Outputs, like ``generator.generate``: ``dpt.csv``, ``truth.csv`` (PEMILIH_GANDA and NIK_GANDA, computed from the
final rows; other checks left out) and ``generate.json``; plus ``pairs.csv`` (every true duplicate pair with a
label of what differs, e.g. ``same_kel+dob_swap+name_order``) and ``hard_negatives.csv`` (pairs of different
people built to look alike). Deterministic for a seed.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kawal.engine.nik import valid_prefixes
from kawal.synth.generator import ADULT_CUTOFF, CITY_TPS, CITY_VOTERS, MAX_PER_TPS, City, allocate, load_city

T = TypeVar("T")

DATA = Path(__file__).with_name("data")
S = np.dtypes.StringDType()
CUTOFF = date(2007, 11, 27)  # ADULT_CUTOFF as a date: a row born later would be a minor
OLDEST = date(1925, 1, 1)
TPS_ROOM = 1.10  # a TPS holds at most 10 % more than the average before duplicates land in it
RT_HOUSEHOLDS = 40
RT_PER_RW = 7
VOTERS_PER_HOUSEHOLD = {1: 0.20, 2: 0.38, 3: 0.22, 4: 0.12, 5: 0.05, 6: 0.03}


@dataclass(frozen=True)
class Profile:
    """How one synthetic list goes wrong. Shares are of rows (``duplicate_rows``) or of people (the rest)."""

    name: str
    duplicate_rows: float
    makers: tuple[tuple[str, float], ...]  # which kind of second registration, in what share
    triple_share: float = 0.04  # of duplicated people, those registered three times
    name_skew: float = 1.0  # Zipf exponent over name ranks: higher means fewer, more common names
    compound: float = 0.10  # names opening with MUHAMMAD/AHMAD/ABDUL or SITI/NUR/SRI
    mononym_young: float = 0.07
    mononym_old: float = 0.30  # born before 1965: single names were the norm
    placeholder: float = 0.01  # people whose recorded birth date is a placeholder (older people mostly)
    twins: float = 0.002  # people who are one of a pair of twins
    juniors: float = 0.002  # sons who carry their father's full name, per person
    similar_siblings: float = 0.002  # sibling pairs named alike, per person
    namesakes: float = 0.0  # unrelated pairs with one name and one birth date in two kelurahan, per person
    outside_nik: float = 0.12  # NIK issued outside Kota Tangerang


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("klerikal", 0.015, (("klerikal", 1.0),)),
        Profile(
            "pindah", 0.015, (("pindah", 0.85), ("ringan", 0.15)), triple_share=0.05, name_skew=1.1,
            namesakes=0.0005, outside_nik=0.20,
        ),
        Profile(
            "nama_umum", 0.012, (("ringan", 1.0),), triple_share=0.03, name_skew=1.4, compound=0.35,
            mononym_young=0.10, mononym_old=0.35, placeholder=0.04, twins=0.006, juniors=0.006,
            similar_siblings=0.006, namesakes=0.003,
        ),
        Profile(
            "campuran", 0.018, (("klerikal", 0.4), ("pindah", 0.35), ("ringan", 0.25)), name_skew=1.15,
            compound=0.18, placeholder=0.02, twins=0.004, juniors=0.004, similar_siblings=0.004, namesakes=0.0015,
            outside_nik=0.15,
        ),
    )
}  # fmt: skip


# --- places and words ----------------------------------------------------------------------------------------

# (city, share of birthplaces, the ways a clerk writes it and their shares)
BIRTHPLACES: tuple[tuple[str, float, tuple[tuple[str, float], ...]], ...] = (
    ("TANGERANG", 0.44, (("TANGERANG", 0.76), ("KOTA TANGERANG", 0.06), ("KAB. TANGERANG", 0.04),
                         ("TANGGERANG", 0.05), ("TNG", 0.03), ("TANGERANG KOTA", 0.02), ("TGR", 0.02),
                         ("TANGERANG BANTEN", 0.02))),
    ("JAKARTA", 0.16, (("JAKARTA", 0.58), ("DKI JAKARTA", 0.08), ("JAKARTA BARAT", 0.09), ("JAKARTA SELATAN", 0.07),
                       ("JAKARTA PUSAT", 0.05), ("JAKARTA UTARA", 0.04), ("JAKARTA TIMUR", 0.05), ("JKT", 0.04))),
    ("SERANG", 0.035, (("SERANG", 0.8), ("KAB. SERANG", 0.12), ("SRG", 0.08))),
    ("BOGOR", 0.03, (("BOGOR", 0.75), ("KAB. BOGOR", 0.1), ("KOTA BOGOR", 0.1), ("BGR", 0.05))),
    ("BANDUNG", 0.03, (("BANDUNG", 0.8), ("KAB. BANDUNG", 0.08), ("BDG", 0.07), ("KOTA BANDUNG", 0.05))),
    ("LEBAK", 0.02, (("LEBAK", 0.5), ("RANGKASBITUNG", 0.3), ("RANGKAS BITUNG", 0.2))),
    ("PANDEGLANG", 0.015, (("PANDEGLANG", 0.85), ("PANDEGELANG", 0.15))),
    ("CIREBON", 0.025, (("CIREBON", 0.85), ("KAB. CIREBON", 0.1), ("CRB", 0.05))),
    ("BREBES", 0.02, (("BREBES", 1.0),)),
    ("TEGAL", 0.02, (("TEGAL", 0.9), ("SLAWI", 0.1))),
    ("KEBUMEN", 0.015, (("KEBUMEN", 1.0),)),
    ("SEMARANG", 0.025, (("SEMARANG", 0.9), ("SMG", 0.1))),
    ("YOGYAKARTA", 0.02, (("YOGYAKARTA", 0.5), ("JOGJAKARTA", 0.2), ("YOGYA", 0.1), ("JOGJA", 0.1),
                          ("DI YOGYAKARTA", 0.1))),
    ("SURAKARTA", 0.015, (("SURAKARTA", 0.5), ("SOLO", 0.5))),
    ("SURABAYA", 0.015, (("SURABAYA", 0.9), ("SBY", 0.1))),
    ("GARUT", 0.015, (("GARUT", 1.0),)),
    ("TASIKMALAYA", 0.015, (("TASIKMALAYA", 0.8), ("TASIK", 0.2))),
    ("KUNINGAN", 0.01, (("KUNINGAN", 1.0),)),
    ("MEDAN", 0.02, (("MEDAN", 1.0),)),
    ("PADANG", 0.02, (("PADANG", 0.9), ("PDG", 0.1))),
    ("BUKITTINGGI", 0.01, (("BUKITTINGGI", 0.7), ("BUKIT TINGGI", 0.3))),
    ("PALEMBANG", 0.01, (("PALEMBANG", 0.9), ("PLG", 0.1))),
    ("BANDAR LAMPUNG", 0.015, (("BANDAR LAMPUNG", 0.5), ("TANJUNG KARANG", 0.3), ("TANJUNGKARANG", 0.2))),
    ("PEKALONGAN", 0.01, (("PEKALONGAN", 1.0),)),
    ("KLATEN", 0.01, (("KLATEN", 1.0),)),
    ("WONOGIRI", 0.01, (("WONOGIRI", 1.0),)),
    ("BEKASI", 0.01, (("BEKASI", 0.9), ("KAB. BEKASI", 0.1))),
    ("PONTIANAK", 0.008, (("PONTIANAK", 1.0),)),
    ("PEMATANGSIANTAR", 0.007, (("PEMATANGSIANTAR", 0.6), ("PEMATANG SIANTAR", 0.3), ("P. SIANTAR", 0.1))),
)  # fmt: skip

STREETS = (
    "JL. KH. HASYIM ASHARI", "JL. IMAM BONJOL", "JL. KISAMAUN", "JL. CILEDUG RAYA", "JL. HOS COKROAMINOTO",
    "JL. RADEN FATAH", "JL. GATOT SUBROTO", "JL. SUTAN SYAHRIR", "JL. PERINTIS KEMERDEKAAN", "JL. MOH. TOHA",
    "JL. AHMAD YANI", "JL. SUDIRMAN", "JL. MARSEKAL SURYADARMA", "JL. PEMBANGUNAN", "JL. BENTENG BETAWI",
    "JL. KARAWACI RAYA", "JL. PANINGGILAN", "JL. VETERAN", "JL. SITANALA", "JL. DAMAI", "JL. MELATI", "JL. MAWAR",
)  # fmt: skip
KAMPUNG = (
    "KP. BUGEL", "KP. KELAPA", "KP. SUKASARI", "KP. CIPETE", "KP. BABAKAN", "KP. PANUNGGANGAN", "KP. CIKOKOL",
    "KP. GERENDENG", "KP. KEBON JAHE", "KP. PONDOK", "KP. RAWA BOKOR", "KP. NEGLASARI", "KP. SELAPAJANG",
)  # fmt: skip
PERUMAHAN = (
    "PERUMNAS I", "PERUMNAS II", "PERUM PURI BETA", "PERUM TAMAN ADIPURA", "VILLA TANGERANG INDAH",
    "PERUM BUMI ASRI", "PERUM KARANG TENGAH PERMAI", "GRIYA SANGIANG", "PERUM PONDOK ARUM", "TAMAN CIBODAS",
)  # fmt: skip
GANG = ("GG. MASJID", "GG. H. ASMAT", "GG. MUSHOLA", "GG. KELUARGA", "GG. SEMPIT", "GG. MANGGA", "GG. DAMAI")
DISABILITIES = ("FISIK", "INTELEKTUAL", "MENTAL", "SENSORIK NETRA", "SENSORIK RUNGU", "SENSORIK WICARA")
DEGREES = ("S.PD.", "S.E.", "S.H.", "S.KOM.", "S.AG.", "S.T.", "S.SOS.", "A.MD.", "S.PD.I", "M.M.")
HAJI = {False: "H.", True: "HJ."}
COMPOUND = {
    False: (("MUHAMMAD", 0.55), ("AHMAD", 0.3), ("ABDUL", 0.15)),
    True: (("SITI", 0.5), ("NUR", 0.35), ("SRI", 0.15)),
}
# How people who are all called MUHAMMAD are written: different people, different clerks.
MUHAMMADS = (("MUHAMMAD", 0.55), ("MUHAMAD", 0.15), ("MOHAMMAD", 0.08), ("MOHAMAD", 0.07), ("MOCHAMAD", 0.05),
             ("M.", 0.05), ("MOH.", 0.05))  # fmt: skip
MUHAMMAD_WORDS = frozenset(w for w, _ in MUHAMMADS)
COMPOUND_WORDS = np.array(
    sorted({w for options in COMPOUND.values() for w, _ in options} | {w for w, _ in MUHAMMADS} | {"MOCHAMMAD"}),
    dtype=S,
)
RHYMING_TWINS = (("HASAN", "HUSEIN"), ("HASAN", "HUSIN"), ("RAMA", "RAMI"), ("NANDA", "NINDA"), ("PUTRA", "PUTRI"),
                 ("DIMAS", "DINDA"), ("RIZKI", "RIZKA"), ("FAJAR", "FAJRI"), ("AULIA", "AMALIA"), ("ANDI", "ANDRI"))  # fmt: skip


# --- names ---------------------------------------------------------------------------------------------------


CHINESE_FAMILY_NAMES = frozenset(
    [
        "LIE",
        "LIM",
        "ONG",
        "OEI",
        "OEY",
        "TAN",
        "THIO",
        "TIO",
        "TJIA",
        "TJOA",
        "LIEM",
        "TJONG",
        "LIONG",
        "SIONG",
        "GOUW",
        "KWEE",
        "LAUW",
        "JAP",
        "TJHIN",
        "TJAN",
        "LIAUW",
        "LIAW",
        "SOUW",
        "IE",
        "KIONG",
        "GO",
        "HO",
        "KHO",
        "LO",
        "NG",
        "YAP",
    ]
)


class NameBank:
    """First and last names with sampling weights by sex: (rank + 10) ** -skew, split by the name's male share."""

    def __init__(self, skew: float) -> None:
        with (DATA / "nama_id.csv").open(encoding="utf-8") as f:
            rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
        self.kinds = {}
        self.cdf: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for kind in ("first", "last"):
            part = [r for r in rows if r["kind"] == kind]
            if kind == "first":  # Chinese family names lead Facebook's first-name field, not a DPT given name
                part = [r for r in part if r["name"] not in CHINESE_FAMILY_NAMES]
            names = np.array([r["name"] for r in part], dtype=S)
            # Zipf-Mandelbrot: the +10 stands in for the long tail cut off at 2,500 names, which would otherwise
            # give the top name an eighth of everyone
            zipf = (np.array([int(r["rank"]) for r in part], dtype=float) + 10) ** -skew
            share = np.array([float(r["male_share"] or 0.5) for r in part])
            # Facebook's shares are noisy (a wife on her husband's account): sharpen them, AGUS 0.67 -> 0.94 male
            male = share**4 / (share**4 + (1 - share) ** 4)
            self.kinds[kind] = (names, _norm(zipf * male), _norm(zipf * (1 - male)), male)
            self.cdf[kind] = (np.cumsum(_norm(zipf * male)), np.cumsum(_norm(zipf * (1 - male))))
        names, _m, _f, male = self.kinds["first"]
        self.by_prefix: dict[tuple[str, bool], list[str]] = {}
        for name, share in zip(names.tolist(), male.tolist(), strict=True):
            for female in (False, True):
                if (share < 0.5) == female or 0.3 < share < 0.7:
                    self.by_prefix.setdefault((name[:2], female), []).append(name)

    def sample(self, kind: str, female: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        names, p_male, p_female, _male = self.kinds[kind]
        out = np.empty(len(female), dtype=S)
        out[~female] = rng.choice(names, p=p_male, size=int((~female).sum()))
        out[female] = rng.choice(names, p=p_female, size=int(female.sum()))
        return out

    def one(self, kind: str, female: bool, rng: np.random.Generator) -> str:
        cdf = self.cdf[kind][int(female)]
        return str(self.kinds[kind][0][min(int(np.searchsorted(cdf, rng.random())), len(cdf) - 1)])

    def alike(self, name: str, female: bool, rng: np.random.Generator) -> str | None:
        """Another given name starting with the same two letters (ARIF/ARIS, RIZKI/RIZAL): how siblings are named."""
        options = [n for n in self.by_prefix.get((name[:2], female), []) if n != name][:60]
        return str(rng.choice(options)) if options else None


def _norm(weights: np.ndarray) -> np.ndarray:
    return weights / weights.sum()


def _join_words(*columns: np.ndarray) -> np.ndarray:
    """Words joined with single spaces, empty words skipped (vectorised)."""
    out = columns[0]
    for col in columns[1:]:
        both = np.strings.add(np.strings.add(out, " "), col)
        out = np.where(out == "", col, np.where(col == "", out, both))
    return out.astype(S)


def _pick(rng: np.random.Generator, options: tuple[tuple[str, float], ...], size: int) -> np.ndarray:
    values = np.array([o[0] for o in options], dtype=S)
    return rng.choice(values, p=_norm(np.array([o[1] for o in options])), size=size)


def _spread(rng: np.random.Generator, count: int, shares: dict[str, float]) -> np.ndarray:
    """``count`` labels in the given shares exactly (largest remainder), shuffled: every label with a share shows up
    once the count allows, so small test lists still carry every mechanism."""
    if count == 0:
        return np.array([], dtype=S)
    parts = allocate(count, np.array(list(shares.values()), dtype=float))
    return rng.permutation(np.repeat(np.array(list(shares), dtype=S), parts))


# --- dates ---------------------------------------------------------------------------------------------------


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    months = days.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    return year, months.astype(np.int64) % 12 + 1, (days - months.astype("datetime64[D]")).astype(np.int64) + 1


def _ddmmyy(born: np.ndarray, female: np.ndarray) -> np.ndarray:
    """The DDMMYY part of a NIK, 40 added to the day for women."""
    year, month, day = _ymd(born)
    return (day + 40 * female) * 10_000 + month * 100 + year % 100


def _plausible(d: date | None) -> bool:
    return d is not None and OLDEST <= d <= CUTOFF


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _digits_date(text: str) -> date | None:
    return _valid(int(text[4:]), int(text[2:4]), int(text[:2]))


def _date_error(born: date, kind: str, rng: np.random.Generator) -> date | None:
    """One clerk's error in a birth date, or None when it cannot apply (a day above 12 cannot be swapped)."""
    y, m, d = born.year, born.month, born.day
    text = f"{d:02d}{m:02d}{y:04d}"
    if kind == "swap":
        return _valid(y, d, m) if d != m else None
    if kind == "day":
        return born + timedelta(days=int(rng.choice([-1, 1])))
    if kind == "year":
        return _valid(y + int(rng.choice([-1, 1])), m, d)
    if kind == "digit":  # a digit hit by its keypad neighbour, never the century
        i = int(rng.choice([0, 1, 2, 3, 6, 7]))
        new = str((int(text[i]) + int(rng.choice([-1, 1, 3, -3]))) % 10)
        return _digits_date(text[:i] + new + text[i + 1 :])
    if kind == "transpose":
        i = int(rng.choice([0, 2, 6]))
        return _digits_date(text[:i] + text[i + 1] + text[i] + text[i + 2 :]) if text[i] != text[i + 1] else None
    if kind == "placeholder":
        options = [x for x in ((1, 7), (31, 12), (1, 1)) if x != (d, m)]
        dd, mm = options[int(rng.integers(0, len(options)))]
        return date(y, mm, dd)
    raise ValueError(kind)


DATE_FALLBACK = ("day", "year", "placeholder")


def _wrong_date(born: date, kind: str, rng: np.random.Generator) -> tuple[date, str]:
    """The error asked for if it yields a different, plausible adult birth date, else the first fallback that does."""
    for k in (kind, *DATE_FALLBACK):
        for _ in range(4):
            new = _date_error(born, k, rng)
            if _plausible(new) and new != born:
                return cast(date, new), k  # plausible: not None
    return born - timedelta(days=1), "day"


# --- name variants -------------------------------------------------------------------------------------------

TITLE_RE = re.compile(r"^(H\.|HJ\.)\s+")
DEGREE_RE = re.compile(r",\s*[A-Z.]+$")
# Spelling that sounds the same: (pattern, replacement). Applied once, at the first match.
PHONETIC = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"Y\b", "I"), (r"(?<=[^AIUEO ])I\b", "Y"), (r"(?<=[BDGKLMNPRST])Y(?=[AEOU])", "I"),
        (r"(?<=[BDGKLMNPRST])I(?=A)", "IY"), (r"KH", "H"), (r"CH", "KH"), (r"CH", "H"),
        (r"(?<=[AIUEO])H(?=M)", "KH"), (r"F", "P"), (r"(?<=[AIUEO])P(?=[AIUEO])", "F"), (r"V", "F"), (r"V", "P"),
        (r"([BCDFGKLMNPRST])\1", r"\1"), (r"(?<=[AIUEO])([LMNRST])(?=[AIUEO])", r"\1\1"), (r"AH\b", "A"),
        (r"(?<=[BDGKLMNRST])A\b", "AH"), (r"SY", "S"), (r"\bS(?=[AU])", "SY"), (r"DZ", "Z"), (r"\bZ", "DZ"),
        (r"Z", "J"), (r"Z\b", "S"), (r"AI", "AE"), (r"AE", "AI"), (r"OE", "U"), (r"DJ", "J"), (r"TJ", "C"),
        (r"TH", "T"), (r"DH", "D"), (r"(?<=[AIUEO])D(?=[AIUEO])", "DH"), (r"Q", "K"), (r"K\b", "Q"), (r"IE", "I"),
        (r"(?<=R)A(?=HM)", "O"), (r"(?<=R)O(?=HM)", "A"),
    )
)  # fmt: skip
# Morphemes at which a long word is written split (NURHAYATI / NUR HAYATI, ABDULRAHMAN / ABDUL RAHMAN).
SPLIT_AT = re.compile(
    r"^(NUR|SRI|ABDUL|SITI|MUH|SYAM|FATHUR|SAIFUL|ZAINAL)(?=[A-Z]{3})|(?<=[A-Z]{3})(SYAH|UDDIN|UDIN|WATI|YATI|NINGSIH|ANTO|IYAH)$"
)
KEYBOARD = {
    "A": "SQZ", "B": "VNG", "C": "XVD", "D": "SFE", "E": "WRD", "F": "DGR", "G": "FHT", "H": "GJY", "I": "UOK",
    "J": "HKU", "K": "JLI", "L": "KO", "M": "N", "N": "BM", "O": "IPL", "P": "O", "Q": "WA", "R": "ETF",
    "S": "ADW", "T": "RYG", "U": "YIJ", "V": "CB", "W": "QES", "X": "ZC", "Y": "TUH", "Z": "XA",
}  # fmt: skip


@dataclass
class Name:
    """A DPT name taken apart: hajj title, words, academic degree."""

    title: str
    words: list[str]
    degree: str

    @classmethod
    def parse(cls, text: str) -> Name:
        title = TITLE_RE.match(text)
        rest = text[title.end() :] if title else text
        degree = DEGREE_RE.search(rest)
        core = rest[: degree.start()] if degree else rest
        return cls(title.group(1) if title else "", core.split(), degree.group(0) if degree else "")

    def text(self) -> str:
        core = " ".join(self.words)
        return f"{self.title + ' ' if self.title else ''}{core}{self.degree}"


class Mutator:
    """The ways one person's name drifts between two rows. Each returns the changed name, or None if it cannot."""

    def __init__(self, bank: NameBank, rng: np.random.Generator) -> None:
        self.bank, self.rng = bank, rng

    def apply(self, text: str, kinds: list[str], female: bool) -> tuple[str, list[str]]:
        """Apply each kind that fits (a typo when none does): the new name and the kinds applied."""
        original = text
        done: list[str] = []
        for kind in dict.fromkeys(kinds):
            changed = getattr(self, kind)(Name.parse(text), female)
            if changed and changed != text:
                text, done = changed, [*done, kind]
        if text == original:
            text, done = self.typo(Name.parse(text), female) or text + "H", ["typo"]
        return text, done

    def _choice(self, seq: Sequence[T]) -> T:
        return seq[int(self.rng.integers(0, len(seq)))]

    def order(self, n: Name, female: bool) -> str | None:
        if len(n.words) < 2:
            return None
        w = n.words
        n.words = [w[-1], *w[:-1]] if self.rng.random() < 0.5 else [w[1], w[0], *w[2:]]
        return n.text()

    def drop(self, n: Name, female: bool) -> str | None:
        if len(n.words) < 2:
            return None
        u = self.rng.random()
        # the last word (a father's or family name) most often, then the first (MUHAMMAD, SITI), then a middle one
        i = len(n.words) - 1 if u < 0.5 else 0 if u < 0.75 or len(n.words) == 2 else -2
        del n.words[i]
        return n.text()

    def add(self, n: Name, female: bool) -> str | None:
        u, father = self.rng.random(), self.bank.one("first", False, self.rng)
        if u < 0.35:
            n.words += ["BINTI" if female else "BIN", father]
        elif u < 0.7:
            n.words.append(father)
        elif u < 0.85:
            n.words.insert(0, str(self._choice([c for c, _ in COMPOUND[female]])))
        else:
            n.words.append(self.bank.one("last", female, self.rng))
        return n.text()

    def initial(self, n: Name, female: bool) -> str | None:
        spots = [i for i, w in enumerate(n.words) if len(w) > 2 and not w.endswith(".")]
        if len(n.words) < 2 or not spots:
            return None
        i = int(self._choice(spots))
        n.words[i] = n.words[i][0] + "."
        return n.text()

    def join(self, n: Name, female: bool) -> str | None:
        if len(n.words) < 2:
            return self.split(n, female)
        i = int(self.rng.integers(0, len(n.words) - 1))
        n.words[i : i + 2] = [n.words[i].rstrip(".") + n.words[i + 1]]
        return n.text()

    def split(self, n: Name, female: bool) -> str | None:
        for i, w in enumerate(n.words):
            m = SPLIT_AT.search(w)
            if m:
                cut = m.end() if m.group(1) else m.start()
                n.words[i : i + 1] = [w[:cut], w[cut:]]
                return n.text()
        long = [i for i, w in enumerate(n.words) if len(w) >= 8]
        if not long:
            return None
        i = int(self._choice(long))
        w = n.words[i]
        n.words[i : i + 1] = [w[: len(w) // 2], w[len(w) // 2 :]]
        return n.text()

    def phonetic(self, n: Name, female: bool) -> str | None:
        core = " ".join(n.words)
        hits = [(p, r) for p, r in PHONETIC if p.search(core)]
        if not hits:
            return None
        pattern, repl = self._choice(hits)
        n.words = pattern.sub(repl, core, count=1).split()
        return n.text()

    def muhammad(self, n: Name, female: bool) -> str | None:
        names = [m for m, _ in MUHAMMADS]
        spots = [i for i, w in enumerate(n.words) if w in names]
        if not spots:
            return None
        i = spots[0]
        n.words[i] = str(self._choice([m for m in names if m != n.words[i]]))
        return n.text()

    def typo(self, n: Name, female: bool) -> str | None:
        core = " ".join(n.words)
        spots = [i for i, c in enumerate(core) if c.isalpha() and i > 0] or [0]
        i, kind = int(self._choice(spots)), int(self.rng.integers(0, 4))
        c = core[i]
        if kind == 0:  # a neighbouring key
            core = core[:i] + str(self._choice(list(KEYBOARD.get(c, "A")))) + core[i + 1 :]
        elif kind == 1 and len(core) > 4:  # a letter dropped
            core = core[:i] + core[i + 1 :]
        elif kind == 2:  # a letter doubled
            core = core[:i] + c + core[i:]
        elif i + 1 < len(core) and core[i + 1].isalpha() and core[i + 1] != c:  # two letters swapped
            core = core[:i] + core[i + 1] + c + core[i + 2 :]
        else:
            core = core[:i] + str(self._choice(list(KEYBOARD.get(c, "A")))) + core[i + 1 :]
        n.words = core.split()
        return n.text() if n.words else None

    def typo2(self, n: Name, female: bool) -> str | None:
        once = self.typo(n, female)
        return self.typo(Name.parse(once), female) if once else None

    def title(self, n: Name, female: bool) -> str | None:
        """Hajj title gained (or dropped) between two registrations."""
        n.title = "" if n.title else HAJI[female]
        return n.text()

    def degree(self, n: Name, female: bool) -> str | None:
        n.degree = "" if n.degree else ", " + str(self._choice(list(DEGREES)))
        return n.text()

    def same(self, n: Name, female: bool) -> str | None:
        return None


# --- NIK and NKK ---------------------------------------------------------------------------------------------


class NumberBook:
    """Every number issued so far in one series (NIK or NKK): a new number never collides with an old one, and its
    serial continues after the highest already issued for its region and date, as Dukcapil's do."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.issued = np.empty(0, dtype=np.int64)  # kept sorted: look-ups are binary searches

    def issue(self, keys: np.ndarray, spread: int = 30) -> np.ndarray:
        """New numbers for 10-digit keys (region + DDMMYY); people in one key get consecutive serials, in order."""
        keys = keys.astype(np.int64)
        uniq, inverse = np.unique(keys, return_inverse=True)
        start = self._highest(uniq) + 1 + self.rng.integers(0, spread, size=len(uniq))
        order = np.argsort(inverse, kind="stable")
        rank = np.empty(len(keys), dtype=np.int64)
        first = np.searchsorted(inverse[order], np.arange(len(uniq)))
        rank[order] = np.arange(len(keys)) - first[inverse[order]]
        serial = start[inverse] + rank
        if len(serial) and serial.max() > 9999:
            raise ValueError("serial overflow: too many people share a region and birth date")
        numbers = keys * 10_000 + serial
        self.add(numbers)
        return numbers

    def _highest(self, keys: np.ndarray) -> np.ndarray:
        if not len(self.issued):
            return np.zeros(len(keys), dtype=np.int64)
        have = self.issued
        have_key = have // 10_000
        pos = np.searchsorted(have_key, keys, side="right") - 1
        found = (pos >= 0) & (have_key[np.maximum(pos, 0)] == keys)
        return np.where(found, have[np.maximum(pos, 0)] % 10_000, 0)

    def add(self, numbers: np.ndarray) -> None:
        self.issued = np.sort(np.concatenate([self.issued, numbers.astype(np.int64)]))

    def taken(self, numbers: np.ndarray) -> np.ndarray:
        pos = np.minimum(np.searchsorted(self.issued, numbers), max(len(self.issued) - 1, 0))
        return (len(self.issued) > 0) & (self.issued[pos] == numbers)


def _nik_date_ok(text: str) -> bool:
    day, month, yy = int(text[6:8]), int(text[8:10]), int(text[10:12])
    day -= 40 * (day > 40)
    return _valid(2000 + yy if yy <= 24 else 1900 + yy, month, day) is not None and text[12:] != "0000"


def _nik_typo(nik: int, kind: str, prefixes: frozenset[str], rng: np.random.Generator) -> int | None:
    """A NIK keyed with one or two digits wrong or two neighbours swapped, still well-formed (the region exists,
    the date is a date): what survives the form's own checks."""
    text = str(nik)
    # The province and city digits are printed on every form of the city; clerks slip in the rest.
    spots = list(range(4, 16))
    for _ in range(12):
        if kind == "transpose":
            i = int(rng.choice(spots[:-1]))
            new = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        else:
            new = text
            for i in rng.choice(spots, size=2 if kind == "digit2" else 1, replace=False):
                new = new[:i] + str((int(new[i]) + int(rng.integers(1, 10))) % 10) + new[i + 1 :]
        if new != text and new[:6] in prefixes and _nik_date_ok(new):
            return int(new)
    return None


# --- the town ------------------------------------------------------------------------------------------------


@dataclass
class Copies:
    """Second (or third) registrations: one entry per extra row, pointing at the person it repeats."""

    person: np.ndarray
    hh: np.ndarray
    nik: np.ndarray
    name: np.ndarray
    born: np.ndarray
    female: np.ndarray
    status: np.ndarray
    birthplace: np.ndarray
    disability: np.ndarray
    tags: list[list[str]]


class Town:
    """One synthetic list for a profile: the city, its households and people, their second registrations."""

    def __init__(self, profile: Profile, voters: int, seed: int) -> None:
        if voters < 1000:
            raise ValueError("the synthetic city needs at least 1,000 voters")
        self.profile, self.voters, self.seed = profile, voters, seed
        self.rng = np.random.default_rng([seed, sum(map(ord, profile.name))])
        self.city = load_city()
        self.n_copies = round(profile.duplicate_rows * voters)
        self.persons = voters - self.n_copies
        self.bank = NameBank(profile.name_skew)
        self.niks, self.nkks = NumberBook(self.rng), NumberBook(self.rng)
        self.prefixes = valid_prefixes()
        self.negatives: list[tuple[np.ndarray, np.ndarray, str]] = []
        self.counts: Counter[str] = Counter()

    # TPS, RT and households ------------------------------------------------------------------------------------

    def layout(self) -> None:
        """TPS per kelurahan in proportion to the real counts; households fill TPS in order and never straddle two."""
        rng, city = self.rng, self.city
        n_kel = len(city.kel_code)
        self.n_tps = max(n_kel, round(self.voters * CITY_TPS / CITY_VOTERS))
        per_kel = allocate(self.n_tps, city.weight, minimum=1)
        self.tps_kel = np.repeat(np.arange(n_kel), per_kel)
        self.kel_first_tps, self.kel_tps = np.cumsum(per_kel) - per_kel, per_kel
        self.tps_no = np.arange(self.n_tps) - self.kel_first_tps[self.tps_kel] + 1
        _codes, self.kel_kec = np.unique(city.kec_code, return_inverse=True)
        self.kels_by_kec = np.argsort(self.kel_kec, kind="stable")
        self.kec_count = np.bincount(self.kel_kec)
        self.kec_first = np.cumsum(self.kec_count) - self.kec_count
        self.kel_rank = np.empty(n_kel, dtype=np.int64)
        self.kel_rank[self.kels_by_kec] = np.arange(n_kel) - self.kec_first[self.kel_kec[self.kels_by_kec]]
        sizes = rng.choice(list(VOTERS_PER_HOUSEHOLD), p=list(VOTERS_PER_HOUSEHOLD.values()), size=self.persons)
        ends = np.cumsum(sizes)
        n_hh = int(np.searchsorted(ends, self.persons)) + 1
        sizes = sizes[:n_hh]
        sizes[-1] -= ends[n_hh - 1] - self.persons
        start = np.cumsum(sizes) - sizes
        room = allocate(self.persons, np.clip(rng.normal(1.0, 0.05, self.n_tps), 0.9, TPS_ROOM))
        hh_tps = np.minimum(np.searchsorted(np.cumsum(room), start, side="right"), self.n_tps - 1)
        self.p_hh = np.repeat(np.arange(n_hh), sizes)
        self.member = np.arange(self.persons) - start[self.p_hh]
        self.hh_size = sizes
        rt = self._rts(hh_tps)
        self.hh = {"tps": hh_tps, "rt": rt, "nkk": np.zeros(n_hh, np.int64), "address": self._addresses(n_hh)}

    def _rts(self, hh_tps: np.ndarray) -> np.ndarray:
        """RT (numbered within the kelurahan) of each household: about 40 households an RT, RTs never split a TPS."""
        per_tps = np.bincount(hh_tps, minlength=self.n_tps)
        rank = np.arange(len(hh_tps)) - (np.cumsum(per_tps) - per_tps)[hh_tps]
        self.tps_rts = np.maximum(1, -(-per_tps // RT_HOUSEHOLDS))
        cum = np.cumsum(self.tps_rts) - self.tps_rts
        self.tps_rt_start = cum - cum[self.kel_first_tps][self.tps_kel]
        return self.tps_rt_start[hh_tps] + rank * self.tps_rts[hh_tps] // np.maximum(per_tps[hh_tps], 1)

    def _addresses(self, count: int) -> np.ndarray:
        rng = self.rng
        number = rng.integers(1, 150, size=count).astype(str).astype(S)
        street = np.strings.add(np.strings.add(rng.choice(np.array(STREETS, dtype=S), size=count), " NO. "), number)
        blok = np.strings.add(np.array(list("ABCDEFGH"), dtype=S)[rng.integers(0, 8, size=count)], number)
        perum = np.strings.add(np.strings.add(rng.choice(np.array(PERUMAHAN, dtype=S), size=count), " BLOK "), blok)
        kampung = rng.choice(np.array(KAMPUNG, dtype=S), size=count)
        gang = np.strings.add(np.strings.add(rng.choice(np.array(GANG, dtype=S), size=count), " NO. "), number)
        kind = rng.choice(4, p=[0.45, 0.25, 0.18, 0.12], size=count)
        return np.select([kind == 0, kind == 1, kind == 2], [street, kampung, perum], gang).astype(S)

    # people ----------------------------------------------------------------------------------------------------

    def people(self) -> None:
        """Roles (head, spouse, adult child, relative), then sex, age, marriage and birthplace that fit the role."""
        rng, n, hh = self.rng, self.persons, self.p_hh
        head_age = _ages(rng, len(self.hh_size), low=21)
        spouse = (self.member == 1) & (rng.random(n) < 0.85)
        gap = rng.integers(20, 39, size=n)
        child = (self.member >= 2) & (head_age[hh] - gap >= 17)
        role = np.select([self.member == 0, spouse, child], [0, 1, 2], 3)
        head_male = rng.random(len(self.hh_size)) < 0.80
        # daughters stay (and widowed mothers and sisters move in) more than sons: about half the voters are women
        self.female = np.select([role == 0, role == 1], [~head_male[hh], head_male[hh]], rng.random(n) < 0.6)
        age = np.select(
            [role == 0, role == 1, role == 2],
            [
                head_age[hh],
                np.clip(head_age[hh] + np.round(rng.normal(-3, 4, n)).astype(int), 17, 98),
                head_age[hh] - gap,
            ],
            _ages(rng, n, low=17, high=80),
        )
        self.role, self.age = role, age
        self.born = ADULT_CUTOFF - np.round((age - 17) * 365.2425).astype(np.int64) - rng.integers(0, 365, size=n)
        self.status = _marital(rng, role, age, self.hh_size[hh] > 1)
        self.city_of_birth = np.where(
            (role == 2) & (rng.random(n) < 0.7), 0, rng.choice(len(BIRTHPLACES), p=_birth_shares(), size=n)
        )
        self.birthplace = _spell_birthplaces(rng, self.city_of_birth)
        self.disability = np.where(rng.random(n) < 0.006, rng.choice(np.array(DISABILITIES, dtype=S), size=n), "")
        self.disability = self.disability.astype(S)
        self.used = np.zeros(n, bool)  # people already in a hard-negative pair

    def twins_and_placeholders(self) -> None:
        """Twins share a birth date and birthplace; placeholder dates replace the real one for some older people."""
        rng, n = self.rng, self.persons
        first = np.flatnonzero((self.role[:-1] == 2) & (self.role[1:] == 2) & (self.p_hh[:-1] == self.p_hh[1:]))
        first = first[self.member[first] % 2 == 0]  # members 2&3 or 4&5: pairs never overlap
        a = rng.permutation(first)[: round(self.profile.twins * n / 2)]
        b = a + 1
        self.born[b], self.status[b] = self.born[a], self.status[a]
        self.city_of_birth[b], self.birthplace[b] = self.city_of_birth[a], self.birthplace[a]
        self.twins = (a, b)
        old = np.flatnonzero((self.age >= 40) & (self.role != 2))
        chosen = rng.permutation(old)[: round(self.profile.placeholder * n)]
        year = self.born[chosen].astype("datetime64[Y]")
        july = (year.astype("datetime64[M]") + 6).astype("datetime64[D]")
        new_year_eve = (year + 1).astype("datetime64[D]") - 1
        kind = rng.choice(3, p=[0.55, 0.25, 0.2], size=len(chosen))
        self.born[chosen] = np.select([kind == 0, kind == 1], [july, new_year_eve], year.astype("datetime64[D]"))
        self.counts["placeholder_dates"] = len(chosen)
        self.used[a] = self.used[b] = True

    def names(self) -> None:
        """Given name, a middle name sometimes, a last word (free, the family's, or the father's), titles."""
        rng, p, n = self.rng, self.profile, self.persons
        female, hh = self.female, self.p_hh
        first = self.bank.sample("first", female, rng)
        middle = self.bank.sample("first", female, rng)
        last = self.bank.sample("last", female, rng)
        compound = np.where(rng.random(n) < p.compound, self._compounds(female), "").astype(S)
        compound = np.where(np.isin(first, COMPOUND_WORDS), "", compound).astype(S)
        middle = np.where(middle == first, "", middle).astype(S)
        last = np.where((last == first) | (last == middle), self.bank.sample("last", female, rng), last).astype(S)
        mono_share = np.where(self.born < np.datetime64("1965-01-01"), p.mononym_old, p.mononym_young)
        shape = rng.random(n)
        mononym, three = shape < mono_share, shape > 0.72
        family = rng.choice(3, p=[0.15, 0.25, 0.60], size=len(self.hh_size))[hh]  # surname, father's name, none
        surname = self.bank.sample("last", np.zeros(len(self.hh_size), bool), rng)[hh]
        heads = np.flatnonzero(self.member == 0)
        last = np.where((family == 0) & (self.role != 1), surname, last).astype(S)
        mononym &= ~((family == 0) & (self.role != 1))
        middle = np.where(three & ~mononym & (compound == ""), middle, "").astype(S)
        last = np.where(mononym, "", last).astype(S)
        name = _join_words(compound, first, middle, last)
        head_word = _last_word(name[heads])[hh]  # a father's name carried by his children
        patronymic = (family == 1) & (self.role == 2)
        last = np.where(patronymic, head_word, last).astype(S)
        name = _join_words(compound, first, np.where(patronymic, "", middle).astype(S), last)
        self.core = name
        self.name = self._titles(name)

    def _compounds(self, female: np.ndarray) -> np.ndarray:
        out = np.empty(len(female), dtype=S)
        out[female] = _pick(self.rng, COMPOUND[True], int(female.sum()))
        male = _pick(self.rng, COMPOUND[False], int((~female).sum()))
        spelt = _pick(self.rng, MUHAMMADS, len(male))
        out[~female] = np.where(male == "MUHAMMAD", spelt, male)
        return out

    def _titles(self, name: np.ndarray) -> np.ndarray:
        rng, n = self.rng, len(name)
        haji = (self.age >= 40) & (rng.random(n) < 0.09)
        name = np.where(haji, np.strings.add(np.where(self.female, "HJ. ", "H. ").astype(S), name), name)
        degree = (self.age >= 23) & (self.age <= 65) & (rng.random(n) < 0.04)
        suffix = np.strings.add(", ", rng.choice(np.array(DEGREES, dtype=S), size=n))
        return np.where(degree, np.strings.add(name, suffix), name).astype(S)

    # hard negatives --------------------------------------------------------------------------------------------

    def look_alikes(self) -> None:
        """Different people made to look alike: twins' names, fathers and sons, siblings, namesakes."""
        self._name_twins()
        self._juniors()
        self._similar_siblings()
        self._namesakes()

    def _name_twins(self) -> None:
        """Twins' names: one word differs (MUHAMMAD RIZKI / MUHAMMAD RIZAL), a rhyming pair, or a new given name."""
        rng = self.rng
        a, b = self.twins
        for i, j in zip(a.tolist(), b.tolist(), strict=True):
            words, female = str(self.core[i]).split(), bool(self.female[j])
            u = rng.random()
            pair = RHYMING_TWINS[int(rng.integers(0, len(RHYMING_TWINS)))]
            if u < 0.3 and self.female[i] == self.female[j]:
                self._set_core(i, [pair[0], *words[1:]])
                words = [pair[1], *words[1:]]
            else:
                k = 1 if len(words) >= 3 and u < 0.65 else 0
                words[k] = self._another_first(words[k], female)
            self._set_core(j, words)
        self.negatives.append((a, b, "twin"))

    def _another_first(self, word: str, female: bool) -> str:
        for _ in range(10):
            other = self.bank.one("first", female, self.rng)
            if other != word:
                return other
        return word + "A"

    def _juniors(self) -> None:
        """A son with his father's full name (no hajj title or degree: those are the father's)."""
        hh, role = self.p_hh, self.role
        heads = np.flatnonzero((self.member == 0) & ~self.female)
        sons = np.flatnonzero((role == 2) & ~self.female & ~self.used)
        sons = sons[np.unique(hh[sons], return_index=True)[1]]  # the first son of each household
        father = heads[np.minimum(np.searchsorted(hh[heads], hh[sons]), len(heads) - 1)] if len(heads) else sons
        ok = (hh[father] == hh[sons]) & ~self.used[father]
        pick = self.rng.permutation(np.flatnonzero(ok))[: round(self.profile.juniors * self.persons)]
        father, sons = father[pick], sons[pick]
        self.name[sons] = self.core[sons] = self.core[father]
        self.used[father] = self.used[sons] = True
        self.negatives.append((father, sons, "father_son"))

    def _similar_siblings(self) -> None:
        """Two adult children whose given names share their first letters (ARIF/ARIS) and whose last word is the
        same; some are written "... BIN/BINTI <father>"."""
        rng = self.rng
        first = np.flatnonzero((self.role[:-1] == 2) & (self.role[1:] == 2) & (self.p_hh[:-1] == self.p_hh[1:]))
        first = first[~self.used[first] & ~self.used[first + 1] & (self.member[first] % 2 == 0)]
        kept = []
        for i in rng.permutation(first)[: round(self.profile.similar_siblings * self.persons)].tolist():
            j, words = i + 1, str(self.core[i]).split()
            alike = self.bank.alike(words[0], bool(self.female[j]), rng)
            if alike is None:
                continue
            if len(words) == 1 or rng.random() < 0.3:
                father = str(self.core[i - self.member[i]]).split()[-1]
                self._set_core(i, [words[0], _bin(self.female[i]), father])
                words = [words[0], _bin(self.female[j]), father]
            self._set_core(j, [alike, *words[1:]])
            kept.append(i)
        a = np.array(kept, dtype=np.int64)
        self.used[a] = self.used[a + 1] = True
        self.negatives.append((a, a + 1, "sibling"))

    def _set_core(self, i: int, words: list[str]) -> None:
        self.name[i] = self.core[i] = " ".join(words)

    def _namesakes(self) -> None:
        """Unrelated people of one sex given one name and one birth date, living in two kelurahan. The second of
        each pair lives alone or as a relative, so the new birth date breaks no family's arithmetic."""
        rng, n = self.rng, self.persons
        want = round(self.profile.namesakes * n)
        kel = self.tps_kel[self.hh["tps"][self.p_hh]]
        loose = (self.role == 3) | (self.hh_size[self.p_hh] == 1)
        a_pool = rng.permutation(np.flatnonzero(~self.used & ~loose))
        b_pool = rng.permutation(np.flatnonzero(~self.used & loose))
        size = min(len(a_pool), len(b_pool))
        a, b = a_pool[:size], b_pool[:size]
        ok = (kel[a] != kel[b]) & (self.female[a] == self.female[b])
        a, b = a[ok][:want], b[ok][:want]
        self.name[b], self.core[b], self.born[b] = self.core[a], self.core[a], self.born[a]
        self.used[a] = self.used[b] = True
        self.namesake_pairs = (a, b)
        self.negatives.append((a, b, "namesake"))

    # numbers ---------------------------------------------------------------------------------------------------

    def numbers(self) -> None:
        """NIK by where each person was first registered (mostly their kecamatan) and NKK per household."""
        rng, n = self.rng, self.persons
        home = self.city.kec_code[self.tps_kel[self.hh["tps"][self.p_hh]]].astype(np.int64)
        city_codes = np.unique(self.city.kec_code).astype(np.int64)
        prefix = np.where(rng.random(n) < 0.10, rng.choice(city_codes, size=n), home)  # moved within the city
        outside = rng.random(n) < self.profile.outside_nik
        prefix[outside] = self._outside_prefixes(int(outside.sum()))
        a, b = self.twins
        prefix[b] = prefix[a]  # registered together: one region, consecutive serials
        sa, sb = self.namesake_pairs
        same = rng.random(len(sa)) < 0.5  # half of the namesakes were born in one kecamatan: NIKs a serial apart
        prefix[sb[same]] = prefix[sa[same]]
        self.nik = self.niks.issue(prefix * 1_000_000 + _ddmmyy(self.born, self.female))
        n_hh = len(self.hh_size)
        hh_home = self.city.kec_code[self.tps_kel[self.hh["tps"]]].astype(np.int64)
        u = rng.random(n_hh)
        hh_prefix = np.where(u < 0.07, rng.choice(city_codes, size=n_hh), hh_home)
        hh_prefix[u > 0.92] = self._outside_prefixes(int((u > 0.92).sum()))
        self.hh["nkk"] = self._new_nkks(hh_prefix, np.datetime64("2004-01-01"), 7600)

    def _new_nkks(self, prefix: np.ndarray, since: np.datetime64, days: int) -> np.ndarray:
        issued = since + self.rng.integers(0, days, size=len(prefix))
        return self.nkks.issue(prefix.astype(np.int64) * 1_000_000 + _ddmmyy(issued, np.zeros(len(prefix), bool)))

    def _outside_prefixes(self, count: int) -> np.ndarray:
        """Kecamatan codes elsewhere: Banten, Jakarta, West, Central and East Java, Sumatra, by share."""
        shares = {
            "36": 0.25,
            "31": 0.33,
            "32": 0.2,
            "33": 0.1,
            "34": 0.02,
            "35": 0.04,
            "12": 0.02,
            "13": 0.02,
            "18": 0.02,
        }
        pools = {
            pv: np.array(sorted(p for p in self.prefixes if p[:2] == pv and not p.startswith("3671")), dtype=np.int64)
            for pv in shares
        }
        province = self.rng.choice(list(shares), p=_norm(np.array(list(shares.values()))), size=count)
        out = np.zeros(count, dtype=np.int64)
        for pv, pool in pools.items():
            mask = province == pv
            out[mask] = self.rng.choice(pool, size=int(mask.sum()))
        return out

    # second registrations --------------------------------------------------------------------------------------

    def duplicates(self) -> None:
        """Choose the people registered again (a few three times) and let each maker write their extra rows."""
        rng, p = self.rng, self.profile
        triples = round(self.n_copies * p.triple_share / (1 + p.triple_share))
        sources = rng.permutation(self.persons)[: self.n_copies - triples]
        sources = np.concatenate([sources, sources[:triples]])
        makers = _spread(rng, len(sources), dict(p.makers))
        self.mutator = Mutator(self.bank, rng)
        parts = []
        for maker, _share in p.makers:
            src = sources[makers == maker]
            parts.append(getattr(self, f"_make_{maker}")(src))
            self.counts[f"maker_{maker}"] = len(src)
        self.copies = _concat_copies(parts)

    def _copy(self, src: np.ndarray) -> Copies:
        return Copies(
            person=src.copy(),
            hh=self.p_hh[src].copy(),
            nik=self.nik[src].copy(),
            name=self.name[src].copy(),
            born=self.born[src].copy(),
            female=self.female[src].copy(),
            status=self.status[src].copy(),
            birthplace=self.birthplace[src].copy(),
            disability=self.disability[src].copy(),
            tags=[[] for _ in range(len(src))],
        )

    def _make_klerikal(self, src: np.ndarray) -> Copies:
        """The same person keyed twice by a clerk: 0-3 kinds of error, mostly in the same kelurahan."""
        rng, c = self.rng, self._copy(src)
        place = _spread(rng, len(src), {"same_tps": 0.4, "same_kel": 0.4, "other_kel": 0.2})
        self._relocate(c, place, keep_nkk=0.5)
        kinds = _choose_kinds(rng, len(src), {"dob": 0.32, "name": 0.38, "nik": 0.18, "sex": 0.12})
        dob = kinds["dob"]
        self._dates(c, dob, _spread(rng, int(dob.sum()), DOB_ERRORS))
        c.female[kinds["sex"]] = ~c.female[kinds["sex"]]
        _tag(c, kinds["sex"], "sex")
        name = np.flatnonzero(kinds["name"])
        first = _spread(rng, len(name), NAME_ERRORS)
        second = _spread(rng, len(name), NAME_ERRORS)
        self._rename(
            c, name, [[str(a), str(b)] if rng.random() < 0.25 else [str(a)] for a, b in zip(first, second, strict=True)]
        )
        nik = np.flatnonzero(kinds["nik"])
        self._nik_errors(c, nik, _spread(rng, len(nik), {"digit": 0.4, "digit2": 0.2, "transpose": 0.25, "new": 0.15}))
        rekey = (dob | kinds["sex"]) & ~kinds["nik"] & (rng.random(len(src)) < 0.25)  # Dukcapil issued a second NIK
        self._reissue(c, np.flatnonzero(rekey), "nik_new_from_error", keep_region=True)
        return c

    def _make_pindah(self, src: np.ndarray) -> Copies:
        """A mover registered again where they live now: new KK and address, usually a new NIK."""
        rng, c, n = self.rng, self._copy(src), len(src)
        place = _spread(rng, n, {"other_kec": 0.55, "other_kel": 0.30, "same_kel": 0.15})
        self._relocate(c, place, keep_nkk=0.0, join=0.3)
        mode = _spread(rng, n, {"same": 0.35, "new": 0.45, "outside": 0.10, "from_error": 0.10})
        wrong = (mode == "from_error") | ((mode != "from_error") & (rng.random(n) < 0.06))
        self._dates(
            c, wrong, _spread(rng, int(wrong.sum()), {"day": 0.35, "swap": 0.25, "placeholder": 0.25, "year": 0.15})
        )
        self._reissue(c, np.flatnonzero(mode == "new"), "nik_new", keep_region=False)
        self._reissue(c, np.flatnonzero(mode == "outside"), "nik_new_outside", keep_region=False, outside=True)
        self._reissue(c, np.flatnonzero(mode == "from_error"), "nik_new_from_error", keep_region=False)
        self._respell_birthplace(c, rng.random(n) < 0.6)
        names = _spread(
            rng, n, {"same": 0.45, "title": 0.2, "degree": 0.08, "phonetic": 0.12, "join": 0.07, "typo": 0.08}
        )
        # a hajj title or a degree is gained by adults only; the young get a spelling instead
        young = self.age[c.person] < np.where(names == "title", 30, 22)
        names = np.where(np.isin(names, np.array(["title", "degree"], dtype=S)) & young, "phonetic", names)
        self._rename(c, np.arange(n), [[str(k)] for k in names])
        married = (c.status == "B") & (rng.random(n) < 0.5) & (self.age[c.person] < 35)
        widowed = (c.status == "S") & (rng.random(n) < 0.1) & (self.age[c.person] >= 50)
        c.status = np.where(married, "S", np.where(widowed, "P", c.status)).astype(S)
        _tag(c, married | widowed, "status")
        return c

    def _make_ringan(self, src: np.ndarray) -> Copies:
        """An ordinary second row with mild variation: a spelling of MUHAMMAD, a typo, a date a day off."""
        rng, c, n = self.rng, self._copy(src), len(src)
        place = _spread(rng, n, {"same_tps": 0.5, "same_kel": 0.35, "other_kel": 0.15})
        self._relocate(c, place, keep_nkk=0.7)
        nik = _spread(rng, n, {"same": 0.7, "digit": 0.15, "transpose": 0.1, "new": 0.05})
        changed = np.flatnonzero(nik != "same")
        self._nik_errors(c, changed, nik[changed])
        names = _spread(rng, n, {"same": 0.45, "spelling": 0.25, "join": 0.1, "typo": 0.15, "initial": 0.05})
        has_muhammad = np.array([any(w in MUHAMMAD_WORDS for w in str(x).split()) for x in c.name])
        names = np.where(names == "spelling", np.where(has_muhammad, "muhammad", "phonetic"), names)
        self._rename(c, np.arange(n), [[str(k)] for k in names])
        dob = _spread(rng, n, {"same": 0.85, "day": 0.05, "swap": 0.05, "year": 0.05})
        self._dates(c, dob != "same", dob[dob != "same"])
        return c

    # the mechanisms, each on the chosen rows of a batch of copies ------------------------------------------------

    def _relocate(self, c: Copies, place: np.ndarray, keep_nkk: float, join: float = 0.0) -> None:
        """Move copies to another TPS (same kelurahan), kelurahan (same kecamatan) or kecamatan; a moved copy gets
        a household of its own (keeping the KK number sometimes), or joins one already living there."""
        rng = self.rng
        src_tps = self.hh["tps"][c.hh]
        target = self._target_tps(src_tps, place)
        moved = np.flatnonzero(place != "same_tps")
        n = len(moved)
        keep = rng.random(n) < keep_nkk
        nkk = np.where(keep, self.hh["nkk"][c.hh[moved]], 0)
        fresh = ~keep
        prefix = self.city.kec_code[self.tps_kel[target[moved[fresh]]]].astype(np.int64)
        nkk[fresh] = self._new_nkks(prefix, np.datetime64("2019-01-01"), 2100)
        address = np.where(keep & (rng.random(n) < 0.5), self.hh["address"][c.hh[moved]], self._addresses(n)).astype(S)
        rt = self.tps_rt_start[target[moved]] + rng.integers(0, self.tps_rts[target[moved]])
        c.hh[moved] = self._add_households(target[moved], rt, nkk, address)
        joins = moved[rng.random(n) < join]
        c.hh[joins] = self._household_at(target[joins])
        for tags, p in zip(c.tags, place.tolist(), strict=True):
            tags.append(p)

    def _target_tps(self, tps: np.ndarray, place: np.ndarray) -> np.ndarray:
        """Another TPS of the same kelurahan, or any TPS of another kelurahan (same or other kecamatan)."""
        rng, kel = self.rng, self.tps_kel[tps]
        first, count = self.kel_first_tps[kel], self.kel_tps[kel]
        same_kel = first + (tps - first + rng.integers(1, np.maximum(count, 2))) % count
        dest = np.select(
            [place == "other_kel", place == "other_kec"], [self._other_kel(kel), self._other_kec(kel)], kel
        )
        any_tps = self.kel_first_tps[dest] + rng.integers(0, self.kel_tps[dest])
        return np.select([place == "same_tps", place == "same_kel"], [tps, same_kel], any_tps)

    def _other_kel(self, kel: np.ndarray) -> np.ndarray:
        k = self.kel_kec[kel]
        count = self.kec_count[k]
        rank = (self.kel_rank[kel] + self.rng.integers(1, np.maximum(count, 2))) % count
        return self.kels_by_kec[self.kec_first[k] + rank]

    def _other_kec(self, kel: np.ndarray) -> np.ndarray:
        n_kec = len(self.kec_count)
        k = (self.kel_kec[kel] + self.rng.integers(1, n_kec, len(kel))) % n_kec
        return self.kels_by_kec[self.kec_first[k] + self.rng.integers(0, self.kec_count[k])]

    def _add_households(self, tps: np.ndarray, rt: np.ndarray, nkk: np.ndarray, address: np.ndarray) -> np.ndarray:
        start = len(self.hh["tps"])
        for key, value in (("tps", tps), ("rt", rt), ("nkk", nkk), ("address", address)):
            self.hh[key] = np.concatenate([self.hh[key], value]).astype(self.hh[key].dtype)
        return np.arange(start, start + len(tps))

    def _household_at(self, tps: np.ndarray) -> np.ndarray:
        """A random original household of each TPS (households are stored in TPS order)."""
        base = self.hh["tps"][: len(self.hh_size)]
        first = np.searchsorted(base, tps)
        count = np.searchsorted(base, tps, side="right") - first
        return np.where(count > 0, first + self.rng.integers(0, 1 << 30, len(tps)) % np.maximum(count, 1), first)

    def _dates(self, c: Copies, rows: np.ndarray, kinds: np.ndarray) -> None:
        """Birth-date errors on the chosen rows (a boolean mask or indices) of a batch."""
        rows = np.flatnonzero(rows) if rows.dtype == bool else rows
        kinds = self._swaps_where_possible(c.born[rows], kinds)
        for i, kind in zip(rows.tolist(), kinds.tolist(), strict=True):
            new, done = _wrong_date(c.born[i].astype(object), str(kind), self.rng)
            c.born[i] = np.datetime64(new)
            c.tags[i].append(f"dob_{done}")

    def _swaps_where_possible(self, born: np.ndarray, kinds: np.ndarray) -> np.ndarray:
        """Give the day/month swaps to the dates that can take one (day 12 or less, not equal to the month), so the
        swap's share does not shrink to the dates that happen to allow it."""
        _year, month, day = _ymd(born)
        can = self.rng.permutation(np.flatnonzero((day <= 12) & (day != month)))
        swaps = int((kinds == "swap").sum())
        out = np.empty(len(kinds), dtype=S)
        out[can[:swaps]] = "swap"
        rest = np.setdiff1d(np.arange(len(kinds)), can[:swaps])
        out[rest] = np.concatenate([kinds[kinds != "swap"], np.full(swaps - len(can[:swaps]), "swap", dtype=S)])
        return out

    def _rename(self, c: Copies, rows: np.ndarray, kinds: list[list[str]]) -> None:
        for i, wanted in zip(rows.tolist(), kinds, strict=True):
            if wanted == ["same"]:
                continue
            c.name[i], done = self.mutator.apply(str(c.name[i]), wanted, bool(c.female[i]))
            c.tags[i].extend(f"name_{k}" for k in done)

    def _nik_errors(self, c: Copies, rows: np.ndarray, kinds: np.ndarray) -> None:
        """Mistyped NIKs that stay well-formed and hit nobody else's; ``new`` is a second NIK issued properly."""
        self._reissue(c, rows[kinds == "new"], "nik_new", keep_region=True)
        pending = list(zip(rows[kinds != "new"].tolist(), kinds[kinds != "new"].tolist(), strict=True))
        for _ in range(4):  # a typo that lands on someone's NIK is typed again
            if not pending:
                return
            typed = [_nik_typo(int(c.nik[i]), str(k), self.prefixes, self.rng) or 0 for i, k in pending]
            numbers = np.array(typed, dtype=np.int64)
            repeated = np.ones(len(numbers), bool)
            repeated[np.unique(numbers, return_index=True)[1]] = False
            bad = (numbers == 0) | repeated | self.niks.taken(numbers)
            for (i, k), number, b in zip(pending, typed, bad.tolist(), strict=True):
                if not b:
                    c.nik[i] = number
                    c.tags[i].append(f"nik_{k}")
            self.niks.add(numbers[~bad])
            pending = [x for x, b in zip(pending, bad.tolist(), strict=True) if b]

    def _reissue(self, c: Copies, rows: np.ndarray, tag: str, keep_region: bool, outside: bool = False) -> None:
        """A second NIK from the row's own (maybe wrong) birth date and sex: the old region, the kecamatan the copy
        lives in now, or one outside the city."""
        if not len(rows):
            return
        if outside:
            prefix = self._outside_prefixes(len(rows))
        elif keep_region:
            prefix = c.nik[rows] // 10**10
        else:
            prefix = self.city.kec_code[self.tps_kel[self.hh["tps"][c.hh[rows]]]].astype(np.int64)
        c.nik[rows] = self.niks.issue(prefix * 1_000_000 + _ddmmyy(c.born[rows], c.female[rows]), spread=5)
        for i in rows.tolist():
            c.tags[i].append(tag)

    def _respell_birthplace(self, c: Copies, rows: np.ndarray) -> None:
        city = self.city_of_birth[c.person[rows]]
        respelt = _spell_birthplaces(self.rng, city)
        changed = respelt != c.birthplace[rows]
        idx = np.flatnonzero(rows)
        c.birthplace[idx] = respelt
        _tag(c, np.isin(np.arange(len(c.person)), idx[changed]), "birthplace")

    # output ----------------------------------------------------------------------------------------------------

    def rows(self) -> dict[str, np.ndarray]:
        """Every registration as columns: the originals, then the copies."""
        c = self.copies
        return {
            "person": np.concatenate([np.arange(self.persons), c.person]),
            "hh": np.concatenate([self.p_hh, c.hh]),
            "nik": np.concatenate([self.nik, c.nik]),
            "name": np.concatenate([self.name, c.name]).astype(S),
            "born": np.concatenate([self.born, c.born]),
            "female": np.concatenate([self.female, c.female]),
            "status": np.concatenate([self.status, c.status]).astype(S),
            "birthplace": np.concatenate([self.birthplace, c.birthplace]).astype(S),
            "disability": np.concatenate([self.disability, c.disability]).astype(S),
        }

    def write(self, out: Path) -> dict:
        row = self.rows()
        hh = row["hh"]
        tps = self.hh["tps"][hh]
        kel = self.tps_kel[tps]
        rt_index = self.hh["rt"][hh]
        order = np.lexsort((row["person"], hh, rt_index, self.tps_no[tps], kel))
        position = np.empty(len(order), dtype=np.int64)
        position[order] = np.arange(1, len(order) + 1)
        row = {k: v[order] for k, v in row.items()}
        dpt = self._dpt(row, kel[order], tps[order], rt_index[order])
        truth, problems = _truth(row)
        self.counts["households_used"] = len(np.unique(row["hh"]))
        per_tps = np.bincount(tps, minlength=self.n_tps)
        if per_tps.max() > MAX_PER_TPS:
            raise ValueError(f"a TPS got {per_tps.max()} voters")
        out.mkdir(parents=True, exist_ok=True)
        options = pacsv.WriteOptions(quoting_style="needed")
        pacsv.write_csv(dpt, out / "dpt.csv", options)
        pacsv.write_csv(truth, out / "truth.csv", options)
        pairs = self._pairs(position)
        pacsv.write_csv(pairs, out / "pairs.csv", options)
        negatives = self._negatives(position)
        pacsv.write_csv(negatives, out / "hard_negatives.csv", options)
        summary = self._summary(problems, pairs, negatives, per_tps)
        (out / "generate.json").write_text(json.dumps(summary, indent=2))
        return summary

    def _dpt(self, row: dict[str, np.ndarray], kel: np.ndarray, tps: np.ndarray, rt_index: np.ndarray) -> pa.Table:
        city, count = self.city, len(kel)
        return pa.table(
            {
                "id": pa.array(np.arange(1, count + 1)),
                "nkk": pa.array(self.hh["nkk"][row["hh"]].astype(str)),
                "nik": pa.array(row["nik"].astype(str)),
                "nama": pa.array(row["name"]),
                "tempat_lahir": pa.array(row["birthplace"]),
                "tanggal_lahir": pc.strftime(pa.array(row["born"].astype("datetime64[s]")), "%d-%m-%Y"),
                "jenis_kelamin": pa.array(np.where(row["female"], "P", "L")),
                "status_kawin": pa.array(row["status"]),
                "alamat": pa.array(self.hh["address"][row["hh"]]),
                "rt": pa.array(np.char.zfill((rt_index % RT_PER_RW + 1).astype(str), 3)),
                "rw": pa.array(np.char.zfill((rt_index // RT_PER_RW + 1).astype(str), 3)),
                "disabilitas": pa.array(row["disability"]),
                "keterangan": pa.array(np.full(count, "")),
                "kode_kelurahan": pa.array(city.kel_code[kel]),
                "kelurahan": pa.array(city.kel_name[kel]),
                "kecamatan": pa.array(city.kec_name[kel]),
                "tps": pa.array(np.char.zfill(self.tps_no[tps].astype(str), 3)),
            }
        )

    def _pairs(self, position: np.ndarray) -> pa.Table:
        """Each copy with its person's original row; two copies of one person with each other."""
        c, base = self.copies, self.persons
        label = np.array([_label(t) for t in c.tags], dtype=object)
        ids_a = [position[c.person]]
        ids_b = [position[base + np.arange(len(c.person))]]
        labels = [label]
        order = np.argsort(c.person, kind="stable")
        same = np.flatnonzero(c.person[order][1:] == c.person[order][:-1])
        x, y = order[same], order[same + 1]
        ids_a.append(position[base + x])
        ids_b.append(position[base + y])
        labels.append(
            np.array([_label(["copy_copy", *c.tags[i], *c.tags[j]]) for i, j in zip(x, y, strict=True)], dtype=object)
        )
        a, b, m = np.concatenate(ids_a), np.concatenate(ids_b), np.concatenate(labels)
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        keep = np.lexsort((hi, lo))
        return pa.table({"id_a": lo[keep], "id_b": hi[keep], "mechanism": pa.array(m[keep].tolist(), pa.string())})

    def _negatives(self, position: np.ndarray) -> pa.Table:
        return negatives_table(self.negatives, position)

    def _summary(self, problems: dict[str, int], pairs: pa.Table, negatives: pa.Table, per_tps: np.ndarray) -> dict:
        tags = Counter(t for m in pairs["mechanism"].to_pylist() for t in m.split("+"))
        return {
            "profile": self.profile.name,
            "voters": self.voters,
            "persons": self.persons,
            "seed": self.seed,
            "tps": self.n_tps,
            "kelurahan": len(np.unique(self.tps_kel)),
            "households": self.counts["households_used"],
            "largest_tps": int(per_tps.max()),
            "duplicate_rows": len(self.copies.person),
            "duplicate_persons": len(np.unique(self.copies.person)),
            "pairs": pairs.num_rows,
            "problems": dict(sorted(problems.items())),
            "mechanisms": dict(sorted(tags.items())),
            "hard_negatives": dict(sorted(Counter(negatives["kind"].to_pylist()).items())),
            "counts": dict(sorted(self.counts.items())),
            "rates": asdict(self.profile),
        }


# --- module helpers ------------------------------------------------------------------------------------------

DOB_ERRORS = {"swap": 0.22, "day": 0.2, "year": 0.18, "digit": 0.15, "transpose": 0.1, "placeholder": 0.15}
NAME_ERRORS = {
    "order": 0.12, "drop": 0.14, "add": 0.12, "initial": 0.1, "join": 0.07, "split": 0.05, "phonetic": 0.22,
    "typo": 0.12, "typo2": 0.06,
}  # fmt: skip


def negatives_table(negatives: list[tuple[np.ndarray, np.ndarray, str]], position: np.ndarray) -> pa.Table:
    """``hard_negatives.csv``'s rows: each (persons a, persons b, kind) as row ids (``position`` of each person),
    the smaller id first, sorted."""
    a = np.concatenate([x[0] for x in negatives]).astype(np.int64)
    b = np.concatenate([x[1] for x in negatives]).astype(np.int64)
    kind = np.concatenate([np.full(len(x[0]), x[2]) for x in negatives])
    lo, hi = np.minimum(position[a], position[b]), np.maximum(position[a], position[b])
    keep = np.lexsort((hi, lo))
    return pa.table({"id_a": lo[keep], "id_b": hi[keep], "kind": pa.array(kind[keep].astype(str))})


def truth_table(person: np.ndarray, nik: np.ndarray) -> tuple[pa.Table, dict[str, int]]:
    """``truth.csv`` of a separate profile (profile_arsip, profile_lapangan) from each row's person and NIK:
    PEMILIH_GANDA, a person on more than one row; NIK_GANDA, a (non-blank) NIK on more than one row."""
    _, person_inv, person_n = np.unique(person, return_inverse=True, return_counts=True)
    _, nik_inv, nik_n = np.unique(nik, return_inverse=True, return_counts=True)
    ganda = person_n[person_inv] > 1
    dup_nik = (nik_n[nik_inv] > 1) & (np.strings.str_len(nik) > 0)
    problems = np.where(
        ganda & dup_nik, "NIK_GANDA;PEMILIH_GANDA",
        np.where(ganda, "PEMILIH_GANDA", np.where(dup_nik, "NIK_GANDA", "")),
    )  # fmt: skip
    table = pa.table(
        {
            "id": pa.array(np.arange(1, len(ganda) + 1)),
            "person_id": pa.array(person + 1),
            "problems": pa.array(problems),
        }
    )
    return table, {"NIK_GANDA": int(dup_nik.sum()), "PEMILIH_GANDA": int(ganda.sum())}


def write_separate(
    out: Path, city: City, rows: dict[str, np.ndarray], pairs: pa.Table, negatives: pa.Table
) -> dict[str, int]:
    """Write a separate profile's (profile_arsip, profile_lapangan) ``dpt.csv``, ``truth.csv``, ``pairs.csv`` and
    ``hard_negatives.csv`` to ``out``, in the columns and quoting both have always written (a frozen profile's files
    must not change). ``rows`` holds each row's fields in the list's order: person, nkk, nik, nama, tempat_lahir,
    born (days since 1970), female, status_kawin, alamat, rt, rw, disabilitas, kel (the city's index), tps_no.
    Returns the counts of truth.csv's problems."""
    count = len(rows["person"])
    born = pa.array(rows["born"].astype("datetime64[D]").astype("datetime64[s]"))
    dpt = pa.table(
        {
            "id": pa.array(np.arange(1, count + 1)),
            "nkk": pa.array(rows["nkk"].astype(str)),
            "nik": pa.array(rows["nik"]),
            "nama": pa.array(rows["nama"]),
            "tempat_lahir": pa.array(rows["tempat_lahir"]),
            "tanggal_lahir": pc.strftime(born, "%d-%m-%Y"),
            "jenis_kelamin": pa.array(np.where(rows["female"], "P", "L")),
            "status_kawin": pa.array(rows["status_kawin"]),
            "alamat": pa.array(rows["alamat"]),
            "rt": pa.array(np.char.zfill(rows["rt"].astype(str), 3)),
            "rw": pa.array(np.char.zfill(rows["rw"].astype(str), 3)),
            "disabilitas": pa.array(rows["disabilitas"]),
            "keterangan": pa.array(np.full(count, "")),
            "kode_kelurahan": pa.array(city.kel_code[rows["kel"]]),
            "kelurahan": pa.array(city.kel_name[rows["kel"]]),
            "kecamatan": pa.array(city.kec_name[rows["kel"]]),
            "tps": pa.array(np.char.zfill(rows["tps_no"].astype(str), 3)),
        }
    )
    truth, problems = truth_table(rows["person"], rows["nik"])
    out.mkdir(parents=True, exist_ok=True)
    options = pacsv.WriteOptions(quoting_style="needed")
    for name, table in (("dpt", dpt), ("truth", truth), ("pairs", pairs), ("hard_negatives", negatives)):
        pacsv.write_csv(table, out / f"{name}.csv", options)
    return problems


def tag_counts(pairs: pa.Table) -> dict[str, int]:
    """How many pairs of ``pairs.csv`` carry each mechanism (a pair's mechanisms are joined by +)."""
    return dict(sorted(Counter(t for m in pairs["mechanism"].to_pylist() for t in m.split("+")).items()))


def kind_counts(negatives: pa.Table) -> dict[str, int]:
    """How many look-alike pairs of ``hard_negatives.csv`` are of each kind."""
    return dict(sorted(Counter(negatives["kind"].to_pylist()).items()))


def _ages(rng: np.random.Generator, count: int, low: int, high: int = 95) -> np.ndarray:
    """Ages shaped like Indonesia's adults: flat to 50, then thinning out."""
    ages = np.arange(low, high + 1)
    weight = np.where(ages < 50, 1.0, np.maximum(0.03, 1.0 - (ages - 50) / 42))
    weight = np.where(ages < 25, weight * (0.5 + (ages - low) / 16), weight) if low >= 21 else weight
    return rng.choice(ages, p=_norm(weight), size=count)


def _marital(rng: np.random.Generator, role: np.ndarray, age: np.ndarray, has_household: np.ndarray) -> np.ndarray:
    """B (single), S (married), P (widowed or divorced), by role and age."""
    u = rng.random(len(role))
    single = np.select([age < 25, age < 35, age < 55], [0.85, 0.45, 0.15], 0.05)
    widowed = np.where(age >= 50, np.minimum(0.5, (age - 45) * 0.012), 0.02)
    status = np.where(u < single, "B", np.where(u < single + widowed, "P", "S"))
    alone_head = (role == 0) & ~has_household
    married_role = (role == 1) | ((role == 0) & has_household & (u > 0.08))
    status = np.where(married_role, "S", status)
    return np.where(alone_head & (age >= 60) & (u < 0.6), "P", status).astype(S)


def _birth_shares() -> np.ndarray:
    return _norm(np.array([b[1] for b in BIRTHPLACES]))


def _spell_birthplaces(rng: np.random.Generator, city: np.ndarray) -> np.ndarray:
    out = np.empty(len(city), dtype=S)
    for i, (_name, _share, spellings) in enumerate(BIRTHPLACES):
        mask = city == i
        out[mask] = _pick(rng, spellings, int(mask.sum()))
    return out


def _last_word(names: np.ndarray) -> np.ndarray:
    return np.strings.rpartition(names.astype(S), np.array(" ", dtype=S))[2].astype(S)


def _bin(female: bool | np.bool_) -> str:
    return "BINTI" if female else "BIN"


def _choose_kinds(rng: np.random.Generator, count: int, weights: dict[str, float]) -> dict[str, np.ndarray]:
    """For each copy 0-3 kinds of error (10/45/32/13 %), drawn by weight without replacement."""
    how_many = _spread(rng, count, {"0": 0.10, "1": 0.45, "2": 0.32, "3": 0.13}).astype(np.int64)
    w = np.array(list(weights.values()))
    keys = rng.random((count, len(w))) ** (1 / w)  # Efraimidis-Spirakis: the largest keys are a weighted sample
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    chosen = rank < how_many[:, None]
    return {k: chosen[:, i] for i, k in enumerate(weights)}


def _tag(c: Copies, mask: np.ndarray, tag: str) -> None:
    for i in np.flatnonzero(mask).tolist():
        c.tags[i].append(tag)


def _label(tags: list[str]) -> str:
    """Place first, then what else differs, sorted: ``other_kel+dob_swap+nik_new``; ``exact`` when nothing does."""
    places = ("same_tps", "same_kel", "other_kel", "other_kec")
    place = [t for t in places if t in tags][:1]
    rest = sorted({t for t in tags if t not in places})
    return "+".join(place + (rest or ["exact"]))


def _concat_copies(parts: list[Copies]) -> Copies:
    fields = [f for f in Copies.__dataclass_fields__ if f != "tags"]
    merged = {f: np.concatenate([getattr(p, f) for p in parts]) for f in fields}
    return Copies(**merged, tags=[t for p in parts for t in p.tags])


def _truth(row: dict[str, np.ndarray]) -> tuple[pa.Table, dict[str, int]]:
    """PEMILIH_GANDA: a person on more than one row. NIK_GANDA: a NIK on more than one row."""
    _, person_inv, person_n = np.unique(row["person"], return_inverse=True, return_counts=True)
    _, nik_inv, nik_n = np.unique(row["nik"], return_inverse=True, return_counts=True)
    ganda, nik = person_n[person_inv] > 1, nik_n[nik_inv] > 1
    problems = np.where(
        ganda & nik, "NIK_GANDA;PEMILIH_GANDA", np.where(ganda, "PEMILIH_GANDA", np.where(nik, "NIK_GANDA", ""))
    )
    table = pa.table(
        {
            "id": pa.array(np.arange(1, len(ganda) + 1)),
            "person_id": pa.array(row["person"] + 1),
            "problems": pa.array(problems),
        }
    )
    return table, {"NIK_GANDA": int(nik.sum()), "PEMILIH_GANDA": int(ganda.sum())}


def generate_profile(
    profile: str, voters: int, seed: int, out: Path, progress: Callable[[str], None] | None = None
) -> dict:
    """Write ``dpt.csv``, ``truth.csv``, ``pairs.csv``, ``hard_negatives.csv`` and ``generate.json`` to ``out``."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}: one of {', '.join(PROFILES)}")
    say = progress or (lambda _s: None)
    town = Town(PROFILES[profile], voters, seed)
    say("persons")
    town.layout()
    town.people()
    town.twins_and_placeholders()
    town.names()
    town.look_alikes()
    town.numbers()
    say("problems")
    town.duplicates()
    say("write")
    return town.write(Path(out))
