"""Issue 16, personal data at rest: snapshots held every NIK, name and birth date in clear in the data folder. The
site seals every snapshot it writes (a copy of the data folder reads no NIK or name), reads them back for its
pages, and ``kawal keys seal`` seals snapshots written before sealing existed. (The format itself, cut and
changed files, and every engine reader: ``tests/engine/test_sealed_snapshots.py``.)"""

from pathlib import Path

import pytest

from kawal.engine import (
    SnapshotStore,
    import_voter_list,
    sealed_with,
    set_snapshot_keys,
    snapshot_key_id,
    snapshot_voters,
)
from kawal.web import keys
from kawal.web.crypto import decrypt, snapshot_keys
from kawal.web.voters.models import Voter
from tests.web.conftest import city, loaded  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_the_site_seals_its_snapshots_and_reads_them(loaded, settings):  # noqa: F811
    snapshot = SnapshotStore(Path(settings.SNAPSHOT_ROOT)).get(loaded.snapshot)
    assert sealed_with(snapshot.voters_path) == snapshot_key_id(snapshot_keys()[0])
    assert sealed_with(snapshot.rejects_path) == snapshot_key_id(snapshot_keys()[0])
    raw = snapshot.voters_path.read_bytes()
    people = list(Voter.unscoped.filter(voter_list=loaded).exclude(nik_encrypted="")[:40])
    assert people
    for voter in people:
        assert decrypt(voter.nik_encrypted).encode() not in raw and voter.nama.encode() not in raw
    read_back = sum(len(batch) for batch in snapshot_voters(snapshot.voters_path, 1000))
    assert read_back == loaded.loaded == Voter.unscoped.filter(voter_list=loaded).count()


@pytest.fixture
def plain_snapshot(loaded, settings, city, tmp_path):  # noqa: F811
    lines = (city / "dpt.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    own = tmp_path / "dps.csv"  # a file of its own (one row fewer): no other test's snapshot of it to reuse
    own.write_text("".join(lines[:1] + lines[2:]), encoding="utf-8")
    set_snapshot_keys(None, *snapshot_keys())  # as a site from before sealing wrote them
    try:
        store = SnapshotStore(Path(settings.SNAPSHOT_ROOT))
        plain = import_voter_list(own, "DPS", "3671", store).snapshot
    finally:
        set_snapshot_keys(*snapshot_keys())
    return plain


def test_keys_seal_seals_the_snapshots_written_plain(plain_snapshot):
    assert sealed_with(plain_snapshot.voters_path) is None
    assert keys.snapshot_files()["plain"] >= 2
    before = sum(len(batch) for batch in snapshot_voters(plain_snapshot.voters_path, 1000))

    assert keys.seal_snapshots() >= 2

    assert keys.snapshot_files()["plain"] == 0 and keys.snapshot_files()["old"] == 0
    assert sealed_with(plain_snapshot.voters_path) == snapshot_key_id(snapshot_keys()[0])
    assert sum(len(batch) for batch in snapshot_voters(plain_snapshot.voters_path, 1000)) == before > 0
