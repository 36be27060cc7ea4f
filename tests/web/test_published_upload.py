"""Uploading what an Ormas holds: KPU's PDF, with hidden digits. Nothing rejected for what is hidden, the findings
page says per check how many rows could be checked and why not, and hidden numbers link no households."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kawal.web import demo
from kawal.web.voters.models import Voter, VoterList
from tests.published_pdf import published_pdf
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


ROWS = 30  # the test city's first kelurahan has a few more


@pytest.fixture
def pdf(city, tmp_path):
    path = tmp_path / "dps-diumumkan.pdf"
    assert published_pdf(city, path, rows=ROWS) == ROWS
    return path


def upload(client, path, stage: str = "DPS"):
    with path.open("rb") as f:
        return client.post(reverse("lists"), {"file": f, "stage": stage, "wilayah": "3671"})


def test_a_published_pdf_loads_every_row_and_the_findings_page_says_what_could_not_be_checked(client, db, pdf):
    demo.create_accounts()
    login(client, "admin.kpu")
    assert upload(client, pdf).status_code == 302
    voter_list = VoterList.objects.get()
    assert (voter_list.status, voter_list.rows_in, voter_list.loaded, voter_list.rejected) == ("done", ROWS, ROWS, 0)
    assert all(v.endswith("*" * 10) or v == "" for v in Voter.unscoped.values_list("nik_masked", flat=True))

    response = client.get(reverse("findings"))
    [coverage] = response.context["coverage"]
    checks = {c["code"]: c for c in coverage["checks"]}
    assert coverage["audited"] == ROWS and coverage["open"]
    ganda = checks["NIK_GANDA"]  # every NIK hides its last ten digits: none is an identity
    assert ganda["checkable"] == 0 and ganda["missing"] == ROWS
    assert dict((why, n) for n, why in ganda["reasons"])["angka NIK yang diperlukan disamarkan"] <= ROWS
    assert checks["DATA_TIDAK_LENGKAP"]["missing"] == 0
    page = response.content.decode()
    assert "Yang bisa diperiksa: DPS" in page and 'data-check="KK_TERPISAH"' in page
    assert "angka NKK disamarkan" in page


def test_the_coverage_follows_the_check_filter_and_speaks_english(client, db, pdf):
    demo.create_accounts()
    login(client, "admin.kpu")
    upload(client, pdf)
    [coverage] = client.get(reverse("findings") + "?check=NIK_WILAYAH").context["coverage"]
    assert [c["code"] for c in coverage["checks"]] == ["NIK_WILAYAH"]
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("findings")).content.decode()
    assert "NKK digits hidden" in page and "Could be checked" in page


def test_hidden_numbers_are_no_household(client, db, pdf):
    demo.create_accounts()
    login(client, "admin.kpu")
    upload(client, pdf)
    assert set(Voter.unscoped.values_list("nkk_hash", flat=True)) == {""}
    assert set(Voter.unscoped.values_list("nik_hash", flat=True)) == {""}


def test_a_full_list_still_hashes_its_numbers(client, db, city):
    demo.create_accounts()
    login(client, "admin.kpu")
    upload(client, city / "dpt.csv")
    assert Voter.unscoped.exclude(nkk_hash="").count() > 0.9 * Voter.unscoped.count()


def test_a_file_named_pdf_that_is_none_is_refused(client, db, tmp_path):
    demo.create_accounts()
    login(client, "admin.kpu")
    fake = tmp_path / "dps.pdf"
    fake.write_text("NO,NIK\n1,3671010101010001\n")
    response = upload(client, fake)
    assert response.status_code == 200 and "File ini bukan PDF." in response.content.decode()
    assert not VoterList.objects.exists()


def test_a_scanned_pdf_fails_with_its_pages_named(client, db, tmp_path):
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    scan = tmp_path / "dps-pindaian.pdf"
    canvas = Canvas(str(scan), pagesize=A4)
    for _ in range(2):
        canvas.drawImage(ImageReader(Image.new("L", (400, 280), 200)), 40, 40, 500, 700)  # a photo, no text
        canvas.showPage()
    canvas.save()
    demo.create_accounts()
    login(client, "admin.kpu")
    upload(client, scan)
    voter_list = VoterList.objects.get()
    assert voter_list.status == "failed"
    assert voter_list.error.startswith("dps-pindaian.pdf hanya berisi gambar (hasil pindai)")
    assert "halaman 1-2" in voter_list.error
