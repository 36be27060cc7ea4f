"""Point 4 of the review: no placeholder keys in production, DEBUG only when asked for, and ``kawal serve`` on the
production server (gunicorn) without DEBUG, whose 404 page would list every URL."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

STRONG = {"KAWAL_SECRET_KEY": secrets.token_urlsafe(50), "KAWAL_FIELD_KEY": secrets.token_hex(32)}


def clean_env(tmp_path, **extra: str) -> dict:
    """This process's environment without the test run's settings, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAWAL_", "DJANGO_", "DATABASE_URL"))}
    return {**env, "KAWAL_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kawal.web.settings", **extra}


def settings_of(env: dict) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; print('DEBUG', settings.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("KAWAL_SECRET_KEY", "change-me"),
        ("KAWAL_FIELD_KEY", "change-me"),
        ("KAWAL_HASH_KEY", "change-me"),
        ("KAWAL_BACKUP_KEY", "change-me"),  # deploy/kawal.env.example's line for it
        ("KAWAL_FIELD_KEY", "CHANGEME"),
        ("KAWAL_SECRET_KEY", "django-insecure-abc"),
        ("KAWAL_FIELD_KEY", "a1b2c3d4e5f6"),  # too short to be a key
        ("DATABASE_URL", "postgres://kawal:change-me@127.0.0.1:5432/kawal"),
    ],
)
def test_placeholder_keys_are_refused_in_production(tmp_path, name, value):
    env = clean_env(tmp_path, KAWAL_ENV="production", KAWAL_ALLOWED_HOSTS="kawal.example.org", **STRONG)
    env[name] = value
    done = settings_of(env)
    assert done.returncode != 0 and "ImproperlyConfigured" in done.stderr and name in done.stderr
    assert value not in done.stderr  # the message names the setting, never its value


def test_debug_is_off_unless_asked_for(tmp_path):
    assert "DEBUG False" in settings_of(clean_env(tmp_path)).stdout
    assert "DEBUG True" in settings_of(clean_env(tmp_path, KAWAL_DEBUG="1")).stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")


def wait_for(port: int, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "kawal serve stopped"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("kawal serve did not start")


@pytest.mark.slow
def test_kawal_serve_runs_gunicorn_without_debug_and_serves_static_files(tmp_path):
    port = free_port()
    env = clean_env(tmp_path, KAWAL_WEB_WORKERS="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "kawal", "serve", "--address", f"127.0.0.1:{port}"],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=(tmp_path / "serve.log").open("w"),
    )  # fmt: skip
    try:
        wait_for(port, server)
        status, headers, body = fetch(f"http://127.0.0.1:{port}/tidak-ada/")
        assert status == 404 and "URLconf" not in body and "masuk/" not in body  # DEBUG's page lists every URL
        assert "gunicorn" in headers.get("Server", "")
        status, _headers, body = fetch(f"http://127.0.0.1:{port}/static/vendor/htmx-2.0.11.min.js")
        assert status == 200 and "htmx" in body
        assert fetch(f"http://127.0.0.1:{port}/masuk/")[0] == 200
    finally:
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C in the terminal does: the whole group gets it
        assert server.wait(timeout=60) == 0
