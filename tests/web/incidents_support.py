"""Shared set-up of the incident tests: the demo Ormas with a second relawan, a relawan elsewhere and another Ormas,
and helpers that make reports, photos and recordings."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from kawal.web import demo
from kawal.web.accounts.models import ApiToken, Membership, Organisation, Role
from kawal.web.incidents.service import ReportIn, WitnessIn, record_report
from kawal.web.photos.store import save_photo
from tests.photos.images import phone_jpeg

KETAPANG = "3671051007"  # Kec. Cipondoh
SUKARASA = "3671011001"  # Kec. Tangerang
WITNESS = "SITI AMINAH SAKSI"
WITNESS_ADDRESS = "JL. KENANGA NO. 7 RT 002 RW 003"
REPORTER_NIK = "3671054505800001"
# A tiny MP4 header ("ftyp" box) and some bytes: enough for the signature check, as a phone's clip starts.
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 8


def member(username: str, organisation: Organisation, role: str, wilayah: str, rw: int | None = None) -> object:
    user = get_user_model().objects.create(username=username, first_name=username.split(".")[0].title())
    Membership.objects.create(user=user, organisation=organisation, role=role, wilayah=wilayah, rw=rw)
    return user


def make_people() -> dict:
    """The accounts every incident test uses (each test module wraps this in its own ``people`` fixture)."""
    kpu, _accounts = demo.create_accounts()
    users = {u.username: u for u in get_user_model().objects.all()}
    ormas = Membership.objects.get(user=users["relawan.ketapang"]).organisation
    other = Organisation.objects.create(name="Ormas Lain", kind=Organisation.Kind.ORMAS, wilayah="3671", partner_of=kpu)
    return {
        "kpu": kpu,
        "ormas": ormas,
        "other_ormas": other,
        "relawan": users["relawan.ketapang"],
        "coordinator": users["koordinator.cipondoh"],
        "admin": users["admin.kpu"],
        "operator": users["operator.cipondoh"],
        "second": member("relawan.kedua", ormas, Role.RELAWAN, KETAPANG, rw=2),
        "elsewhere": member("relawan.sukarasa", ormas, Role.RELAWAN, SUKARASA),
        "stranger": member("relawan.lain", other, Role.RELAWAN, KETAPANG),
        "other_coordinator": member("koordinator.lain", other, Role.COORDINATOR, "367105"),
    }


def bearer(user: object) -> dict:
    _token, key = ApiToken.issue(user, "phone")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def photo_of(user: object, colour: tuple = (200, 30, 30)) -> object:
    return save_photo(str(uuid.uuid4()), "bukti", phone_jpeg(colour=colour), user)[0]


def report_by(user: object, known_days_ago: float = 0, evidence: tuple = (), **extra: object) -> object:
    now = timezone.now() - timedelta(days=known_days_ago)
    data = {
        "client_id": str(uuid.uuid4()),
        "category": "politik_uang",
        "incident_at": now - timedelta(hours=1),
        "known_at": now,
        "kode_kelurahan": KETAPANG,
        "description": "Tim sukses membagikan amplop Rp50.000 kepada warga di depan TPS 3.",
        "recorded_at": now,
        "tps": 3,
        "reported_party": "Koordinator tim sukses paslon 9",
        "witnesses": (WitnessIn(WITNESS, WITNESS_ADDRESS, "081234567890"),),
        "evidence": tuple(str(e.client_id) for e in evidence),
        "pelapor": {"nama": "RELAWAN PELAPOR", "nik": REPORTER_NIK, "alamat": "JL. MELATI 1", "telepon": "0811111111"},
    }
    data.update(extra)
    return record_report(user, ReportIn(**data))[0]


def upload_file(data: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file
