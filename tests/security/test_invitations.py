"""Point 5 of the review: an invitation is used once, even by two sign-ups at the same moment."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection
from django.test import Client

from kawal.web.accounts import views
from kawal.web.accounts.models import Invitation, Membership, Organisation, Role
from tests.security.conftest import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_sign_ups_use_one_invitation_once(accounts, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL (make test-pg, CI)")
    invitation = Invitation.objects.create(
        organisation=Organisation.objects.get(kind="ormas"),
        role=Role.RELAWAN,
        wilayah="3671051007",
        created_by=accounts["koordinator.cipondoh"],
    )
    both_inside = threading.Barrier(2, timeout=3)
    save = views.JoinForm.save

    def save_together(form, *args, **kwargs):  # both sign-ups reach the write at once, unless one waits its turn
        with contextlib.suppress(threading.BrokenBarrierError):
            both_inside.wait()
        return save(form, *args, **kwargs)

    monkeypatch.setattr(views.JoinForm, "save", save_together)
    codes = []

    def sign_up(username: str) -> None:
        form = {"username": username, "password1": PASSWORD, "password2": PASSWORD}
        codes.append(Client().post(f"/undangan/{invitation.code}/", form).status_code)
        connection.close()

    threads = [threading.Thread(target=sign_up, args=(f"relawan.baru{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [302, 410]
    assert Membership.objects.filter(user__username__startswith="relawan.baru").count() == 1
