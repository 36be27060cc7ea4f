"""Django settings, read from the environment.

Embedded default: SQLite and local files under ``$KAWAL_DATA_DIR`` (``./kawal-data``), so ``kawal serve`` needs
nothing installed. Production: ``KAWAL_ENV=production`` with ``DATABASE_URL`` (PostgreSQL), ``KAWAL_SECRET_KEY``
and ``KAWAL_FIELD_KEY``; the settings refuse to start in production with a development secret, a placeholder or
short key (``config_checks.py``) or with DEBUG on. DEBUG is off unless asked for (``KAWAL_DEBUG=1``, or
``KAWAL_ENV=dev``). Every ``KAWAL_*`` variable is read once, typed, through ``config.Config`` (its defaults and
meanings: docs/configuration.md).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kawal.web.client_address import parse_networks
from kawal.web.config import Config, ConfigError
from kawal.web.crypto import development_secret

try:
    CONFIG = Config.from_env()
except ConfigError as error:
    raise ImproperlyConfigured(str(error)) from None

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(CONFIG.KAWAL_DATA_DIR or "kawal-data").resolve()
ENVIRONMENT = CONFIG.KAWAL_ENV
PRODUCTION = CONFIG.production
# Off unless asked for (KAWAL_DEBUG=1, KAWAL_ENV=dev, `kawal serve --debug`): DEBUG's error pages show code and
# settings, and its 404 page lists every URL of the site.
DEBUG = CONFIG.debug

SECRET_KEY = CONFIG.KAWAL_SECRET_KEY or development_secret(DATA_DIR, "django-secret")
FIELD_KEY = CONFIG.KAWAL_FIELD_KEY or development_secret(DATA_DIR, "field-key")
FIELD_KEY_OLD = CONFIG.KAWAL_FIELD_KEY_OLD  # only while `kawal keys rotate` runs
# The key of the hashes that match NIK/NKK; by default derived from the field key, so it must be pinned before
# that key changes, or every stored hash would stop matching.
HASH_KEY = CONFIG.KAWAL_HASH_KEY
BACKUP_KEY = CONFIG.KAWAL_BACKUP_KEY  # seals backups (web/backup.py); its own key, kept off the server
# Where signed checkpoints of the action log are appended, outside the database (default <data>/log/checkpoints.jsonl).
LOG_CHECKPOINTS = CONFIG.KAWAL_LOG_CHECKPOINTS

# The reverse proxies whose X-Forwarded-For is believed (client_address.py): addresses or networks, comma
# separated; none by default. The shipped nginx on the same machine: 127.0.0.1,::1 (deploy/kawal.env.example).
KAWAL_TRUSTED_PROXIES = CONFIG.trusted_proxies
try:
    parse_networks(KAWAL_TRUSTED_PROXIES)
except ValueError as error:
    raise ImproperlyConfigured(
        f"KAWAL_TRUSTED_PROXIES: {error} (alamat atau jaringan, mis. 127.0.0.1,::1,10.0.0.0/8 / addresses or networks)"
    ) from None

ALLOWED_HOSTS = CONFIG.allowed_hosts

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "kawal.web.actionlog",
    "kawal.web.accounts",
    "kawal.web.voters",
    "kawal.web.photos",
    "kawal.web.field",
    "kawal.web.sampling",
    "kawal.web.participation",
    "kawal.web.results",
    "kawal.web.incidents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kawal.web.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kawal.web.accounts.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kawal.web.urls"
WSGI_APPLICATION = "kawal.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kawal.web.accounts.context.membership",
                "kawal.web.actionlog.context.log_head",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'kawal.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Background jobs write while pages read: WAL and a busy timeout keep SQLite from "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
try:  # production: DEBUG off, keys set, no placeholder key or database password (config.Config.check)
    CONFIG.check(DATABASES["default"].get("PASSWORD") or "")
except ConfigError as error:
    raise ImproperlyConfigured(str(error)) from None

# Shared by every app process: login throttling counters, cached figures. Redis in production (KAWAL_CACHE_URL,
# e.g. redis://127.0.0.1:6379/1); memory of the one process otherwise.
# Without Redis, files in <data>/cache: every process on this machine (gunicorn runs several, and `kawal serve`
# too) must see the same login, lookup and person-view counters, or each worker grants its own allowance (issue
# 16: per-process memory let 5 workers take 5 wrong passwords each). Entries are many before any are culled.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CONFIG.KAWAL_CACHE_URL}
    if CONFIG.KAWAL_CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

TASKS = {
    "default": {
        "BACKEND": CONFIG.KAWAL_TASK_BACKEND,
        "QUEUES": ["default", "photos"],  # imports and audits; served copies of photos (their own worker)
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's own backend behind the login throttle, so every login path (/masuk/, /admin/login/, any other caller
# of authenticate()) counts and is refused alike (accounts/throttle.py).
AUTHENTICATION_BACKENDS = ["kawal.web.accounts.throttle.ThrottledModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
SNAPSHOT_ROOT = DATA_DIR  # the engine's SnapshotStore root: snapshots/ inside it
UPLOAD_ROOT = DATA_DIR / "uploads"
# Evidence photos: local files by default; in production point "photos" at object storage, e.g.
# {"BACKEND": "storages.backends.s3.S3Storage", ...} (see docs/architecture.md). Originals are never served directly.
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "photos": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": DATA_DIR / "photos",
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}
if CONFIG.KAWAL_PHOTO_BUCKET:
    # Production: photos in an S3-compatible bucket (MinIO, Ceph, AWS …), private. They are still served through
    # the app (never by a public or signed URL), so every view is checked against the viewer's scope and logged.
    STORAGES["photos"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": CONFIG.KAWAL_PHOTO_BUCKET,
            "endpoint_url": CONFIG.KAWAL_S3_ENDPOINT_URL or None,
            "region_name": CONFIG.KAWAL_S3_REGION or None,
            "access_key": CONFIG.KAWAL_S3_ACCESS_KEY or None,  # else boto3's own (AWS_*, instance role)
            "secret_key": CONFIG.KAWAL_S3_SECRET_KEY or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"} if CONFIG.KAWAL_S3_ENCRYPT else {},
        },
    }
# The apps read these as settings.KAWAL_… (meanings and defaults: config.Config, docs/configuration.md).
KAWAL_PHOTO_MAX_BYTES = CONFIG.KAWAL_PHOTO_MAX_BYTES
KAWAL_AUDIT_MEMORY = CONFIG.KAWAL_AUDIT_MEMORY  # DuckDB's working memory per audit job
KAWAL_TMS_CONFIRMATIONS = CONFIG.KAWAL_TMS_CONFIRMATIONS  # relawan who must agree on a TMS
KAWAL_RECHECK_SHARE = CONFIG.KAWAL_RECHECK_SHARE  # approved visits a second reviewer sees
# A second factor (TOTP) for the roles that see and decide most; on by default in production.
KAWAL_REQUIRE_2FA = CONFIG.require_2fa
KAWAL_2FA_ROLES = ("kpu_admin", "koordinator")  # and every staff member and superuser (two_factor.required_for)
KAWAL_API_TOKEN_DAYS = CONFIG.KAWAL_API_TOKEN_DAYS  # a token stops working this long after issue
# `kawal serve` serves the static files itself (collected into STATIC_ROOT); behind nginx, nginx does.
KAWAL_SERVE_STATIC = CONFIG.KAWAL_SERVE_STATIC
KAWAL_TANGGAPAN_DAYS = CONFIG.KAWAL_TANGGAPAN_DAYS  # length of the public response period
KAWAL_PERSON_LOOKUPS_PER_HOUR = CONFIG.KAWAL_PERSON_LOOKUPS_PER_HOUR  # people a relawan checks against the list
# Incident reports (web/incidents): days to file with Bawaslu after an incident became known, when the dashboard
# starts warning, confirmations that verify a report; the messengers' secrets (unset: that webhook refuses all).
KAWAL_INCIDENT_DAYS = CONFIG.KAWAL_INCIDENT_DAYS
KAWAL_INCIDENT_WARN_DAYS = CONFIG.KAWAL_INCIDENT_WARN_DAYS
KAWAL_INCIDENT_CONFIRMATIONS = CONFIG.KAWAL_INCIDENT_CONFIRMATIONS
KAWAL_INCIDENT_MEDIA_MAX_BYTES = CONFIG.KAWAL_INCIDENT_MEDIA_MAX_BYTES
KAWAL_INCIDENT_CATEGORIES = CONFIG.KAWAL_INCIDENT_CATEGORIES
KAWAL_WHATSAPP_APP_SECRET = CONFIG.KAWAL_WHATSAPP_APP_SECRET
KAWAL_WHATSAPP_VERIFY_TOKEN = CONFIG.KAWAL_WHATSAPP_VERIFY_TOKEN
KAWAL_WHATSAPP_TOKEN = CONFIG.KAWAL_WHATSAPP_TOKEN
KAWAL_WHATSAPP_PHONE_NUMBER_ID = CONFIG.KAWAL_WHATSAPP_PHONE_NUMBER_ID
KAWAL_TELEGRAM_SECRET_TOKEN = CONFIG.KAWAL_TELEGRAM_SECRET_TOKEN
KAWAL_TELEGRAM_BOT_TOKEN = CONFIG.KAWAL_TELEGRAM_BOT_TOKEN
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 16 * 2**20  # a photo is read whole to hash and check it

SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = CONFIG.KAWAL_SSL_REDIRECT
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = CONFIG.KAWAL_HSTS_PRELOAD
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Exceptions are logged by type and frames, never their text (it may quote a row): web/task_errors.py.
    "filters": {"no_exception_text": {"()": "kawal.web.task_errors.WithoutExceptionText"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_exception_text"]}},
    "root": {"handlers": ["console"], "level": CONFIG.KAWAL_LOG_LEVEL or "INFO"},
}
