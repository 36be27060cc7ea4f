import pytest
from django.urls import reverse

from kawal.web.accounts.models import Membership, Role
from kawal.web.actionlog.models import ActionLog
from kawal.web.field.assign import FIELD_CHECKS, assign_open_tasks
from kawal.web.field.models import FieldTask
from kawal.web.voters.models import Finding
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def test_every_household_with_field_findings_gets_one_task(loaded):
    findings = (
        Finding.unscoped.filter(audit__voter_list=loaded, check_code__in=FIELD_CHECKS)
        .exclude(voter=None)
        .exclude(kode_kelurahan="")
    )
    households = {f.voter.nkk_hash or f"v{f.voter_id}" for f in findings.select_related("voter")}
    tasks = FieldTask.unscoped.filter(voter_list=loaded)
    assert tasks.count() == len(households) > 0
    assert sum(t.findings.count() for t in tasks) == findings.count()
    assert not Finding.unscoped.filter(tasks__isnull=False, check_code="NIK_FORMAT").exists()


def test_tasks_go_to_the_relawan_of_the_rt_and_the_rest_wait(loaded):
    relawan = Membership.objects.get(role=Role.RELAWAN).user
    mine = FieldTask.unscoped.filter(kode_kelurahan="3671051007", rw=1, rt=1)
    assert set(mine.values_list("assigned_to", flat=True)) <= {relawan.pk}
    assert FieldTask.unscoped.filter(assigned_to=relawan).exclude(kode_kelurahan="3671051007", rw=1, rt=1).count() == 0
    assert FieldTask.unscoped.filter(assigned_to=None).exists()


def test_most_specific_then_least_loaded_relawan(loaded, django_user_model):
    ormas = Membership.objects.get(role=Role.RELAWAN).organisation
    a = django_user_model.objects.create(username="relawan.a")
    b = django_user_model.objects.create(username="relawan.b")
    for user in (a, b):
        Membership.objects.create(user=user, organisation=ormas, role=Role.RELAWAN, wilayah="367101")
    assigned = assign_open_tasks(loaded)
    kecamatan = FieldTask.unscoped.filter(kode_kelurahan__startswith="367101")
    assert assigned == kecamatan.count() > 1
    counts = [kecamatan.filter(assigned_to=u).count() for u in (a, b)]
    assert abs(counts[0] - counts[1]) <= 1
    assert not FieldTask.unscoped.filter(assigned_to__in=[a, b]).exclude(kode_kelurahan__startswith="367101").exists()


def test_relawan_home_lists_their_tasks_grouped_by_rt(client, loaded):
    login(client, "relawan.ketapang")
    response = client.get(reverse("my_tasks"))
    groups = response.context["groups"]
    assert all((g["kode_kelurahan"], g["rw"], g["rt"]) == ("3671051007", 1, 1) for g in groups)
    assert response.context["count"] == FieldTask.unscoped.filter(assigned_to__username="relawan.ketapang").count()
    assert client.get(reverse("tasks_manage")).status_code == 403


def test_coordinator_reassigns_with_a_deadline_and_it_is_logged(client, loaded):
    task = (
        FieldTask.unscoped.filter(kode_kelurahan="3671051007", rw=1, rt=1).first()
        or FieldTask.unscoped.filter(kode_kelurahan__startswith="367105").first()
    )
    relawan = Membership.objects.get(role=Role.RELAWAN).user
    login(client, "koordinator.cipondoh")
    progress = client.get(reverse("tasks_manage")).context["progress"]
    assert all(p["kode_kelurahan"].startswith("367105") for p in progress)
    response = client.post(reverse("task_edit", args=[task.pk]), {"assigned_to": relawan.pk, "deadline": "2024-08-27"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.assigned_to == relawan and str(task.deadline) == "2024-08-27"
    assert ActionLog.objects.filter(action="task.assigned", object_id=str(task.pk)).exists()
    outside = FieldTask.unscoped.exclude(kode_kelurahan__startswith="367105").first()
    assert client.get(reverse("task_edit", args=[outside.pk])).status_code == 404


def test_a_new_relawan_picks_up_open_tasks_of_their_area(client, loaded):
    waiting = FieldTask.unscoped.create(voter_list=loaded, household="uji", kode_kelurahan="3671051001", rw=3, rt=4)
    assert assign_open_tasks(loaded) == 0 and waiting.assigned_to is None  # nobody covers it yet
    login(client, "koordinator.cipondoh")
    client.post(
        reverse("invitations"),
        {"role": "relawan", "wilayah": waiting.kode_kelurahan, "rw": waiting.rw, "rt": waiting.rt},
    )
    code = client.get(reverse("invitations")).context["invitations"][0].code
    client.logout()
    client.post(
        reverse("accept_invitation", args=[code]),
        {"username": "relawan.rt", "password1": "sandi-panjang-sekali", "password2": "sandi-panjang-sekali"},
    )
    waiting.refresh_from_db()
    assert waiting.assigned_to.username == "relawan.rt"


def test_demo_sample_fieldwork_gives_every_field_page_something_to_show(client, loaded):
    from kawal.web import demo
    from kawal.web.field.models import Tanggapan, Visit, VisitPhoto
    from kawal.web.voters.models import Voter
    from tests.web.conftest import KETAPANG, ketapang_task

    relawan = Membership.objects.get(role=Role.RELAWAN).user
    FieldTask.unscoped.filter(assigned_to=relawan).delete()
    for i, voter in enumerate(Voter.unscoped.filter(**KETAPANG)[:7]):
        ketapang_task(loaded, f"demo-{i}", [voter], relawan)
    assert Voter.unscoped.filter(**KETAPANG).exclude(nkk_hash="").exists()  # households to add checks for
    assert demo.sample_fieldwork(loaded) == len(demo.DEMO_VISITS)
    assert demo.sample_fieldwork(loaded) == 0  # run again: nothing new
    assert VisitPhoto.objects.count() == len(demo.DEMO_VISITS)
    login(client, "koordinator.cipondoh")
    review_page = client.get(reverse("review_queue")).context
    assert len(review_page["waiting"]) == Visit.unscoped.filter(review="submitted").count() == 2
    assert review_page["confirmed"] == 2  # two TMS claims, each by two relawan
    tanggapan = Tanggapan.unscoped.get()
    assert tanggapan.items.count() == 4 and tanggapan.items.filter(status="acted").count() == 1
    assert 'data-reminder="tanggapan"' in client.get("/").content.decode()
    # the rest stay open for the relawan's own try: the 7th made here, and household checks of the RT up to 8
    assert FieldTask.unscoped.filter(assigned_to=relawan, status="open").count() == 2
