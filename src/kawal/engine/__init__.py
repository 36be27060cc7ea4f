"""The engine's front door: every operation the command line and the web app use, importable from here.

    from kawal.engine import SnapshotStore, import_voter_list, run_audit
    snapshot = import_voter_list(Path("dpt.csv"), "DPT", "3671", SnapshotStore(Path("data"))).snapshot
    result = run_audit([str(snapshot.path)], Path("out"))

The audit is ``run_audit``: ``kawal.engine.audit`` is the audit's package, and Python binds a package's
submodules as its attributes, which would shadow a function of the same name. Names are loaded on first use (PEP 562), so ``import kawal.engine`` costs nothing: the command line's ``--help``
does not wait for DuckDB or pyarrow. The engine never imports Django (``tests/engine/test_front_door.py``).

| operation | names |
|---|---|
| import a list | ``import_voter_list``, ``ImportResult``, ``STAGES``, ``Snapshot``, ``SnapshotStore`` |
| audit | ``run_audit``, ``AuditResult``, ``resolve_inputs`` |
| diff | ``diff_snapshots``, ``DiffResult``, ``diff_summary_csv``, ``diff_summary_json`` |
| check results | ``check_results``, ``CheckResult``, ``read_results``, ``Loaded`` |
| sample plan | ``sample_size``, ``stratified_plan``, ``people_plan``, ``allocate`` |
| sample draw | ``draw_sample``, ``write_sample``, ``population``, ``normalise_phrase``, ``draw_from``, ``snapshot_strata`` |
| sample estimate | ``estimate_records``, ``estimate_clusters``, ``match_people``, ``match_person``, ``match_table`` |
| tally | ``tally``, ``ancestors``, ``read_turnout_tallies`` |
| rows for the web app | ``snapshot_voters``, ``audit_findings``, ``duplicate_pairs``, ``record_keys``, ``official_numbers``, ``READ_ERRORS``, ``snapshot_rejects``, ``write_rejects`` |
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# public name -> (module, attribute in it)
_EXPORTS: dict[str, tuple[str, str]] = {
    # import a list
    "import_voter_list": ("kawal.engine.importer", "import_voter_list"),
    "ImportResult": ("kawal.engine.importer", "ImportResult"),
    "STAGES": ("kawal.engine.importer", "STAGES"),
    "Snapshot": ("kawal.engine.snapshots", "Snapshot"),
    "SnapshotStore": ("kawal.engine.snapshots", "SnapshotStore"),
    # audit
    "run_audit": ("kawal.engine.audit", "audit"),
    "AuditResult": ("kawal.engine.audit", "AuditResult"),
    "resolve_inputs": ("kawal.engine.audit", "resolve_inputs"),
    # diff
    "diff_snapshots": ("kawal.engine.diff", "diff_snapshots"),
    "DiffResult": ("kawal.engine.diff", "DiffResult"),
    "diff_summary_csv": ("kawal.engine.diff", "summary_csv"),
    "diff_summary_json": ("kawal.engine.diff", "summary_json"),
    # check results
    "check_results": ("kawal.engine.results", "check"),
    "CheckResult": ("kawal.engine.results", "CheckResult"),
    "read_results": ("kawal.engine.results.reader", "read"),
    "Loaded": ("kawal.engine.results.reader", "Loaded"),
    # sample: plan, draw, estimate
    "sample_size": ("kawal.engine.sampling.plan", "sample_size"),
    "stratified_plan": ("kawal.engine.sampling.plan", "stratified"),
    "people_plan": ("kawal.engine.sampling.plan", "people_plan"),
    "allocate": ("kawal.engine.sampling.plan", "allocate"),
    "draw_sample": ("kawal.engine.sampling.draw", "draw"),
    "write_sample": ("kawal.engine.sampling.draw", "write"),
    "population": ("kawal.engine.sampling.draw", "population"),
    "normalise_phrase": ("kawal.engine.sampling.draw", "normalise_phrase"),
    "draw_from": ("kawal.engine.sampling.snapshot", "draw_from"),
    "snapshot_strata": ("kawal.engine.sampling.snapshot", "strata_sizes"),
    "estimate_records": ("kawal.engine.sampling.estimate", "estimate_records"),
    "estimate_clusters": ("kawal.engine.sampling.estimate", "estimate_clusters"),
    "match_people": ("kawal.engine.sampling.match", "match_people"),
    "match_person": ("kawal.engine.sampling.snapshot", "match_person"),
    "match_table": ("kawal.engine.sampling.snapshot", "match_table"),
    # tally
    "tally": ("kawal.engine.results.tally", "tally"),
    "ancestors": ("kawal.engine.results.tally", "ancestors"),
    "read_turnout_tallies": ("kawal.engine.turnout", "read_sirekap_tallies"),
    # rows out of the engine's files, for the web app's database
    "snapshot_voters": ("kawal.engine.rows", "snapshot_voters"),
    "audit_findings": ("kawal.engine.rows", "audit_findings"),
    "duplicate_pairs": ("kawal.engine.rows", "duplicate_pairs"),
    "record_keys": ("kawal.engine.rows", "record_keys"),
    "official_numbers": ("kawal.engine.rows", "official_numbers"),
    "READ_ERRORS": ("kawal.engine.rows", "READ_ERRORS"),
    "snapshot_rejects": ("kawal.engine.rows", "snapshot_rejects"),
    "write_rejects": ("kawal.engine.rows", "write_rejects"),
}

__all__ = [  # the same names as _EXPORTS (tests/engine/test_front_door.py checks)
    "READ_ERRORS",
    "STAGES",
    "AuditResult",
    "CheckResult",
    "DiffResult",
    "ImportResult",
    "Loaded",
    "Snapshot",
    "SnapshotStore",
    "allocate",
    "ancestors",
    "audit_findings",
    "check_results",
    "diff_snapshots",
    "diff_summary_csv",
    "diff_summary_json",
    "draw_from",
    "draw_sample",
    "duplicate_pairs",
    "estimate_clusters",
    "estimate_records",
    "import_voter_list",
    "match_people",
    "match_person",
    "match_table",
    "normalise_phrase",
    "official_numbers",
    "people_plan",
    "population",
    "read_results",
    "read_turnout_tallies",
    "record_keys",
    "resolve_inputs",
    "run_audit",
    "sample_size",
    "snapshot_rejects",
    "snapshot_strata",
    "snapshot_voters",
    "stratified_plan",
    "tally",
    "write_rejects",
    "write_sample",
]


def __getattr__(name: str) -> Any:
    """Load an exported name on first use and keep it, so the next lookup is a plain attribute."""
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'kawal.engine' has no attribute {name!r}") from None
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # what type checkers and editors see; nothing of this runs
    from kawal.engine.audit import AuditResult, resolve_inputs
    from kawal.engine.audit import audit as run_audit
    from kawal.engine.diff import DiffResult, diff_snapshots
    from kawal.engine.diff import summary_csv as diff_summary_csv
    from kawal.engine.diff import summary_json as diff_summary_json
    from kawal.engine.importer import STAGES, ImportResult, import_voter_list
    from kawal.engine.results import CheckResult
    from kawal.engine.results import check as check_results
    from kawal.engine.results.reader import Loaded
    from kawal.engine.results.reader import read as read_results
    from kawal.engine.results.tally import ancestors, tally
    from kawal.engine.rows import (
        READ_ERRORS,
        audit_findings,
        duplicate_pairs,
        official_numbers,
        record_keys,
        snapshot_rejects,
        snapshot_voters,
        write_rejects,
    )
    from kawal.engine.sampling.draw import draw as draw_sample
    from kawal.engine.sampling.draw import normalise_phrase, population
    from kawal.engine.sampling.draw import write as write_sample
    from kawal.engine.sampling.estimate import estimate_clusters, estimate_records
    from kawal.engine.sampling.match import match_people
    from kawal.engine.sampling.plan import allocate, people_plan, sample_size
    from kawal.engine.sampling.plan import stratified as stratified_plan
    from kawal.engine.sampling.snapshot import draw_from, match_person, match_table
    from kawal.engine.sampling.snapshot import strata_sizes as snapshot_strata
    from kawal.engine.snapshots import Snapshot, SnapshotStore
    from kawal.engine.turnout import read_sirekap_tallies as read_turnout_tallies
