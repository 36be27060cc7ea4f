"""Sealed files: snapshots encrypted at rest, still read by DuckDB with column pruning and row-group skipping.

Whoever copies the data folder must not read a NIK, a name or a birth date from a snapshot. DuckDB's own Parquet
encryption would be the natural tool, but the pinned DuckDB refuses to *write* it unless the ``httpfs`` extension
(OpenSSL) is loaded, and no offline installation can count on that extension. So kawal seals the Parquet file
itself, in a format made for random access:

    header (32 bytes): b"KWSEAL01" | chunk size (4 bytes, big-endian) | nonce prefix (8 random bytes)
                       | key id (8 bytes) | reserved (4 zero bytes)
    then chunk 0, 1, ... n-1: AES-256-GCM(plain chunk) with its 16-byte tag; every chunk but the last holds
    exactly ``chunk size`` plain bytes.

Chunk ``i``'s nonce is the prefix followed by ``i`` (4 bytes); its associated data is the header, ``i`` and
whether it is the last chunk. So a chunk cannot be moved, swapped with another file's or dropped from the end
without the read failing (a file cut at a chunk boundary ends in a chunk sealed as "not last"). The plain size
follows from the file's size, so the footer that Parquet readers look for first is found without reading the
file. The key id (a keyed hash of the key, not the key) tells which configured key opened it, so a rotation can
find the files still under the old key.

DuckDB reads and writes these files through an fsspec filesystem registered on each engine connection
(:func:`register`), under the ``kawalseal://`` protocol: ``read_parquet('kawalseal:///…/voters.parquet')``
decrypts only the chunks the query reads. :func:`source` gives the name to read any snapshot file by (sealed or
from before sealing), :func:`target` the name to write one by. The keys are set once per process
(:func:`set_keys`): the web app derives them from ``KAWAL_FIELD_KEY``; the command line reads
``KAWAL_SNAPSHOT_KEY_FILE``. Without a key, files are written plain, as on a user's own machine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fsspec.spec import AbstractFileSystem

from kawal.i18n import KawalError

MAGIC = b"KWSEAL01"
HEADER = 32
TAG = 16
CHUNK = 1 << 20
PROTOCOL = "kawalseal"
KEY_BYTES = 32
CACHED_CHUNKS = 16  # per open file: DuckDB reads a row group's columns in turn, mostly from neighbouring chunks


class SealedFileError(KawalError):
    """A sealed file that cannot be opened: no key, another key, or changed or cut bytes."""


class _Keys:
    """The process's keys: the first seals, all of them open (older keys stay readable during a rotation)."""

    def __init__(self) -> None:
        self.by_id: dict[bytes, bytes] = {}
        self.current: bytes | None = None


_KEYS = _Keys()


def key_id(key: bytes) -> bytes:
    """Eight bytes naming a key without revealing it."""
    return hmac.new(key, b"kawal-seal-key-id", hashlib.sha256).digest()[:8]


def set_keys(current: bytes | None, *older: bytes) -> None:
    """Seal with ``current`` from now on (None: write plain files) and open files sealed with any of the keys."""
    for key in (current, *older):
        if key is not None and len(key) != KEY_BYTES:
            raise ValueError("a sealing key is 32 bytes")
    _KEYS.current = current
    _KEYS.by_id = {key_id(k): k for k in (current, *older) if k is not None}


def sealing() -> bool:
    """Whether new snapshot files are sealed in this process."""
    return _KEYS.current is not None


def key_from_file(path: Path) -> bytes:
    """A key kept in a file as 64 hexadecimal digits (``KAWAL_SNAPSHOT_KEY_FILE``)."""
    text = Path(path).read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise KawalError(
            (
                "Berkas kunci {p} harus berisi 64 digit heksadesimal.",
                "The key file {p} must hold 64 hexadecimal digits.",
            ),
            p=path,
        )
    return key


def is_sealed(path: Path) -> bool:
    """Whether ``path`` is a sealed file (by its first bytes)."""
    try:
        with open(path, "rb") as f:
            return f.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def sealed_with(path: Path) -> bytes | None:
    """The key id a sealed file names, or None for a plain file."""
    with open(path, "rb") as f:
        header = f.read(HEADER)
    return header[20:28] if header[: len(MAGIC)] == MAGIC else None


def source(path: Path | str) -> str:
    """The name DuckDB reads ``path`` by: the sealed protocol for a sealed file, else the path itself."""
    return f"{PROTOCOL}://{Path(path).resolve()}" if is_sealed(Path(path)) else str(path)


def target(path: Path | str) -> str:
    """The name DuckDB writes ``path`` by: sealed when this process has a key, else plain."""
    return f"{PROTOCOL}://{Path(path).resolve()}" if sealing() else str(path)


def register(con: duckdb.DuckDBPyConnection) -> None:
    """Let ``con`` read and write ``kawalseal://`` names."""
    con.register_filesystem(SealedFileSystem())


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _nonce(header: bytes, index: int) -> bytes:
    return header[12:20] + index.to_bytes(4, "big")


def _key_for(header: bytes, shown: str) -> bytes:
    key = _KEYS.by_id.get(header[20:28])
    if key is None:
        raise SealedFileError(
            (
                "{p} tersegel dengan kunci yang tidak dikenal di sini: atur kunci snapshot (KAWAL_FIELD_KEY di situs, "
                "KAWAL_SNAPSHOT_KEY_FILE di baris perintah).",
                "{p} is sealed with a key not configured here: set the snapshot key (KAWAL_FIELD_KEY on the site, "
                "KAWAL_SNAPSHOT_KEY_FILE on the command line).",
            ),
            p=shown,
        )
    return key


class SealedWriter(io.RawIOBase):
    """Seals what is written to it, chunk by chunk; the last chunk is sealed as last on close."""

    def __init__(self, path: Path, key: bytes, chunk: int = CHUNK) -> None:
        super().__init__()
        self._file = open(path, "wb")  # noqa: SIM115 (closed in close())
        self._aes = AESGCM(key)
        self._chunk = chunk
        self._header = MAGIC + chunk.to_bytes(4, "big") + secrets.token_bytes(8) + key_id(key) + bytes(4)
        self._file.write(self._header)
        self._buffer = bytearray()
        self._index = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += data
        # Keep at least one byte back: the last chunk is only known as last at close.
        while len(self._buffer) > self._chunk:
            self._seal(bytes(self._buffer[: self._chunk]), last=False)
            del self._buffer[: self._chunk]
        return len(data)

    def _seal(self, plain: bytes, last: bool) -> None:
        box = self._aes.encrypt(_nonce(self._header, self._index), plain, _aad(self._header, self._index, last))
        self._file.write(box)
        self._index += 1

    def close(self) -> None:
        if not self.closed:
            try:
                self._seal(bytes(self._buffer), last=True)
                self._file.flush()
                os.fsync(self._file.fileno())
            finally:
                self._file.close()
        super().close()


class SealedReader(io.RawIOBase):
    """Random-access reads of a sealed file, safe for DuckDB's threads (each keeps its own position)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._shown = path.name
        self._fd = os.open(path, os.O_RDONLY)
        try:
            self._open_header()
        except BaseException:
            os.close(self._fd)
            raise
        self._position = threading.local()
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def _open_header(self) -> None:
        header = os.pread(self._fd, HEADER, 0)
        if len(header) < HEADER or header[: len(MAGIC)] != MAGIC:
            raise SealedFileError(("{p} bukan berkas tersegel.", "{p} is not a sealed file."), p=self._shown)
        self._header = header
        self._aes = AESGCM(_key_for(header, self._shown))
        self._chunk = int.from_bytes(header[8:12], "big")
        if self._chunk <= 0:
            raise self._damaged()
        body = os.fstat(self._fd).st_size - HEADER
        self._count = max(1, -(-body // (self._chunk + TAG)))
        self.size = body - self._count * TAG
        if self.size < 0:
            raise self._damaged()

    def _damaged(self) -> SealedFileError:
        return SealedFileError(
            ("{p} rusak atau terpotong (segel tidak cocok).", "{p} is damaged or cut short (the seal does not match)."),
            p=self._shown,
        )

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return getattr(self._position, "at", 0)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.tell(), io.SEEK_END: self.size}[whence]
        self._position.at = max(0, base + offset)
        return self._position.at

    def _plain_chunk(self, index: int) -> bytes:
        with self._lock:
            cached = self._cache.get(index)
            if cached is not None:
                self._cache.move_to_end(index)
                return cached
        box = os.pread(self._fd, self._chunk + TAG, HEADER + index * (self._chunk + TAG))
        try:
            last = index == self._count - 1
            plain = self._aes.decrypt(_nonce(self._header, index), box, _aad(self._header, index, last))
        except InvalidTag:
            raise self._damaged() from None
        with self._lock:
            self._cache[index] = plain
            while len(self._cache) > CACHED_CHUNKS:
                self._cache.popitem(last=False)
        return plain

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        at = self.tell()
        wanted = max(0, min(len(view), self.size - at))
        done = 0
        while done < wanted:
            index, offset = divmod(at + done, self._chunk)
            piece = self._plain_chunk(index)[offset : offset + wanted - done]
            view[done : done + len(piece)] = piece
            done += len(piece)
        self._position.at = at + done
        return done

    def close(self) -> None:
        if not self.closed:
            os.close(self._fd)
        super().close()


class SealedFileSystem(AbstractFileSystem):
    """The ``kawalseal://`` filesystem: local paths, sealed on write, opened on read."""

    protocol = PROTOCOL
    cachable = False  # fsspec would otherwise hand every connection the same instance, keys of the moment included

    def _open(self, path: str, mode: str = "rb", **_: Any) -> io.RawIOBase:
        local = Path(self._strip_protocol(path))
        if "w" in mode:
            if _KEYS.current is None:
                raise SealedFileError(("Tidak ada kunci untuk menyegel.", "No key to seal with."))
            return SealedWriter(local, _KEYS.current)
        return SealedReader(local)

    def info(self, path: str, **_: Any) -> dict[str, Any]:
        local = Path(self._strip_protocol(path))
        if local.is_dir():
            return {"name": str(local), "size": 0, "type": "directory"}
        if not local.exists():
            raise FileNotFoundError(str(local))
        with SealedReader(local) as reader:
            return {"name": str(local), "size": reader.size, "type": "file"}

    def ls(self, path: str, detail: bool = True, **_: Any) -> list[Any]:
        local = Path(self._strip_protocol(path))
        names = sorted(local.iterdir()) if local.is_dir() else [local]
        return [self.info(str(n)) for n in names] if detail else [str(n) for n in names]

    def modified(self, path: str) -> dt.datetime:
        return dt.datetime.fromtimestamp(Path(self._strip_protocol(path)).stat().st_mtime, tz=dt.UTC)

    def mv(self, path1: str, path2: str, **_: Any) -> None:  # DuckDB writes to a temporary name, then renames
        os.replace(self._strip_protocol(path1), self._strip_protocol(path2))

    def rm_file(self, path: str) -> None:
        Path(self._strip_protocol(path)).unlink()

    def rm(self, path: str | list[str], recursive: bool = False, maxdepth: int | None = None) -> None:
        for one in [path] if isinstance(path, str) else path:
            self.rm_file(one)

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        Path(self._strip_protocol(path)).mkdir(parents=True, exist_ok=exist_ok)

    def mkdir(self, path: str, create_parents: bool = True, **_: Any) -> None:
        Path(self._strip_protocol(path)).mkdir(parents=create_parents, exist_ok=True)


def reseal(paths: Iterable[Path]) -> int:
    """Seal each file again under the current key (plain files or files under an older key); returns how many.

    Each is rewritten beside itself and swapped in by rename, so a crash leaves the old file whole. The file mode
    is kept (snapshots are read-only).
    """
    if _KEYS.current is None:
        raise SealedFileError(("Tidak ada kunci untuk menyegel.", "No key to seal with."))
    current = key_id(_KEYS.current)
    done = 0
    for path in paths:
        if sealed_with(path) == current:
            continue
        _rewrite_sealed(path)
        done += 1
    return done


def _rewrite_sealed(path: Path) -> None:
    fresh = path.with_name(f".{path.name}.{secrets.token_hex(4)}.sealing")
    mode = path.stat().st_mode & 0o777
    reader: io.RawIOBase | io.BufferedReader = SealedReader(path) if is_sealed(path) else open(path, "rb")  # noqa: SIM115
    try:
        with reader, SealedWriter(fresh, _KEYS.current or b"") as writer:
            while block := reader.read(CHUNK):
                writer.write(block)
        fresh.chmod(mode)
        os.replace(fresh, path)
    except BaseException:
        fresh.unlink(missing_ok=True)
        raise
