"""The public incident page (issue 20, privacy and done-means): the map and the list show only verified incidents,
counted per kecamatan and category, without names, descriptions, kelurahan, TPS or positions; a report that is
rejected or merged leaves them."""

import re

import pytest

from kawal.web.incidents import categories, service
from kawal.web.voters import maps
from tests.web.incidents_support import SUKARASA, WITNESS, make_people, photo_of, report_by

pytestmark = pytest.mark.django_db
CIPONDOH, TANGERANG = "367105", "367101"


@pytest.fixture
def people(db):
    return make_people()


def verify(people, report):
    service.confirm(report, people["second"], "saya melihat sendiri")
    service.confirm(report, people["coordinator"], "foto jelas")
    report.refresh_from_db()
    return report


def map_counts(page: str) -> list[str]:
    """Each shape's tooltip on the map, in the order drawn."""
    svg = page[page.index("<svg") : page.index("</svg>")]
    return re.findall(r"<title>([^<]*)</title>", svg)


def test_only_verified_incidents_reach_the_map_and_the_list(client, people):
    shown = verify(people, report_by(people["relawan"], evidence=(photo_of(people["relawan"]),), latitude=-6.17813))
    report_by(people["relawan"], category="intimidasi")  # received, not verified
    report_by(people["elsewhere"], kode_kelurahan=SUKARASA, category="hoaks")  # another kecamatan, not verified

    page = client.get("/publik/pelanggaran/").content.decode()  # no login
    assert "<b data-total>1</b>" in page
    assert re.findall(r'data-kecamatan="(\d+)"', page) == [CIPONDOH]
    listed = page[page.index("data-list") :]
    assert categories.label("politik_uang") in listed
    for hidden in ("intimidasi", "hoaks"):
        assert categories.label(hidden) not in page

    drawn = maps.shapes()[0]
    tooltips = map_counts(page)
    assert len(tooltips) == len(drawn)
    for shape, tooltip in zip(drawn, tooltips, strict=True):  # a whole kecamatan coloured, never one kelurahan
        assert ("1 pelanggaran" in tooltip) == shape.kode.startswith(CIPONDOH), shape.kode

    private = [WITNESS, "RELAWAN PELAPOR", "relawan.ketapang", "Ketapang", "Sukarasa", "amplop", "paslon 9"]
    private += ["TPS 3", "TPS 003", "-6.178", shown.number, "3671051007"]
    for text in private:
        assert text not in page, text


def test_rejected_and_merged_reports_leave_the_public_counts(client, people):
    report = verify(people, report_by(people["relawan"], evidence=(photo_of(people["relawan"]),)))
    duplicate = report_by(people["second"])
    service.merge(duplicate, report, people["coordinator"], "kejadian yang sama")
    page = client.get("/publik/pelanggaran/").content.decode()
    assert "<b data-total>1</b>" in page  # the merged duplicate is not a second incident
    service.change_status(report, people["coordinator"], "ditolak", "ternyata pembagian kupon resmi")
    page = client.get("/publik/pelanggaran/").content.decode()
    assert "<b data-total>0</b>" in page and not any("1 pelanggaran" in t for t in map_counts(page))
