"""Chat work that waits for the task queue: sending replies and fetching photos (network, never in the webhook)."""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, cast

from django.utils import timezone
from django_tasks import task

from kawal.web.crypto import decrypt
from kawal.web.incidents.messaging import chasil, telegram, whatsapp
from kawal.web.incidents.models import ChatMedia, Conversation, Evidence, Outbox
from kawal.web.photos.models import Photo
from kawal.web.photos.processing import PhotoError
from kawal.web.photos.store import save_photo
from kawal.web.task_errors import without_exception_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PLATFORMS = {"whatsapp": whatsapp, "telegram": telegram}
NAMESPACE = uuid.UUID("6f1d2a52-8c1e-4f0b-9d57-2b0a2c9b7e31")
log = logging.getLogger(__name__)


@task()
@without_exception_text
def send_reply(outbox_id: int) -> None:
    outbox = Outbox.objects.filter(pk=outbox_id, sent_at=None).first()
    if outbox is None:
        return
    platform = PLATFORMS[outbox.platform]
    if not platform.configured():  # no token (tests, a site without this messenger): kept, not sent
        return
    try:
        platform.send(decrypt(outbox.recipient_encrypted), outbox.text)
    except OSError as error:
        Outbox.objects.filter(pk=outbox.pk).update(error=type(error).__name__)
        log.warning("incident reply %s not sent: %s", outbox.pk, type(error).__name__)  # no number, no text
        return
    Outbox.objects.filter(pk=outbox.pk).update(sent_at=timezone.now())


@task()
@without_exception_text
def fetch_chat_media(chat_media_id: int) -> None:
    """Download a photo sent in a conversation, keep it through the photos pipeline, and attach it to the report
    when the conversation already made one."""
    item = ChatMedia.objects.select_related("conversation").filter(pk=chat_media_id, photo=None).first()
    if item is None:
        return
    conversation = item.conversation
    if not PLATFORMS[conversation.platform].configured():  # no token: nothing can be fetched (tests patch this)
        ChatMedia.objects.filter(pk=item.pk).update(error="no token")
        return
    try:
        data = PLATFORMS[conversation.platform].fetch_media(item.media_ref)
        kind = Photo.Kind.C_HASIL if item.purpose == ChatMedia.Purpose.C_HASIL else Photo.Kind.EVIDENCE
        user = cast("User", conversation.user)  # media is fetched for linked conversations only
        photo, _created = save_photo(str(uuid.uuid5(NAMESPACE, item.message_id)), kind, data, user)
    except (OSError, KeyError, ValueError) as error:  # PhotoError is a ValueError
        reason = str(error) if isinstance(error, PhotoError) else type(error).__name__
        ChatMedia.objects.filter(pk=item.pk).update(error=reason[:200])
        return
    ChatMedia.objects.filter(pk=item.pk).update(photo=photo)
    if item.purpose == ChatMedia.Purpose.C_HASIL:  # a page of the sender's TPS form, not a report's evidence
        item.photo = photo
        chasil.attach(item)
        return
    report_id = Conversation.objects.filter(pk=conversation.pk).values_list("report_id", flat=True).first()
    if report_id:  # read again: the report may have been made while the photo was downloading
        Evidence.objects.get_or_create(report_id=report_id, photo=photo)
