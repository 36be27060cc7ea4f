"""Birthplaces as clerks write them, folded to the kab/kota they name, for duplicate detection.

One person's two rows often name the birthplace differently: the kab/kota or the town (kecamatan) within it
(LEBAK / RANGKASBITUNG), an everyday or older name (SOLO / SURAKARTA, UJUNG PANDANG / MAKASSAR), one of the five
kota of Jakarta or Jakarta itself, the province added (TANGERANG, BANTEN) or a short form (TNG, SBY, BDG). Each
distinct birthplace of the list gets a ``place_key``:

1. the place as written, upper case, letters only, without KAB./KOTA/ADM. (:func:`place_sql`);
2. a known name: an alias from ``data/birthplace_aliases.csv``, a kab/kota of the Kemendagri list, or a kecamatan
   whose name is unique among Indonesia's kecamatan (and is not also the name of villages in many other kab/kota),
   which stands for its kab/kota;
3. else a known name followed by a province's name, which is dropped;
4. else, for a short form (2 to 4 letters, at most one vowel), the known kab/kota of this list it abbreviates
   (same first letter, its letters in order) held by the most rows: SMG is SEMARANG on a list where more people
   were born in Semarang than in Sumedang;
5. else the place as written.

Equal keys are one comparison level of their own, so the list's EM weighs how much "the same kab/kota, written
another way" says; nothing here decides a match.

Region names: Kepmendagri 100.1.1-6117/2022 via github.com/cahyadsn/wilayah (MIT, see
``kawal/wilayah/data/LICENSE-cahyadsn-wilayah.txt``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import duckdb
import pyarrow as pa

from kawal.engine.sql import literal
from kawal.wilayah import data_path

PLACE_WORDS = "KABUPATEN|KAB|KOTA|KOTAMADYA|KODYA|ADM|ADMINISTRASI|DKI|PROV|PROVINSI"
MIN_TOWN_LETTERS = 5  # shorter kecamatan names (BATU, KUTA ...) are too often something else as well
# A kecamatan named like villages of this many other kab/kota (SUKAMULYA, SUKAMAJU) does not say which kab/kota a
# birthplace is: the writer may mean any of those villages.
VILLAGE_ELSEWHERE = 5
# A short form is consonants with at most this many vowels (TNG, SBY, SMG, JKT); a short word with more is a name
# of its own (BALI, ACEH, KUTA, CEPU), not a short form of a longer one.
ABBREVIATION_VOWELS = 1
ABBREVIATION_LETTERS = (2, 4)
ALIASES = "birthplace_aliases.csv"
REGIONS = "wilayah_kemendagri_2022_6117.csv.gz"  # the list in force for Pilkada 2024


def place_sql(column: str) -> str:
    """A written place as compared: upper case, letters only, without the words KAB., KOTA, ADM. and the like."""
    text = f"regexp_replace(upper(coalesce({column}, '')), '[^A-Z ]', ' ', 'g')"
    text = f"regexp_replace({text}, '\\b({PLACE_WORDS})\\b', ' ', 'g')"
    return f"nullif(replace({text}, ' ', ''), '')"


@cache
def known_places() -> tuple[pa.Table, pa.Table]:
    """``(known, provinces)``: known written names with the kab/kota each stands for, and the provinces' names."""
    aliases = resources.files("kawal").joinpath("data", ALIASES)
    regions = data_path(REGIONS)
    con = duckdb.connect()
    try:
        con.execute(
            f"""
            CREATE TABLE w AS
                SELECT code, level, parent, {place_sql("name")} AS p,
                       regexp_replace(upper(name), '[^A-Z]', '', 'g') AS letters
                FROM read_csv({literal(str(regions))}, all_varchar = true);
            CREATE TABLE aliases AS SELECT DISTINCT {place_sql("written")} AS written, {place_sql("place")} AS place
                FROM read_csv({literal(str(aliases))}, all_varchar = true);
            CREATE TABLE kab AS SELECT code, p FROM w WHERE level = '2';
            CREATE TABLE villages AS SELECT DISTINCT p, left(code, 5) AS kab_code FROM w WHERE level = '4';
            CREATE TABLE towns AS
                SELECT w.p AS written, any_value(k.p) AS place FROM w JOIN kab k ON k.code = w.parent
                WHERE w.level = '3' AND length(w.p) >= {MIN_TOWN_LETTERS} AND w.p = w.letters
                GROUP BY w.p
                HAVING count(DISTINCT k.p) = 1 AND (
                    SELECT count(DISTINCT v.kab_code) FROM villages v
                    WHERE v.p = w.p AND v.kab_code <> any_value(k.code)
                ) < {VILLAGE_ELSEWHERE};
            """
        )
        known = con.sql(
            """
            SELECT written, place FROM aliases
            UNION SELECT p, p FROM kab WHERE p NOT IN (SELECT written FROM aliases)
            UNION SELECT written, place FROM towns
                WHERE written NOT IN (SELECT written FROM aliases) AND written NOT IN (SELECT p FROM kab)
                  AND written NOT IN (SELECT p FROM w WHERE level = '1')
            """
        ).to_arrow_table()
        provinces = con.sql("SELECT DISTINCT p FROM w WHERE level = '1' AND p IS NOT NULL").to_arrow_table()
    finally:
        con.close()
    return known, provinces


def build_place_keys(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """``place_keys(tempat_lahir, place, place_key, rows_with)``: every distinct birthplace of ``source`` (a table
    with a ``tempat_lahir`` column, one row per voter row) with its written form, its kab/kota key and its rows."""
    known, provinces = known_places()
    con.register("known_places", known)
    con.register("province_names", provinces)
    low, high = ABBREVIATION_LETTERS
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE written_places AS
        SELECT tempat_lahir, {place_sql("tempat_lahir")} AS place, count(*) AS rows_with FROM {source} GROUP BY ALL;
        CREATE OR REPLACE TEMP TABLE named AS
        WITH w AS (SELECT DISTINCT place FROM written_places WHERE place IS NOT NULL),
        by_province AS (  -- TANGERANGBANTEN: a known name, then a province
            SELECT w.place, arg_max(k.place, length(pr.p)) AS key
            FROM w JOIN province_names pr ON w.place LIKE '%' || pr.p AND length(w.place) > length(pr.p)
            JOIN known_places k ON k.written = left(w.place, length(w.place) - length(pr.p))
            GROUP BY w.place
        )
        SELECT w.place, coalesce(k.place, bp.key) AS key
        FROM w LEFT JOIN known_places k ON k.written = w.place LEFT JOIN by_province bp ON bp.place = w.place;
        CREATE OR REPLACE TEMP TABLE abbreviated AS
        WITH held AS (  -- only known kab/kota are abbreviated, never a village or a typo
            SELECT n.key, sum(wp.rows_with) AS rows_with
            FROM written_places wp JOIN named n USING (place) WHERE n.key IS NOT NULL AND length(n.key) > {high}
            GROUP BY ALL
        ),
        short AS (
            SELECT place FROM named
            WHERE key IS NULL AND length(place) BETWEEN {low} AND {high}
              AND length(regexp_replace(place, '[^AEIOU]', '', 'g')) <= {ABBREVIATION_VOWELS}
        )
        SELECT s.place, first(h.key ORDER BY h.rows_with DESC, h.key) AS key
        FROM short s JOIN held h ON left(h.key, 1) = left(s.place, 1)  -- its letters in order; only A-Z are left
            AND h.key LIKE array_to_string(string_split(s.place, ''), '%') || '%'
        GROUP BY s.place;
        CREATE OR REPLACE TEMP TABLE place_keys AS
        SELECT wp.tempat_lahir, wp.place, coalesce(n.key, a.key, wp.place) AS place_key, wp.rows_with
        FROM written_places wp LEFT JOIN named n USING (place) LEFT JOIN abbreviated a USING (place);
        DROP TABLE written_places; DROP TABLE named; DROP TABLE abbreviated;
        """
    )
    con.unregister("known_places")
    con.unregister("province_names")
