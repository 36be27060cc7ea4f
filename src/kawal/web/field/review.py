"""Review of visits: approve, reject with a reason, or send back; TMS claims count once confirmed independently.

A TMS claim about a voter counts when approved visits by at least ``KAWAL_TMS_CONFIRMATIONS`` (default 2)
different relawan report the same category. A random share of approved visits (``KAWAL_RECHECK_SHARE``, 10%)
is re-checked by a second reviewer, and the agreement rate is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from kawal.web.actionlog.models import record
from kawal.web.field.models import Visit, VoterCheck


class ReviewError(ValueError):
    pass


def confirmations_needed() -> int:
    return int(getattr(settings, "KAWAL_TMS_CONFIRMATIONS", 2))


def latest(visits: QuerySet) -> QuerySet:
    """Only the current version of each visit (those no correction replaced)."""
    return visits.filter(superseded_by__isnull=True)


def review(visit: Visit, reviewer: object, decision: str, reason: str = "", request: object = None) -> Visit:
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


def recheck(visit: Visit, reviewer: object, agrees: bool, request: object = None) -> Visit:
    """A second, different reviewer checks a sampled approved visit."""
    if visit.review != Visit.Review.APPROVED or not visit.sampled_for_recheck:
        raise ReviewError("kunjungan ini tidak terpilih untuk diperiksa ulang")
    if reviewer.pk in (visit.reviewed_by_id, visit.relawan_id):
        raise ReviewError("pemeriksa ulang harus orang lain")
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


def confirmed_tms(visits: QuerySet) -> QuerySet:
    """(voter, TMS category) claims reported by enough different relawan in approved, current visits."""
    return (
        VoterCheck.objects.filter(
            visit__in=latest(visits).filter(review=Visit.Review.APPROVED), outcome=VoterCheck.Outcome.TMS
        )
        .values("voter_id", "tms")
        .annotate(relawan=Count("visit__relawan", distinct=True))
        .filter(relawan__gte=confirmations_needed())
    )
