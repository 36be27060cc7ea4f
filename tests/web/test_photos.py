import io
import json
import uuid

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from kawal.web.accounts.models import ApiToken
from kawal.web.actionlog.models import ActionLog
from kawal.web.field.models import VisitPhoto
from kawal.web.field.review import review
from kawal.web.field.tanggapan import compile_tanggapan
from kawal.web.photos.models import Photo
from kawal.web.voters.models import Voter
from tests.photos.images import phone_jpeg
from tests.web.conftest import KETAPANG, ketapang_task, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(loaded):
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    return ketapang_task(loaded, "rumah-foto", list(Voter.unscoped.filter(**KETAPANG)[:2]), relawan)


def auth(username="relawan.ketapang"):
    _token, key = ApiToken.issue(get_user_model().objects.get(username=username), "phone")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def upload(client, headers, client_id, data, kind="stiker", sha256=""):
    file = io.BytesIO(data)
    file.name = "IMG_0001.jpg"
    body = {"client_id": str(client_id), "kind": kind, "file": file, "sha256": sha256}
    return client.post("/api/v1/photos", data=body, **headers)


def visit_with_photos(client, task, headers, photos):
    voters = list(task.findings.values_list("voter_id", flat=True))
    body = {
        "client_id": str(uuid.uuid4()),
        "recorded_at": "2024-07-10T09:30:00+07:00",
        "pantarlih_visited": "ya",
        "sticker": "ya",
        "checks": [{"voter_id": voters[0], "outcome": "tms", "tms": 1, "note": "meninggal, kata tetangga"}],
        "photos": photos,
    }
    return client.post(
        f"/api/v1/tasks/{task.pk}/visits", data=json.dumps(body), content_type="application/json", **headers
    )


def test_the_same_photo_sent_three_times_is_stored_once(client, task):
    headers, client_id, data = auth(), uuid.uuid4(), phone_jpeg()
    answers = [upload(client, headers, client_id, data) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    photo = Photo.objects.get()
    assert answers[0].json()["sha256"] == photo.sha256 and photo.latitude is not None
    assert photo.original.read() == data  # the evidence, byte for byte


def test_a_photo_damaged_in_transit_is_refused(client, task):
    answer = upload(client, auth(), uuid.uuid4(), phone_jpeg(), sha256="0" * 64)
    assert answer.status_code == 422 and "SHA-256" in answer.json()["detail"]
    assert not Photo.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused_with_a_reason(client, task):
    answer = upload(client, auth(), uuid.uuid4(), b"MZ\x90\x00 an executable")
    assert answer.status_code == 422 and "bukan foto" in answer.json()["detail"]


def test_a_visit_links_its_photos_and_refuses_ones_not_yet_sent(client, task):
    headers = auth()
    voter = task.findings.first().voter_id
    sticker, evidence = uuid.uuid4(), uuid.uuid4()
    missing = visit_with_photos(client, task, headers, [{"client_id": str(sticker)}])
    assert missing.status_code == 422 and "belum terkirim" in missing.json()["detail"]
    upload(client, headers, sticker, phone_jpeg())
    upload(client, headers, evidence, phone_jpeg(colour=(0, 90, 0)), kind="bukti")
    made = visit_with_photos(
        client, task, headers, [{"client_id": str(sticker)}, {"client_id": str(evidence), "voter_id": voter}]
    )
    assert made.status_code == 201
    assert {(vp.photo.kind, vp.voter_id) for vp in VisitPhoto.objects.all()} == {("stiker", None), ("bukti", voter)}


def test_someone_elses_photo_cannot_be_attached(client, task, django_user_model):
    other = uuid.uuid4()
    upload(client, auth("koordinator.cipondoh"), other, phone_jpeg())
    answer = visit_with_photos(client, task, auth(), [{"client_id": str(other)}])
    assert answer.status_code == 422


def test_others_see_the_copy_without_exif_and_each_view_is_logged(client, task):
    headers = auth()
    sticker = uuid.uuid4()
    upload(client, headers, sticker, phone_jpeg())
    visit_with_photos(client, task, headers, [{"client_id": str(sticker)}])
    photo = Photo.objects.get()
    login(client, "koordinator.cipondoh")
    shown = client.get(f"/foto/{photo.pk}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(shown.streaming_content)))
    assert not image.getexif()
    assert ActionLog.objects.filter(action="photo.viewed", object_id=str(photo.pk)).count() == 1


def test_a_relawan_of_another_rt_cannot_see_the_photo(client, task, django_user_model):
    from kawal.web.accounts.models import Membership, Role

    ormas = Membership.objects.get(user__username="relawan.ketapang").organisation
    stranger = django_user_model.objects.create_user("relawan.lain", password="x")
    Membership.objects.create(user=stranger, organisation=ormas, role=Role.RELAWAN, wilayah="3671051007", rw=9, rt=9)
    headers, sticker = auth(), uuid.uuid4()
    upload(client, headers, sticker, phone_jpeg())
    visit_with_photos(client, task, headers, [{"client_id": str(sticker)}])
    client.force_login(stranger)
    assert client.get(f"/foto/{Photo.objects.get().pk}/").status_code == 404


def test_tanggapan_evidence_names_the_photos_by_hash(client, task, django_user_model):
    headers, sticker = auth(), uuid.uuid4()
    upload(client, headers, sticker, phone_jpeg())
    voter = task.findings.first().voter_id
    body = {
        "client_id": str(uuid.uuid4()),
        "recorded_at": "2024-07-10T09:30:00+07:00",
        "pantarlih_visited": "ya",
        "sticker": "ya",
        "checks": [{"voter_id": voter, "outcome": "ubah", "field": "alamat", "value": "JL. MAWAR 3"}],
        "photos": [{"client_id": str(sticker)}],
    }
    client.post(f"/api/v1/tasks/{task.pk}/visits", data=json.dumps(body), content_type="application/json", **headers)
    coordinator = django_user_model.objects.get(username="koordinator.cipondoh")
    visit = task.visits.get()
    review(visit, coordinator, "approved")
    made = compile_tanggapan(task.voter_list, task.kode_kelurahan, coordinator)
    item = made.items.get()
    assert f"kunjungan #{visit.pk}" in item.evidence and Photo.objects.get().sha256[:12] in item.evidence


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections, as a real one does
def test_the_served_copy_is_made_on_the_photo_queue(client, task, monkeypatch):
    """The upload answers before the photo is decoded; the photo worker makes the served copy from the queue."""
    from django.core.management import call_command

    from kawal.web.photos import tasks

    monkeypatch.setattr(tasks, "derive_served", tasks.derive_served.using(backend="queue"))
    headers, sticker = auth(), uuid.uuid4()
    assert upload(client, headers, sticker, phone_jpeg()).status_code == 201
    photo = Photo.objects.get()
    assert not photo.served and not photo.damaged  # not decoded while the phone waited
    call_command("db_worker", "--batch", "--backend", "queue", "--no-startup-delay", "--queue-name", "photos")
    photo.refresh_from_db()
    assert photo.served and not Image.open(photo.served.open("rb")).getexif()


def test_a_photo_viewed_before_the_queue_reached_it_is_derived_on_the_spot(client, task, monkeypatch):
    from kawal.web.photos import tasks

    monkeypatch.setattr(tasks, "derive_served", tasks.derive_served.using(backend="queue"))  # no worker runs
    headers, sticker = auth(), uuid.uuid4()
    upload(client, headers, sticker, phone_jpeg())
    visit_with_photos(client, task, headers, [{"client_id": str(sticker)}])
    login(client, "koordinator.cipondoh")
    shown = client.get(f"/foto/{Photo.objects.get().pk}/")
    assert shown.status_code == 200 and Image.open(io.BytesIO(b"".join(shown.streaming_content))).size == (640, 480)
    assert Photo.objects.get().served


def test_a_photo_whose_pixels_are_damaged_is_kept_marked_and_not_served(client, task):
    headers, sticker = auth(), uuid.uuid4()
    damaged = phone_jpeg(1200, 900)[:-4000]  # the header reads, the picture does not
    assert upload(client, headers, sticker, damaged).status_code == 201  # kept as sent: it is still evidence
    photo = Photo.objects.get()
    assert photo.damaged and not photo.served and photo.original.read() == damaged
    assert ActionLog.objects.filter(action="photo.damaged", object_id=str(photo.pk)).exists()
    visit_with_photos(client, task, headers, [{"client_id": str(sticker)}])
    login(client, "koordinator.cipondoh")
    shown = client.get(f"/foto/{photo.pk}/")
    assert shown.status_code == 410 and "rusak" in shown.content.decode()
