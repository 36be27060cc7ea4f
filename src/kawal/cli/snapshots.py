"""``kawal snapshots``: the stored snapshots, oldest first."""

from __future__ import annotations

import argparse
import json

from rich.table import Table

from kawal.cli.common import DATA_HELP, Sub, console, store
from kawal.i18n import number, t


def register_snapshots(sub: Sub) -> None:
    p = sub.add_parser("snapshots", help=t(("daftar snapshot yang tersimpan", "list the stored snapshots")))
    p.add_argument("--json", action="store_true", help=t(("keluaran JSON", "JSON output")))
    p.add_argument("--data", help=t(DATA_HELP))
    p.set_defaults(handler=cmd_snapshots)


def cmd_snapshots(args: argparse.Namespace) -> int:
    snapshots = store(args).list()
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
            number(s.counts["loaded"]),
            number(s.counts["rejected"]),
            f"{m['source']['name']} ({m['source']['sha256'][:12]})",
            m["created_at"],
        )
    console.print(table)
    return 0
