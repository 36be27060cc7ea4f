"""Immutable, versioned voter-list snapshots on disk.

Layout: ``<root>/snapshots/<NNNN>-<stage>-<wilayah>/`` holding ``voters.parquet``, ``rejects.parquet`` and
``meta.json``. A snapshot is written in ``<root>/.staging/`` and renamed into place in one step, so a reader
never sees half of one and a crash leaves only staging litter that the next import sweeps. Files are made
read-only for the service user alone: they hold NIK, NKK and names. When the process has a snapshot key
(:mod:`kawal.engine.sealed`), ``voters.parquet`` and ``rejects.parquet`` are sealed (AES-256-GCM) as they are
written, so a copy of the data folder gives none of that away; ``meta.json`` holds counts and hashes only.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kawal.engine import sealed
from kawal.i18n import KawalError

SCHEMA_VERSION = 1
VOTERS = "voters.parquet"
REJECTS = "rejects.parquet"
META = "meta.json"
ENV_DATA_DIR = "KAWAL_DATA_DIR"

NO_SUCH_SNAPSHOT = ("Snapshot '{ref}' tidak ada di {root}.", "No snapshot '{ref}' in {root}.")


def default_root() -> Path:
    """Where kawal keeps its data: ``$KAWAL_DATA_DIR``, else ``./kawal-data``."""
    return Path(os.environ.get(ENV_DATA_DIR) or "kawal-data")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Snapshot:
    """One stored snapshot: its folder and its metadata. A snapshot ``held`` in a DuckDB database for one audit
    (:func:`kawal.engine.importer.hold_voter_list`) has its ``voters`` and ``rejects`` as tables of that schema
    instead, and no folder."""

    path: Path
    meta: dict
    held: str | None = None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def number(self) -> int:
        return int(self.meta["number"])

    @property
    def voters_path(self) -> Path:
        return self.path / VOTERS

    @property
    def rejects_path(self) -> Path:
        return self.path / REJECTS

    @property
    def counts(self) -> dict[str, int]:
        return self.meta["counts"]


class SnapshotStore:
    """The snapshots under one data folder."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else default_root()
        self.folder = self.root / "snapshots"

    def list(self) -> list[Snapshot]:
        """All snapshots, oldest first."""
        if not self.folder.is_dir():
            return []
        found = [self._load(p) for p in sorted(self.folder.iterdir()) if (p / META).is_file()]
        return sorted(found, key=lambda s: s.number)

    def get(self, ref: str | Path) -> Snapshot:
        """A snapshot by number (``3``), folder name (``0003-dpt-3671``) or path."""
        path = Path(ref)
        if (path / META).is_file():
            return self._load(path)
        for snapshot in self.list():
            if str(ref) in (snapshot.name, str(snapshot.number), f"{snapshot.number:04d}"):
                return snapshot
        raise KawalError(NO_SUCH_SNAPSHOT, ref=ref, root=self.folder)

    def find_source(self, sha256: str, stage: str, wilayah: str) -> Snapshot | None:
        """The snapshot already made from this very file for this stage and wilayah, if any."""
        for snapshot in self.list():
            m = snapshot.meta
            if (m["source"]["sha256"], m["stage"], m["wilayah"]) == (sha256, stage, wilayah):
                return snapshot
        return None

    @contextlib.contextmanager
    def staging(self) -> Iterator[Path]:
        """A private work folder that disappears whatever happens; commit() moves it into place."""
        base = self.root / ".staging"
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        _sweep(base)
        work = Path(tempfile.mkdtemp(dir=base))
        try:
            yield work
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def commit(self, work: Path, meta: dict, stage: str, wilayah: str) -> Snapshot:
        """Number the staged snapshot and rename it into place atomically."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with self._lock():
            number = max((s.number for s in self.list()), default=0) + 1
            name = f"{number:04d}-{stage.lower()}-{wilayah or 'semua'}"
            meta = {
                **meta,
                "number": number,
                "name": name,
                "schema_version": SCHEMA_VERSION,
                "sealed": sealed.is_sealed(work / VOTERS),
            }
            target = work / "snapshot"
            target.mkdir(mode=0o700)
            for file in (VOTERS, REJECTS):
                os.replace(work / file, target / file)
            (target / META).write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
            for file in (VOTERS, REJECTS, META):
                _seal(target / file)
            os.replace(target, self.folder / name)
            _fsync_dir(self.folder)
        return self._load(self.folder / name)

    def reseal(self) -> int:
        """Seal every snapshot's files under the process's current key (files written plain before sealing was on,
        or under the key before a rotation); ``meta.json`` gets the new file's SHA-256. Returns the files done."""
        done = 0
        with self._lock():
            for snapshot in self.list():
                changed = sealed.reseal([snapshot.path / VOTERS, snapshot.path / REJECTS])
                if changed:
                    meta = {**snapshot.meta, "sealed": True}
                    if "voters_sha256" in meta:
                        meta["voters_sha256"] = sha256_file(snapshot.path / VOTERS)
                    _replace_meta(snapshot.path, meta)
                done += changed
        return done

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        with (self.root / ".lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @staticmethod
    def _load(path: Path) -> Snapshot:
        return Snapshot(path, json.loads((path / META).read_text(encoding="utf-8")))


STALE_SECONDS = 24 * 3600


def _sweep(base: Path) -> None:
    """Remove work folders a killed import left behind (a day old: no import runs that long)."""
    cutoff = time.time() - STALE_SECONDS
    for leftover in base.iterdir():
        if leftover.is_dir() and leftover.stat().st_mtime < cutoff:
            shutil.rmtree(leftover, ignore_errors=True)


def _seal(path: Path) -> None:
    """Flush to disk and leave the file readable by its owner only, and writable by no one."""
    with path.open("rb") as f:
        os.fsync(f.fileno())
    path.chmod(0o400)


def _replace_meta(folder: Path, meta: dict) -> None:
    fresh = folder / f".{META}.new"
    fresh.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    _seal(fresh)
    os.replace(fresh, folder / META)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
