"""Test settings: a private data folder per run, tasks run inline, fast password hashing."""

import os
import tempfile

os.environ["KAWAL_DATA_DIR"] = tempfile.mkdtemp(prefix="kawal-test-")

from kawal.web.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "photos"]}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS["queue"] = {
    "BACKEND": "django_tasks_db.DatabaseBackend",
    "QUEUES": ["default", "photos"],
}  # the real database queue, for the worker test
# One test process: the per-process cache, cleared between tests where they need it (the file cache of
# production without Redis is exercised by tests/security/test_shared_counters.py through `kawal serve`).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # Django tests SQLite in one shared-cache in-memory database, where a page being read holds a lock on its tables
    # and a background job writing to them (the upload's progress) fails at once with "database table is locked"
    # (the busy timeout does not apply to shared-cache locks). Readers there skip those locks with read_uncommitted,
    # which has no effect outside shared-cache mode; production's file database has WAL, where readers never block.
    DATABASES["default"]["OPTIONS"]["init_command"] += " PRAGMA read_uncommitted = true;"  # noqa: F405
