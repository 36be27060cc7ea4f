"""The engine's front door (``kawal.engine``): every operation reachable from it, cheap to import, no Django;
and the web app reaches DuckDB only through the engine."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import kawal.engine as engine

WEB = Path(engine.__file__).resolve().parents[1] / "web"


def _modules_after(code: str) -> list[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_importing_the_engine_loads_no_django_and_no_duckdb() -> None:
    loaded = _modules_after("import kawal.engine")
    assert not [m for m in loaded if m == "django" or m.startswith("django.")]
    # lazy: the names are there, their modules are not loaded until used
    assert "duckdb" not in loaded
    assert "kawal.engine.audit" not in loaded


def test_every_operation_loads_without_django() -> None:
    loaded = _modules_after("import kawal.engine as e\nfor name in e.__all__: getattr(e, name)")
    assert "duckdb" in loaded  # the operations really were loaded
    assert not [m for m in loaded if m == "django" or m.startswith("django.")]


def test_the_operations_are_exported() -> None:
    from kawal.engine.audit import audit
    from kawal.engine.importer import import_voter_list
    from kawal.engine.results import check
    from kawal.engine.sampling.draw import draw

    assert engine.run_audit is audit
    assert engine.import_voter_list is import_voter_list
    assert engine.check_results is check
    assert engine.draw_sample is draw
    for name in ("diff_snapshots", "sample_size", "estimate_records", "tally", "snapshot_voters"):
        assert callable(getattr(engine, name)), name
    assert set(engine.__all__) <= set(dir(engine))
    assert sorted(engine.__all__) == sorted(engine._EXPORTS)


def test_the_audit_is_not_shadowed_by_its_package() -> None:
    """``kawal.engine.audit`` is a package; once loaded, Python binds it on ``kawal.engine``. The operation has
    another name so that ``from kawal.engine import run_audit`` is always the function."""
    import kawal.engine.audit.checks  # noqa: F401  (loads the package)
    from kawal.engine import run_audit

    assert callable(run_audit) and run_audit.__module__ == "kawal.engine.audit"


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        engine.no_such_operation  # noqa: B018
    except AttributeError as error:
        assert "no_such_operation" in str(error)
    else:
        raise AssertionError("an unknown name must raise AttributeError")


def _imports_duckdb(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "duckdb" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "duckdb":
            return True
        dynamic = isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"__import__", "import_module"}
        named = dynamic and node.args and isinstance(node.args[0], ast.Constant) and str(node.args[0].value)
        if named and named.split(".")[0] == "duckdb":
            return True
    return False


def test_the_scan_finds_a_duckdb_import() -> None:
    """The scan below can fail: each way of importing DuckDB is caught."""
    for code in ("import duckdb", "import duckdb as d", "from duckdb import connect", "def f():\n    import duckdb"):
        assert _imports_duckdb(ast.parse(code)), code
    assert not _imports_duckdb(ast.parse("from kawal.engine import run_audit"))


def test_no_web_module_imports_duckdb() -> None:
    files = sorted(WEB.rglob("*.py"))
    assert len(files) > 50  # the web app is really there
    offenders = [str(f.relative_to(WEB)) for f in files if _imports_duckdb(ast.parse(f.read_text(encoding="utf-8")))]
    assert offenders == []
