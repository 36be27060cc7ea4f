"""Bawaslu's coklit categories from the relawan's phone (issue 17): the visit form asks whether someone else did the
coklit (joki), whether the Pantarlih showed an SK or ID, and the coklit date, and the stored visit holds the answers;
the visit page links to the full new-voter page. At 360 px; screenshots go to test-output/screenshots/."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from kawal.synth.generator import generate
from kawal.web import demo
from kawal.web.voters.models import Voter
from tests.browser.conftest import shot
from tests.browser.support import PASSWORD, demo_accounts
from tests.web.conftest import KETAPANG, ketapang_task

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 360, "height": 740}
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"
# Inputs a person cannot name: no <label> with text, no aria-label or aria-labelledby.
UNLABELED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter((el) => !(el.getAttribute('aria-label') || '').trim() && !el.getAttribute('aria-labelledby')
    && ![...(el.labels || [])].some((label) => label.textContent.trim()))
  .map((el) => el.name || el.id)"""
# [text, width, height] of every visible match of a selector.
TARGETS = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.offsetParent !== null)
  .map((el) => { const r = el.getBoundingClientRect(); return [el.textContent.trim(), r.width, r.height]; })"""


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("coklitcity")
    generate(3000, seed=31, out=out)
    return out


@pytest.fixture
def task(transactional_db, city):
    accounts = demo_accounts()
    voter_list = demo.load_list(accounts, city / "dpt.csv")
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    voters = list(Voter.unscoped.filter(**KETAPANG).exclude(alamat="")[:1])
    return ketapang_task(voter_list, "rumah-coklit", voters, relawan, alamat=voters[0].alamat)


@pytest.fixture
def phone(browser, live_server, task):
    context = browser.new_context(viewport=PHONE, locale="id-ID", device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", "relawan.ketapang")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/tugas/{task.pk}/kunjungi/")
    yield page
    context.close()


def tap(page, name: str, value: str) -> None:
    """A tap on the big labelled button of one answer, as a thumb would."""
    page.locator(f"#visit fieldset.choices > label:has(input[name={name}][value={value}])").click()


def submit(page, endpoint_task: int):
    """Submit the visit and wait until the server has answered the queued POST."""
    endpoint = f"/api/v1/tasks/{endpoint_task}/visits"
    with page.expect_response(lambda r: r.url.endswith(endpoint) and r.request.method == "POST") as answer:
        page.click("#visit button[type=submit]")
    assert answer.value.ok, answer.value.text()
    return answer.value.request.post_data_json


def test_the_three_coklit_questions_are_answered_and_stored(phone, live_server, task):
    from kawal.web.field.models import Visit

    for name in ("joki", "sk_shown"):
        buttons = phone.evaluate(TARGETS, f"#visit fieldset.choices > label:has(input[name={name}])")
        assert [text for text, _w, _h in buttons] == ["Ya", "Tidak", "Tidak tahu"]
        assert [b for b in buttons if b[1] < 44 or b[2] < 44] == [], f"{name}: targets smaller than 44 px"
    assert phone.get_by_text("Apakah coklit dilakukan orang lain, bukan Pantarlih (joki)?").is_visible()
    assert phone.get_by_text("Apakah Pantarlih menunjukkan SK atau tanda pengenal?").is_visible()
    coklit_date = phone.get_by_label("Tanggal coklit")
    assert coklit_date.get_attribute("type") == "date" and coklit_date.bounding_box()["height"] >= 44

    tap(phone, "pantarlih", "tidak")
    tap(phone, "sticker", "ya")
    tap(phone, "joki", "ya")
    tap(phone, "sk_shown", "tidak")
    coklit_date.fill("2024-07-02")
    phone.locator("[data-voter] input[value=sesuai]").first.check()
    assert phone.evaluate(SIDEWAYS) <= 0 and phone.evaluate(UNLABELED) == []
    shot(phone, "visit-coklit-01-answered")

    sent = submit(phone, task.pk)
    assert (sent["joki"], sent["sk_shown"], sent["pantarlih_date"]) == ("ya", "tidak", "2024-07-02")
    phone.wait_for_selector("[data-saved]:not([hidden])")
    saved = Visit.unscoped.get(task=task)
    assert (saved.pantarlih_visited, saved.sticker) == ("tidak", "ya")
    assert (saved.joki, saved.sk_shown, saved.pantarlih_date) == ("ya", "tidak", date(2024, 7, 2))
    assert phone.get_by_label("Tanggal coklit").input_value() == ""  # the form is emptied for the next house

    link = phone.get_by_role("link", name="Tambah pemilih baru (data lengkap)")
    assert link.get_attribute("href") == f"/tugas/{task.pk}/pemilih-baru/"
    box = link.bounding_box()
    assert box["height"] >= 44 and box["width"] <= PHONE["width"]
    link.click()
    phone.wait_for_url(f"{live_server.url}/tugas/{task.pk}/pemilih-baru/")
    assert phone.inner_text("h1") == "Pemilih baru di rumah ini"
    assert phone.locator("form.new-voter").is_visible()  # the visit just sent is open: the full form shows
    assert phone.evaluate(SIDEWAYS) <= 0
    shot(phone, "visit-coklit-02-new-voter-page")


def test_unanswered_coklit_questions_stay_empty_not_a_guess(phone, task):
    from kawal.web.field.models import Visit

    tap(phone, "pantarlih", "ya")
    tap(phone, "sticker", "tidak")
    sent = submit(phone, task.pk)
    assert (sent["joki"], sent["sk_shown"], sent["pantarlih_date"]) == ("", "", None)
    saved = Visit.unscoped.get(task=task)
    assert (saved.joki, saved.sk_shown, saved.pantarlih_date) == ("", "", None)
