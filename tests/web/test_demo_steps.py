"""``kawal demo`` imports and audits the city once: the site's upload job does it, and the demo scores the
findings from the job's work folder (``jobs.on_audited``) before the folder is removed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from kawal.engine import SnapshotStore
from kawal.synth.generator import generate
from kawal.synth.score import score_audit
from kawal.web import demo
from kawal.web.voters import jobs
from kawal.web.voters.models import AuditRun, Finding, Voter, VoterList


@pytest.fixture
def small_city(tmp_path: Path) -> Path:
    generate(2000, seed=7, out=tmp_path)
    return tmp_path


def _snapshots_of(path: Path) -> list:
    from kawal.engine.snapshots import sha256_file

    digest = sha256_file(path)
    return [s for s in SnapshotStore(Path(settings.SNAPSHOT_ROOT)).list() if s.meta["source"]["sha256"] == digest]


def test_the_job_audits_once_and_the_demo_scores_its_findings(db, small_city, monkeypatch):
    kpu, _accounts = demo.create_accounts()
    seen: list[tuple[Path, dict]] = []

    def audited(out: Path, result) -> None:
        findings = out / "findings.csv"
        assert findings.is_file()  # still there while the hook runs
        scores = score_audit(findings, small_city / "truth.csv", small_city / "dpt.csv")
        seen.append((out, {"summary": result.summary, "scores": scores}))

    monkeypatch.setattr(jobs, "on_audited", audited)
    voter_list = demo.load_list(kpu, small_city / "dpt.csv")

    assert voter_list.status == VoterList.Status.DONE
    assert len(seen) == 1, "the list is audited exactly once"
    out, got = seen[0]
    assert not out.exists(), "the job's work folder (names and NIKs in clear) is removed after the hook"
    summary = got["summary"]
    assert voter_list.rows_in == voter_list.loaded + voter_list.rejected == summary["rows_in"]
    assert voter_list.loaded == summary["audited"] == Voter.unscoped.filter(voter_list=voter_list).count()
    run = AuditRun.objects.get(voter_list=voter_list)
    assert Finding.unscoped.filter(audit=run).count() == sum(c["findings"] for c in summary["checks"].values())
    assert got["scores"]["PEMILIH_GANDA"].true_positives > 0
    assert len(_snapshots_of(small_city / "dpt.csv")) == 1, "one import, one snapshot"


def test_a_second_demo_run_reuses_the_loaded_list(db, small_city, monkeypatch):
    kpu, _accounts = demo.create_accounts()
    first = demo.load_list(kpu, small_city / "dpt.csv")
    calls: list[Path] = []
    monkeypatch.setattr(jobs, "on_audited", lambda out, result: calls.append(out))

    assert demo.loaded_list(kpu, small_city / "dpt.csv") == first
    again = demo.load_list(kpu, small_city / "dpt.csv")

    assert again.pk == first.pk and calls == []
    assert VoterList.objects.filter(organisation=kpu).count() == 1
    assert AuditRun.objects.filter(voter_list=first).count() == 1
    assert len(_snapshots_of(small_city / "dpt.csv")) == 1


def test_an_interrupted_load_is_run_again_on_the_same_list(db, small_city):
    kpu, _accounts = demo.create_accounts()
    first = demo.load_list(kpu, small_city / "dpt.csv")
    VoterList.objects.filter(pk=first.pk).update(status=VoterList.Status.RUNNING)  # as if killed mid-way

    assert demo.loaded_list(kpu, small_city / "dpt.csv") is None
    again = demo.load_list(kpu, small_city / "dpt.csv")

    assert again.pk == first.pk and again.status == VoterList.Status.DONE
    assert VoterList.objects.filter(organisation=kpu).count() == 1
    assert Voter.unscoped.filter(voter_list=again).count() == again.loaded  # loaded afresh, not twice
    assert AuditRun.objects.filter(voter_list=again, superseded_at=None).count() == 1
