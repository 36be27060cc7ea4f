"""Issue 16: corrected NIK/NKK values from visits were stored in clear, shown to coordinators and exported under a
"NIK (tersamar)" heading; retention never scrubbed visit notes. Now: masked beside an encrypted copy (values
written before that are moved by a migration), and retention blanks notes and reasons with the rest."""

from __future__ import annotations

import importlib
import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from kawal.web import retention
from kawal.web.crypto import decrypt
from kawal.web.field.models import Visit, VoterCheck
from kawal.web.field.visits import CheckIn, VisitIn, record_visit
from kawal.web.voters.models import Voter, VoterList
from tests.web.conftest import KETAPANG, WHEN, city, ketapang_task, loaded, login  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
NIK = "3671051708900003"  # a made-up, well-formed NIK of Ketapang


@pytest.fixture
def corrected(loaded):  # noqa: F811
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    voter = Voter.unscoped.filter(**KETAPANG).first()
    task = ketapang_task(loaded, "koreksi", [voter], relawan)
    check = CheckIn(voter_id=voter.pk, outcome="ubah", field="nik", value=NIK, note="KTP dilihat: BUDI SANTOSO")
    data = VisitIn(
        client_id=str(uuid.uuid4()), recorded_at=WHEN, pantarlih_visited="ya", sticker="ya", checks=(check,),
        note="ketua RT: BUDI pindah dari RT 3",
    )  # fmt: skip
    return record_visit(task, relawan, data)[0]


def test_a_corrected_nik_is_stored_masked_beside_its_encrypted_copy(corrected):
    check = corrected.checks.get()
    assert check.value == NIK[:6] + "*" * 10 and decrypt(check.value_encrypted) == NIK
    assert not VoterCheck.objects.filter(value__contains=NIK[6:]).exists()
    client = Client()
    login(client, "koordinator.cipondoh")
    page = client.get("/tugas/tinjau/").content.decode()
    assert NIK[:6] + "*" * 10 in page and NIK not in page  # the coordinator's review queue shows the masked form


def test_values_stored_in_clear_before_are_moved_by_the_migration(corrected):
    VoterCheck.objects.filter(visit=corrected).update(value=NIK, value_encrypted="")  # as written before 0007
    migration = importlib.import_module("kawal.web.field.migrations.0008_corrected_numbers_encrypted")
    migration.encrypt_clear_values(apps, None)
    check = corrected.checks.get()
    assert check.value == NIK[:6] + "*" * 10 and decrypt(check.value_encrypted) == NIK
    migration.encrypt_clear_values(apps, None)  # run again: a masked value is left alone
    assert decrypt(corrected.checks.get().value_encrypted) == NIK


def test_retention_blanks_visit_notes_reasons_and_check_notes(corrected):
    Visit.unscoped.filter(pk=corrected.pk).update(review_reason="BUDI tidak ditemukan")
    VoterList.objects.filter(pk=corrected.task.voter_list_id).update(created_at=timezone.now() - timedelta(days=400))
    retention.apply(365)
    visit = Visit.unscoped.get(pk=corrected.pk)
    check = visit.checks.get()
    assert (visit.note, visit.review_reason, check.note, check.value, check.value_encrypted) == ("", "", "", "", "")
    assert check.outcome == "ubah" and visit.review == corrected.review  # what was found stays countable
