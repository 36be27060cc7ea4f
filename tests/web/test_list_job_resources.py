"""What a list's job asks of the machine. On SQLite a bulk load drops the NIK-hash index and builds it once at the
end, by the name the model gives it: after a load it is there, and a load that starts without it (the one before
was killed half-way) puts it back. The audit runs under ``KAWAL_AUDIT_MEMORY``."""

from __future__ import annotations

import pytest
from django.db import connection

from kawal.web import demo
from kawal.web.voters.models import NIK_HASH_INDEX, Voter

pytestmark = pytest.mark.django_db


def _nik_hash_indexes() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Voter._meta.db_table)
    return {name: c["columns"] for name, c in constraints.items() if c["index"] and c["columns"] == ["nik_hash"]}


def test_the_nik_hash_index_is_there_after_a_load(loaded):
    assert _nik_hash_indexes() == {NIK_HASH_INDEX: ["nik_hash"]}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite loads drop and rebuild the index")
def test_a_load_after_a_killed_one_puts_the_index_back(db, city):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(NIK_HASH_INDEX)}")
    assert _nik_hash_indexes() == {}
    kpu, _accounts = demo.create_accounts()
    voter_list = demo.load_list(kpu, city / "dpt.csv")
    assert voter_list.status == "done"
    assert _nik_hash_indexes() == {NIK_HASH_INDEX: ["nik_hash"]}


def test_the_audit_job_runs_under_the_configured_memory_and_says_when_it_is_too_little(db, city, settings):
    """``KAWAL_AUDIT_MEMORY`` reaches the audit: far too little for the list fails the job with the engine's
    message, which names the variable to raise."""
    settings.KAWAL_AUDIT_MEMORY = "16MB"
    kpu, _accounts = demo.create_accounts()
    voter_list = demo.load_list(kpu, city / "dpt.csv")
    voter_list.refresh_from_db()
    assert voter_list.status == "failed" and "16MB" in voter_list.error and "KAWAL_AUDIT_MEMORY" in voter_list.error
