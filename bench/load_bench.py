"""Load on the production set-up: gunicorn workers (kawal.web.gunicorn_conf) + PostgreSQL + Redis + the photo
worker on the task queue, on loopback, with an election-night mix (relawan visits and C.Hasil entries with
photos, 12-megapixel photo uploads, a tenth of everything resent, task lists, the public tally), at rising rates.
Prints requests/s achieved, p50/p95/p99 and errors per step, the knee (the first rate where p95 passes 300 ms or
the server falls 5% behind), how many photos waited for their served copy and how long the queue took to drain,
and whether any acknowledged submission was lost or stored twice.

    .venv/bin/python bench/load_bench.py [--rates 25,50,100,150,200,250,300] [--seconds 15] [--workers 5]
        [--photo-share 0.02] [--database-url postgres://postgres@127.0.0.1:5432/kawal_load]
        [--cache-url redis://127.0.0.1:6379/15]

The database and the Redis database named are emptied first (they must not be ones you need).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.loadgen import Mix, Server, Step, free_port, integrity, photo_backlog, run_step, server_env


def fresh_database(url: str) -> None:
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = [
        "psql",
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]
    subprocess.run([*admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run([*admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="25,50,100,150,200,250,300")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=24)
    parser.add_argument("--photo-share", type=float, default=0.02, help="share of requests that upload a photo")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/kawal_load")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/15", help="emptied first, like the database")
    args = parser.parse_args()
    fresh_database(args.database_url)
    redis.Redis.from_url(args.cache_url).flushdb()
    with tempfile.TemporaryDirectory(prefix="kawal-load-") as data:
        server = Server(server_env(Path(data), args.database_url), free_port())
        server.env["KAWAL_CACHE_URL"] = args.cache_url  # shared by the workers, as in production
        server.start(args.workers)
        try:
            mix = Mix(server.seed, server.port, photo_share=args.photo_share)
            run_step(mix, Step(rate=20, seconds=3))  # warm up the workers
            print(
                f"gunicorn {args.workers} workers + PostgreSQL + Redis + photo worker, loopback, {args.seconds:.0f} s per step, "
                f"{args.photo_share:.0%} of requests a 12-megapixel photo ({len(mix.photo) / 2**20:.1f} MiB)"
            )
            print(f"{'target/s':>9} {'done/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
            knee = None
            for rate in (float(r) for r in args.rates.split(",")):
                step = run_step(mix, Step(rate=rate, seconds=args.seconds), threads=args.threads)
                p50, p95, p99 = (1000 * step.percentile(q) for q in (0.5, 0.95, 0.99))
                print(f"{rate:9.0f} {step.achieved:7.1f} {p50:7.1f} {p95:7.1f} {p99:7.1f} {step.errors:6d}")
                if knee is None and (p95 > 300 or step.achieved < 0.95 * rate or step.errors):
                    knee = rate
            backlog, drained = photo_backlog(server)
            checked = integrity(server, mix)
        finally:
            server.stop()
    print(
        f"photos waiting for their served copy when the load stopped: {backlog}; the queue drained in {drained:.0f} s"
    )
    print(f"knee: {'beyond the highest rate tried' if knee is None else f'{knee:.0f} requests/s'}")
    print(
        f"submissions acknowledged and stored: {checked['stored']:,} ({checked['photos']:,} photos; "
        f"{checked['entries_with_photos']:,} C.Hasil entries with a photo); "
        f"lost {checked['lost']}, duplicated {checked['duplicated']}"
    )


if __name__ == "__main__":
    main()
