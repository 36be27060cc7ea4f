"""Jaga TPS in a real browser (issue 18): the list keeps every assigned C.Hasil form on the phone, a form never
opened works with no signal, a photo of each page is required, the receipt shows the values, photos and time
("menunggu sinyal" until it leaves the phone) and the reading syncs once back online; a TPS in conflict shows the
witness which rows differ and lets them correct it. Screenshots under test-output/screenshots/."""

import uuid
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from kawal.web import demo
from tests.browser.conftest import shot
from tests.browser.support import PASSWORD, with_password
from tests.photos.images import phone_jpeg

pytestmark = pytest.mark.django_db(transaction=True)
NEVER_OPENED, OTHER = "3671051007003", "3671051007004"
PAPER = {"dpt_l": "262", "dpt_p": "258", "dpt": "520", "pengguna_total": "364", "suara_paslon_1": "120",
         "suara_paslon_2": "95", "suara_paslon_3": "140", "suara_sah": "355", "suara_tidak_sah": "9",
         "suara_sah_dan_tidak_sah": "364"}  # fmt: skip


@pytest.fixture
def election(transactional_db):
    from kawal.web.accounts.models import Membership, Organisation, Role
    from kawal.web.participation.models import Election
    from kawal.web.results.models import Candidate, TpsAssignment

    kpu, _ = demo.create_accounts()
    with_password()
    made = Election.objects.create(
        organisation=kpu, name="Pilkada 2029", pemilihan="walikota", held_on=date(2029, 11, 28)
    )
    for number, name in enumerate(
        ("BUDI SANTOSO - SITI AMINAH", "ANDI WIJAYA - RINA HARTATI", "YUSUF HAKIM - DEWI LESTARI"), 1
    ):
        Candidate.objects.create(election=made, number=number, name=name)
    second = get_user_model().objects.create_user("saksi.kedua", password=PASSWORD)
    Membership.objects.create(
        user=second, organisation=Organisation.objects.get(kind="ormas"), role=Role.RELAWAN, wilayah="3671051007"
    )
    for user in (get_user_model().objects.get(username="relawan.ketapang"), second):
        for kode in (NEVER_OPENED, OTHER):
            TpsAssignment.objects.create(election=made, user=user, kode_tps=kode)
    return made


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def photos(page) -> None:
    for n in (1, 2):
        jpeg = phone_jpeg(colour=(40 * n, 120, 60))
        page.set_input_files(
            f"input[name=foto_hal_{n}]", {"name": f"c-hasil-{n}.jpg", "mimeType": "image/jpeg", "buffer": jpeg}
        )


def test_a_never_opened_form_is_recorded_offline_with_a_receipt_and_syncs_once(page, live_server, election):
    from kawal.web.photos.models import Photo
    from kawal.web.results.models import ResultEntry

    log_in(page, live_server, "relawan.ketapang")
    page.goto(f"{live_server.url}/tps/")
    page.wait_for_selector("body[data-offline-ready=true]")  # the service worker holds the list and every form
    page.wait_for_selector("[data-offline-note]:not([hidden])")
    assert "Tersimpan untuk dipakai tanpa sinyal" in page.inner_text("[data-offline-note]")
    shot(page, "jaga-01-list-kept-for-offline")

    page.context.set_offline(True)
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}/tps/{election.pk}/{NEVER_OPENED}/")  # never visited: from the precache
    assert "C.Hasil" in page.inner_text("h1") and "1. BUDI SANTOSO" in page.inner_text("[data-block=IV]")
    page.wait_for_selector("[data-offline-note]:not([hidden])")
    for name, value in {**PAPER, "suara_paslon_2": "96"}.items():  # a slip: Σ paslon 356 ≠ suara sah 355
        page.fill(f"input[name={name}]", value)
    page.wait_for_selector("#flags li[data-rule=PASLON_NE_SAH]")
    assert "Suara paslon (356) ≠ suara sah (355): periksa IV dan V.A" in page.inner_text("#flags")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll on a 360 px phone
    small = page.evaluate(
        "[...document.querySelectorAll('.jaga input:not([type=hidden]), .jaga button')]"
        ".filter((e) => e.offsetParent && e.getBoundingClientRect().height < 44).length"
    )
    assert small == 0  # every target at least 44 px tall
    shot(page, "jaga-02-offline-form-with-a-finding")

    page.click("form.chasil button[type=submit]")  # no photos yet: refused on the phone, nothing queued
    page.wait_for_selector("#photo-missing:not([hidden])")
    assert "Foto halaman 1" in page.inner_text("#photo-missing") and page.is_hidden("#receipt")
    shot(page, "jaga-03-photo-required")

    page.fill("input[name=suara_paslon_2]", "95")
    page.fill("input[name=surat_suara_diterima]", "1.020")  # written the Indonesian way
    photos(page)
    page.click("form.chasil button[type=submit]")
    page.wait_for_selector("#receipt:not([hidden]) [data-receipt-status=menunggu]")
    receipt = page.inner_text("#receipt")
    assert "1.020" in receipt
    assert "menunggu sinyal" in receipt and "Disimpan pukul" in receipt
    assert "IV.2 2. ANDI WIJAYA - RINA HARTATI" in receipt and "I.A Pemilih dalam DPT (laki-laki)" in receipt
    page.wait_for_function(
        "[...document.querySelectorAll('#receipt img')].filter((i) => i.complete && i.naturalWidth > 0).length === 2"
    )
    page.wait_for_selector("#queue-status[data-waiting='1']")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "jaga-04-receipt-waiting-for-signal")
    assert ResultEntry.objects.count() == 0
    listing = page.context.new_page()  # the list, still offline, marks the TPS whose reading waits for signal
    listing.goto(f"{live_server.url}/tps/")
    listing.wait_for_selector(f"li[data-tps='{NEVER_OPENED}'] [data-queued]:not([hidden])")
    assert listing.is_hidden(f"li[data-tps='{OTHER}'] [data-queued]")
    listing.close()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("[data-receipt-status=terkirim]", timeout=30_000)
    page.wait_for_selector("#queue-status[data-waiting='0']", timeout=30_000)
    shot(page, "jaga-05-receipt-sent")
    entry = ResultEntry.objects.get()
    assert entry.kode_tps == NEVER_OPENED and entry.numbers["suara_paslon_2"] == 95 and entry.numbers["dpt_l"] == 262
    assert entry.numbers["surat_suara_diterima"] == 1020
    assert entry.photos.count() == 2 and Photo.objects.count() == 2
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a second sync finds nothing left to send
    page.wait_for_timeout(500)
    assert ResultEntry.objects.count() == 1


def test_a_tps_in_conflict_shows_the_rows_that_differ_and_the_correction_needs_photos(page, live_server, election):
    from kawal.web.results.models import ResultEntry
    from kawal.web.results.service import EntryIn, record_entry

    numbers = {k: int(v) for k, v in PAPER.items()}
    for username, changes in (("relawan.ketapang", {"suara_paslon_2": 59}), ("saksi.kedua", {})):
        user = get_user_model().objects.get(username=username)
        record_entry(election, OTHER, user, EntryIn(str(uuid.uuid4()), timezone.now(), {**numbers, **changes}))

    log_in(page, live_server, "relawan.ketapang")
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}/tps/")
    assert "Berbeda" in page.inner_text(f"li[data-tps='{OTHER}']")
    page.click(f"li[data-tps='{OTHER}'] a[data-offline]")
    row = page.locator("[data-differ-row=suara_paslon_2]")
    assert "IV.2 2. ANDI WIJAYA" in row.inner_text()
    assert row.locator("[data-mine]").inner_text() == "59" and row.locator("[data-theirs]").inner_text() == "95"
    assert page.locator("[data-differ-row]").count() == 1  # only the row that differs
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "jaga-06-conflict-rows-that-differ")

    page.click("[data-correct]")  # the form starts from the witness's own reading
    assert page.input_value("input[name=suara_paslon_2]") == "59" and page.input_value("input[name=dpt]") == "520"
    page.fill("input[name=suara_paslon_2]", "95")
    page.click("form.chasil button[type=submit]")
    page.wait_for_selector("#photo-missing:not([hidden])")  # a correction needs the photos too
    assert ResultEntry.objects.count() == 2
    photos(page)
    page.click("form.chasil button[type=submit]")
    page.wait_for_selector("[data-receipt-status=terkirim]", timeout=30_000)
    shot(page, "jaga-07-correction-receipt")
    assert ResultEntry.objects.count() == 3
    from kawal.web.results.models import TpsResult

    assert TpsResult.objects.get(election=election, kode_tps=OTHER).status == "terverifikasi"
