"""Issue 17: an Ormas coordinator records the Ormas's accreditations as pemantau on the site (organisasi/akreditasi/);
KPU staff of the partnered office read them; nobody else sees them. They are the rows a TPS assignment as
pemantau is checked against."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from kawal.web import demo
from kawal.web.accounts.accreditation import status_on
from kawal.web.accounts.models import Accreditation, Membership, Organisation, Role
from kawal.web.actionlog.models import ActionLog
from kawal.web.participation.models import Election
from kawal.web.results.models import TpsAssignment, observer_accreditation
from tests.web.conftest import login

pytestmark = pytest.mark.django_db
PAGE = "/organisasi/akreditasi/"
TPS = "3671051007002"
VOTING_DAY = date(2024, 11, 27)
NUMBER = "17/PP.02/2024"
GOOD = {"number": NUMBER, "issuer": "KPU Kota Tangerang", "valid_from": "2024-09-01", "valid_until": "2099-12-31"}


@pytest.fixture
def site(db):
    kpu, _accounts = demo.create_accounts()
    Accreditation.objects.all().delete()  # the demo's own: each test records the one it needs
    ormas = Organisation.objects.get(kind="ormas", partner_of=kpu)
    other = Organisation.objects.create(name="Ormas Lain", kind="ormas", wilayah=kpu.wilayah, partner_of=kpu)
    other_coordinator = get_user_model().objects.create(username="koordinator.lain")
    Membership.objects.create(user=other_coordinator, organisation=other, role=Role.COORDINATOR, wilayah="3671")
    election = Election.objects.create(organisation=kpu, name="Pilkada uji", pemilihan="walikota", held_on=VOTING_DAY)
    return {"kpu": kpu, "ormas": ormas, "other": other, "election": election}


def _add(client, **changes: str):
    login(client, "koordinator.cipondoh")
    return client.post(PAGE, {**GOOD, **changes})


def test_the_url_is_named():
    assert reverse("accreditations") == PAGE


def test_a_coordinator_adds_one_and_it_is_stored_and_logged(client, site):
    response = _add(client)
    assert response.status_code == 302
    stored = Accreditation.objects.get()
    assert (stored.organisation, stored.number, stored.issuer) == (site["ormas"], NUMBER, "KPU Kota Tangerang")
    assert (stored.valid_from, stored.valid_until) == (date(2024, 9, 1), date(2099, 12, 31))
    entry = ActionLog.objects.get(action="accreditation.created")
    assert entry.object_id == str(stored.pk) and entry.organisation == site["ormas"]
    assert entry.user.username == "koordinator.cipondoh"

    page = client.get(response["Location"]).content.decode()
    assert "Akreditasi tersimpan" in page and NUMBER in page and "KPU Kota Tangerang" in page
    assert 'data-status-today="berlaku"' in page
    assert f'data-status-vote="berlaku" data-election="{site["election"].pk}"' in page and "27-11-2024" in page
    assert "data-no-observers" not in page


def test_the_form_is_phone_first_with_a_label_on_every_input(client, site):
    login(client, "koordinator.cipondoh")
    page = client.get(PAGE).content.decode()
    assert "data-accreditation-form" in page and 'name="viewport"' in page
    for name, label in (
        ("number", "Nomor akreditasi"),
        ("issuer", "Diterbitkan oleh"),
        ("valid_from", "Berlaku sejak"),
        ("valid_until", "Berlaku sampai"),
    ):
        assert f'<label for="id_{name}">{label}</label>' in page
    assert page.count('type="date"') == 2
    assert f'href="{PAGE}"' in page  # the coordinator's menu links here
    # no accreditation yet: the page says the Ormas's members cannot observe the election's TPS
    assert f'data-no-observers="{site["election"].pk}"' in page


def test_a_reversed_period_is_refused_with_the_message_next_to_the_field(client, site):
    response = _add(client, valid_from="2024-12-31", valid_until="2024-09-01")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-error="valid_until"' in page and "Tanggal akhir sebelum tanggal mulai." in page
    assert not Accreditation.objects.exists()
    assert not ActionLog.objects.filter(action__startswith="accreditation.").exists()


def test_the_same_number_from_the_same_issuer_is_refused(client, site):
    assert _add(client).status_code == 302
    again = _add(client, valid_from="2025-01-01")
    assert again.status_code == 400
    page = again.content.decode()
    assert 'data-error="number"' in page and "sudah tercatat untuk penerbit yang sama" in page
    assert Accreditation.objects.count() == 1
    # another Ormas may not take the number either: the constraint is per issuer, whoever holds it
    login(client, "koordinator.lain")
    assert client.post(PAGE, GOOD).status_code == 400
    # the same number from another issuer is another accreditation
    assert _add(client, issuer="KPU Provinsi Banten").status_code == 302
    assert Accreditation.objects.count() == 2


def test_a_coordinator_corrects_and_removes_their_own(client, site):
    assert _add(client).status_code == 302
    accreditation = Accreditation.objects.get()
    edit = reverse("accreditation_edit", args=[accreditation.pk])
    page = client.get(edit).content.decode()
    assert 'value="2024-09-01"' in page and "Hapus akreditasi ini" in page
    assert client.post(edit, {**GOOD, "valid_until": "2024-09-01", "valid_from": "2024-10-01"}).status_code == 400
    assert client.post(edit, {**GOOD, "valid_until": "2024-11-26"}).status_code == 302
    accreditation.refresh_from_db()
    assert accreditation.valid_until == date(2024, 11, 26)
    entry = ActionLog.objects.get(action="accreditation.updated")
    assert entry.detail["changes"] == {"valid_until": {"old": "2099-12-31", "new": "2024-11-26"}}
    page = client.get(PAGE).content.decode()  # expired the day before the vote
    assert 'data-status-today="habis"' in page and 'data-status-vote="habis"' in page

    assert client.post(reverse("accreditation_delete", args=[accreditation.pk])).status_code == 302
    assert not Accreditation.objects.exists()
    assert ActionLog.objects.get(action="accreditation.deleted").object_id == str(accreditation.pk)


def test_relawan_are_refused(client, site):
    login(client, "relawan.ketapang")
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, GOOD).status_code == 403
    assert not Accreditation.objects.exists()
    assert f'href="{PAGE}"' not in client.get(reverse("account")).content.decode()  # not in a relawan's menu
    client.logout()
    assert client.get(PAGE).status_code == 302  # to the sign-in page


def test_a_coordinator_of_another_ormas_sees_none_and_cannot_touch_them_by_pk(client, site):
    assert _add(client).status_code == 302
    accreditation = Accreditation.objects.get()
    login(client, "koordinator.lain")
    page = client.get(PAGE).content.decode()
    assert NUMBER not in page and site["ormas"].name not in page
    edit = reverse("accreditation_edit", args=[accreditation.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {**GOOD, "valid_until": "2024-10-01"}).status_code == 404
    assert client.post(reverse("accreditation_delete", args=[accreditation.pk])).status_code == 404
    accreditation.refresh_from_db()
    assert accreditation.valid_until == date(2099, 12, 31)
    assert not ActionLog.objects.filter(action__in=["accreditation.updated", "accreditation.deleted"]).exists()


def test_kpu_of_the_partner_office_reads_them_and_cannot_post(client, site):
    assert _add(client).status_code == 302
    accreditation = Accreditation.objects.get()
    for username in ("admin.kpu", "operator.cipondoh"):
        login(client, username)
        page = client.get(PAGE).content.decode()
        assert NUMBER in page and site["ormas"].name in page and site["other"].name in page
        assert "data-read-only" in page and "data-accreditation-form" not in page
        assert reverse("accreditation_edit", args=[accreditation.pk]) not in page
        assert client.post(PAGE, {**GOOD, "number": "99/BARU"}).status_code == 403
        edit = reverse("accreditation_edit", args=[accreditation.pk])
        assert client.get(edit).status_code == 403
        assert client.post(edit, {**GOOD, "valid_until": "2024-10-01"}).status_code == 403
        assert client.post(reverse("accreditation_delete", args=[accreditation.pk])).status_code == 403
    assert list(Accreditation.objects.values_list("number", "valid_until")) == [(NUMBER, date(2099, 12, 31))]

    elsewhere = Organisation.objects.create(name="KPU Kota Lain", kind="kpu", wilayah="3672")
    stranger = get_user_model().objects.create(username="admin.lain")
    Membership.objects.create(user=stranger, organisation=elsewhere, role=Role.KPU_ADMIN, wilayah="3672")
    client.force_login(stranger)
    page = client.get(PAGE)
    assert page.status_code == 200 and NUMBER not in page.content.decode()  # not the Ormas of their office


def test_a_coordinator_of_two_ormas_says_which_one(client, site):
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    Membership.objects.create(user=coordinator, organisation=site["other"], role=Role.COORDINATOR, wilayah="3671")
    login(client, "koordinator.cipondoh")
    assert 'name="organisation"' in client.get(PAGE).content.decode()
    assert client.post(PAGE, {**GOOD, "organisation": site["other"].pk}).status_code == 302
    assert Accreditation.objects.get().organisation == site["other"]
    assert client.post(PAGE, {**GOOD, "number": "2", "organisation": site["kpu"].pk}).status_code == 400


def test_statuses_in_plain_words():
    accreditation = Accreditation(valid_from=date(2024, 9, 1), valid_until=date(2024, 12, 31))
    assert status_on(accreditation, date(2024, 8, 31)) == {"code": "belum", "text": "belum berlaku (mulai 01-09-2024)"}
    assert status_on(accreditation, date(2024, 9, 1))["code"] == "berlaku"
    assert status_on(accreditation, date(2024, 12, 31)) == {"code": "berlaku", "text": "berlaku"}
    assert status_on(accreditation, date(2025, 1, 1)) == {
        "code": "habis",
        "text": "sudah tidak berlaku (habis 31-12-2024)",
    }


def test_an_accreditation_added_here_lets_a_member_be_assigned_as_pemantau(client, site):
    election, relawan = site["election"], get_user_model().objects.get(username="relawan.ketapang")
    assignment = TpsAssignment(election=election, user=relawan, kode_tps=TPS, role=TpsAssignment.Role.OBSERVER)
    with pytest.raises(ValidationError) as refused:
        assignment.full_clean()
    assert "role" in refused.value.message_dict
    assert observer_accreditation(relawan, election) is None

    assert _add(client).status_code == 302
    assert observer_accreditation(relawan, election) == Accreditation.objects.get()
    assignment.full_clean()  # passes now
    assignment.save()

    # through the coordinator's TPS page as well
    TpsAssignment.objects.all().delete()
    body = {"pemilu": election.pk, "username": "relawan.ketapang", "kode_tps": TPS, "role": "pemantau"}
    assert client.post(reverse("tps_assign"), body).status_code == 302
    assert TpsAssignment.objects.get().role == TpsAssignment.Role.OBSERVER
