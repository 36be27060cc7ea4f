"""A small synthetic city loaded into the web database, with the demo organisations and accounts."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from kawal.synth.generator import generate
from kawal.web import demo
from kawal.web.voters.models import VoterList


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
