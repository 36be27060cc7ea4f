"""Issue 16: confirmations count only from relawan who are independent of the approving coordinator; otherwise a
second approver is needed. A coordinator could invite two puppet relawan and approve their TMS claims as "two
confirmations"."""

from __future__ import annotations

import uuid
from unittest import mock

import pytest
from django.contrib.auth import get_user_model

from kawal.web.accounts.models import Invitation, Membership, Organisation, Role
from kawal.web.field.models import Visit
from kawal.web.field.review import ReviewError, confirmed_tms, recheck, review, second_look
from kawal.web.field.visits import CheckIn, VisitIn, record_visit
from kawal.web.voters.models import Voter
from tests.web.conftest import KETAPANG, WHEN, city, ketapang_task, loaded  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _puppet(name: str, coordinator, ormas: Organisation):
    user = get_user_model().objects.create(username=name)
    place = {"wilayah": KETAPANG["kode_kelurahan"], "rw": 1, "rt": 1}
    Membership.objects.create(user=user, organisation=ormas, role=Role.RELAWAN, **place)
    Invitation.objects.create(organisation=ormas, role=Role.RELAWAN, created_by=coordinator, used_by=user, **place)
    return user


@pytest.fixture
def puppets(loaded):  # noqa: F811
    """Two relawan the coordinator invited, each claiming the same voter died, both approved by that coordinator."""
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    ormas = Organisation.objects.get(kind="ormas")
    voter = Voter.unscoped.filter(**KETAPANG).first()
    visits = []
    for name in ("boneka.satu", "boneka.dua"):
        user = _puppet(name, coordinator, ormas)
        task = ketapang_task(loaded, f"h-{name}", [voter], user)
        check = CheckIn(voter_id=voter.pk, outcome="tms", tms=1, note="katanya meninggal")
        data = VisitIn(str(uuid.uuid4()), WHEN, "ya", "ya", checks=(check,))
        visits.append(review(record_visit(task, user, data)[0], coordinator, "approved"))
    return visits


def test_claims_approved_by_the_relawans_own_inviter_do_not_count(puppets):
    assert confirmed_tms(Visit.unscoped.all()).count() == 0


def test_an_independent_second_approver_makes_them_count(puppets):
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    admin = get_user_model().objects.get(username="admin.kpu")
    with mock.patch.object(Visit, "sampled_for_recheck", False):  # not drawn at random: asked for all the same
        assert {v.pk for v in second_look(Visit.unscoped.all(), admin)} == {v.pk for v in puppets}
        with pytest.raises(ReviewError):
            recheck(puppets[0], coordinator, True)  # the inviter cannot be the second approver
        for visit in puppets:
            recheck(visit, admin, True)
    assert confirmed_tms(Visit.unscoped.all()).count() == 1
