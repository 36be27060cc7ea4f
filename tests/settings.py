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
