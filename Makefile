# Two entry points: `make demo` (the main job) and `make test`. Both build their virtualenvs themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The core alone (pip install kawal: engine and command line, no Django), where the engine's tests run.
CORE_VENV := .venv-core
CORE_BIN := $(CORE_VENV)/bin
CORE_STAMP := $(CORE_VENV)/.installed
CORE_TESTS := tests/engine tests/audit tests/results tests/sampling tests/synth tests/cli tests/test_wilayah.py
# Tests run on every core (pytest-xdist); each test file stays on one worker, so its module fixtures are built once.
PYTEST := pytest -q -n auto --dist loadfile --durations=12
PIP := pip install --quiet --disable-pip-version-check --require-hashes

.PHONY: demo test test-core test-web test-pg lint typecheck lock lock-check bench clean

define make_venv
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "kawal needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(1)
	$(1)/bin/$(PIP) -r $(2)
	$(1)/bin/pip check
endef

$(STAMP): pyproject.toml requirements/dev.txt
	$(call make_venv,$(VENV),requirements/dev.txt)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(CORE_STAMP): pyproject.toml requirements/test.txt
	$(call make_venv,$(CORE_VENV),requirements/test.txt)
	$(CORE_BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(CORE_STAMP)

demo: $(STAMP)
	$(BIN)/kawal demo

test: test-core test-web

test-core: $(CORE_STAMP)  # the engine's tests on the core install, which must not need Django
	KAWAL_CORE_ONLY=1 $(CORE_BIN)/$(PYTEST) -p no:cacheprovider $(CORE_TESTS)

# Everything else (web, security, browser, photos) on the full install. The API fuzzing (minutes) runs in test-pg,
# where the number bounds it probes matter: SQLite stores any integer, PostgreSQL refuses out-of-range ones.
test-web: $(STAMP)
	$(BIN)/$(PYTEST) $(addprefix --ignore=,$(CORE_TESTS) $(PG_ONLY_TESTS))

# On PostgreSQL, the tests whose outcome depends on the database: the API's number bounds (SQLite stores any
# integer, PostgreSQL refuses out-of-range ones), the longest record id the import gives (SQLite stores any
# length), races between two writers and the log's trigger (skipped on
# SQLite), the action log's chain under advisory locks, backups (pg_dump) and the election-night load. The API
# fuzzing and the load run on PostgreSQL only, as in production. Everything else runs once, on SQLite, in make test;
# `make test-pg PG_TESTS="tests/web tests/security"` runs the whole web suite on PostgreSQL.
PG_ONLY_TESTS := tests/web/test_api_fuzz.py tests/web/test_load.py
PG_TESTS := $(PG_ONLY_TESTS) tests/security/test_api_fuzz_targeted.py tests/security/test_api_bounds.py \
	tests/security/test_invitations.py tests/security/test_log_checkpoints.py tests/web/test_visits.py \
	tests/web/test_actionlog_chain.py tests/web/test_backup.py \
	tests/web/test_voters_web.py::test_the_longest_record_id_the_import_gives_fits_the_voter_table

test-pg: $(STAMP)  # PG_TESTS on PostgreSQL (DATABASE_URL, default the local server)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(BIN)/$(PYTEST) $(PG_TESTS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	KAWAL_DATA_DIR=$$(mktemp -d) $(BIN)/mypy

lock: $(STAMP)  # after changing pyproject.toml: rewrite the pinned, hashed requirement files
	$(BIN)/python requirements/lock.py

lock-check: $(STAMP)
	$(BIN)/python requirements/lock.py --check

bench: $(STAMP)
	$(BIN)/$(PIP) -r requirements/bench.txt
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/pdf_import_bench.py
	$(BIN)/python bench/audit_bench.py
	$(BIN)/python bench/splink_compare.py
	$(BIN)/python bench/tally_bench.py

clean:
	rm -rf $(VENV) $(CORE_VENV) var build *.egg-info src/*.egg-info
