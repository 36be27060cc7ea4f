"""After the retention period, personal data is erased; counts, statuses and the action log stay."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kawal.cli.main import main
from kawal.engine.snapshots import SnapshotStore
from kawal.web import retention
from kawal.web.actionlog.models import verify
from kawal.web.field.models import NewVoter
from kawal.web.voters.models import Finding, Voter, VoterList

pytestmark = pytest.mark.django_db


def _age(voter_list, days):
    VoterList.objects.filter(pk=voter_list.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_a_recent_list_is_kept(loaded):
    assert retention.plan(365).lists == []


def test_an_old_list_loses_its_personal_data_but_keeps_its_counts(approved, settings):
    voter_list = approved["loaded"]
    _age(voter_list, 400)
    findings_before = Finding.unscoped.filter(audit__voter_list=voter_list).count()
    snapshot_folder = SnapshotStore(settings.SNAPSHOT_ROOT).folder / voter_list.snapshot
    assert snapshot_folder.exists()
    found = retention.apply(365)
    assert found.lists == [voter_list.pk] and found.voters > 0
    voters = Voter.unscoped.filter(voter_list=voter_list)
    assert not voters.exclude(nama="").exists() and not voters.exclude(nik_encrypted="").exists()
    assert not NewVoter.objects.exclude(nama="").exists()
    assert Finding.unscoped.filter(audit__voter_list=voter_list).count() == findings_before  # the counts stay
    assert not snapshot_folder.exists()
    assert verify()[1] == []  # the action log is untouched and still verifies


def test_the_command_counts_before_it_erases(approved, capsys):
    _age(approved["loaded"], 400)
    assert main(["--lang", "en", "retention", "--days", "365"]) == 0
    assert "Would erase" in capsys.readouterr().out
    assert Voter.unscoped.exclude(nama="").exists()
