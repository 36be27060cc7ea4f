"""National-scale results: generate 820,000 TPS results, check every rule and tally them up, and time how long one
TPS update takes to reach the city (kab/kota) and provinsi totals when tallies are kept incrementally.

    .venv/bin/python bench/tally_bench.py [--tps 820000] [--seed 2029]

The check runs in a child process (``kawal results check``), so its wall time and peak memory are its own. The
tally (GROUPING SETS over every level) and the incremental updates run here on the checked data.
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
from kawal.engine.results.tally import ancestors, tally
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


def incremental(con: object, updates: int, seed: int) -> list[float]:
    """Apply ``updates`` single-TPS corrections as deltas to the TPS's ancestors; seconds each."""
    codes = [r[0] for r in con.execute("SELECT kode_tps FROM r USING SAMPLE 2000 ROWS").fetchall()]
    rng = np.random.default_rng(seed)
    con.execute("CREATE UNIQUE INDEX tally_kode ON tally (kode)")
    times = []
    for _ in range(updates):
        code = codes[int(rng.integers(len(codes)))]
        delta = int(rng.integers(-5, 6))
        started = time.perf_counter()
        con.execute("UPDATE r SET suara_paslon_1 = suara_paslon_1 + ? WHERE kode_tps = ?", [delta, code])
        con.execute(
            "UPDATE tally SET suara_paslon_1 = suara_paslon_1 + ? WHERE kode IN (SELECT unnest(?))",
            [delta, ancestors(code, top=2)],
        )
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tps", type=int, default=820_000)
    parser.add_argument("--seed", type=int, default=2029)
    parser.add_argument("--updates", type=int, default=500)
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

    times = incremental(con, args.updates, args.seed)
    print(
        f"one TPS update reaching kab/kota and provinsi totals: median {1000 * statistics.median(times):.2f} ms, "
        f"p95 {1000 * sorted(times)[int(0.95 * len(times))]:.2f} ms over {len(times)} updates "
        f"(a full re-tally takes {built:.2f} s: {built / statistics.median(times):,.0f}× longer)"
    )
    check = con.execute(
        "SELECT (SELECT sum(suara_paslon_1) FROM r) = (SELECT sum(suara_paslon_1) FROM tally WHERE length(kode) = 2)"
    ).fetchall()[0][0]
    print(f"incremental totals equal a full re-count: {check}")


if __name__ == "__main__":
    main()
