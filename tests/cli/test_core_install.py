"""``pip install kawal`` gives the engine and the command line without Django; the web commands say what is missing.

``make test`` runs this folder in a virtualenv holding only the core (KAWAL_CORE_ONLY=1), where the assertions
about missing packages apply; in the full install they are skipped and the import test still runs.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

CORE_ONLY = os.environ.get("KAWAL_CORE_ONLY") == "1"


def test_importing_the_engine_loads_no_django():
    code = (
        "import sys, kawal.engine, kawal.engine.audit, kawal.engine.importer, kawal.engine.diff, "
        "kawal.engine.results, kawal.engine.sampling, kawal.cli.main; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'ninja', 'boto3', 'reportlab')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.skipif(not CORE_ONLY, reason="only meaningful in the core-only virtualenv")
def test_the_core_install_has_no_web_packages():
    for name in ("django", "ninja", "gunicorn", "boto3", "psycopg"):
        assert importlib.util.find_spec(name) is None, f"{name} is installed in the core virtualenv"


@pytest.mark.skipif(not CORE_ONLY, reason="only meaningful in the core-only virtualenv")
def test_a_web_command_names_the_missing_extra():
    done = subprocess.run([sys.executable, "-m", "kawal", "serve"], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "pip install 'kawal[web]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_audit_runs_from_the_command_line(tmp_path):
    from tests.conftest import HEADER, ROWS

    source = tmp_path / "dpt.csv"
    source.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    command = ["audit", str(source), "--out", str(tmp_path / "out"), "--data", str(tmp_path / "d")]
    done = subprocess.run([sys.executable, "-m", "kawal", *command], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "summary.json").exists()
