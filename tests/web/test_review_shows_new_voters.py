"""Issue 17: the coordinator approves a visit knowing who joins the list with it. The review queue shows each new
voter recorded on the visit (name, NIK masked, complete or not, consented document photos) and the visit's answers
in Bawaslu's categories; never a NIK in full, never the document itself."""

import uuid
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kawal.web.field.visits import VisitIn, record_visit
from tests.web.conftest import ketapang_task, login
from tests.web.test_pps_tanggapan import NIK, NKK, consented, jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(loaded):
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    task = ketapang_task(loaded, "tinjau-baru", [], relawan)
    data = VisitIn(
        client_id=str(uuid.uuid4()),
        recorded_at=datetime(2024, 7, 30, 9, 0, tzinfo=UTC),
        pantarlih_visited="ya",
        sticker="tidak",
        joki="ya",
        sk_shown="tidak",
        pantarlih_date=date(2024, 7, 2),
    )
    return record_visit(task, relawan, data)[0]


def test_the_review_card_names_the_new_voter_masked(client, visit):
    login(client, "relawan.ketapang")
    client.post(reverse("new_voter", args=[visit.task_id]), consented(jpeg()))
    login(client, "koordinator.cipondoh")
    page = client.get(reverse("review_queue")).content.decode()
    card = page[page.index(f'data-visit="{visit.pk}"') :]
    person = card[card.index("data-new-voter") : card.index("</li>")]
    assert "SITI AMINAH" in person and "367105**********" in person and "data lengkap" in person
    assert "Foto dokumen (dengan persetujuan): 1" in person
    assert NIK not in page and NKK not in page and "/dokumen/" not in page  # the document stays KPU's
    answers = card[: card.index("data-new-voter")]
    assert "(joki)? ya" in answers and "SK/tanda pengenal? tidak" in answers and "02-07-2024" in answers


def test_a_visit_without_new_voters_has_no_list(client, visit):
    login(client, "koordinator.cipondoh")
    page = client.get(reverse("review_queue")).content.decode()
    assert f'data-visit="{visit.pk}"' in page and "data-new-voter" not in page
