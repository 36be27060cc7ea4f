"""Field tasks: a household to visit, with the audit findings of its members to verify on the ground."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
