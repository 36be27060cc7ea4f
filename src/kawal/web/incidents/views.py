"""Pages of incident reports: the phone form, my reports and what waits for my confirmation, the coordinator's
dashboard with the 7-day clock, a report's page with its actions, the exports for Bawaslu and the chat link."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawal.web.accounts.models import KPU_ROLES
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import record
from kawal.web.crypto import keyed_hash
from kawal.web.incidents import access, categories, export, service
from kawal.web.incidents.forms import LOCAL_FORMATS, ProfileForm, ReportForm
from kawal.web.incidents.media import open_media
from kawal.web.incidents.models import CLOSED, Evidence, LinkCode, Media, Report
from kawal.web.photos.store import derive
from kawal.wilayah import registry

if TYPE_CHECKING:
    from kawal.web.photos.models import Photo
    from kawal.web.types import AuthedRequest

LINK_CODE_MINUTES = 30


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.user)


def _reporter(request: HttpRequest) -> Scope:
    scope = _scope(request)
    if not access.ormas_memberships(scope):
        raise PermissionDenied
    return scope


@login_required
def new_report(request: AuthedRequest) -> HttpResponse:
    """The phone form; field.js keeps the report (and its photos) on the phone until it is sent."""
    scope = _reporter(request)
    form = ReportForm(scope=scope, initial={"incident_at": timezone.localtime().replace(second=0, microsecond=0)})
    return render(request, "incidents/new.html", {"form": form})


@login_required
def my_reports(request: AuthedRequest) -> HttpResponse:
    scope = _reporter(request)
    reports = access.visible(scope, request.user)
    mine = reports.filter(reporter=request.user).order_by("-received_at")[:50]
    to_confirm = (
        reports.filter(status=Report.Status.RECEIVED)
        .exclude(reporter=request.user)
        .exclude(confirmations__user=request.user)
        .order_by("known_at")[:50]
    )
    context = {"mine": mine, "to_confirm": to_confirm, "coordinator": access.is_coordinator(scope)}
    return render(request, "incidents/mine.html", context)


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    """The coordinator's triage: reports about to run out of time first, then everything open by status."""
    scope = _scope(request)
    if access.is_coordinator(scope):
        reports = access.managed(scope)
    elif any(m.role in KPU_ROLES for m in scope.memberships):  # KPU: only what was forwarded, no identities
        reports = access.visible(scope, request.user)
    else:
        raise PermissionDenied
    status = request.GET.get("status", "")
    listed = reports.filter(status=status) if status in Report.Status.values else reports.exclude(status__in=CLOSED)
    counts = dict(reports.values_list("status").annotate(n=Count("id")).order_by())
    context = {
        "expiring": service.expiring(reports),
        "reports": listed.select_related("reporter")
        .annotate(n_confirmations=Count("confirmations"))
        .order_by("known_at", "pk")[:200],
        "statuses": [(value, label, counts.get(value, 0)) for value, label in Report.Status.choices],
        "status": status,
        "needed": service.confirmations_needed(),
        "warn_days": service.warn_days(),
        "can_report": bool(access.ormas_memberships(scope)),  # KPU staff read reports; Ormas members file them
    }
    return render(request, "incidents/dashboard.html", context)


def _visible_report(request: AuthedRequest, pk: int) -> tuple[Scope, Report]:
    scope = _scope(request)
    return scope, get_object_or_404(access.visible(scope, request.user).select_related("organisation"), pk=pk)


@login_required
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    scope, report = _visible_report(request, pk)
    manages = access.manages(scope, report)
    identity = witnesses = None
    if manages:
        identity, witnesses = service.reporter_identity(report), service.witnesses(report)
        record("incident.identity_viewed", request=request, obj=report)
    kelurahan = registry().get(report.kode_kelurahan)
    context = {
        "report": report,
        "manages": manages,
        "identity": identity,
        "witnesses": witnesses,
        "kelurahan": kelurahan.name if kelurahan else report.kode_kelurahan,
        "place": export.place_text(report),
        "evidence": report.evidence.select_related("photo", "media"),
        "confirmations": report.confirmations.select_related("user"),
        "independent": service.independent_confirmations(report),
        "needed": service.confirmations_needed(),
        "may_confirm": access.may_confirm(scope, request.user, report)
        and report.status in (Report.Status.RECEIVED, Report.Status.VERIFIED)
        and not report.confirmations.filter(user=request.user).exists(),
        "history": report.history.select_related("user") if manages else (),
        "category_changes": report.category_changes.select_related("user") if manages else (),
        "categories": categories.choices(),
        "transitions": [(s, Report.Status(s).label) for s in service.TRANSITIONS.get(report.status, ())],
        "merge_targets": access.managed(scope).exclude(pk=report.pk).exclude(status__in=CLOSED)[:50] if manages else (),
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    return render(request, "incidents/detail.html", context)


def _act(
    request: AuthedRequest, pk: int, work: Callable[[Scope, Report], object], manager_only: bool = True
) -> HttpResponse:
    scope, report = _visible_report(request, pk)
    if manager_only and not access.manages(scope, report):
        raise PermissionDenied
    try:
        work(scope, report)
    except service.ReportError as error:
        return render(request, "incidents/error.html", {"report": report, "error": str(error)}, status=400)
    return redirect("incident_detail", pk=report.pk)


@login_required
@require_POST
def confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    note = request.POST.get("note", "")
    return _act(request, pk, lambda _s, r: service.confirm(r, request.user, note, request=request), manager_only=False)


@login_required
@require_POST
def change_status(request: AuthedRequest, pk: int) -> HttpResponse:
    new, reason = request.POST.get("status", ""), request.POST.get("reason", "")
    return _act(request, pk, lambda _s, r: service.change_status(r, request.user, new, reason, request=request))


@login_required
@require_POST
def change_category(request: AuthedRequest, pk: int) -> HttpResponse:
    new, reason = request.POST.get("category", ""), request.POST.get("reason", "")
    return _act(request, pk, lambda _s, r: service.change_category(r, request.user, new, reason, request=request))


@login_required
@require_POST
def merge(request: AuthedRequest, pk: int) -> HttpResponse:
    def work(scope: Scope, report: Report) -> None:
        target = access.managed(scope).filter(pk=request.POST.get("into") or 0).first()
        if target is None:
            raise service.ReportError(_("Pilih laporan tujuan di wilayah Anda."))
        service.merge(report, target, request.user, request.POST.get("reason", ""), request=request)

    return _act(request, pk, work)


def _local(text: str) -> datetime | None:
    for layout in LOCAL_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(text, layout))
        except ValueError:
            continue
    return None


@login_required
@require_POST
def forward(request: AuthedRequest, pk: int) -> HttpResponse:
    def work(_scope: Scope, report: Report) -> None:
        sent_at = _local(request.POST.get("sent_at", "")) or timezone.now()
        service.forward(report, request.user, sent_at, request.POST.get("office", ""), request=request)

    return _act(request, pk, work)


@login_required
@require_POST
def register(request: AuthedRequest, pk: int) -> HttpResponse:
    number = request.POST.get("number", "")
    return _act(request, pk, lambda _s, r: service.register(r, request.user, number, request=request))


def _managed_report(request: AuthedRequest, pk: int) -> Report:
    scope, report = _visible_report(request, pk)
    if not access.manages(scope, report):
        raise PermissionDenied
    return report


@login_required
def model_a1(request: AuthedRequest, pk: int) -> HttpResponse:
    report = _managed_report(request, pk)
    body = export.model_a1_pdf(report)
    record("incident.exported", request=request, obj=report, kind="pdf")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="model-a1-{report.number}.pdf"'
    return response


@login_required
def evidence_zip(request: AuthedRequest, pk: int) -> HttpResponse:
    report = _managed_report(request, pk)
    body = export.evidence_zip(report)
    record("incident.exported", request=request, obj=report, kind="zip")
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="bukti-{report.number}.zip"'
    return response


@login_required
def evidence_file(request: AuthedRequest, pk: int, evidence: int) -> HttpResponseBase:
    """A photo as its copy without EXIF (to whoever sees the report); a recording only to coordinators."""
    scope, report = _visible_report(request, pk)
    item = get_object_or_404(Evidence.objects.select_related("photo", "media"), pk=evidence, report=report)
    response: HttpResponseBase
    if item.photo_id:
        photo = cast("Photo", item.photo)  # photo_id is set
        derive(photo)
        if photo.damaged or not photo.served:
            return HttpResponse(_("Foto ini rusak atau sudah dihapus."), status=410)
        record("photo.viewed", request=request, obj=photo, report=report.pk)
        response = FileResponse(photo.served.open("rb"), content_type="image/jpeg")
    else:
        if not access.manages(scope, report):
            raise PermissionDenied
        media = cast(Media, item.media)  # an evidence row holds a photo or a recording
        record("incident.media_viewed", request=request, obj=media, report=report.pk)
        response = HttpResponse(open_media(media), content_type=media.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    """The reporter's identity for Model A.1, kept encrypted; shown only to its owner and their coordinators."""
    _reporter(request)
    form = ProfileForm(request.POST or None, initial=service.profile_of(request.user))
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            service.save_profile(request.user, form.cleaned_data)
            saved = True
        except service.ReportError as error:
            form.add_error("nik", str(error))
    return render(request, "incidents/profile.html", {"form": form, "saved": saved})


@login_required
def link_chat(request: AuthedRequest) -> HttpResponse:
    """A one-time code to link a WhatsApp number or Telegram account to this account."""
    _reporter(request)
    code = None
    if request.method == "POST":
        code = f"{secrets.randbelow(10**8):08d}"
        LinkCode.objects.filter(user=request.user, used_at=None).delete()  # one usable code at a time
        LinkCode.objects.create(
            user=request.user,
            code_hash=keyed_hash(f"link:{code}"),
            expires_at=timezone.now() + timedelta(minutes=LINK_CODE_MINUTES),
        )
        record("incident.link_code", request=request)
    links = request.user.chat_links.order_by("linked_at")
    context = {"code": code, "minutes": LINK_CODE_MINUTES, "links": links}
    return render(request, "incidents/link.html", context)
