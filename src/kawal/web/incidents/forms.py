"""The phone form of a report. The same form validates what the phone's offline queue sends to the API, so the
page and the API accept exactly the same things."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kawal.web.accounts.scope import Scope
from kawal.web.incidents import access, categories
from kawal.web.incidents.service import IDENTITY, ReportIn, WitnessIn
from kawal.wilayah import registry

if TYPE_CHECKING:
    from datetime import datetime

    from django_stubs_ext import StrPromise

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
WITNESSES = 2  # on the phone; more go in the description or are added by the coordinator's merge


def _when(label: str | StrPromise, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=LOCAL_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("Apa yang terjadi?"), widget=forms.RadioSelect)
    kode_kelurahan = forms.ChoiceField(label=_("Kelurahan"))
    tps = forms.IntegerField(label=_("Nomor TPS (bila di TPS)"), required=False, min_value=1, max_value=999)
    rw = forms.IntegerField(label=_("RW"), required=False, min_value=1, max_value=999)
    rt = forms.IntegerField(label=_("RT"), required=False, min_value=1, max_value=999)
    place = forms.CharField(label=_("Tempat persisnya"), required=False, max_length=200)
    incident_at = _when(_("Kapan terjadi?"))
    known_at = _when(_("Kapan Anda mengetahuinya? (kosongkan bila saat itu juga)"), required=False)
    description = forms.CharField(
        label=_("Ceritakan kejadiannya: siapa berbuat apa, kepada siapa, bagaimana"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    reported_party = forms.CharField(
        label=_("Terlapor: nama, jabatan atau ciri orang yang dilaporkan (bila tahu)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = categories.choices()
        codes = access.kelurahan_choices(scope)
        names = registry().names(set(codes))
        cast(forms.ChoiceField, self.fields["kode_kelurahan"]).choices = [(c, names.get(c, c)) for c in codes]
        if len(codes) == 1:
            self.fields["kode_kelurahan"].initial = codes[0]
        for i in range(1, WITNESSES + 1):
            self.fields[f"saksi_{i}_nama"] = forms.CharField(label=_("Nama saksi"), required=False, max_length=200)
            self.fields[f"saksi_{i}_alamat"] = forms.CharField(label=_("Alamat saksi"), required=False, max_length=300)
            self.fields[f"saksi_{i}_telepon"] = forms.CharField(label=_("Telepon saksi"), required=False, max_length=30)
        labels = {
            "nama": _("Nama lengkap pelapor"),
            "nik": _("NIK pelapor"),
            "alamat": _("Alamat pelapor"),
            "telepon": _("Telepon pelapor"),
            "pekerjaan": _("Pekerjaan pelapor"),
        }
        for key in IDENTITY:
            self.fields[f"pelapor_{key}"] = forms.CharField(label=labels[key], required=False, max_length=300)

    def witness_rows(self) -> list[list[forms.BoundField]]:
        return [[self[f"saksi_{i}_{k}"] for k in ("nama", "alamat", "telepon")] for i in range(1, WITNESSES + 1)]

    def pelapor_fields(self) -> list[forms.BoundField]:
        return [self[f"pelapor_{k}"] for k in IDENTITY]

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data, never None
        for i in range(1, WITNESSES + 1):
            if (data.get(f"saksi_{i}_alamat") or data.get(f"saksi_{i}_telepon")) and not data.get(f"saksi_{i}_nama"):
                self.add_error(f"saksi_{i}_nama", _("Nama saksi wajib diisi bila alamatnya diisi."))
        return data

    def to_report(self, client_id: str, recorded_at: datetime, evidence: tuple[str, ...], channel: str) -> ReportIn:
        d = self.cleaned_data
        witnesses = tuple(
            WitnessIn(d[f"saksi_{i}_nama"], d[f"saksi_{i}_alamat"], d[f"saksi_{i}_telepon"])
            for i in range(1, WITNESSES + 1)
            if d.get(f"saksi_{i}_nama")
        )
        return ReportIn(
            client_id=client_id,
            category=d["category"],
            incident_at=d["incident_at"],
            known_at=d["known_at"] or d["incident_at"],
            kode_kelurahan=d["kode_kelurahan"],
            description=d["description"],
            recorded_at=recorded_at,
            tps=d["tps"],
            rw=d["rw"],
            rt=d["rt"],
            place=d["place"],
            latitude=d["latitude"],
            longitude=d["longitude"],
            reported_party=d["reported_party"],
            witnesses=witnesses,
            evidence=evidence,
            pelapor={k: d[f"pelapor_{k}"] for k in IDENTITY},
            channel=channel,
        )


class ProfileForm(forms.Form):
    nama = forms.CharField(label=_("Nama lengkap (sesuai KTP)"), max_length=200)
    nik = forms.CharField(label=_("NIK"), max_length=16, required=False)
    alamat = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    telepon = forms.CharField(label=_("Nomor telepon/HP"), max_length=30, required=False)
    pekerjaan = forms.CharField(label=_("Pekerjaan"), max_length=100, required=False)
