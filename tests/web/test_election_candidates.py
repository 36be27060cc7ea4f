"""Issue 17: an election's KPU office enters its paslon on the site in ballot order, a single-candidate race with
its kolom kosong; the C.Hasil form follows, every change is logged (numbers, never names), and a change that would
drop a column holding stored votes is refused."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from kawal.web.accounts.models import Membership, Organisation, Role
from kawal.web.actionlog.models import ActionLog
from kawal.web.participation.models import Election
from kawal.web.results.models import Candidate, ResultEntry, TpsAssignment, TpsResult
from tests.web.conftest import login

pytestmark = pytest.mark.django_db

KODE_TPS = "3671051007003"


def _election(office: Organisation) -> Election:
    return Election.objects.create(
        organisation=office, name=f"Pilkada {uuid.uuid4().hex[:6]}", pemilihan="walikota", held_on=date(2029, 11, 28)
    )


@pytest.fixture
def election(loaded) -> Election:
    return _election(Organisation.objects.get(kind="kpu", name="KPU Kota Tangerang"))


def _url(election: Election) -> str:
    return reverse("election_candidates", args=[election.pk])


def _post(client, election, *names, single=False):
    data = {f"nama_{i}": name for i, name in enumerate(names, start=1)}
    if single:
        data["calon_tunggal"] = "on"
    return client.post(_url(election), data)


def _ballot(election: Election) -> list[tuple[int, str, bool]]:
    return list(Candidate.objects.filter(election=election).values_list("number", "name", "kolom_kosong"))


def test_kpu_enters_three_pairs_in_order_and_it_is_logged_without_names(client, election):
    login(client, "admin.kpu")
    page = client.get(_url(election)).content.decode()
    assert "Paslon nomor urut 1" in page and "Calon tunggal (ada kolom kosong)" in page
    assert 'for="id_nama_1"' in page and 'for="id_calon_tunggal"' in page  # every input has its label
    response = _post(client, election, "Andi – Budi", "Citra – Dedi", "Eka – Fajar")
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.paslon == 3
    assert _ballot(election) == [(1, "Andi – Budi", False), (2, "Citra – Dedi", False), (3, "Eka – Fajar", False)]
    entry = ActionLog.objects.get(action="election.candidates", object_id=str(election.pk))
    assert entry.detail["changes"] == {"named": {"old": 0, "new": 3}}
    assert entry.user.username == "admin.kpu"
    assert "Andi" not in str(entry.detail)  # the log holds numbers, not names
    page = client.get(response["Location"]).content.decode()
    assert "Tersimpan. Surat suara memuat 3 kolom." in page and "Citra – Dedi" in page

    # the last pair withdraws and the second is corrected: numbers 1 and 2 keep their rows
    first, second = (Candidate.objects.get(election=election, number=n).pk for n in (1, 2))
    assert _post(client, election, "Andi – Budi", "Citra – Dodi").status_code == 302
    election.refresh_from_db()
    assert election.paslon == 2
    assert _ballot(election) == [(1, "Andi – Budi", False), (2, "Citra – Dodi", False)]
    assert [c.pk for c in Candidate.objects.filter(election=election)] == [first, second]
    last = ActionLog.objects.filter(action="election.candidates").order_by("-pk").first()
    assert last.detail["changes"] == {
        "paslon": {"old": 3, "new": 2},
        "renamed": [2],
        "named": {"old": 3, "new": 2},
    }


def test_saving_the_same_names_logs_nothing(client, election):
    login(client, "operator.cipondoh")  # an operator of the same office may enter them too
    _post(client, election, "A", "B", "C")
    assert _post(client, election, "A", "B", "C").status_code == 302
    assert ActionLog.objects.filter(action="election.candidates").count() == 1


def test_a_single_candidate_race_has_a_kolom_kosong_column_on_the_c_hasil(client, election):
    login(client, "admin.kpu")
    page = client.get(_url(election)).content.decode()
    assert "Calon tunggal: paslon menang bila memperoleh lebih dari 50% suara sah" in page  # the rule, before saving
    response = _post(client, election, "Gita – Hadi", single=True)
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.paslon == 2
    assert _ballot(election) == [(1, "Gita – Hadi", False), (2, "", True)]
    entry = ActionLog.objects.get(action="election.candidates")
    assert entry.detail["changes"] == {
        "paslon": {"old": 3, "new": 2},
        "kolom_kosong": {"old": None, "new": 2},
        "named": {"old": 0, "new": 1},
    }
    page = client.get(response["Location"]).content.decode()
    assert "data-kolom-kosong" in page and re.search(r'<input[^>]*name="calon_tunggal"[^>]*checked', page)
    assert "lebih dari 50% suara sah" in page.split("data-winner-rule>")[1]

    relawan = get_user_model().objects.get(username="relawan.ketapang")
    TpsAssignment.objects.create(election=election, user=relawan, kode_tps=KODE_TPS)
    login(client, "relawan.ketapang")
    form = client.get(reverse("tps_entry", args=[election.pk, KODE_TPS])).content.decode()
    assert "Kolom kosong" in form and "data-kolom-kosong" in form and 'name="suara_paslon_2"' in form
    assert "Gita – Hadi" in form and 'name="suara_paslon_3"' not in form


def test_single_candidate_with_two_names_is_refused_in_indonesian(client, election):
    login(client, "admin.kpu")
    response = _post(client, election, "Gita – Hadi", "Ika – Joko", single=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Calon tunggal berarti hanya satu paslon, tetapi ada 2 nama" in page
    assert 'role="alert"' in page
    assert not Candidate.objects.filter(election=election).exists()
    election.refresh_from_db()
    assert election.paslon == 3
    assert not ActionLog.objects.filter(action="election.candidates").exists()


@pytest.mark.parametrize(
    ("names", "single", "said"),
    [
        (("Gita – Hadi",), False, "Hanya ada satu paslon: itu pemilihan calon tunggal"),
        (("A", "", "C"), False, "Nomor urut 2 kosong, padahal nomor sesudahnya terisi"),
        ((), False, "Isi nama paslon, mulai dari nomor urut 1"),
        ((), True, "Isi nama paslon, mulai dari nomor urut 1"),
    ],
)
def test_other_impossible_ballots_are_refused(client, election, names, single, said):
    login(client, "admin.kpu")
    response = _post(client, election, *names, single=single)
    assert response.status_code == 200 and said in response.content.decode()
    assert not Candidate.objects.filter(election=election).exists()


@pytest.mark.parametrize("username", ["koordinator.cipondoh", "relawan.ketapang"])
def test_coordinators_and_relawan_get_403(client, election, username):
    login(client, username)
    assert client.get(_url(election)).status_code == 403
    assert _post(client, election, "A", "B").status_code == 403
    assert not Candidate.objects.filter(election=election).exists()


def test_another_offices_kpu_gets_404(client, election, django_user_model):
    other = Organisation.objects.create(name="KPU Kota Serang", kind=Organisation.Kind.KPU, wilayah="3673")
    stranger = django_user_model.objects.create(username="admin.serang")
    Membership.objects.create(user=stranger, organisation=other, role=Role.KPU_ADMIN, wilayah="3673")
    login(client, "admin.serang")
    assert client.get(_url(election)).status_code == 404
    assert _post(client, election, "A", "B").status_code == 404
    assert not Candidate.objects.filter(election=election).exists()
    assert client.get(_url(_election(other))).status_code == 200


def _reading(election: Election, numbers: dict[str, int]) -> None:
    ResultEntry.objects.create(
        election=election,
        kode_tps=KODE_TPS,
        entered_by=get_user_model().objects.get(username="relawan.ketapang"),
        client_id=uuid.uuid4(),
        numbers=numbers,
        captured_at=timezone.now(),
    )


def test_a_column_with_stored_votes_cannot_be_dropped(client, election):
    login(client, "admin.kpu")
    _post(client, election, "A", "B", "C")
    _reading(election, {"suara_paslon_1": 40, "suara_paslon_2": 30, "suara_paslon_3": 20, "suara_sah": 90})
    response = _post(client, election, "A", "B")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tidak bisa disimpan: sudah ada hasil TPS dengan suara untuk nomor urut 3" in page
    election.refresh_from_db()
    assert election.paslon == 3 and len(_ballot(election)) == 3
    assert ActionLog.objects.filter(action="election.candidates").count() == 1

    # a verified result holds it too; a calon tunggal switch would drop column 3 as well
    ResultEntry.objects.all().delete()
    TpsResult.objects.create(election=election, kode_tps=KODE_TPS, verified={"suara_paslon_3": 0})
    assert "nomor urut 3" in _post(client, election, "A", single=True).content.decode()

    # renaming keeps every column and is allowed; adding a column is allowed
    assert _post(client, election, "A", "B", "C – baru").status_code == 302
    assert _post(client, election, "A", "B", "C – baru", "D").status_code == 302
    election.refresh_from_db()
    assert election.paslon == 4


def test_results_without_votes_for_the_dropped_column_allow_the_change(client, election):
    login(client, "admin.kpu")
    _post(client, election, "A", "B", "C")
    _reading(election, {"suara_paslon_1": 40, "suara_paslon_2": 30, "suara_sah": 70})
    assert _post(client, election, "A", "B").status_code == 302
    election.refresh_from_db()
    assert election.paslon == 2 and len(_ballot(election)) == 2


def test_the_settings_and_import_pages_link_the_candidates_page(client, election):
    login(client, "admin.kpu")
    settings_page = client.get(reverse("election_settings", args=[election.pk])).content.decode()
    assert _url(election) in settings_page
    assert _url(election) in client.get(reverse("participation_import")).content.decode()
