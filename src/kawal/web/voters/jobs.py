"""The long job behind an upload: import with the engine, load the voters, audit, store the findings.

It runs on the task queue (``django_tasks``, database backend: ``kawal manage db_worker``), reports its step
and percentage on the ``VoterList`` row so the page can show live progress, and logs what it did.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import shutil
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from kawal.engine import (
    DEFAULT_ELECTION,
    MASK_CHARACTERS,
    AuditResult,
    Snapshot,
    SnapshotStore,
    audit_findings,
    import_voter_list,
    mask,
    run_audit,
    snapshot_voters,
)
from kawal.i18n import KawalError
from kawal.web import crypto
from kawal.web.actionlog.models import record
from kawal.web.crypto import keyed_hash, record_key_secret
from kawal.web.task_errors import without_exception_text
from kawal.web.voters import duplicate_review
from kawal.web.voters.models import NIK_HASH_INDEX, AuditRun, Finding, Voter, VoterList

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)
BATCH = 5000
NUMBER_CLUSTERS = ("NIK_GANDA", "KK_TERPISAH")  # checks whose cluster is a NIK or NKK
ELECTION_DATE = DEFAULT_ELECTION.day


on_progress: Callable[[int, str], None] | None = None  # a console bar, when the job runs in the foreground
# Called with the audit's work folder and result before the folder is removed: ``kawal demo`` scores the
# synthetic city's findings against its truth there instead of importing and auditing the list a second time.
on_audited: Callable[[Path, AuditResult], None] | None = None


def _progress(voter_list: VoterList, percent: int, step: str) -> None:
    voter_list.progress, voter_list.step = percent, step
    VoterList.objects.filter(pk=voter_list.pk).update(progress=percent, step=step)
    if on_progress:
        on_progress(percent, step)


@task()
@without_exception_text
def process_upload(voter_list_id: int) -> None:
    """Import, load and audit one uploaded list (the task the upload page enqueues)."""
    run(voter_list_id)


def run(voter_list_id: int) -> VoterList:
    voter_list = VoterList.objects.get(pk=voter_list_id)

    def steps() -> None:
        try:
            snapshot = _import(voter_list)
        finally:
            _delete_upload(voter_list)
        # The audit (DuckDB, on its own threads) runs while the voters are copied in (Python): on a 1.4 M-row
        # list each takes about as long as the other.
        _audit(voter_list, snapshot, None, lambda: _load_voters(voter_list, snapshot.voters_path))
        _plan_fieldwork(voter_list)

    return _guarded(voter_list, steps)


@task()
@without_exception_text
def reaudit_list(voter_list_id: int, user_id: int) -> None:
    """Audit a loaded list again on its stored snapshot (the list page's "Audit ulang")."""
    reaudit(voter_list_id, user_id)


def reaudit(voter_list_id: int, user_id: int | None = None) -> VoterList:
    """The audit again, with the reviewers' answers given since: the voters (and the visits that name them) stay;
    the new findings replace the old ones on the pages."""
    voter_list = VoterList.objects.get(pk=voter_list_id)

    def steps() -> None:
        snapshot = SnapshotStore(Path(settings.SNAPSHOT_ROOT)).get(voter_list.snapshot)
        _audit(voter_list, snapshot, user_id)
        _plan_fieldwork(voter_list)

    return _guarded(voter_list, steps)


def _delete_upload(voter_list: VoterList) -> None:
    """The uploaded file holds every NIK in clear; once read (or refused) it has no use (issue 16). Only kawal's
    own copies in the upload folder go; a file imported from elsewhere (the demo's) is left where it is. The
    snapshot's meta.json keeps the file's SHA-256 and size as evidence."""
    path = Path(voter_list.source_path)
    if voter_list.source_path and path.resolve().is_relative_to(Path(settings.UPLOAD_ROOT).resolve()):
        path.unlink(missing_ok=True)
        record("voter_list.upload_deleted", user=voter_list.uploaded_by, obj=voter_list,
               organisation=voter_list.organisation)  # fmt: skip


def _guarded(voter_list: VoterList, steps: Callable[[], None]) -> VoterList:
    VoterList.objects.filter(pk=voter_list.pk).update(status=VoterList.Status.RUNNING, error="")
    try:
        steps()
    except KawalError as error:
        # The engine names the file it read: on disk that is a random name, so say the name the user uploaded.
        text = str(error)
        if voter_list.source_path:
            text = text.replace(Path(voter_list.source_path).name, voter_list.source_name)
        VoterList.objects.filter(pk=voter_list.pk).update(status=VoterList.Status.FAILED, error=text)
        record("voter_list.failed", user=voter_list.uploaded_by, obj=voter_list, organisation=voter_list.organisation)
        return voter_list
    except Exception as error:
        # The exception's message may quote a row (a name, a NIK): log where it failed, never what it said.
        where = "".join(traceback.format_tb(error.__traceback__))
        log.error("upload %s failed with %s\n%s", voter_list.pk, type(error).__name__, where)
        VoterList.objects.filter(pk=voter_list.pk).update(
            status=VoterList.Status.FAILED, error=f"Kesalahan internal ({type(error).__name__}); hubungi pengelola."
        )
        raise
    VoterList.objects.filter(pk=voter_list.pk).update(status=VoterList.Status.DONE, progress=100, step="")
    voter_list.refresh_from_db()
    return voter_list


def _import(voter_list: VoterList):
    _progress(voter_list, 2, "Mengimpor file")
    store = SnapshotStore(Path(settings.SNAPSHOT_ROOT))
    # The engine names its steps (a long PDF spends most of its time reading pages); the bar stays at 2%.
    result = import_voter_list(
        Path(voter_list.source_path),
        voter_list.stage,
        voter_list.wilayah,
        store,
        progress=lambda step: _progress(voter_list, 2, step[:200]),
    )
    counts: dict[str, Any] = result.snapshot.counts
    VoterList.objects.filter(pk=voter_list.pk).update(
        snapshot=result.snapshot.name, rows_in=counts["rows_in"], loaded=counts["loaded"], rejected=counts["rejected"]
    )
    record(
        "voter_list.imported",
        user=voter_list.uploaded_by,
        obj=voter_list,
        organisation=voter_list.organisation,
        snapshot=result.snapshot.name,
        **counts,
    )
    voter_list.refresh_from_db()
    return result.snapshot


VOTER_FIELDS = (
    "voter_list_id",
    "record_id",
    "nama",
    "tempat_lahir",
    "tanggal_lahir",
    "usia",
    "jenis_kelamin",
    "status_kawin",
    "alamat",
    "kode_kelurahan",
    "rw",
    "rt",
    "tps",
    "disabilitas",
    "nik_masked",
    "nkk_masked",
    "nik_encrypted",
    "nkk_encrypted",
    "nik_hash",
    "nkk_hash",
)


def _voter_rows(list_id: int, rows: list[dict]) -> list[tuple]:
    """One tuple per row for the INSERT, in VOTER_FIELDS order: text fields never NULL, numbers encrypted, masked
    and hashed (:class:`kawal.web.crypto.Batch`). A number with hidden digits (a published list's
    ``367101**********``) gets no hash: it is no identity, and would make one household of a whole kecamatan."""
    batch = crypto.Batch(2 * len(rows))

    def identity(value: str | None) -> str:
        return batch.keyed_hash(value) if value and _MASK_SET.isdisjoint(value) else ""

    return [
        (
            list_id,
            row["record_id"],
            row["nama"] or "",
            row["tempat_lahir"] or "",
            row["tanggal_lahir"],
            row["usia"],
            row["jenis_kelamin"] or "",
            row["status_kawin"] or "",
            (row["alamat"] or "")[:255],
            row["kode_kelurahan"] or "",
            row["rw"],
            row["rt"],
            row["tps"],
            row["disabilitas"] or "",
            mask(row["nik"])[:20],
            mask(row["nkk"])[:20],
            batch.encrypt(row["nik"]),
            batch.encrypt(row["nkk"]),
            identity(row["nik"]),
            identity(row["nkk"]),
        )
        for row in rows
    ]


_MASK_SET = frozenset(MASK_CHARACTERS)


def _load_voters(voter_list: VoterList, parquet: Path) -> None:
    """Copy the snapshot's voters into the database in batches, NIK/NKK encrypted, reporting progress.

    A plain parameterised INSERT per batch: model objects would cost more than the data itself at 1.4 M rows.
    """
    total = max(voter_list.loaded, 1)
    done = 0
    Voter.unscoped.filter(voter_list=voter_list).delete()  # a retried job starts clean
    columns = ", ".join(connection.ops.quote_name(f) for f in VOTER_FIELDS)
    insert = f"INSERT INTO {connection.ops.quote_name(Voter._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(VOTER_FIELDS))})"
    with _bulk_load(voter_list):
        batches = snapshot_voters(parquet, BATCH)
        for group in iter(lambda: list(itertools.islice(batches, LOAD_BATCHES)), []):
            with transaction.atomic(), connection.cursor() as cursor:
                for rows in group:
                    cursor.executemany(insert, _voter_rows(voter_list.pk, rows))
            done += sum(len(rows) for rows in group)
            _progress(voter_list, 5 + int(75 * done / total), f"Memuat pemilih {done:,}/{total:,}".replace(",", "."))


LOAD_BATCHES = 4  # batches per transaction: 20,000 rows hold SQLite's write lock well under a second
LOAD_CACHE_KIB = 256 * 1024  # SQLite page cache during a load (the default is 2 MiB)
# Indexes whose keys arrive in random order (a keyed hash): on SQLite each insert touches a random page and each
# commit rewrites thousands of them, so when the table holds no other list they are built once after the load.
RANDOM_ORDER_INDEXES = ((NIK_HASH_INDEX, "nik_hash"),)  # (name, column)


@contextlib.contextmanager
def _bulk_load(voter_list: VoterList) -> Iterator[None]:
    """SQLite settings for a bulk load, put back after it: a larger page cache on this connection and, while the
    voter table holds no other list (a new site's first list, the demo's), the random-order indexes dropped and
    built once at the end. Every load ends by building any of them that is missing (``IF NOT EXISTS``, under the
    name the model gives it), so a load killed half-way leaves the next load to put them back. Other databases,
    and a table with other lists whose pages need the indexes, load as they are."""
    if connection.vendor != "sqlite":
        yield
        return
    quote, table = connection.ops.quote_name, Voter._meta.db_table
    alone = not Voter.unscoped.exclude(voter_list=voter_list).exists()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
        for name, _column in RANDOM_ORDER_INDEXES if alone else ():
            cursor.execute(f"DROP INDEX IF EXISTS {quote(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, column in RANDOM_ORDER_INDEXES:
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} ({quote(column)})")
            cursor.execute(f"PRAGMA cache_size = {cache}")


def _audit(
    voter_list: VoterList,
    snapshot: Snapshot,
    user_id: int | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> AuditRun:
    """Run the audit into a work folder, load what it found, and remove the folder: its files (findings.csv,
    rejects.csv, the pairs and keys) hold names and full NIKs in clear and have no use once loaded (issue 16).
    ``meanwhile`` (loading the voters) runs here while the audit runs on a thread; its findings are stored after
    both, so they find their voters."""
    out = audit_folder(voter_list)
    shutil.rmtree(out, ignore_errors=True)
    try:
        return _audit_into(voter_list, snapshot, out, user_id, meanwhile)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def audit_folder(voter_list: VoterList) -> Path:
    return Path(settings.DATA_DIR) / "audits" / str(voter_list.pk)


def _audit_into(
    voter_list: VoterList, snapshot: Snapshot, out: Path, user_id: int | None, meanwhile: Callable[[], None] | None
) -> AuditRun:
    labels = duplicate_review.labels_for(voter_list.organisation_id)  # read here: the audit thread uses no database
    secret = record_key_secret()

    def audit() -> AuditResult:
        return run_audit(
            [str(snapshot.path)],
            out,
            election_date=ELECTION_DATE,
            store=SnapshotStore(Path(settings.SNAPSHOT_ROOT)),
            labels=labels or None,
            key_secret=secret,
            memory=settings.KAWAL_AUDIT_MEMORY,
        )

    if meanwhile is None:
        _progress(voter_list, 82, "Mengaudit daftar")
        result = audit()
    else:
        # If ``meanwhile`` fails, leaving the block waits for the audit before the folder is removed.
        with ThreadPoolExecutor(1, thread_name_prefix="kawal-audit") as pool:
            pending = pool.submit(audit)
            meanwhile()
            _progress(voter_list, 82, "Mengaudit daftar")
            result = pending.result()
    if on_audited:
        on_audited(out, result)
    earlier = list(AuditRun.objects.filter(voter_list=voter_list, superseded_at=None).values_list("pk", flat=True))
    run = AuditRun.objects.create(
        voter_list=voter_list,
        election_date=ELECTION_DATE,
        max_per_tps=result.summary["max_per_tps"],
        threshold=result.summary["duplicate_threshold"],
        summary=_public_summary(result.summary),
    )
    _progress(voter_list, 90, "Menyimpan temuan")
    ids: dict[str, int] = {}
    places: dict[int, tuple] = {}
    for record_id, pk, rw, rt in Voter.unscoped.filter(voter_list=voter_list).values_list(
        "record_id", "pk", "rw", "rt"
    ):
        ids[record_id], places[pk] = pk, (rw, rt)
    for rows in audit_findings(out / "findings.csv", BATCH):
        with transaction.atomic():
            Finding.unscoped.bulk_create([_finding(run, r, ids, places) for r in rows], batch_size=BATCH)
    pairs = duplicate_review.store_pairs(run, out, ids)
    duplicate_review.store_keys(snapshot.voters_path, out, ids, secret)
    _supersede(run, earlier)
    record(
        "audit.run",
        user=_actor(voter_list, user_id),
        obj=run,
        organisation=voter_list.organisation,
        findings=sum(result.findings.values()),
        duplicate_pairs=pairs,
        labels=len(labels),
        replaces=earlier,
    )
    return run


def _actor(voter_list: VoterList, user_id: int | None) -> User:
    """Who the log names: whoever asked for a re-audit, else the uploader."""
    from django.contrib.auth import get_user_model

    found = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return found or voter_list.uploaded_by


def _supersede(run: AuditRun, earlier: list[int]) -> None:
    """The new run's findings replace the earlier runs' on the pages; where the same voter has the same finding
    again, the reviewers' status (verifying, confirmed, dismissed) carries over."""
    if not earlier:
        return
    kept = (
        Finding.unscoped.filter(audit_id__in=earlier)
        .exclude(status=Finding.Status.OPEN)
        .exclude(voter=None)
        .values_list("check_code", "status", "voter_id")
    )
    by_status: dict[tuple[str, str], list[int]] = {}
    for code, status, voter in kept:
        by_status.setdefault((code, status), []).append(voter)
    with transaction.atomic():
        for (code, status), voters in by_status.items():
            Finding.unscoped.filter(audit=run, check_code=code, voter_id__in=voters).update(status=status)
        AuditRun.objects.filter(pk__in=earlier).update(superseded_at=timezone.now())


def _finding(run: AuditRun, row: dict, ids: dict[str, int], places: dict[int, tuple]) -> Finding:
    voter = ids.get(row["record_id"]) if row["record_id"] else None
    rw, rt = places.get(voter, (None, None))  # type: ignore[arg-type]  # None is simply not a key
    cluster = row["cluster"] or ""
    if row["check"] in NUMBER_CLUSTERS and cluster:
        cluster = "H-" + keyed_hash(cluster)[:16]  # groups rows by NIK/NKK without showing the number
    return Finding(
        audit=run,
        voter_id=voter,
        check_code=row["check"],
        tms=int(row["tms"]) if row["tms"] else None,
        cluster=cluster,
        kode_kelurahan=row["kode_kelurahan"] or "",
        rw=rw,
        rt=rt,
        tps=int(row["tps"]) if row["tps"] else None,
        detail=row["detail"] or "",
    )


def _plan_fieldwork(voter_list: VoterList) -> None:
    """Households with findings to verify become field tasks, given to the relawan of their RT/RW."""
    from kawal.web.field.assign import assign_open_tasks, create_tasks

    _progress(voter_list, 96, "Membuat tugas lapangan")
    created = create_tasks(voter_list)
    assigned = assign_open_tasks(voter_list)
    record(
        "tasks.created",
        user=voter_list.uploaded_by,
        obj=voter_list,
        organisation=voter_list.organisation,
        tasks=created,
        assigned=assigned,
    )


def _public_summary(summary: dict) -> dict:
    """The summary as stored in the database: counts only (it holds no personal data anyway)."""
    return {k: v for k, v in summary.items() if k != "inputs"}
