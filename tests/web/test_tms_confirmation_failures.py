"""Issue 19: TMS confirmations off the success path. A claim counts only when enough *different* relawan report the
*same* category in *approved*, *current* visits approved *independently*; each test builds a near miss, checks it
does not count (nor reaches the tanggapan), then supplies the missing piece and checks that it now does, so the
test cannot pass on a setting that never could have counted."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model

from kawal.web.accounts.models import Invitation, Membership, Organisation, Role
from kawal.web.field.models import FieldTask, Visit
from kawal.web.field.review import confirmed_tms, recheck, review
from kawal.web.field.tanggapan import compile_tanggapan
from kawal.web.field.visits import CheckIn, VisitIn, record_visit
from kawal.web.voters.models import Finding, Voter
from tests.web.conftest import KETAPANG, WHEN

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(loaded, django_user_model):
    ormas = Membership.objects.get(role=Role.RELAWAN).organisation
    second = django_user_model.objects.create(username="relawan.kedua")
    third = django_user_model.objects.create(username="relawan.ketiga")
    for user in (second, third):
        Membership.objects.create(user=user, organisation=ormas, role=Role.RELAWAN, wilayah="3671051007", rw=1, rt=1)
    voter = Voter.unscoped.filter(**KETAPANG).first()
    finding = Finding.unscoped.create(audit=loaded.audits.get(), voter=voter, check_code="USIA_TIDAK_WAJAR", detail="x", **KETAPANG)  # fmt: skip
    return {
        "list": loaded,
        "voter": voter,
        "finding": finding,
        "relawan": (get_user_model().objects.get(username="relawan.ketapang"), second, third),
        "coordinator": get_user_model().objects.get(username="koordinator.cipondoh"),
        "admin": get_user_model().objects.get(username="admin.kpu"),
    }


def _visit(p, user, tms: int | None = 1, outcome: str = "tms", supersedes: int | None = None) -> Visit:
    task = FieldTask.unscoped.create(voter_list=p["list"], household=f"h-{uuid.uuid4()}", assigned_to=user, **KETAPANG)
    if supersedes is not None:
        task = Visit.unscoped.get(pk=supersedes).task
    else:
        task.findings.add(p["finding"])
    check = CheckIn(voter_id=p["voter"].pk, outcome=outcome, tms=tms, note="meninggal 2023, kata keluarga")
    data = VisitIn(str(uuid.uuid4()), WHEN, "ya", "ya", checks=(check,), supersedes=supersedes)
    return record_visit(task, user, data)[0]


def _claims() -> list[tuple[int, int]]:
    return list(confirmed_tms(Visit.unscoped.all()).values_list("voter_id", "tms"))


def _in_tanggapan(p) -> bool:
    return compile_tanggapan(p["list"], "3671051007", p["coordinator"]).items.filter(voter=p["voter"]).exists()


def _counts_only_after(p, finish) -> None:
    assert _claims() == [] and not _in_tanggapan(p)
    finish()
    assert _claims() == [(p["voter"].pk, 1)]


def test_one_relawan_reporting_twice_is_one_confirmation(people):
    p, (a, b, _c) = people, people["relawan"]
    for _ in range(2):
        review(_visit(p, a), p["coordinator"], "approved")
    _counts_only_after(p, lambda: review(_visit(p, b), p["coordinator"], "approved"))


def test_two_relawan_naming_different_categories_confirm_neither(people):
    p, (a, b, c) = people, people["relawan"]
    review(_visit(p, a, tms=1), p["coordinator"], "approved")
    review(_visit(p, b, tms=2), p["coordinator"], "approved")
    _counts_only_after(p, lambda: review(_visit(p, c, tms=1), p["coordinator"], "approved"))


@pytest.mark.parametrize("decision", ["rejected", "returned", None])
def test_a_visit_not_approved_does_not_confirm(people, decision):
    p, (a, b, _c) = people, people["relawan"]
    review(_visit(p, a), p["coordinator"], "approved")
    second = _visit(p, b)
    if decision:
        review(second, p["coordinator"], decision, "foto tidak jelas")
    _counts_only_after(p, lambda: review(second, p["coordinator"], "approved"))


def test_a_visit_found_sesuai_is_not_a_tms_confirmation(people):
    p, (a, b, c) = people, people["relawan"]
    review(_visit(p, a), p["coordinator"], "approved")
    review(_visit(p, b, outcome="sesuai", tms=1), p["coordinator"], "approved")  # a form that left the category set
    _counts_only_after(p, lambda: review(_visit(p, c), p["coordinator"], "approved"))


def test_a_replaced_visit_no_longer_confirms(people):
    p, (a, b, _c) = people, people["relawan"]
    review(_visit(p, a), p["coordinator"], "approved")
    first = _visit(p, b)
    review(first, p["coordinator"], "returned", "periksa lagi")
    review(first, p["coordinator"], "approved")  # approved, then replaced by a correction not yet reviewed
    Visit.unscoped.filter(pk=first.pk).update(review=Visit.Review.RETURNED)
    correction = _visit(p, b, supersedes=first.pk)
    Visit.unscoped.filter(pk=first.pk).update(review=Visit.Review.APPROVED)
    assert Visit.unscoped.get(pk=correction.pk).supersedes_id == first.pk
    _counts_only_after(p, lambda: review(correction, p["coordinator"], "approved"))


def test_more_confirmations_needed_when_the_setting_asks(people, settings):
    settings.KAWAL_TMS_CONFIRMATIONS = 3
    p, (a, b, c) = people, people["relawan"]
    for user in (a, b):
        review(_visit(p, user), p["coordinator"], "approved")
    _counts_only_after(p, lambda: review(_visit(p, c), p["coordinator"], "approved"))


def test_a_second_approver_who_disagrees_leaves_a_puppets_claim_uncounted(people):
    p, (a, b, _c) = people, people["relawan"]
    ormas = Organisation.objects.get(kind="ormas")
    Invitation.objects.create(organisation=ormas, role=Role.RELAWAN, created_by=p["coordinator"], used_by=b, wilayah="3671051007", rw=1, rt=1)  # fmt: skip
    review(_visit(p, a), p["coordinator"], "approved")
    puppet = review(_visit(p, b), p["coordinator"], "approved")
    assert _claims() == []  # approved by its own inviter: waits for a second approver
    recheck(puppet, p["admin"], False)
    _counts_only_after(p, lambda: Visit.unscoped.filter(pk=puppet.pk).update(recheck_agrees=True))
