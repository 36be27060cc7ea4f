"""``kawal demo``: what ``make demo`` runs: a synthetic city, imported, audited, scored, loaded into the website."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kawal.cli.audit import print_audit_summary
from kawal.cli.common import Sub, console
from kawal.cli.generate import run_generate
from kawal.i18n import number, t

if TYPE_CHECKING:
    from kawal.engine import AuditResult


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


def seconds_text(seconds: float) -> str:
    """``12,3 dtk`` in Indonesian (decimal comma), ``12.3 s`` in English."""
    return t(("{s:.1f} dtk", "{s:.1f} s"), s=seconds)


@contextlib.contextmanager
def timed(what: tuple[str, str] | None = None) -> Iterator[None]:
    """Print how long the block took, after it: "selesai dalam 12,3 dtk" (or "<what>: 12,3 dtk")."""
    started = time.perf_counter()
    yield
    took = seconds_text(time.perf_counter() - started)
    if what is None:
        console.print(t(("selesai dalam {s}", "done in {s}"), s=took), style="dim")
    else:
        console.print(t(("{w}: {s}", "{w}: {s}"), w=t(what), s=took), style="dim")


def cmd_demo(args: argparse.Namespace) -> int:
    """The city, then the website's own upload job on it: the job imports the list into a sealed snapshot, loads
    and audits it once, and the scores are taken from its findings before its work folder is removed."""
    import os

    started = time.perf_counter()
    os.environ.setdefault("KAWAL_DATA_DIR", str((args.out / "web").resolve()))
    from kawal.web import management

    console.rule(t(("1. Situs web: basis data, organisasi dan akun", "1. Website: database, organisations, accounts")))
    with timed(("Basis data disiapkan", "Database set up")):
        management.setup()
        management.manage(["migrate", "--no-input", "-v", "0"])
    from kawal.web import demo

    with timed(("Organisasi dan akun", "Organisations and accounts")):
        kpu, accounts = demo.create_accounts()
    voter_list = demo.loaded_list(kpu, args.out / "dpt.csv")
    if voter_list is None:
        console.rule(t(("2. Kota sintetis", "2. Synthetic city")))
        with timed():
            problems = run_generate(args.voters, args.seed, args.out)
        console.rule(t(("3. Impor, audit dan muat DPT di situs", "3. Import, audit and load the DPT on the site")))
        voter_list = load_and_score(args, kpu, problems)
        console.rule(t(("4. Contoh data lapangan", "4. Sample fieldwork")))
        with timed(("Kunjungan, sampel, partisipasi, hasil", "Visits, sample, participation, results")):
            demo.sample_fieldwork(voter_list)
            demo.sample_audit(voter_list)
            demo.sample_participation(kpu)
            demo.sample_results(kpu)
    else:
        console.print(
            t(
                (
                    "Daftar demo sudah dimuat di {p} (daftar #{n}): situs dijalankan lagi apa adanya, dengan kata sandi "
                    "baru. Untuk membuat ulang kota dan daftarnya, hapus folder {o} lalu jalankan lagi.",
                    "The demo list is already loaded in {p} (list #{n}): the site is served again as it is, with new "
                    "passwords. To make the city and its list again, delete the folder {o} and run again.",
                ),
                p=args.out / "web",
                n=voter_list.pk,
                o=args.out,
            )
        )
    return serve_demo(args, voter_list, accounts, started)


class Phases:
    """Seconds per step of the upload job, a step named by the first word of its progress text."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.name = ""
        self.since = time.perf_counter()

    def switch(self, name: str) -> None:
        now = time.perf_counter()
        if self.name:
            self.seconds[self.name] = self.seconds.get(self.name, 0.0) + now - self.since
        self.name, self.since = name, now


def load_and_score(args: argparse.Namespace, kpu: Any, problems: dict[str, int]) -> Any:
    """The site's upload job on the city's ``dpt.csv`` with a progress bar and each step's time; the audit's
    summary and its scores against the synthetic truth are printed from its work folder while it still exists."""
    from kawal.web import demo
    from kawal.web.voters import jobs

    phases = Phases()

    def audited(out: Path, result: AuditResult) -> None:
        phases.switch("")  # the audit's step ends here; the scoring below is timed on its own
        print_audit_summary(result, list_files=False)
        console.rule(t(("Dibandingkan dengan kebenaran sintetis", "Compared with the synthetic truth")))
        with timed():
            print_scores(args.out, out, problems)
        report = args.out / "audit" / "report.html"  # the synthetic city's report, outside the site's data folder
        report.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / "report.html", report)
        console.print(t(("Laporan: {p}", "Report: {p}"), p=report.resolve()))

    with (
        timed(("Daftar diimpor, dimuat dan diaudit", "List imported, loaded and audited")),
        Progress(
            TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console, transient=True
        ) as bar,
    ):
        task = bar.add_task(t(("Memuat ke basis data", "Loading into the database")), total=100)

        def on_step(pct: int, step: str) -> None:
            phase = step.split(" ")[0]
            if phase != phases.name:
                phases.switch(phase)
            bar.update(task, completed=pct, description=step)

        jobs.on_audited = audited
        try:
            voter_list = demo.load_list(kpu, args.out / "dpt.csv", on_step)
        finally:
            jobs.on_audited = None
        phases.switch("")
    if phases.seconds:
        console.print("  " + ", ".join(f"{k} {seconds_text(v)}" for k, v in phases.seconds.items()), style="dim")
    return voter_list


def serve_demo(args: argparse.Namespace, voter_list: Any, accounts: list, started: float) -> int:
    from kawal.web import management

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
    console.print(
        t(("Demo siap dalam {s}", "Demo ready in {s}"), s=seconds_text(time.perf_counter() - started)), style="bold"
    )
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
            number(problems.get(check, 0)),
            number(s.true_positives),
            number(s.false_positives),
            number(s.false_negatives),
            number(s.precision, ".4f"),
            number(s.recall, ".4f"),
            number(s.f1, ".4f"),
        )
    console.print(table)
