"""An Ormas's list in a real browser: KPU's published PDF (hidden NIK/NKK digits and birth days) is uploaded, loads
without a rejected row, and the findings page shows per check how many rows could not be checked and why."""

from __future__ import annotations

import pytest

from kawal.synth.generator import generate
from kawal.web import demo
from kawal.web.voters.models import VoterList
from tests.browser.conftest import shot
from tests.browser.support import sign_in, upload_list, with_password
from tests.published_pdf import published_pdf

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 30


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = tmp_path_factory.mktemp("published")
    generate(3000, seed=41, out=out)
    path = out / "dps-diumumkan.pdf"
    assert published_pdf(out, path, rows=ROWS) == ROWS
    return path


@pytest.fixture
def accounts(transactional_db):
    demo.create_accounts()
    with_password()


def test_upload_a_published_pdf_and_see_what_could_not_be_checked(page, live_server, accounts, published):
    sign_in(page, live_server.url, "admin.kpu")
    page.goto(f"{live_server.url}/daftar/")
    assert "PDF" in page.inner_text("form[enctype]")
    upload_list(page, live_server.url, published, "DPS")
    status = page.inner_text("#status")
    assert f"Baris masuk {ROWS} = dimuat {ROWS} + ditolak 0" in status
    assert VoterList.objects.get().rejected == 0

    page.click("text=Lihat temuan")
    coverage = page.wait_for_selector("details[data-coverage][open]")
    assert "Yang bisa diperiksa: DPS · dps-diumumkan.pdf" in coverage.inner_text()
    ganda = page.inner_text('details[data-coverage] tr[data-check="NIK_GANDA"]')
    assert f"0 dari {ROWS} baris" in ganda and "angka NIK yang diperlukan disamarkan" in ganda
    missing = page.get_attribute('tr[data-check="KK_TERPISAH"] [data-missing]', "data-missing")
    assert missing == str(ROWS)
    assert "angka NKK disamarkan" in page.inner_text('tr[data-check="KK_TERPISAH"]')
    page.locator("details[data-coverage]").scroll_into_view_if_needed()
    shot(page, "published-pdf-not-checkable")
