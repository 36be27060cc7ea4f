"""Two rows on one family card (KK) in different RTs: the matcher compares the card there, and learns from the list
how much a shared card says, weighing two people on one card as relatives rather than as strangers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kawal.engine.audit import audit
from kawal.engine.audit import duplicates as d
from kawal.synth.profiles import generate_profile
from tests.audit.every_pair import compared, level, with_people

CARD = "3671011203150004"
ROWS = [  # family card, RT, NIK, kelurahan
    (CARD, 1, "3671010403800001", "3671011001"),
    (CARD, 2, "3671010403800002", "3671011001"),  # the card, another RT
    (CARD, 1, "3671010403800003", "3671011001"),  # the card, the first row's RT: the household
    ("3671011203150005", 3, "3671010403800004", "3671011001"),  # another card, another RT
    (CARD, 1, "3671010403800001", "3671021002"),  # the card in another kelurahan, with the first row's NIK
    (None, 2, "3671010403800006", "3671011001"),  # no card
    ("367101**********", 4, "3671010403800007", "3671011001"),  # a card as KPU publishes it
]


def _levels() -> dict[tuple[int, int], str | None]:
    rows = [{"nkk_d": card, "rt": rt, "nik_d": nik, "kode_kelurahan": kel} for card, rt, nik, kel in ROWS]
    return {pair: level("kk", code) for pair, (code,) in compared(rows, "l_kk").items()}


def test_the_card_is_compared_between_rts_where_both_rows_show_it_and_their_niks_differ():
    levels = _levels()
    assert levels[(1, 2)] == "same"
    assert levels[(1, 3)] is None  # one RT: the area says it
    assert levels[(1, 4)] == "other"
    assert levels[(2, 3)] == "same"
    assert levels[(1, 5)] is None  # one NIK: a copied NIK comes with its card
    assert levels[(2, 5)] == "same"
    assert levels[(1, 6)] is None and levels[(1, 7)] is None  # no card, or only its first digits


@pytest.fixture(scope="module")
def summary(tmp_path_factory) -> dict:
    city = tmp_path_factory.mktemp("family-card")
    generate_profile("klerikal", 20_000, 3, city)
    result = audit([city / "dpt.csv"], city / "audit", wilayah="3671")
    return json.loads(Path(result.out / "summary.json").read_text())


def test_a_card_kept_by_a_row_keyed_again_elsewhere_is_learned_as_evidence(summary):
    card = summary["duplicates"]["model"]["fields"]["kk"]
    assert card["same"]["m"] > card["same"]["u"]
    assert card["same"]["weight"] > 0 > card["other"]["weight"]


def test_two_people_on_one_card_are_weighed_as_relatives_not_as_random_pairs(summary):
    """Random pairs almost never share a card: among U_SAMPLE of them the share would be at most about one in
    U_SAMPLE. The u the model uses comes from the candidate pairs, where relatives share cards."""
    card = summary["duplicates"]["model"]["fields"]["kk"]
    assert card["same"]["u"] > 10 / d.U_SAMPLE
    assert card["same"]["weight"] < 20


def test_one_card_with_alike_names_is_compared_whatever_the_dates():
    """A row keyed again into its family card with the birth date copied from a relative's row (and a new NIK)
    shares no date part with the first: alike names on one card are compared anyway. Two members of one card with
    unlike names and other dates are not."""
    rows = [  # name, birth date, NIK, RT
        ("SRI WAHYUNI", date(1975, 4, 2), "3671014204750003", 1),
        ("SRI WAHYUNIH", date(1998, 10, 30), "3671017010980001", 2),  # the card's other RT, a child's date
        ("AHMAD FAUZI", date(1970, 1, 5), "3671010501700002", 1),
        ("NUR AINI", date(1995, 7, 21), "3671016107950004", 1),
    ]
    fields = ("nama", "tanggal_lahir", "nik_d", "rt")
    con = with_people([{**dict(zip(fields, r, strict=True)), "nkk_d": CARD} for r in rows])
    d.build_candidates(con)
    proposed = {pair for pair in con.execute("SELECT a, b FROM candidates").fetchall()}
    assert (1, 2) in proposed
    assert (3, 4) not in proposed and (1, 3) not in proposed
