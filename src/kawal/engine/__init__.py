"""The engine's front door: every operation, fact and helper the command line and the web app use, importable from here.

    from kawal.engine import SnapshotStore, import_voter_list, run_audit
    snapshot = import_voter_list(Path("dpt.csv"), "DPT", "3671", SnapshotStore(Path("data"))).snapshot
    result = run_audit([str(snapshot.path)], Path("out"))

The audit is ``run_audit``: ``kawal.engine.audit`` is the audit's package, and Python binds a package's
submodules as its attributes, which would shadow a function of the same name. Names are loaded on first use (PEP 562), so ``import kawal.engine`` costs nothing: the command line's ``--help``
does not wait for DuckDB or pyarrow. The engine never imports Django (``tests/engine/test_front_door.py``).

| operation | names |
|---|---|
| import a list | ``import_voter_list``, ``ImportResult``, ``STAGES``, ``Snapshot``, ``SnapshotStore`` |
| sealed snapshots (encrypted at rest) | ``set_snapshot_keys``, ``snapshot_key_id``, ``sealed_with``, ``snapshot_key_from_file`` |
| audit | ``run_audit``, ``AuditResult``, ``resolve_inputs``, ``AUDIT_MEMORY_LIMIT``, ``audit_memory_limit`` |
| diff | ``diff_snapshots``, ``DiffResult``, ``diff_summary_csv``, ``diff_summary_json`` |
| check results | ``check_results``, ``CheckResult``, ``read_results``, ``Loaded`` |
| sample plan | ``sample_size``, ``stratified_plan``, ``people_plan``, ``allocate`` |
| sample draw | ``draw_sample``, ``write_sample``, ``population``, ``normalise_phrase``, ``draw_from``, ``snapshot_strata`` |
| sample estimate | ``estimate_records``, ``estimate_clusters``, ``match_people``, ``match_person``, ``match_table`` |
| tally | ``tally``, ``ancestors``, ``read_turnout_tallies``, ``decoded_text`` (a CSV's text: UTF-16 by BOM, UTF-8, else Windows-1252) |
| rows for the web app | ``snapshot_voters``, ``audit_findings``, ``duplicate_pairs``, ``record_keys``, ``official_numbers``, ``READ_ERRORS``, ``snapshot_rejects``, ``write_rejects`` |
| election facts | ``ElectionFacts``, ``ELECTIONS``, ``DEFAULT_ELECTION``, ``PILKADA_2024``, ``PEMILU_2024``, ``election_for_pemilihan``, ``Tms``, ``tms_table``, ``response_period``, ``reserve_fraction``, ``reserve_percent`` |
| NIK/NKK | ``parse_nik``, ``parse_nkk``, ``mask``, ``MASK``, ``MASK_CHARACTERS``, ``NIK_MESSAGES`` |
| new voters (field visits) | ``NewVoterData``, ``new_voter_problems``, ``DISABILITY`` |
| audit checks and duplicates, for the web's pages | ``check_registry``, ``NOT_CHECKABLE``, ``DUPLICATE_LEVEL_WORDS``, ``HIDDEN_DATES_PRECISION`` |
| C.Hasil columns, rules, quick count | ``NUMBERS``, ``PAIRED``, ``BALLOTS``, ``VOTES``, ``paslon``, ``check_form``, ``ratio_estimate``, ``RatioEstimate``, ``QuickCountTps`` |
| sample types, outcomes, report | ``SAMPLE_STRATA``, ``SAMPLE_UNITS``, ``StratumPlan``, ``Estimate``, ``SampleCluster``, ``RECORD_OUTCOMES``, ``NONRESPONSE``, ``parquet_source``, ``describe_estimate``, ``interval_svg``, ``write_estimates_csv``, ``wilson_interval`` |
| turnout | ``Turnout``, ``Reach``, ``Priority``, ``Fit``, ``TURNOUT_TARGET``, ``rank_turnout``, ``rake_votes``, ``allocate_dpt``, ``fit_line`` |
| SQL helpers for the web's queries | ``duckdb_connect``, ``spreadsheet_safe`` |

The command line and the web app import the engine only from here (``tests/test_front_door_imports.py``): a
name they need that is not in the table is added here, not imported from a submodule. The names of the last
rows are the engine's own, renamed where the bare name would be unclear beside the others (``DEFAULT`` is
``DEFAULT_ELECTION``, ``registry`` is ``check_registry``, ``connect`` is ``duckdb_connect``) or would collide
with a web model (``Election`` is ``ElectionFacts``, ``quickcount.TpsResult`` is ``QuickCountTps``).
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
    "RECORD_ID_NOTES": ("kawal.engine.importer", "RECORD_ID_NOTES"),
    "Snapshot": ("kawal.engine.snapshots", "Snapshot"),
    "SnapshotStore": ("kawal.engine.snapshots", "SnapshotStore"),
    # sealed snapshots
    "set_snapshot_keys": ("kawal.engine.sealed", "set_keys"),
    "snapshot_key_id": ("kawal.engine.sealed", "key_id"),
    "sealed_with": ("kawal.engine.sealed", "sealed_with"),
    "snapshot_key_from_file": ("kawal.engine.sealed", "key_from_file"),
    # audit
    "run_audit": ("kawal.engine.audit", "audit"),
    "AUDIT_MEMORY_LIMIT": ("kawal.engine.memory", "MEMORY_LIMIT"),
    "audit_memory_limit": ("kawal.engine.memory", "memory_limit"),
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
    "decoded_text": ("kawal.engine.turnout", "decoded_text"),
    # rows out of the engine's files, for the web app's database
    "snapshot_voters": ("kawal.engine.rows", "snapshot_voters"),
    "audit_findings": ("kawal.engine.rows", "audit_findings"),
    "duplicate_pairs": ("kawal.engine.rows", "duplicate_pairs"),
    "record_keys": ("kawal.engine.rows", "record_keys"),
    "official_numbers": ("kawal.engine.rows", "official_numbers"),
    "READ_ERRORS": ("kawal.engine.rows", "READ_ERRORS"),
    "snapshot_rejects": ("kawal.engine.rows", "snapshot_rejects"),
    "write_rejects": ("kawal.engine.rows", "write_rejects"),
    # election facts
    "ElectionFacts": ("kawal.engine.elections", "Election"),
    "ELECTIONS": ("kawal.engine.elections", "ELECTIONS"),
    "DEFAULT_ELECTION": ("kawal.engine.elections", "DEFAULT"),
    "PILKADA_2024": ("kawal.engine.elections", "PILKADA_2024"),
    "PEMILU_2024": ("kawal.engine.elections", "PEMILU_2024"),
    "election_for_pemilihan": ("kawal.engine.elections", "for_pemilihan"),
    "Tms": ("kawal.engine.elections", "Tms"),
    "tms_table": ("kawal.engine.elections", "tms_table"),
    "response_period": ("kawal.engine.elections", "response_period"),
    "reserve_fraction": ("kawal.engine.elections", "reserve_fraction"),
    "reserve_percent": ("kawal.engine.elections", "percent"),
    # NIK/NKK
    "parse_nik": ("kawal.engine.nik", "parse_nik"),
    "parse_nkk": ("kawal.engine.nik", "parse_nkk"),
    "mask": ("kawal.engine.nik", "mask"),
    "MASK": ("kawal.engine.nik", "MASK"),
    "MASK_CHARACTERS": ("kawal.engine.nik", "MASK_CHARACTERS"),
    "NIK_MESSAGES": ("kawal.engine.nik", "MESSAGES"),
    # new voters (field visits)
    "NewVoterData": ("kawal.engine.new_voter", "NewVoterData"),
    "new_voter_problems": ("kawal.engine.new_voter", "problems"),
    "DISABILITY": ("kawal.engine.new_voter", "DISABILITY"),
    # audit checks and duplicates, for the web's pages
    "check_registry": ("kawal.engine.audit.checks", "registry"),
    "NOT_CHECKABLE": ("kawal.engine.audit.checks", "NOT_CHECKABLE"),
    "DUPLICATE_LEVEL_WORDS": ("kawal.engine.audit.duplicate_text", "LEVEL_WORDS"),
    "HIDDEN_DATES_PRECISION": ("kawal.engine.audit.duplicates", "HIDDEN_DATES_PRECISION"),
    # C.Hasil columns, rules, quick count
    "NUMBERS": ("kawal.engine.results.columns", "NUMBERS"),
    "PAIRED": ("kawal.engine.results.columns", "PAIRED"),
    "BALLOTS": ("kawal.engine.results.columns", "BALLOTS"),
    "VOTES": ("kawal.engine.results.columns", "VOTES"),
    "paslon": ("kawal.engine.results.columns", "paslon"),
    "check_form": ("kawal.engine.results.rules", "check_form"),
    "ratio_estimate": ("kawal.engine.results.quickcount", "ratio_estimate"),
    "RatioEstimate": ("kawal.engine.results.quickcount", "RatioEstimate"),
    "QuickCountTps": ("kawal.engine.results.quickcount", "TpsResult"),
    # sample types, outcomes, report
    "SAMPLE_STRATA": ("kawal.engine.sampling.draw", "STRATA"),
    "SAMPLE_UNITS": ("kawal.engine.sampling.draw", "UNITS"),
    "StratumPlan": ("kawal.engine.sampling.plan", "StratumPlan"),
    "Estimate": ("kawal.engine.sampling.estimate", "Estimate"),
    "SampleCluster": ("kawal.engine.sampling.estimate", "Cluster"),
    "RECORD_OUTCOMES": ("kawal.engine.sampling.estimate", "RECORD_OUTCOMES"),
    "NONRESPONSE": ("kawal.engine.sampling.estimate", "NONRESPONSE"),
    "parquet_source": ("kawal.engine.sampling.snapshot", "source"),
    "describe_estimate": ("kawal.engine.sampling.report", "describe"),
    "interval_svg": ("kawal.engine.sampling.report", "interval_svg"),
    "write_estimates_csv": ("kawal.engine.sampling.report", "write_csv"),
    "wilson_interval": ("kawal.engine.sampling.estimate", "wilson"),
    # turnout
    "Turnout": ("kawal.engine.turnout", "Turnout"),
    "Reach": ("kawal.engine.turnout", "Reach"),
    "Priority": ("kawal.engine.turnout", "Priority"),
    "Fit": ("kawal.engine.turnout", "Fit"),
    "TURNOUT_TARGET": ("kawal.engine.turnout", "TARGET"),
    "rank_turnout": ("kawal.engine.turnout", "rank"),
    "rake_votes": ("kawal.engine.turnout", "rake"),
    "allocate_dpt": ("kawal.engine.turnout", "allocate_dpt"),
    "fit_line": ("kawal.engine.turnout", "fit_line"),
    # SQL helpers for the web's queries
    "duckdb_connect": ("kawal.engine.sql", "connect"),
    "spreadsheet_safe": ("kawal.engine.sql", "spreadsheet_safe"),
}

__all__ = [  # the same names as _EXPORTS (tests/engine/test_front_door.py checks)
    "AUDIT_MEMORY_LIMIT",
    "BALLOTS",
    "DEFAULT_ELECTION",
    "DISABILITY",
    "DUPLICATE_LEVEL_WORDS",
    "ELECTIONS",
    "HIDDEN_DATES_PRECISION",
    "MASK",
    "MASK_CHARACTERS",
    "NIK_MESSAGES",
    "NONRESPONSE",
    "NOT_CHECKABLE",
    "NUMBERS",
    "PAIRED",
    "PEMILU_2024",
    "PILKADA_2024",
    "READ_ERRORS",
    "RECORD_ID_NOTES",
    "RECORD_OUTCOMES",
    "SAMPLE_STRATA",
    "SAMPLE_UNITS",
    "STAGES",
    "TURNOUT_TARGET",
    "VOTES",
    "AuditResult",
    "CheckResult",
    "DiffResult",
    "ElectionFacts",
    "Estimate",
    "Fit",
    "ImportResult",
    "Loaded",
    "NewVoterData",
    "Priority",
    "QuickCountTps",
    "RatioEstimate",
    "Reach",
    "SampleCluster",
    "Snapshot",
    "SnapshotStore",
    "StratumPlan",
    "Tms",
    "Turnout",
    "allocate",
    "allocate_dpt",
    "ancestors",
    "audit_findings",
    "audit_memory_limit",
    "check_form",
    "check_registry",
    "check_results",
    "decoded_text",
    "describe_estimate",
    "diff_snapshots",
    "diff_summary_csv",
    "diff_summary_json",
    "draw_from",
    "draw_sample",
    "duckdb_connect",
    "duplicate_pairs",
    "election_for_pemilihan",
    "estimate_clusters",
    "estimate_records",
    "fit_line",
    "import_voter_list",
    "interval_svg",
    "mask",
    "match_people",
    "match_person",
    "match_table",
    "new_voter_problems",
    "normalise_phrase",
    "official_numbers",
    "parquet_source",
    "parse_nik",
    "parse_nkk",
    "paslon",
    "people_plan",
    "population",
    "rake_votes",
    "rank_turnout",
    "ratio_estimate",
    "read_results",
    "read_turnout_tallies",
    "record_keys",
    "reserve_fraction",
    "reserve_percent",
    "resolve_inputs",
    "response_period",
    "run_audit",
    "sample_size",
    "sealed_with",
    "set_snapshot_keys",
    "snapshot_key_from_file",
    "snapshot_key_id",
    "snapshot_rejects",
    "snapshot_strata",
    "snapshot_voters",
    "spreadsheet_safe",
    "stratified_plan",
    "tally",
    "tms_table",
    "wilson_interval",
    "write_estimates_csv",
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
    from kawal.engine.audit.checks import NOT_CHECKABLE
    from kawal.engine.audit.checks import registry as check_registry
    from kawal.engine.audit.duplicate_text import LEVEL_WORDS as DUPLICATE_LEVEL_WORDS
    from kawal.engine.audit.duplicates import HIDDEN_DATES_PRECISION
    from kawal.engine.diff import DiffResult, diff_snapshots
    from kawal.engine.diff import summary_csv as diff_summary_csv
    from kawal.engine.diff import summary_json as diff_summary_json
    from kawal.engine.elections import DEFAULT as DEFAULT_ELECTION
    from kawal.engine.elections import (
        ELECTIONS,
        PEMILU_2024,
        PILKADA_2024,
        Tms,
        reserve_fraction,
        response_period,
        tms_table,
    )
    from kawal.engine.elections import Election as ElectionFacts
    from kawal.engine.elections import for_pemilihan as election_for_pemilihan
    from kawal.engine.elections import percent as reserve_percent
    from kawal.engine.importer import RECORD_ID_NOTES, STAGES, ImportResult, import_voter_list
    from kawal.engine.memory import MEMORY_LIMIT as AUDIT_MEMORY_LIMIT
    from kawal.engine.memory import memory_limit as audit_memory_limit
    from kawal.engine.new_voter import DISABILITY, NewVoterData
    from kawal.engine.new_voter import problems as new_voter_problems
    from kawal.engine.nik import MASK, MASK_CHARACTERS, mask, parse_nik, parse_nkk
    from kawal.engine.nik import MESSAGES as NIK_MESSAGES
    from kawal.engine.results import CheckResult
    from kawal.engine.results import check as check_results
    from kawal.engine.results.columns import BALLOTS, NUMBERS, PAIRED, VOTES, paslon
    from kawal.engine.results.quickcount import RatioEstimate, ratio_estimate
    from kawal.engine.results.quickcount import TpsResult as QuickCountTps
    from kawal.engine.results.reader import Loaded
    from kawal.engine.results.reader import read as read_results
    from kawal.engine.results.rules import check_form
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
    from kawal.engine.sampling.draw import STRATA as SAMPLE_STRATA
    from kawal.engine.sampling.draw import UNITS as SAMPLE_UNITS
    from kawal.engine.sampling.draw import draw as draw_sample
    from kawal.engine.sampling.draw import normalise_phrase, population
    from kawal.engine.sampling.draw import write as write_sample
    from kawal.engine.sampling.estimate import (
        NONRESPONSE,
        RECORD_OUTCOMES,
        Estimate,
        estimate_clusters,
        estimate_records,
    )
    from kawal.engine.sampling.estimate import Cluster as SampleCluster
    from kawal.engine.sampling.estimate import wilson as wilson_interval
    from kawal.engine.sampling.match import match_people
    from kawal.engine.sampling.plan import StratumPlan, allocate, people_plan, sample_size
    from kawal.engine.sampling.plan import stratified as stratified_plan
    from kawal.engine.sampling.report import describe as describe_estimate
    from kawal.engine.sampling.report import interval_svg
    from kawal.engine.sampling.report import write_csv as write_estimates_csv
    from kawal.engine.sampling.snapshot import draw_from, match_person, match_table
    from kawal.engine.sampling.snapshot import source as parquet_source
    from kawal.engine.sampling.snapshot import strata_sizes as snapshot_strata
    from kawal.engine.sealed import key_from_file as snapshot_key_from_file
    from kawal.engine.sealed import key_id as snapshot_key_id
    from kawal.engine.sealed import sealed_with
    from kawal.engine.sealed import set_keys as set_snapshot_keys
    from kawal.engine.snapshots import Snapshot, SnapshotStore
    from kawal.engine.sql import connect as duckdb_connect
    from kawal.engine.sql import spreadsheet_safe
    from kawal.engine.turnout import TARGET as TURNOUT_TARGET
    from kawal.engine.turnout import Fit, Priority, Reach, Turnout, allocate_dpt, decoded_text, fit_line
    from kawal.engine.turnout import rake as rake_votes
    from kawal.engine.turnout import rank as rank_turnout
    from kawal.engine.turnout import read_sirekap_tallies as read_turnout_tallies
