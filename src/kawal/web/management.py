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


def serve(address: str = "127.0.0.1:8000", debug: bool = False) -> int:
    """Migrate, start the task worker beside the site, and serve until interrupted (Ctrl-C).

    By default on the production server, gunicorn with ``kawal.web.gunicorn_conf`` and DEBUG off, serving the
    collected static files itself. ``debug`` runs Django's development server with DEBUG on instead: its error
    pages show code and settings and its 404 page lists every URL, so it is for a developer's own machine only.
    """
    os.environ["KAWAL_DEBUG"] = "1" if debug else "0"  # before the settings load, here and in the children
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.web.settings")
    manage(["migrate", "--no-input", "-v", "0"])
    if not debug:
        manage(["collectstatic", "--no-input", "-v", "0"])
    worker = subprocess.Popen([sys.executable, "-m", "kawal", "manage", "db_worker", "--queue-name", "default,photos"])
    site = subprocess.Popen(_debug_server(address) if debug else _gunicorn(), env=_site_env(address, debug))
    try:
        return site.wait()
    except KeyboardInterrupt:  # the terminal sent Ctrl-C to the site and the worker as well: let them finish
        return 0
    finally:
        for process in (site, worker):
            _stop(process)


def _gunicorn() -> list[str]:
    """As deploy/systemd/kawal-web.service runs it (the address comes in KAWAL_BIND). One machine, usually SQLite:
    a few workers with threads each (``KAWAL_WEB_WORKERS``, 2 here) rather than 2 × cores + 1 processes."""
    conf = ["-c", "python:kawal.web.gunicorn_conf", "--threads", "4"]
    return [sys.executable, "-m", "gunicorn", *conf, "kawal.web.wsgi:application"]


def _debug_server(address: str) -> list[str]:
    return [sys.executable, "-m", "kawal", "manage", "runserver", address, "--noreload"]


def _site_env(address: str, debug: bool) -> dict[str, str]:
    env = {**os.environ, "KAWAL_BIND": address}
    if not debug:
        env["KAWAL_SERVE_STATIC"] = "1"  # no nginx in front of `kawal serve`
        env.setdefault("KAWAL_WEB_WORKERS", "2")
    return env


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
