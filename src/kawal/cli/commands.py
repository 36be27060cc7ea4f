"""The subcommands: each has a ``register`` (its arguments and help) and a handler."""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import duckdb
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from kawal.cli.diff import register_diff  # the diff command lives in its own module
from kawal.engine.audit import AuditResult
from kawal.engine.importer import STAGES, import_voter_list
from kawal.engine.snapshots import Snapshot, SnapshotStore
from kawal.engine.sql import literal
from kawal.i18n import t
from kawal.wilayah import LEVEL_NAMES, VERSIONS, registry

console = Console(highlight=False)
Sub = "argparse._SubParsersAction[argparse.ArgumentParser]"

DATA_HELP = (
    "folder data kawal (bawaan: $KAWAL_DATA_DIR atau ./kawal-data)",
    "kawal's data folder (default: $KAWAL_DATA_DIR or ./kawal-data)",
)


def _store(args: argparse.Namespace) -> SnapshotStore:
    return SnapshotStore(Path(args.data) if args.data else None)


@contextlib.contextmanager
def steps(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar over the named steps of a long job; the callback moves it one step."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=total)
        started = [False]

        def advance(description: str) -> None:
            if started[0]:
                progress.advance(task)
            started[0] = True
            progress.update(task, description=description)

        yield advance
        progress.update(task, completed=total)


# --- wilayah -------------------------------------------------------------------------------------------------


def register_wilayah(sub: Sub) -> None:
    p = sub.add_parser(
        "wilayah",
        help=t(("tampilkan satu wilayah dan anak-anaknya", "show a region and its children")),
        description=t(
            (
                "Tampilkan wilayah Kemendagri menurut kode (3671, 36.71.01, 3671011001) atau nama di bawah induk.",
                "Show a Kemendagri region by code (3671, 36.71.01, 3671011001) or by name under a parent.",
            )
        ),
    )
    p.add_argument("kode", help=t(("kode wilayah, bertitik atau tidak", "region code, dotted or not")))
    p.add_argument("--nama", help=t(("cari anak dengan nama ini", "find the child with this name")))
    p.set_defaults(handler=cmd_wilayah)


def cmd_wilayah(args: argparse.Namespace) -> int:
    reg = registry()
    unit = reg.lookup(args.kode)
    if args.nama:
        found = reg.find(args.nama, unit.code)
        if found is None:
            console.print(t(("Tidak ada '{n}' di bawah {u}.", "No '{n}' under {u}."), n=args.nama, u=unit.name))
            return 1
        unit = found
    path = " > ".join(u.name for u in [*reg.ancestors(unit.code), unit])
    console.print(f"[bold]{unit.code}[/bold] ({unit.kpu_code})  {unit.name}  [{LEVEL_NAMES[unit.level]}]")
    console.print(path)
    label = t(("Ada di daftar", "In lists"))
    console.print(f"{label}: " + ", ".join(VERSIONS[v] for v in unit.versions))
    children = reg.children(unit.code)
    if children:
        table = Table(
            t(("Kode", "Code")),
            t(("KPU", "KPU")),
            t(("Nama", "Name")),
            t(("Jenis", "Kind")),
            t(("Terkini", "Current")),
        )
        for child in children:
            table.add_row(child.code, child.kpu_code, child.name, child.kind, "✓" if child.current else "-")
        console.print(table)
    return 0


# --- import --------------------------------------------------------------------------------------------------


def register_import(sub: Sub) -> None:
    p = sub.add_parser(
        "import",
        help=t(("impor DP4/DPS/DPT menjadi snapshot", "import a DP4/DPS/DPT as a snapshot")),
        description=t(
            (
                "Baca CSV, XLSX atau Parquet daftar pemilih dan simpan sebagai snapshot Parquet yang tidak berubah.",
                "Read a CSV, XLSX or Parquet voter list and store it as an immutable Parquet snapshot.",
            )
        ),
    )
    p.add_argument("file", type=Path, help=t(("file daftar pemilih", "the voter-list file")))
    p.add_argument("--stage", required=True, type=str.upper, choices=STAGES, help=t(("tahap daftar", "list stage")))
    p.add_argument("--wilayah", required=True, help=t(("kode wilayah daftar ini", "region code of this list")))
    p.add_argument(
        "--rejects",
        type=Path,
        help=t(("tulis baris yang ditolak ke CSV ini", "write rejected rows to this CSV")),
    )
    p.add_argument("--data", help=t(DATA_HELP))
    p.set_defaults(handler=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    with steps(4) as advance:
        result = import_voter_list(args.file, args.stage, args.wilayah, _store(args), progress=advance)
    snapshot = result.snapshot
    if result.reused:
        console.print(
            t(
                ("File ini sudah diimpor sebagai {s}.", "This file was already imported as {s}."),
                s=snapshot.name,
            )
        )
    print_import_summary(snapshot, result.seconds)
    if args.rejects:
        write_rejects_csv(snapshot, args.rejects)
        console.print(t(("Baris ditolak ditulis ke {p}", "Rejected rows written to {p}"), p=args.rejects))
    return 0


def print_import_summary(snapshot: Snapshot, seconds: float) -> None:
    c = snapshot.counts
    m = snapshot.meta
    console.print(
        f"[bold]{snapshot.name}[/bold]  {m['stage']} {m['wilayah_name']} ({m['wilayah']})  {m['source']['name']}"
    )
    console.print(
        t(
            (
                "Baris masuk {i:,} = dimuat {l:,} + ditolak {r:,}  ({ok})  dalam {s:.1f} dtk",
                "Rows in {i:,} = loaded {l:,} + rejected {r:,}  ({ok})  in {s:.1f} s",
            ),
            i=c["rows_in"],
            l=c["loaded"],
            r=c["rejected"],
            ok=t(("cocok", "reconciled")) if m["reconciled"] else t(("TIDAK COCOK", "NOT RECONCILED")),
            s=seconds,
        )
    )
    if m["unmapped_columns"]:
        console.print(t(("Kolom diabaikan: {c}", "Columns ignored: {c}"), c=", ".join(m["unmapped_columns"])))
    if m["nik_excel"]["float_column"]:
        console.print(
            t(
                (
                    "[bold red]Kolom NIK pernah menjadi angka Excel[/]: NIK berakhir 0 patut dicurigai, ambil file asli.",
                    "[bold red]The NIK column was an Excel number column[/]: NIKs ending in 0 are suspect; get the original file.",
                )
            )
        )
    _print_reject_sample(snapshot)


def _print_reject_sample(snapshot: Snapshot, limit: int = 5) -> None:
    if not snapshot.counts["rejected"]:
        return
    rows = duckdb.sql(
        f"SELECT sheet, line, row_no, reason FROM read_parquet({literal(snapshot.rejects_path)}) ORDER BY row_no LIMIT {limit}"
    ).fetchall()
    pdf = snapshot.meta["source"]["format"] == "pdf"
    for sheet, line, row_no, reason in rows:
        console.print(f"  {_where(sheet, line, pdf)} ({t(('data ke', 'data row'))} {row_no}): {reason}")
    if snapshot.counts["rejected"] > limit:
        console.print(t(("  … dan {n:,} lagi", "  … and {n:,} more"), n=snapshot.counts["rejected"] - limit))


def _where(sheet: str | None, line: int | None, pdf: bool) -> str:
    """Where a rejected row is: sheet!line, the line, or for a PDF (whose sheet is its page) page and row."""
    if pdf:
        if line is None:
            return t(("halaman {p}", "page {p}"), p=sheet)
        return t(("halaman {p}, baris {n}", "page {p}, row {n}"), p=sheet, n=line)
    return f"{sheet}!{line}" if sheet else t(("baris {n}", "line {n}"), n=line)


def write_rejects_csv(snapshot: Snapshot, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    duckdb.execute(
        f"COPY (SELECT row_no, sheet, line, reason FROM read_parquet({literal(snapshot.rejects_path)}) ORDER BY row_no) "
        f"TO {literal(path)} (HEADER)"
    )


# --- snapshots and diff --------------------------------------------------------------------------------------


def register_snapshots(sub: Sub) -> None:
    p = sub.add_parser("snapshots", help=t(("daftar snapshot yang tersimpan", "list the stored snapshots")))
    p.add_argument("--json", action="store_true", help=t(("keluaran JSON", "JSON output")))
    p.add_argument("--data", help=t(DATA_HELP))
    p.set_defaults(handler=cmd_snapshots)


def cmd_snapshots(args: argparse.Namespace) -> int:
    snapshots = _store(args).list()
    if args.json:
        console.print_json(json.dumps([s.meta for s in snapshots]))
        return 0
    if not snapshots:
        console.print(t(("Belum ada snapshot.", "No snapshots yet.")))
        return 0
    table = Table("#", t(("Nama", "Name")), t(("Tahap", "Stage")), t(("Wilayah", "Region")), t(("Dimuat", "Loaded")))
    table.add_column(t(("Ditolak", "Rejected")))
    table.add_column(t(("Sumber", "Source")))
    table.add_column(t(("Waktu", "Time")))
    for s in snapshots:
        m = s.meta
        table.add_row(
            str(s.number),
            s.name,
            m["stage"],
            f"{m['wilayah']} {m['wilayah_name']}",
            f"{s.counts['loaded']:,}",
            f"{s.counts['rejected']:,}",
            f"{m['source']['name']} ({m['source']['sha256'][:12]})",
            m["created_at"],
        )
    console.print(table)
    return 0


# --- audit ---------------------------------------------------------------------------------------------------


def register_audit(sub: Sub) -> None:
    from kawal.engine.audit import ELECTION_DATE, MAX_PER_TPS

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
        help=t(("file daftar pemilih atau snapshot", "voter-list file or snapshot")),
    )
    p.add_argument("--out", type=Path, required=True, help=t(("folder hasil", "output folder")))
    p.add_argument(
        "--election-date",
        type=date.fromisoformat,
        default=ELECTION_DATE,
        help=t(
            ("hari pemungutan suara, YYYY-MM-DD (bawaan {d})", "election day, YYYY-MM-DD (default {d})"),
            d=ELECTION_DATE.isoformat(),
        ),
    )
    p.add_argument(
        "--max-per-tps",
        type=int,
        default=MAX_PER_TPS,
        help=t(("maksimum pemilih per TPS (bawaan {m})", "maximum voters per TPS (default {m})"), m=MAX_PER_TPS),
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
                "peluang minimum agar dua baris dianggap orang yang sama (bawaan 0,5; diperkirakan dari daftar ini)",
                "probability at which two rows are linked as one person (default 0.5; estimated from this list)",
            )
        ),
    )
    p.add_argument(
        "--wilayah",
        help=t(("wilayah untuk file yang diimpor (nama kelurahan)", "region for imported files (kelurahan names)")),
    )
    p.add_argument("--data", help=t(DATA_HELP))
    p.set_defaults(handler=cmd_audit)


def cmd_audit(args: argparse.Namespace) -> int:
    from kawal.engine.audit import audit

    with steps(6) as advance:
        result = audit(
            args.inputs,
            args.out,
            election_date=args.election_date,
            max_per_tps=args.max_per_tps,
            threshold=args.threshold,
            wilayah=args.wilayah,
            store=_store(args),
            progress=advance,
            usia_date=args.usia_date,
        )
    print_audit_summary(result)
    return 0


def print_audit_summary(result: AuditResult) -> None:
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
        table.add_row(code, str(check["tms"] or ""), f"{check['findings']:,}", f"{check['rows']:,}", check["title"])
    console.print(table)
    for name in ("findings.csv", "rejects.csv", "summary.json", "report.html"):
        console.print(f"  {result.out / name}")


# --- web ----------------------------------------------------------------------------------------------------


def register_serve(sub: Sub) -> None:
    p = sub.add_parser(
        "serve",
        help=t(
            (
                "jalankan situs web (SQLite bawaan; DATABASE_URL untuk PostgreSQL)",
                "run the website (SQLite by default; DATABASE_URL for PostgreSQL)",
            )
        ),
    )
    p.add_argument("--address", default="127.0.0.1:8000", help=t(("alamat:port", "address:port")))
    p.add_argument(
        "--debug",
        action="store_true",
        help=t(
            (
                "server pengembangan Django dengan DEBUG menyala (hanya di komputer sendiri: halamannya membuka kode "
                "dan semua URL); bawaan: gunicorn tanpa DEBUG",
                "Django's development server with DEBUG on (your own machine only: its pages show code and every "
                "URL); default: gunicorn without DEBUG",
            )
        ),
    )
    p.set_defaults(
        handler=lambda args: __import__("kawal.web.management", fromlist=["serve"]).serve(args.address, args.debug)
    )


def register_manage(sub: Sub) -> None:
    p = sub.add_parser(
        "manage",
        help=t(
            (
                "perintah manajemen Django (migrate, createsuperuser, …)",
                "Django management commands (migrate, createsuperuser, …)",
            )
        ),
    )
    p.add_argument("rest", nargs=argparse.REMAINDER, help=t(("perintah dan argumennya", "command and its arguments")))
    p.set_defaults(handler=lambda args: __import__("kawal.web.management", fromlist=["manage"]).manage(args.rest))


# --- generate and demo ---------------------------------------------------------------------------------------


def register_generate(sub: Sub) -> None:
    from kawal.synth.generator import CITY_VOTERS
    from kawal.synth.profiles import PROFILES

    p = sub.add_parser(
        "generate",
        help=t(
            (
                "buat DPT sintetis Kota Tangerang dengan masalah yang diketahui",
                "make a synthetic Kota Tangerang DPT with known problems",
            )
        ),
    )
    p.add_argument(
        "--voters",
        type=int,
        default=CITY_VOTERS,
        help=t(("jumlah pemilih (bawaan: DPT 2024)", "number of voters (default: the 2024 DPT)")),
    )
    p.add_argument("--seed", type=int, default=2024, help=t(("benih acak", "random seed")))
    p.add_argument("--out", type=Path, required=True, help=t(("folder keluaran", "output folder")))
    p.add_argument(
        "--profile",
        choices=["kawal", *PROFILES],
        default="kawal",
        help=t(
            (
                "profil pembangkit: kawal (bawaan) atau profil independen untuk menguji pencocok pemilih ganda",
                "generator profile: kawal (default) or an independent profile to measure the duplicate matcher on",
            )
        ),
    )
    p.set_defaults(handler=cmd_generate)


def run_generate(voters: int, seed: int, out: Path) -> dict[str, int]:
    from kawal.synth.generator import STAGES as GEN_STAGES
    from kawal.synth.generator import generate

    words = {
        "persons": t(("Membuat penduduk dan rumah tangga", "Making people and households")),
        "problems": t(("Menyisipkan masalah", "Injecting problems")),
        "truth": t(("Mencatat kebenaran", "Recording the truth")),
        "write": t(("Menulis CSV", "Writing CSV")),
    }
    with steps(len(GEN_STAGES)) as advance:
        summary = generate(voters, seed, out, progress=lambda s: advance(words.get(s, s)))
    console.print(
        t(
            (
                "{v:,} pemilih ({p:,} orang), {tps:,} TPS, {k} kelurahan, {h:,} KK → {o}",
                "{v:,} voters ({p:,} people), {tps:,} TPS, {k} kelurahan, {h:,} households → {o}",
            ),
            v=summary.voters,
            p=summary.persons,
            tps=summary.tps,
            k=summary.kelurahan,
            h=summary.households,
            o=out / "dpt.csv",
        )
    )
    return summary.problems


def run_generate_profile(profile: str, voters: int, seed: int, out: Path) -> dict[str, int]:
    """One of the independent profiles (kawal.synth.profiles): the list, its truth, and its duplicate pairs."""
    from kawal.synth.profiles import generate_profile

    words = {
        "persons": t(("Membuat penduduk, rumah tangga dan nama", "Making people, households and names")),
        "problems": t(("Mendaftarkan sebagian orang dua kali", "Registering some people twice")),
        "write": t(("Menulis CSV", "Writing CSV")),
    }
    with steps(len(words)) as advance:
        summary = generate_profile(profile, voters, seed, out, progress=lambda s: advance(words.get(s, s)))
    console.print(
        t(
            (
                "Profil {n}: {v:,} pemilih ({p:,} orang), {d:,} baris ganda, {pairs:,} pasangan → {o}",
                "Profile {n}: {v:,} voters ({p:,} people), {d:,} duplicate rows, {pairs:,} pairs → {o}",
            ),
            n=profile,
            v=summary["voters"],
            p=summary["persons"],
            d=summary["duplicate_rows"],
            pairs=summary["pairs"],
            o=out / "dpt.csv",
        )
    )
    return summary["problems"]


def cmd_generate(args: argparse.Namespace) -> int:
    if args.profile == "kawal":
        problems = run_generate(args.voters, args.seed, args.out)
    else:
        problems = run_generate_profile(args.profile, args.voters, args.seed, args.out)
    console.print(t(("Masalah (baris): ", "Problems (rows): ")) + ", ".join(f"{k} {v:,}" for k, v in problems.items()))
    return 0


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
    from kawal.engine.audit import audit

    with steps(6) as advance:
        audited = audit([str(result.snapshot.path)], args.out / "audit", store=store, progress=advance)
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


REGISTRY = (
    register_wilayah,
    register_import,
    register_snapshots,
    register_diff,
    register_audit,
    register_generate,
    register_demo,
    register_serve,
    register_manage,
)
