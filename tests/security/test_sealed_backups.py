"""Issue 16, personal data at rest: backups were plain tars (whatever kawal.env.example said), so a copied backup
gave every NIK. With KAWAL_BACKUP_KEY (required in production) the tar is sealed with AES-256-GCM in chunks; a
wrong key, an altered, reordered or cut file is refused, and a round trip through `kawal backup`/`kawal
restore` gives the site back."""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import tarfile

import pytest

from kawal.i18n import KawalError
from kawal.web import backup
from tests.web.test_backup import CHECK, run
from tests.web.test_backup import backup as plain_backup  # noqa: F401  (a fixture: a site and its plain backup)

NIK = b"3671051708900003"


def _tar(path, size: int) -> None:
    """A kawal backup in form: a manifest and one member of ``size`` bytes naming a NIK."""
    body = NIK + secrets.token_bytes(size)
    files = {"db/x": {"sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)}}
    manifest = {"format": backup.FORMAT, "files": files}
    with tarfile.open(path, "w") as tar:
        for name, data in (("manifest.json", json.dumps(manifest).encode()), ("db/x", body)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.fixture
def key(settings) -> str:
    settings.BACKUP_KEY = secrets.token_hex(32)  # KAWAL_BACKUP_KEY, read once at start (config.py)
    return settings.BACKUP_KEY


@pytest.fixture
def sealed(tmp_path, key):
    plain, out = tmp_path / "plain.tar", tmp_path / "sealed.tar"
    _tar(plain, 3 * backup.CHUNK)  # several chunks
    backup.seal(plain, out, bytes.fromhex(key))
    return out


def test_a_sealed_backup_holds_no_plain_text_and_verifies_with_its_key(sealed):
    assert NIK not in sealed.read_bytes() and b"manifest.json" not in sealed.read_bytes()
    assert backup.is_sealed(sealed)
    assert backup.verify(sealed)["format"] == backup.FORMAT


def test_without_or_with_another_key_it_is_refused(sealed, settings):
    settings.BACKUP_KEY = ""
    with pytest.raises(KawalError, match="KAWAL_BACKUP_KEY"):
        backup.verify(sealed)
    settings.BACKUP_KEY = secrets.token_hex(32)
    with pytest.raises(KawalError):
        backup.verify(sealed)


def _chunks(sealed) -> tuple[bytes, list[bytes]]:
    data = sealed.read_bytes()
    header, rest, boxes = data[:20], data[20:], []
    while rest:
        size = int.from_bytes(rest[:4], "big")
        boxes.append(rest[: 4 + size])
        rest = rest[4 + size :]
    return header, boxes


@pytest.mark.parametrize("damage", ["cut", "swap", "flip"])
def test_a_cut_reordered_or_altered_backup_is_refused(sealed, damage):
    header, boxes = _chunks(sealed)
    assert len(boxes) >= 4
    if damage == "cut":  # at a chunk boundary: every chunk left is intact, only the end is missing
        boxes = boxes[:-1]
    elif damage == "swap":
        boxes[1], boxes[2] = boxes[2], boxes[1]
    else:
        boxes[1] = boxes[1][:-1] + bytes([boxes[1][-1] ^ 1])
    sealed.write_bytes(header + b"".join(boxes))
    with pytest.raises(KawalError, match=r"rusak|damaged"):
        backup.verify(sealed)


@pytest.mark.parametrize("text", ["change-me", "00" * 32, "ab" * 16])
def test_placeholder_and_malformed_keys_are_refused(settings, text):
    settings.BACKUP_KEY = text
    with pytest.raises(KawalError, match="KAWAL_BACKUP_KEY"):
        backup.backup_key()


def test_production_refuses_a_plain_backup(settings, tmp_path):
    settings.BACKUP_KEY, settings.PRODUCTION = "", True
    with pytest.raises(KawalError, match="KAWAL_BACKUP_KEY"):
        backup.backup(tmp_path / "kawal.tar")
    assert not list(tmp_path.iterdir())


def test_kawal_backup_and_restore_round_trip_sealed(plain_backup, tmp_path, monkeypatch):  # noqa: F811
    _root, first, _plain_archive = plain_backup
    archive = tmp_path / "kawal.tar"
    monkeypatch.setenv("KAWAL_BACKUP_KEY", secrets.token_hex(32))  # the commands run in processes of their own
    run(first, "backup", "--out", str(archive))  # the key comes from the environment, as in production
    assert backup.is_sealed(archive) and b"manifest.json" not in archive.read_bytes()  # a plain tar names it
    restored = run(tmp_path / "two", "restore", str(archive))
    assert "Dipulihkan" in restored.stdout
    assert run(tmp_path / "two", code=CHECK).stdout.strip() == "ok"
    monkeypatch.delenv("KAWAL_BACKUP_KEY")
    refused = run(tmp_path / "three", "restore", str(archive), check=False)
    assert refused.returncode == 1 and "KAWAL_BACKUP_KEY" in refused.stderr
