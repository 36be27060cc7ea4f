"""Statistical screens: not errors on the form, but numbers worth a second look. Each is documented in
``docs/results.md``; thresholds are deliberately wide so a flag means something.

- PARTISIPASI_MENYIMPANG: a TPS whose turnout is far from the other TPS of its kelurahan (at least 5 with a
  turnout): robust z = (x − median) / (1.4826 × MAD) beyond ±4 *and* at least 15 points from the median.
- PASLON_HAMPIR_100: one paslon has ≥ 98% of the valid votes of a TPS with at least 50 valid votes.
- TIDAK_SAH_MENYIMPANG: a TPS whose share of invalid votes is above its kecamatan's median by more than
  4 × 1.4826 × MAD and by at least 5 points (kecamatan with at least 10 TPS).
- DIGIT_AKHIR (per kecamatan; ``kode_tps`` holds the 6-digit kecamatan code): the last digits of paslon votes
  of 10 or more should be near uniform; a chi-square above 27.88 (9 degrees of freedom, p < 0.001) over at least
  100 counts is flagged.
"""

from __future__ import annotations

from kawal.engine.sql import message

ROBUST = 1.4826  # MAD → standard deviation for a normal distribution
CHI2_9DF_P001 = 27.877


def _paslon_columns(paslon: int) -> list[str]:
    return [f"suara_paslon_{i}" for i in range(1, paslon + 1)]


def screens_sql(paslon: int) -> str:
    parts = [_turnout_sql(), _invalid_sql()]
    if paslon >= 2:
        parts.append(_landslide_sql(paslon))
    if paslon:
        parts.append(_last_digit_sql(paslon))
    return " UNION ALL ".join(parts)


def _turnout_sql() -> str:
    detail = message(
        (
            "partisipasi {x}% sedangkan median kelurahan {m}% ({n} TPS)",
            "turnout {x}% while the kelurahan median is {m}% ({n} TPS)",
        ),
        x="round(100 * x, 1)",
        m="round(100 * med, 1)",
        n="n",
    )
    return f"""SELECT kode_tps, 'PARTISIPASI_MENYIMPANG' AS rule, {detail} AS detail FROM (
        SELECT kode_tps, x, median(x) OVER k AS med, mad(x) OVER k AS spread, count(x) OVER k AS n
        FROM (SELECT kode_tps, coalesce(suara_sah_dan_tidak_sah, pengguna_total)::DOUBLE / dpt AS x FROM r
              WHERE dpt > 0 AND coalesce(suara_sah_dan_tidak_sah, pengguna_total) IS NOT NULL)
        WINDOW k AS (PARTITION BY substr(kode_tps, 1, 10)))
    WHERE n >= 5 AND abs(x - med) >= 0.15 AND abs(x - med) > 4 * {ROBUST} * spread"""


def _invalid_sql() -> str:
    detail = message(
        (
            "suara tidak sah {x}% sedangkan median kecamatan {m}%",
            "invalid votes {x}% while the kecamatan median is {m}%",
        ),
        x="round(100 * x, 1)",
        m="round(100 * med, 1)",
    )
    return f"""SELECT kode_tps, 'TIDAK_SAH_MENYIMPANG', {detail} FROM (
        SELECT kode_tps, x, median(x) OVER k AS med, mad(x) OVER k AS spread, count(x) OVER k AS n
        FROM (SELECT kode_tps, suara_tidak_sah::DOUBLE / suara_sah_dan_tidak_sah AS x FROM r
              WHERE suara_sah_dan_tidak_sah > 0 AND suara_tidak_sah IS NOT NULL)
        WINDOW k AS (PARTITION BY substr(kode_tps, 1, 6)))
    WHERE n >= 10 AND x - med >= 0.05 AND x - med > 4 * {ROBUST} * spread"""


def _landslide_sql(paslon: int) -> str:
    columns = _paslon_columns(paslon)
    top = f"greatest({', '.join(columns)})"
    which = " ".join(f"WHEN {c} = {top} THEN {i}" for i, c in enumerate(columns, start=1))
    detail = message(
        ("paslon {p} mendapat {x}% dari {n} suara sah", "paslon {p} has {x}% of {n} valid votes"),
        p=f"CASE {which} END",
        x=f"round(100 * {top} / ({' + '.join(columns)}), 1)",
        n=f"({' + '.join(columns)})",
    )
    present = " AND ".join(f"{c} IS NOT NULL" for c in columns)
    return f"""SELECT kode_tps, 'PASLON_HAMPIR_100', {detail} FROM r
        WHERE {present} AND ({" + ".join(columns)}) >= 50 AND {top} >= 0.98 * ({" + ".join(columns)})"""


def _last_digit_sql(paslon: int) -> str:
    votes = " UNION ALL ".join(f"SELECT kode_tps, {c} AS v FROM r" for c in _paslon_columns(paslon))
    detail = message(
        (
            "digit terakhir suara paslon tidak merata: chi-kuadrat {c} dari {n} angka (batas {k}, p < 0,001)",
            "last digits of paslon votes are uneven: chi-square {c} over {n} counts (limit {k}, p < 0.001)",
        ),
        c="round(chi2, 1)",
        n="n",
        k=f"'{CHI2_9DF_P001}'",
    )
    return f"""SELECT kecamatan, 'DIGIT_AKHIR', {detail} FROM (
        SELECT kecamatan, sum(power(k - e, 2) / e) AS chi2, any_value(total) AS n FROM (
            SELECT kecamatan, d, count(v) AS k, sum(count(v)) OVER (PARTITION BY kecamatan) AS total,
                   sum(count(v)) OVER (PARTITION BY kecamatan) / 10.0 AS e
            FROM (SELECT substr(kode_tps, 1, 6) AS kecamatan, v % 10 AS d, v FROM ({votes}) WHERE v >= 10) AS x
            RIGHT JOIN (SELECT DISTINCT substr(kode_tps, 1, 6) AS kecamatan, d FROM r, range(10) AS digits(d)) USING (kecamatan, d)
            GROUP BY kecamatan, d)
        GROUP BY kecamatan)
    WHERE n >= 100 AND chi2 > {CHI2_9DF_P001}"""
