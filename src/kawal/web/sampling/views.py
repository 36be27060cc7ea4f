"""Pages of the statistical audit: plan, draw, follow the fieldwork, read the results; and the relawan's form
for one drawn unit (offline-capable through the same phone queue as visits)."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kawal import labels
from kawal.engine import (
    NONRESPONSE,
    RECORD_OUTCOMES,
    StratumPlan,
    describe_estimate,
    interval_svg,
    people_plan,
    stratified_plan,
)
from kawal.i18n import KawalError
from kawal.web.accounts import person_views
from kawal.web.accounts.models import KPU_ROLES, Role
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import record
from kawal.web.sampling import service
from kawal.web.sampling.models import Observation, SampleDraw, SampleUnit
from kawal.web.security import plain_int
from kawal.web.voters.models import VoterList
from kawal.wilayah import registry as wilayah_registry

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from kawal.engine import Estimate
    from kawal.web.types import AuthedRequest

MANAGERS = (*KPU_ROLES, Role.COORDINATOR)
CATEGORY_LABELS = {
    "tidak_di_alamat": _("tidak tinggal di alamat"),
    "meninggal": _("meninggal"),
    "di_bawah_umur": _("di bawah umur"),
    "data_salah": _("data salah"),
    "tidak_terdaftar": _("warga berhak yang tidak terdaftar"),
    "dikunjungi_pantarlih": _("rumah tangga dikunjungi Pantarlih"),
    "stiker_tanpa_kunjungan": _("stiker tanpa kunjungan"),
    "kunjungan_tanpa_stiker": _("kunjungan tanpa stiker"),
}
OUTCOME_LABELS = {
    "ditemukan": _("ditemukan, data benar"),
    "tidak_di_alamat": _("tidak tinggal di alamat (pindah / tidak dikenal)"),
    "meninggal": _("meninggal"),
    "di_bawah_umur": _("di bawah umur"),
    "data_salah": _("ditemukan, data salah"),
    NONRESPONSE: _("tidak dapat dipastikan"),
}


# Ready-made plans for people who are not statisticians: how close the answer must be, and how sure.
PRESETS = {
    "cepat": {"margin": 0.05, "confidence": 0.90},
    "standar": {"margin": 0.03, "confidence": 0.95},
    "teliti": {"margin": 0.015, "confidence": 0.99},
}
PRESET_CHOICES = [
    ("cepat", _("Cepat: sedikit kunjungan, hasil kira-kira (±5 poin, yakin 90%)")),
    ("standar", _("Standar: cukup untuk laporan ke KPU (±3 poin, yakin 95%)")),
    ("teliti", _("Teliti: banyak kunjungan, hasil rapat (±1,5 poin, yakin 99%)")),
    ("", _("Atur sendiri (di bawah)")),
]


class PlanForm(forms.Form):
    voter_list = forms.ModelChoiceField(label=_("Daftar pemilih"), queryset=VoterList.objects.none())
    preset = forms.ChoiceField(
        label=_("Seberapa teliti?"), choices=PRESET_CHOICES, required=False, widget=forms.RadioSelect
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=SampleDraw.Unit.choices, initial="record")
    by = forms.ChoiceField(
        label=_("Strata"),
        choices=[("kota", _("tanpa strata")), ("kecamatan", _("kecamatan")), ("kelurahan", _("kelurahan"))],
        initial="kecamatan",
    )
    margin = forms.FloatField(
        required=False, label=_("Margin kesalahan"), initial=0.02, min_value=0.001, max_value=0.49
    )
    confidence = forms.FloatField(
        required=False, label=_("Tingkat kepercayaan"), initial=0.95, min_value=0.5, max_value=0.999
    )
    rate = forms.FloatField(
        required=False, label=_("Perkiraan tingkat kesalahan"), initial=0.05, min_value=0.001, max_value=0.999
    )
    nonresponse = forms.FloatField(
        required=False, label=_("Perkiraan tak terjangkau"), initial=0.1, min_value=0, max_value=0.9
    )
    per_stratum = forms.BooleanField(label=_("Margin berlaku di tiap strata"), required=False)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["voter_list"]).queryset = scope.voter_lists(
            VoterList.objects.filter(status=VoterList.Status.DONE)
        )
        self.fields["preset"].initial = "standar"

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data, never None
        for name in ("margin", "confidence", "rate", "nonresponse"):  # left empty: the usual value
            if data.get(name) is None and name not in self.errors:
                data[name] = self.fields[name].initial
        data.update(PRESETS.get(data.get("preset") or "", {}))  # a preset sets margin and confidence
        return data


def _managed(request: HttpRequest) -> Scope:
    scope = Scope.for_user(request.user)
    if not any(m.role in MANAGERS for m in scope.memberships):
        raise PermissionDenied
    return scope


def _plan(form: PlanForm) -> list[StratumPlan]:
    data = form.cleaned_data
    sizes = service.strata_sizes(data["voter_list"], data["unit"], data["by"])
    strata = {k: units for k, (units, _voters) in sizes.items()}
    return stratified_plan(
        strata, data["margin"], data["confidence"], data["rate"], data["nonresponse"], data["per_stratum"]
    )


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """The planner (GET with parameters shows the sizes per stratum) and the samples drawn so far."""
    scope = _managed(request)
    form = PlanForm(request.GET or None, scope=scope)
    plans, people, error = None, None, ""
    if request.GET and form.is_valid():
        try:
            plans = _plan(form)
            d = form.cleaned_data
            people = people_plan(d["margin"], d["confidence"], d["rate"], nonresponse=d["nonresponse"])
        except KawalError as problem:
            error = str(problem)
    draws = SampleDraw.unscoped.filter(voter_list__in=scope.voter_lists(VoterList.objects.all()))
    names = wilayah_registry().names({p.stratum for p in plans or []})
    context = {
        "form": form,
        "technical": [form[name] for name in ("margin", "confidence", "rate", "nonresponse", "per_stratum")],
        "plans": [{"p": p, "nama": names.get(p.stratum, p.stratum)} for p in plans or []],
        # as text made here: the template would write 0.95 the Indonesian way, 0,95, which the form cannot read
        "hidden": [(k, str(v.pk if k == "voter_list" else v)) for k, v in form.cleaned_data.items() if v is not False]
        if plans
        else [],
        "total": sum(p.to_visit for p in plans or []) or 1,
        "answers": sum(p.n for p in plans or []),
        "people": people,
        "error": error,
        "draws": draws,
    }
    return render(request, "sampling/index.html", context)


@login_required
def create(request: AuthedRequest) -> HttpResponse:
    scope = _managed(request)
    form = PlanForm(request.POST, scope=scope)
    phrase = request.POST.get("phrase", "").strip()
    if request.method != "POST" or not form.is_valid() or not phrase:
        return HttpResponse(_("Isi rencana dan frasa benih publik."), status=400)
    d = form.cleaned_data
    if not _covers_list(scope, d["voter_list"]):
        raise PermissionDenied  # a draw makes field tasks across the whole list: only those covering it draw
    try:
        per_stratum = {p.stratum: p.to_visit for p in _plan(form)}
        sample = service.make_draw(
            d["voter_list"],
            request.user,
            phrase,
            d["unit"],
            d["by"],
            per_stratum,
            plan={k: d[k] for k in ("margin", "rate", "nonresponse", "per_stratum")},
            confidence=d["confidence"],
        )
    except KawalError as problem:
        return HttpResponse(str(problem), status=400)
    return redirect("sample_detail", pk=sample.pk)


def _covers_list(scope: Scope, voter_list: VoterList) -> bool:
    return any(
        m.role in MANAGERS and m.rw is None and voter_list.wilayah.startswith(m.wilayah)
        and m.organisation.kpu_office.pk == voter_list.organisation_id
        for m in scope.memberships
    )  # fmt: skip


@login_required
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The design (to re-derive), the fieldwork per stratum, and the estimates with their interval plots."""
    scope = _managed(request)
    sample = get_object_or_404(
        SampleDraw.unscoped.filter(voter_list__in=scope.voter_lists(VoterList.objects.all())), pk=pk
    )
    estimates = service.estimates(sample)
    names = wilayah_registry().names(set(sample.strata)) | {"": str(_("Seluruh populasi"))}
    lang = "en" if (get_language() or "id").startswith("en") else "id"
    sections = []
    for category in dict.fromkeys(e.category for e in estimates):
        rows = sorted((e for e in estimates if e.category == category), key=lambda e: (e.stratum != "", e.stratum))
        overall = rows[0]
        sections.append(
            {
                "category": category,
                "label": CATEGORY_LABELS.get(category, category),
                "overall": describe_estimate(overall, lang),
                "sentence": result_sentence(overall, category, CATEGORY_LABELS.get(category, category)),
                "svg": interval_svg(rows, names, lang=lang),
            }
        )
    progress = service.progress(sample)
    mine = scope.tasks(service.FieldTask.unscoped.filter(sample_unit__draw=sample))
    context = {
        "sample": sample,
        "sections": sections,
        "progress": [{"p": p, "nama": names.get(p.stratum, p.stratum)} for p in progress],
        "drawn": sum(p.drawn for p in progress),
        "answered": sum(p.answered for p in progress),
        "unreachable": sum(p.unreachable for p in progress),
        "units": SampleUnit.objects.filter(task__in=mine).select_related("task__assigned_to")[:200],
        "command": _command(sample),
    }
    return render(request, "sampling/detail.html", context)


PEOPLE_CATEGORIES = {"tidak_terdaftar"}  # counted over people met, not records
HOUSEHOLD_CATEGORIES = {"dikunjungi_pantarlih", "stiker_tanpa_kunjungan", "kunjungan_tanpa_stiker"}


def result_sentence(e: Estimate, category: str, label: str | StrPromise) -> str:
    """One plain sentence per result: "Sekitar 3,1% catatan tidak tinggal di alamat (kemungkinan besar antara
    2,2% dan 4,0%), dari 457 catatan yang terjawab." The method stays behind "detail"."""
    if category in PEOPLE_CATEGORIES:
        unit = _("orang yang ditemui")
    elif category in HOUSEHOLD_CATEGORIES:
        unit = _("rumah tangga yang diperiksa")
    else:
        unit = _("catatan yang terjawab")
    if e.rate is None:
        return str(_("Belum ada jawaban untuk dihitung."))
    lang = get_language()
    return _(
        "Sekitar %(rate)s: %(label)s (kemungkinan besar antara %(low)s dan %(high)s), dihitung dari %(n)s %(unit)s."
    ) % {
        "rate": f"{labels.number(100 * e.rate, 1, lang)}%",
        "label": label,
        # an estimate with a rate always has its interval
        "low": f"{labels.number(100 * cast(float, e.low), 1, lang)}%",
        "high": f"{labels.number(100 * cast(float, e.high), 1, lang)}%",
        "n": labels.number(e.base, lang=lang),
        "unit": unit,
    }


def _command(sample: SampleDraw) -> str:
    """The command that re-derives this very sample from the list file (the same plan gives the same sizes)."""
    plan = sample.plan
    flags = (
        f"--margin {plan['margin']} --rate {plan['rate']} --nonresponse {plan['nonresponse']} "
        f"--confidence {sample.confidence}" + (" --per-stratum" if plan.get("per_stratum") else "")
    )
    return (
        f"kawal sample draw {shlex.quote(sample.voter_list.source_name)} --phrase {shlex.quote(sample.phrase)} "
        f"--unit {sample.unit} --by {sample.by} {flags} --out sampel"
    )


@login_required
def coverage(request: AuthedRequest) -> HttpResponse:
    """Coklit coverage: a census of the households relawan checked (per kelurahan, RW or RT), and the estimates
    with intervals of the RT samples."""
    scope = _managed(request)
    kelurahan = request.GET.get("kelurahan", "").strip()
    kelurahan = kelurahan if plain_int(kelurahan) is not None and len(kelurahan) == 10 else ""
    rw_value = plain_int(request.GET.get("rw", ""), 0, 999) if kelurahan else None
    tasks = scope.tasks(service.FieldTask.unscoped.all())
    observations = Observation.objects.filter(unit__task__in=tasks)
    rows = service.coverage_census(tasks, observations, kelurahan, rw_value)
    names = wilayah_registry().names({r.kode for r in rows if "/" not in r.kode})
    samples = SampleDraw.unscoped.filter(
        voter_list__in=scope.voter_lists(VoterList.objects.all()), unit=SampleDraw.Unit.RT
    )
    context = {
        "rows": [
            {"r": r, "nama": names.get(r.kode, r.kode.replace("/", " / RW ", 1).replace("/", " / RT "))} for r in rows
        ],
        "kelurahan": kelurahan,
        "rw": rw_value,
        "samples": samples,
        "checked": sum(r.checked for r in rows),
    }
    return render(request, "sampling/coverage.html", context)


# --- the relawan's form -----------------------------------------------------------------------------------------


@login_required
def unit_form(request: AuthedRequest, pk: int) -> HttpResponse:
    mine = Scope.for_user(request.user).tasks(service.FieldTask.unscoped.filter(assigned_to=request.user))
    unit = get_object_or_404(SampleUnit.objects.select_related("draw", "task", "voter").filter(task__in=mine), pk=pk)
    if unit.voter_id:
        if not person_views.allow(request, Role.RELAWAN):
            limit = person_views.limit_for(Role.RELAWAN)
            return render(request, "voters/person_limit.html", {"limit": limit}, status=429)
        record("voter.viewed", request=request, obj=unit.voter, via="sample")
    context = {
        "unit": unit,
        "record_unit": unit.draw.unit == SampleDraw.Unit.RECORD,
        "outcomes": [(k, OUTCOME_LABELS[k]) for k in (*RECORD_OUTCOMES, NONRESPONSE)],
        "seen": Observation.objects.filter(unit=unit).order_by("received_at"),
    }
    return render(request, "sampling/unit.html", context)
