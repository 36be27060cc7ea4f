"""``kawal audit INPUT … --out DIR``: every check over one or more lists (files or snapshots)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from rich.table import Table

from kawal.cli.common import DATA_HELP, Sub, console, steps, store
from kawal.engine import AuditResult
from kawal.i18n import number, t


def register_audit(sub: Sub) -> None:
    from kawal.engine import AUDIT_MEMORY_LIMIT, DEFAULT_ELECTION  # the audit's defaults; no DuckDB here

    election_date, max_per_tps = DEFAULT_ELECTION.day, DEFAULT_ELECTION.max_per_tps

    p = sub.add_parser(
        "audit",
        help=t(
            ("audit daftar pemilih: semua pemeriksaan, pemilih ganda", "audit a voter list: every check, duplicates")
        ),
        description=t(
            (
                "Audit satu atau beberapa daftar (file atau snapshot). Menulis findings.csv, rejects.csv, summary.json "
                "dan report.html ke folder --out.",
                "Audit one or more lists (files or snapshots). Writes findings.csv, rejects.csv, summary.json and "
                "report.html into the --out folder.",
            )
        ),
    )
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help=t(
            (
                "file daftar pemilih, folder atau ZIP berisi file CSV per TPS (dibaca sebagai satu daftar), atau snapshot",
                "voter-list file, folder or ZIP of per-TPS CSV files (read as one list), or snapshot",
            )
        ),
    )
    p.add_argument("--out", type=Path, required=True, help=t(("folder hasil", "output folder")))
    p.add_argument(
        "--election-date",
        type=date.fromisoformat,
        default=election_date,
        help=t(
            ("hari pemungutan suara, YYYY-MM-DD (bawaan {d})", "election day, YYYY-MM-DD (default {d})"),
            d=election_date.isoformat(),
        ),
    )
    p.add_argument(
        "--max-per-tps",
        type=int,
        default=max_per_tps,
        help=t(("maksimum pemilih per TPS (bawaan {m})", "maximum voters per TPS (default {m})"), m=max_per_tps),
    )
    p.add_argument(
        "--usia-date",
        type=date.fromisoformat,
        help=t(
            (
                "tanggal acuan kolom usia, YYYY-MM-DD (bawaan: tidak diketahui, dianggap hari pemungutan suara)",
                "the day the usia column counts to, YYYY-MM-DD (default: unknown, taken as election day)",
            )
        ),
    )
    p.add_argument(
        "--threshold",
        type=float,
        help=t(
            (
                "peluang minimum agar dua baris dianggap orang yang sama (bawaan 0,5; bila sebagian besar tanggal "
                "lahir disamarkan, batas yang menjaga perkiraan ketepatan 98%%; peluang diperkirakan dari daftar ini)",
                "probability at which two rows are linked as one person (default 0.5; when most birth dates are "
                "hidden, the one that keeps the estimated precision at 98%%; probabilities estimated from this list)",
            )
        ),
    )
    p.add_argument(
        "--memory",
        default=AUDIT_MEMORY_LIMIT,
        help=t(
            (
                "batas memori kerja audit, misalnya 1536MB atau 8GB (bawaan {m}; bila lebih, data sementara ditulis "
                "ke disk dan audit tetap selesai, lebih lambat)",
                "the audit's working-memory limit, e.g. 1536MB or 8GB (default {m}; past it, data is written to "
                "disk for a while and the audit still finishes, more slowly)",
            ),
            m=AUDIT_MEMORY_LIMIT,
        ),
    )
    p.add_argument(
        "--wilayah",
        help=t(("wilayah untuk file yang diimpor (nama kelurahan)", "region for imported files (kelurahan names)")),
    )
    p.add_argument("--data", help=t(DATA_HELP))
    p.set_defaults(handler=cmd_audit)


def cmd_audit(args: argparse.Namespace) -> int:
    from kawal.engine import run_audit

    with steps(6) as advance:
        result = run_audit(
            args.inputs,
            args.out,
            election_date=args.election_date,
            max_per_tps=args.max_per_tps,
            threshold=args.threshold,
            wilayah=args.wilayah,
            store=store(args),
            progress=advance,
            usia_date=args.usia_date,
            memory=args.memory,
        )
    print_audit_summary(result)
    return 0


def print_audit_summary(result: AuditResult, list_files: bool = True) -> None:
    """The counts line (rows in = audited + rejected), the findings per check and, unless ``list_files`` is off
    (the demo's site removes the files once their findings are stored), where the output files are."""
    summary = result.summary
    console.print(
        t(
            (
                "Baris masuk {i:,} = diaudit {a:,} + ditolak {r:,}, dalam {s:.1f} dtk",
                "Rows in {i:,} = audited {a:,} + rejected {r:,}, in {s:.1f} s",
            ),
            i=summary["rows_in"],
            a=summary["audited"],
            r=summary["rejected"],
            s=result.seconds,
        )
    )
    table = Table(
        t(("Pemeriksaan", "Check")), "TMS", t(("Temuan", "Findings")), t(("Baris", "Rows")), t(("Arti", "Meaning"))
    )
    for code, check in summary["checks"].items():
        table.add_row(code, str(check["tms"] or ""), number(check["findings"]), number(check["rows"]), check["title"])
    console.print(table)
    for name in ("findings.csv", "rejects.csv", "summary.json", "report.html") if list_files else ():
        console.print(f"  {result.out / name}")
