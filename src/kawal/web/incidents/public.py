"""The public page: verified incidents per kecamatan and category, as a table, a list and a map. No names, no
descriptions, no kelurahan, TPS or position: only the category, the kecamatan and the day."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr, TruncDate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kawal.web.incidents import categories
from kawal.web.incidents.models import VERIFIED, Report
from kawal.web.voters import maps
from kawal.wilayah import registry


def verified() -> QuerySet[Report]:
    return Report.unscoped.filter(status__in=VERIFIED, merged_into=None)


def counts() -> dict[str, dict[str, int]]:
    """kecamatan code -> category code -> verified incidents (one query)."""
    rows = (
        verified()
        .annotate(kecamatan=Substr("kode_kelurahan", 1, 6))
        .values_list("kecamatan", "category")
        .annotate(n=Count("id"))
        .order_by()
    )
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for kecamatan, category, n in rows:
        table[kecamatan][category] = n
    return table


def public(request: HttpRequest) -> HttpResponse:
    table = counts()
    names = registry().names(set(table))
    cats = categories.categories()
    used = [c for c in cats if any(c.code in row for row in table.values())]
    rows: list[dict[str, Any]] = [
        {
            "kode": kode,
            "nama": names.get(kode, kode),
            "cells": [table[kode].get(c.code, 0) for c in used],
            "total": sum(table[kode].values()),
        }
        for kode in sorted(table)
    ]
    totals = {kode: float(sum(row.values())) for kode, row in table.items()}
    recent = (
        verified()
        .annotate(day=TruncDate("incident_at"), kecamatan=Substr("kode_kelurahan", 1, 6))
        .values("day", "kecamatan", "category")
        .order_by("-day", "kecamatan")[:100]
    )
    listed = [
        {
            "day": r["day"],
            "kecamatan": names.get(r["kecamatan"], r["kecamatan"]),
            "category": categories.label(r["category"]),
        }
        for r in recent
    ]
    context = {
        "categories": used,
        "rows": rows,
        "total": sum(r["total"] for r in rows),
        "listed": listed,
        "map": maps.choropleth({s.kode: totals.get(s.kode[:6]) for s in maps.shapes()[0]}),
    }
    return render(request, "incidents/public.html", context)
