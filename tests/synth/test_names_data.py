"""The generator's name lists live in data files (``kawal/synth/data``), and moving them there changed nothing:
``kawal generate`` writes the same bytes for the same seed as when the lists were Python literals."""

from __future__ import annotations

import ast
import hashlib
import inspect
from pathlib import Path

import pytest

from kawal.cli.main import main
from kawal.synth import names

# sha256 over the output files concatenated in name order (dpt.csv, generate.json, truth.csv, ...), computed with
# the lists still written as code in names.py (before issue 19 moved them), `--voters 3000 --seed 7`.
BEFORE = {
    "kawal": "e7a60a422ea72182e176185f60f4dccf2d18d47626181bb606efb1f1b56ce912",
    "klerikal": "341241d79d854a4340e7f2f59faeea82e6f36bc7f39c41a374ddee685192a058",
}


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.mark.parametrize("profile", sorted(BEFORE))
def test_generate_output_is_byte_identical_to_before_the_move(tmp_path: Path, profile: str) -> None:
    out = tmp_path / profile
    assert main(["generate", "--voters", "3000", "--seed", "7", "--profile", profile, "--out", str(out)]) == 0
    assert (out / "dpt.csv").stat().st_size > 100_000  # a real list was written
    assert _digest(out) == BEFORE[profile]


def test_lists_are_read_from_the_data_files() -> None:
    data = Path(names.__file__).parent / "data"
    for name in ("given_names.csv", "second_names.csv", "traditions.csv", "birthplaces.csv", "addresses.csv"):
        assert (data / name).stat().st_size > 0, name
    # every tradition of the city has names of both sexes, second names and birthplaces, and shares that sum to 1
    traditions = [t for t, _share, _single in names.TRADITIONS]
    assert set(traditions) == set(names.GIVEN) == set(names.SECOND) == set(names.BIRTHPLACES)
    assert all(male and female for male, female in names.GIVEN.values())
    assert abs(sum(share for _t, share, _single in names.TRADITIONS) - 1.0) < 1e-9
    assert len({n for male, female in names.GIVEN.values() for n in (*male, *female)}) > 500
    assert names.STREETS[0] == "JL. MH THAMRIN" and "KP. BARU" in names.KAMPUNG


def test_names_module_holds_no_long_literal_lists() -> None:
    """The data does not creep back into code: no tuple, list or dict literal in names.py has more than 10
    items."""
    tree = ast.parse(inspect.getsource(names))
    sizes = [
        len(node.elts if not isinstance(node, ast.Dict) else node.keys)
        for node in ast.walk(tree)
        if isinstance(node, ast.Tuple | ast.List | ast.Dict)
    ]
    assert max(sizes) <= 10
