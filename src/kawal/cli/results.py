"""``kawal results check``: C.Hasil consistency rules and statistical screens over a CSV or Sirekap JSON."""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rich.table import Table

from kawal.cli.common import Sub, console, steps
from kawal.engine import DEFAULT_ELECTION, PEMILU_2024, reserve_fraction, reserve_percent
from kawal.i18n import number, t


def _reserve(text: str) -> Decimal:
    """A ballot reserve as a share of DPT (0.025), refused with a reason when it is not one."""
    try:
        value = Decimal(text)
        reserve_fraction(value)
    except (InvalidOperation, ValueError):
        raise argparse.ArgumentTypeError(
            t(
                (
                    "'{v}' bukan bagian dari DPT antara 0 dan 1, mis. 0.025",
                    "'{v}' is no share of DPT between 0 and 1, e.g. 0.025",
                ),
                v=text,
            )
        ) from None
    return value


def register_results(sub: Sub) -> None:
    p = sub.add_parser(
        "results", help=t(("periksa hasil penghitungan TPS (C.Hasil)", "check TPS count results (C.Hasil)"))
    )
    commands = p.add_subparsers(dest="results_command", metavar="LANGKAH" if t(("id", "en")) == "id" else "STEP")
    c = commands.add_parser(
        "check",
        help=t(("aturan konsistensi dan penyaringan statistik", "consistency rules and statistical screens")),
        description=t(
            (
                "INPUT: CSV (kode_tps dan kolom angka C.Hasil) atau folder/zip JSON Sirekap per TPS. Menulis "
                "findings.csv (kode_tps,rule,detail), rejects.csv dan summary.json ke --out.",
                "INPUT: a CSV (kode_tps and the C.Hasil number columns) or a folder/zip of Sirekap per-TPS JSON. Writes "
                "findings.csv (kode_tps,rule,detail), rejects.csv and summary.json into --out.",
            )
        ),
    )
    c.add_argument("input", type=Path, metavar="INPUT")
    c.add_argument("--out", type=Path, required=True, help=t(("folder hasil", "output folder")))
    c.add_argument(
        "--max-per-tps",
        type=int,
        default=DEFAULT_ELECTION.max_per_tps,
        help=t(
            (
                "maksimum pemilih per TPS (bawaan {m}, Pilkada; {p} untuk Pemilu)",
                "maximum voters per TPS (default {m}, Pilkada; {p} for a Pemilu)",
            ),
            m=DEFAULT_ELECTION.max_per_tps,
            p=PEMILU_2024.max_per_tps,
        ),
    )
    c.add_argument(
        "--reserve",
        type=_reserve,
        default=DEFAULT_ELECTION.ballot_reserve,
        help=t(
            (
                "cadangan surat suara sebagai bagian dari DPT, dibulatkan ke atas per TPS (bawaan {r}, Pilkada; "
                "{p} untuk Pemilu)",
                "ballot reserve as a share of DPT, rounded up per TPS (default {r}, Pilkada; {p} for a Pemilu)",
            ),
            r=str(DEFAULT_ELECTION.ballot_reserve),  # as it is typed after --reserve: a decimal point
            p=str(PEMILU_2024.ballot_reserve),
        ),
    )
    c.set_defaults(handler=cmd_check)
    p.set_defaults(handler=lambda _args: p.print_help() or 2)  # type: ignore[func-returns-value]  # help, then exit 2


def cmd_check(args: argparse.Namespace) -> int:
    from kawal.engine import check_results as check

    with steps(1) as advance:
        advance(t(("Memeriksa {f}", "Checking {f}"), f=args.input.name))
        result = check(args.input, args.out, args.max_per_tps, args.reserve)
    loaded = result.loaded
    console.print(
        t(
            (
                "{i:,} TPS masuk: {l:,} dibaca, {r:,} ditolak; {p} paslon; {s:.2f} detik",
                "{i:,} TPS in: {l:,} read, {r:,} rejected; {p} paslon; {s:.2f} s",
            ),
            i=loaded.rows_in,
            l=loaded.loaded,
            r=loaded.rejected,
            p=loaded.paslon,
            s=result.seconds,
        )
    )
    console.print(
        t(
            (
                "Maksimum {m} pemilih per TPS; cadangan surat suara {r}",
                "At most {m} voters per TPS; ballot reserve {r}",
            ),
            m=args.max_per_tps,
            r=reserve_percent(args.reserve),
        )
    )
    table = Table(t(("Aturan", "Rule")), t(("Temuan", "Findings")))
    for rule, n in result.per_rule.items():
        table.add_row(rule, number(n))
    console.print(table)
    for name in ("findings.csv", "rejects.csv", "summary.json"):
        console.print(f"  {result.out / name}")
    return 0
