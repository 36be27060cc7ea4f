"""kill -9 in the middle of an import leaves the snapshots as they were, and the next import works."""

import os
import signal
import subprocess
import sys
import time

from kawal.engine.snapshots import SnapshotStore, sha256_file
from kawal.synth.generator import generate


def _import(path, data):
    return [
        sys.executable,
        "-m",
        "kawal",
        "import",
        str(path),
        "--stage",
        "DPT",
        "--wilayah",
        "3671",
        "--data",
        str(data),
    ]


def test_a_killed_import_leaves_the_previous_snapshot_intact(tmp_path):
    small, big, data = tmp_path / "small", tmp_path / "big", tmp_path / "data"
    generate(2000, seed=1, out=small)
    generate(300_000, seed=2, out=big)
    subprocess.run(_import(small / "dpt.csv", data), check=True, capture_output=True)
    before = SnapshotStore(data).list()
    assert len(before) == 1

    child = subprocess.Popen(_import(big / "dpt.csv", data), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = data / ".staging"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(staging.glob("*")):  # the import has started writing
        time.sleep(0.01)
    time.sleep(0.3)  # well inside the import: reading and writing the Parquet file
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL

    after = SnapshotStore(data).list()
    assert [s.name for s in after] == [s.name for s in before]  # nothing half-written became a snapshot
    snapshot = after[0]
    assert sha256_file(snapshot.voters_path) == snapshot.meta["voters_sha256"]
    subprocess.run(_import(big / "dpt.csv", data), check=True, capture_output=True)  # the next one goes through
    assert len(SnapshotStore(data).list()) == 2
