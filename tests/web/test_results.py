import json
import uuid
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from kawal.web.accounts.models import ApiToken, Membership, Organisation, Role
from kawal.web.participation.models import Election
from kawal.web.results.models import ResultEntry, TallyNode, TpsAssignment, TpsResult
from tests.web.conftest import login

pytestmark = pytest.mark.django_db
TPS = "3671051007003"
FORM = {"suara_paslon_1": "120", "suara_paslon_2": "95", "suara_paslon_3": "140", "suara_sah": "355",
        "suara_tidak_sah": "9", "suara_sah_dan_tidak_sah": "364", "dpt": "520", "pengguna_total": "364"}  # fmt: skip


@pytest.fixture
def election(loaded, django_user_model):
    kpu = Organisation.objects.get(kind="kpu")
    made = Election.objects.create(
        organisation=kpu, name="Pilkada 2029", pemilihan="walikota", held_on=date(2029, 11, 28)
    )
    ormas = Organisation.objects.get(kind="ormas")
    second = django_user_model.objects.create_user("saksi.kedua", password="x")
    Membership.objects.create(user=second, organisation=ormas, role=Role.RELAWAN, wilayah="3671051007")
    for name in ("relawan.ketapang", "saksi.kedua"):
        TpsAssignment.objects.create(election=made, user=get_user_model().objects.get(username=name), kode_tps=TPS)
    return made


def bearer(username):
    _token, key = ApiToken.issue(get_user_model().objects.get(username=username), "hp")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def enter(client, election, username, client_id=None, **changes):
    body = {"client_id": str(client_id or uuid.uuid4()), "recorded_at": "2029-11-28T14:00:00+07:00", **FORM, **changes}
    return client.post(
        f"/api/v1/tps/{election.pk}/{TPS}/entries",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(username),
    )


def city_votes(election):
    node = TallyNode.objects.filter(election=election, kode="3671").first()
    return {v.paslon: v.votes for v in node.votes.all()} if node else {}


def test_one_entry_sent_three_times_is_one_reading(client, election):
    client_id = uuid.uuid4()
    answers = [enter(client, election, "relawan.ketapang", client_id) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert ResultEntry.objects.count() == 1 and answers[0].json()["status"] == "satu"
    assert city_votes(election) == {}  # one reading is not yet verified


def test_two_agreeing_witnesses_verify_and_the_tally_moves_up_every_level(client, election):
    enter(client, election, "relawan.ketapang")
    assert enter(client, election, "saksi.kedua").json()["status"] == "terverifikasi"
    for kode in ("3671051007", "367105", "3671"):
        node = TallyNode.objects.get(election=election, kode=kode)
        assert (node.tps_in, node.suara_total, node.dpt) == (1, 364, 520)
    assert city_votes(election) == {1: 120, 2: 95, 3: 140}


def test_a_disagreement_is_a_conflict_and_the_coordinator_settles_it(client, election):
    enter(client, election, "relawan.ketapang")
    enter(client, election, "saksi.kedua")
    assert enter(client, election, "saksi.kedua", suara_paslon_2="59").json()["status"] == "konflik"  # 95 misread
    assert (
        city_votes(election) == {1: 0, 2: 0, 3: 0} and TallyNode.objects.get(election=election, kode="3671").tps_in == 0
    )
    login(client, "koordinator.cipondoh")
    page = client.get("/tps/konflik/").content.decode()
    assert f'data-conflict="{TPS}"' in page
    right = ResultEntry.objects.filter(entered_by__username="relawan.ketapang").get()
    client.post("/tps/konflik/", {"entry": right.pk, "pemilu": election.pk})
    assert TpsResult.objects.get(kode_tps=TPS).status == "terverifikasi"
    assert city_votes(election) == {1: 120, 2: 95, 3: 140}
    assert ResultEntry.objects.count() == 4  # every version kept


def test_inconsistent_paper_numbers_are_accepted_and_flagged(client, election):
    answer = enter(client, election, "relawan.ketapang", suara_paslon_1="130")
    assert answer.status_code == 201
    assert [f["rule"] for f in answer.json()["flags"]] == ["PASLON_NE_SAH"]


def test_only_the_witness_or_someone_keying_from_the_photo_may_enter(client, election, django_user_model):
    stranger = django_user_model.objects.create_user("orang.lain")
    Membership.objects.create(
        user=stranger, organisation=Organisation.objects.get(kind="ormas"), role=Role.RELAWAN, wilayah="367101"
    )
    assert enter(client, election, "orang.lain").status_code == 404
    enter(client, election, "relawan.ketapang")
    keyed = enter(client, election, "koordinator.cipondoh")  # a second, independent reading from the photo
    assert keyed.status_code == 201 and keyed.json()["status"] == "terverifikasi"
    assert ResultEntry.objects.get(entered_by__username="koordinator.cipondoh").kind == "foto"


def test_letters_in_a_number_are_refused_by_field(client, election):
    answer = enter(client, election, "relawan.ketapang", dpt="lima ratus")
    assert answer.status_code == 422 and "dpt" in answer.json()["detail"]


def test_open_data_and_the_public_page_need_no_login(client, election):
    enter(client, election, "relawan.ketapang")
    enter(client, election, "saksi.kedua")
    rows = client.get("/publik/hasil.csv").content.decode().splitlines()
    assert rows[0].startswith("kode_tps,suara_paslon_1") and rows[1].startswith(f"{TPS},120,95,140")
    data = client.get("/publik/hasil.json").json()
    assert data["tps"][0]["suara_sah"] == 355
    page = client.get("/publik/hasil/").content.decode()
    assert "data-verified>1<" in page and "relawan" not in page


def test_demo_results_give_a_tally_and_a_conflict(client, loaded):
    from kawal.web import demo
    from kawal.web.participation.service import load_2024_baseline

    kpu = Organisation.objects.get(kind="kpu")
    load_2024_baseline(kpu)
    assert demo.sample_results(kpu) == 8
    assert demo.sample_results(kpu) == 0
    statuses = sorted(TpsResult.objects.values_list("status", flat=True))
    assert statuses == ["konflik", "terverifikasi", "terverifikasi", "terverifikasi"]
    assert TallyNode.objects.get(kode="3671").tps_in == 3


def test_official_numbers_that_differ_are_listed_largest_first(client, election, tmp_path):
    enter(client, election, "relawan.ketapang")
    enter(client, election, "saksi.kedua")
    official = tmp_path / "sirekap.csv"
    official.write_text(f"kode_tps,suara_paslon_1,suara_paslon_2,suara_paslon_3\n{TPS},120,905,140\n")
    login(client, "admin.kpu")
    with official.open("rb") as f:
        page = client.post("/hasil/selisih/", {"pemilu": election.pk, "file": f}).content.decode()
    assert f'data-discrepancy="{TPS}"' in page and "data-size>810<" in page  # Sirekap's 905 for 95
    rows = client.get("/hasil/selisih/", {"format": "csv", "pemilu": election.pk}).content.decode().splitlines()
    assert rows[1].startswith(f"{TPS},810,suara_paslon_2,905,95")


def test_quick_count_draws_tps_and_estimates_as_they_report(client, election, loaded):
    from kawal.web.results.models import QuickCount
    from kawal.web.results.quick import estimates

    login(client, "koordinator.cipondoh")
    client.post(
        "/hasil/hitung-cepat/",
        {"pemilu": election.pk, "voter_list": loaded.pk, "n": "30", "phrase": "Pleno 1 November"},
    )
    quick = QuickCount.objects.get()
    units = list(quick.sample.units.values_list("key", flat=True))
    assert len(units) >= 30 and all(len(u) == 13 for u in units)
    first = units[0]
    for name in ("relawan.ketapang", "saksi.kedua"):
        TpsAssignment.objects.get_or_create(
            election=election, user=get_user_model().objects.get(username=name), kode_tps=first
        )
    for name in ("relawan.ketapang", "saksi.kedua"):
        body = {"client_id": str(uuid.uuid4()), "recorded_at": "2029-11-28T14:00:00+07:00", **FORM}
        client.post(
            f"/api/v1/tps/{election.pk}/{first}/entries",
            data=json.dumps(body),
            content_type="application/json",
            **bearer(name),
        )
    result = estimates(quick)
    assert result["turnout"].reported == 1 and len(result["missing"]) == len(units) - 1
    assert abs(result["shares"][1].ratio - 120 / 355) < 1e-9
    page = client.get("/hasil/hitung-cepat/").content.decode()
    assert f"data-missing>{len(units) - 1}<" in page


def test_tally_api_is_open_and_matches_the_page(client, election):
    enter(client, election, "relawan.ketapang")
    enter(client, election, "saksi.kedua")
    data = client.get("/api/v1/tally", {"wilayah": "367105"}).json()
    assert data["top"]["total"] == 364 and data["children"][0]["kode"] == "3671051007"


def test_a_verified_tps_cannot_be_overwritten_through_the_conflict_queue(client, election):
    enter(client, election, "relawan.ketapang")
    enter(client, election, "saksi.kedua")
    login(client, "koordinator.cipondoh")
    entry = ResultEntry.objects.first()
    assert client.post("/tps/konflik/", {"entry": entry.pk, "pemilu": election.pk}).status_code == 403


def test_someone_elses_client_id_is_refused(client, election):
    client_id = uuid.uuid4()
    enter(client, election, "relawan.ketapang", client_id)
    answer = enter(client, election, "saksi.kedua", client_id)
    assert answer.status_code == 422 and ResultEntry.objects.count() == 1


def test_an_absurd_number_is_refused_not_a_crash(client, election):
    answer = enter(client, election, "relawan.ketapang", dpt=str(2**70))
    assert answer.status_code == 422
