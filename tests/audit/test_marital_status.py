"""Marital status (B, S, P) is compared like the other fields: its m and u are learned from the list, so a status
that differs counts against one person only as much as the list's own duplicates say it should."""

import csv
import json
from datetime import date

import pyarrow as pa

from kawal.engine.audit import audit
from kawal.engine.audit import duplicates as d
from kawal.engine.sql import connect
from kawal.synth.profiles import generate_profile

ROWS = [  # name, status (None: not on the list)
    ("AHMAD FAUZI", "S"),
    ("AHMAD FAUZI", "S"),
    ("AHMAD FAUZI", "B"),
    ("AHMAD FAUZI", None),
]


def _levels() -> dict[tuple[int, int], str | None]:
    n = len(ROWS)
    table = pa.table(
        {
            "rid": pa.array(range(1, n + 1), pa.int64()),
            "nama": [r[0] for r in ROWS],
            "tanggal_lahir": pa.array([date(1980, 3, 4)] * n),
            "usia": pa.array([None] * n, pa.int16()),
            "jenis_kelamin": ["L"] * n,
            "nik_d": ["3671010403800001"] * n,
            "nik_full": [True] * n,
            "nkk_d": pa.array([None] * n, pa.string()),
            "nkk_full": [False] * n,
            "tempat_lahir": ["TANGERANG"] * n,
            "kode_kelurahan": ["3671011001"] * n,
            "rw": [1] * n,
            "rt": [1] * n,
            "status_kawin": pa.array([r[1] for r in ROWS], pa.string()),
            "sudah_tms": [False] * n,
        }
    )
    con = connect()
    con.register("v_in", table)
    con.execute("CREATE TABLE v AS SELECT * FROM v_in")
    d.build_names(con)
    d.build_people(con)
    con.execute("CREATE TABLE candidates AS SELECT a.rid AS a, b.rid AS b FROM v a JOIN v b ON a.rid < b.rid")
    d.compare(con)
    names = d.COMPARISONS[d.FIELDS.index("status")].level_names
    rows = con.execute("SELECT a, b, l_status FROM pairs").fetchall()
    con.close()
    return {(a, b): names[level] if level >= 0 else None for a, b, level in rows}


def test_each_pair_of_statuses_has_its_level():
    levels = _levels()
    assert levels[(1, 2)] == "same"
    assert levels[(1, 3)] == "other"
    assert levels[(1, 4)] is None  # a status missing on one row is no evidence either way


def test_an_audit_learns_what_a_differing_status_says_and_explains_it(tmp_path):
    generate_profile("klerikal", 20_000, 7, tmp_path)
    result = audit([tmp_path / "dpt.csv"], tmp_path / "audit", wilayah="3671")
    status = json.loads((result.out / "summary.json").read_text())["duplicates"]["model"]["fields"]["status"]
    assert status["same"]["m"] > status["same"]["u"]  # one person's rows agree more often than two people's
    assert status["other"]["weight"] < 0
    with (result.out / "findings.csv").open(newline="") as f:
        details = [row["detail"] for row in csv.DictReader(f) if row["check"] == "PEMILIH_GANDA"]
    assert details and all("status kawin" in detail for detail in details)
