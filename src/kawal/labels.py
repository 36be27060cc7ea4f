"""Plain words for codes: one table of labels and sentences for the audit's checks, the C.Hasil rules, the data
fields and the action log's actions, in Indonesian and English (``data/labels.csv``, read once).

No Django here: the engine, the command line and the web app read the same table. Screens show the label and the
sentence; the code, the score and the engine's own detail go behind "detail" for those who want them. Numbers are
written the way the reader's language writes them (1.234,5 in Indonesian).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "labels.csv"
KINDS = ("check", "rule", "field", "action")
_PASLON = re.compile(r"^suara_paslon_(\d+)$")
_SEX = {"_l": ("laki-laki", "men"), "_p": ("perempuan", "women")}


@dataclass(frozen=True)
class Entry:
    label: tuple[str, str]  # (Indonesian, English)
    sentence: tuple[str, str]  # may be empty; may hold {placeholders}


@cache
def table() -> dict[tuple[str, str], Entry]:
    """(kind, code) → its words. A kind outside KINDS is a typo in the file and fails loudly, here."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for line, row in enumerate(rows, start=2):
        if row["kind"] not in KINDS:
            raise ValueError(f"{TABLE.name} baris {line}: jenis '{row['kind']}' tidak dikenal")
        entry = Entry((row["id"], row["en"]), (row["sentence_id"], row["sentence_en"]))
        out[(row["kind"], row["code"])] = entry
    return out


def _index(lang: str | None) -> int:
    return 1 if (lang or "id").lower().startswith("en") else 0


def humanize(code: str) -> str:
    """The last resort for a code the table lacks: ``tanda_baru`` → "Tanda baru" (never the raw code)."""
    words = code.replace(".", " ").replace("_", " ").strip().lower()
    return words[:1].upper() + words[1:]


def label(kind: str, code: str, lang: str | None = "id") -> str:
    """The short label of a check, rule, field or action, in ``lang`` ("id" or "en")."""
    entry = table().get((kind, code))
    if entry is not None:
        return entry.label[_index(lang)]
    if kind == "field":
        return field_label(code, lang)
    return humanize(code)


def field_label(code: str, lang: str | None = "id") -> str:
    """``suara_paslon_1`` → "Suara paslon 1"; ``pengguna_dpt_l`` → "Pemilih DPT yang memilih (laki-laki)"."""
    i = _index(lang)
    entry = table().get(("field", code))
    if entry is not None:
        return entry.label[i]
    paslon = _PASLON.match(code)
    if paslon:
        return ("Suara paslon {n}", "Votes for candidate pair {n}")[i].format(n=paslon.group(1))
    suffix = code[-2:]
    if suffix in _SEX and ("field", code[:-2]) in table():
        return f"{table()[('field', code[:-2])].label[i]} ({_SEX[suffix][i]})"
    return humanize(code)


def sentence(kind: str, code: str, lang: str | None = "id", **values: object) -> str:
    """The plain sentence of a check or rule, its {placeholders} filled (numbers the reader's way); the label
    when the table has no sentence."""
    entry = table().get((kind, code))
    if entry is None or not entry.sentence[_index(lang)]:
        return label(kind, code, lang)
    shown = {k: number(v, lang=lang) if isinstance(v, int | float) else v for k, v in values.items()}
    try:
        return entry.sentence[_index(lang)].format_map(shown)
    except KeyError:  # a number the caller does not have: the label alone rather than a half-filled sentence
        return entry.label[_index(lang)]


def rule_sentence(code: str, numbers: dict[str, int | None], lang: str | None = "id", field: str = "") -> str:
    """A C.Hasil rule said with the form's own numbers, e.g. "Suara paslon (185) ≠ suara sah (186): periksa IV
    dan V.A". ``field`` names the row of an LP_NE_JUMLAH (L + P ≠ jumlah)."""
    values: dict[str, object] = {k: v for k, v in numbers.items() if v is not None}
    paslon = [v for k, v in numbers.items() if _PASLON.match(k) and v is not None]
    if paslon:
        values["jumlah_paslon"] = sum(paslon)
    if code == "LP_NE_JUMLAH" and field:
        values |= {
            "kolom": field_label(field, lang),
            "l": numbers.get(f"{field}_l"),
            "p": numbers.get(f"{field}_p"),
            "jumlah": numbers.get(field),
        }
        if None in (values["l"], values["p"], values["jumlah"]):
            return label("rule", code, lang)
    return sentence("rule", code, lang, **values)


def number(value: float | int | None, decimals: int | None = None, lang: str | None = "id") -> str:
    """1234.5 → "1.234,5" (Indonesian) or "1,234.5" (English); ``decimals`` fixes the digits after the comma
    (an int shows none unless asked). None → "–"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    places = decimals if decimals is not None else (0 if isinstance(value, int) else 1)
    text = f"{value:,.{places}f}"
    if _index(lang) == 0:
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def css_percent(value: float | int | None, top: float | int = 100) -> str:
    """A width for CSS: ``value`` as a share of ``top`` in percent, clamped to 0–100, always with a dot decimal
    (browsers reject ``2,3%``, which a localised template writes)."""
    if value is None or not top:
        return "0"
    share = 100 * float(value) / float(top)
    if math.isnan(share):
        return "0"
    return f"{min(100.0, max(0.0, share)):.1f}"
