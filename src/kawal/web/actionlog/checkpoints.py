"""Signed checkpoints of the action log's head: what ``kawal log verify`` holds a shortened log against.

The hash chain proves an entry was edited, moved or removed from the middle, but whoever deletes the last entries
leaves a shorter chain that is intact. A checkpoint is the head (``seq`` and hash) at one moment, signed with
HMAC-SHA-256 under a key derived from the hash key (``crypto.log_checkpoint_key``; the database holds no key).
``kawal log checkpoint`` (hourly, ``deploy/systemd/kawal-log-checkpoint.timer``) writes one to three places:
the ``Checkpoint`` table, a file outside the database (``KAWAL_LOG_CHECKPOINTS``, one JSON line each, mode 0600),
and standard output, for publishing wherever the operator keeps a copy. Whoever cuts the tail must then also cut
the table, the file and every published copy, and cannot sign a new checkpoint for the shorter log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from kawal.web.actionlog.models import Checkpoint, head
from kawal.web.crypto import log_checkpoint_key

if TYPE_CHECKING:
    from kawal.web.actionlog.chain import Walk


@dataclass(frozen=True)
class Signed:
    """One checkpoint as written to the file and printed: plain data, so it can travel anywhere."""

    seq: int
    entry_hash: str
    created_at: str  # ISO 8601, UTC
    key_id: str
    signature: str

    def message(self) -> bytes:
        return f"kawal-log-checkpoint\n{self.seq}\n{self.entry_hash}\n{self.created_at}".encode()

    def valid(self) -> bool:
        return hmac.compare_digest(self.signature, _sign(self.message()))

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def key_id() -> str:
    """A name for the signing key that does not reveal it."""
    return hashlib.sha256(b"key-id\n" + log_checkpoint_key()).hexdigest()[:16]


def _sign(message: bytes) -> str:
    return hmac.new(log_checkpoint_key(), message, hashlib.sha256).hexdigest()


def checkpoint_file() -> Path:
    configured = getattr(settings, "LOG_CHECKPOINTS", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "log" / "checkpoints.jsonl"


def make(when: datetime | None = None) -> Signed | None:
    """Sign the current head and keep it in the table and the file; None while the log is empty."""
    current = head()
    if current is None:
        return None
    moment = (when or timezone.now()).astimezone(UTC).isoformat(timespec="microseconds")
    unsigned = Signed(current[0], current[1], moment, key_id(), "")
    signed = Signed(**{**asdict(unsigned), "signature": _sign(unsigned.message())})
    Checkpoint.objects.create(
        created_at=datetime.fromisoformat(moment),
        seq=signed.seq,
        entry_hash=signed.entry_hash,
        key_id=signed.key_id,
        signature=signed.signature,
    )
    _append_to_file(signed)
    return signed


def _append_to_file(signed: Signed) -> None:
    path = checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as f:
        f.write(signed.to_json() + "\n")


def read(source: str | Path) -> list[Signed]:
    """Checkpoints from a file of JSON lines (the checkpoint file, or a published copy)."""
    found = []
    for line in Path(source).read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            found.append(
                Signed(int(data["seq"]), data["entry_hash"], data["created_at"], data["key_id"], data["signature"])
            )
    return found


def stored() -> list[Signed]:
    return [
        Signed(
            c.seq, c.entry_hash, c.created_at.astimezone(UTC).isoformat(timespec="microseconds"), c.key_id, c.signature
        )
        for c in Checkpoint.objects.order_by("seq", "id")
    ]


def gather(extra: list[Signed] | None = None) -> tuple[list[Signed], list[str]]:
    """Every checkpoint known (table, file, ``extra``): those whose signature holds, and the problems with the
    others; a checkpoint in the file that the table lost is itself a sign of a cut."""
    in_table = stored()
    in_file = read(checkpoint_file()) if checkpoint_file().exists() else []
    problems = []
    table_keys = {(c.seq, c.entry_hash, c.signature) for c in in_table}
    for c in in_file:
        if (c.seq, c.entry_hash, c.signature) not in table_keys and c.valid():
            problems.append(
                f"titik periksa #{c.seq} ada di berkas tetapi tidak di basis data / "
                f"checkpoint #{c.seq} is in the file but not in the database"
            )
    known: dict[tuple[int, str, str], Signed] = {}
    for c in [*in_table, *in_file, *(extra or [])]:
        if c.key_id != key_id():
            problems.append(f"titik periksa #{c.seq}: kunci lain / checkpoint #{c.seq}: signed under another key")
        elif not c.valid():
            problems.append(f"titik periksa #{c.seq}: tanda tangan tidak sah / checkpoint #{c.seq}: signature invalid")
        else:
            known[(c.seq, c.entry_hash, c.signature)] = c
    return list(known.values()), list(dict.fromkeys(problems))  # one line per problem, wherever it was found


def compare(known: list[Signed], walk: Walk) -> list[str]:
    """Each valid checkpoint against the walked chain: its entry must still be there, with the same hash."""
    problems = []
    for c in sorted(known, key=lambda c: c.seq):
        if c.seq > walk.highest:
            problems.append(
                f"titik periksa #{c.seq} ({c.created_at}): log hanya sampai seq {walk.highest}, ekornya terpotong / "
                f"checkpoint #{c.seq}: the log ends at seq {walk.highest}, its tail was cut"
            )
        elif walk.seen.get(c.seq) != c.entry_hash:
            problems.append(f"seq {c.seq}: berbeda dari titik periksa ({c.created_at}) / differs from the checkpoint")
    return problems
