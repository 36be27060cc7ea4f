"""docs/architecture.md is the newcomer's map: every file it points to exists, every web app is in it and has a
README, and every CLI command has its module."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "kawal"
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
# `engine/diff.py`, `web/voters/jobs.py`, `synth/data/`, `data/tms_2024.csv`, `cli/main.py` …
POINTER = re.compile(r"`((?:[a-z_]+/)+[a-z_0-9.]*)`")
ROOTS = (PKG, PKG / "web", ROOT, ROOT / "src", PKG / "web" / "static" / "kawal")
NOT_FILES = {"insiden/"}  # a prefix inside the photos storage, not a path in the tree


def _exists(pointer: str) -> bool:
    return any((base / pointer).exists() for base in ROOTS)


def test_every_file_the_doc_points_to_exists() -> None:
    pointers = set(POINTER.findall(DOC))
    assert len(pointers) > 80  # the capability table is there
    missing = sorted(p for p in pointers if p not in NOT_FILES and "<" not in p and not _exists(p))
    assert missing == []


def test_every_web_app_is_described_and_has_a_readme() -> None:
    apps = [d.name for d in (PKG / "web").iterdir() if d.is_dir() and (d / "__init__.py").exists()]
    assert len(apps) >= 10
    assert [a for a in apps if f"`{a}`" not in DOC and f"web/{a}/" not in DOC] == []
    assert [a for a in apps if not (PKG / "web" / a / "README.md").exists()] == []


def test_every_cli_command_module_is_in_the_doc() -> None:
    modules = [p.name for p in (PKG / "cli").glob("*.py") if p.name != "__init__.py"]
    assert "commands.py" not in modules  # one module per command
    assert [m for m in modules if f"cli/{m}" not in DOC] == []
