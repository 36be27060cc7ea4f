"""Issue 16, smaller points: a coordinator's reach ends at their own area and their organisation's roles, and a
list of findings counts against the hourly person-view limit like the person pages it stands for.

- task assignment offered (and accepted) relawan outside the task's RT;
- invitations checked the wilayah prefix only, not RW/RT, and any role whatever the organisation;
- finding lists (50 a page on the web, 500 in the API) skipped the hourly person-view limit.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from kawal.web.accounts.models import ApiToken, Invitation, Membership, Organisation, Role
from kawal.web.field.models import FieldTask
from kawal.web.voters.models import Finding, Voter
from tests.web.conftest import KETAPANG, city, ketapang_task, loaded, login  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _relawan(name: str, rt: int):
    user = get_user_model().objects.create(username=name)
    ormas = Organisation.objects.get(kind="ormas")
    Membership.objects.create(
        user=user, organisation=ormas, role=Role.RELAWAN, wilayah=KETAPANG["kode_kelurahan"], rw=1, rt=rt
    )
    return user


def test_a_task_is_given_only_to_a_relawan_of_its_rt(client, loaded):  # noqa: F811
    task = ketapang_task(loaded, "h-rt1", list(Voter.unscoped.filter(**KETAPANG)[:1]), None)
    neighbour, inside = _relawan("relawan.rt9", 9), _relawan("relawan.rt1", 1)
    login(client, "koordinator.cipondoh")
    form = client.get(f"/tugas/{task.pk}/").context["form"]
    offered = set(form.fields["assigned_to"].queryset.values_list("username", flat=True))
    assert "relawan.rt9" not in offered and {"relawan.rt1", "relawan.ketapang"} <= offered
    refused = client.post(f"/tugas/{task.pk}/", {"assigned_to": neighbour.pk})
    assert refused.status_code == 200 and FieldTask.unscoped.get(pk=task.pk).assigned_to is None
    assert client.post(f"/tugas/{task.pk}/", {"assigned_to": inside.pk}).status_code == 302
    assert FieldTask.unscoped.get(pk=task.pk).assigned_to == inside


@pytest.fixture
def rt_coordinator(loaded):  # noqa: F811
    """A coordinator whose membership covers one RT (RW 1, RT 1) of Ketapang."""
    user = get_user_model().objects.create(username="koordinator.rt")
    ormas = Organisation.objects.get(kind="ormas")
    Membership.objects.create(
        user=user, organisation=ormas, role=Role.COORDINATOR, wilayah=KETAPANG["kode_kelurahan"], rw=1, rt=1
    )
    return user


@pytest.mark.parametrize(("rw", "rt", "field"), [(2, 1, "rw"), (1, 2, "rt"), ("", "", "rw")])
def test_an_invitation_stays_inside_the_inviters_rw_and_rt(client, rt_coordinator, rw, rt, field):
    client.force_login(rt_coordinator)
    body = {"role": "relawan", "wilayah": KETAPANG["kode_kelurahan"], "rw": rw, "rt": rt}
    page = client.post("/undangan/", body)
    assert page.status_code == 200 and "di luar wilayah" in page.content.decode()
    assert field in page.context["form"].errors
    assert not Invitation.objects.filter(created_by=rt_coordinator).exists()
    assert client.post("/undangan/", {**body, "rw": 1, "rt": 1}).status_code == 302


def test_an_ormas_invites_ormas_roles_only(client, loaded):  # noqa: F811
    login(client, "koordinator.cipondoh")
    assert client.post("/undangan/", {"role": "kpu_operator", "wilayah": "3671051007"}).status_code == 200
    login(client, "admin.kpu")
    choices = {value for value, _label in client.get("/undangan/").context["form"].fields["role"].choices}
    assert choices == {"kpu_operator"}  # a KPU office has no coordinators or relawan of its own
    assert not Invitation.objects.exists()


@pytest.fixture
def tight(settings, loaded):  # noqa: F811
    cache.clear()
    settings.KAWAL_PERSON_VIEW_LIMITS = {"relawan": 3, "koordinator": 3}
    audit = loaded.audits.get()
    for voter in Voter.unscoped.filter(**KETAPANG)[:5]:  # five people of the relawan's RT, one finding each
        Finding.unscoped.create(audit=audit, voter=voter, check_code="TPS_PENUH", detail="uji", **KETAPANG)


def test_a_page_of_findings_counts_every_person_it_names(client, tight):
    login(client, "koordinator.cipondoh")
    assert client.get("/temuan/").status_code == 429  # one page names more than 3 people
    assert client.get(f"/pemilih/{Voter.unscoped.filter(**KETAPANG).first().pk}/").status_code == 429


def test_the_api_finding_list_counts_too(client, tight):
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    _token, key = ApiToken.issue(relawan, "hp")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/findings?limit=2", **headers).status_code == 200
    assert client.get("/api/v1/findings?limit=500", **headers).status_code == 429
