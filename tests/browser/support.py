"""What the browser tests share: one password for every demo account, set on the accounts they log in with."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from kawal.web import demo
from kawal.web.accounts.models import Organisation

PASSWORD = "kata-sandi-uji-panjang"


def with_password() -> None:
    """Every account logs in with :data:`PASSWORD` (the demo's own passwords are random)."""
    for user in get_user_model().objects.all():
        user.set_password(PASSWORD)
        user.save()


def demo_accounts() -> Organisation:
    """The demo's KPU office, Ormas and accounts, each with :data:`PASSWORD`; returns the KPU office."""
    kpu, _ = demo.create_accounts()
    with_password()
    return kpu
