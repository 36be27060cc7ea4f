"""At 360 px (the narrowest common phone): the public pages and the dashboards never scroll sideways, every bar
width is CSS the browser accepts (a dot decimal, 0–100%), and every map has a legend with values."""

import re

import pytest

from kawal.synth.generator import generate
from kawal.web import demo
from kawal.web.participation.service import load_2024_baseline
from tests.browser.conftest import shot
from tests.browser.support import PASSWORD, with_password

pytestmark = pytest.mark.django_db(transaction=True)
PUBLIC = {
    "public-landing": "/",
    "public-participation": "/publik/",
    "public-results-city": "/publik/hasil/",
    "public-results-kecamatan": "/publik/hasil/?wilayah=367105",
    "public-results-kelurahan": "/publik/hasil/?wilayah=3671051007",
    "public-tps": "/publik/hasil/tps/3671051007001/",
}
DASHBOARDS = {
    "dashboard": "/",
    "findings": "/temuan/",
    "participation-focus": "/partisipasi/",
    "participation-events": "/partisipasi/kegiatan/",
    "samples": "/sampel/",
    "action-log": "/log/",
}


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("chartcity")
    generate(2000, seed=41, out=out)
    return out


@pytest.fixture
def site(transactional_db, city):
    kpu, _ = demo.create_accounts()
    with_password()
    demo.load_list(kpu, city / "dpt.csv")
    load_2024_baseline(kpu)
    demo.sample_participation(kpu)
    demo.sample_results(kpu)
    return kpu


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def _no_sideways_scroll(page) -> None:
    extra = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if extra > 0:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right >
                 document.documentElement.clientWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className)"""
        )
        pytest.fail(f"{page.url} scrolls sideways by {extra} px: {wide}")


def _bars_are_valid_css(page) -> int:
    """Every inline width is a number with a dot; the browser keeps it (a rejected value leaves no width)."""
    widths = page.evaluate(
        """() => [...document.querySelectorAll('[style*="width:"]')]
             .filter(e => /width:/.test(e.getAttribute('style')) && !e.classList.contains('swatch'))
             .map(e => [e.getAttribute('style'), e.style.width])"""
    )
    for declared, kept in widths:
        value = re.search(r"width:\s*([^;%]*)%", declared).group(1)
        assert re.fullmatch(r"\d+(\.\d+)?", value) and float(value) <= 100, declared
        assert kept.endswith("%") and float(kept[:-1]) == float(value), f"the browser rejected {declared!r}"
    return len(widths)


def test_public_pages_fit_a_phone(phone, live_server, site):
    for name, path in PUBLIC.items():
        phone.goto(f"{live_server.url}{path}")
        _no_sideways_scroll(phone)
        _bars_are_valid_css(phone)
        assert "<" not in phone.title() and "kawal log verify" not in phone.content()
        shot(phone, f"public-360-{name}")
    phone.goto(f"{live_server.url}/")
    phone.click("a[data-link=hasil]")
    phone.wait_for_url(re.compile(r"/publik/hasil/$"))
    assert phone.locator("[data-paslon]").count() >= 3
    assert "FALDO MALDINI" in phone.inner_text("main")


def test_dashboards_fit_a_phone_with_honest_bars_and_legends(phone, live_server, site):
    phone.goto(f"{live_server.url}/masuk/")
    phone.fill("input[name=username]", "admin.kpu")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/")
    for name, path in DASHBOARDS.items():
        phone.goto(f"{live_server.url}{path}")
        _no_sideways_scroll(phone)
        bars = _bars_are_valid_css(phone)
        if name in ("dashboard", "participation-focus"):
            assert bars > 5
            legend = phone.locator("[data-map-legend] li")
            assert legend.count() >= 5 and re.search(r"\d", legend.first.inner_text())
        shot(phone, f"dashboard-360-{name}")
