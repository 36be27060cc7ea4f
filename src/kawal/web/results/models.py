"""Guarding the count: witnesses' C.Hasil entries (every version kept), the verified result of each TPS, and the
tally up the hierarchy kept incrementally."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrPromise

    from kawal.web.accounts.models import Accreditation
    from kawal.web.participation.models import Election


class TpsAssignment(models.Model):
    """A relawan guarding one TPS in one election, in one of two roles the rules keep apart: a *pemantau* (a member
    of an Ormas whose accreditation as observer is valid on the voting day) or a *saksi* (a paslon's witness, who
    carries a surat mandat). Existing rows were Ormas relawan, hence the default."""

    class Role(models.TextChoices):
        OBSERVER = "pemantau", _("pemantau (Ormas terakreditasi)")
        WITNESS = "saksi", _("saksi paslon (surat mandat)")

    election = models.ForeignKey("participation.Election", on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tps_assignments")
    kode_tps = models.CharField(max_length=13)
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.OBSERVER)
    mandate_number = models.CharField(_("nomor surat mandat"), max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "user", "kode_tps"], name="one_assignment")]

    def clean(self) -> None:
        """A saksi needs the number of their surat mandat; a pemantau needs an Ormas accredited on the voting
        day (checked here, not in the view, so every way of assigning is held to it)."""
        from django.core.exceptions import ValidationError

        errors: dict[str, str | StrPromise] = {}
        if self.role == self.Role.WITNESS and not self.mandate_number.strip():
            errors["mandate_number"] = _("Nomor surat mandat wajib diisi untuk saksi paslon.")
        observer = self.role == self.Role.OBSERVER and self.election_id and self.user_id
        if observer and observer_accreditation(self.user, self.election) is None:
            day = self.election.held_on.strftime("%d-%m-%Y")
            errors["role"] = _(
                "Peran pemantau ditolak: Ormas relawan ini tidak punya akreditasi pemantau yang berlaku "
                "pada hari pemungutan suara (%(day)s)."
            ) % {"day": day}
        if errors:
            raise ValidationError(errors)


def observer_accreditation(user: User, election: Election) -> Accreditation | None:
    """The accreditation, valid on the voting day, of an Ormas (partner of the election's KPU office) in which
    ``user`` is an active member; None when there is none."""
    from kawal.web.accounts.models import accredited_observers

    valid = accredited_observers(election.held_on)
    ormas = user.memberships.filter(
        active=True, organisation__kind="ormas", organisation__partner_of=election.organisation_id
    ).values_list("organisation_id", flat=True)
    return next((valid[pk] for pk in ormas if pk in valid), None)


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
