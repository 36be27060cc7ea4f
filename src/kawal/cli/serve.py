"""``kawal serve``: the website (gunicorn, or Django's development server with ``--debug``)."""

from __future__ import annotations

from kawal.cli.common import Sub
from kawal.i18n import t


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
