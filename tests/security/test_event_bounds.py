"""Issue 16: organisations and numbers are bounded by the user's own scope. A coordinator planned and marked held a
sosialisasi event in the name of the KPU office, with attendance 5,000,000; attendance 1e20 answered 500."""

from __future__ import annotations

import pytest
from django.test import Client

from kawal.web.accounts.models import Organisation
from kawal.web.participation.models import Event
from tests.web.conftest import city, loaded, login  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(loaded):  # noqa: F811
    client = Client(raise_request_exception=False)
    login(client, "koordinator.cipondoh")
    return client


def _record(client: Client, organisation: Organisation, **extra) -> int:
    body = {
        "organisation": organisation.pk,
        "status": "terlaksana",
        "title": "Pemilih pemula",
        "starts_at": "2024-07-20T09:00",
        "kode_wilayah": "367105",
        "attendance": 40,
        **extra,
    }
    return client.post("/partisipasi/kegiatan/", body).status_code


def test_a_coordinator_cannot_record_or_plan_an_event_in_the_kpu_offices_name(coordinator):
    kpu = Organisation.objects.get(kind="kpu")
    assert _record(coordinator, kpu) == 200  # the form again, with the choice refused
    plan = {"kode": "367105", "organisation": kpu.pk, "audience": "pemula", "starts_at": "2026-12-05T09:00"}
    assert coordinator.post("/partisipasi/rencana/", plan).status_code == 403
    assert not Event.unscoped.exists()
    assert _record(coordinator, Organisation.objects.get(kind="ormas")) == 302  # their own Ormas: fine


def test_a_coordinator_cannot_mark_the_kpu_offices_event_held(coordinator):
    from django.contrib.auth import get_user_model

    kpu = Organisation.objects.get(kind="kpu")
    event = Event.unscoped.create(
        organisation=kpu,
        created_by=get_user_model().objects.get(username="koordinator.cipondoh"),  # made before the fix
        status=Event.Status.PLANNED,
        title="Sosialisasi KPU",
        starts_at="2026-12-05T09:00+07:00",
        kode_wilayah="367105",
    )
    answer = coordinator.post(f"/partisipasi/kegiatan/{event.pk}/terlaksana/", {"attendance": "50"})
    assert answer.status_code == 404
    event.refresh_from_db()
    assert event.status == Event.Status.PLANNED


@pytest.mark.parametrize("attendance", ["5000000", "100000000000000000000", "1e20", "²", "-3"])
def test_attendance_is_bounded(coordinator, attendance):
    ormas = Organisation.objects.get(kind="ormas")
    assert _record(coordinator, ormas, attendance=attendance) == 200  # refused on the form, no 500
    assert not Event.unscoped.exists()
    event = Event.unscoped.create(
        organisation=ormas,
        created_by_id=coordinator.session["_auth_user_id"],
        status=Event.Status.PLANNED,
        title="Rencana",
        starts_at="2026-12-05T09:00+07:00",
        kode_wilayah="367105",
    )
    answer = coordinator.post(f"/partisipasi/kegiatan/{event.pk}/terlaksana/", {"attendance": attendance})
    assert answer.status_code == 400
    event.refresh_from_db()
    assert event.status == Event.Status.PLANNED and event.attendance is None
