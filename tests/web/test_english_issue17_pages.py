"""Issue 17 follow-up: the paslon page (pemilihan/<pk>/paslon/) and the accreditation page (organisasi/akreditasi/)
read in English when English is chosen: labels, help, notices, statuses and refusals, none left in Indonesian."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from kawal.web import demo
from kawal.web.accounts.models import Accreditation, Membership, Organisation, Role
from kawal.web.participation.models import Election
from kawal.web.results.models import ResultEntry
from tests.web.conftest import login

pytestmark = pytest.mark.django_db
VOTING_DAY = date(2029, 11, 28)
NUMBER = "17/PP.02/2029"
GOOD = {"number": NUMBER, "issuer": "KPU Kota Tangerang", "valid_from": "2029-09-01", "valid_until": "2099-12-31"}


@pytest.fixture
def site(db):
    kpu, _accounts = demo.create_accounts()
    Accreditation.objects.all().delete()
    election = Election.objects.create(organisation=kpu, name="Pilkada uji", pemilihan="walikota", held_on=VOTING_DAY)
    return {"kpu": kpu, "election": election}


def _english(client, username: str) -> None:
    login(client, username)
    client.cookies["django_language"] = "en"


def _absent(page: str, *indonesian: str) -> None:
    for text in indonesian:
        assert text not in page, text


def test_the_paslon_page_in_english(client, site):
    _english(client, "admin.kpu")
    url = reverse("election_candidates", args=[site["election"].pk])
    page = client.get(url).content.decode()
    for text in (
        "Candidate pairs of the election",
        "Columns on the ballot and the C.Hasil form",
        "Candidate pair, ballot number 1",
        "The candidate pair&#x27;s names as on the ballot.",
        "Single candidate (with an empty box, kolom kosong)",
        "Tick if there is only one candidate pair.",
        "Type the candidate pairs' names in ballot number order.",
        "Save candidate pairs",
        "Back to the settings",
    ):
        assert text in page, text
    _absent(page, "Paslon pemilihan", "Paslon nomor urut", "Simpan paslon", "Kembali ke pengaturan", "Centang bila")

    refused = client.post(url, {"nama_1": "A", "nama_3": "C"}).content.decode()
    assert "Ballot number 2 is empty while a later number is filled in." in refused
    assert "Nomor urut 2 kosong" not in refused
    refused = client.post(url, {"nama_1": "A"}).content.decode()
    assert "There is only one candidate pair: that is a single-candidate election." in refused

    response = client.post(url, {"nama_1": "Gita – Hadi", "calon_tunggal": "on"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Saved. The ballot has 2 columns." in page and "Ballot number" in page
    assert "Single candidate: the pair wins with more than 50% of valid votes." in page
    _absent(page, "Tersimpan.", "Nomor urut")

    ResultEntry.objects.create(
        election=site["election"],
        kode_tps="3671051007003",
        entered_by=get_user_model().objects.get(username="admin.kpu"),
        client_id=uuid.uuid4(),
        numbers={"suara_paslon_1": 60, "suara_paslon_2": 25, "suara_sah": 85},
        captured_at=timezone.now(),
    )
    refused = client.post(url, {"nama_1": "Gita – Hadi", "nama_2": "Ika – Joko"}).content.decode()
    assert "Cannot be saved: polling station results already hold votes for the empty box (ballot number 2)." in refused
    assert "Tidak bisa disimpan" not in refused


def test_the_accreditation_page_in_english(client, site):
    _english(client, "koordinator.cipondoh")
    page = client.get("/organisasi/akreditasi/").content.decode()
    for text in (
        "Observer accreditation",
        "Ormas members watch polling stations as observers",
        "No accreditation recorded for this Ormas yet.",
        "No accreditation is valid on the voting day of Pilkada uji (28-11-2029)",
        "Add an accreditation",
        "Accreditation number",
        "As written in the accreditation decree.",
        "Issued by",
        "Valid from",
        "Save accreditation",
    ):
        assert text in page, text
    _absent(page, "Akreditasi pemantau", "Tambah akreditasi", "Nomor akreditasi", "Simpan akreditasi", "Belum ada")

    refused = client.post("/organisasi/akreditasi/", {**GOOD, "number": "", "valid_from": "kemarin"}).content.decode()
    assert "The accreditation number is required." in refused
    assert "Date not readable: use the date picker, or write DD-MM-YYYY." in refused

    response = client.post("/organisasi/akreditasi/", GOOD)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    for text in ("Accreditation saved.", f"Number {NUMBER}", "Valid 01-09-2029 to 31-12-2099", "Today ("):
        assert text in page, text
    assert "Voting day of Pilkada uji (28-11-2029): <b>valid</b>" in page
    assert "Edit" in page and "Akreditasi tersimpan" not in page and "Berlaku" not in page

    edit = client.get(reverse("accreditation_edit", args=[Accreditation.objects.get().pk])).content.decode()
    for text in ("Edit accreditation", "Save changes", "Cancel", "Delete this accreditation"):
        assert text in edit, text
    _absent(edit, "Ubah akreditasi", "Simpan perubahan", "Batal", "Hapus akreditasi ini")


def test_kpu_reads_the_accreditations_view_only_in_english(client, site):
    login(client, "koordinator.cipondoh")
    client.post("/organisasi/akreditasi/", GOOD)
    _english(client, "admin.kpu")
    page = client.get("/organisasi/akreditasi/").content.decode()
    assert "view only" in page and "hanya dilihat" not in page


def test_a_coordinator_of_two_ormas_chooses_in_english(client, site, django_user_model):
    other = Organisation.objects.create(name="Ormas Lain", kind="ormas", wilayah="3671", partner_of=site["kpu"])
    coordinator = django_user_model.objects.get(username="koordinator.cipondoh")
    Membership.objects.create(user=coordinator, organisation=other, role=Role.COORDINATOR, wilayah="3671")
    _english(client, "koordinator.cipondoh")
    refused = client.post("/organisasi/akreditasi/", {**GOOD, "organisation": "999999"}).content.decode()
    assert "Choose one of your Ormas." in refused and "Pilih salah satu" not in refused
