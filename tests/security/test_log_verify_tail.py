"""Issue 19: `kawal log verify` said "Chain intact" after entries were deleted from the log's tail, since a hash
chain cannot see a cut at its end. A cut shows against a signed checkpoint (tests/security/test_log_checkpoints.py);
verify now also says how many of the last entries no checkpoint covers yet, and the cut itself makes it fail."""

from __future__ import annotations

import pytest
from django.db import connection

from kawal.cli.main import main
from kawal.web.actionlog import checkpoints
from kawal.web.actionlog.models import record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checkpoint_file(tmp_path, settings):
    settings.LOG_CHECKPOINTS = str(tmp_path / "log" / "checkpoints.jsonl")


def _cut_after(seq: int) -> None:
    with connection.cursor() as cursor:  # past the model's guard and, on PostgreSQL, the trigger
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM actionlog_actionlog WHERE seq > %s", [seq])


def _verify(capsys) -> tuple[int, str]:
    code = main(["--lang", "en", "log", "verify"])
    return code, " ".join(capsys.readouterr().out.split())


def test_verify_names_the_entries_no_checkpoint_covers(capsys):
    for i in range(4):
        record("test.step", n=i)
    code, out = _verify(capsys)
    assert code == 0 and "Chain intact: 4 entries" in out
    assert "the last 4 entries are not covered by a checkpoint yet (latest: -)" in out
    checkpoints.make()
    code, out = _verify(capsys)
    assert code == 0 and "not covered" not in out  # the head itself is signed
    record("test.step", n=4)
    record("test.step", n=5)
    code, out = _verify(capsys)
    assert code == 0 and "the last 2 entries are not covered by a checkpoint yet (latest: #4)" in out


def test_entries_deleted_from_the_tail_make_verify_fail(capsys):
    for i in range(6):
        record("test.step", n=i)
    checkpoints.make()
    assert _verify(capsys)[0] == 0
    _cut_after(3)
    code, out = _verify(capsys)
    assert code == 1 and "Chain BROKEN" in out and "its tail was cut" in out
