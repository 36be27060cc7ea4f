"""Duplicate-matcher accuracy on lists it was not tuned on: kawal's own generator and the independent profiles.

For each profile (``kawal`` = synth/generator.py, plus every profile of kawal.synth.profiles) and each size, the
list is generated once into bench/out/matrix/<profile>-<n>/ (kept between runs), audited from its CSV in a child
process (wall seconds and peak memory are that process's own), and PEMILIH_GANDA is scored per pair against the
truth. Where the audit's summary.json carries the matcher's own estimate of its precision and recall (a
"duplicates" object with estimated_precision / estimated_recall), it is printed beside the truth. For the
independent profiles the missed pairs are broken down by mechanism (pairs.csv) and the linked look-alikes by kind
(hard_negatives.csv).

    .venv/bin/python bench/matcher_matrix.py [--sizes 200000 1377828] [--profiles kawal klerikal ...] [--seed 2024]
        [--published year|month|mixed]

``--published`` audits each list as KPU publishes it instead (kawal.synth.published: NIK and NKK show their first
6 digits, the birth date only its year, or its month and year, plus an age column); the truth is the same.

Writes bench/out/matrix/results.md and results.json (results-published-<form>.* with ``--published``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from common import GIB, MATRIX, all_profiles, estimates, generate_list, kawal, run_measured
from kawal.engine.sql import connect, literal
from kawal.synth.published import DateForm, publish
from kawal.synth.score import score_audit

OUT = MATRIX


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000])
    parser.add_argument("--profiles", nargs="+", default=all_profiles(), choices=all_profiles())
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--published", choices=["year", "month", "mixed"], default=None)
    args = parser.parse_args()

    results = [measure(profile, n, args.seed, args.published) for n in args.sizes for profile in args.profiles]
    text = report(results)
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    name = f"results-published-{args.published}" if args.published else "results"
    (OUT / f"{name}.md").write_text(text + "\n")
    (OUT / f"{name}.json").write_text(
        json.dumps({"matcher": tree_state(), "published": args.published, "results": results}, indent=2) + "\n"
    )
    print(f"\n→ {OUT / (name + '.md')}, {OUT / (name + '.json')}")


def measure(profile: str, n: int, seed: int, published: DateForm | None = None) -> dict:
    """Generate (once), audit and score one list (in published form when ``published`` says how)."""
    city = generate_list(profile, n, seed)
    listed = city / "dpt.csv"
    if published:
        listed = city / f"dps-published-{published}.csv"
        publish(city / "dpt.csv", listed, date_form=published)
    audit, data = city / "audit", city / "kawal-data"
    shutil.rmtree(audit, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)  # a fresh import each time: the audit's cost includes it
    row = {"profile": profile, "rows": n}
    try:
        seconds, peak = run_measured(
            kawal("audit", str(listed), "--wilayah", "3671", "--out", str(audit), "--data", str(data))
        )
    except SystemExit as failed:  # the matcher is being rewritten: report a broken run, keep measuring the rest
        print(f"audit of {profile}-{n} failed: {failed}")
        return {**row, "error": str(failed)}
    finally:
        shutil.rmtree(data, ignore_errors=True)
    pairs = score_audit(audit / "findings.csv", city / "truth.csv", city / "dpt.csv")["PEMILIH_GANDA_PAIRS"]
    row |= {
        "wall_s": round(seconds, 1),
        "peak_gib": round(peak / GIB, 2),
        "tp": pairs.true_positives,
        "fp": pairs.false_positives,
        "fn": pairs.false_negatives,
        "precision": round(pairs.precision, 4),
        "recall": round(pairs.recall, 4),
        "f1": round(pairs.f1, 4),
        **estimates(audit / "summary.json"),
    }
    if (city / "pairs.csv").exists():
        row |= breakdown(city, audit / "findings.csv")
    return row


def breakdown(city: Path, findings: Path) -> dict:
    """Recall per mechanism label of the true pairs; linked look-alikes (different people) per kind."""
    con = connect()
    con.execute(
        f"""CREATE TABLE linked AS SELECT CAST(record_id AS BIGINT) AS id, cluster
            FROM read_csv({literal(findings)}, all_varchar = true) WHERE "check" = 'PEMILIH_GANDA'"""
    )
    found = """SELECT p.*, (a.cluster IS NOT NULL AND a.cluster = b.cluster) AS found
               FROM read_csv({path}, all_varchar = true) p
               LEFT JOIN linked a ON a.id = CAST(p.id_a AS BIGINT) LEFT JOIN linked b ON b.id = CAST(p.id_b AS BIGINT)"""
    pairs = con.execute(found.format(path=literal(city / "pairs.csv"))).fetchall()
    negatives = con.execute(found.format(path=literal(city / "hard_negatives.csv"))).fetchall()
    con.close()
    total, missed, missed_labels = Counter(), Counter(), Counter()
    for _a, _b, label, hit in pairs:
        for tag in label.split("+"):
            total[tag] += 1
            missed[tag] += not hit
        missed_labels[label] += not hit
    per_tag = {
        tag: {"pairs": total[tag], "missed": missed[tag], "recall": round(1 - missed[tag] / total[tag], 4)}
        for tag in sorted(total, key=lambda t: (1 - missed[t] / total[t], t))
    }
    kinds, linked = Counter(), Counter()
    for _a, _b, kind, hit in negatives:
        kinds[kind] += 1
        linked[kind] += bool(hit)
    return {
        "by_mechanism": per_tag,
        "top_missed": dict(Counter({k: v for k, v in missed_labels.items() if v}).most_common(8)),
        "hard_negatives_linked": {k: {"pairs": kinds[k], "linked": linked[k]} for k in sorted(kinds)},
    }


def fmt(value: float | None, digits: int = 4) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def report(results: list[dict]) -> str:
    lines = [
        "| profile | rows | wall s | peak GiB | P | R | F1 | est P | est R |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['profile']} | {r['rows']:,} | audit failed | | | | | | |")
            continue
        lines.append(
            f"| {r['profile']} | {r['rows']:,} | {r['wall_s']:.1f} | {r['peak_gib']:.2f} | {fmt(r['precision'])} | "
            f"{fmt(r['recall'])} | {fmt(r['f1'])} | {fmt(r.get('est_precision'))} | {fmt(r.get('est_recall'))} |"
        )
    for r in results:
        if "by_mechanism" in r:
            lines += ["", *mechanism_table(r)]
    return "\n".join(lines)


def mechanism_table(r: dict) -> list[str]:
    """Recall per mechanism (worst first), the most missed full labels, and linked look-alikes."""
    lines = [
        f"**{r['profile']}-{r['rows']}**: {r['fn']:,} pairs missed, {r['fp']:,} false pairs",
        "",
        "| mechanism | pairs | missed | recall |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {tag} | {m['pairs']:,} | {m['missed']:,} | {m['recall']:.3f} |" for tag, m in r["by_mechanism"].items()
    ]
    if r["top_missed"]:
        lines += ["", "most missed: " + "; ".join(f"`{k}` {v}" for k, v in r["top_missed"].items())]
    linked = r["hard_negatives_linked"]
    lines += [
        "",
        "look-alikes linked as one person: " + ", ".join(f"{k} {v['linked']}/{v['pairs']}" for k, v in linked.items()),
    ]
    return lines


def tree_state() -> dict:
    """Which matcher was measured: the commit, and whether the audit engine had uncommitted changes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], capture_output=True, text=True, cwd=Path(__file__).parent, check=False)
        return done.stdout.strip()

    return {
        "commit": git("rev-parse", "HEAD"),
        "engine_dirty": bool(git("status", "--porcelain", "--", "../src/kawal/engine")),
    }


if __name__ == "__main__":
    main()
