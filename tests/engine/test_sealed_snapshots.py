"""Snapshots sealed at rest (issue 16): whoever copies the data folder reads no NIK or name, and every reader of a
snapshot (audit, diff, rows for the web, samples) gives the same answers as on a plain snapshot."""

from __future__ import annotations

import os
import threading

import pytest

from kawal.engine import sealed
from kawal.engine.audit import audit
from kawal.engine.diff import diff_snapshots
from kawal.engine.importer import import_voter_list
from kawal.engine.rows import snapshot_rejects, snapshot_voters
from kawal.engine.sampling.snapshot import draw_from, strata_sizes
from kawal.engine.snapshots import SnapshotStore, sha256_file
from kawal.engine.sql import connect, literal
from kawal.synth.generator import generate

KEY, OTHER = bytes(range(32)), bytes(range(32, 64))


@pytest.fixture(autouse=True)
def no_keys():
    sealed.set_keys(None)
    yield
    sealed.set_keys(None)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("city")
    generate(6_000, seed=5, out=out)
    return out / "dpt.csv"


def _import(city, root, stage="DPT"):
    return import_voter_list(city, stage, "3671", SnapshotStore(root)).snapshot


def _people(snapshot):
    rows = [tuple(sorted(r.items())) for batch in snapshot_voters(snapshot.voters_path, 5_000) for r in batch]
    return sorted(rows, key=repr)


def test_a_sealed_snapshot_shows_no_personal_data_and_reads_the_same(city, tmp_path):
    plain = _import(city, tmp_path / "plain")
    sealed.set_keys(KEY)
    shut = _import(city, tmp_path / "sealed")

    assert not sealed.is_sealed(plain.voters_path) and plain.meta["sealed"] is False
    assert sealed.is_sealed(shut.voters_path) and sealed.is_sealed(shut.rejects_path) and shut.meta["sealed"]
    assert shut.meta["voters_sha256"] == sha256_file(shut.voters_path)
    some = next(snapshot_voters(plain.voters_path, 50))
    raw = shut.voters_path.read_bytes() + shut.rejects_path.read_bytes()
    for person in some:
        for value in (person["nik"], person["nama"]):
            assert value and value.encode() not in raw
    assert b"PAR1" not in raw  # not even the Parquet magic: the whole file is sealed

    assert _people(shut) == _people(plain)
    assert snapshot_rejects(shut.rejects_path, 100) == snapshot_rejects(plain.rejects_path, 100)
    assert shut.counts == plain.counts


def test_audit_diff_and_sample_agree_on_sealed_and_plain(city, tmp_path):
    plain = _import(city, tmp_path / "plain")
    sealed.set_keys(KEY)
    shut = _import(city, tmp_path / "sealed")
    shut_dps = _import(city, tmp_path / "sealed", stage="DPS")

    a = audit([str(plain.path)], tmp_path / "a", store=SnapshotStore(tmp_path / "plain"))
    b = audit([str(shut.path)], tmp_path / "b", store=SnapshotStore(tmp_path / "sealed"))
    assert a.findings == b.findings and sum(a.findings.values()) > 0
    assert (tmp_path / "a" / "findings.csv").read_text() == (tmp_path / "b" / "findings.csv").read_text()

    same = diff_snapshots(shut_dps, shut)
    assert (same.old_rows, same.new_rows, same.kept, same.changed) == (plain.counts["loaded"],) * 3 + (0,)

    assert strata_sizes(shut.voters_path, "tps", "kecamatan") == strata_sizes(plain.voters_path, "tps", "kecamatan")
    one = draw_from(shut.voters_path, "sha", "frasa publik", unit="tps", by="kecamatan", total=12)
    two = draw_from(plain.voters_path, "sha", "frasa publik", unit="tps", by="kecamatan", total=12)
    assert one.strata == two.strata and one.rows.equals(two.rows)


def test_without_the_key_a_sealed_snapshot_says_which_key_is_missing(city, tmp_path):
    sealed.set_keys(KEY)
    shut = _import(city, tmp_path)
    sealed.set_keys(OTHER)
    with pytest.raises(Exception, match="kunci") as caught:
        next(snapshot_voters(shut.voters_path, 10))
    assert str(shut.path.parent) not in str(caught.value)  # names the file, not where the data folder is


def test_cut_or_changed_bytes_are_refused(tmp_path):
    sealed.set_keys(KEY)
    con = connect()
    target = tmp_path / "t.parquet"
    con.execute(
        f"COPY (SELECT range AS n, 'nama ' || range AS nama FROM range(400000)) TO {literal(sealed.target(target))}"
    )
    assert con.execute(f"SELECT sum(n) FROM read_parquet({literal(sealed.source(target))})").fetchone()[0] == sum(
        range(400000)
    )
    whole = target.read_bytes()
    assert len(whole) > 2 * (sealed.CHUNK + sealed.TAG)  # several chunks, so a cut at a chunk boundary is possible
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(whole[: sealed.HEADER + 2 * (sealed.CHUNK + sealed.TAG)])
    changed = tmp_path / "changed.parquet"
    flipped = bytearray(whole)
    flipped[sealed.HEADER + 10] ^= 1
    changed.write_bytes(bytes(flipped))
    for bad in (cut, changed):
        reader = sealed.SealedReader(bad)
        with pytest.raises(sealed.SealedFileError, match="rusak"):
            reader.seek(0)
            reader.read(sealed.CHUNK * 3)
        reader.close()


def test_threads_read_their_own_places(tmp_path):
    sealed.set_keys(KEY)
    path = tmp_path / "bytes.bin"
    data = os.urandom(3 * sealed.CHUNK + 12345)
    with sealed.SealedWriter(path, KEY) as writer:
        writer.write(data)
    reader = sealed.SealedReader(path)
    assert reader.size == len(data)
    wrong = []

    def read_many(seed: int) -> None:
        for i in range(200):
            at = (seed * 7919 + i * 104729) % len(data)
            reader.seek(at)
            if reader.read(5000) != data[at : at + 5000]:
                wrong.append(at)

    threads = [threading.Thread(target=read_many, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


def test_reseal_moves_plain_and_old_key_snapshots_to_the_current_key(city, tmp_path):
    store = SnapshotStore(tmp_path)
    plain = _import(city, tmp_path)
    sealed.set_keys(OTHER)
    old = _import(city, tmp_path, stage="DPS")
    before_plain, before_old = _people(plain), _people(old)

    sealed.set_keys(KEY, OTHER)
    assert store.reseal() == 4
    assert store.reseal() == 0
    for snap in store.list():
        assert sealed.sealed_with(snap.voters_path) == sealed.key_id(KEY)
        assert snap.meta["sealed"] and snap.meta["voters_sha256"] == sha256_file(snap.voters_path)
        assert oct(snap.voters_path.stat().st_mode & 0o777) == "0o400"
    sealed.set_keys(KEY)  # the old key is gone: everything still reads
    assert _people(store.get(plain.name)) == before_plain and _people(store.get(old.name)) == before_old
