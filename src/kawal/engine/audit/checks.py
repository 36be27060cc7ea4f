"""Every audit check in one table: its code, KPU TMS category, explanation, and the SQL that finds it.

Each check is a SELECT over the prepared table ``v`` (one row per voter, with the NIK/NKK columns of
:mod:`kawal.engine.nik_sql`) returning ``rid, cluster, kode_kelurahan, tps, detail``; ``rid`` is NULL for
findings about a TPS rather than a voter. "Returns no rows" is the test of a clean list. Adding a check means
adding one entry here and one line to ``docs/checks.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kawal.engine.audit.duplicate_text import pemilih_ganda
from kawal.engine.nik_sql import reason_text
from kawal.engine.sql import message


@dataclass(frozen=True)
class Context:
    election_date: date
    max_per_tps: int

    @property
    def e(self) -> str:
        return f"DATE '{self.election_date.isoformat()}'"


@dataclass(frozen=True)
class Check:
    code: str
    tms: int | None
    title: tuple[str, str]
    sql: Callable[[Context], str]


def _age(dob: str, ctx: Context) -> str:
    """Completed years on election day."""
    return f"(year({ctx.e}) - year({dob}) - CASE WHEN strftime({dob}, '%m%d') > '{ctx.election_date:%m%d}' THEN 1 ELSE 0 END)"


def _masked(column: str) -> str:
    """A NIK shown in a finding: region code visible, the rest starred (Excel's scientific form shown as is)."""
    return f"CASE WHEN regexp_matches({column}, '[eE]') THEN {column} ELSE left({column}, 6) || repeat('*', greatest(length({column}) - 6, 0)) END"


def _reasons(list_column: str, kind: str, raw: str, p: str) -> str:
    return f"array_to_string(list_transform({list_column}, lambda r: {reason_text('r', kind, _masked(raw), p)}), '; ')"


def nik_format(ctx: Context) -> str:
    return f"SELECT rid, NULL AS cluster, kode_kelurahan, tps, {_reasons('nik_format', 'NIK', 'nik', 'nik')} AS detail FROM v WHERE len(nik_format) > 0"


def nkk_format(ctx: Context) -> str:
    shape = f"{_reasons('nkk_format', 'NKK', 'nkk', 'nkk')}"
    prefix = reason_text("'prefix'", "NKK", _masked("nkk"), "nkk")
    detail = f"concat_ws('; ', nullif({shape}, ''), CASE WHEN nkk_prefix_ok = false THEN {prefix} END)"
    return f"SELECT rid, NULL, kode_kelurahan, tps, {detail} FROM v WHERE len(nkk_format) > 0 OR nkk_prefix_ok = false"


def nik_wilayah(ctx: Context) -> str:
    detail = reason_text("'prefix'", "NIK", _masked("nik"), "nik")
    return f"SELECT rid, NULL, kode_kelurahan, tps, {detail} FROM v WHERE nik_prefix_ok = false"


def nik_tanggal(ctx: Context) -> str:
    return f"SELECT rid, NULL, kode_kelurahan, tps, {_reasons('nik_date_problems', 'NIK', 'nik', 'nik')} FROM v WHERE len(nik_date_problems) > 0"


MISMATCH_DATE = (
    "tanggal lahir di NIK {nik} tetapi di kolom tanggal_lahir {row}",
    "the NIK says born {nik} but tanggal_lahir says {row}",
)
MISMATCH_SEX = (
    "NIK menunjukkan {nik} (tanggal {dd}) tetapi jenis_kelamin {row}",
    "the NIK says {nik} (day {dd}) but jenis_kelamin says {row}",
)
MISMATCH_AGE = ("umur menurut NIK {nik} tahun tetapi kolom usia {row}", "age from the NIK is {nik} but usia says {row}")


def nik_tidak_cocok(ctx: Context) -> str:
    day = "(nik_dd - CASE WHEN nik_dd > 40 THEN 40 ELSE 0 END)"
    date_differs = f"tanggal_lahir IS NOT NULL AND nik_yy IS NOT NULL AND ({day} <> day(tanggal_lahir) OR nik_mm <> month(tanggal_lahir) OR nik_yy <> year(tanggal_lahir) % 100)"
    sex_differs = "jenis_kelamin IS NOT NULL AND nik_sex IS NOT NULL AND nik_sex <> jenis_kelamin"
    age_differs = f"tanggal_lahir IS NULL AND usia IS NOT NULL AND nik_born IS NOT NULL AND abs({_age('nik_born', ctx)} - usia) > 1"
    date_text = message(
        MISMATCH_DATE, nik=f"printf('%02d-%02d-%02d', {day}, nik_mm, nik_yy)", row="strftime(tanggal_lahir, '%d-%m-%Y')"
    )
    sex_text = message(
        MISMATCH_SEX, nik="CASE nik_sex WHEN 'P' THEN 'P' ELSE 'L' END", dd="substr(nik_d, 7, 2)", row="jenis_kelamin"
    )
    age_text = message(MISMATCH_AGE, nik=_age("nik_born", ctx), row="usia")
    detail = f"concat_ws('; ', CASE WHEN {date_differs} THEN {date_text} END, CASE WHEN {sex_differs} THEN {sex_text} END, CASE WHEN {age_differs} THEN {age_text} END)"
    return f"""SELECT rid, NULL, kode_kelurahan, tps, {detail} FROM v
        WHERE nik_shape AND len(nik_date_problems) = 0 AND (({date_differs}) OR ({sex_differs}) OR ({age_differs}))"""


NIK_SHARED_SAME = (
    "NIK ini tercantum di {n} baris ({ids}); orangnya sama, lihat PEMILIH_GANDA",
    "this NIK is on {n} rows ({ids}); the same person, see PEMILIH_GANDA",
)
NIK_SHARED_OTHER = (
    "NIK ini tercantum di {n} baris ({ids}) milik orang yang berbeda (nama atau tanggal lahir berbeda)",
    "this NIK is on {n} rows ({ids}) of different people (name or birth date differ)",
)


def nik_ganda(ctx: Context) -> str:
    same = message(NIK_SHARED_SAME, n="n", ids="ids")
    other = message(NIK_SHARED_OTHER, n="n", ids="ids")
    # The shared NIKs by a plain count first: the ordered list and the distinct people are then gathered for those
    # few rows only, not for every NIK of the list.
    return f"""
        WITH shared AS (SELECT nik_d FROM v WHERE nik_full GROUP BY nik_d HAVING count(*) > 1),
        rows AS (
            SELECT v.rid, v.nik_d, v.record_id, v.kode_kelurahan, v.tps, coalesce(c.cluster_rid, v.rid) AS person
            FROM v LEFT JOIN clusters c USING (rid) WHERE v.nik_full AND v.nik_d IN (SELECT nik_d FROM shared)
        ),
        per_nik AS (
            SELECT nik_d, count(*) AS n, string_agg(record_id, ', ' ORDER BY rid) AS ids, count(DISTINCT person) AS people
            FROM rows GROUP BY nik_d
        )
        SELECT r.rid, r.nik_d, r.kode_kelurahan, r.tps, CASE WHEN people = 1 THEN {same} ELSE {other} END
        FROM rows r JOIN per_nik USING (nik_d)"""


UNDER_AGE = (
    "berumur {age} tahun pada hari pemungutan suara {e} dan status kawin {status}",
    "{age} years old on election day {e} and marital status {status}",
)


def di_bawah_umur(ctx: Context) -> str:
    age = f"coalesce({_age('tanggal_lahir', ctx)}, usia)"
    detail = message(UNDER_AGE, age=age, e=f"'{ctx.election_date:%d-%m-%Y}'", status="coalesce(status_kawin, '-')")
    return (
        f"SELECT rid, NULL, kode_kelurahan, tps, {detail} FROM v WHERE {age} < 17 AND coalesce(status_kawin, 'B') = 'B'"
    )


VERY_OLD = (
    "berumur {age} tahun pada hari pemungutan suara: periksa apakah masih hidup",
    "{age} years old on election day: check the person is alive",
)


def usia_tidak_wajar(ctx: Context) -> str:
    age = f"coalesce({_age('tanggal_lahir', ctx)}, usia)"
    return f"SELECT rid, NULL, kode_kelurahan, tps, {message(VERY_OLD, age=age)} FROM v WHERE {age} >= 100"


INCOMPLETE = ("kolom kosong: {fields}", "empty fields: {fields}")


def data_tidak_lengkap(ctx: Context) -> str:
    fields = (
        "concat_ws(', ', CASE WHEN nama IS NULL THEN 'nama' END, "
        "CASE WHEN tanggal_lahir IS NULL AND usia IS NULL THEN 'tanggal_lahir' END, "
        "CASE WHEN jenis_kelamin IS NULL THEN 'jenis_kelamin' END, "
        "CASE WHEN kode_kelurahan IS NULL THEN 'kelurahan' END, CASE WHEN tps IS NULL THEN 'tps' END)"
    )
    return f"SELECT rid, NULL, kode_kelurahan, tps, {message(INCOMPLETE, fields=fields)} FROM v WHERE {fields} <> ''"


TPS_FULL = (
    "TPS {tps} berisi {n} pemilih, melebihi maksimum {max}",
    "TPS {tps} has {n} voters, above the maximum of {max}",
)


def tps_penuh(ctx: Context) -> str:
    detail = message(TPS_FULL, tps="lpad(CAST(tps AS VARCHAR), 3, '0')", n="n", max=str(ctx.max_per_tps))
    return f"""SELECT NULL::BIGINT, kode_kelurahan || lpad(CAST(tps AS VARCHAR), 3, '0'), kode_kelurahan, tps, {detail}
        FROM (SELECT kode_kelurahan, tps, count(*) AS n FROM v WHERE kode_kelurahan IS NOT NULL AND tps IS NOT NULL
              GROUP BY ALL HAVING count(*) > {int(ctx.max_per_tps)})"""


SPLIT_HOUSEHOLD = (
    "satu KK terbagi di {n} TPS dalam kelurahan ini: {where}",
    "one household split over {n} TPS in this kelurahan: {where}",
)


def kk_terpisah(ctx: Context) -> str:
    where = "string_agg('TPS ' || lpad(CAST(tps AS VARCHAR), 3, '0') || ' (' || people || ')', ', ' ORDER BY tps)"
    # Split households are found by comparing their lowest and highest TPS; only their rows are then counted per TPS.
    return f"""
        WITH placed AS (
            SELECT rid, kode_kelurahan, nkk_d, tps FROM v WHERE nkk_full AND kode_kelurahan IS NOT NULL AND tps IS NOT NULL
        ),
        households AS (SELECT kode_kelurahan, nkk_d FROM placed GROUP BY ALL HAVING min(tps) <> max(tps)),
        split_rows AS (SELECT * FROM placed WHERE (kode_kelurahan, nkk_d) IN (SELECT (kode_kelurahan, nkk_d) FROM households)),
        per_tps AS (SELECT kode_kelurahan, nkk_d, tps, count(*) AS people FROM split_rows GROUP BY ALL),
        split AS (SELECT kode_kelurahan, nkk_d, count(*) AS n, {where} AS spread FROM per_tps GROUP BY ALL)
        SELECT p.rid, p.nkk_d, p.kode_kelurahan, p.tps, {message(SPLIT_HOUSEHOLD, n="s.n", where="s.spread")}
        FROM split_rows p JOIN split s USING (kode_kelurahan, nkk_d)"""


WRONG_TPS = (
    "RT {rt}/RW {rw}: {c} dari {others} pemilih lain di RT ini memilih di TPS {main}, baris ini di TPS {tps}",
    "RT {rt}/RW {rw}: {c} of the RT's {others} other voters vote at TPS {main}, this row at TPS {tps}",
)
MIN_OTHERS_IN_RT = 5
RT_MAJORITY = 0.9


def tps_tidak_sesuai_rt(ctx: Context) -> str:
    detail = message(
        WRONG_TPS,
        rt="lpad(CAST(rt AS VARCHAR), 3, '0')",
        rw="lpad(CAST(rw AS VARCHAR), 3, '0')",
        c="main_n",
        others="n - 1",
        main="lpad(CAST(main_tps AS VARCHAR), 3, '0')",
        tps="lpad(CAST(tps AS VARCHAR), 3, '0')",
    )
    return f"""
        WITH placed AS (SELECT * FROM v WHERE kode_kelurahan IS NOT NULL AND tps IS NOT NULL AND rt IS NOT NULL AND rw IS NOT NULL),
        per_tps AS (SELECT kode_kelurahan, rw, rt, tps, count(*) AS here FROM placed GROUP BY ALL),
        per_rt AS (SELECT kode_kelurahan, rw, rt, sum(here) AS n, max(here) AS main_n, arg_max(tps, here) AS main_tps FROM per_tps GROUP BY ALL)
        SELECT p.rid, p.kode_kelurahan || '/RW' || lpad(CAST(p.rw AS VARCHAR), 3, '0') || '/RT' || lpad(CAST(p.rt AS VARCHAR), 3, '0'),
               p.kode_kelurahan, p.tps, {detail}
        FROM placed p JOIN per_tps t USING (kode_kelurahan, rw, rt, tps) JOIN per_rt r USING (kode_kelurahan, rw, rt)
        WHERE t.here < r.main_n AND r.n - 1 >= {MIN_OTHERS_IN_RT} AND r.main_n >= {RT_MAJORITY} * (r.n - 1)"""


def registry(threshold: float) -> tuple[Check, ...]:
    """The checks in the order findings are written."""
    return (
        Check(
            "NIK_FORMAT", None, ("NIK salah format atau rusak Excel", "NIK malformed or mangled by Excel"), nik_format
        ),
        Check("NIK_WILAYAH", None, ("Kode wilayah NIK tidak dikenal", "Unknown NIK region code"), nik_wilayah),
        Check("NIK_TANGGAL", None, ("Tanggal di NIK mustahil", "Impossible date in NIK"), nik_tanggal),
        Check(
            "NIK_TIDAK_COCOK",
            None,
            ("NIK tidak cocok dengan tanggal lahir/jenis kelamin", "NIK disagrees with birth date/sex"),
            nik_tidak_cocok,
        ),
        Check("NIK_GANDA", None, ("NIK sama di lebih dari satu baris", "Same NIK on more than one row"), nik_ganda),
        Check(
            "PEMILIH_GANDA",
            2,
            ("Pemilih terdaftar lebih dari sekali", "Voter registered more than once"),
            pemilih_ganda(threshold),
        ),
        Check("DI_BAWAH_UMUR", 3, ("Belum 17 tahun dan belum kawin", "Under 17 and never married"), di_bawah_umur),
        Check("USIA_TIDAK_WAJAR", 1, ("Berumur 100 tahun atau lebih", "Aged 100 or more"), usia_tidak_wajar),
        Check("DATA_TIDAK_LENGKAP", None, ("Data wajib kosong", "Required data missing"), data_tidak_lengkap),
        Check("TPS_PENUH", None, ("TPS melebihi jumlah maksimum pemilih", "TPS above the maximum"), tps_penuh),
        Check("KK_TERPISAH", None, ("Satu KK terbagi di beberapa TPS", "Household split across TPS"), kk_terpisah),
        Check("TPS_TIDAK_SESUAI_RT", 8, ("TPS tidak sesuai RT", "TPS does not match the RT"), tps_tidak_sesuai_rt),
        Check("NKK_FORMAT", None, ("NKK salah format atau wilayah", "NKK malformed or unknown region"), nkk_format),
    )
