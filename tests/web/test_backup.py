"""kawal backup / kawal restore round-trip the database, the snapshots and the photos (run as a user would).

The first tests run on SQLite whatever the suite runs on; under ``make test-pg`` (DATABASE_URL naming PostgreSQL)
the round trip runs again through pg_dump and pg_restore, into a second, empty database."""

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from urllib.parse import urlsplit, urlunsplit

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


def run(data, *args, code=None, check=True, database=None):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env["KAWAL_DATA_DIR"] = str(data)
    if database:
        env["DATABASE_URL"] = database
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


def _rewrite(archive, target, change):
    """A copy of ``archive`` whose members pass through ``change(name, body)`` (None: left out), plus any extra
    members it returns for the name ``None``."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for member in source.getmembers():
            body = source.extractfile(member).read() if member.isfile() else None
            if member.isfile():
                body = change(member.name, body)
                if body is None:
                    continue
                member.size = len(body)
            out.addfile(member, io.BytesIO(body) if body is not None else None)
        for name, body in (change(None, None) or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            out.addfile(info, io.BytesIO(body))
    return target


@pytest.mark.parametrize("how", ["extra", "missing"])
def test_a_backup_whose_files_differ_from_its_manifest_is_refused(backup, tmp_path, how):
    _root, _first, archive = backup
    with tarfile.open(archive) as tar:
        listed = json.loads(tar.extractfile("manifest.json").read())["files"]
    dropped = next(name for name in listed if name.startswith("snapshots/"))

    def change(name, body):
        if how == "extra":  # a file slipped in that the manifest does not list (every listed one is intact)
            return {"snapshots/tambahan.parquet": b"PAR1"} if name is None else body
        return None if name == dropped else body  # a listed file taken out

    odd = _rewrite(archive, tmp_path / f"{how}.tar", change)
    answer = run(tmp_path / "three", "restore", str(odd), check=False)
    assert answer.returncode == 1 and "tidak sesuai manifest" in answer.stderr, answer.stderr
    assert not (tmp_path / "three" / "snapshots").exists()
    assert run(tmp_path / "three", code=CHECK, check=False).returncode != 0  # no database restored either


def _postgres():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture
def two_databases():
    """Two new, empty PostgreSQL databases beside the test server's own, dropped afterwards."""
    import psycopg

    url = _postgres()
    if url is None:
        pytest.skip("the PostgreSQL path runs where DATABASE_URL names PostgreSQL (make test-pg, CI)")
    parts = urlsplit(url)
    names = [f"kawal_backup_{side}_{uuid.uuid4().hex[:8]}" for side in ("from", "to")]
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        for name in names:
            db.execute(f'CREATE DATABASE "{name}"')
    yield [urlunsplit(parts._replace(path=f"/{name}")) for name in names]
    with psycopg.connect(admin, autocommit=True) as db:
        for name in names:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgresql_backup_and_restore_round_trip(two_databases, tmp_path):
    source, target = two_databases
    city = tmp_path / "city"
    generate(1000, seed=5, out=city)
    first, second = tmp_path / "one", tmp_path / "two"
    run(first, "manage", "migrate", "--no-input", "-v", "0", database=source)
    run(first, code=SETUP, database=source)
    run(first, "import", str(city / "dpt.csv"), "--stage", "DPT", "--wilayah", "3671", "--data", str(first), database=source)  # fmt: skip
    archive = tmp_path / "kawal.tar"
    run(first, "backup", "--out", str(archive), database=source)
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        assert manifest["database"] == "postgresql" and "db/kawal.pgdump" in tar.getnames()
    restored = run(second, "restore", str(archive), database=target)
    assert "Dipulihkan" in restored.stdout
    assert run(second, code=CHECK, database=target).stdout.strip() == "ok"  # the user, the photo, the log
    assert run(second, "log", "verify", database=target).returncode == 0
    again = run(second, "restore", str(archive), database=target, check=False)  # the database now holds accounts
    assert again.returncode == 1 and "--force" in again.stderr
    elsewhere = run(tmp_path / "sqlite", "restore", str(archive), check=False)  # a SQLite site
    assert elsewhere.returncode == 1 and "postgresql" in elsewhere.stderr
