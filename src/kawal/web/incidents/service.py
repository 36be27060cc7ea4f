"""Record a report once whatever the network does, confirm it, move it through its statuses, merge duplicates
and forward it. Every change writes a ``StatusChange`` (with its reason) and an action-log entry (ids only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from kawal.engine import parse_nik
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import record
from kawal.web.crypto import decrypt, encrypt
from kawal.web.incidents import access, categories
from kawal.web.incidents.models import (
    CLOSED,
    CategoryChange,
    Confirmation,
    Evidence,
    Media,
    Report,
    ReporterProfile,
    StatusChange,
    Witness,
    filing_days,
)
from kawal.web.photos.models import Photo
from kawal.web.security import nik_problem

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

    from kawal.web.accounts.models import Membership, Organisation

IDENTITY = ("nama", "nik", "alamat", "telepon", "pekerjaan")
CLOCK_SKEW = timedelta(minutes=10)  # a phone's clock a little ahead is not an incident "in the future"


class ReportError(ValueError):
    """A submission or change that cannot be made; the message says why, in Indonesian."""


@dataclass(frozen=True)
class WitnessIn:
    nama: str
    alamat: str = ""
    telepon: str = ""


@dataclass(frozen=True)
class ReportIn:
    client_id: str
    category: str
    incident_at: datetime
    known_at: datetime
    kode_kelurahan: str
    description: str
    recorded_at: datetime
    tps: int | None = None
    rw: int | None = None
    rt: int | None = None
    place: str = ""
    latitude: float | None = None
    longitude: float | None = None
    reported_party: str = ""
    witnesses: tuple[WitnessIn, ...] = ()
    evidence: tuple[str, ...] = ()  # client ids of photos and recordings, uploaded before the report
    pelapor: dict[str, str] = field(default_factory=dict)  # nama, nik, alamat, telepon, pekerjaan (optional)
    channel: str = Report.Channel.WEB


def confirmations_needed() -> int:
    return int(getattr(settings, "KAWAL_INCIDENT_CONFIRMATIONS", 2))


def warn_days() -> int:
    return int(getattr(settings, "KAWAL_INCIDENT_WARN_DAYS", 2))


def recorded(user: User, client_id: str) -> Report | None:
    """The report this client_id was recorded as before, if any; ReportError if someone else used it."""
    existing = Report.unscoped.filter(client_id=client_id).first()
    if existing is not None and existing.reporter_id != getattr(user, "pk", None):
        raise ReportError("client_id sudah dipakai untuk laporan lain")
    return existing


def record_report(
    user: User, data: ReportIn, scope: Scope | None = None, *, looked_up: bool = False
) -> tuple[Report, bool]:
    """Store a report; returns it and whether it is new (False: this client_id was recorded before). ``scope``:
    the user's, when the caller has it already (one query less per report under load). ``looked_up``: the caller
    has just found no report under this client_id (``recorded``); a race with a copy of it still ends in the
    unique constraint below."""
    existing = None if looked_up else recorded(user, data.client_id)
    if existing is not None:
        return existing, False
    membership = _validate(user, data, scope or Scope.for_user(user))
    photos, media = _evidence(user, data.evidence) if data.evidence else ([], [])
    identity = _identity(user, data.pelapor)
    try:
        with transaction.atomic():
            report = _store(user, data, membership.organisation, identity)
            Evidence.objects.bulk_create(
                [Evidence(report=report, photo=p) for p in photos] + [Evidence(report=report, media=m) for m in media]
            )
            StatusChange.objects.create(report=report, user=user, new=report.status)
            details: dict[str, Any] = {
                "category": data.category,
                "channel": data.channel,
                "witnesses": len(data.witnesses),
            }
            record("incident.created", user=user, obj=report, evidence=len(photos) + len(media), **details)
    except IntegrityError:  # the same client_id arriving twice at once: the other request won
        return Report.unscoped.get(client_id=data.client_id), False
    return report, True


def _validate(user: User, data: ReportIn, scope: Scope) -> Membership:
    if data.category not in categories.by_code():
        raise ReportError(f"jenis pelanggaran '{data.category}' tidak dikenal")
    if not (data.kode_kelurahan.isdigit() and len(data.kode_kelurahan) == 10):
        raise ReportError("kelurahan: kode 10 angka")
    if not data.description.strip():
        raise ReportError("uraian kejadian wajib diisi")
    now = timezone.now() + CLOCK_SKEW
    if data.incident_at > now or data.known_at > now:
        raise ReportError("waktu kejadian dan waktu diketahui tidak boleh di masa depan")
    if data.known_at < data.incident_at:
        raise ReportError("waktu diketahui tidak boleh sebelum waktu kejadian")
    if data.pelapor.get("nik") and not parse_nik(data.pelapor["nik"]).valid:
        raise ReportError(f"NIK pelapor: {nik_problem(data.pelapor['nik'])}")
    if any(not w.nama.strip() for w in data.witnesses):
        raise ReportError("saksi: nama wajib diisi")
    membership = access.reporting_membership(scope, data.kode_kelurahan)
    if membership is None:
        raise ReportError("kelurahan ini di luar wilayah Anda")
    return membership


def _evidence(user: User, client_ids: tuple[str, ...]) -> tuple[list[Photo], list[Media]]:
    """The photos and recordings a report refers to: each uploaded before, by the same person."""
    wanted = list(dict.fromkeys(client_ids))
    photos = {str(p.client_id): p for p in Photo.objects.filter(client_id__in=wanted, uploaded_by=user)}
    media = {str(m.client_id): m for m in Media.objects.filter(client_id__in=wanted, uploaded_by=user)}
    missing = [c for c in wanted if c not in photos and c not in media]
    if missing:
        raise ReportError(f"bukti {missing[0]}: belum terkirim; kirim berkasnya dulu")
    return [photos[c] for c in wanted if c in photos], [media[c] for c in wanted if c in media]


def _identity(user: User, given: dict[str, str]) -> dict[str, str]:
    """The reporter's identity for Model A.1: what the form gave, else the reporter's saved profile."""
    cleaned = {k: (given.get(k) or "").strip() for k in IDENTITY}
    if any(cleaned.values()):
        return cleaned
    profile = ReporterProfile.objects.filter(user=user).first()
    if profile is not None:
        return {k: decrypt(getattr(profile, f"{k}_encrypted")) for k in IDENTITY}
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return {**cleaned, "nama": full_name}


def _store(user: User, data: ReportIn, organisation: Organisation, identity: dict[str, str]) -> Report:
    report = Report.unscoped.create(
        client_id=data.client_id,
        organisation=organisation,
        reporter=user,
        channel=data.channel,
        category=data.category,
        incident_at=data.incident_at,
        known_at=data.known_at,
        kode_kelurahan=data.kode_kelurahan,
        rw=data.rw,
        rt=data.rt,
        tps=data.tps,
        place=data.place.strip(),
        latitude=data.latitude,
        longitude=data.longitude,
        description=data.description.strip(),
        reported_party=data.reported_party.strip(),
        recorded_at=data.recorded_at,
        **{f"pelapor_{k}_encrypted": encrypt(v) for k, v in identity.items()},
    )
    Witness.objects.bulk_create(
        Witness(
            report=report,
            nama_encrypted=encrypt(w.nama.strip()),
            alamat_encrypted=encrypt(w.alamat.strip()),
            telepon_encrypted=encrypt(w.telepon.strip()),
        )
        for w in data.witnesses
    )
    return report


# --- identities (coordinators only; every view is logged) ------------------------------------------------------


def reporter_identity(report: Report) -> dict[str, str]:
    return {k: decrypt(getattr(report, f"pelapor_{k}_encrypted")) for k in IDENTITY}


def witnesses(report: Report) -> list[dict[str, str]]:
    return [
        {
            "nama": decrypt(w.nama_encrypted),
            "alamat": decrypt(w.alamat_encrypted),
            "telepon": decrypt(w.telepon_encrypted),
        }
        for w in report.witnesses.all()
    ]


def save_profile(user: User, identity: dict[str, str]) -> ReporterProfile:
    if identity.get("nik") and not parse_nik(identity["nik"]).valid:
        raise ReportError(f"NIK: {nik_problem(identity['nik'])}")
    values = {f"{k}_encrypted": encrypt((identity.get(k) or "").strip()) for k in IDENTITY}
    profile, _created = ReporterProfile.objects.update_or_create(user=user, defaults=values)
    record("incident.profile_saved", user=user, obj=profile)
    return profile


def profile_of(user: User) -> dict[str, str]:
    profile = ReporterProfile.objects.filter(user=user).first()
    return {k: decrypt(getattr(profile, f"{k}_encrypted")) if profile else "" for k in IDENTITY}


# --- verification ------------------------------------------------------------------------------------------------


def confirm(
    report: Report, user: User, note: str = "", request: HttpRequest | None = None
) -> tuple[Confirmation, bool]:
    """One independent confirmation: a coordinator of the report's Ormas confirms from the evidence, any other member
    because they saw it too. Enough of them (``KAWAL_INCIDENT_CONFIRMATIONS``, 2) verify the report."""
    scope = Scope.for_user(user)
    if not access.may_confirm(scope, user, report):
        raise ReportError("Anda tidak dapat mengonfirmasi laporan ini (pelapor sendiri, atau di luar wilayah Anda)")
    if report.status not in (Report.Status.RECEIVED, Report.Status.VERIFIED):
        raise ReportError("laporan ini tidak lagi menunggu konfirmasi")
    kind = Confirmation.Kind.EVIDENCE if access.manages(scope, report) else Confirmation.Kind.RELAWAN
    if kind == Confirmation.Kind.EVIDENCE and not report.evidence.exists():
        raise ReportError("belum ada bukti untuk diperiksa: konfirmasi koordinator didasarkan pada bukti")
    if kind == Confirmation.Kind.RELAWAN and not note.strip():
        raise ReportError("tuliskan apa yang Anda lihat sendiri")
    existing = Confirmation.objects.filter(report=report, user=user).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            made = Confirmation.objects.create(report=report, user=user, kind=kind, note=note.strip())
            record("incident.confirmed", request=request, user=user, obj=report, kind=kind)
            _maybe_verify(report)
    except IntegrityError:
        return Confirmation.objects.get(report=report, user=user), False
    return made, True


def independent_confirmations(report: Report) -> int:
    return report.confirmations.exclude(user_id=report.reporter_id).values("user").distinct().count()


def _maybe_verify(report: Report) -> None:
    count = independent_confirmations(report)
    if report.status == Report.Status.RECEIVED and count >= confirmations_needed():
        _set_status(report, None, Report.Status.VERIFIED, f"{count} konfirmasi independen")


TRANSITIONS: dict[
    str, set[str]
] = {  # what a coordinator may set by hand; verified comes from confirmations, forwarded from forward()
    Report.Status.RECEIVED: {Report.Status.REJECTED},
    Report.Status.VERIFIED: {Report.Status.REJECTED},
    Report.Status.FORWARDED: {Report.Status.REJECTED},
    Report.Status.REGISTERED: {Report.Status.FOLLOWED_UP, Report.Status.REJECTED},
    Report.Status.FOLLOWED_UP: set(),
    Report.Status.REJECTED: {Report.Status.RECEIVED},
    Report.Status.MERGED: set(),
}


def change_status(report: Report, user: User, new: str, reason: str = "", request: HttpRequest | None = None) -> Report:
    if new not in TRANSITIONS.get(report.status, set()):
        raise ReportError(f"status '{report.get_status_display()}' tidak dapat diubah menjadi '{new}'")
    if new in (Report.Status.REJECTED, Report.Status.RECEIVED) and not reason.strip():
        raise ReportError("alasan wajib diisi")
    _set_status(report, user, new, reason.strip(), request=request)
    if new == Report.Status.RECEIVED:
        _maybe_verify(report)
    return report


def _set_status(
    report: Report, user: User | None, new: str, reason: str, request: HttpRequest | None = None, **detail: Any
) -> None:
    old = report.status
    with transaction.atomic():
        report.status = new
        report.save(update_fields=["status", *detail.pop("fields", [])])
        StatusChange.objects.create(report=report, user=user, old=old, new=new, reason=reason)
        record("incident.status", request=request, user=user, obj=report, old=old, new=new, **detail)


def change_category(
    report: Report, user: User, new: str, reason: str, request: HttpRequest | None = None
) -> CategoryChange:
    """A coordinator corrects the category (the relawan picked the wrong one, or a chat answer was a slip). Only
    before the report leaves for Bawaslu: after that the Model A.1 that was sent is what counts. Confirmations stay:
    they confirm what happened, not its label."""
    if report.status not in (Report.Status.RECEIVED, Report.Status.VERIFIED):
        raise ReportError("jenis pelanggaran hanya dapat dikoreksi sebelum laporan diteruskan ke Bawaslu")
    if new not in categories.by_code():
        raise ReportError(f"jenis pelanggaran '{new}' tidak dikenal")
    if new == report.category:
        raise ReportError("jenis pelanggaran tidak berubah")
    if not reason.strip():
        raise ReportError("alasan wajib diisi")
    old = report.category
    with transaction.atomic():
        report.category = new
        report.save(update_fields=["category"])
        change = CategoryChange.objects.create(report=report, user=user, old=old, new=new, reason=reason.strip())
        record("incident.category", request=request, user=user, obj=report, old=old, new=new)
    return change


def merge(
    duplicate: Report, target: Report, user: User, reason: str = "", request: HttpRequest | None = None
) -> Report:
    """Fold a duplicate into the report of the same incident: its evidence and witnesses are added there, and its
    reporter and confirmers count as confirmations of the target."""
    if duplicate.pk == target.pk:
        raise ReportError("laporan tidak dapat digabung dengan dirinya sendiri")
    if duplicate.status in (*CLOSED, Report.Status.FORWARDED, Report.Status.REGISTERED, Report.Status.FOLLOWED_UP):
        raise ReportError("laporan ini sudah ditutup atau diteruskan; tidak dapat digabung")
    if target.status in CLOSED:
        raise ReportError("laporan tujuan sudah ditutup")
    if duplicate.organisation_id != target.organisation_id:
        raise ReportError("laporan dari Ormas lain tidak dapat digabung")
    with transaction.atomic():
        for item in duplicate.evidence.all():
            # None is a valid value of these nullable keys (IS NULL); the stubs type the lookups as not null.
            Evidence.objects.get_or_create(report=target, photo_id=item.photo_id, media_id=item.media_id)  # type: ignore[misc]
        Witness.objects.bulk_create(
            Witness(
                report=target,
                nama_encrypted=w.nama_encrypted,
                alamat_encrypted=w.alamat_encrypted,
                telepon_encrypted=w.telepon_encrypted,
            )
            for w in duplicate.witnesses.all()
        )
        people: list[tuple[int, str, str]] = [(duplicate.reporter_id, Confirmation.Kind.DUPLICATE, "")]
        people += [(c.user_id, c.kind, c.note) for c in duplicate.confirmations.all()]
        for person, kind, note in people:
            if person != target.reporter_id and not target.confirmations.filter(user_id=person).exists():
                Confirmation.objects.create(report=target, user_id=person, kind=kind, note=note)
        duplicate.merged_into = target
        text = reason.strip() or f"sama dengan {target.number}"
        _set_status(duplicate, user, Report.Status.MERGED, text, request, into=target.pk, fields=["merged_into"])
        target.refresh_from_db()
        _maybe_verify(target)
    return target


def forward(report: Report, user: User, sent_at: datetime, office: str, request: HttpRequest | None = None) -> Report:
    """Record that the Model A.1 and its evidence were sent to Bawaslu; the 7-day clock stops."""
    if report.status != Report.Status.VERIFIED:
        raise ReportError("hanya laporan terverifikasi yang diteruskan ke Bawaslu")
    if not office.strip():
        raise ReportError("sebutkan Bawaslu tujuan")
    if sent_at > timezone.now() + CLOCK_SKEW:
        raise ReportError("waktu pengiriman tidak boleh di masa depan")
    report.forwarded_at, report.bawaslu_office = sent_at, office.strip()
    late = (timezone.localtime(sent_at).date() - report.deadline).days
    reason = f"dikirim ke {report.bawaslu_office}" + (f", {late} hari lewat batas" if late > 0 else "")
    _set_status(
        report, user, Report.Status.FORWARDED, reason, request, fields=["forwarded_at", "bawaslu_office"], late=late > 0
    )
    return report


def register(report: Report, user: User, number: str, request: HttpRequest | None = None) -> Report:
    if report.status != Report.Status.FORWARDED:
        raise ReportError("nomor registrasi dicatat setelah laporan diteruskan")
    if not number.strip():
        raise ReportError("nomor registrasi wajib diisi")
    report.register_number = number.strip()[:100]
    _set_status(
        report, user, Report.Status.REGISTERED, f"nomor {report.register_number}", request, fields=["register_number"]
    )
    return report


# --- the 7-day clock ---------------------------------------------------------------------------------------------


def expiring(reports: QuerySet, within: int | None = None) -> list[Report]:
    """Open, unfiled reports whose last day to file is at most ``within`` (``KAWAL_INCIDENT_WARN_DAYS``) days away,
    those already too late included; the most urgent first."""
    within = warn_days() if within is None else within
    today = timezone.localdate()
    # deadline = known date + N days <= today + within  <=>  known date <= today + within - N
    last_known = today + timedelta(days=within - filing_days() + 1)
    cutoff = timezone.make_aware(datetime.combine(last_known, datetime.min.time()))
    found = reports.filter(
        status__in=(Report.Status.RECEIVED, Report.Status.VERIFIED), forwarded_at=None, known_at__lt=cutoff
    )
    return sorted(found, key=lambda r: (r.deadline, r.pk))
