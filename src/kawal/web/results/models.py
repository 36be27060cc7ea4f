"""Guarding the count: witnesses' C.Hasil entries (every version kept), the verified result of each TPS, and the
tally up the hierarchy kept incrementally."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TpsAssignment(models.Model):
    """A relawan (witness) guarding one TPS in one election."""

    election = models.ForeignKey("participation.Election", on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tps_assignments")
    kode_tps = models.CharField(max_length=13)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "user", "kode_tps"], name="one_assignment")]


class ResultEntry(models.Model):
    """One person's reading of one TPS's form: typed at the TPS, keyed from the photo, or a coordinator's
    resolution of a conflict. Append-only and idempotent by the phone's ``client_id``."""

    class Kind(models.TextChoices):
        WITNESS = "saksi", _("saksi di TPS")
        PHOTO = "foto", _("diketik dari foto")
        RESOLUTION = "putusan", _("putusan koordinator")

    election = models.ForeignKey("participation.Election", on_delete=models.CASCADE, related_name="entries")
    kode_tps = models.CharField(max_length=13, db_index=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client_id = models.UUIDField(unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.WITNESS)
    numbers = models.JSONField()  # column name (as in the CSV contract) -> count; missing = not reported
    flags = models.JSONField(default=list)  # consistency rules the paper breaks (accepted: the paper is the evidence)
    photos = models.ManyToManyField("photos.Photo", blank=True, related_name="+")
    captured_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "pk"]


class TpsResult(models.Model):
    class Status(models.TextChoices):
        SINGLE = "satu", _("baru satu entri")
        VERIFIED = "terverifikasi", _("terverifikasi")
        CONFLICT = "konflik", _("berbeda")

    election = models.ForeignKey("participation.Election", on_delete=models.CASCADE, related_name="tps_results")
    kode_tps = models.CharField(max_length=13)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.SINGLE)
    verified = models.JSONField(null=True, blank=True)  # the numbers that count in the tally
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "kode_tps"], name="one_result_per_tps")]
        indexes = [models.Index(fields=["election", "status"])]


class TallyNode(models.Model):
    """Verified totals of one unit (kelurahan, kecamatan, kab/kota), moved by deltas as TPS are verified."""

    election = models.ForeignKey("participation.Election", on_delete=models.CASCADE, related_name="tally")
    kode = models.CharField(max_length=10)
    tps_in = models.IntegerField(default=0)
    dpt = models.BigIntegerField(default=0)
    suara_sah = models.BigIntegerField(default=0)
    suara_tidak_sah = models.BigIntegerField(default=0)
    suara_total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "kode"], name="one_node_per_unit")]


class TallyVote(models.Model):
    node = models.ForeignKey(TallyNode, on_delete=models.CASCADE, related_name="votes")
    paslon = models.PositiveSmallIntegerField()
    votes = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["node", "paslon"], name="one_vote_row")]


class OfficialResult(models.Model):
    """KPU's numbers for a TPS (Sirekap, later the recapitulation), to compare with the verified reading."""

    election = models.ForeignKey("participation.Election", on_delete=models.CASCADE, related_name="official")
    kode_tps = models.CharField(max_length=13)
    source = models.CharField(max_length=40)  # sirekap, d_hasil …
    numbers = models.JSONField()
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "kode_tps", "source"], name="one_official_per_source")
        ]


class QuickCount(models.Model):
    """A stratified random sample of TPS drawn before election day from a public phrase (``kawal sample draw
    --unit tps`` re-derives it)."""

    election = models.OneToOneField("participation.Election", on_delete=models.CASCADE, related_name="quick_count")
    sample = models.OneToOneField("sampling.SampleDraw", on_delete=models.PROTECT, related_name="+")


class Candidate(models.Model):
    """One column of the ballot as the C.Hasil prints it in block IV: its number and the pair's names. In a
    single-candidate race the ballot has a second column, the *kolom kosong* (empty box), which takes votes like
    a paslon: it is stored as the next number with ``kolom_kosong`` set, so every rule and tally treats it as one
    more column (``Election.paslon`` counts the columns)."""

    election = models.ForeignKey("participation.Election", on_delete=models.CASCADE, related_name="candidates")
    number = models.PositiveSmallIntegerField(_("nomor urut"))
    name = models.CharField(_("nama pasangan calon"), max_length=200, blank=True)
    kolom_kosong = models.BooleanField(_("kolom kosong"), default=False)

    class Meta:
        ordering = ["election", "number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="one_candidate_per_number")]

    def __str__(self) -> str:
        return self.name or f"{self.number}"
