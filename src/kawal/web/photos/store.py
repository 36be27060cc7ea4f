"""Store an uploaded photo once per client id, content-addressed by SHA-256 in the photos storage.

While the phone waits, only what its header tells is checked (type, size, pixel count, metadata) and the
original is kept; the served copy is made on the task queue (``derive_served``, queue "photos"), because decoding
a 12-megapixel photo costs 100–160 ms of CPU, as much as twenty form submissions. A photo viewed before the queue
got to it is derived on the spot. One whose pixels turn out undecodable is marked damaged, logged, and shown as
such to reviewers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from kawal.web.actionlog.models import record
from kawal.web.photos.models import Photo, photo_storage
from kawal.web.photos.processing import PhotoError, inspect, served_copy

if TYPE_CHECKING:
    from django.contrib.auth.models import User

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def max_bytes() -> int:
    return int(getattr(settings, "KAWAL_PHOTO_MAX_BYTES", 12 * 2**20))


def save_photo(client_id: str, kind: str, data: bytes, uploader: User, claimed_sha256: str = "") -> tuple[Photo, bool]:
    """Keep one photo; returns it and whether it is new. ``claimed_sha256`` (from the phone) must match."""
    existing = Photo.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.uploaded_by_id != getattr(uploader, "pk", None):
            raise PhotoError("client_id foto sudah dipakai orang lain")
        return existing, False
    if kind not in Photo.Kind.values:
        raise PhotoError(f"jenis foto '{kind}' tidak dikenal")
    inspected = inspect(data, max_bytes())
    if claimed_sha256 and claimed_sha256.lower() != inspected.sha256:
        raise PhotoError("SHA-256 foto tidak cocok: berkas rusak dalam pengiriman, kirim ulang")
    original = _write(f"asli/{inspected.sha256[:2]}/{inspected.sha256}.{EXTENSIONS[inspected.content_type]}", data)
    try:
        with transaction.atomic():
            photo = Photo.objects.create(
                client_id=client_id,
                uploaded_by=uploader,
                kind=kind,
                sha256=inspected.sha256,
                size=inspected.size,
                content_type=inspected.content_type,
                width=inspected.width,
                height=inspected.height,
                original=original,
                taken_at=inspected.taken_at and timezone.make_aware(inspected.taken_at),
                latitude=inspected.latitude,
                longitude=inspected.longitude,
            )
            details: dict[str, Any] = {"kind": kind, "sha256": inspected.sha256, "size": inspected.size}
            record("photo.uploaded", user=uploader, obj=photo, **details)
    except IntegrityError:  # the same upload arriving twice at once: the other request stored it
        return Photo.objects.get(client_id=client_id), False
    from kawal.web.photos.tasks import derive_served  # here: the task module imports this one

    derive_served.enqueue(photo.pk)  # after the commit above, so the worker finds the row
    return photo, True


def derive(photo: Photo) -> None:
    """Make the served copy of ``photo`` if it has none yet; mark the photo damaged if it cannot be decoded."""
    if photo.served or photo.damaged or not photo.original:
        return
    try:
        with photo.original.open("rb") as f:
            data = f.read()
    except OSError:  # the original is gone (erased by retention): nothing to derive, nothing to serve
        return
    try:
        served = served_copy(data)
    except PhotoError as error:
        Photo.objects.filter(pk=photo.pk).update(damaged=True)
        photo.damaged = True
        record("photo.damaged", obj=photo, reason=str(error))
        return
    name = _write(f"tampil/{photo.sha256[:2]}/{photo.sha256}.jpg", served)
    Photo.objects.filter(pk=photo.pk, served="").update(served=name)
    photo.served.name = name


def _write(name: str, data: bytes) -> str:
    """Content-addressed: the same bytes always have the same name, so a second copy is never written."""
    storage = photo_storage()
    if not storage.exists(name):
        return storage.save(name, ContentFile(data))
    return name
