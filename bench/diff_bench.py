"""``kawal diff`` across stages: a generated DPS and the next list made from it with known changes, compared.

The next list (a coklit result, Model A with marks) keeps every DPS row but: 2% struck with a TMS code in
KETERANGAN (still shown), 1% gone without a mark, 3% with a new address marked U, 1.5% new voters marked B. The
diff runs on the full lists (paired on NIK) and on the same two lists as published (NIK/NKK after six digits and
birth day and month hidden: paired on name, birth year and RT). Prints wall time and peak memory of each
``kawal diff`` and whether its counts are the ones made.

    .venv/bin/python bench/diff_bench.py [--voters 200000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from pathlib import Path

import duckdb

from common import generate_list, kawal, load, run_measured

OUT = Path(__file__).parent / "out" / "diff"
# Shares of the DPS rows, by a hash of the row id so the same rows are chosen on every run.
STRUCK, REMOVED, CHANGED, ADDED = 0.02, 0.01, 0.03, 0.015


def make_lists(dps: Path, folder: Path, published: bool) -> tuple[Path, Path, dict[str, int]]:
    """DPS and coklit-result CSVs (published or full) and the counts that were made."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE d AS SELECT *, hash(id) % 10000 / 10000.0 AS u FROM read_csv('{dps}', all_varchar=true)")
    if published:
        con.execute(
            """UPDATE d SET nik = left(nik, 6) || '**********', nkk = left(nkk, 6) || '**********',
               tanggal_lahir = CASE WHEN length(tanggal_lahir) = 10 THEN '**-**-' || right(tanggal_lahir, 4)
                                    ELSE tanggal_lahir END"""
        )
    old, new = folder / "dps.csv", folder / "coklit.csv"
    con.execute(f"COPY (SELECT * EXCLUDE (u) FROM d) TO '{old}' (HEADER)")
    tms = "CAST(1 + CAST(u * 1000 AS INTEGER) % 8 AS VARCHAR)"
    con.execute(
        f"""COPY (
            SELECT * EXCLUDE (u, keterangan, alamat),
                   CASE WHEN u < {STRUCK} THEN 'TMS ' || {tms} WHEN u < {STRUCK + REMOVED + CHANGED} THEN 'U'
                        ELSE keterangan END AS keterangan,
                   CASE WHEN u >= {STRUCK + REMOVED} AND u < {STRUCK + REMOVED + CHANGED} THEN alamat || ' BARU'
                        ELSE alamat END AS alamat
            FROM d WHERE NOT (u >= {STRUCK} AND u < {STRUCK + REMOVED})
            UNION ALL BY NAME
            SELECT * EXCLUDE (u, keterangan, id, nama, nik), 'B' AS keterangan, 'B' || id AS id,
                   nama || ' BARU' AS nama, left(nik, 12) || '9' || right(nik, 3) AS nik
            FROM d WHERE u >= 1 - {ADDED}
        ) TO '{new}' (HEADER)"""
    )
    made = dict(
        zip(
            ("rows", "struck", "removed", "changed", "added"),
            con.execute(
                f"""SELECT count(*), count(*) FILTER (u < {STRUCK}),
                       count(*) FILTER (u >= {STRUCK} AND u < {STRUCK + REMOVED}),
                       count(*) FILTER (u >= {STRUCK + REMOVED} AND u < {STRUCK + REMOVED + CHANGED}),
                       count(*) FILTER (u >= 1 - {ADDED}) FROM d"""
            ).fetchall()[0],
            strict=True,
        )
    )
    return old, new, made


def measure(old: Path, new: Path, data: Path) -> tuple[float, float, dict]:
    shutil.rmtree(data, ignore_errors=True)
    for path, stage in ((old, "DPS"), (new, "COKLIT")):
        run_measured(kawal("import", str(path), "--stage", stage, "--wilayah", "3671", "--data", str(data)))
    seconds, peak = run_measured(kawal("diff", "1", "2", "--data", str(data), "--csv", str(data / "kel.csv")))
    result = subprocess.run(kawal("diff", "1", "2", "--data", str(data), "--json"), capture_output=True, check=True)
    return seconds, peak, json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voters", type=int, default=200_000)
    args = parser.parse_args()
    dps = generate_list("kawal", args.voters, seed=7) / "dpt.csv"
    print(f"kawal diff, DPS -> coklit result, {args.voters:,} voters (load {load()})")
    for published in (False, True):
        label = "published (hidden digits)" if published else "full"
        old, new, made = make_lists(dps, OUT / label.split()[0], published)
        seconds, peak, r = measure(old, new, OUT / f"data-{label.split()[0]}")
        print(
            f"{label:26} {seconds:6.1f} s {peak:7.0f} MiB  paired {r['matched_by']}\n"
            f"{'':26} old {r['old_rows']:,} = kept {r['kept']:,} + struck {r['struck']:,} + removed {r['removed']:,}"
            f"; new {r['new_rows']:,} = kept {r['kept']:,} + struck {r['struck_in_new']:,} + added {r['added']:,}"
            f" (B {r['added_b']:,}); changed {r['changed']:,} (U {r['marked_u']:,}); reconciled {r['reconciled']}\n"
            f"{'':26} made: struck {made['struck']:,}, removed {made['removed']:,}, U {made['changed']:,}, "
            f"added {made['added']:,}"
        )


if __name__ == "__main__":
    main()
