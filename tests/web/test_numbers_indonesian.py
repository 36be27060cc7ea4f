"""Numbers are written the Indonesian way (issue 18): thousands with ".", decimals with ",", on pages that used to
print raw counts (the coklit oversight page showed Bawaslu's 17050), and typed that way in number inputs."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def test_the_oversight_page_groups_thousands_the_indonesian_way(client, loaded):
    login(client, "koordinator.cipondoh")
    page = client.get(reverse("coklit_oversight")).content.decode()
    assert "data-national>17.050<" in page  # Bawaslu 2024: houses without a coklit sticker
    assert "17050" not in page and "17,050" not in page
    # the map's legend reads as shares with a decimal comma, never a bare 0.25 or "25.0%"
    legend = re.findall(r"mulai ([^<]*)</li>", page)
    assert legend and all(re.fullmatch(r"\d+,\d%", v.strip()) for v in legend), legend


def test_the_oversight_page_in_english_groups_the_english_way(client, loaded):
    login(client, "koordinator.cipondoh")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("coklit_oversight")).content.decode()
    assert "data-national>17,050<" in page and "17.050" not in page


def test_the_cell_filter_formats_counts_and_percentages_and_leaves_words_alone():
    template = Template("{% load kawal_format %}{{ a|cell }} {{ b|cell }} {{ c|cell }} {{ d|cell }} {{ e|cell }}")
    values = {"a": 17050, "b": "1234567", "c": "33,3%", "d": "Ketapang", "e": "-"}
    with translation.override("id"):
        assert template.render(Context(values)) == "17.050 1.234.567 33,3% Ketapang -"
    with translation.override("en"):
        assert template.render(Context(values)) == "17,050 1,234,567 33.3% Ketapang -"


def test_public_results_show_grouped_voter_counts_and_comma_shares(client, loaded):
    from kawal.web import demo
    from kawal.web.accounts.models import Organisation
    from kawal.web.participation.service import load_2024_baseline

    kpu = Organisation.objects.get(kind="kpu")
    load_2024_baseline(kpu)
    demo.sample_results(kpu)
    page = client.get("/publik/hasil/").content.decode()
    # three verified TPS of 540 voters each: 970 of 1.620 voted (59,9%)
    assert "970 dari 1.620 pemilih" in page and "data-turnout>59,9%<" in page
    assert "1620" not in page and "1,620" not in page


def test_public_results_in_english_group_the_english_way_and_say_last_updated(client, loaded):
    from kawal.web import demo
    from kawal.web.accounts.models import Organisation
    from kawal.web.participation.service import load_2024_baseline

    kpu = Organisation.objects.get(kind="kpu")
    load_2024_baseline(kpu)
    demo.sample_results(kpu)
    client.cookies["django_language"] = "en"
    page = client.get("/publik/hasil/", {"wilayah": "367105"}).content.decode()
    assert "970 of 1,620 voters" in page and "data-turnout>59.9%<" in page
    assert "Last updated" in page and "last updated" in page


def test_attendance_is_typed_the_indonesian_way(client, loaded):
    """A sosialisasi of 1.234 people: typed with a dot on the event form and on the plan's "Terlaksana" box."""
    from kawal.web.accounts.models import Organisation
    from kawal.web.participation.models import Event
    from kawal.web.participation.service import load_2024_baseline

    load_2024_baseline(Organisation.objects.get(kind="kpu"))
    login(client, "koordinator.cipondoh")
    ormas = Organisation.objects.get(kind="ormas")
    form = client.get("/partisipasi/kegiatan/").content.decode()
    box = re.search(r'<input[^>]*name="attendance"[^>]*>', form).group(0)
    assert 'inputmode="numeric"' in box and 'type="number"' not in box  # a number box refuses "1.234"
    held = {"organisation": ormas.pk, "status": "terlaksana", "title": "Pemula", "starts_at": "2024-07-20T09:00",
            "kode_wilayah": "367105", "attendance": "1.234"}  # fmt: skip
    client.post("/partisipasi/kegiatan/", held)
    assert Event.unscoped.get(title="Pemula").attendance == 1234
    client.post(
        "/partisipasi/rencana/",
        {"kode": "367105", "organisation": ormas.pk, "audience": "pemula", "starts_at": "2026-12-05T09:00"},
    )
    planned = Event.unscoped.get(status="rencana")
    plan = client.get("/partisipasi/rencana/").content.decode()
    assert 'name="attendance" inputmode="numeric"' in plan
    client.post(reverse("participation_event_held", args=[planned.pk]), {"attendance": "2.500"})
    planned.refresh_from_db()
    assert (planned.status, planned.attendance) == ("terlaksana", 2500)
