"""``kawal log verify``: check the action log's hash chain end to end and against every signed checkpoint (exit
status 1 when it is broken); ``kawal log checkpoint``: sign the current head (hourly, by a systemd timer)."""

from __future__ import annotations

import argparse

from kawal.cli.common import Sub, console
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
    verify.add_argument(
        "--checkpoint",
        action="append",
        default=[],
        metavar="FILE",
        help=t(
            (
                "titik periksa yang disimpan di luar (baris JSON dari `kawal log checkpoint`)",
                "checkpoints kept elsewhere (JSON lines printed by `kawal log checkpoint`)",
            )
        ),
    )
    verify.set_defaults(handler=cmd_verify)
    point = steps.add_parser(
        "checkpoint",
        help=t(
            (
                "tandatangani kepala log sekarang (tabel, berkas, dan dicetak untuk diterbitkan)",
                "sign the log's head now (table, file, and printed for publishing)",
            )
        ),
    )
    point.set_defaults(handler=cmd_checkpoint)
    p.set_defaults(handler=lambda _args: p.print_help() or 2)  # type: ignore[func-returns-value]  # help, then exit 2


def cmd_verify(args: argparse.Namespace) -> int:
    from kawal.web import management

    management.setup()
    from kawal.web.actionlog import checkpoints
    from kawal.web.actionlog.models import head, verify

    outside = [c for path in getattr(args, "checkpoint", []) for c in checkpoints.read(path)]
    checked, problems = verify(checkpoints=outside)
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
    # The chain proves every entry it holds, not that none was cut from its end: that shows only against a signed
    # checkpoint. Say how many entries no checkpoint covers yet, so "intact" is not read as more than it is.
    known, _problems = checkpoints.gather(outside)
    newest = max((c.seq for c in known), default=0)
    uncovered = (latest[0] if latest else 0) - newest
    if uncovered > 0:
        console.print(
            t(
                (
                    "Catatan: {n:,} entri terakhir belum dilindungi titik periksa (terakhir: {p}); entri yang "
                    "dihapus dari ujung log hanya ketahuan lewat titik periksa (`kawal log checkpoint`).",
                    "Note: the last {n:,} entries are not covered by a checkpoint yet (latest: {p}); entries "
                    "deleted from the log's tail are found only against a checkpoint (`kawal log checkpoint`).",
                ),
                n=uncovered,
                p=f"#{newest}" if newest else "-",
            )
        )
    return 0


def cmd_checkpoint(_args: argparse.Namespace) -> int:
    from kawal.web import management

    management.setup()
    from kawal.web.actionlog import checkpoints

    signed = checkpoints.make()
    if signed is None:
        console.print(t(("Log masih kosong.", "The log is still empty.")))
        return 0
    print(signed.to_json())  # one JSON line: publish it, or append it to a file `kawal log verify --checkpoint` reads
    return 0
