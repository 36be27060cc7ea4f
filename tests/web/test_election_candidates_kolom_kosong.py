"""Issue 17 follow-up: switching calon tunggal off while the kolom kosong holds stored votes is refused, as dropping
a column with votes is: the kolom kosong's number would become a pair's and its votes would count for that pair.
Switching it on over a pair with stored votes is refused the same way; without stored votes both are allowed."""

from __future__ import annotations

import pytest

from kawal.web.accounts.models import Organisation
from kawal.web.actionlog.models import ActionLog
from kawal.web.participation.models import Election
from kawal.web.results.models import TpsResult
from tests.web.conftest import city, loaded, login  # noqa: F401  (fixtures)
from tests.web.test_election_candidates import KODE_TPS, _ballot, _election, _post, _reading

pytestmark = pytest.mark.django_db

OFF = "Tidak bisa disimpan: sudah ada hasil TPS dengan suara untuk kolom kosong (nomor urut 2)"
ON = "Tidak bisa disimpan: sudah ada hasil TPS dengan suara untuk paslon nomor urut 2"


@pytest.fixture
def election(loaded) -> Election:  # noqa: F811
    return _election(Organisation.objects.get(kind="kpu", name="KPU Kota Tangerang"))


def _logged() -> int:
    return ActionLog.objects.filter(action="election.candidates").count()


def test_calon_tunggal_cannot_be_switched_off_over_kolom_kosong_votes(client, election):
    login(client, "admin.kpu")
    assert _post(client, election, "Gita – Hadi", single=True).status_code == 302
    _reading(election, {"suara_paslon_1": 60, "suara_paslon_2": 25, "suara_sah": 85})
    for names in (("Gita – Hadi", "Ika – Joko"), ("Gita – Hadi", "Ika – Joko", "Lia – Mira")):
        response = _post(client, election, *names)
        assert response.status_code == 200
        page = response.content.decode()
        assert OFF in page and 'role="alert"' in page
        assert "Biarkan calon tunggal tercentang" in page
        election.refresh_from_db()
        assert election.paslon == 2 and _ballot(election) == [(1, "Gita – Hadi", False), (2, "", True)]
        assert _logged() == 1
    # renaming the pair keeps the kolom kosong and is allowed
    assert _post(client, election, "Gita – Hadi Baru", single=True).status_code == 302
    assert _ballot(election) == [(1, "Gita – Hadi Baru", False), (2, "", True)]


def test_a_verified_result_with_zero_for_the_kolom_kosong_holds_it_too(client, election):
    login(client, "admin.kpu")
    _post(client, election, "Gita – Hadi", single=True)
    TpsResult.objects.create(election=election, kode_tps=KODE_TPS, verified={"suara_paslon_2": 0})
    assert OFF in _post(client, election, "Gita – Hadi", "Ika – Joko").content.decode()
    assert _ballot(election) == [(1, "Gita – Hadi", False), (2, "", True)]


def test_without_kolom_kosong_votes_calon_tunggal_can_be_switched_off(client, election):
    login(client, "admin.kpu")
    _post(client, election, "Gita – Hadi", single=True)
    _reading(election, {"suara_paslon_1": 60, "suara_sah": 60})  # only the pair's column has a number
    assert _post(client, election, "Gita – Hadi", "Ika – Joko").status_code == 302
    election.refresh_from_db()
    assert election.paslon == 2 and _ballot(election) == [(1, "Gita – Hadi", False), (2, "Ika – Joko", False)]


def test_calon_tunggal_cannot_be_switched_on_over_a_pairs_votes(client, election):
    login(client, "admin.kpu")
    _post(client, election, "Gita – Hadi", "Ika – Joko")
    _reading(election, {"suara_paslon_1": 60, "suara_paslon_2": 30, "suara_sah": 90})
    response = _post(client, election, "Gita – Hadi", single=True)
    assert response.status_code == 200 and ON in response.content.decode()
    assert _ballot(election) == [(1, "Gita – Hadi", False), (2, "Ika – Joko", False)]
    assert _logged() == 1
