"""``POST /api/v1/photos``: one photo, uploaded on its own before the visit, C.Hasil entry or incident report that
refers to it by ``client_id``; a retry returns the photo already stored."""

from __future__ import annotations

import uuid
from typing import cast

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, UploadedFile
from ninja.errors import HttpError
from ninja.responses import Status

from kawal.web.api_types import user_of
from kawal.web.photos.processing import PhotoError
from kawal.web.photos.store import max_bytes, save_photo

router = Router(tags=["photos"])  # mounted at the API's root: the paths below are written in full


class PhotoReceipt(Schema):
    id: int
    client_id: uuid.UUID
    sha256: str
    created: bool


@router.post("/photos", response={200: PhotoReceipt, 201: PhotoReceipt})
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
        photo, created = save_photo(str(client_id), kind, file.read(), user_of(request), sha256)
    except PhotoError as error:
        raise HttpError(422, str(error)) from None
    receipt = PhotoReceipt(id=photo.pk, client_id=photo.client_id, sha256=photo.sha256, created=created)
    return Status(201 if created else 200, receipt)
