"""``/api/v1/incidents/``: the phone's offline queue posts reports here (idempotent by ``client_id``), after
uploading each photo (``/api/v1/photos``) or recording (``/api/v1/incidents/evidence``) on its own."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, UploadedFile
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import ConfigDict

from kawal.web.accounts.scope import Scope
from kawal.web.incidents.access import visible
from kawal.web.incidents.forms import ReportForm
from kawal.web.incidents.media import MediaError, max_bytes, save_media
from kawal.web.incidents.models import Report
from kawal.web.incidents.service import ReportError, record_report, recorded

if TYPE_CHECKING:
    from django.contrib.auth.models import User

router = Router(tags=["incidents"])


class EvidenceRef(Schema):
    client_id: uuid.UUID


class ReportPayload(Schema):
    """The fields of the phone form (``ReportForm``), as strings: ``category`` (a code of the category list),
    ``kode_kelurahan``, ``tps``, ``rw``, ``rt``, ``place``, ``incident_at`` and ``known_at`` (local time,
    ``YYYY-MM-DDTHH:MM``), ``description``, ``reported_party``, ``saksi_1_nama`` … ``saksi_2_telepon``,
    ``pelapor_nama`` … (optional: else the reporter's profile), ``latitude``, ``longitude``."""

    model_config = ConfigDict(extra="allow")
    client_id: uuid.UUID
    recorded_at: datetime
    photos: list[EvidenceRef] = []


class ReportReceipt(Schema):
    id: int
    number: str
    client_id: uuid.UUID
    created: bool
    status: str
    deadline: date
    days_left: int | None


def _receipt(report: Report, created: bool) -> ReportReceipt:
    return ReportReceipt(
        id=report.pk,
        number=report.number,
        client_id=report.client_id,
        created=created,
        status=report.status,
        deadline=report.deadline,
        days_left=report.days_left,
    )


@router.post("/reports", response={200: ReportReceipt, 201: ReportReceipt})
def submit_report(request: HttpRequest, payload: ReportPayload) -> Status:
    user = cast("User", request.user)  # the API's auth admits signed-in users only
    try:  # a phone's retry of a report already stored: its receipt again, before any other lookup or check
        existing = recorded(user, str(payload.client_id))
    except ReportError as error:
        raise HttpError(422, str(error)) from None
    if existing is not None:
        return Status(200, _receipt(existing, False))
    raw = json.loads(request.body)
    fields = {k: str(v) for k, v in raw.items() if isinstance(v, str | int | float) and k not in ("client_id",)}
    scope = Scope.for_user(user)
    form = ReportForm(data=fields, scope=scope)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        raise HttpError(422, f"{name}: {errors[0]}")
    evidence = tuple(str(ref.client_id) for ref in payload.photos)
    data = form.to_report(str(payload.client_id), payload.recorded_at, evidence, Report.Channel.WEB)
    try:
        report, created = record_report(user, data, scope, looked_up=True)
    except ReportError as error:
        raise HttpError(422, str(error)) from None
    return Status(201 if created else 200, _receipt(report, created))


@router.get("/reports", response=list[ReportReceipt])
def my_reports(request: HttpRequest) -> list[ReportReceipt]:
    """The signed-in person's own reports, newest first: what the phone shows as receipts."""
    user = cast("User", request.user)  # the API's auth admits signed-in users only
    mine = visible(Scope.for_user(user), user).filter(reporter=user)
    return [_receipt(r, False) for r in mine.order_by("-received_at")[:100]]


class EvidenceReceipt(Schema):
    id: int
    client_id: uuid.UUID
    sha256: str
    kind: str
    created: bool


@router.post("/evidence", response={200: EvidenceReceipt, 201: EvidenceReceipt})
def upload_evidence(
    request: HttpRequest,
    client_id: Form[uuid.UUID],
    file: File[UploadedFile],
    kind: Form[str] = "",
    sha256: Form[str] = "",
) -> Status:
    """A short video or audio recording (photos go to ``/api/v1/photos``); kept encrypted with its SHA-256."""
    if cast(int, file.size) > max_bytes():  # an upload always has its size
        raise HttpError(413, f"berkas terlalu besar: maksimum {max_bytes() // 2**20} MiB")
    try:
        media, created = save_media(str(client_id), file.read(), cast("User", request.user), sha256)  # signed in
    except MediaError as error:
        raise HttpError(422, str(error)) from None
    receipt = EvidenceReceipt(
        id=media.pk, client_id=media.client_id, sha256=media.sha256, kind=media.kind, created=created
    )
    return Status(201 if created else 200, receipt)
