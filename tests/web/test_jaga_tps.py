"""Jaga TPS (issue 18) and single-candidate races (issue 17), server side: the C.Hasil form in the paper's order
with candidates' numbers and names and a photo per page, the witness's view of a conflict, rule findings as
sentences, the kolom kosong in the form, the tally and the quick count, and the winner rule."""

import json
import re
import uuid
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from kawal.web.accounts.models import ApiToken, Membership, Organisation, Role
from kawal.web.participation.models import Election
from kawal.web.results import paper
from kawal.web.results.models import Candidate, TpsAssignment
from tests.web.conftest import login

pytestmark = pytest.mark.django_db
TPS = "3671051007003"
FORM = {"suara_paslon_1": "120", "suara_paslon_2": "95", "suara_paslon_3": "140", "suara_sah": "355",
        "suara_tidak_sah": "9", "suara_sah_dan_tidak_sah": "364", "dpt": "520", "pengguna_total": "364"}  # fmt: skip
NAMES = {1: "BUDI SANTOSO - SITI AMINAH", 2: "ANDI WIJAYA - RINA HARTATI", 3: "YUSUF HAKIM - DEWI LESTARI"}


def _witnesses(made: Election, django_user_model) -> None:
    ormas = Organisation.objects.get(kind="ormas")
    second = django_user_model.objects.create_user("saksi.kedua", password="x")
    Membership.objects.create(user=second, organisation=ormas, role=Role.RELAWAN, wilayah="3671051007")
    for name in ("relawan.ketapang", "saksi.kedua"):
        TpsAssignment.objects.create(election=made, user=get_user_model().objects.get(username=name), kode_tps=TPS)


@pytest.fixture
def election(loaded, django_user_model):
    kpu = Organisation.objects.get(kind="kpu")
    made = Election.objects.create(
        organisation=kpu, name="Pilkada 2029", pemilihan="walikota", held_on=date(2029, 11, 28)
    )
    Candidate.objects.bulk_create([Candidate(election=made, number=n, name=name) for n, name in NAMES.items()])
    _witnesses(made, django_user_model)
    return made


@pytest.fixture
def single(loaded, django_user_model):
    """A single-candidate race: one paslon and the kolom kosong, two columns on the ballot."""
    kpu = Organisation.objects.get(kind="kpu")
    made = Election.objects.create(
        organisation=kpu, name="Pilkada tunggal 2029", pemilihan="walikota", held_on=date(2029, 11, 29), paslon=2
    )
    Candidate.objects.create(election=made, number=1, name="BUDI SANTOSO - SITI AMINAH")
    Candidate.objects.create(election=made, number=2, kolom_kosong=True)
    _witnesses(made, django_user_model)
    return made


def enter(client, election, username, kode=TPS, **numbers):
    _token, key = ApiToken.issue(get_user_model().objects.get(username=username), "hp")
    body = {"client_id": str(uuid.uuid4()), "recorded_at": "2029-11-28T14:00:00+07:00", **numbers}
    return client.post(
        f"/api/v1/tps/{election.pk}/{kode}/entries",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def test_the_form_follows_the_paper_with_candidate_numbers_and_names(client, election):
    login(client, "relawan.ketapang")
    page = client.get(f"/tps/{election.pk}/{TPS}/").content.decode()
    printed = re.findall(r'<span class="no">([IV.0-9ABC]+)</span>', page)
    assert printed == ["I.A", "I.B.1", "I.B.2", "I.B.3", "I.B.4", "II.1", "II.2", "II.3", "II.4", "III",
                       "IV.1", "IV.2", "IV.3", "V.A", "V.B", "V.C"]  # fmt: skip
    for number, name in NAMES.items():
        assert f"<b>{number}.</b> {name}" in page
    assert "Halaman 1" in page and "Halaman 2" in page
    assert "suara sah terbanyak" in page  # the winner rule of a race with several pairs


def test_a_photo_of_each_page_is_required_and_every_input_is_labelled(client, election):
    login(client, "relawan.ketapang")
    page = client.get(f"/tps/{election.pk}/{TPS}/").content.decode()
    photos = re.findall(r'<input type="file" name="(foto_hal_\d)"[^>]*>', page)
    assert photos == ["foto_hal_1", "foto_hal_2"]
    assert all(" required" in tag for tag in re.findall(r'<input type="file"[^>]*>', page))
    visible = [t for t in re.findall(r"<input [^>]*>", page) if 'type="hidden"' not in t and 'type="file"' not in t]
    assert len(visible) == 6 * 3 + 4 + 3 + 3  # six L/P/jumlah rows, four ballot rows, three paslon, V.A–V.C
    assert all("aria-label=" in tag for tag in visible)


def test_rule_findings_are_sentences_with_the_items_to_check(election):
    numbers = {"suara_paslon_1": 100, "suara_paslon_2": 85, "suara_sah": 186, "dpt_l": 700, "dpt_p": 600, "dpt": 1200}
    flags = [
        {"rule": "PASLON_NE_SAH", "detail": "x"},
        {"rule": "LP_NE_JUMLAH", "detail": "L + P = jumlah: dpt=1200, dpt_l=700, dpt_p=600"},
    ]
    said = paper.sentences(flags, numbers, election)
    assert said[0]["text"] == "Suara paslon (185) ≠ suara sah (186): periksa IV dan V.A"
    assert said[1]["text"] == "I.A Pemilih dalam DPT: laki-laki (700) + perempuan (600) = 1.300, bukan 1.200"
    assert said[0]["rule"] == "PASLON_NE_SAH"  # the code stays, for "detail"


def test_the_browser_gets_the_same_sentences_as_the_server(client, election):
    login(client, "relawan.ketapang")
    page = client.get(f"/tps/{election.pk}/{TPS}/").content.decode()
    table = json.loads(re.search(r'<script id="rule-sentences" type="application/json">(.*?)</script>', page).group(1))
    assert table == paper.rule_sentences() and len(table) == 11


def test_a_tps_in_conflict_shows_the_witness_which_rows_differ_and_offers_a_correction(client, election):
    enter(client, election, "relawan.ketapang", **FORM)
    enter(client, election, "saksi.kedua", **{**FORM, "suara_paslon_2": "59", "dpt": "502"})
    login(client, "relawan.ketapang")
    page = client.get(f"/tps/{election.pk}/{TPS}/").content.decode()
    assert "data-differ" in page and "data-correct" in page
    rows = dict(re.findall(r'data-differ-row="(\w+)"><td>[^<]*</td><td data-mine><b>([^<]*)</b>', page))
    assert rows == {"dpt": "520", "suara_paslon_2": "95"}
    assert re.search(
        r'data-differ-row="suara_paslon_2"><td>IV.2 2. ANDI WIJAYA[^<]*</td><td data-mine><b>95</b></td><td data-theirs>59</td>',
        page,
    )
    mine = json.loads(re.search(r'<script id="mine-numbers" type="application/json">(.*?)</script>', page).group(1))
    assert mine["suara_paslon_2"] == 95  # the correction starts from the witness's own reading
    listing = client.get("/tps/").content.decode()
    assert 'data-status="konflik"' in listing and "baris yang berbeda" in listing


def test_the_list_links_every_assigned_form_for_the_phone_to_keep(client, election):
    login(client, "relawan.ketapang")
    listing = client.get("/tps/").content.decode()
    assert f'data-offline href="/tps/{election.pk}/{TPS}/"' in listing
    assert "Tersimpan untuk dipakai tanpa sinyal" in listing and "Ketapang" in listing
    worker = client.get("/sw.js")
    body = b"".join(worker.streaming_content) if worker.streaming else worker.content
    assert b"JAGA_TPS.test(url.pathname)" in body  # the worker answers /tps/ pages from its cache offline


def test_a_single_candidate_race_has_a_kolom_kosong_line_in_the_form_and_the_tally(client, single):
    login(client, "relawan.ketapang")
    page = client.get(f"/tps/{single.pk}/{TPS}/").content.decode()
    assert "data-kolom-kosong" in page and 'name="suara_paslon_2"' in page and "Kolom kosong" in page
    assert "lebih dari 50% suara sah" in page
    numbers = {"suara_paslon_1": "150", "suara_paslon_2": "210", "suara_sah": "360", "suara_tidak_sah": "4",
               "suara_sah_dan_tidak_sah": "364", "dpt": "520"}  # fmt: skip
    assert enter(client, single, "relawan.ketapang", **numbers).json()["flags"] == []  # kolom kosong votes are valid
    assert enter(client, single, "saksi.kedua", **numbers).json()["status"] == "terverifikasi"
    login(client, "koordinator.cipondoh")
    tally = client.get("/hasil/", {"pemilu": single.pk, "wilayah": "3671"}).content.decode()
    row = re.search(r'<tr data-paslon="2" data-kolom-kosong><td>Kolom kosong</td>.*?data-votes>(\d+)<', tally)
    assert row and row.group(1) == "210"
    assert "lebih dari 50% suara sah" in tally
    assert "41,7% suara sah: belum lebih dari 50%" in tally  # 150 of 360


def test_the_quick_count_names_the_kolom_kosong_and_the_rule(client, single, loaded):
    login(client, "koordinator.cipondoh")
    client.post(
        "/hasil/hitung-cepat/", {"pemilu": single.pk, "voter_list": loaded.pk, "n": "30", "phrase": "Pleno tunggal"}
    )
    from kawal.web.results.models import QuickCount

    first = QuickCount.objects.get().sample.units.values_list("key", flat=True).first()
    numbers = {"suara_paslon_1": "240", "suara_paslon_2": "120", "suara_sah": "360", "suara_tidak_sah": "4",
               "suara_sah_dan_tidak_sah": "364", "dpt": "520"}  # fmt: skip
    for name in ("relawan.ketapang", "saksi.kedua"):
        TpsAssignment.objects.get_or_create(
            election=single, user=get_user_model().objects.get(username=name), kode_tps=first
        )
        enter(client, single, name, kode=first, **numbers)
    login(client, "koordinator.cipondoh")
    page = client.get("/hasil/hitung-cepat/", {"pemilu": single.pk}).content.decode()
    assert re.search(r'<tr data-share="2" data-kolom-kosong><td>Kolom kosong</td><td class="n">33,3%', page)
    assert "66,7% suara sah: lebih dari 50%" in page


def test_demo_candidates_come_from_the_shipped_2024_figures(loaded):
    kpu = Organisation.objects.get(kind="kpu")
    made = Election.objects.create(
        organisation=kpu, name="Walikota 2024", pemilihan="walikota", held_on=date(2024, 11, 27)
    )
    assert paper.load_2024_candidates(made) == 3
    assert paper.load_2024_candidates(made) == 0  # an election that has its candidates is left alone
    names = [c.label for c in paper.columns(made)]
    assert names[0].startswith("1. FALDO MALDINI") and names[2].startswith("3. ")


def test_the_form_speaks_english_when_asked(client, single):
    login(client, "relawan.ketapang")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/tps/{single.pk}/{TPS}/").content.decode()
    assert "Page 1" in page and "Empty box (kolom kosong)" in page and "more than 50% of valid votes" in page
    table = json.loads(re.search(r'<script id="rule-sentences" type="application/json">(.*?)</script>', page).group(1))
    assert table["PASLON_NE_SAH"] == "Votes of the pairs ({jumlah}) ≠ valid votes ({sah}): check IV and V.A"
