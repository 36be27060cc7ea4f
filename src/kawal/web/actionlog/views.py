"""Admins browse and export the action log of their KPU office and its partner Ormas."""

from __future__ import annotations

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from kawal import labels
from kawal.engine import spreadsheet_safe
from kawal.web.accounts.models import Role
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import ActionLog, record

COLUMNS = ("id", "created_at", "user", "organisation", "ip", "action", "object_type", "object_id", "detail")


def _entries(request: HttpRequest) -> QuerySet:
    scope = Scope.for_user(request.user)
    offices = {m.organisation.kpu_office for m in scope.memberships if m.role == Role.KPU_ADMIN}
    if not offices:
        raise PermissionDenied
    mine = Q(organisation__in=offices) | Q(organisation__partner_of__in=offices)
    members = Q(user__memberships__organisation__in=offices) | Q(
        user__memberships__organisation__partner_of__in=offices
    )
    entries = ActionLog.objects.filter(mine | members).select_related("user", "organisation").distinct()
    action = request.GET.get("action")
    return entries.filter(action=action) if action else entries


@login_required
def browse(request: HttpRequest) -> HttpResponse:
    page = Paginator(_entries(request), 100).get_page(request.GET.get("page"))
    return render(request, "actionlog/browse.html", {"page": page, "actions": _action_choices()})


def _action_choices() -> list[tuple[str, str]]:
    """Every action the log knows, by its plain label (the code is the value), sorted by label."""
    lang = get_language()
    codes = [code for kind, code in labels.table() if kind == "action"]
    return sorted(((c, labels.label("action", c, lang)) for c in codes), key=lambda pair: pair[1])


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def export(request: HttpRequest) -> StreamingHttpResponse:
    entries = _entries(request)
    record("actionlog.exported", request=request, rows=entries.count())
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(COLUMNS)
        for e in entries.order_by("id").iterator(chunk_size=2000):
            values = [e.pk, e.created_at.isoformat(), str(e.user or ""), str(e.organisation or ""), e.ip or ""]
            values += [e.action, e.object_type, e.object_id, json.dumps(e.detail, ensure_ascii=False)]
            yield writer.writerow([spreadsheet_safe(v) for v in values])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kawal-log.csv"'
    return response
