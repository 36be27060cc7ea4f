"""Issue 16, the NKK case: a family-card number corrected in a visit is stored masked beside an encrypted copy,
shown masked to coordinators and in full to KPU only (as the NIK case in test_corrected_numbers.py)."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from kawal.web.crypto import decrypt
from kawal.web.field.models import TanggapanItem, VoterCheck
from kawal.web.field.review import review
from kawal.web.field.tanggapan import compile_tanggapan
from kawal.web.field.visits import CheckIn, VisitIn, record_visit
from kawal.web.voters.models import Voter
from tests.web.conftest import KETAPANG, WHEN, city, ketapang_task, loaded, login  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
NKK = "3671052208170004"  # a made-up, well-formed NKK of Ketapang
MASKED = NKK[:6] + "*" * 10


@pytest.fixture
def corrected(loaded):  # noqa: F811
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    voter = Voter.unscoped.filter(**KETAPANG).first()
    task = ketapang_task(loaded, "koreksi-kk", [voter], relawan)
    check = CheckIn(voter_id=voter.pk, outcome="ubah", field="nkk", value=NKK, note="KK dilihat")
    data = VisitIn(client_id=str(uuid.uuid4()), recorded_at=WHEN, pantarlih_visited="ya", sticker="ya", checks=(check,))  # fmt: skip
    return record_visit(task, relawan, data)[0]


def test_a_corrected_nkk_is_stored_masked_beside_its_encrypted_copy(corrected):
    check = corrected.checks.get()
    assert check.field == "nkk" and check.value == MASKED
    assert decrypt(check.value_encrypted) == NKK and NKK not in check.value_encrypted  # encrypted, not in clear
    assert not VoterCheck.objects.filter(value__contains=NKK[6:]).exists()


def test_coordinators_see_the_nkk_masked_and_kpu_in_full(corrected):
    client = Client()
    login(client, "koordinator.cipondoh")
    page = client.get("/tugas/tinjau/").content.decode()
    assert MASKED in page and NKK not in page  # the coordinator's review queue
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    review(corrected, coordinator, "approved")
    made = compile_tanggapan(corrected.task.voter_list, "3671051007", coordinator)
    item = made.items.get(category=TanggapanItem.Category.CORRECT)
    assert item.detail == f"nkk: {MASKED}" and decrypt(item.detail_encrypted) == f"nkk: {NKK}"
    page = client.get(reverse("tanggapan_detail", args=[made.pk])).content.decode()
    assert MASKED in page and NKK not in page
    login(client, "admin.kpu")
    page = client.get(reverse("tanggapan_detail", args=[made.pk])).content.decode()
    assert NKK in page
