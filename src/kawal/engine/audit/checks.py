"""Every audit check in one table: its code, KPU TMS category, explanation, and the SQL that finds it.

Each check is a SELECT over the prepared table ``v`` (one row per voter, with the NIK/NKK columns of
:mod:`kawal.engine.nik_sql`) returning ``rid, cluster, kode_kelurahan, tps, detail``; ``rid`` is NULL for
findings about a TPS rather than a voter. "Returns no rows" is the test of a clean list. Each check also says,
as SQL, which rows it can honestly decide and why not the others (``Check.checkable``): a published list hides
digits and dates, and a check never guesses what is hidden. Adding a check means adding one entry here and one
line to ``docs/checks.md``.
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
    usia_date: date | None = None  # the day the list's usia column counts to; None when unknown

    @property
    def e(self) -> str:
        return f"DATE '{self.election_date.isoformat()}'"

    @property
    def usia_day(self) -> date:
        """The day ``usia`` is taken to count to: its own when known, else election day (the finding says so)."""
        return self.usia_date or self.election_date


def every_row(ctx: Context) -> str:
    return "NULL"


@dataclass(frozen=True)
class Check:
    """One check: ``sql`` finds the offending rows; ``checkable`` is a SQL expression over a row of :func:`with_ages`
    that is NULL when the check can honestly decide that row and otherwise the reason it cannot (a code of
    :data:`NOT_CHECKABLE`), so coverage is counted in one pass over the list."""

    code: str
    tms: int | None
    title: tuple[str, str]
    sql: Callable[[Context], str]
    checkable: Callable[[Context], str] = every_row


# Why a row cannot be checked, in plain words for the report (counts per code go to summary.json).
NOT_CHECKABLE: dict[str, tuple[str, str]] = {
    "sudah_tms": ("sudah dicoret TMS di kolom keterangan", "already struck as TMS in keterangan"),
    "nik_kosong": ("NIK kosong", "NIK empty"),
    "nik_rusak": ("NIK bukan 16 angka", "NIK is not 16 digits"),
    "nik_tersembunyi": ("angka NIK yang diperlukan disamarkan", "the NIK digits needed are hidden"),
    "nik_tanggal_salah": ("tanggal di NIK mustahil", "the NIK's date is impossible"),
    "nkk_kosong": ("NKK kosong", "NKK empty"),
    "nkk_rusak": ("NKK bukan 16 angka", "NKK is not 16 digits"),
    "nkk_tersembunyi": ("angka NKK disamarkan", "NKK digits hidden"),
    "tanggal_lahir_kosong": ("tanggal lahir dan usia kosong", "birth date and age empty"),
    "tanggal_lahir_tersembunyi": (
        "tanggal lahir disamarkan (tahunnya tidak terlihat) dan tidak ada usia",
        "birth date hidden (its year too) and no age",
    ),
    "umur_tidak_pasti": (
        "umur tidak bisa dipastikan dari usia atau tahun lahir yang terlihat",
        "the age cannot be settled from the age or birth year shown",
    ),
    "tanpa_pembanding": (
        "tidak ada tanggal lahir, jenis kelamin atau usia untuk dibandingkan",
        "no birth date, sex or age to compare with",
    ),
    "tps_kosong": ("kelurahan atau TPS kosong", "kelurahan or TPS empty"),
    "rt_kosong": ("RT atau RW kosong", "RT or RW empty"),
}


def _age(dob: str, ctx: Context) -> str:
    """Completed years on election day."""
    return _age_on(dob, ctx.election_date)


def _age_on(dob: str, day: date) -> str:
    """Completed years on ``day`` of someone born on ``dob`` (a DATE expression)."""
    birthday_later = f"month({dob}) * 100 + day({dob}) > {day.month * 100 + day.day}"
    return f"({day.year} - year({dob}) - CASE WHEN {birthday_later} THEN 1 ELSE 0 END)"


def _number_state(p: str) -> str:
    """Why a NIK/NKK (``p``: its column prefix) cannot be read at all, else NULL."""
    return f"CASE WHEN {p}_d = '' THEN '{p}_kosong' WHEN NOT {p}_shape THEN '{p}_rusak' END"


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


def nik_wilayah_checkable(ctx: Context) -> str:
    """A prefix with some digits hidden is checked on the visible ones; all six hidden, it cannot be."""
    return f"coalesce({_number_state('nik')}, CASE WHEN left(nik_d, 6) = '******' THEN 'nik_tersembunyi' END)"


def nik_tanggal_checkable(ctx: Context) -> str:
    return f"coalesce({_number_state('nik')}, CASE WHEN substr(nik_d, 7, 6) = '******' THEN 'nik_tersembunyi' END)"


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


def _shown(value: str, width: int) -> str:
    """A date part as text, ``*`` in its place when it is not known."""
    return f"coalesce(lpad(CAST({value} AS VARCHAR), {width}, '0'), repeat('*', {width}))"


def nik_tidak_cocok(ctx: Context) -> str:
    """Only parts visible on both sides are compared: a hidden digit or date part never makes a finding."""
    day = "(nik_dd - CASE WHEN nik_dd > 40 THEN 40 ELSE 0 END)"
    date_differs = (
        f"coalesce({day} <> lahir_hari, false) OR coalesce(nik_mm <> lahir_bulan, false) "
        "OR coalesce(nik_yy <> lahir_tahun % 100, false)"
    )
    sex_differs = "jenis_kelamin IS NOT NULL AND nik_sex IS NOT NULL AND nik_sex <> jenis_kelamin"
    nik_age = _age_on("nik_born", ctx.usia_day)
    age_differs = f"tanggal_lahir IS NULL AND usia IS NOT NULL AND nik_born IS NOT NULL AND abs({nik_age} - usia) > 1"
    row_date = f"concat_ws('-', {_shown('lahir_hari', 2)}, {_shown('lahir_bulan', 2)}, {_shown('lahir_tahun', 4)})"
    nik_date = f"concat_ws('-', {_shown(day, 2)}, {_shown('nik_mm', 2)}, {_shown('nik_yy', 2)})"
    date_text = message(MISMATCH_DATE, nik=nik_date, row=row_date)
    sex_text = message(
        MISMATCH_SEX, nik="CASE nik_sex WHEN 'P' THEN 'P' ELSE 'L' END", dd="substr(nik_d, 7, 2)", row="jenis_kelamin"
    )
    age_text = message(MISMATCH_AGE, nik=nik_age, row="usia")
    detail = f"concat_ws('; ', CASE WHEN {date_differs} THEN {date_text} END, CASE WHEN {sex_differs} THEN {sex_text} END, CASE WHEN {age_differs} THEN {age_text} END)"
    return f"""SELECT rid, NULL, kode_kelurahan, tps, {detail} FROM v
        WHERE nik_shape AND len(nik_date_problems) = 0 AND (({date_differs}) OR ({sex_differs}) OR ({age_differs}))"""


def nik_tidak_cocok_checkable(ctx: Context) -> str:
    nothing = (
        "jenis_kelamin IS NULL AND lahir_tahun IS NULL AND lahir_bulan IS NULL AND lahir_hari IS NULL AND usia IS NULL"
    )
    return f"""coalesce({_number_state("nik")}, CASE WHEN substr(nik_d, 7, 6) = '******' THEN 'nik_tersembunyi'
        WHEN len(nik_date_problems) > 0 THEN 'nik_tanggal_salah' WHEN {nothing} THEN 'tanpa_pembanding' END)"""


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
        WITH shared AS (SELECT nik_d FROM v WHERE nik_full AND NOT sudah_tms GROUP BY nik_d HAVING count(*) > 1),
        rows AS (
            SELECT v.rid, v.nik_d, v.record_id, v.kode_kelurahan, v.tps, coalesce(c.cluster_rid, v.rid) AS person
            FROM v LEFT JOIN clusters c USING (rid)
            WHERE v.nik_full AND NOT v.sudah_tms AND v.nik_d IN (SELECT nik_d FROM shared)
        ),
        per_nik AS (
            SELECT nik_d, count(*) AS n, string_agg(record_id, ', ' ORDER BY rid) AS ids, count(DISTINCT person) AS people
            FROM rows GROUP BY nik_d
        )
        SELECT r.rid, r.nik_d, r.kode_kelurahan, r.tps, CASE WHEN people = 1 THEN {same} ELSE {other} END
        FROM rows r JOIN per_nik USING (nik_d)"""


def nik_ganda_checkable(ctx: Context) -> str:
    """A number with hidden digits is not an identity: it is never compared."""
    return f"""coalesce({_number_state("nik")},
        CASE WHEN NOT nik_full THEN 'nik_tersembunyi' WHEN sudah_tms THEN 'sudah_tms' END)"""


def not_struck(ctx: Context) -> str:
    """Rows KPU already struck as TMS are not checked again (duplicates)."""
    return "CASE WHEN sudah_tms THEN 'sudah_tms' END"


def with_ages(ctx: Context) -> str:
    """``v`` with what each row tells of its age on election day, the ground of the age checks and their coverage:
    ``age_date`` from a full birth date; ``usia_min`` and ``usia_max`` from ``usia`` (a person of age *u* on the
    day usia counts to was born in the year up to that day *u* years back); ``tahun_min`` and ``tahun_max`` from
    the visible year (and month) of a birth date with hidden parts."""
    day = f"DATE '{ctx.usia_day.isoformat()}'"
    latest_usia = f"CAST({day} - to_years(usia) AS DATE)"
    earliest_usia = f"CAST({day} - to_years(usia + 1) + INTERVAL 1 DAY AS DATE)"
    earliest_year = "make_date(lahir_tahun, coalesce(lahir_bulan, 1), 1)"
    latest_year = "last_day(make_date(lahir_tahun, coalesce(lahir_bulan, 12), 1))"
    partial = "tanggal_lahir IS NULL AND"
    return f"""SELECT *, CASE WHEN tanggal_lahir IS NOT NULL THEN {_age("tanggal_lahir", ctx)} END AS age_date,
        CASE WHEN {partial} usia IS NOT NULL THEN {_age(latest_usia, ctx)} END AS usia_min,
        CASE WHEN {partial} usia IS NOT NULL THEN {_age(earliest_usia, ctx)} END AS usia_max,
        CASE WHEN {partial} lahir_tahun IS NOT NULL THEN {_age(latest_year, ctx)} END AS tahun_min,
        CASE WHEN {partial} lahir_tahun IS NOT NULL THEN {_age(earliest_year, ctx)} END AS tahun_max
        FROM v"""


def _age_basis(test: Callable[[str], str]) -> str:
    """What settles ``test`` (an age condition) for a row: the full birth date, else ``usia`` when every age it
    allows gives the same answer, else the visible birth year likewise; NULL when nothing does."""
    return f"""CASE WHEN age_date IS NOT NULL THEN 'tanggal'
        WHEN ({test("usia_min")}) = ({test("usia_max")}) THEN 'usia'
        WHEN ({test("tahun_min")}) = ({test("tahun_max")}) THEN 'tahun' END"""


BASIS_DATE = ("menurut tanggal lahir", "by the birth date")
BASIS_USIA = ("menurut usia di daftar: {usia} tahun per {day}", "by the list's age: {usia} on {day}")
BASIS_USIA_ASSUMED = (
    "menurut usia di daftar: {usia} tahun, dianggap per hari pemungutan suara karena tanggal acuannya tidak diketahui",
    "by the list's age: {usia}, taken as of election day as the day it counts to is unknown",
)
BASIS_YEAR = ("menurut tahun lahir {year}", "by the birth year {year}")


def _age_finding(ctx: Context, test: Callable[[str], str], where: str) -> str:
    """The rows of :func:`with_ages` (not struck as TMS, meeting ``where``) whose age certainly meets ``test``, with
    ``age`` (the age, or its range when only usia or the year tell it) and ``basis`` (which of them said so)."""
    usia = (
        message(BASIS_USIA_ASSUMED, usia="usia")
        if ctx.usia_date is None
        else message(BASIS_USIA, usia="usia", day=f"'{ctx.usia_day:%d-%m-%Y}'")
    )
    low = "CASE basis WHEN 'tanggal' THEN age_date WHEN 'usia' THEN usia_min ELSE tahun_min END"
    high = "CASE basis WHEN 'tanggal' THEN age_date WHEN 'usia' THEN usia_max ELSE tahun_max END"
    basis_text = f"""CASE basis WHEN 'tanggal' THEN {message(BASIS_DATE)} WHEN 'usia' THEN {usia}
        ELSE {message(BASIS_YEAR, year="lahir_tahun")} END"""
    settled = f"SELECT *, {_age_basis(test)} AS basis FROM ({with_ages(ctx)}) WHERE NOT sudah_tms AND {where}"
    bounded = f"SELECT *, {low} AS low, {high} AS high FROM ({settled}) WHERE basis IS NOT NULL"
    return f"""SELECT *, CASE WHEN low = high THEN CAST(low AS VARCHAR) ELSE low || '–' || high END AS age_text,
            {basis_text} AS basis_text
        FROM ({bounded}) WHERE {test("low")}"""


def _age_checkable(test: Callable[[str], str], married_settles: bool) -> Callable[[Context], str]:
    married = "WHEN coalesce(status_kawin, 'B') <> 'B' THEN NULL" if married_settles else ""

    def checkable(ctx: Context) -> str:
        return f"""CASE WHEN sudah_tms THEN 'sudah_tms' {married}
            WHEN ({_age_basis(test)}) IS NOT NULL THEN NULL
            WHEN usia IS NOT NULL OR lahir_tahun IS NOT NULL THEN 'umur_tidak_pasti'
            WHEN lahir_tersembunyi THEN 'tanggal_lahir_tersembunyi' ELSE 'tanggal_lahir_kosong' END"""

    return checkable


def _under_17(age: str) -> str:
    return f"{age} < 17"


def _over_100(age: str) -> str:
    return f"{age} >= 100"


UNDER_AGE = (
    "berumur {age} tahun pada hari pemungutan suara {e} ({basis}) dan status kawin {status}",
    "{age} years old on election day {e} ({basis}) and marital status {status}",
)


def di_bawah_umur(ctx: Context) -> str:
    detail = message(
        UNDER_AGE,
        age="age_text",
        e=f"'{ctx.election_date:%d-%m-%Y}'",
        basis="basis_text",
        status="coalesce(status_kawin, '-')",
    )
    found = _age_finding(ctx, _under_17, "coalesce(status_kawin, 'B') = 'B'")
    return f"SELECT rid, NULL, kode_kelurahan, tps, {detail} FROM ({found})"


VERY_OLD = (
    "berumur {age} tahun pada hari pemungutan suara ({basis}): periksa apakah masih hidup",
    "{age} years old on election day ({basis}): check the person is alive",
)


def usia_tidak_wajar(ctx: Context) -> str:
    found = _age_finding(ctx, _over_100, "true")
    return (
        f"SELECT rid, NULL, kode_kelurahan, tps, {message(VERY_OLD, age='age_text', basis='basis_text')} FROM ({found})"
    )


INCOMPLETE = ("kolom kosong: {fields}", "empty fields: {fields}")


def data_tidak_lengkap(ctx: Context) -> str:
    fields = (
        "concat_ws(', ', CASE WHEN nama IS NULL THEN 'nama' END, "
        "CASE WHEN tanggal_lahir IS NULL AND NOT lahir_tersembunyi AND usia IS NULL THEN 'tanggal_lahir' END, "
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
        FROM (SELECT kode_kelurahan, tps, count(*) AS n FROM v
              WHERE kode_kelurahan IS NOT NULL AND tps IS NOT NULL AND NOT sudah_tms
              GROUP BY ALL HAVING count(*) > {int(ctx.max_per_tps)})"""


def placed(ctx: Context) -> str:
    """Where a voter votes matters only for a row with a kelurahan and a TPS that KPU has not struck."""
    return "CASE WHEN sudah_tms THEN 'sudah_tms' WHEN kode_kelurahan IS NULL OR tps IS NULL THEN 'tps_kosong' END"


SPLIT_HOUSEHOLD = (
    "satu KK terbagi di {n} TPS dalam kelurahan ini: {where}",
    "one household split over {n} TPS in this kelurahan: {where}",
)


def kk_terpisah(ctx: Context) -> str:
    where = "string_agg('TPS ' || lpad(CAST(tps AS VARCHAR), 3, '0') || ' (' || people || ')', ', ' ORDER BY tps)"
    # Split households are found by comparing their lowest and highest TPS; only their rows are then counted per TPS.
    return f"""
        WITH placed AS (
            SELECT rid, kode_kelurahan, nkk_d, tps FROM v
            WHERE nkk_full AND kode_kelurahan IS NOT NULL AND tps IS NOT NULL AND NOT sudah_tms
        ),
        households AS (SELECT kode_kelurahan, nkk_d FROM placed GROUP BY ALL HAVING min(tps) <> max(tps)),
        split_rows AS (SELECT * FROM placed WHERE (kode_kelurahan, nkk_d) IN (SELECT (kode_kelurahan, nkk_d) FROM households)),
        per_tps AS (SELECT kode_kelurahan, nkk_d, tps, count(*) AS people FROM split_rows GROUP BY ALL),
        split AS (SELECT kode_kelurahan, nkk_d, count(*) AS n, {where} AS spread FROM per_tps GROUP BY ALL)
        SELECT p.rid, p.nkk_d, p.kode_kelurahan, p.tps, {message(SPLIT_HOUSEHOLD, n="s.n", where="s.spread")}
        FROM split_rows p JOIN split s USING (kode_kelurahan, nkk_d)"""


def kk_terpisah_checkable(ctx: Context) -> str:
    return f"""coalesce({_number_state("nkk")}, CASE WHEN NOT nkk_full THEN 'nkk_tersembunyi' END, {placed(ctx)})"""


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
        WITH placed AS (
            SELECT * FROM v
            WHERE kode_kelurahan IS NOT NULL AND tps IS NOT NULL AND rt IS NOT NULL AND rw IS NOT NULL AND NOT sudah_tms
        ),
        per_tps AS (SELECT kode_kelurahan, rw, rt, tps, count(*) AS here FROM placed GROUP BY ALL),
        per_rt AS (SELECT kode_kelurahan, rw, rt, sum(here) AS n, max(here) AS main_n, arg_max(tps, here) AS main_tps FROM per_tps GROUP BY ALL)
        SELECT p.rid, p.kode_kelurahan || '/RW' || lpad(CAST(p.rw AS VARCHAR), 3, '0') || '/RT' || lpad(CAST(p.rt AS VARCHAR), 3, '0'),
               p.kode_kelurahan, p.tps, {detail}
        FROM placed p JOIN per_tps t USING (kode_kelurahan, rw, rt, tps) JOIN per_rt r USING (kode_kelurahan, rw, rt)
        WHERE t.here < r.main_n AND r.n - 1 >= {MIN_OTHERS_IN_RT} AND r.main_n >= {RT_MAJORITY} * (r.n - 1)"""


def tps_tidak_sesuai_rt_checkable(ctx: Context) -> str:
    return f"coalesce({placed(ctx)}, CASE WHEN rt IS NULL OR rw IS NULL THEN 'rt_kosong' END)"


def registry(threshold: float) -> tuple[Check, ...]:
    """The checks in the order findings are written."""
    return (
        Check(
            "NIK_FORMAT", None, ("NIK salah format atau rusak Excel", "NIK malformed or mangled by Excel"), nik_format
        ),
        Check(
            "NIK_WILAYAH",
            None,
            ("Kode wilayah NIK tidak dikenal", "Unknown NIK region code"),
            nik_wilayah,
            nik_wilayah_checkable,
        ),
        Check(
            "NIK_TANGGAL",
            None,
            ("Tanggal di NIK mustahil", "Impossible date in NIK"),
            nik_tanggal,
            nik_tanggal_checkable,
        ),
        Check(
            "NIK_TIDAK_COCOK",
            None,
            ("NIK tidak cocok dengan tanggal lahir/jenis kelamin", "NIK disagrees with birth date/sex"),
            nik_tidak_cocok,
            nik_tidak_cocok_checkable,
        ),
        Check(
            "NIK_GANDA",
            None,
            ("NIK sama di lebih dari satu baris", "Same NIK on more than one row"),
            nik_ganda,
            nik_ganda_checkable,
        ),
        Check(
            "PEMILIH_GANDA",
            2,
            ("Pemilih terdaftar lebih dari sekali", "Voter registered more than once"),
            pemilih_ganda(threshold),
            not_struck,
        ),
        Check(
            "DI_BAWAH_UMUR",
            3,
            ("Belum 17 tahun dan belum kawin", "Under 17 and never married"),
            di_bawah_umur,
            _age_checkable(_under_17, married_settles=True),
        ),
        Check(
            "USIA_TIDAK_WAJAR",
            1,
            ("Berumur 100 tahun atau lebih", "Aged 100 or more"),
            usia_tidak_wajar,
            _age_checkable(_over_100, married_settles=False),
        ),
        Check("DATA_TIDAK_LENGKAP", None, ("Data wajib kosong", "Required data missing"), data_tidak_lengkap),
        Check("TPS_PENUH", None, ("TPS melebihi jumlah maksimum pemilih", "TPS above the maximum"), tps_penuh, placed),
        Check(
            "KK_TERPISAH",
            None,
            ("Satu KK terbagi di beberapa TPS", "Household split across TPS"),
            kk_terpisah,
            kk_terpisah_checkable,
        ),
        Check(
            "TPS_TIDAK_SESUAI_RT",
            8,
            ("TPS tidak sesuai RT", "TPS does not match the RT"),
            tps_tidak_sesuai_rt,
            tps_tidak_sesuai_rt_checkable,
        ),
        Check("NKK_FORMAT", None, ("NKK salah format atau wilayah", "NKK malformed or unknown region"), nkk_format),
    )
