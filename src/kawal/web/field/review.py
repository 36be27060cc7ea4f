"""Review of visits: approve, reject with a reason, or send back; TMS claims count once confirmed independently.

A TMS claim about a voter counts when approved visits by at least ``KAWAL_TMS_CONFIRMATIONS`` (default 2)
different relawan report the same category. A random share of approved visits (``KAWAL_RECHECK_SHARE``, 10%)
is re-checked by a second reviewer, and the agreement rate is shown.

A confirmation counts only when its approval is independent of the relawan: a coordinator who invited a relawan
could otherwise invite two puppets and approve their claims as "two confirmations". Such a visit is approved, but
counts only once a second approver (another coordinator or KPU staff, who did not invite the relawan either)
agrees with it (``recheck``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from kawal.web.accounts.models import Invitation
from kawal.web.actionlog.models import record
from kawal.web.field.models import Visit, VoterCheck

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest


class ReviewError(ValueError):
    pass


def confirmations_needed() -> int:
    return int(getattr(settings, "KAWAL_TMS_CONFIRMATIONS", 2))


def latest(visits: QuerySet) -> QuerySet:
    """Only the current version of each visit (those no correction replaced)."""
    return visits.filter(superseded_by__isnull=True)


def review(visit: Visit, reviewer: User, decision: str, reason: str = "", request: HttpRequest | None = None) -> Visit:
    if decision not in (Visit.Review.APPROVED, Visit.Review.REJECTED, Visit.Review.RETURNED):
        raise ReviewError("keputusan: approved, rejected atau returned")
    if decision != Visit.Review.APPROVED and not reason.strip():
        raise ReviewError("alasan wajib diisi untuk menolak atau mengembalikan")
    if visit.relawan_id == getattr(reviewer, "pk", None):
        raise ReviewError("relawan tidak meninjau kunjungannya sendiri")
    old = visit.review
    visit.review, visit.reviewed_by, visit.review_reason = decision, reviewer, reason
    visit.save(update_fields=["review", "reviewed_by", "review_reason"])
    record("visit.reviewed", request=request, user=reviewer, obj=visit, old=old, new=decision)
    return visit


def invited(inviter: User | int | None, relawan: User | int | None) -> bool:
    """Whether ``inviter`` brought ``relawan`` in (an invitation they made was used by the relawan)."""
    inviter_id, relawan_id = getattr(inviter, "pk", inviter), getattr(relawan, "pk", relawan)
    return Invitation.objects.filter(created_by_id=inviter_id, used_by_id=relawan_id).exists()


def needs_second_approval(visit: Visit) -> bool:
    """An approved visit whose approver invited its relawan, not yet agreed with by someone independent."""
    return (
        visit.review == Visit.Review.APPROVED
        and visit.recheck_agrees is None
        and invited(visit.reviewed_by_id, visit.relawan_id)
    )


def second_look(visits: QuerySet, reviewer: User, limit: int = 20) -> list[Visit]:
    """Approved visits this reviewer may check again: the random share, and those waiting for an independent
    second approval (first, since their confirmations count only after it)."""
    candidates = latest(visits).filter(review=Visit.Review.APPROVED, recheck_agrees=None)
    candidates = candidates.exclude(reviewed_by=reviewer).exclude(relawan=reviewer)
    waiting = [v for v in candidates if needs_second_approval(v) and not invited(reviewer, v.relawan_id)]
    sampled = [v for v in candidates if v.sampled_for_recheck and v not in waiting]
    for visit in waiting:
        visit.awaits_second_approval = True  # the page says why this one is here
    return (waiting + sampled)[:limit]


def recheck(visit: Visit, reviewer: User, agrees: bool, request: HttpRequest | None = None) -> Visit:
    """A second, different reviewer checks a sampled approved visit, or one that needs a second approval."""
    if visit.review != Visit.Review.APPROVED or not (visit.sampled_for_recheck or needs_second_approval(visit)):
        raise ReviewError("kunjungan ini tidak terpilih untuk diperiksa ulang")
    if reviewer.pk in (visit.reviewed_by_id, visit.relawan_id):
        raise ReviewError("pemeriksa ulang harus orang lain")
    if invited(reviewer, visit.relawan_id):
        raise ReviewError("pemeriksa ulang tidak boleh orang yang mengundang relawan ini")
    visit.recheck_by, visit.recheck_agrees = reviewer, agrees
    visit.save(update_fields=["recheck_by", "recheck_agrees"])
    record("visit.rechecked", request=request, user=reviewer, obj=visit, agrees=agrees)
    return visit


@dataclass(frozen=True)
class Agreement:
    rechecked: int
    agreed: int

    @property
    def rate(self) -> float | None:
        return self.agreed / self.rechecked if self.rechecked else None


def agreement(visits: QuerySet) -> Agreement:
    done = visits.exclude(recheck_agrees=None).aggregate(
        n=Count("id"), agreed=Count("id", filter=Q(recheck_agrees=True))
    )
    return Agreement(done["n"], done["agreed"])


def _invited_by(field: str) -> Exists:
    """The relawan of a check's visit was invited by the user in the visit's ``field`` (for ``VoterCheck`` rows)."""
    return Exists(Invitation.objects.filter(created_by=OuterRef(f"visit__{field}"), used_by=OuterRef("visit__relawan")))


def independent() -> Q:
    """A check whose approval counts: approved by someone who did not invite the relawan, or agreed with by a
    second reviewer who did not either."""
    second = Q(visit__recheck_agrees=True) & ~_invited_by("recheck_by")
    return ~_invited_by("reviewed_by") | second


def confirmed_tms(visits: QuerySet) -> QuerySet:
    """(voter, TMS category) claims reported by enough different relawan in approved, current visits, each
    approved independently of the relawan (see the module's note)."""
    return (
        VoterCheck.objects.filter(
            visit__in=latest(visits).filter(review=Visit.Review.APPROVED), outcome=VoterCheck.Outcome.TMS
        )
        .filter(independent())
        .values("voter_id", "tms")
        .annotate(relawan=Count("visit__relawan", distinct=True))
        .filter(relawan__gte=confirmations_needed())
    )
