"""Issues 17 and 19: ``grep`` finds the Pilkada 2024 election day and the TMS table in exactly one place each, over
every text file of the source, migrations, templates, scripts and translations included (test_elections.py checks
the code; this is the literal grep a reviewer runs)."""

from __future__ import annotations

import re
from pathlib import Path

from kawal.engine import elections

SRC = Path(elections.__file__).resolve().parent.parent
# Every way the day is written: ISO, date(2024, 11, 27), 27-11-2024, 27/11/2024, 27.11.2024, 27 Nov(ember) 2024.
ELECTION_DAY = re.compile(r"2024-11-27|2024,\s*11,\s*27|27[ ./-](11|nov(ember)?)[ ./-]2024", re.IGNORECASE)
# A TMS table: a code 1-8 beside one of its reasons, or the words only the table's rows use.
TMS_ROW = re.compile(
    r"\b[1-8]\b\s*[:=,]\s*[\"'(]*\s*(meninggal|ganda|WNA|TNI|Polri|pindah|di bawah umur|salah)"
    r"|warga negara asing|salah penempatan",
    re.IGNORECASE,
)


def _text_files():
    for path in SRC.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            try:
                yield path, path.read_text(encoding="utf-8")
            except UnicodeDecodeError:  # compiled translations, images, gzipped lists
                continue


def where(pattern: re.Pattern) -> list[str]:
    return sorted(str(path.relative_to(SRC)) for path, text in _text_files() if pattern.search(text))


def test_the_election_day_is_written_once():
    assert where(ELECTION_DAY) == ["engine/elections.py"]


def test_the_tms_table_is_one_data_file():
    assert where(TMS_ROW) == ["data/tms_2024.csv"]


def test_the_patterns_find_what_they_look_for():
    """The greps above can fail: each finds a second copy written any of the usual ways."""
    for text in ("held_on=date(2024, 11, 27)", "'2024-11-27'", "27 November 2024", "27/11/2024"):
        assert ELECTION_DAY.search(text), text
    for text in ('{5: "WNA"}', "(1, 'meninggal')", "8 = salah TPS", "WARGA NEGARA ASING"):
        assert TMS_ROW.search(text), text
    assert not TMS_ROW.search("TPS 12, ganda") and not ELECTION_DAY.search("2024-11-28")
