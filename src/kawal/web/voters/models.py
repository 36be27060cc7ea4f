"""Voter lists in the web database: each upload, its voters (NIK/NKK encrypted), its audit and findings.

The engine's Parquet snapshot stays the immutable evidence; these tables are what pages and the API read,
always through :func:`kawal.web.accounts.scope.Scope` (no default manager hands out unscoped rows).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VoterList(models.Model):
    # Every stage the engine imports (kawal.engine.importer.STAGE_NAMES, kept in step by a test), in the order a
    # Pilkada makes them; the label is what an operator recognises from KPU's own papers.
    class Stage(models.TextChoices):
        DP4 = "DP4", _("DP4 — data penduduk dari Kemendagri")
        COKLIT = "COKLIT", _("Hasil coklit — Model A-Daftar Pemilih dengan tanda B/U/TMS")
        DPHP = "DPHP", _("DPHP — daftar pemilih hasil pemutakhiran")
        DPS = "DPS", _("DPS — daftar pemilih sementara")
        DPSHP = "DPSHP", _("DPSHP — DPS hasil perbaikan")
        DPT = "DPT", _("DPT — daftar pemilih tetap")
        DPTB = "DPTB", _("DPTb — daftar pemilih tambahan (pindah memilih)")
        DPK = "DPK", _("DPK — daftar pemilih khusus")
        LAIN = "LAIN", _("Lainnya")

    class Status(models.TextChoices):
        QUEUED = "queued", _("menunggu")
        RUNNING = "running", _("berjalan")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="voter_lists")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    stage = models.CharField(_("tahap"), max_length=8, choices=Stage.choices)
    wilayah = models.CharField(_("kode wilayah"), max_length=10)
    source_name = models.CharField(_("file"), max_length=255)
    source_path = models.CharField(max_length=500, blank=True)
    snapshot = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    rows_in = models.PositiveIntegerField(default=0)
    loaded = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("daftar pemilih")
        verbose_name_plural = _("daftar pemilih")

    def __str__(self) -> str:
        return f"{self.stage} {self.wilayah} · {self.source_name}"


# The NIK-hash index by a name of our own: a bulk load drops and rebuilds it by this name (voters/jobs.py).
NIK_HASH_INDEX = "voters_voter_nik_hash"


class Voter(models.Model):
    voter_list = models.ForeignKey(VoterList, on_delete=models.CASCADE, related_name="voters")
    record_id = models.CharField(max_length=64)  # importer.MAX_NO_LENGTH keeps every form of record id within
    nama = models.CharField(max_length=200, blank=True)
    tempat_lahir = models.CharField(max_length=100, blank=True)
    tanggal_lahir = models.DateField(null=True, blank=True)
    usia = models.PositiveSmallIntegerField(null=True, blank=True)
    jenis_kelamin = models.CharField(max_length=1, blank=True)
    status_kawin = models.CharField(max_length=1, blank=True)
    alamat = models.CharField(max_length=255, blank=True)
    kode_kelurahan = models.CharField(max_length=10, blank=True, db_index=True)
    rw = models.PositiveSmallIntegerField(null=True, blank=True)
    rt = models.PositiveSmallIntegerField(null=True, blank=True)
    tps = models.PositiveSmallIntegerField(null=True, blank=True)
    disabilitas = models.CharField(max_length=100, blank=True)
    nik_masked = models.CharField(max_length=20, blank=True)
    nkk_masked = models.CharField(max_length=20, blank=True)
    nik_encrypted = models.TextField(blank=True)
    nkk_encrypted = models.TextField(blank=True)
    nik_hash = models.CharField(max_length=64, blank=True)  # indexed under NIK_HASH_INDEX (Meta)
    nkk_hash = models.CharField(max_length=64, blank=True)
    # The row's identity for reviewers' answers (engine ``record_key_sql``), kept only for rows in PEMILIH_GANDA
    # clusters: the answers of an office are matched to its later lists by it.
    record_key = models.CharField(max_length=32, null=True, blank=True)

    unscoped = models.Manager()  # for jobs and the admin only; pages go through Scope

    class Meta:
        default_manager_name = "unscoped"
        indexes = [
            models.Index(fields=["voter_list", "kode_kelurahan", "rw", "rt", "tps"]),
            models.Index(fields=["nik_hash"], name=NIK_HASH_INDEX),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.kode_kelurahan} TPS {self.tps}"


class AuditRun(models.Model):
    voter_list = models.ForeignKey(VoterList, on_delete=models.CASCADE, related_name="audits")
    created_at = models.DateTimeField(auto_now_add=True)
    election_date = models.DateField()
    max_per_tps = models.PositiveSmallIntegerField(default=600)
    threshold = models.FloatField(null=True)
    summary = models.JSONField(default=dict)
    # Set when a later audit of the same list ("Audit ulang") replaces this one: its findings leave the pages.
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Finding(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("baru")
        VERIFYING = "verifying", _("diverifikasi")
        CONFIRMED = "confirmed", _("terbukti")
        DISMISSED = "dismissed", _("tidak terbukti")

    audit = models.ForeignKey(AuditRun, on_delete=models.CASCADE, related_name="findings")
    voter = models.ForeignKey(Voter, null=True, blank=True, on_delete=models.CASCADE, related_name="findings")
    check_code = models.CharField(max_length=32, db_index=True)  # "check" would hide Model.check()
    tms = models.PositiveSmallIntegerField(null=True, blank=True)
    cluster = models.CharField(max_length=64, blank=True)
    kode_kelurahan = models.CharField(max_length=10, blank=True, db_index=True)
    rw = models.PositiveSmallIntegerField(null=True, blank=True)
    rt = models.PositiveSmallIntegerField(null=True, blank=True)
    tps = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)

    unscoped = models.Manager()

    class Meta:
        default_manager_name = "unscoped"
        indexes = [models.Index(fields=["audit", "check_code", "kode_kelurahan"])]


class DuplicatePair(models.Model):
    """Two rows the audit compared that ended in one PEMILIH_GANDA person, with the probability it estimated."""

    audit = models.ForeignKey(AuditRun, on_delete=models.CASCADE, related_name="duplicate_pairs")
    cluster = models.CharField(max_length=64)
    voter_a = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="+")
    voter_b = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    detail = models.TextField(blank=True)

    unscoped = models.Manager()

    class Meta:
        default_manager_name = "unscoped"
        indexes = [models.Index(fields=["audit", "cluster"])]


class AppendOnlyError(Exception):
    """Reviewers' answers are never changed: a new answer is a new row."""


class DuplicateAnswer(models.Model):
    """A reviewer's answer about two rows: one person, two people, or unsure. Append-only; the latest counts.

    Answers belong to the KPU office whose list they were given on, whoever gave them (its staff or a partner
    Ormas's coordinator), and reach the office's later audits through the rows' keyed hashes, never a NIK.
    """

    class Answer(models.TextChoices):
        SAME = "same", _("Orang yang sama")
        DIFFERENT = "different", _("Orang berbeda")
        UNSURE = "unsure", _("Ragu-ragu")

    office = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    voter_list = models.ForeignKey(VoterList, on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(DuplicatePair, null=True, on_delete=models.PROTECT, related_name="answers")
    key_a = models.CharField(max_length=32)  # record keys, key_a <= key_b (equal: two identical rows)
    key_b = models.CharField(max_length=32)
    answer = models.CharField(max_length=10, choices=Answer.choices)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)

    unscoped = models.Manager()

    class Meta:
        default_manager_name = "unscoped"
        indexes = [models.Index(fields=["office", "key_a", "key_b", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(key_a__lte=models.F("key_b")), name="answer_keys_ordered")
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("answers are never changed; add a new one")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("answers are never deleted")
