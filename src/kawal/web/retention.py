"""Retention (UU PDP 27/2022: keep personal data no longer than its purpose needs): after the period, the personal
data of old voter lists is erased while the counts, statuses and the action log stay.

For every voter list older than the period: voters lose name, birth place, address and NIK/NKK (encrypted,
hashed and masked forms); new voters, people met in samples, corrections, Dukcapil referrals and tanggapan items
lose theirs; new voters' document photos (KTP-el/KK) are erased with their consent names; visit and sample photos
are deleted (files and rows' links); finding details (which may quote names) are blanked; the list's
snapshot files (full NIK) and its uploaded source are deleted. Dry run unless ``apply``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kawal.engine import SnapshotStore
from kawal.web.actionlog.models import record
from kawal.web.field.models import (
    DukcapilReferral,
    IdentityDocument,
    NewVoter,
    TanggapanItem,
    Visit,
    VisitPhoto,
    VoterCheck,
)
from kawal.web.incidents import retention as incident_retention
from kawal.web.photos.models import Photo
from kawal.web.sampling.models import Observation
from kawal.web.voters.jobs import audit_folder
from kawal.web.voters.models import Finding, Voter, VoterList

SCRUBBED_VOTER = {
    "nama": "",
    "tempat_lahir": "",
    "alamat": "",
    "nik_masked": "",
    "nkk_masked": "",
    "nik_encrypted": "",
    "nkk_encrypted": "",
    "nik_hash": "",
    "nkk_hash": "",
    "record_key": None,
}


SCRUBBED_NEW_VOTER = {
    "nama": "",
    "nik_masked": "",
    "nik_encrypted": "",
    "nik_hash": "",
    "nkk_masked": "",
    "nkk_encrypted": "",
    "nkk_hash": "",
    "personal_encrypted": "",
    "alamat": "",
    "tanggal_lahir": None,
}


@dataclass
class Plan:
    lists: list[int] = field(default_factory=list)
    voters: int = 0
    new_voters: int = 0
    people_met: int = 0
    items: int = 0
    photos: int = 0
    documents: int = 0  # new voters' KTP-el/KK photos
    snapshots: list[str] = field(default_factory=list)
    incidents: incident_retention.IncidentPlan | None = (
        None  # incidents.retention.IncidentPlan: reports past the period and chat intake rows
    )


def plan(days: int) -> Plan:
    cutoff = timezone.now() - timedelta(days=days)
    lists = VoterList.objects.filter(created_at__lt=cutoff)
    found = Plan(lists=list(lists.values_list("pk", flat=True)))
    found.voters = Voter.unscoped.filter(voter_list__in=lists).exclude(nama="", nik_encrypted="").count()
    found.new_voters = NewVoter.objects.filter(visit__task__voter_list__in=lists).exclude(nama="").count()
    found.people_met = Observation.objects.filter(unit__draw__voter_list__in=lists).exclude(nama="").count()
    found.items = TanggapanItem.objects.filter(tanggapan__voter_list__in=lists).exclude(detail="").count()
    found.photos = _photos(lists).count()
    found.documents = _documents(lists).count()
    found.snapshots = [s for s in lists.values_list("snapshot", flat=True) if s]
    found.incidents = incident_retention.plan(days)
    return found


def _documents(lists: QuerySet[VoterList]) -> QuerySet[IdentityDocument]:
    return IdentityDocument.objects.filter(new_voter__visit__task__voter_list__in=lists, erased_at=None)


def _erase_documents(lists: QuerySet[VoterList]) -> None:
    """The encrypted file and the consent name go; the record that a consented document existed stays."""
    for document in _documents(lists):
        document.file.delete(save=False)
        document.consent_name_encrypted, document.erased_at = "", timezone.now()
        document.save(update_fields=["file", "consent_name_encrypted", "erased_at"])


def _photos(lists: QuerySet[VoterList]) -> QuerySet[Photo]:
    visit_photos = VisitPhoto.objects.filter(visit__task__voter_list__in=lists).values("photo")
    return Photo.objects.filter(pk__in=visit_photos)


@transaction.atomic
def apply(days: int) -> Plan:
    found = plan(days)
    lists = VoterList.objects.filter(pk__in=found.lists)
    Voter.unscoped.filter(voter_list__in=lists).update(**SCRUBBED_VOTER)
    Finding.unscoped.filter(audit__voter_list__in=lists).update(detail="", cluster="")
    NewVoter.objects.filter(visit__task__voter_list__in=lists).update(**SCRUBBED_NEW_VOTER)
    _erase_documents(lists)
    Observation.objects.filter(unit__draw__voter_list__in=lists).update(
        nama="", nik_masked="", nik_encrypted="", nik_hash="", tanggal_lahir=None
    )
    TanggapanItem.objects.filter(tanggapan__voter_list__in=lists).update(detail="", detail_encrypted="", kpu_answer="")
    # Notes are free text a relawan or reviewer typed at the door: they name people as readily as any column.
    VoterCheck.objects.filter(visit__task__voter_list__in=lists).update(value="", value_encrypted="", note="")
    Visit.unscoped.filter(task__voter_list__in=lists).update(note="", review_reason="")
    DukcapilReferral.unscoped.filter(voter_list__in=lists).update(nik_masked="", nik_encrypted="", answer="")
    for photo in _photos(lists):
        for stored in (photo.original, photo.served):
            stored.delete(save=False)
    VisitPhoto.objects.filter(visit__task__voter_list__in=lists).delete()
    _delete_files(lists, found.snapshots)
    record("retention.applied", lists=found.lists, voters=found.voters, photos=found.photos, documents=found.documents)
    incident_retention.apply(days)  # incident reports and chat intake of the same age (incidents/retention.py)
    return found


def _delete_files(lists: QuerySet[VoterList], snapshots: list[str]) -> None:
    store = SnapshotStore(Path(settings.SNAPSHOT_ROOT))
    for name in snapshots:
        folder = store.folder / name
        if folder.exists():
            folder.chmod(0o700)
            for path in folder.iterdir():
                path.chmod(0o600)
            shutil.rmtree(folder)
    for voter_list in lists:  # an audit's work folder is removed once loaded; one an interrupted job left, here
        shutil.rmtree(audit_folder(voter_list), ignore_errors=True)
    for source in lists.values_list("source_path", flat=True):
        path = Path(source)
        if source and path.is_relative_to(Path(settings.UPLOAD_ROOT)):  # only our own copies of uploads
            path.unlink(missing_ok=True)
