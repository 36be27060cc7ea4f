"""Field tasks: a household to visit, with the audit findings of its members to verify on the ground."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.web.photos.models import photo_storage


class FieldTask(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("belum dikunjungi")
        DONE = "done", _("selesai")

    voter_list = models.ForeignKey("voters.VoterList", on_delete=models.CASCADE, related_name="tasks")
    household = models.CharField(max_length=64, help_text="keyed hash of the NKK, or of the voter when no NKK")
    alamat = models.CharField(max_length=255, blank=True)
    kode_kelurahan = models.CharField(max_length=10, db_index=True)
    rw = models.PositiveSmallIntegerField(null=True, blank=True)
    rt = models.PositiveSmallIntegerField(null=True, blank=True)
    tps = models.PositiveSmallIntegerField(null=True, blank=True)
    findings = models.ManyToManyField("voters.Finding", related_name="tasks")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="field_tasks"
    )
    deadline = models.DateField(_("tenggat"), null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    unscoped = models.Manager()  # jobs only; pages go through Scope

    class Meta:
        default_manager_name = "unscoped"
        constraints = [models.UniqueConstraint(fields=["voter_list", "household"], name="one_task_per_household")]
        indexes = [models.Index(fields=["voter_list", "kode_kelurahan", "rw", "rt"])]

    def __str__(self) -> str:
        return f"{self.kode_kelurahan} RW {self.rw} RT {self.rt} · {self.alamat}"


class Visit(models.Model):
    """One relawan's record of a household visit. Submissions are append-only and idempotent: the phone makes the
    ``client_id``, so a retried upload finds the record it already made. A correction is a new version that
    points at the one it replaces; the original stays."""

    class Seen(models.TextChoices):
        YES = "ya", _("ya")
        NO = "tidak", _("tidak")
        UNKNOWN = "tidak_tahu", _("tidak tahu")

    task = models.ForeignKey(FieldTask, on_delete=models.PROTECT, related_name="visits")
    relawan = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits")
    client_id = models.UUIDField(unique=True)
    received_at = models.DateTimeField(auto_now_add=True)
    recorded_at = models.DateTimeField(_("waktu kunjungan"))
    pantarlih_visited = models.CharField(_("Pantarlih datang?"), max_length=12, choices=Seen.choices)
    sticker = models.CharField(_("stiker coklit ada?"), max_length=12, choices=Seen.choices)
    # Bawaslu's 2024 coklit oversight categories ("" on visits recorded before they were asked).
    joki = models.CharField(_("orang lain yang mencoklit (joki)?"), max_length=12, choices=Seen.choices, blank=True)
    sk_shown = models.CharField(
        _("Pantarlih menunjukkan SK/tanda pengenal?"), max_length=12, choices=Seen.choices, blank=True
    )
    pantarlih_date = models.DateField(_("tanggal coklit"), null=True, blank=True)
    residents = models.PositiveSmallIntegerField(_("jumlah penghuni dewasa"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    latitude = models.FloatField(null=True, blank=True)  # evidence metadata, never shown to others
    longitude = models.FloatField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Review(models.TextChoices):
        SUBMITTED = "submitted", _("menunggu tinjauan")
        APPROVED = "approved", _("disetujui")
        REJECTED = "rejected", _("ditolak")
        RETURNED = "returned", _("dikembalikan")

    review = models.CharField(max_length=10, choices=Review.choices, default=Review.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_reason = models.TextField(blank=True)
    recheck_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recheck_agrees = models.BooleanField(null=True, blank=True)

    unscoped = models.Manager()

    class Meta:
        default_manager_name = "unscoped"
        ordering = ["-received_at"]

    @property
    def sampled_for_recheck(self) -> bool:
        """A fixed share of approved visits gets a second reviewer, chosen by hashing the client id (reproducible)."""
        share = getattr(settings, "KAWAL_RECHECK_SHARE", 0.1)
        digest = hashlib.sha256(str(self.client_id).encode()).digest()
        return int.from_bytes(digest[:4], "big") / 2**32 < share


class VoterCheck(models.Model):
    """What the visit found for one listed voter: found and correct, a TMS category with its evidence, or a correction."""

    class Outcome(models.TextChoices):
        OK = "sesuai", _("ada dan benar")
        TMS = "tms", _("tidak memenuhi syarat (TMS)")
        CORRECT = "ubah", _("data perlu diperbaiki")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="checks")
    voter = models.ForeignKey("voters.Voter", on_delete=models.PROTECT, related_name="checks")
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    # a code of the TMS table of the list's election (visits.tms_for: 1-8 in KPU's order in 2024), named by it
    tms = models.PositiveSmallIntegerField(null=True, blank=True)
    field = models.CharField(max_length=32, blank=True)
    value = models.CharField(max_length=200, blank=True)  # a corrected NIK/NKK: its masked form only
    value_encrypted = models.TextField(blank=True)  # a corrected NIK/NKK in full, for KPU (AES-GCM)
    note = models.TextField(blank=True)


class VisitPhoto(models.Model):
    """A photo taken on the visit: of the household (the coklit sticker) or as evidence for one voter's check."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    photo = models.ForeignKey("photos.Photo", on_delete=models.PROTECT, related_name="+")
    voter = models.ForeignKey("voters.Voter", null=True, blank=True, on_delete=models.PROTECT, related_name="+")


class NewVoter(models.Model):
    """An eligible person met at the household who is not on the list, with what the PPS needs to add them
    (the columns of KPU's list). NIK and NKK are encrypted with a keyed hash and a masked form, like a listed
    voter's; birth place and date, address and disability are encrypted together (``personal``). ``tanggal_lahir``
    and ``alamat`` are only read from records made before that."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="new_voters")
    nama = models.CharField(max_length=200)
    nik_masked = models.CharField(max_length=20, blank=True)
    nik_encrypted = models.TextField(blank=True)
    nik_hash = models.CharField(max_length=64, blank=True)
    nkk_masked = models.CharField(max_length=20, blank=True)
    nkk_encrypted = models.TextField(blank=True)
    nkk_hash = models.CharField(max_length=64, blank=True)
    personal_encrypted = models.TextField(blank=True)
    jenis_kelamin = models.CharField(max_length=1, blank=True)
    status_kawin = models.CharField(max_length=1, blank=True)
    rt = models.PositiveSmallIntegerField(null=True, blank=True)
    rw = models.PositiveSmallIntegerField(null=True, blank=True)
    ktp_el = models.CharField(max_length=1, blank=True)
    complete = models.BooleanField(default=False)  # every field KPU needs was given and checked
    tanggal_lahir = models.DateField(null=True, blank=True)
    alamat = models.CharField(max_length=255, blank=True)

    @property
    def personal(self) -> dict:
        """Birth place and date (ISO), address and disability codes, decrypted."""
        import json

        from kawal.web.crypto import decrypt

        found = json.loads(decrypt(self.personal_encrypted) or "{}")
        found.setdefault("tanggal_lahir", self.tanggal_lahir.isoformat() if self.tanggal_lahir else "")
        found.setdefault("alamat", self.alamat)
        return found


class IdentityDocument(models.Model):
    """A photo of a new voter's KTP-el or KK, kept only with the person's recorded consent: who gave it, when
    and how. The file is encrypted at rest (AES-GCM, the field key); only KPU roles of the kelurahan see it, and
    only once the tanggapan item it supports has been sent. Retention erases the file and the consent name."""

    class Kind(models.TextChoices):
        KTP_EL = "ktp_el", _("KTP-el")
        KK = "kk", _("Kartu Keluarga")

    class Giver(models.TextChoices):
        SELF = "sendiri", _("orang itu sendiri")
        HEAD = "kepala_keluarga", _("kepala keluarga")
        FAMILY = "keluarga", _("anggota keluarga lain yang dewasa")

    class Method(models.TextChoices):
        SPOKEN = "lisan", _("lisan, disaksikan relawan")
        PAPER = "tertulis", _("tanda tangan di formulir kertas")
        SCREEN = "layar", _("centang persetujuan di layar ponsel")

    new_voter = models.ForeignKey(NewVoter, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=8, choices=Kind.choices)
    file = models.FileField(storage=photo_storage, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)  # of the clear bytes: the evidence's fingerprint
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    consent_giver = models.CharField(_("yang memberi persetujuan"), max_length=16, choices=Giver.choices)
    consent_name_encrypted = models.TextField(blank=True)
    consent_method = models.CharField(_("cara persetujuan"), max_length=8, choices=Method.choices)
    consent_at = models.DateTimeField(_("waktu persetujuan"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)


class Tanggapan(models.Model):
    """A formal public response (tanggapan masyarakat) to the PPS of one kelurahan, compiled from approved findings."""

    voter_list = models.ForeignKey("voters.VoterList", on_delete=models.PROTECT, related_name="tanggapan")
    kode_kelurahan = models.CharField(max_length=10)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateField(_("batas masa tanggapan"), null=True, blank=True)

    unscoped = models.Manager()

    class Meta:
        default_manager_name = "unscoped"
        ordering = ["-created_at"]


class TanggapanItem(models.Model):
    class Category(models.TextChoices):  # the categories of KPU's form for public responses
        NOT_REGISTERED = "belum_terdaftar", _("Pemilih yang memenuhi syarat belum terdaftar")
        CORRECT = "perbaikan_data", _("Perbaikan data pemilih")
        NOT_DOMICILED = "tidak_berdomisili", _("Tidak berdomisili sesuai KTP-el/KK")
        TWICE = "ganda", _("Terdaftar lebih dari satu kali")
        NOT_ELIGIBLE = "tidak_memenuhi_syarat", _("Tidak lagi memenuhi syarat")

    class Status(models.TextChoices):
        DRAFT = "draft", _("disusun")
        SENT = "sent", _("dikirim")
        RECEIVED = "received", _("diterima PPS")
        ACTED = "acted", _("ditindaklanjuti")
        REFUSED = "refused", _("ditolak")

    tanggapan = models.ForeignKey(Tanggapan, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(max_length=24, choices=Category.choices)
    voter = models.ForeignKey("voters.Voter", null=True, blank=True, on_delete=models.PROTECT)
    new_voter = models.ForeignKey(NewVoter, null=True, blank=True, on_delete=models.PROTECT)
    detail = models.TextField()  # with any NIK/NKK masked
    detail_encrypted = models.TextField(blank=True)  # the detail with a corrected NIK/NKK in full, for KPU
    evidence = models.TextField(help_text="visit ids and the SHA-256 prefixes of their photos")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    kpu_answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)


class DukcapilReferral(models.Model):
    """Two or more different people under one NIK (NIK_GANDA confirmed in the field) referred to Dukcapil for a
    new NIK, tracked to its answer. Until Dukcapil issues one, Sidalih keeps striking one of them as TMS 2."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("surat disusun")
        SENT = "sent", _("dikirim ke Dukcapil")
        ANSWERED = "answered", _("dijawab Dukcapil")

    voter_list = models.ForeignKey("voters.VoterList", on_delete=models.PROTECT, related_name="referrals")
    kode_kelurahan = models.CharField(max_length=10)
    nik_hash = models.CharField(max_length=64)
    nik_masked = models.CharField(max_length=20)
    nik_encrypted = models.TextField()
    voters = models.ManyToManyField("voters.Voter", related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    letter_number = models.CharField(_("nomor surat"), max_length=60, blank=True)
    sent_on = models.DateField(_("tanggal kirim"), null=True, blank=True)
    answered_on = models.DateField(_("tanggal jawaban"), null=True, blank=True)
    answer = models.TextField(_("jawaban Dukcapil"), blank=True)

    unscoped = models.Manager()

    class Meta:
        default_manager_name = "unscoped"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["voter_list", "nik_hash"], name="one_referral_per_nik")]
