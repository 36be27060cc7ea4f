"""Incident reports (issue 20): capture from the phone's queue, scoping, verification, the 7-day clock, Model A.1
and the evidence ZIP, the public page."""

import hashlib
import io
import json
import logging
import uuid
import zipfile
from datetime import timedelta

import pdfplumber
import pytest
from django.utils import timezone

from kawal.web.actionlog.models import ActionLog
from kawal.web.incidents import export, service
from kawal.web.incidents.media import open_media, save_media
from kawal.web.incidents.models import Confirmation, Evidence, Media, Report, StatusChange, Witness
from kawal.web.photos.models import Photo
from tests.photos.images import phone_jpeg
from tests.web.incidents_support import (
    KETAPANG,
    MP4,
    REPORTER_NIK,
    SUKARASA,
    WITNESS,
    WITNESS_ADDRESS,
    bearer,
    make_people,
    photo_of,
    report_by,
    upload_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return make_people()


def form_payload(**extra):
    """What field.js sends for the phone form: every filled field as a string, plus client id, time and photos."""
    body = {
        "client_id": str(uuid.uuid4()),
        "recorded_at": timezone.now().isoformat(),
        "category": "intimidasi",
        "kode_kelurahan": KETAPANG,
        "tps": "4",
        "incident_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "description": "Dua orang mengancam warga yang antre di TPS 4 agar memilih paslon tertentu.",
        "reported_party": "Dua orang berkaus hitam",
        "saksi_1_nama": WITNESS,
        "saksi_1_alamat": WITNESS_ADDRESS,
        "latitude": "-6.1781",
        "longitude": "106.6319",
        "photos": [],
    }
    body.update(extra)
    return body


def post_report(client, user, body, headers=None):
    return client.post(
        "/api/v1/incidents/reports", data=json.dumps(body), content_type="application/json", **(headers or bearer(user))
    )


# --- capture -----------------------------------------------------------------------------------------------------


def test_the_same_report_sent_three_times_is_one_record(client, people):
    headers, body = bearer(people["relawan"]), form_payload()
    answers = [post_report(client, people["relawan"], body, headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.json()["id"] for a in answers}) == 1
    receipt = answers[0].json()
    assert receipt["number"].startswith("L-") and receipt["days_left"] == 7 and receipt["status"] == "diterima"
    report = Report.unscoped.get()
    assert (report.tps, report.category, report.organisation) == (4, "intimidasi", people["ormas"])
    assert Witness.objects.count() == 1 and StatusChange.objects.filter(report=report).count() == 1


def test_a_client_id_cannot_be_taken_over_by_someone_else(client, people):
    body = form_payload()
    assert post_report(client, people["relawan"], body).status_code == 201
    assert post_report(client, people["second"], body).status_code == 422


def test_identities_are_encrypted_at_rest(client, people):
    post_report(client, people["relawan"], form_payload(pelapor_nama="WARGA PELAPOR", pelapor_nik=REPORTER_NIK))
    report, witness = Report.unscoped.get(), Witness.objects.get()
    assert WITNESS not in witness.nama_encrypted and WITNESS_ADDRESS not in witness.alamat_encrypted
    assert REPORTER_NIK not in report.pelapor_nik_encrypted and "WARGA" not in report.pelapor_nama_encrypted
    assert service.reporter_identity(report)["nik"] == REPORTER_NIK
    assert service.witnesses(report)[0]["nama"] == WITNESS


def test_reporter_profile_fills_the_identity(client, people):
    client.force_login(people["relawan"])
    answer = client.post("/lapor/identitas/", {"nama": "BUDI RELAWAN", "nik": REPORTER_NIK, "alamat": "JL. A"})
    assert answer.status_code == 200 and b"data-saved-profile" in answer.content
    post_report(client, people["relawan"], form_payload())
    assert service.reporter_identity(Report.unscoped.get())["nama"] == "BUDI RELAWAN"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"kode_kelurahan": SUKARASA}, "kode_kelurahan"),  # not a kelurahan of this relawan
        ({"category": "bukan_kategori"}, "category"),
        ({"description": ""}, "description"),
        ({"incident_at": "2999-01-01T10:00"}, "masa depan"),
        ({"known_at": "2020-01-01T10:00"}, "sebelum"),
        ({"photos": [{"client_id": str(uuid.uuid4())}]}, "belum terkirim"),
        ({"pelapor_nik": "3671059999999999"}, "NIK"),
        ({"saksi_2_alamat": "tanpa nama"}, "saksi_2_nama"),
    ],
)
def test_bad_reports_are_refused_with_a_reason(client, people, change, message):
    answer = post_report(client, people["relawan"], form_payload(**change))
    assert answer.status_code == 422 and message in answer.json()["detail"]
    assert "3671059999999999" not in answer.json()["detail"]  # a NIK never travels back in an error
    assert Report.unscoped.count() == 0


def test_photo_and_recording_evidence_keep_their_sha256(client, people):
    headers = bearer(people["relawan"])
    photo_id, media_id = uuid.uuid4(), uuid.uuid4()
    jpeg = phone_jpeg()
    answer = client.post(
        "/api/v1/photos",
        data={"client_id": str(photo_id), "kind": "bukti", "file": upload_file(jpeg, "IMG.jpg")},
        **headers,
    )
    assert answer.status_code == 201
    for expected in (201, 200):  # a retried upload is the same recording
        answer = client.post(
            "/api/v1/incidents/evidence",
            data={"client_id": str(media_id), "kind": "rekaman", "file": upload_file(MP4, "VID.mp4")},
            **headers,
        )
        assert answer.status_code == expected and answer.json()["kind"] == "video"
    media = Media.objects.get()
    with media.file.open("rb") as f:
        assert MP4[:64] not in f.read()  # kept encrypted
    assert open_media(media) == MP4
    body = form_payload(photos=[{"client_id": str(photo_id), "voter_id": None}, {"client_id": str(media_id)}])
    assert post_report(client, people["relawan"], body, headers).status_code == 201
    assert Evidence.objects.filter(report=Report.unscoped.get()).count() == 2


def test_a_file_that_is_no_recording_is_refused(client, people):
    answer = client.post(
        "/api/v1/incidents/evidence",
        data={"client_id": str(uuid.uuid4()), "file": upload_file(b"MZ\x90\x00 not a video", "x.mp4")},
        **bearer(people["relawan"]),
    )
    assert answer.status_code == 422 and Media.objects.count() == 0


def test_the_phone_form_has_labels_and_is_for_ormas_members(client, people):
    client.force_login(people["relawan"])
    page = client.get("/lapor/baru/").content.decode()
    assert 'data-endpoint="/api/v1/incidents/reports"' in page and "Politik uang" in page
    assert 'for="id_description"' in page and 'data-upload="/api/v1/incidents/evidence"' in page
    client.force_login(people["admin"])
    assert client.get("/lapor/baru/").status_code == 403


# --- scoping -----------------------------------------------------------------------------------------------------


def test_who_sees_a_report(client, people):
    report = report_by(people["relawan"])
    url = f"/lapor/{report.pk}/"
    for name in ("stranger", "other_coordinator", "elsewhere", "admin", "operator"):
        client.force_login(people[name])
        assert client.get(url).status_code == 404, name
        assert client.get(f"{url}model-a1.pdf").status_code == 404, name
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(people["second"])  # same Ormas and kelurahan: sees it to confirm, without identities
    page = client.get(url).content.decode()
    assert "amplop" in page and WITNESS not in page and REPORTER_NIK not in page
    assert client.get(f"{url}model-a1.pdf").status_code == 403
    client.force_login(people["coordinator"])
    page = client.get(url).content.decode()
    assert WITNESS in page and REPORTER_NIK in page
    assert ActionLog.objects.filter(action="incident.identity_viewed", object_id=str(report.pk)).exists()


def test_kpu_sees_a_report_only_once_forwarded_and_never_identities(client, people):
    report = report_by(people["relawan"], evidence=(photo_of(people["relawan"]),))
    service.confirm(report, people["second"], "saya juga melihat amplop dibagikan")
    service.confirm(report, people["coordinator"], "foto jelas")
    client.force_login(people["admin"])
    assert client.get(f"/lapor/{report.pk}/").status_code == 404
    assert report.pk not in [r["id"] for r in client.get("/api/v1/incidents/reports").json()]
    service.forward(Report.unscoped.get(pk=report.pk), people["coordinator"], timezone.now(), "Bawaslu Kota Tangerang")
    page = client.get(f"/lapor/{report.pk}/")
    assert page.status_code == 200 and WITNESS not in page.content.decode()
    assert client.get(f"/lapor/{report.pk}/bukti.zip").status_code == 403
    assert "data-report" in client.get("/lapor/kelola/").content.decode()


def test_relawan_cannot_act_as_coordinator(client, people):
    report = report_by(people["relawan"])
    client.force_login(people["second"])
    for path, data in (("status", {"status": "ditolak", "reason": "x"}), ("teruskan", {"office": "Bawaslu"})):
        assert client.post(f"/lapor/{report.pk}/{path}/", data).status_code == 403
    assert client.get("/lapor/kelola/").status_code == 403
    assert Report.unscoped.get().status == "diterima"


# --- verification -----------------------------------------------------------------------------------------------


def test_two_independent_confirmations_verify_a_report(client, people):
    report = report_by(people["relawan"])
    with pytest.raises(service.ReportError):
        service.confirm(report, people["relawan"], "saya sendiri")  # not independent
    with pytest.raises(service.ReportError):
        service.confirm(report, people["stranger"], "Ormas lain")
    client.force_login(people["second"])
    assert client.post(f"/lapor/{report.pk}/konfirmasi/", {"note": ""}).status_code == 400  # says what they saw
    assert client.post(f"/lapor/{report.pk}/konfirmasi/", {"note": "saya melihatnya"}).status_code == 302
    assert client.post(f"/lapor/{report.pk}/konfirmasi/", {"note": "lagi"}).status_code == 302  # once per person
    assert Confirmation.objects.count() == 1 and Report.unscoped.get().status == "diterima"
    with pytest.raises(service.ReportError, match="bukti"):  # a coordinator confirms from the evidence
        service.confirm(report, people["coordinator"], "tanpa bukti")
    Evidence.objects.create(report=report, photo=photo_of(people["relawan"]))
    service.confirm(report, people["coordinator"], "foto amplop jelas")
    report.refresh_from_db()
    assert report.status == "diverifikasi"
    assert list(report.history.values_list("new", flat=True)) == ["diterima", "diverifikasi"]
    logged = list(ActionLog.objects.filter(object_id=str(report.pk)).values_list("action", flat=True))
    assert logged.count("incident.confirmed") == 2 and "incident.status" in logged


def test_status_changes_need_reasons_and_are_logged(client, people):
    report = report_by(people["relawan"])
    client.force_login(people["coordinator"])
    assert client.post(f"/lapor/{report.pk}/status/", {"status": "ditolak", "reason": ""}).status_code == 400
    assert client.post(f"/lapor/{report.pk}/status/", {"status": "ditindaklanjuti", "reason": "x"}).status_code == 400
    reason = "Bukan pelanggaran pemilihan: sengketa warga"
    assert client.post(f"/lapor/{report.pk}/status/", {"status": "ditolak", "reason": reason}).status_code == 302
    report.refresh_from_db()
    assert report.status == "ditolak" and report.history.last().reason == reason
    entry = ActionLog.objects.filter(action="incident.status").latest("seq")
    assert entry.detail == {"old": "diterima", "new": "ditolak"} and entry.user == people["coordinator"]
    assert reason not in json.dumps(list(ActionLog.objects.values_list("detail", flat=True)))


def test_merging_a_duplicate_counts_its_reporter_as_a_confirmation(client, people):
    first = report_by(people["relawan"], evidence=(photo_of(people["relawan"]),))
    duplicate = report_by(people["second"], evidence=(photo_of(people["second"], (10, 200, 10)),))
    client.force_login(people["coordinator"])
    answer = client.post(f"/lapor/{duplicate.pk}/gabung/", {"into": first.pk, "reason": "kejadian yang sama"})
    assert answer.status_code == 302
    duplicate.refresh_from_db()
    first.refresh_from_db()
    assert duplicate.status == "digabung" and duplicate.merged_into == first
    assert first.evidence.count() == 2 and first.witnesses.count() == 2
    assert list(first.confirmations.values_list("kind", flat=True)) == ["laporan_ganda"]
    service.confirm(first, people["coordinator"], "dua foto cocok")
    first.refresh_from_db()
    assert first.status == "diverifikasi"


# --- the 7-day clock ---------------------------------------------------------------------------------------------


def test_the_seven_day_clock_and_the_reports_about_to_expire(client, people):
    fresh = report_by(people["relawan"], known_days_ago=1)
    soon = report_by(people["relawan"], known_days_ago=6)
    late = report_by(people["relawan"], known_days_ago=9)
    assert (fresh.days_left, soon.days_left, late.days_left) == (6, 1, -2)
    assert soon.deadline == timezone.localtime(soon.known_at).date() + timedelta(days=7)
    assert [r.pk for r in service.expiring(Report.unscoped.all())] == [late.pk, soon.pk]
    client.force_login(people["coordinator"])
    page = client.get("/lapor/kelola/").content.decode()
    assert f'data-expiring="{soon.pk}"' in page and f'data-expiring="{late.pk}"' in page
    assert f'data-expiring="{fresh.pk}"' not in page
    assert 'data-days-left="1"' in client.get(f"/lapor/{soon.pk}/").content.decode()


# --- forwarding --------------------------------------------------------------------------------------------------


def verified_report(people):
    jpeg = photo_of(people["relawan"])
    media, _ = save_media(str(uuid.uuid4()), MP4, people["relawan"])
    report = report_by(
        people["relawan"],
        evidence=(jpeg, media),
        description='Amplop <b>berisi</b> uang & stiker "paslon"; </para><font size=40>X</font>',
    )
    service.confirm(report, people["second"], "saya juga melihat")
    service.confirm(report, people["coordinator"], "foto dan video jelas")
    report.refresh_from_db()
    assert report.status == "diverifikasi"
    return report


def test_forward_then_register_stops_the_clock(client, people):
    report = report_by(people["relawan"])
    with pytest.raises(service.ReportError, match="terverifikasi"):
        service.forward(report, people["coordinator"], timezone.now(), "Bawaslu Kota Tangerang")
    report = verified_report(people)
    client.force_login(people["coordinator"])
    sent = timezone.localtime() - timedelta(hours=2)
    answer = client.post(
        f"/lapor/{report.pk}/teruskan/",
        {"office": "Bawaslu Kota Tangerang", "sent_at": sent.strftime("%Y-%m-%dT%H:%M")},
    )
    assert answer.status_code == 302
    report.refresh_from_db()
    assert report.status == "diteruskan" and report.days_left is None
    assert abs(report.forwarded_at - sent) < timedelta(minutes=1)
    client.post(f"/lapor/{report.pk}/registrasi/", {"number": "001/LP/PW/Kota/11.03/XI/2024"})
    report.refresh_from_db()
    assert report.status == "diregistrasi" and report.register_number == "001/LP/PW/Kota/11.03/XI/2024"
    client.post(f"/lapor/{report.pk}/status/", {"status": "ditindaklanjuti"})
    assert Report.unscoped.get(pk=report.pk).status == "ditindaklanjuti"
    actions = set(ActionLog.objects.filter(object_id=str(report.pk)).values_list("action", flat=True))
    assert {"incident.created", "incident.confirmed", "incident.status"} <= actions


def test_model_a1_is_filled_and_user_text_is_escaped(client, people):
    report = verified_report(people)
    client.force_login(people["coordinator"])
    answer = client.get(f"/lapor/{report.pk}/model-a1.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(answer.content)) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    for expected in ("FORMULIR MODEL A.1", "RELAWAN PELAPOR", REPORTER_NIK, WITNESS, "TPS 003", "Kel. Ketapang"):
        assert expected in text
    assert "</para><font size=40>X</font>" in text.replace("\n", " ")  # shown as written, not read as markup
    assert Photo.objects.get().sha256 in text.replace("\n", "")
    assert ActionLog.objects.filter(action="incident.exported", detail__kind="pdf").exists()


def test_evidence_zip_manifest_verifies(client, people):
    report = verified_report(people)
    client.force_login(people["coordinator"])
    answer = client.get(f"/lapor/{report.pk}/bukti.zip")
    assert answer.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    manifest = json.loads(archive.read("manifest.json"))
    names = [entry["file"] for entry in manifest["files"]]
    assert names[0] == f"model-a1-{report.number}.pdf" and len(names) == 3
    photo, media = Photo.objects.get(), Media.objects.get()
    assert {photo.sha256, media.sha256} <= {entry["sha256"] for entry in manifest["files"]}
    for entry in manifest["files"]:
        content = archive.read(entry["file"])
        assert len(content) == entry["size"]
        assert hashlib.sha256(content).hexdigest() == entry["sha256"]
    lines = archive.read("manifest.txt").decode().splitlines()
    assert lines == [f"{e['sha256']}  {e['file']}" for e in manifest["files"]]  # sha256sum -c form
    assert archive.read(next(n for n in names if "video" in n)) == MP4  # the recording as sent, decrypted
    assert export.verify_zip(answer.content) == []
    tampered = io.BytesIO()
    with zipfile.ZipFile(tampered, "w") as out:
        for item in archive.infolist():
            data = archive.read(item.filename)
            out.writestr(item.filename, data + b"x" if "foto" in item.filename else data)
    assert len(export.verify_zip(tampered.getvalue())) == 1


def test_no_identity_in_logs(client, people, caplog):
    caplog.set_level(logging.DEBUG)
    report = verified_report(people)
    client.force_login(people["coordinator"])
    client.get(f"/lapor/{report.pk}/")
    client.get(f"/lapor/{report.pk}/bukti.zip")
    client.post(f"/lapor/{report.pk}/status/", {"status": "ditolak", "reason": f"{WITNESS} menarik kesaksian"})
    logged = json.dumps(list(ActionLog.objects.values_list("detail", flat=True))) + caplog.text
    for secret in (WITNESS, WITNESS_ADDRESS, REPORTER_NIK, "RELAWAN PELAPOR", "081234567890"):
        assert secret not in logged


# --- public ------------------------------------------------------------------------------------------------------


def test_public_page_counts_only_verified_incidents_without_names_or_places(
    client, people, django_assert_max_num_queries
):
    verified_report(people)
    report_by(people["relawan"], category="intimidasi")  # not verified: not shown
    with django_assert_max_num_queries(4):
        page = client.get("/publik/pelanggaran/").content.decode()
    assert 'data-kecamatan="367105"' in page and "Cipondoh" in page
    assert "<b data-total>1</b>" in page and "Intimidasi" not in page
    for private in ("Ketapang", "amplop", "Amplop", WITNESS, "TPS 3", "TPS 003", "paslon 9", "-6.17"):
        assert private not in page


def test_the_pages_speak_english_when_asked(client, people):
    client.force_login(people["relawan"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/lapor/baru/").content.decode()
    assert "Report a violation" in page and "Money politics" in page and "Laporkan pelanggaran" not in page
