import json

import pytest

from kawal.cli.main import main
from tests.conftest import HEADER, ROWS, write_csv


def test_help_in_both_languages(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "daftar pemilih" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--lang", "en", "--help"])
    assert "Voter-list audit" in capsys.readouterr().out


def _commands() -> list[str]:
    from kawal.cli.main import build_parser

    parser = build_parser()
    return sorted(parser._subparsers._group_actions[0].choices)  # every registered command


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_command_prints_its_help(capsys, language):
    # argparse reads help texts as %-templates: a bare "98%" made `kawal audit --help` a traceback
    commands = _commands()
    assert {"audit", "import", "generate", "sample"} <= set(commands)
    for command in commands:
        with pytest.raises(SystemExit) as exited:
            main(["--lang", language, command, "--help"])
        assert exited.value.code == 0, command
        assert "--help" in capsys.readouterr().out, command


def test_wilayah_prints_unit_and_children(capsys):
    assert main(["wilayah", "3671"]) == 0
    out = capsys.readouterr().out
    assert "Kota Tangerang" in out and "Cipondoh" in out and "Larangan" in out
    assert main(["wilayah", "3671", "--nama", "kec. ciledug"]) == 0
    assert "36.71.06" in capsys.readouterr().out


def test_unknown_wilayah_is_an_error_not_a_traceback(capsys):
    assert main(["wilayah", "3699"]) == 1
    assert "tidak ada di daftar" in capsys.readouterr().err


def test_import_snapshots_and_diff(tmp_path, capsys):
    data = str(tmp_path / "data")
    dps = write_csv(tmp_path / "dps.csv", [HEADER, *ROWS, "4,1,2"])
    dpt = write_csv(tmp_path / "dpt.csv", [HEADER, *ROWS[:2]])
    assert (
        main(
            [
                "import",
                str(dps),
                "--stage",
                "dps",
                "--wilayah",
                "3671",
                "--data",
                data,
                "--rejects",
                str(tmp_path / "rej.csv"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Baris masuk 4 = dimuat 3 + ditolak 1" in out and "cocok" in out
    assert "jumlah kolom kurang" in (tmp_path / "rej.csv").read_text()
    assert main(["--lang", "en", "import", str(dpt), "--stage", "DPT", "--wilayah", "3671", "--data", data]) == 0
    assert "Rows in 2 = loaded 2 + rejected 0" in capsys.readouterr().out
    assert main(["snapshots", "--data", data, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in listed] == ["0001-dps-3671", "0002-dpt-3671"]
    assert main(["diff", "1", "2", "--data", data, "--out", str(tmp_path / "d.csv")]) == 0
    assert "-1 dihapus" in capsys.readouterr().out


def test_generate(tmp_path, capsys):
    assert main(["generate", "--voters", "2000", "--seed", "3", "--out", str(tmp_path)]) == 0
    assert "2.000 pemilih" in capsys.readouterr().out
    assert (tmp_path / "dpt.csv").exists() and (tmp_path / "truth.csv").exists()
