"""Demo organisations, accounts and the demo city's list in the web app (``kawal demo``)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from kawal.web.accounts.models import Membership, Organisation, Role
from kawal.web.voters import jobs
from kawal.web.voters.models import VoterList

KOTA = "3671"
CIPONDOH = "367105"
KETAPANG = "3671051007"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    description: str


def _user(username: str, description: str, *, staff: bool = False) -> DemoAccount:
    password = secrets.token_urlsafe(9)
    user, _ = get_user_model().objects.update_or_create(
        username=username, defaults={"is_staff": staff, "is_superuser": staff}
    )
    user.set_password(password)
    user.save()
    return DemoAccount(username, password, description)


@transaction.atomic
def create_accounts() -> tuple[Organisation, list[DemoAccount]]:
    kpu, _ = Organisation.objects.get_or_create(name="KPU Kota Tangerang", kind=Organisation.Kind.KPU, wilayah=KOTA)
    ormas, _ = Organisation.objects.get_or_create(
        name="Pemuda Peduli Pemilu", kind=Organisation.Kind.ORMAS, wilayah=KOTA, partner_of=kpu, ormas_type="kepemudaan"
    )
    people = [
        (
            "admin.kpu",
            "Admin KPU Kota Tangerang (semua data, NIK lengkap)",
            kpu,
            Role.KPU_ADMIN,
            KOTA,
            None,
            None,
            True,
        ),
        ("operator.cipondoh", "Operator PPK Cipondoh", kpu, Role.KPU_OPERATOR, CIPONDOH, None, None, False),
        (
            "koordinator.cipondoh",
            "Koordinator Ormas, Kec. Cipondoh (NIK tersamar)",
            ormas,
            Role.COORDINATOR,
            CIPONDOH,
            None,
            None,
            False,
        ),
        (
            "relawan.ketapang",
            "Relawan, Kel. Ketapang RW 001 RT 001 (data kunjungan saja)",
            ormas,
            Role.RELAWAN,
            KETAPANG,
            1,
            1,
            False,
        ),
    ]
    accounts = []
    for username, description, org, role, wilayah, rw, rt, staff in people:
        account = _user(username, description, staff=staff)
        user = get_user_model().objects.get(username=username)
        Membership.objects.update_or_create(
            user=user, organisation=org, defaults={"role": role, "wilayah": wilayah, "rw": rw, "rt": rt}
        )
        accounts.append(account)
    return kpu, accounts


def load_list(kpu: Organisation, dpt: Path, progress: Callable[[int, str], None] | None = None) -> VoterList:
    """Register the demo city's DPT as an upload by the KPU admin and run the job here, showing progress."""
    admin = get_user_model().objects.get(username="admin.kpu")
    existing = VoterList.objects.filter(organisation=kpu, source_name=dpt.name, status=VoterList.Status.DONE).first()
    if existing:
        return existing
    voter_list = VoterList.objects.create(
        organisation=kpu,
        uploaded_by=admin,
        stage="DPT",
        wilayah=KOTA,
        source_name=dpt.name,
        source_path=str(dpt.resolve()),
    )
    if progress:
        jobs.on_progress = progress
    try:
        return jobs.run(voter_list.pk)
    finally:
        jobs.on_progress = None


def sample_fieldwork(voter_list: VoterList) -> int:
    """Two recorded visits by the demo relawan, so the review and task pages have something to show."""
    import uuid
    from datetime import UTC, datetime

    from kawal.web.field.models import FieldTask
    from kawal.web.field.visits import CheckIn, VisitIn, household_voters, record_visit

    relawan = get_user_model().objects.get(username="relawan.ketapang")
    made = 0
    for task in FieldTask.unscoped.filter(voter_list=voter_list, assigned_to=relawan, visits=None).order_by("pk")[:2]:
        voter_id = sorted(household_voters(task))[0]
        data = VisitIn(
            client_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"kawal-demo-{task.pk}")),
            recorded_at=datetime.now(UTC),
            pantarlih_visited="ya",
            sticker="tidak",
            residents=3,
            note="Contoh kunjungan demo",
            checks=(CheckIn(voter_id=voter_id, outcome="tms", tms=4, note="Contoh: pindah domisili sejak 2023"),),
        )
        made += record_visit(task, relawan, data)[1]
    return made
