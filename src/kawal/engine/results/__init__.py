"""C.Hasil results: read (CSV contract or Sirekap JSON), check every consistency rule and statistical screen,
tally up the hierarchy, and estimate from a quick-count sample. No Django.

``kawal results check INPUT --out DIR [--max-per-tps 600] [--reserve 0.025]`` writes ``DIR/findings.csv`` (``kode_tps,rule,detail``),
``DIR/rejects.csv`` (rows or files that could not be read, with the field) and ``DIR/summary.json``.
"""

from __future__ import annotations

import csv
import json
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kawal.engine.elections import DEFAULT
from kawal.engine.results.reader import Loaded, read
from kawal.engine.results.rules import findings_sql
from kawal.engine.results.screens import screens_sql
from kawal.engine.sql import connect, literal

FINDING_COLUMNS = ("kode_tps", "rule", "detail")


@dataclass(frozen=True)
class CheckResult:
    out: Path
    loaded: Loaded
    per_rule: dict[str, int]
    seconds: float


def check(
    source: Path,
    out: Path,
    max_per_tps: int = DEFAULT.max_per_tps,
    reserve: Decimal | float | str = DEFAULT.ballot_reserve,
) -> CheckResult:
    """Every rule and screen over one C.Hasil file or folder; ``reserve`` is the share of DPT a TPS receives as
    extra ballots (0.025 in a Pilkada, 0.02 in a Pemilu), rounded up per TPS."""
    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    con = connect()
    loaded = read(con, Path(source))
    sql = f"{findings_sql(loaded.paslon, max_per_tps, reserve)} UNION ALL {screens_sql(loaded.paslon)}"
    con.execute(f"CREATE TABLE findings AS SELECT * FROM ({sql})")
    con.execute(
        f"COPY (SELECT kode_tps, rule, detail FROM findings ORDER BY kode_tps, rule, detail) "
        f"TO {literal(out / 'findings.csv')} (HEADER)"
    )
    per_rule = dict(con.execute("SELECT rule, count(*) FROM findings GROUP BY ALL ORDER BY 1").fetchall())
    _write_rejects(loaded, out / "rejects.csv")
    summary = {
        "source": Path(source).name,
        "rows_in": loaded.rows_in,
        "loaded": loaded.loaded,
        "rejected": loaded.rejected,
        "paslon": loaded.paslon,
        "max_per_tps": max_per_tps,
        "reserve": float(reserve),
        "tps_with_findings": con.execute(
            "SELECT count(DISTINCT kode_tps) FROM findings WHERE length(kode_tps) = 13"
        ).fetchall()[0][0],
        "rules": per_rule,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return CheckResult(out, loaded, per_rule, time.perf_counter() - started)


def _write_rejects(loaded: Loaded, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(("sumber", "kolom", "alasan"))
        out.writerows(loaded.rejects)
