"""NIK and NKK: parse, validate, derive sex and birth date, and spot Excel damage.

A NIK is ``PP KK CC DDMMYY SSSS``: the kecamatan where it was first issued, the birth date with 40 added to the
day for women, and a serial from 0001. Published lists mask digits with ``*`` (or ``X``, ``x``, ``#``) at any
position; only the visible digits are checked. This module checks one value at a time (forms, the API, tests); the audit checks whole lists with
the same rules in SQL (:mod:`kawal.engine.nik_sql`), and a test keeps the two in step.
"""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from kawal.engine.elections import DEFAULT
from kawal.i18n import t
from kawal.wilayah import PREFIX_FILE, data_path

ELECTION_DATE = DEFAULT.day
MASK = "*"
MASK_CHARACTERS = "*Xx#"  # what published lists hide digits with; all read as MASK

_SCIENTIFIC = re.compile(r"[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]+")
_DOT_ZERO = re.compile(r"([0-9]+)[.,]0+")
_SHAPE = re.compile(r"[0-9*]{16}")

MESSAGES: dict[str, tuple[str, str]] = {
    "empty": ("{kind} kosong", "{kind} is empty"),
    "scientific": (
        "{kind} '{raw}' rusak oleh Excel (notasi ilmiah): digit aslinya hilang, ambil lagi dari sumber",
        "{kind} '{raw}' was mangled by Excel (scientific notation): its digits are lost, fetch it again",
    ),
    "dot_zero": (
        "{kind} '{raw}' tersimpan sebagai angka Excel (.0): digit ke-16 bisa sudah berubah, cocokkan dengan KK",
        "{kind} '{raw}' was stored as an Excel number (.0): the 16th digit may have changed, check the KK",
    ),
    "trailing_zero": (
        "{kind} '{raw}' berakhir 0 di kolom yang pernah jadi angka Excel: digit ke-16 kemungkinan hilang",
        "{kind} '{raw}' ends in 0 in a column Excel turned into numbers: the 16th digit is likely lost",
    ),
    "length": (
        "{kind} '{raw}' panjangnya {length} angka, seharusnya 16",
        "{kind} '{raw}' has {length} digits, not 16",
    ),
    "characters": (
        "{kind} '{raw}' berisi karakter selain angka: {chars}",
        "{kind} '{raw}' contains characters other than digits: {chars}",
    ),
    "serial": ("{kind} '{raw}' bernomor urut 0000", "{kind} '{raw}' has serial number 0000"),
    "prefix": (
        "kode wilayah {prefix} pada {kind} tidak ada di daftar Kemendagri mana pun",
        "region code {prefix} of the {kind} is in no Kemendagri list",
    ),
    "day": ("tanggal {day} pada NIK mustahil (01-31, perempuan 41-71)", "day {day} in the NIK is impossible"),
    "month": ("bulan {month} pada NIK mustahil", "month {month} in the NIK is impossible"),
    "date": (
        "tanggal lahir {value} pada NIK tidak ada di kalender",
        "birth date {value} in the NIK does not exist",
    ),
}
CHECK_OF = {
    "empty": "NIK_FORMAT",
    "scientific": "NIK_FORMAT",
    "dot_zero": "NIK_FORMAT",
    "trailing_zero": "NIK_FORMAT",
    "length": "NIK_FORMAT",
    "characters": "NIK_FORMAT",
    "serial": "NIK_FORMAT",
    "prefix": "NIK_WILAYAH",
    "day": "NIK_TANGGAL",
    "month": "NIK_TANGGAL",
    "date": "NIK_TANGGAL",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a number: the audit check it feeds, a reason code, and the explanation."""

    check: str
    reason: str
    values: dict[str, object] = field(default_factory=dict, compare=False)

    def explain(self) -> str:
        return t(MESSAGES[self.reason], **self.values)


@dataclass(frozen=True)
class NikResult:
    """What a NIK or NKK says and what is wrong with it."""

    raw: str
    digits: str | None  # 16 characters of digits and '*', when the shape is right
    problems: tuple[Problem, ...]
    sex: str | None = None  # 'L' or 'P'
    birth_date: date | None = None

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def masked(self) -> bool:
        return self.digits is not None and MASK in self.digits

    @property
    def excel_damage(self) -> bool:
        return any(p.reason in ("scientific", "dot_zero", "trailing_zero") for p in self.problems)

    def explain(self) -> str:
        return "; ".join(p.explain() for p in self.problems)


@cache
def valid_prefixes() -> frozenset[str]:
    """Every 6-digit kecamatan code of every list version: the set a NIK or NKK prefix must belong to.

    Read from the NIK prefix union alone (8 k rows), so checking a NIK never loads the full region registry.
    """
    with gzip.open(data_path(PREFIX_FILE), "rt", encoding="utf-8", newline="") as f:
        return frozenset(row["nik_prefix"] for row in csv.DictReader(f) if row["level"] == "3")


@cache
def _masked_prefix_ok(pattern: str) -> bool:
    regex = re.compile(pattern.replace(MASK, "[0-9]"))
    return any(regex.fullmatch(p) for p in valid_prefixes())


def resolve_century(yy: int, month: int, day: int, election_date: date = ELECTION_DATE) -> date | None:
    """The birth date for a two-digit year: the latest century that is not after election day."""
    for year in (2000 + yy, 1900 + yy):
        try:
            born = date(year, month, day)
        except ValueError:
            continue
        if born <= election_date:
            return born
    return None


def _excel_form(text: str, kind: str) -> tuple[str, Problem | None]:
    """Undo the float rendering Excel leaves behind, and say so."""
    if _SCIENTIFIC.fullmatch(text):
        return text, Problem("NIK_FORMAT", "scientific", {"kind": kind, "raw": text})
    dot_zero = _DOT_ZERO.fullmatch(text)
    if dot_zero:
        return dot_zero.group(1), Problem("NIK_FORMAT", "dot_zero", {"kind": kind, "raw": text})
    return text, None


def _shape_problem(text: str, raw: str, kind: str) -> Problem | None:
    if _SHAPE.fullmatch(text):
        return None
    bad = sorted({c for c in text if c not in "0123456789" + MASK})  # ASCII digits only: "¹".isdigit() is True
    if bad:
        return Problem("NIK_FORMAT", "characters", {"kind": kind, "raw": raw, "chars": " ".join(bad)})
    return Problem("NIK_FORMAT", "length", {"kind": kind, "raw": raw, "length": len(text)})


def _prefix_problem(digits: str, kind: str) -> Problem | None:
    prefix = digits[:6]
    known = _masked_prefix_ok(prefix) if MASK in prefix else prefix in valid_prefixes()
    return None if known else Problem("NIK_WILAYAH", "prefix", {"kind": kind, "prefix": prefix})


def _date_part(digits: str, election_date: date) -> tuple[list[Problem], str | None, date | None]:
    """Check DDMMYY as far as it is visible; derive sex and birth date where possible."""
    dd, mm, yy = digits[6:8], digits[8:10], digits[10:12]
    problems: list[Problem] = []
    sex = None if dd[0] == MASK else ("P" if dd[0] in "4567" else "L")
    if MASK not in dd and not (1 <= int(dd) <= 31 or 41 <= int(dd) <= 71):
        problems.append(Problem("NIK_TANGGAL", "day", {"day": dd}))
    if MASK not in mm and not 1 <= int(mm) <= 12:
        problems.append(Problem("NIK_TANGGAL", "month", {"month": mm}))
    if problems or MASK in dd + mm + yy:
        return problems, sex, None
    day = int(dd) - 40 if int(dd) > 40 else int(dd)
    born = resolve_century(int(yy), int(mm), day, election_date)
    if born is None:
        problems.append(Problem("NIK_TANGGAL", "date", {"value": f"{day:02d}-{mm}-{yy}"}))
    return problems, sex, born


SPACES = r"[\t\n\v\f\r ]"  # spelled out: Python's \s also takes \x1c-\x1f and NBSP, DuckDB's (RE2) does not


_AS_MASK = str.maketrans({c: MASK for c in MASK_CHARACTERS})


def _normalise(raw: str) -> str:
    return re.sub(SPACES, "", raw).translate(_AS_MASK)


def parse_nik(
    raw: str | None,
    *,
    election_date: date = ELECTION_DATE,
    float_column: bool = False,
    kind: str = "NIK",
) -> NikResult:
    """Validate a NIK and derive what it encodes.

    ``float_column`` says the file's NIK column shows other signs of having been an Excel number, which makes
    a 16-digit value ending in 0 suspect (Excel keeps 15 significant digits).
    """
    raw = "" if raw is None else str(raw)
    text = _normalise(raw)
    if not text:
        return NikResult(raw, None, (Problem("NIK_FORMAT", "empty", {"kind": kind}),))
    text, excel = _excel_form(text, kind)
    problems = [excel] if excel else []
    if excel and excel.reason == "scientific":
        return NikResult(raw, None, tuple(problems))
    shape = _shape_problem(text, raw, kind)
    if shape:
        return NikResult(raw, None, (*problems, shape))
    if float_column and not excel and text.endswith("0") and MASK not in text:
        problems.append(Problem("NIK_FORMAT", "trailing_zero", {"kind": kind, "raw": raw}))
    if kind == "NIK" and text[12:] == "0000":
        problems.append(Problem("NIK_FORMAT", "serial", {"kind": kind, "raw": raw}))
    prefix = _prefix_problem(text, kind)
    if prefix:
        problems.append(prefix)
    if kind != "NIK":
        return NikResult(raw, text, tuple(problems))
    date_problems, sex, born = _date_part(text, election_date)
    return NikResult(raw, text, (*problems, *date_problems), sex, born)


def parse_nkk(raw: str | None, *, float_column: bool = False) -> NikResult:
    """Validate a family-card number (NKK): 16 digits whose first six are a known kecamatan code."""
    return parse_nik(raw, float_column=float_column, kind="NKK")


def mask(number: str | None, visible_start: int = 6, visible_end: int = 0) -> str:
    """Mask a NIK/NKK the way published lists do: region code visible, the rest as ``*``."""
    if not number:
        return ""
    end = len(number) - visible_end
    return number[:visible_start] + MASK * max(0, end - visible_start) + number[end:]
