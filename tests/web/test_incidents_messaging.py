"""Reports by WhatsApp and Telegram: recorded payload shapes of both APIs replayed against the webhooks, with no
network. Signatures and secret tokens, the one-time link code, the guided conversation, retries."""

import copy
import hashlib
import hmac
import json
import re
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from kawal.web.crypto import keyed_hash
from kawal.web.incidents.messaging import conversation, telegram, whatsapp
from kawal.web.incidents.models import ChatLink, ChatMedia, ChatMessage, Evidence, LinkCode, Outbox, Report
from tests.photos.images import phone_jpeg
from tests.web.incidents_support import KETAPANG, make_people

pytestmark = pytest.mark.django_db
PAYLOADS = Path(__file__).parent / "incidents_payloads"


@pytest.fixture
def people(db):
    return make_people()


APP_SECRET, VERIFY_TOKEN, TG_SECRET = "wa-app-secret-uji", "verify-uji", "tg-secret-uji"
WA_NUMBER, TG_CHAT = "6281234567890", "5151515151"


@pytest.fixture(autouse=True)
def offline(settings, monkeypatch):
    """The secrets as production sets them, and no way out to the network."""
    settings.KAWAL_WHATSAPP_APP_SECRET = APP_SECRET
    settings.KAWAL_WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
    settings.KAWAL_TELEGRAM_SECRET_TOKEN = TG_SECRET
    cache.clear()

    def no_network(*args, **kwargs):
        raise AssertionError("network used in a test")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setattr(whatsapp, "configured", lambda: True)  # sending and fetching are replaced below
    monkeypatch.setattr(telegram, "configured", lambda: True)
    monkeypatch.setattr(whatsapp, "send", lambda recipient, text: None)
    monkeypatch.setattr(telegram, "send", lambda recipient, text: None)
    monkeypatch.setattr(whatsapp, "fetch_media", lambda ref: phone_jpeg(colour=(9, 99, 199)))
    monkeypatch.setattr(telegram, "fetch_media", lambda ref: phone_jpeg(colour=(199, 99, 9)))


def load(name):
    return json.loads((PAYLOADS / f"{name}.json").read_text())


_counter = iter(range(10_000, 99_999))


def wa_payload(text=None, name="whatsapp_text", message_id=None, sender=WA_NUMBER):
    payload = copy.deepcopy(load(name))
    value = payload["entry"][0]["changes"][0]["value"]
    for message in value.get("messages", []):
        message["id"] = message_id or f"wamid.UJI{next(_counter)}"
        message["from"] = sender
        if text is not None:
            message["text"]["body"] = text
    return payload


def sign(body: bytes, secret=APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_wa(client, payload, signature=None):
    body = json.dumps(payload).encode()
    headers = {"HTTP_X_HUB_SIGNATURE_256": signature if signature is not None else sign(body)}
    return client.post("/webhook/whatsapp/", data=body, content_type="application/json", **headers)


def tg_payload(text=None, name="telegram_text", update_id=None):
    payload = copy.deepcopy(load(name))
    payload["update_id"] = update_id or next(_counter)
    if text is not None:
        payload["message"]["text"] = text
    return payload


def post_tg(client, payload, secret=TG_SECRET):
    headers = {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": secret} if secret is not None else {}
    return client.post("/webhook/telegram/", data=json.dumps(payload), content_type="application/json", **headers)


def last_reply(platform="whatsapp"):
    return Outbox.objects.filter(platform=platform).latest("pk").text


def link_code(client, user) -> str:
    client.force_login(user)
    page = client.post("/lapor/hubungkan/").content.decode()
    client.logout()
    return re.search(r"data-link-code>(\d{8})<", page).group(1)


# --- authentication of the webhooks -------------------------------------------------------------------------------


def test_whatsapp_subscription_handshake(client):
    ok = client.get(
        "/webhook/whatsapp/", {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    )
    assert ok.status_code == 200 and ok.content == b"1158201444"
    bad = client.get("/webhook/whatsapp/", {"hub.mode": "subscribe", "hub.verify_token": "salah", "hub.challenge": "1"})
    assert bad.status_code == 403


def test_whatsapp_bad_signatures_are_refused(client, settings):
    payload = wa_payload("halo")
    body = json.dumps(payload).encode()
    assert post_wa(client, payload, signature=sign(body, "rahasia-lain")).status_code == 403
    assert post_wa(client, payload, signature="").status_code == 403
    assert post_wa(client, payload, signature=sign(body + b" ")).status_code == 403  # body changed after signing
    settings.KAWAL_WHATSAPP_APP_SECRET = ""  # not configured: refuse, never accept unchecked
    assert post_wa(client, payload, signature=sign(body, "")).status_code == 403
    assert ChatMessage.objects.count() == 0 and Outbox.objects.count() == 0


def test_telegram_bad_secret_is_refused(client, settings):
    assert post_tg(client, tg_payload("halo"), secret="salah").status_code == 403
    assert post_tg(client, tg_payload("halo"), secret=None).status_code == 403
    settings.KAWAL_TELEGRAM_SECRET_TOKEN = ""
    assert post_tg(client, tg_payload("halo"), secret="").status_code == 403
    assert ChatMessage.objects.count() == 0


def test_malformed_bodies_and_status_updates(client):
    body = b"not json"
    answer = client.post(
        "/webhook/whatsapp/", data=body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=sign(body)
    )
    assert answer.status_code == 400
    assert post_wa(client, load("whatsapp_status")).status_code == 200  # delivery receipts: nothing to do
    assert post_tg(client, tg_payload(name="telegram_group")).status_code == 200  # groups are not a place to report
    assert Outbox.objects.count() == 0


# --- linking and refusal ----------------------------------------------------------------------------------------


def test_an_unknown_number_gets_one_polite_refusal(client, people):
    assert post_wa(client, wa_payload("LAPOR")).status_code == 200
    assert "belum terhubung" in last_reply() and "Maaf" in last_reply()
    post_wa(client, wa_payload("halo?"))
    assert Outbox.objects.count() == 1  # not a refusal per message
    assert Report.unscoped.count() == 0 and ChatLink.objects.count() == 0


def test_a_one_time_code_links_a_number_once(client, people):
    code = link_code(client, people["relawan"])
    post_wa(client, wa_payload(f"DAFTAR {code}"))
    assert "relawan.ketapang" in last_reply()
    link = ChatLink.objects.get()
    assert link.user == people["relawan"] and WA_NUMBER not in link.sender_encrypted + link.sender_hash
    post_wa(client, wa_payload(f"DAFTAR {code}", sender="6289999999999"))  # used: another number cannot take it
    assert "tidak dikenal" in last_reply() and ChatLink.objects.count() == 1


def test_an_expired_code_is_refused(client, people):
    LinkCode.objects.create(
        user=people["relawan"], code_hash=keyed_hash("link:12345678"), expires_at=timezone.now() - timedelta(minutes=1)
    )
    post_wa(client, wa_payload("DAFTAR 12345678"))
    assert "kedaluwarsa" in last_reply() and ChatLink.objects.count() == 0


# --- the conversation -------------------------------------------------------------------------------------------


def test_a_whatsapp_report_from_start_to_receipt_with_retries(client, people):
    post_wa(client, wa_payload(f"DAFTAR {link_code(client, people['relawan'])}"))
    post_wa(client, wa_payload("LAPOR"))
    assert "1. Politik uang" in last_reply() and "BATAL" in last_reply()
    post_wa(client, wa_payload("99"))
    assert "angka 1 sampai 12" in last_reply()
    post_wa(client, wa_payload("1"))
    assert "Kel. Ketapang" in last_reply()
    location = wa_payload(name="whatsapp_location")
    post_wa(client, location)
    assert "Apa yang terjadi" in last_reply()
    post_wa(client, wa_payload("Tim sukses membagikan amplop di depan balai warga RW 3."))
    photo = wa_payload(name="whatsapp_image")
    for _ in range(2):  # Meta retries a webhook it thinks failed: the same message id
        assert post_wa(client, photo).status_code == 200
    assert ChatMedia.objects.count() == 1 and "Foto diterima (1)" in last_reply()
    done = wa_payload("SELESAI")
    replies_before = Outbox.objects.count()
    for _ in range(3):
        assert post_wa(client, done).status_code == 200
    assert Outbox.objects.count() == replies_before + 1  # one receipt, however often it arrives
    report = Report.unscoped.get()
    assert f"nomor {report.number}" in last_reply() and "Batas pelaporan" in last_reply()
    assert (report.channel, report.category, report.kode_kelurahan, report.tps) == (
        "whatsapp",
        "politik_uang",
        KETAPANG,
        None,
    )
    assert (round(report.latitude, 4), report.reporter) == (-6.1781, people["relawan"])
    assert Evidence.objects.get(report=report).photo.kind == "bukti"
    assert report.days_left == 7 or report.days_left is not None
    post_wa(client, wa_payload("LAPOR"))  # the next report starts afresh
    assert "Apa yang terjadi? Balas dengan angka" in last_reply()


def test_cancel_ends_the_conversation(client, people):
    post_wa(client, wa_payload(f"DAFTAR {link_code(client, people['relawan'])}"))
    post_wa(client, wa_payload("LAPOR"))
    post_wa(client, wa_payload("2"))
    post_wa(client, wa_payload("batal"))
    assert "dibatalkan" in last_reply() and Report.unscoped.count() == 0


def test_a_place_outside_the_relawan_wilayah_is_asked_again(client, people):
    post_wa(client, wa_payload(f"DAFTAR {link_code(client, people['relawan'])}"))
    post_wa(client, wa_payload("LAPOR"))
    post_wa(client, wa_payload("1"))
    post_wa(client, wa_payload("3671011001 5"))  # Sukarasa: not hers
    assert "di luar wilayah" in last_reply()
    post_wa(client, wa_payload("TPS 12"))
    assert "Apa yang terjadi" in last_reply()


def test_a_telegram_report_with_a_photo(client, people):
    post_tg(client, tg_payload(f"/start {link_code(client, people['relawan'])}"))
    assert "Terhubung" in last_reply("telegram")
    for text in ("LAPOR", "11", "7", "TPS 7 baru buka pukul 09.30, pemilih sudah antre sejak 07.00."):
        assert post_tg(client, tg_payload(text)).status_code == 200
    photo = tg_payload(name="telegram_photo")
    post_tg(client, photo)
    post_tg(client, photo)  # retried with the same update_id
    media = ChatMedia.objects.get()
    assert media.media_ref == "AgACAgUAAxkBAAIBXmVtZ2xxbGFyZ2U" and media.photo is not None  # the largest size
    post_tg(client, tg_payload("selesai"))
    report = Report.unscoped.get()
    assert (report.channel, report.category, report.tps) == ("telegram", "tps_terlambat", 7)
    assert report.evidence.count() == 1 and f"nomor {report.number}" in last_reply("telegram")


def test_a_photo_downloaded_after_the_report_is_still_attached(client, people, monkeypatch):
    """The report may be made before the queue has fetched a photo: the photo joins it when it arrives."""
    from kawal.web.incidents.messaging import tasks

    waiting, real = [], tasks.fetch_chat_media
    monkeypatch.setattr(tasks, "fetch_chat_media", type("Later", (), {"enqueue": staticmethod(waiting.append)}))
    post_tg(client, tg_payload(f"/start {link_code(client, people['relawan'])}"))
    for text in ("LAPOR", "1", "3", "Pembagian sembako dengan stiker paslon di RT 2."):
        post_tg(client, tg_payload(text))
    post_tg(client, tg_payload(name="telegram_photo"))
    post_tg(client, tg_payload("SELESAI"))
    report = Report.unscoped.get()
    assert report.evidence.count() == 0 and len(waiting) == 1
    real.call(waiting[0])
    assert report.evidence.count() == 1


def test_an_account_without_ormas_membership_cannot_report_by_chat(client, people):
    post_wa(client, wa_payload(f"DAFTAR {link_code(client, people['relawan'])}"))
    people["relawan"].memberships.update(active=False)
    post_wa(client, wa_payload("LAPOR"))
    assert "tidak lagi terdaftar" in last_reply()


def test_replies_are_queued_not_sent_without_a_token(client, people, monkeypatch):
    monkeypatch.setattr(whatsapp, "configured", lambda: False)
    post_wa(client, wa_payload("LAPOR"))
    assert Outbox.objects.get().sent_at is None  # no KAWAL_WHATSAPP_TOKEN: kept, nothing sent, no network


def test_replies_are_sent_by_the_queue(client, people, monkeypatch):
    sent = []
    monkeypatch.setattr(whatsapp, "send", lambda recipient, text: sent.append((recipient, text)))
    post_wa(client, wa_payload("LAPOR"))
    assert sent == [(WA_NUMBER, Outbox.objects.get().text)] and Outbox.objects.get().sent_at is not None


def test_no_phone_number_in_logs(client, people, caplog):
    import logging

    from kawal.web.actionlog.models import ActionLog

    caplog.set_level(logging.DEBUG)
    post_wa(client, wa_payload(f"DAFTAR {link_code(client, people['relawan'])}"))
    post_wa(client, wa_payload("LAPOR"))
    logged = json.dumps(list(ActionLog.objects.values_list("detail", flat=True))) + caplog.text
    assert WA_NUMBER not in logged


def test_conversation_texts_are_indonesian():
    assert "Maaf" in conversation.REFUSED and "Di mana" in conversation.ASK_PLACE_MANY
