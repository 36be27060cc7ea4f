"""Pages for reviewing PEMILIH_GANDA: one duplicate person's rows side by side with an answer per pair, and the
estimated precision of each audit beside what reviewers confirmed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawal.engine import HIDDEN_DATES_PRECISION
from kawal.web.accounts import person_views
from kawal.web.accounts.models import KPU_ROLES, Membership, Role
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import record
from kawal.web.crypto import decrypt
from kawal.web.voters import duplicate_review
from kawal.web.voters.duplicate_review import Latest, ordered_keys
from kawal.web.voters.models import AuditRun, DuplicateAnswer, DuplicatePair, Finding, Voter, VoterList
from kawal.web.voters.views import _age_today
from kawal.wilayah import registry as wilayah_registry

if TYPE_CHECKING:
    from kawal.web.types import AuthedRequest

REVIEWER_ROLES = (*KPU_ROLES, Role.COORDINATOR)
SEX = {"L": gettext_lazy("Laki-laki"), "P": gettext_lazy("Perempuan")}
# The matcher compares marital status, so the reviewer sees it beside the other fields.
MARITAL = {"B": gettext_lazy("Belum kawin"), "S": gettext_lazy("Sudah kawin"), "P": gettext_lazy("Pernah kawin")}
RUNS_SHOWN = 20
DRAWN = "acak"  # the query parameter that says a cluster page was reached by random_pair


def _reviewer_scope(request: HttpRequest) -> Scope:
    """Only KPU staff and Ormas coordinators review duplicates; relawan and others are refused outright."""
    scope = Scope.for_user(request.user)
    if not any(m.role in REVIEWER_ROLES for m in scope.memberships):
        raise PermissionDenied
    return scope


def _membership_over(scope: Scope, voter: Voter) -> Membership | None:
    """The highest membership covering the voter's place (the one whose role the reviewer acts in)."""
    covering = [
        m
        for m in scope.memberships
        if voter.kode_kelurahan.startswith(m.wilayah) and m.rw in (None, voter.rw) and m.rt in (None, voter.rt)
    ]
    return max(covering, key=lambda m: m.rank, default=None)


def _english() -> bool:
    return (get_language() or "id").startswith("en")


def _chance(probability: float) -> str:
    """A probability as people say it: "97%", never 100% or 0% for a model's guess."""
    if probability >= 0.995:
        return ">99%"
    if probability < 0.005:
        return "<1%"
    return f"{100 * probability:.0f}%"


# --- one duplicate person --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    voter: Voter
    age: int | None
    sex: str
    marital: str
    nik: str
    nkk: str
    kelurahan: str


@dataclass(frozen=True)
class PairView:
    pair: DuplicatePair
    chance: str
    fields: list[str]
    current: Latest | None
    can_answer: bool
    answerable: bool  # both rows have their record key (a list audited before reviews existed has none)


def _card(scope: Scope, voter: Voter, names: dict[str, str]) -> Card:
    full = scope.role_for(voter.kode_kelurahan, voter.rw, voter.rt) in KPU_ROLES
    return Card(
        voter=voter,
        age=_age_today(voter),
        sex=str(SEX.get(voter.jenis_kelamin, voter.jenis_kelamin)),
        marital=str(MARITAL.get(voter.status_kawin, voter.status_kawin)),
        nik=decrypt(voter.nik_encrypted) if full else voter.nik_masked,
        nkk=decrypt(voter.nkk_encrypted) if full else voter.nkk_masked,
        kelurahan=names.get(voter.kode_kelurahan, ""),
    )


def _can_answer(scope: Scope, *voters: Voter) -> bool:
    return all(scope.role_for(v.kode_kelurahan, v.rw, v.rt) in REVIEWER_ROLES for v in voters)


def _pair_view(scope: Scope, pair: DuplicatePair, latest: dict[tuple[str, str], Latest]) -> PairView:
    a, b = pair.voter_a, pair.voter_b
    answerable = bool(a.record_key and b.record_key)
    return PairView(
        pair=pair,
        chance=_chance(pair.probability),
        fields=duplicate_review.explain(pair.detail, _english()),
        current=latest.get(ordered_keys(cast(str, a.record_key), cast(str, b.record_key))) if answerable else None,
        can_answer=_can_answer(scope, a, b),
        answerable=answerable,
    )


@login_required
def cluster(request: AuthedRequest, audit: int, cluster: str) -> HttpResponse:
    """The rows of one duplicate person the user may see, side by side, and an answer per pair of them."""
    scope = _reviewer_scope(request)
    findings = scope.findings(
        Finding.unscoped.filter(audit_id=audit, check_code="PEMILIH_GANDA", cluster=cluster).exclude(voter=None)
    ).select_related("voter", "audit__voter_list")
    voters = sorted({f.voter for f in findings}, key=lambda v: v.pk)
    if not voters:
        raise Http404
    run = findings[0].audit
    for voter in voters:  # every card is a person opened: the hourly limit counts each
        if not person_views.allow(request, scope.role_for(voter.kode_kelurahan, voter.rw, voter.rt)):
            limit = person_views.limit_for(scope.highest_role)
            return render(request, "voters/person_limit.html", {"limit": limit}, status=429)
    names = wilayah_registry().names({v.kode_kelurahan for v in voters})
    cards = [_card(scope, v, names) for v in voters]
    visible = [v.pk for v in voters]
    pairs = (
        DuplicatePair.unscoped.filter(audit=run, cluster=cluster, voter_a__in=visible, voter_b__in=visible)
        .select_related("voter_a", "voter_b")
        .order_by("-probability", "pk")
    )
    latest = duplicate_review.latest_answers(run.voter_list.organisation_id)
    full = any(scope.role_for(v.kode_kelurahan, v.rw, v.rt) in KPU_ROLES for v in voters)
    record("duplicate.viewed_full" if full else "duplicate.viewed", request=request, obj=run, voters=visible)
    context = {
        "run": run,
        "cluster": cluster,
        "cards": cards,
        "pairs": [_pair_view(scope, p, latest) for p in pairs],
        "drawn": request.GET.get(DRAWN) == "1",  # reached by a random draw: offer the next one
    }
    return render(request, "voters/duplicate_cluster.html", context)


def _pair_in_scope(scope: Scope, pk: int, **where: object) -> DuplicatePair:
    """The pair, if it belongs to one of the user's lists and both its rows lie in the user's wilayah; else 404,
    as if it did not exist."""
    pair = get_object_or_404(
        DuplicatePair.unscoped.select_related("voter_a", "voter_b", "audit__voter_list__organisation"),
        pk=pk,
        audit__voter_list__in=scope.voter_lists(VoterList.objects.all()),
        **where,
    )
    if scope.voters(Voter.unscoped.filter(pk__in=[pair.voter_a_id, pair.voter_b_id])).count() != 2:
        raise Http404
    return pair


@login_required
@require_POST
def answer(request: AuthedRequest, pk: int) -> HttpResponse:
    """One reviewer's answer about one pair: a new row (the latest counts), logged with the answer."""
    scope = _reviewer_scope(request)
    pair = _pair_in_scope(scope, pk)
    if not _can_answer(scope, pair.voter_a, pair.voter_b):
        raise PermissionDenied
    value = request.POST.get("answer", "")
    if value not in DuplicateAnswer.Answer.values:
        return HttpResponse(_("Jawaban tidak dikenal."), status=400)
    if not (pair.voter_a.record_key and pair.voter_b.record_key):
        return HttpResponse(_("Daftar ini perlu diaudit ulang sebelum pasangan ini bisa dijawab."), status=409)
    saved = _save_answer(request, scope, pair, value)
    if not request.headers.get("HX-Request"):
        if pair.cluster.startswith(duplicate_review.CANDIDATE_PREFIX):
            return redirect("duplicate_candidate", pk=pair.pk)
        return redirect("duplicate_cluster", audit=pair.audit_id, cluster=pair.cluster)
    latest = {(saved.key_a, saved.key_b): Latest(saved.answer, saved.created_at, request.user.pk)}
    context = {"p": _pair_view(scope, pair, latest), "receipt": saved}
    return render(request, "voters/_duplicate_pair.html", context)


def _save_answer(request: AuthedRequest, scope: Scope, pair: DuplicatePair, value: str) -> DuplicateAnswer:
    voter_list = pair.audit.voter_list
    membership = cast(Membership, _membership_over(scope, pair.voter_a))  # _can_answer checked the reviewer's role
    key_a, key_b = ordered_keys(cast(str, pair.voter_a.record_key), cast(str, pair.voter_b.record_key))  # checked
    with transaction.atomic():
        saved = DuplicateAnswer.unscoped.create(
            office=voter_list.organisation,
            organisation=membership.organisation,
            voter_list=voter_list,
            pair=pair,
            key_a=key_a,
            key_b=key_b,
            answer=value,
            answered_by=request.user,
            role=membership.role,
        )
        record(
            "duplicate.answered",
            request=request,
            obj=saved,
            organisation=voter_list.organisation,
            answer=value,
            pair=pair.pk,
            audit=pair.audit_id,
            voter_list=voter_list.pk,
        )
    return saved


# --- pairs not linked, ranked for the field ---------------------------------------------------------------------

CANDIDATES_SHOWN = 100


@dataclass(frozen=True)
class CandidateRow:
    rank: int
    pair: DuplicatePair
    chance: str
    kelurahan: str
    fields: list[str]


@login_required
def candidates(request: AuthedRequest, audit: int) -> HttpResponse:
    """The audit's pairs that are at least as likely one person as two but were not linked (on a published list:
    under its higher threshold), likeliest first, in the user's wilayah. The list shows no names or numbers; each
    pair opens on its own page, where the two rows are compared and answered."""
    scope = _reviewer_scope(request)
    run = get_object_or_404(
        AuditRun.objects.filter(voter_list__in=scope.voter_lists(VoterList.objects.all())), pk=audit
    )
    visible = scope.voters(Voter.unscoped.filter(voter_list=run.voter_list)).values("pk")
    pairs = list(
        DuplicatePair.unscoped.filter(
            audit=run, cluster__startswith=duplicate_review.CANDIDATE_PREFIX, voter_a__in=visible, voter_b__in=visible
        )
        .select_related("voter_a")
        .order_by("-probability", "pk")[:CANDIDATES_SHOWN]
    )
    names = wilayah_registry().names({p.voter_a.kode_kelurahan for p in pairs})
    rows = [
        CandidateRow(
            rank,
            p,
            _chance(p.probability),
            names.get(p.voter_a.kode_kelurahan, ""),
            duplicate_review.explain(p.detail, _english()),
        )
        for rank, p in enumerate(pairs, start=1)
    ]
    expected = round(sum(p.probability for p in pairs)) if pairs else 0
    record("duplicate.candidates_listed", request=request, obj=run, shown=len(rows))
    context = {
        "run": run,
        "rows": rows,
        "expected": expected,
        "threshold": run.threshold,
        "promised": HIDDEN_DATES_PRECISION,
    }
    return render(request, "voters/duplicate_candidates.html", context)


@login_required
def candidate(request: AuthedRequest, pk: int) -> HttpResponse:
    """One ranked pair: its two rows side by side (each counts as a person opened) and the answer."""
    scope = _reviewer_scope(request)
    pair = _pair_in_scope(scope, pk, cluster__startswith=duplicate_review.CANDIDATE_PREFIX)
    voters = [pair.voter_a, pair.voter_b]
    for voter in voters:
        if not person_views.allow(request, scope.role_for(voter.kode_kelurahan, voter.rw, voter.rt)):
            limit = person_views.limit_for(scope.highest_role)
            return render(request, "voters/person_limit.html", {"limit": limit}, status=429)
    names = wilayah_registry().names({v.kode_kelurahan for v in voters})
    latest = duplicate_review.latest_answers(pair.audit.voter_list.organisation_id)
    full = any(scope.role_for(v.kode_kelurahan, v.rw, v.rt) in KPU_ROLES for v in voters)
    record(
        "duplicate.viewed_full" if full else "duplicate.viewed",
        request=request,
        obj=pair.audit,
        voters=[v.pk for v in voters],
    )
    context = {
        "run": pair.audit,
        "cluster": pair.cluster,
        "cards": [_card(scope, v, names) for v in voters],
        "pairs": [_pair_view(scope, pair, latest)],
        "candidate": True,
    }
    return render(request, "voters/duplicate_cluster.html", context)


# --- estimated against confirmed precision ----------------------------------------------------------------------


@login_required
def precision(request: AuthedRequest) -> HttpResponse:
    """Per audit of the user's lists: the model's estimated precision and the share reviewers confirmed."""
    scope = _reviewer_scope(request)
    runs = (
        AuditRun.objects.filter(voter_list__in=scope.voter_lists(VoterList.objects.all()))
        .select_related("voter_list")
        .order_by("-created_at", "-pk")[:RUNS_SHOWN]
    )
    by_office: dict[int, dict] = {}
    rows = []
    for run in runs:
        office = run.voter_list.organisation_id
        if office not in by_office:
            by_office[office] = duplicate_review.latest_answers(office)
        rows.append(duplicate_review.precision(run, by_office[office]))
    return render(request, "voters/duplicate_precision.html", {"rows": rows})


@login_required
def random_pair(request: AuthedRequest, audit: int) -> HttpResponse:
    """One linked pair of the audit, drawn at random among those in the user's wilayah that the user may answer and
    nobody in the office has answered since the audit ran. Answered in this order, the confirmed share on the
    precision page is a fair sample of all the linked pairs; answered by choice, it is a sample of the pairs that
    looked doubtful. When none is left, back to that page with a note. Only the list's current audit: the pages of
    one audit replaced by another are gone."""
    scope = _reviewer_scope(request)
    current = AuditRun.objects.filter(voter_list__in=scope.voter_lists(VoterList.objects.all()), superseded_at=None)
    run = get_object_or_404(current, pk=audit)
    latest = duplicate_review.latest_answers(run.voter_list.organisation_id)
    answered = set(duplicate_review.answered_since(run, latest))
    visible = scope.voters(Voter.unscoped.filter(voter_list=run.voter_list)).values("pk")
    linked = (
        DuplicatePair.unscoped.filter(
            audit=run, probability__gte=duplicate_review.link_threshold(run), voter_a__in=visible, voter_b__in=visible
        )
        .select_related("voter_a", "voter_b")
        .order_by("?")
    )
    for pair in linked.iterator():
        if _unanswered(pair, answered) and _can_answer(scope, pair.voter_a, pair.voter_b):
            where = reverse("duplicate_cluster", args=[run.pk, pair.cluster])
            return redirect(f"{where}?{DRAWN}=1#pair-{pair.pk}")
    messages.info(request, _("Semua pasangan audit ini di wilayah Anda sudah dijawab sesudah audit berjalan."))
    return redirect("duplicate_precision")


def _unanswered(pair: DuplicatePair, answered: set[tuple[str, str]]) -> bool:
    """Whether the pair can be answered (both rows keyed) and is not among ``answered``."""
    a, b = pair.voter_a.record_key, pair.voter_b.record_key
    if not (a and b):
        return False
    return ordered_keys(a, b) not in answered
