"""A relawan's tasks on the phone, and the coordinator's view to assign, reassign and follow progress."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_lazy

from kawal.engine import DEFAULT_ELECTION, Tms, tms_table
from kawal.web.accounts.models import KPU_ROLES, Role
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import record
from kawal.web.field.assign import assign_open_tasks, covering_relawan
from kawal.web.field.documents import visible_documents
from kawal.web.field.models import FieldTask, TanggapanItem, Visit, VoterCheck
from kawal.web.field.progress import kpu_for_tanggapan, progress, reminders_for, scoped_tanggapan
from kawal.web.field.review import (
    ReviewError,
    agreement,
    confirmations_needed,
    confirmed_tms,
    latest,
    recheck,
    review,
    second_look,
)
from kawal.web.field.tanggapan import (
    FORM_HEADERS,
    compile_tanggapan,
    people_rows,
    rows,
    to_csv,
    to_pdf,
    to_xlsx,
)
from kawal.web.field.visits import CORRECTABLE, household_voters, tms_for
from kawal.web.voters import maps
from kawal.web.voters.models import Voter, VoterList
from kawal.wilayah import registry as wilayah_registry

if TYPE_CHECKING:
    from kawal.web.accounts.models import Organisation
    from kawal.web.field.progress import UnitProgress
    from kawal.web.types import AuthedRequest

MANAGERS = (*KPU_ROLES, Role.COORDINATOR)
SERVICE_WORKER = Path(__file__).resolve().parent.parent / "static" / "kawal" / "sw.js"


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the site root so it may look after /tugas/."""
    response = HttpResponse(SERVICE_WORKER.read_text(encoding="utf-8"), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def visit_form(request: AuthedRequest, pk: int) -> HttpResponse:
    """The visit form of one task, laid out for a phone; field.js keeps the record until it is sent."""
    # Through the scope: a deactivated membership opens no task, even one still assigned to the user.
    mine = Scope.for_user(request.user).tasks(FieldTask.unscoped.filter(assigned_to=request.user))
    task = get_object_or_404(mine.prefetch_related("findings"), pk=pk)
    voters = Voter.unscoped.filter(pk__in=household_voters(task)).order_by("nama")
    findings: dict[int, list[str]] = {}
    for finding in task.findings.all():
        findings.setdefault(finding.voter_id, []).append(finding.check_code)
    rows = [{"voter": v, "checks": findings.get(v.pk, []), "age": age_of(v)} for v in voters]
    context = {
        "task": task,
        "rows": rows,
        "tms": tms_choices(tms_for(task.voter_list)),
        "fields": CORRECTABLE,
        "seen": Visit.Seen.choices,
        "outcomes": VoterCheck.Outcome.choices,
    }
    return render(request, "field/visit.html", context)


def age_of(voter: Voter, today: date | None = None) -> int | None:
    """Age in whole years, from the birth date, else the list's ``usia`` (published lists hide the date): what a
    relawan needs to judge "ada dan benar" without seeing the date itself."""
    born = voter.tanggal_lahir
    if born is None:
        return voter.usia
    today = today or timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@login_required
def my_tasks(request: AuthedRequest) -> HttpResponse:
    """My open tasks, grouped by RT and household, each with the findings to verify."""
    tasks = (
        Scope.for_user(request.user)
        .tasks(FieldTask.unscoped.filter(assigned_to=request.user, status=FieldTask.Status.OPEN))
        .select_related("sample_unit")
        .prefetch_related("findings__voter")
        .order_by("kode_kelurahan", "rw", "rt", "alamat", "pk")
    )
    groups = [
        {"kode_kelurahan": kel, "rw": rw, "rt": rt, "tasks": list(items)}
        for (kel, rw, rt), items in groupby(tasks, key=lambda t: (t.kode_kelurahan, t.rw, t.rt))
    ]
    count = sum(len(g["tasks"]) for g in groups)
    return render(request, "field/my_tasks.html", {"groups": groups, "count": count, "today": timezone.localdate()})


def _managed(request: HttpRequest) -> tuple[Scope, QuerySet[FieldTask]]:
    scope = Scope.for_user(request.user)
    if not any(m.role in MANAGERS for m in scope.memberships):
        raise PermissionDenied
    return scope, scope.tasks(FieldTask.unscoped.all())


def tms_choices(table: dict[int, Tms]) -> list[tuple[int, str]]:
    """An election's TMS table as ``(5, "5 WNA")`` / ``(5, "5 foreign national")``: its own labels in the page's
    language (see :func:`~kawal.web.field.visits.tms_for`)."""
    english = (get_language() or "id").startswith("en")
    return [(code, f"{code} {entry.label[1] if english else entry.label[0]}") for code, entry in table.items()]


class TaskForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label=gettext_lazy("Relawan"), queryset=get_user_model().objects.none(), required=False
    )
    deadline = forms.DateField(
        label=gettext_lazy("Tenggat"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, scope: Scope, task: FieldTask, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = {m.organisation.kpu_office for m in scope.memberships}
        cast(forms.ModelChoiceField, self.fields["assigned_to"]).queryset = covering_relawan(
            task, offices
        )  # only relawan of the task's RT


@login_required
def manage(request: AuthedRequest) -> HttpResponse:
    scope, tasks = _managed(request)
    if request.method == "POST":
        lists = scope.voter_lists(VoterList.objects.filter(status=VoterList.Status.DONE))
        assigned = sum(assign_open_tasks(voter_list) for voter_list in lists)
        record("tasks.auto_assign", request=request, tasks=assigned)
        return redirect("tasks_manage")
    progress = (
        tasks.values("kode_kelurahan")
        .annotate(
            total=Count("id"),
            assigned=Count("id", filter=~Q(assigned_to=None)),
            done=Count("id", filter=Q(status="done")),
        )
        .order_by("kode_kelurahan")
    )
    unassigned = tasks.filter(assigned_to=None, status=FieldTask.Status.OPEN).order_by("kode_kelurahan", "rw", "rt")[
        :100
    ]
    return render(request, "field/manage.html", {"progress": progress, "unassigned": unassigned})


@login_required
def edit_task(request: AuthedRequest, pk: int) -> HttpResponse:
    scope, tasks = _managed(request)
    task = get_object_or_404(tasks, pk=pk)
    form = TaskForm(
        request.POST or None,
        scope=scope,
        task=task,
        initial={"assigned_to": task.assigned_to, "deadline": task.deadline},
    )
    if request.method == "POST" and form.is_valid():
        old = task.assigned_to_id
        task.assigned_to, task.deadline = form.cleaned_data["assigned_to"], form.cleaned_data["deadline"]
        task.save(update_fields=["assigned_to", "deadline"])
        record(
            "task.assigned",
            request=request,
            obj=task,
            old=old,
            new=task.assigned_to_id,
            deadline=str(task.deadline or ""),
        )
        return redirect("tasks_manage")
    return render(request, "field/edit_task.html", {"task": task, "form": form})


@login_required
def progress_page(request: AuthedRequest) -> HttpResponse:
    """Fieldwork per kelurahan (or inside one kecamatan, ``?wilayah=367105``): tasks done, households visited,
    confirmed TMS per category and tanggapan items KPU acted on, as table, bars and map."""
    scope, tasks = _managed(request)
    focus = request.GET.get("wilayah", "").strip()
    focus = focus if focus.isdigit() and len(focus) in (4, 6) else ""
    units = progress(tasks.filter(kode_kelurahan__startswith=focus), scoped_tanggapan(scope))
    units = {k: u for k, u in units.items() if k.startswith(focus)}
    names = wilayah_registry().names(set(units))
    rows = sorted(units.values(), key=lambda u: (-(u.tasks - u.done), u.kode))
    totals = _totals(units.values())
    tms_max = max(totals["tms"].values(), default=0) or 1
    labels = dict(tms_choices(_tms_of(tasks)))
    labels |= {code: str(code) for code in sorted(set(totals["tms"]) - set(labels))}  # claimed under another table
    context = {
        "focus": focus,
        "rows": [{"unit": u, "nama": names.get(u.kode, u.kode)} for u in rows],
        "totals": totals,
        "tms": [(code, label, totals["tms"].get(code, 0)) for code, label in labels.items()],
        "tms_max": tms_max,
        "map": maps.choropleth({k: u.done_share for k, u in units.items()}, maps.GREENS),
        "reminders": reminders_for(scope),
    }
    return render(request, "field/progress.html", context)


def _tms_of(tasks: QuerySet[FieldTask]) -> dict[int, Tms]:
    """The TMS tables of the elections of the lists these tasks come from, together (usually one)."""
    lists = VoterList.objects.filter(pk__in=tasks.values("voter_list")).select_related("organisation__partner_of")
    tables = [tms_for(voter_list) for voter_list in lists.order_by("-created_at")]
    merged: dict[int, Tms] = {}
    for table in tables or [tms_table()]:
        for code, entry in table.items():
            merged.setdefault(code, entry)
    return dict(sorted(merged.items()))


def _totals(units: Iterable[UnitProgress]) -> dict:
    totals: dict = {"tasks": 0, "done": 0, "visited": 0, "approved": 0, "items": 0, "accepted": 0, "tms": {}}
    for unit in units:
        for key in ("tasks", "done", "visited", "approved", "items", "accepted"):
            totals[key] += getattr(unit, key)
        for code, n in unit.tms.items():
            totals["tms"][code] = totals["tms"].get(code, 0) + n
    return totals


# --- review ----------------------------------------------------------------------------------------------------


def _scoped_visits(tasks: QuerySet[FieldTask]) -> QuerySet[Visit]:
    return (
        Visit.unscoped.filter(task__in=tasks)
        .select_related("task", "relawan")
        .prefetch_related("checks__voter", "photos__voter")
    )


@login_required
def review_queue(request: AuthedRequest) -> HttpResponse:
    """Visits waiting for review, and approved ones drawn for a second look; with the agreement rate."""
    _scope, tasks = _managed(request)
    visits = _scoped_visits(tasks)
    waiting = (
        latest(visits)
        .filter(review=Visit.Review.SUBMITTED)
        .prefetch_related("new_voters__documents")  # the reviewer sees who joins the list with the visit
        .order_by("received_at")[:50]
    )
    to_recheck = second_look(visits, request.user)  # waiting for an independent approval first, then the sample
    context = {
        "waiting": waiting,
        "to_recheck": to_recheck,
        "agreement": agreement(visits),
        "confirmed": confirmed_tms(visits).count(),
        "needed": confirmations_needed(),
    }
    return render(request, "field/review.html", context)


@login_required
def review_visit(request: AuthedRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        raise PermissionDenied
    _scope, tasks = _managed(request)
    visit = get_object_or_404(Visit.unscoped.filter(task__in=tasks), pk=pk)
    try:
        if "agrees" in request.POST:
            recheck(visit, request.user, request.POST["agrees"] == "1", request=request)
        else:
            review(
                visit, request.user, request.POST.get("decision", ""), request.POST.get("reason", ""), request=request
            )
    except ReviewError as error:
        return HttpResponse(str(error), status=400)
    return redirect("review_queue")


# --- tanggapan masyarakat --------------------------------------------------------------------------------------


@login_required
def tanggapan_list(request: AuthedRequest) -> HttpResponse:
    scope, _tasks = _managed(request)
    if request.method == "POST":
        kode = request.POST.get("kelurahan", "").strip()
        covered = len(kode) == 10 and any(m.role in MANAGERS and kode.startswith(m.wilayah) for m in scope.memberships)
        if not covered:
            return HttpResponse(gettext("Kelurahan itu di luar wilayah Anda."), status=400)
        voter_list = _tanggapan_list(scope, kode)
        if voter_list is None:
            return HttpResponse(
                gettext("Belum ada daftar pemilih selesai diaudit yang memuat kelurahan itu."), status=400
            )
        office = voter_list.organisation.kpu_office
        made = compile_tanggapan(voter_list, kode, request.user, _deadline(request.POST.get("deadline", ""), office))
        record("tanggapan.compiled", request=request, obj=made, items=made.items.count())
        return redirect("tanggapan_detail", pk=made.pk)
    offices = {m.organisation.kpu_office for m in scope.memberships}
    default = _deadline("", next(iter(offices), None))
    context = {"all": scoped_tanggapan(scope), "default_deadline": default}
    return render(request, "field/tanggapan_list.html", context)


def _tanggapan_list(scope: Scope, kode: str) -> VoterList | None:
    """The list a tanggapan of kelurahan ``kode`` answers: the latest finished list of a KPU office whose Ormas
    or own staff this user manages the kelurahan for (a coordinator may serve two offices), that has voters
    there; never the list of another office the user happens to belong to."""
    offices = {
        m.organisation.kpu_office.pk for m in scope.memberships if m.role in MANAGERS and kode.startswith(m.wilayah)
    }
    there = Voter.unscoped.filter(voter_list=OuterRef("pk"), kode_kelurahan=kode)
    done = VoterList.objects.filter(organisation__in=offices, status=VoterList.Status.DONE)
    return done.filter(Exists(there)).order_by("-created_at", "-pk").first()


def _deadline(text: str, office: Organisation | None = None) -> date:
    """The end of the response period: the date given, or by default ten days from the DPS posting of the
    office's latest election that has one (2024: 18-27 August), else of the default election's facts."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    from kawal.web.participation.models import Election

    election = (
        Election.objects.filter(organisation=office, dps_posted_on__isnull=False).order_by("-held_on").first()
        if office is not None
        else None
    )
    period = election.response_period() if election else DEFAULT_ELECTION.response_period()
    return period[1] if period else timezone.localdate() + timedelta(days=DEFAULT_ELECTION.response_days - 1)


def _tanggapan_of(scope: Scope) -> QuerySet:
    return scoped_tanggapan(scope).select_related("voter_list__organisation__partner_of")


@login_required
def tanggapan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    scope, _tasks = _managed(request)
    tanggapan = get_object_or_404(_tanggapan_of(scope), pk=pk)
    is_kpu = kpu_for_tanggapan(scope, tanggapan)  # KPU of another office answers nothing here
    if request.method == "POST" and "deadline" in request.POST:
        old = tanggapan.deadline
        tanggapan.deadline = _deadline(request.POST["deadline"], tanggapan.voter_list.organisation.kpu_office)
        tanggapan.save(update_fields=["deadline"])
        record("tanggapan.deadline", request=request, obj=tanggapan, old=str(old), new=str(tanggapan.deadline))
        return redirect("tanggapan_detail", pk=tanggapan.pk)
    if request.method == "POST":
        item = get_object_or_404(tanggapan.items, pk=request.POST.get("item"))
        status = request.POST.get("status", "")
        answering = status in (TanggapanItem.Status.RECEIVED, TanggapanItem.Status.ACTED, TanggapanItem.Status.REFUSED)
        if status not in TanggapanItem.Status.values or (answering and not is_kpu):
            raise PermissionDenied
        old, item.status = item.status, status
        if answering:
            item.kpu_answer, item.answered_at = request.POST.get("answer", ""), timezone.now()
        item.save()
        record("tanggapan.item", request=request, obj=item, old=old, new=status)
        return redirect("tanggapan_detail", pk=tanggapan.pk)
    unit = wilayah_registry().get(tanggapan.kode_kelurahan)
    context = {
        "tanggapan": tanggapan,
        "kelurahan_name": unit.name if unit else "",
        "rows": list(zip(tanggapan.items.order_by("category", "pk"), rows(tanggapan, is_kpu), strict=True)),
        "people": people_rows(tanggapan, is_kpu),
        "headers": FORM_HEADERS,
        "is_kpu": is_kpu,
        "documents": visible_documents(tanggapan, request.user),
    }
    if is_kpu:  # KPU sees NIK/NKK and birth dates in full: that is a view of personal data
        record("tanggapan.viewed_full", request=request, obj=tanggapan)
    return render(request, "field/tanggapan_detail.html", context)


@login_required
def tanggapan_export(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    scope, _tasks = _managed(request)
    tanggapan = get_object_or_404(_tanggapan_of(scope), pk=pk)
    unit = wilayah_registry().get(tanggapan.kode_kelurahan)
    name = unit.name if unit else tanggapan.kode_kelurahan
    reveal = kpu_for_tanggapan(scope, tanggapan)  # full NIK/NKK for KPU of the tanggapan's own office only
    if kind == "xlsx":
        body = to_xlsx(tanggapan, name, reveal)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif kind == "csv":
        body, mime = to_csv(tanggapan, name, reveal), "text/csv; charset=utf-8"
    elif kind == "pdf":
        body, mime = to_pdf(tanggapan, name, reveal), "application/pdf"
    else:
        raise Http404
    record("tanggapan.exported", request=request, obj=tanggapan, kind=kind, full=reveal)
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = (
        f'attachment; filename="tanggapan-{tanggapan.kode_kelurahan}-{tanggapan.pk}.{kind}"'
    )
    return response
