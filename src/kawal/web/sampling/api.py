"""``POST /api/v1/sample-units/{id}/observations``: what a relawan records for a drawn unit of the statistical
audit (the phone's offline queue, idempotent by ``client_id`` like visits)."""

from __future__ import annotations

import uuid
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import Field

from kawal.web.api_types import BirthDate, Id, Moment, text, user_of
from kawal.web.field.api import assigned_tasks

router = Router(tags=["sampling"])  # mounted at the API's root: the paths below are written in full


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


@router.post("/sample-units/{unit_id}/observations", response={200: ObservationReceipt, 201: ObservationReceipt})
def record_sample_observation(request: HttpRequest, unit_id: Path[Id], payload: ObservationSchema) -> Status:
    """The outcome of a drawn record, a person met in a drawn RT (checked against the list), or a household's
    coklit check there. Only the relawan the unit's task is assigned to may record it."""
    from kawal.web.sampling.models import SampleUnit
    from kawal.web.sampling.service import LookupLimit, ObservationIn, SampleError, record_observation, registered_here

    units = SampleUnit.objects.select_related("draw").filter(task__in=assigned_tasks(request))
    unit = get_object_or_404(units, pk=unit_id)
    data = ObservationIn(**{**payload.dict(), "client_id": str(payload.client_id)})
    try:
        made, created = record_observation(unit, user_of(request), data)
    except LookupLimit as error:
        raise HttpError(429, str(error)) from None
    except SampleError as error:
        raise HttpError(422, str(error)) from None
    here = registered_here(made)
    receipt = ObservationReceipt(id=made.pk, client_id=made.client_id, created=created, registered=here)
    return Status(201 if created else 200, receipt)
