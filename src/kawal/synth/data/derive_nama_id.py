"""Derive ``nama_id.csv`` (ranked Indonesian first and last names) from the names-dataset package.

Run once by hand, never at run time (kawal does not depend on names-dataset; it needs ~1 GiB and 10 s):

    .venv/bin/pip install names-dataset==3.3.1
    .venv/bin/python src/kawal/synth/data/derive_nama_id.py

names-dataset 3.3.1 (Philippe Remy; PyPI metadata says MIT, the LICENSE file in the wheel is Apache-2.0) ranks
names per country from a 2021 dump of public Facebook profiles. Only aggregate ranks and gender shares are kept
here; no record of any person. Its known gap for Indonesia: each name keeps only its ten largest countries, so
names shared with the Arab world and Malaysia (MUHAMMAD, AHMAD, ABDUL, NUR, SRI, ...) have no Indonesian rank at
all. Those are added from ``ESTIMATED`` below (source ``estimate``), with ranks that are our guess, and their
gender share from the dataset's worldwide figure.
"""

from __future__ import annotations

import csv
import gzip
import pickle
import re
from pathlib import Path

KEEP = 2500  # names per kind: the tail past this is mostly noise and carries little weight under a Zipf law
OUT = Path(__file__).with_name("nama_id.csv")
# Words in the Facebook name fields that are nicknames, honorifics, shops or places, not names.
STOP = frozenset(
    [
        "BANG",
        "CAK",
        "ABAH",
        "BUNG",
        "AJA",
        "DOANK",
        "DOANG",
        "RUMAH",
        "WARUNG",
        "BATIK",
        "JAKARTA",
        "SURABAYA",
        "LOMBOK",
        "BATAM",
        "MANDIRI",
        "NEGARA",
        "DEPOK",
        "BANDUNG",
        "MEDAN",
        "BALI",
        "TOKO",
        "ONLINE",
        "SHOP",
        "STORE",
        "KOTA",
        "INDONESIA",
        "MAS",
        "MBAK",
        "KAK",
        "PAK",
        "BU",
        "BUNDA",
        "MAMAH",
        "MAMA",
        "PAPA",
        "PAPAH",
        "AYAH",
        "OM",
        "TANTE",
        "MOCH",
        "MUH",
    ]
)
# (kind, name, our estimated rank among Indonesians): common names the dataset cannot rank for Indonesia.
ESTIMATED = (
    *(
        ("first", name, rank)
        for name, rank in (
            ("MUHAMMAD", 1), ("SRI", 3), ("NUR", 5), ("AHMAD", 6), ("ABDUL", 12), ("MUHAMAD", 22), ("PUTRI", 30),
            ("NURUL", 35), ("ANDI", 40), ("ARIF", 45), ("RAHMAT", 50), ("MOHAMMAD", 55), ("ALI", 60), ("MOHAMAD", 65),
            ("HERMAN", 70), ("DEDE", 75), ("HASAN", 80), ("RATNA", 85), ("ILHAM", 90), ("YUSUF", 110),
            ("RAHMAN", 120), ("AISYAH", 130), ("ABDULLAH", 140), ("ANISA", 150), ("IBRAHIM", 155), ("ISMAIL", 160),
            ("SAIFUL", 170), ("FATIMAH", 180), ("AMINAH", 190), ("USMAN", 200), ("FARHAN", 210), ("NABILA", 220),
            ("ZAHRA", 230), ("ALIF", 240), ("UMAR", 250), ("RAFI", 260), ("HUSEIN", 280), ("HAMZAH", 300),
            ("IMAS", 350), ("ROHMAH", 380), ("MAEMUNAH", 420), ("KHADIJAH", 400), ("ZAINAB", 450), ("ALYA", 430),
        )
    ),
    *(
        ("last", name, rank)
        for name, rank in (
            ("RAHMAN", 30), ("HASAN", 60), ("RAHMAT", 100), ("ALI", 120), ("ARIF", 130), ("ISMAIL", 150),
            ("YUSUF", 160), ("ABDULLAH", 180), ("IBRAHIM", 200), ("USMAN", 220), ("UMAR", 260), ("HAMZAH", 300),
            ("AMINAH", 400), ("FATIMAH", 420),
        )
    ),
)  # fmt: skip


def _load(kind: str) -> dict:
    import names_dataset  # only here: the derivation is the one place that needs it

    path = Path(names_dataset.__file__).parent / "v3" / f"{kind}_names.pkl.gz"
    with gzip.open(path, "rb") as f:
        return pickle.load(f)


def _male_share(info: dict | None) -> float | None:
    gender = (info or {}).get("gender") or {}
    total = gender.get("M", 0.0) + gender.get("F", 0.0)
    return round(gender.get("M", 0.0) / total, 3) if total else None


def _ranked(kind: str, first_names: dict) -> list[tuple[float, str, float | None, str]]:
    table = first_names if kind == "first" else _load("last")
    rows = []
    for name, info in table.items():
        rank = info["rank"].get("ID")
        upper = name.upper()
        if rank is None or not re.fullmatch(r"[A-Z]{2,14}", upper) or upper in STOP:
            continue
        # Last names carry no gender in the dataset: the same word as a first name tells (PUTRI, DEWI are female).
        rows.append((float(rank), upper, _male_share(first_names.get(name)), "names-dataset"))
    rows.sort()
    rows = rows[:KEEP]
    known = {r[1] for r in rows}
    for k, name, rank in ESTIMATED:
        if k == kind and name not in known:
            rows.append((rank - 0.5, name, _male_share(first_names.get(name.title())), "estimate"))
    rows.sort()
    return rows


def main() -> None:
    first_names = _load("first")
    with OUT.open("w", newline="", encoding="utf-8") as f:
        f.write(
            "# Indonesian (country ID) first and last names ranked by frequency. Derived by derive_nama_id.py from\n"
            "# names-dataset 3.3.1 (Philippe Remy, github.com/philipperemy/name-dataset; MIT per PyPI metadata,\n"
            "# Apache-2.0 per the LICENSE file it ships), source='estimate' rows are kawal's estimates.\n"
        )
        writer = csv.writer(f)
        writer.writerow(["kind", "rank", "name", "male_share", "source"])
        for kind in ("first", "last"):
            for rank, (_r, name, male, source) in enumerate(_ranked(kind, first_names), start=1):
                writer.writerow([kind, rank, name, "" if male is None else male, source])


if __name__ == "__main__":
    main()
