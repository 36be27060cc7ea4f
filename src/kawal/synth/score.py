"""Score an audit of a synthetic list against the generator's ground truth: precision, recall and F1 per check.

Row checks are scored per (row, check); TPS_PENUH per TPS; PEMILIH_GANDA also per pair of rows (the usual
measure for record linkage), where a pair is true when both rows carry the same ``person_id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from kawal.engine.sql import connect, literal


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _score(con: duckdb.DuckDBPyConnection, predicted: str, actual: str) -> Score:
    tp, fp, fn = con.execute(
        f"""SELECT count(*) FILTER (p.k IS NOT NULL AND a.k IS NOT NULL), count(*) FILTER (a.k IS NULL),
                   count(*) FILTER (p.k IS NULL)
            FROM ({predicted}) p FULL OUTER JOIN ({actual}) a ON p.k = a.k"""
    ).fetchall()[0]
    return Score(tp, fp, fn)


def score_audit(findings: Path, truth: Path, dpt: Path) -> dict[str, Score]:
    """Scores per check code (plus ``PEMILIH_GANDA_PAIRS``) for an audit of ``dpt`` against ``truth``."""
    con = connect()
    con.execute(f"CREATE TABLE f AS SELECT * FROM read_csv({literal(findings)}, all_varchar = true)")
    con.execute(
        f"""CREATE TABLE t AS SELECT CAST(id AS VARCHAR) AS id, person_id, unnest(string_split(problems, ';')) AS "check"
            FROM read_csv({literal(truth)}, all_varchar = true) WHERE problems <> ''"""
    )
    con.execute(
        f"CREATE TABLE d AS SELECT id, kode_kelurahan, CAST(tps AS INTEGER) AS tps FROM read_csv({literal(dpt)}, all_varchar = true)"
    )
    checks = [
        r[0] for r in con.execute('SELECT DISTINCT "check" FROM t UNION SELECT DISTINCT "check" FROM f').fetchall()
    ]
    scores = {}
    for check in sorted(checks):
        if check == "TPS_PENUH":
            predicted = "SELECT DISTINCT kode_kelurahan || '/' || CAST(tps AS INTEGER) AS k FROM f WHERE \"check\" = 'TPS_PENUH'"
            actual = "SELECT DISTINCT d.kode_kelurahan || '/' || d.tps AS k FROM t JOIN d USING (id) WHERE \"check\" = 'TPS_PENUH'"
        else:
            predicted = f"SELECT DISTINCT record_id AS k FROM f WHERE \"check\" = '{check}'"
            actual = f"SELECT DISTINCT id AS k FROM t WHERE \"check\" = '{check}'"
        scores[check] = _score(con, predicted, actual)
    scores["PEMILIH_GANDA_PAIRS"] = _pair_score(con, truth)
    con.close()
    return scores


def _pair_score(con: duckdb.DuckDBPyConnection, truth: Path) -> Score:
    con.execute(
        f"CREATE TABLE people AS SELECT CAST(id AS VARCHAR) AS id, person_id FROM read_csv({literal(truth)}, all_varchar = true)"
    )
    predicted = """SELECT x.record_id || '|' || y.record_id AS k FROM f x JOIN f y ON x.cluster = y.cluster
                   AND x."check" = 'PEMILIH_GANDA' AND y."check" = 'PEMILIH_GANDA' AND CAST(x.record_id AS BIGINT) < CAST(y.record_id AS BIGINT)"""
    actual = """SELECT x.id || '|' || y.id AS k FROM people x JOIN people y ON x.person_id = y.person_id
                AND CAST(x.id AS BIGINT) < CAST(y.id AS BIGINT)"""
    return _score(con, predicted, actual)
