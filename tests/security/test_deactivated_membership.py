"""Issue 16: a deactivated membership kept task and TPS access. Tasks were looked up by their assignee alone, so a
relawan whose membership was ended still downloaded the households of their RT and reported visits on them."""

from __future__ import annotations

import json
import uuid

import pytest
from django.contrib.auth import get_user_model

from kawal.web.accounts.models import ApiToken, Membership
from kawal.web.participation.models import Election
from kawal.web.results.models import TpsAssignment
from kawal.web.voters.models import Voter
from tests.web.conftest import KETAPANG, city, ketapang_task, loaded  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(loaded):  # noqa: F811
    """The demo relawan with a task and a TPS, whose only membership was then deactivated."""
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    task = ketapang_task(loaded, "rumah-akhir", list(Voter.unscoped.filter(**KETAPANG)[:1]), relawan)
    membership = Membership.objects.get(user=relawan)
    election = Election.objects.create(
        organisation=membership.organisation.kpu_office, name="Pilkada uji", pemilihan="walikota", held_on="2024-11-27"
    )
    TpsAssignment.objects.create(election=election, user=relawan, kode_tps="3671051007001")
    Membership.objects.filter(pk=membership.pk).update(active=False)
    _token, key = ApiToken.issue(relawan, "phone")
    return task, election, {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, url: str, body: dict, headers: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def test_tasks_are_neither_listed_nor_reported_on(client, ended):
    task, _election, headers = ended
    assert client.get("/api/v1/tasks", **headers).json() == []
    visit = {"client_id": str(uuid.uuid4()), "recorded_at": "2024-07-10T09:30:00+07:00"}
    answer = _post(
        client, f"/api/v1/tasks/{task.pk}/visits", {**visit, "pantarlih_visited": "ya", "sticker": "ya"}, headers
    )
    assert answer.status_code == 404


def test_the_tps_takes_no_more_entries(client, ended):
    _task, election, headers = ended
    body = {"client_id": str(uuid.uuid4()), "recorded_at": "2024-11-27T13:00:00+07:00", "suara_paslon_1": 10}
    assert _post(client, f"/api/v1/tps/{election.pk}/3671051007001/entries", body, headers).status_code == 404
