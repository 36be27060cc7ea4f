"""TOTP: the RFC 6238 vectors, and the flow a coordinator goes through when the second factor is required."""

import re

import pytest
from django.contrib.auth import get_user_model

from kawal.web.accounts import totp
from kawal.web.accounts.models import TotpDevice
from kawal.web.crypto import decrypt
from tests.web.conftest import login

pytestmark = pytest.mark.django_db
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"


@pytest.mark.parametrize(("unix", "code"), [(59, "94287082"), (1111111109, "07081804"), (2000000000, "69279037")])
def test_rfc_6238_vectors(unix, code):
    assert totp.code_at(RFC_SECRET, unix // 30, digits=8) == code


def test_a_code_is_accepted_once_and_one_step_either_side():
    step = totp.current_step(1_000_000)
    code = totp.code_at(RFC_SECRET, step - 1)
    assert totp.matching_step(RFC_SECRET, code, None, now=1_000_000) == step - 1
    assert totp.matching_step(RFC_SECRET, code, step - 1, now=1_000_000) is None  # never twice
    assert totp.matching_step(RFC_SECRET, totp.code_at(RFC_SECRET, step - 3), None, now=1_000_000) is None


@pytest.fixture
def required(settings, loaded):
    settings.KAWAL_REQUIRE_2FA = True
    return get_user_model().objects.get(username="koordinator.cipondoh")


def test_a_coordinator_must_set_up_the_second_factor_then_enter_it(client, required):
    login(client, "koordinator.cipondoh")
    first = client.get("/")
    assert first.status_code == 302 and first["Location"].startswith("/akun/2fa/")
    page = client.get(first["Location"]).content.decode()
    assert "<svg" in page
    secret = re.search(r"data-secret>([A-Z2-7]+)<", page).group(1)
    wrong = client.post("/akun/2fa/", {"code": "000000", "next": "/"})
    assert "Kode salah" in wrong.content.decode()
    right = client.post("/akun/2fa/", {"code": totp.code_at(secret, totp.current_step()), "next": "/"})
    assert right.status_code == 302 and client.get("/").status_code == 200
    assert decrypt(TotpDevice.objects.get(user=required).secret_encrypted) == secret

    client.logout()
    login(client, "koordinator.cipondoh")
    assert client.get("/temuan/")["Location"].startswith("/akun/2fa/verifikasi/")
    assert client.get("/api/v1/summary").status_code == 403  # the session's API waits for the code too
    next_code = totp.code_at(secret, totp.current_step() + 1)
    assert client.post("/akun/2fa/verifikasi/", {"code": next_code, "next": "/temuan/"})["Location"] == "/temuan/"


def test_relawan_are_not_asked(client, required):
    login(client, "relawan.ketapang")
    assert client.get("/tugas/").status_code == 200
