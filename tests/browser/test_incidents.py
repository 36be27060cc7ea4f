"""An incident report as people make it: a relawan's phone records it offline with a photo and a video, it syncs
once, another relawan and the coordinator confirm it, and the coordinator downloads the Model A.1 PDF and the
evidence ZIP, whose manifest verifies, then records that it went to Bawaslu. On the way the coordinator corrects the
kind of violation the relawan was unsure of."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from kawal.web import demo
from kawal.web.accounts.models import Membership, Role
from kawal.web.incidents.export import verify_zip
from kawal.web.incidents.models import Evidence, Media, Report
from kawal.web.photos.models import Photo
from tests.browser.conftest import shot
from tests.browser.support import PASSWORD, with_password
from tests.photos.images import phone_jpeg
from tests.web.incidents_support import MP4, WITNESS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def accounts(transactional_db):
    kpu, _ = demo.create_accounts()
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    second = get_user_model().objects.create(username="relawan.kedua", first_name="Rina")
    ormas = Membership.objects.get(user=relawan).organisation
    Membership.objects.create(user=second, organisation=ormas, role=Role.RELAWAN, wilayah="3671051007", rw=2)
    with_password()
    return kpu


def log_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def download(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_bytes()


def test_phone_report_offline_two_confirmations_model_a1_and_evidence_zip(page, live_server, accounts):
    log_in(page, live_server, "relawan.ketapang")
    page.goto(f"{live_server.url}/lapor/baru/")
    page.wait_for_selector("body[data-offline-ready=true]")  # service worker active, the form kept for offline use
    page.reload()  # now served through the service worker, so the page's scripts are kept too
    page.wait_for_selector("body[data-offline-ready=true]")

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/lapor/baru/")  # no signal: the form opens from the phone's cache
    page.check("input[name=category][value=lainnya]")  # unsure of the kind: the coordinator corrects it later
    page.fill("input[name=tps]", "3")
    assert page.input_value("input[name=incident_at]")  # filled with the phone's time
    page.fill("textarea[name=description]", "Tim sukses membagikan amplop berisi Rp50.000 di depan TPS 3.")
    page.fill("textarea[name=reported_party]", "Koordinator tim sukses paslon 9")
    page.fill("input[name=saksi_1_nama]", WITNESS)
    page.fill("input[name=saksi_1_alamat]", "JL. KENANGA NO. 7")
    page.set_input_files("input[name=foto]", {"name": "amplop.jpg", "mimeType": "image/jpeg", "buffer": phone_jpeg()})
    page.set_input_files("input[name=rekaman]", {"name": "video.mp4", "mimeType": "video/mp4", "buffer": MP4})
    shot(page, "incident-01-phone-form-offline")
    page.click("#incident button[type=submit]")
    page.wait_for_selector("#receipt[data-sent=false]")
    page.wait_for_selector("#queue-status[data-waiting='1']")
    assert "Pelanggaran lain" in page.inner_text("#receipt")
    shot(page, "incident-02-receipt-waiting-for-signal")
    assert Report.unscoped.count() == 0

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#queue-status[data-waiting='0']", timeout=30_000)
    page.wait_for_selector("#receipt[data-sent=true]")
    shot(page, "incident-03-receipt-sent")
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a second sync finds nothing left to send
    page.wait_for_timeout(500)
    report = Report.unscoped.get()
    assert report.tps == 3 and Evidence.objects.filter(report=report).count() == 2
    page.goto(f"{live_server.url}/lapor/")
    assert report.number in page.inner_text("[data-report]")

    log_in(page, live_server, "relawan.kedua")  # another relawan who saw it too
    page.goto(f"{live_server.url}/lapor/")
    page.click(f"[data-confirm='{report.pk}'] a")
    assert WITNESS not in page.content()  # identities are for coordinators only
    page.fill("#confirm-note", "Saya juga melihat amplop dibagikan di depan TPS 3.")
    page.click("#confirm button[type=submit]")
    shot(page, "incident-04-second-relawan-confirms")

    log_in(page, live_server, "koordinator.cipondoh")
    page.goto(f"{live_server.url}/lapor/kelola/")
    shot(page, "incident-05-coordinator-dashboard")
    page.goto(f"{live_server.url}/lapor/{report.pk}/")
    assert WITNESS in page.inner_text("[data-identity]")
    assert page.locator("[data-evidence] img").count() == 1  # the photo, as a copy without EXIF
    page.select_option("#new-category", "politik_uang")
    page.fill("#category-reason", "amplop berisi uang: politik uang")
    page.click("#category button[type=submit]")
    page.wait_for_selector("[data-category-changes]")
    assert "Politik uang" in page.inner_text("h1")
    page.fill("#confirm-note", "Foto dan video menunjukkan amplop dan stiker paslon.")
    page.click("#confirm button[type=submit]")
    page.wait_for_selector("[data-status=diverifikasi]")
    shot(page, "incident-06-verified")

    pdf = download(page, "a[data-download=pdf]")
    assert pdf.startswith(b"%PDF")
    archive_bytes = download(page, "a[data-download=zip]")
    assert verify_zip(archive_bytes) == []
    archive = zipfile.ZipFile(io.BytesIO(archive_bytes))
    manifest = json.loads(archive.read("manifest.json"))
    digests = {entry["sha256"] for entry in manifest["files"]}
    assert {Photo.objects.get().sha256, Media.objects.get().sha256} <= digests
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["file"])).hexdigest() == entry["sha256"]

    page.click("#forward button[type=submit]")
    page.wait_for_selector("[data-forwarded]")
    page.fill("#number", "007/LP/PW/Kota/11.03/XI/2024")
    page.click("#register button[type=submit]")
    page.wait_for_selector("[data-register]")
    shot(page, "incident-07-forwarded-and-registered")
    report.refresh_from_db()
    assert report.status == "diregistrasi" and report.forwarded_at is not None

    page.goto(f"{live_server.url}/publik/pelanggaran/")
    assert page.inner_text("[data-total]") == "1" and WITNESS not in page.content()
    assert "Politik uang" in page.inner_text("[data-list]")  # the corrected kind
    shot(page, "incident-08-public-page")
