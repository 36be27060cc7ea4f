"""Turnout per unit for past and current elections, and the voter-education events (sosialisasi) held or planned."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.engine import (
    DEFAULT_ELECTION,
    ELECTIONS,
    PEMILU_2024,
    PILKADA_2024,
    ElectionFacts,
    Tms,
    election_for_pemilihan,
    response_period,
)


class Election(models.Model):
    """One election of a KPU office. Its rules (most voters per TPS, ballot reserve, TMS table) are settings
    that start from the facts of its kind in :mod:`kawal.engine.elections`, so an office can follow a new rule
    without a release."""

    class Scheme(models.TextChoices):
        PILKADA_2024 = PILKADA_2024.key, _("Pilkada 2024")
        PEMILU_2024 = PEMILU_2024.key, _("Pemilu 2024")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="elections")
    name = models.CharField(_("nama"), max_length=120)
    pemilihan = models.CharField(max_length=40)  # as in KPU's files: walikota, gubernur_banten, ppwp …
    held_on = models.DateField(_("hari pemungutan suara"))
    target = models.FloatField(_("target partisipasi"), default=DEFAULT_ELECTION.turnout_target)
    paslon = models.PositiveSmallIntegerField(_("jumlah paslon"), default=3)
    # Blank on a new row: filled from the facts of the pemilihan's kind when it is saved (see save()).
    scheme = models.CharField(_("jenis pemilihan"), max_length=20, choices=Scheme.choices, blank=True)
    max_per_tps = models.PositiveIntegerField(_("maksimum pemilih per TPS"), blank=True)
    ballot_reserve = models.DecimalField(
        _("cadangan surat suara (bagian dari DPT)"),
        max_digits=5,
        decimal_places=4,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("0.5"))],
    )
    dps_posted_on = models.DateField(_("tanggal pengumuman DPS"), null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="one_election_per_name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        facts = self.facts
        self.scheme = self.scheme or facts.key
        if self.max_per_tps is None:
            self.max_per_tps = facts.max_per_tps
        if self.ballot_reserve is None:
            self.ballot_reserve = facts.ballot_reserve
        if self.dps_posted_on is None and self.held_on == facts.day:  # another year's election has its own dates
            self.dps_posted_on = facts.dps_posted
        super().save(*args, **kwargs)

    def response_period(self) -> tuple[date, date] | None:
        """The tanggapan period: ten days from the DPS posting (2024: 18-27 August), when the posting is known."""
        if self.dps_posted_on is None:
            return None
        return response_period(self.dps_posted_on, self.facts.response_days)

    @property
    def facts(self) -> ElectionFacts:
        """The fixed facts of this election's kind (day and TMS table); its own settings win where it has them."""
        return ELECTIONS.get(self.scheme) or election_for_pemilihan(self.pemilihan)

    @property
    def tms(self) -> dict[int, Tms]:
        return self.facts.tms


class TurnoutFigure(models.Model):
    class Method(models.TextChoices):
        PLENARY = "pleno", _("rekapitulasi pleno KPU")
        RAKED = "sirekap_diskalakan", _("Sirekap, diskalakan ke total pleno")
        SIREKAP = "sirekap", _("Sirekap")
        TPS = "tps", _("jumlah per TPS")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="figures")
    kode = models.CharField(max_length=13)
    nama = models.CharField(max_length=100, blank=True)
    dpt = models.PositiveIntegerField()
    votes = models.PositiveIntegerField()  # ballots cast, valid and invalid
    valid = models.PositiveIntegerField(null=True, blank=True)
    method = models.CharField(max_length=20, choices=Method.choices)
    dpt_source = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["kode"]
        constraints = [models.UniqueConstraint(fields=["election", "kode"], name="one_figure_per_unit")]


AUDIENCES = (
    ("pemula", _("pemilih pemula")),
    ("muda", _("pemuda")),
    ("perempuan", _("perempuan")),
    ("disabilitas", _("pemilih disabilitas")),
    ("lansia", _("lansia")),
    ("keagamaan", _("komunitas keagamaan")),
    ("pekerja", _("pekerja")),
    ("umum", _("masyarakat umum")),
)


class Event(models.Model):
    """A sosialisasi event, planned or held."""

    class Status(models.TextChoices):
        PLANNED = "rencana", _("direncanakan")
        HELD = "terlaksana", _("terlaksana")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="events")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    title = models.CharField(_("judul"), max_length=200)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    venue = models.CharField(_("tempat"), max_length=200, blank=True)
    kode_wilayah = models.CharField(_("wilayah sasaran"), max_length=10)
    rw = models.PositiveSmallIntegerField(null=True, blank=True)
    rt = models.PositiveSmallIntegerField(null=True, blank=True)
    audiences = models.JSONField(_("sasaran"), default=list)
    speakers = models.TextField(_("narasumber"), blank=True)
    topics = models.TextField(_("materi"), blank=True)
    attendance = models.PositiveIntegerField(_("jumlah peserta"), null=True, blank=True)
    # Names of attendees only with their consent, encrypted like NIK: personal data.
    attendee_list_encrypted = models.TextField(blank=True)
    attendee_consent = models.BooleanField(default=False)
    follow_ups = models.TextField(_("tindak lanjut"), blank=True)
    photos = models.ManyToManyField("photos.Photo", blank=True, related_name="+")

    unscoped = models.Manager()

    class Meta:
        default_manager_name = "unscoped"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["kode_wilayah", "starts_at"])]

    def __str__(self) -> str:
        return self.title
