"""Test photos made with Pillow: a phone-like JPEG with GPS and capture time in its EXIF."""

import io
from fractions import Fraction

from PIL import Image

LAT, LON = -6.1781, 106.6319  # Kota Tangerang
TAKEN = "2024:07:10 09:31:05"


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = Fraction(round((value - degrees - minutes / 60) * 3600 * 1000), 1000)
    return Fraction(degrees), Fraction(minutes), seconds


def phone_jpeg(width: int = 640, height: int = 480, colour: tuple = (200, 30, 30), orientation: int = 1) -> bytes:
    image = Image.new("RGB", (width, height), colour)
    exif = Image.Exif()
    exif[0x0110] = "Pixel 3a"  # camera model: must not leak into the served copy
    exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0x9003] = TAKEN
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", _dms(LAT)
    gps[3], gps[4] = "E", _dms(LON)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90)
    return out.getvalue()
