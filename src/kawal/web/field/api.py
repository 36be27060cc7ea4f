"""``/api/v1/tasks`` and ``/api/v1/tasks/{id}/visits``: field visits. The phone caches its open tasks and its
offline queue posts visits here; a retry with the same ``client_id`` is a no-op."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import Field

from kawal.web.api_types import BirthDate, Id, Latitude, Longitude, Moment, PhotoRefSchema, scope_of, text, user_of
from kawal.web.field.models import FieldTask
from kawal.web.field.visits import MAX_RESIDENTS, CheckIn, NewVoterIn, PhotoRef, VisitError, VisitIn, record_visit

router = Router(tags=["field"])  # mounted at the API's root: the paths below are written in full


def assigned_tasks(request: HttpRequest) -> QuerySet[FieldTask]:
    """Tasks assigned to the user that still lie in an area of an active membership: a deactivated relawan keeps
    the assignment on record but can neither read the household nor report on it."""
    return scope_of(request).tasks(FieldTask.unscoped.filter(assigned_to=user_of(request)))


class TaskOut(Schema):
    id: int
    alamat: str
    kode_kelurahan: str
    rw: int | None
    rt: int | None
    tps: int | None
    deadline: date | None
    status: str
    voters: list[dict]


class CheckSchema(Schema):
    voter_id: Id
    outcome: Annotated[str, text(16)]
    # A code of the TMS table of the task's list's election (visits.tms_for; 1-8 in 2024), checked when the visit
    # is recorded, with a message naming that table's codes. 0-99 here only bounds the number: the keterangan
    # codes 90-97 of TPS lokasi khusus are no TMS reason and are refused unless an election's table lists them.
    tms: Annotated[int, Field(ge=0, le=99)] | None = None
    field: Annotated[str, text(32)] = ""
    value: Annotated[str, text(200)] = ""
    note: Annotated[str, text(2000)] = ""


class NewVoterSchema(Schema):
    nama: Annotated[str, text(200)]
    nik: Annotated[str, text(32)] = ""
    tanggal_lahir: BirthDate | None = None
    alamat: Annotated[str, text(255)] = ""
    nkk: Annotated[str, text(32)] = ""  # the rest: what the PPS needs to add the person (kawal.engine.new_voter)
    tempat_lahir: Annotated[str, text(100)] = ""
    jenis_kelamin: Annotated[str, text(1)] = ""
    status_kawin: Annotated[str, text(1)] = ""
    rt: Annotated[int, Field(ge=0, le=999)] | None = None
    rw: Annotated[int, Field(ge=0, le=999)] | None = None
    disabilitas: Annotated[list[Annotated[int, Field(ge=0, le=99)]], Field(max_length=6)] = []
    ktp_el: Annotated[str, text(1)] = ""


class VisitSchema(Schema):
    client_id: uuid.UUID
    recorded_at: Moment
    pantarlih_visited: Annotated[str, text(12)]
    sticker: Annotated[str, text(12)]
    joki: Annotated[str, text(12)] = (
        ""  # Bawaslu's coklit categories: someone else did it; SK/ID shown; the Pantarlih's date
    )
    sk_shown: Annotated[str, text(12)] = ""
    pantarlih_date: BirthDate | None = None  # the same bounds: 1900 to 2100
    residents: Annotated[int, Field(ge=0, le=MAX_RESIDENTS)] | None = None
    note: Annotated[str, text(2000)] = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    checks: Annotated[list[CheckSchema], Field(max_length=100)] = []
    new_voters: Annotated[list[NewVoterSchema], Field(max_length=50)] = []
    photos: Annotated[list[PhotoRefSchema], Field(max_length=50)] = []
    supersedes: Id | None = None  # a correction: the author's own visit, not yet approved or rejected


class VisitReceipt(Schema):
    id: int
    client_id: uuid.UUID
    created: bool


@router.get("/tasks", response=list[TaskOut])
def my_tasks(request: HttpRequest) -> list[dict]:
    """The signed-in relawan's open tasks with the voters to check: what the phone caches for offline work.
    (Plain rows, three queries: phones ask for this every time they come online.)"""
    columns = ("id", "alamat", "kode_kelurahan", "rw", "rt", "tps", "deadline", "status")
    tasks = list(assigned_tasks(request).filter(status=FieldTask.Status.OPEN).order_by("pk").values(*columns))
    voters: dict[int, dict[int, dict]] = {t["id"]: {} for t in tasks}
    links = FieldTask.findings.through.objects.filter(fieldtask_id__in=voters, finding__voter__isnull=False)
    fields = ("fieldtask_id", "finding__voter_id", "finding__voter__nama", "finding__voter__nik_masked")
    for task_id, voter_id, nama, nik, usia in links.values_list(*fields, "finding__voter__usia"):
        voters[task_id][voter_id] = {"id": voter_id, "nama": nama, "nik": nik, "usia": usia}
    return [{**t, "voters": list(voters[t["id"]].values())} for t in tasks]


@router.post("/tasks/{task_id}/visits", response={200: VisitReceipt, 201: VisitReceipt})
def submit_visit(request: HttpRequest, task_id: Path[Id], payload: VisitSchema) -> Status:
    task = get_object_or_404(assigned_tasks(request), pk=task_id)
    data = VisitIn(
        client_id=str(payload.client_id),
        recorded_at=payload.recorded_at,
        pantarlih_visited=payload.pantarlih_visited,
        sticker=payload.sticker,
        joki=payload.joki,
        sk_shown=payload.sk_shown,
        pantarlih_date=payload.pantarlih_date,
        residents=payload.residents,
        note=payload.note,
        latitude=payload.latitude,
        longitude=payload.longitude,
        supersedes=payload.supersedes,
        checks=tuple(CheckIn(**c.dict()) for c in payload.checks),
        new_voters=tuple(NewVoterIn(**{**p.dict(), "disabilitas": tuple(p.disabilitas)}) for p in payload.new_voters),
        photos=tuple(PhotoRef(str(p.client_id), p.voter_id) for p in payload.photos),
    )
    try:
        visit, created = record_visit(task, user_of(request), data)
    except VisitError as error:
        raise HttpError(422, str(error)) from None
    return Status(201 if created else 200, VisitReceipt(id=visit.pk, client_id=visit.client_id, created=created))
