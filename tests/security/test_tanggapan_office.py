"""Issue 17 follow-up: only KPU of a tanggapan's own office sees it in full and answers it. A user who is KPU of
another office (here KPU Provinsi Banten, whose wilayah covers the kelurahan) and coordinator of the Ormas partnering
KPU Kota Tangerang reads the city's tanggapan as a coordinator: NIK masked, no answers, no documents; the same for
the Dukcapil letter. KPU Kota Tangerang itself still answers and sees the NIK."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kawal.web.accounts.models import Membership, Organisation, Role
from kawal.web.accounts.scope import Scope
from kawal.web.crypto import decrypt
from kawal.web.field.models import DukcapilReferral, TanggapanItem
from kawal.web.field.progress import kpu_for_tanggapan
from kawal.web.field.review import review
from kawal.web.field.tanggapan import compile_tanggapan
from kawal.web.field.visits import NewVoterIn, VisitIn, record_visit
from kawal.web.voters.models import Finding, Voter
from tests.web.conftest import KETAPANG, WHEN, city, ketapang_task, loaded, login  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
NIK = "3671054505080001"
MASKED = NIK[:6] + "*" * 10


@pytest.fixture
def two_hats(loaded, django_user_model):  # noqa: F811
    """KPU admin of the province (another office) and coordinator of the city's partner Ormas in Cipondoh."""
    province = Organisation.objects.create(name="KPU Provinsi Banten", kind=Organisation.Kind.KPU, wilayah="36")
    ormas = Membership.objects.get(user__username="koordinator.cipondoh").organisation
    user = django_user_model.objects.create(username="dua.peran")
    Membership.objects.create(user=user, organisation=province, role=Role.KPU_ADMIN, wilayah="36")
    Membership.objects.create(user=user, organisation=ormas, role=Role.COORDINATOR, wilayah="367105")
    return user


@pytest.fixture
def tanggapan(loaded):  # noqa: F811
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    task = ketapang_task(loaded, "rumah-baru", [], relawan)
    data = VisitIn(
        client_id=str(uuid.uuid4()),
        recorded_at=WHEN,
        pantarlih_visited="ya",
        sticker="ya",
        new_voters=(NewVoterIn(nama="PEMILIH PEMULA", nik=NIK),),
    )
    review(record_visit(task, relawan, data)[0], coordinator, "approved")
    return compile_tanggapan(loaded, "3671051007", coordinator)


def test_kpu_of_another_office_is_not_kpu_of_this_tanggapan(two_hats, tanggapan):
    assert not kpu_for_tanggapan(Scope.for_user(two_hats), tanggapan)
    assert kpu_for_tanggapan(Scope.for_user(get_user_model().objects.get(username="admin.kpu")), tanggapan)


def test_kpu_of_another_office_sees_the_tanggapan_masked(client, two_hats, tanggapan):
    client.force_login(two_hats)
    page = client.get(reverse("tanggapan_detail", args=[tanggapan.pk]))
    assert page.status_code == 200  # as the city's Ormas coordinator
    text = page.content.decode()
    assert NIK not in text and MASKED in text and not page.context["is_kpu"]
    assert 'name="answer"' not in text and page.context["documents"] == []
    for kind in ("csv", "xlsx", "pdf"):
        body = client.get(reverse("tanggapan_export", args=[tanggapan.pk, kind])).content
        assert NIK.encode() not in body


def test_kpu_of_another_office_cannot_answer(client, two_hats, tanggapan):
    item = tanggapan.items.get()
    client.force_login(two_hats)
    url = reverse("tanggapan_detail", args=[tanggapan.pk])
    for status in ("received", "acted", "refused"):
        assert client.post(url, {"item": item.pk, "status": status, "answer": "dicoret"}).status_code == 403
    assert client.post(url, {"item": item.pk, "status": "sent"}).status_code == 302  # what a coordinator may do
    item.refresh_from_db()
    assert (item.status, item.kpu_answer) == (TanggapanItem.Status.SENT, "")


def test_kpu_of_the_tanggapans_own_office_still_answers_and_sees_it_in_full(client, two_hats, tanggapan):
    item = tanggapan.items.get()
    login(client, "admin.kpu")
    url = reverse("tanggapan_detail", args=[tanggapan.pk])
    page = client.get(url)
    assert page.context["is_kpu"] and NIK in page.content.decode()
    assert client.post(url, {"item": item.pk, "status": "acted", "answer": "Dimasukkan ke DPS"}).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.kpu_answer) == (TanggapanItem.Status.ACTED, "Dimasukkan ke DPS")
    assert NIK.encode() in client.get(reverse("tanggapan_export", args=[tanggapan.pk, "csv"])).content


def test_the_dukcapil_letter_is_full_for_the_own_office_only(client, loaded, two_hats):  # noqa: F811
    first, second = list(Voter.unscoped.filter(**KETAPANG).exclude(nik_encrypted="")[:2])
    Voter.unscoped.filter(pk=second.pk).update(
        nik_encrypted=first.nik_encrypted, nik_hash=first.nik_hash, nik_masked=first.nik_masked
    )
    audit = loaded.audits.get()
    for voter in (first, second):
        Finding.unscoped.create(audit=audit, voter=voter, check_code="NIK_GANDA", detail="x", status="confirmed", **KETAPANG)  # fmt: skip
    client.force_login(two_hats)
    assert (
        client.post(reverse("dukcapil_referrals"), {"list": loaded.pk, "nik_hash": first.nik_hash}).status_code == 302
    )
    referral = DukcapilReferral.unscoped.get()
    full = decrypt(first.nik_encrypted)
    page = client.get(reverse("dukcapil_referrals")).content.decode()
    assert "NIK tersamar; surat lengkap diunduh oleh KPU" in page
    letter = client.get(reverse("dukcapil_letter", args=[referral.pk])).content.decode()
    assert full not in letter and referral.nik_masked in letter
    login(client, "admin.kpu")
    assert "NIK tersamar; surat lengkap" not in client.get(reverse("dukcapil_referrals")).content.decode()
    assert full in client.get(reverse("dukcapil_letter", args=[referral.pk])).content.decode()
