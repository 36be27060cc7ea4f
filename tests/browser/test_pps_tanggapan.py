"""Issue 17 in a real browser: a relawan records a new voter with everything the PPS needs and a photo of the KTP-el
taken with consent; the coordinator approves the visit in the review queue (which shows the new voter, NIK masked),
compiles the tanggapan (NIK masked for them) and sends the item; KPU sees the NIK in full, opens the document and
answers. Screenshots under test-output/screenshots/pps-*.png."""

import io
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from kawal.synth.generator import generate
from kawal.web import demo
from kawal.web.field.models import IdentityDocument, NewVoter, TanggapanItem
from kawal.web.field.visits import VisitIn, record_visit
from tests.browser.conftest import shot
from tests.browser.support import PASSWORD, with_password
from tests.web.conftest import ketapang_task

pytestmark = pytest.mark.django_db(transaction=True)
NIK, NKK = "3671054505060001", "3671051234560001"


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("ppscity")
    generate(1500, seed=17, out=out)
    return out


@pytest.fixture
def visit(transactional_db, city):
    kpu, _ = demo.create_accounts()
    with_password()
    voter_list = demo.load_list(kpu, city / "dpt.csv")
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    task = ketapang_task(voter_list, "rumah-baru", [], relawan, alamat="JL. MAWAR NO. 3")
    data = VisitIn(
        client_id=str(uuid.uuid4()),
        recorded_at=datetime(2024, 8, 19, 9, 0, tzinfo=UTC),
        pantarlih_visited="ya",
        sticker="ya",
    )
    return record_visit(task, relawan, data)[0]  # sent from the phone's queue, waiting for review


def log_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def ktp_photo(folder: Path) -> Path:
    path = folder / "ktp.jpg"
    Image.new("RGB", (320, 200), (40, 90, 160)).save(path, "JPEG")
    return path


def test_new_voter_with_consented_document_through_to_kpus_answer(page, live_server, visit, tmp_path):
    log_in(page, live_server, "relawan.ketapang")
    page.goto(f"{live_server.url}/tugas/{visit.task_id}/pemilih-baru/")
    for name, value in {
        "nkk": NKK, "nik": NIK, "nama": "SITI AMINAH", "tempat_lahir": "TANGERANG", "tanggal_lahir": "2006-05-05",
        "alamat": "JL. MAWAR NO. 3", "rt": "1", "rw": "1", "consent_name": "SITI AMINAH",
    }.items():  # fmt: skip
        page.fill(f"[name={name}]", value)
    page.check("input[name=jenis_kelamin][value=P]")
    page.check("input[name=status_kawin][value=B]")
    page.check("input[name=ktp_el][value=S]")
    page.check("input[name=disabilitas][value='6']")
    page.set_input_files("input[name=document]", str(ktp_photo(tmp_path)))
    page.select_option("select[name=document_kind]", "ktp_el")
    page.check("input[name=consent]")
    page.select_option("select[name=consent_giver]", "sendiri")
    page.select_option("select[name=consent_method]", "lisan")
    shot(page, "pps-01-relawan-new-voter-form")
    page.click("form.new-voter button[type=submit]")
    page.wait_for_selector("[role=status]")
    assert "Tersimpan" in page.inner_text("[role=status]")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll
    shot(page, "pps-02-relawan-receipt")
    assert NewVoter.objects.get().complete and IdentityDocument.objects.count() == 1

    log_in(page, live_server, "koordinator.cipondoh")
    page.goto(f"{live_server.url}/tugas/tinjau/")  # the review queue shows who joins the list with the visit
    card = page.locator(f"[data-visit='{visit.pk}']")
    person = card.locator("[data-new-voter]")
    assert "SITI AMINAH" in person.inner_text() and "367105**********" in person.inner_text()
    assert NIK not in card.inner_text() and "data lengkap" in person.inner_text()
    shot(page, "pps-03-coordinator-reviews-the-visit")
    card.locator("button[name=decision][value=approved]").click()
    page.wait_for_load_state()
    visit.refresh_from_db()
    assert visit.review == "approved"
    page.goto(f"{live_server.url}/tanggapan/")
    assert page.input_value("input[name=deadline]") == "2024-08-27"  # ten days from the DPS posting, 18 August
    page.fill("input[name=kelurahan]", "3671051007")
    page.click("form button[type=submit]")
    row = page.locator("tr[data-item]", has_text="SITI AMINAH")
    row.locator("select[name=status]").select_option("sent")
    row.locator("button").click()
    page.wait_for_load_state()
    body = page.content()
    assert NIK not in body and NKK not in body and "367105**********" in body and "**-**-2006" in body
    assert "/dokumen/" not in body  # the document is KPU's only
    shot(page, "pps-04-coordinator-sent-masked")

    log_in(page, live_server, "admin.kpu")
    tanggapan_url = f"{live_server.url}/tanggapan/{TanggapanItem.objects.get().tanggapan_id}/"
    page.goto(tanggapan_url)
    body = page.content()
    assert NIK in body and NKK in body and "05-05-2006" in body
    link = page.locator("ul.documents a").first
    href = link.get_attribute("href")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # the wide form scrolls inside
    shot(page, "pps-05-kpu-sees-full-data-and-document")
    image = page.request.get(f"{live_server.url}{href}")
    assert image.status == 200 and image.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(image.body())).size == (320, 200)
    row = page.locator("tr[data-item]", has_text="SITI AMINAH")
    row.locator("select[name=status]").select_option("acted")
    row.locator("input[name=answer]").fill("Dimasukkan ke DPSHP")
    row.locator("button").click()
    page.wait_for_load_state()
    item = TanggapanItem.objects.get()
    assert (item.status, item.kpu_answer) == ("acted", "Dimasukkan ke DPSHP") and item.answered_at
    assert "Dimasukkan ke DPSHP" in page.content()
    shot(page, "pps-06-kpu-answered")
