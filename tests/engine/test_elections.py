"""One home for election facts (issue 19): the values, the TMS table as data, exact reserve arithmetic, and no
second copy of a fact anywhere in the source."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from kawal.engine import elections
from kawal.engine.elections import PEMILU_2024, PILKADA_2024, reserve_ballots, tms_table
from tests.engine.test_model_a import columns, load

SRC = Path(elections.__file__).resolve().parent.parent


def test_the_facts_of_pilkada_and_pemilu_2024():
    assert (PILKADA_2024.day, PILKADA_2024.max_per_tps, PILKADA_2024.ballot_reserve) == (
        date(2024, 11, 27), 600, Decimal("0.025"),
    )  # fmt: skip
    assert (PEMILU_2024.day, PEMILU_2024.max_per_tps, PEMILU_2024.ballot_reserve) == (
        date(2024, 2, 14), 300, Decimal("0.02"),
    )  # fmt: skip
    assert PILKADA_2024.turnout_target == PEMILU_2024.turnout_target == 0.80
    assert elections.DEFAULT is PILKADA_2024
    assert elections.for_pemilihan("walikota") is PILKADA_2024
    assert elections.for_pemilihan("gubernur_banten") is PILKADA_2024
    assert elections.for_pemilihan("PPWP") is PEMILU_2024
    assert list(elections.LOKASI_KHUSUS) == list(range(90, 98))


def test_the_2024_tms_table_has_five_as_wna_and_no_tidak_dikenal():
    table = tms_table("2024")
    assert {c: tms.label[0] for c, tms in table.items()} == {
        1: "meninggal", 2: "ganda", 3: "di bawah umur", 4: "pindah domisili", 5: "WNA", 6: "TNI", 7: "Polri",
        8: "salah penempatan TPS",
    }  # fmt: skip
    assert table[5].label[1] == "foreign national" and "WARGA NEGARA ASING" in table[5].words
    assert table[5].tanggapan == table[1].tanggapan == "tidak_memenuhi_syarat"  # no longer eligible
    assert (table[2].tanggapan, table[4].tanggapan, table[8].tanggapan) == (
        "ganda",
        "tidak_berdomisili",
        "perbaikan_data",
    )
    assert not any("dikenal" in " ".join(tms.label) for tms in table.values())
    assert PILKADA_2024.tms is table and elections.tms_label(5) in {"5 WNA", "5 foreign national"}


def test_a_scheme_is_a_data_file(tmp_path, monkeypatch):
    (tmp_path / "tms_lama.csv").write_text(
        "code,label_id,label_en,words,tanggapan\n5,tidak dikenal,unknown,TIDAK DIKENAL,tidak_berdomisili\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(elections, "DATA", tmp_path)
    assert tms_table("lama")[5].label == ("tidak dikenal", "unknown")


@pytest.mark.parametrize("reserve", ["0.025", "0.02", "0.0333", "0.1", "0", 0.025, 0.02, Decimal("0.0250")])
def test_reserve_ballots_round_up_exactly(reserve):
    share = Fraction(str(reserve))
    for dpt in range(0, 1201):
        exact = share * dpt
        expected = exact.numerator // exact.denominator + (exact.denominator != 1)
        assert reserve_ballots(dpt, reserve) == expected


@pytest.mark.parametrize("reserve", ["-0.01", "1", "2.5"])
def test_an_impossible_reserve_is_refused(reserve):
    with pytest.raises(ValueError, match="reserve"):
        reserve_ballots(100, reserve)


def test_the_reserve_reads_as_a_percentage():
    assert elections.percent("0.025") in {"2,5%", "2.5%"} and elections.percent(Decimal("0.0200")) == "2%"
    assert PILKADA_2024.ballots(250) == 257 and PEMILU_2024.ballots(250) == 255


@pytest.mark.parametrize(
    ("written", "tms", "lokasi"),
    [("5", 5, None), ("TMS 5", 5, None), ("WNA", 5, None), ("WARGA NEGARA ASING", 5, None), ("90", None, 90),
     ("97", None, 97), ("98", None, None), ("89", None, None), ("9", None, None)],
)  # fmt: skip
def test_imports_read_the_table_and_the_lokasi_khusus_codes(tmp_path, store, written, tms, lokasi):
    snap = load(tmp_path, store, "NAMA;KETERANGAN", [f"A;{written}"])
    assert columns(snap, "tms_kode, lokasi_khusus") == [(tms, lokasi)]


def _source_files():
    for path in SRC.rglob("*"):
        if path.suffix in {".py", ".js", ".html", ".csv"} and "migrations" not in path.parts:
            yield path


def _where(pattern: str) -> list[str]:
    found = []
    for path in _source_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(pattern, text):
            found.append(str(path.relative_to(SRC)))
    return sorted(found)


def test_each_fact_is_written_in_one_place():
    assert _where(r"2024-11-27|2024, 11, 27") == ["engine/elections.py"]
    assert _where(r"MAX_PER_TPS\s*=\s*\d|max_per_tps=\d") == ["engine/elections.py"]
    assert _where(r"RESERVE\s*=\s*1?\.\d|1[.,]025") == []
    assert _where(r"WARGA NEGARA ASING") == ["data/tms_2024.csv"]
    assert _where(r"pindah domisili") == ["data/tms_2024.csv"]


def test_the_facts_module_loads_no_django():
    code = "import sys, kawal.engine.elections, kawal.engine.model_a; print('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"
