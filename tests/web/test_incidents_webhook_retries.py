"""Retries of both webhooks (issue 20, done-means): WhatsApp and Telegram resend a call until they get 200. A call
that failed halfway leaves nothing behind, so its retry is handled in full; a call that succeeded changes nothing
when it comes again; a batch mixing seen and new messages handles only the new ones. Replayed payloads, no network
(fixtures of test_incidents_messaging)."""

import copy
import json

import pytest

from kawal.web.incidents.messaging import conversation
from kawal.web.incidents.models import ChatMessage, Conversation, Outbox, Report
from tests.web.incidents_support import make_people
from tests.web.test_incidents_messaging import (  # noqa: F401 (fixtures)
    last_reply,
    link_code,
    offline,
    post_tg,
    post_wa,
    sign,
    tg_payload,
    wa_payload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return make_people()


def wa_report_until_done(client, people):
    post_wa(client, wa_payload(f"DAFTAR {link_code(client, people['relawan'])}"))
    for text in ("LAPOR", "1", "TPS 3", "Tim sukses membagikan amplop di depan TPS 3."):
        post_wa(client, wa_payload(text))


def test_a_whatsapp_call_that_failed_halfway_is_handled_in_full_on_retry(client, people, monkeypatch):
    wa_report_until_done(client, people)
    done = wa_payload("SELESAI")
    real = conversation.record_report

    def broken(*args, **kwargs):
        raise ConnectionError("database went away")

    monkeypatch.setattr(conversation, "record_report", broken)
    client.raise_request_exception = False
    assert post_wa(client, done).status_code == 500  # Meta will retry
    assert Report.unscoped.count() == 0
    assert not ChatMessage.objects.filter(message_id=done["entry"][0]["changes"][0]["value"]["messages"][0]["id"])
    monkeypatch.setattr(conversation, "record_report", real)
    replies = Outbox.objects.count()
    assert post_wa(client, done).status_code == 200
    assert post_wa(client, done).status_code == 200
    report = Report.unscoped.get()
    assert Outbox.objects.count() == replies + 1 and report.number in last_reply()


def test_a_telegram_report_retried_after_success_is_one_report(client, people):
    post_tg(client, tg_payload(f"/start {link_code(client, people['relawan'])}"))
    for text in ("LAPOR", "2", "3", "Kepala desa mengarahkan warga memilih paslon 2 di balai desa."):
        post_tg(client, tg_payload(text))
    done = tg_payload("SELESAI")
    for _ in range(3):
        assert post_tg(client, done).status_code == 200
    assert Report.unscoped.count() == 1 and Conversation.objects.get().closed
    receipts = Outbox.objects.filter(platform="telegram", text__contains="tercatat dengan nomor")
    assert receipts.count() == 1


def test_a_retried_link_message_does_not_count_as_a_wrong_code(client, people):
    linking = tg_payload(f"/start {link_code(client, people['relawan'])}")
    for _ in range(conversation.LINK_FAILURES + 2):
        assert post_tg(client, linking).status_code == 200
    assert "Terhubung" in last_reply("telegram")
    assert Outbox.objects.filter(platform="telegram").count() == 1


def test_a_whatsapp_batch_with_seen_and_new_messages(client, people):
    wa_report_until_done(client, people)
    seen = wa_payload("Tambahan: ada dua orang yang membagikan.")
    post_wa(client, seen)
    batch = copy.deepcopy(seen)
    fresh = wa_payload("SELESAI")["entry"][0]["changes"][0]["value"]["messages"][0]
    batch["entry"][0]["changes"][0]["value"]["messages"].append(fresh)  # Meta may batch messages in one call
    body = json.dumps(batch).encode()
    answer = client.post(
        "/webhook/whatsapp/", data=body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=sign(body)
    )
    assert answer.status_code == 200
    assert Report.unscoped.count() == 1 and ChatMessage.objects.filter(message_id=fresh["id"]).count() == 1


def test_a_signature_is_over_the_exact_bytes(client, people):
    payload = wa_payload("LAPOR")
    compact = json.dumps(payload, separators=(",", ":")).encode()
    spaced = json.dumps(payload).encode()  # the same JSON, other bytes
    answer = client.post(
        "/webhook/whatsapp/", data=spaced, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=sign(compact)
    )
    assert answer.status_code == 403 and ChatMessage.objects.count() == 0
    upper = "sha256=" + sign(spaced).removeprefix("sha256=").upper()  # hex case does not matter
    answer = client.post(
        "/webhook/whatsapp/", data=spaced, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=upper
    )
    assert answer.status_code == 200
