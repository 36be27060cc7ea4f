"""Record a visit once, whatever the network does: the same ``client_id`` always yields the same record."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kawal.engine import NewVoterData, Tms, mask, new_voter_problems, parse_nik, parse_nkk, tms_table
from kawal.web.actionlog.models import record
from kawal.web.crypto import encrypt, keyed_hash
from kawal.web.field.models import FieldTask, NewVoter, Visit, VisitPhoto, VoterCheck
from kawal.web.photos.models import Photo
from kawal.web.security import nik_problem
from kawal.web.voters.models import Voter

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from kawal.web.participation.models import Election
    from kawal.web.voters.models import VoterList

CORRECTABLE = (
    "nama",
    "tempat_lahir",
    "tanggal_lahir",
    "jenis_kelamin",
    "status_kawin",
    "alamat",
    "rt",
    "rw",
    "nik",
    "nkk",
)


NUMBERS = ("nik", "nkk")  # corrections of these are stored encrypted and shown masked to all but KPU
MAX_RESIDENTS = 99  # adults in one household; the form's own maximum


class VisitError(ValueError):
    """A submission that cannot be recorded; the message names the field."""


def election_of(voter_list: VoterList) -> Election | None:
    """The election a list serves: the first election of its KPU office held on or after the day the list was
    uploaded (a list is worked on before its election), else the office's latest; None when the office has none."""
    from kawal.web.participation.models import Election

    elections = Election.objects.filter(organisation=voter_list.organisation.kpu_office)
    uploaded = timezone.localdate(voter_list.created_at) if voter_list.created_at else timezone.localdate()
    upcoming = elections.filter(held_on__gte=uploaded).order_by("held_on", "pk").first()
    return upcoming or elections.order_by("-held_on", "-pk").first()


def tms_for(voter_list: VoterList) -> dict[int, Tms]:
    """The TMS table of the list's election (its scheme's ``kawal/data/tms_<scheme>.csv``), else the default
    scheme's: what the visit form offers, what a visit may claim and how the tanggapan names a claim."""
    election = election_of(voter_list)
    return election.tms if election is not None else tms_table()


def _codes_text(codes: list[int]) -> str:
    """``1-8`` for a run of codes, else ``1, 2, 5``."""
    if codes and codes == list(range(codes[0], codes[-1] + 1)) and len(codes) > 2:
        return f"{codes[0]}-{codes[-1]}"
    return ", ".join(str(c) for c in codes)


@dataclass(frozen=True)
class CheckIn:
    voter_id: int
    outcome: str
    tms: int | None = None
    field: str = ""
    value: str = ""
    note: str = ""


@dataclass(frozen=True)
class NewVoterIn:
    """A person not on the list. Older clients send the first four fields only; such a record is kept but marked
    incomplete in the tanggapan. With ``complete`` every field KPU needs is required (the web form's case)."""

    nama: str
    nik: str = ""
    tanggal_lahir: date | None = None
    alamat: str = ""
    nkk: str = ""
    tempat_lahir: str = ""
    jenis_kelamin: str = ""
    status_kawin: str = ""
    rt: int | None = None
    rw: int | None = None
    disabilitas: tuple[int, ...] = ()
    ktp_el: str = ""
    complete: bool = False

    def data(self) -> NewVoterData:
        fields: dict[str, Any] = {k: v for k, v in asdict(self).items() if k != "complete"}
        fields["disabilitas"] = tuple(self.disabilitas)
        cleaned: dict[str, Any] = {k: v.strip().upper() if isinstance(v, str) else v for k, v in fields.items()}
        return NewVoterData(**cleaned)

    def filled(self) -> bool:
        """Whether every field KPU needs is there and valid (checked without requiring it)."""
        return not new_voter_problems(self.data(), complete=True)


@dataclass(frozen=True)
class PhotoRef:
    client_id: str
    voter_id: int | None = None  # None: a photo of the household, such as the coklit sticker


@dataclass(frozen=True)
class VisitIn:
    client_id: str
    recorded_at: datetime
    pantarlih_visited: str
    sticker: str
    joki: str = ""  # Bawaslu's categories: someone else did the coklit; the Pantarlih showed SK/ID; the date
    sk_shown: str = ""
    pantarlih_date: date | None = None
    residents: int | None = None
    note: str = ""
    latitude: float | None = None
    longitude: float | None = None
    checks: tuple[CheckIn, ...] = ()
    new_voters: tuple[NewVoterIn, ...] = ()
    photos: tuple[PhotoRef, ...] = ()
    supersedes: int | None = None


def _validate_check(check: CheckIn, household: set[int], tms: dict[int, Tms]) -> None:
    if check.voter_id not in household:
        raise VisitError(f"voter {check.voter_id}: bukan anggota rumah tangga tugas ini")
    if check.outcome not in VoterCheck.Outcome.values:
        raise VisitError(f"voter {check.voter_id}: outcome '{check.outcome}' tidak dikenal")
    if check.outcome == VoterCheck.Outcome.TMS and check.tms not in tms:
        allowed = _codes_text(sorted(tms))
        if check.tms is None:
            raise VisitError(f"voter {check.voter_id}: kategori TMS harus dipilih ({allowed})")
        raise VisitError(
            f"voter {check.voter_id}: kategori TMS {check.tms} tidak ada dalam tabel TMS pemilihan ini; pilih {allowed}"
        )
    if check.outcome == VoterCheck.Outcome.TMS and not check.note.strip():
        raise VisitError(f"voter {check.voter_id}: TMS perlu catatan bukti")
    if check.outcome == VoterCheck.Outcome.CORRECT and (check.field not in CORRECTABLE or not check.value.strip()):
        raise VisitError(f"voter {check.voter_id}: sebutkan kolom ({', '.join(CORRECTABLE)}) dan nilai yang benar")
    if check.outcome == VoterCheck.Outcome.CORRECT and check.field in NUMBERS:
        parsed = parse_nik(check.value) if check.field == "nik" else parse_nkk(check.value)
        if not parsed.valid:  # the number itself stays out of the message
            raise VisitError(f"voter {check.voter_id}: {check.field.upper()} perbaikan tidak sah")


def household_voters(task: FieldTask) -> set[int]:
    """The listed voters a visit to this household may report on: the voters of its findings, their households,
    and, for a household check without findings, the members of the household the task names."""
    from_findings = set(task.findings.values_list("voter_id", flat=True))
    hashes = set(Voter.unscoped.filter(pk__in=from_findings).exclude(nkk_hash="").values_list("nkk_hash", flat=True))
    hashes.add(task.household)
    same_place = {"kode_kelurahan": task.kode_kelurahan, "rw": task.rw, "rt": task.rt}  # uses the list's index
    members = Voter.unscoped.filter(voter_list_id=task.voter_list_id, nkk_hash__in=hashes, **same_place)
    return from_findings | set(members.values_list("pk", flat=True))


def record_visit(task: FieldTask, relawan: User, data: VisitIn) -> tuple[Visit, bool]:
    """Store a visit; returns it and whether it was new (False: this client_id was recorded before)."""
    existing = Visit.unscoped.filter(client_id=data.client_id).first()
    if existing is not None:
        if (existing.task_id, existing.relawan_id) != (task.pk, getattr(relawan, "pk", None)):
            raise VisitError("client_id sudah dipakai untuk kunjungan lain")
        return existing, False
    if data.pantarlih_visited not in Visit.Seen.values or data.sticker not in Visit.Seen.values:
        raise VisitError("pantarlih_visited dan sticker: ya, tidak atau tidak_tahu")
    if data.residents is not None and not 0 <= data.residents <= MAX_RESIDENTS:
        raise VisitError(f"residents: 0 sampai {MAX_RESIDENTS}")
    replaced = _replaced(task, relawan, data.supersedes)
    household = household_voters(task) if _names_voters(data) else set()
    tms = tms_for(task.voter_list) if any(c.outcome == VoterCheck.Outcome.TMS for c in data.checks) else {}
    for check in data.checks:
        _validate_check(check, household, tms)
    _validate_oversight(data)
    for number, person in enumerate(data.new_voters, start=1):
        if person.nik and not parse_nik(person.nik).valid:  # the name and the NIK stay out of the message
            raise VisitError(f"pemilih baru ke-{number}: NIK tidak sah ({nik_problem(person.nik)})")
        for name, message in new_voter_problems(person.data(), complete=person.complete):
            raise VisitError(f"pemilih baru ke-{number}, {name}: {message}")
    photos = _photos(data.photos, relawan, household)
    try:
        with transaction.atomic():
            visit = _store(task, relawan, data, replaced)
            VisitPhoto.objects.bulk_create(
                VisitPhoto(visit=visit, photo=photos[ref.client_id], voter_id=ref.voter_id) for ref in data.photos
            )
            details: dict[str, Any] = {
                "checks": len(data.checks),
                "new_voters": len(data.new_voters),
                "photos": len(data.photos),
            }
            record("visit.recorded", user=relawan, obj=visit, task=task.pk, **details)  # commits with the visit
    except IntegrityError:  # the same client_id arriving twice at once: the other request won
        won = Visit.unscoped.filter(client_id=data.client_id).first()
        if won is None or (won.task_id, won.relawan_id) != (task.pk, getattr(relawan, "pk", None)):
            # not a twin of this submission: another correction of the same visit got in first
            raise VisitError("kunjungan tidak tersimpan: versi yang diganti sudah diganti kiriman lain") from None
        return won, False
    return visit, True


def _validate_oversight(data: VisitIn) -> None:
    for name in ("joki", "sk_shown"):
        if getattr(data, name) not in ("", *Visit.Seen.values):
            raise VisitError(f"{name}: ya, tidak atau tidak_tahu")
    if data.pantarlih_date and data.pantarlih_date > data.recorded_at.date():
        raise VisitError("pantarlih_date: tanggal coklit sesudah tanggal kunjungan")


def _replaced(task: FieldTask, relawan: User, pk: int | None) -> Visit | None:
    """The visit a correction replaces. Only its author corrects it, and only while review allows: before the
    coordinator decided, or after they sent it back. An approved or rejected visit is final, so nobody (not even
    the next relawan given the task) can take an approved confirmation out of the count by "correcting" it."""
    if pk is None:
        return None
    found = Visit.unscoped.filter(pk=pk, task=task, relawan=relawan).first()
    if found is None:  # someone else's visit answers the same as one that does not exist
        raise VisitError("supersedes: tidak ada kunjungan Anda dengan nomor itu pada tugas ini")
    if found.review not in (Visit.Review.SUBMITTED, Visit.Review.RETURNED):
        raise VisitError("supersedes: kunjungan yang sudah disetujui atau ditolak tidak bisa diganti")
    if Visit.unscoped.filter(supersedes=found).exists():
        raise VisitError("supersedes: kunjungan itu sudah diganti; perbaiki versi terbarunya")
    return found


def _names_voters(data: VisitIn) -> bool:
    """Whether the visit reports on listed voters (checks, or photos of a voter), so membership must be checked."""
    return bool(data.checks) or any(ref.voter_id is not None for ref in data.photos)


def _photos(refs: tuple[PhotoRef, ...], relawan: User, household: set[int]) -> dict[str, Photo]:
    """The photos a visit refers to: each uploaded before, by this relawan (the phone sends photos first)."""
    found = {
        str(p.client_id): p
        for p in Photo.objects.filter(client_id__in=[r.client_id for r in refs], uploaded_by=relawan)
    }
    for ref in refs:
        if ref.client_id not in found:
            raise VisitError(f"foto {ref.client_id}: belum terkirim; kirim fotonya dulu")
        if ref.voter_id is not None and ref.voter_id not in household:
            raise VisitError(f"foto {ref.client_id}: pemilih {ref.voter_id} bukan anggota rumah tangga tugas ini")
    return found


def _store(task: FieldTask, relawan: User, data: VisitIn, supersedes: Visit | None) -> Visit:
    visit = Visit.unscoped.create(
        task=task,
        relawan=relawan,
        client_id=data.client_id,
        recorded_at=data.recorded_at,
        pantarlih_visited=data.pantarlih_visited,
        sticker=data.sticker,
        joki=data.joki,
        sk_shown=data.sk_shown,
        pantarlih_date=data.pantarlih_date,
        residents=data.residents,
        note=data.note,
        latitude=data.latitude,
        longitude=data.longitude,
        supersedes=supersedes,
    )
    VoterCheck.objects.bulk_create(
        VoterCheck(
            visit=visit,
            voter_id=c.voter_id,
            outcome=c.outcome,
            tms=c.tms if c.outcome == VoterCheck.Outcome.TMS else None,  # a category belongs to a TMS claim only
            field=c.field,
            value=mask(c.value.strip()) if c.field in NUMBERS else c.value,  # the full number: encrypted only
            value_encrypted=encrypt(c.value.strip()) if c.field in NUMBERS else "",
            note=c.note,
        )
        for c in data.checks
    )
    NewVoter.objects.bulk_create(_new_voter(visit, p) for p in data.new_voters)
    FieldTask.unscoped.filter(pk=task.pk).update(status=FieldTask.Status.DONE)
    return visit


def _new_voter(visit: Visit, person: NewVoterIn) -> NewVoter:
    clean = person.data()
    personal = {
        "tempat_lahir": clean.tempat_lahir,
        "tanggal_lahir": clean.tanggal_lahir.isoformat() if clean.tanggal_lahir else "",
        "alamat": clean.alamat,
        "disabilitas": list(clean.disabilitas),
    }
    return NewVoter(
        visit=visit,
        nama=clean.nama,
        nik_masked=mask(clean.nik),
        nik_encrypted=encrypt(clean.nik),
        nik_hash=keyed_hash(clean.nik),
        nkk_masked=mask(clean.nkk),
        nkk_encrypted=encrypt(clean.nkk),
        nkk_hash=keyed_hash(clean.nkk),
        personal_encrypted=encrypt(json.dumps(personal)),
        jenis_kelamin=clean.jenis_kelamin,
        status_kawin=clean.status_kawin,
        rt=clean.rt,
        rw=clean.rw,
        ktp_el=clean.ktp_el,
        complete=person.filled(),
    )
