"""What the settings refuse in production: keys left at the examples of ``deploy/kawal.env.example`` (or any
other stand-in), and keys too short to be keys. A site started on ``change-me`` would sign sessions and encrypt
every NIK under a key anyone can read in this repository."""

from __future__ import annotations

from collections.abc import Mapping

KEY_SETTINGS = ("KAWAL_SECRET_KEY", "KAWAL_FIELD_KEY", "KAWAL_HASH_KEY", "KAWAL_BACKUP_KEY")
CREDENTIAL_SETTINGS = ("KAWAL_S3_ACCESS_KEY", "KAWAL_S3_SECRET_KEY")
KEY_MIN_LENGTH = 32
# Long enough never to turn up inside a random key by chance.
PLACEHOLDER_WORDS = ("change-me", "changeme", "change_me", "replace-me", "replaceme", "placeholder", "your-secret")


def is_placeholder(value: str) -> bool:
    text = value.strip().lower()
    return (
        any(word in text for word in PLACEHOLDER_WORDS)
        or text.startswith("django-insecure")
        or len(set(text)) < 5  # "", "xxxx…", "0000…"
    )


def weak_settings(env: Mapping[str, str], database_password: str = "") -> list[str]:
    """The names of the settings (never their values) that hold a stand-in, or a key shorter than a key."""
    weak = [
        name
        for name in KEY_SETTINGS
        if env.get(name) and (is_placeholder(env[name]) or len(env[name].strip()) < KEY_MIN_LENGTH)
    ]
    weak += [name for name in CREDENTIAL_SETTINGS if env.get(name) and is_placeholder(env[name])]
    if database_password and is_placeholder(database_password):
        weak.append("DATABASE_URL")
    return weak


def weak_settings_message(names: list[str]) -> str:
    listed = ", ".join(names)
    return (
        f"KAWAL_ENV=production: {listed} masih berisi nilai contoh (deploy/kawal.env.example) atau kunci yang "
        f"kurang dari {KEY_MIN_LENGTH} karakter; situs tidak dijalankan. Buat nilai acak baru, mis. "
        '`python -c "import secrets; print(secrets.token_hex(32))"`. / '
        f"{listed} still hold an example value or a key shorter than {KEY_MIN_LENGTH} characters: refusing to "
        "start. Make new random values (docs/deploy.md)."
    )
