"""Evidence photos: check what the phone sent, keep its SHA-256, read where and when it was taken, and make the
copy others may see, re-encoded from the pixels so no EXIF (location, time, device) travels with it.

No Django here, so the checks can be tested and fuzzed on their own.
"""

from __future__ import annotations

import hashlib
import io
import math
import warnings
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_PIXELS = 50_000_000  # a 50-megapixel phone photo is the largest real one; more is a decompression bomb
SERVED_EDGE = 1600  # enough to read a sticker or a C.Hasil page on a phone screen
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow refuses to decode far beyond it
GPS_IFD, EXIF_IFD = 0x8825, 0x8769
DATETIME_ORIGINAL, DATETIME = 0x9003, 0x0132


class PhotoError(ValueError):
    """A file that is not an acceptable photo; the message says why, in Indonesian."""


@dataclass(frozen=True)
class Inspected:
    """What is known from the file's header and metadata, without decoding its pixels (cheap: done while the
    phone waits)."""

    sha256: str
    size: int
    content_type: str
    width: int
    height: int
    taken_at: datetime | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Processed(Inspected):
    served: bytes  # JPEG without metadata


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inspect(data: bytes, max_bytes: int) -> Inspected:
    """Check one uploaded photo as far as its header goes (type, size, pixel count) and read its metadata."""
    if not data:
        raise PhotoError("berkas foto kosong")
    if len(data) > max_bytes:
        size = f"{len(data) / 2**20:.1f}".replace(".", ",")  # 1,5 MiB, the Indonesian way
        raise PhotoError(f"foto terlalu besar: {size} MiB, maksimum {max_bytes / 2**20:.0f} MiB")
    with warnings.catch_warnings():  # damaged EXIF is common on cheap phones; what cannot be read is left out
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", Image.DecompressionBombWarning)  # refused below, not just logged
        image, width, height = _open(data, decode=False)
        taken_at, latitude, longitude = _metadata(image)
    return Inspected(
        sha256=sha256(data),
        size=len(data),
        content_type=Image.MIME[cast(str, image.format)],  # an image Pillow opened has its format
        width=width,
        height=height,
        taken_at=taken_at,
        latitude=latitude,
        longitude=longitude,
    )


def served_copy(data: bytes) -> bytes:
    """Decode the photo and make the copy others see; a file whose pixels cannot be decoded is refused here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image, _width, _height = _open(data, decode=True)
        return _served_copy(image)


def process(data: bytes, max_bytes: int) -> Processed:
    """Both steps at once: everything kawal keeps about one photo."""
    inspected = inspect(data, max_bytes)
    return Processed(**vars(inspected), served=served_copy(data))


def _open(data: bytes, decode: bool) -> tuple[Image.Image, int, int]:
    """The decoded image and its full size. A JPEG is decoded at the smallest of 1/2, 1/4 or 1/8 scale that still
    covers the served copy (libjpeg scales while decoding): a quarter of the work for a 12-megapixel photo, and
    every byte of the file is still read, so a damaged one is still refused."""
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise PhotoError(f"foto terlalu besar: {width}×{height} piksel")
        if not decode:
            return image, width, height
        if image.format == "JPEG" and max(width, height) > SERVED_EDGE:
            ratio = SERVED_EDGE / max(width, height)  # the served copy's size; draft decodes at least that much
            image.draft("RGB", (math.ceil(width * ratio), math.ceil(height * ratio)))
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError("foto terlalu besar (jumlah piksel)") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        if isinstance(error, PhotoError):
            raise
        raise PhotoError("bukan foto JPEG, PNG atau WebP yang utuh") from None
    return image, width, height


def _metadata(image: Image.Image) -> tuple[datetime | None, float | None, float | None]:
    exif = image.getexif()
    stamp = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    gps = exif.get_ifd(GPS_IFD)
    return _exif_time(stamp), _gps_degrees(gps.get(2), gps.get(1)), _gps_degrees(gps.get(4), gps.get(3))


def _exif_time(stamp: object) -> datetime | None:
    try:
        return datetime.strptime(str(stamp).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def _gps_degrees(value: object, ref: object) -> float | None:
    """EXIF keeps degrees, minutes and seconds as three rationals; S and W are negative."""
    try:
        degrees, minutes, seconds = (float(part) for part in value)  # type: ignore[attr-defined]  # not iterable: TypeError
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    sign = -1.0 if str(ref).strip("\x00 ").upper() in ("S", "W") else 1.0
    result = sign * (degrees + minutes / 60 + seconds / 3600)
    return round(result, 7) if -180 <= result <= 180 else None


def _served_copy(image: Image.Image) -> bytes:
    upright = ImageOps.exif_transpose(image).convert("RGB")
    # Bilinear (antialiased when shrinking) reads a sticker or a form as well as the default bicubic, at half
    # the cost; after the JPEG draft the shrink is small (at most 2:1).
    upright.thumbnail((SERVED_EDGE, SERVED_EDGE), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=80, optimize=True)  # no exif= argument: nothing carried over
    return out.getvalue()
