"""Issue 19, one front door to the engine: the web app and the command line import the engine only through
``kawal.engine`` (``from kawal.engine import run_audit``), never a submodule of it, and the web app never imports
DuckDB. A name they need is added to ``kawal.engine._EXPORTS`` (src/kawal/engine/__init__.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import kawal.engine as engine

PKG = Path(engine.__file__).resolve().parents[1]  # src/kawal
SCANNED = ("web", "cli")

# Files allowed to reach past the front door, relative to src/kawal: none. Keep it empty.
NOT_YET_CONVERTED: frozenset[str] = frozenset()


def _submodule(name: str) -> bool:
    return name.startswith("kawal.engine.")


def offences(tree: ast.AST, *, web: bool) -> list[tuple[int, str]]:
    """(line, what) for each import of the engine past its front door, and (``web``) each import of DuckDB."""
    exported = set(engine._EXPORTS)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _submodule(alias.name):
                    found.append((node.lineno, f"import {alias.name}"))
                if web and alias.name.split(".")[0] == "duckdb":
                    found.append((node.lineno, f"import {alias.name}"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if _submodule(node.module):
                found.append((node.lineno, f"from {node.module} import …"))
            elif node.module == "kawal.engine":
                # `from kawal.engine import nik` is a submodule import too: only the exported names pass
                found += [
                    (node.lineno, f"from kawal.engine import {a.name}") for a in node.names if a.name not in exported
                ]
            if web and node.module.split(".")[0] == "duckdb":
                found.append((node.lineno, f"from {node.module} import …"))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in {
            "__import__",
            "import_module",
        }:
            first = node.args[0] if node.args else None
            name = str(first.value) if isinstance(first, ast.Constant) else ""
            if _submodule(name) or (web and name.split(".")[0] == "duckdb"):
                found.append((node.lineno, f"dynamic import of {name}"))
    return found


def _in_web(path: Path) -> bool:
    return path.relative_to(PKG).parts[0] == "web"


def _scanned_files() -> list[Path]:
    files = []
    for part in SCANNED:
        for path in sorted((PKG / part).rglob("*.py")):
            relative = path.relative_to(PKG).as_posix()
            if "/migrations/" in relative or relative in NOT_YET_CONVERTED:
                continue
            files.append(path)
    return files


def test_the_web_app_and_the_cli_use_only_the_front_door() -> None:
    files = _scanned_files()
    assert len(files) > 60  # the web app and the command line are really there
    assert any(p.relative_to(PKG).as_posix() == "cli/sample.py" for p in files)
    bad = [
        f"src/kawal/{path.relative_to(PKG).as_posix()}:{line}: {what}"
        for path in files
        for line, what in offences(ast.parse(path.read_text(encoding="utf-8")), web=_in_web(path))
    ]
    hint = "past the front door (import it from kawal.engine, adding it to _EXPORTS), or DuckDB in the web app"
    assert bad == [], hint + ":\n" + "\n".join(bad)


def test_the_allow_list_names_real_files() -> None:
    """A file that is gone or renamed must leave the allow-list, so the list only ever shrinks."""
    assert [f for f in sorted(NOT_YET_CONVERTED) if not (PKG / f).is_file()] == []


def test_the_scan_catches_each_way_past_the_front_door() -> None:
    """The scan can fail: every form of a submodule import is caught, with its line."""
    for code in (
        "from kawal.engine.nik import mask",
        "import kawal.engine.nik",
        "import kawal.engine.sampling.plan as planning",
        "from kawal.engine.sampling import plan as planning",
        "from kawal.engine import elections",  # a submodule, not an exported name
        "def f():\n    from kawal.engine.sql import connect",  # lazy imports count too
        "import importlib\nimportlib.import_module('kawal.engine.turnout')",
    ):
        assert offences(ast.parse(code), web=False), code
    assert offences(ast.parse("x = 1\nfrom kawal.engine.nik import mask"), web=False) == [
        (2, "from kawal.engine.nik import …")
    ]
    for code in ("import duckdb", "from duckdb import connect", "def f():\n    import duckdb as d"):
        assert offences(ast.parse(code), web=True), code
        assert not offences(ast.parse(code), web=False), code  # the command line may use DuckDB
    for code in (
        "from kawal.engine import run_audit, mask",
        "import kawal.engine",
        "import kawal.engine as engine",
        "from kawal import engine",
    ):
        assert offences(ast.parse(code), web=True) == [], code
