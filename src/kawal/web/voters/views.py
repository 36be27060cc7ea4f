"""Pages: dashboard, voter lists and uploads with live progress, findings by wilayah, one person's record."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawal import labels
from kawal.engine import NOT_CHECKABLE, SnapshotStore, check_registry, mask, snapshot_rejects
from kawal.i18n import KawalError
from kawal.web.accounts import person_views
from kawal.web.accounts.models import KPU_ROLES, Membership, Role
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import record
from kawal.web.crypto import decrypt, keyed_hash
from kawal.web.field.progress import reminders_for
from kawal.web.places import PlaceField, area_choices, place_choices
from kawal.web.voters import maps
from kawal.web.voters.jobs import process_upload, reaudit_list
from kawal.web.voters.models import AuditRun, Finding, Voter, VoterList
from kawal.web.voters.send import send_household
from kawal.wilayah import registry as wilayah_registry

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from kawal.web.field.models import FieldTask
    from kawal.web.types import AuthedRequest

CHECK_CODES = [c.code for c in check_registry(0.0)]


def check_choices() -> list[tuple[str, str]]:
    """Each check by its plain label in the page's language (the code stays in the URL and behind "detail")."""
    return [(code, labels.label("check", code, get_language())) for code in CHECK_CODES]


PAGE_SIZE = 50


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.user)


# --- dashboard -----------------------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard of the user's wilayah, or of one unit inside it (``?wilayah=367105``); for a visitor without
    an account, the citizen landing page (not the login form)."""
    if not request.user.is_authenticated:
        from kawal.web.public.views import landing

        return landing(request)
    scope = _scope(request)
    if scope.highest_role == Role.RELAWAN:  # a relawan opens on their tasks (relawan-flow); the rest, dashboards
        from kawal.web.field.views import my_tasks

        return my_tasks(cast("AuthedRequest", request))  # signed in: checked above
    focus = request.GET.get("wilayah", "").strip()
    focus = focus if focus.isdigit() and len(focus) in (4, 6, 10) else ""
    voters = scope.voters(Voter.unscoped.filter(kode_kelurahan__startswith=focus))
    findings = scope.findings(Finding.unscoped.filter(kode_kelurahan__startswith=focus))
    per_check = dict(findings.values_list("check_code").annotate(n=Count("id")).order_by())
    per_kelurahan = {
        r["kode_kelurahan"]: r["n"] for r in voters.values("kode_kelurahan").annotate(n=Count("id")).order_by()
    }
    flagged = {
        r["kode_kelurahan"]: r["n"]
        for r in findings.exclude(voter=None)
        .values("kode_kelurahan")
        .annotate(n=Count("voter", distinct=True))
        .order_by()
    }
    rates = {k: flagged.get(k, 0) / n for k, n in per_kelurahan.items() if n and k}
    by_kelurahan = len(focus) >= 6
    units = _unit_rows(per_kelurahan, flagged, 10 if by_kelurahan else 6)
    context = {
        "focus": focus,
        "focus_name": wilayah_registry().names({focus}).get(focus, "") if focus else "",
        "total_voters": sum(per_kelurahan.values()),
        "total_findings": sum(per_check.values()),
        "checks": [(code, label, per_check.get(code, 0)) for code, label in check_choices()],
        "check_max": max(per_check.values(), default=0) or 1,
        "units": units,
        "unit_top": max((u["rate"] for u in units), default=0) or 1,
        "unplaced": {"voters": per_kelurahan.get("", 0) + per_kelurahan.get(None, 0), "flagged": flagged.get("", 0)},
        "unit_level": _("Kelurahan") if by_kelurahan else _("Kecamatan"),
        "map": maps.choropleth(rates),
        "lists": scope.voter_lists(VoterList.objects.all())[:5],
        "reminders": reminders_for(scope),
        "person_alerts": person_views.alerts_for(scope),
    }
    return render(request, "voters/home.html", context)


def _unit_rows(per_kelurahan: dict[str, int], flagged: dict[str, int], digits: int) -> list[dict]:
    """Voters, rows with findings and their share per kecamatan (digits=6) or kelurahan (digits=10). Rows without
    a kelurahan are left out here (the page counts them apart): every one of them is flagged for the missing
    field, and a bar of 100% would say nothing about any place."""
    totals: dict[str, list[int]] = {}
    for kode, n in per_kelurahan.items():
        if not kode:
            continue
        entry = totals.setdefault(kode[:digits], [0, 0])
        entry[0] += n
        entry[1] += flagged.get(kode, 0)
    names = wilayah_registry().names(set(totals))
    rows: list[dict[str, Any]] = [
        {"kode": k, "nama": names[k], "voters": v, "flagged": f, "rate": f / v if v else 0}
        for k, (v, f) in sorted(totals.items())
    ]
    top = max((r["rate"] for r in rows), default=0) or 1
    for r in rows:
        r["width"] = labels.css_percent(r["rate"], top)  # a dot decimal whatever the page's language
        r["percent"] = 100 * r["rate"]
    return rows


# --- voter lists and uploads ---------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File daftar pemilih (CSV, XLSX, Parquet, PDF KPU, atau ZIP berisi file CSV per TPS)"),
        help_text=gettext_lazy(
            "Daftar yang diumumkan juga diterima: NIK/NKK dan tanggal lahir yang sebagian disamarkan (*, X, #) "
            "dibaca apa adanya dan diperiksa sejauh terlihat."
        ),
    )
    stage = forms.ChoiceField(label=gettext_lazy("Tahap"), choices=VoterList.Stage.choices)
    wilayah = forms.CharField(label=gettext_lazy("Kode wilayah"), max_length=13, initial="3671")

    # What the engine reads (kawal.engine.readers); a PDF is KPU's Model A-Daftar Pemilih with its text layer, a ZIP
    # the per-TPS CSV files KPU hands out (read as one list, kawal.engine.folder_reader).
    ALLOWED = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods", ".parquet", ".pdf", ".zip")
    MAGIC = {".pdf": (b"%PDF-",), ".zip": (b"PK\x03\x04", b"PK\x05\x06")}
    MAX_BYTES = 2 * 2**30

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in self.ALLOWED:
            raise forms.ValidationError(_("Format tidak dikenal: kirim CSV, XLSX, Parquet, PDF atau ZIP."))
        suffix = Path(upload.name).suffix.lower()
        if suffix in self.MAGIC:
            head = upload.read(5)
            upload.seek(0)
            if not head.startswith(self.MAGIC[suffix]):
                raise forms.ValidationError(_("File ini bukan PDF.") if suffix == ".pdf" else _("File ini bukan ZIP."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("File terlalu besar (maksimum 2 GB)."))
        return upload

    def clean_wilayah(self) -> str:
        code = self.cleaned_data["wilayah"].replace(".", "").strip()
        well_formed = code.isdigit() and len(code) in (2, 4, 6, 10)
        if not well_formed or wilayah_registry().get(code) is None:
            raise forms.ValidationError(_("Kode wilayah tidak dikenal."))
        return code


@login_required
def lists(request: AuthedRequest) -> HttpResponse:
    scope = _scope(request)
    form = UploadForm(request.POST or None, request.FILES or None) if scope.can_upload() else None
    if form is not None:  # the list's wilayah by name from the uploader's own areas, not a code to type
        areas = [m.wilayah for m in scope.memberships if m.role in KPU_ROLES]
        form.fields["wilayah"].widget = forms.Select(choices=area_choices(areas))
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            voter_list = _accept_upload(request, scope, form)
            return redirect("voter_list", pk=voter_list.pk)
    return render(request, "voters/lists.html", {"form": form, "lists": scope.voter_lists(VoterList.objects.all())})


def _accept_upload(request: AuthedRequest, scope: Scope, form: UploadForm) -> VoterList:
    upload = form.cleaned_data["file"]
    membership = next(m for m in scope.memberships if m.role in KPU_ROLES)
    folder = Path(settings.UPLOAD_ROOT)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"  # never the user's file name on disk
    with target.open("wb") as f:
        for chunk in upload.chunks():
            f.write(chunk)
    target.chmod(0o600)
    voter_list = VoterList.objects.create(
        organisation=membership.organisation.kpu_office,
        uploaded_by=request.user,
        stage=form.cleaned_data["stage"],
        wilayah=form.cleaned_data["wilayah"],
        source_name=Path(upload.name).name[:255],
        source_path=str(target),
    )
    record(
        "voter_list.uploaded", request=request, obj=voter_list, organisation=voter_list.organisation, bytes=upload.size
    )
    process_upload.enqueue(voter_list.pk)
    return voter_list


def _visible_list(request: HttpRequest, pk: int) -> VoterList:
    return get_object_or_404(_scope(request).voter_lists(VoterList.objects.all()), pk=pk)


def _office_memberships(scope: Scope, voter_list: VoterList) -> list[Membership]:
    """The user's memberships in the list's KPU office or one of its partner Ormas."""
    return [m for m in scope.memberships if m.organisation.kpu_office.pk == voter_list.organisation_id]


def _can_reaudit(scope: Scope, voter_list: VoterList) -> bool:
    """KPU admins of the list's office and its partner Ormas's coordinators may run its audit again."""
    return any(m.role in (Role.KPU_ADMIN, Role.COORDINATOR) for m in _office_memberships(scope, voter_list))


@login_required
def voter_list(request: AuthedRequest, pk: int) -> HttpResponse:
    voter_list = _visible_list(request, pk)
    context = {"voter_list": voter_list, "can_reaudit": _can_reaudit(_scope(request), voter_list)}
    return render(request, "voters/list_detail.html", context)


def _sees_rejects_in_full(scope: Scope, voter_list: VoterList) -> bool:
    """KPU staff of the list's office over its whole wilayah see a rejected row's values as written."""
    return any(
        m.role in KPU_ROLES and voter_list.wilayah.startswith(m.wilayah) for m in _office_memberships(scope, voter_list)
    )


_LONG_NUMBER = re.compile(r"\d{8,}")


def _long_numbers_masked(text: str) -> str:
    """A reason with every run of 8 digits or more cut to its first 6 (as KPU publishes a NIK): a column read in
    the wrong place can put a NIK or NKK where a date or a TPS was expected, and the reason quotes it."""
    return _LONG_NUMBER.sub(lambda m: mask(m[0]), text)


def _where_rejected(sheet: str | None, line: int, pdf: bool) -> str:
    """Where a rejected row is in what was sent: the line; in a ZIP or a workbook, its file or sheet too; in a
    PDF (whose sheet is its page), the page and the row on it."""
    if pdf:
        return _("Halaman %(page)s, baris %(line)s") % {"page": sheet, "line": line}
    if sheet:
        return _("%(sheet)s, baris %(line)s") % {"sheet": sheet, "line": line}
    return _("Baris %(line)s") % {"line": line}


# Rejected rows a page shows: enough to see what went wrong in the file and fix it (a file with more rows that
# wrong is mostly one mistake repeated).
REJECTS_SHOWN = 500


@login_required
def voter_list_rejects(request: AuthedRequest, pk: int) -> HttpResponse:
    """The rows the list's file could not be read from, each with its line (and its file, in a ZIP) and why, so
    that whoever sent it can fix the file. For those who may audit the list again (they sent it, or work with the
    office that did): a reason names a field and the value written there, its long numbers masked but for the
    office's KPU staff (see :func:`_long_numbers_masked`). Every view is recorded."""
    voter_list, scope = _visible_list(request, pk), _scope(request)
    if not _can_reaudit(scope, voter_list):
        raise PermissionDenied
    found = _rejected_rows(voter_list, _sees_rejects_in_full(scope, voter_list))
    rows = found or []
    record("voter_list.rejects_viewed", request=request, obj=voter_list, organisation=voter_list.organisation,
           shown=len(rows))  # fmt: skip
    context = {
        "voter_list": voter_list,
        "rows": rows,
        "kept": found is not None,
        "more": voter_list.rejected - len(rows),
    }
    return render(request, "voters/list_rejects.html", context)


def _rejected_rows(voter_list: VoterList, in_full: bool) -> list[dict[str, object]] | None:
    """The first REJECTS_SHOWN rejected rows of the list's stored copy (where, why), or None where that copy is
    gone (removed, or the upload failed before keeping it)."""
    if not voter_list.rejected:
        return []
    try:
        snapshot = SnapshotStore(Path(settings.SNAPSHOT_ROOT)).get(voter_list.snapshot)
    except KawalError:
        return None
    pdf = snapshot.meta["source"]["format"] == "pdf"
    shown = str if in_full else _long_numbers_masked
    return [
        {"row_no": row_no, "where": shown(_where_rejected(sheet, line or row_no, pdf)), "reason": shown(reason)}
        for sheet, line, row_no, reason in snapshot_rejects(snapshot.rejects_path, REJECTS_SHOWN)
    ]


@login_required
@require_POST
def voter_list_reaudit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Audit ulang: the audit again on the stored snapshot, with the reviewers' answers given since."""
    voter_list = _visible_list(request, pk)
    if not _can_reaudit(_scope(request), voter_list):
        raise PermissionDenied
    # One conditional UPDATE, so two clicks (or two reviewers) cannot start two audits of one list.
    idle = VoterList.objects.filter(pk=pk, status__in=[VoterList.Status.DONE, VoterList.Status.FAILED]).exclude(
        snapshot=""
    )
    if idle.update(status=VoterList.Status.QUEUED, progress=0, step="Menunggu audit ulang"):
        record("voter_list.reaudit", request=request, obj=voter_list, organisation=voter_list.organisation)
        reaudit_list.enqueue(voter_list.pk, request.user.pk)
    return redirect("voter_list", pk=pk)


@login_required
def voter_list_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """The live-progress fragment the list page polls with htmx until the job ends."""
    voter_list = _visible_list(request, pk)
    context = {"voter_list": voter_list, "can_reaudit": _can_reaudit(_scope(request), voter_list)}
    return render(request, "voters/_status.html", context)


class DiffForm(forms.Form):
    old = forms.ModelChoiceField(label=gettext_lazy("Daftar lama"), queryset=VoterList.objects.none())
    new = forms.ModelChoiceField(label=gettext_lazy("Daftar baru"), queryset=VoterList.objects.none())

    def __init__(self, *args: Any, lists: QuerySet[VoterList], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["old"]).queryset = lists
        cast(forms.ModelChoiceField, self.fields["new"]).queryset = lists


COMPARE_SECONDS = 24 * 3600  # a diff of two snapshots, kept


@login_required
def compare(request: AuthedRequest) -> HttpResponse:
    """Who was added, removed and changed between two of the user's lists, by kelurahan of their wilayah."""
    from kawal.engine import SnapshotStore, diff_snapshots

    # Coordinators and KPU only: a diff covers whole kelurahan (nothing a relawan's RT needs) and costs seconds of
    # CPU; each pair of snapshots (never changed once written) is computed once and kept (issue 16).
    scope = _scope(request).with_roles((*KPU_ROLES, Role.COORDINATOR))
    if not scope.memberships:
        raise PermissionDenied
    lists = scope.voter_lists(VoterList.objects.filter(status=VoterList.Status.DONE))
    form = DiffForm(request.GET or None, lists=lists)
    result = None
    if form.is_valid():
        store = SnapshotStore(Path(settings.SNAPSHOT_ROOT))
        old, new = form.cleaned_data["old"].snapshot, form.cleaned_data["new"].snapshot
        key = f"kawal:diff:{old}:{new}"
        diff = cache.get(key)
        if diff is None:
            diff = diff_snapshots(store.get(old), store.get(new))
            cache.set(key, diff, COMPARE_SECONDS)
        areas = [m.wilayah for m in scope.memberships if m.rw is None]
        rows = [k for k in diff.by_kelurahan if k.kode_kelurahan and any(k.kode_kelurahan.startswith(a) for a in areas)]
        result = {"diff": diff, "rows": rows}
        record("voter_list.compared", request=request, old=form.cleaned_data["old"].pk, new=form.cleaned_data["new"].pk)
    return render(request, "voters/compare.html", {"form": form, "result": result})


# --- findings ------------------------------------------------------------------------------------------------


class FindingFilter(forms.Form):
    check = forms.ChoiceField(label=gettext_lazy("Pemeriksaan"), required=False)
    kecamatan = PlaceField(digits=6, label=gettext_lazy("Kecamatan"), required=False)
    kelurahan = PlaceField(digits=10, label=gettext_lazy("Kelurahan"), required=False)
    rw = forms.IntegerField(label="RW", required=False, min_value=0, max_value=999)
    rt = forms.IntegerField(label="RT", required=False, min_value=0, max_value=999)
    tps = forms.IntegerField(label="TPS", required=False, min_value=1, max_value=999)
    cluster = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, areas: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["check"]).choices = [("", _("— semua —")), *check_choices()]
        cast(PlaceField, self.fields["kecamatan"]).choices = place_choices(list(areas), 6)
        cast(PlaceField, self.fields["kelurahan"]).choices = place_choices(list(areas), 10)

    def apply(self, queryset: QuerySet[Finding]) -> QuerySet[Finding]:
        data = self.cleaned_data
        if data.get("check"):
            queryset = queryset.filter(check_code=data["check"])
        if data.get("cluster"):
            queryset = queryset.filter(cluster=data["cluster"])
        place = data.get("kelurahan") or data.get("kecamatan")
        if place:
            queryset = queryset.filter(kode_kelurahan__startswith=place)
        for field in ("rw", "rt", "tps"):
            if data.get(field) is not None:
                queryset = queryset.filter(**{field: data[field]})
        return queryset


@login_required
def findings(request: AuthedRequest) -> HttpResponse:
    scope = _scope(request)
    form = FindingFilter(request.GET or None, areas=[m.wilayah for m in scope.memberships])
    queryset = scope.findings(Finding.unscoped.select_related("voter"))
    if form.is_valid():
        queryset = form.apply(queryset)
    page = Paginator(queryset.order_by("check_code", "kode_kelurahan", "tps", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    role = scope.highest_role
    if not person_views.allow(request, role, len({f.voter_id for f in page if f.voter_id})):  # each name counts
        return render(request, "voters/person_limit.html", {"limit": person_views.limit_for(role)}, status=429)
    names = wilayah_registry().names({f.kode_kelurahan for f in page})
    rows = [(f, names.get(f.kode_kelurahan, "")) for f in page]
    can_review = any(m.role in (*KPU_ROLES, Role.COORDINATOR) for m in scope.memberships)
    check = form.cleaned_data.get("check") if form.is_bound and form.is_valid() else ""
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "breakdown": _breakdown(queryset, form, request),
        "can_review": can_review,
        "coverage": _coverage(scope, check or ""),
        "statuses": Finding.Status.choices,
        "query": request.GET.urlencode(),
        "undo": _undo_banner(request),
    }
    return render(request, "voters/findings.html", context)


def _words(message: tuple[str, str]) -> str:
    """An engine message (Indonesian, English) in the page's language."""
    return message[1] if (get_language() or "id").startswith("en") else message[0]


def _coverage(scope: Scope, check: str) -> list[dict]:
    """Per list the user sees, from its current audit's summary: per check (or only ``check``), how many rows it
    could check and why not the others. Counts over the whole list, no personal data; audits made before the
    summary had them are left out."""
    lists = scope.voter_lists(VoterList.objects.filter(status=VoterList.Status.DONE))
    runs = AuditRun.objects.filter(voter_list__in=lists, superseded_at=None).select_related("voter_list")
    result = []
    for run in runs.order_by("-created_at")[:5]:
        audited = run.summary.get("audited", 0)
        checks = [
            {
                "code": code,
                "checkable": c["checkable_rows"],
                "missing": audited - c["checkable_rows"],
                "reasons": [(n, _words(NOT_CHECKABLE.get(key, (key, key)))) for key, n in c["not_checkable"].items()],
            }
            for code, c in run.summary.get("checks", {}).items()
            if "checkable_rows" in c and (not check or code == check)
        ]
        if checks:
            missing = any(c["missing"] for c in checks)
            struck = run.summary.get("sudah_tms", 0)
            result.append(
                {"list": run.voter_list, "audited": audited, "checks": checks, "open": missing, "struck": struck}
            )
    return result


DRILL = (  # the filter already set -> the column to break findings down by, and the filter a click sets
    ("tps", None, None),
    ("rt", "tps", "tps"),
    ("rw", "rt", "rt"),
    ("kelurahan", "rw", "rw"),
    ("kecamatan", "kode_kelurahan", "kelurahan"),
    (None, "kecamatan_code", "kecamatan"),
)


def _breakdown(queryset: QuerySet[Finding], form: FindingFilter, request: HttpRequest) -> dict | None:
    """Findings counted one level down from the current filter: kota > kecamatan > kelurahan > RW > RT > TPS."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    _set, column, sets = next(step for step in DRILL if step[0] is None or data.get(step[0]) not in (None, ""))
    if column is None or sets is None:  # the two are None together (DRILL's first step)
        return None
    if column == "kecamatan_code":
        queryset = queryset.annotate(kecamatan_code=Substr("kode_kelurahan", 1, 6))
    counts = list(queryset.values(column).annotate(n=Count("id")).order_by(column))
    labels = (
        wilayah_registry().names({str(r[column]) for r in counts})
        if column in ("kecamatan_code", "kode_kelurahan")
        else {}
    )
    query = request.GET.copy()
    query.pop("page", None)
    rows = []
    for r in counts:
        value = r[column]
        if value in (None, ""):
            continue
        query[sets] = value
        prefix = {"rw": "RW ", "rt": "RT ", "tps": "TPS "}.get(column, "")
        label = labels.get(str(value)) or (f"{prefix}{value:03d}" if isinstance(value, int) else str(value))
        code = str(value) if column in ("kecamatan_code", "kode_kelurahan") else ""  # names first, code beside
        rows.append({"label": label, "code": code, "n": r["n"], "query": query.urlencode()})
    return {"level": sets, "rows": rows}


@login_required
def finding_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """A coordinator or KPU member moves a finding along (new, verifying, confirmed, dismissed); logged."""
    if request.method != "POST":
        raise Http404
    scope = _scope(request)
    finding = get_object_or_404(scope.findings(Finding.unscoped.all()), pk=pk)
    role = scope.role_for(finding.kode_kelurahan, finding.rw, finding.rt)
    if role not in (*KPU_ROLES, Role.COORDINATOR):
        raise PermissionDenied
    new = request.POST.get("status", "")
    if new not in Finding.Status.values:
        return HttpResponse(_("Status tidak dikenal."), status=400)
    old, finding.status = finding.status, new
    finding.save(update_fields=["status"])
    record("finding.status", request=request, obj=finding, old=old, new=new)
    if request.headers.get("HX-Request"):
        return render(request, "voters/_finding_status.html", {"f": finding, "can_review": True})
    return redirect(request.META.get("HTTP_REFERER") or "findings")


REVIEWERS = (*KPU_ROLES, Role.COORDINATOR)
UNDO_MINUTES = 15  # how long "Urungkan" is offered after a bulk change


def _reviewable(request: HttpRequest) -> QuerySet[Finding]:
    """Findings this user may change: only where they are a coordinator or KPU staff, never as a relawan."""
    return _scope(request).with_roles(REVIEWERS).findings(Finding.unscoped.all())


def _bulk_targets(request: HttpRequest, reviewable: QuerySet[Finding]) -> QuerySet[Finding]:
    """The rows ticked on the page, or every finding the page's filter matches ("semua di saringan ini")."""
    if request.POST.get("scope") != "all":
        ids = [int(i) for i in request.POST.getlist("finding") if i.isdigit()]
        return reviewable.filter(pk__in=ids)
    query = QueryDict(request.POST.get("query", ""))
    if not query:
        return reviewable  # no filter: everything the user reviews, as the page listed it
    form = FindingFilter(query, areas=[m.wilayah for m in _scope(request).memberships])
    return form.apply(reviewable) if form.is_valid() else reviewable.none()  # a garbled filter changes nothing


@login_required
@require_POST
def finding_bulk(request: AuthedRequest) -> HttpResponse:
    """Change the status of many findings at once. What each row was goes into the session, so the next page
    offers "Urungkan" for a while; the change and its undo are logged with counts only."""
    reviewable = _reviewable(request)
    new = request.POST.get("status", "")
    if new not in Finding.Status.values:
        return HttpResponse(_("Status tidak dikenal."), status=400)
    changed: dict[str, list[int]] = {}
    for pk, old in _bulk_targets(request, reviewable).exclude(status=new).values_list("pk", "status"):
        changed.setdefault(old, []).append(pk)
    count = sum(len(ids) for ids in changed.values())
    if count:
        for ids in changed.values():
            _update_in_chunks(reviewable, ids, new)
        record("finding.status_bulk", request=request, new=new, count=count)
    request.session["finding_undo"] = {
        "token": uuid.uuid4().hex,
        "new": new,
        "changed": changed,
        "count": count,
        "until": (timezone.now() + timedelta(minutes=UNDO_MINUTES)).isoformat(),
    }
    return redirect(f"{reverse('findings')}?{request.POST.get('query', '')}")


@login_required
@require_POST
def finding_bulk_undo(request: AuthedRequest) -> HttpResponse:
    """Put back what the last bulk change changed, except rows someone has moved on since."""
    undo = request.session.get("finding_undo") or {}
    if not undo or request.POST.get("token") != undo.get("token") or not _undo_open(undo):
        return HttpResponse(_("Perubahan ini tidak bisa diurungkan lagi."), status=409)
    reviewable = _reviewable(request).filter(status=undo["new"])
    restored = sum(_update_in_chunks(reviewable, ids, old) for old, ids in undo["changed"].items())
    record("finding.status_bulk_undo", request=request, count=restored)
    request.session["finding_undo"] = {"restored": restored, "done": True}
    return redirect(f"{reverse('findings')}?{request.POST.get('query', '')}")


def _update_in_chunks(findings: QuerySet[Finding], ids: list[int], status: str, size: int = 5000) -> int:
    """Set ``status`` on the rows of ``findings`` among ``ids``, a few thousand ids per query: a whole city's
    findings in one ``IN (…)`` would pass SQLite's limit on query parameters."""
    return sum(findings.filter(pk__in=ids[i : i + size]).update(status=status) for i in range(0, len(ids), size))


def _undo_open(undo: dict) -> bool:
    until = undo.get("until")
    if not until:
        return False
    return timezone.now() < datetime.fromisoformat(until)


def _undo_banner(request: HttpRequest) -> dict | None:
    """What the findings page says about the last bulk change: the undo offer while it lasts, or the result of
    an undo once (then it is gone)."""
    undo = request.session.get("finding_undo")
    if not undo:
        return None
    if undo.get("done"):
        del request.session["finding_undo"]
        return undo
    if not _undo_open(undo):
        del request.session["finding_undo"]
        return None
    return {**undo, "label": Finding.Status(undo["new"]).label}


@login_required
@require_POST
def finding_send(request: AuthedRequest, pk: int) -> HttpResponse:
    """ "Kirim ke relawan" from a finding: its household becomes a visit for the relawan of that RT."""
    finding = get_object_or_404(_reviewable(request).exclude(voter=None).select_related("voter__voter_list"), pk=pk)
    voter = cast(Voter, finding.voter)  # rows without a voter were excluded above
    return _sent(request, send_household(voter, [finding], _scope(request).with_roles(REVIEWERS)))


@login_required
@require_POST
def voter_send(request: AuthedRequest, pk: int) -> HttpResponse:
    """ "Kirim ke relawan" from a person's page, with the person's open findings."""
    reviewer = _scope(request).with_roles(REVIEWERS)
    voter = get_object_or_404(reviewer.voters(Voter.unscoped.select_related("voter_list")), pk=pk)
    findings = list(reviewer.findings(Finding.unscoped.filter(voter=voter, status=Finding.Status.OPEN)))
    return _sent(request, send_household(voter, findings, reviewer))


def _sent(request: HttpRequest, task: FieldTask) -> HttpResponse:
    record("task.sent", request=request, obj=task, assigned=task.assigned_to_id is not None)
    if task.assigned_to_id:
        messages.success(
            request, _("Dikirim ke relawan %(name)s.") % {"name": cast("User", task.assigned_to).get_username()}
        )
    else:
        messages.warning(request, _("Belum ada relawan untuk RT ini: pilih relawan di sini."))
    return redirect("task_edit", pk=task.pk)


# --- one person ----------------------------------------------------------------------------------------------


def _age_today(voter: Voter) -> int | None:
    if voter.tanggal_lahir is None:
        return voter.usia
    today = date.today()
    born = voter.tanggal_lahir
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@login_required
def voter_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    voter = scope.voters(Voter.unscoped.select_related("voter_list")).filter(pk=pk).first()
    if voter is None:
        raise Http404
    role = scope.role_for(voter.kode_kelurahan, voter.rw, voter.rt)
    if not person_views.allow(request, role):
        return render(request, "voters/person_limit.html", {"limit": person_views.limit_for(role)}, status=429)
    full = role in KPU_ROLES
    context = {
        "voter": voter,
        "role": role,
        "full": full,
        "visit_only": role == Role.RELAWAN,
        "nik": decrypt(voter.nik_encrypted) if full else voter.nik_masked,
        "nkk": decrypt(voter.nkk_encrypted) if full else voter.nkk_masked,
        "findings": scope.findings(Finding.unscoped.filter(voter=voter)).order_by("check_code"),  # relawan masking
        "kelurahan": wilayah_registry().names({voter.kode_kelurahan}).get(voter.kode_kelurahan, ""),
        "age": _age_today(voter),
        "can_send": role in REVIEWERS,
    }
    record("voter.viewed_full" if full else "voter.viewed", request=request, obj=voter, role=str(role))
    return render(request, "voters/voter_detail.html", context)


# --- voter search: "is X registered?" --------------------------------------------------------------------------

SEARCH_LIMIT = 20  # a search answers "is this person listed?", it is not a way to read a kelurahan


class VoterSearch(forms.Form):
    nama = forms.CharField(label=gettext_lazy("Nama"), required=False, min_length=3, max_length=100)
    kelurahan = PlaceField(digits=10, label=gettext_lazy("Kelurahan"), required=False)
    tps = forms.IntegerField(label="TPS", required=False, min_value=1, max_value=999)
    nik = forms.RegexField(
        label=gettext_lazy("NIK (16 angka)"), regex=r"^\d{16}$", required=False, widget=forms.TextInput
    )

    def __init__(self, *args: Any, areas: Sequence[str] = (), with_nik: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PlaceField, self.fields["kelurahan"]).choices = place_choices(list(areas), 10)
        self.fields["nik"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        if not with_nik:
            del self.fields["nik"]

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data, never None
        if not (data.get("nama") or data.get("nik")):
            raise forms.ValidationError(_("Isi nama (paling sedikit 3 huruf) atau NIK."))
        return data

    def apply(self, queryset: QuerySet[Voter]) -> QuerySet[Voter]:
        data = self.cleaned_data
        if data.get("nik"):
            queryset = queryset.filter(nik_hash=keyed_hash(data["nik"]))
        if data.get("nama"):
            queryset = queryset.filter(nama__icontains=data["nama"].strip())
        if data.get("kelurahan"):
            queryset = queryset.filter(kode_kelurahan__startswith=data["kelurahan"])
        if data.get("tps") is not None:
            queryset = queryset.filter(tps=data["tps"])
        return queryset


@login_required
def voter_search(request: AuthedRequest) -> HttpResponse:
    """Find a person by name (with kelurahan and TPS to narrow it down), and by NIK for KPU staff. The form is
    posted, never a GET: names and NIKs stay out of URLs, browser history and server logs. Each person shown
    counts toward the role's hourly limit, as a person page would."""
    scope = _scope(request)
    if scope.empty:
        raise PermissionDenied
    role = scope.highest_role
    areas = [m.wilayah for m in scope.memberships]
    form = VoterSearch(request.POST or None, areas=areas, with_nik=role in KPU_ROLES)
    found, more = None, False
    if request.method == "POST" and form.is_valid():
        loaded = scope.voters(Voter.unscoped.filter(voter_list__status=VoterList.Status.DONE))
        rows = list(form.apply(loaded).select_related("voter_list").order_by("nama", "pk")[: SEARCH_LIMIT + 1])
        more, rows = len(rows) > SEARCH_LIMIT, rows[:SEARCH_LIMIT]
        if not person_views.allow(request, role, len(rows)):
            return render(request, "voters/person_limit.html", {"limit": person_views.limit_for(role)}, status=429)
        names = wilayah_registry().names({v.kode_kelurahan for v in rows})
        found = [(v, names.get(v.kode_kelurahan, v.kode_kelurahan)) for v in rows]
        # who looked people up, how and how many were shown; never the name or NIK searched for
        record("voter.search", request=request, by_nik=bool(form.cleaned_data.get("nik")), shown=len(rows))
    context = {"form": form, "found": found, "more": more, "limit": SEARCH_LIMIT}
    return render(request, "voters/search.html", context)
