"""Coklit oversight in Bawaslu's 2024 categories, from the households relawan visited: the Pantarlih did not come
in person, someone else did the coklit ("joki"), the Pantarlih showed no SK or ID, no sticker on the house.

Each household counts once, by its latest visit that was not rejected. A rate is over the households that
answered that question (yes or no); "don't know" and visits made before the question existed are left out and
the count of answers is shown beside each rate. Per kelurahan and kecamatan, as a table, a map, CSV and PDF for
Bawaslu and KPU. No personal data: households are counted, never named.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kawal.web.accounts.models import KPU_ROLES, Role
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import record
from kawal.web.field.models import FieldTask, Visit
from kawal.web.voters import maps
from kawal.wilayah import registry as wilayah_registry

if TYPE_CHECKING:
    from kawal.web.types import AuthedRequest

# Bawaslu's national coklit oversight figures for Pilkada 2024 (issue 17; ../shared/DOMAIN.md), for context.
BAWASLU_2024 = {"not_in_person": 429, "joki": 74, "no_sk": 156, "no_sticker": 17_050}
YES, NO = Visit.Seen.YES, Visit.Seen.NO
# category: (label, the field, the answer that is a finding)
CATEGORIES = {
    "not_in_person": (_("Pantarlih tidak datang sendiri"), "pantarlih_visited", NO),
    "joki": (_("Coklit oleh orang lain (joki)"), "joki", YES),
    "no_sk": (_("Pantarlih tidak menunjukkan SK/tanda pengenal"), "sk_shown", NO),
    "no_sticker": (_("Rumah tanpa stiker coklit"), "sticker", NO),
}


@dataclass
class Unit:
    kode: str
    nama: str = ""
    households: int = 0
    found: dict[str, int] = field(default_factory=dict)
    answered: dict[str, int] = field(default_factory=dict)

    def rate(self, key: str) -> float | None:
        return self.found.get(key, 0) / self.answered[key] if self.answered.get(key) else None

    def add(self, other: Unit) -> None:
        self.households += other.households
        for key in CATEGORIES:
            self.found[key] = self.found.get(key, 0) + other.found.get(key, 0)
            self.answered[key] = self.answered.get(key, 0) + other.answered.get(key, 0)


def households(tasks: QuerySet) -> QuerySet:
    """One visit per household: the latest not rejected (nor replaced by a correction)."""
    visits = Visit.unscoped.filter(task__in=tasks, superseded_by__isnull=True).exclude(review=Visit.Review.REJECTED)
    newest = visits.values("task").annotate(last=Max("pk")).values("last")
    return Visit.unscoped.filter(pk__in=newest)


def per_kelurahan(tasks: QuerySet) -> dict[str, Unit]:
    counts = {"households": Count("id")}
    for key, (_label, name, finding) in CATEGORIES.items():
        counts[f"f_{key}"] = Count("id", filter=Q(**{name: finding}))
        counts[f"a_{key}"] = Count("id", filter=Q(**{f"{name}__in": (YES, NO)}))
    rows = households(tasks).values("task__kode_kelurahan").annotate(**counts).order_by("task__kode_kelurahan")
    units = {}
    for row in rows:
        unit = Unit(row["task__kode_kelurahan"], households=row["households"])
        unit.found = {key: row[f"f_{key}"] for key in CATEGORIES}
        unit.answered = {key: row[f"a_{key}"] for key in CATEGORIES}
        units[unit.kode] = unit
    return units


def per_kecamatan(kelurahan: dict[str, Unit]) -> dict[str, Unit]:
    out: dict[str, Unit] = {}
    for unit in kelurahan.values():
        out.setdefault(unit.kode[:6], Unit(unit.kode[:6])).add(unit)
    return out


def report(request: HttpRequest) -> tuple[dict[str, Unit], dict[str, Unit], Unit]:
    scope = Scope.for_user(request.user).with_roles((*KPU_ROLES, Role.COORDINATOR))
    if scope.empty:
        raise PermissionDenied
    kelurahan = per_kelurahan(scope.tasks(FieldTask.unscoped.all()))
    kecamatan = per_kecamatan(kelurahan)
    names = wilayah_registry().names(set(kelurahan) | set(kecamatan))
    total = Unit("")
    for unit in (*kelurahan.values(), *kecamatan.values()):
        unit.nama = names.get(unit.kode, unit.kode)
    for unit in kecamatan.values():
        total.add(unit)
    return kelurahan, kecamatan, total


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.1f}%".replace(".", ",")


def table_rows(units: dict[str, Unit]) -> list[list[str]]:
    out = []
    for unit in sorted(units.values(), key=lambda u: u.kode):
        cells = [unit.kode, unit.nama, str(unit.households)]
        for key in CATEGORIES:
            cells += [str(unit.found.get(key, 0)), str(unit.answered.get(key, 0)), _percent(unit.rate(key))]
        out.append(cells)
    return out


# The page's column headers, in the reader's language (lazy: translated when shown).
HEADERS = [_("Kode"), _("Wilayah"), _("Rumah dikunjungi")] + [
    format_lazy("{} — {}", label, part)
    for label, _f, _v in CATEGORIES.values()
    for part in (_("jumlah"), _("menjawab"), _("persen"))
]


def export_headers() -> list[str]:
    """The same columns for the CSV and PDF exports, always in Indonesian: KPU's and Bawaslu's working language."""
    with translation.override("id"):
        return [str(h) for h in HEADERS]


@login_required
def oversight_page(request: AuthedRequest) -> HttpResponse:
    kelurahan, kecamatan, total = report(request)
    shown = request.GET.get("peta", "no_sticker")
    shown = shown if shown in CATEGORIES else "no_sticker"
    context = {
        "kecamatan": table_rows(kecamatan),
        "kelurahan": table_rows(kelurahan),
        "total": total,
        "totals": [
            (
                CATEGORIES[k][0],
                total.found.get(k, 0),
                total.answered.get(k, 0),
                _percent(total.rate(k)),
                BAWASLU_2024[k],
            )
            for k in CATEGORIES
        ],
        "headers": HEADERS,
        "categories": [(k, v[0]) for k, v in CATEGORIES.items()],
        "shown": shown,
        "map": maps.choropleth({k: u.rate(shown) for k, u in kelurahan.items()}),
    }
    return render(request, "field/oversight.html", context)


@login_required
def oversight_export(request: AuthedRequest, kind: str) -> HttpResponse:
    kelurahan, kecamatan, _total = report(request)
    lines = [["Kecamatan"], *table_rows(kecamatan), [], ["Kelurahan"], *table_rows(kelurahan)]
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(export_headers())
        writer.writerows(lines)
        body, mime = buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8"
    elif kind == "pdf":
        body, mime = _pdf(lines), "application/pdf"
    else:
        raise Http404
    record("oversight.exported", request=request, kind=kind)
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="pengawasan-coklit.{kind}"'
    return response


def _pdf(lines: list[list[str]]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["BodyText"], fontSize=6, leading=7)
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4), pageCompression=0, leftMargin=20, rightMargin=20)
    headers = export_headers()
    width = len(headers)
    data = [[Paragraph(escape(v), small) for v in (line + [""] * width)[:width]] for line in [headers, *lines]]
    table = Table(data, repeatRows=1, colWidths=[48, 80, 40] + [52] * (width - 3))
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey)]))
    title = "PENGAWASAN COKLIT: RUMAH YANG DIKUNJUNGI RELAWAN (KATEGORI BAWASLU 2024)"
    document.build([Paragraph(title, styles["Heading2"]), table])
    return buffer.getvalue()
