"""Issue 17 follow-up: a coordinator of two Ormas, partnering two KPU offices, compiles the tanggapan of a kelurahan
from the list of the office whose Ormas they coordinate there, whichever office uploaded last; a newer finished
list without voters in the kelurahan, or one still running, is not taken; outside their coordinated wilayah, 400."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kawal.web.accounts.models import Membership, Organisation, Role
from kawal.web.field.models import Tanggapan
from kawal.web.voters.models import Voter, VoterList
from tests.web.conftest import city, loaded, login  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
LEBAK = "3602011001"  # a kelurahan of the second office (Kabupaten Lebak), far from the demo city


def _list(office, status=VoterList.Status.DONE, kelurahan=LEBAK, **dated):
    made = VoterList.objects.create(
        organisation=office,
        uploaded_by=get_user_model().objects.get(username="admin.kpu"),
        stage="DPS",
        wilayah=office.wilayah,
        source_name="dps.csv",
        status=status,
    )
    if dated:
        VoterList.objects.filter(pk=made.pk).update(**dated)
    Voter.unscoped.create(voter_list=made, record_id="1", nama="X", kode_kelurahan=kelurahan, rw=1, rt=1, tps=1)
    return made


@pytest.fixture
def second_office(loaded):  # noqa: F811
    """KPU Kabupaten Lebak with its own partner Ormas, which the demo Cipondoh coordinator also coordinates in."""
    office = Organisation.objects.create(name="KPU Kabupaten Lebak", kind=Organisation.Kind.KPU, wilayah="3602")
    ormas = Organisation.objects.create(
        name="Relawan Lebak", kind=Organisation.Kind.ORMAS, wilayah="3602", partner_of=office
    )
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    Membership.objects.create(user=coordinator, organisation=ormas, role=Role.COORDINATOR, wilayah="360201")
    return office


def _compile(client, kelurahan):
    login(client, "koordinator.cipondoh")
    return client.post(reverse("tanggapan_list"), {"kelurahan": kelurahan})


def test_the_second_offices_kelurahan_takes_the_second_offices_list(client, loaded, second_office):  # noqa: F811
    # uploaded before the city's list: the newest finished list the user may see is the city's
    lebak = _list(second_office, created_at=loaded.created_at - timedelta(days=1))
    response = _compile(client, LEBAK)
    assert response.status_code == 302
    made = Tanggapan.unscoped.get()
    assert (made.voter_list, made.kode_kelurahan) == (lebak, LEBAK)


def test_the_first_offices_kelurahan_keeps_the_first_offices_list(client, loaded, second_office):  # noqa: F811
    _list(second_office, created_at=loaded.created_at + timedelta(days=1))  # newer, of the other office
    assert _compile(client, "3671051007").status_code == 302
    assert Tanggapan.unscoped.get().voter_list == loaded


def test_the_latest_finished_list_with_voters_there(client, loaded, second_office):  # noqa: F811
    later = loaded.created_at + timedelta(days=1)
    older = _list(second_office, created_at=later)
    newer = _list(second_office, created_at=later + timedelta(days=1))
    _list(second_office, created_at=later + timedelta(days=2), kelurahan="3602011002")  # no voters in LEBAK
    _list(second_office, status=VoterList.Status.RUNNING, created_at=later + timedelta(days=3))
    assert _compile(client, LEBAK).status_code == 302
    assert Tanggapan.unscoped.get().voter_list == newer != older


def test_no_list_of_a_coordinated_office_with_voters_there_is_refused(client, loaded, second_office):  # noqa: F811
    _list(second_office, kelurahan="3602011002")
    _list(second_office, kelurahan="3602021001")  # voters there, but outside the coordinator's wilayah
    no_list = _compile(client, LEBAK)  # Lebak's lists have no voters in this kelurahan
    assert no_list.status_code == 400 and "Belum ada daftar pemilih" in no_list.content.decode()
    outside = _compile(client, "3602021001")  # another kecamatan, outside the coordinator's wilayah
    assert outside.status_code == 400 and "di luar wilayah Anda" in outside.content.decode()
    assert _compile(client, "3671").status_code == 400
    assert not Tanggapan.unscoped.exists()


def test_a_relawan_membership_does_not_open_another_offices_kelurahan(client, loaded, second_office):  # noqa: F811
    Membership.objects.filter(organisation__partner_of=second_office).update(role=Role.RELAWAN)
    _list(second_office)
    assert _compile(client, LEBAK).status_code == 400
    assert not Tanggapan.unscoped.exists()
