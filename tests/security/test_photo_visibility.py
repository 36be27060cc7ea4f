"""Issue 16: relawan saw each other's photos in their area. A visit's photos are evidence for the relawan who took
them and for the coordinators and KPU staff who review the area; a neighbour relawan gets the same 404 as for a
photo that does not exist."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model

from kawal.web.accounts.models import Membership, Role
from kawal.web.photos.models import Photo
from kawal.web.voters.models import Voter
from tests.photos.images import phone_jpeg
from tests.web.conftest import KETAPANG, city, ketapang_task, loaded, login  # noqa: F401  (fixtures)
from tests.web.test_photos import auth, upload, visit_with_photos

pytestmark = pytest.mark.django_db


def test_a_relawan_of_the_same_rt_cannot_see_anothers_photo(client, loaded, django_user_model):  # noqa: F811
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    task = ketapang_task(loaded, "rumah-foto", list(Voter.unscoped.filter(**KETAPANG)[:2]), relawan)
    sticker = uuid.uuid4()
    headers = auth()
    upload(client, headers, sticker, phone_jpeg())
    assert visit_with_photos(client, task, headers, [{"client_id": str(sticker)}]).status_code == 201
    photo = Photo.objects.get()
    neighbour = django_user_model.objects.create_user("relawan.tetangga", password="x")
    ormas = Membership.objects.get(user=relawan).organisation
    Membership.objects.create(user=neighbour, organisation=ormas, role=Role.RELAWAN, wilayah="3671051007", rw=1, rt=1)
    client.force_login(neighbour)
    assert client.get(f"/foto/{photo.pk}/").status_code == 404
    login(client, "koordinator.cipondoh")
    assert client.get(f"/foto/{photo.pk}/").status_code == 200
    client.force_login(relawan)
    assert client.get(f"/foto/{photo.pk}/").status_code == 200
