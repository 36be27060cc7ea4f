"""Issue 17: coklit oversight in Bawaslu's 2024 categories, counted once per household, per kelurahan and
kecamatan, with map and CSV/PDF exports."""

import csv
import io
import uuid
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kawal.web.field.models import Visit
from kawal.web.field.review import review
from kawal.web.field.visits import VisitError, VisitIn, record_visit
from tests.web.conftest import ketapang_task, login

pytestmark = pytest.mark.django_db
WHEN = datetime(2024, 7, 30, 9, 0, tzinfo=UTC)


def visit(task, relawan, **answers):
    data = VisitIn(client_id=str(uuid.uuid4()), recorded_at=WHEN, **answers)
    return record_visit(task, relawan, data)[0]


@pytest.fixture
def visits(loaded):
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    tasks = [ketapang_task(loaded, f"oversight-{i}", [], relawan) for i in range(4)]
    visit(tasks[0], relawan, pantarlih_visited="tidak", sticker="ya", joki="ya", sk_shown="tidak_tahu")
    visit(tasks[1], relawan, pantarlih_visited="ya", sticker="tidak", joki="tidak", sk_shown="tidak",
          pantarlih_date=date(2024, 7, 1))  # fmt: skip
    visit(tasks[2], relawan, pantarlih_visited="ya", sticker="ya", joki="tidak", sk_shown="ya")
    rejected = visit(tasks[3], relawan, pantarlih_visited="tidak", sticker="tidak", joki="ya", sk_shown="tidak")
    review(rejected, coordinator, "rejected", "rumah salah")
    return tasks


def test_counts_and_rates_per_kelurahan_and_kecamatan(client, visits):
    login(client, "koordinator.cipondoh")
    page = client.get(reverse("coklit_oversight"))
    assert page.status_code == 200
    kelurahan = {r[0]: r for r in page.context["kelurahan"]}["3671051007"]
    # households 3 (the rejected visit is out); not in person 1 of 3; joki 1 of 3; no SK 1 of 2 answered;
    # no sticker 1 of 3
    assert kelurahan[2:] == ["3", "1", "3", "33,3%", "1", "3", "33,3%", "1", "2", "50,0%", "1", "3", "33,3%"]
    kecamatan = {r[0]: r for r in page.context["kecamatan"]}["367105"]
    assert kecamatan[2] == "3"
    assert "17.050" in page.content.decode()  # Bawaslu's national figure beside ours, written the Indonesian way
    shapes = {s["kode"]: s for s in page.context["map"]["shapes"]}
    assert shapes["3671051007"]["rate"] == pytest.approx(1 / 3)


def test_exports_for_bawaslu_and_kpu(client, visits):
    login(client, "admin.kpu")
    body = client.get(reverse("oversight_export", args=["csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][2] == "Rumah dikunjungi" and any(r[:3] == ["3671051007", "Ketapang", "3"] for r in rows)
    pdf = client.get(reverse("oversight_export", args=["pdf"])).content
    assert pdf.startswith(b"%PDF") and b"BAWASLU" in pdf
    login(client, "relawan.ketapang")
    assert client.get(reverse("coklit_oversight")).status_code == 403


def test_the_api_takes_the_new_questions_and_checks_them(client, loaded):
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    task = ketapang_task(loaded, "api-oversight", [], relawan)
    client.force_login(relawan)
    body = {"client_id": str(uuid.uuid4()), "recorded_at": "2024-07-30T09:00:00+07:00", "pantarlih_visited": "ya",
            "sticker": "ya", "joki": "tidak", "sk_shown": "ya", "pantarlih_date": "2024-07-02"}  # fmt: skip
    answer = client.post(f"/api/v1/tasks/{task.pk}/visits", body, content_type="application/json")
    assert answer.status_code == 201
    saved = Visit.unscoped.get(pk=answer.json()["id"])
    assert (saved.joki, saved.sk_shown, saved.pantarlih_date) == ("tidak", "ya", date(2024, 7, 2))
    with pytest.raises(VisitError, match="joki"):
        visit(task, relawan, pantarlih_visited="ya", sticker="ya", joki="mungkin")
    with pytest.raises(VisitError, match="pantarlih_date"):
        visit(task, relawan, pantarlih_visited="ya", sticker="ya", pantarlih_date=date(2024, 8, 1))
