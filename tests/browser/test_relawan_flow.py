"""The relawan's phone flow at 360 px (issue 18): the relawan lands on "Tugas saya", a visit shows what is needed to
judge "ada dan benar", choices are big labelled buttons, extra fields appear only when needed, every input has a
label, the menu is per role with 44 px targets, and no page scrolls sideways. Screenshots go to test-output/."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from kawal.synth.generator import generate
from kawal.web import demo
from kawal.web.voters.models import Voter
from tests.browser.conftest import shot
from tests.browser.support import PASSWORD, demo_accounts
from tests.web.conftest import KETAPANG, ketapang_task

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 360, "height": 740}  # the narrowest common Android screen

# Inputs a person cannot name: no <label> with text, no aria-label or aria-labelledby (placeholders do not count).
UNLABELED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter((el) => !(el.getAttribute('aria-label') || '').trim() && !el.getAttribute('aria-labelledby')
    && ![...(el.labels || [])].some((label) => label.textContent.trim()))
  .map((el) => el.name || el.id || el.outerHTML.slice(0, 80))"""
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"
# Height and width of every visible tap target in one part of the page.
TARGETS = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.offsetParent !== null)
  .map((el) => { const r = el.getBoundingClientRect(); return [el.textContent.trim(), r.width, r.height]; })"""


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("relawancity")
    generate(3000, seed=31, out=out)
    return out


@pytest.fixture
def accounts(transactional_db):
    return demo_accounts()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="id-ID", device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def household(accounts, city):
    """Two people of the relawan's RT in one task, one of them with a finding to check."""
    voter_list = demo.load_list(accounts, city / "dpt.csv")
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    voters = list(Voter.unscoped.filter(**KETAPANG).exclude(jenis_kelamin="").exclude(alamat="")[:2])
    return ketapang_task(voter_list, "rumah-uji", voters, relawan, alamat=voters[0].alamat), voters


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def assert_fits_the_phone(page, name: str) -> None:
    """No sideways scroll, no unlabeled input, and a screenshot for people to look at."""
    shot(page, name)
    assert page.evaluate(SIDEWAYS) <= 0, f"{name}: scrolls sideways by {page.evaluate(SIDEWAYS)} px"
    assert page.evaluate(UNLABELED) == [], f"{name}: inputs without a label"


def assert_big_targets(page, selector: str) -> list:
    targets = page.evaluate(TARGETS, selector)
    assert targets, f"nothing visible matches {selector}"
    small = [t for t in targets if t[1] < 44 or t[2] < 44]
    assert small == [], f"targets smaller than 44 px: {small}"
    return targets


def test_relawan_lands_on_tugas_saya_with_a_menu_of_their_own(phone, live_server, household):
    task, _voters = household
    log_in(phone, live_server, "relawan.ketapang")
    assert phone.inner_text("h1") == "Tugas saya"
    assert phone.locator(f"[data-task='{task.pk}'] a[href$='/tugas/{task.pk}/kunjungi/']").count() == 1
    bar = assert_big_targets(phone, "nav.navbar a")
    assert [text for text, _w, _h in bar] == ["Tugas saya", "Jaga TPS", "Lapor"]
    assert_big_targets(phone, "details.menu > summary")
    assert_fits_the_phone(phone, "relawan-01-lands-on-tugas-saya")

    phone.click("details.menu > summary")
    menu = [text for text, _w, _h in assert_big_targets(phone, ".menu-panel a, .menu-panel button")]
    assert {"Tugas saya", "Jaga TPS", "Lapor", "Akun", "Keluar"} <= set(menu)
    assert not {"Daftar pemilih", "Sampel", "Undangan", "Log"} & set(menu)  # coordinators' and KPU's pages
    assert phone.evaluate(SIDEWAYS) <= 0
    shot(phone, "relawan-02-menu-open")


def test_the_visit_shows_what_is_needed_to_judge_and_asks_only_what_is_needed(phone, live_server, household):
    task, voters = household
    log_in(phone, live_server, "relawan.ketapang")
    phone.goto(f"{live_server.url}/tugas/{task.pk}/kunjungi/")
    person = phone.locator(f"[data-voter='{voters[0].pk}']")
    born = voters[0].tanggal_lahir
    assert person.locator("[data-fact=age]").inner_text().endswith("tahun")
    if born is not None:
        assert str(born.year) not in person.inner_text()  # the age, not the birth date
    sex = {"L": "Laki-laki", "P": "Perempuan"}[voters[0].jenis_kelamin]
    assert person.locator("[data-fact=sex]").inner_text() == sex
    address = person.locator("[data-fact=address]").inner_text()
    assert voters[0].alamat in address and f"RT {voters[0].rt:03d}/RW {voters[0].rw:03d}" in address
    assert person.locator("[data-fact=tps]").inner_text() == f"TPS {voters[0].tps:03d}"
    nik = person.locator("[data-fact=nik]").inner_text()
    assert nik == (voters[0].nik_masked or "–") and not re.fullmatch(r"\d{16}", nik)  # never the full NIK
    assert_big_targets(phone, "#visit fieldset.choices > label")

    reason = person.locator("select[name^=tms-]")
    correction = person.locator("input[name^=value-]")
    assert not reason.is_visible() and not correction.is_visible()  # nothing extra before an answer
    assert_fits_the_phone(phone, "relawan-03-visit-form")
    person.locator("label:has(input[value=tms])").click()
    assert reason.is_visible() and not correction.is_visible()
    reason.select_option("1")
    shot(phone, "relawan-04-visit-tms-reason")
    person.locator("label:has(input[value=ubah])").click()
    assert correction.is_visible() and not reason.is_visible()
    person.locator("label:has(input[value=sesuai])").click()
    assert not reason.is_visible() and not correction.is_visible()
    assert phone.evaluate(SIDEWAYS) <= 0


def test_no_relawan_page_scrolls_sideways_or_hides_an_unlabeled_input(phone, live_server, household):
    task, _voters = household
    log_in(phone, live_server, "relawan.ketapang")
    pages = {
        "tugas": "/tugas/",
        "kunjungan": f"/tugas/{task.pk}/kunjungi/",
        "jaga-tps": "/tps/",
        "lapor": "/lapor/",
        "lapor-baru": "/lapor/baru/",
        "temuan": "/temuan/",
        "akun": "/akun/",
    }
    for name, path in pages.items():
        response = phone.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert_fits_the_phone(phone, f"relawan-page-{name}")
        assert_big_targets(phone, "nav.navbar a")


def test_a_relawan_without_tasks_is_told_what_to_do_next(phone, live_server, accounts):
    log_in(phone, live_server, "relawan.ketapang")
    empty = phone.locator("[data-empty]")
    assert "Belum ada tugas" in empty.inner_text()
    assert empty.locator("a[href='/tps/']").count() == 1 and empty.locator("a[href='/lapor/baru/']").count() == 1
    assert_big_targets(phone, "[data-empty] a")
    assert_fits_the_phone(phone, "relawan-05-no-tasks")


def test_coordinator_keeps_the_dashboard_and_a_longer_menu(phone, live_server, household):
    log_in(phone, live_server, "koordinator.cipondoh")
    assert phone.inner_text("h1") != "Tugas saya"
    bar = [text for text, _w, _h in assert_big_targets(phone, "nav.navbar a")]
    assert bar == ["Dasbor", "Temuan", "Tugas"]
    phone.click("details.menu > summary")
    menu = {text for text, _w, _h in assert_big_targets(phone, ".menu-panel a, .menu-panel button")}
    assert {"Daftar pemilih", "Tugas lapangan", "Sampel", "Undangan", "Hasil"} <= menu and "Log" not in menu
    for name, path in {"kelola": "/tugas/kelola/", "kemajuan": "/tugas/kemajuan/", "tinjau": "/tugas/tinjau/"}.items():
        phone.goto(f"{live_server.url}{path}")
        assert_fits_the_phone(phone, f"koordinator-{name}")
