"""The versioned JSON API (``/api/v1/``, OpenAPI at ``/api/v1/openapi.json``): what the pages show, with the
same scoping. Authenticate with a session or ``Authorization: Bearer <token>`` (``kawal manage create_token``)."""

from __future__ import annotations

import copy
import json
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, cast

from django.conf import settings
from django.db import DataError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, NinjaAPI, Path, Query, Schema, UploadedFile
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import HttpBearer, django_auth
from pydantic import AfterValidator, Field
from pydantic import ValidationError as SchemaError
from pydantic.fields import FieldInfo

from kawal.web.accounts import person_views
from kawal.web.accounts.models import KPU_ROLES, ApiToken, Role
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import record
from kawal.web.crypto import decrypt
from kawal.web.field.models import FieldTask
from kawal.web.field.visits import MAX_RESIDENTS, CheckIn, NewVoterIn, PhotoRef, VisitError, VisitIn, record_visit
from kawal.web.memo import Recent
from kawal.web.photos.processing import PhotoError
from kawal.web.photos.store import max_bytes, save_photo
from kawal.web.security import plain_int
from kawal.web.voters.models import Finding, Voter, VoterList

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)
MAX_PAGE = 500

# --- what the API accepts: every number, date and text bounded in the schema itself, so that whatever a client
# sends is either inside what the database and the code can hold or refused with 422 before any query runs. -----

Bounded = Annotated[int, Field(ge=0, le=99_999)]  # RW, RT and TPS numbers: out-of-range ones are refused, not queried
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]  # a row id: what a signed 64-bit column holds
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL: refused here, not by the database after the checks


def text(max_length: int) -> FieldInfo:
    """Text of at most ``max_length`` characters (within the column it is stored in) and no NUL: the constraint of
    an ``Annotated[str, text(n)]`` field (a type the checker reads as ``str``)."""
    return Field(max_length=max_length, pattern=NO_NUL)


Code = Annotated[str, Field(max_length=10, pattern=r"^[0-9]*$")]  # a wilayah code prefix, ASCII digits only
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def _in_our_time(value: datetime) -> datetime:
    """A moment of fieldwork: 2000 to 2100. Year 9999 at -05:00 or year 1 at +07:00 parse as datetimes, but lie
    outside the calendar once turned into UTC; they are refused here instead of failing in the database."""
    try:
        aware = value if value.tzinfo is not None else timezone.make_aware(value)
        inside = EARLIEST <= aware.astimezone(UTC) < LATEST
    except (OverflowError, ValueError):
        inside = False
    if not inside:
        raise ValueError("waktu harus antara tahun 2000 dan 2100")
    return aware


def _born_in_our_time(value: date) -> date:
    if not date(1900, 1, 1) <= value <= date(2100, 12, 31):
        raise ValueError("tanggal lahir harus antara 1900 dan 2100")
    return value


Moment = Annotated[datetime, AfterValidator(_in_our_time)]
BirthDate = Annotated[date, AfterValidator(_born_in_our_time)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


TOKEN_CACHE_SECONDS = 30  # a revoked token or deactivated account stops working within this (docs/security.md)
_tokens = Recent(TOKEN_CACHE_SECONDS)
_tokens.forget_on_save(ApiToken, settings.AUTH_USER_MODEL)  # revoked or deactivated here: at once


@dataclass(frozen=True)
class _Holder:
    """What is remembered of a token: its user, and when it expires (checked on every use, so a remembered token
    stops at its expiry to the second, not up to 30 seconds later)."""

    user: User
    expires_at: datetime


class BearerToken(HttpBearer):
    """``Authorization: Bearer kwl_…``; the lookup is remembered for a few seconds per process (``memo.py``).
    An unknown, revoked or expired token answers 401."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        key_hash = ApiToken.hash(token)
        held = _tokens.get(key_hash, lambda: _token_holder(key_hash))
        if held is None or held.expires_at <= timezone.now():
            return None
        user = copy.copy(held.user)  # the remembered user is shared: each request gets its own
        request.user = user
        return user


def _token_holder(key_hash: str) -> _Holder | None:
    now = timezone.now()
    found = ApiToken.objects.filter(key_hash=key_hash, revoked=False, expires_at__gt=now).select_related("user").first()
    if found is None or not found.user.is_active:
        return None
    if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=5):  # not a write per request
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return _Holder(found.user, found.expires_at)


api = NinjaAPI(title="kawal", version="1", urls_namespace="api-v1", auth=[BearerToken(), django_auth])


@api.exception_handler(ValueError)
@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def unreadable_input(request: HttpRequest, error: Exception) -> object:
    """The last guard: a value the schemas let through that still cannot be converted or stored (a number the
    database cannot hold, a date that overflows) is the client's input, so it answers 422, never a traceback.
    Only the exception's type is logged: its text may quote the value, and values may be personal data."""
    if isinstance(error, SchemaError):
        raise error  # a response that does not fit its own schema is our bug: let it be a 500
    logger.warning("API input refused: %s at %s", type(error).__name__, request.path)
    return api.create_response(request, {"detail": "masukan tidak dapat diproses"}, status=422)


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.user)


def _user(request: HttpRequest) -> User:
    """The signed-in user: the API's auth admits no one else (views marked ``auth=None`` never call this)."""
    return cast("User", request.user)


def _my_tasks(request: HttpRequest) -> QuerySet[FieldTask]:
    """Tasks assigned to the user that still lie in an area of an active membership: a deactivated relawan keeps
    the assignment on record but can neither read the household nor report on it."""
    return _scope(request).tasks(FieldTask.unscoped.filter(assigned_to=_user(request)))


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


@api.get("/lists", response=list[VoterListOut])
def lists(request: HttpRequest) -> list[VoterList]:
    return list(_scope(request).voter_lists(VoterList.objects.all()))


@api.get("/findings", response=FindingPage)
def findings(request: HttpRequest, filters: Query[FindingFilters]) -> dict:
    queryset = _scope(request).findings(Finding.unscoped.all())
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
    role = _scope(request).highest_role
    if not person_views.allow(request, role, len(voter_ids)):
        raise HttpError(429, f"batas {person_views.limit_for(role)} data orang per jam tercapai")


@api.get("/voters/{voter_id}", response=VoterOut)
def voter(request: HttpRequest, voter_id: Path[Id]) -> VoterOut:
    scope = _scope(request)
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


@api.get("/summary", response=Summary)
def summary(request: HttpRequest, wilayah: Code = "") -> dict:
    scope = _scope(request)
    voters = scope.voters(Voter.unscoped.filter(kode_kelurahan__startswith=wilayah))
    found = scope.findings(Finding.unscoped.filter(kode_kelurahan__startswith=wilayah))
    per_check = dict(found.values_list("check_code").annotate(n=Count("id")).order_by())
    return {"voters": voters.count(), "findings": per_check}


# --- field visits: the phone's offline queue posts here; a retry with the same client_id is a no-op ---------


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
    tms: Annotated[int, Field(ge=0, le=99)] | None = None  # 1-8 is checked with a message that says so
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


class PhotoRefSchema(Schema):
    client_id: uuid.UUID
    voter_id: Id | None = None


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


@api.get("/tasks", response=list[TaskOut])
def my_tasks(request: HttpRequest) -> list[dict]:
    """The signed-in relawan's open tasks with the voters to check: what the phone caches for offline work.
    (Plain rows, three queries: phones ask for this every time they come online.)"""
    columns = ("id", "alamat", "kode_kelurahan", "rw", "rt", "tps", "deadline", "status")
    tasks = list(_my_tasks(request).filter(status=FieldTask.Status.OPEN).order_by("pk").values(*columns))
    voters: dict[int, dict[int, dict]] = {t["id"]: {} for t in tasks}
    links = FieldTask.findings.through.objects.filter(fieldtask_id__in=voters, finding__voter__isnull=False)
    fields = ("fieldtask_id", "finding__voter_id", "finding__voter__nama", "finding__voter__nik_masked")
    for task_id, voter_id, nama, nik, usia in links.values_list(*fields, "finding__voter__usia"):
        voters[task_id][voter_id] = {"id": voter_id, "nama": nama, "nik": nik, "usia": usia}
    return [{**t, "voters": list(voters[t["id"]].values())} for t in tasks]


@api.post("/tasks/{task_id}/visits", response={200: VisitReceipt, 201: VisitReceipt})
def submit_visit(request: HttpRequest, task_id: Path[Id], payload: VisitSchema) -> Status:
    task = get_object_or_404(_my_tasks(request), pk=task_id)
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
        visit, created = record_visit(task, _user(request), data)
    except VisitError as error:
        raise HttpError(422, str(error)) from None
    return Status(201 if created else 200, VisitReceipt(id=visit.pk, client_id=visit.client_id, created=created))


class PhotoReceipt(Schema):
    id: int
    client_id: uuid.UUID
    sha256: str
    created: bool


@api.post("/photos", response={200: PhotoReceipt, 201: PhotoReceipt})
def upload_photo(
    request: HttpRequest,
    client_id: Form[uuid.UUID],
    kind: Form[str],
    file: File[UploadedFile],
    sha256: Form[str] = "",
) -> Status:
    """Upload one photo before the visit or C.Hasil entry that refers to it. ``client_id`` is made by the phone,
    so a retry returns the photo already stored; ``sha256``, when sent, must match the bytes received."""
    if cast(int, file.size) > max_bytes():  # an upload always has its size
        raise HttpError(413, f"foto terlalu besar: maksimum {max_bytes() // 2**20} MiB")
    try:
        photo, created = save_photo(str(client_id), kind, file.read(), _user(request), sha256)
    except PhotoError as error:
        raise HttpError(422, str(error)) from None
    receipt = PhotoReceipt(id=photo.pk, client_id=photo.client_id, sha256=photo.sha256, created=created)
    return Status(201 if created else 200, receipt)


# --- statistical audit: what a relawan records for a drawn unit (same offline queue, same idempotency) -------


class ObservationSchema(Schema):
    client_id: uuid.UUID
    kind: Annotated[str, text(16)]
    recorded_at: Moment
    outcome: Annotated[str, text(20)] = ""
    note: Annotated[str, text(2000)] = ""
    nama: Annotated[str, text(200)] = ""
    tanggal_lahir: BirthDate | None = None
    nik: Annotated[str, text(32)] = ""
    pantarlih: Annotated[str, text(6)] = ""
    sticker: Annotated[str, text(6)] = ""


class ObservationReceipt(Schema):
    id: int
    client_id: uuid.UUID
    created: bool
    registered: bool | None = Field(None, description="a person met: on the list in this RT (nothing of elsewhere)")


@api.post("/sample-units/{unit_id}/observations", response={200: ObservationReceipt, 201: ObservationReceipt})
def record_sample_observation(request: HttpRequest, unit_id: Path[Id], payload: ObservationSchema) -> Status:
    """The outcome of a drawn record, a person met in a drawn RT (checked against the list), or a household's
    coklit check there. Only the relawan the unit's task is assigned to may record it."""
    from kawal.web.sampling.models import SampleUnit
    from kawal.web.sampling.service import LookupLimit, ObservationIn, SampleError, record_observation, registered_here

    units = SampleUnit.objects.select_related("draw").filter(task__in=_my_tasks(request))
    unit = get_object_or_404(units, pk=unit_id)
    data = ObservationIn(**{**payload.dict(), "client_id": str(payload.client_id)})
    try:
        made, created = record_observation(unit, _user(request), data)
    except LookupLimit as error:
        raise HttpError(429, str(error)) from None
    except SampleError as error:
        raise HttpError(422, str(error)) from None
    here = registered_here(made)
    receipt = ObservationReceipt(id=made.pk, client_id=made.client_id, created=created, registered=here)
    return Status(201 if created else 200, receipt)


# --- C.Hasil entries: the same offline queue; numbers arrive as the form's fields -----------------------------


class EntrySchema(Schema):
    """Plus every number column of the form as its own field (``suara_paslon_1``, ``dpt``, …; see docs/results.md)."""

    client_id: uuid.UUID
    recorded_at: Moment
    photos: Annotated[list[PhotoRefSchema], Field(max_length=20)] = []


class EntryReceipt(Schema):
    id: int
    client_id: uuid.UUID
    created: bool
    status: str
    flags: list[dict]


@api.post("/tps/{election_id}/{kode_tps}/entries", response={200: EntryReceipt, 201: EntryReceipt})
def submit_entry(request: HttpRequest, election_id: Path[Id], kode_tps: str, payload: EntrySchema) -> Status:
    """A witness's reading of one TPS's C.Hasil. Inconsistent paper numbers are accepted and flagged."""
    from kawal.web.results.service import EntryError, EntryIn, entry_kind, fields_of, record_entry
    from kawal.web.results.service import election as service_election

    election = service_election(election_id)
    if election is None:
        raise HttpError(404, "pemilihan tidak ditemukan")
    kind = entry_kind(_user(request), election, kode_tps) if TPS_CODE.fullmatch(kode_tps) else None
    if not any(m.organisation.kpu_office.pk == election.organisation_id for m in _scope(request).memberships):
        kind = None  # an assignment outlives a deactivated membership; the right to enter does not
    if kind is None:
        raise HttpError(404, "TPS ini tidak ditugaskan kepada Anda")
    extra = json.loads(request.body)  # the number columns are read from the body as sent
    numbers = {key: _count(key, extra.get(key)) for key in fields_of(election)}
    photos = tuple(str(p.client_id) for p in payload.photos)
    data = EntryIn(str(payload.client_id), payload.recorded_at, numbers, photos, kind=kind)
    try:
        entry, created, status = record_entry(election, kode_tps, _user(request), data)
    except EntryError as error:
        raise HttpError(422, str(error)) from None
    receipt = EntryReceipt(id=entry.pk, client_id=entry.client_id, created=created, status=status, flags=entry.flags)
    return Status(201 if created else 200, receipt)


TPS_CODE = re.compile(r"[0-9]{13}")  # ASCII only: \d would take any script's digits


def _count(key: str, value: object) -> int | None:
    """One number of the form as sent: empty (not reported), or a whole number written in ASCII digits or as a
    JSON integer; the service bounds it. ``"²"`` passes ``isdigit()`` and fails ``int()``: not read that way."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = plain_int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise HttpError(422, f"{key}: harus bilangan bulat ≥ 0 (angka 0-9)")
    return value


@api.get("/tally", auth=None)
def tally(request: HttpRequest, wilayah: Code = "", pemilu: Id | None = None) -> dict:
    """The verified tally of a unit and its children (public, no personal data), as the tally page shows it, with
    the candidates by ballot number and name (``kandidat``: the order of every ``votes`` list)."""
    from kawal.web.public.candidates import names
    from kawal.web.results.views import _election, tally_rows

    election = _election(pemilu)
    if election is None:
        raise HttpError(404, "belum ada pemilihan")
    focus = wilayah if len(wilayah) in (4, 6) else "3671"  # Code: ASCII digits only
    kandidat = [{"nomor": n, "nama": nama} for n, nama in sorted(names(election).items())]
    return {"pemilihan": election.name, "wilayah": focus, "kandidat": kandidat, **tally_rows(election, focus)}


api.add_router("/incidents", "kawal.web.incidents.api.router")  # incident reports (issue 20)
