"""``kawal backup`` / ``kawal restore``: the database, the voter-list snapshots and the photos in one tar file
with a manifest of SHA-256 sums, checked in full before anything is restored.

SQLite is copied with its online backup API (a consistent copy while the site runs); PostgreSQL with
``pg_dump --format=custom`` and restored with ``pg_restore --clean``. Photos are included when they live on the
local disk (object storage keeps its own versions). Development secrets in ``<data>/.secrets`` are included only
when asked: in production the keys come from the environment and never sit beside the data they protect.

With ``KAWAL_BACKUP_KEY`` set (64 hex digits; required in production), the tar is sealed: AES-256-GCM in chunks of
1 MiB, each authenticated with its index and whether it is the last, so a reordered, altered or cut file is
refused. The key is the backup's own (not the field key, which the backup needs anyway to read NIKs): keep it
away from the server, with the offline copy of the field key. Restoring decrypts into a private temporary folder
first, then checks the manifest as for a plain tar.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, cast

from django.conf import settings
from django.db import connection

from kawal import __version__
from kawal.i18n import KawalError

FORMAT = "kawal-backup-1"
SEALED = b"KAWALBK1"  # the first bytes of a sealed backup
CHUNK = 2**20
KEY_HELP = ("KAWAL_BACKUP_KEY: 64 digit heksadesimal", "KAWAL_BACKUP_KEY: 64 hexadecimal digits")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def _targets() -> dict[str, Path]:
    """Where each part of a backup lives on this site: snapshots, photos (when on the local disk), dev keys."""
    folders = {
        "snapshots": Path(settings.SNAPSHOT_ROOT) / "snapshots",
        ".secrets": Path(settings.DATA_DIR) / ".secrets",
    }
    photos = settings.STORAGES.get("photos", {})
    if photos.get("BACKEND", "").endswith("FileSystemStorage"):
        folders["photos"] = Path(photos["OPTIONS"]["location"])
    return folders


def _folders(include_secrets: bool) -> dict[str, Path]:
    return {
        name: path for name, path in _targets().items() if path.exists() and (include_secrets or name != ".secrets")
    }


def backup(out: Path, include_secrets: bool = False) -> dict:
    """Write the backup tar to ``out`` (written beside it, then renamed: never half a backup); returns the manifest."""
    out = Path(out)
    key = backup_key()
    if key is None and settings.PRODUCTION:  # a plain tar of every NIK, wherever the backup is carried
        raise KawalError(("KAWAL_BACKUP_KEY wajib di produksi", "KAWAL_BACKUP_KEY is required in production"))
    with tempfile.TemporaryDirectory(prefix="kawal-backup-") as scratch:
        work = Path(scratch)
        database = _dump_database(work)
        members: list[tuple[str, Path]] = [(f"db/{database.name}", database)]
        for name, folder in _folders(include_secrets).items():
            members += [(f"{name}/{p.relative_to(folder)}", p) for p in sorted(folder.rglob("*")) if p.is_file()]
        manifest = {
            "format": FORMAT,
            "kawal_version": __version__,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "files": {name: {"sha256": _sha256(path), "bytes": path.stat().st_size} for name, path in members},
        }
        partial = out.with_name(out.name + ".partial")
        plain = work / "backup.tar" if key else partial  # sealed: the plain tar stays in the private scratch folder
        with tarfile.open(plain, "w") as tar:
            body = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
            for name, path in members:
                tar.add(path, arcname=name, recursive=False)
        if key:
            seal(plain, partial, key)
        os.chmod(partial, 0o600)
        os.replace(partial, out)
    return manifest


def backup_key() -> bytes | None:
    """``KAWAL_BACKUP_KEY`` as 32 bytes, or None when unset; a placeholder or malformed key is refused."""
    text = (settings.BACKUP_KEY or "").strip()
    if not text:
        return None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != 32 or len(set(key)) < 8:  # "change-me", or 00…00: no key at all
        raise KawalError(KEY_HELP)
    return key


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


def seal(plain: Path, sealed: Path, key: bytes) -> None:
    """Encrypt ``plain`` into ``sealed``: header (magic, chunk size, nonce prefix), then per chunk its length and
    AES-GCM ciphertext, the nonce being the prefix and the chunk's index."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aes, prefix = AESGCM(key), os.urandom(8)
    header = SEALED + CHUNK.to_bytes(4, "big") + prefix
    with plain.open("rb") as source, sealed.open("wb") as target:
        target.write(header)
        chunk, index = source.read(CHUNK), 0
        while True:
            following = source.read(CHUNK)
            last = not following
            box = aes.encrypt(prefix + index.to_bytes(4, "big"), chunk, _aad(header, index, last))
            target.write(len(box).to_bytes(4, "big") + box)
            if last:
                return
            chunk, index = following, index + 1


def unseal(sealed: Path, plain: Path, key: bytes) -> None:
    """The inverse of :func:`seal`; a wrong key, an altered chunk, a reordered or a cut file is refused."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aes = AESGCM(key)
    damaged = KawalError(
        ("{f}: kunci salah, atau cadangan rusak/terpotong", "{f}: wrong key, or the backup is damaged or cut"),
        f=sealed.name,
    )
    with sealed.open("rb") as source, plain.open("wb") as target:
        header = source.read(len(SEALED) + 12)
        prefix, index = header[-8:], 0
        size = source.read(4)
        while size:
            box = source.read(int.from_bytes(size, "big"))
            size = source.read(4)
            try:
                target.write(aes.decrypt(prefix + index.to_bytes(4, "big"), box, _aad(header, index, not size)))
            except InvalidTag:
                raise damaged from None
            index += 1
        if index == 0:
            raise damaged


def is_sealed(archive: Path) -> bool:
    with Path(archive).open("rb") as f:
        return f.read(len(SEALED)) == SEALED


@contextmanager
def _plain(archive: Path) -> Iterator[Path]:
    """The archive as a plain tar: itself, or decrypted into a private temporary folder deleted afterwards."""
    archive = Path(archive)
    if not is_sealed(archive):
        yield archive
        return
    key = backup_key()
    if key is None:
        raise KawalError(("{f}: cadangan terkunci; isi KAWAL_BACKUP_KEY", "{f}: sealed backup; set KAWAL_BACKUP_KEY"),
                         f=archive.name)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="kawal-unseal-") as scratch:
        plain = Path(scratch) / archive.name
        unseal(archive, plain, key)
        yield plain


def _dump_database(work: Path) -> Path:
    if connection.vendor == "sqlite":
        target = work / "kawal.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return target
    if connection.vendor == "postgresql":
        target = work / "kawal.pgdump"
        subprocess.run(
            [*_pg("pg_dump"), "--format=custom", "--no-owner", f"--file={target}"], check=True, env=_pg_env()
        )
        return target
    raise KawalError(("basis data {v} tidak didukung", "database {v} is not supported"), v=connection.vendor)


def _pg(tool: str) -> list[str]:
    db = settings.DATABASES["default"]
    return [tool, f"--host={db.get('HOST') or 'localhost'}", f"--port={db.get('PORT') or 5432}",
            f"--username={db.get('USER') or 'postgres'}", f"--dbname={db['NAME']}"]  # fmt: skip


def _pg_env() -> dict:
    return {**os.environ, "PGPASSWORD": settings.DATABASES["default"].get("PASSWORD") or ""}


def verify(archive: Path) -> dict:
    """Check every member against the manifest; returns the manifest or raises, naming the first bad member."""
    with _plain(archive) as plain:
        return _verify(plain, Path(archive).name)


def _verify(archive: Path, shown: str) -> dict:
    with tarfile.open(archive) as tar:
        manifest = json.loads(cast(IO[bytes], tar.extractfile("manifest.json")).read())  # a file: never None
        if manifest.get("format") != FORMAT:
            raise KawalError(("{f}: bukan cadangan kawal", "{f}: not a kawal backup"), f=shown)
        names = {m.name for m in tar.getmembers() if m.isfile()} - {"manifest.json"}
        if names != set(manifest["files"]):
            raise KawalError(("{f}: isi tidak sesuai manifest", "{f}: contents do not match the manifest"), f=shown)
        for member in tar.getmembers():
            if member.name == "manifest.json" or not member.isfile():
                continue
            digest = hashlib.sha256(cast(IO[bytes], tar.extractfile(member)).read()).hexdigest()  # isfile() above
            if digest != manifest["files"][member.name]["sha256"]:
                raise KawalError(
                    ("{f}: {m} rusak (SHA-256 berbeda)", "{f}: {m} is damaged (SHA-256 differs)"),
                    f=shown,
                    m=member.name,
                )
    return manifest


def restore(archive: Path, force: bool = False) -> dict:
    """Put a verified backup back. Refuses to overwrite existing data unless ``force``."""
    with _plain(archive) as plain:
        return _restore(plain, Path(archive).name, force)


def _restore(archive: Path, shown: str, force: bool) -> dict:
    manifest = _verify(archive, shown)
    if manifest["database"] != connection.vendor:
        raise KawalError(
            ("cadangan dari {a}, situs ini memakai {b}", "the backup is of {a}, this site uses {b}"),
            a=manifest["database"],
            b=connection.vendor,
        )
    existing = [n for n, p in _folders(False).items() if any(p.rglob("*"))] + (["database"] if _has_users() else [])
    if existing and not force:
        raise KawalError(
            ("data sudah ada ({e}); pakai --force untuk menimpa", "data exists ({e}); use --force to overwrite"),
            e=", ".join(existing),
        )
    with tempfile.TemporaryDirectory(prefix="kawal-restore-") as scratch:
        work = Path(scratch)
        with tarfile.open(archive) as tar:
            tar.extractall(work, filter="data")
        _restore_database(work / "db")
        _restore_folders(work)
    return manifest


def _has_users() -> bool:
    """Whether this site's database already holds accounts (a fresh one has no tables yet, or empty ones)."""
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError

    try:
        return get_user_model().objects.exists()
    except DatabaseError:
        return False


def _restore_database(folder: Path) -> None:
    if connection.vendor == "sqlite":
        source = folder / "kawal.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(source) as copy:
            copy.backup(connection.connection)
        return
    subprocess.run(
        [*_pg("pg_restore"), "--clean", "--if-exists", "--no-owner", str(folder / "kawal.pgdump")],
        check=True,
        env=_pg_env(),
    )


def _restore_folders(work: Path) -> None:
    for name, target in _targets().items():
        source = work / name
        if not source.exists():
            continue
        if target.exists():
            for path in target.rglob("*"):  # snapshots are read-only files in read-only-ish folders
                path.chmod(0o700 if path.is_dir() else 0o600)
            shutil.rmtree(target)
        shutil.copytree(source, target)
        for path in target.rglob("*"):
            path.chmod(0o700 if path.is_dir() else (0o400 if name == "snapshots" else 0o600))
