"""Numbers on the command line are written the Indonesian way in Indonesian (1.377.828; 0,9849) and the English way
in English (1,377,828; 0.9849); text that is not a number is left as it is."""

from decimal import Decimal

import numpy as np
import pytest

from kawal.cli.main import main
from kawal.i18n import KawalError, number, set_language, t
from kawal.synth.generator import generate

THOUSANDS = ("{n:,} pemilih", "{n:,} voters")
SHARE = ("presisi {p:.4f}", "precision {p:.4f}")


def test_thousands_and_decimals_follow_the_language():
    assert t(THOUSANDS, n=1377828) == "1.377.828 pemilih"
    assert t(SHARE, p=0.98494) == "presisi 0,9849"
    set_language("en")
    assert t(THOUSANDS, n=1377828) == "1,377,828 voters"
    assert t(SHARE, p=0.98494) == "precision 0.9849"


def test_the_environment_chooses_english(monkeypatch):
    monkeypatch.setenv("KAWAL_LANG", "en")
    assert t(THOUSANDS, n=1377828) == "1,377,828 voters"
    monkeypatch.setenv("KAWAL_LANG", "id")
    assert t(THOUSANDS, n=1377828) == "1.377.828 pemilih"


def test_every_kind_of_number_is_localized():
    message = ("{a:,} {b:.2f} {c} {d:,} {e:.1f} {f:.1%}", "-")
    assert t(message, a=12345, b=Decimal("1234.5"), c=0.025, d=np.int64(98765), e=np.float64(11.14), f=0.123) == (
        "12.345 1234,50 0,025 98.765 11,1 12,3%"
    )


def test_bools_and_strings_are_left_alone():
    message = ("{b} · {s} · {r!r}", "{b} · {s} · {r!r}")
    values = {"b": True, "s": "1,234.5 v0.9", "r": 1.5}
    assert t(message, **values) == "True · 1,234.5 v0.9 · 1.5"
    set_language("en")
    assert t(message, **values) == "True · 1,234.5 v0.9 · 1.5"


def test_plain_integers_and_texts_without_values_are_unchanged():
    assert t(("baris {r}", "row {r}"), r=1234) == "baris 1234"
    assert t(("{tanpa} nilai", "{no} values")) == "{tanpa} nilai"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("id", ["1.377.828", "0,9849", "11,1", "1.234,57", "True", "abc"]),
        ("en", ["1,377,828", "0.9849", "11.1", "1,234.57", "True", "abc"]),
    ],
)
def test_number_formats_one_value(lang, expected):
    set_language(lang)
    got = [number(1377828), number(0.98494, ".4f"), number(11.14, ".1f"), number(1234.567, ",.2f")]
    got += [number(True, ""), number("abc", "")]
    assert got == expected


def test_errors_follow_the_language():
    error = KawalError(("{n:,} baris ditolak", "{n:,} rows rejected"), n=2500)
    assert str(error) == "2.500 baris ditolak"
    set_language("en")
    assert str(error) == "2,500 rows rejected"


def test_generate_and_audit_print_indonesian_thousands(tmp_path, capsys):
    assert main(["generate", "--voters", "3000", "--seed", "5", "--out", str(tmp_path / "city")]) == 0
    assert "3.000 pemilih" in capsys.readouterr().out
    dpt = str(tmp_path / "city" / "dpt.csv")
    assert main(["audit", dpt, "--out", str(tmp_path / "id"), "--wilayah", "3671", "--max-per-tps", "10"]) == 0
    out = capsys.readouterr().out
    assert "Baris masuk 3.000 = diaudit 3.000 + ditolak 0" in out and "3,000" not in out
    assert "3.000" in (tmp_path / "id" / "report.html").read_text(encoding="utf-8")
    code = main(
        ["--lang", "en", "audit", dpt, "--out", str(tmp_path / "en"), "--wilayah", "3671", "--max-per-tps", "10"]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "Rows in 3,000 = audited 3,000 + rejected 0" in out and "3.000" not in out


def test_machine_output_keeps_plain_numbers(tmp_path):
    generate(3000, seed=5, out=tmp_path / "city")
    main(["audit", str(tmp_path / "city" / "dpt.csv"), "--out", str(tmp_path / "out"), "--wilayah", "3671"])
    summary = (tmp_path / "out" / "summary.json").read_text(encoding="utf-8")
    assert '"audited": 3000' in summary
