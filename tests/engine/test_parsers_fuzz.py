"""Property-based tests of the readers that take files from outside: whatever the rows hold, the voter-list reader
(CSV and XLSX), the results reader (CSV contract and Sirekap JSON) and the birth-date parser never fail with
anything but a clear error, and every row in is loaded or rejected with a reason (rows in = loaded + rejected)."""

from __future__ import annotations

import csv
import json
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kawal.engine.importer import import_voter_list
from kawal.engine.results import check
from kawal.engine.snapshots import SnapshotStore
from kawal.i18n import KawalError

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # CI: derandomised
HEADER = ["NO", "NKK", "NIK", "NAMA", "TEMPAT LAHIR", "TGL LAHIR", "L/P", "KAWIN", "ALAMAT", "RT", "RW", "TPS"]
# Cells as they come in real lists and as they come broken: text with quotes, separators and non-Latin letters,
# numbers, Excel's scientific NIK, dates in every order, empty.
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=25)
digits = st.integers(0, 10**16).map(str)
when = st.dates(date(1900, 1, 1), date(2030, 12, 31))
written_dates = st.one_of(
    when.map(lambda d: d.strftime("%d-%m-%Y")),
    when.map(lambda d: d.strftime("%Y-%m-%d")),
    when.map(lambda d: d.strftime("%d/%m/%Y")),
    st.integers(-5, 80000).map(str),  # Excel serial days, valid or not
    text,
)
cell = st.one_of(text, digits, written_dates, st.sampled_from(["", "L", "P", "S", "B", "001", "3,67101E+15", "'0012"]))
rows = st.lists(st.lists(cell, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=15)


def _snapshot_counts(path: Path) -> dict | None:
    with tempfile.TemporaryDirectory() as data:
        try:
            snapshot = import_voter_list(path, "DPT", "3671011001", SnapshotStore(Path(data))).snapshot
        except KawalError:  # a whole-file problem (no name column, unreadable): a clear error, nothing stored
            return None
        counts = dict(snapshot.counts)
        stored = (_rows(snapshot.voters_path), _rows(snapshot.rejects_path))
        assert stored == (counts["loaded"], counts["rejected"])  # the files hold what the counts say
        return counts


def _rows(path: Path) -> int:
    return duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0] if path.exists() else 0


@FUZZ
@given(rows)
def test_any_csv_voter_list_reconciles(tmp_path_factory, table):
    path = tmp_path_factory.mktemp("csv") / "dpt.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(table)
    counts = _snapshot_counts(path)
    if counts is not None:
        assert counts["rows_in"] == counts["loaded"] + counts["rejected"] == len(table)


xlsx_cell = st.one_of(cell, st.integers(-(10**17), 10**17), st.floats(allow_nan=False, allow_infinity=False), when)


@FUZZ
@given(st.lists(st.lists(xlsx_cell, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=15))
def test_any_xlsx_voter_list_reconciles(tmp_path_factory, table):
    path = tmp_path_factory.mktemp("xlsx") / "dpt.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("TPS 001")
    dated = book.add_format({"num_format": "dd-mm-yyyy"})
    sheet.write_row(0, 0, HEADER)
    for r, values in enumerate(table, start=1):
        for c, value in enumerate(values):
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, dated)
            else:
                sheet.write(r, c, value)
    book.close()
    counts = _snapshot_counts(path)
    if counts is not None:  # rows that are wholly empty in a sheet are not rows of the sheet at all
        assert counts["rows_in"] == counts["loaded"] + counts["rejected"]
        assert counts["rows_in"] <= len(table)


@FUZZ
@given(when, st.sampled_from(["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d|%m|%Y", "%d.%m.%Y"]))
def test_a_birth_date_in_any_supported_order_reads_back_as_written(tmp_path_factory, born, layout):
    path = tmp_path_factory.mktemp("date") / "d.csv"
    path.write_text(f"NAMA;TGL LAHIR;L/P\nAANG;{born.strftime(layout)};L\n", encoding="utf-8")
    with tempfile.TemporaryDirectory() as data:
        snapshot = import_voter_list(path, "LAIN", "3671011001", SnapshotStore(Path(data))).snapshot
        found = duckdb.sql(f"SELECT tanggal_lahir FROM read_parquet('{snapshot.voters_path}')").fetchall()
    assert found == [(born,)]


NUMBER_COLUMNS = ["suara_paslon_1", "suara_paslon_2", "suara_sah", "suara_tidak_sah", "dpt", "pengguna_total"]
form_value = st.one_of(
    st.integers(-10, 10**12).map(str), text, st.sampled_from(["", "1.5", "1e3", " 7 ", "0x10", "١٢"])
)
tps_code = st.one_of(st.integers(0, 10**13).map(lambda n: f"{n:013d}"), text)


@FUZZ
@given(st.lists(st.tuples(tps_code, st.lists(form_value, min_size=6, max_size=6)), min_size=1, max_size=12))
def test_any_results_csv_reconciles(tmp_path_factory, forms):
    folder = tmp_path_factory.mktemp("hasil")
    path = folder / "hasil.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["kode_tps", *NUMBER_COLUMNS])
        writer.writerows([code, *values] for code, values in forms)
    try:
        result = check(path, folder / "out")
    except KawalError:
        return
    assert result.loaded.rows_in == result.loaded.loaded + result.loaded.rejected == len(forms)


json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)
sirekap_like = st.fixed_dictionaries(
    {
        "chart": st.dictionaries(st.sampled_from(["100025", "100026", "100027", "x"]), json_value, max_size=3),
        "administrasi": st.dictionaries(st.sampled_from(["suara_sah", "suara_total", "pengguna_total_j"]), json_value),
    }
)


@FUZZ
@given(st.lists(st.one_of(json_value, sirekap_like, st.binary(max_size=40)), min_size=1, max_size=10))
def test_any_sirekap_json_folder_reconciles(tmp_path_factory, documents):
    folder = tmp_path_factory.mktemp("sirekap")
    source = folder / "json"
    source.mkdir()
    for i, document in enumerate(documents):
        body = document if isinstance(document, bytes) else json.dumps(document).encode()
        (source / f"36710510{i + 1:05d}.json").write_bytes(body)
    try:
        result = check(source, folder / "out")
    except KawalError:
        return
    assert result.loaded.rows_in == result.loaded.loaded + result.loaded.rejected == len(documents)


# Published lists hide parts of the NIK, NKK and birth date with any mask character, at any position.
mask = st.sampled_from("*Xx#")
LAYOUTS = {  # layout -> (separator, order of the parts)
    "dmy-": ("-", "dmy"),
    "dmy/": ("/", "dmy"),
    "dmy|": ("|", "dmy"),
    "dmy.": (".", "dmy"),
    "ymd-": ("-", "ymd"),
    "ymd/": ("/", "ymd"),
}


@st.composite
def hidden_dates(draw) -> tuple[str, tuple[int | None, int | None, int | None]]:
    """A birth date written with some parts hidden, and the (year, month, day) a reader can see."""
    born = draw(when)
    hide = draw(st.sets(st.sampled_from("dmy"), min_size=1))
    separator, order = LAYOUTS[draw(st.sampled_from(sorted(LAYOUTS)))]
    parts = {"d": f"{born.day:02d}", "m": f"{born.month:02d}", "y": f"{born.year:04d}"}
    shown = {p: draw(mask) * len(v) if p in hide else v for p, v in parts.items()}
    if hide == {"d", "m"} and draw(st.booleans()):
        return shown["y"], (born.year, None, None)  # a year alone
    visible = tuple(None if p in hide else int(parts[p]) for p in "ymd")
    return separator.join(shown[p] for p in order), visible


@FUZZ
@given(st.lists(hidden_dates(), min_size=1, max_size=10))
def test_a_birth_date_with_hidden_parts_loads_with_what_is_visible(tmp_path_factory, dates):
    path = tmp_path_factory.mktemp("hidden") / "d.csv"
    path.write_text("NAMA;TGL LAHIR\n" + "".join(f"A;{written}\n" for written, _ in dates), encoding="utf-8")
    with tempfile.TemporaryDirectory() as data:
        snapshot = import_voter_list(path, "DPS", "3671011001", SnapshotStore(Path(data))).snapshot
        found = duckdb.sql(
            f"SELECT lahir_tahun, lahir_bulan, lahir_hari, lahir_tersembunyi, tanggal_lahir "
            f"FROM read_parquet('{snapshot.voters_path}') ORDER BY row_no"
        ).fetchall()
    assert snapshot.counts == {"rows_in": len(dates), "loaded": len(dates), "rejected": 0}
    assert found == [(*visible, True, None) for _, visible in dates]


@st.composite
def hidden_numbers(draw) -> str:
    """A NIK or NKK of 16 characters with any of its digits hidden by any mask character."""
    digits = draw(st.text(alphabet="0123456789", min_size=16, max_size=16))
    hide = draw(st.sets(st.integers(0, 15)))
    return "".join(draw(mask) if i in hide else c for i, c in enumerate(digits))


date_cell = st.one_of(hidden_dates().map(lambda h: (h[0], True)), cell.map(lambda c: (c, False)))
hidden_row = st.tuples(hidden_numbers(), hidden_numbers(), date_cell, text)


@FUZZ
@given(st.lists(hidden_row, min_size=1, max_size=15))
def test_any_list_with_hidden_numbers_and_dates_reconciles(tmp_path_factory, table):
    path = tmp_path_factory.mktemp("hidden") / "dps.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["NKK", "NIK", "TGL LAHIR", "NAMA"])
        writer.writerows([nkk, nik, written, name] for nkk, nik, (written, _), name in table)
    with tempfile.TemporaryDirectory() as data:
        snapshot = import_voter_list(path, "DPS", "3671011001", SnapshotStore(Path(data))).snapshot
        rejected = {r[0] for r in duckdb.sql(f"SELECT row_no FROM read_parquet('{snapshot.rejects_path}')").fetchall()}
    assert snapshot.counts["rows_in"] == snapshot.counts["loaded"] + snapshot.counts["rejected"] == len(table)
    # hidden digits and hidden date parts never reject a row: only a present date that is no date can
    assert not {i for i, (*_, (_, hidden), _) in enumerate(table, start=1) if hidden} & rejected
