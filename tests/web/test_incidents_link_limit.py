"""Guessing a link code by chat (issue 20): an 8-digit code would tie a stranger's chat to a relawan's account, so a
sender gets a few wrong codes per hour, after which even the right one is refused; many senders together meet a
platform-wide limit. Replayed webhook payloads, no network (fixtures of test_incidents_messaging)."""

import pytest
from django.core.cache import cache

from kawal.web.actionlog.models import ActionLog
from kawal.web.incidents.messaging import conversation
from kawal.web.incidents.models import ChatLink
from tests.web.incidents_support import make_people
from tests.web.test_incidents_messaging import (  # noqa: F401 (fixtures)
    WA_NUMBER,
    last_reply,
    link_code,
    offline,
    post_tg,
    post_wa,
    tg_payload,
    wa_payload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return make_people()


def wrong_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**8:08d}"


def test_a_sender_who_guesses_wrong_is_stopped_even_with_the_right_code(client, people):
    code = link_code(client, people["relawan"])
    for _ in range(conversation.LINK_FAILURES):
        post_wa(client, wa_payload(f"DAFTAR {wrong_code(code)}"))
        assert "tidak dikenal" in last_reply()
    post_wa(client, wa_payload(f"DAFTAR {code}"))  # the right code, after too many wrong ones
    assert "Terlalu banyak kode" in last_reply() and ChatLink.objects.count() == 0
    logged = ActionLog.objects.get(action="incident.link_throttled")
    assert logged.detail == {"platform": "whatsapp", "sender_limit": True}
    assert WA_NUMBER not in str(logged.detail) and not any(WA_NUMBER in k for k in cache._cache)  # keyed hash only

    post_wa(client, wa_payload(f"DAFTAR {code}", sender="6281111111111"))  # another number is not held back
    assert "Terhubung" in last_reply() and ChatLink.objects.get().user == people["relawan"]


def test_the_window_ends(client, people):
    code = link_code(client, people["relawan"])
    for _ in range(conversation.LINK_FAILURES):
        post_wa(client, wa_payload(f"DAFTAR {wrong_code(code)}"))
    cache.clear()  # the hour has passed (the counters live LINK_WINDOW seconds in the shared cache)
    post_wa(client, wa_payload(f"DAFTAR {code}"))
    assert "Terhubung" in last_reply()


def test_many_senders_together_pause_linking_on_that_platform(client, people, monkeypatch):
    monkeypatch.setattr(conversation, "LINK_FAILURES_ALL", 6)
    code = link_code(client, people["relawan"])
    for chat in range(6):  # six Telegram accounts, one wrong guess each: under the per-sender limit
        update = tg_payload(f"/start {wrong_code(code)}")
        update["message"]["chat"]["id"] = 9_000_000 + chat
        post_tg(client, update)
    post_tg(client, tg_payload(f"/start {code}"))
    assert "Terlalu banyak kode" in last_reply("telegram") and ChatLink.objects.count() == 0
    post_wa(client, wa_payload(f"DAFTAR {code}"))  # WhatsApp keeps its own count
    assert "Terhubung" in last_reply("whatsapp")


def test_a_right_code_does_not_count_as_a_failure(client, people):
    for _ in range(conversation.LINK_FAILURES + 1):
        post_wa(client, wa_payload(f"DAFTAR {link_code(client, people['relawan'])}"))
        assert "Terhubung" in last_reply()
