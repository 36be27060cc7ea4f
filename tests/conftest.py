"""Shared fixtures: a private data folder per test, and small voter-list files written on the fly."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from kawal.engine.snapshots import SnapshotStore
from kawal.i18n import set_language

# Locally hypothesis explores new examples each run; CI replays a fixed sequence so a landing never hinges on luck.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

HEADER = "NO,NKK,NIK,NAMA,TEMPAT LAHIR,TGL LAHIR,L/P,KAWIN,ALAMAT,RT,RW,KELURAHAN,KECAMATAN,TPS"
ROWS = [
    "1,3671011707100024,3671010403650018,AANG,GARUT,04-03-1965,L,S,KP. DUKUH,001,002,SUKARASA,TANGERANG,001",
    "2,3671011707100024,3671015011900032,IMAS RAHMAWATI,TANGERANG,10-11-1990,P,S,KP. DUKUH,001,002,SUKARASA,TANGERANG,001",
    "3,3671051409130028,3671050711760011,SOEPRAPTO,SEMARANG,07-11-1976,L,P,JL. GARUDA NO. 4,003,001,KETAPANG,CIPONDOH,002",
]


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Every web test starts with an empty cache: login and person-view counters live there, and one test's
    views must not use up the next one's hourly limit."""
    if "django" in sys.modules:
        from django.conf import settings

        if settings.configured:
            from django.core.cache import caches

            for cache in caches.all():
                cache.clear()
    yield


@pytest.fixture(autouse=True)
def indonesian() -> None:
    """Every test starts in the default language."""
    set_language(None)
    yield
    set_language(None)


@pytest.fixture
def store(tmp_path: Path) -> SnapshotStore:
    return SnapshotStore(tmp_path / "data")


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


# --- one audit per distinct list in the web tests ------------------------------------------------------------------
# Most web tests start from the same small city, loaded through the site's upload job, and each one used to audit it
# afresh: 0.6 s of the job's 0.8 s, two thirds of the web suite's set-up time. The audit is the engine's, whose
# own tests run it on every kind of list; here it is run once per distinct input (the list's source, stage and
# columns, and every setting the audit takes) and its output folder copied for the next test that asks for the same.
# KAWAL_TEST_AUDIT_ONCE=0 audits every time.
_AUDITS: dict[str, tuple[Path, object]] = {}


def _audit_key(inputs: list, kwargs: dict) -> str | None:
    import json

    from kawal.engine.snapshots import Snapshot

    metas = []
    for ref in inputs:
        meta_path = Path(ref) / "meta.json"
        if not meta_path.is_file():
            return None  # a file to import, not a snapshot: not worth the bookkeeping
        meta = json.loads(meta_path.read_text())
        metas.append({k: v for k, v in meta.items() if k not in ("created_at", "voters_sha256", "sealed")})
        metas[-1]["folder"] = Snapshot(Path(ref), meta).name
    settings = {k: v for k, v in kwargs.items() if k not in ("store", "progress")}
    return json.dumps([metas, settings], sort_keys=True, default=str)


@pytest.fixture(scope="session", autouse=True)
def audit_each_list_once(tmp_path_factory):
    if os.environ.get("KAWAL_TEST_AUDIT_ONCE", "1") == "0" or "pytest_django" not in sys.modules:
        yield
        return
    import dataclasses
    import shutil

    from kawal.web.voters import jobs

    real = jobs.run_audit
    kept = tmp_path_factory.mktemp("audits")

    def run_audit(inputs, out, **kwargs):
        key = _audit_key(inputs, kwargs)
        if key is None:
            return real(inputs, out, **kwargs)
        if key not in _AUDITS:
            result = real(inputs, out, **kwargs)
            copy = kept / str(len(_AUDITS))
            shutil.copytree(out, copy)
            _AUDITS[key] = (copy, result)
        copy, result = _AUDITS[key]
        shutil.copytree(copy, out, dirs_exist_ok=True)
        return dataclasses.replace(result, out=Path(out))

    jobs.run_audit = run_audit
    yield
    jobs.run_audit = real
