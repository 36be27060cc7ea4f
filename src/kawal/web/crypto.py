"""Secrets for development and the embedded mode, and field encryption for personal data.

In development a random secret is made once and kept in the data folder (mode 0600), so nothing secret is in
the code and restarts keep sessions. Production passes every secret in the environment (see settings).

NIK and NKK are stored encrypted (AES-256-GCM, the key from ``KAWAL_FIELD_KEY``) next to a keyed hash
(HMAC-SHA256 under a key derived from the same secret) used to match equal numbers without decrypting.
Rotating the key: set ``KAWAL_FIELD_KEY_OLD`` to the old key and run ``kawal manage rotate_field_key``
(issue 9); values carry a one-byte key version so both keys can be read during the rotation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from functools import cache
from pathlib import Path

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
def _keys(secret: str) -> tuple[object, bytes]:
    """An AES-GCM cipher and a separate hashing key, both derived from the one configured secret."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    root = hashlib.sha256(secret.encode()).digest()
    encrypt_key = hmac.new(root, b"kawal-encrypt", hashlib.sha256).digest()
    return AESGCM(encrypt_key), hmac.new(root, b"kawal-hash", hashlib.sha256).digest()


def _secret() -> str:
    from django.conf import settings

    return settings.FIELD_KEY


def encrypt(value: str | None) -> str:
    """AES-256-GCM ciphertext of ``value`` as url-safe text ('' for empty)."""
    if not value:
        return ""
    nonce = os.urandom(12)
    sealed = _keys(_secret())[0].encrypt(nonce, value.encode(), None)
    return base64.urlsafe_b64encode(KEY_VERSION + nonce + sealed).decode()


def decrypt(token: str | None) -> str:
    if not token:
        return ""
    raw = base64.urlsafe_b64decode(token.encode())
    return _keys(_secret())[0].decrypt(raw[1:13], raw[13:], None).decode()


def keyed_hash(value: str | None) -> str:
    """HMAC-SHA256 of ``value``: equal numbers give equal hashes, and the number cannot be read back."""
    if not value:
        return ""
    return hmac.new(_keys(_secret())[1], value.encode(), hashlib.sha256).hexdigest()
