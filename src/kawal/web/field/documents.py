"""A new voter's full record and the photo of their KTP-el or KK, taken only with their recorded consent.

The relawan fills in the person's data on a page of their task once the visit has been sent (the visit stays the
unit of review: the person joins the latest visit of this relawan that is still waiting for review). A document
photo is encrypted before it touches storage (AES-GCM under the field key, like NIK) and is shown only to KPU
roles of the kelurahan, only once the tanggapan item it supports has been sent. Retention erases it.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.engine import DISABILITY
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import record
from kawal.web.crypto import decrypt, encrypt
from kawal.web.field.models import FieldTask, IdentityDocument, NewVoter, Tanggapan, TanggapanItem, Visit
from kawal.web.field.progress import kpu_of
from kawal.web.field.visits import NewVoterIn, VisitError, _new_voter
from kawal.web.photos.processing import PhotoError, inspect
from kawal.web.photos.store import max_bytes

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from kawal.web.accounts.models import Organisation
    from kawal.web.types import AuthedRequest

DISABILITY_CHOICES = [
    (1, _("fisik")),
    (2, _("intelektual")),
    (3, _("mental")),
    (4, _("sensorik wicara")),
    (5, _("sensorik rungu")),
    (6, _("sensorik netra")),
]
assert [c for c, _label in DISABILITY_CHOICES] == list(DISABILITY)
SENT = (
    TanggapanItem.Status.SENT,
    TanggapanItem.Status.RECEIVED,
    TanggapanItem.Status.ACTED,
    TanggapanItem.Status.REFUSED,
)


class NewVoterForm(forms.Form):
    nkk = forms.CharField(label=_("Nomor KK (NKK)"), max_length=16, widget=forms.TextInput({"inputmode": "numeric"}))
    nik = forms.CharField(label=_("NIK"), max_length=16, widget=forms.TextInput({"inputmode": "numeric"}))
    nama = forms.CharField(label=_("Nama lengkap"), max_length=200)
    tempat_lahir = forms.CharField(label=_("Tempat lahir"), max_length=100)
    tanggal_lahir = forms.DateField(label=_("Tanggal lahir"), widget=forms.DateInput({"type": "date"}))
    jenis_kelamin = forms.ChoiceField(
        label=_("Jenis kelamin"), choices=[("L", _("Laki-laki")), ("P", _("Perempuan"))], widget=forms.RadioSelect
    )
    status_kawin = forms.ChoiceField(
        label=_("Status perkawinan"),
        choices=[("B", _("Belum kawin")), ("S", _("Sudah kawin")), ("P", _("Pernah kawin"))],
        widget=forms.RadioSelect,
    )
    alamat = forms.CharField(label=_("Alamat"), max_length=255)
    rt = forms.IntegerField(label=_("RT"), min_value=1, max_value=999)
    rw = forms.IntegerField(label=_("RW"), min_value=1, max_value=999)
    disabilitas = forms.TypedMultipleChoiceField(
        label=_("Disabilitas (jika ada)"),
        choices=DISABILITY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ktp_el = forms.ChoiceField(
        label=_("KTP-el"), choices=[("S", _("Sudah punya")), ("B", _("Belum punya"))], widget=forms.RadioSelect
    )
    document = forms.FileField(label=_("Foto KTP-el atau KK (boleh dikosongkan)"), required=False)
    document_kind = forms.ChoiceField(
        label=_("Dokumen yang difoto"), choices=IdentityDocument.Kind.choices, required=False
    )
    consent = forms.BooleanField(label=_("Orang ini setuju dokumennya difoto untuk dikirim ke PPS"), required=False)
    consent_giver = forms.ChoiceField(
        label=_("Yang memberi persetujuan"), choices=[("", "—"), *IdentityDocument.Giver.choices], required=False
    )
    consent_name = forms.CharField(label=_("Nama yang memberi persetujuan"), max_length=200, required=False)
    consent_method = forms.ChoiceField(
        label=_("Cara persetujuan"), choices=[("", "—"), *IdentityDocument.Method.choices], required=False
    )

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data, never None
        if data.get("document"):
            missing = [
                n for n in ("document_kind", "consent_giver", "consent_name", "consent_method") if not data.get(n)
            ]
            if not data.get("consent"):
                self.add_error("consent", _("Foto dokumen hanya boleh disimpan dengan persetujuan orangnya."))
            for name in missing:
                self.add_error(name, _("Wajib diisi bila ada foto dokumen."))
        return data

    def person(self) -> NewVoterIn:
        data = self.cleaned_data
        fields = ("nkk", "nik", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "status_kawin", "alamat")
        return NewVoterIn(
            **{name: data[name] for name in fields},
            rt=data["rt"],
            rw=data["rw"],
            disabilitas=tuple(data["disabilitas"]),
            ktp_el=data["ktp_el"],
            complete=True,
        )


def _open_visit(task: FieldTask, relawan: User) -> Visit | None:
    """The relawan's latest visit of the task that review has not decided yet (a new person may still join it)."""
    visits = Visit.unscoped.filter(task=task, relawan=relawan, superseded_by__isnull=True)
    return visits.filter(review__in=(Visit.Review.SUBMITTED, Visit.Review.RETURNED)).order_by("-received_at").first()


@login_required
def new_voter_page(request: AuthedRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(FieldTask.unscoped, pk=pk, assigned_to=request.user)
    visit = _open_visit(task, request.user)
    form = NewVoterForm(request.POST or None, request.FILES or None)
    saved = None
    if request.method == "POST" and visit is not None and form.is_valid():
        try:
            saved = add_new_voter(visit, form, request.user)
        except (VisitError, PhotoError) as error:
            form.add_error(None, str(error))
        else:
            record("new_voter.recorded", request=request, obj=saved, visit=visit.pk, documents=saved.documents.count())
            return redirect(f"{request.path}?tersimpan={saved.documents.count()}")
    context = {"task": task, "visit": visit, "form": form, "saved": request.GET.get("tersimpan")}
    return render(request, "field/new_voter.html", context)


def add_new_voter(visit: Visit, form: NewVoterForm, user: User) -> NewVoter:
    from kawal.engine import new_voter_problems

    person = form.person()
    for name, message in new_voter_problems(person.data()):
        raise VisitError(f"{form.fields[name].label}: {message}")
    saved = _new_voter(visit, person)
    saved.save()
    data = form.cleaned_data
    if data.get("document"):
        save_document(
            saved,
            data["document_kind"],
            data["document"].read(),
            user,
            giver=data["consent_giver"],
            name=data["consent_name"],
            method=data["consent_method"],
        )
    return saved


def save_document(
    person: NewVoter, kind: str, data: bytes, user: User, *, giver: str, name: str, method: str
) -> IdentityDocument:
    """Keep one document photo, encrypted; refuses a file that is not a photo (same checks as visit photos)."""
    inspected = inspect(data, max_bytes())
    sealed = encrypt_bytes(data)
    document = IdentityDocument(
        new_voter=person,
        kind=kind,
        sha256=inspected.sha256,
        content_type=inspected.content_type,
        size=inspected.size,
        consent_giver=giver,
        consent_name_encrypted=encrypt(name.strip()),
        consent_method=method,
        consent_at=timezone.now(),
        recorded_by=user,
    )
    document.file.save(f"dokumen/{secrets.token_hex(16)}.bin", ContentFile(sealed), save=False)  # no name, no NIK
    document.save()
    return document


def encrypt_bytes(data: bytes) -> bytes:
    """AES-GCM under the field key (the text form of :func:`kawal.web.crypto.encrypt`, as bytes)."""
    import base64

    return encrypt(base64.b64encode(data).decode()).encode()


def decrypt_bytes(sealed: bytes) -> bytes:
    import base64

    return base64.b64decode(decrypt(sealed.decode()))


def _kpu_covers(user: User, kode_kelurahan: str, office: Organisation) -> bool:
    return kpu_of(Scope.for_user(user), office, kode_kelurahan)


def can_view(user: User, document: IdentityDocument) -> bool:
    """KPU roles of the kelurahan, once an item about this person has left the Ormas (sent or answered)."""
    items = TanggapanItem.objects.filter(new_voter=document.new_voter, status__in=SENT).select_related(
        "tanggapan__voter_list__organisation"
    )
    return any(
        _kpu_covers(user, i.tanggapan.kode_kelurahan, i.tanggapan.voter_list.organisation.kpu_office) for i in items
    )


def visible_documents(tanggapan: Tanggapan, user: User) -> list[IdentityDocument]:
    office = tanggapan.voter_list.organisation.kpu_office
    if not _kpu_covers(user, tanggapan.kode_kelurahan, office):
        return []
    people = tanggapan.items.filter(status__in=SENT, new_voter__isnull=False).values("new_voter")
    return list(
        IdentityDocument.objects.filter(new_voter__in=people, erased_at=None).select_related("new_voter").order_by("pk")
    )


@login_required
def show_document(request: AuthedRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(IdentityDocument, pk=pk)
    if document.erased_at or not document.file or not can_view(request.user, document):
        return HttpResponse(status=404)  # the same answer as a missing document
    with document.file.open("rb") as f:
        data = decrypt_bytes(f.read())
    record("document.viewed", request=request, obj=document)
    response = HttpResponse(data, content_type=document.content_type)
    response["Cache-Control"] = "no-store"
    return response


def consent_text(document: IdentityDocument) -> str:
    """Who consented, how and when, for KPU's page."""
    return (
        f"{document.get_consent_giver_display()} ({decrypt(document.consent_name_encrypted)}), "
        f"{document.get_consent_method_display()}, {timezone.localtime(document.consent_at):%d-%m-%Y %H:%M}"
    )
