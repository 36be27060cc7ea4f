"""The facts of each election kawal works with, in one place: election day, the most voters a TPS may hold, the
ballot reserve, the turnout target, the TMS table and the lokasi-khusus codes. No Django.

Everything else reads them from here (the web app through its ``Election`` rows, which are defaulted from these).
Sources and what is unconfirmed: ``docs/data.md``, "Election facts". A TMS table is data, one CSV per scheme
(``kawal/data/tms_<scheme>.csv``), so an older scheme is added as a file, not as code.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

from kawal.i18n import t

DATA = Path(__file__).resolve().parent.parent / "data"
LOKASI_KHUSUS = range(90, 98)  # keterangan codes of TPS lokasi khusus (prisons, hospitals …); meanings unconfirmed
RESPONSE_DAYS = 10  # the DPS is open to public responses for ten days from its posting (2024: 18-27 August)
PEMILU_BALLOTS = ("ppwp", "dpr", "dpd", "dprd_prov", "dprd_kabkota")  # KPU's names of the Pemilu's ballots


@dataclass(frozen=True)
class Tms:
    """One reason a listed voter no longer qualifies (Tidak Memenuhi Syarat), as Sidalih codes it."""

    code: int
    label: tuple[str, str]  # (Bahasa Indonesia, English)
    words: tuple[str, ...]  # how lists write it in keterangan, in capitals
    tanggapan: str  # the category of KPU's tanggapan form a confirmed claim goes under


@dataclass(frozen=True)
class Election:
    key: str
    kind: str  # "pilkada" or "pemilu"
    name: tuple[str, str]
    day: date
    max_per_tps: int
    ballot_reserve: Decimal  # ballots a TPS receives beyond its DPT, as a share of the DPT (rounded up per TPS)
    turnout_target: float
    tms_scheme: str
    # The day the DPS is posted for public responses (tanggapan masyarakat); None where kawal has no source.
    dps_posted: date | None = None
    response_days: int = RESPONSE_DAYS

    @property
    def tms(self) -> dict[int, Tms]:
        return tms_table(self.tms_scheme)

    def response_period(self) -> tuple[date, date] | None:
        """The tanggapan period, first and last day: from the DPS posting, ``response_days`` days long."""
        return response_period(self.dps_posted, self.response_days) if self.dps_posted else None

    def ballots(self, dpt: int) -> int:
        """The ballots a TPS with ``dpt`` voters receives: DPT plus the reserve rounded up."""
        return dpt + reserve_ballots(dpt, self.ballot_reserve)


PILKADA_2024 = Election(
    key="pilkada2024",
    kind="pilkada",
    name=("Pilkada serentak 2024", "2024 regional elections"),
    day=date(2024, 11, 27),
    max_per_tps=600,
    ballot_reserve=Decimal("0.025"),
    turnout_target=0.80,  # KPU's national target, also KPU Kota Tangerang's
    tms_scheme="2024",
    dps_posted=date(2024, 8, 18),  # DPS posted 18 August, responses until 27 August 2024
)
PEMILU_2024 = Election(
    key="pemilu2024",
    kind="pemilu",
    name=("Pemilu 2024", "2024 general election"),
    day=date(2024, 2, 14),
    max_per_tps=300,
    ballot_reserve=Decimal("0.02"),
    turnout_target=0.80,
    tms_scheme="2024",
)
ELECTIONS: dict[str, Election] = {e.key: e for e in (PILKADA_2024, PEMILU_2024)}
DEFAULT = PILKADA_2024  # what the command line and a new election in the web app start from


def response_period(posted: date, days: int = RESPONSE_DAYS) -> tuple[date, date]:
    """First and last day of a response period that opens on ``posted`` and lasts ``days`` days (both counted)."""
    return posted, posted + timedelta(days=days - 1)


def for_pemilihan(pemilihan: str) -> Election:
    """The facts for a ballot named as KPU's files name it (``walikota``, ``gubernur_banten``, ``ppwp`` …)."""
    return PEMILU_2024 if pemilihan.lower() in PEMILU_BALLOTS else PILKADA_2024


@cache
def tms_table(scheme: str = DEFAULT.tms_scheme) -> dict[int, Tms]:
    """The TMS codes of one scheme, from ``data/tms_<scheme>.csv``."""
    with (DATA / f"tms_{scheme}.csv").open(encoding="utf-8", newline="") as f:
        return {
            int(row["code"]): Tms(
                int(row["code"]),
                (row["label_id"], row["label_en"]),
                tuple(row["words"].split("|")),
                row["tanggapan"],
            )
            for row in csv.DictReader(f)
        }


def tms_label(code: int, scheme: str = DEFAULT.tms_scheme) -> str:
    """``5 WNA`` in the user's language; an unknown code as itself."""
    entry = tms_table(scheme).get(code)
    return f"{code} {t(entry.label)}" if entry else str(code)


def reserve_fraction(reserve: Decimal | float | str) -> Fraction:
    """The reserve as an exact fraction (0.025 → 1/40): KPU rounds up per TPS, and a float would round wrongly
    where DPT × reserve is a whole number."""
    share = Fraction(str(reserve))
    if not 0 <= share < 1:
        raise ValueError(f"ballot reserve {reserve}: must be at least 0 and below 1")
    return share


def reserve_ballots(dpt: int, reserve: Decimal | float | str) -> int:
    """The reserve ballots of a TPS: ⌈reserve × DPT⌉."""
    return math.ceil(reserve_fraction(reserve) * dpt)


def percent(reserve: Decimal | float | str) -> str:
    """The reserve as the user reads a percentage: ``2,5%`` (Indonesian), ``2.5%`` (English)."""
    text = format((Decimal(str(reserve)) * 100).normalize(), "f")
    return t((text.replace(".", ","), text)) + "%"
