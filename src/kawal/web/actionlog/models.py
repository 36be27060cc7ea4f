"""One append-only, tamper-evident log of every change to shared records: who, when, from where, what.

Each entry carries the hash of the one before it (``prev_hash``) and its own (``entry_hash`` = SHA-256 of the
previous hash and the entry's canonical JSON), numbered without gaps by ``seq``. Editing, removing or reordering
any entry breaks the chain from there on; ``kawal log verify`` finds where. The head hash is shown on the public
pages, so outsiders who note it can tell if history is later rewritten.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from datetime import UTC
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from kawal.web.client_address import client_ip

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from kawal.web.accounts.models import Organisation
    from kawal.web.actionlog.checkpoints import Signed

GENESIS = "0" * 64
_APPEND_LOCK = threading.Lock()


class AppendOnlyError(Exception):
    """The action log is never edited or deleted."""


class ActionLog(models.Model):
    created_at = models.DateTimeField(default=timezone.now, db_index=True)  # set by _append, then hashed
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT)
    ip = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    seq = models.BigIntegerField(unique=True, null=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-id"]

    def canonical(self) -> str:
        """What the hash covers, as the same text on every machine and database."""
        return json.dumps(
            {
                "seq": self.seq,
                "created_at": self.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
                "user": self.user_id,
                "organisation": self.organisation_id,
                "ip": self.ip,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "detail": self.detail,
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            default=str,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(f"{self.prev_hash}\n{self.canonical()}".encode()).hexdigest()

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("action log entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("action log entries are never deleted")


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    user: User | AnonymousUser | None = None,
    obj: models.Model | None = None,
    organisation: Organisation | None = None,
    **detail: Any,
) -> ActionLog:
    """Write one entry. ``detail`` must hold no personal data (no NIK, NKK or names): ids and counts only."""
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    entry = ActionLog(
        user=cast("User | None", user),  # an anonymous user was dropped just above
        organisation=organisation,
        ip=client_ip(request),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=json.loads(json.dumps(detail, default=str)),  # stored exactly as it will be read back and hashed
    )
    if connection.vendor == "postgresql":
        return _append(entry)  # the advisory lock makes appends take turns: no retry needed
    for attempt in range(40):
        try:
            # SQLite: threads of one process take turns (processes meet at the database lock), and a savepoint
            # inside the caller's transaction makes a retry clean.
            with _APPEND_LOCK, transaction.atomic():
                return _append(entry)
        except IntegrityError:  # another process took this seq first: link to the new head instead
            entry.pk = None
        except OperationalError as error:  # SQLite's shared-cache lock (tests' in-memory database): wait a little
            if "locked" not in str(error):
                raise
            entry.pk = None
            time.sleep(0.01 * (attempt + 1))
    raise IntegrityError("action log: could not append after 40 attempts")


HEAD_SQL = "SELECT seq, entry_hash FROM actionlog_actionlog WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1"


def _append(entry: ActionLog) -> ActionLog:
    """Link the entry to the head. Called inside the caller's transaction when there is one, so the change and
    its log entry commit together; on PostgreSQL the advisory lock is then held until that commit, which is why
    callers record as the last step of their transaction."""
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # one writer at a time extends the chain
                cursor.execute("SELECT pg_advisory_xact_lock(7155)")
            cursor.execute(HEAD_SQL)
            found = cursor.fetchone()
        entry.seq, entry.prev_hash = (found[0] + 1, found[1]) if found else (1, GENESIS)
        entry.created_at = timezone.now()
        entry.entry_hash = entry.compute_hash()
        _insert(entry)
    return entry


def _insert(entry: ActionLog) -> None:
    """``entry.save()`` without the ORM's query building: every write on election night ends here, and on a
    small server building the INSERT cost as much as running it. Values still pass through each field's own
    conversion, so what is stored is what ``save()`` would store."""
    fields = [f for f in ActionLog._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(cast(str, f.column)) for f in fields)  # concrete: has a column
    values = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
    sql = f"INSERT INTO {ActionLog._meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id"
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        entry.pk = cursor.fetchone()[0]
    entry._state.adding = False


def head() -> tuple[int, str] | None:
    """The latest entry's number and hash: what the public pages show."""
    with connection.cursor() as cursor:
        cursor.execute(HEAD_SQL)
        found = cursor.fetchone()
    return (found[0], found[1]) if found else None


class Checkpoint(models.Model):
    """A signed note of the log's head at one moment (``actionlog/checkpoints.py``): the chain can prove that an
    entry was edited, but not that the last ones were cut off; a checkpoint names an entry that must still be there.
    Kept here, in a file outside the database, and printed for publishing; signed under a key the database does not
    hold. Append-only like the log."""

    created_at = models.DateTimeField()
    seq = models.BigIntegerField()
    entry_hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16)  # which signing key: a signature under another key is reported
    signature = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq", "-id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("checkpoints are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("checkpoints are never deleted")


def verify(chunk: int = 5000, checkpoints: list[Signed] | None = None) -> tuple[int, list[str]]:
    """Walk the chain; returns the entries checked and the problems found: entries edited, removed, moved to
    another place (each named with the place it was written at), and, against every signed checkpoint (those
    stored, those in the checkpoint file, and ``checkpoints`` given), a tail cut off or rewritten."""
    from kawal.web.actionlog import checkpoints as signed
    from kawal.web.actionlog.chain import Walk

    problems: list[str] = []
    outside = ActionLog.objects.filter(seq=None).count()  # every entry is appended into the chain: none may sit outside
    if outside:
        problems.append(f"{outside} entri di luar rantai / entries outside the chain")
    known, bad = signed.gather(checkpoints)
    walk = Walk(watch={c.seq for c in known})
    for entry in ActionLog.objects.exclude(seq=None).order_by("seq").iterator(chunk_size=chunk):
        walk.step(entry)
    problems += walk.finish() + bad + signed.compare(known, walk)
    return walk.checked, problems
