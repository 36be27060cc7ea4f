"""Issue 16, personal data at rest: an audit's outputs (`audits/<pk>/findings.csv`, `rejects.csv`, the duplicate
pairs and record keys) held names and full NIKs in clear, and retention never deleted them. They are removed
once loaded into the database; a folder an interrupted job left behind goes with the list at retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kawal.web import retention
from kawal.web.voters.jobs import audit_folder, reaudit
from kawal.web.voters.models import Finding, VoterList
from tests.web.conftest import city, loaded  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_the_audit_folder_is_removed_once_loaded(loaded):  # noqa: F811
    assert Finding.unscoped.filter(audit__voter_list=loaded).exists()  # what it held is in the database
    assert not audit_folder(loaded).exists()
    reaudit(loaded.pk)  # "Audit ulang" too
    assert not audit_folder(loaded).exists()


def test_retention_removes_a_leftover_audit_folder(loaded):  # noqa: F811
    leftover = audit_folder(loaded)
    leftover.mkdir(parents=True)
    (leftover / "findings.csv").write_text("record_id,nama,nik\n1,BUDI,3671051708900003\n")
    VoterList.objects.filter(pk=loaded.pk).update(created_at=timezone.now() - timedelta(days=400))
    retention.apply(365)
    assert not leftover.exists()
