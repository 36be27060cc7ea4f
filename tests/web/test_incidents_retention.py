"""Retention of incident data (issue 20, UU PDP): reports older than the period lose the reporter, witnesses,
description, reported party, exact place and evidence files; their category, kelurahan, dates, status history and
register number stay, so the public counts do not change. The chat intake's old state goes too. Run by
``kawal retention`` with the voter lists."""

import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from kawal.web import retention
from kawal.web.actionlog.models import ActionLog
from kawal.web.crypto import encrypt, keyed_hash
from kawal.web.incidents import retention as incident_retention
from kawal.web.incidents import service
from kawal.web.incidents.media import save_media
from kawal.web.incidents.models import (
    ChatLink,
    ChatMessage,
    Confirmation,
    Conversation,
    Media,
    Outbox,
    Report,
    StatusChange,
    Witness,
)
from tests.web.incidents_support import MP4, WITNESS, make_people, photo_of, report_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return make_people()


def age(report: Report, days: int) -> None:
    Report.unscoped.filter(pk=report.pk).update(received_at=timezone.now() - timedelta(days=days))


def public(client) -> str:
    page = client.get("/publik/pelanggaran/").content.decode()
    start = page.index("<main")  # the head carries a fresh CSRF token, the foot the action log's newest entry
    return page[start : page.index("</table>", page.index("data-list"))]


def old_and_new(people):
    photo = photo_of(people["relawan"])
    media, _ = save_media(str(uuid.uuid4()), MP4, people["relawan"])
    old = report_by(
        people["relawan"], evidence=(photo, media), latitude=-6.1781, longitude=106.6619, place="balai RW 3"
    )
    service.confirm(old, people["second"], "saya lihat amplopnya")
    service.confirm(old, people["coordinator"], "foto jelas")
    old.refresh_from_db()
    service.forward(old, people["coordinator"], timezone.now(), "Bawaslu Kota Tangerang")
    service.register(old, people["coordinator"], "007/LP/PW/Kota/11.03/XI/2024")
    age(old, 400)
    new = report_by(people["relawan"], evidence=(photo_of(people["relawan"], colour=(1, 2, 3)),))
    return old, new, photo, media


def test_old_reports_lose_personal_data_and_keep_their_facts(client, people):
    old, new, photo, media = old_and_new(people)
    before = public(client)
    assert "<b data-total>1</b>" in before
    found = incident_retention.plan(365)
    assert (found.reports, found.witnesses, found.files) == (1, 1, 2)
    assert Report.unscoped.get(pk=old.pk).description  # a plan changes nothing

    incident_retention.apply(365)
    old.refresh_from_db()
    assert old.erased_at is not None
    assert (old.description, old.reported_party, old.place, old.latitude, old.longitude) == ("", "", "", None, None)
    assert service.reporter_identity(old) == dict.fromkeys(service.IDENTITY, "")
    assert not Witness.objects.filter(report=old).exists()
    assert not Confirmation.objects.filter(report=old).exclude(note="").exists()
    assert not StatusChange.objects.filter(report=old).exclude(reason="").exists()
    assert (old.category, old.kode_kelurahan, old.tps, old.status) == ("politik_uang", "3671051007", 3, "diregistrasi")
    assert old.register_number == "007/LP/PW/Kota/11.03/XI/2024"
    assert Confirmation.objects.filter(report=old).count() == 2  # who confirmed stays, what they wrote goes
    photo.refresh_from_db()
    assert not photo.original.storage.exists(photo.original.name)
    assert Media.objects.get(pk=media.pk).key_encrypted == "" and not Media.objects.get(pk=media.pk).file
    assert old.evidence.count() == 2  # the SHA-256 of what was sent stays on record

    new.refresh_from_db()
    assert new.erased_at is None and new.description and Witness.objects.filter(report=new).exists()
    kept = new.evidence.get().photo
    assert kept.original.storage.exists(kept.original.name)
    assert public(client) == before  # the public counts, map and list do not change
    assert incident_retention.plan(365).reports == 0  # done once
    logged = ActionLog.objects.get(action="retention.incidents").detail
    assert logged["reports"] == 1 and WITNESS not in json.dumps(logged)


def test_a_photo_shared_with_a_newer_report_stays(people):
    photo = photo_of(people["relawan"])
    old = report_by(people["relawan"], evidence=(photo,))
    newer = report_by(people["second"])
    service.merge(old, newer, people["coordinator"], "kejadian yang sama")  # the photo joins the newer report
    age(old, 400)
    incident_retention.apply(365)
    photo.refresh_from_db()
    assert photo.original.storage.exists(photo.original.name)


def test_old_chat_state_goes_and_kawal_retention_runs_it(people):
    long_ago = timezone.now() - timedelta(days=400)
    sender = keyed_hash("whatsapp:6281234567890")
    ChatLink.objects.create(
        platform="whatsapp", sender_hash=sender, sender_encrypted=encrypt("6281234567890"), user=people["relawan"]
    )
    ChatMessage.objects.create(platform="whatsapp", message_id="wamid.LAMA", sender_hash=sender)
    Conversation.objects.create(
        platform="whatsapp", sender_hash=sender, user=people["relawan"], state="what", data={"description": "x"}
    )
    Outbox.objects.create(platform="whatsapp", recipient_encrypted=encrypt("6281234567890"), text="Terima kasih")
    for model, column in ((ChatLink, "linked_at"), (ChatMessage, "received_at"), (Outbox, "created_at")):
        model.objects.update(**{column: long_ago})
    Conversation.objects.update(updated_at=long_ago)
    ChatMessage.objects.create(platform="whatsapp", message_id="wamid.BARU", sender_hash=sender)  # recent: stays

    old = report_by(people["relawan"])
    age(old, 400)
    assert retention.plan(365).incidents.reports == 1  # the voter lists' retention plans incidents too
    retention.apply(365)
    assert not ChatLink.objects.exists() and not Conversation.objects.exists() and not Outbox.objects.exists()
    assert list(ChatMessage.objects.values_list("message_id", flat=True)) == ["wamid.BARU"]
    assert Report.unscoped.get(pk=old.pk).erased_at is not None
