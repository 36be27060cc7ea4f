"""The action log is a hash chain: editing, removing or reordering an entry is found."""

import itertools

import pytest
from django.db import connection

from kawal.cli.main import main
from kawal.web.actionlog.models import GENESIS, ActionLog, head, record, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    for i in range(5):
        record("test.step", n=i)
    return list(ActionLog.objects.order_by("seq"))


def _raw(sql, params):
    with connection.cursor() as cursor:  # what an attacker with database access would do, past the model's guard
        if connection.vendor == "postgresql":  # past the append-only trigger too, as a superuser can
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def test_entries_link_to_their_predecessor(chain):
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5] and chain[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(chain))
    assert verify() == (5, []) and head() == (5, chain[-1].entry_hash)


def test_an_edited_entry_is_found(chain):
    _raw("UPDATE actionlog_actionlog SET detail = %s WHERE seq = 3", ['{"n": 99}'])
    _checked, problems = verify()
    assert problems == ["seq 3: isi diubah / content edited"]


def test_a_removed_entry_is_found(chain):
    _raw("DELETE FROM actionlog_actionlog WHERE seq = %s", [2])
    problems = verify()[1]
    assert problems[0].startswith("seq 2: hilang") and "seq 3: prev_hash" in problems[1]


def test_reordered_entries_are_found(chain):
    a, b = chain[1], chain[2]
    _raw("UPDATE actionlog_actionlog SET seq = %s WHERE id = %s", [-1, a.pk])
    _raw("UPDATE actionlog_actionlog SET seq = %s WHERE id = %s", [a.seq, b.pk])
    _raw("UPDATE actionlog_actionlog SET seq = %s WHERE id = %s", [b.seq, a.pk])
    assert verify()[1] == [  # exactly the two entries that moved, each with the place it was written at
        "seq 2: entri ini ditulis sebagai seq 3, urutan diubah / this entry was written as seq 3: reordered",
        "seq 3: entri ini ditulis sebagai seq 2, urutan diubah / this entry was written as seq 2: reordered",
    ]


def test_kawal_log_verify_exits_1_on_a_broken_chain(chain, capsys):
    assert main(["--lang", "en", "log", "verify"]) == 0
    assert "Chain intact: 5 entries" in capsys.readouterr().out
    _raw("UPDATE actionlog_actionlog SET action = %s WHERE seq = 4", ["test.forged"])
    assert main(["--lang", "en", "log", "verify"]) == 1
    assert "Chain BROKEN" in capsys.readouterr().out


def test_the_public_page_shows_the_head_hash(client, chain):
    page = client.get("/publik/").content.decode()
    assert chain[-1].entry_hash in page


def test_an_entry_slipped_in_outside_the_chain_is_found(chain):
    _raw(
        "INSERT INTO actionlog_actionlog (created_at, action, object_type, object_id, detail, prev_hash, entry_hash) "
        "VALUES (%s, %s, '', '', '{}', '', '')",
        ["2024-11-27 10:00:00", "test.forged"],
    )
    assert verify()[1] == ["1 entri di luar rantai / entries outside the chain"]
