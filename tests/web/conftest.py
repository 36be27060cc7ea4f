"""A small synthetic city loaded into the web database, with the demo organisations and accounts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from kawal.synth.generator import generate
from kawal.web import demo
from kawal.web.accounts.models import Membership, Role
from kawal.web.field.review import review
from kawal.web.field.visits import CheckIn, NewVoterIn, VisitIn, record_visit
from kawal.web.voters.models import Voter, VoterList

WHEN = datetime(2024, 8, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("webcity")
    generate(3000, seed=21, out=out)
    return out


@pytest.fixture
def loaded(db, city) -> VoterList:
    kpu, _accounts = demo.create_accounts()
    return demo.load_list(kpu, city / "dpt.csv")


def login(client, username: str) -> None:
    client.force_login(get_user_model().objects.get(username=username))


KETAPANG = {"kode_kelurahan": "3671051007", "rw": 1, "rt": 1}  # the demo relawan's RT


def ketapang_task(
    voter_list: VoterList, household: str, voters: list, relawan: object, check: str = "PEMILIH_GANDA", alamat: str = ""
):
    """A field task in the demo relawan's RT with one finding per voter (tests make their own, so they do not
    depend on where the generator's findings happened to fall)."""
    from kawal.web.field.models import FieldTask
    from kawal.web.voters.models import Finding

    task = FieldTask.unscoped.create(
        voter_list=voter_list, household=household, alamat=alamat, tps=1, assigned_to=relawan, **KETAPANG
    )
    audit = voter_list.audits.get()
    for voter in voters:
        task.findings.add(Finding.unscoped.create(audit=audit, voter=voter, check_code=check, detail="uji", **KETAPANG))
    return task


@pytest.fixture
def approved(loaded, django_user_model):
    """Approved visits in Ketapang: a new voter, a correction, and a TMS 1 claim confirmed by two relawan."""
    ormas = Membership.objects.get(role=Role.RELAWAN).organisation
    second = django_user_model.objects.create(username="relawan.kedua")
    Membership.objects.create(
        user=second, organisation=ormas, role=Role.RELAWAN, **{"wilayah": "3671051007", "rw": 1, "rt": 1}
    )
    first = get_user_model().objects.get(username="relawan.ketapang")
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    dead, moved_tps, unreviewed = list(Voter.unscoped.filter(**KETAPANG)[:3])
    visits = []
    for i, user in enumerate((first, second)):
        task = ketapang_task(loaded, f"t{i}", [dead, moved_tps, unreviewed], user)
        checks = [CheckIn(voter_id=dead.pk, outcome="tms", tms=1, note="meninggal Mei 2024")]
        new = ()
        if i == 0:
            checks.append(CheckIn(voter_id=moved_tps.pk, outcome="ubah", field="alamat", value="JL. MERDEKA NO. 9"))
            new = (NewVoterIn(nama="PEMILIH PEMULA", nik="3671054505080001"),)
        data = VisitIn(
            client_id=str(uuid.uuid4()),
            recorded_at=WHEN,
            pantarlih_visited="ya",
            sticker="ya",
            checks=tuple(checks),
            new_voters=new,
        )
        visits.append(record_visit(task, user, data)[0])
    for v in visits:
        review(v, coordinator, "approved")
    third = ketapang_task(loaded, "t-unreviewed", [unreviewed], first)
    record_visit(
        third,
        first,
        VisitIn(
            client_id=str(uuid.uuid4()),
            recorded_at=WHEN,
            pantarlih_visited="ya",
            sticker="ya",
            checks=(CheckIn(voter_id=unreviewed.pk, outcome="tms", tms=3, note="x"),),
        ),
    )
    return {"loaded": loaded, "coordinator": coordinator, "dead": dead, "moved": moved_tps}
