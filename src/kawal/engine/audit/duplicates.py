"""PEMILIH_GANDA: the same person on more than one row, whatever the NIK says.

Set-based record linkage in DuckDB, in four steps:

1. **Normalise names** once per distinct name (titles and degrees dropped; old spelling DJ/TJ/OE folded; the
   Muhammad family MUHAMMAD/MUHAMAD/MOHAMMAD/MOH./M. folded; doubled letters and spacing folded).
2. **Block**: candidate pairs share birth date (or age), sex and the first letter of the first or last name
   token; or share a full NIK; or share a whole normalised name and sex (birth-date typos). No pair outside a
   block is ever compared.
3. **Score** each pair with Fellegi-Sunter style weights (log2 of how much likelier the agreement is for the same
   person than for two people): name (exact agreement weighted by how rare the name is), birth date (weighted by
   how common the date is: placeholders such as 01-07 count less), sex, NIK, birthplace, family card (NKK).
   Every weight is kept so the finding can say which fields agreed and how strongly.
4. **Cluster**: pairs at or above the threshold are edges; connected components are people.

Two people who share one NIK differ in name and birth date, so their pair scores low and they stay two people
(NIK_GANDA reports the shared number).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb

from kawal.engine.sql import scalar

# The default threshold is the prior log-odds against two rows of an N-row list being one person, assuming about
# 1.5% of rows are second registrations: log2(N) + 6.1, i.e. 26.5 for a city of 1.38 M (where the synthetic
# benchmark also puts its best F1). A bigger list needs surer evidence, a small one less.
PRIOR_BITS = 6.1
CITY_THRESHOLD = 26.5
MAX_NAME_BLOCK = 5  # a name shared by more rows than this is too common to block on without a birth date
# Smoothing of value frequencies toward population rates, so a small list (one TPS) is not read as a whole
# population: a name seen twice among 300 rows is not a common name.
PSEUDO_ROWS = 100_000

TITLES = "H|HJ|HAJI|HAJJAH|DRS|DRA|DR|IR|PROF|KH|USTADZ|UST|RADEN|R|RA|TB|NY|TN|SDR|SDRI"
MUHAMMAD_FULL = "MUHAMMAD|MUHAMAD|MUHAMMED|MOHAMMAD|MOHAMAD|MOHAMMED|MOCHAMMAD|MOCHAMAD|MOCHAMED"
MUHAMMAD_SHORT = "MOCH|MOHD|MOH|MUH|MHD|MUHD|MD|M"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Weights:
    """log2 Bayes factors: how much likelier an agreement is for one person than for two different people.

    Exact name, birth date and birthplace agreement are weighted by how rare the value is (term frequency):
    two rows called SITI born 01-07-1970 say far less than two rows called MUHAMMAD RIZKI FAUZAN.
    """

    name_m: float = 0.9  # share of duplicate pairs whose normalised names agree exactly
    name_u: float = 1e-4  # chance that two different people of one sex share a normalised name (population)
    name_close_penalty: float = 4.0  # a near-identical name (typo, initial) counts this much less than an exact one
    name_similar_penalty: float = 8.0
    name_min: float = 2.0
    name_other: float = -9.0
    dob_m: float = 0.97
    dob_u: float = 1 / 29_000  # about 80 birth years
    dob_one_part: float = -2.0
    dob_other: float = -9.0
    age_same: float = 3.0
    age_off_by_one: float = 1.0
    age_other: float = -6.0
    sex_same: float = 1.0
    sex_other: float = -6.0
    nik_same: float = 12.0
    nik_near: float = 1.0  # one digit of the serial differs: a typo, or two neighbours' consecutive serials
    nik_serial: float = -1.0
    nik_prefix: float = -2.8  # same birth date part, another kecamatan: a NIK issued again elsewhere, or a namesake
    nik_other: float = -5.0
    place_m: float = 0.95
    place_u: float = 0.05
    place_max: float = 3.5  # birthplace follows the naming tradition: agreement adds little to an agreeing name
    place_min: float = 1.0
    place_other: float = -4.0
    nkk_same: float = 3.0
    nkk_other: float = -0.5


def _collapse_doubles(expr: str) -> str:
    """RE2 has no back-references, so each doubled letter is folded on its own."""
    for letter in LETTERS:
        expr = f"replace({expr}, '{letter}{letter}', '{letter}')"
    return expr


def normalised_name_sql(column: str) -> str:
    """A name with titles, degrees, spelling variants and doubled letters folded: what linkage compares."""
    return _normalised_name(column)


def _normalised_name(column: str) -> str:
    text = f"upper(split_part(coalesce({column}, ''), ',', 1))"  # degrees usually follow a comma
    text = f"regexp_replace({text}, '(\\s+[SMD]\\.\\s?[A-Z]{{1,4}}\\.?)+\\s*$', '')"  # ... or just a space: S.PD., M.M.
    text = f"regexp_replace({text}, '[^A-Z]+', ' ', 'g')"
    text = f"regexp_replace(trim({text}), '^(({TITLES})\\s+)+', '')"  # titles come first: H. HJ. DRS.
    text = f"trim(regexp_replace({text}, '\\s+', ' ', 'g'))"
    text = f"regexp_replace({text}, '^({MUHAMMAD_FULL})', 'MHD ')"  # also when run together: MUHAMMADRIFAI
    text = f"regexp_replace({text}, '^({MUHAMMAD_SHORT})\\b', 'MHD')"
    text = f"regexp_replace({text}, '\\b({MUHAMMAD_FULL})\\b', 'MHD', 'g')"
    text = f"trim(regexp_replace({text}, '\\s+', ' ', 'g'))"
    for old, new in (("OE", "U"), ("DJ", "J"), ("TJ", "C"), ("SJ", "SY"), ("NJ", "NY"), ("CH", "KH"), ("PH", "F")):
        text = f"replace({text}, '{old}', '{new}')"
    return _collapse_doubles(text)


def build_names(con: duckdb.DuckDBPyConnection, table: str = "v") -> None:
    """``names(nama, name_key, tokens, first_token, last_token)``, normalised once per distinct name."""
    con.execute(
        f"""
        CREATE OR REPLACE TABLE names AS
        WITH normalised AS MATERIALIZED (
            SELECT nama, {_normalised_name("nama")} AS name_norm FROM (SELECT DISTINCT nama FROM {table} WHERE nama IS NOT NULL)
        )
        SELECT nama, replace(name_norm, ' ', '') AS name_key, string_split(name_norm, ' ') AS tokens,
               split_part(name_norm, ' ', 1) AS first_token, list_last(string_split(name_norm, ' ')) AS last_token
        FROM normalised WHERE name_norm <> ''
        """
    )


def build_people(con: duckdb.DuckDBPyConnection, table: str = "v") -> None:
    """``people``: the fields linkage uses, one row per voter row, with how common each value is."""
    con.execute(
        f"""
        CREATE OR REPLACE TABLE people_base AS
        SELECT t.rid, n.name_key, n.tokens, n.first_token, n.last_token, t.tanggal_lahir AS dob,
               CASE WHEN t.tanggal_lahir IS NOT NULL THEN strftime(t.tanggal_lahir, '%Y%m%d')
                    WHEN t.usia IS NOT NULL THEN 'U' || t.usia END AS dob_key,
               t.usia, t.jenis_kelamin AS sex, coalesce(t.jenis_kelamin, '?') AS sex_key,
               CASE WHEN t.nik_full THEN t.nik_d END AS nik,
               CASE WHEN t.nkk_full THEN t.nkk_d END AS nkk,
               nullif(regexp_replace(upper(coalesce(t.tempat_lahir, '')), '[^A-Z]', '', 'g'), '') AS place
        FROM {table} t JOIN names n ON n.nama = t.nama
        """
    )
    # Frequencies by GROUP BY and hash joins: cheaper than four window sorts over the whole list.
    con.execute(
        """
        CREATE OR REPLACE TABLE people AS
        SELECT p.*, nf.name_freq, sf.sex_rows, df.dob_rows, pf.place_rows
        FROM people_base p
        JOIN (SELECT name_key, sex_key, count(*) AS name_freq FROM people_base GROUP BY ALL) nf USING (name_key, sex_key)
        JOIN (SELECT sex_key, count(*) AS sex_rows FROM people_base GROUP BY ALL) sf USING (sex_key)
        LEFT JOIN (SELECT dob_key, count(*) AS dob_rows FROM people_base GROUP BY ALL) df USING (dob_key)
        LEFT JOIN (SELECT place, count(*) AS place_rows FROM people_base GROUP BY ALL) pf USING (place);
        DROP TABLE people_base;
        """
    )


def prefix_length(rows: int) -> int:
    """Letters of the name that blocking compares: more for bigger lists, so candidate pairs grow about linearly
    (people sharing a birth date and sex grow with the list; each extra letter splits them about tenfold)."""
    return 2 + (rows > 3_000_000) + (rows > 30_000_000)


def build_candidates(con: duckdb.DuckDBPyConnection) -> None:
    """Candidate pairs (a < b) from the blocking rules; each pair once.

    Birth date and sex with the first two letters of the name, or its last three, or the first three of its
    last word (one letter more each above 3 M rows, two above 30 M): a typo or variant changes one of these
    at most. Plus any shared NIK, and a shared rare name (for
    birth-date typos).
    """
    same_dob = "x.dob_key = y.dob_key AND x.sex_key = y.sex_key AND x.rid < y.rid"
    n = prefix_length(_row_count(con))
    con.execute(
        f"""
        CREATE OR REPLACE TABLE candidates AS
        SELECT DISTINCT a, b FROM (
            SELECT x.rid AS a, y.rid AS b FROM people x JOIN people y ON {same_dob} AND left(x.name_key, {n}) = left(y.name_key, {n})
            UNION ALL
            SELECT x.rid, y.rid FROM people x JOIN people y ON {same_dob} AND right(x.name_key, {n + 1}) = right(y.name_key, {n + 1})
            UNION ALL
            SELECT x.rid, y.rid FROM people x JOIN people y ON {same_dob} AND left(x.last_token, {n + 1}) = left(y.last_token, {n + 1})
            UNION ALL
            SELECT x.rid, y.rid FROM people x JOIN people y ON x.nik = y.nik AND x.rid < y.rid
            UNION ALL
            SELECT x.rid, y.rid FROM people x JOIN people y
              ON x.name_key = y.name_key AND x.sex_key = y.sex_key AND x.rid < y.rid AND x.name_freq <= {MAX_NAME_BLOCK}
        )
        """
    )


def _nik_level(a: str, b: str) -> str:
    """same; near (the serial differs by one digit or one swap); serial (only the serial differs); prefix (only
    the kecamatan differs); other (the birth-date part differs too)."""
    return f"""CASE WHEN {a} IS NULL OR {b} IS NULL THEN NULL
        WHEN {a} = {b} THEN 'same'
        WHEN substr({a}, 7, 6) <> substr({b}, 7, 6) THEN 'other'
        WHEN left({a}, 6) <> left({b}, 6) THEN 'prefix'
        WHEN damerau_levenshtein(right({a}, 4), right({b}, 4)) = 1 THEN 'near'
        ELSE 'serial' END"""


def _initials_agree(a: str, b: str) -> str:
    """Same number of words, each equal or one an initial of the other: AHMAD F RAHMAN ~ AHMAD FAUZI RAHMAN."""
    return f"""(len({a}) = len({b}) AND list_bool_and(list_transform(range(1, len({a}) + 1), lambda i:
        {a}[i] = {b}[i] OR (length({a}[i]) = 1 AND left({b}[i], 1) = {a}[i])
        OR (length({b}[i]) = 1 AND left({a}[i], 1) = {b}[i]))))"""


def _clamp(expr: str, low: float, high: float | None = None) -> str:
    return f"greatest({low}, {expr})" if high is None else f"least({high}, greatest({low}, {expr}))"


def score_pairs(con: duckdb.DuckDBPyConnection, w: Weights) -> None:
    """``pairs``: every candidate with its field levels, field weights and total score."""
    total = _row_count(con)
    k = PSEUDO_ROWS
    name_tf = f"log2({w.name_m} / ((name_freq - 1 + {k * w.name_u}) / (sex_rows + {k})))"
    dob_tf = f"log2({w.dob_m} / ((dob_rows - 1 + {k * w.dob_u}) / ({total} + {k})))"
    place_tf = f"log2({w.place_m} / ((place_rows - 1 + {k * w.place_u}) / ({total} + {k})))"
    con.execute(
        f"""
        CREATE OR REPLACE TABLE pairs AS
        WITH joined AS (
            SELECT c.a, c.b, x.name_key AS name_a, y.name_key AS name_b, greatest(x.name_freq, y.name_freq) AS name_freq,
                   x.tokens AS tokens_a, y.tokens AS tokens_b,
                   x.sex_rows, x.dob_rows, greatest(x.place_rows, y.place_rows) AS place_rows,
                   x.dob AS dob_a, y.dob AS dob_b, x.usia AS usia_a, y.usia AS usia_b, x.sex AS sex_a, y.sex AS sex_b,
                   x.nik AS nik_a, y.nik AS nik_b, x.nkk AS nkk_a, y.nkk AS nkk_b, x.place AS place_a, y.place AS place_b
            FROM candidates c JOIN people x ON x.rid = c.a JOIN people y ON y.rid = c.b
        ), levels AS (
            SELECT *, CASE WHEN name_a = name_b THEN 1.0 ELSE jaro_winkler_similarity(name_a, name_b) END AS name_jw,
                name_a <> name_b AND {_initials_agree("tokens_a", "tokens_b")} AS name_initials,
                CASE WHEN dob_a IS NULL OR dob_b IS NULL THEN NULL WHEN dob_a = dob_b THEN 'same'
                     WHEN (year(dob_a) = year(dob_b))::INT + (month(dob_a) = month(dob_b))::INT + (day(dob_a) = day(dob_b))::INT = 2
                     THEN 'one_part' ELSE 'other' END AS dob_level,
                {_nik_level("nik_a", "nik_b")} AS nik_level,
                CASE WHEN place_a IS NULL OR place_b IS NULL THEN NULL WHEN place_a = place_b THEN 'same'
                     WHEN jaro_winkler_similarity(place_a, place_b) >= 0.9 THEN 'close' ELSE 'other' END AS place_level
            FROM joined
        )
        SELECT a, b, name_jw, name_initials, dob_level, nik_level, place_level,
            CASE WHEN name_a = name_b THEN {_clamp(name_tf, w.name_min)}
                 WHEN name_jw >= 0.95 OR name_initials THEN {_clamp(f"{name_tf} - {w.name_close_penalty}", w.name_min)}
                 WHEN name_jw >= 0.90 THEN {_clamp(f"{name_tf} - {w.name_similar_penalty}", 0)}
                 WHEN name_jw >= 0.80 THEN -2.0 ELSE {w.name_other} END AS w_name,
            CASE dob_level WHEN 'same' THEN {dob_tf}
                 WHEN 'one_part' THEN {w.dob_one_part} WHEN 'other' THEN {w.dob_other}
                 ELSE CASE WHEN usia_a IS NULL OR usia_b IS NULL THEN 0 WHEN usia_a = usia_b THEN {w.age_same}
                           WHEN abs(usia_a - usia_b) = 1 THEN {w.age_off_by_one} ELSE {w.age_other} END END AS w_dob,
            CASE WHEN sex_a IS NULL OR sex_b IS NULL THEN 0 WHEN sex_a = sex_b THEN {w.sex_same} ELSE {w.sex_other} END AS w_sex,
            CASE nik_level WHEN 'same' THEN {w.nik_same} WHEN 'near' THEN {w.nik_near} WHEN 'serial' THEN {w.nik_serial}
                 WHEN 'prefix' THEN {w.nik_prefix} WHEN 'other' THEN {w.nik_other} ELSE 0 END AS w_nik,
            CASE place_level WHEN 'same' THEN {_clamp(place_tf, w.place_min, w.place_max)}
                 WHEN 'close' THEN {w.place_min} WHEN 'other' THEN {w.place_other} ELSE 0 END AS w_place,
            CASE WHEN nkk_a IS NULL OR nkk_b IS NULL THEN 0 WHEN nkk_a = nkk_b THEN {w.nkk_same} ELSE {w.nkk_other} END AS w_nkk
        FROM levels
        """
    )
    con.execute("ALTER TABLE pairs ADD COLUMN score DOUBLE")
    con.execute("UPDATE pairs SET score = w_name + w_dob + w_sex + w_nik + w_place + w_nkk")


def _row_count(con: duckdb.DuckDBPyConnection) -> int:
    return max(1, scalar(con, "SELECT count(*) FROM people"))


def cluster(con: duckdb.DuckDBPyConnection, threshold: float) -> int:
    """``clusters(rid, cluster_rid)``: connected components of the pairs at or above the threshold."""
    con.execute(f"CREATE OR REPLACE TABLE edges AS SELECT a, b FROM pairs WHERE score >= {float(threshold)}")
    con.execute(
        """
        CREATE OR REPLACE TABLE clusters AS
        SELECT rid, rid AS cluster_rid FROM (SELECT a AS rid FROM edges UNION SELECT b FROM edges)
        """
    )
    for _ in range(64):  # label propagation: each round every node takes the smallest label among its neighbours
        con.execute(
            """
            CREATE OR REPLACE TABLE next_clusters AS
            SELECT c.rid, least(c.cluster_rid, coalesce(min(n.cluster_rid), c.cluster_rid)) AS cluster_rid
            FROM clusters c
            LEFT JOIN (SELECT a AS rid, b AS other FROM edges UNION ALL SELECT b, a FROM edges) e ON e.rid = c.rid
            LEFT JOIN clusters n ON n.rid = e.other
            GROUP BY c.rid, c.cluster_rid
            """
        )
        changed = scalar(
            con, "SELECT count(*) FROM next_clusters n JOIN clusters c USING (rid) WHERE n.cluster_rid <> c.cluster_rid"
        )
        con.execute("DROP TABLE clusters; ALTER TABLE next_clusters RENAME TO clusters")
        if not changed:
            break
    return scalar(con, "SELECT count(DISTINCT cluster_rid) FROM clusters")


def default_threshold(rows: int) -> float:
    """The score above which a pair is more likely one person than two, in a list of ``rows`` rows."""
    return round(math.log2(max(rows, 2)) + PRIOR_BITS, 1)


def link(con: duckdb.DuckDBPyConnection, threshold: float, weights: Weights | None = None) -> int:
    """Run the whole linkage over table ``v``; returns the number of people found on more than one row."""
    build_names(con)
    build_people(con)
    build_candidates(con)
    score_pairs(con, weights or Weights())
    return cluster(con, threshold)
