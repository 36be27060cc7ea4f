"""Issue 17: an election's ballot reserve, most voters per TPS and DPS date are settings its own KPU office edits
on a page; every change is logged with the old and new value, and the C.Hasil checks use the edited reserve."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kawal.web.accounts.models import Membership, Organisation, Role
from kawal.web.actionlog.models import ActionLog
from kawal.web.participation.models import Election
from kawal.web.results.service import form_flags
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def _election(office: Organisation, pemilihan: str = "walikota") -> Election:
    return Election.objects.create(
        organisation=office, name=f"Pilkada {uuid.uuid4().hex[:6]}", pemilihan=pemilihan, held_on=date(2029, 11, 28)
    )


@pytest.fixture
def election(loaded) -> Election:
    return _election(Organisation.objects.get(kind="kpu", name="KPU Kota Tangerang"))


def _post(client, election, **values):
    data = {"ballot_reserve": "2,5", "max_per_tps": "600", "dps_posted_on": "", **values}
    return client.post(reverse("election_settings", args=[election.pk]), data)


def test_kpu_changes_the_reserve_with_a_comma_and_it_is_logged_and_shown(client, election):
    assert election.ballot_reserve == Decimal("0.025") and election.dps_posted_on is None
    login(client, "admin.kpu")
    page = client.get(reverse("election_settings", args=[election.pk])).content.decode()
    assert 'value="2,5"' in page and "Cadangan surat suara (%)" in page and "Pilkada 2,5%, Pemilu 2%" in page
    response = _post(client, election, ballot_reserve="2", max_per_tps="550", dps_posted_on="2029-09-20")
    assert response.status_code == 302
    election.refresh_from_db()
    assert (election.ballot_reserve, election.max_per_tps, election.dps_posted_on) == (
        Decimal("0.02"), 550, date(2029, 9, 20),
    )  # fmt: skip
    entry = ActionLog.objects.get(action="election.updated", object_id=str(election.pk))
    assert entry.detail["changes"] == {
        "ballot_reserve": {"old": "0.0250", "new": "0.0200"},
        "max_per_tps": {"old": 600, "new": 550},
        "dps_posted_on": {"old": None, "new": "2029-09-20"},
    }
    assert entry.user.username == "admin.kpu"
    page = client.get(response["Location"]).content.decode()
    assert "Pengaturan tersimpan" in page
    assert 'data-setting="ballot_reserve">2%<' in page and 'data-setting="max_per_tps">550<' in page
    assert 'data-setting="dps_posted_on">20-09-2029<' in page and 'value="2"' in page

    _post(client, election, ballot_reserve="2,25 %", max_per_tps="550", dps_posted_on="2029-09-20")
    election.refresh_from_db()
    assert election.ballot_reserve == Decimal("0.0225")
    last = ActionLog.objects.filter(action="election.updated").order_by("-pk").first()
    assert last.detail["changes"] == {"ballot_reserve": {"old": "0.0200", "new": "0.0225"}}  # only what changed


def test_saving_the_same_values_logs_nothing(client, election):
    login(client, "operator.cipondoh")  # an operator of the same office may edit too
    assert _post(client, election).status_code == 302
    assert not ActionLog.objects.filter(action="election.updated").exists()


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"ballot_reserve": "11"}, "Cadangan surat suara harus angka persen antara 0 dan 10"),
        ({"ballot_reserve": "-1"}, "Cadangan surat suara harus angka persen antara 0 dan 10"),
        ({"ballot_reserve": "dua"}, "Cadangan surat suara harus angka persen antara 0 dan 10"),
        ({"ballot_reserve": "2,555"}, "Cadangan surat suara paling banyak dua angka"),
        ({"ballot_reserve": ""}, "Cadangan surat suara wajib diisi"),
        ({"max_per_tps": "0"}, "Maksimum pemilih per TPS harus bilangan bulat antara 1 dan 1000"),
        ({"max_per_tps": "1001"}, "Maksimum pemilih per TPS harus bilangan bulat antara 1 dan 1000"),
        ({"max_per_tps": "enam"}, "Maksimum pemilih per TPS harus bilangan bulat antara 1 dan 1000"),
        ({"dps_posted_on": "kemarin"}, "Tanggal pengumuman DPS tidak terbaca"),
    ],
)
def test_bad_input_gets_an_indonesian_error_naming_the_field(client, election, values, named):
    login(client, "admin.kpu")
    response = _post(client, election, **values)
    assert response.status_code == 200
    assert named in response.content.decode()
    election.refresh_from_db()
    assert (election.ballot_reserve, election.max_per_tps) == (Decimal("0.025"), 600)
    assert not ActionLog.objects.filter(action="election.updated").exists()


@pytest.mark.parametrize("username", ["koordinator.cipondoh", "relawan.ketapang"])
def test_coordinators_and_relawan_get_403(client, election, username):
    login(client, username)
    assert client.get(reverse("election_settings", args=[election.pk])).status_code == 403
    assert _post(client, election, ballot_reserve="9").status_code == 403
    election.refresh_from_db()
    assert election.ballot_reserve == Decimal("0.025")


def test_another_offices_kpu_cannot_see_or_change_it(client, election, django_user_model):
    other = Organisation.objects.create(name="KPU Kota Serang", kind=Organisation.Kind.KPU, wilayah="3673")
    stranger = django_user_model.objects.create(username="admin.serang")
    Membership.objects.create(user=stranger, organisation=other, role=Role.KPU_ADMIN, wilayah="3673")
    login(client, "admin.serang")
    assert client.get(reverse("election_settings", args=[election.pk])).status_code == 404
    assert _post(client, election, ballot_reserve="9").status_code == 404
    election.refresh_from_db()
    assert election.ballot_reserve == Decimal("0.025")
    own = _election(other)
    assert client.get(reverse("election_settings", args=[own.pk])).status_code == 200


def test_the_import_page_links_each_election_to_its_settings(client, election):
    login(client, "admin.kpu")
    page = client.get(reverse("participation_import")).content.decode()
    assert reverse("election_settings", args=[election.pk]) in page


def test_the_server_check_uses_the_edited_reserve(client, election):
    form = {"dpt": 250, "suara_sah_dan_tidak_sah": 256}  # 256 ≤ 250 + ⌈6.25⌉ at 2.5 %, > 250 + 5 at 2 %
    assert form_flags(form, election) == []
    login(client, "admin.kpu")
    _post(client, election, ballot_reserve="2")
    election = Election.objects.get(pk=election.pk)
    assert [f["rule"] for f in form_flags(form, election)] == ["SUARA_GT_DPT"]
    _post(client, election, ballot_reserve="2,5")
    assert form_flags(form, Election.objects.get(pk=election.pk)) == []


def test_the_entry_page_hands_the_edited_reserve_to_the_script(client, election):
    from kawal.web.results.models import TpsAssignment

    login(client, "admin.kpu")
    _post(client, election, ballot_reserve="2", max_per_tps="500")
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    TpsAssignment.objects.create(election=election, user=relawan, kode_tps="3671051007003")
    login(client, "relawan.ketapang")
    page = client.get(reverse("tps_entry", args=[election.pk, "3671051007003"])).content.decode()
    assert 'data-max-per-tps="500"' in page and 'data-reserve-den="50"' in page and 'data-reserve-text="2%"' in page


# --- the oversight page's column headers follow the reader's language; its exports stay Indonesian -----------

EXPECTED_ID = ["Kode", "Wilayah", "Rumah dikunjungi"] + [
    f"{label} — {part}"
    for label in (
        "Pantarlih tidak datang sendiri",
        "Coklit oleh orang lain (joki)",
        "Pantarlih tidak menunjukkan SK/tanda pengenal",
        "Rumah tanpa stiker coklit",
    )
    for part in ("jumlah", "menjawab", "persen")
]


def _oversight_headers(client) -> list[str]:
    page = client.get(reverse("coklit_oversight"))
    assert page.status_code == 200
    return [str(h) for h in page.context["headers"]]


def test_the_oversight_headers_are_translated_and_the_exports_are_not(client, loaded):
    import csv
    import io

    login(client, "admin.kpu")
    assert _oversight_headers(client) == EXPECTED_ID
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = _oversight_headers(client)
    assert english[:3] == ["Code", "Region", "Households visited"]
    assert "Households without a coklit sticker — percent" in english and len(english) == 15
    page = client.get(reverse("coklit_oversight")).content.decode()
    assert "Rumah tanpa stiker" not in page and "menjawab" not in page
    assert "<td><strong>Pantarlih did not come in person</strong></td>" in page  # the totals table too
    body = client.get(reverse("oversight_export", args=["csv"])).content.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(body))) == EXPECTED_ID  # the export's columns are unchanged
