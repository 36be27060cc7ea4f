"""``kawal sample plan | draw | estimate``: the statistical voter-list audit from the command line."""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from rich.table import Table

from kawal.cli.common import DATA_HELP, Sub, console
from kawal.engine import (
    NONRESPONSE,
    RECORD_OUTCOMES,
    SAMPLE_STRATA,
    SAMPLE_UNITS,
    Estimate,
    SampleCluster,
    Snapshot,
    SnapshotStore,
    StratumPlan,
    decoded_text,
    draw_from,
    estimate_clusters,
    estimate_records,
    interval_svg,
    match_table,
    people_plan,
    sample_size,
    snapshot_strata,
    stratified_plan,
    write_estimates_csv,
    write_sample,
)
from kawal.i18n import KawalError, number, t

OUTCOMES_BAD = (
    "{f} baris {r}: kolom {c} berisi {v!r}; pilih salah satu: {ok}",
    "{f} row {r}: column {c} holds {v!r}; choose one of: {ok}",
)


def register_sample(sub: Sub) -> None:
    p = sub.add_parser(
        "sample",
        help=t(("audit daftar dengan sampel acak dan selang kepercayaan", "audit a list with a random sample and CIs")),
    )
    steps = p.add_subparsers(dest="sample_command", metavar="LANGKAH" if t(("id", "en")) == "id" else "STEP")
    _register_plan(steps)
    _register_draw(steps)
    _register_estimate(steps)
    p.set_defaults(handler=lambda _args: p.print_help() or 2)  # type: ignore[func-returns-value]  # help, then exit 2


def _precision_args(p: argparse.ArgumentParser, margin_required: bool) -> None:
    p.add_argument(
        "--margin",
        type=float,
        required=margin_required,
        help=t(("margin kesalahan, mis. 0.02 untuk ±2 poin", "margin of error, e.g. 0.02 for ±2 points")),
    )
    p.add_argument("--confidence", type=float, default=0.95, help=t(("tingkat kepercayaan", "confidence level")))
    p.add_argument("--rate", type=float, default=0.05, help=t(("perkiraan tingkat kesalahan", "expected error rate")))
    p.add_argument(
        "--nonresponse",
        type=float,
        default=0.0,
        help=t(("perkiraan bagian yang tak terjangkau", "expected share not reached")),
    )
    p.add_argument(
        "--per-stratum",
        action="store_true",
        help=t(("margin berlaku untuk tiap strata", "the margin holds in every stratum")),
    )


def _list_args(p: argparse.ArgumentParser, required: bool) -> None:
    p.add_argument(
        "list",
        nargs=None if required else "?",
        metavar="LIST",
        help=t(("file daftar pemilih atau snapshot", "voter-list file or snapshot")),
    )
    p.add_argument(
        "--by",
        choices=tuple(SAMPLE_STRATA),
        default="kecamatan",
        help=t(("strata (bawaan: kecamatan)", "strata (default: kecamatan)")),
    )
    p.add_argument(
        "--unit",
        choices=SAMPLE_UNITS,
        default="record",
        help=t(
            (
                "record: daftar → orang; rt: orang → daftar dan cakupan coklit",
                "record: list → people; rt: people → list and coklit coverage",
            )
        ),
    )
    p.add_argument("--data", help=t(DATA_HELP))


# --- plan ------------------------------------------------------------------------------------------------------


def _register_plan(steps: Sub) -> None:
    p = steps.add_parser("plan", help=t(("hitung ukuran sampel", "work out the sample size")))
    _precision_args(p, margin_required=True)
    _list_args(p, required=False)
    p.add_argument("--population", type=int, help=t(("besar populasi (tanpa LIST)", "population size (without LIST)")))
    p.add_argument("--people-per-rt", type=int, default=10, help=t(("orang ditemui per RT", "people met per RT")))
    p.add_argument("--icc", type=float, default=0.05, help=t(("korelasi dalam RT", "intra-RT correlation")))
    p.set_defaults(handler=cmd_plan)


def cmd_plan(args: argparse.Namespace) -> int:
    if args.list:
        with _listed(args.list, args.data) as snapshot:
            counted = snapshot_strata(snapshot.voters_path, args.unit, args.by)
        strata = {k: units for k, (units, _v) in counted.items()}
        plans = stratified_plan(strata, args.margin, args.confidence, args.rate, args.nonresponse, args.per_stratum)
        _print_plan(plans)
    else:
        size = sample_size(args.margin, args.confidence, args.rate, args.population, args.nonresponse)
        console.print(
            t(
                (
                    "Daftar → orang: {n:,} catatan dengan hasil ({v:,} dikunjungi dengan cadangan tak terjangkau)",
                    "List → people: {n:,} records with an outcome ({v:,} to visit, allowing for non-response)",
                ),
                n=size.n,
                v=size.to_visit,
            )
        )
    people = people_plan(args.margin, args.confidence, args.rate, args.people_per_rt, args.icc, args.nonresponse)
    console.print(
        t(
            (
                "Orang → daftar: {p:,} orang di {r:,} RT ({k} per RT, efek desain {d})",
                "People → list: {p:,} people in {r:,} RT ({k} per RT, design effect {d})",
            ),
            p=people.people,
            r=people.rts,
            k=people.people_per_rt,
            d=people.design_effect,
        )
    )
    return 0


def _print_plan(plans: list[StratumPlan]) -> None:
    table = Table(t(("Strata", "Stratum")), "N", "n", t(("Dikunjungi", "To visit")))
    for p in plans:
        table.add_row(p.stratum, number(p.population), number(p.n), number(p.to_visit))
    table.add_row(
        t(("Jumlah", "Total")),
        number(sum(p.population for p in plans)),
        number(sum(p.n for p in plans)),
        number(sum(p.to_visit for p in plans)),
    )
    console.print(table)


# --- draw ------------------------------------------------------------------------------------------------------


def _register_draw(steps: Sub) -> None:
    p = steps.add_parser(
        "draw",
        help=t(("ambil sampel yang bisa diulang siapa pun", "draw a sample anyone can re-derive")),
        description=t(
            (
                "Sampel ditentukan oleh frasa publik dan SHA-256 file daftar: siapa pun yang menjalankan perintah yang sama "
                "pada file yang sama mendapat sample.csv yang identik.",
                "The sample follows from the public phrase and the list file's SHA-256: anyone running the same command on "
                "the same file gets an identical sample.csv.",
            )
        ),
    )
    _list_args(p, required=True)
    p.add_argument("--phrase", required=True, help=t(("frasa benih publik", "public seed phrase")))
    p.add_argument("--n", type=int, help=t(("ukuran sampel (tanpa --margin)", "sample size (instead of --margin)")))
    _precision_args(p, margin_required=False)
    p.add_argument("--out", type=Path, required=True, help=t(("folder hasil", "output folder")))
    p.set_defaults(handler=cmd_draw)


def cmd_draw(args: argparse.Namespace) -> int:
    with _listed(args.list, args.data) as snapshot:
        return _draw(args, snapshot)


def _draw(args: argparse.Namespace, snapshot: Snapshot) -> int:
    per_stratum = None
    if args.n is None:
        if args.margin is None:
            raise KawalError(("berikan --n atau --margin", "give --n or --margin"))
        counted = snapshot_strata(snapshot.voters_path, args.unit, args.by)
        strata = {k: units for k, (units, _v) in counted.items()}
        plans = stratified_plan(strata, args.margin, args.confidence, args.rate, args.nonresponse, args.per_stratum)
        per_stratum = {p.stratum: p.to_visit for p in plans}
    sha = snapshot.meta["source"]["sha256"]
    result = draw_from(
        snapshot.voters_path, sha, args.phrase, unit=args.unit, by=args.by, total=args.n, per_stratum=per_stratum
    )
    csv_path, manifest = write_sample(result, args.out, args.phrase, sha, snapshot.meta["source"]["name"])
    digest = json.loads(manifest.read_text(encoding="utf-8"))["sample_sha256"]
    console.print(
        t(
            (
                "{n:,} unit diambil dari {s} strata. Benih {seed}\nSHA-256 daftar {lst}\nSHA-256 sampel {d}\n  {c}\n  {m}",
                "{n:,} units drawn from {s} strata. Seed {seed}\nList SHA-256 {lst}\nSample SHA-256 {d}\n  {c}\n  {m}",
            ),
            n=result.rows.num_rows,
            s=len(result.strata),
            seed=result.seed,
            lst=sha,
            d=digest,
            c=csv_path,
            m=manifest,
        )
    )
    return 0


# --- estimate --------------------------------------------------------------------------------------------------


def _register_estimate(steps: Sub) -> None:
    p = steps.add_parser(
        "estimate",
        help=t(("perkirakan tingkat kesalahan dengan selang", "estimate error rates with intervals")),
        description=t(
            (
                "SAMPLE adalah folder hasil 'kawal sample draw'. --outcomes: CSV unit,hasil (hasil: "
                + ", ".join((*RECORD_OUTCOMES, NONRESPONSE))
                + "). --people: CSV unit,nama,tanggal_lahir[,nik] orang yang ditemui di RT sampel (perlu LIST). "
                "--households: CSV unit,pantarlih,stiker (ya/tidak) rumah tangga di RT sampel.",
                "SAMPLE is the folder 'kawal sample draw' wrote. --outcomes: CSV unit,hasil (hasil: "
                + ", ".join((*RECORD_OUTCOMES, NONRESPONSE))
                + "). --people: CSV unit,nama,tanggal_lahir[,nik] of people met in the sampled RT (needs --list). "
                "--households: CSV unit,pantarlih,stiker (ya/tidak) of households in the sampled RT.",
            )
        ),
    )
    p.add_argument("sample", type=Path, metavar="SAMPLE")
    p.add_argument("--outcomes", type=Path)
    p.add_argument("--people", type=Path)
    p.add_argument("--households", type=Path)
    p.add_argument("--list", help=t(("daftar untuk --people", "the list for --people")))
    p.add_argument("--confidence", type=float, default=0.95, help=t(("tingkat kepercayaan", "confidence level")))
    p.add_argument("--out", type=Path, help=t(("folder hasil (bawaan: SAMPLE)", "output folder (default: SAMPLE)")))
    p.add_argument("--data", help=t(DATA_HELP))
    p.set_defaults(handler=cmd_estimate)


def cmd_estimate(args: argparse.Namespace) -> int:
    manifest = json.loads((args.sample / "sample.json").read_text(encoding="utf-8"))
    drawn = _read_csv(args.sample / "sample.csv")
    out = args.out or args.sample
    out.mkdir(parents=True, exist_ok=True)
    estimates: list[Estimate] = []
    if args.outcomes:
        estimates += _estimate_records(manifest, drawn, args.outcomes, args.confidence)
    if args.people or args.households:
        estimates += _estimate_clusters(args, manifest, drawn)
    if not estimates:
        raise KawalError(
            ("berikan --outcomes, --people atau --households", "give --outcomes, --people or --households")
        )
    write_estimates_csv(estimates, out / "estimates.csv")
    _write_html(estimates, out / "estimates.html", manifest)
    _print_estimates(estimates)
    console.print(f"  {out / 'estimates.csv'}\n  {out / 'estimates.html'}")
    return 0


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise KawalError(("file tidak ada: {p}", "no such file: {p}"), p=path)
    return list(csv.DictReader(io.StringIO(decoded_text(path), newline="")))  # Excel's cp1252 or UTF-16 too


def _not_in_sample(name: str, number: int, unit: object) -> KawalError:
    return KawalError(
        ("{f} baris {r}: unit {u} tidak ada di sampel", "{f} row {r}: unit {u} is not in the sample"),
        f=name,
        r=number,
        u=unit,
    )


def _estimate_records(manifest: dict, drawn: list[dict], path: Path, confidence: float) -> list[Estimate]:
    allowed = (*RECORD_OUTCOMES, NONRESPONSE, "")
    units = {row["unit"] for row in drawn}
    outcomes = {}
    for row_no, row in enumerate(_read_csv(path), start=2):  # row 1 is the header
        value = (row.get("hasil") or "").strip()
        if value not in allowed:
            raise KawalError(OUTCOMES_BAD, f=path.name, r=row_no, c="hasil", v=value, ok=", ".join(allowed[:-1]))
        if row.get("unit") not in units:
            raise _not_in_sample(path.name, row_no, row.get("unit"))
        if value:
            outcomes[row["unit"]] = value
    population = {k: v["population"] for k, v in manifest["strata"].items()}
    sample = [(row["stratum"], row["unit"]) for row in drawn]
    return estimate_records(sample, population, outcomes, confidence)


def _estimate_clusters(args: argparse.Namespace, manifest: dict, drawn: list[dict]) -> list[Estimate]:
    if manifest["unit"] != "rt":
        raise KawalError(
            ("--people/--households perlu sampel RT (--unit rt)", "--people/--households need an RT sample (--unit rt)")
        )
    stratum_of = {row["unit"]: row["stratum"] for row in drawn}
    units = {k: v["population"] for k, v in manifest["strata"].items()}
    weights = {k: float(v["voters"]) for k, v in manifest["strata"].items()}
    out: list[Estimate] = []
    if args.people:
        out += _missing_from_list(args, stratum_of, units, weights)
    if args.households:
        out += _coverage(args.households, stratum_of, units, weights, args.confidence)
    return out


def _missing_from_list(args: argparse.Namespace, stratum_of: dict, units: dict, weights: dict) -> list[Estimate]:
    import pyarrow as pa

    if not args.list:
        raise KawalError(("--people perlu --list", "--people needs --list"))
    rows: list[dict[str, Any]] = _read_csv(args.people)  # dates are parsed in place
    for row_no, row in enumerate(rows, start=2):
        if row.get("unit") not in stratum_of:
            raise _not_in_sample(args.people.name, row_no, row.get("unit"))
        try:
            row["tanggal_lahir"] = date.fromisoformat(row.get("tanggal_lahir", "").strip())
        except ValueError:
            raise KawalError(
                OUTCOMES_BAD,
                f=args.people.name,
                r=row_no,
                c="tanggal_lahir",
                v=row.get("tanggal_lahir"),
                ok="YYYY-MM-DD",
            ) from None
    table = pa.Table.from_pylist(rows)
    with _listed(args.list, args.data) as snapshot:
        matched = match_table(snapshot.voters_path, table)
    per_rt: dict[str, list[int]] = {u: [0, 0] for u in stratum_of}
    for person in matched:
        per_rt[person["unit"]][0] += 1
        per_rt[person["unit"]][1] += 0 if person["terdaftar"] else 1
    clusters = [SampleCluster(stratum_of[u], u, met, missing) for u, (met, missing) in per_rt.items()]
    return estimate_clusters(clusters, units, weights, args.confidence, "tidak_terdaftar")


COVERAGE = {
    "dikunjungi_pantarlih": lambda p, s: p == "ya",
    "stiker_tanpa_kunjungan": lambda p, s: s == "ya" and p == "tidak",
    "kunjungan_tanpa_stiker": lambda p, s: p == "ya" and s == "tidak",
}


def _coverage(path: Path, stratum_of: dict, units: dict, weights: dict, confidence: float) -> list[Estimate]:
    rows = _read_csv(path)
    for row_no, row in enumerate(rows, start=2):
        for column in ("pantarlih", "stiker"):
            if (row.get(column) or "").strip() not in ("ya", "tidak"):
                raise KawalError(OUTCOMES_BAD, f=path.name, r=row_no, c=column, v=row.get(column), ok="ya, tidak")
        if row.get("unit") not in stratum_of:
            raise _not_in_sample(path.name, row_no, row.get("unit"))
    out = []
    for category, test in COVERAGE.items():
        per_rt = {u: [0, 0] for u in stratum_of}
        for row in rows:
            per_rt[row["unit"]][0] += 1
            per_rt[row["unit"]][1] += test(row["pantarlih"].strip(), row["stiker"].strip())
        clusters = [SampleCluster(stratum_of[u], u, met, n) for u, (met, n) in per_rt.items()]
        out += estimate_clusters(clusters, units, weights, confidence, category)
    return out


def _print_estimates(estimates: list[Estimate]) -> None:
    table = Table(
        t(("Kategori", "Category")),
        t(("Strata", "Stratum")),
        t(("Terjawab", "Answered")),
        t(("Jumlah", "Count")),
        t(("Tingkat", "Rate")),
        t(("Selang 95%", "95% interval")),
    )
    for e in estimates:
        if e.stratum:
            continue
        interval = f"{number(e.low, '.2%')} – {number(e.high, '.2%')}" if e.rate is not None else "–"
        table.add_row(e.category, t(("semua", "all")), number(e.base), number(e.count), _pct(e.rate), interval)
    console.print(table)


def _pct(value: float | None) -> str:
    return "–" if value is None else number(value, ".2%")


def _write_html(estimates: list[Estimate], path: Path, manifest: dict) -> None:
    import html

    sections = []
    for category in dict.fromkeys(e.category for e in estimates):
        rows = [e for e in estimates if e.category == category]
        rows.sort(key=lambda e: (e.stratum != "", e.stratum))
        sections.append(f"<h2>{html.escape(category)}</h2>{interval_svg(rows)}")
    title = t(("Perkiraan dari sampel", "Estimates from the sample"))
    meta = html.escape(
        f"{manifest['list']['name']} · SHA-256 {manifest['list']['sha256'][:16]}… · {manifest['phrase']}"
    )
    path.write_text(
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f'<body style="font-family:sans-serif;max-width:760px;margin:auto"><h1>{title}</h1><p>{meta}</p>'
        f"{''.join(sections)}</body></html>",
        encoding="utf-8",
    )


# --- shared ----------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _listed(ref: str, data: str | None) -> Iterator[Snapshot]:
    """The list as a snapshot: a stored one by number or name, or a file imported into a temporary folder."""
    from kawal.engine import resolve_inputs  # the audit package: loaded only when a list is named

    with tempfile.TemporaryDirectory(prefix="kawal-sample-") as scratch:
        store = SnapshotStore(Path(data) if data else None)
        yield resolve_inputs([ref], store, Path(scratch), None, lambda _s: None)[0]
