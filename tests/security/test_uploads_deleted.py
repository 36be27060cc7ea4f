"""Issue 16, personal data at rest: a kept upload held every NIK in clear, with no use once read. It is deleted
as soon as the import step is over, whether the file was read or refused; a file imported from elsewhere stays."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from kawal.web import demo
from kawal.web.actionlog.models import ActionLog
from kawal.web.voters.models import VoterList
from tests.web.conftest import city, login  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _upload(client, path: Path) -> VoterList:
    demo.create_accounts()
    login(client, "admin.kpu")
    with path.open("rb") as f:
        client.post(reverse("lists"), {"file": f, "stage": "DPS", "wilayah": "3671"})
    return VoterList.objects.latest("pk")


def test_an_imported_upload_is_deleted(client, city):  # noqa: F811
    voter_list = _upload(client, city / "dpt.csv")
    assert voter_list.status == VoterList.Status.DONE and voter_list.loaded == 3000
    assert Path(voter_list.source_path).is_relative_to(Path(settings.UPLOAD_ROOT))
    assert not Path(voter_list.source_path).exists()
    assert list(Path(settings.UPLOAD_ROOT).rglob("*.csv")) == []
    assert ActionLog.objects.filter(action="voter_list.upload_deleted", object_id=str(voter_list.pk)).exists()


def test_a_refused_upload_is_deleted_too(client, tmp_path):
    broken = tmp_path / "dpt.csv"
    broken.write_text("bukan,daftar\n1,2\n")  # no name column: the import refuses it
    voter_list = _upload(client, broken)
    assert voter_list.status == VoterList.Status.FAILED
    assert not Path(voter_list.source_path).exists()


def test_a_list_imported_from_elsewhere_is_left_in_place(db, city):  # noqa: F811
    kpu, _ = demo.create_accounts()
    demo.load_list(kpu, city / "dpt.csv")  # the demo reads its file where it lies
    assert (city / "dpt.csv").exists()
