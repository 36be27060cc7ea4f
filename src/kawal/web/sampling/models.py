"""A drawn sample of a voter list, its units (records or RT) and what the field found in each, append-only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.engine import NONRESPONSE, RECORD_OUTCOMES


class SampleDraw(models.Model):
    class Unit(models.TextChoices):
        RECORD = "record", _("catatan (daftar → orang)")
        RT = "rt", _("RT (orang → daftar, cakupan coklit)")
        TPS = "tps", _("TPS (hitung cepat)")

    voter_list = models.ForeignKey("voters.VoterList", on_delete=models.PROTECT, related_name="samples")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    phrase = models.CharField(_("frasa benih publik"), max_length=300)
    seed = models.CharField(max_length=64)
    list_sha256 = models.CharField(max_length=64)
    unit = models.CharField(max_length=8, choices=Unit.choices)
    by = models.CharField(max_length=10)
    confidence = models.FloatField(default=0.95)
    plan = models.JSONField(default=dict)  # the planner's inputs: margin, rate, nonresponse, per_stratum
    strata = models.JSONField(default=dict)  # stratum -> population, voters, n
    sample_sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()

    unscoped = models.Manager()

    class Meta:
        default_manager_name = "unscoped"
        ordering = ["-created_at"]


class SampleUnit(models.Model):
    draw = models.ForeignKey(SampleDraw, on_delete=models.CASCADE, related_name="units")
    stratum = models.CharField(max_length=10)
    urutan = models.PositiveIntegerField()
    key = models.CharField(max_length=40)  # the unit key the draw ranked: record id, or kode_kelurahan/rw/rt
    rank = models.CharField(max_length=64)
    kode_kelurahan = models.CharField(max_length=10)
    rw = models.PositiveSmallIntegerField(null=True)
    rt = models.PositiveSmallIntegerField(null=True)
    tps = models.PositiveSmallIntegerField(null=True)
    voters = models.PositiveIntegerField(default=1)
    voter = models.ForeignKey("voters.Voter", null=True, on_delete=models.PROTECT, related_name="+")
    task = models.OneToOneField("field.FieldTask", null=True, on_delete=models.SET_NULL, related_name="sample_unit")

    class Meta:
        ordering = ["stratum", "urutan"]
        constraints = [models.UniqueConstraint(fields=["draw", "key"], name="one_unit_per_key")]


class Observation(models.Model):
    """One thing a relawan recorded for a unit: the outcome of a drawn record, a person met in a drawn RT, or a
    household's coklit check there. Idempotent by the phone's ``client_id``; a later outcome replaces an earlier
    one for the estimate, but both stay."""

    class Kind(models.TextChoices):
        OUTCOME = "hasil", _("hasil pencarian")
        PERSON = "orang", _("orang yang ditemui")
        HOUSEHOLD = "rumah", _("rumah tangga")

    OUTCOMES = (*RECORD_OUTCOMES, NONRESPONSE)

    unit = models.ForeignKey(SampleUnit, on_delete=models.CASCADE, related_name="observations")
    client_id = models.UUIDField(unique=True)
    kind = models.CharField(max_length=6, choices=Kind.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    nama = models.CharField(max_length=200, blank=True)
    tanggal_lahir = models.DateField(null=True, blank=True)
    nik_masked = models.CharField(max_length=20, blank=True)
    nik_encrypted = models.TextField(blank=True)
    nik_hash = models.CharField(max_length=64, blank=True)
    registered = models.BooleanField(null=True)  # the person was found on the list
    found_where = models.CharField(max_length=10, blank=True)  # rt, kelurahan, lain
    pantarlih = models.CharField(max_length=6, blank=True)  # ya / tidak
    sticker = models.CharField(max_length=6, blank=True)

    class Meta:
        ordering = ["received_at"]
