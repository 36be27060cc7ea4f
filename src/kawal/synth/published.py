"""A generated list written the way KPU publishes it for tanggapan masyarakat and hands to observers.

The published copy shows the first 6 digits of NIK and NKK and hides the rest (Pilkada 2020's practice; KPU's
2024 rules say NIK, NKK and birth date are shown only in part), hides the day and month of the birth date, and
adds the voter's age on the reference day. Offices differ in the mask character and in whether the month shows,
so both are choices here. Every other column, and the row order, stays as generated: the truth files of the
generated list (``truth.csv``, ``pairs.csv``) still describe the published one, row for row.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from kawal.engine.elections import PILKADA_2024
from kawal.engine.sql import connect, literal

DateForm = Literal["year", "month", "mixed"]
VISIBLE_DIGITS = 6  # province, kabupaten/kota and kecamatan of the NIK: what Pilkada 2020's copies showed
# How a birth date is printed when its day and month are hidden ("year"), when the month shows ("month"), and,
# for "mixed", the forms rotated by row as copies from several offices would be.
YEAR_ONLY = "'**-**-' || y"
MONTH_SHOWN = "'**-' || m || '-' || y"
MIXED = ("'**-**-' || y", "'XX/XX/' || y", "'xx-' || m || '-' || y", "y")


def publish(
    dpt: Path,
    out: Path,
    *,
    date_form: DateForm = "year",
    mask: str = "*",
    reference_day: date = PILKADA_2024.day,
) -> int:
    """Write ``dpt`` (a generated list) to ``out`` in published form; returns the number of rows written."""
    con = connect()
    con.execute(f"CREATE TABLE d AS SELECT * FROM read_csv({literal(dpt)}, all_varchar = true)")
    hidden = literal(mask * (16 - VISIBLE_DIGITS))
    con.execute(
        f"""CREATE TABLE p AS
        SELECT d.* EXCLUDE (born, y, m) REPLACE (
                   CASE WHEN length(nik) = 16 THEN left(nik, {VISIBLE_DIGITS}) || {hidden} ELSE nik END AS nik,
                   CASE WHEN length(nkk) = 16 THEN left(nkk, {VISIBLE_DIGITS}) || {hidden} ELSE nkk END AS nkk,
                   CASE WHEN born IS NULL THEN tanggal_lahir ELSE {_date_expression(date_form)} END AS tanggal_lahir),
               CASE WHEN born IS NOT NULL THEN {_age_on("born", reference_day)} END AS usia
        FROM (SELECT *, try_strptime(tanggal_lahir, '%d-%m-%Y')::DATE AS born,
                     strftime(try_strptime(tanggal_lahir, '%d-%m-%Y'), '%Y') AS y,
                     strftime(try_strptime(tanggal_lahir, '%d-%m-%Y'), '%m') AS m FROM d) d"""
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY (SELECT * FROM p ORDER BY CAST(id AS BIGINT)) TO {literal(out)} (HEADER)")
    rows = int(con.execute("SELECT count(*) FROM p").fetchone()[0])  # type: ignore[index]
    con.close()
    return rows


def _date_expression(form: DateForm) -> str:
    if form == "year":
        return YEAR_ONLY
    if form == "month":
        return MONTH_SHOWN
    cases = " ".join(f"WHEN {i} THEN {text}" for i, text in enumerate(MIXED))
    return f"CASE CAST(id AS BIGINT) % {len(MIXED)} {cases} END"


def _age_on(born: str, day: date) -> str:
    """Completed years on ``day``."""
    after = day.month * 100 + day.day
    return f"({day.year} - year({born}) - CASE WHEN month({born}) * 100 + day({born}) > {after} THEN 1 ELSE 0 END)"
