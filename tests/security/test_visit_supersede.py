"""Issue 16: a visit is changed only by its author, through review. ``supersedes`` was checked against the task
alone: the relawan a task was handed on to could "correct" the first relawan's approved visit, and a confirmed TMS
claim dropped from two confirmations to one."""

from __future__ import annotations

import json
import uuid

import pytest
from django.contrib.auth import get_user_model

from kawal.web.accounts.models import ApiToken
from kawal.web.field.models import FieldTask, Visit
from kawal.web.field.review import confirmed_tms, review
from tests.web.conftest import approved, city, loaded  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _correct(client, user, visit: Visit, **extra):
    _token, key = ApiToken.issue(user, "phone")
    body = {
        "client_id": str(uuid.uuid4()),
        "recorded_at": "2024-08-21T09:00:00+07:00",
        "pantarlih_visited": "tidak",
        "sticker": "tidak",
        "supersedes": visit.pk,
        **extra,
    }
    return client.post(
        f"/api/v1/tasks/{visit.task_id}/visits",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def _first_visit() -> Visit:
    return Visit.unscoped.get(relawan__username="relawan.ketapang", task__household="t0")


def test_the_next_relawan_on_a_task_cannot_replace_the_first_ones_approved_visit(client, approved):  # noqa: F811
    before = confirmed_tms(Visit.unscoped.all()).count()
    first = _first_visit()
    second = get_user_model().objects.get(username="relawan.kedua")
    FieldTask.unscoped.filter(pk=first.task_id).update(assigned_to=second)  # the task is handed on
    answer = _correct(client, second, first)
    assert answer.status_code == 422 and "supersedes" in answer.json()["detail"]
    assert not Visit.unscoped.filter(supersedes=first).exists()
    assert confirmed_tms(Visit.unscoped.all()).count() == before == 1


def test_the_author_cannot_replace_an_approved_visit_either(client, approved):  # noqa: F811
    first = _first_visit()
    answer = _correct(client, first.relawan, first)
    assert answer.status_code == 422
    assert confirmed_tms(Visit.unscoped.all()).count() == 1


def test_the_author_corrects_a_visit_sent_back_and_only_once(client, approved):  # noqa: F811
    first = _first_visit()
    review(first, approved["coordinator"], "returned", "foto stiker kurang jelas")
    answer = _correct(client, first.relawan, first)
    assert answer.status_code == 201
    assert Visit.unscoped.get(pk=answer.json()["id"]).supersedes == first
    again = _correct(client, first.relawan, first)  # a second correction of the same version
    assert again.status_code == 422
