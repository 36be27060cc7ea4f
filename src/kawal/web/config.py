"""Every ``KAWAL_*`` environment variable in one place: its type, its default and what it means.

``settings.py`` reads the environment once through ``Config.from_env()`` and keeps the values Django and the apps
look up (``settings.KAWAL_…``); gunicorn's configuration reads the same class. Three variables are read before
Django or without it, by the engine and the command line (the core install has no pydantic): ``KAWAL_DATA_DIR``
(``kawal.engine.snapshots``), ``KAWAL_LANG`` (``kawal.i18n``) and ``KAWAL_SNAPSHOT_KEY_FILE`` (``kawal.cli.main``). They are listed here all the same, so this
class is the whole list. ``docs/configuration.md`` is generated from it (``python -m kawal.web.config``) and
checked against it by ``tests/web/test_config.py``.

DEBUG is off unless asked for: ``KAWAL_DEBUG=1``, or ``KAWAL_ENV=dev`` without ``KAWAL_DEBUG``. With
``KAWAL_ENV=production`` the site refuses to start with DEBUG on, without its keys, or with a key that is a
placeholder, the development default or too short (``config_checks.py``); the message names the variable, never
its value.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kawal.engine import AUDIT_MEMORY_LIMIT, audit_memory_limit
from kawal.i18n import KawalError
from kawal.web.config_checks import weak_settings, weak_settings_message

MIB = 2**20


class ConfigError(ValueError):
    """A variable that cannot be used; the message names it (never a secret's value) in Indonesian and English."""


def _var(default: Any, meaning: str, *, secret: bool = False, group: str) -> Any:
    return Field(default, description=meaning, json_schema_extra={"secret": secret, "group": group})


class Config(BaseModel):
    """The environment kawal reads. Field names are the variables' names; ``None`` means "depends" (see meaning)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    # --- where and how it runs
    KAWAL_ENV: str = _var(
        "development",
        "`production` turns on the production checks (keys, DEBUG, HTTPS cookies, 2FA); `dev` asks for DEBUG",
        group="run",
    )
    KAWAL_DEBUG: bool | None = _var(
        None,
        "`1`: Django's DEBUG (error pages with code; never in production). Unset: on only with KAWAL_ENV=dev",
        group="run",
    )
    KAWAL_DATA_DIR: str = _var(
        "kawal-data",
        "folder of snapshots, the SQLite database, uploads, photos and development secrets (read by the engine)",
        group="run",
    )
    KAWAL_LANG: str = _var(
        "", "language of the command line and engine messages: `id` (default) or `en` (read by kawal.i18n)", group="run"
    )
    KAWAL_ALLOWED_HOSTS: str | None = _var(
        None, "host names the site answers, comma separated; unset: `*` in development, none in production", group="run"
    )
    KAWAL_TRUSTED_PROXIES: str = _var(
        "",
        "reverse proxies whose X-Forwarded-For/-Proto is believed, addresses or networks, comma separated",
        group="run",
    )
    KAWAL_CACHE_URL: str = _var(
        "",
        "Redis URL of the shared cache (throttling, figures); unset: files in <data>/cache, shared by the "
        "processes of one machine",
        group="run",
    )
    KAWAL_TASK_BACKEND: str = _var("django_tasks_db.DatabaseBackend", "backend of the task queue", group="run")
    KAWAL_SERVE_STATIC: bool = _var(False, "`1`: the app serves /static/ itself (`kawal serve` sets it)", group="run")
    KAWAL_SSL_REDIRECT: bool = _var(True, "production: redirect plain HTTP to HTTPS", group="run")
    KAWAL_HSTS_PRELOAD: bool = _var(True, "production: ask browsers to preload HSTS", group="run")
    KAWAL_LOG_LEVEL: str | None = _var(None, "log level; unset: `INFO` for Django, `warning` for gunicorn", group="run")
    KAWAL_AUDIT_MEMORY: str = _var(
        AUDIT_MEMORY_LIMIT,
        "DuckDB's working memory for one audit of a list, e.g. `4GB`; past it the audit spills to disk, more slowly",
        group="run",
    )
    # --- gunicorn (kawal.web.gunicorn_conf)
    KAWAL_BIND: str = _var("127.0.0.1:8000", "gunicorn: address and port", group="gunicorn")
    KAWAL_WEB_WORKERS: int | None = _var(None, "gunicorn: worker processes; unset: 2 × cores + 1", group="gunicorn")
    KAWAL_ACCESS_LOG: str = _var("", "gunicorn: access log file (`-` for the journal); unset: none", group="gunicorn")
    # --- keys
    KAWAL_SECRET_KEY: str = _var(
        "",
        "Django's signing key; unset: a random one kept in <data>/.secrets (refused in production)",
        secret=True,
        group="keys",
    )
    KAWAL_FIELD_KEY: str = _var(
        "",
        "key that encrypts NIK, NKK and other personal data; unset: a random one kept in <data>/.secrets "
        "(refused in production)",
        secret=True,
        group="keys",
    )
    KAWAL_FIELD_KEY_OLD: str = _var(
        "", "the previous field key, only while `kawal keys rotate` runs", secret=True, group="keys"
    )
    KAWAL_HASH_KEY: str = _var(
        "",
        "key of the NIK/NKK hashes; unset: derived from the field key (pin it before rotating)",
        secret=True,
        group="keys",
    )
    KAWAL_SNAPSHOT_KEY_FILE: str = _var(
        "",
        "command line outside the site (read by kawal.cli.main): a file of 64 hexadecimal digits whose key seals the "
        "snapshots the command line writes and opens sealed ones; unset: plain files. The site derives its snapshot "
        "key from `KAWAL_FIELD_KEY`",
        secret=True,
        group="keys",
    )
    KAWAL_BACKUP_KEY: str = _var(
        "",
        "64 hexadecimal digits: the key that seals `kawal backup` files (AES-256-GCM); unset: a plain tar (refused "
        "in production). Keep it away from the server",
        secret=True,
        group="keys",
    )
    KAWAL_LOG_CHECKPOINTS: str = _var(
        "",
        "file the action log's signed checkpoints are appended to; unset: <data>/log/checkpoints.jsonl",
        group="keys",
    )
    # --- photos and object storage
    KAWAL_PHOTO_BUCKET: str = _var("", "S3 bucket for photos; unset: files under <data>/photos", group="photos")
    KAWAL_S3_ENDPOINT_URL: str = _var("", "S3 endpoint (MinIO, Ceph …); unset: AWS", group="photos")
    KAWAL_S3_REGION: str = _var("", "S3 region", group="photos")
    KAWAL_S3_ACCESS_KEY: str = _var(
        "", "S3 access key; unset: boto3's own (AWS_*, instance role)", secret=True, group="photos"
    )
    KAWAL_S3_SECRET_KEY: str = _var("", "S3 secret key", secret=True, group="photos")
    KAWAL_S3_ENCRYPT: bool = _var(True, "ask S3 for server-side encryption (AES256)", group="photos")
    KAWAL_PHOTO_MAX_BYTES: int = _var(12 * MIB, "largest photo accepted, in bytes", group="photos")
    KAWAL_GEOJSON: str = _var(
        "", "kelurahan boundaries for the maps; unset: the bundled Kota Tangerang file", group="photos"
    )
    # --- fieldwork and accounts
    KAWAL_TMS_CONFIRMATIONS: int = _var(
        2, "relawan whose approved visits must agree before a TMS claim counts", group="field"
    )
    KAWAL_RECHECK_SHARE: float = _var(0.1, "share of approved visits a second reviewer re-checks", group="field")
    KAWAL_TANGGAPAN_DAYS: int = _var(10, "days of the public response period of a tanggapan", group="field")
    KAWAL_PERSON_LOOKUPS_PER_HOUR: int = _var(
        20, "people one relawan may check against the list per hour", group="field"
    )
    KAWAL_REQUIRE_2FA: bool | None = _var(
        None, "a second factor (TOTP) for KPU admins and coordinators; unset: on in production only", group="field"
    )
    KAWAL_API_TOKEN_DAYS: int = _var(30, "days an API token works after it is issued", group="field")
    # --- incident reports and messengers
    KAWAL_INCIDENT_DAYS: int = _var(
        7, "days to file a report with Bawaslu after the incident became known", group="incidents"
    )
    KAWAL_INCIDENT_WARN_DAYS: int = _var(2, "days before that deadline the dashboard warns", group="incidents")
    KAWAL_INCIDENT_CONFIRMATIONS: int = _var(2, "confirmations that verify a report", group="incidents")
    KAWAL_INCIDENT_MEDIA_MAX_BYTES: int = _var(
        20 * MIB, "largest photo or video of a report, in bytes", group="incidents"
    )
    KAWAL_INCIDENT_CATEGORIES: str = _var(
        "",
        "a CSV of report categories (code, label_id, label_en, group); unset: the bundled 2024 ones",
        group="incidents",
    )
    KAWAL_WHATSAPP_APP_SECRET: str = _var(
        "", "WhatsApp: app secret that signs webhooks (unset: webhook refuses all)", secret=True, group="incidents"
    )
    KAWAL_WHATSAPP_VERIFY_TOKEN: str = _var(
        "", "WhatsApp: token of the subscription handshake", secret=True, group="incidents"
    )
    KAWAL_WHATSAPP_TOKEN: str = _var("", "WhatsApp: access token for replies and media", secret=True, group="incidents")
    KAWAL_WHATSAPP_PHONE_NUMBER_ID: str = _var("", "WhatsApp: the sending number's id", group="incidents")
    KAWAL_TELEGRAM_SECRET_TOKEN: str = _var(
        "", "Telegram: secret token of the webhook (unset: refuses all)", secret=True, group="incidents"
    )
    KAWAL_TELEGRAM_BOT_TOKEN: str = _var(
        "", "Telegram: bot token for replies and downloads", secret=True, group="incidents"
    )

    @field_validator("KAWAL_AUDIT_MEMORY")
    @classmethod
    def _an_amount_of_memory(cls, value: str) -> str:
        try:
            return audit_memory_limit(value)
        except KawalError as error:
            raise ValueError(str(error)) from None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        """The ``KAWAL_*`` variables of ``env`` (default ``os.environ``). An empty value counts as unset, except
        for text, where empty is a value. A value of the wrong type is a ``ConfigError`` naming the variable."""
        env = os.environ if env is None else env
        given: dict[str, str] = {}
        for name, field in cls.model_fields.items():
            value = env.get(name)
            if value is None or (value == "" and field.annotation is not str):
                continue
            given[name] = value
        try:
            return cls.model_validate(given)
        except ValidationError as error:
            names = ", ".join(sorted({str(e["loc"][0]) for e in error.errors()}))
            raise ConfigError(
                f"{names}: nilai tidak dapat dibaca (lihat docs/configuration.md). / "
                f"{names}: the value cannot be read (see docs/configuration.md)."
            ) from None

    @property
    def production(self) -> bool:
        return self.KAWAL_ENV == "production"

    @property
    def debug(self) -> bool:
        """Asked for by ``KAWAL_DEBUG=1``, or by ``KAWAL_ENV=dev`` when ``KAWAL_DEBUG`` is not set."""
        if self.KAWAL_DEBUG is not None:
            return self.KAWAL_DEBUG
        return self.KAWAL_ENV == "dev"

    @property
    def require_2fa(self) -> bool:
        return self.production if self.KAWAL_REQUIRE_2FA is None else self.KAWAL_REQUIRE_2FA

    @property
    def allowed_hosts(self) -> list[str]:
        hosts = self.KAWAL_ALLOWED_HOSTS
        if hosts is None:
            hosts = "" if self.production else "*"
        return [h.strip() for h in hosts.split(",") if h.strip()]

    @property
    def trusted_proxies(self) -> list[str]:
        return [p.strip() for p in self.KAWAL_TRUSTED_PROXIES.split(",") if p.strip()]

    def check(self, database_password: str = "") -> None:
        """Raise ``ConfigError`` for what must not run: in production DEBUG, missing keys, and placeholder or
        short keys (``change-me``, ``django-insecure…``, the examples of deploy/kawal.env.example), also in
        ``DATABASE_URL``'s password; anywhere, an old field key without a pinned hash key."""
        if self.KAWAL_FIELD_KEY_OLD and not self.KAWAL_HASH_KEY:
            raise ConfigError(
                "KAWAL_FIELD_KEY_OLD is set but KAWAL_HASH_KEY is not: set KAWAL_HASH_KEY to the old field key "
                "first, so the NIK/NKK hashes stay the same (docs/security.md, key rotation)."
            )
        if not self.production:
            return
        if self.debug:
            raise ConfigError(
                "KAWAL_ENV=production dengan DEBUG (KAWAL_DEBUG=1): situs tidak dijalankan. / "
                "KAWAL_ENV=production with DEBUG on (KAWAL_DEBUG=1): refusing to start."
            )
        if not self.KAWAL_SECRET_KEY.strip() or not self.KAWAL_FIELD_KEY.strip():
            raise ConfigError(
                "KAWAL_ENV=production memerlukan KAWAL_SECRET_KEY dan KAWAL_FIELD_KEY dari lingkungan. / "
                "KAWAL_ENV=production needs KAWAL_SECRET_KEY and KAWAL_FIELD_KEY from the environment."
            )
        env = {
            name: str(getattr(self, name)) for name in type(self).model_fields if isinstance(getattr(self, name), str)
        }
        weak = weak_settings(env, database_password)
        if weak:
            raise ConfigError(weak_settings_message(weak))


def markdown_table() -> str:
    """The table of docs/configuration.md: variable, default, meaning, one row per field in class order."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Config.model_fields.items():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        default = "(unset)" if field.default in (None, "") else f"`{_shown(field.default)}`"
        secret = " **Secret.**" if extra.get("secret") else ""
        rows.append(f"| `{name}` | {default} | {field.description}.{secret} |")
    return "\n".join(rows) + "\n"


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


if __name__ == "__main__":  # python -m kawal.web.config > table: what docs/configuration.md holds
    print(markdown_table(), end="")
