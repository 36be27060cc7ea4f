from datetime import datetime

import pytest
from django.utils import timezone

from kawal.web import demo
from kawal.web.accounts.models import Organisation
from kawal.web.participation import service
from kawal.web.participation.models import Election, Event
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def baseline(loaded):
    return service.load_2024_baseline(Organisation.objects.get(kind="kpu"))


def test_the_real_2024_baseline_gives_58_2_percent_for_the_city(baseline):
    city = service.turnouts(baseline, 4)[0]
    assert (city.dpt, city.votes) == (1_377_828, 802_325) and round(100 * city.rate, 1) == 58.2
    kecamatan = service.turnouts(baseline, 6)
    assert len(kecamatan) == 13
    assert sum(u.votes for u in kecamatan) == 802_325 and sum(u.dpt for u in kecamatan) == 1_377_828


def test_loading_the_baseline_twice_keeps_one_set(baseline):
    service.load_2024_baseline(Organisation.objects.get(kind="kpu"))
    assert Election.objects.count() == 1 and baseline.figures.count() == 14


def test_focus_page_ranks_by_voters_needed(client, baseline):
    login(client, "koordinator.cipondoh")
    page = client.get("/partisipasi/").content.decode()
    assert "data-city-needed>299.938<" in page or "data-city-needed>299,938<" in page
    ranked = [u for u in service.turnouts(baseline, 6)]
    top = max(ranked, key=lambda u: u.voters_needed())
    assert f'data-rank="1" data-kode="{top.kode}"' in page


def test_reach_counts_held_events_per_kecamatan_and_per_thousand(baseline):
    kpu = Organisation.objects.get(kind="kpu")
    demo.sample_participation(kpu)
    got = service.reach(Event.unscoped.all(), 6)
    assert got["367105"].events == 2 and got["367105"].people == 180  # Cipondoh and Ketapang (in Cipondoh)
    assert "3671" not in got  # a city-wide event belongs to no single kecamatan


def test_proposals_skip_areas_already_reached_or_planned(client, baseline):
    login(client, "koordinator.cipondoh")
    page = client.get("/partisipasi/rencana/").content.decode()
    assert 'data-proposal="367105"' in page  # Cipondoh: the coordinator's area, short of the target, not reached
    ormas = Organisation.objects.get(kind="ormas")
    client.post(
        "/partisipasi/rencana/",
        {"kode": "367105", "organisation": ormas.pk, "audience": "pemula", "starts_at": "2026-12-05T09:00"},
    )
    planned = Event.unscoped.get(status="rencana")
    assert planned.organisation == ormas and planned.kode_wilayah == "367105"
    assert 'data-proposal="367105"' not in client.get("/partisipasi/rencana/").content.decode()


def test_an_event_outside_the_coordinators_area_is_refused(client, baseline):
    login(client, "koordinator.cipondoh")
    ormas = Organisation.objects.get(kind="ormas")
    answer = client.post(
        "/partisipasi/kegiatan/",
        {
            "organisation": ormas.pk,
            "status": "terlaksana",
            "title": "Di luar",
            "starts_at": "2024-07-20T09:00",
            "kode_wilayah": "367101",
            "attendance": 10,
        },
    )
    assert answer.status_code == 200 and "di luar wilayah Anda" in answer.content.decode()
    assert not Event.unscoped.exists()


def test_names_of_attendees_need_their_consent_and_are_stored_encrypted(client, baseline):
    login(client, "koordinator.cipondoh")
    ormas = Organisation.objects.get(kind="ormas")
    base = {
        "organisation": ormas.pk,
        "status": "terlaksana",
        "title": "Pemula",
        "starts_at": "2024-07-20T09:00",
        "kode_wilayah": "367105",
        "attendance": 2,
        "attendee_list": "SITI AMINAH\nBUDI SANTOSO",
    }
    refused = client.post("/partisipasi/kegiatan/", base)
    assert "persetujuan" in refused.content.decode() and not Event.unscoped.exists()
    client.post("/partisipasi/kegiatan/", {**base, "attendee_consent": "on"})
    event = Event.unscoped.get()
    assert event.attendee_list_encrypted and "SITI" not in event.attendee_list_encrypted


def test_evaluation_compares_two_elections_with_a_fitted_line(client, baseline, tmp_path):
    kpu = Organisation.objects.get(kind="kpu")
    demo.sample_participation(kpu)
    later = Election.objects.create(
        organisation=kpu, name="Pilkada 2029", pemilihan="walikota", held_on=datetime(2029, 11, 28).date()
    )
    after = tmp_path / "hasil2029.csv"
    lines = service.SIREKAP_2024.read_text(encoding="utf-8").splitlines()
    bumped = [lines[0]] + [_bump(line) for line in lines[1:]]
    after.write_text("\n".join(bumped) + "\n", encoding="utf-8")
    assert service.import_tallies(later, after) == 14
    Event.unscoped.update(starts_at=timezone.make_aware(datetime(2027, 1, 1, 9)))
    result = service.evaluate(baseline, later, Event.unscoped.all())
    assert len(result.points) == 13 and result.fit is not None
    login(client, "koordinator.cipondoh")
    page = client.get("/partisipasi/evaluasi/", {"sebelum": baseline.pk, "sesudah": later.pk}).content.decode()
    assert "<svg" in page and "bukan sebab-akibat" in page


def _bump(line: str) -> str:
    """Every paslon gets 20% more votes in the later election."""
    import csv
    import io

    row = next(csv.reader([line]))
    row[6] = str(int(int(row[6]) * 1.2))
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(row)
    return out.getvalue()


def test_public_page_needs_no_login_and_shows_no_personal_data(client, baseline):
    demo.sample_participation(Organisation.objects.get(kind="kpu"))
    page = client.get("/publik/").content.decode()
    assert 'data-kode="367105"' in page and "80%" in page
    assert "Contoh:" not in page and "koordinator" not in page


def test_the_verified_tally_of_a_new_election_feeds_the_evaluation(baseline):
    import uuid

    from django.contrib.auth import get_user_model

    from kawal.web.results.models import TpsAssignment
    from kawal.web.results.service import EntryIn, record_entry

    kpu = Organisation.objects.get(kind="kpu")
    later = Election.objects.create(
        organisation=kpu, name="Pilkada 2029", pemilihan="walikota", held_on=datetime(2029, 11, 28).date()
    )
    witness = get_user_model().objects.get(username="relawan.ketapang")
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    TpsAssignment.objects.create(election=later, user=witness, kode_tps="3671051007001")
    numbers = {"suara_paslon_1": 200, "suara_paslon_2": 100, "suara_paslon_3": 100, "suara_sah": 400,
               "suara_tidak_sah": 20, "suara_sah_dan_tidak_sah": 420, "dpt": 500}  # fmt: skip
    for user in (witness, coordinator):
        record_entry(later, "3671051007001", user, EntryIn(str(uuid.uuid4()), timezone.now(), numbers))
    cipondoh = {u.kode: u for u in service.turnouts(later, 6)}["367105"]
    assert cipondoh.rate == 420 / 500
    result = service.evaluate(baseline, later, Event.unscoped.all())
    assert [k for k, *_ in result.points] == ["367105"]
