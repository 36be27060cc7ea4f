"""Secrets for development and the embedded mode, and field encryption for personal data.

In development a random secret is made once and kept in the data folder (mode 0600), so nothing secret is in
the code and restarts keep sessions. Production passes every secret in the environment (see settings).

NIK and NKK are stored encrypted (AES-256-GCM, the key from ``KAWAL_FIELD_KEY``) next to a keyed hash
(HMAC-SHA256 under a key derived from ``KAWAL_HASH_KEY``, or from the field key when that is not set) used to
match equal numbers without decrypting. The two are separate so the encryption key can be rotated without
touching the hashes, which households and findings refer to: ``kawal keys rotate`` (``web/keys.py``,
``docs/security.md``). During a rotation ``KAWAL_FIELD_KEY_OLD`` holds the previous key and values under
either key can be read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_VERSION = b"\x01"


def development_secret(data_dir: Path, name: str) -> str:
    """A random secret kept in ``data_dir/.secrets/name``, created on first use."""
    folder = data_dir / ".secrets"
    path = folder / name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


@cache
def _root(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


@cache
def _cipher(secret: str) -> AESGCM:
    """The AES-GCM cipher derived from a field key."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(hmac.new(_root(secret), b"kawal-encrypt", hashlib.sha256).digest())


@cache
def _hash_key(secret: str) -> bytes:
    return hmac.new(_root(secret), b"kawal-hash", hashlib.sha256).digest()


def _secret() -> str:
    from django.conf import settings

    return settings.FIELD_KEY


def _old_secret() -> str:
    from django.conf import settings

    return getattr(settings, "FIELD_KEY_OLD", "")


def _hash_secret() -> str:
    from django.conf import settings

    return getattr(settings, "HASH_KEY", "") or settings.FIELD_KEY


def encrypt(value: str | None) -> str:
    """AES-256-GCM ciphertext of ``value`` under the current key, as url-safe text ('' for empty)."""
    if not value:
        return ""
    nonce = os.urandom(12)
    sealed = _cipher(_secret()).encrypt(nonce, value.encode(), None)
    return base64.urlsafe_b64encode(KEY_VERSION + nonce + sealed).decode()


class Batch:
    """:func:`encrypt` and :func:`keyed_hash` for a batch of values, with the same output: the cipher and the hash
    key looked up once, one ``os.urandom`` call for all the batch's nonces, and a value repeated in the batch (the
    members of a household share an NKK) hashed once. At 1.4 M voters the per-value overhead of the one-value
    functions was most of a list's load."""

    def __init__(self, values: int) -> None:
        """A batch of at most ``values`` encryptions."""
        self._cipher = _cipher(_secret())
        self._hash_key = _hash_key(_hash_secret())
        self._nonces = memoryview(os.urandom(12 * values))
        self._used = 0
        self._hashed: dict[str, str] = {}

    def encrypt(self, value: str | None) -> str:
        if not value:
            return ""
        at = self._used
        if at + 12 > len(self._nonces):
            raise ValueError("batch is full")
        self._used = at + 12
        nonce = bytes(self._nonces[at : at + 12])
        return base64.urlsafe_b64encode(
            KEY_VERSION + nonce + self._cipher.encrypt(nonce, value.encode(), None)
        ).decode()

    def keyed_hash(self, value: str | None) -> str:
        if not value:
            return ""
        found = self._hashed.get(value)
        if found is None:
            found = self._hashed[value] = hmac.digest(self._hash_key, value.encode(), "sha256").hex()
        return found


def decrypt(token: str | None) -> str:
    """The clear value; under the current key, or during a rotation under the old one."""
    if not token:
        return ""
    from cryptography.exceptions import InvalidTag

    raw = base64.urlsafe_b64decode(token.encode())
    try:
        return _cipher(_secret()).decrypt(raw[1:13], raw[13:], None).decode()
    except InvalidTag:
        if not _old_secret():
            raise
        return _cipher(_old_secret()).decrypt(raw[1:13], raw[13:], None).decode()


def under_current_key(token: str) -> bool:
    """Whether ``token`` was sealed with the current key (the GCM tag proves it; nothing else is trusted)."""
    from cryptography.exceptions import InvalidTag

    try:
        raw = base64.urlsafe_b64decode(token.encode())
        _cipher(_secret()).decrypt(raw[1:13], raw[13:], None)
    except (InvalidTag, ValueError):  # another key, or text that is no ciphertext at all
        return False
    return True


def keyed_hash(value: str | None) -> str:
    """HMAC-SHA256 of ``value``: equal numbers give equal hashes, and the number cannot be read back."""
    if not value:
        return ""
    return hmac.new(_hash_key(_hash_secret()), value.encode(), hashlib.sha256).hexdigest()


def record_key_secret() -> str:
    """The secret under which the engine hashes a row's identity for reviewers' answers (``record_key_sql``).

    A sub-key of the hash key, so the stored keys share nothing with the NIK hashes and stay put when the field
    key is rotated."""
    return hmac.new(_root(_hash_secret()), b"kawal-record-key", hashlib.sha256).hexdigest()


def snapshot_keys() -> tuple[bytes, ...]:
    """The keys that seal voter-list snapshots on disk (``kawal.engine.sealed``): a sub-key of the field key, then
    during a rotation the old field key's, so snapshots sealed before it stay readable until ``kawal keys rotate``
    seals them again."""
    secrets_in_use = [s for s in (_secret(), _old_secret()) if s]
    return tuple(hmac.new(_root(s), b"kawal-snapshot", hashlib.sha256).digest() for s in secrets_in_use)


def log_checkpoint_key() -> bytes:
    """The key that signs the action log's checkpoints (HMAC-SHA-256): a sub-key of the hash key, which is pinned
    and never rotated in place, so checkpoints signed years ago still verify after ``kawal keys rotate``. The
    database holds no key: whoever can only write rows there cannot sign a checkpoint for a shortened log."""
    return hmac.new(_root(_hash_secret()), b"kawal-log-checkpoint", hashlib.sha256).digest()
