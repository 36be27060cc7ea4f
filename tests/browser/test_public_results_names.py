"""A citizen on a 360 px phone walks the public results down from the city to one TPS (issue 18): every level
names the candidates, numbers are written the Indonesian way (1.620; 59,9%), each unit says when it was last
updated, the TPS shows the C.Hasil photo behind its numbers, and no page scrolls sideways."""

import re
import uuid

import pytest
from django.contrib.auth import get_user_model

from kawal.synth.generator import generate
from kawal.web import demo
from kawal.web.participation.service import load_2024_baseline
from kawal.web.photos.store import save_photo
from kawal.web.results.models import ResultEntry
from tests.browser.conftest import shot
from tests.browser.support import demo_accounts

pytestmark = pytest.mark.django_db(transaction=True)
NAMES = ("FALDO MALDINI", "SACHRUDIN")  # Pilkada 2024 Kota Tangerang, paslon 1 and 3
TPS = "3671051007001"


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("namescity")
    generate(2000, seed=43, out=out)
    return out


@pytest.fixture
def counted(transactional_db, city):
    """The demo's four Ketapang TPS (three verified, one in conflict) and a C.Hasil photo behind TPS 001."""
    kpu = demo_accounts()
    demo.load_list(kpu, city / "dpt.csv")
    load_2024_baseline(kpu)
    demo.sample_results(kpu)
    witness = get_user_model().objects.get(username="relawan.ketapang")
    photo, _new = save_photo(str(uuid.uuid4()), "c_hasil", demo.demo_sticker(7), witness)
    ResultEntry.objects.filter(kode_tps=TPS).first().photos.add(photo)
    return photo


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def _fits(page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways: {width[0]} px wide in a {width[1]} px window"


def _names_in_every_unit(page) -> None:
    units = page.locator("[data-unit]")
    assert units.count() >= 1
    for i in range(units.count()):
        unit = units.nth(i)
        if unit.locator("[data-votes]").count():  # a TPS not yet verified shows its status, not numbers
            text = unit.inner_text()
            assert all(name in text for name in NAMES), text


def _indonesian_numbers(main: str) -> None:
    assert not re.search(r"\b\d{1,3},\d{3}\b", main), "an English thousands separator"
    assert not re.search(r"\b\d+\.\d%", main), "a percentage with a decimal point"


def test_a_citizen_walks_from_the_city_down_to_a_tps_on_a_phone(phone, live_server, counted):
    phone.goto(f"{live_server.url}/")
    phone.click("a[data-link=hasil]")
    phone.wait_for_url(re.compile(r"/publik/hasil/$"))
    levels = [("kota", "367105"), ("kecamatan", "3671051007"), ("kelurahan", TPS)]
    for level, child in levels:
        main = phone.inner_text("main")
        assert all(name in main for name in NAMES), f"{level}: candidate names missing"
        # three verified TPS of 540 voters: 970 of 1.620 voted, 59,9%
        assert "970 dari 1.620 pemilih" in main and "59,9%" in main, main[:600]
        _indonesian_numbers(main)
        _names_in_every_unit(phone)
        assert phone.locator("[data-unit] [data-updated]").count() >= 1, f"{level}: no 'terakhir diperbarui'"
        assert "Terakhir diperbarui" in main
        _fits(phone)
        shot(phone, f"public-names-360-{level}")
        phone.click(f'[data-unit="{child}"] h3 a')
        phone.wait_for_load_state()

    phone.wait_for_url(re.compile(rf"/publik/hasil/tps/{TPS}/$"))
    main = phone.inner_text("main")
    assert all(name in main for name in NAMES) and "Terakhir diperbarui" in main
    assert phone.locator('[data-paslon="1"] [data-votes]').inner_text() == "96"
    assert re.search(r"\b\d+,\d%", main) and not re.search(r"\b\d+\.\d%", main)
    _indonesian_numbers(main)
    photo = phone.locator(".tps-photos img").first
    photo.scroll_into_view_if_needed()
    phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert f"/publik/foto/{counted.pk}/" in photo.get_attribute("src")
    _fits(phone)
    shot(phone, "public-names-360-tps")
