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
