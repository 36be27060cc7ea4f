"""``kawal manage …``: Django's management commands."""

from __future__ import annotations

import argparse

from kawal.cli.common import Sub
from kawal.i18n import t


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
