"""Photos in an S3-compatible bucket (moto's in-process S3): the original and the served copy land in the bucket,
private and encrypted at rest, nothing on the local disk, and viewers still get them through the app, checked and
logged, never by a URL of the bucket."""

import io
import os
import subprocess
import sys
import uuid

import boto3
import pytest
from django.conf import settings as django_settings
from moto import mock_aws
from PIL import Image

from kawal.web.actionlog.models import ActionLog
from kawal.web.photos.models import Photo
from tests.photos.images import phone_jpeg
from tests.web.conftest import login
from tests.web.test_photos import auth, task, upload, visit_with_photos  # noqa: F401 — task is a fixture

pytestmark = pytest.mark.django_db
BUCKET = "kawal-foto"
S3 = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {"bucket_name": BUCKET, "region_name": "ap-southeast-3", "access_key": "uji", "secret_key": "uji",
                "default_acl": "private", "file_overwrite": False,
                "object_parameters": {"ServerSideEncryption": "AES256"}},
}  # fmt: skip


@pytest.fixture
def bucket(settings):
    with mock_aws():
        s3 = boto3.client("s3", region_name="ap-southeast-3", aws_access_key_id="uji", aws_secret_access_key="uji")
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"})
        settings.STORAGES = {**settings.STORAGES, "photos": S3}
        yield s3


def _local_files() -> list[str]:
    root = django_settings.DATA_DIR / "photos"
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files] if root.exists() else []


def test_photos_live_in_the_bucket_and_are_served_through_the_app(client, task, bucket):  # noqa: F811
    before = _local_files()
    data, sticker = phone_jpeg(), uuid.uuid4()
    assert upload(client, auth(), sticker, data).status_code == 201
    visit_with_photos(client, task, auth(), [{"client_id": str(sticker)}])
    photo = Photo.objects.get()

    keys = sorted(o["Key"] for o in bucket.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert keys == sorted([photo.original.name, photo.served.name])
    original = bucket.get_object(Bucket=BUCKET, Key=photo.original.name)
    assert original["Body"].read() == data and original["ServerSideEncryption"] == "AES256"
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=photo.original.name)["Grants"]
    assert all("AllUsers" not in str(g["Grantee"]) for g in grants)  # private: no public read
    assert _local_files() == before

    login(client, "koordinator.cipondoh")
    shown = client.get(f"/foto/{photo.pk}/")
    body = b"".join(shown.streaming_content)
    assert shown.status_code == 200 and body == bucket.get_object(Bucket=BUCKET, Key=photo.served.name)["Body"].read()
    assert not Image.open(io.BytesIO(body)).getexif()
    assert "amazonaws" not in shown.get("Location", "") and shown.status_code != 302
    assert ActionLog.objects.filter(action="photo.viewed", object_id=str(photo.pk)).exists()


def test_the_bucket_is_configured_from_the_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAWAL_", "DJANGO_", "DATABASE_URL"))}
    env.update(KAWAL_DATA_DIR=str(tmp_path), KAWAL_PHOTO_BUCKET="foto-kpu", KAWAL_S3_ENDPOINT_URL="http://minio:9000",
               DJANGO_SETTINGS_MODULE="kawal.web.settings")  # fmt: skip
    code = (
        "import django; django.setup(); from kawal.web.photos.models import photo_storage; s = photo_storage(); "
        "print(s.__class__.__name__, s.bucket_name, s.endpoint_url)"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["S3Storage", "foto-kpu", "http://minio:9000"]
