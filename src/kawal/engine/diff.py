"""Who was kept, struck, removed, added and changed between two snapshots, by kelurahan, across stages.

The question of every stage change (DP4 -> coklit result, DPS -> DPT): whom did the Pantarlih strike as TMS, and
for what; whom did they add (B); whose data did they change (U); who vanished without a mark. Every old row and
every new row is counted once:

    rows in old = kept + struck + removed          rows in new = kept + struck in new + added

``struck`` holds the old rows struck as TMS in the new list (which keeps them visible, struck through) and the old
rows already struck in the old list that the new list leaves out; ``struck in new`` the first of those. ``kept``
rows may be ``changed`` (a compared field differs, or the new list marks them U).

Rows are paired in steps, each on the rows still unpaired: the full NIK where both rows show all 16 digits, then
(published lists hide digits) the name with the birth year and RT, with the birth year and kelurahan, and with the
birth year alone where that is unique in both lists. The result says how many pairs each step made.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import duckdb

from kawal.engine import model_a, sealed
from kawal.engine.importer import SNAPSHOT_COLUMNS, STAGES
from kawal.engine.nik import MASK_CHARACTERS
from kawal.engine.snapshots import Snapshot
from kawal.engine.sql import connect, literal, one, spreadsheet_safe_sql

# Fields compared on kept rows; NIK, NKK and the birth date only where visible on both sides (see _changed_sql).
COMPARED = (
    "nkk",
    "nik",
    "nama",
    "tempat_lahir",
    "tanggal_lahir",
    "usia",
    "jenis_kelamin",
    "status_kawin",
    "alamat",
    "rt",
    "rw",
    "disabilitas",
    "ktp_el",
    "kode_kelurahan",
    "tps",
    "sudah_tms",
)
CHANGE_WORDS = {"added": "tambah", "removed": "hapus", "changed": "ubah", "struck": "coret"}
_NAME = "nullif(regexp_replace(upper({t}.nama), '[^A-Z]', '', 'g'), '')"
_YEAR = "coalesce(CAST({t}.lahir_tahun AS VARCHAR), '?')"
_PLACE = "concat_ws('/', coalesce({t}.kode_kelurahan, '?'), coalesce(CAST({t}.rw AS VARCHAR), '?'), coalesce(CAST({t}.rt AS VARCHAR), '?'))"
_SEX = "coalesce({t}.jenis_kelamin, '?')"
_FULL_NIK = "CASE WHEN regexp_full_match({t}.nik, '[0-9]{{16}}') THEN {t}.nik END"
# The pairing steps: (name in results, key over a row aliased {t}, pair only keys unique in both lists, the two
# names must be alike or one missing). A key is NULL where the row cannot be paired that way; rows sharing a key
# pair up in list order. The printed number (KPU numbers each TPS from 1) changes between stages as rows come and
# go, so it pairs only rows left over by the names, with the same sex and birth year and names alike (a row with
# no name is paired only this way).
MATCH_STEPS: tuple[tuple[str, str, bool, bool], ...] = (
    # Rows sharing a NIK (two people, or one person on two rows) pair with the row of the same name and RT first.
    ("nik", f"{_FULL_NIK} || '|' || coalesce({_NAME}, '?') || '|' || {_PLACE}", False, False),
    ("nik", f"{_FULL_NIK} || '|' || coalesce({_NAME}, '?')", False, False),
    ("nik", _FULL_NIK, False, False),
    ("nama+tahun_lahir+rt", f"{_NAME} || '|' || {_YEAR} || '|' || {_PLACE}", False, False),
    (
        "nama+tahun_lahir+kelurahan",
        f"{_NAME} || '|' || {_YEAR} || '|' || coalesce({{t}}.kode_kelurahan, '?')",
        False,
        False,
    ),
    (
        "tps+no",
        # the NO itself: a snapshot's id is TPS-NO where its file numbers each TPS from 1 (importer.RECORD_IDS)
        "{t}.kode_kelurahan || '|' || {t}.tps || '|' || regexp_extract({t}.id, '[^-/]*$') || '|' || "
        + f"{_SEX} || '|' || {_YEAR}",
        False,
        True,
    ),
    ("nama+tahun_lahir", f"{_NAME} || '|' || {_YEAR}", True, False),
)
NAMES_ALIKE = 0.8  # Jaro-Winkler of the two names for the TPS+NO step (a corrected spelling passes, another person not)


@dataclass(frozen=True)
class KelurahanDiff:
    """One kelurahan's counts. Old rows = kept + moved_out + struck + removed; new rows = kept + moved_in +
    struck_in_new + added (``kept`` stayed in this kelurahan; moved rows were kept but changed kelurahan)."""

    kode_kelurahan: str | None
    kelurahan: str | None
    added: int
    removed: int
    changed: int
    old_rows: int = 0
    new_rows: int = 0
    kept: int = 0
    moved_out: int = 0
    moved_in: int = 0
    struck: int = 0
    struck_in_new: int = 0
    struck_by_code: dict[str, int] = field(default_factory=dict)  # TMS code ("?" when none is given) -> rows
    added_b: int = 0  # added rows marked B (pemilih baru)
    marked_u: int = 0  # kept rows marked U (ubah data)


@dataclass(frozen=True)
class DiffResult:
    old: str
    new: str
    old_stage: str
    new_stage: str
    matched_on: str  # the pairing steps that paired rows, joined with ", " ("nik" when NIK paired them all)
    matched_by: dict[str, int]  # pairing step -> pairs it made
    old_rows: int
    new_rows: int
    kept: int
    changed: int
    unchanged: int
    struck: int
    struck_in_new: int
    struck_by_code: dict[str, int]
    removed: int
    added: int
    added_b: int
    marked_u: int
    moved: int  # kept rows now in another kelurahan
    fields: dict[str, int]  # how many kept rows changed in each field
    by_kelurahan: list[KelurahanDiff]
    seconds: float = 0.0

    @property
    def reconciled(self) -> bool:
        """Every row of both lists counted exactly once."""
        return (
            self.old_rows == self.kept + self.struck + self.removed
            and self.new_rows == self.kept + self.struck_in_new + self.added
        )

    @property
    def stages_in_order(self) -> bool:
        """Whether the new list's stage comes after the old one's (LAIN fits anywhere)."""
        if "LAIN" in (self.old_stage, self.new_stage) or self.old_stage not in STAGES or self.new_stage not in STAGES:
            return True
        return STAGES.index(self.old_stage) <= STAGES.index(self.new_stage)

    def as_dict(self) -> dict:
        return {**asdict(self), "reconciled": self.reconciled}


def diff_snapshots(old: Snapshot, new: Snapshot, details: Path | None = None) -> DiffResult:
    """Compare two snapshots; optionally write one row per difference to ``details`` (CSV, mode 0600: names)."""
    started = time.perf_counter()
    con = connect()
    for name, snap in (("o", old), ("n", new)):
        con.execute(f"CREATE TABLE {name} AS SELECT {_columns(con, snap.voters_path)}")
    matched_by = _pair(con)
    con.execute(_classified())
    result = _summarise(con, old, new, matched_by)
    if details is not None:
        _write_details(con, details)
    con.close()
    return replace(result, seconds=time.perf_counter() - started)


def _columns(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """A snapshot's columns; one made before the Model A columns existed reads them as model_a.COLUMNS says."""
    name = literal(sealed.source(path))
    present = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({name})").fetchall()}
    wanted = ", ".join(c if c in present else f"{model_a.COLUMNS[c]} AS {c}" for c in SNAPSHOT_COLUMNS)
    return f"{wanted} FROM read_parquet({name})"


def _pair(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The table ``m`` (o_row, n_row, step): the pairs, made step by step on the rows not yet paired."""
    con.execute("CREATE TABLE m (o_row BIGINT, n_row BIGINT, step VARCHAR)")
    made: dict[str, int] = {}
    for step, key, unique, names_alike in MATCH_STEPS:
        sides = {
            side: f"""SELECT row_no, k, nm, row_number() OVER (PARTITION BY k ORDER BY row_no) AS r,
                             count(*) OVER (PARTITION BY k) AS c
                      FROM (SELECT t.row_no, {key.format(t="t")} AS k, {_NAME.format(t="t")} AS nm FROM {side} t
                            ANTI JOIN m ON m.{side}_row = t.row_no) WHERE k IS NOT NULL"""
            for side in ("o", "n")
        }
        conditions = ["a.c = 1 AND b.c = 1"] if unique else []
        if names_alike:
            conditions.append(f"(a.nm IS NULL OR b.nm IS NULL OR jaro_winkler_similarity(a.nm, b.nm) >= {NAMES_ALIKE})")
        only_unique = ("WHERE " + " AND ".join(conditions)) if conditions else ""
        before = one(con, "SELECT count(*) FROM m")[0]
        con.execute(
            f"""INSERT INTO m SELECT a.row_no, b.row_no, '{step}'
                FROM ({sides["o"]}) a JOIN ({sides["n"]}) b ON a.k = b.k AND a.r = b.r {only_unique}"""
        )
        made[step] = made.get(step, 0) + one(con, "SELECT count(*) FROM m")[0] - before
    return made


def _hidden(expr: str) -> str:
    return f"coalesce(regexp_matches({expr}, '[{MASK_CHARACTERS}]'), false)"


def _changed_sql(column: str) -> str:
    """Whether a paired row's ``column`` differs, comparing only what both lists show."""
    if column in ("nik", "nkk"):
        both_visible = f"NOT {_hidden(f'o.{column}')} AND NOT {_hidden(f'n.{column}')}"
        return f"({both_visible} AND o.{column} IS DISTINCT FROM n.{column})"
    if column == "tanggal_lahir":
        parts = ("lahir_tahun", "lahir_bulan", "lahir_hari")
        return "(" + " OR ".join(f"coalesce(o.{p} <> n.{p}, false)" for p in parts) + ")"
    if column == "usia":  # lists count it to different days: a year apart is the same age
        return "coalesce(abs(o.usia - n.usia) > 1, false)"
    if column == "sudah_tms":  # a new strike is its own category; as a change it is a strike lifted
        return "(coalesce(o.sudah_tms, false) AND NOT coalesce(n.sudah_tms, false))"
    return f"(o.{column} IS DISTINCT FROM n.{column})"


def _classified() -> str:
    """The table ``d``: one row per pair, unpaired old row and unpaired new row, with what happened to it."""
    changed = ", ".join(f"CASE WHEN {_changed_sql(c)} THEN '{c}' END" for c in COMPARED)
    return f"""
        CREATE TABLE d AS
        WITH pairs AS (
            SELECT o_row, n_row, step FROM m
            UNION ALL SELECT o.row_no, NULL, NULL FROM o ANTI JOIN m ON m.o_row = o.row_no
            UNION ALL SELECT NULL, n.row_no, NULL FROM n ANTI JOIN m ON m.n_row = n.row_no
        ), joined AS (
            SELECT p.step, p.o_row IS NOT NULL AS in_old, p.n_row IS NOT NULL AS in_new,
                   CASE WHEN p.o_row IS NOT NULL AND p.n_row IS NOT NULL
                        THEN list_filter([{changed}], lambda x: x IS NOT NULL) ELSE [] END AS fields,
                   o.kode_kelurahan AS kel_lama, o.kelurahan AS nama_kel_lama,
                   n.kode_kelurahan AS kel_baru, n.kelurahan AS nama_kel_baru,
                   o.tps AS tps_lama, n.tps AS tps_baru,
                   coalesce(o.id, CAST(o.row_no AS VARCHAR)) AS id_lama,
                   coalesce(n.id, CAST(n.row_no AS VARCHAR)) AS id_baru,
                   coalesce(n.nama, o.nama) AS nama, coalesce(o.sudah_tms, false) AS tms_lama,
                   coalesce(n.sudah_tms, false) AS tms_baru, o.tms_kode AS kode_lama, n.tms_kode AS kode_baru,
                   coalesce(n.pemilih_baru, false) AS tanda_b, coalesce(n.ubah_data, false) AS tanda_u
            FROM pairs p LEFT JOIN o ON o.row_no = p.o_row LEFT JOIN n ON n.row_no = p.n_row
        )
        SELECT *,
               CASE WHEN NOT in_old THEN 'added'
                    WHEN NOT in_new THEN CASE WHEN tms_lama THEN 'struck' ELSE 'removed' END
                    WHEN tms_baru THEN 'struck'
                    WHEN len(fields) > 0 OR tanda_u THEN 'changed'
                    ELSE 'unchanged' END AS change,
               CASE WHEN in_new AND tms_baru THEN coalesce(CAST(kode_baru AS VARCHAR), '?')
                    WHEN tms_lama THEN coalesce(CAST(kode_lama AS VARCHAR), '?') END AS tms
        FROM joined
    """


# One row per (kelurahan, side): the old side counts each old row where it was, the new side each new row where
# it is. Kept rows are counted once, on the old side, when they stayed; else as moved out and moved in.
_SIDES = """
    SELECT kel_lama AS kode, nama_kel_lama AS nama, 1 AS old_rows, 0 AS new_rows,
           change IN ('changed', 'unchanged') AND kel_lama IS NOT DISTINCT FROM kel_baru AS kept,
           change IN ('changed', 'unchanged') AND kel_lama IS DISTINCT FROM kel_baru AS moved_out,
           false AS moved_in, change = 'struck' AS struck, false AS struck_in_new,
           CASE WHEN change = 'struck' THEN tms END AS tms, change = 'removed' AS removed,
           false AS added, false AS added_b, false AS changed, false AS marked_u
    FROM d WHERE in_old
    UNION ALL
    SELECT kel_baru, nama_kel_baru, 0, 1, false, false,
           change IN ('changed', 'unchanged') AND kel_lama IS DISTINCT FROM kel_baru,
           false, in_old AND change = 'struck', NULL, false,
           NOT in_old, NOT in_old AND tanda_b, change = 'changed', change = 'changed' AND tanda_u
    FROM d WHERE in_new
"""
_COUNTS: tuple[str, ...] = ("old_rows", "new_rows", "kept", "moved_out", "moved_in", "struck", "struck_in_new")
_COUNTS += ("removed", "added", "added_b", "changed", "marked_u")


def _summarise(con: duckdb.DuckDBPyConnection, old: Snapshot, new: Snapshot, matched_by: dict[str, int]) -> DiffResult:
    sums = ", ".join(f"CAST(count(*) FILTER ({c}) AS BIGINT) AS {c}" for c in _COUNTS[2:])
    rows = con.execute(
        f"""SELECT kode, any_value(nama), CAST(sum(old_rows) AS BIGINT), CAST(sum(new_rows) AS BIGINT), {sums},
                   histogram(tms) FILTER (tms IS NOT NULL)
            FROM ({_SIDES}) GROUP BY kode ORDER BY kode NULLS LAST"""
    ).fetchall()
    kelurahan = [_kelurahan(r) for r in rows]
    total = {c: sum(getattr(k, c) for k in kelurahan) for c in _COUNTS}
    codes: dict[str, int] = {}
    for k in kelurahan:
        for code, n in k.struck_by_code.items():
            codes[code] = codes.get(code, 0) + n
    fields = dict(
        con.execute(
            "SELECT f, count(*) FROM (SELECT unnest(fields) AS f FROM d WHERE change = 'changed') GROUP BY f ORDER BY 2 DESC, 1"
        ).fetchall()
    )
    kept = total["kept"] + total["moved_out"]
    return DiffResult(
        old=old.name,
        new=new.name,
        old_stage=old.meta["stage"],
        new_stage=new.meta["stage"],
        matched_on=", ".join(step for step, n in matched_by.items() if n) or "nik",
        matched_by=matched_by,
        old_rows=total["old_rows"],
        new_rows=total["new_rows"],
        kept=kept,
        changed=total["changed"],
        unchanged=kept - total["changed"],
        struck=total["struck"],
        struck_in_new=total["struck_in_new"],
        struck_by_code=dict(sorted(codes.items(), key=lambda kv: (not kv[0].isdigit(), kv[0].zfill(3)))),
        removed=total["removed"],
        added=total["added"],
        added_b=total["added_b"],
        marked_u=total["marked_u"],
        moved=total["moved_out"],
        fields=fields,
        by_kelurahan=kelurahan,
    )


def _kelurahan(row: tuple) -> KelurahanDiff:
    kode, nama, old_rows, new_rows, kept, out, into, struck, struck_new, removed, added, added_b, changed, u = row[:14]
    return KelurahanDiff(
        kode_kelurahan=kode,
        kelurahan=nama,
        added=added,
        removed=removed,
        changed=changed,
        old_rows=old_rows,
        new_rows=new_rows,
        kept=kept,
        moved_out=out,
        moved_in=into,
        struck=struck,
        struck_in_new=struck_new,
        struck_by_code=dict(sorted((row[14] or {}).items())),
        added_b=added_b,
        marked_u=u,
    )


def _write_details(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """One row per difference (unchanged rows left out); names made safe for spreadsheets; owner-only."""
    words = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in CHANGE_WORDS.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"""COPY (SELECT CASE change {words} END AS perubahan, coalesce(kel_baru, kel_lama) AS kode_kelurahan,
                         coalesce(nama_kel_baru, nama_kel_lama) AS kelurahan, tps_lama, tps_baru,
                         CASE WHEN in_old THEN id_lama END AS id_lama, CASE WHEN in_new THEN id_baru END AS id_baru,
                         {spreadsheet_safe_sql("nama")} AS nama, array_to_string(fields, ' ') AS kolom_berubah,
                         tms AS tms_kode, concat_ws(' ', CASE WHEN tanda_b THEN 'B' END, CASE WHEN tanda_u THEN 'U' END)
                         AS tanda, step AS dicocokkan
                  FROM d WHERE change <> 'unchanged'
                  ORDER BY kode_kelurahan, perubahan, id_baru, id_lama) TO {literal(path)} (HEADER, DELIMITER ',')"""
    )
    path.chmod(0o600)


def summary_csv(result: DiffResult, path: Path) -> None:
    """The table by kelurahan as CSV (one column per TMS code that occurs), for spreadsheets."""
    import csv

    codes = list(result.struck_by_code)
    header = ["kode_kelurahan", "kelurahan", "baris_lama", "baris_baru", "tetap", "pindah_keluar", "pindah_masuk"]
    header += ["diubah", "ditandai_u", "dicoret", *(f"tms_{c}" for c in codes), "dicoret_di_daftar_baru"]
    header += ["dihapus", "ditambah", "ditambah_b"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for k in result.by_kelurahan:
            place = [k.kode_kelurahan or "", k.kelurahan or ""]
            kept = [k.old_rows, k.new_rows, k.kept, k.moved_out, k.moved_in, k.changed, k.marked_u]
            struck = [k.struck, *(k.struck_by_code.get(c, 0) for c in codes), k.struck_in_new]
            writer.writerow([*place, *kept, *struck, k.removed, k.added, k.added_b])


def summary_json(result: DiffResult) -> str:
    """The whole result (totals, pairing steps, by kelurahan) as JSON; counts only, no names."""
    return json.dumps(result.as_dict(), ensure_ascii=False, indent=1)
