import contextlib
import json
import threading
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from kawal.web.accounts.models import ApiToken
from kawal.web.field.models import NewVoter, Visit, VoterCheck
from kawal.web.voters.models import Voter
from tests.web.conftest import KETAPANG, ketapang_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(loaded):
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    return ketapang_task(loaded, "uji-rumah", list(Voter.unscoped.filter(**KETAPANG)[:2]), relawan)


def headers(username="relawan.ketapang"):
    _token, key = ApiToken.issue(get_user_model().objects.get(username=username), "phone")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def payload(task, client_id=None, **extra):
    voter_ids = list(task.findings.values_list("voter_id", flat=True))
    body = {
        "client_id": str(client_id or uuid.uuid4()),
        "recorded_at": "2024-07-10T09:30:00+07:00",
        "pantarlih_visited": "ya",
        "sticker": "tidak",
        "residents": 3,
        "latitude": -6.17,
        "longitude": 106.64,
        "checks": [
            {"voter_id": voter_ids[0], "outcome": "sesuai"},
            {
                "voter_id": voter_ids[1],
                "outcome": "tms",
                "tms": 4,
                "note": "pindah ke Bekasi sejak 2023, kata ketua RT",
            },
        ],
        "new_voters": [
            {"nama": "PEMILIH PEMULA", "nik": "3671054505080001", "tanggal_lahir": "2006-05-05"}
        ],  # 18 on election day (issue 17 checks age)
    }
    body.update(extra)
    return body


def post(client, task, body, auth):
    return client.post(
        f"/api/v1/tasks/{task.pk}/visits", data=json.dumps(body), content_type="application/json", **auth
    )


def test_the_same_submission_sent_three_times_is_one_record(client, task):
    auth = headers()
    body = payload(task)
    answers = [post(client, task, body, auth) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.json()["id"] for a in answers}) == 1
    assert Visit.unscoped.count() == 1 and VoterCheck.objects.count() == 2 and NewVoter.objects.count() == 1
    task.refresh_from_db()
    assert task.status == "done"


def test_the_phone_gets_its_tasks_to_cache(client, task):
    tasks = client.get("/api/v1/tasks", **headers()).json()
    mine = next(t for t in tasks if t["id"] == task.pk)
    assert len(mine["voters"]) == 2 and all(v["nik"].endswith("*") for v in mine["voters"])


def test_new_voter_nik_is_stored_encrypted(client, task):
    post(client, task, payload(task), headers())
    person = NewVoter.objects.get()
    assert "3671054505080001" not in person.nik_encrypted and person.nik_masked == "367105**********"


def test_tms_needs_evidence_and_a_category(client, task):
    body = payload(task)
    body["checks"][1]["note"] = ""
    answer = post(client, task, body, headers())
    assert answer.status_code == 422 and "catatan bukti" in answer.json()["detail"]
    body["checks"][1].update(note="x", tms=9)
    assert "1-8" in post(client, task, body, headers()).json()["detail"]
    assert Visit.unscoped.count() == 0


def test_only_the_assigned_relawan_may_submit(client, task):
    assert post(client, task, payload(task), headers("koordinator.cipondoh")).status_code == 404


def test_a_correction_is_a_new_version_and_the_original_stays(client, task):
    auth = headers()
    first = post(client, task, payload(task), auth).json()["id"]
    second = post(client, task, payload(task, supersedes=first, sticker="ya"), auth).json()["id"]
    original, correction = Visit.unscoped.get(pk=first), Visit.unscoped.get(pk=second)
    assert original.sticker == "tidak" and correction.sticker == "ya" and correction.supersedes == original


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submits_make_one_record(task, monkeypatch):
    from django.test import Client

    from kawal.web.field import visits

    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL in CI")
    auth = headers()
    body = payload(task)
    all_inside = threading.Barrier(6, timeout=5)
    store = visits._store

    def store_together(*args, **kwargs):  # all six passed the "seen before?" look-up; now they race to insert
        with contextlib.suppress(threading.BrokenBarrierError):
            all_inside.wait()
        return store(*args, **kwargs)

    monkeypatch.setattr(visits, "_store", store_together)
    answers = []

    def send() -> None:
        answer = post(Client(), task, body, auth)
        answers.append((answer.status_code, answer.json().get("id")))
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # every one of the six answers: one created, five "already recorded", all naming the same visit
    assert sorted(code for code, _ in answers) == [200, 200, 200, 200, 200, 201], answers
    assert len({pk for _, pk in answers}) == 1 and None not in {pk for _, pk in answers}
    assert Visit.unscoped.count() == 1 and VoterCheck.objects.count() == 2 and NewVoter.objects.count() == 1
    assert Visit.unscoped.get().pk == answers[0][1]
