"""Issue 17: a TPS assignment says whether the relawan is a *pemantau* (member of an Ormas accredited on the voting
day) or a *saksi* (a paslon's witness with a surat mandat); public pages name the accredited observer Ormas."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from kawal.web.accounts.models import Accreditation, Organisation
from kawal.web.participation.models import Election
from kawal.web.results.models import TpsAssignment
from tests.web.conftest import login

pytestmark = pytest.mark.django_db
TPS = "3671051007002"
DAY = date(2024, 11, 27)


@pytest.fixture
def election(loaded):
    Accreditation.objects.all().delete()  # the demo's own accreditation: each test sets the one it needs
    kpu = Organisation.objects.get(kind="kpu")
    return Election.objects.create(organisation=kpu, name="Pilkada uji peran", pemilihan="walikota", held_on=DAY)


def _accredit(valid_until: date = date(2024, 12, 31), number: str = "17/PP.02/2024") -> Accreditation:
    return Accreditation.objects.create(
        organisation=Organisation.objects.get(kind="ormas"),
        number=number,
        issuer="KPU Kota Tangerang",
        valid_from=date(2024, 9, 1),
        valid_until=valid_until,
    )


def _assign(client, election: Election, **fields: str):
    login(client, "koordinator.cipondoh")
    body = {"pemilu": election.pk, "username": "relawan.ketapang", "kode_tps": TPS, **fields}
    return client.post(reverse("tps_assign"), body)


def _relawan():
    return get_user_model().objects.get(username="relawan.ketapang")


def test_a_pemantau_is_refused_unless_the_ormas_is_accredited_on_the_voting_day(client, election):
    refused = _assign(client, election, role="pemantau")
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Peran pemantau" in text and "akreditasi" in text and "27-11-2024" in text
    assert not TpsAssignment.objects.filter(election=election).exists()

    _accredit(valid_until=date(2024, 11, 26))  # expired the day before the vote
    assert _assign(client, election, role="pemantau").status_code == 400
    with pytest.raises(ValidationError) as error:
        TpsAssignment(election=election, user=_relawan(), kode_tps=TPS).full_clean()  # default role: pemantau
    assert "role" in error.value.message_dict

    _accredit(number="18/PP.02/2024")
    assert _assign(client, election, role="pemantau").status_code == 302
    assigned = TpsAssignment.objects.get(election=election, kode_tps=TPS)
    assert assigned.role == TpsAssignment.Role.OBSERVER and assigned.user == _relawan()


def test_a_saksi_needs_the_surat_mandat_number_but_no_accreditation(client, election):
    refused = _assign(client, election, role="saksi", mandate_number="  ")
    assert refused.status_code == 400 and "surat mandat" in refused.content.decode()
    assert not TpsAssignment.objects.filter(election=election).exists()
    with pytest.raises(ValidationError) as error:
        TpsAssignment(election=election, user=_relawan(), kode_tps=TPS, role="saksi").full_clean()
    assert "mandate_number" in error.value.message_dict

    assert _assign(client, election, role="saksi", mandate_number="SM-012/2024").status_code == 302
    assigned = TpsAssignment.objects.get(election=election, kode_tps=TPS)
    assert (assigned.role, assigned.mandate_number) == ("saksi", "SM-012/2024")


def test_the_role_is_shown_on_the_assignment_page_and_on_tps_saya(client, election):
    assert _assign(client, election, role="saksi", mandate_number="SM-012/2024").status_code == 302
    page = client.get(reverse("tps_assign"), {"pemilu": election.pk}).content.decode()
    assert 'data-role="saksi"' in page and "saksi paslon" in page and "SM-012/2024" in page
    assert 'value="pemantau"' in page and 'name="mandate_number"' in page  # the form asks for the role

    login(client, "relawan.ketapang")
    mine = client.get(reverse("my_tps")).content.decode()
    assert 'data-role="saksi"' in mine and "saksi paslon" in mine

    TpsAssignment.objects.filter(election=election).update(role="pemantau", mandate_number="")
    mine = client.get(reverse("my_tps")).content.decode()
    assert 'data-role="pemantau"' in mine and "pemantau (Ormas terakreditasi)" in mine


def test_public_pages_name_the_accredited_observer_organisation(client, election):
    ormas = Organisation.objects.get(kind="ormas")
    TpsAssignment.objects.create(election=election, user=_relawan(), kode_tps=TPS, role="saksi", mandate_number="1")
    _accredit()
    page = client.get(reverse("public_tally"), {"pemilu": election.pk}).content.decode()
    assert "17/PP.02/2024" not in page  # a saksi observes for a paslon, not for the Ormas

    TpsAssignment.objects.filter(election=election).update(role="pemantau", mandate_number="")
    for url in (reverse("public_tally"), reverse("public_tps", args=[TPS])):
        page = client.get(url, {"pemilu": election.pk}).content.decode()
        assert "data-observers" in page and ormas.name in page and "17/PP.02/2024" in page, url
        assert "relawan.ketapang" not in page  # organisations are named, never people
    elsewhere = client.get(reverse("public_tps", args=["3671051007009"]), {"pemilu": election.pk})
    assert "17/PP.02/2024" not in elsewhere.content.decode()  # nobody observed that TPS

    Accreditation.objects.update(valid_until=date(2024, 11, 26))  # not valid on the voting day: not named
    page = client.get(reverse("public_tally"), {"pemilu": election.pk}).content.decode()
    assert "17/PP.02/2024" not in page and "data-observers" not in page
