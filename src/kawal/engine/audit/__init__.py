"""The voter-list audit: every check over a whole list, set-based in DuckDB.

    from kawal.engine.audit import audit
    result = audit(["dpt.csv"], Path("out"))

writes ``out/findings.csv`` (``record_id,check,tms,cluster,kode_kelurahan,tps,detail``), ``out/rejects.csv``,
``out/summary.json`` and ``out/report.html``. Inputs are files ``kawal import`` reads or stored snapshots.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from kawal.engine import model_a, sealed
from kawal.engine.audit import duplicates
from kawal.engine.audit.checks import Check, Context, registry
from kawal.engine.elections import DEFAULT
from kawal.engine.folder_reader import is_list_folder
from kawal.engine.importer import SNAPSHOT_COLUMNS, hold_voter_list, import_voter_list, release_held
from kawal.engine.memory import MEMORY_LIMIT, OUT_OF_MEMORY, memory_limit
from kawal.engine.nik_sql import nik_query, register_prefixes
from kawal.engine.snapshots import Snapshot, SnapshotStore
from kawal.engine.sql import connect, literal, scalar, spreadsheet_safe_sql
from kawal.i18n import KawalError, t

ELECTION_DATE = DEFAULT.day
MAX_PER_TPS = DEFAULT.max_per_tps
# The day each stage's usia column counts to, where known (unconfirmed for 2024: none yet). Without one the age
# checks take usia as the age on election day and their findings say so.
USIA_DATE_BY_STAGE: dict[str, date] = {}
FINDING_COLUMNS = ("record_id", "check", "tms", "cluster", "kode_kelurahan", "tps", "detail")

NO_INPUT = (
    "Input '{ref}' bukan file yang bisa dibaca maupun snapshot yang tersimpan.",
    "Input '{ref}' is neither a readable file nor a stored snapshot.",
)

Progress = Callable[[str], None]


@dataclass
class AuditResult:
    out: Path
    rows_in: int
    audited: int
    rejected: int
    findings: dict[str, int]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    summary: dict = field(default_factory=dict)


def resolve_inputs(
    refs: list[str | Path],
    store: SnapshotStore,
    scratch: Path,
    wilayah: str | None,
    say: Progress,
    con: duckdb.DuckDBPyConnection | None = None,
) -> list[Snapshot]:
    """Each input as a snapshot: stored ones by number, name or folder; files (and folders of CSV files, see
    kawal.engine.folder_reader) imported into a scratch store, or,
    given the audit's connection ``con``, held in its database for this audit only (nothing written to disk)."""
    scratch_store = SnapshotStore(scratch)
    snapshots = []
    for number, ref in enumerate(refs, start=1):
        path = Path(ref)
        if path.is_file() or is_list_folder(path):  # a folder of TPS files is one list
            say(t(("Mengimpor {name}", "Importing {name}"), name=path.name))
            if con is None:
                snapshots.append(import_voter_list(path, "LAIN", wilayah, scratch_store).snapshot)
            else:
                work = scratch / f"input-{number}"
                work.mkdir(parents=True, exist_ok=True)
                snapshots.append(hold_voter_list(path, wilayah, con, number, work))
            continue
        try:
            snapshots.append(store.get(ref))
        except KawalError:
            raise KawalError(NO_INPUT, ref=ref) from None
    return snapshots


def _voters(snap: Snapshot) -> str:
    """The relation holding the snapshot's rows."""
    if snap.held:
        return f"{snap.held}.voters"
    return f"read_parquet({literal(sealed.source(snap.voters_path))})"


def _rejects(snap: Snapshot) -> str:
    if snap.held:
        return f"{snap.held}.rejects"
    return f"read_parquet({literal(sealed.source(snap.rejects_path))})"


def _load(con: duckdb.DuckDBPyConnection, snapshots: list[Snapshot]) -> None:
    """The view ``v``: all inputs, one row per voter, with a row id and the record id findings report.

    A view, so the files are read once, when :func:`_prepare` makes ``v`` a table with the NIK verdicts. ``rid``
    is the row's number in its file (``row_no``: rejected rows keep theirs), after the rows of the inputs before it:
    no window over the whole list, and no sort of a file's rows into their order first.
    """
    several = len(snapshots) > 1
    parts = []
    offset = 0
    for number, snap in enumerate(snapshots, start=1):
        relation = _voters(snap)
        record = "coalesce(id, CAST(row_no AS VARCHAR))"  # names one row of its input (importer.RECORD_IDS)
        if several:  # two stages of one list number their rows alike: the input's number tells them apart
            record = f"'{number}:' || {record}"
        float_column = "true" if snap.meta["nik_excel"]["float_column"] else "false"
        parts.append(
            f"SELECT {offset} + row_no AS rid, {number} AS input_no, {record} AS record_id, "
            f"{float_column} AS nik_float_column, {_snapshot_columns(con, relation)} FROM {relation}"
        )
        offset += _rows_in(con, snap, relation)
    con.execute(f"CREATE VIEW v AS {' UNION ALL '.join(parts)}")


def _rows_in(con: duckdb.DuckDBPyConnection, snap: Snapshot, relation: str) -> int:
    """The file's rows, accepted or rejected: no ``row_no`` is above it. From the snapshot's counts (a held
    input's view would be read whole to count it), else its highest ``row_no``."""
    counted = snap.meta.get("counts", {}).get("rows_in")
    return int(counted) if counted is not None else int(scalar(con, f"SELECT coalesce(max(row_no), 0) FROM {relation}"))


# Snapshot columns no check, no linkage rule and no output of an audit reads: left out of ``v``, which is copied
# whole into a table (on a city's list that copy with the NIK verdicts took 1.20-1.37 s without them, 1.40-1.47 s
# with them, and the peak fell by 0.05 GiB).
UNREAD_COLUMNS = frozenset({"sheet", "line", "alamat", "disabilitas", "keterangan", "ktp_el"})


def _snapshot_columns(con: duckdb.DuckDBPyConnection, relation: str) -> str:
    """The snapshot's columns by name that an audit reads, in one order for every input; a snapshot made before a
    column existed reads it as :data:`kawal.engine.model_a.COLUMNS` says (its birth-date parts from its dates, no
    TMS marks)."""
    present = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}
    return ", ".join(
        c if c in present else f"{model_a.COLUMNS[c]} AS {c}" for c in SNAPSHOT_COLUMNS if c not in UNREAD_COLUMNS
    )


def _prepare(con: duckdb.DuckDBPyConnection, election_date: date, snapshots: list[Snapshot]) -> None:
    """Make ``v`` a table of the loaded rows with their NIK and NKK verdicts, computed in the same single pass.
    The rows of held inputs are then let go: ``v`` has them all."""
    register_prefixes(con)
    nik = nik_query("v", "nik", prefix="nik", float_sql="nik_float_column", election_date=election_date)
    both = nik_query(f"({nik})", "nkk", prefix="nkk", float_sql="nik_float_column", with_date=False)
    con.execute(f"CREATE TABLE v_prepared AS {both}; DROP VIEW v; ALTER TABLE v_prepared RENAME TO v")
    for snap in snapshots:
        if snap.held:
            release_held(con, snap.held)


def _set(holder: list[Check], checks: tuple[Check, ...]) -> tuple[Check, ...]:
    """Keep ``checks`` in ``holder`` (the summary lists them) and return them."""
    holder[:] = checks
    return checks


def _run_checks(con: duckdb.DuckDBPyConnection, checks: tuple[Check, ...], ctx: Context) -> None:
    con.execute(
        "CREATE TEMP TABLE found (ord INTEGER, code VARCHAR, tms INTEGER, rid BIGINT, cluster VARCHAR, "
        "kode_kelurahan VARCHAR, tps SMALLINT, detail VARCHAR)"
    )
    for order, check in enumerate(checks):
        tms = "NULL" if check.tms is None else str(check.tms)
        con.execute(
            f"INSERT INTO found SELECT {order}, '{check.code}', {tms}, * "
            f"FROM ({check.sql(ctx)}) AS f(rid, cluster, kode_kelurahan, tps, detail)"
        )
    # The record ids come from one join for all checks, not one join of the whole list per check.
    con.execute(
        'CREATE TABLE findings (ord INTEGER, rid BIGINT, record_id VARCHAR, "check" VARCHAR, tms INTEGER, cluster VARCHAR, '
        "kode_kelurahan VARCHAR, tps SMALLINT, detail VARCHAR, kode_kecamatan VARCHAR AS (left(kode_kelurahan, 6)))"
    )
    con.execute(
        """INSERT INTO findings
        SELECT f.ord, f.rid, v.record_id, f.code, f.tms, f.cluster, coalesce(f.kode_kelurahan, v.kode_kelurahan),
               coalesce(f.tps, v.tps), f.detail
        FROM found f LEFT JOIN v ON v.rid = f.rid;
        DROP TABLE found"""
    )


def _write_findings(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    con.execute(
        f"""COPY (SELECT record_id, "check", tms, cluster, kode_kelurahan, tps, {spreadsheet_safe_sql("detail")} AS detail FROM findings
                  ORDER BY ord, kode_kelurahan NULLS LAST, tps NULLS LAST, cluster, rid)
            TO {literal(out / "findings.csv")} (HEADER, DELIMITER ',')"""
    )


def _write_rejects(con: duckdb.DuckDBPyConnection, snapshots: list[Snapshot], out: Path) -> None:
    parts = [
        f"SELECT {literal(snap.meta['source']['name'])} AS file, row_no, sheet, line, reason FROM {_rejects(snap)}"
        for snap in snapshots
    ]
    con.execute(f"COPY ({' UNION ALL '.join(parts)} ORDER BY file, row_no) TO {literal(out / 'rejects.csv')} (HEADER)")


def audit(
    inputs: list[str | Path],
    out: Path,
    *,
    election_date: date = ELECTION_DATE,
    max_per_tps: int = MAX_PER_TPS,
    threshold: float | None = None,
    labels: list[tuple[str, str, bool]] | None = None,
    key_secret: str = "",
    wilayah: str | None = None,
    store: SnapshotStore | None = None,
    progress: Progress | None = None,
    usia_date: date | None = None,
    memory: str = MEMORY_LIMIT,
) -> AuditResult:
    """Audit the inputs and write the four output files into ``out``.

    ``threshold`` is the probability at which two rows are linked as one person (default 0.5; on a list that
    hides most birth dates, the one that keeps the estimated precision at
    :data:`kawal.engine.audit.duplicates.HIDDEN_DATES_PRECISION`). ``labels`` are
    reviewers' answers ``(key_a, key_b, same_person)`` about pairs of rows, keyed by
    :func:`kawal.engine.audit.duplicates.record_key_sql` with ``key_secret`` so they carry over to the office's later lists: a pair
    answered "same" is always linked, one answered "different" never, and both inform the estimates.
    ``usia_date`` is the day the lists' usia column counts to (default: the stage's, see
    :data:`USIA_DATE_BY_STAGE`, else unknown and taken as election day). ``memory`` caps DuckDB's working memory
    (see :data:`kawal.engine.memory.MEMORY_LIMIT`); past it the audit spills to its scratch folder.
    """
    from kawal.engine.audit.report import write_report, write_summary

    say = progress or (lambda _s: None)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    scratch = out / ".kawal-import"
    limit = memory_limit(memory)
    try:
        scratch.mkdir(exist_ok=True)
        con = connect(memory_limit=limit, temp_directory=str(scratch / "duckdb-tmp"))
        snapshots = resolve_inputs(inputs, store or SnapshotStore(), scratch, wilayah, say, con)
        timings["import"] = time.perf_counter() - started
        con.execute("SET preserve_insertion_order = false")
        say(t(("Memuat daftar", "Loading the list")))
        _load(con, snapshots)
        ctx = Context(election_date, max_per_tps, usia_date or _stage_usia_date(snapshots))
        linkage: list[duplicates.Linkage] = []
        checks: list[Check] = []  # PEMILIH_GANDA's threshold is known once the linkage has set it
        for label, step in (
            (t(("Memeriksa NIK dan NKK", "Checking NIK and NKK")), lambda: _prepare(con, election_date, snapshots)),
            (
                t(("Mencari pemilih ganda", "Finding duplicate voters")),
                lambda: linkage.append(duplicates.link(con, threshold, labels, key_secret)),
            ),
            (
                t(("Menjalankan pemeriksaan", "Running the checks")),
                lambda: _run_checks(con, _set(checks, registry(linkage[0].threshold)), ctx),
            ),
            (t(("Menulis hasil", "Writing the results")), lambda: _write_outputs(con, snapshots, out)),
        ):
            say(label)
            step_started = time.perf_counter()
            step()
            timings[label] = time.perf_counter() - step_started
        result = _result(con, snapshots, out, started, timings)
        write_summary(con, result, snapshots, tuple(checks), ctx, linkage[0])
        write_report(con, result, tuple(checks), ctx)
        con.close()
        result.seconds = time.perf_counter() - started
        return result
    except duckdb.OutOfMemoryException:
        raise KawalError(OUT_OF_MEMORY, memory=limit) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _stage_usia_date(snapshots: list[Snapshot]) -> date | None:
    """The day usia counts to when every input's stage has the same known one."""
    days = {USIA_DATE_BY_STAGE.get(s.meta["stage"]) for s in snapshots}
    return days.pop() if len(days) == 1 else None


def _write_outputs(con: duckdb.DuckDBPyConnection, snapshots: list[Snapshot], out: Path) -> None:
    _write_findings(con, out)
    _write_rejects(con, snapshots, out)
    _write_duplicate_pairs(con, out)
    _write_duplicate_candidates(con, out)
    private = (
        "findings.csv",
        "rejects.csv",
        "duplicate_pairs.parquet",
        "duplicate_candidates.csv",
        "duplicate_candidates.parquet",
    )
    for name in private:
        (out / name).chmod(0o600)  # NIK, NKK, raw values and who may be whom: owner only


REVIEW_FLOOR = 0.5  # a pair below this is more likely two people than one: not worth a volunteer's walk


def _write_duplicate_candidates(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    """``duplicate_candidates.csv``: the pairs at least as likely one person as two that were not linked (on a
    published list, those under its higher threshold), likeliest first, with the share of one-person pairs to
    expect among the pairs down to each row: coordinators send the top of the list to the field first. The same
    pairs go to ``duplicate_candidates.parquet`` in ``duplicate_pairs.parquet``'s columns (cluster
    ``KANDIDAT-<rank>``), for the web app's reviewers."""
    from kawal.engine.audit.duplicate_text import detail_sql

    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE candidates_out AS
            WITH unlinked AS (
                SELECT p.*, va.record_id AS record_id_a, vb.record_id AS other_id
                FROM pairs p JOIN v va ON va.rid = p.a JOIN v vb ON vb.rid = p.b
                LEFT JOIN clusters ca ON ca.rid = p.a LEFT JOIN clusters cb ON cb.rid = p.b
                WHERE p.probability >= {REVIEW_FLOOR}
                  AND (ca.cluster_rid IS NULL OR cb.cluster_rid IS NULL OR ca.cluster_rid <> cb.cluster_rid)
            ),
            ranked AS (SELECT *, row_number() OVER (ORDER BY probability DESC, a, b) AS rank FROM unlinked)
            SELECT rank, record_id_a, other_id AS record_id_b, round(probability, 4) AS probability,
                   probability AS exact_probability,
                   round(avg(probability) OVER (ORDER BY rank), 4) AS expected_precision_to_here,
                   {detail_sql()} AS detail
            FROM ranked"""
    )
    con.execute(
        f"COPY (SELECT * EXCLUDE (exact_probability) FROM candidates_out ORDER BY rank) "
        f"TO {literal(out / 'duplicate_candidates.csv')} (HEADER)"
    )
    con.execute(
        f"""COPY (SELECT 'KANDIDAT-' || rank AS cluster, record_id_a, record_id_b, exact_probability AS probability,
                         detail, expected_precision_to_here FROM candidates_out ORDER BY rank)
            TO {literal(out / "duplicate_candidates.parquet")} (FORMAT PARQUET)"""
    )
    con.execute("DROP TABLE candidates_out")


def _write_duplicate_pairs(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    """``duplicate_pairs.parquet``: every compared pair whose two rows ended in one PEMILIH_GANDA person (the linked
    pairs and the weaker ones between them), with its probability and explanation, for reviewers to answer."""
    from kawal.engine.audit.duplicate_text import detail_sql

    con.execute(
        f"""COPY (
            WITH p AS (
                SELECT p.*, ca.cluster_rid, va.record_id AS record_id_a, vb.record_id AS other_id
                FROM pairs p JOIN clusters ca ON ca.rid = p.a JOIN clusters cb ON cb.rid = p.b
                JOIN v va ON va.rid = p.a JOIN v vb ON vb.rid = p.b
                WHERE ca.cluster_rid = cb.cluster_rid
            )
            SELECT 'ORANG-' || r.record_id AS cluster, p.record_id_a, p.other_id AS record_id_b, p.probability,
                   {detail_sql()} AS detail
            FROM p JOIN v r ON r.rid = p.cluster_rid ORDER BY p.cluster_rid, p.a, p.b
        ) TO {literal(out / "duplicate_pairs.parquet")} (FORMAT PARQUET)"""
    )


def _result(
    con: duckdb.DuckDBPyConnection, snapshots: list[Snapshot], out: Path, started: float, timings: dict
) -> AuditResult:
    counts = dict(con.execute('SELECT "check", count(*) FROM findings GROUP BY ALL').fetchall())
    audited = scalar(con, "SELECT count(*) FROM v")
    rejected = sum(s.counts["rejected"] for s in snapshots)
    return AuditResult(out, audited + rejected, audited, rejected, counts, time.perf_counter() - started, timings)


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
