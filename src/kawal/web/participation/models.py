"""Turnout per unit for past and current elections, and the voter-education events (sosialisasi) held or planned."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Election(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="elections")
    name = models.CharField(_("nama"), max_length=120)
    pemilihan = models.CharField(max_length=40)  # as in KPU's files: walikota, gubernur_banten, ppwp …
    held_on = models.DateField(_("hari pemungutan suara"))
    target = models.FloatField(_("target partisipasi"), default=0.8)
    paslon = models.PositiveSmallIntegerField(_("jumlah paslon"), default=3)

    class Meta:
        ordering = ["-held_on", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="one_election_per_name")]

    def __str__(self) -> str:
        return self.name


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
