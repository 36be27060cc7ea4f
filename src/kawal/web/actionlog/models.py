"""One append-only log of every change to shared records: who, when, from where, what."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.http import HttpRequest


class AppendOnlyError(Exception):
    """The action log is never edited or deleted."""


class ActionLog(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT)
    ip = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("action log entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("action log entries are never deleted")


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR")


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    user: object = None,
    obj: models.Model | None = None,
    organisation: object = None,
    **detail: object,
) -> ActionLog:
    """Write one entry. ``detail`` must hold no personal data (no NIK, NKK or names): ids and counts only."""
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return ActionLog.objects.create(
        user=user,
        organisation=organisation,
        ip=client_ip(request),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail,
    )
