"""Two capture rules of issue 20 tested on their own: evidence photos are served without EXIF (no camera, no GPS)
while the original and its SHA-256 stay as evidence; and the category list is data, so another election's file
(``KAWAL_INCIDENT_CATEGORIES``) changes the form, the API and the chat menu without code."""

import hashlib
import io
import json
import uuid

import pytest
from PIL import Image

from kawal.web.incidents import categories
from kawal.web.incidents.messaging import conversation
from tests.web.incidents_support import bearer, make_people, photo_of, report_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return make_people()


def test_an_evidence_photo_is_served_without_exif_and_kept_whole(client, people):
    photo = photo_of(people["relawan"])
    report = report_by(people["relawan"], evidence=(photo,))
    with photo.original.open("rb") as f:
        original = f.read()
    assert Image.open(io.BytesIO(original)).getexif().get(0x0110) == "Pixel 3a"  # the phone's file, as sent
    assert hashlib.sha256(original).hexdigest() == photo.sha256 == report.evidence.get().sha256
    client.force_login(people["second"])  # a relawan asked to confirm sees the photo
    served = client.get(f"/lapor/{report.pk}/bukti/{report.evidence.get().pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    body = b"".join(served.streaming_content)
    exif = Image.open(io.BytesIO(body)).getexif()
    assert not exif.get(0x0110) and not exif.get_ifd(0x8825)  # no camera model, no GPS
    assert b"Pixel 3a" not in body and body != original


def test_another_category_file_changes_form_api_and_chat(client, people, settings, tmp_path):
    table = tmp_path / "kategori.csv"
    table.write_text(
        "code,label_id,label_en,group\n"
        "mahar_politik,Mahar politik dalam pencalonan,Candidacy payments,uang\n"
        "politik_uang,Politik uang,Money politics,uang\n",
        encoding="utf-8",
    )
    settings.KAWAL_INCIDENT_CATEGORIES = str(table)
    assert [c.code for c in categories.categories()] == ["mahar_politik", "politik_uang"]
    client.force_login(people["relawan"])
    form = client.get("/lapor/baru/").content.decode()
    assert 'value="mahar_politik"' in form and 'value="intimidasi"' not in form
    assert "1. Mahar politik dalam pencalonan" in conversation._menu()

    def post(category):
        body = {"client_id": str(uuid.uuid4()), "recorded_at": "2026-12-05T07:00:00+00:00", "category": category,
                "kode_kelurahan": "3671051007", "incident_at": "2026-12-05T06:00",
                "description": "Calon diminta menyetor mahar kepada partai pengusung."}  # fmt: skip
        headers = bearer(people["relawan"])
        return client.post("/api/v1/incidents/reports", json.dumps(body), content_type="application/json", **headers)

    assert post("mahar_politik").status_code == 201
    assert post("intimidasi").status_code == 422  # in the shipped file, not in this election's


def test_the_shipped_list_has_the_issues_kinds():
    codes = {c.code for c in categories.categories()}
    wanted = {"politik_uang", "intimidasi", "netralitas_asn", "netralitas_kades", "netralitas_tni_polri"}
    wanted |= {"kampanye_hitam", "hoaks", "pemilih_tanpa_hak", "surat_suara_tercoblos", "kekurangan_surat_suara"}
    assert wanted | {"tps_terlambat"} <= codes
    assert all(c.label_id and c.label_en for c in categories.categories())
