"""Rotating the key that encrypts personal data (``KAWAL_FIELD_KEY``), and checking that every stored value can
be read and every hash still matches.

Every column named ``*_encrypted`` on any model is covered, so a new one cannot be forgotten. A rotation goes
in batches, each in its own transaction; a value already under the new key is left alone, so an interrupted
rotation is simply run again. The hashes are not touched: they use ``KAWAL_HASH_KEY``, pinned before rotating.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from cryptography.exceptions import InvalidTag
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

from kawal.engine import SnapshotStore, sealed_with, set_snapshot_keys, snapshot_key_id
from kawal.i18n import KawalError, t
from kawal.web.actionlog.models import record
from kawal.web.crypto import decrypt, encrypt, keyed_hash, snapshot_keys, under_current_key

BATCH = 2000


@dataclass
class Column:
    model: type[models.Model]
    field: models.Field
    total: int = 0
    current: int = 0  # already under the current key
    rotated: int = 0
    unreadable: int = 0  # under neither key: reported, never overwritten

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field.name}"


def encrypted_columns() -> list[Column]:
    return [
        Column(model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.name.endswith("_encrypted")
    ]


def _batches(column: Column) -> Iterator[list[tuple[int, str]]]:
    rows = column.model._base_manager.exclude(**{column.field.name: ""}).order_by("pk")
    last = None
    while True:
        page = rows.filter(pk__gt=last) if last is not None else rows
        batch = list(page.values_list("pk", column.field.name)[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def _sort(column: Column, token: str) -> str | None:
    """The value re-sealed under the current key, or None when it already is (or cannot be read)."""
    if under_current_key(token):
        column.current += 1
        return None
    clear = _readable(token)
    if clear is None:  # under neither key, or damaged: counted and left as it is
        column.unreadable += 1
        return None
    column.rotated += 1
    return encrypt(clear)


def rotate(progress: Callable[[str], None] | None = None) -> list[Column]:
    """Re-encrypt every value still under ``KAWAL_FIELD_KEY_OLD`` with ``KAWAL_FIELD_KEY``."""
    if not settings.FIELD_KEY_OLD:
        raise KawalError(
            (
                "KAWAL_FIELD_KEY_OLD belum diisi: isi dengan kunci lama.",
                "KAWAL_FIELD_KEY_OLD is not set: set the old key.",
            )
        )
    if settings.FIELD_KEY_OLD == settings.FIELD_KEY:
        raise KawalError(("Kunci lama sama dengan kunci baru.", "The old key equals the new key."))
    columns = encrypted_columns()
    for column in columns:
        if progress:
            progress(column.label)
        table = connection.ops.quote_name(column.model._meta.db_table)
        field_column = cast(str, column.field.column)  # a concrete field: it has a column
        sql = f"UPDATE {table} SET {connection.ops.quote_name(field_column)} = %s WHERE id = %s"
        for batch in _batches(column):
            column.total += len(batch)
            updates = [(fresh, pk) for pk, token in batch if (fresh := _sort(column, token)) is not None]
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, updates)
    rotated: dict[str, Any] = {c.label: {"rotated": c.rotated, "unreadable": c.unreadable} for c in columns}
    if progress:
        progress(t(("Snapshot daftar pemilih", "Voter-list snapshots")))
    rotated["snapshot_files"] = seal_snapshots()
    record("keys.rotated", **rotated)
    return columns


def seal_snapshots() -> int:
    """Seal every snapshot file not yet under the current key (written plain before sealing existed, or under the
    old key); returns how many files were rewritten."""
    set_snapshot_keys(*snapshot_keys())  # the keys of the settings now (a process started before them has others)
    return SnapshotStore(Path(settings.SNAPSHOT_ROOT)).reseal()


def snapshot_files() -> dict[str, int]:
    """The snapshot files by state: ``current`` (sealed with the current key), ``old`` (another key) and
    ``plain`` (not sealed)."""
    current = snapshot_key_id(snapshot_keys()[0])
    states = {"current": 0, "old": 0, "plain": 0}
    for snapshot in SnapshotStore(Path(settings.SNAPSHOT_ROOT)).list():
        for path in (snapshot.voters_path, snapshot.rejects_path):
            owner = sealed_with(path)
            states["plain" if owner is None else "current" if owner == current else "old"] += 1
    return states


def check(sample: int = 200) -> tuple[list[Column], int, int]:
    """Every encrypted value counted by key, and up to ``sample`` NIK hashes recomputed: (columns, hashes checked,
    hashes that no longer match, which means the hash key changed)."""
    columns = encrypted_columns()
    for column in columns:
        for batch in _batches(column):
            column.total += len(batch)
            for _pk, token in batch:
                column.current += under_current_key(token)
        column.unreadable = _unreadable(column) if column.current < column.total else 0
    checked = mismatched = 0
    for model in (m for m in apps.get_models() if {"nik_encrypted", "nik_hash"} <= {f.name for f in m._meta.fields}):
        rows = model._base_manager.exclude(nik_encrypted="").values_list("nik_encrypted", "nik_hash")[:sample]
        for token, stored in rows:
            clear = _readable(token)
            if clear is not None:
                checked += 1
                mismatched += keyed_hash(clear) != stored
    return columns, checked, mismatched


def _readable(token: str) -> str | None:
    try:
        return decrypt(token)
    except (InvalidTag, ValueError, UnicodeDecodeError):  # under neither key, or damaged: counted by the caller
        return None


def _unreadable(column: Column) -> int:
    return sum(_readable(token) is None for batch in _batches(column) for _pk, token in batch)
