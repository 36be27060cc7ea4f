"""The canonical voter-list columns and the headers KPU and Dukcapil files use for them."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Canonical column -> headers seen in DP4/DPS/DPT files (compared after normalise_header).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("ID", "NO", "NO URUT", "NOMOR", "NOMOR URUT", "NO URUT PEMILIH"),
    "nkk": ("NKK", "NO KK", "NOMOR KK", "NO KARTU KELUARGA", "NOMOR KARTU KELUARGA"),
    "nik": ("NIK", "NO NIK", "NOMOR NIK", "NOMOR INDUK KEPENDUDUKAN"),
    "nama": ("NAMA", "NAMA LENGKAP", "NAMA PEMILIH"),
    "tempat_lahir": ("TEMPAT LAHIR", "TMPT LAHIR", "TEMPAT LHR", "TPT LAHIR"),
    "tanggal_lahir": ("TANGGAL LAHIR", "TGL LAHIR", "TGL LHR", "TANGGAL LHR"),
    "usia": ("USIA", "UMUR", "USIA TAHUN", "UMUR TAHUN", "USIA THN", "UMUR THN"),
    "jenis_kelamin": ("JENIS KELAMIN", "L P", "JK", "KELAMIN", "SEX"),
    "status_kawin": ("STATUS KAWIN", "KAWIN", "STATUS PERKAWINAN", "STS KAWIN", "STATUS KAWIN B S P"),
    "alamat": ("ALAMAT", "ALAMAT LENGKAP", "JALAN DUKUH", "ALAMAT JALAN DUKUH"),
    "rt": ("RT",),
    "rw": ("RW",),
    "disabilitas": (
        "DISABILITAS",
        "JENIS DISABILITAS",
        "RAGAM DISABILITAS",
        "PENYANDANG DISABILITAS",
        "DIFABEL",
        "JENIS DIFABEL",
    ),
    "ktp_el": (
        "KTP EL",
        "KTPEL",
        "KTP ELEKTRONIK",
        "E KTP",
        "EKTP",
        "STATUS KTP EL",
        "STATUS KTP",
        "STATUS EKTP",
        "KEPEMILIKAN KTP EL",
        "PEREKAMAN KTP EL",
    ),
    "keterangan": ("KETERANGAN", "KET", "KETERANGAN TMS", "KET TMS"),
    "kode_kelurahan": (
        "KODE KELURAHAN",
        "KODE KEL",
        "KODE DESA",
        "KODE DESA KELURAHAN",
        "KODE KELURAHAN DESA",
    ),
    "kelurahan": ("KELURAHAN", "KEL", "DESA", "KELURAHAN DESA", "DESA KELURAHAN", "NAMA KELURAHAN"),
    "kecamatan": ("KECAMATAN", "KEC", "NAMA KECAMATAN"),
    "tps": ("TPS", "NO TPS", "NOMOR TPS", "KODE TPS"),
}
CANONICAL: tuple[str, ...] = tuple(ALIASES)
NUMBER_COLUMNS = ("nik", "nkk")  # kept as text: a NIK is an identifier, never a number


def normalise_header(header: object) -> str:
    """Upper case with punctuation folded to single spaces: 'No. KK' -> 'NO KK', 'L/P' -> 'L P'."""
    return re.sub(r"[^0-9A-Z]+", " ", str(header or "").upper()).strip()


_LOOKUP = {normalise_header(alias): column for column, aliases in ALIASES.items() for alias in aliases}
_LOOKUP.update({normalise_header(c): c for c in CANONICAL})


# KPU prints a legend after many headings: 'JENIS KELAMIN (L/P)', 'STATUS PERKAWINAN (B/S/P)', 'USIA (TAHUN)',
# 'TGL LAHIR [DD-MM-YYYY]'. Bracketed parts are legends wherever they stand; so is a trailing run of single
# letters ('JENIS KELAMIN L/P', 'KTP-EL S/B') once the heading without it is known.
_LEGEND = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LETTER_CODES = re.compile(r"(?: [A-Z]){2,}$")


def canonical_name(header: object) -> str | None:
    """The canonical column a header stands for, or ``None``; a legend in brackets or a trailing run of code
    letters is ignored when the heading with it is not known."""
    exact = _LOOKUP.get(normalise_header(header))
    if exact:
        return exact
    text = str(header or "")
    without = normalise_header(_LEGEND.sub(" ", text))
    return _LOOKUP.get(without) or _LOOKUP.get(_LETTER_CODES.sub("", without))


def map_headers(headers: Sequence[object]) -> dict[int, str]:
    """Position -> canonical column for the headers that are recognised (first occurrence wins)."""
    mapping: dict[int, str] = {}
    for position, header in enumerate(headers):
        column = canonical_name(header)
        if column and column not in mapping.values():
            mapping[position] = column
    return mapping


def header_score(cells: Sequence[object]) -> int:
    """How many distinct canonical columns a row would map to: the header row is the best-scoring one."""
    return len(map_headers(cells))
