"""``duplicate_pairs.parquet``: the pairs inside each PEMILIH_GANDA person, for reviewers to answer."""

from __future__ import annotations

import csv

import duckdb

from kawal.engine.audit import audit
from kawal.synth.generator import generate


def test_pairs_file_names_the_rows_of_each_duplicate_person_and_is_owner_only(tmp_path):
    generate(1500, seed=5, out=tmp_path / "city")
    out = tmp_path / "out"
    result = audit([tmp_path / "city" / "dpt.csv"], out)
    path = out / "duplicate_pairs.parquet"
    assert path.stat().st_mode & 0o777 == 0o600
    rows = duckdb.sql(f"SELECT * FROM read_parquet('{path}')").fetchall()
    columns = [c[0] for c in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()]
    assert columns == ["cluster", "record_id_a", "record_id_b", "probability", "detail"]
    with (out / "findings.csv").open() as f:
        person = {r["record_id"]: r["cluster"] for r in csv.DictReader(f) if r["check"] == "PEMILIH_GANDA"}
    assert rows and {r[1] for r in rows} | {r[2] for r in rows} == set(person)
    assert all(person[a] == person[b] == cluster for cluster, a, b, _p, _d in rows)  # both rows in the person
    linked = sum(1 for r in rows if r[3] >= result.summary["duplicate_threshold"])
    assert linked == result.summary["duplicates"]["linked_pairs"]
    assert all("peluang" in r[4] for r in rows)
