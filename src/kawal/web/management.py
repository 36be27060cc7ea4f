"""Run Django management commands from the kawal CLI (``kawal manage …``, ``kawal serve``)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.web.settings")
    import django

    django.setup()


def manage(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kawal manage", *argv])
    return 0


def serve(address: str = "127.0.0.1:8000") -> int:
    """Migrate, start the task worker beside the site, and serve until interrupted."""
    manage(["migrate", "--no-input", "-v", "0"])
    worker = subprocess.Popen([sys.executable, "-m", "kawal", "manage", "db_worker", "--queue-name", "default,photos"])
    try:
        return manage(["runserver", address, "--noreload"])
    finally:
        worker.terminate()
        worker.wait(timeout=10)
