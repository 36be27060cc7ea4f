"""How many people one account may open in an hour, and who is told when an account reaches it.

A relawan needs the voters of one RT, a coordinator those of their kelurahan's findings; nobody needs to page
through a kelurahan's people one by one. An account that reaches its role's hourly limit is refused further
person pages until the hour is over, the moment is written to the action log, and the KPU admins and
coordinators of its organisation see it on their dashboard: a stolen or misused account shows up within the hour
instead of in a later audit. Counters live in the shared cache (Redis in production).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from kawal.web.accounts.models import Organisation, Role
from kawal.web.accounts.scope import Scope
from kawal.web.accounts.throttle import bump
from kawal.web.actionlog.models import ActionLog, record

if TYPE_CHECKING:
    from django.contrib.auth.models import User

WINDOW = 3600
LIMITS = {Role.RELAWAN: 60, Role.COORDINATOR: 600, Role.KPU_OPERATOR: 3000, Role.KPU_ADMIN: 3000}
ALERT = "person.view_limit"


def limit_for(role: Role | None) -> int:
    limits = {**LIMITS, **getattr(settings, "KAWAL_PERSON_VIEW_LIMITS", {})}
    return limits.get(role, min(limits.values()))


def allow(request: HttpRequest, role: Role | None, people: int = 1) -> bool:
    """Count ``people`` persons shown (one person page, or the distinct voters of a page of findings) for this
    account; False once its role's hourly limit is passed. A list counts like the person pages it stands for:
    otherwise 500 findings a page would walk an area faster than the limit lets anyone open it person by person."""
    if people <= 0:
        return True
    seen = bump(f"kawal-person-views-{request.user.pk}", WINDOW, people)
    limit = limit_for(role)
    if seen - people <= limit < seen:  # one alert per account and hour, however many more tries follow
        record(ALERT, request=request, limit=limit, role=str(role))
    return seen <= limit


@dataclass(frozen=True)
class Alert:
    username: str
    at: datetime
    limit: int


def alerts_for(scope: Scope, hours: int = 24) -> list[Alert]:
    """Accounts of the organisations this user oversees that reached the limit recently (KPU admins: their office
    and its partner Ormas; coordinators: their own Ormas)."""
    overseen: set[int] = set()
    for m in scope.memberships:
        if m.role == Role.KPU_ADMIN:
            office = m.organisation.kpu_office
            overseen |= {office.pk, *Organisation.objects.filter(partner_of=office).values_list("pk", flat=True)}
        elif m.role == Role.COORDINATOR:
            overseen.add(m.organisation.pk)
    if not overseen:
        return []
    since = timezone.now() - timedelta(hours=hours)
    entries = (
        ActionLog.objects.filter(action=ALERT, created_at__gte=since, user__memberships__organisation__in=overseen)
        .select_related("user")
        .distinct()
        .order_by("-created_at")
    )
    # alerts of members: the user is set
    return [Alert(cast("User", e.user).username, e.created_at, int(e.detail.get("limit", 0))) for e in entries[:20]]
