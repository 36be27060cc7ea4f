"""Point 6 of the review: API tokens expire, and their owner or an admin can revoke them."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from kawal.web.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def api(client, key: str) -> int:
    return client.get("/api/v1/tasks", HTTP_AUTHORIZATION=f"Bearer {key}").status_code


def test_a_token_expires_after_the_configured_days(client, accounts, settings, monkeypatch):
    settings.KAWAL_API_TOKEN_DAYS = 30
    token, key = ApiToken.issue(accounts["relawan.ketapang"], "hp")
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert api(client, key) == 200  # and now remembered by this process for a few seconds
    later = timezone.now() + timedelta(days=31)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert api(client, key) == 401


def test_tokens_are_revoked_by_command_and_on_the_owners_account_page(client, accounts):
    relawan = accounts["relawan.ketapang"]
    _token, first = ApiToken.issue(relawan, "hp lama")
    assert api(client, first) == 200
    call_command("revoke_tokens", "--user", "relawan.ketapang", stdout=io.StringIO())
    assert api(client, first) == 401

    _token, second = ApiToken.issue(relawan, "hp baru")
    assert api(client, second) == 200
    client.force_login(relawan)
    page = client.get("/akun/").content.decode()
    assert "hp baru" in page and "Cabut" in page
    assert client.post("/akun/token/cabut/").status_code == 302
    client.logout()
    assert api(client, second) == 401
