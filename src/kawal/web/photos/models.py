"""Evidence photos (coklit stickers, households, C.Hasil pages). The original is kept as evidence with its SHA-256
and is never served; others see a re-encoded copy without EXIF. Files live in the ``photos`` storage, which is
the local disk by default and object storage in production (``STORAGES["photos"]``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.core.files.storage import Storage


class _PhotoStorage(LazyObject):
    """``STORAGES["photos"]``, looked up when first used rather than when the model is defined, so the same
    field works on the local disk, on object storage, and in tests that switch between them."""

    def _setup(self) -> None:
        self._wrapped = storages["photos"]


_photos = _PhotoStorage()


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _photos._wrapped = empty  # type: ignore[assignment]  # Django's marker for "set up again when next used"


def photo_storage() -> Storage:
    return cast("Storage", _photos)  # a lazy proxy of the photos storage


class Photo(models.Model):
    class Kind(models.TextChoices):
        STICKER = "stiker", _("stiker coklit")
        EVIDENCE = "bukti", _("bukti")
        C_HASIL = "c_hasil", _("formulir C.Hasil")
        EVENT = "kegiatan", _("kegiatan sosialisasi")

    client_id = models.UUIDField(unique=True)  # made by the phone: a retried upload finds this row
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="photos")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    original = models.FileField(storage=photo_storage, max_length=200)
    served = models.FileField(storage=photo_storage, max_length=200, blank=True)  # "" until the queue made it
    damaged = models.BooleanField(default=False)  # its pixels could not be decoded: kept as sent, never served
    # Evidence metadata from the camera: kept for reviewers' records, stripped from the served copy.
    taken_at = models.DateTimeField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sha256[:12]}"
