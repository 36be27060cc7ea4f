"""Issue 16: membership answers reveal nothing beyond the relawan's own RT and are rate-limited. The sample "person
met" observation answered ``registered: true/false`` against the whole city, by NIK or by name and birth date, with
no limit: 30 answers took 8 seconds."""

from __future__ import annotations

import uuid

import pytest

from kawal.web.sampling.models import Observation
from kawal.web.voters.models import Voter
from tests.web.conftest import city, loaded  # noqa: F401  (fixtures)
from tests.web.test_sampling import _draw, _mine, _observe

pytestmark = pytest.mark.django_db


@pytest.fixture
def rt_unit(client, loaded):  # noqa: F811
    unit, headers = _mine(_draw(client, loaded, unit="rt", by="kota", margin="0.2"))
    here = {"voter_list": loaded, "kode_kelurahan": unit.kode_kelurahan, "rw": unit.rw, "rt": unit.rt}
    elsewhere = Voter.unscoped.filter(voter_list=loaded, tanggal_lahir__isnull=False).exclude(
        kode_kelurahan=unit.kode_kelurahan
    )
    return unit, headers, Voter.unscoped.filter(**here).exclude(tanggal_lahir=None).first(), elsewhere.first()


def _person(client, unit, headers, voter: Voter, **extra):
    return _observe(
        client, unit, headers, kind="orang", nama=voter.nama, tanggal_lahir=str(voter.tanggal_lahir), **extra
    )


def test_someone_listed_elsewhere_in_the_city_is_not_confirmed_to_the_relawan(client, rt_unit):
    unit, headers, neighbour, stranger = rt_unit
    assert _person(client, unit, headers, neighbour).json()["registered"] is True  # their own RT: answered
    answer = _person(client, unit, headers, stranger)
    assert answer.status_code == 201 and answer.json()["registered"] is False  # elsewhere: nothing said
    kept = Observation.objects.get(pk=answer.json()["id"])
    assert kept.registered is True and kept.found_where == "lain"  # the estimate still counts them as listed
    client.force_login(unit.task.assigned_to)
    page = client.get(f"/sampel/unit/{unit.pk}/").content.decode()
    assert page.count("tidak terdaftar di RT ini") == 1


def test_a_relawan_gets_a_few_answers_an_hour_and_retries_are_free(client, rt_unit, settings):
    settings.KAWAL_PERSON_LOOKUPS_PER_HOUR = 3
    unit, headers, neighbour, _stranger = rt_unit
    first = str(uuid.uuid4())
    answers = [_person(client, unit, headers, neighbour, client_id=first) for _ in range(3)]  # one lookup, resent
    assert [a.status_code for a in answers] == [201, 200, 200]
    more = [_person(client, unit, headers, neighbour).status_code for _ in range(3)]
    assert more == [201, 201, 429]  # the phone keeps a 429 in its queue and sends it again later
    assert Observation.objects.filter(kind="orang").count() == 3
