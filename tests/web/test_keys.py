"""Rotating the personal-data key: every encrypted column moves to the new key, hashes stay, nothing unreadable is
overwritten, an interrupted rotation can be run again, and a hash key that changed is noticed."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from kawal.engine import SnapshotStore, sealed_with, set_snapshot_keys, snapshot_key_id
from kawal.i18n import KawalError
from kawal.web import keys
from kawal.web.accounts.models import TotpDevice
from kawal.web.actionlog.models import ActionLog
from kawal.web.crypto import decrypt, encrypt, keyed_hash, snapshot_keys, under_current_key
from kawal.web.voters.models import Voter

OLD, NEW = secrets.token_hex(32), secrets.token_hex(32)


@pytest.fixture
def under_old_key(loaded, settings):
    """The test city loaded (and a TOTP secret stored) under OLD, then the keys changed as docs/security.md says."""
    clear = {
        (c.model, c.field.name): dict(
            c.model._base_manager.exclude(**{c.field.name: ""}).values_list("pk", c.field.name)
        )
        for c in keys.encrypted_columns()
    }
    clear = {column: {pk: decrypt(token) for pk, token in rows.items()} for column, rows in clear.items()}
    first = snapshot_keys()[0]
    settings.FIELD_KEY, settings.HASH_KEY = OLD, ""
    store = SnapshotStore(Path(settings.SNAPSHOT_ROOT))
    set_snapshot_keys(snapshot_keys()[0], first)  # the list's snapshot sealed under OLD too
    store.reseal()
    for (model, name), rows in clear.items():  # everything sealed again under OLD, NIK/NKK hashes made with OLD
        hashed = name in ("nik_encrypted", "nkk_encrypted")
        for pk, value in rows.items():
            hashes = {name.replace("_encrypted", "_hash"): keyed_hash(value)} if hashed else {}
            model._base_manager.filter(pk=pk).update(**{name: encrypt(value)}, **hashes)
    user = loaded.uploaded_by
    TotpDevice.objects.create(user=user, secret_encrypted=encrypt("JBSWY3DPEHPK3PXP"))
    settings.FIELD_KEY, settings.FIELD_KEY_OLD, settings.HASH_KEY = NEW, OLD, OLD
    yield loaded
    # The worker's other tests share its data folder and start with the process's key: seal the snapshots back.
    set_snapshot_keys(first, *snapshot_keys())
    store.reseal()
    set_snapshot_keys(first)


def test_rotation_moves_every_encrypted_column_and_keeps_the_hashes(under_old_key, settings):
    before = {v.pk: (decrypt(v.nik_encrypted), v.nik_hash) for v in Voter.unscoped.exclude(nik_encrypted="")}
    assert before and not any(under_current_key(v.nik_encrypted) for v in Voter.unscoped.exclude(nik_encrypted=""))

    columns = {c.label: c for c in keys.rotate()}

    assert columns["voters.voter.nik_encrypted"].rotated == len(before)
    assert columns["accounts.totpdevice.secret_encrypted"].rotated == 1
    assert all(c.unreadable == 0 for c in columns.values())
    settings.FIELD_KEY_OLD = ""  # the old key is gone: everything must read under the new one alone
    after = {v.pk: (decrypt(v.nik_encrypted), v.nik_hash) for v in Voter.unscoped.exclude(nik_encrypted="")}
    assert after == before
    assert decrypt(TotpDevice.objects.get().secret_encrypted) == "JBSWY3DPEHPK3PXP"
    checked, problems = keys.check()[1:]
    assert checked > 0 and problems == 0
    assert ActionLog.objects.filter(action="keys.rotated").exists()
    snapshot = SnapshotStore(Path(settings.SNAPSHOT_ROOT)).get(under_old_key.snapshot)
    assert sealed_with(snapshot.voters_path) == snapshot_key_id(snapshot_keys()[0])  # the snapshot moved to NEW
    assert keys.snapshot_files()["old"] == 0


def test_running_it_again_changes_nothing(under_old_key):
    keys.rotate()
    snapshot = dict(Voter.unscoped.values_list("pk", "nik_encrypted"))
    again = {c.label: c for c in keys.rotate()}
    assert again["voters.voter.nik_encrypted"].rotated == 0
    assert again["voters.voter.nik_encrypted"].current == len([v for v in snapshot.values() if v])
    assert dict(Voter.unscoped.values_list("pk", "nik_encrypted")) == snapshot


def test_a_value_under_neither_key_is_counted_and_left_alone(under_old_key, settings):
    stranger = Voter.unscoped.exclude(nik_encrypted="").first()
    settings.FIELD_KEY = secrets.token_hex(32)
    foreign = encrypt("3671010101900001")
    settings.FIELD_KEY = NEW
    Voter.unscoped.filter(pk=stranger.pk).update(nik_encrypted=foreign)

    columns = {c.label: c for c in keys.rotate()}

    assert columns["voters.voter.nik_encrypted"].unreadable == 1
    assert Voter.unscoped.get(pk=stranger.pk).nik_encrypted == foreign


def test_rotation_needs_the_old_key(loaded, settings):
    settings.FIELD_KEY_OLD = ""
    with pytest.raises(KawalError, match="KAWAL_FIELD_KEY_OLD"):
        keys.rotate()


def test_check_notices_a_changed_hash_key(loaded):
    with override_settings(HASH_KEY=secrets.token_hex(32)):
        checked, mismatched = keys.check()[1:]
    assert checked > 0 and mismatched == checked


def test_settings_refuse_an_old_key_without_a_pinned_hash_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAWAL_", "DJANGO_", "DATABASE_URL"))}
    env.update(KAWAL_DATA_DIR=str(tmp_path), KAWAL_FIELD_KEY=NEW, KAWAL_FIELD_KEY_OLD=OLD)
    done = subprocess.run(
        [sys.executable, "-m", "kawal", "manage", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0 and "KAWAL_HASH_KEY" in done.stderr


SEAL = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.web.settings")
django.setup()
from django.contrib.auth import get_user_model
from kawal.web.accounts.models import TotpDevice
from kawal.web.crypto import encrypt
user = get_user_model().objects.create_user("admin.kunci")
TotpDevice.objects.create(user=user, secret_encrypted=encrypt("JBSWY3DPEHPK3PXP"))
"""


def test_the_command_as_an_operator_runs_it(tmp_path):
    """docs/security.md's steps: pin the hash key, set old and new, rotate, drop the old key, check."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAWAL_", "DJANGO_", "DATABASE_URL"))}
    env.update(KAWAL_DATA_DIR=str(tmp_path), KAWAL_FIELD_KEY=OLD)

    def kawal(*args, **extra):
        command = [sys.executable, *args] if args[0] == "-c" else [sys.executable, "-m", "kawal", *args]
        return subprocess.run(command, env={**env, **extra}, capture_output=True, text=True, check=False)

    assert kawal("manage", "migrate", "--no-input", "-v", "0").returncode == 0
    assert kawal("-c", SEAL).returncode == 0
    rotated = kawal("keys", "rotate", KAWAL_HASH_KEY=OLD, KAWAL_FIELD_KEY=NEW, KAWAL_FIELD_KEY_OLD=OLD)
    assert rotated.returncode == 0, rotated.stdout + rotated.stderr
    assert "accounts.totpdevice.secret_encrypted: 1" in rotated.stdout
    checked = kawal("keys", "check", KAWAL_HASH_KEY=OLD, KAWAL_FIELD_KEY=NEW)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    stale = kawal("keys", "check", KAWAL_HASH_KEY=OLD, KAWAL_FIELD_KEY=secrets.token_hex(32))
    assert stale.returncode == 1  # a wrong key is reported, not silently accepted


def test_a_damaged_value_is_counted_not_a_crash(under_old_key):
    stranger = Voter.unscoped.exclude(nik_encrypted="").first()
    Voter.unscoped.filter(pk=stranger.pk).update(nik_encrypted="not-base64-!!")
    columns = {c.label: c for c in keys.rotate()}
    assert columns["voters.voter.nik_encrypted"].unreadable == 1
    assert Voter.unscoped.get(pk=stranger.pk).nik_encrypted == "not-base64-!!"
