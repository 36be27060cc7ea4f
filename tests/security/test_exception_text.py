"""Issue 16: a failing job's exception text, which can quote a row (a name, a NIK), was stored by the task queue
(its result table keeps ``format_exception(exc)``) and logged. Now the queue and the logs get the type only."""

from __future__ import annotations

import logging
import sys

import pytest
from django.core.management import call_command

from kawal.web import demo
from kawal.web.task_errors import JobFailed, WithoutExceptionText
from kawal.web.voters import jobs
from kawal.web.voters.models import VoterList
from tests.web.conftest import city  # noqa: F401  (fixture)

NIK, NAME = "3671010403650018", "SITI AMINAH"
SECRET = f"baris 7: NIK {NIK} milik {NAME} tidak terbaca"


def _explode(*_args: object) -> None:
    raise ValueError(SECRET)


def _upload(city) -> VoterList:  # noqa: F811
    kpu, _ = demo.create_accounts()
    return VoterList.objects.create(
        organisation=kpu,
        uploaded_by=kpu.memberships.get(role="kpu_admin").user,
        stage="DPT",
        wilayah="3671",
        source_name="dpt.csv",
        source_path=str(city / "dpt.csv"),
    )


@pytest.mark.django_db(transaction=True)
def test_the_task_queue_keeps_the_type_never_the_text(city, monkeypatch, caplog):  # noqa: F811
    from django_tasks_db.models import DBTaskResult

    voter_list = _upload(city)
    monkeypatch.setattr(jobs, "_audit", _explode)
    result = jobs.process_upload.using(backend="queue").enqueue(voter_list.pk)
    call_command("db_worker", "--batch", "--backend", "queue", "--no-startup-delay", "--queue-name", "*")
    result.refresh()
    assert result.status == "FAILED"
    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.exception_class_path == "kawal.web.task_errors.JobFailed"
    assert "ValueError" in stored.traceback
    assert NIK not in stored.traceback and NAME not in stored.traceback
    failed = VoterList.objects.get(pk=voter_list.pk)
    assert failed.status == "failed" and "ValueError" in failed.error and NIK not in failed.error
    assert NIK not in caplog.text and NAME not in caplog.text


@pytest.mark.django_db
def test_every_job_is_wrapped(city, monkeypatch):  # noqa: F811
    """The immediate backend (tests, small sites) stores the same: JobFailed naming the type."""
    monkeypatch.setattr(jobs, "_audit", _explode)
    result = jobs.process_upload.enqueue(_upload(city).pk)
    error = result.errors[0]
    assert error.exception_class is JobFailed and NIK not in error.traceback
    from kawal.web.incidents.messaging import tasks as chat_tasks
    from kawal.web.photos import tasks as photo_tasks

    for job in (jobs.process_upload, jobs.reaudit_list, chat_tasks.send_reply, chat_tasks.fetch_chat_media):
        assert job.func.__wrapped__ is not None  # functools.wraps of without_exception_text
    assert photo_tasks.derive_served.func.__wrapped__ is not None


def test_the_log_handler_writes_the_type_and_frames_only():
    try:
        _explode()
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/x",), sys.exc_info()
        )
    assert WithoutExceptionText().filter(record)
    text = logging.Formatter().format(record)
    assert "ValueError" in text and "_explode" in text and NIK not in text and NAME not in text
    configured = [
        h for h in logging.getLogger().handlers if any(isinstance(f, WithoutExceptionText) for f in h.filters)
    ]
    assert configured, "the console handler of settings.LOGGING carries the filter"
