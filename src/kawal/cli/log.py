"""``kawal log verify``: check the action log's hash chain end to end (exit status 1 when it is broken)."""

from __future__ import annotations

import argparse

from kawal.cli.commands import Sub, console
from kawal.i18n import t


def register_log(sub: Sub) -> None:
    p = sub.add_parser(
        "log", help=t(("log tindakan yang tidak bisa diubah diam-diam", "the tamper-evident action log"))
    )
    steps = p.add_subparsers(dest="log_command", metavar="LANGKAH" if t(("id", "en")) == "id" else "STEP")
    verify = steps.add_parser(
        "verify",
        help=t(
            (
                "periksa rantai hash: entri diubah, dihapus atau diurutkan ulang",
                "check the hash chain: edited, removed or reordered entries",
            )
        ),
    )
    verify.set_defaults(handler=cmd_verify)
    p.set_defaults(handler=lambda _args: p.print_help() or 2)


def cmd_verify(_args: argparse.Namespace) -> int:
    from kawal.web import management

    management.setup()
    from kawal.web.actionlog.models import head, verify

    checked, problems = verify()
    for problem in problems:
        console.print(f"[red]✗[/red] {problem}")
    latest = head()
    if problems:
        console.print(
            t(
                ("Rantai RUSAK: {n} masalah dari {c:,} entri.", "Chain BROKEN: {n} problems in {c:,} entries."),
                n=len(problems),
                c=checked,
            )
        )
        return 1
    console.print(
        t(
            ("Rantai utuh: {c:,} entri. Kepala: #{s} {h}", "Chain intact: {c:,} entries. Head: #{s} {h}"),
            c=checked,
            s=latest[0] if latest else 0,
            h=latest[1] if latest else "-",
        )
    )
    return 0
