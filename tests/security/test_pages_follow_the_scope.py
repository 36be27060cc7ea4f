"""Issue 16, where the first fixes stopped short: the browser's pages took the paths the API had closed.

- the voter page listed a voter's findings without ``Scope.findings``, so a relawan read a NIK_TIDAK_COCOK
  explanation (birth date, sex, NIK digits 7-12) there;
- the review queue offered only the random share for a second look, not the visits waiting for an independent
  second approval;
- the task pages and the C.Hasil form found tasks and TPS by assignment alone, so a deactivated relawan kept them;
- ``?pemilu=²`` and ``²`` as a token id reached ``int()`` (500); the TPS code pattern took any script's digits.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model

from kawal.web.accounts.models import ApiToken, Invitation, Membership, Organisation, Role
from kawal.web.field.models import Visit
from kawal.web.field.review import review
from kawal.web.field.visits import CheckIn, VisitIn, record_visit
from kawal.web.participation.models import Election
from kawal.web.results import service
from kawal.web.results.models import ResultEntry, TpsAssignment
from kawal.web.voters.models import Finding, Voter
from tests.web.conftest import KETAPANG, WHEN, city, ketapang_task, loaded, login  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
DETAIL = "tanggal lahir di NIK 12-05-87 tetapi di kolom tanggal_lahir 12-05-1987; NIK menunjukkan P (tanggal 52)"
TPS = "3671051007001"


def _user(name: str):
    return get_user_model().objects.get(username=name)


def test_the_voter_page_withholds_nik_derived_explanations_from_relawan(client, loaded):  # noqa: F811
    voter = Voter.unscoped.filter(**KETAPANG).first()
    audit = loaded.audits.get()
    Finding.unscoped.create(audit=audit, voter=voter, check_code="NIK_TIDAK_COCOK", detail=DETAIL, **KETAPANG)
    login(client, "relawan.ketapang")
    page = client.get(f"/pemilih/{voter.pk}/").content.decode()
    assert "NIK_TIDAK_COCOK" in page or "tidak cocok" in page.lower()
    assert "12-05-1987" not in page and "12-05-87" not in page and "tanggal 52" not in page
    login(client, "koordinator.cipondoh")
    assert "12-05-1987" in client.get(f"/pemilih/{voter.pk}/").content.decode()


def test_the_review_queue_offers_visits_waiting_for_an_independent_approval(client, loaded):  # noqa: F811
    coordinator = _user("koordinator.cipondoh")
    ormas = Organisation.objects.get(kind="ormas")
    puppet = get_user_model().objects.create(username="boneka.satu")
    place = {"wilayah": KETAPANG["kode_kelurahan"], "rw": 1, "rt": 1}
    Membership.objects.create(user=puppet, organisation=ormas, role=Role.RELAWAN, **place)
    Invitation.objects.create(organisation=ormas, role=Role.RELAWAN, created_by=coordinator, used_by=puppet, **place)
    voter = Voter.unscoped.filter(**KETAPANG).first()
    task = ketapang_task(loaded, "h-boneka", [voter], puppet)
    check = CheckIn(voter_id=voter.pk, outcome="tms", tms=1, note="katanya meninggal")
    visit = review(
        record_visit(task, puppet, VisitIn(str(uuid.uuid4()), WHEN, "ya", "ya", checks=(check,)))[0],
        coordinator,
        "approved",
    )
    with mock.patch.object(Visit, "sampled_for_recheck", False):  # not drawn at random: listed all the same
        login(client, "admin.kpu")
        page = client.get("/tugas/tinjau/").content.decode()
        assert f'data-recheck="{visit.pk}"' in page
        login(client, "koordinator.cipondoh")  # the inviter is not offered it
        assert f'data-recheck="{visit.pk}"' not in client.get("/tugas/tinjau/").content.decode()


@pytest.fixture
def ended(loaded):  # noqa: F811
    """The demo relawan with a task and a TPS, whose only membership was then deactivated."""
    relawan = _user("relawan.ketapang")
    task = ketapang_task(loaded, "rumah-akhir", list(Voter.unscoped.filter(**KETAPANG)[:1]), relawan)
    membership = Membership.objects.get(user=relawan)
    election = Election.objects.create(
        organisation=membership.organisation.kpu_office, name="Pilkada uji", pemilihan="walikota", held_on="2024-11-27"
    )
    TpsAssignment.objects.create(election=election, user=relawan, kode_tps=TPS)
    Membership.objects.filter(pk=membership.pk).update(active=False)
    return task, election


def test_a_deactivated_relawan_loses_the_task_pages(client, ended):
    task, _election = ended
    login(client, "relawan.ketapang")
    assert "rumah-akhir" not in client.get("/tugas/").content.decode()
    assert client.get(f"/tugas/{task.pk}/kunjungi/").status_code == 404


def test_a_deactivated_relawan_loses_the_tps_form(client, ended):
    _task, election = ended
    login(client, "relawan.ketapang")
    assert service.entry_kind(_user("relawan.ketapang"), election, TPS) is None
    assert client.get(f"/tps/{election.pk}/{TPS}/").status_code == 403
    assert TPS not in client.get("/tps/").content.decode()


def test_an_active_witness_keeps_the_tps_form(client, loaded):  # noqa: F811
    relawan = _user("relawan.ketapang")
    office = Membership.objects.get(user=relawan).organisation.kpu_office
    election = Election.objects.create(
        organisation=office, name="Pilkada uji", pemilihan="walikota", held_on="2024-11-27"
    )
    TpsAssignment.objects.create(election=election, user=relawan, kode_tps=TPS)
    assert service.entry_kind(relawan, election, TPS) == ResultEntry.Kind.WITNESS
    login(client, "relawan.ketapang")
    assert client.get(f"/tps/{election.pk}/{TPS}/").status_code == 200


def test_tps_codes_are_ascii_digits_only(loaded):  # noqa: F811
    admin = _user("admin.kpu")
    office = Organisation.objects.get(kind="kpu")
    election = Election.objects.create(
        organisation=office, name="Pilkada uji", pemilihan="walikota", held_on="2024-11-27"
    )
    arabic = TPS.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))  # \d took these
    assert service.entry_kind(admin, election, arabic) is None
    data = service.EntryIn(str(uuid.uuid4()), datetime(2024, 11, 27, 13, tzinfo=UTC), {"suara_paslon_1": 1})
    with pytest.raises(service.EntryError):
        service.record_entry(election, arabic, admin, data)


@pytest.mark.parametrize("path", ["/hasil/", "/tps/konflik/", "/publik/hasil/"])
def test_unicode_digits_in_the_election_parameter_are_no_error(client, loaded, path):  # noqa: F811
    login(client, "admin.kpu")
    for value in ("²", "٣", "9" * 5000):
        assert client.get(path, {"pemilu": value}).status_code < 500


def test_a_unicode_token_id_revokes_nothing_and_is_no_error(client, loaded):  # noqa: F811
    relawan = _user("relawan.ketapang")
    ApiToken.issue(relawan, "telepon")
    login(client, "relawan.ketapang")
    assert client.post("/akun/token/cabut/", {"token": "²"}).status_code == 400
    assert ApiToken.objects.filter(user=relawan, revoked=False).count() == 1
    assert client.post("/akun/token/cabut/", {"token": ""}).status_code == 302  # empty: all of them
    assert ApiToken.objects.filter(user=relawan, revoked=False).count() == 0
