"""Short video and audio recordings as evidence: checked by their first bytes, hashed, and kept encrypted.

Each file is sealed with its own random AES-256-GCM key; that key is stored encrypted under the field key
(``Media.key_encrypted``), so ``kawal keys rotate`` re-wraps the keys without rewriting the files. The SHA-256 is
of the clear bytes, as sent: the evidence ZIP carries those bytes and the manifest proves them.
"""

from __future__ import annotations

import base64
import hashlib
import os
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from kawal.web.actionlog.models import record
from kawal.web.crypto import decrypt, encrypt
from kawal.web.incidents.models import Media
from kawal.web.photos.models import photo_storage

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class MediaError(ValueError):
    """A file that is not an acceptable recording; the message says why, in Indonesian."""


def max_bytes() -> int:
    return int(getattr(settings, "KAWAL_INCIDENT_MEDIA_MAX_BYTES", 20 * 2**20))


def sniff(data: bytes) -> tuple[str, str] | None:
    """(kind, content type) from the file's signature, or None for anything else."""
    head = data[:16]
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B "):
            return Media.Kind.AUDIO, "audio/mp4"
        if brand.startswith(b"3g"):
            return Media.Kind.VIDEO, "video/3gpp"
        if brand == b"qt  ":
            return Media.Kind.VIDEO, "video/quicktime"
        return Media.Kind.VIDEO, "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Media.Kind.VIDEO, "video/webm"
    if head.startswith(b"OggS"):
        return Media.Kind.AUDIO, "audio/ogg"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return Media.Kind.AUDIO, "audio/mpeg"
    if head[:2] in (b"\xff\xf1", b"\xff\xf9"):
        return Media.Kind.AUDIO, "audio/aac"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return Media.Kind.AUDIO, "audio/wav"
    if head.startswith(b"#!AMR"):
        return Media.Kind.AUDIO, "audio/amr"
    return None


EXTENSIONS = {
    "audio/mp4": "m4a",
    "video/3gpp": "3gp",
    "video/quicktime": "mov",
    "video/mp4": "mp4",
    "video/webm": "webm",
    "audio/ogg": "ogg",
    "audio/mpeg": "mp3",
    "audio/aac": "aac",
    "audio/wav": "wav",
    "audio/amr": "amr",
}


def save_media(client_id: str, data: bytes, uploader: User, claimed_sha256: str = "") -> tuple[Media, bool]:
    """Keep one recording; returns it and whether it is new. A retry with the same client id returns the stored one."""
    existing = Media.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.uploaded_by_id != getattr(uploader, "pk", None):
            raise MediaError("client_id berkas sudah dipakai orang lain")
        return existing, False
    if not data:
        raise MediaError("berkas kosong")
    if len(data) > max_bytes():
        size = f"{len(data) / 2**20:.1f}".replace(".", ",")  # 1,5 MiB, the Indonesian way
        raise MediaError(f"berkas terlalu besar: {size} MiB, maksimum {max_bytes() / 2**20:.0f} MiB")
    found = sniff(data)
    if found is None:
        raise MediaError("bukan video atau rekaman suara yang dikenal (MP4, 3GP, WebM, OGG, MP3, M4A, AAC, WAV, AMR)")
    kind, content_type = found
    digest = hashlib.sha256(data).hexdigest()
    if claimed_sha256 and claimed_sha256.lower() != digest:
        raise MediaError("SHA-256 berkas tidak cocok: berkas rusak dalam pengiriman, kirim ulang")
    key = AESGCM.generate_key(bit_length=256)
    name = photo_storage().save(f"insiden/{digest[:2]}/{client_id}.bin", ContentFile(seal(data, key)))
    try:
        with transaction.atomic():
            media = Media.objects.create(
                client_id=client_id,
                uploaded_by=uploader,
                kind=kind,
                content_type=content_type,
                size=len(data),
                sha256=digest,
                file=name,
                key_encrypted=encrypt(base64.urlsafe_b64encode(key).decode()),
            )
            record("incident.media_uploaded", user=uploader, obj=media, kind=kind, sha256=digest, size=len(data))
    except IntegrityError:
        photo_storage().delete(name)
        return Media.objects.get(client_id=client_id), False
    return media, True


def seal(data: bytes, key: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, data, None)


def open_media(media: Media) -> bytes:
    """The clear bytes of a recording (for the evidence ZIP); checked against the stored SHA-256."""
    key = base64.urlsafe_b64decode(decrypt(media.key_encrypted).encode())
    with media.file.open("rb") as f:
        sealed = f.read()
    data = AESGCM(key).decrypt(sealed[:12], sealed[12:], None)
    if hashlib.sha256(data).hexdigest() != media.sha256:
        raise MediaError("isi berkas tidak cocok dengan SHA-256 yang tersimpan")
    return data


def extension(media: Media) -> str:
    return EXTENSIONS.get(media.content_type, "bin")
