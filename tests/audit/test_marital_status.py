"""Marital status (B, S, P) is compared like the other fields: its m and u are learned from the list, so a status
that differs counts against one person only as much as the list's own duplicates say it should."""

import csv
import json

from kawal.engine.audit import audit
from kawal.synth.profiles import generate_profile
from tests.audit.every_pair import compared, level

STATUSES = ["S", "S", "B", None]  # None: not on the list


def _levels() -> dict[tuple[int, int], str | None]:
    pairs = compared([{"status_kawin": status} for status in STATUSES], "l_status")
    return {pair: level("status", code) for pair, (code,) in pairs.items()}


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
