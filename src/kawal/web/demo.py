"""Demo organisations, accounts and the demo city's list in the web app (``kawal demo``)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction

from kawal.web.accounts.models import Accreditation, Membership, Organisation, Role
from kawal.web.voters import jobs
from kawal.web.voters.models import VoterList

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from kawal.web.field.models import FieldTask

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
    Accreditation.objects.get_or_create(  # its members observe TPS as pemantau under it (a made-up number)
        issuer="KPU Kota Tangerang",
        number="CONTOH/PP.03.1/3671/2024",
        defaults={"organisation": ormas, "valid_from": date(2024, 8, 1), "valid_until": date(2024, 12, 31)},
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


def loaded_list(kpu: Organisation, dpt: Path) -> VoterList | None:
    """The demo city's list when an earlier ``kawal demo`` loaded it completely."""
    return VoterList.objects.filter(organisation=kpu, source_name=dpt.name, status=VoterList.Status.DONE).first()


def load_list(kpu: Organisation, dpt: Path, progress: Callable[[int, str], None] | None = None) -> VoterList:
    """Register the demo city's DPT as an upload by the KPU admin and run the job here, showing progress. A list
    an interrupted run left half-loaded is run again (the job starts its voters afresh), not loaded twice."""
    existing = loaded_list(kpu, dpt)
    if existing:
        return existing
    admin = get_user_model().objects.get(username="admin.kpu")
    voter_list = VoterList.objects.filter(organisation=kpu, source_name=dpt.name).order_by("-pk").first()
    if voter_list is None:
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


# What the demo relawan "found" in the households of their tasks, in order; the rest stay open.
DEMO_VISITS: tuple[dict[str, Any], ...] = (
    {"outcome": "tms", "tms": 4, "note": "Contoh: pindah ke Kab. Bogor sejak 2023, kata ketua RT", "confirm": True},
    {
        "outcome": "tms",
        "tms": 1,
        "note": "Contoh: meninggal Maret 2024, keluarga menunjukkan surat kematian",
        "confirm": True,
    },
    {"outcome": "ubah", "field": "alamat", "value": "JL. KETAPANG RAYA NO. 12"},
    {"outcome": "sesuai", "new_voter": ("CONTOH PEMILIH PEMULA", "3671054505080001")},
    {
        "outcome": "tms",
        "tms": 5,
        "note": "Contoh: WNA, menunjukkan paspor dan KITAS, tidak punya KTP-el",
        "review": False,
    },
    {"outcome": "sesuai", "review": False},
)


def sample_fieldwork(voter_list: VoterList) -> int:
    """Sample fieldwork in the demo relawan's RT so every field page has something to show: visits with sticker
    photos, two TMS claims confirmed by a second relawan, approved and waiting visits, and a tanggapan to the PPS
    with a response period ending in two days, partly answered by KPU. Running it again adds nothing."""
    from kawal.web.field.models import FieldTask
    from kawal.web.field.visits import household_voters

    relawan = get_user_model().objects.get(username="relawan.ketapang")
    _household_checks(voter_list, relawan, len(DEMO_VISITS) + 2)
    assigned = FieldTask.unscoped.filter(voter_list=voter_list, assigned_to=relawan).order_by("pk")
    # A second run finds other tasks of the relawan too (a drawn sample's units, tasks sent from findings) whose
    # household may list nobody: only tasks with someone to visit get a demo visit.
    tasks = [task for task in assigned if household_voters(task)][: len(DEMO_VISITS)]
    made = sum(_demo_visit(task, relawan, plan) for task, plan in zip(tasks, DEMO_VISITS, strict=False))
    if made:
        _demo_tanggapan(voter_list)
    return made


def _household_checks(voter_list: VoterList, relawan: User, wanted: int) -> None:
    """Coklit checks of households in the demo relawan's RT, so there is enough to visit even where the audit
    found little (a household check needs no finding: it is what coklit monitoring is)."""
    from kawal.web.field.models import FieldTask
    from kawal.web.voters.models import Voter

    have = FieldTask.unscoped.filter(voter_list=voter_list, assigned_to=relawan).count()
    if have >= wanted:
        return
    taken = set(FieldTask.unscoped.filter(voter_list=voter_list).values_list("household", flat=True))
    place = {"kode_kelurahan": KETAPANG, "rw": 1, "rt": 1}
    households = (
        Voter.unscoped.filter(voter_list=voter_list, **place)
        .exclude(nkk_hash="")
        .order_by("pk")
        .values("nkk_hash", "alamat", "tps")
    )
    made: list[FieldTask] = []
    for row in households:
        if row["nkk_hash"] in taken or len(made) + have >= wanted:
            continue
        taken.add(row["nkk_hash"])
        made.append(
            FieldTask(
                voter_list=voter_list,
                household=row["nkk_hash"],
                alamat=row["alamat"],
                tps=row["tps"],
                assigned_to=relawan,
                **place,
            )
        )
    FieldTask.unscoped.bulk_create(made)


def _demo_visit(task: FieldTask, relawan: User, plan: dict) -> int:
    import uuid
    from dataclasses import replace

    from django.utils import timezone

    from kawal.web.field.review import review
    from kawal.web.field.visits import CheckIn, NewVoterIn, PhotoRef, VisitIn, household_voters, record_visit
    from kawal.web.photos.store import save_photo

    key = f"kawal-demo-{task.pk}"
    photo, _ = save_photo(str(uuid.uuid5(uuid.NAMESPACE_URL, key + "-photo")), "stiker", demo_sticker(task.pk), relawan)
    check = CheckIn(
        voter_id=sorted(household_voters(task))[0],
        outcome=plan["outcome"],
        tms=plan.get("tms"),
        field=plan.get("field", ""),
        value=plan.get("value", ""),
        note=plan.get("note", ""),
    )
    new_voters = (NewVoterIn(*plan["new_voter"]),) if "new_voter" in plan else ()
    data = VisitIn(
        client_id=str(uuid.uuid5(uuid.NAMESPACE_URL, key)),
        recorded_at=timezone.now(),
        pantarlih_visited="ya",
        sticker="ya",
        residents=3,
        note="Contoh kunjungan demo",
        checks=(check,),
        new_voters=new_voters,
        photos=(PhotoRef(str(photo.client_id)),),
    )
    visit, created = record_visit(task, relawan, data)
    if not created:
        return 0
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    if plan.get("review", True):
        review(visit, coordinator, "approved")
    if plan.get("confirm"):  # a second relawan of the Ormas checks the same household independently
        second = _second_relawan()
        again_id = str(uuid.uuid5(uuid.NAMESPACE_URL, key + "-2"))
        again = record_visit(task, second, replace(data, client_id=again_id, photos=()))[0]
        review(again, coordinator, "approved")
    return 1


def _second_relawan() -> User:
    """A relawan who only confirms claims in the demo (no password: not a demo login)."""
    user, created = get_user_model().objects.get_or_create(username="relawan.ketapang.2")
    if created:
        user.set_unusable_password()
        user.save()
        ormas = Membership.objects.get(user__username="relawan.ketapang").organisation
        Membership.objects.create(user=user, organisation=ormas, role=Role.RELAWAN, wilayah=KETAPANG, rw=1, rt=1)
    return user


def _demo_tanggapan(voter_list: VoterList) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from kawal.web.field.models import TanggapanItem
    from kawal.web.field.tanggapan import compile_tanggapan

    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    made = compile_tanggapan(voter_list, KETAPANG, coordinator, timezone.localdate() + timedelta(days=2))
    items = list(made.items.order_by("pk"))
    TanggapanItem.objects.filter(pk__in=[i.pk for i in items]).update(status=TanggapanItem.Status.SENT)
    if items:
        TanggapanItem.objects.filter(pk=items[0].pk).update(
            status=TanggapanItem.Status.ACTED,
            kpu_answer="Contoh: sudah dicoret dari DPSHP",
            answered_at=timezone.now(),
        )


def demo_sticker(seed: int) -> bytes:
    """A drawn stand-in for a photo of the coklit sticker on a door (the demo has no real photos)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), (205 - seed % 40, 180, 150))
    draw = ImageDraw.Draw(image)
    draw.rectangle((180, 120, 620, 480), fill="white", outline=(200, 30, 30), width=12)
    draw.text((230, 200), "STIKER COKLIT", fill=(200, 30, 30), font_size=48)
    draw.text((230, 280), "PILKADA 2024", fill=(40, 40, 40), font_size=40)
    draw.text((230, 360), f"contoh #{seed}", fill=(90, 90, 90), font_size=28)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


DEMO_PHRASE = "Contoh: rapat koordinasi KPU Kota Tangerang dan Ormas, 1 Juli 2024"
# Shares the demo pretends the field found, to fill the results page (the synthetic city has no ground truth
# for who still lives at the address).
DEMO_OUTCOMES = (("tidak_di_alamat", 0.04), ("meninggal", 0.01), ("data_salah", 0.03), ("tidak_terjangkau", 0.1))


def sample_audit(voter_list: VoterList, answered_share: float = 0.7) -> int:
    """A drawn list → people sample (±2 points) with outcomes for most units, so the sampling pages have
    something to show. Returns the number of outcomes recorded; nothing is drawn twice."""
    import hashlib
    import uuid

    from django.utils import timezone

    from kawal.engine import stratified_plan
    from kawal.web.sampling import service
    from kawal.web.sampling.models import SampleDraw

    if SampleDraw.unscoped.filter(voter_list=voter_list, phrase=DEMO_PHRASE).exists():
        return 0
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    sizes = {k: units for k, (units, _v) in service.strata_sizes(voter_list, "record", "kecamatan").items()}
    plans = stratified_plan(sizes, 0.02, 0.95, 0.05, 0.1)
    plan = {"margin": 0.02, "rate": 0.05, "nonresponse": 0.1, "per_stratum": False}
    sample = service.make_draw(
        voter_list, coordinator, DEMO_PHRASE, "record", "kecamatan", {p.stratum: p.to_visit for p in plans}, plan
    )
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    made = 0
    for unit in sample.units.select_related("draw"):
        draw = int(hashlib.sha256(unit.key.encode()).hexdigest()[:8], 16) / 2**32  # fixed per unit
        if draw >= answered_share:
            continue
        outcome, edge = "ditemukan", draw / answered_share
        for name, share in DEMO_OUTCOMES:
            if edge < share:
                outcome = name
                break
            edge -= share
        data = service.ObservationIn(str(uuid.uuid5(uuid.NAMESPACE_URL, unit.rank)), "hasil", timezone.now(), outcome)
        made += service.record_observation(unit, relawan, data)[1]
    return made


DEMO_EVENTS = (  # (days after 1 July 2024, kecamatan or kelurahan, audience, attendance, title, venue)
    (10, "3671", "umum", 150, "Sosialisasi Pilkada bersama Ormas se-Kota Tangerang", "Hotel di Kota Tangerang"),
    (20, "367105", "pemula", 120, "Pemilih pemula Cipondoh", "SMA Negeri di Cipondoh"),
    (25, "3671051007", "perempuan", 60, "Majelis taklim Ketapang: ayo memilih", "Musala RW 001 Ketapang"),
    (32, "367107", "muda", 200, "Karang taruna Karawaci", "GOR Karawaci"),
    (40, "367111", "disabilitas", 35, "Pemilih disabilitas Pinang", "Balai warga Pinang"),
    (47, "367101", "pekerja", 90, "Buruh dan Pilkada", "Kawasan industri Tangerang"),
    (60, "367106", "pemula", 140, "Pemilih pemula Ciledug", "SMK di Ciledug"),
    (75, "367113", "keagamaan", 80, "Tokoh agama Larangan", "Masjid di Larangan"),
)


def sample_participation(kpu: Organisation) -> int:
    """The real Pilkada 2024 baseline and a set of sample sosialisasi events (titles start with "Contoh")."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from kawal.web.participation.models import Event
    from kawal.web.participation.service import load_2024_baseline

    load_2024_baseline(kpu)
    if Event.unscoped.filter(title__startswith="Contoh").exists():
        return 0
    ormas = Organisation.objects.get(partner_of=kpu, name="Pemuda Peduli Pemilu")
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    start = timezone.make_aware(datetime(2024, 7, 1, 9, 0))
    events = [
        Event(
            organisation=kpu if kode == "3671" else ormas,
            created_by=coordinator,
            title=f"Contoh: {title}",
            starts_at=start + timedelta(days=days),
            venue=venue,
            kode_wilayah=kode,
            rw=1 if len(kode) == 10 else None,
            audiences=[audience],
            speakers="KPU Kota Tangerang; Pemuda Peduli Pemilu",
            topics="Tahapan Pilkada, cek DPT, cara memilih",
            attendance=people,
        )
        for days, kode, audience, people, title, venue in DEMO_EVENTS
    ]
    Event.unscoped.bulk_create(events)
    return len(events)


def sample_results(kpu: Organisation) -> int:
    """Witness entries for four TPS of Ketapang in the 2024 walikota election: three verified by two witnesses,
    one where they disagree, so the tally, the conflict queue and the public page have something to show."""
    import uuid

    from django.utils import timezone

    from kawal.web.participation.models import Election
    from kawal.web.results.models import TpsAssignment
    from kawal.web.results.paper import load_2024_candidates
    from kawal.web.results.service import EntryIn, record_entry

    election = Election.objects.filter(organisation=kpu, pemilihan="walikota").order_by("-held_on").first()
    if election is None or TpsAssignment.objects.filter(election=election).exists():
        return 0
    load_2024_candidates(election)  # numbers and names on the C.Hasil form and the tally
    witnesses = [get_user_model().objects.get(username="relawan.ketapang"), _second_relawan()]
    made = 0
    for number, (p1, p2, p3, invalid) in enumerate(
        ((96, 52, 160, 12), (110, 47, 171, 9), (88, 61, 149, 15), (101, 39, 180, 11)), 1
    ):
        kode = f"{KETAPANG}{number:03d}"
        valid = p1 + p2 + p3
        numbers = {"suara_paslon_1": p1, "suara_paslon_2": p2, "suara_paslon_3": p3, "suara_sah": valid,
                   "suara_tidak_sah": invalid, "suara_sah_dan_tidak_sah": valid + invalid, "dpt": 540,
                   "pengguna_total": valid + invalid}  # fmt: skip
        for i, witness in enumerate(witnesses):
            TpsAssignment.objects.create(election=election, user=witness, kode_tps=kode)
            reading: dict[str, int | None] = dict(numbers)
            if number == 4 and i == 1:
                reading["suara_paslon_2"] = 89  # a misread 39: the conflict queue's example
            client_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"kawal-demo-{kode}-{i}"))
            made += record_entry(election, kode, witness, EntryIn(client_id, timezone.now(), reading))[1]
    return made
