"""Rows the file could not be read from are shown to whoever may audit the list again, each with its line and why,
so the file can be fixed; counts in = loaded + rejected on the page; a NIK quoted in a reason (a column read in the
wrong place) is masked but for KPU staff; a relawan sees neither the rows nor the way to them; every view is
recorded without personal data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kawal.web import demo
from kawal.web.actionlog.models import ActionLog
from kawal.web.voters.models import VoterList
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_list(client, city, tmp_path) -> tuple[VoterList, dict[int, str], str]:
    """The city's list with a birth date no calendar has on one row, a sex that is neither L nor P on another and the
    row's NIK in the birth date's place on a third, uploaded by the KPU admin; the broken lines (header = line 1)
    with their names, and the NIK."""
    lines = (city / "dpt.csv").read_text().splitlines()
    header = lines[0].split(",")
    date, sex = header.index('"tanggal_lahir"'), header.index('"jenis_kelamin"')
    broken = {}
    nik = lines[2999].split(",")[header.index('"nik"')]
    for line, column, value in ((5, date, '"31-02-1980"'), (1201, sex, '"X"'), (3000, date, nik)):
        cells = lines[line - 1].split(",")
        cells[column] = value
        lines[line - 1] = ",".join(cells)
        broken[line] = cells[header.index('"nama"')].strip('"')
    path = tmp_path / "dpt-rusak.csv"
    path.write_text("\n".join(lines) + "\n")
    demo.create_accounts()
    login(client, "admin.kpu")
    with path.open("rb") as f:
        assert client.post(reverse("lists"), {"file": f, "stage": "DPT", "wilayah": "3671"}).status_code == 302
    return VoterList.objects.get(), broken, nik.strip('"')


def test_the_rejected_rows_are_listed_with_their_line_and_why(client, broken_list):
    voter_list, broken, nik = broken_list
    assert (voter_list.rows_in, voter_list.loaded, voter_list.rejected) == (3000, 2997, 3)
    status = client.get(reverse("voter_list", args=[voter_list.pk])).content.decode()
    way = reverse("voter_list_rejects", args=[voter_list.pk])
    assert f'href="{way}"' in status and "Lihat 3 baris yang ditolak dan sebabnya" in status

    page = client.get(way).content.decode()
    assert "Baris masuk 3.000 = dimuat 2.997 + ditolak 3." in page
    assert "Baris 5</b> <span>tanggal_lahir &#x27;31-02-1980&#x27; tidak terbaca" in page
    assert "Baris 1201</b> <span>jenis_kelamin &#x27;X&#x27; bukan L atau P" in page
    assert f"Baris 3000</b> <span>tanggal_lahir &#x27;{nik}&#x27; tidak terbaca" in page  # KPU staff: as written
    assert page.count("data-row=") == 3
    assert not any(name in page for name in broken.values())  # a reason names the field and its value only

    entry = ActionLog.objects.get(action="voter_list.rejects_viewed")
    assert entry.object_id == str(voter_list.pk) and entry.detail == {"shown": 3}


def test_a_coordinator_sees_the_rows_with_a_quoted_nik_masked(client, broken_list):
    voter_list, _broken, nik = broken_list
    client.logout()
    login(client, "koordinator.cipondoh")
    page = client.get(reverse("voter_list_rejects", args=[voter_list.pk])).content.decode()
    assert f"tanggal_lahir &#x27;{nik[:6]}{'*' * 10}&#x27; tidak terbaca" in page and nik not in page
    assert "tanggal_lahir &#x27;31-02-1980&#x27;" in page  # a date is no NIK: shown as written


def test_a_relawan_sees_no_rejected_rows_nor_the_way_to_them(client, broken_list):
    voter_list, _broken, _nik = broken_list
    client.logout()
    login(client, "relawan.ketapang")
    assert client.get(reverse("voter_list_rejects", args=[voter_list.pk])).status_code in (403, 404)
    status = client.get(reverse("voter_list_status", args=[voter_list.pk]))
    assert status.status_code == 404 or "baris yang ditolak" not in status.content.decode()
    assert not ActionLog.objects.filter(action="voter_list.rejects_viewed").exists()


def test_a_list_whose_stored_copy_is_gone_says_so(client, broken_list):
    voter_list, _broken, _nik = broken_list
    VoterList.objects.filter(pk=voter_list.pk).update(snapshot="9999-hilang")
    page = client.get(reverse("voter_list_rejects", args=[voter_list.pk])).content.decode()
    assert "Salinan daftar ini tidak disimpan lagi" in page and "data-row=" not in page
