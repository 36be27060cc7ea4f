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


def test_type_checkers_see_every_exported_name() -> None:
    """The ``if TYPE_CHECKING:`` imports at the bottom of ``__init__.py`` bind each exported name to the very
    attribute ``_EXPORTS`` loads, so mypy checks ``from kawal.engine import X`` against the real thing."""
    tree = ast.parse(Path(engine.__file__).read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING")
    seen = {
        (alias.asname or alias.name): (node.module, alias.name)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert seen == engine._EXPORTS


def test_no_exported_name_is_a_submodule_name() -> None:
    """A loaded submodule is bound on ``kawal.engine`` under its own name (see ``run_audit`` above), so an
    exported name must not be the name of one."""
    package = Path(engine.__file__).parent
    submodules = {p.stem for p in package.glob("*.py")} | {
        p.name for p in package.iterdir() if (p / "__init__.py").exists()
    }
    assert {"audit", "elections", "nik", "sql", "turnout"} <= submodules
    assert sorted(set(engine._EXPORTS) & submodules) == []


def test_the_facts_the_cli_shows_are_the_audits_defaults() -> None:
    """``kawal audit`` builds its parser from ``DEFAULT_ELECTION`` (no DuckDB): the audit's own defaults."""
    from kawal.engine import audit

    assert (engine.DEFAULT_ELECTION.day, engine.DEFAULT_ELECTION.max_per_tps) == (
        audit.ELECTION_DATE,
        audit.MAX_PER_TPS,
    )


def test_the_names_for_the_web_load_without_duckdb_where_their_module_does() -> None:
    """Election facts, NIK rules and the turnout arithmetic stay light: the web's forms and the CLI's parser use them."""
    loaded = _modules_after(
        "from kawal.engine import DEFAULT_ELECTION, mask, parse_nik, tms_table, TURNOUT_TARGET, new_voter_problems"
    )
    assert "duckdb" not in loaded and "pyarrow" not in loaded
    assert "kawal.engine.elections" in loaded and "kawal.engine.nik" in loaded
