"""Issue 17: an Ormas's accreditations as election observer (pemantau), recorded on the site.

A coordinator of an Ormas records, corrects and removes their own Ormas's accreditations; KPU staff see those of
the Ormas partnering their office, read-only. Nobody else sees them here (relawan: 403). These rows are the ones
:func:`kawal.web.results.models.observer_accreditation` reads when a member is assigned to a TPS as *pemantau*,
so the list says, for each, whether it is valid today and on the voting day of the office's elections.
Included from ``urls.py`` under ``organisasi/akreditasi/``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kawal.web.accounts.models import KPU_ROLES, Accreditation, Organisation, Role
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import record

if TYPE_CHECKING:
    from kawal.web.participation.models import Election
    from kawal.web.types import AuthedRequest

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]  # the date picker's, and what is typed where there is none
FIELDS = ("number", "issuer", "valid_from", "valid_until")


# --- who sees what ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """The Ormas whose accreditations a user edits (coordinator of that Ormas) and those they only see (KPU staff
    of the office the Ormas partners)."""

    editable: tuple[Organisation, ...]
    readable: tuple[Organisation, ...]

    @classmethod
    def of(cls, request: AuthedRequest) -> Access:
        scope = Scope.for_user(request.user)
        editable = {
            m.organisation.pk: m.organisation
            for m in scope.memberships
            if m.role == Role.COORDINATOR and m.organisation.kind == Organisation.Kind.ORMAS
        }
        offices = {m.organisation.kpu_office.pk for m in scope.memberships if m.role in KPU_ROLES}
        partners = Organisation.objects.filter(kind=Organisation.Kind.ORMAS, partner_of__in=offices)
        readable = {o.pk: o for o in partners.select_related("partner_of") if o.pk not in editable}
        if not editable and not readable and not offices:
            raise PermissionDenied  # relawan, and members of nothing: no page at all
        return cls(_by_name(editable.values()), _by_name(readable.values()))

    @property
    def organisations(self) -> tuple[Organisation, ...]:
        return self.editable + self.readable

    def can_edit(self, organisation_id: int) -> bool:
        return any(o.pk == organisation_id for o in self.editable)


def _by_name(organisations: Iterable[Organisation]) -> tuple[Organisation, ...]:
    return tuple(sorted(organisations, key=lambda o: (o.name, o.pk)))


# --- the form ----------------------------------------------------------------------------------------------------


class AccreditationForm(forms.ModelForm):
    """Number, issuer and period; the model's own checks (period the right way round, one number per issuer) run
    on save and are shown next to the field they concern."""

    class Meta:
        model = Accreditation
        fields = FIELDS
        labels = {
            "number": _("Nomor akreditasi"),
            "issuer": _("Diterbitkan oleh"),
            "valid_from": _("Berlaku sejak"),
            "valid_until": _("Berlaku sampai"),
        }
        help_texts = {
            "number": _("Seperti tertulis pada surat keputusan akreditasi."),
            "issuer": _("mis. KPU Kota Tangerang"),
            "valid_from": "",
            "valid_until": "",
        }
        widgets = {
            "number": forms.TextInput(attrs={"autocomplete": "off"}),
            "issuer": forms.TextInput(attrs={"autocomplete": "off"}),
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "number": {"required": _("Nomor akreditasi wajib diisi.")},
            "issuer": {"required": _("Penerbit akreditasi wajib diisi.")},
            "valid_from": {
                "required": _("Tanggal mulai berlaku wajib diisi."),
                "invalid": _("Tanggal tidak terbaca: pakai pemilih tanggal, atau tulis HH-BB-TTTT."),
            },
            "valid_until": {
                "required": _("Tanggal akhir berlaku wajib diisi."),
                "invalid": _("Tanggal tidak terbaca: pakai pemilih tanggal, atau tulis HH-BB-TTTT."),
            },
        }

    def __init__(self, *args: Any, organisations: tuple[Organisation, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("valid_from", "valid_until"):
            field = self.fields[name]
            assert isinstance(field, forms.DateField)
            field.input_formats = DATE_FORMATS
        if len(organisations) > 1:  # a coordinator of several Ormas says which one it is for
            self.fields["organisation"] = forms.TypedChoiceField(
                label=_("Ormas"),
                choices=[(o.pk, o.name) for o in organisations],
                coerce=int,
                error_messages={"invalid_choice": _("Pilih salah satu Ormas Anda.")},
            )
            self.order_fields(["organisation", *FIELDS])
        self._organisations = {o.pk: o for o in organisations}

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # ModelForm.clean returns cleaned_data, never None
        if "organisation" in self.fields and data.get("organisation") in self._organisations:
            self.instance.organisation = self._organisations[data["organisation"]]
        for name in ("number", "issuer"):
            if isinstance(data.get(name), str):
                data[name] = " ".join(data[name].split())  # "17/PP.02 /2024 " and "17/PP.02 /2024" are one number
        number, issuer = data.get("number"), data.get("issuer")
        if number and issuer:
            same = Accreditation.objects.filter(issuer__iexact=issuer, number__iexact=number)
            if same.exclude(pk=self.instance.pk).exists():
                self.add_error("number", gettext("Nomor akreditasi ini sudah tercatat untuk penerbit yang sama."))
        return data


def _changes(before: Accreditation, after: Accreditation) -> dict[str, dict[str, str]]:
    """What an edit changed, field by field, for the log (an Ormas's own numbers and dates: no personal data)."""
    return {
        name: {"old": str(getattr(before, name)), "new": str(getattr(after, name))}
        for name in FIELDS
        if getattr(before, name) != getattr(after, name)
    }


def _save(form: AccreditationForm) -> Accreditation | None:
    """Save the form's accreditation; None (with an error on the number) when another save took the same issuer
    and number a moment ago and the database refused this one."""
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        form.add_error("number", gettext("Nomor akreditasi ini sudah tercatat untuk penerbit yang sama."))
        return None


# --- status on a day ---------------------------------------------------------------------------------------------


def status_on(accreditation: Accreditation, day: date) -> dict[str, str]:
    """Whether the accreditation holds on ``day``, said plainly: a code for the page's styling and a sentence."""
    if day < accreditation.valid_from:
        start = accreditation.valid_from.strftime("%d-%m-%Y")
        return {"code": "belum", "text": gettext("belum berlaku (mulai %(day)s)") % {"day": start}}
    if day > accreditation.valid_until:
        end = accreditation.valid_until.strftime("%d-%m-%Y")
        return {"code": "habis", "text": gettext("sudah tidak berlaku (habis %(day)s)") % {"day": end}}
    return {"code": "berlaku", "text": gettext("berlaku")}


def elections_of(office: Organisation | None, today: date) -> list[Election]:
    """The office's elections the list speaks of: the coming ones, or else the latest one held."""
    from kawal.web.participation.models import Election

    if office is None or office.kind != Organisation.Kind.KPU:
        return []
    coming = list(Election.objects.filter(organisation=office, held_on__gte=today).order_by("held_on", "name"))
    if coming:
        return coming
    latest = Election.objects.filter(organisation=office).order_by("-held_on", "name").first()
    return [latest] if latest else []


def _sections(access: Access, today: date) -> list[dict[str, Any]]:
    """One section per Ormas the user may see: its accreditations, each with its status today and on the voting
    day of the office's elections."""
    rows: dict[int, list[Accreditation]] = {o.pk: [] for o in access.organisations}
    for accreditation in Accreditation.objects.filter(organisation__in=list(rows)).order_by("-valid_until", "pk"):
        rows[accreditation.organisation_id].append(accreditation)
    sections = []
    for organisation in access.organisations:
        elections = elections_of(organisation.partner_of, today)
        items = [
            {
                "accreditation": a,
                "today": status_on(a, today),
                "voting_days": [{"election": e, "status": status_on(a, e.held_on)} for e in elections],
            }
            for a in rows[organisation.pk]
        ]
        sections.append(
            {
                "organisation": organisation,
                "editable": access.can_edit(organisation.pk),
                "items": items,
                "elections": elections,
                "valid_for_vote": [e for e in elections if any(a.valid_on(e.held_on) for a in rows[organisation.pk])],
            }
        )
    return sections


# --- views -------------------------------------------------------------------------------------------------------


@login_required
def accreditations(request: AuthedRequest) -> HttpResponse:
    """The list, with a form to add one for a coordinator. KPU staff only read: a post from them is refused."""
    access = Access.of(request)
    today = timezone.localdate()
    form = None
    if access.editable:
        instance = Accreditation(organisation=access.editable[0])
        form = AccreditationForm(request.POST or None, instance=instance, organisations=access.editable)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid() and (accreditation := _save(form)) is not None:
            record(
                "accreditation.created",
                request=request,
                obj=accreditation,
                organisation=accreditation.organisation,
                issuer=accreditation.issuer,
                number=accreditation.number,
                valid_from=accreditation.valid_from,
                valid_until=accreditation.valid_until,
            )
            return redirect(f"{reverse('accreditations')}?tersimpan=1")
    context = {
        "sections": _sections(access, today),
        "form": form,
        "today": today,
        "saved": request.GET.get("tersimpan") == "1",
        "deleted": request.GET.get("dihapus") == "1",
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "accounts/accreditations.html", context, status=status)


def _own(request: AuthedRequest, pk: int) -> Accreditation:
    """One accreditation of an Ormas the user coordinates; 404 for any other (even one they may only read)."""
    access = Access.of(request)
    if not access.editable:
        raise PermissionDenied  # KPU staff read; they never change an Ormas's papers
    return get_object_or_404(
        Accreditation.objects.select_related("organisation"), pk=pk, organisation__in=list(access.editable)
    )


@login_required
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    accreditation = _own(request, pk)
    before = Accreditation(**{name: getattr(accreditation, name) for name in FIELDS})
    form = AccreditationForm(request.POST or None, instance=accreditation)
    if request.method == "POST" and form.is_valid() and (saved := _save(form)) is not None:
        changes = _changes(before, saved)
        if changes:
            record(
                "accreditation.updated", request=request, obj=saved, organisation=saved.organisation, changes=changes
            )
        return redirect(f"{reverse('accreditations')}?tersimpan=1")
    context = {"form": form, "editing": accreditation, "today": timezone.localdate()}
    return render(request, "accounts/accreditations.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def delete(request: AuthedRequest, pk: int) -> HttpResponse:
    accreditation = _own(request, pk)
    with transaction.atomic():
        record(
            "accreditation.deleted",
            request=request,
            obj=accreditation,
            organisation=accreditation.organisation,
            issuer=accreditation.issuer,
            number=accreditation.number,
        )
        accreditation.delete()
    return redirect(f"{reverse('accreditations')}?dihapus=1")


urlpatterns = [
    path("", accreditations, name="accreditations"),
    path("<int:pk>/ubah/", edit, name="accreditation_edit"),
    path("<int:pk>/hapus/", delete, name="accreditation_delete"),
]
