"""kill -9 in the middle of an import leaves the snapshots as they were, and the next import works.

The import is killed at chosen moments, not after a guessed sleep: a child process runs `kawal import` with one
step made to stop and say so (a marker file), and is killed there. ``half``: the voters' Parquet file is half on
disk; ``staged``: both files are written, nothing committed; ``sealing``: inside the commit, the snapshot's three
files sealed in the work folder, the last rename not done."""

import os
import signal
import subprocess
import sys
import time

import pytest

from kawal.engine.snapshots import SnapshotStore, sha256_file
from kawal.synth.generator import generate

CHILD = """
import os, pathlib, sys, time
from kawal.cli.main import main
from kawal.engine import importer, snapshots

point, marker, args = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3:]


def stop_here():
    written = marker.with_suffix(".part")  # renamed into place: the parent never reads a half-written marker
    written.write_text(point)
    os.replace(written, marker)
    time.sleep(600)  # killed long before


if point == "half":
    write = importer._write_parquet

    def half_written(con, work, record_ids):
        write(con, work, record_ids)
        voters = work / snapshots.VOTERS
        with voters.open("r+b") as f:
            f.truncate(voters.stat().st_size // 2)
        stop_here()

    importer._write_parquet = half_written
elif point == "staged":
    snapshots.SnapshotStore.commit = lambda self, *a, **k: stop_here()
elif point == "sealing":
    seal = snapshots._seal

    def sealing(path):
        seal(path)
        if path.name == snapshots.META:  # the last file sealed: only the rename into place is left
            stop_here()

    snapshots._seal = sealing
sys.exit(main(args))
"""


def _args(path, data):
    return ["import", str(path), "--stage", "DPT", "--wilayah", "3671", "--data", str(data)]


@pytest.fixture(scope="module")
def cities(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    generate(2000, seed=1, out=root / "first")
    generate(3000, seed=2, out=root / "second")
    return root / "first" / "dpt.csv", root / "second" / "dpt.csv"


@pytest.mark.parametrize("point", ["half", "staged", "sealing"])
def test_a_killed_import_leaves_the_previous_snapshot_intact(tmp_path, cities, point):
    first, second = cities
    data, marker = tmp_path / "data", tmp_path / "stopped"
    subprocess.run([sys.executable, "-m", "kawal", *_args(first, data)], check=True, capture_output=True)
    before = SnapshotStore(data).list()
    assert len(before) == 1

    command = [sys.executable, "-c", CHILD, point, str(marker), *_args(second, data)]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert marker.read_text() == point, child.stderr.read() if child.poll() is not None else "never got there"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    left = [p.relative_to(data / ".staging").as_posix() for p in (data / ".staging").rglob("*") if p.is_file()]
    assert any(name.endswith("voters.parquet") for name in left), left  # killed with the new data on disk

    after = SnapshotStore(data).list()
    assert [s.name for s in after] == [s.name for s in before]  # nothing half-written became a snapshot
    snapshot = after[0]
    assert sha256_file(snapshot.voters_path) == snapshot.meta["voters_sha256"]
    subprocess.run([sys.executable, "-m", "kawal", *_args(second, data)], check=True, capture_output=True)
    done = SnapshotStore(data).list()  # the next one goes through, whole
    assert len(done) == 2 and sha256_file(done[-1].voters_path) == done[-1].meta["voters_sha256"]
    assert done[-1].counts["rows_in"] == 3000 == done[-1].counts["loaded"] + done[-1].counts["rejected"]
