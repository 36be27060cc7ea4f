"""Issue 19: the turnout upload with what Excel and broken downloads hand KPU staff. A CSV saved by Excel on Windows
(Windows-1252) used to escape the view as UnicodeDecodeError (a 500); now it is read, names and all, and bytes that
are no CSV at all are refused with a message on the page."""

from __future__ import annotations

import io

import pytest

from kawal.web.accounts.models import Organisation
from kawal.web.participation import service
from kawal.web.participation.models import Election, TurnoutFigure
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def _upload(client, body: bytes, name: str):
    file = io.BytesIO(body)
    file.name = "sirekap.csv"
    form = {"file": file, "name": name, "pemilihan": "walikota", "held_on": "2029-11-28", "target": "0.8"}
    return client.post("/partisipasi/impor/", form)


def test_a_windows_1252_tally_is_imported_with_its_names(client, loaded):
    service.load_2024_baseline(Organisation.objects.get(kind="kpu"))  # the city's DPT the later figures need
    text = service.SIREKAP_2024.read_text(encoding="utf-8").replace("KOTA TANGERANG", "KOTA TANGERANG – BANTEN")
    login(client, "admin.kpu")
    answer = _upload(client, text.encode("cp1252"), "Pilkada 2029")
    assert answer.status_code == 302, answer.content.decode()[:500]
    later = Election.objects.get(name="Pilkada 2029")
    assert TurnoutFigure.objects.filter(election=later).count() == 14


@pytest.mark.parametrize("body", [b"\xff\xfe\x00\x81\x8d", b"pemilihan,kode_wilayah\n\x80\x81\n", b"PK\x03\x04\x00"])
def test_bytes_that_are_no_tally_are_refused_on_the_page(client, loaded, body):
    login(client, "admin.kpu")
    answer = _upload(client, body, "Pilkada rusak")
    assert answer.status_code == 200 and "kolom tidak ada" in answer.content.decode()
