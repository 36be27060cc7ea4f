"""``kawal``: the command line. Bahasa Indonesia by default; ``--lang en`` or ``KAWAL_LANG=en`` for English."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kawal import __version__
from kawal.cli import (
    admin,
    audit,
    demo,
    diff,
    generate,
    import_list,
    log,
    manage,
    results,
    sample,
    serve,
    snapshots,
    wilayah,
)
from kawal.i18n import KawalError, set_language, t

DESCRIPTION = (
    "kawal: KPU dan Ormas mengawal Pilkada bersama. Audit daftar pemilih, verifikasi lapangan, partisipasi, "
    "dan penghitungan suara.",
    "kawal: KPU and Ormas guard a Pilkada together. Voter-list audit, field verification, turnout and the count.",
)
LANG_HELP = ("bahasa keluaran: id (bawaan) atau en", "output language: id (default) or en")
# What the optional parts of kawal import, and the extra that brings each (pyproject.toml).
EXTRAS = {"django": "web", "ninja": "web", "reportlab": "pdf", "storages": "s3", "boto3": "s3"}
NEEDS_EXTRA = (
    "Perintah ini butuh bagian '{extra}' dari kawal, yang tidak terpasang: pip install 'kawal[{extra}]'",
    "This command needs kawal's '{extra}' part, which is not installed: pip install 'kawal[{extra}]'",
)


def _language_from_argv(argv: Sequence[str]) -> str | None:
    """Pick ``--lang`` before argparse runs, so that ``--help`` itself comes out in that language."""
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kawal", description=t(DESCRIPTION))
    parser.add_argument("--lang", choices=("id", "en"), help=t(LANG_HELP))
    parser.add_argument("--version", action="version", version=f"kawal {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH" if t(("id", "en")) == "id" else "COMMAND")
    for register in (
        wilayah.register_wilayah,
        import_list.register_import,
        snapshots.register_snapshots,
        diff.register_diff,
        audit.register_audit,
        generate.register_generate,
        demo.register_demo,
        serve.register_serve,
        manage.register_manage,
        sample.register_sample,
        results.register_results,
        log.register_log,
        admin.register_backup,
        admin.register_retention,
        admin.register_keys,
    ):
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    language = _language_from_argv(argv)
    set_language(language if language in ("id", "en") else None)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        _snapshot_key_from_environment()
        return int(args.handler(args) or 0)
    except KawalError as error:
        print(f"kawal: {error}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as error:  # the core install (pip install kawal) has no web, PDF writer or S3
        extra = EXTRAS.get((error.name or "").split(".")[0])
        if extra is None:
            raise
        print(f"kawal: {t(NEEDS_EXTRA).format(extra=extra)}", file=sys.stderr)
        return 1


def _snapshot_key_from_environment() -> None:
    """Outside the web app, ``KAWAL_SNAPSHOT_KEY_FILE`` (a file of 64 hex digits) seals the snapshots the command
    line writes and opens sealed ones. (Inside it, ``kawal manage`` and the site derive the key from
    ``KAWAL_FIELD_KEY``; Django's start-up sets it after this.)"""
    path = os.environ.get("KAWAL_SNAPSHOT_KEY_FILE")
    if path:
        from kawal.engine import set_snapshot_keys, snapshot_key_from_file

        set_snapshot_keys(snapshot_key_from_file(Path(path)))


if __name__ == "__main__":
    sys.exit(main())
