# Two entry points: `make demo` (the main job) and `make test`. Both build .venv themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-pg lint bench clean

$(STAMP): pyproject.toml requirements/base.txt requirements/dev.txt
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "kawal needs Python 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	$(BIN)/pip check
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kawal demo

test: $(STAMP)
	$(BIN)/pytest -q

test-pg: $(STAMP)  # the web and security tests on PostgreSQL (DATABASE_URL, default the local server)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(BIN)/pytest -q tests/web tests/security

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/bench.txt
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/pdf_import_bench.py
	$(BIN)/python bench/audit_bench.py
	$(BIN)/python bench/splink_compare.py
	$(BIN)/python bench/tally_bench.py

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info
