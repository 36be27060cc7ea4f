"""Login throttling, security headers, and the production settings passing Django's deployment check."""

import os
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from kawal.web.accounts.throttle import USER_FAILURES
from kawal.web.actionlog.models import ActionLog

pytestmark = pytest.mark.django_db
PASSWORD = "kata-sandi-yang-benar-sekali"


@pytest.fixture
def user():
    cache.clear()
    return get_user_model().objects.create_user("saksi.uji", password=PASSWORD)


def attempt(client, password, username="saksi.uji", ip="10.0.0.1"):
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_name_even_for_the_right_one(client, user):
    for _ in range(USER_FAILURES):
        assert attempt(client, "salah").status_code == 200
    locked = attempt(client, PASSWORD)
    assert locked.status_code == 200 and "Terlalu banyak percobaan" in locked.content.decode()
    assert ActionLog.objects.filter(action="login.locked").count() == 1
    assert "saksi.uji" not in str(list(ActionLog.objects.values_list("detail", flat=True)))


def test_the_lock_lifts_after_the_window(client, user):
    for _ in range(USER_FAILURES):
        attempt(client, "salah")
    cache.clear()  # what WINDOW seconds of waiting does
    assert attempt(client, PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, user):
    for _ in range(USER_FAILURES - 1):
        attempt(client, "salah")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    attempt(client, "salah")
    assert attempt(client, PASSWORD).status_code == 302


def test_one_address_cannot_try_many_names(client, user):
    for i in range(20):
        attempt(client, "salah", username=f"orang{i}", ip="10.9.9.9")
    assert "Terlalu banyak percobaan" in attempt(client, PASSWORD, ip="10.9.9.9").content.decode()
    assert attempt(client, PASSWORD, ip="10.0.0.2").status_code == 302


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/masuk/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY" and response["Referrer-Policy"] == "same-origin"


def test_production_settings_pass_the_deployment_check(tmp_path):
    env = {
        **os.environ,
        "KAWAL_ENV": "production",
        "KAWAL_SECRET_KEY": secrets.token_urlsafe(50),
        "KAWAL_FIELD_KEY": secrets.token_hex(32),
        "KAWAL_ALLOWED_HOSTS": "kawal.example.org",
        "KAWAL_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kawal.web.settings",
    }
    for leftover in ("KAWAL_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"):  # test-run settings, not production
        env.pop(leftover, None)
    done = subprocess.run(
        [sys.executable, "-m", "kawal", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_csv_exports_do_not_carry_formulas(client, loaded):
    from kawal.web.accounts.models import Membership, Organisation, Role
    from kawal.web.actionlog.models import record

    evil = get_user_model().objects.create_user("=HYPERLINK(1)")
    Membership.objects.create(
        user=evil, organisation=Organisation.objects.get(kind="ormas"), role=Role.RELAWAN, wilayah="3671051007"
    )
    record("test.formula", user=evil)
    client.force_login(get_user_model().objects.get(username="admin.kpu"))
    body = b"".join(client.get("/log/ekspor.csv").streaming_content).decode()
    assert "'=HYPERLINK(1)" in body and ",=HYPERLINK" not in body


def test_spreadsheet_safe_in_python_and_sql_agree():
    from kawal.engine.sql import connect, spreadsheet_safe, spreadsheet_safe_sql

    values = ["=1+1", "+62", "-", "@SUM(A1)", "\tx", "SITI", "", "3671"]
    con = connect()
    got = [con.execute(f"SELECT {spreadsheet_safe_sql('$1::VARCHAR')}", [v]).fetchall()[0][0] for v in values]
    assert (
        got == [spreadsheet_safe(v) for v in values] == ["'=1+1", "'+62", "'-", "'@SUM(A1)", "'\tx", "SITI", "", "3671"]
    )


def test_logging_out_tells_the_browser_to_drop_cached_pages_and_storage(client, loaded):
    client.force_login(get_user_model().objects.get(username="relawan.ketapang"))
    response = client.post("/keluar/")
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
