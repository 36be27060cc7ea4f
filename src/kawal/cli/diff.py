"""``kawal diff OLD NEW``: what changed between two snapshots of any stages, by kelurahan (kawal.engine.diff)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypeAlias

from rich.console import Console
from rich.table import Table

from kawal.engine import DiffResult, SnapshotStore, diff_snapshots
from kawal.engine import diff_summary_csv as summary_csv
from kawal.engine import diff_summary_json as summary_json
from kawal.i18n import number, t

console = Console(highlight=False)
Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

DATA_HELP = (
    "folder data kawal (bawaan: $KAWAL_DATA_DIR atau ./kawal-data)",
    "kawal's data folder (default: $KAWAL_DATA_DIR or ./kawal-data)",
)


def register_diff(sub: Sub) -> None:
    p = sub.add_parser(
        "diff",
        help=t(
            (
                "siapa tetap, dicoret TMS, dihapus, ditambah dan diubah antara dua snapshot",
                "who was kept, struck as TMS, removed, added and changed between two snapshots",
            )
        ),
        description=t(
            (
                "Bandingkan dua snapshot dari tahap mana pun (DP4 → hasil coklit, DPS → DPT …) per kelurahan: coretan "
                "TMS per kode, tambahan (B), perubahan (U). Baris lama = tetap + dicoret + dihapus; baris baru = tetap "
                "+ dicoret yang masih tampil + ditambah. Daftar yang NIK-nya disamarkan dicocokkan pada nama, tahun "
                "lahir dan RT/kelurahan; keluaran menyebut langkah mana yang dipakai.",
                "Compare two snapshots of any stages (DP4 → coklit result, DPS → DPT …) by kelurahan: TMS strikes by "
                "code, additions (B), changes (U). Old rows = kept + struck + removed; new rows = kept + struck rows "
                "still shown + added. Lists with hidden NIK digits are paired on name, birth year and RT/kelurahan; "
                "the output says which step paired how many.",
            )
        ),
    )
    p.add_argument("old", help=t(("snapshot lama (nomor, nama atau folder)", "old snapshot (number, name or folder)")))
    p.add_argument("new", help=t(("snapshot baru", "new snapshot")))
    p.add_argument(
        "--out",
        type=Path,
        help=t(("tulis rincian per orang ke CSV ini", "write per-person details to this CSV")),
    )
    p.add_argument(
        "--csv", type=Path, help=t(("tulis tabel per kelurahan ke CSV ini", "write the table by kelurahan to this CSV"))
    )
    p.add_argument(
        "--json",
        action="store_true",
        help=t(("cetak hasil sebagai JSON (tanpa nama)", "print the result as JSON (no names)")),
    )
    p.add_argument("--data", help=t(DATA_HELP))
    p.set_defaults(handler=cmd_diff)


def cmd_diff(args: argparse.Namespace) -> int:
    store = SnapshotStore(Path(args.data) if args.data else None)
    result = diff_snapshots(store.get(args.old), store.get(args.new), args.out)
    if args.csv:
        summary_csv(result, args.csv)
    if args.json:
        print(summary_json(result))
        return 0
    _print_totals(result)
    console.print(_table(result))
    if args.out:
        console.print(t(("Rincian ditulis ke {p}", "Details written to {p}"), p=args.out))
    if args.csv:
        console.print(t(("Tabel per kelurahan ditulis ke {p}", "Table by kelurahan written to {p}"), p=args.csv))
    return 0


def _print_totals(r: DiffResult) -> None:
    console.print(f"[bold]{r.old}[/bold] ({r.old_stage}) → [bold]{r.new}[/bold] ({r.new_stage})")
    if not r.stages_in_order:
        console.print(
            t(
                ("Perhatian: tahap {n} biasanya mendahului {o}.", "Note: stage {n} usually comes before {o}."),
                n=r.new_stage,
                o=r.old_stage,
            )
        )
    console.print(
        t(
            (
                "+{a:,} ditambah, -{r:,} dihapus, -{s:,} dicoret TMS, {c:,} diubah, {u:,} tetap",
                "+{a:,} added, -{r:,} removed, -{s:,} struck as TMS, {c:,} changed, {u:,} unchanged",
            ),
            a=r.added,
            r=r.removed,
            s=r.struck,
            c=r.changed,
            u=r.unchanged,
        )
    )
    steps = ", ".join(f"{step} {number(n)}" for step, n in r.matched_by.items() if n) or "-"
    console.print(t(("Dicocokkan pada: {s}", "Paired on: {s}"), s=steps))
    console.print(
        t(
            (
                "Lama {o:,} = tetap {k:,} + dicoret TMS {s:,} + dihapus {r:,}",
                "Old {o:,} = kept {k:,} + struck as TMS {s:,} + removed {r:,}",
            ),
            o=r.old_rows,
            k=r.kept,
            s=r.struck,
            r=r.removed,
        )
    )
    console.print(
        t(
            (
                "Baru {n:,} = tetap {k:,} + coretan yang masih tampil {s:,} + ditambah {a:,} (bertanda B {b:,})",
                "New {n:,} = kept {k:,} + struck rows still shown {s:,} + added {a:,} (marked B {b:,})",
            ),
            n=r.new_rows,
            k=r.kept,
            s=r.struck_in_new,
            a=r.added,
            b=r.added_b,
        )
    )
    console.print(
        t(
            (
                "Diubah {c:,} (bertanda U {u:,}), tidak berubah {x:,}, pindah kelurahan {m:,}",
                "Changed {c:,} (marked U {u:,}), unchanged {x:,}, moved to another kelurahan {m:,}",
            ),
            c=r.changed,
            u=r.marked_u,
            x=r.unchanged,
            m=r.moved,
        )
    )
    if r.struck_by_code:
        codes = ", ".join(f"TMS {code} {number(n)}" for code, n in r.struck_by_code.items())
        console.print(t(("Dicoret per kode: {c}", "Struck by code: {c}"), c=codes))
    if r.fields:
        fields = ", ".join(f"{k} {number(v)}" for k, v in r.fields.items())
        console.print(t(("Kolom yang berubah: {f}", "Fields changed: {f}"), f=fields))


def _table(r: DiffResult) -> Table:
    headers = [
        t(("Kode", "Code")),
        "Kelurahan",
        t(("Lama", "Old")),
        t(("Baru", "New")),
        t(("Tetap", "Kept")),
        t(("Diubah (U)", "Changed (U)")),
        t(("Dicoret TMS (per kode)", "Struck as TMS (by code)")),
        t(("Dihapus", "Removed")),
        t(("Ditambah (B)", "Added (B)")),
    ]
    if r.moved:
        headers.insert(5, t(("Pindah keluar/masuk", "Moved out/in")))
    table = Table(*headers)
    for k in r.by_kelurahan:
        codes = " ".join(f"{c}:{number(n)}" for c, n in k.struck_by_code.items())
        cells = [
            k.kode_kelurahan or "-",
            k.kelurahan or "-",
            number(k.old_rows),
            number(k.new_rows),
            number(k.kept),
            f"{number(k.changed)} ({number(k.marked_u)})",
            number(k.struck) + (f" ({codes})" if codes else ""),
            number(k.removed),
            f"{number(k.added)} ({number(k.added_b)})",
        ]
        if r.moved:
            cells.insert(5, f"-{number(k.moved_out)}/+{number(k.moved_in)}")
        table.add_row(*cells)
    return table
