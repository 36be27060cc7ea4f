"""Issue 16: the action log's tail could be cut unnoticed (``kawal log verify`` walked to whatever the last row
was), and queryset ``delete()``/``update()`` and raw SQL passed the append-only guard.

Signed checkpoints name an entry that must still be there; on PostgreSQL a trigger refuses UPDATE and DELETE."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, connection, transaction

from kawal.cli.main import main
from kawal.web.actionlog import checkpoints
from kawal.web.actionlog.models import ActionLog, Checkpoint, record, verify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checkpoint_file(tmp_path, settings):
    settings.LOG_CHECKPOINTS = str(tmp_path / "log" / "checkpoints.jsonl")
    return tmp_path / "log" / "checkpoints.jsonl"


@pytest.fixture
def chain():
    for i in range(6):
        record("test.step", n=i)


def _raw(sql: str, params: list) -> None:
    """What someone with the database's superuser would do: past the model's guard and the trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def test_a_cut_tail_is_found_against_the_last_checkpoint(chain):
    signed = checkpoints.make()
    assert signed.seq == 6 and signed.valid() and verify() == (6, [])
    _raw("DELETE FROM actionlog_actionlog WHERE seq > %s", [4])  # what the chain alone cannot see
    checked, problems = verify()
    assert checked == 4
    assert len(problems) == 1 and problems[0].startswith("titik periksa #6") and "tail was cut" in problems[0]


def test_cutting_the_checkpoints_too_is_found_by_the_file(chain, checkpoint_file):
    checkpoints.make()
    _raw("DELETE FROM actionlog_actionlog WHERE seq > %s", [4])
    _raw("DELETE FROM actionlog_checkpoint", [])
    problems = verify()[1]
    assert "checkpoint #6 is in the file but not in the database" in problems[0]
    assert "tail was cut" in problems[1]
    assert json.loads(checkpoint_file.read_text().splitlines()[0])["seq"] == 6
    assert checkpoint_file.stat().st_mode & 0o777 == 0o600


def test_a_forged_checkpoint_is_refused(chain):
    signed = checkpoints.make()
    _raw("UPDATE actionlog_checkpoint SET seq = %s", [3])  # an attacker moves the checkpoint back after cutting
    problems = verify()[1]
    assert "titik periksa #3: tanda tangan tidak sah / checkpoint #3: signature invalid" in problems
    assert signed.valid()


def test_a_rewritten_tail_differs_from_the_checkpoint(chain):
    checkpoints.make()
    entry = ActionLog.objects.get(seq=6)
    _raw("UPDATE actionlog_actionlog SET entry_hash = %s WHERE seq = 6", ["f" * 64])
    problems = verify()[1]
    assert "seq 6: berbeda dari titik periksa" in problems[-1] and entry.entry_hash != "f" * 64


def test_a_published_checkpoint_is_read_by_the_command(chain, tmp_path, capsys):
    assert main(["--lang", "en", "log", "checkpoint"]) == 0
    published = tmp_path / "published.jsonl"
    published.write_text(capsys.readouterr().out)  # what the operator keeps elsewhere
    _raw("DELETE FROM actionlog_checkpoint", [])
    checkpoints.checkpoint_file().unlink()
    _raw("DELETE FROM actionlog_actionlog WHERE seq > %s", [2])
    assert main(["--lang", "en", "log", "verify"]) == 0  # nothing left on the server to tell
    assert main(["--lang", "en", "log", "verify", "--checkpoint", str(published)]) == 1
    assert "its tail was cut" in capsys.readouterr().out


def test_the_model_refuses_changes_to_checkpoints(chain):
    checkpoints.make()
    point = Checkpoint.objects.get()
    with pytest.raises(Exception, match="never"):
        point.save()
    with pytest.raises(Exception, match="never"):
        point.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize(
    "write",
    [
        lambda: ActionLog.objects.filter(seq=2).update(action="test.forged"),
        lambda: ActionLog.objects.filter(seq__gt=4).delete(),
        lambda: Checkpoint.objects.all().delete(),
        lambda: connection.cursor().execute("UPDATE actionlog_actionlog SET detail = '{}'"),
        lambda: connection.cursor().execute("DELETE FROM actionlog_actionlog WHERE seq = 6"),
    ],
)
def test_postgresql_refuses_update_and_delete(chain, write):
    checkpoints.make()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        write()
    assert verify() == (6, [])
