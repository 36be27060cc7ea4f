"""How far the matcher is from what its own comparisons allow: a supervised ceiling on the profile matrix.

For each list the matcher scores its candidate pairs as usual (an audit in this process; the scored pairs, each with
its comparison level per field, are copied out before clustering). Then, against truth.csv:
- **model**: pairs at or above the matcher's threshold, scored as pairs (not as clusters, so a little off
  matcher_matrix.py's figures);
- **ceiling**: a classifier that knows the truth. The pairs are split in two halves at random; on one half, each
  *pattern* (the levels of all fields, and the name's frequency group as the model weighs it) learns the share of
  its pairs that are one person, and the other half's pairs of that pattern are linked where that share is at
  least one half (patterns with fewer than 5 pairs there keep the model's decision); then the halves swap. No
  unsupervised model on these comparisons can do better but by luck: it has the same patterns and no truth;
- **proposed**: the share of one-person pairs that blocking proposed at all (recall's upper bound).
Where the model is at the ceiling, more F1 needs other comparisons (another field, finer levels) or blocking, not a
better fit of the weights.

    .venv/bin/python bench/matcher_ceiling.py [--sizes 200000] [--profiles campuran pindah ...] [--seed 2024]

Writes bench/out/ceiling/results.md.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import duckdb

from common import MATRIX, OUT, all_profiles, generate_list
from kawal.engine.audit import audit
from kawal.engine.audit import duplicates as d
from kawal.engine.sql import literal

MIN_PATTERN_PAIRS = 5  # fewer pairs of a pattern in the other half teach nothing: the model decides
LEVELS = ", ".join(c.column for c in d.COMPARISONS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000])
    parser.add_argument("--profiles", nargs="+", default=all_profiles(), choices=all_profiles())
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    lines = [
        "| list | model P / R / F1 | ceiling P / R / F1 | proposed |",
        "| --- | --- | --- | ---: |",
    ]
    for n in args.sizes:
        for profile in args.profiles:
            city = generate_list(profile, n, args.seed, MATRIX)
            row = measure(city)
            lines.append(f"| {profile}-{n} | {_prf(row['model'])} | {_prf(row['ceiling'])} | {row['proposed']:.4f} |")
            print(lines[-1], flush=True)
    out = OUT / "ceiling"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.md").write_text("\n".join(lines) + "\n")
    print(f"\n→ {out / 'results.md'}")


def measure(city: Path) -> dict:
    """The model's pair F1, the ceiling's, and the share of one-person pairs proposed, for one generated list."""
    with tempfile.TemporaryDirectory(prefix="kawal-ceiling-") as scratch:
        scored = Path(scratch) / "pairs.parquet"
        threshold = _scored_pairs(city / "dpt.csv", Path(scratch) / "audit", scored)
        con = duckdb.connect()
        _truth(con, city, scored)
        true_pairs = con.execute("SELECT count(*) FROM truth_pairs").fetchall()[0][0]
        model = con.execute(
            f"SELECT count(*) FILTER (same AND probability >= {threshold}), count(*) FILTER (probability >= {threshold}) "
            "FROM scored"
        ).fetchall()[0]
        ceiling = con.execute(_ceiling_sql(threshold)).fetchall()[0]
        proposed = con.execute("SELECT count(*) FILTER (same) FROM scored").fetchall()[0][0]
        con.close()
    return {
        "model": (*model, true_pairs),
        "ceiling": (*ceiling, true_pairs),
        "proposed": proposed / true_pairs if true_pairs else 1.0,
    }


def _scored_pairs(listed: Path, out: Path, target: Path) -> float:
    """Audit ``listed`` in this process, copying the scored pairs (with both rows' record ids) to ``target`` just
    before they are clustered; the threshold the audit linked at."""
    seen: list[float] = []
    cluster = d.cluster

    def copy_then_cluster(con: duckdb.DuckDBPyConnection, threshold: float) -> int:
        con.execute(
            f"""COPY (SELECT p.a, p.b, p.probability, p.name_n, {", ".join(f"p.{c.column}" for c in d.COMPARISONS)},
                             va.record_id AS id_a, vb.record_id AS id_b
                      FROM pairs p JOIN v va ON va.rid = p.a JOIN v vb ON vb.rid = p.b) TO {literal(target)}"""
        )
        seen.append(threshold)
        return cluster(con, threshold)

    d.cluster = copy_then_cluster
    try:
        audit([listed], out, wilayah="3671")
    finally:
        d.cluster = cluster
    return seen[0]


def _truth(con: duckdb.DuckDBPyConnection, city: Path, scored: Path) -> None:
    """``truth_pairs`` (every pair of rows of one person) and ``scored`` (the scored pairs, ``same`` if one person)."""
    con.execute(
        f"""
        CREATE TABLE person AS SELECT CAST(id AS VARCHAR) AS id, person_id FROM read_csv({literal(city / "truth.csv")});
        CREATE TABLE truth_pairs AS SELECT x.id AS id_a, y.id AS id_b FROM person x JOIN person y
            ON x.person_id = y.person_id AND x.id < y.id;
        CREATE TABLE scored AS
        SELECT s.*, {d.NAME_FREQUENCY_GROUP.replace("p.name_n", "s.name_n")} AS name_group,
               x.person_id = y.person_id AS same, hash(least(s.a, s.b), greatest(s.a, s.b)) % 2 AS half
        FROM read_parquet({literal(scored)}) s JOIN person x ON x.id = s.id_a JOIN person y ON y.id = s.id_b
        """
    )


def _ceiling_sql(threshold: float) -> str:
    """One-person pairs linked and pairs linked when each half's patterns are decided by the other half's truth."""
    pattern = f"{LEVELS}, name_group"
    joined = " AND ".join(f"o.{c} IS NOT DISTINCT FROM s.{c}" for c in [*LEVELS.split(", "), "name_group"])
    return f"""
        WITH taught AS (SELECT {pattern}, half, count(*) AS n, count(*) FILTER (same) AS ones FROM scored GROUP BY ALL),
        decided AS (
            SELECT s.same, CASE WHEN o.n >= {MIN_PATTERN_PAIRS} THEN o.ones >= 0.5 * o.n
                                ELSE s.probability >= {threshold} END AS linked
            FROM scored s LEFT JOIN taught o ON o.half <> s.half AND {joined}
        )
        SELECT count(*) FILTER (linked AND same), count(*) FILTER (linked) FROM decided"""


def _prf(counts: tuple[int, int, int]) -> str:
    """Precision / recall / F1 of (one-person pairs linked, pairs linked, one-person pairs)."""
    hits, linked, true_pairs = counts
    precision = hits / linked if linked else 1.0
    recall = hits / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f"{precision:.4f} / {recall:.4f} / {f1:.4f}"


if __name__ == "__main__":
    main()
