import uuid
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kawal.web.accounts.models import Membership, Role
from kawal.web.actionlog.models import ActionLog
from kawal.web.field.models import FieldTask, Visit
from kawal.web.field.review import ReviewError, agreement, confirmed_tms, recheck, review
from kawal.web.field.visits import CheckIn, VisitIn, record_visit
from kawal.web.voters.models import Finding, Voter
from tests.web.conftest import login

pytestmark = pytest.mark.django_db
WHEN = datetime(2024, 7, 10, 9, 30, tzinfo=UTC)


@pytest.fixture
def setting(loaded, django_user_model):
    """Two relawan of the same RT, one task each for the same household's voter, and the coordinator."""
    ormas = Membership.objects.get(role=Role.RELAWAN).organisation
    second = django_user_model.objects.create(username="relawan.kedua")
    Membership.objects.create(user=second, organisation=ormas, role=Role.RELAWAN, wilayah="3671051007", rw=1, rt=1)
    voter = Voter.unscoped.filter(kode_kelurahan="3671051007", rw=1, rt=1).first()
    audit = loaded.audits.get()
    finding = Finding.unscoped.create(
        audit=audit, voter=voter, check_code="USIA_TIDAK_WAJAR", kode_kelurahan="3671051007", rw=1, rt=1, detail="x"
    )
    first = get_user_model().objects.get(username="relawan.ketapang")
    tasks = []
    for i, user in enumerate((first, second)):
        task = FieldTask.unscoped.create(
            voter_list=loaded, household=f"h{i}", kode_kelurahan="3671051007", rw=1, rt=1, assigned_to=user
        )
        task.findings.add(finding)
        tasks.append(task)
    return {
        "voter": voter,
        "relawan": (first, second),
        "tasks": tasks,
        "coordinator": get_user_model().objects.get(username="koordinator.cipondoh"),
    }


def visit(task, user, voter, tms=1) -> Visit:
    data = VisitIn(
        client_id=str(uuid.uuid4()),
        recorded_at=WHEN,
        pantarlih_visited="ya",
        sticker="ya",
        checks=(CheckIn(voter_id=voter.pk, outcome="tms", tms=tms, note="meninggal 2023, kata keluarga"),),
    )
    return record_visit(task, user, data)[0]


def test_a_tms_claim_counts_only_after_two_independent_approved_confirmations(setting):
    s = setting
    coordinator, (a, b), voter = s["coordinator"], s["relawan"], s["voter"]
    first = visit(s["tasks"][0], a, voter)
    review(first, coordinator, "approved")
    visits = Visit.unscoped.all()
    assert confirmed_tms(visits).count() == 0
    second = visit(s["tasks"][1], b, voter)
    assert confirmed_tms(visits).count() == 0  # not yet approved
    review(second, coordinator, "approved")
    assert list(confirmed_tms(visits).values_list("voter_id", "tms")) == [(voter.pk, 1)]


def test_rejecting_or_returning_needs_a_reason_and_nobody_reviews_their_own(setting):
    s = setting
    v = visit(s["tasks"][0], s["relawan"][0], s["voter"])
    with pytest.raises(ReviewError, match="alasan"):
        review(v, s["coordinator"], "rejected")
    with pytest.raises(ReviewError, match="sendiri"):
        review(v, s["relawan"][0], "approved")
    review(v, s["coordinator"], "returned", "foto stiker tidak jelas")
    assert ActionLog.objects.filter(action="visit.reviewed", object_id=str(v.pk)).get().detail == {
        "old": "submitted",
        "new": "returned",
    }


def test_recheck_by_a_second_reviewer_and_the_agreement_rate(setting, settings, django_user_model):
    settings.KAWAL_RECHECK_SHARE = 1.0  # every approved visit is drawn, for the test
    s = setting
    v = visit(s["tasks"][0], s["relawan"][0], s["voter"])
    review(v, s["coordinator"], "approved")
    with pytest.raises(ReviewError, match="orang lain"):
        recheck(v, s["coordinator"], True)
    admin = django_user_model.objects.get(username="admin.kpu")
    recheck(v, admin, False)
    result = agreement(Visit.unscoped.all())
    assert (result.rechecked, result.agreed, result.rate) == (1, 0, 0.0)


def test_the_recheck_sample_is_reproducible_and_near_its_share(setting):
    s = setting
    drawn = [Visit(client_id=uuid.UUID(int=i)).sampled_for_recheck for i in range(2000)]
    assert 0.07 < sum(drawn) / len(drawn) < 0.13
    assert drawn == [Visit(client_id=uuid.UUID(int=i)).sampled_for_recheck for i in range(2000)]
    assert s["voter"] is not None


def test_review_page_for_coordinators_only(client, setting):
    s = setting
    v = visit(s["tasks"][0], s["relawan"][0], s["voter"])
    login(client, "koordinator.cipondoh")
    page = client.get(reverse("review_queue"))
    assert v in list(page.context["waiting"])
    assert client.post(reverse("review_visit", args=[v.pk]), {"decision": "approved"}).status_code == 302
    v.refresh_from_db()
    assert v.review == "approved" and v.reviewed_by.username == "koordinator.cipondoh"
    login(client, "relawan.ketapang")
    assert client.get(reverse("review_queue")).status_code == 403
