"""One typed settings class lists every KAWAL_* variable (kawal.web.config.Config): the code reads no other, the
docs table is the class's, DEBUG is off unless asked for, and production refuses placeholder secrets."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kawal.web.config import Config, ConfigError, markdown_table

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "kawal"
# Django settings named KAWAL_* that are not environment variables (see docs/configuration.md).
SETTINGS_ONLY = {"KAWAL_2FA_ROLES", "KAWAL_PERSON_VIEW_LIMITS"}
NAME = re.compile(r"\bKAWAL_[A-Z0-9_]*[A-Z0-9]\b")
STRONG = {"KAWAL_SECRET_KEY": "Zq8vx7Lm2pR9tK4wB6nD1cF3hJ5sG0yA8eU", "KAWAL_FIELD_KEY": "3f9c1e7a5b2d8046" * 4}


def _names_in_source() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in SRC.rglob("*.py"):
        for name in NAME.findall(path.read_text(encoding="utf-8")):
            found.setdefault(name, []).append(str(path.relative_to(SRC)))
    return found


def test_every_variable_the_code_names_is_in_the_class() -> None:
    found = _names_in_source()
    assert len(found) > 30  # the scan sees the code
    unknown = {n: files for n, files in found.items() if n not in Config.model_fields and n not in SETTINGS_ONLY}
    assert unknown == {}


def test_every_variable_in_the_class_is_read() -> None:
    """Each variable is named outside config.py, or read by one of the class's properties (debug, allowed_hosts
    …) that settings.py uses: the class lists no variable nothing reads."""
    found = _names_in_source()
    properties = "".join(
        inspect.getsource(member.fget) for member in vars(Config).values() if isinstance(member, property)
    )
    unused = [
        n
        for n in Config.model_fields
        if not [f for f in found.get(n, []) if f != "web/config.py"] and n not in properties
    ]
    assert unused == []


def test_the_docs_table_is_the_class() -> None:
    docs = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert markdown_table() in docs, "docs/configuration.md is stale: python -m kawal.web.config"
    for name, field in Config.model_fields.items():
        assert field.description, f"{name} has no meaning"
        assert f"| `{name}` |" in docs


def test_defaults_are_the_documented_ones() -> None:
    config = Config.from_env({})
    assert config.KAWAL_TMS_CONFIRMATIONS == 2 and config.KAWAL_RECHECK_SHARE == 0.1
    assert config.KAWAL_PHOTO_MAX_BYTES == 12 * 2**20 and config.KAWAL_API_TOKEN_DAYS == 30
    assert config.allowed_hosts == ["*"] and not config.require_2fa and not config.production
    assert Config.from_env({"KAWAL_ENV": "production"}).allowed_hosts == []
    assert Config.from_env({"KAWAL_ENV": "production"}).require_2fa
    assert Config.from_env({"KAWAL_TMS_CONFIRMATIONS": "3", "KAWAL_S3_ENCRYPT": "0"}).KAWAL_TMS_CONFIRMATIONS == 3
    assert Config.from_env({"KAWAL_S3_ENCRYPT": "0"}).KAWAL_S3_ENCRYPT is False
    assert Config.from_env({"KAWAL_TRUSTED_PROXIES": " 127.0.0.1, ::1 ,"}).trusted_proxies == ["127.0.0.1", "::1"]


def test_the_audit_memory_is_the_engines_default_and_must_be_an_amount() -> None:
    from kawal.engine import AUDIT_MEMORY_LIMIT

    assert Config.from_env({}).KAWAL_AUDIT_MEMORY == AUDIT_MEMORY_LIMIT
    assert Config.from_env({"KAWAL_AUDIT_MEMORY": " 4GB "}).KAWAL_AUDIT_MEMORY == "4GB"
    with pytest.raises(ConfigError) as refused:
        Config.from_env({"KAWAL_AUDIT_MEMORY": "banyak"})
    assert "KAWAL_AUDIT_MEMORY" in str(refused.value)


@pytest.mark.parametrize(
    ("env", "debug"),
    [
        ({}, False),
        ({"KAWAL_ENV": "development"}, False),  # what an unset KAWAL_ENV means: DEBUG stays off
        ({"KAWAL_DEBUG": "1"}, True),
        ({"KAWAL_DEBUG": "0"}, False),
        ({"KAWAL_ENV": "dev"}, True),
        ({"KAWAL_ENV": "dev", "KAWAL_DEBUG": "0"}, False),  # `kawal serve` (gunicorn) on a dev machine
        ({"KAWAL_DEBUG": ""}, False),
    ],
)
def test_debug_is_off_unless_asked_for(env: dict[str, str], debug: bool) -> None:
    assert Config.from_env(env).debug is debug


def test_a_value_of_the_wrong_type_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="KAWAL_TMS_CONFIRMATIONS") as caught:
        Config.from_env({"KAWAL_TMS_CONFIRMATIONS": "dua"})
    assert "dua" not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("KAWAL_SECRET_KEY", "change-me"),
        ("KAWAL_FIELD_KEY", "CHANGE-ME-please-make-this-a-long-random-value"),
        ("KAWAL_SECRET_KEY", "django-insecure-" + "k" * 40),
        ("KAWAL_HASH_KEY", "x" * 64),
        ("KAWAL_FIELD_KEY", "short-but-random-91"),
        ("KAWAL_S3_SECRET_KEY", "change-me"),
    ],
)
def test_production_refuses_placeholder_secrets(name: str, value: str) -> None:
    env = {"KAWAL_ENV": "production", **STRONG, name: value}
    with pytest.raises(ConfigError) as caught:
        Config.from_env(env).check()
    assert name in str(caught.value) and value not in str(caught.value)
    Config.from_env({**env, "KAWAL_ENV": "development"}).check()  # the same values pass outside production


@pytest.mark.parametrize("missing", ["KAWAL_SECRET_KEY", "KAWAL_FIELD_KEY"])
def test_production_refuses_missing_or_empty_keys(missing: str) -> None:
    for value in (None, "", "   "):
        env = {"KAWAL_ENV": "production", **STRONG}
        env.pop(missing)
        if value is not None:
            env[missing] = value
        with pytest.raises(ConfigError, match=missing):
            Config.from_env(env).check()


def test_production_with_strong_keys_starts_and_refuses_debug() -> None:
    Config.from_env({"KAWAL_ENV": "production", **STRONG}).check()
    with pytest.raises(ConfigError, match="DEBUG"):
        Config.from_env({"KAWAL_ENV": "production", "KAWAL_DEBUG": "1", **STRONG}).check()
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        Config.from_env({"KAWAL_ENV": "production", **STRONG}).check(database_password="change-me")


def _settings(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAWAL_", "DJANGO_", "DATABASE_URL"))}
    env.update(KAWAL_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="kawal.web.settings", **extra)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.KAWAL_TMS_CONFIRMATIONS, s.KAWAL_INCIDENT_DAYS, s.ALLOWED_HOSTS)"
    )
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)


def test_the_django_settings_read_the_class(tmp_path: Path) -> None:
    assert _settings(tmp_path).stdout.split() == ["False", "2", "7", "['*']"]
    done = _settings(tmp_path, KAWAL_ENV="dev", KAWAL_TMS_CONFIRMATIONS="3", KAWAL_INCIDENT_DAYS="5")
    assert done.stdout.split() == ["True", "3", "5", "['*']"]
    done = _settings(tmp_path, KAWAL_INCIDENT_DAYS="tujuh")
    assert done.returncode != 0 and "ImproperlyConfigured" in done.stderr and "KAWAL_INCIDENT_DAYS" in done.stderr
    done = _settings(tmp_path, KAWAL_ENV="production", KAWAL_ALLOWED_HOSTS="kawal.example.org",
                     KAWAL_SECRET_KEY="change-me", KAWAL_FIELD_KEY=STRONG["KAWAL_FIELD_KEY"])  # fmt: skip
    assert done.returncode != 0 and "KAWAL_SECRET_KEY" in done.stderr and "change-me" not in done.stderr
