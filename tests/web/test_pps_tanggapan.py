"""Issue 17: a tanggapan the PPS can act on (a new voter's full record, corrected numbers masked for all but KPU,
KPU's form one line per person, the response period from the DPS posting) and consented document photos."""

import csv
import io
import uuid
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from PIL import Image

from kawal.engine.elections import PILKADA_2024
from kawal.engine.new_voter import NewVoterData, problems
from kawal.web import retention
from kawal.web.accounts.models import Organisation
from kawal.web.field.models import IdentityDocument, NewVoter, TanggapanItem, VoterCheck
from kawal.web.field.review import review
from kawal.web.field.tanggapan import compile_tanggapan
from kawal.web.field.visits import CheckIn, VisitError, VisitIn, record_visit
from kawal.web.participation.models import Election
from kawal.web.voters.models import Voter
from tests.web.conftest import KETAPANG, ketapang_task, login

pytestmark = pytest.mark.django_db
WHEN = datetime(2024, 8, 20, 9, 0, tzinfo=UTC)
NIK, NKK = "3671054505060001", "3671051234560001"
CORRECT_NIK = "3671051702900003"
PERSON = {
    "nkk": NKK,
    "nik": NIK,
    "nama": "SITI AMINAH",
    "tempat_lahir": "TANGERANG",
    "tanggal_lahir": "2006-05-05",
    "jenis_kelamin": "P",
    "status_kawin": "B",
    "alamat": "JL. MAWAR NO. 3",
    "rt": "1",
    "rw": "1",
    "disabilitas": ["6"],
    "ktp_el": "S",
}


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 40), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def consented(photo: bytes) -> dict:
    file = io.BytesIO(photo)
    file.name = "ktp.jpg"
    return {
        **PERSON,
        "document": file,
        "document_kind": "ktp_el",
        "consent": "on",
        "consent_giver": "sendiri",
        "consent_name": "SITI AMINAH",
        "consent_method": "lisan",
    }


@pytest.fixture
def visit(loaded):
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    listed = list(Voter.unscoped.filter(**KETAPANG)[:1])
    task = ketapang_task(loaded, "h-baru", listed, relawan)
    data = VisitIn(
        client_id=str(uuid.uuid4()),
        recorded_at=WHEN,
        pantarlih_visited="ya",
        sticker="ya",
        checks=(CheckIn(voter_id=listed[0].pk, outcome="ubah", field="nik", value=CORRECT_NIK),),
    )
    made, _ = record_visit(task, relawan, data)
    return made


# --- engine ---------------------------------------------------------------------------------------------------


def test_the_response_period_is_ten_days_from_the_dps_posting():
    assert PILKADA_2024.response_period() == (date(2024, 8, 18), date(2024, 8, 27))


def test_a_new_voter_is_checked_field_by_field():
    good = NewVoterData(
        nama="A", nik=NIK, nkk=NKK, tempat_lahir="X", tanggal_lahir=date(2006, 5, 5), jenis_kelamin="P",
        status_kawin="B", alamat="JL", rt=1, rw=1, ktp_el="S",
    )  # fmt: skip
    assert problems(good) == []
    young = NewVoterData(**{**good.__dict__, "tanggal_lahir": date(2008, 1, 1)})
    assert [f for f, _ in problems(young)] == ["tanggal_lahir"]
    assert problems(NewVoterData(**{**young.__dict__, "status_kawin": "S"})) == []  # married: may vote
    bad = NewVoterData(**{**good.__dict__, "nik": "3671050000000000", "nkk": "12", "jenis_kelamin": "W"})
    found = dict(problems(bad))
    assert set(found) == {"nik", "nkk", "jenis_kelamin"} and NIK not in str(found)
    assert {f for f, _ in problems(NewVoterData(nama="A"))} >= {"nik", "nkk", "tanggal_lahir", "rt", "rw"}


# --- the new voter's page, stored encrypted --------------------------------------------------------------------


def test_relawan_records_a_full_new_voter_with_a_consented_document(client, visit):
    login(client, "relawan.ketapang")
    photo = jpeg()
    answer = client.post(reverse("new_voter", args=[visit.task_id]), consented(photo))
    assert answer.status_code == 302 and "tersimpan=1" in answer["Location"]
    person = NewVoter.objects.get()
    assert person.complete and person.nik_masked == "367105**********" and person.nkk_masked.endswith("*")
    stored = " ".join(str(v) for v in NewVoter.objects.values().get().values())
    assert NIK not in stored and NKK not in stored and "JL. MAWAR" not in stored and "TANGERANG" not in stored
    assert person.personal["alamat"] == "JL. MAWAR NO. 3" and person.personal["disabilitas"] == [6]
    document = IdentityDocument.objects.get()
    with document.file.open("rb") as f:
        at_rest = f.read()
    assert photo not in at_rest and not at_rest.startswith(b"\xff\xd8")  # encrypted, not a JPEG on disk
    assert (document.consent_giver, document.consent_method) == ("sendiri", "lisan") and document.consent_at
    assert "SITI" not in document.consent_name_encrypted


def test_no_consent_no_document_and_bad_data_named_by_field(client, visit):
    login(client, "relawan.ketapang")
    url = reverse("new_voter", args=[visit.task_id])
    no_consent = {**consented(jpeg()), "consent": ""}
    page = client.post(url, no_consent)
    assert page.status_code == 200 and "persetujuan" in page.content.decode()
    assert not NewVoter.objects.exists() and not IdentityDocument.objects.exists()
    page = client.post(url, {**PERSON, "tanggal_lahir": "2010-01-01"})
    assert "Tanggal lahir" in page.content.decode() and not NewVoter.objects.exists()
    page = client.post(url, {**PERSON, "nik": "9999990101900001"})
    text = page.content.decode()
    assert "NIK tidak sah" in text and text.count("9999990101900001") == 1  # in the input kept, not the message


def test_an_old_client_still_sends_a_short_record_marked_incomplete(visit):
    from kawal.web.field.visits import NewVoterIn

    task, relawan = visit.task, visit.relawan
    data = VisitIn(
        client_id=str(uuid.uuid4()),
        recorded_at=WHEN,
        pantarlih_visited="ya",
        sticker="ya",
        new_voters=(NewVoterIn(nama="BUDI"),),
    )
    record_visit(task, relawan, data)
    assert not NewVoter.objects.get(nama="BUDI").complete
    with pytest.raises(VisitError, match="nkk"):
        record_visit(task, relawan, VisitIn(**{**data.__dict__, "client_id": str(uuid.uuid4()),
                     "new_voters": (NewVoterIn(nama="X", nkk="12"),)}))  # fmt: skip


# --- the tanggapan: masked for all but KPU, one line per person -------------------------------------------------


def _compiled(client, visit):
    login(client, "relawan.ketapang")
    client.post(reverse("new_voter", args=[visit.task_id]), consented(jpeg()))
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    review(visit, coordinator, "approved")
    return compile_tanggapan(visit.task.voter_list, "3671051007", coordinator)


def test_corrected_nik_is_masked_for_everyone_but_kpu(client, visit):
    check = VoterCheck.objects.get()
    assert check.value == "367105**********" and CORRECT_NIK not in check.value
    made = _compiled(client, visit)
    login(client, "koordinator.cipondoh")
    page = client.get(reverse("tanggapan_detail", args=[made.pk])).content.decode()
    assert CORRECT_NIK not in page and NIK not in page and NKK not in page and "**-**-2006" in page
    login(client, "admin.kpu")
    page = client.get(reverse("tanggapan_detail", args=[made.pk])).content.decode()
    assert CORRECT_NIK in page and NIK in page and NKK in page and "05-05-2006" in page


def test_exports_are_kpus_form_one_line_per_person(client, visit):
    made = _compiled(client, visit)
    login(client, "admin.kpu")
    body = client.get(reverse("tanggapan_export", args=[made.pk, "csv"])).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))
    header, people = lines[2], lines[3:]
    assert header[:4] == ["No", "NKK", "NIK", "Nama"] and "KTP-el (S/B)" in header
    assert len(people) == 2  # the listed voter with the correction, and the new voter
    new = next(p for p in people if p[3] == "SITI AMINAH")
    assert new[1:3] == [NKK, NIK] and new[5] == "05-05-2006" and new[6:8] == ["P", "B"] and new[11] == "6"
    assert new[12] == "S" and new[14] == "Pemilih yang memenuhi syarat belum terdaftar"
    login(client, "koordinator.cipondoh")
    body = client.get(reverse("tanggapan_export", args=[made.pk, "csv"])).content.decode("utf-8-sig")
    assert NIK not in body and NKK not in body and CORRECT_NIK not in body and "SITI AMINAH" in body
    pdf = client.get(reverse("tanggapan_export", args=[made.pk, "pdf"])).content
    assert pdf.startswith(b"%PDF") and b"SITI AMINAH" in pdf and NIK.encode() not in pdf
    assert client.get(reverse("tanggapan_export", args=[made.pk, "exe"])).status_code == 404


def test_the_default_deadline_is_ten_days_from_the_elections_dps_posting(client, loaded):
    office = Organisation.objects.get(kind="kpu")
    election = Election.objects.create(organisation=office, name="Walikota 2024", pemilihan="walikota",
                                       held_on=date(2024, 11, 27))  # fmt: skip
    assert election.dps_posted_on == date(2024, 8, 18)
    login(client, "koordinator.cipondoh")
    page = client.get(reverse("tanggapan_list")).content.decode()
    assert 'value="2024-08-27"' in page
    election.dps_posted_on = date(2029, 3, 1)
    election.save()
    assert 'value="2029-03-10"' in client.get(reverse("tanggapan_list")).content.decode()


# --- the document: KPU only, only once sent, erased by retention ------------------------------------------------


def test_document_is_for_kpu_only_once_the_item_is_sent(client, visit):
    made = _compiled(client, visit)
    document = IdentityDocument.objects.get()
    url = reverse("identity_document", args=[document.pk])
    login(client, "admin.kpu")
    assert client.get(url).status_code == 404  # still a draft of the Ormas
    item = made.items.get(category=TanggapanItem.Category.NOT_REGISTERED)
    login(client, "koordinator.cipondoh")
    client.post(reverse("tanggapan_detail", args=[made.pk]), {"item": item.pk, "status": "sent"})
    assert client.get(url).status_code == 404  # the coordinator never sees it
    login(client, "relawan.ketapang")
    assert client.get(url).status_code == 404  # nor the relawan who took it
    login(client, "admin.kpu")
    shown = client.get(url)
    assert shown.status_code == 200 and shown.content.startswith(b"\xff\xd8") and shown["Cache-Control"] == "no-store"
    page = client.get(reverse("tanggapan_detail", args=[made.pk])).content.decode()
    assert url in page and "lisan" in page


def test_retention_erases_the_document_and_the_consent_name(client, visit, settings):
    _compiled(client, visit)
    document = IdentityDocument.objects.get()
    name = document.file.name
    found = retention.plan(days=-1)
    assert found.documents == 1
    retention.apply(days=-1)
    document.refresh_from_db()
    assert document.erased_at and not document.file and document.consent_name_encrypted == ""
    assert not IdentityDocument.file.field.storage.exists(name)
    person = NewVoter.objects.get()
    assert person.nik_encrypted == "" and person.personal_encrypted == "" and person.nkk_hash == ""
