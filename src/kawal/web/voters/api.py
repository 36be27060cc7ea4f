"""``/api/v1/lists``, ``/findings``, ``/voters/{id}``, ``/summary``: the lists, findings and people the pages show,
with the same scoping and the same hourly limit on people viewed."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.db.models import Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from kawal.web.accounts import person_views
from kawal.web.accounts.models import KPU_ROLES, Role
from kawal.web.actionlog.models import record
from kawal.web.api_types import Bounded, Code, Id, scope_of
from kawal.web.crypto import decrypt
from kawal.web.voters.models import Finding, Voter, VoterList

router = Router(tags=["voters"])  # mounted at the API's root: the paths below are written in full
MAX_PAGE = 500


class VoterListOut(Schema):
    id: int
    stage: str
    wilayah: str
    source_name: str
    status: str
    progress: int
    rows_in: int
    loaded: int
    rejected: int


class FindingOut(Schema):
    id: int
    check: str
    tms: int | None
    cluster: str
    kode_kelurahan: str
    rw: int | None
    rt: int | None
    tps: int | None
    detail: str
    voter_id: int | None


class FindingPage(Schema):
    count: int
    results: list[FindingOut]


class FindingFilters(Schema):
    check: Annotated[str, Field(max_length=40, pattern=r"^[A-Z_]*$")] | None = None
    wilayah: Code | None = None
    rw: Bounded | None = None
    rt: Bounded | None = None
    tps: Bounded | None = None
    offset: Annotated[int, Field(ge=0, le=10**9)] = 0
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 100


class VoterOut(Schema):
    id: int
    record_id: str
    nama: str
    usia: int | None
    tanggal_lahir: date | None
    alamat: str
    kode_kelurahan: str
    rw: int | None
    rt: int | None
    tps: int | None
    nik: str
    nkk: str | None
    view: str  # full, masked or visit


class Summary(Schema):
    voters: int
    findings: dict[str, int]


@router.get("/lists", response=list[VoterListOut])
def lists(request: HttpRequest) -> list[VoterList]:
    return list(scope_of(request).voter_lists(VoterList.objects.all()))


@router.get("/findings", response=FindingPage)
def findings(request: HttpRequest, filters: Query[FindingFilters]) -> dict:
    queryset = scope_of(request).findings(Finding.unscoped.all())
    if filters.check:
        queryset = queryset.filter(check_code=filters.check)
    if filters.wilayah:
        queryset = queryset.filter(kode_kelurahan__startswith=filters.wilayah)
    for field in ("rw", "rt", "tps"):
        if getattr(filters, field) is not None:
            queryset = queryset.filter(**{field: getattr(filters, field)})
    limit = max(1, min(filters.limit, MAX_PAGE))
    page = list(queryset.order_by("id")[filters.offset : filters.offset + limit])
    _count_people(request, {f.voter_id for f in page if f.voter_id})  # a page of findings is that many people
    results = [
        FindingOut(
            id=f.pk,
            check=f.check_code,
            tms=f.tms,
            cluster=f.cluster,
            kode_kelurahan=f.kode_kelurahan,
            rw=f.rw,
            rt=f.rt,
            tps=f.tps,
            detail=f.detail,
            voter_id=f.voter_id,
        )
        for f in page
    ]
    return {"count": queryset.count(), "results": results}


def _count_people(request: HttpRequest, voter_ids: set[int]) -> None:
    """Count the people a list shows against the account's hourly limit (of its highest role); 429 past it."""
    role = scope_of(request).highest_role
    if not person_views.allow(request, role, len(voter_ids)):
        raise HttpError(429, f"batas {person_views.limit_for(role)} data orang per jam tercapai")


@router.get("/voters/{voter_id}", response=VoterOut)
def voter(request: HttpRequest, voter_id: Path[Id]) -> VoterOut:
    scope = scope_of(request)
    found = get_object_or_404(scope.voters(Voter.unscoped.all()), pk=voter_id)
    role = scope.role_for(found.kode_kelurahan, found.rw, found.rt)
    if role is None:
        raise HttpError(404, "Not found")
    if not person_views.allow(request, role):
        raise HttpError(429, f"batas {person_views.limit_for(role)} data orang per jam tercapai")
    full, visit = role in KPU_ROLES, role == Role.RELAWAN
    record("voter.viewed_full" if full else "voter.viewed", request=request, obj=found, role=str(role), via="api")
    return VoterOut(
        id=found.pk,
        record_id=found.record_id,
        nama=found.nama,
        usia=found.usia,
        tanggal_lahir=None if visit else found.tanggal_lahir,
        alamat=found.alamat,
        kode_kelurahan=found.kode_kelurahan,
        rw=found.rw,
        rt=found.rt,
        tps=found.tps,
        nik=decrypt(found.nik_encrypted) if full else found.nik_masked,
        nkk=None if visit else (decrypt(found.nkk_encrypted) if full else found.nkk_masked),
        view="full" if full else "visit" if visit else "masked",
    )


@router.get("/summary", response=Summary)
def summary(request: HttpRequest, wilayah: Code = "") -> dict:
    scope = scope_of(request)
    voters = scope.voters(Voter.unscoped.filter(kode_kelurahan__startswith=wilayah))
    found = scope.findings(Finding.unscoped.filter(kode_kelurahan__startswith=wilayah))
    per_check = dict(found.values_list("check_code").annotate(n=Count("id")).order_by())
    return {"voters": voters.count(), "findings": per_check}
