"""GET /api/v1/tally names the candidates: ``kandidat`` lists every ballot number with the pair's names, in the
order of each ``votes`` list, so a reader of the open data never has to guess who "1" is (issue 18)."""

import re
from datetime import date

import pytest

from kawal.web import demo
from kawal.web.accounts.models import Organisation
from kawal.web.participation.models import Election
from kawal.web.participation.service import load_2024_baseline

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(loaded):
    """Pilkada 2024 walikota with the demo's Ketapang TPS: three verified, one in conflict."""
    kpu = Organisation.objects.get(kind="kpu")
    election = load_2024_baseline(kpu)
    assert demo.sample_results(kpu) == 8
    return election


def test_the_tally_lists_candidates_by_number_and_name(client, counted):
    answer = client.get("/api/v1/tally", {"wilayah": "367105", "pemilu": counted.pk})
    assert answer.status_code == 200
    data = answer.json()
    assert [k["nomor"] for k in data["kandidat"]] == [1, 2, 3]
    names = {k["nomor"]: k["nama"] for k in data["kandidat"]}
    assert "FALDO MALDINI" in names[1] and "SACHRUDIN" in names[3]
    assert not any(n.startswith("Paslon") for n in names.values())
    # one name per ballot column: the votes of every unit line up with kandidat
    assert [v[0] for v in data["top"]["votes"]] == [k["nomor"] for k in data["kandidat"]]
    assert data["top"]["votes"][0][1] == 96 + 110 + 88  # the three verified TPS of Ketapang, paslon 1
    assert all(len(c["votes"]) == len(data["kandidat"]) for c in data["children"])


def test_an_election_without_known_names_says_paslon_n(client, loaded):
    kpu = Organisation.objects.get(kind="kpu")
    later = Election.objects.create(
        organisation=kpu, name="Pilkada 2029", pemilihan="walikota", held_on=date(2029, 11, 28), paslon=2
    )
    data = client.get("/api/v1/tally", {"pemilu": later.pk}).json()
    assert data["kandidat"] == [{"nomor": 1, "nama": "Paslon 1"}, {"nomor": 2, "nama": "Paslon 2"}]
    assert data["top"] is None and data["children"] == []


def test_the_kpu_tally_table_names_candidates_in_headers_and_in_each_card(client, counted):
    from tests.web.conftest import login

    login(client, "admin.kpu")
    page = client.get("/hasil/", {"pemilu": counted.pk, "wilayah": "367105"}).content.decode()
    header = re.search(r"<thead>.*?</thead>", page, re.S).group(0)
    assert "FALDO MALDINI" in header and "SACHRUDIN" in header
    ketapang = re.search(r'<tr data-unit="3671051007">.*?</tr>', page, re.S).group(0)
    # on a phone each row is a card: every number says whose it is
    assert re.search(r'data-paslon="1" data-label="1\. [^"]*FALDO MALDINI[^"]*">294<', ketapang), ketapang
