"""The upload offers every stage the engine imports, with Indonesian labels, and stores the longer codes
(COKLIT, DPSHP, DPTB) whole: the column was four characters once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kawal.engine.importer import STAGES
from kawal.web import demo
from kawal.web.voters.models import VoterList
from kawal.web.voters.views import UploadForm
from tests.published_pdf import published_pdf
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def test_the_web_stages_are_the_engines_in_the_same_order():
    assert tuple(VoterList.Stage.values) == STAGES
    field = VoterList._meta.get_field("stage")
    assert field.max_length >= max(len(s) for s in STAGES)


def test_the_upload_page_offers_every_stage_with_its_indonesian_label(client, db):
    demo.create_accounts()
    login(client, "admin.kpu")
    page = client.get(reverse("lists")).content.decode()
    for code, label in [
        ("COKLIT", "Hasil coklit — Model A-Daftar Pemilih dengan tanda B/U/TMS"),
        ("DPSHP", "DPSHP — DPS hasil perbaikan"),
        ("DPTB", "DPTb — daftar pemilih tambahan (pindah memilih)"),
        ("DPK", "DPK — daftar pemilih khusus"),
    ]:
        assert f'<option value="{code}">{label}</option>' in page
    assert [value for value, _ in UploadForm().fields["stage"].choices] == list(STAGES)


def test_the_stage_labels_have_english(client, db):
    demo.create_accounts()
    login(client, "admin.kpu")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("lists")).content.decode()
    assert '<option value="DPSHP">DPSHP — the corrected provisional list</option>' in page
    assert '<option value="COKLIT">Coklit result — Model A-Daftar Pemilih with B/U/TMS marks</option>' in page


@pytest.mark.parametrize("stage", ["DPSHP", "COKLIT"])
def test_a_list_of_a_long_stage_is_stored_and_imported_under_its_whole_code(client, db, city, tmp_path, stage):
    pdf = tmp_path / "daftar.pdf"
    published_pdf(city, pdf, rows=12)
    demo.create_accounts()
    login(client, "admin.kpu")
    with pdf.open("rb") as f:
        response = client.post(reverse("lists"), {"file": f, "stage": stage, "wilayah": "3671"})
    assert response.status_code == 302
    voter_list = VoterList.objects.get()
    assert (voter_list.stage, voter_list.status, voter_list.loaded, voter_list.rejected) == (stage, "done", 12, 0)
    assert f"-{stage.lower()}-" in voter_list.snapshot  # the engine's snapshot carries the same stage


def test_an_unknown_stage_is_refused(client, db, city):
    demo.create_accounts()
    login(client, "admin.kpu")
    with (city / "dpt.csv").open("rb") as f:
        response = client.post(reverse("lists"), {"file": f, "stage": "DPX", "wilayah": "3671"})
    assert response.status_code == 200 and not VoterList.objects.exists()
