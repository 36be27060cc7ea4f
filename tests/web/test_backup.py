"""kawal backup / kawal restore round-trip the database, the snapshots and the photos (run as a user would)."""

import os
import subprocess
import sys
import tarfile

import pytest

from kawal.synth.generator import generate

SETUP = """
import os, uuid, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.web.settings")
django.setup()
from django.contrib.auth import get_user_model
from kawal.web.actionlog.models import record
from kawal.web.photos.store import save_photo
from tests.photos.images import phone_jpeg
user = get_user_model().objects.create_user("saksi.cadangan", password="x")
photo, _ = save_photo(str(uuid.uuid4()), "stiker", phone_jpeg(), user)
record("test.backup", user=user)
print(photo.original.name)
"""
CHECK = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.web.settings")
django.setup()
from django.contrib.auth import get_user_model
from kawal.web.actionlog.models import verify
from kawal.web.photos.models import Photo
from tests.photos.images import phone_jpeg
assert get_user_model().objects.filter(username="saksi.cadangan").exists()
assert Photo.objects.get().original.read() == phone_jpeg()
checked, problems = verify()
assert checked >= 1 and not problems, problems
print("ok")
"""


def run(data, *args, code=None, check=True):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env["KAWAL_DATA_DIR"] = str(data)
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "kawal", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=check, cwd=os.getcwd())


@pytest.fixture(scope="module")
def backup(tmp_path_factory):
    root = tmp_path_factory.mktemp("backup")
    city = root / "city"
    generate(1500, seed=4, out=city)
    first = root / "one"
    run(first, "manage", "migrate", "--no-input", "-v", "0")
    run(first, code=SETUP)
    run(first, "import", str(city / "dpt.csv"), "--stage", "DPT", "--wilayah", "3671", "--data", str(first))
    archive = root / "kawal.tar"
    run(first, "backup", "--out", str(archive))
    return root, first, archive


def test_backup_and_restore_round_trip(backup):
    root, first, archive = backup
    second = root / "two"
    restored = run(second, "restore", str(archive))
    assert "Dipulihkan" in restored.stdout
    assert run(second, code=CHECK).stdout.strip() == "ok"
    before = sorted(p.relative_to(first).as_posix() for p in (first / "snapshots").rglob("*") if p.is_file())
    after = sorted(p.relative_to(second).as_posix() for p in (second / "snapshots").rglob("*") if p.is_file())
    assert before == after and all((second / p).read_bytes() == (first / p).read_bytes() for p in after)
    assert oct((second / after[0]).stat().st_mode & 0o777) == "0o400"
    assert run(second, "log", "verify").returncode == 0


def test_restore_refuses_to_overwrite_without_force(backup):
    _root, first, archive = backup
    refused = run(first, "restore", str(archive), check=False)
    assert refused.returncode == 1 and "--force" in refused.stderr


def test_a_damaged_backup_is_named_and_nothing_is_restored(backup, tmp_path):
    _root, _first, archive = backup
    damaged = tmp_path / "rusak.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            body = source.extractfile(member).read() if member.isfile() else None
            if member.name.startswith("snapshots/") and member.name.endswith(".parquet"):
                body = body[:-1] + bytes([body[-1] ^ 1])
            target.addfile(member, __import__("io").BytesIO(body) if body is not None else None)
    answer = run(tmp_path / "three", "restore", str(damaged), check=False)
    assert answer.returncode == 1 and "rusak" in answer.stderr
    assert not (tmp_path / "three" / "snapshots").exists()
