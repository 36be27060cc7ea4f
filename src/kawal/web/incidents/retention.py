"""Retention of incident data (UU PDP 27/2022), run by ``kawal retention`` with the voter lists' retention.

A report received more than ``days`` ago has done its work: Bawaslu had 7 days to receive it and its own process
to follow it up. Its personal data goes: the reporter's identity, the witnesses, the description, the reported
party (reports may be about officials), the exact place and GPS position, confirmation notes and status reasons
(which may name people), and the evidence files (photos and recordings; their SHA-256 and sizes stay, so the
record of what was sent remains checkable against a copy kept elsewhere). What stays: the number, category,
kelurahan and TPS, the dates, the status history, Bawaslu's register number, so the public counts do not change.

The chat intake's state of the same age goes too: conversations (with what was typed), handled-message ids,
replies (with their recipients), expired link codes, and chat links made before the cutoff (the relawan links
again with a new code). Dry run unless ``apply``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from kawal.web.actionlog.models import record
from kawal.web.incidents.models import (
    CategoryChange,
    ChatLink,
    ChatMessage,
    Confirmation,
    Conversation,
    Evidence,
    LinkCode,
    Media,
    Outbox,
    Report,
    StatusChange,
    Witness,
)

if TYPE_CHECKING:
    from kawal.web.photos.models import Photo

SCRUBBED = {
    "pelapor_nama_encrypted": "",
    "pelapor_nik_encrypted": "",
    "pelapor_alamat_encrypted": "",
    "pelapor_telepon_encrypted": "",
    "pelapor_pekerjaan_encrypted": "",
    "description": "",
    "reported_party": "",
    "place": "",
    "latitude": None,
    "longitude": None,
}


@dataclass
class IncidentPlan:
    reports: int = 0
    witnesses: int = 0
    files: int = 0  # evidence photos and recordings whose files go
    chat_rows: int = 0  # conversations, message ids, replies, links and codes


def _reports(days: int) -> QuerySet[Report]:
    return Report.unscoped.filter(received_at__lt=timezone.now() - timedelta(days=days), erased_at=None)


def _chat(days: int) -> list[QuerySet[Any]]:
    cutoff = timezone.now() - timedelta(days=days)
    return [
        Conversation.objects.filter(updated_at__lt=cutoff),
        ChatMessage.objects.filter(received_at__lt=cutoff),
        Outbox.objects.filter(created_at__lt=cutoff),
        ChatLink.objects.filter(linked_at__lt=cutoff),
        LinkCode.objects.filter(Q(expires_at__lt=cutoff) | Q(used_at__lt=cutoff)),
    ]


def _evidence(reports: QuerySet[Report]) -> QuerySet[Evidence]:
    return Evidence.objects.filter(report__in=reports).select_related("photo", "media")


def plan(days: int) -> IncidentPlan:
    reports = _reports(days)
    return IncidentPlan(
        reports=reports.count(),
        witnesses=Witness.objects.filter(report__in=reports).count(),
        files=_evidence(reports).count(),
        chat_rows=sum(q.count() for q in _chat(days)),
    )


@transaction.atomic
def apply(days: int) -> IncidentPlan:
    found = plan(days)
    ids = list(_reports(days).values_list("pk", flat=True))
    reports = Report.unscoped.filter(pk__in=ids)
    for item in _evidence(reports):
        _erase_file(item, ids)
    Witness.objects.filter(report__in=reports).delete()
    Confirmation.objects.filter(report__in=reports).update(note="")
    StatusChange.objects.filter(report__in=reports).update(reason="")
    CategoryChange.objects.filter(report__in=reports).update(reason="")
    reports.update(**SCRUBBED, erased_at=timezone.now())
    for rows in _chat(days):
        rows.delete()
    record("retention.incidents", reports=found.reports, files=found.files, chat_rows=found.chat_rows)
    return found


def _erase_file(item: Evidence, erased: list[int]) -> None:
    """The file goes, its row (SHA-256, size) stays. A photo that is also evidence of a newer report (a merge
    copies evidence) stays whole until that report's turn."""
    if item.photo_id:
        if Evidence.objects.filter(photo_id=item.photo_id).exclude(report_id__in=erased).exists():
            return
        photo = cast("Photo", item.photo)  # photo_id is set
        for stored in (photo.original, photo.served):
            if stored:
                stored.delete(save=False)
        return
    media = cast(Media, item.media)  # an evidence row without a photo holds a recording
    if Evidence.objects.filter(media_id=media.pk).exclude(report_id__in=erased).exists():
        return
    if media.file:
        media.file.delete(save=False)
    Media.objects.filter(pk=media.pk).update(file="", key_encrypted="")
