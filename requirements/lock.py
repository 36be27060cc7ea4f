"""Write (or check) the pinned, hashed requirement files from pyproject.toml with uv.

    .venv/bin/python requirements/lock.py            # rewrite requirements/*.txt after changing pyproject.toml
    .venv/bin/python requirements/lock.py --check    # CI: fail if a lock no longer matches pyproject.toml

Versions already pinned are kept (uv prefers the versions of the file it rewrites); ``--upgrade`` takes the newest
the ranges allow. The package indexes are pip's own (``pip config list``), so a machine with a mirror locks from it.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
PYPROJECT = HERE.parent / "pyproject.toml"
LOCKS = {  # file: the extras it installs
    "core.txt": (),  # pip install kawal: the engine and the command line, no Django
    "test.txt": ("test",),  # the core and what its tests need (CI's core-only run)
    "dev.txt": ("dev",),  # everything: web, object storage, tests, linters, type checker
    "bench.txt": ("bench",),  # dev and Splink, for bench/splink_compare.py
}


def pip_index_options() -> list[str]:
    """pip's configured index, extra indexes and find-links as uv options (uv does not read pip.conf)."""
    done = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, check=False)
    flags = {"index-url": "--index-url", "extra-index-url": "--extra-index-url", "find-links": "--find-links"}
    options = []
    for line in done.stdout.splitlines():
        key, _, value = line.partition("=")
        flag = flags.get(key.split(".")[-1])
        for item in value.strip("'\"").split() if flag else ():
            options += [flag, item]
    return options


def compile_lock(target: Path, extras: tuple[str, ...], upgrade: bool) -> None:
    command = [sys.executable, "-m", "uv", "pip", "compile", str(PYPROJECT), "--quiet", "--no-header"]
    command += ["--generate-hashes", "--python-version", "3.11", "--index-strategy", "unsafe-best-match"]
    command += [f"--extra={extra}" for extra in extras] + pip_index_options() + ["-o", str(target)]
    command += ["--upgrade"] if upgrade else []
    subprocess.run(command, check=True, cwd=HERE.parent)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of rewriting")
    parser.add_argument("--upgrade", action="store_true", help="take the newest versions the ranges allow")
    args = parser.parse_args()
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, extras in LOCKS.items():
            fresh = Path(tmp) / name
            if (HERE / name).exists():
                shutil.copy(HERE / name, fresh)  # uv keeps the versions pinned there
            compile_lock(fresh, extras, args.upgrade)
            if args.check:
                if not (HERE / name).exists() or not filecmp.cmp(fresh, HERE / name, shallow=False):
                    stale.append(name)
            else:
                shutil.copy(fresh, HERE / name)
    if stale:
        print(f"stale locks: {', '.join(stale)}; run: .venv/bin/python requirements/lock.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
