"""A relawan account cannot page through people: past its role's hourly limit, person pages are refused, the
moment is logged once, and the coordinators and KPU admins over it see it on their dashboard."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from kawal.web.accounts.models import ApiToken
from kawal.web.actionlog.models import ActionLog
from kawal.web.voters.models import Voter
from tests.web.conftest import KETAPANG, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings, loaded):
    cache.clear()  # counters of earlier tests (the same user ids come back) must not count here
    settings.KAWAL_PERSON_VIEW_LIMITS = {"relawan": 3}
    return list(Voter.unscoped.filter(**KETAPANG).values_list("pk", flat=True)[:5])


def test_past_the_limit_person_pages_are_refused_and_the_coordinator_is_told(client, tight):
    login(client, "relawan.ketapang")
    answers = [client.get(reverse("voter_detail", args=[pk])).status_code for pk in tight]
    assert answers == [200, 200, 200, 429, 429]
    refused = client.get(reverse("voter_detail", args=[tight[0]]))
    assert refused.status_code == 429 and "batas" in refused.content.decode().lower()
    alerts = ActionLog.objects.filter(action="person.view_limit")
    assert alerts.count() == 1 and alerts.get().user.username == "relawan.ketapang"
    assert ActionLog.objects.filter(action="voter.viewed").count() == 3  # refused pages showed nobody

    for overseer in ("koordinator.cipondoh", "admin.kpu"):
        login(client, overseer)
        page = client.get(reverse("home")).content.decode()
        assert "data-person-alerts" in page and "relawan.ketapang" in page


def test_the_api_counts_against_the_same_limit(client, tight, django_user_model):
    _token, key = ApiToken.issue(django_user_model.objects.get(username="relawan.ketapang"), "hp")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    answers = [client.get(f"/api/v1/voters/{pk}", **headers).status_code for pk in tight[:4]]
    assert answers == [200, 200, 200, 429]


def test_an_ordinary_day_raises_no_alert(client, tight):
    login(client, "relawan.ketapang")
    for pk in tight[:3]:
        assert client.get(reverse("voter_detail", args=[pk])).status_code == 200
    login(client, "koordinator.cipondoh")
    assert "data-person-alerts" not in client.get(reverse("home")).content.decode()
