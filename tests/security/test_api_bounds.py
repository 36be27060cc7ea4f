"""Issue 16: the API answers 422, never 500, on any input. Each body below made the server fail with a traceback:
numbers beyond what the database holds, dates whose offset pushes them out of the calendar, and a Unicode digit
that ``str.isdigit`` accepts but ``int`` refuses."""

from __future__ import annotations

import json
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kawal.web.accounts.models import ApiToken
from kawal.web.field.models import Visit
from kawal.web.voters.models import Voter
from tests.web.conftest import KETAPANG, city, ketapang_task, loaded  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone(loaded):  # noqa: F811
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    task = ketapang_task(loaded, "uji-batas", list(Voter.unscoped.filter(**KETAPANG)[:1]), relawan)
    _token, key = ApiToken.issue(relawan, "phone")
    # A server error must show up as 500 here, not as an exception in the test.
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {key}"), task


def _visit(**extra) -> dict:
    body = {
        "client_id": str(uuid.uuid4()),
        "recorded_at": "2024-07-10T09:30:00+07:00",
        "pantarlih_visited": "ya",
        "sticker": "tidak",
    }
    return {**body, **extra}


def _post(client: Client, url: str, body: dict) -> int:
    return client.post(url, data=json.dumps(body), content_type="application/json").status_code


@pytest.mark.parametrize(
    "extra",
    [
        {"residents": -1},
        {"residents": 1e20},
        {"residents": 10**20},
        {"recorded_at": "9999-12-31T23:59:59-05:00"},
        {"recorded_at": "0001-01-01T00:00:00+07:00"},
        {"latitude": 1e308, "longitude": -1e308},
        {"supersedes": 10**20},
        {"checks": [{"voter_id": 10**20, "outcome": "sesuai"}]},
        {"new_voters": [{"nama": "A", "tanggal_lahir": "0001-01-01"}]},
        {"note": "nol\x00byte"},
    ],
    ids=lambda extra: next(iter(extra)),
)
def test_a_visit_with_impossible_values_is_refused_with_422(phone, extra):
    client, task = phone
    assert _post(client, f"/api/v1/tasks/{task.pk}/visits", _visit(**extra)) == 422
    assert not Visit.unscoped.exists()


@pytest.mark.parametrize("task_id", [10**20, -1])
def test_ids_beyond_the_database_are_not_found_or_refused(phone, task_id):
    client, _task = phone
    assert _post(client, f"/api/v1/tasks/{task_id}/visits", _visit()) in (404, 422)
    assert client.get(f"/api/v1/voters/{task_id}").status_code in (404, 422)


@pytest.mark.parametrize("value", ["²", "٣", "9" * 5000, "-1", 1e20, -5, True])
def test_a_vote_count_that_is_no_plain_number_is_refused(phone, value):
    from kawal.web.participation.models import Election
    from kawal.web.results.models import TpsAssignment

    client, _task = phone
    election = Election.objects.create(
        organisation_id=get_user_model()
        .objects.get(username="relawan.ketapang")
        .memberships.get()
        .organisation.kpu_office.pk,
        name="Pilkada uji",
        pemilihan="walikota",
        held_on="2024-11-27",
    )
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    TpsAssignment.objects.create(election=election, user=relawan, kode_tps="3671051007001")
    body = {"client_id": str(uuid.uuid4()), "recorded_at": "2024-11-27T13:00:00+07:00", "suara_paslon_1": value}
    assert _post(client, f"/api/v1/tps/{election.pk}/3671051007001/entries", body) == 422


@pytest.mark.parametrize("query", ["pemilu=100000000000000000000", "wilayah=%C2%B2%C2%B2%C2%B2%C2%B2", "wilayah=%00"])
def test_public_tally_answers_without_failing(phone, query):
    client, _task = phone
    assert client.get(f"/api/v1/tally?{query}").status_code in (200, 404, 422)


@pytest.mark.parametrize("query", ["rw=100000000000000000000", "wilayah=%00", "offset=-1", "limit=1e20"])
def test_finding_filters_out_of_range_are_refused(phone, query):
    client, _task = phone
    assert client.get(f"/api/v1/findings?{query}").status_code in (200, 422)
