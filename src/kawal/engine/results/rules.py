"""The consistency rules of a C.Hasil (names are a contract) and the statistical screens, as SQL over table ``r``.

A rule is checked only when every number it needs is present; a missing number is "not reported", not zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from kawal.engine.elections import DEFAULT, percent, reserve_fraction
from kawal.engine.results.columns import PAIRED
from kawal.engine.sql import message
from kawal.i18n import t

if TYPE_CHECKING:
    from types import CodeType

Reserve = Decimal | float | str


@dataclass(frozen=True)
class Rule:
    code: str
    needs: tuple[str, ...]
    fires: str  # SQL condition over r
    detail: str  # SQL expression for the detail text
    doc: tuple[str, str]


def _paslon_sum(n: int) -> str:
    return " + ".join(f"suara_paslon_{i}" for i in range(1, n + 1)) or "0"


def _reserve_sql(reserve: Reserve) -> str:
    """⌈reserve × dpt⌉ in whole numbers (SQL and Python read it alike): 2.5% of 250 is 7 ballots, not 6.25."""
    share = reserve_fraction(reserve)
    return f"((dpt * {share.numerator} + {share.denominator - 1}) // {share.denominator})"


def _suara_gt_dpt(reserve: Reserve) -> Rule:
    extra, pct = _reserve_sql(reserve), percent(reserve)
    return Rule(
        "SUARA_GT_DPT",
        ("suara_sah_dan_tidak_sah", "dpt"),
        f"suara_sah_dan_tidak_sah > dpt + {extra}",
        message(
            ("suara {a} > DPT {b} + cadangan {p} ({c}) = {d}", "votes {a} > DPT {b} + {p} reserve ({c}) = {d}"),
            a="suara_sah_dan_tidak_sah",
            b="dpt",
            p=f"'{pct}'",
            c=extra,
            d=f"dpt + {extra}",
        ),
        (f"V.C ≤ DPT + cadangan {pct} (dibulatkan ke atas)", f"V.C ≤ DPT + {pct} reserve (rounded up)"),
    )


@cache
def rules(paslon: int, max_per_tps: int, reserve: Reserve = DEFAULT.ballot_reserve) -> list[Rule]:
    votes = tuple(f"suara_paslon_{i}" for i in range(1, paslon + 1))
    total = _paslon_sum(paslon)
    out = []
    if paslon:
        out.append(
            Rule(
                "PASLON_NE_SAH",
                (*votes, "suara_sah"),
                f"({total}) <> suara_sah",
                message(
                    ("jumlah suara paslon {a} ≠ suara sah {b}", "paslon votes sum to {a} ≠ valid votes {b}"),
                    a=f"({total})",
                    b="suara_sah",
                ),
                ("Σ suara paslon = suara sah (IV = V.A)", "Σ paslon votes = valid votes (IV = V.A)"),
            )
        )
    out += [
        Rule(
            "SAH_TIDAK_SAH_NE_TOTAL",
            ("suara_sah", "suara_tidak_sah", "suara_sah_dan_tidak_sah"),
            "suara_sah + suara_tidak_sah <> suara_sah_dan_tidak_sah",
            message(
                ("sah {a} + tidak sah {b} ≠ jumlah {c}", "valid {a} + invalid {b} ≠ total {c}"),
                a="suara_sah",
                b="suara_tidak_sah",
                c="suara_sah_dan_tidak_sah",
            ),
            ("V.A + V.B = V.C", "V.A + V.B = V.C"),
        ),
        Rule(
            "PENGGUNA_NE_RINCIAN",
            ("pengguna_dpt", "pengguna_dptb", "pengguna_dpk", "pengguna_total"),
            "pengguna_dpt + pengguna_dptb + pengguna_dpk <> pengguna_total",
            message(
                (
                    "DPT {a} + DPTb {b} + DPK {c} ≠ jumlah pengguna {d}",
                    "DPT {a} + DPTb {b} + DPK {c} ≠ voters total {d}",
                ),
                a="pengguna_dpt",
                b="pengguna_dptb",
                c="pengguna_dpk",
                d="pengguna_total",
            ),
            ("B1 + B2 + B3 = B4", "B1 + B2 + B3 = B4"),
        ),
        Rule(
            "PENGGUNA_NE_SUARA",
            ("pengguna_total", "suara_sah_dan_tidak_sah"),
            "pengguna_total <> suara_sah_dan_tidak_sah",
            message(
                (
                    "pengguna hak pilih {a} ≠ suara sah dan tidak sah {b}",
                    "voters who voted {a} ≠ valid and invalid votes {b}",
                ),
                a="pengguna_total",
                b="suara_sah_dan_tidak_sah",
            ),
            ("B4 = V.C", "B4 = V.C"),
        ),
        Rule(
            "PENGGUNA_DPT_GT_DPT",
            ("pengguna_dpt", "dpt"),
            "pengguna_dpt > dpt",
            message(
                ("pemilih DPT yang memilih {a} > DPT {b}", "DPT voters who voted {a} > DPT {b}"),
                a="pengguna_dpt",
                b="dpt",
            ),
            ("B1 ≤ I.A", "B1 ≤ I.A"),
        ),
        Rule(
            "DPT_GT_MAKS",
            ("dpt",),
            f"dpt > {int(max_per_tps)}",
            message(
                ("DPT {a} > maksimum {m} per TPS", "DPT {a} > the maximum of {m} per TPS"),
                a="dpt",
                m=str(int(max_per_tps)),
            ),
            (f"DPT per TPS ≤ maksimum {int(max_per_tps)}", f"DPT per TPS ≤ the maximum of {int(max_per_tps)}"),
        ),
        Rule(
            "SURAT_SUARA_NE",
            (
                "surat_suara_diterima",
                "surat_suara_digunakan",
                "surat_suara_dikembalikan",
                "surat_suara_tidak_digunakan",
            ),
            "surat_suara_diterima <> surat_suara_digunakan + surat_suara_dikembalikan + surat_suara_tidak_digunakan",
            message(
                (
                    "diterima {a} ≠ digunakan {b} + dikembalikan {c} + tidak digunakan {d}",
                    "received {a} ≠ used {b} + returned {c} + unused {d}",
                ),
                a="surat_suara_diterima",
                b="surat_suara_digunakan",
                c="surat_suara_dikembalikan",
                d="surat_suara_tidak_digunakan",
            ),
            ("II.1 = II.2 + II.3 + II.4", "II.1 = II.2 + II.3 + II.4"),
        ),
        Rule(
            "DIGUNAKAN_NE_PENGGUNA",
            ("surat_suara_digunakan", "pengguna_total"),
            "surat_suara_digunakan <> pengguna_total",
            message(
                ("surat suara digunakan {a} ≠ pengguna hak pilih {b}", "ballots used {a} ≠ voters who voted {b}"),
                a="surat_suara_digunakan",
                b="pengguna_total",
            ),
            ("II.2 = B4", "II.2 = B4"),
        ),
        Rule(
            "DISABILITAS_GT_PENGGUNA",
            ("pemilih_disabilitas", "pengguna_total"),
            "pemilih_disabilitas > pengguna_total",
            message(
                (
                    "pemilih disabilitas {a} > pengguna hak pilih {b}",
                    "voters with disabilities {a} > voters who voted {b}",
                ),
                a="pemilih_disabilitas",
                b="pengguna_total",
            ),
            ("III ≤ B4", "III ≤ B4"),
        ),
        _suara_gt_dpt(reserve),
    ]
    return out


@cache
def lp_rules() -> list[Rule]:
    """LP_NE_JUMLAH, one per field: X_l + X_p ≠ X (the detail names the field)."""
    return [
        Rule(
            "LP_NE_JUMLAH",
            (base, f"{base}_l", f"{base}_p"),
            f"{base}_l + {base}_p <> {base}",
            message(
                ("{f}: L {a} + P {b} ≠ jumlah {c}", "{f}: M {a} + F {b} ≠ total {c}"),
                f=f"'{base}'",
                a=f"{base}_l",
                b=f"{base}_p",
                c=base,
            ),
            ("L + P = jumlah", "M + F = total"),
        )
        for base in PAIRED
    ]


def findings_sql(paslon: int, max_per_tps: int, reserve: Reserve = DEFAULT.ballot_reserve) -> str:
    """One SELECT (kode_tps, rule, detail) over every rule, each only where all its numbers are present."""
    parts = []
    for rule in [*rules(paslon, max_per_tps, reserve), *lp_rules()]:
        present = " AND ".join(f"{c} IS NOT NULL" for c in rule.needs)
        parts.append(
            f"SELECT kode_tps, '{rule.code}' AS rule, {rule.detail} AS detail FROM r WHERE {present} AND {rule.fires}"
        )
    return " UNION ALL ".join(parts)


@cache
def _compiled(fires: str) -> CodeType:
    # The conditions are this module's own arithmetic over column names (never user text): as Python they read
    # the same once SQL's <> is written !=.
    return compile(fires.replace("<>", "!="), "<rule>", "eval")


def check_form(
    numbers: dict[str, int], paslon: int, max_per_tps: int, reserve: Reserve = DEFAULT.ballot_reserve
) -> list[dict[str, str]]:
    """The rules one form breaks, evaluated in Python from the same definitions as the SQL (a test keeps the two
    in agreement): a witness's entry is checked in microseconds, not a database round trip."""
    found = []
    for rule in [*rules(paslon, max_per_tps, reserve), *lp_rules()]:
        if any(numbers.get(c) is None for c in rule.needs):
            continue
        if eval(_compiled(rule.fires), {"__builtins__": {}}, dict(numbers)):
            shown = ", ".join(f"{c}={numbers[c]}" for c in rule.needs)
            found.append({"rule": rule.code, "detail": f"{t(rule.doc)}: {shown}"})
    return sorted(found, key=lambda f: f["rule"])
