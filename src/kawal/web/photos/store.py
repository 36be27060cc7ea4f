"""Store an uploaded photo once per client id, content-addressed by SHA-256 in the photos storage."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from kawal.web.actionlog.models import record
from kawal.web.photos.models import Photo, photo_storage
from kawal.web.photos.processing import PhotoError, process

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def max_bytes() -> int:
    return int(getattr(settings, "KAWAL_PHOTO_MAX_BYTES", 12 * 2**20))


def save_photo(
    client_id: str, kind: str, data: bytes, uploader: object, claimed_sha256: str = ""
) -> tuple[Photo, bool]:
    """Keep one photo; returns it and whether it is new. ``claimed_sha256`` (from the phone) must match."""
    existing = Photo.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.uploaded_by_id != getattr(uploader, "pk", None):
            raise PhotoError("client_id foto sudah dipakai orang lain")
        return existing, False
    if kind not in Photo.Kind.values:
        raise PhotoError(f"jenis foto '{kind}' tidak dikenal")
    processed = process(data, max_bytes())
    if claimed_sha256 and claimed_sha256.lower() != processed.sha256:
        raise PhotoError("SHA-256 foto tidak cocok: berkas rusak dalam pengiriman, kirim ulang")
    original = _write(f"asli/{processed.sha256[:2]}/{processed.sha256}.{EXTENSIONS[processed.content_type]}", data)
    served = _write(f"tampil/{processed.sha256[:2]}/{processed.sha256}.jpg", processed.served)
    try:
        with transaction.atomic():
            photo = Photo.objects.create(
                client_id=client_id,
                uploaded_by=uploader,
                kind=kind,
                sha256=processed.sha256,
                size=processed.size,
                content_type=processed.content_type,
                width=processed.width,
                height=processed.height,
                original=original,
                served=served,
                taken_at=processed.taken_at and timezone.make_aware(processed.taken_at),
                latitude=processed.latitude,
                longitude=processed.longitude,
            )
    except IntegrityError:  # the same upload arriving twice at once: the other request stored it
        return Photo.objects.get(client_id=client_id), False
    record("photo.uploaded", user=uploader, obj=photo, kind=kind, sha256=processed.sha256, size=processed.size)
    return photo, True


def _write(name: str, data: bytes) -> str:
    """Content-addressed: the same bytes always have the same name, so a second copy is never written."""
    storage = photo_storage()
    if not storage.exists(name):
        return storage.save(name, ContentFile(data))
    return name
