"""Points 2 and 3 of the review: every login path shares one throttle, keyed on the name as Django reads it, and
staff and superusers need the second factor, on the admin site too."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory

from tests.security.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOCKED = "Terlalu banyak percobaan"
PAIR_FAILURES = 5  # wrong passwords one name may have from one address


def post(client, path: str, username: str, password: str):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR="198.51.100.7")


def test_the_admin_login_shares_the_throttle_of_the_site_login(client, accounts):
    for _ in range(PAIR_FAILURES):
        post(client, "/masuk/", "admin.kpu", "salah")
    refused = post(client, "/admin/login/", "admin.kpu", PASSWORD)
    assert refused.status_code == 200 and LOCKED in refused.content.decode()
    assert "_auth_user_id" not in client.session
    elsewhere = RequestFactory().post("/", REMOTE_ADDR="198.51.100.7")  # any other path that authenticates
    assert authenticate(elsewhere, username="admin.kpu", password=PASSWORD) is None

    for _ in range(PAIR_FAILURES):  # and the other way round
        post(client, "/admin/login/", "koordinator.cipondoh", "salah")
    assert LOCKED in post(client, "/masuk/", "koordinator.cipondoh", PASSWORD).content.decode()


def test_a_look_alike_name_shares_the_lock(client, accounts):
    for _ in range(PAIR_FAILURES):
        post(client, "/masuk/", "relawan.ketapang", "salah")
    for look_alike in ("ｒelawan.ketapang", "RELAWAN.KETAPANG", " relawan.ketapang"):  # U+FF52, case, space
        refused = post(client, "/masuk/", look_alike, PASSWORD)
        assert refused.status_code == 200 and LOCKED in refused.content.decode(), look_alike


def test_superusers_and_staff_need_the_second_factor_on_the_admin_site(client, accounts, settings):
    settings.KAWAL_REQUIRE_2FA = True
    root = get_user_model().objects.create_superuser("root.kpu", password=PASSWORD)  # no membership at all
    assert not root.memberships.exists()
    assert post(client, "/admin/login/", "root.kpu", PASSWORD).status_code == 302
    admin_page = client.get("/admin/")
    assert admin_page.status_code == 302 and admin_page["Location"].startswith("/akun/2fa/")
    assert client.get("/admin/auth/user/").status_code == 302

    client.logout()
    get_user_model().objects.create_user("staf.kpu", password=PASSWORD, is_staff=True)
    assert post(client, "/admin/login/", "staf.kpu", PASSWORD).status_code == 302
    assert client.get("/admin/")["Location"].startswith("/akun/2fa/")
