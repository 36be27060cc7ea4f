"""C.Hasil photos sent by chat (issue 20): a witness sends HASIL and the pages of their TPS's form; the photos are
kept as C.Hasil photos and attached to the TPS the server knows they guard, to their reading of it now or later.
Recorded payload shapes replayed against the webhooks, with no network (fixtures of test_incidents_messaging)."""

import uuid
from datetime import date

import pytest
from django.utils import timezone

from kawal.web.actionlog.models import ActionLog
from kawal.web.incidents.models import ChatMedia, Conversation, Evidence, Report
from kawal.web.participation.models import Election
from kawal.web.photos.models import Photo
from kawal.web.results import service as results
from kawal.web.results.models import ResultEntry, TpsAssignment
from tests.web.incidents_support import make_people
from tests.web.test_incidents_messaging import (  # noqa: F401 (fixtures)
    last_reply,
    link_code,
    offline,
    post_tg,
    post_wa,
    tg_payload,
    wa_payload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return make_people()


TPS = "3671051007003"
NUMBERS = {"suara_paslon_1": 120, "suara_paslon_2": 95, "suara_paslon_3": 140, "suara_sah": 355,
           "suara_tidak_sah": 9, "suara_sah_dan_tidak_sah": 364, "dpt": 520, "pengguna_total": 364}  # fmt: skip


def election(people, name="Pilwalkot Tangerang 2029", pemilihan="walikota", held_on=date(2029, 11, 28)):
    return Election.objects.create(organisation=people["kpu"], name=name, pemilihan=pemilihan, held_on=held_on)


def linked_wa(client, people, user="relawan"):
    post_wa(client, wa_payload(f"DAFTAR {link_code(client, people[user])}"))


def enter(made, user, kind=ResultEntry.Kind.WITNESS):
    data = results.EntryIn(client_id=str(uuid.uuid4()), captured_at=timezone.now(), numbers=NUMBERS, kind=kind)
    return results.record_entry(made, TPS, user, data).entry


def test_a_witness_sends_chasil_pages_and_they_join_the_reading_entered_later(client, people):
    made = election(people)
    TpsAssignment.objects.create(election=made, user=people["relawan"], kode_tps=TPS)
    linked_wa(client, people)
    assert "HASIL" in last_reply()  # the link reply says how
    post_wa(client, wa_payload("HASIL"))
    assert "TPS 003" in last_reply() and "Ketapang" in last_reply() and made.name in last_reply()
    page = wa_payload(name="whatsapp_image")
    for _ in range(2):  # a retried webhook: one photo
        assert post_wa(client, page).status_code == 200
    assert "diterima (1)" in last_reply()
    post_wa(client, wa_payload(name="whatsapp_image"))  # page 2 (a new message id)
    post_wa(client, wa_payload("SELESAI"))
    assert "2 foto C.Hasil" in last_reply() and "TPS 003" in last_reply()

    pages = ChatMedia.objects.filter(purpose=ChatMedia.Purpose.C_HASIL)
    assert pages.count() == 2 and {(m.election_id, m.kode_tps) for m in pages} == {(made.pk, TPS)}
    assert {m.photo.kind for m in pages} == {Photo.Kind.C_HASIL}  # fetched by the queue, kept as C.Hasil
    assert Report.unscoped.count() == 0 and Evidence.objects.count() == 0  # not an incident report
    assert Conversation.objects.get().closed

    entry = enter(made, people["relawan"])  # the witness types the numbers on the web afterwards
    assert set(entry.photos.values_list("pk", flat=True)) == {m.photo_id for m in pages}
    other = enter(made, people["coordinator"], ResultEntry.Kind.PHOTO)  # someone else's reading: not her photos
    assert other.photos.count() == 0


def test_a_page_fetched_after_the_reading_joins_it(client, people):
    made = election(people)
    TpsAssignment.objects.create(election=made, user=people["relawan"], kode_tps=TPS)
    entry = enter(made, people["relawan"])
    post_tg(client, tg_payload(f"/start {link_code(client, people['relawan'])}"))
    photo = tg_payload(name="telegram_photo")
    photo["message"]["caption"] = "C.Hasil"  # a captioned photo starts it and is the first page
    post_tg(client, photo)
    assert "diterima (1)" in last_reply("telegram")
    assert entry.photos.get().kind == Photo.Kind.C_HASIL
    logged = ActionLog.objects.get(action="result.chat_photo").detail
    assert logged == {"election": made.pk, "kode_tps": TPS, "entry": entry.pk}


def test_two_forms_at_one_tps_ask_which(client, people):
    mayor = election(people)
    governor = election(people, name="Pilgub Banten 2029", pemilihan="gubernur_banten")
    old = election(people, name="Pilkada 2024", held_on=date(2024, 11, 27))  # an earlier voting day: not offered
    for made in (mayor, governor, old):
        TpsAssignment.objects.create(election=made, user=people["relawan"], kode_tps=TPS)
    linked_wa(client, people)
    post_wa(client, wa_payload("hasil"))
    question = last_reply()
    assert "1. TPS 003" in question and "2. TPS 003" in question and "Pilkada 2024" not in question
    post_wa(client, wa_payload(name="whatsapp_image"))  # before choosing: not kept, asked again
    assert ChatMedia.objects.count() == 0 and "angka 1 sampai 2" in last_reply()
    choice = next(i for i, line in enumerate(question.splitlines()) if "Pilgub" in line)
    post_wa(client, wa_payload(str(choice)))
    post_wa(client, wa_payload(name="whatsapp_image"))
    assert ChatMedia.objects.get().election == governor


def test_no_assignment_no_chasil_and_reports_still_work(client, people):
    linked_wa(client, people)
    post_wa(client, wa_payload("HASIL"))
    assert "belum ditugaskan" in last_reply() and Conversation.objects.count() == 0
    made = election(people)
    TpsAssignment.objects.create(election=made, user=people["relawan"], kode_tps=TPS)
    people["relawan"].memberships.update(active=False)  # an assignment outlives the membership; the right does not
    post_wa(client, wa_payload("HASIL"))
    assert "belum ditugaskan" in last_reply()
    people["relawan"].memberships.update(active=True)
    post_wa(client, wa_payload("LAPOR"))  # an incident report is unaffected
    assert "Balas dengan angka" in last_reply()


def test_an_unlinked_number_cannot_send_chasil(client, people):
    made = election(people)
    TpsAssignment.objects.create(election=made, user=people["relawan"], kode_tps=TPS)
    post_wa(client, wa_payload("HASIL"))
    assert "belum terhubung" in last_reply() and ChatMedia.objects.count() == 0
