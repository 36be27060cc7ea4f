"""``POST /api/v1/tps/{election}/{kode_tps}/entries``: a witness's reading of a TPS's C.Hasil from the phone's
offline queue (idempotent by ``client_id``); the numbers arrive as the form's own fields."""

from __future__ import annotations

import json
import re
import uuid
from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import Field

from kawal.web.api_types import Id, Moment, PhotoRefSchema, scope_of, user_of
from kawal.web.security import plain_int

router = Router(tags=["results"])  # mounted at the API's root: the paths below are written in full


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


@router.post("/tps/{election_id}/{kode_tps}/entries", response={200: EntryReceipt, 201: EntryReceipt})
def submit_entry(request: HttpRequest, election_id: Path[Id], kode_tps: str, payload: EntrySchema) -> Status:
    """A witness's reading of one TPS's C.Hasil. Inconsistent paper numbers are accepted and flagged."""
    from kawal.web.results.service import EntryError, EntryIn, entry_kind, fields_of, record_entry
    from kawal.web.results.service import election as service_election

    election = service_election(election_id)
    if election is None:
        raise HttpError(404, "pemilihan tidak ditemukan")
    kind = entry_kind(user_of(request), election, kode_tps) if TPS_CODE.fullmatch(kode_tps) else None
    if not any(m.organisation.kpu_office.pk == election.organisation_id for m in scope_of(request).memberships):
        kind = None  # an assignment outlives a deactivated membership; the right to enter does not
    if kind is None:
        raise HttpError(404, "TPS ini tidak ditugaskan kepada Anda")
    extra = json.loads(request.body)  # the number columns are read from the body as sent
    numbers = {key: _count(key, extra.get(key)) for key in fields_of(election)}
    photos = tuple(str(p.client_id) for p in payload.photos)
    data = EntryIn(str(payload.client_id), payload.recorded_at, numbers, photos, kind=kind)
    try:
        entry, created, status = record_entry(election, kode_tps, user_of(request), data)
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
