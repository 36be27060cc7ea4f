"""``kawal wilayah CODE``: a Kemendagri region, its parents, the list versions it is in, and its children."""

from __future__ import annotations

import argparse

from rich.table import Table

from kawal.cli.common import Sub, console
from kawal.i18n import t
from kawal.wilayah import LEVEL_NAMES, VERSIONS, registry


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
