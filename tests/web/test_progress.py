from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from kawal.web.field.models import FieldTask, TanggapanItem
from kawal.web.field.progress import progress, reminders
from kawal.web.field.tanggapan import compile_tanggapan
from tests.web.conftest import login

pytestmark = pytest.mark.django_db
KETAPANG = "3671051007"


def test_progress_counts_tasks_visits_confirmed_tms_and_accepted_items(approved):
    made = compile_tanggapan(approved["loaded"], KETAPANG, approved["coordinator"])
    made.items.filter(category="perbaikan_data").update(status=TanggapanItem.Status.ACTED)
    ours = FieldTask.unscoped.filter(household__in=["t0", "t1", "t-unreviewed"])  # the list's own tasks aside
    unit = progress(ours, made.__class__.unscoped.all())[KETAPANG]
    assert (unit.tasks, unit.done, unit.visited, unit.approved, unit.pantarlih_seen) == (3, 3, 3, 2, 3)
    assert unit.tms == {1: 1}  # the TMS 3 claim is unreviewed and by one relawan only: it does not count
    assert (unit.items, unit.accepted) == (3, 1)


def test_progress_page_shows_the_totals_and_the_map(client, approved):
    login(client, "koordinator.cipondoh")
    page = client.get("/tugas/kemajuan/").content.decode()
    assert 'data-tms="1">1<' in page and f'data-kelurahan="{KETAPANG}"' in page
    done = FieldTask.unscoped.filter(status="done").count()
    assert f'data-total="done">{done}<' in page and "<svg" in page


def test_reminders_for_a_response_period_ending_soon(approved):
    today = timezone.localdate()
    made = compile_tanggapan(approved["loaded"], KETAPANG, approved["coordinator"], today + timedelta(days=2))
    tanggapan = made.__class__.unscoped.all()
    coordinator = reminders(FieldTask.unscoped.all(), tanggapan, answers_for_kpu=False)
    assert [(r.kind, r.count, r.days_left) for r in coordinator] == [("tanggapan", 3, 2)]
    assert reminders(FieldTask.unscoped.all(), tanggapan, answers_for_kpu=True) == []  # nothing sent to KPU yet
    made.items.update(status=TanggapanItem.Status.SENT)
    kpu = reminders(FieldTask.unscoped.all(), tanggapan, answers_for_kpu=True)
    assert [(r.kind, r.count) for r in kpu] == [("jawaban", 3)]
    later = reminders(FieldTask.unscoped.all(), tanggapan, answers_for_kpu=False, today=today + timedelta(days=5))
    assert later[0].overdue and later[0].days_left == -3


def test_a_response_period_far_away_is_not_a_reminder_yet(approved):
    made = compile_tanggapan(
        approved["loaded"], KETAPANG, approved["coordinator"], timezone.localdate() + timedelta(days=9)
    )
    assert reminders(FieldTask.unscoped.all(), made.__class__.unscoped.all(), answers_for_kpu=False) == []


def test_overdue_tasks_and_deadlines_show_on_the_dashboard(client, approved):
    today = timezone.localdate()
    FieldTask.unscoped.filter(status="done").update(status="open", deadline=today - timedelta(days=1))
    compile_tanggapan(approved["loaded"], KETAPANG, approved["coordinator"], today)
    login(client, "koordinator.cipondoh")
    page = client.get("/").content.decode()
    assert 'data-reminder="tugas"' in page and 'data-reminder="tanggapan"' in page
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    client.force_login(relawan)
    assert "data-reminder" not in client.get("/").content.decode()


def test_coordinator_sets_the_deadline_when_compiling(client, approved):
    login(client, "koordinator.cipondoh")
    client.post("/tanggapan/", {"kelurahan": KETAPANG, "deadline": "2024-08-27"})
    assert str(approved["loaded"].tanggapan.get().deadline) == "2024-08-27"
