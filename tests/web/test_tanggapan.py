import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kawal.web.field.models import TanggapanItem
from kawal.web.field.tanggapan import compile_tanggapan
from tests.web.conftest import login

pytestmark = pytest.mark.django_db
WHEN = datetime(2024, 8, 20, 9, 0, tzinfo=UTC)


def test_compiles_approved_findings_in_kpu_categories(approved):
    made = compile_tanggapan(approved["loaded"], "3671051007", approved["coordinator"])
    found = sorted((i.category, i.voter_id or i.new_voter.nama) for i in made.items.all())
    assert found == sorted(
        [
            ("belum_terdaftar", "PEMILIH PEMULA"),
            ("perbaikan_data", approved["moved"].pk),
            ("tidak_memenuhi_syarat", approved["dead"].pk),
        ]
    )
    confirmed = made.items.get(category="tidak_memenuhi_syarat")
    assert "dikonfirmasi 2 relawan" in confirmed.detail and len(confirmed.evidence.split("; ")) == 2


def test_xlsx_and_pdf_exports(client, approved):
    login(client, "koordinator.cipondoh")
    response = client.post(reverse("tanggapan_list"), {"kelurahan": "3671051007"})
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    xlsx = client.get(reverse("tanggapan_export", args=[pk, "xlsx"]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content))
    sheet = book.get_sheet_by_name("Tanggapan").to_python()
    assert "TANGGAPAN MASYARAKAT" in sheet[0][0] and "KETAPANG" in sheet[0][0]
    body = [row for row in sheet[4:] if row[0]]
    # KPU's form: one line per person, the kind of response in column 14, the NIK (masked for a coordinator) in 2
    assert {row[14] for row in body} == {
        "Pemilih yang memenuhi syarat belum terdaftar",
        "Perbaikan data pemilih",
        "Tidak lagi memenuhi syarat",
    }
    assert all(row[2].startswith("367105") and row[2].endswith("*") for row in body)
    pdf = client.get(reverse("tanggapan_export", args=[pk, "pdf"])).content
    assert pdf.startswith(b"%PDF") and b"TANGGAPAN MASYARAKAT" in pdf and b"PEMILIH PEMULA" in pdf


def test_kpu_answers_items_and_coordinators_cannot(client, approved):
    made = compile_tanggapan(approved["loaded"], "3671051007", approved["coordinator"])
    item = made.items.first()
    login(client, "koordinator.cipondoh")
    url = reverse("tanggapan_detail", args=[made.pk])
    assert client.post(url, {"item": item.pk, "status": "sent"}).status_code == 302
    assert client.post(url, {"item": item.pk, "status": "acted", "answer": "sudah"}).status_code == 403
    login(client, "admin.kpu")
    assert client.post(url, {"item": item.pk, "status": "acted", "answer": "Dicoret dari DPS"}).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.kpu_answer) == (TanggapanItem.Status.ACTED, "Dicoret dari DPS") and item.answered_at
    login(client, "relawan.ketapang")
    assert client.get(url).status_code == 403
