"""A short, bounded load run against the production set-up (gunicorn workers, the database, the photo worker on
the task queue) on loopback: no errors, nothing lost, nothing stored twice, every photo's served copy made. The full ramp and the knee are measured by bench/load_bench.py."""

import os

from tests.loadgen import Mix, Server, Step, free_port, integrity, photo_backlog, run_step, server_env


def test_a_short_election_night_mix_loses_nothing(tmp_path):
    database_url = os.environ.get("KAWAL_LOAD_DATABASE_URL")  # default: SQLite in the temp folder
    server = Server(server_env(tmp_path, database_url), free_port())
    server.env["KAWAL_LOAD_RELAWAN"] = "10"
    server.start(workers=2)
    try:
        mix = Mix(server.seed, server.port, photo_share=0.08)
        step = run_step(mix, Step(rate=20, seconds=4), threads=4)
        backlog, drained = photo_backlog(server, wait=90)
        checked = integrity(server, mix)
    finally:
        server.stop()
    assert step.sent == 80 and step.errors == 0, step
    assert checked["lost"] == 0 and checked["duplicated"] == 0
    acked = len(mix.acked_visits) + len(mix.acked_entries) + sum(len(ids) for ids in mix.acked_photos.values())
    assert checked["stored"] == acked > 20
    assert checked["photos"] >= 1  # 12-megapixel uploads are part of the mix
    assert drained < 90, f"{backlog} photos still without a served copy"  # the photo worker made every one
