"""KPU offices and Ormas, their members, roles and the wilayah each member works in."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        KPU = "kpu", "KPU"
        ORMAS = "ormas", "Ormas"

    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    ormas_type = models.CharField(_("bidang"), max_length=100, blank=True, help_text=_("mis. keagamaan, kepemudaan"))
    wilayah = models.CharField(_("kode wilayah"), max_length=10, help_text=_("kode KPU, mis. 3671"))
    partner_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="partners", verbose_name=_("mitra KPU")
    )
    contact = models.CharField(_("kontak"), max_length=200, blank=True)
    leaders = models.TextField(_("pengurus"), blank=True)

    class Meta:
        verbose_name = _("organisasi")
        verbose_name_plural = _("organisasi")

    def __str__(self) -> str:
        return self.name

    @property
    def kpu_office(self) -> Organisation:
        """The KPU office whose lists this organisation works on: itself, or the office it partners."""
        return self if self.kind == self.Kind.KPU or self.partner_of is None else self.partner_of


class Role(models.TextChoices):
    """The ladder, highest first."""

    KPU_ADMIN = "kpu_admin", _("Admin KPU")
    KPU_OPERATOR = "kpu_operator", _("Operator KPU (PPK/PPS)")
    COORDINATOR = "koordinator", _("Koordinator Ormas")
    RELAWAN = "relawan", _("Relawan")


ROLE_RANK = {Role.KPU_ADMIN: 4, Role.KPU_OPERATOR: 3, Role.COORDINATOR: 2, Role.RELAWAN: 1}
KPU_ROLES = (Role.KPU_ADMIN, Role.KPU_OPERATOR)


class Membership(models.Model):
    """A user's role in one organisation, limited to one wilayah (kota, kecamatan, kelurahan; RW and RT optional)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    wilayah = models.CharField(
        _("kode wilayah"), max_length=10, help_text=_("4, 6 atau 10 angka: kota, kecamatan, kelurahan")
    )
    rw = models.PositiveSmallIntegerField(_("RW"), null=True, blank=True)
    rt = models.PositiveSmallIntegerField(_("RT"), null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")

    def __str__(self) -> str:
        place = self.wilayah + (f" RW {self.rw:03d}" if self.rw else "") + (f" RT {self.rt:03d}" if self.rt else "")
        return f"{self.user} · {self.get_role_display()} · {self.organisation} · {place}"

    def area_q(self, prefix: str = "") -> Q:
        """The rows of this member's wilayah, for a model with ``kode_kelurahan``, ``rw`` and ``rt`` fields."""
        q = Q(**{f"{prefix}kode_kelurahan__startswith": self.wilayah})
        if self.rw is not None:
            q &= Q(**{f"{prefix}rw": self.rw})
        if self.rt is not None:
            q &= Q(**{f"{prefix}rt": self.rt})
        return q

    @property
    def rank(self) -> int:
        return ROLE_RANK[Role(self.role)]


def _invitation_code() -> str:
    return secrets.token_urlsafe(9)


def _in_two_weeks():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """A link or code a coordinator hands to a new relawan (or an admin to an operator)."""

    code = models.CharField(max_length=32, unique=True, default=_invitation_code)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    wilayah = models.CharField(_("kode wilayah"), max_length=10)
    rw = models.PositiveSmallIntegerField(null=True, blank=True)
    rt = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_in_two_weeks)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    def usable(self) -> bool:
        return self.used_by_id is None and self.expires_at > timezone.now()


def _token_expiry():
    return timezone.now() + timedelta(days=settings.KAWAL_API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A token for an organisation's own tools; it acts as its user, with the same scope. Only a hash is stored.
    It stops working at ``expires_at`` (``KAWAL_API_TOKEN_DAYS`` after issue) or when revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Tokens issued before expiry existed get the default at migration time: KAWAL_API_TOKEN_DAYS from then.
    expires_at = models.DateTimeField(default=_token_expiry)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    def usable(self) -> bool:
        return not self.revoked and self.expires_at > timezone.now()

    @staticmethod
    def hash(key: str) -> str:
        import hashlib

        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: object, name: str) -> tuple[ApiToken, str]:
        """A new token; the clear key is returned once and never stored."""
        key = "kwl_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, key_hash=cls.hash(key)), key

    @classmethod
    def revoke_all(cls, user: object, pk: int | None = None) -> int:
        """Revoke the user's usable tokens (or the one ``pk`` of theirs); returns how many. Saved one by one, so
        this process forgets them at once (``memo.forget_on_save``); other processes within 30 seconds."""
        tokens = cls.objects.filter(user=user, revoked=False)
        if pk is not None:
            tokens = tokens.filter(pk=pk)
        revoked = 0
        for token in tokens:
            token.revoked = True
            token.save(update_fields=["revoked"])
            revoked += 1
        return revoked


class TotpDevice(models.Model):
    """A user's authenticator app (TOTP); the secret is encrypted like NIK."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp")
    secret_encrypted = models.TextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(null=True, blank=True)  # a code is never accepted twice


class Accreditation(models.Model):
    """An Ormas's accreditation as an election observer (pemantau pemilihan): its number, who issued it (KPU of
    the province or kabupaten/kota) and how long it is valid. Ormas members at a TPS act as *pemantau* under it;
    "saksi" is kept for the candidates' witnesses, who carry a surat mandat from their paslon."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="accreditations")
    number = models.CharField(_("nomor akreditasi"), max_length=100)
    issuer = models.CharField(_("diterbitkan oleh"), max_length=200, help_text=_("mis. KPU Kota Tangerang"))
    valid_from = models.DateField(_("berlaku sejak"))
    valid_until = models.DateField(_("berlaku sampai"))

    class Meta:
        verbose_name = _("akreditasi pemantau")
        verbose_name_plural = _("akreditasi pemantau")
        ordering = ["-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="accreditation_period_ordered"
            ),
            models.UniqueConstraint(fields=["issuer", "number"], name="one_accreditation_number_per_issuer"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.number} ({self.issuer})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.organisation_id and self.organisation.kind != Organisation.Kind.ORMAS:
            raise ValidationError({"organisation": _("Akreditasi pemantau hanya untuk Ormas.")})
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("Tanggal akhir sebelum tanggal mulai.")})

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_until


def accredited_observers(day: date) -> dict[int, Accreditation]:
    """Per Ormas id, the accreditation valid on ``day`` (the one valid longest when several are)."""
    valid = Accreditation.objects.filter(valid_from__lte=day, valid_until__gte=day).select_related("organisation")
    found: dict[int, Accreditation] = {}
    for accreditation in valid.order_by("valid_until"):
        found[accreditation.organisation_id] = accreditation
    return found
