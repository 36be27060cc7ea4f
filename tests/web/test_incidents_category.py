"""A coordinator corrects a report's category (issue 20, verification): with a reason, only before the report
leaves for Bawaslu, never by a relawan or another Ormas; logged by codes; the public counts follow."""

import pytest
from django.utils import timezone

from kawal.web.actionlog.models import ActionLog
from kawal.web.incidents import categories, service
from kawal.web.incidents.models import CategoryChange, Report
from tests.web.incidents_support import make_people, photo_of, report_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return make_people()


def correct(client, user, report, category="intimidasi", reason="uraiannya tentang ancaman, bukan uang"):
    client.force_login(user)
    return client.post(f"/lapor/{report.pk}/jenis/", {"category": category, "reason": reason})


def test_a_coordinator_corrects_the_category_with_a_reason(client, people):
    report = report_by(people["relawan"])
    client.force_login(people["coordinator"])
    assert 'id="category"' in client.get(f"/lapor/{report.pk}/").content.decode()
    assert correct(client, people["coordinator"], report).status_code == 302
    report.refresh_from_db()
    assert report.category == "intimidasi"
    change = CategoryChange.objects.get(report=report)
    assert (change.old, change.new, change.user) == ("politik_uang", "intimidasi", people["coordinator"])
    logged = ActionLog.objects.get(action="incident.category")
    assert logged.detail == {"old": "politik_uang", "new": "intimidasi"} and logged.object_id == str(report.pk)
    page = client.get(f"/lapor/{report.pk}/").content.decode()
    shown = f"{categories.label('politik_uang')} → {categories.label('intimidasi')}"
    assert shown in page and "uraiannya tentang ancaman" in page


@pytest.mark.parametrize(
    ("category", "reason", "message"),
    [
        ("intimidasi", "  ", "alasan wajib diisi"),
        ("politik_uang", "sama saja", "tidak berubah"),
        ("bukan_jenis", "salah pilih", "tidak dikenal"),
    ],
)
def test_bad_corrections_are_refused(client, people, category, reason, message):
    report = report_by(people["relawan"])
    answer = correct(client, people["coordinator"], report, category, reason)
    assert answer.status_code == 400 and message in answer.content.decode()
    report.refresh_from_db()
    assert report.category == "politik_uang" and not CategoryChange.objects.exists()


def test_only_the_reports_coordinators_correct_it(client, people):
    report = report_by(people["relawan"])
    assert correct(client, people["second"], report).status_code in (403, 404)  # a relawan
    assert correct(client, people["relawan"], report).status_code == 403  # the reporter
    assert correct(client, people["other_coordinator"], report).status_code == 404  # another Ormas sees nothing
    report.refresh_from_db()
    assert report.category == "politik_uang"


def test_no_correction_once_forwarded_and_public_counts_follow(client, people):
    photo = photo_of(people["relawan"])
    report = report_by(people["relawan"], evidence=(photo,))
    service.confirm(report, people["second"], "saya melihatnya juga")
    service.confirm(report, people["coordinator"], "foto jelas")
    report.refresh_from_db()
    assert report.status == Report.Status.VERIFIED
    correct(client, people["coordinator"], report, "hoaks")
    public = client.get("/publik/pelanggaran/").content.decode()
    assert categories.label("hoaks") in public and categories.label("politik_uang") not in public
    service.forward(report, people["coordinator"], timezone.now(), "Bawaslu Kota Tangerang")
    answer = correct(client, people["coordinator"], report, "intimidasi")
    assert answer.status_code == 400 and "sebelum laporan diteruskan" in answer.content.decode()
    report.refresh_from_db()
    assert report.category == "hoaks"
