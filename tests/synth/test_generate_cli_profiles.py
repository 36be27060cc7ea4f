"""``kawal generate --profile`` offers every independent profile, those in their own modules too."""

from __future__ import annotations

import json

import pytest

from kawal.cli.generate import independent_profiles
from kawal.cli.main import main


def test_every_independent_profile_is_offered():
    assert {"klerikal", "pindah", "nama_umum", "campuran", "arsip"} <= set(independent_profiles())


@pytest.mark.parametrize("profile", ["arsip"])
def test_a_separate_profile_generates_from_the_command_line(tmp_path, capsys, profile):
    assert main(["generate", "--profile", profile, "--voters", "3000", "--seed", "3", "--out", str(tmp_path)]) == 0
    assert "PEMILIH_GANDA" in capsys.readouterr().out
    assert json.loads((tmp_path / "generate.json").read_text())["profile"] == profile
    assert (tmp_path / "pairs.csv").exists() and (tmp_path / "hard_negatives.csv").exists()
