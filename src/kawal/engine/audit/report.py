"""``summary.json`` and the self-contained ``report.html`` of an audit.

The report is one HTML file with inline CSS and SVG charts, readable offline on any phone or laptop. Example
rows show NIK and NKK masked as KPU publishes them.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

import duckdb

from kawal import __version__
from kawal.engine.audit.checks import NOT_CHECKABLE, Check, Context, every_row, with_ages
from kawal.engine.importer import RECORD_ID_NOTES
from kawal.engine.snapshots import Snapshot
from kawal.i18n import number, t

if TYPE_CHECKING:
    from kawal.engine.audit import AuditResult
    from kawal.engine.audit.duplicates import Linkage

EXAMPLES_PER_CHECK = 5
WORST = 15


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _by_unit(con: duckdb.DuckDBPyConnection, keys: str, name: str) -> list[dict]:
    """Voters, rows with at least one finding, and findings per check, for each unit (rows without a unit too)."""
    key_list = [k.strip() for k in keys.split(",")]
    joined = " AND ".join(f"voters.{k} IS NOT DISTINCT FROM {{t}}.{k}" for k in key_list)
    return _rows(
        con,
        f"""
        WITH voters AS (SELECT {keys}, any_value({name}) AS nama, count(*) AS pemilih FROM v GROUP BY ALL),
        flagged AS (SELECT {keys}, count(DISTINCT rid) AS baris_bermasalah FROM findings WHERE rid IS NOT NULL GROUP BY ALL),
        per_check AS (SELECT {keys}, map(list("check"), list(n)) AS temuan FROM (
            SELECT {keys}, "check", count(*) AS n FROM findings GROUP BY ALL) GROUP BY ALL)
        SELECT voters.*, coalesce(flagged.baris_bermasalah, 0) AS baris_bermasalah,
               round(coalesce(flagged.baris_bermasalah, 0) / voters.pemilih, 4) AS rasio, per_check.temuan
        FROM voters LEFT JOIN flagged ON {joined.format(t="flagged")} LEFT JOIN per_check ON {joined.format(t="per_check")}
        ORDER BY ALL
        """,
    )


def coverage(con: duckdb.DuckDBPyConnection, checks: tuple[Check, ...], ctx: Context) -> dict[str, dict]:
    """Per check, how many rows it could decide (``checkable_rows``) and why the others not (``not_checkable``:
    reason code -> rows), from each check's own condition, in one pass over the list."""
    judged = [c for c in checks if c.checkable is not every_row]
    reasons = ", ".join(f"({c.checkable(ctx)}) AS r{i}" for i, c in enumerate(judged))
    counts = ", ".join(f"count(*) FILTER (r{i} IS NULL), histogram(r{i})" for i in range(len(judged)))
    sql = f"SELECT count(*), {counts} FROM (SELECT {reasons} FROM ({with_ages(ctx)}))"
    row = cast(tuple[Any, ...], con.execute(sql).fetchone())  # an aggregate query: always one row
    total = row[0]
    result = {c.code: {"checkable_rows": total, "not_checkable": {}} for c in checks}
    for i, check in enumerate(judged):
        why = row[2 + 2 * i] or {}
        result[check.code] = {"checkable_rows": row[1 + 2 * i], "not_checkable": dict(sorted(why.items()))}
    return result


def _struck(con: duckdb.DuckDBPyConnection) -> tuple[int, dict[str, int]]:
    """Rows KPU already struck as TMS (kept, not checked again), and how many per TMS code."""
    n, per_code = cast(  # an aggregate query: always one row
        tuple[Any, ...],
        con.execute("SELECT count(*) FILTER (sudah_tms), histogram(tms_kode) FILTER (sudah_tms) FROM v").fetchone(),
    )
    return n, {str(k): v for k, v in sorted((per_code or {}).items(), key=lambda kv: (kv[0] is None, kv[0] or 0))}


def build_summary(
    con: duckdb.DuckDBPyConnection,
    result: AuditResult,
    snapshots: list[Snapshot],
    checks: tuple[Check, ...],
    ctx: Context,
    linkage: Linkage,
) -> dict:
    per_check = {
        r["check"]: r
        for r in _rows(
            con, 'SELECT "check", count(*) AS findings, count(DISTINCT rid) AS rows FROM findings GROUP BY ALL'
        )
    }
    covered = coverage(con, checks, ctx)
    struck, struck_codes = _struck(con)
    return {
        "kawal_version": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "election_date": ctx.election_date.isoformat(),
        "usia_date": ctx.usia_day.isoformat(),
        "usia_date_assumed": ctx.usia_date is None,
        "max_per_tps": ctx.max_per_tps,
        "duplicate_threshold": linkage.threshold,
        "duplicates": linkage.as_dict(),
        "rows_in": result.rows_in,
        "audited": result.audited,
        "rejected": result.rejected,
        "reconciled": result.rows_in == result.audited + result.rejected,
        "sudah_tms": struck,
        "sudah_tms_per_kode": struck_codes,
        "inputs": [
            {
                "snapshot": s.name,
                "source": s.meta["source"]["name"],
                "sha256": s.meta["source"]["sha256"],
                # how the findings' record ids name its rows (importer.RECORD_IDS); older snapshots: their NO
                "record_ids": s.meta.get("record_ids", "no"),
                **s.counts,
            }
            for s in snapshots
        ],
        "checks": {
            c.code: {
                "tms": c.tms,
                "title": t(c.title),
                "findings": per_check.get(c.code, {}).get("findings", 0),
                "rows": per_check.get(c.code, {}).get("rows", 0),
                **covered[c.code],
            }
            for c in checks
        },
        "by_kecamatan": _by_unit(con, "kode_kecamatan", "kecamatan"),
        "by_kelurahan": _by_unit(con, "kode_kecamatan, kode_kelurahan", "kelurahan"),
        "by_tps": _by_unit(con, "kode_kelurahan, tps", "kelurahan"),
        "seconds": {k: round(v, 2) for k, v in result.timings.items()},
    }


def write_summary(
    con: duckdb.DuckDBPyConnection,
    result: AuditResult,
    snapshots: list[Snapshot],
    checks: tuple[Check, ...],
    ctx: Context,
    linkage: Linkage,
) -> None:
    summary = build_summary(con, result, snapshots, checks, ctx, linkage)
    result.summary = summary
    (result.out / "summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
    )


# --- HTML ----------------------------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:1rem;color:#1b1b1b}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:2px solid #b71c1c;padding-bottom:.2rem}
.muted{color:#666;font-size:.9rem}.cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:8px;padding:.6rem .9rem;min-width:9rem}.card b{display:block;font-size:1.4rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}th,td{border-bottom:1px solid #eee;padding:.3rem .4rem;text-align:left;vertical-align:top}
th{background:#fafafa}td.n{text-align:right;font-variant-numeric:tabular-nums}.tms{background:#b71c1c;color:#fff;border-radius:4px;padding:0 .3rem}
svg text{font-size:11px;font-family:inherit}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _bar_chart(items: list[tuple[str, float, str]], unit: str = "") -> str:
    """A horizontal bar chart as inline SVG: (label, value, shown value)."""
    if not items:
        return ""
    width, bar_h, label_w = 760, 18, 230
    top = max(v for _, v, _ in items) or 1
    rows = []
    for i, (label, value, shown) in enumerate(items):
        y = i * (bar_h + 6)
        w = (width - label_w - 90) * value / top
        rows.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{_e(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#c62828"><title>{_e(label)}: {_e(shown)}</title></rect>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 13}">{_e(shown)}{unit}</text>'
        )
    height = len(items) * (bar_h + 6)
    return f'<svg viewBox="0 0 {width} {height}" width="100%" role="img">{"".join(rows)}</svg>'


def _examples(con: duckdb.DuckDBPyConnection, check: str) -> list[tuple]:
    return con.execute(
        f"""SELECT f.record_id, v.nama, left(v.nik, 6) || repeat('*', greatest(length(v.nik) - 6, 0)),
                   left(v.nkk, 6) || repeat('*', greatest(length(v.nkk) - 6, 0)), f.kode_kelurahan, f.tps, f.detail
            FROM findings f LEFT JOIN v USING (rid) WHERE f."check" = ? ORDER BY f.kode_kelurahan, f.tps, f.rid
            LIMIT {EXAMPLES_PER_CHECK}""",
        [check],
    ).fetchall()


def _table(headers: list[str], rows: Sequence[Sequence[object]], numeric: AbstractSet[int] = frozenset()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="n">{_e(c)}</td>' if i in numeric else f"<td>{_e(c)}</td>" for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _coverage_text(check: dict, audited: int) -> tuple[str, str]:
    """'bisa diperiksa X dari Y baris' and, for the rest, why not, in plain words."""
    can = t(("{x:,} dari {y:,} baris", "{x:,} of {y:,} rows"), x=check["checkable_rows"], y=audited)
    why = "; ".join(f"{number(n)} {t(NOT_CHECKABLE[code])}" for code, n in check["not_checkable"].items())
    return can, why


def _check_section(con: duckdb.DuckDBPyConnection, summary: dict, checks: tuple[Check, ...]) -> str:
    items = [
        (c.code, summary["checks"][c.code]["findings"], number(summary["checks"][c.code]["findings"])) for c in checks
    ]
    rows = [
        [
            c.code,
            f"TMS {c.tms}" if c.tms else "",
            t(c.title),
            number(summary["checks"][c.code]["findings"]),
            number(summary["checks"][c.code]["rows"]),
            *_coverage_text(summary["checks"][c.code], summary["audited"]),
        ]
        for c in checks
    ]
    headers = [
        t(("Pemeriksaan", "Check")),
        "TMS",
        t(("Arti", "Meaning")),
        t(("Temuan", "Findings")),
        t(("Baris", "Rows")),
        t(("Bisa diperiksa", "Could be checked")),
        t(("Tidak bisa diperiksa karena", "Not checkable because")),
    ]
    return _bar_chart(items) + _table(headers, rows, {3, 4})


def _units_section(summary: dict) -> str:
    kec = sorted(summary["by_kecamatan"], key=lambda r: -r["rasio"])
    unknown = t(("(tanpa kelurahan)", "(no kelurahan)"))
    chart = _bar_chart([(r["nama"] or unknown, r["rasio"] * 100, number(r["rasio"] * 100, ".2f")) for r in kec], "%")
    kel = sorted((r for r in summary["by_kelurahan"] if r["kode_kelurahan"]), key=lambda r: -r["rasio"])[:WORST]
    kel_rows = [
        [
            r["kode_kelurahan"],
            r["nama"],
            number(r["pemilih"]),
            number(r["baris_bermasalah"]),
            f"{number(r['rasio'] * 100, '.2f')}%",
        ]
        for r in kel
    ]
    tps = sorted(
        (r for r in summary["by_tps"] if r["tps"] is not None), key=lambda r: -sum((r["temuan"] or {}).values())
    )[:WORST]
    tps_rows = [
        [
            f"{r['kode_kelurahan']}{int(r['tps']):03d}",
            r["nama"],
            number(r["pemilih"]),
            number(sum((r["temuan"] or {}).values())),
            ", ".join(f"{k} {v}" for k, v in sorted((r["temuan"] or {}).items())),
        ]
        for r in tps
    ]
    voters, flagged, rate = (
        t(("Pemilih", "Voters")),
        t(("Baris bermasalah", "Rows with findings")),
        t(("Rasio", "Rate")),
    )
    return (
        f"<h2>{_e(t(('Rasio baris bermasalah per kecamatan', 'Share of rows with findings per kecamatan')))}</h2>{chart}"
        f"<h2>{_e(t(('Kelurahan terburuk', 'Worst kelurahan')))}</h2>"
        + _table([t(("Kode", "Code")), "Kelurahan", voters, flagged, rate], kel_rows, {2, 3, 4})
        + f"<h2>{_e(t(('TPS dengan temuan terbanyak', 'TPS with the most findings')))}</h2>"
        + _table(
            [t(("Kode TPS", "TPS code")), "Kelurahan", voters, t(("Temuan", "Findings")), t(("Rincian", "Breakdown"))],
            tps_rows,
            {2, 3},
        )
    )


def _examples_section(con: duckdb.DuckDBPyConnection, summary: dict, checks: tuple[Check, ...]) -> str:
    parts = [f"<h2>{_e(t(('Contoh temuan (NIK/NKK disamarkan)', 'Example findings (NIK/NKK masked)')))}</h2>"]
    headers = ["ID", t(("Nama", "Name")), "NIK", "NKK", "Kelurahan", "TPS", t(("Penjelasan", "Explanation"))]
    for c in checks:
        if not summary["checks"][c.code]["findings"]:
            continue
        tms = f' <span class="tms">TMS {c.tms}</span>' if c.tms else ""
        parts.append(
            f"<h3>{_e(c.code)}{tms} — {_e(t(c.title))}</h3>"
            + _table(headers, [list(r) for r in _examples(con, c.code)])
        )
    return "".join(parts)


def _usia_note(ctx: Context) -> str:
    if ctx.usia_date is None:
        return t(
            (
                "Kolom usia dianggap umur pada hari pemungutan suara (tanggal acuannya tidak diketahui); baris yang "
                "sudah dicoret TMS tidak dihitung di TPS dan tidak diperiksa umurnya.",
                "The usia column is taken as the age on election day (the day it counts to is unknown); rows already "
                "struck as TMS are not counted in their TPS and their age is not checked.",
            )
        )
    return t(
        (
            "Kolom usia dihitung per {d}; baris yang sudah dicoret TMS tidak dihitung di TPS dan tidak diperiksa umurnya.",
            "The usia column counts to {d}; rows already struck as TMS are not counted in their TPS and their age is not checked.",
        ),
        d=ctx.usia_day.strftime("%d-%m-%Y"),
    )


def _record_id_note(inputs: list[dict]) -> str:
    """How findings name the rows of an input whose NO does not name one row (see importer.RECORD_IDS)."""
    notes = [t(RECORD_ID_NOTES[i["record_ids"]], s=i["source"]) for i in inputs if i["record_ids"] in RECORD_ID_NOTES]
    return "".join(" " + note for note in notes)


def write_report(con: duckdb.DuckDBPyConnection, result: AuditResult, checks: tuple[Check, ...], ctx: Context) -> None:
    summary = result.summary
    cards = [
        (t(("Baris masuk", "Rows in")), number(summary["rows_in"])),
        (t(("Diaudit", "Audited")), number(summary["audited"])),
        (t(("Ditolak", "Rejected")), number(summary["rejected"])),
        (t(("Temuan", "Findings")), number(sum(c["findings"] for c in summary["checks"].values()))),
        (t(("Pemilih ganda (baris)", "Duplicate voters (rows)")), number(summary["checks"]["PEMILIH_GANDA"]["rows"])),
        (t(("Sudah TMS (dicoret KPU)", "Already TMS (struck by KPU)")), number(summary["sudah_tms"])),
    ]
    card_html = "".join(f'<div class="card">{_e(label)}<b>{_e(value)}</b></div>' for label, value in cards)
    title = t(("Laporan audit daftar pemilih", "Voter-list audit report"))
    sources = ", ".join(i["source"] for i in summary["inputs"])
    meta = t(
        (
            "Sumber: {s}. Hari pemungutan suara {e}; maksimum {m} pemilih per TPS; pemilih ganda bila peluangnya ≥ {th}. Dibuat {c} oleh kawal {v}.",
            "Source: {s}. Election day {e}; at most {m} voters per TPS; duplicates linked at a probability ≥ {th}. Made {c} by kawal {v}.",
        ),
        s=sources,
        e=ctx.election_date.strftime("%d-%m-%Y"),
        m=ctx.max_per_tps,
        th=summary["duplicate_threshold"],
        c=summary["created_at"],
        v=__version__,
    )
    meta += " " + _usia_note(ctx) + _record_id_note(summary["inputs"])
    document = (
        f'<!doctype html><html lang="{_e(t(("id", "en")))}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body><h1>{_e(title)}</h1><p class=muted>{_e(meta)}</p>"
        f'<div class="cards">{card_html}</div><h2>{_e(t(("Temuan per pemeriksaan", "Findings per check")))}</h2>'
        f"{_check_section(con, summary, checks)}{_units_section(summary)}{_examples_section(con, summary, checks)}</body></html>"
    )
    (result.out / "report.html").write_text(document, encoding="utf-8")
