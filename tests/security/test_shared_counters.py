"""Issue 16, found by the probe (bench/security_probe.py) against `kawal serve`: without KAWAL_CACHE_URL the
login counters lived in each gunicorn worker's own memory, so five workers took five wrong passwords each, and a
look-alike name or /admin/login/ after the "lock" simply reached another worker. Without Redis the cache is now a
folder every process of the machine shares (<data>/cache)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from bench.security_probe import LOCKED, PAIR_FAILURES, Browser

from tests.security.test_settings_and_serve import clean_env, free_port, wait_for

PASSWORD = "kata-sandi-yang-benar-sekali"
MAKE_USER = (
    "import django; django.setup(); from django.contrib.auth import get_user_model; "
    f"get_user_model().objects.create_user('relawan.satu', password='{PASSWORD}')"
)


@pytest.mark.slow
def test_every_gunicorn_worker_sees_one_set_of_login_counters(tmp_path):
    env = clean_env(tmp_path, KAWAL_WEB_WORKERS="4")
    subprocess.run([sys.executable, "-m", "kawal", "manage", "migrate", "--no-input", "-v", "0"], env=env, check=True)
    subprocess.run([sys.executable, "-c", MAKE_USER], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kawal", "serve", "--address", f"127.0.0.1:{port}"],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=(tmp_path / "serve.log").open("w"),
    )  # fmt: skip
    try:
        wait_for(port, server)
        base = f"http://127.0.0.1:{port}"
        attacker = Browser(base)
        for _ in range(PAIR_FAILURES):
            attacker.login("relawan.satu", "salah-sekali")
        for path, name in [("/masuk/", "relawan.satu")] * 6 + [("/admin/login/", "ｒelawan.satu")] * 2:
            answer = attacker.login(name, PASSWORD, path=path)  # a new connection each: any worker may answer
            assert answer.status == 200 and LOCKED in answer.text, (path, name, answer.status)
        assert Browser(base, "127.0.0.2").login("relawan.satu", PASSWORD).status == 302  # its owner, elsewhere
        assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=60)
