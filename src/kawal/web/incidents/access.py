"""Who sees which report, and how much of it. Every page and API call reads reports through here.

- An Ormas's **coordinators** see the reports of their Ormas inside their wilayah, with the reporter's and the
  witnesses' identities, and manage them (triage, confirm from the evidence, merge, forward).
- **Relawan** see their own reports, and the reports of their Ormas in their wilayah that wait for confirmation
  (without identities), so they can confirm what they saw too.
- **KPU** staff see a report only once it has been forwarded to Bawaslu, inside their wilayah, without identities.
- Anyone else, another Ormas included, sees nothing (404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from kawal.web.accounts.models import KPU_ROLES, Membership, Organisation, Role
from kawal.web.accounts.scope import Scope
from kawal.web.incidents.models import FORWARDED, Report

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def ormas_memberships(scope: Scope) -> list[Membership]:
    return [m for m in scope.memberships if m.organisation.kind == Organisation.Kind.ORMAS]


def _covers(m: Membership, report: Report) -> bool:
    return m.organisation_id == report.organisation_id and report.kode_kelurahan.startswith(m.wilayah)


def visible(scope: Scope, user: User) -> QuerySet:
    """The reports this user may open."""
    q = Q(pk__in=[])
    for m in scope.memberships:
        area = Q(kode_kelurahan__startswith=m.wilayah)
        if m.role == Role.COORDINATOR and m.organisation.kind == Organisation.Kind.ORMAS:
            q |= area & Q(organisation=m.organisation)
        elif m.role == Role.RELAWAN:
            q |= Q(reporter=user) | (area & Q(organisation=m.organisation, status=Report.Status.RECEIVED))
        elif m.role in KPU_ROLES:
            q |= area & Q(organisation__partner_of=m.organisation.kpu_office, status__in=FORWARDED)
    return Report.unscoped.filter(q)


def managed(scope: Scope) -> QuerySet:
    """The reports this user coordinates (and so sees identities of)."""
    q = Q(pk__in=[])
    for m in ormas_memberships(scope):
        if m.role == Role.COORDINATOR:
            q |= Q(organisation=m.organisation, kode_kelurahan__startswith=m.wilayah)
    return Report.unscoped.filter(q)


def is_coordinator(scope: Scope) -> bool:
    return any(m.role == Role.COORDINATOR for m in ormas_memberships(scope))


def manages(scope: Scope, report: Report) -> bool:
    return any(m.role == Role.COORDINATOR and _covers(m, report) for m in ormas_memberships(scope))


def may_confirm(scope: Scope, user: User, report: Report) -> bool:
    """A member of the report's Ormas covering its place, other than its reporter."""
    if report.reporter_id == getattr(user, "pk", None):
        return False
    return any(_covers(m, report) for m in ormas_memberships(scope))


def reporting_membership(scope: Scope, kode_kelurahan: str) -> Membership | None:
    """The Ormas membership under which a report about this kelurahan is filed (the most specific one); a relawan's
    RW/RT does not limit where they may report: incidents happen at TPS and in streets of the kelurahan."""
    covering = [m for m in ormas_memberships(scope) if kode_kelurahan.startswith(m.wilayah)]
    return max(covering, key=lambda m: len(m.wilayah), default=None)


def kelurahan_choices(scope: Scope) -> list[str]:
    """The kelurahan codes a member may report from (theirs, or every kelurahan under their kecamatan or kota)."""
    from kawal.wilayah import registry

    codes: set[str] = set()
    for m in ormas_memberships(scope):
        if len(m.wilayah) == 10:
            codes.add(m.wilayah)
        else:
            codes.update(u.kpu_code for u in registry().descendants(m.wilayah) if u.level == 4 and u.current)
    return sorted(codes)
