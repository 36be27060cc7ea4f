"""Unpacking a ZIP someone sent, safely: Sirekap's per-TPS JSON files (kawal.engine.results) and a voter list's
per-TPS CSV files (kawal.engine.folder_reader).

Refused, in the user's language and naming the ZIP, before anything is written: an index listing too many entries
(read from the ZIP's end record before zipfile reads the index, which costs about a kilobyte of memory per entry),
too many members or too many bytes once unpacked (a ZIP bomb: the sizes a ZIP states are all zipfile reads of a
member, and its CRC is checked), a member that must not be written (a name leading out of the folder: ``../``,
``/etc``, ``//etc``, ``C:``; a symbolic link; one over the caller's size per member), a name twice (the second copy
would replace the first), a member locked with a password. A ZIP that does not unpack (damaged, cut short, packed
in a way zipfile does not read) is refused as damaged, which may be found while writing: the caller's work folder,
removed after, holds what was written. Folders are made as their files need them.
"""

from __future__ import annotations

import errno
import re
import shutil
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from kawal.i18n import KawalError

DAMAGED = ("{f}: zip rusak atau tidak dapat dibuka", "{f}: the zip is damaged or cannot be opened")
TOO_BIG = (
    "{f}: isi zip terlalu besar ({files} berkas, {gb} GB setelah dibuka; paling banyak {max_files} berkas dan "
    "{max_gb} GB)",
    "{f}: the zip's content is too large ({files} files, {gb} GB unpacked; at most {max_files} files and {max_gb} GB)",
)
TOO_MANY = (
    "{f}: daftar isi zip terlalu panjang ({n} entri; paling banyak {limit})",
    "{f}: the zip's index is too long ({n} entries; at most {limit})",
)
UNSAFE = ("{f}: berkas tidak aman di zip: {m}", "{f}: unsafe member in the zip: {m}")
TWICE = (
    "{f}: berkas {m} ada dua kali di zip; kirim zip yang tiap berkasnya ada sekali",
    "{f}: the zip holds {m} twice; send one in which each file is there once",
)
LOCKED = (
    "{f}: zip dikunci dengan kata sandi; kirim zip tanpa kata sandi",
    "{f}: the zip is locked with a password; send it without one",
)


_DRIVE = re.compile(r"[A-Za-z]:")  # C: (a Windows drive) starts no path inside the folder


def unpack(
    zip_path: Path,
    into: Path,
    *,
    max_files: int,
    max_bytes: int,
    keep: Callable[[zipfile.ZipInfo], bool] = lambda _member: True,
    max_member_bytes: int | None = None,
) -> list[Path]:
    """Write the ZIP's files that ``keep`` accepts under ``into``, each at its own path inside the ZIP; the paths
    written, in the ZIP's order."""
    listed = _entries_listed(zip_path)
    if listed is not None and listed > max_files:
        raise KawalError(TOO_MANY, f=zip_path.name, n=listed, limit=max_files)
    try:
        with zipfile.ZipFile(zip_path) as archive:
            members = [m for m in archive.infolist() if not _is_folder(m) and keep(m)]
            places = _checked_places(zip_path.name, members, into, max_files, max_bytes, max_member_bytes)
            for member, place in places:
                place.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, place.open("wb") as target:
                    shutil.copyfileobj(source, target, 1 << 20)
            return [place for _member, place in places]
    except OSError as error:  # names that clash on disk ("a.json" a file and a folder) or too long for it
        if not isinstance(error, FileExistsError | NotADirectoryError | IsADirectoryError) and error.errno not in (
            errno.ENAMETOOLONG,
            errno.EILSEQ,
        ):
            raise  # the disk of this server (full, unwritable): not the zip's fault
        raise KawalError(DAMAGED, f=zip_path.name) from error
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as error:
        # a member whose data does not inflate or fails its CRC, or packed in a way zipfile does not read
        raise KawalError(DAMAGED, f=zip_path.name) from error


def _checked_places(
    name: str,
    members: list[zipfile.ZipInfo],
    into: Path,
    max_files: int,
    max_bytes: int,
    max_member_bytes: int | None,
) -> list[tuple[zipfile.ZipInfo, Path]]:
    """Where each member goes; every refusal made here, before the first byte is written."""
    unpacked = sum(m.file_size for m in members)
    if len(members) > max_files or unpacked > max_bytes:
        raise KawalError(
            TOO_BIG, f=name, files=len(members), gb=f"{unpacked / 2**30:.1f}", max_files=max_files,
            max_gb=f"{max_bytes / 2**30:g}",
        )  # fmt: skip
    inside = into.resolve()
    places: list[tuple[zipfile.ZipInfo, Path]] = []
    seen: set[tuple[str, ...]] = set()
    for member in members:
        if member.flag_bits & 0x1:
            raise KawalError(LOCKED, f=name)
        written = member.filename.replace("\\", "/")
        parts = PurePosixPath(written).parts
        leaves = written.startswith("/") or not parts or _DRIVE.match(parts[0]) or any(p in (".", "..") for p in parts)
        place = into.joinpath(*parts)
        leaves = leaves or not place.resolve().is_relative_to(inside)  # a backstop: whatever the name, inside
        link = stat.S_ISLNK(member.external_attr >> 16)  # its target would be written as a file's text
        if leaves or link or (max_member_bytes is not None and member.file_size > max_member_bytes):
            raise KawalError(UNSAFE, f=name, m=member.filename)
        key = _as_a_disk_compares(parts)
        if key in seen:  # written twice, the second would replace the first, and its rows be lost unsaid
            raise KawalError(TWICE, f=name, m=member.filename)
        seen.add(key)
        places.append((member, place))
    return places


def _as_a_disk_compares(parts: tuple[str, ...]) -> tuple[str, ...]:
    """A member's path as the disk of a Windows or Mac server compares names: case aside (TPS-1.csv is tps-1.csv),
    and on a Mac one composed form of each letter (É written whole or as E and an accent). Two members one disk
    takes for one file are refused there and here alike."""
    return tuple(unicodedata.normalize("NFC", part).casefold() for part in parts)


def _is_folder(member: zipfile.ZipInfo) -> bool:
    """A folder entry, as zipfile writes it (``DPT/``) or as some Windows tools do (``DPT\\``)."""
    return member.filename.endswith(("/", "\\"))


def _entries_listed(zip_path: Path) -> int | None:
    """The number of entries the ZIP's end record says its index holds (ZIP64's where the plain count is full),
    read without reading the index; None where there is no end record (zipfile then says the ZIP is damaged)."""
    with zip_path.open("rb") as f:
        size = f.seek(0, 2)
        f.seek(max(0, size - (22 + 0xFFFF)))  # the end record (22 bytes) and at most a 64 KiB comment after it
        tail = f.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) < at + 22:
            return None
        count = int.from_bytes(tail[at + 10 : at + 12], "little")
        locator = tail.rfind(b"PK\x06\x07", 0, at)  # ZIP64: the locator of its end record, just before
        if count != 0xFFFF or locator < 0:
            return count
        f.seek(int.from_bytes(tail[locator + 8 : locator + 16], "little"))
        record = f.read(40)
        return int.from_bytes(record[32:40], "little") if record[:4] == b"PK\x06\x06" else count
