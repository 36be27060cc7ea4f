"""The demo organisations and accounts (no voter list: these tests need people, not data), and empty counters."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from kawal.web import demo

PASSWORD = "kata-sandi-yang-benar-sekali"


@pytest.fixture(autouse=True)
def empty_counters() -> None:
    """Login counters live in the cache, which outlives a test's database: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def accounts(db) -> dict:
    """The demo accounts, each with the one known password."""
    _kpu, made = demo.create_accounts()
    users = {}
    for account in made:
        user = get_user_model().objects.get(username=account.username)
        user.set_password(PASSWORD)
        user.save()
        users[account.username] = user
    return users
