"""Issue 17: two different people under one NIK, confirmed in the field, become a Dukcapil referral tracked to an
answer."""

import pytest
from django.urls import reverse

from kawal.web.crypto import decrypt
from kawal.web.field.models import DukcapilReferral
from kawal.web.voters.models import Finding, Voter
from tests.web.conftest import KETAPANG, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(loaded):
    """Two people of Ketapang under one NIK, the NIK_GANDA findings of both confirmed; a third only open."""
    first, second, third = list(Voter.unscoped.filter(**KETAPANG).exclude(nik_encrypted="")[:3])
    Voter.unscoped.filter(pk__in=[second.pk, third.pk]).update(
        nik_encrypted=first.nik_encrypted, nik_hash=first.nik_hash, nik_masked=first.nik_masked
    )
    audit = loaded.audits.get()
    for voter, status in ((first, "confirmed"), (second, "confirmed")):
        Finding.unscoped.create(audit=audit, voter=voter, check_code="NIK_GANDA", detail="x", status=status, **KETAPANG)
    return first, second, third


def test_confirmed_nik_ganda_is_drafted_sent_and_answered(client, twins):
    first, _second, _third = twins
    login(client, "koordinator.cipondoh")
    page = client.get(reverse("dukcapil_referrals")).content.decode()
    assert "Susun surat" in page and first.nama in page
    answer = client.post(reverse("dukcapil_referrals"), {"list": first.voter_list_id, "nik_hash": first.nik_hash})
    assert answer.status_code == 302
    referral = DukcapilReferral.unscoped.get()
    assert referral.voters.count() == 3 and referral.status == "draft"  # every person of the list under the NIK
    assert "Susun surat" not in client.get(reverse("dukcapil_referrals")).content.decode()  # referred once
    full = decrypt(first.nik_encrypted)
    letter = client.get(reverse("dukcapil_letter", args=[referral.pk])).content.decode()
    assert "NIK baru" in letter and first.nama in letter and full not in letter and referral.nik_masked in letter
    login(client, "admin.kpu")
    letter = client.get(reverse("dukcapil_letter", args=[referral.pk])).content.decode()
    assert full in letter
    url = reverse("dukcapil_referral_update", args=[referral.pk])
    sent = {"status": "sent", "letter_number": "123/PL.01/2024", "sent_on": "2024-08-22"}
    assert client.post(url, sent).status_code == 302
    assert client.post(url, {"status": "answered", "answer": ""}).status_code == 400  # an answer needs its text
    done = {"status": "answered", "answered_on": "2024-09-02", "answer": "NIK baru diterbitkan untuk orang kedua"}
    assert client.post(url, done).status_code == 302
    referral.refresh_from_db()
    assert (referral.status, str(referral.sent_on), str(referral.answered_on)) == (
        "answered",
        "2024-08-22",
        "2024-09-02",
    )
    assert referral.letter_number == "123/PL.01/2024" and "NIK baru" in referral.answer


def test_unconfirmed_findings_are_not_referred_and_relawan_have_no_page(client, twins):
    first, second, _third = twins
    Finding.unscoped.filter(voter=second).update(status="open")
    login(client, "koordinator.cipondoh")
    assert "Susun surat" not in client.get(reverse("dukcapil_referrals")).content.decode()
    forged = client.post(reverse("dukcapil_referrals"), {"list": first.voter_list_id, "nik_hash": first.nik_hash})
    assert forged.status_code == 403 and not DukcapilReferral.unscoped.exists()
    login(client, "relawan.ketapang")
    assert client.get(reverse("dukcapil_referrals")).status_code == 403
