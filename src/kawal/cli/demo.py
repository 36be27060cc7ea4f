"""``kawal demo``: what ``make demo`` runs: a synthetic city, imported, audited, scored, loaded into the website."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kawal.cli.audit import print_audit_summary
from kawal.cli.common import Sub, console, steps
from kawal.cli.generate import run_generate
from kawal.cli.import_list import print_import_summary
from kawal.engine import SnapshotStore, import_voter_list
from kawal.i18n import t


def register_demo(sub: Sub) -> None:
    from kawal.synth.generator import CITY_VOTERS

    p = sub.add_parser(
        "demo",
        help=t(
            (
                "jalankan demo: kota sintetis, impor, ringkasan",
                "run the demo: synthetic city, import, summary",
            )
        ),
    )
    p.add_argument("--voters", type=int, default=CITY_VOTERS, help=t(("jumlah pemilih", "number of voters")))
    p.add_argument("--seed", type=int, default=2024, help=t(("benih acak", "random seed")))
    p.add_argument("--out", type=Path, default=Path("var/demo"), help=t(("folder demo", "demo folder")))
    p.add_argument(
        "--no-serve",
        action="store_true",
        help=t(("jangan jalankan situs di akhir", "do not serve the site at the end")),
    )
    p.add_argument("--address", default="127.0.0.1:8000", help=t(("alamat situs", "site address")))
    p.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    console.rule(t(("1. Kota sintetis", "1. Synthetic city")))
    problems = run_generate(args.voters, args.seed, args.out)
    console.rule(t(("2. Impor DPT menjadi snapshot", "2. Import the DPT as a snapshot")))
    store = SnapshotStore(args.out / "data")
    with steps(4) as advance:
        result = import_voter_list(args.out / "dpt.csv", "DPT", "3671", store, progress=advance)
    print_import_summary(result.snapshot, result.seconds)
    console.rule(t(("3. Audit daftar", "3. Audit the list")))
    from kawal.engine import run_audit

    with steps(6) as advance:
        audited = run_audit([str(result.snapshot.path)], args.out / "audit", store=store, progress=advance)
    print_audit_summary(audited)
    console.rule(t(("4. Dibandingkan dengan kebenaran sintetis", "4. Compared with the synthetic truth")))
    print_scores(args.out, audited.out, problems)
    console.print(t(("Snapshot: {p}", "Snapshot: {p}"), p=result.snapshot.path))
    console.print(t(("Laporan: {p}", "Report: {p}"), p=(audited.out / "report.html").resolve()))
    console.rule(
        t(
            (
                "5. Situs web: organisasi, akun, daftar dan temuan",
                "5. Website: organisations, accounts, list and findings",
            )
        )
    )
    return web_demo(args)


def web_demo(args: argparse.Namespace) -> int:
    import os

    os.environ.setdefault("KAWAL_DATA_DIR", str((args.out / "web").resolve()))
    from kawal.web import management

    management.setup()
    management.manage(["migrate", "--no-input", "-v", "0"])
    from kawal.web import demo

    kpu, accounts = demo.create_accounts()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console, transient=True
    ) as bar:
        task = bar.add_task(t(("Memuat ke basis data", "Loading into the database")), total=100)
        voter_list = demo.load_list(
            kpu, args.out / "dpt.csv", lambda pct, step: bar.update(task, completed=pct, description=step)
        )
    demo.sample_fieldwork(voter_list)
    demo.sample_audit(voter_list)
    demo.sample_participation(kpu)
    demo.sample_results(kpu)
    console.print(
        t(
            ("Daftar #{n}: {l:,} pemilih dimuat, status {s}", "List #{n}: {l:,} voters loaded, status {s}"),
            n=voter_list.pk,
            l=voter_list.loaded,
            s=voter_list.status,
        )
    )
    table = Table(
        t(("Akun demo", "Demo account")), t(("Kata sandi", "Password")), t(("Peran dan wilayah", "Role and area"))
    )
    for account in accounts:
        table.add_row(account.username, account.password, account.description)
    console.print(table)
    if args.no_serve:
        return 0
    console.print(
        t(("Situs: http://{a}/  (Ctrl-C untuk berhenti)", "Site: http://{a}/  (Ctrl-C to stop)"), a=args.address)
    )
    return management.serve(args.address)


def print_scores(city: Path, audit_out: Path, problems: dict[str, int]) -> None:
    """Precision and recall of each check against the generator's ground truth."""
    from kawal.synth.score import score_audit

    scores = score_audit(audit_out / "findings.csv", city / "truth.csv", city / "dpt.csv")
    table = Table(
        t(("Pemeriksaan", "Check")),
        t(("Baris di kebenaran", "Rows in truth")),
        "TP",
        "FP",
        "FN",
        "Precision",
        "Recall",
        "F1",
    )
    for check, s in scores.items():
        table.add_row(
            check,
            f"{problems.get(check, 0):,}",
            f"{s.true_positives:,}",
            f"{s.false_positives:,}",
            f"{s.false_negatives:,}",
            f"{s.precision:.4f}",
            f"{s.recall:.4f}",
            f"{s.f1:.4f}",
        )
    console.print(table)
