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
