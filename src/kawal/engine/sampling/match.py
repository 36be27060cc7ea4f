"""People → list: is each person met in a sampled RT on the list? Matching tolerates spelling, as the audit does.

A person is on the list when the NIK they give is on it, or when someone born the same day has a name that
agrees after the audit's normalisation (titles, degrees, old spelling, doubled letters folded) exactly or with a
Jaro-Winkler similarity of at least ``NAME_MATCH``. Where they are found is reported too: in the same RT, elsewhere
in the same kelurahan, or elsewhere on the list (registered, but not where they live).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from kawal.engine.audit.duplicates import normalised_name_sql

NAME_MATCH = 0.9


def match_people(con: duckdb.DuckDBPyConnection, people: pa.Table, voters: str) -> pa.Table:
    """``people`` has ``unit`` (kode_kelurahan/rw/rt), ``nama``, ``tanggal_lahir`` (date) and optionally ``nik``.
    Returns it with ``terdaftar`` (bool) and ``tempat`` ('rt', 'kelurahan', 'lain' or '')."""
    con.register("people_in", people)
    nik = "nik" if "nik" in people.column_names else "NULL::VARCHAR AS nik"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE p AS
        SELECT row_number() OVER () AS pid, unit, nama, CAST(tanggal_lahir AS DATE) AS tanggal_lahir, {nik},
               split_part(unit, '/', 1) AS kode_kelurahan,
               TRY_CAST(split_part(unit, '/', 2) AS INTEGER) AS rw, TRY_CAST(split_part(unit, '/', 3) AS INTEGER) AS rt,
               replace({normalised_name_sql("nama")}, ' ', '') AS name_key
        FROM people_in"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE hits AS
        WITH l AS (SELECT nik, tanggal_lahir, kode_kelurahan, rw, rt, nama FROM {voters}),
        by_nik AS (SELECT p.pid, l.kode_kelurahan, l.rw, l.rt FROM p JOIN l ON p.nik IS NOT NULL AND p.nik = l.nik),
        by_name AS (
            SELECT p.pid, l.kode_kelurahan, l.rw, l.rt
            FROM p JOIN l ON p.tanggal_lahir = l.tanggal_lahir
            WHERE jaro_winkler_similarity(p.name_key, replace({normalised_name_sql("l.nama")}, ' ', '')) >= {NAME_MATCH}
        )
        SELECT * FROM by_nik UNION ALL SELECT * FROM by_name"""
    )
    return con.sql(
        """SELECT p.unit, p.nama, p.tanggal_lahir, count(h.pid) > 0 AS terdaftar,
                  CASE WHEN bool_or(h.kode_kelurahan = p.kode_kelurahan AND h.rw = p.rw AND h.rt = p.rt) THEN 'rt'
                       WHEN bool_or(h.kode_kelurahan = p.kode_kelurahan) THEN 'kelurahan'
                       WHEN count(h.pid) > 0 THEN 'lain' ELSE '' END AS tempat
           FROM p LEFT JOIN hits h USING (pid) GROUP BY p.pid, p.unit, p.nama, p.tanggal_lahir ORDER BY p.pid"""
    ).to_arrow_table()
