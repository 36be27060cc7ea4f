"""kawal's duplicate detection against Splink 5 (DuckDB backend) on the same generated lists, side by side.

For each size (100 k and 1 M voters by default) the synthetic city is generated and imported once; then
- **kawal**: ``kawal audit`` on the snapshot (all checks; the linkage step's own time is shown too);
- **Splink 5**: a Fellegi-Sunter model trained without labels, then predict and cluster at p >= 0.5.
Both are scored with the same code against the generator's truth: pairs of rows that are one person.

Splink model (a sensible, documented set-up; the inputs get the cleaning any analyst would do first:
upper case, punctuation removed, leading titles H./HJ./DRS./IR. and degrees after a comma dropped):
- blocking for prediction: (birth date, first 2 letters of name) OR (birth date, last 3 letters) OR NIK OR
  (name, sex) — the same candidate space kawal uses;
- comparisons: name Jaro-Winkler 0.95/0.88 with term-frequency adjustment; birth date exact / Damerau-Levenshtein 1;
  sex exact; NIK exact (near-NIK levels are too rare among random pairs for u to be estimated); birthplace
  exact with term frequencies; NKK exact;
- training: lambda from deterministic rules (same NIK and birth date) with recall 0.6; u by random sampling
  (5 M pairs); m by expectation maximisation blocked on birth date, then on NIK.

Needs the pinned extras: ``.venv/bin/pip install -r requirements/bench.txt``.

    .venv/bin/python bench/splink_compare.py [--sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import logging
import resource
import shutil
import time
from pathlib import Path

import duckdb

from common import kawal, run_measured
from kawal.engine.sql import literal
from kawal.synth.score import Score

OUT = Path(__file__).parent / "out" / "splink"
TITLES = r"^((H|HJ|DRS|DRA|DR|IR|PROF)\s+)+"


def prepare(voters: int) -> tuple[Path, Path, Path]:
    city = OUT / f"city-{voters}"
    if not (city / "truth.csv").exists():
        run_measured(kawal("generate", "--voters", str(voters), "--seed", "2024", "--out", str(city)))
    data = city / "data"
    if not (data / "snapshots").is_dir():
        run_measured(kawal("import", str(city / "dpt.csv"), "--stage", "DPT", "--wilayah", "3671", "--data", str(data)))
    snapshot = next((data / "snapshots").iterdir())
    return city, data, snapshot


def pair_score(predicted_pairs: str, truth: Path, con: duckdb.DuckDBPyConnection) -> Score:
    """Pairs ``(a, b)`` of row numbers (a < b) against the truth's person ids."""
    con.execute(
        f"CREATE OR REPLACE TABLE truth AS SELECT CAST(id AS BIGINT) AS id, person_id FROM read_csv({literal(truth)})"
    )
    con.execute(
        "CREATE OR REPLACE TABLE true_pairs AS SELECT x.id AS a, y.id AS b FROM truth x JOIN truth y "
        "ON x.person_id = y.person_id AND x.id < y.id"
    )
    tp, fp, fn = con.execute(
        f"""SELECT count(*) FILTER (p.a IS NOT NULL AND t.a IS NOT NULL), count(*) FILTER (t.a IS NULL),
                   count(*) FILTER (p.a IS NULL)
            FROM ({predicted_pairs}) p FULL OUTER JOIN true_pairs t ON p.a = t.a AND p.b = t.b"""
    ).fetchall()[0]
    return Score(tp, fp, fn)


def run_kawal(city: Path, data: Path) -> tuple[float, float, float, Score]:
    result = city / "kawal-audit"
    shutil.rmtree(result, ignore_errors=True)
    seconds, peak = run_measured(kawal("audit", "1", "--data", str(data), "--out", str(result)))
    import json

    linkage = json.loads((result / "summary.json").read_text())["seconds"]
    linkage_seconds = next(v for k, v in linkage.items() if "ganda" in k.lower() or "duplicate" in k.lower())
    con = duckdb.connect()
    pairs = f"""SELECT CAST(x.record_id AS BIGINT) AS a, CAST(y.record_id AS BIGINT) AS b
                FROM read_csv({literal(result / "findings.csv")}, all_varchar = true) x
                JOIN read_csv({literal(result / "findings.csv")}, all_varchar = true) y
                  ON x.cluster = y.cluster AND x."check" = 'PEMILIH_GANDA' AND y."check" = 'PEMILIH_GANDA'
                 AND CAST(x.record_id AS BIGINT) < CAST(y.record_id AS BIGINT)"""
    return seconds, linkage_seconds, peak, pair_score(pairs, city / "truth.csv", con)


def splink_input(con: duckdb.DuckDBPyConnection, snapshot: Path) -> None:
    con.execute(
        f"""CREATE TABLE voters AS
        SELECT CAST(id AS BIGINT) AS unique_id,
               nullif(trim(regexp_replace(regexp_replace(upper(split_part(coalesce(nama, ''), ',', 1)), '[^A-Z ]', ' ', 'g'),
                                          '{TITLES}', '')), '') AS nama,
               CAST(tanggal_lahir AS VARCHAR) AS tanggal_lahir, jenis_kelamin,
               CASE WHEN regexp_full_match(nik, '[0-9]{{16}}') THEN nik END AS nik,
               CASE WHEN regexp_full_match(nkk, '[0-9]{{16}}') THEN nkk END AS nkk,
               upper(tempat_lahir) AS tempat_lahir
        FROM read_parquet({literal(snapshot / "voters.parquet")})"""
    )


def run_splink(city: Path, snapshot: Path) -> tuple[float, Score]:
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    logging.getLogger("splink").setLevel(logging.WARNING)
    con = duckdb.connect()
    splink_input(con, snapshot)
    started = time.perf_counter()
    db_api = DuckDBAPI(connection=con)
    frame = db_api.register("voters")
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("tanggal_lahir", "substr(nama, 1, 2)"),
            block_on("tanggal_lahir", "right(nama, 3)"),
            block_on("nik"),
            block_on("nama", "jenis_kelamin"),
        ],
        comparisons=[
            cl.JaroWinklerAtThresholds("nama", [0.95, 0.88]).configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("tanggal_lahir", [1]),
            cl.ExactMatch("jenis_kelamin"),
            cl.ExactMatch("nik"),
            cl.ExactMatch("tempat_lahir").configure(term_frequency_adjustments=True),
            cl.ExactMatch("nkk"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(frame, settings)
    linker.training.estimate_probability_two_random_records_match([block_on("nik", "tanggal_lahir")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("tanggal_lahir"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("nik"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.5)
    clustered = clusters.as_duckdbpyrelation().arrow().read_all()
    seconds = time.perf_counter() - started
    scorer = duckdb.connect()
    scorer.register("clusters", clustered)
    pairs = """SELECT x.unique_id AS a, y.unique_id AS b FROM clusters x JOIN clusters y
               ON x.cluster_id = y.cluster_id AND x.unique_id < y.unique_id"""
    return seconds, pair_score(pairs, city / "truth.csv", scorer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    rows = []
    for voters in args.sizes:
        city, data, snapshot = prepare(voters)
        k_seconds, k_link, k_peak, k_score = run_kawal(city, data)
        s_seconds, s_score = run_splink(city, snapshot)
        s_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # this process ran Splink
        rows.append((voters, "kawal", k_seconds, k_link, k_peak, k_score))
        rows.append((voters, "splink 5", s_seconds, s_seconds, s_peak, s_score))
    print(
        f"{'voters':>10} {'tool':<9} {'wall s':>7} {'linkage s':>10} {'peak MiB':>9} {'pairs TP':>9} {'FP':>6} "
        f"{'FN':>6} {'precision':>10} {'recall':>7} {'F1':>7}"
    )
    for voters, tool, seconds, link, peak, s in rows:
        print(
            f"{voters:>10,} {tool:<9} {seconds:>7.1f} {link:>10.1f} {peak:>9.0f} {s.true_positives:>9,} "
            f"{s.false_positives:>6,} {s.false_negatives:>6,} {s.precision:>10.4f} {s.recall:>7.4f} {s.f1:>7.4f}"
        )
    print(
        "kawal wall = the whole audit (every check, report); linkage s = its duplicate step. Splink wall = train + predict + cluster."
    )


if __name__ == "__main__":
    main()
