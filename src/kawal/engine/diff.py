"""Who was added, removed and changed between two snapshots (the DPS -> DPT question), by kelurahan."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from kawal.engine.snapshots import Snapshot
from kawal.engine.sql import connect, literal, scalar

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
    "kode_kelurahan",
    "tps",
)
# Below this share of fully visible NIKs (published lists mask them) people are matched on NIK, name and birth date.
VISIBLE_NIK_SHARE = 0.9
CHANGE_WORDS = {"added": "tambah", "removed": "hapus", "changed": "ubah"}


@dataclass(frozen=True)
class KelurahanDiff:
    kode_kelurahan: str | None
    kelurahan: str | None
    added: int
    removed: int
    changed: int


@dataclass(frozen=True)
class DiffResult:
    old: str
    new: str
    matched_on: str  # "nik" or "nik+nama+tanggal_lahir"
    added: int
    removed: int
    changed: int
    unchanged: int
    fields: dict[str, int]  # how many people changed in each field
    by_kelurahan: list[KelurahanDiff]


def _visible_nik_share(con: duckdb.DuckDBPyConnection, table: str) -> float:
    share = scalar(con, f"SELECT avg(CASE WHEN regexp_full_match(nik, '[0-9]{{16}}') THEN 1 ELSE 0 END) FROM {table}")
    return share or 0.0


def _keyed(table: str, by_nik: bool) -> str:
    """Each row with a matching key; the rank keeps two rows that share a key apart."""
    base = "nik" if by_nik else "concat_ws('|', nik, upper(regexp_replace(nama, '[^A-Za-z]', '', 'g')), tanggal_lahir)"
    return (
        f"SELECT *, {base} || '#' || row_number() OVER (PARTITION BY {base} ORDER BY nama, tanggal_lahir, row_no) AS k "
        f"FROM {table}"
    )


def diff_snapshots(old: Snapshot, new: Snapshot, details: Path | None = None) -> DiffResult:
    """Compare two snapshots; optionally write one row per difference to ``details`` (CSV)."""
    con = connect()
    con.read_parquet(str(old.voters_path)).create_view("old_v")
    con.read_parquet(str(new.voters_path)).create_view("new_v")
    by_nik = min(_visible_nik_share(con, "old_v"), _visible_nik_share(con, "new_v")) >= VISIBLE_NIK_SHARE
    changed_list = ", ".join(f"CASE WHEN o.{c} IS DISTINCT FROM n.{c} THEN '{c}' END" for c in COMPARED)
    con.execute(
        f"""
        CREATE TABLE d AS
        SELECT CASE WHEN o.k IS NULL THEN 'added' WHEN n.k IS NULL THEN 'removed' ELSE 'changed' END AS change,
               coalesce(n.kode_kelurahan, o.kode_kelurahan) AS kode_kelurahan,
               coalesce(n.kelurahan, o.kelurahan) AS kelurahan,
               o.tps AS tps_lama, n.tps AS tps_baru,
               coalesce(o.id, CAST(o.row_no AS VARCHAR)) AS id_lama, coalesce(n.id, CAST(n.row_no AS VARCHAR)) AS id_baru,
               coalesce(n.nama, o.nama) AS nama,
               CASE WHEN o.k IS NOT NULL AND n.k IS NOT NULL
                    THEN list_filter([{changed_list}], lambda x: x IS NOT NULL) ELSE [] END AS fields
        FROM ({_keyed("old_v", by_nik)}) o FULL OUTER JOIN ({_keyed("new_v", by_nik)}) n ON o.k = n.k
        """
    )
    con.execute("DELETE FROM d WHERE change = 'changed' AND len(fields) = 0")
    result = _summarise(con, old, new, by_nik)
    if details is not None:
        _write_details(con, details)
    con.close()
    return result


def _summarise(con: duckdb.DuckDBPyConnection, old: Snapshot, new: Snapshot, by_nik: bool) -> DiffResult:
    totals = dict(con.execute("SELECT change, count(*) FROM d GROUP BY change").fetchall())
    fields = dict(
        con.execute("SELECT f, count(*) FROM (SELECT unnest(fields) AS f FROM d) GROUP BY f ORDER BY 2 DESC").fetchall()
    )
    rows = con.execute(
        """SELECT kode_kelurahan, any_value(kelurahan), count(*) FILTER (change = 'added'),
                  count(*) FILTER (change = 'removed'), count(*) FILTER (change = 'changed')
           FROM d GROUP BY kode_kelurahan ORDER BY kode_kelurahan NULLS LAST"""
    ).fetchall()
    new_count = new.counts["loaded"]
    return DiffResult(
        old=old.name,
        new=new.name,
        matched_on="nik" if by_nik else "nik+nama+tanggal_lahir",
        added=totals.get("added", 0),
        removed=totals.get("removed", 0),
        changed=totals.get("changed", 0),
        unchanged=new_count - totals.get("added", 0) - totals.get("changed", 0),
        fields=fields,
        by_kelurahan=[KelurahanDiff(*r) for r in rows],
    )


def _write_details(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    words = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in CHANGE_WORDS.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"""COPY (SELECT CASE change {words} END AS perubahan, kode_kelurahan, kelurahan, tps_lama, tps_baru,
                         id_lama, id_baru, nama, array_to_string(fields, ' ') AS kolom_berubah
                  FROM d ORDER BY kode_kelurahan, perubahan, id_baru, id_lama) TO {literal(path)} (HEADER, DELIMITER ',')"""
    )
