"""Point 1 of the review: the client address behind a proxy, and a throttle one attacker cannot turn on others."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from kawal.web.actionlog.models import ActionLog
from tests.security.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOCKED = "Terlalu banyak percobaan"


@pytest.fixture
def behind_nginx(settings) -> None:
    settings.KAWAL_TRUSTED_PROXIES = ["127.0.0.1", "::1"]


def via_nginx(client, username: str, password: str, forwarded_for: str):
    """A login as the shipped nginx passes it on: from 127.0.0.1, the client's address appended last."""
    return client.post(
        "/masuk/",
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_made_up_names_from_one_attacker_do_not_lock_out_a_coordinator(client, accounts, behind_nginx):
    for i in range(25):  # each with an X-Forwarded-For of its own; nginx appends the attacker's real address
        via_nginx(client, f"palsu.{i}", "salah", forwarded_for=f"10.{i}.0.1, 203.0.113.66")
    assert LOCKED in via_nginx(client, "koordinator.cipondoh", PASSWORD, "203.0.113.66").content.decode()
    assert via_nginx(client, "koordinator.cipondoh", PASSWORD, "198.51.100.7").status_code == 302
    addresses = set(ActionLog.objects.filter(action__startswith="login.").values_list("ip", flat=True))
    assert addresses == {"203.0.113.66"}  # the attacker's, never the proxy's


def test_a_distributed_guess_slows_the_name_down_but_the_owner_still_gets_in(client, accounts, behind_nginx):
    for attacker in range(8):  # 8 addresses × 5 wrong passwords for one coordinator's name
        for _ in range(5):
            via_nginx(client, "koordinator.cipondoh", "salah", f"203.0.113.{attacker}")
    newcomer = via_nginx(client, "koordinator.cipondoh", "salah", "203.0.113.200")
    assert LOCKED not in newcomer.content.decode()  # a fresh address may still try, once: the name is slowed down
    assert LOCKED in via_nginx(client, "koordinator.cipondoh", "salah", "203.0.113.200").content.decode()
    assert via_nginx(client, "koordinator.cipondoh", PASSWORD, "198.51.100.7").status_code == 302


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("198.51.100.7", "", [], "198.51.100.7"),
        ("198.51.100.7", "1.2.3.4", [], "198.51.100.7"),  # no trusted proxy: the header is the client's own words
        ("127.0.0.1", "1.2.3.4", [], "127.0.0.1"),
        ("127.0.0.1", "6.6.6.6, 1.2.3.4", ["127.0.0.1"], "1.2.3.4"),  # only the hop nginx vouches for
        ("127.0.0.1", "1.2.3.4, 10.0.0.5", ["127.0.0.1", "10.0.0.0/8"], "1.2.3.4"),  # a load balancer before nginx
        ("127.0.0.1", "10.0.0.9, 10.0.0.5", ["127.0.0.1", "10.0.0.0/8"], "10.0.0.9"),  # all trusted: the leftmost
        ("127.0.0.1", "bukan-alamat, 1.2.3.4", ["127.0.0.1"], "1.2.3.4"),
        ("127.0.0.1", "1.2.3.4, bukan-alamat", ["127.0.0.1"], "127.0.0.1"),  # garbled: the last hop known
        ("::1", "2001:db8::7", ["::1"], "2001:db8::7"),
        ("::ffff:127.0.0.1", "1.2.3.4:5678", ["127.0.0.1"], "1.2.3.4"),
        ("10.1.1.1", "1.2.3.4", ["127.0.0.1"], "10.1.1.1"),
    ],
)
def test_the_address_is_walked_from_the_right_past_trusted_proxies(settings, remote, forwarded, trusted, expected):
    from kawal.web.client_address import client_ip  # here, so the tests above run without it

    settings.KAWAL_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
