"""Incident reports (issue 20): what a relawan or coordinator saw go wrong, its witnesses and evidence, the
confirmations that verify it, and its way to Bawaslu. Plus the state of the WhatsApp and Telegram intake.

Reporter and witness identities are stored encrypted (``*_encrypted``, AES-GCM under ``KAWAL_FIELD_KEY``, so
``kawal keys rotate`` covers them) and shown only to the Ormas's coordinators (``access.py``). Reports are
append-only in spirit: status changes are new ``StatusChange`` rows with their reasons, and every change is also in
the action log (ids only, no names).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.web.incidents import categories
from kawal.web.photos.models import photo_storage

if TYPE_CHECKING:
    from kawal.web.photos.models import Photo


def filing_days() -> int:
    """Days a report may still be filed with Bawaslu after the incident became known (7 in the 2024 rules)."""
    return int(getattr(settings, "KAWAL_INCIDENT_DAYS", 7))


class Report(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "diterima", _("diterima")
        VERIFIED = "diverifikasi", _("terverifikasi")
        FORWARDED = "diteruskan", _("diteruskan ke Bawaslu")
        REGISTERED = "diregistrasi", _("diregistrasi Bawaslu")
        FOLLOWED_UP = "ditindaklanjuti", _("ditindaklanjuti")
        REJECTED = "ditolak", _("ditolak")
        MERGED = "digabung", _("digabung ke laporan lain")

    class Channel(models.TextChoices):
        WEB = "web", _("formulir")
        WHATSAPP = "whatsapp", "WhatsApp"
        TELEGRAM = "telegram", "Telegram"

    client_id = models.UUIDField(unique=True)  # made by the phone (or from the chat): a retry finds this row
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incident_reports")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    category = models.CharField(_("jenis pelanggaran"), max_length=40)
    incident_at = models.DateTimeField(_("waktu kejadian"))
    known_at = models.DateTimeField(_("waktu diketahui"))
    kode_kelurahan = models.CharField(max_length=10, db_index=True)
    rw = models.PositiveSmallIntegerField(null=True, blank=True)
    rt = models.PositiveSmallIntegerField(null=True, blank=True)
    tps = models.PositiveSmallIntegerField(null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=200, blank=True)  # e.g. "depan balai warga RW 3"
    latitude = models.FloatField(null=True, blank=True)  # evidence for coordinators, never public
    longitude = models.FloatField(null=True, blank=True)
    description = models.TextField(_("uraian kejadian"))
    reported_party = models.TextField(_("terlapor"), blank=True)
    # The reporter as Model A.1 needs them; from the form, else the reporter's profile when the report was made.
    pelapor_nama_encrypted = models.TextField(blank=True)
    pelapor_nik_encrypted = models.TextField(blank=True)
    pelapor_alamat_encrypted = models.TextField(blank=True)
    pelapor_telepon_encrypted = models.TextField(blank=True)
    pelapor_pekerjaan_encrypted = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates")
    forwarded_at = models.DateTimeField(_("dikirim ke Bawaslu"), null=True, blank=True)
    bawaslu_office = models.CharField(_("Bawaslu tujuan"), max_length=200, blank=True)
    register_number = models.CharField(_("nomor registrasi Bawaslu"), max_length=100, blank=True)
    recorded_at = models.DateTimeField()  # on the phone
    received_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)  # personal data erased by retention (retention.py)

    unscoped = models.Manager()  # jobs and intake only; pages go through access.py

    class Meta:
        default_manager_name = "unscoped"
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["organisation", "status", "kode_kelurahan"])]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"L-{self.pk:06d}" if self.pk else "L-baru"

    @property
    def category_label(self) -> str:
        return categories.label(self.category)

    @property
    def deadline(self) -> date:
        """The last day to file: ``KAWAL_INCIDENT_DAYS`` (7) days after the day the incident became known."""
        return timezone.localtime(self.known_at).date() + timedelta(days=filing_days())

    @property
    def filed(self) -> bool:
        return self.forwarded_at is not None

    @property
    def days_left(self) -> int | None:
        """Days left to file (0: today is the last day, negative: too late); None once filed or closed."""
        if self.filed or self.status in CLOSED:
            return None
        return (self.deadline - timezone.localdate()).days

    @property
    def days_late(self) -> int:
        left = self.days_left
        return -left if left is not None and left < 0 else 0


CLOSED = (Report.Status.REJECTED, Report.Status.MERGED)
FORWARDED = (Report.Status.FORWARDED, Report.Status.REGISTERED, Report.Status.FOLLOWED_UP)
VERIFIED = (Report.Status.VERIFIED, *FORWARDED)  # what the public page may count


class Witness(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="witnesses")
    nama_encrypted = models.TextField()
    alamat_encrypted = models.TextField(blank=True)
    telepon_encrypted = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]


class Media(models.Model):
    """A short video or audio recording sent as evidence. The original bytes are kept encrypted (a random key per
    file, itself encrypted under the field key in ``key_encrypted``), with the SHA-256 of the clear bytes."""

    class Kind(models.TextChoices):
        VIDEO = "video", _("video")
        AUDIO = "audio", _("rekaman suara")

    client_id = models.UUIDField(unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    file = models.FileField(storage=photo_storage, max_length=200)
    key_encrypted = models.TextField()
    received_at = models.DateTimeField(auto_now_add=True)


class Evidence(models.Model):
    """A photo (through the photos pipeline: EXIF stripped in the served copy) or a recording attached to a report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    photo = models.ForeignKey("photos.Photo", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    media = models.ForeignKey(Media, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "photo"], name="incident_photo_once"),
            models.UniqueConstraint(fields=["report", "media"], name="incident_media_once"),
            models.CheckConstraint(
                condition=Q(photo__isnull=False, media__isnull=True) | Q(photo__isnull=True, media__isnull=False),
                name="incident_evidence_one_file",
            ),
        ]

    @property
    def sha256(self) -> str:  # a row holds a photo or else a recording
        return cast("Photo", self.photo).sha256 if self.photo_id else cast(Media, self.media).sha256

    @property
    def size(self) -> int:
        return cast("Photo", self.photo).size if self.photo_id else cast(Media, self.media).size


class Confirmation(models.Model):
    """One independent confirmation: another relawan who saw it too, a coordinator who checked the evidence, or the
    reporter of a duplicate merged into this report."""

    class Kind(models.TextChoices):
        RELAWAN = "relawan", _("relawan lain menyaksikan")
        EVIDENCE = "bukti", _("koordinator memeriksa bukti")
        DUPLICATE = "laporan_ganda", _("laporan lain tentang kejadian yang sama")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="one_confirmation_per_person")]


class StatusChange(models.Model):
    """The history of a report's status, with reasons (append-only; the action log holds the same changes by id)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="history")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    old = models.CharField(max_length=16, blank=True, choices=Report.Status.choices)
    new = models.CharField(max_length=16, choices=Report.Status.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class CategoryChange(models.Model):
    """A coordinator's correction of a report's category (a relawan picked the wrong one, or a chat answer was a
    slip), with its reason; the action log holds the same change by codes."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="category_changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    old = models.CharField(max_length=40)
    new = models.CharField(max_length=40)
    reason = models.TextField()

    class Meta:
        ordering = ["at", "pk"]

    @property
    def old_label(self) -> str:
        return categories.label(self.old)

    @property
    def new_label(self) -> str:
        return categories.label(self.new)


class ReporterProfile(models.Model):
    """The identity a relawan reports under (Model A.1 asks for it), entered once, encrypted."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reporter_profile")
    nama_encrypted = models.TextField(blank=True)
    nik_encrypted = models.TextField(blank=True)
    alamat_encrypted = models.TextField(blank=True)
    telepon_encrypted = models.TextField(blank=True)
    pekerjaan_encrypted = models.TextField(blank=True)


# --- messaging intake (WhatsApp, Telegram) ---------------------------------------------------------------------


class Platform(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"


class ChatLink(models.Model):
    """A WhatsApp number or Telegram account linked to a relawan's account by a one-time code. The sender id is
    kept as a keyed hash (to find the link) and encrypted (to reply)."""

    platform = models.CharField(max_length=10, choices=Platform.choices)
    sender_hash = models.CharField(max_length=64)
    sender_encrypted = models.TextField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_links")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "sender_hash"], name="one_link_per_sender")]


class LinkCode(models.Model):
    """A one-time code shown on the web to link a chat account; only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class ChatMessage(models.Model):
    """Each inbound message once: the messenger retries a webhook until it gets 200, with the same id."""

    platform = models.CharField(max_length=10, choices=Platform.choices)
    message_id = models.CharField(max_length=128)
    sender_hash = models.CharField(max_length=64, db_index=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "message_id"], name="chat_message_once")]


class Conversation(models.Model):
    """The guided conversation of one sender: category, place, what happened, photos; closed when the report is
    made or the sender cancels."""

    platform = models.CharField(max_length=10, choices=Platform.choices)
    sender_hash = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(max_length=16)
    data = models.JSONField(default=dict)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "sender_hash"], condition=Q(closed=False), name="one_open_conversation"
            )
        ]


class ChatMedia(models.Model):
    """A photo sent in a conversation: fetched from the messenger on the task queue, then kept as a Photo. Either
    evidence of a report, or a page of the C.Hasil of the TPS the sender guards (``election`` and ``kode_tps``)."""

    class Purpose(models.TextChoices):
        EVIDENCE = "bukti", _("bukti laporan")
        C_HASIL = "c_hasil", _("formulir C.Hasil")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="media")
    message_id = models.CharField(max_length=128, unique=True)
    media_ref = models.CharField(max_length=256)  # WhatsApp media id or Telegram file_id
    mime = models.CharField(max_length=64, blank=True)
    photo = models.ForeignKey("photos.Photo", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    error = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=8, choices=Purpose.choices, default=Purpose.EVIDENCE)
    election = models.ForeignKey(
        "participation.Election", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kode_tps = models.CharField(max_length=13, blank=True)


class Outbox(models.Model):
    """A reply to a sender, sent by the task queue (no network while the webhook answers)."""

    platform = models.CharField(max_length=10, choices=Platform.choices)
    recipient_encrypted = models.TextField()
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
