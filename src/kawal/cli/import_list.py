"""``kawal import FILE --stage STAGE --wilayah CODE``: a voter list into an immutable snapshot."""

from __future__ import annotations

import argparse
from pathlib import Path

from kawal.cli.common import DATA_HELP, Sub, console, steps, store
from kawal.engine import RECORD_ID_NOTES, STAGES, Snapshot, import_voter_list, snapshot_rejects, write_rejects
from kawal.i18n import t


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
    p.add_argument(
        "file",
        type=Path,
        help=t(
            (
                "file daftar pemilih, atau folder (atau ZIP) berisi file CSV per TPS",
                "the voter-list file, or a folder (or ZIP) of per-TPS CSV files",
            )
        ),
    )
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
        result = import_voter_list(args.file, args.stage, args.wilayah, store(args), progress=advance)
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
    if m["source"].get("parts") and m["source"]["skipped_sheets"]:  # a folder's or ZIP's files read as no list
        console.print(
            t(("File dilewati (bukan daftar pemilih): {f}", "Files left out (no voter list): {f}"),
              f=", ".join(m["source"]["skipped_sheets"]))
        )  # fmt: skip
    if m.get("record_ids", "no") in RECORD_ID_NOTES:
        console.print(t(RECORD_ID_NOTES[m["record_ids"]], s=m["source"]["name"]))
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
    rows = snapshot_rejects(snapshot.rejects_path, limit)
    pdf = snapshot.meta["source"]["format"] == "pdf"
    folder = bool(snapshot.meta["source"].get("parts"))  # a folder of CSV files: its rows name their file
    for sheet, line, row_no, reason in rows:
        where = f"{sheet}, {t(('baris {n}', 'line {n}'), n=line)}" if folder else _where(sheet, line, pdf)
        console.print(f"  {where} ({t(('data ke', 'data row'))} {row_no}): {reason}")
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
    write_rejects(snapshot.rejects_path, path)
