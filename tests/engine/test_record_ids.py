"""Record ids name one row of the file, whatever the file's NO does (see kawal.engine.importer.RECORD_IDS).

KPU numbers Model A's rows per TPS: NO starts again at 1 in each. In a file of several TPS one NO names several
rows, and a finding about "2" could be any of them; the web app would pin it on one voter, perhaps the wrong one.
"""

from __future__ import annotations

import csv
import json

import duckdb
import pytest

from kawal.cli.main import main
from kawal.engine.audit import audit
from kawal.engine.importer import import_voter_list
from tests.conftest import HEADER, write_csv

# name, NIK, birth date, RT, kelurahan, kecamatan, TPS: each row's own NIK, but for the one shared by "2" of TPS 001
# and "1" of TPS 002 of Sukarasa
PEOPLE = [
    ("AANG", "3671010403650018", "04-03-1965", "001", "SUKARASA", "TANGERANG", "001"),
    ("IMAS RAHMAWATI", "3671015011900032", "10-11-1990", "001", "SUKARASA", "TANGERANG", "001"),
    ("SOEPRAPTO", "3671015011900032", "07-11-1976", "003", "SUKARASA", "TANGERANG", "002"),
    ("DEDI", "3671050711760011", "07-11-1976", "003", "SUKARASA", "TANGERANG", "002"),
    ("WATI", "3671055505800003", "15-05-1980", "002", "KETAPANG", "CIPONDOH", "001"),
    ("UJANG", "3671050101700005", "01-01-1970", "002", "KETAPANG", "CIPONDOH", "001"),
]


def rows(numbers: list[str]) -> list[str]:
    return [
        f"{no},3671011707100024,{nik},{name},TANGERANG,{born},L,S,KP. DUKUH,{rt},002,{kel},{kec},{tps}"
        for no, (name, nik, born, rt, kel, kec, tps) in zip(numbers, PEOPLE, strict=True)
    ]


def ids(snapshot) -> list[str | None]:
    return [r[0] for r in duckdb.sql(f"SELECT id FROM '{snapshot.voters_path}' ORDER BY row_no").fetchall()]


@pytest.mark.parametrize(
    ("numbers", "form", "expected"),
    [
        # numbered through the file: the NO as it is
        (["1", "2", "3", "4", "5", "6"], "no", ["1", "2", "3", "4", "5", "6"]),
        # one file per kelurahan numbered per TPS would not repeat TPS 001 in two kelurahan; this one does
        (["1", "2", "1", "2", "3", "4"], "tps-no", ["001-1", "001-2", "002-1", "002-2", "001-3", "001-4"]),
        (
            ["1", "2", "1", "2", "1", "2"],
            "kelurahan/tps-no",
            [f"3671011001/{n}" for n in ("001-1", "001-2", "002-1", "002-2")]
            + [f"3671051007/{n}" for n in ("001-1", "001-2")],
        ),
        # the same NO twice in one TPS of one kelurahan names nothing: the data row number is the id
        (["1", "1", "1", "2", "3", "4"], "row", [None] * 6),
        # a row without NO takes its row number, which here is another row's NO: TPS and NO tell them apart
        (["", "1", "3", "4", "5", "6"], "tps-no", [None, "001-1", "002-3", "002-4", "001-5", "001-6"]),
        # a NO past 40 characters is another column taken for NO (here a long reference): the row number again
        (["1", "2", "3", "4", "5", "REF-" + "9" * 37], "row", [None] * 6),
        (["1", "2", "3", "4", "5", "REF-" + "9" * 36], "no", ["1", "2", "3", "4", "5", "REF-" + "9" * 36]),
    ],
)
def test_the_record_id_names_one_row_of_the_file(tmp_path, store, numbers, form, expected):
    path = write_csv(tmp_path / "dps.csv", [HEADER, *rows(numbers)])
    snapshot = import_voter_list(path, "DPS", "3671", store).snapshot
    assert snapshot.meta["record_ids"] == form
    assert ids(snapshot) == expected


def test_findings_of_a_list_numbered_per_tps_name_their_rows(tmp_path):
    path = write_csv(tmp_path / "dps.csv", [HEADER, *rows(["1", "2", "1", "2", "1", "2"])])
    audit([path], tmp_path / "out", wilayah="3671")
    with (tmp_path / "out" / "findings.csv").open() as f:
        shared = sorted(r["record_id"] for r in csv.DictReader(f) if r["check"] == "NIK_GANDA")
    assert shared == ["3671011001/001-2", "3671011001/002-1"]  # not "2" and "1", which name three rows each
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["inputs"][0]["record_ids"] == "kelurahan/tps-no"
    assert "kode kelurahan, TPS dan NO" in (tmp_path / "out" / "report.html").read_text()


def test_two_inputs_numbered_alike_are_told_apart_by_input(tmp_path):
    first = write_csv(tmp_path / "dps.csv", [HEADER, *rows(["1", "2", "3", "4", "5", "6"])])
    second = write_csv(tmp_path / "dpt.csv", [HEADER, *rows(["1", "2", "3", "4", "5", "6"])])
    audit([first, second], tmp_path / "out", wilayah="3671")
    with (tmp_path / "out" / "findings.csv").open() as f:
        shared = sorted(r["record_id"] for r in csv.DictReader(f) if r["check"] == "NIK_GANDA")
    # every NIK is on both lists: twelve rows, each named once, though both lists number theirs 1 to 6
    assert shared == sorted(f"{number}:{no}" for number in (1, 2) for no in range(1, 7))


def test_the_import_says_how_rows_are_named(tmp_path, capsys):
    path = write_csv(tmp_path / "dps.csv", [HEADER, *rows(["1", "2", "1", "2", "3", "4"])])
    assert main(["import", str(path), "--stage", "DPS", "--wilayah", "3671", "--data", str(tmp_path / "data")]) == 0
    said = " ".join(capsys.readouterr().out.split())  # the console wraps long lines
    assert "NO) dps.csv berulang di tiap TPS, jadi baris disebut dengan TPS dan NO-nya, misalnya 001-12." in said
