import contextlib
import hashlib
import io
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from kawal.web.photos.processing import SERVED_EDGE, PhotoError, process
from tests.photos.images import LAT, LON, phone_jpeg

LIMIT = 12 * 2**20


def test_keeps_hash_time_and_place_as_metadata():
    data = phone_jpeg()
    done = process(data, LIMIT)
    assert done.sha256 == hashlib.sha256(data).hexdigest()
    assert done.content_type == "image/jpeg" and (done.width, done.height) == (640, 480)
    assert done.taken_at is not None and done.taken_at.isoformat() == "2024-07-10T09:31:05"
    assert done.latitude == pytest.approx(LAT, abs=1e-5) and done.longitude == pytest.approx(LON, abs=1e-5)


def test_served_copy_carries_no_exif_and_stands_upright():
    served = Image.open(io.BytesIO(process(phone_jpeg(orientation=6), LIMIT).served))
    assert served.format == "JPEG" and not served.getexif() and "exif" not in served.info
    assert served.size == (480, 640)  # orientation 6: the phone was held upright, the pixels lie on their side


def test_served_copy_is_shrunk_to_a_phone_screen():
    served = Image.open(io.BytesIO(process(phone_jpeg(4000, 3000), LIMIT).served))
    assert max(served.size) == SERVED_EDGE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "kosong"),
        (b"%PDF-1.4 not a photo", "bukan foto"),
        (b"GIF89a" + b"\0" * 100, "bukan foto"),
    ],
)
def test_refuses_what_is_not_a_photo(data, message):
    with pytest.raises(PhotoError, match=message):
        process(data, LIMIT)


def test_refuses_files_over_the_size_limit():
    with pytest.raises(PhotoError, match="terlalu besar"):
        process(phone_jpeg(), 1000)


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image: a decompression bomb, refused before decoding."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(60_000, 60_000), (8000, 7000)])
def test_refuses_decompression_bombs(size):
    with pytest.raises(PhotoError, match="terlalu besar"):
        process(_png_claiming(*size), LIMIT)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048))
def test_any_bytes_give_a_photo_or_a_clear_refusal(data):
    try:
        process(data, LIMIT)
    except PhotoError as error:
        assert str(error)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, len(phone_jpeg()) - 1), st.integers(0, 255))
def test_a_damaged_jpeg_never_crashes_the_server(position, byte):
    data = bytearray(phone_jpeg(64, 48))
    data[position % len(data)] = byte
    with contextlib.suppress(PhotoError):
        process(bytes(data), LIMIT)
