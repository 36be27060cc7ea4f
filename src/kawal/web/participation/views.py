"""The road to 80%: where the gap is, what was done about it, and whether it worked."""

from __future__ import annotations

import uuid
from itertools import groupby
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.engine import TURNOUT_TARGET, Reach, rank_turnout
from kawal.i18n import KawalError
from kawal.web.accounts.models import KPU_ROLES, Organisation, Role
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import record
from kawal.web.crypto import encrypt
from kawal.web.files import stash
from kawal.web.participation import charts, service
from kawal.web.participation.forms import ElectionSettingsForm, percent_text
from kawal.web.participation.models import AUDIENCES, Election, Event, TurnoutFigure
from kawal.web.photos.processing import PhotoError
from kawal.web.photos.store import save_photo
from kawal.web.places import area_choices
from kawal.web.security import plain_int
from kawal.web.voters import maps
from kawal.wilayah import registry as wilayah_registry

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django_stubs_ext import StrPromise

    from kawal.web.types import AuthedRequest

MANAGERS = (*KPU_ROLES, Role.COORDINATOR)
MAX_ATTENDANCE = 100_000  # no sosialisasi in one kota comes near; a bigger number is a slip or an inflated claim


def _scope(request: HttpRequest, roles: tuple = MANAGERS) -> Scope:
    scope = Scope.for_user(request.user)
    if not any(m.role in roles for m in scope.memberships):
        raise PermissionDenied
    return scope


def own_election(request: HttpRequest, pk: int) -> Election:
    """An election of an office where the user is KPU staff: 403 for other roles, 404 for another office's."""
    scope = _scope(request, KPU_ROLES)
    offices = {m.organisation.kpu_office for m in scope.memberships if m.role in KPU_ROLES}
    return get_object_or_404(Election, pk=pk, organisation__in=offices)


def organisers(scope: Scope) -> QuerySet:
    """The organisations a user may plan or record events for: those they manage in themselves. A coordinator acts
    for their own Ormas, KPU staff for their office; neither in the other's name."""
    return Organisation.objects.filter(pk__in=scope.acting_for(MANAGERS)).order_by("kind", "name")


def _offices(scope: Scope) -> set[Organisation]:
    return {m.organisation.kpu_office for m in scope.memberships}


def events_in_scope(scope: Scope) -> QuerySet:
    """Events of the user's KPU office and its partner Ormas that touch the user's wilayah (inside it, or an event
    for a wider area that contains it)."""
    area = Q(pk__in=[])
    for m in scope.memberships:
        area |= Q(kode_wilayah__startswith=m.wilayah)
        for length in (4, 6):
            if len(m.wilayah) > length:
                area |= Q(kode_wilayah=m.wilayah[:length])
    offices = _offices(scope)
    return Event.unscoped.filter(Q(organisation__in=offices) | Q(organisation__partner_of__in=offices)).filter(area)


def _election(scope: Scope, pk: str | None) -> Election | None:
    elections = Election.objects.filter(organisation__in=_offices(scope))
    if pk:
        return elections.filter(pk=plain_int(pk, 1, 2**63 - 1) or 0).first()
    return next((e for e in elections if service.turnouts(e, 6)), None)


@login_required
def focus(request: AuthedRequest) -> HttpResponse:
    """Where the gap to the target is largest, with the reach so far: table, chart and map."""
    scope = _scope(request)
    election = _election(scope, request.GET.get("pemilu"))
    context: dict = {"election": election, "elections": Election.objects.filter(organisation__in=_offices(scope))}
    if election is not None:
        units = service.turnouts(election, 6)
        events = events_in_scope(scope)
        ranked = rank_turnout(units, service.reach(events, 6), election.target)
        city = next(iter(service.turnouts(election, 4)), None)
        names = wilayah_registry().names({p.turnout.kode for p in ranked})
        top = max((p.needed for p in ranked), default=0) or 1
        gaps = {p.turnout.kode: p.turnout.gap(election.target) for p in ranked}
        context |= {
            "city": city,
            "city_needed": city.voters_needed(election.target) if city else 0,
            "rows": [{"p": p, "nama": names.get(p.turnout.kode, p.turnout.kode)} for p in ranked],
            "top": top,
            "held": events.filter(status=Event.Status.HELD).count(),
            "held_in_rows": sum(p.reach.events for p in ranked),
            "people": sum(p.reach.people for p in ranked),
            "map": maps.choropleth({s.kode: gaps.get(s.kode[:6]) for s in maps.shapes()[0]}),
            "figures_note": _figures_note(election),
        }
    return render(request, "participation/focus.html", context)


def _figures_note(election: Election) -> tuple[str | StrPromise, str] | None:
    """How the kecamatan figures were made, for the note under the map."""
    figure = election.figures.filter(kode__regex=r"^\d{6}$").first()
    return (TurnoutFigure.Method(figure.method).label, figure.dpt_source) if figure else None


@login_required
def plan(request: AuthedRequest) -> HttpResponse:
    """Proposed events for the uncovered priority areas; a coordinator accepts one as a planned event of an Ormas."""
    scope = _scope(request)
    election = _election(scope, request.GET.get("pemilu") or request.POST.get("pemilu"))
    partners = organisers(scope)
    if request.method == "POST":
        return _accept(request, scope, partners)
    events = events_in_scope(scope)
    found = []
    if election is not None:
        mine = [u for u in service.turnouts(election, 6) if _touches(scope, u.kode)]
        ranked = rank_turnout(mine, service.reach(events, 6), election.target)
        planned = set(events.filter(status=Event.Status.PLANNED).values_list("kode_wilayah", flat=True))
        found = service.proposals(ranked, {k[:6] for k in planned})
    names = wilayah_registry().names({p.kode for p in found})
    context = {
        "election": election,
        "proposals": [{"p": p, "nama": names.get(p.kode, p.kode)} for p in found],
        "partners": partners,
        "planned": events.filter(status=Event.Status.PLANNED).order_by("starts_at")[:50],
        "acting": {o.pk for o in partners},
        "max_attendance": str(MAX_ATTENDANCE),  # as text: a number would be written 100.000 in Indonesian
    }
    return render(request, "participation/plan.html", context)


def _touches(scope: Scope, kode: str) -> bool:
    """The unit lies in the user's wilayah (where they manage), or contains it."""
    return any(kode.startswith(m.wilayah) or m.wilayah.startswith(kode) for m in scope.with_roles(MANAGERS).memberships)


def _accept(request: AuthedRequest, scope: Scope, partners: QuerySet) -> HttpResponse:
    organiser = partners.filter(pk=plain_int(request.POST.get("organisation"), 1, 2**63 - 1) or 0).first()
    kode = request.POST.get("kode", "")
    if organiser is None or wilayah_registry().get(kode) is None or len(kode) < 4 or not _touches(scope, kode):
        raise PermissionDenied
    try:
        starts = forms.DateTimeField().clean(request.POST.get("starts_at"))
    except forms.ValidationError:
        return HttpResponse(_("Isi waktu mulai yang benar."), status=400)
    event = Event.unscoped.create(
        organisation=organiser,
        created_by=request.user,
        status=Event.Status.PLANNED,
        title=f"Sosialisasi Pilkada: {wilayah_registry().names({kode}).get(kode, kode)}",
        starts_at=starts,
        kode_wilayah=kode,
        audiences=[request.POST.get("audience") or "pemula"],
    )
    record("event.planned", request=request, obj=event, organisation=organiser, kode=kode)
    return redirect("participation_plan")


# --- events ----------------------------------------------------------------------------------------------------


class EventForm(forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        label=_("Sasaran"), choices=AUDIENCES, widget=forms.CheckboxSelectMultiple, required=False
    )
    attendee_list = forms.CharField(
        label=_("Daftar hadir (nama, satu per baris)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    photo = forms.ImageField(label=_("Foto kegiatan"), required=False)

    class Meta:
        model = Event
        fields = (
            "organisation",
            "status",
            "title",
            "starts_at",
            "ends_at",
            "venue",
            "kode_wilayah",
            "rw",
            "rt",
            "audiences",
            "speakers",
            "topics",
            "attendance",
            "attendee_list",
            "attendee_consent",
            "follow_ups",
        )
        labels = {"organisation": _("Penyelenggara"), "attendee_consent": _("Peserta setuju namanya dicatat")}
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "speakers": forms.Textarea(attrs={"rows": 2}),
            "topics": forms.Textarea(attrs={"rows": 2}),
            "follow_ups": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope.with_roles(MANAGERS)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisers(scope)
        # A pick-list of places by name, not a code to type (the value is still the code, checked below).
        self.fields["kode_wilayah"].widget = forms.Select(
            choices=area_choices([m.wilayah for m in self.scope.memberships])
        )
        attendance = cast(forms.IntegerField, self.fields["attendance"])
        attendance.max_value = MAX_ATTENDANCE
        attendance.validators.append(MaxValueValidator(MAX_ATTENDANCE))
        # Typed the Indonesian way ("1.234"): a text box for digits, read as 1234 (a number box refuses the dot).
        attendance.widget = forms.TextInput(
            attrs={"inputmode": "numeric", "pattern": r"[0-9]{1,3}(\.[0-9]{3})*|[0-9]+"}
        )
        if self.is_bound and self.data.get("attendance"):
            data = cast(Any, self.data).copy()  # the request's QueryDict is immutable: read "1.234" into a copy
            data["attendance"] = str(data["attendance"]).strip().replace(".", "")
            self.data = data

    def clean_kode_wilayah(self) -> str:
        kode = self.cleaned_data["kode_wilayah"].strip()
        if wilayah_registry().get(kode) is None:
            raise forms.ValidationError(_("Kode wilayah tidak dikenal."))
        if not any(kode.startswith(m.wilayah) for m in self.scope.memberships):
            raise forms.ValidationError(_("Wilayah ini di luar wilayah Anda."))
        return kode

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data, never None
        if data.get("status") == Event.Status.HELD and data.get("attendance") is None:
            self.add_error("attendance", _("Isi jumlah peserta kegiatan yang sudah terlaksana."))
        if data.get("attendee_list") and not data.get("attendee_consent"):
            self.add_error("attendee_consent", _("Nama peserta hanya dicatat dengan persetujuan mereka."))
        return data


@login_required
def events(request: AuthedRequest) -> HttpResponse:
    """The calendar of a wilayah (``?wilayah=``), month by month, and the form to record an event."""
    scope = _scope(request)
    form = EventForm(request.POST or None, request.FILES or None, scope=scope, initial={"starts_at": timezone.now()})
    if request.method == "POST" and form.is_valid():
        try:
            event = _save_event(request, form)
        except PhotoError as problem:
            form.add_error("photo", str(problem))
        else:
            return redirect(f"{request.path}?wilayah={event.kode_wilayah[:6]}")
    wilayah = request.GET.get("wilayah", "").strip()
    wilayah = wilayah if wilayah.isdigit() else ""
    shown = events_in_scope(scope).filter(kode_wilayah__startswith=wilayah).select_related("organisation")
    months = [(month, list(items)) for month, items in groupby(shown.order_by("-starts_at")[:300], key=_month)]
    context = {
        "form": form,
        "months": months,
        "wilayah": wilayah,
        "wilayah_name": wilayah_registry().names({wilayah}).get(wilayah, "") if wilayah else "",
        "places": area_choices([m.wilayah for m in scope.with_roles(MANAGERS).memberships]),
    }
    return render(request, "participation/events.html", context)


def _month(event: Event) -> str:
    return timezone.localtime(event.starts_at).strftime("%Y-%m")


def _save_event(request: AuthedRequest, form: EventForm) -> Event:
    event = form.save(commit=False)
    event.created_by = request.user
    names = form.cleaned_data.get("attendee_list", "").strip()
    event.attendee_list_encrypted = encrypt(names) if names else ""
    event.save()
    upload = form.cleaned_data.get("photo")
    if upload:
        photo, _new = save_photo(str(uuid.uuid4()), "kegiatan", upload.read(), request.user)
        event.photos.add(photo)
    record("event.recorded", request=request, obj=event, status=event.status, attendance=event.attendance)
    return event


@login_required
def event_held(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark a planned event as held, with its attendance."""
    scope = _scope(request)
    # Only for an organisation the user manages: having created an event is no licence to report for its organiser.
    planned = events_in_scope(scope).filter(status=Event.Status.PLANNED, organisation__in=organisers(scope))
    event = get_object_or_404(planned, pk=pk)
    typed = str(request.POST.get("attendance") or "").strip().replace(".", "")  # "1.234", the Indonesian way
    attendance = plain_int(typed, 0, MAX_ATTENDANCE)
    if attendance is None:
        return HttpResponse(_("Isi jumlah peserta: angka 0 sampai %(max)s.") % {"max": MAX_ATTENDANCE}, status=400)
    event.status, event.attendance = Event.Status.HELD, attendance
    event.save(update_fields=["status", "attendance"])
    record("event.held", request=request, obj=event, attendance=event.attendance)
    return redirect("participation_plan")


# --- did it work ------------------------------------------------------------------------------------------------


@login_required
def evaluation(request: AuthedRequest) -> HttpResponse:
    scope = _scope(request)
    elections = [e for e in Election.objects.filter(organisation__in=_offices(scope)) if service.turnouts(e, 6)]
    before = next(
        (e for e in elections if str(e.pk) == request.GET.get("sebelum")), elections[1] if len(elections) > 1 else None
    )
    after = next((e for e in elections if str(e.pk) == request.GET.get("sesudah")), elections[0] if elections else None)
    result = None
    if before and after and before != after:
        result = service.evaluate(before, after, events_in_scope(scope))
    names = wilayah_registry().names({k for k, *_ in result.points}) if result else {}
    context = {
        "elections": elections,
        "before": before,
        "after": after,
        "result": result,
        "svg": charts.scatter(result.points, result.fit, names) if result and result.points else "",
    }
    return render(request, "participation/evaluation.html", context)


@login_required
def import_figures(request: AuthedRequest) -> HttpResponse:
    """KPU staff add an election's turnout from a Sirekap-style CSV."""
    scope = _scope(request, KPU_ROLES)
    office = next(m.organisation.kpu_office for m in scope.memberships if m.role in KPU_ROLES)
    message = ""
    if request.method == "POST" and request.FILES.get("file"):
        try:
            held_on = forms.DateField().clean(request.POST.get("held_on"))
            target = float(request.POST.get("target") or TURNOUT_TARGET)
            if not 0 < target <= 1:
                raise ValueError
        except (forms.ValidationError, ValueError):
            return render(
                request, "participation/import.html", {"message": _("Isi tanggal dan target (0–1) yang benar.")}
            )
        election, _created = Election.objects.get_or_create(
            organisation=office,
            name=request.POST.get("name", "").strip() or "Pemilihan",
            defaults={
                "pemilihan": request.POST.get("pemilihan", "walikota").strip(),
                "held_on": held_on,
                "target": target,
            },
        )
        path = stash(cast("UploadedFile", request.FILES["file"]), ".csv")  # one file under that name
        try:
            count = service.import_tallies(election, path)
        except KawalError as problem:
            message = str(problem)
        else:
            record("turnout.imported", request=request, obj=election, units=count)
            return redirect(f"/partisipasi/?pemilu={election.pk}")
        finally:
            path.unlink(missing_ok=True)
    elections = Election.objects.filter(organisation=office)
    return render(request, "participation/import.html", {"message": message, "elections": elections})


@login_required
def election_settings(request: AuthedRequest, pk: int) -> HttpResponse:
    """KPU staff of the election's own office change its settings: ballot reserve, most voters per TPS, DPS date.
    Every change is logged with its old and new value."""
    election = own_election(request, pk)
    saved = False
    if request.method == "POST":
        form = ElectionSettingsForm(request.POST, election=election)
        if form.is_valid():
            changes = form.changes(election)
            if changes:
                for name, change in changes.items():
                    setattr(election, name, change["new"])
                election.save(update_fields=list(changes))
                record(
                    "election.updated",
                    request=request,
                    obj=election,
                    organisation=election.organisation,
                    changes=changes,
                )
            return redirect(f"{request.path}?tersimpan=1")
    else:
        form = ElectionSettingsForm(election=election)
        saved = request.GET.get("tersimpan") == "1"
    context = {
        "election": election,
        "form": form,
        "saved": saved,
        "reserve_percent": percent_text(election.ballot_reserve),
    }
    return render(request, "participation/election_settings.html", context)


# --- public page -----------------------------------------------------------------------------------------------


def public(request: HttpRequest) -> HttpResponse:
    """For everyone, without personal data: the target, turnout last time (and so far, when a newer election has
    figures) with the gap to the target, and the events held, per kecamatan; every total says what it counts."""
    office = Organisation.objects.filter(kind=Organisation.Kind.KPU).order_by("pk").first()
    elections = [e for e in Election.objects.filter(organisation=office) if service.turnouts(e, 6)] if office else []
    current, last = (elections[0], elections[1]) if len(elections) > 1 else (None, elections[0] if elections else None)
    rows: list[dict] = []
    held = Event.unscoped.none()
    if last is not None:
        held = Event.unscoped.filter(
            Q(organisation=office) | Q(organisation__partner_of=office), status=Event.Status.HELD
        )
        rows = _public_rows(last, current, service.reach(held, 6))
    target = last.target if last else TURNOUT_TARGET
    city = next(iter(service.turnouts(last, 4)), None) if last else None
    context = {
        "office": office,
        "last": last,
        "current": current,
        "rows": rows,
        "target": target,
        "city": city,
        "city_needed": city.voters_needed(target) if city else 0,
        "events": _event_totals(held, rows),
    }
    return render(request, "participation/public.html", context)


def _public_rows(last: Election, current: Election | None, got: dict[str, Reach]) -> list[dict]:
    now = {u.kode: u for u in service.turnouts(current, 6)} if current else {}
    units = service.turnouts(last, 6)
    names = wilayah_registry().names({u.kode for u in units})
    return [
        {
            "kode": unit.kode,
            "nama": names.get(unit.kode, unit.kode),
            "last": unit.rate,
            "gap": max(0.0, last.target - unit.rate) if unit.rate is not None else None,
            "needed": unit.voters_needed(last.target),
            "now": now[unit.kode].rate if unit.kode in now else None,
            "events": got.get(unit.kode, Reach()).events,
        }
        for unit in sorted(units, key=lambda u: -u.voters_needed(last.target))
    ]


def _event_totals(held: QuerySet, rows: list[dict]) -> dict:
    """Events held: all of them, those counted in a kecamatan row, and those for the whole city (no single
    kecamatan), so the card and the table add up in front of the reader."""
    total = held.count()
    in_rows = sum(r["events"] for r in rows)
    return {"total": total, "in_rows": in_rows, "wider": total - in_rows}
