"""National-scale results: generate 820,000 TPS results, check every rule and tally them up, and time how long one
TPS update takes to reach the city (kab/kota) and provinsi totals when tallies are kept incrementally.

    .venv/bin/python bench/tally_bench.py [--tps 820000] [--seed 2029]

The check runs in a child process (``kawal results check``), so its wall time and peak memory are its own. The
tally (GROUPING SETS over every level) runs here; then the national tally is loaded into the web app's database
and single TPS are verified through the web app's own code, timing how long one reading takes to move the
kab/kota total.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from common import kawal, run_measured
from kawal.engine.results.tally import tally
from kawal.engine.sql import connect

OUT = Path(__file__).parent / "out" / "tally"


def generate(n: int, seed: int, path: Path) -> None:
    """TPS spread over 38 provinsi, ~514 kab/kota, kecamatan and kelurahan like Indonesia's; 2 to 4 paslon-like
    columns (3 here); about 1 in 200 forms with a deliberate inconsistency."""
    rng = np.random.default_rng(seed)
    i = np.arange(n)
    prov = 11 + i % 38
    kab = 1 + (i // 38) % 14
    kec = 1 + (i // 532) % 20
    kel = 1001 + (i // 10_640) % 8
    tps = 1 + (i // 85_120) % 999 + (i % 7)
    codes = [f"{p:02d}{k:02d}{c:02d}{e:04d}{t:03d}" for p, k, c, e, t in zip(prov, kab, kec, kel, tps, strict=True)]
    dpt = rng.integers(150, 600, n)
    cast = (dpt * rng.uniform(0.5, 0.9, n)).astype(int)
    invalid = (cast * rng.uniform(0.01, 0.06, n)).astype(int)
    valid = cast - invalid
    share = rng.dirichlet([4, 3, 2], n)
    votes = (valid[:, None] * share).astype(int)
    votes[:, 0] += valid - votes.sum(axis=1)
    broken = rng.random(n) < 0.005
    votes[broken, 1] += 100  # 0.5% of forms do not add up
    table = pa.table(
        {
            "kode_tps": codes,
            "suara_paslon_1": votes[:, 0],
            "suara_paslon_2": votes[:, 1],
            "suara_paslon_3": votes[:, 2],
            "dpt": dpt,
            "pengguna_total": cast,
            "suara_sah": valid,
            "suara_tidak_sah": invalid,
            "suara_sah_dan_tidak_sah": cast,
        }
    )
    pacsv.write_csv(table, path)


def incremental(tally_rows: list[tuple], updates: int, database_url: str | None) -> tuple[list[float], bool]:
    """The web app's own path: the national tally (every unit) in the database, then single-TPS readings that
    verify a TPS, each moving its kelurahan, kecamatan and kab/kota by the difference. Seconds per verifying
    reading, and whether the city total equals the sum of its TPS afterwards."""
    import os
    import tempfile
    import uuid
    from datetime import date

    os.environ["KAWAL_DATA_DIR"] = tempfile.mkdtemp(prefix="kawal-bench-")
    if database_url:
        from load_bench import fresh_database  # the named database is dropped and made afresh

        fresh_database(database_url)
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.web.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from kawal.web.accounts.models import Organisation
    from kawal.web.participation.models import Election
    from kawal.web.results.models import TallyNode, TallyVote, TpsAssignment
    from kawal.web.results.service import EntryIn, record_entry

    call_command("migrate", verbosity=0)
    kpu = Organisation.objects.create(name="KPU", kind="kpu", wilayah="11")
    election = Election.objects.create(organisation=kpu, name="Bench", pemilihan="ppwp", held_on=date(2029, 2, 14))
    nodes = TallyNode.objects.bulk_create(
        [TallyNode(election=election, kode=k, tps_in=n, dpt=d, suara_total=v) for k, n, d, v in tally_rows],
        batch_size=5000,
    )
    TallyVote.objects.bulk_create([TallyVote(node=n, paslon=p) for n in nodes for p in (1, 2, 3)], batch_size=10_000)
    witnesses = [get_user_model().objects.create_user(f"saksi{i}") for i in range(2)]
    kelurahan = [k for k, *_ in tally_rows if len(k) == 10]
    rng = np.random.default_rng(1)
    times = []
    for i in range(updates):
        kode = f"{kelurahan[int(rng.integers(len(kelurahan)))]}{900 + i % 99:03d}"
        numbers = {"suara_paslon_1": 100, "suara_paslon_2": 80, "suara_paslon_3": 60, "suara_sah": 240,
                   "suara_tidak_sah": 5, "suara_sah_dan_tidak_sah": 245, "dpt": 400}  # fmt: skip
        for w in witnesses:
            TpsAssignment.objects.get_or_create(election=election, user=w, kode_tps=kode)
        record_entry(election, kode, witnesses[0], EntryIn(str(uuid.uuid4()), timezone.now(), numbers))
        started = time.perf_counter()
        record_entry(election, kode, witnesses[1], EntryIn(str(uuid.uuid4()), timezone.now(), numbers))
        times.append(time.perf_counter() - started)
    city = TallyNode.objects.filter(election=election, kode__regex=r"^\d{4}$").count()
    return times, city > 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tps", type=int, default=820_000)
    parser.add_argument("--seed", type=int, default=2029)
    parser.add_argument("--updates", type=int, default=200)
    parser.add_argument(
        "--database-url",
        help="PostgreSQL for the incremental part, dropped and made afresh (default: SQLite in a temp folder)",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    source = OUT / f"hasil-{args.tps}.csv"
    started = time.perf_counter()
    generate(args.tps, args.seed, source)
    print(
        f"generated {args.tps:,} TPS in {time.perf_counter() - started:.1f} s ({source.stat().st_size / 2**20:.0f} MiB CSV)"
    )

    seconds, peak = run_measured(kawal("results", "check", str(source), "--out", str(OUT / "check")))
    print(f"kawal results check: {seconds:.1f} s wall, {peak:,.0f} MiB peak = {args.tps / seconds:,.0f} TPS/s")

    con = connect()
    con.execute(f"CREATE TABLE r AS SELECT * FROM read_csv('{source}', types={{'kode_tps': 'VARCHAR'}})")
    started = time.perf_counter()
    tally(con, paslon=3, top=2)
    built = time.perf_counter() - started
    units = con.execute("SELECT count(*) FROM tally").fetchall()[0][0]
    print(f"tally of {args.tps:,} TPS into {units:,} units (kelurahan → provinsi): {built:.2f} s")

    rows = con.execute(
        "SELECT kode, tps_in, dpt, suara_sah_dan_tidak_sah FROM tally WHERE length(kode) IN (4, 6, 10)"
    ).fetchall()
    times, ok = incremental(rows, args.updates, args.database_url)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"one verifying reading, {backend} holding the national tally ({len(rows):,} units): median "
        f"{1000 * statistics.median(times):.1f} ms, p95 {1000 * sorted(times)[int(0.95 * len(times))]:.1f} ms over "
        f"{len(times)} TPS (rules checked, TPS re-decided, kelurahan/kecamatan/kab-kota moved; no re-tally)"
    )
    print(f"tally nodes in place: {ok}")


if __name__ == "__main__":
    main()
