"""kawal's duplicate detection against Splink 5 (DuckDB backend) over the profile matrix, in one run.

For each profile (``kawal`` = synth/generator.py, plus every independent profile ``kawal generate --profile`` offers)
and each size (200 k by default) the list is generated once into bench/out/matrix/<profile>-<n>/, exactly as
bench/matcher_matrix.py does, and imported once into a snapshot there (bench-data/). Then, each in its own child
process (wall seconds and peak memory are that process's own):
- **kawal**: ``kawal audit`` on the snapshot, default settings (all checks and the report; its own duplicate step's
  time is noted under the table);
- **Splink 5**: read the snapshot, train a Fellegi-Sunter model without labels, predict at p >= 0.5 and cluster at
  p >= 0.5.
Both are scored with the same code (kawal.synth.score, pairs of rows that are one person) against truth.csv.
Neither tool is tuned per profile.

Splink model (a sensible, documented set-up; the compared fields get the cleaning any analyst would do first:
upper case, punctuation removed, leading titles H./HJ./DRS./IR. and degrees after a comma dropped):
- blocking for prediction: kawal's main blocking rules on kawal's own blocking keys (normalised name, its phonetic
  key and words, from kawal.engine.audit.duplicates): the birth date with the name's first letters, its last
  letters or one of its words; the NIK; the phonetic key with two of year, month and day (or day and month
  swapped); a rare name (<= 5 rows) alone. Two of these are wider than kawal's own, which ``block_on`` cannot
  express: kawal asks the third date part to be within one slip (or the day after across a month's end) and a
  rare name with a far date to be in one kelurahan; Splink gets every pair the wider rule gives. kawal's
  narrower rules for slips that change every one of these keys (one family card, one RT, a short name less one letter, the NIK's region and date, a rare word with two date
  parts, the words in any order: build_candidates in src/kawal/engine/audit/duplicates.py) are not given to Splink;
  the notes under the table give both tools' candidate-pair counts, so the difference shows;
- comparisons: name Jaro-Winkler 0.95/0.88 with term-frequency adjustment; birth date exact / Damerau-Levenshtein 1;
  sex exact; NIK exact (near-NIK levels are too rare among random pairs for u to be estimated); birthplace
  exact with term frequencies; NKK exact;
- training: lambda from deterministic rules (same NIK and birth date) with recall 0.6; u by random sampling
  (5 M pairs); m by expectation maximisation blocked on birth date, then on NIK.

Needs the pinned extras: ``.venv/bin/pip install -r requirements/bench.txt``.

    .venv/bin/python bench/splink_compare.py [--sizes 200000] [--profiles kawal klerikal ...] [--seed 2024]

Writes bench/out/splink/results.md and results.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import time
from pathlib import Path

import duckdb

from common import GIB, OUT, all_profiles, estimates, generate_list, kawal, load, run_measured
from kawal.engine.sql import literal
from kawal.synth.score import Score, score_audit

RESULTS = OUT / "splink"
TITLES = r"^((H|HJ|DRS|DRA|DR|IR|PROF)\s+)+"
THRESHOLD = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000])
    parser.add_argument("--profiles", nargs="+", default=all_profiles(), choices=all_profiles())
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--splink", nargs=2, metavar=("SNAPSHOT", "OUT"), help=argparse.SUPPRESS)  # the child
    args = parser.parse_args()
    if args.splink:
        splink_child(Path(args.splink[0]), Path(args.splink[1]))
        return
    rows = []
    for n in args.sizes:
        for profile in args.profiles:
            rows += compare(profile, n, args.seed)
    text = report(rows)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "results.md").write_text(text + "\n")
    (RESULTS / "results.json").write_text(json.dumps(rows, indent=2) + "\n")
    print(f"\n→ {RESULTS / 'results.md'}, {RESULTS / 'results.json'}")


# --- the parent: one list, both tools ----------------------------------------------------------------------------


def compare(profile: str, n: int, seed: int) -> list[dict]:
    """kawal and Splink on one list of the matrix, each scored against its truth."""
    city = generate_list(profile, n, seed)
    snapshot = import_once(city)
    base = {"profile": profile, "rows": n}
    return [base | run_kawal(city), base | run_splink(city, snapshot)]


def import_once(city: Path) -> Path:
    """The list's snapshot (bench-data/ beside it), imported once: both tools start from the same parsed rows."""
    data = city / "bench-data"
    if not (data / "snapshots").is_dir():
        shutil.rmtree(data, ignore_errors=True)
        run_measured(kawal("import", str(city / "dpt.csv"), "--stage", "DPT", "--wilayah", "3671", "--data", str(data)))
    return next((data / "snapshots").iterdir())


def pair_figures(score: Score) -> dict:
    return {
        "tp": score.true_positives,
        "fp": score.false_positives,
        "fn": score.false_negatives,
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
        "f1": round(score.f1, 4),
    }


def scored(city: Path, findings: Path) -> dict:
    return pair_figures(score_audit(findings, city / "truth.csv", city / "dpt.csv")["PEMILIH_GANDA_PAIRS"])


def run_kawal(city: Path) -> dict:
    result = city / "bench-kawal"
    shutil.rmtree(result, ignore_errors=True)
    before = load()
    seconds, peak = run_measured(kawal("audit", "1", "--data", str(city / "bench-data"), "--out", str(result)))
    summary = json.loads((result / "summary.json").read_text())
    step = next((v for k, v in summary["seconds"].items() if "ganda" in k.lower() or "duplicate" in k.lower()), None)
    return {
        "tool": "kawal",
        "wall_s": round(seconds, 1),
        "peak_gib": round(peak / GIB, 2),
        "load": before,
        "linkage_s": step,
        "candidate_pairs": summary.get("duplicates", {}).get("candidate_pairs"),
        **estimates(result / "summary.json"),
        **scored(city, result / "findings.csv"),
    }


def run_splink(city: Path, snapshot: Path) -> dict:
    result = city / "bench-splink"
    shutil.rmtree(result, ignore_errors=True)
    before = load()
    seconds, peak = run_measured([sys.executable, __file__, "--splink", str(snapshot), str(result)])
    steps = json.loads((result / "steps.json").read_text())
    return {
        "tool": "splink 5",
        "wall_s": round(seconds, 1),
        "peak_gib": round(peak / GIB, 2),
        "load": before,
        **steps,
        **scored(city, result / "findings.csv"),
    }


# --- the child: Splink on one snapshot ---------------------------------------------------------------------------


def splink_input(con: duckdb.DuckDBPyConnection, snapshot: Path) -> None:
    """``voters``: the fields Splink compares (cleaned as an analyst would) and kawal's blocking keys."""
    from kawal.engine.audit.duplicates import MAX_NAME_BLOCK, MIN_TOKEN, build_names, prefix_length, tail_length

    con.execute(f"CREATE TABLE v AS SELECT * FROM read_parquet({literal(snapshot / 'voters.parquet')})")
    build_names(con, "v")  # kawal's normalised name, its words and phonetic key: the blocking keys only
    rows = con.execute("SELECT count(*) FROM v").fetchall()[0][0]
    k, tail = prefix_length(rows), tail_length(rows)
    con.execute(
        f"""CREATE TABLE voters AS
        SELECT CAST(v.id AS BIGINT) AS unique_id,
               nullif(trim(regexp_replace(regexp_replace(upper(split_part(coalesce(v.nama, ''), ',', 1)), '[^A-Z ]', ' ', 'g'),
                                          '{TITLES}', '')), '') AS nama,
               CAST(v.tanggal_lahir AS VARCHAR) AS tanggal_lahir, v.jenis_kelamin,
               CASE WHEN regexp_full_match(v.nik, '[0-9]{{16}}') THEN v.nik END AS nik,
               CASE WHEN regexp_full_match(v.nkk, '[0-9]{{16}}') THEN v.nkk END AS nkk,
               upper(v.tempat_lahir) AS tempat_lahir,
               CASE WHEN v.tanggal_lahir IS NOT NULL THEN strftime(v.tanggal_lahir, '%Y%m%d')
                    WHEN v.usia IS NOT NULL THEN 'U' || v.usia END AS dob_key,
               left(n.name_key, {k}) AS head, right(n.name_key, {tail}) AS tail,
               list_filter(n.tokens, lambda w: length(w) >= {MIN_TOKEN}) AS words,
               n.phon_key, year(v.tanggal_lahir) AS y, month(v.tanggal_lahir) AS m, day(v.tanggal_lahir) AS d,
               least(day(v.tanggal_lahir), month(v.tanggal_lahir)) AS lo,
               greatest(day(v.tanggal_lahir), month(v.tanggal_lahir)) AS hi,
               CASE WHEN n.name_n <= {MAX_NAME_BLOCK} THEN n.name_key END AS rare_name
        FROM v LEFT JOIN names n ON n.nama = v.nama"""
    )
    con.execute("DROP TABLE v; DROP TABLE names")


def settings():
    """Splink's model: kawal's blocking rules, generic comparisons (see the module's docstring)."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("dob_key", "head"),
            block_on("dob_key", "tail"),
            block_on("dob_key", "words", arrays_to_explode=["words"]),
            block_on("nik"),
            block_on("phon_key", "y", "m"),
            block_on("phon_key", "y", "d"),
            block_on("phon_key", "y", "lo", "hi"),
            block_on("phon_key", "m", "d"),
            block_on("rare_name"),
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


def splink_child(snapshot: Path, out: Path) -> None:
    """Train, predict and cluster; write the clustered rows as findings.csv and the steps' seconds as steps.json."""
    from splink import Linker, block_on
    from splink.backends.duckdb import DuckDBAPI

    logging.disable(logging.INFO)  # Splink logs every EM iteration
    clock = Clock()
    con = duckdb.connect()
    splink_input(con, snapshot)
    linker = Linker(DuckDBAPI(connection=con).register("voters"), settings())
    clock.lap("prepare_s")
    linker.training.estimate_probability_two_random_records_match([block_on("nik", "tanggal_lahir")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("tanggal_lahir"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("nik"))
    clock.lap("train_s")
    blocked = linker.inference.compute_blocked_pairs_for_predict()  # cached: predict() scores these
    candidates = con.execute(f"SELECT count(*) FROM {blocked.physical_name}").fetchall()[0][0]
    clock.lap("block_s")
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    clock.lap("predict_s")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, THRESHOLD)
    clock.lap("cluster_s")
    out.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"""COPY (SELECT 'PEMILIH_GANDA' AS "check", unique_id AS record_id, cluster_id AS cluster,
                         NULL AS kode_kelurahan, NULL AS tps  -- the columns kawal.synth.score reads
                  FROM {clusters.physical_name} QUALIFY count(*) OVER (PARTITION BY cluster_id) > 1)
            TO {literal(out / "findings.csv")} (HEADER)"""
    )
    linked = con.execute(f"SELECT count(*) FROM {predictions.physical_name}").fetchall()[0][0]
    (out / "steps.json").write_text(
        json.dumps({**clock.laps, "candidate_pairs": candidates, "linked_pairs": linked}) + "\n"
    )


class Clock:
    """Seconds per step."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 1)
        self.last = now


# --- the report ----------------------------------------------------------------------------------------------


def report(rows: list[dict]) -> str:
    lines = [
        "| profile | rows | tool | wall s | peak GiB | P | R | F1 | load (1/5/15 min) |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    lines += [
        f"| {r['profile']} | {r['rows']:,} | {r['tool']} | {r['wall_s']:.1f} | {r['peak_gib']:.2f} | "
        f"{r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {r['load']} |"
        for r in rows
    ]
    lines += ["", *verdicts(rows), "", *notes(rows)]
    return "\n".join(lines)


def verdicts(rows: list[dict]) -> list[str]:
    """One line per list: who is ahead on F1 and on time."""
    lines = []
    for k, s in zip(rows[::2], rows[1::2], strict=True):
        lines.append(
            f"- **{k['profile']}-{k['rows']}**: F1 — {ahead(k['f1'], s['f1'])} ahead "
            f"(kawal {k['f1']:.4f}, Splink {s['f1']:.4f}); time — {ahead(s['wall_s'], k['wall_s'])} ahead "
            f"(kawal {k['wall_s']:.1f} s, Splink {s['wall_s']:.1f} s)"
        )
    return lines


def ahead(kawal_better: float, splink_better: float) -> str:
    """Who is ahead, given a figure where higher is better for kawal (F1; Splink's time) and the other's."""
    return "kawal" if kawal_better > splink_better else "Splink" if splink_better > kawal_better else "neither"


def notes(rows: list[dict]) -> list[str]:
    lines = [
        "Wall = the whole child process, from the same imported snapshot; kawal runs every check and writes the report.",
        "",
        "| list | kawal duplicate step s | kawal candidate pairs | Splink prepare/train/block/predict/cluster s "
        "| Splink candidate pairs | threshold kawal / Splink |",
        "| --- | ---: | ---: | --- | ---: | --- |",
    ]
    for k, s in zip(rows[::2], rows[1::2], strict=True):
        laps = "/".join(f"{s[key]:.1f}" for key in ("prepare_s", "train_s", "block_s", "predict_s", "cluster_s"))
        lines.append(
            f"| {k['profile']}-{k['rows']} | {k['linkage_s']} | {k.get('candidate_pairs') or 0:,} | {laps} | "
            f"{s['candidate_pairs']:,} | {k.get('threshold')} / {THRESHOLD} |"
        )
    return lines


if __name__ == "__main__":
    main()
