"""Property-based tests of the outside readers tests/engine/test_parsers_fuzz.py leaves out (issue 19): voter lists as
Parquet, ODS and XLS, Sirekap zips, the turnout tallies (Sirekap per wilayah) and the sample CSVs a team brings back.

Whatever the bytes or the table, a reader either loads with every row accounted for (rows in = loaded + rejected),
or refuses with the engine's own clear error: ``KawalError`` (for the C.Hasil readers also ``READ_ERRORS``, which the
web app names as an unreadable file). Never a ``UnicodeDecodeError``, ``KeyError``, ``zlib.error`` out of the
reader. Example counts stay small: the suite must stay fast, and CI runs them derandomised."""

from __future__ import annotations

import contextlib
import csv
import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kawal.engine.importer import import_voter_list
from kawal.engine.results import check
from kawal.engine.rows import READ_ERRORS
from kawal.engine.snapshots import SnapshotStore
from kawal.engine.turnout import SIREKAP_COLUMNS, read_sirekap_tallies
from kawal.i18n import KawalError

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
FEW = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))  # each file starts a process
HEADER = ["NO", "NKK", "NIK", "NAMA", "TEMPAT LAHIR", "TGL LAHIR", "L/P", "KAWIN", "ALAMAT", "RT", "RW", "TPS"]
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
digits = st.integers(0, 10**16).map(str)
when = st.dates(date(1900, 1, 1), date(2030, 12, 31))
cell = st.one_of(text, digits, st.sampled_from(["", "L", "P", "B", "001", "3,67101E+15", "12-05-1987", "²"]))
hostile = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"",
            b"\xff\xfe\x00",
            b"PK\x03\x04" + b"\x00" * 40,
            b"PAR1\x00\x00PAR1",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500,  # an OLE2 (XLS) header and nothing in it
        ]
    ),
)


def _imported(path: Path) -> dict | None:
    """The counts of the snapshot ``path`` makes, or None when the engine refused the whole file clearly."""
    with tempfile.TemporaryDirectory() as data:
        try:
            snapshot = import_voter_list(path, "DPT", "3671011001", SnapshotStore(Path(data))).snapshot
        except KawalError:
            return None
        counts = dict(snapshot.counts)
    assert counts["rows_in"] == counts["loaded"] + counts["rejected"]
    return counts


# --- voter lists: Parquet, ODS, XLS -------------------------------------------------------------------------------

parquet_value = st.one_of(st.none(), cell, st.integers(-(10**17), 10**17), st.floats(allow_nan=True), when)


@st.composite
def parquet_tables(draw) -> pa.Table:
    """A table a tool could write: KPU's headers (or some), each column of one type, any values of that type."""
    names = draw(st.lists(st.sampled_from([*HEADER, "KETERANGAN", "nik", "Nama Lengkap"]), min_size=1, max_size=8, unique=True))  # fmt: skip
    n = draw(st.integers(0, 12))
    columns = {}
    for name in names:
        kind = draw(st.sampled_from(["text", "int", "float", "date", "bool"]))
        values = {
            "text": st.one_of(st.none(), cell),
            "int": st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)),
            "float": st.one_of(st.none(), st.floats()),
            "date": st.one_of(st.none(), when),
            "bool": st.one_of(st.none(), st.booleans()),
        }[kind]
        columns[name] = pa.array(draw(st.lists(values, min_size=n, max_size=n)))
    return pa.table(columns)


@FUZZ
@given(parquet_tables())
def test_any_parquet_voter_list_reconciles(tmp_path_factory, table):
    path = tmp_path_factory.mktemp("pq") / "dpt.parquet"
    pq.write_table(table, path)
    counts = _imported(path)
    if counts is not None:
        assert counts["rows_in"] == table.num_rows


def _ods(sheets: dict[str, list[list[object]]]) -> bytes:
    """An OpenDocument spreadsheet as LibreOffice writes its essentials: text and number cells."""

    def one(value: object) -> str:
        if isinstance(value, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{value!r}"><text:p>{value}</text:p></table:table-cell>'  # fmt: skip
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    tables = "".join(
        f'<table:table table:name="{escape(name, {chr(34): "&quot;"})}">'
        + "".join("<table:table-row>" + "".join(one(v) for v in row) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in sheets.items()
    )
    ns = " ".join(
        f'xmlns:{p}="urn:oasis:names:tc:opendocument:xmlns:{u}:1.0"'
        for p, u in (("office", "office"), ("table", "table"), ("text", "text"), ("manifest", "manifest"))
    )
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>'  # fmt: skip
    manifest = f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest {ns} manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


ods_cell = st.one_of(cell, st.integers(-(10**15), 10**15), st.floats(allow_nan=False, allow_infinity=False))
ods_rows = st.lists(st.lists(ods_cell, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=10)


@FEW
@given(st.dictionaries(st.sampled_from(["TPS 001", "TPS 002", "Rekap"]), ods_rows, min_size=1, max_size=2))
def test_any_ods_voter_list_reconciles(tmp_path_factory, sheets):
    path = tmp_path_factory.mktemp("ods") / "dpt.ods"
    path.write_bytes(_ods({name: [HEADER, *rows] for name, rows in sheets.items()}))
    counts = _imported(path)
    if counts is not None:  # a wholly empty row is not a row of the sheet
        assert counts["rows_in"] <= sum(len(rows) for rows in sheets.values())


@FEW
@given(hostile, st.sampled_from([".xls", ".ods", ".xlsx", ".parquet"]))
@example(_ods({"TPS 001": [HEADER, ["1"] * len(HEADER)]}), ".xls")  # a real spreadsheet under another name
def test_hostile_bytes_as_a_spreadsheet_or_parquet_are_refused_clearly(tmp_path_factory, body, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"dpt{suffix}"
    path.write_bytes(body)
    _imported(path)


@FEW
@given(st.integers(0, 2000), st.integers(1, 255), st.sampled_from([".ods", ".parquet"]))
def test_a_damaged_spreadsheet_or_parquet_is_refused_clearly(tmp_path_factory, at, flip, suffix):
    """A real file with one byte changed or cut short: a download that broke, a disk that lied."""
    if suffix == ".ods":
        body = _ods({"TPS 001": [HEADER, *[[f"NAMA {i}", *["1"] * (len(HEADER) - 1)] for i in range(30)]]})
    else:
        sink = io.BytesIO()
        pq.write_table(pa.table({"NAMA": [f"NAMA {i}" for i in range(30)], "NIK": ["3671010101900001"] * 30}), sink)
        body = sink.getvalue()
    at %= len(body)
    damaged = body[:at] + bytes([body[at] ^ flip]) + body[at + 1 :] if flip % 2 else body[:at]
    path = tmp_path_factory.mktemp("damaged") / f"dpt{suffix}"
    path.write_bytes(damaged)
    _imported(path)


# --- C.Hasil: Sirekap zips ----------------------------------------------------------------------------------------

member_name = st.one_of(
    st.integers(0, 10**13 - 1).map(lambda n: f"{n:013d}.json"),
    st.lists(st.sampled_from(["3671051007001", "a", "..", "x.json", "3671051007002.json"]), min_size=1, max_size=3).map(
        "/".join
    ),
)
member_body = st.one_of(
    st.binary(max_size=60),
    st.sampled_from([b"{}", b'{"chart": {"100025": 5}, "administrasi": {"suara_sah": 5}}', b"[]", b"null"]),
)


@FUZZ
@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")  # a zip may repeat a name: that is the point
@given(st.lists(st.tuples(member_name, member_body, st.booleans()), max_size=6))
@example([("3671051007002.json/3671051007001.json", b"{}", False)])  # a folder named like a TPS file
@example([("x.json", b"{}", False), ("x.json/3671051007001.json", b"{}", True)])  # a file and a folder of one name
def test_any_sirekap_zip_reconciles(tmp_path_factory, members):
    folder = tmp_path_factory.mktemp("zip")
    path = folder / "sirekap.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name, body, packed in members:
            z.writestr(name, body, zipfile.ZIP_DEFLATED if packed else zipfile.ZIP_STORED)
    try:
        result = check(path, folder / "out")
    except (KawalError, *READ_ERRORS):
        return
    assert result.loaded.rows_in == result.loaded.loaded + result.loaded.rejected


@FUZZ
@given(st.integers(0, 5000), st.integers(1, 255))
@example(1031, 1)  # a bit flipped in the first TPS file's deflated data: zlib.error
def test_a_damaged_sirekap_zip_is_refused_clearly(tmp_path_factory, at, flip):
    sample = Path(__file__).parents[1] / "data" / "sirekap_ppwp_tps_json_sample_kota_tangerang_3671.zip"
    body = sample.read_bytes()
    at %= len(body)
    damaged = body[:at] + bytes([body[at] ^ flip]) + body[at + 1 :] if flip % 2 else body[:at]
    folder = tmp_path_factory.mktemp("badzip")
    (folder / "sirekap.zip").write_bytes(damaged)
    try:
        result = check(folder / "sirekap.zip", folder / "out")
    except (KawalError, *READ_ERRORS):
        return
    assert result.loaded.rows_in == result.loaded.loaded + result.loaded.rejected


# --- turnout tallies (Sirekap per wilayah) -------------------------------------------------------------------------

tally_value = st.one_of(st.integers(0, 10**7).map(str), cell, st.sampled_from(["", " 12 ", "1.5", "-3", "١٢", "²"]))


@FUZZ
@given(
    st.lists(st.lists(tally_value, min_size=0, max_size=len(SIREKAP_COLUMNS) + 2), max_size=8),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
@example([["walikota", "367105"]], "utf-8")  # a short row: its last cells are None
@example([["walikota", "367105", "Cipondoh", "1", "²", "1", "1"]], "utf-8")  # "²".isdigit(), int("²") fails
@example([["walikota", "367105", "Cipondoh – Poris", "1", "5", "1", "1"]], "cp1252")
def test_any_turnout_tally_reconciles(tmp_path_factory, rows, encoding):
    path = tmp_path_factory.mktemp("tally") / "sirekap.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(SIREKAP_COLUMNS)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    try:
        tallies = read_sirekap_tallies(path)
    except KawalError:
        return
    # every row was read: its votes are in exactly one tally
    assert sum(t.valid for t in tallies) == sum(int(r[SIREKAP_COLUMNS.index("suara")]) for r in rows if r)


@FUZZ
@given(hostile)
def test_hostile_bytes_as_a_turnout_tally_are_refused_clearly(tmp_path_factory, body):
    path = tmp_path_factory.mktemp("tallybytes") / "sirekap.csv"
    path.write_bytes(body)
    with contextlib.suppress(KawalError):
        read_sirekap_tallies(path)


def test_a_turnout_tally_saved_by_excel_in_windows_1252_reads_its_names():
    """The crash issue 19 found: Excel on Windows saves CSV in Windows-1252; the upload view got UnicodeDecodeError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sirekap.csv"
        lines = [",".join(SIREKAP_COLUMNS), "walikota,367105,Cipondoh – Pondok Bahar,1,1200,40,40", "walikota,367105,Cipondoh – Pondok Bahar,2,800,40,40"]  # fmt: skip
        path.write_bytes("\r\n".join(lines).encode("cp1252"))
        [tally] = read_sirekap_tallies(path)
    assert (tally.nama, tally.valid, tally.tps_in) == ("Cipondoh – Pondok Bahar", 2000, 40)


def test_a_turnout_tally_with_a_field_past_the_csv_limit_is_refused_clearly():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sirekap.csv"
        path.write_text(",".join(SIREKAP_COLUMNS) + '\nwalikota,367105,"' + "A" * 200_000 + '",1,1,1,1\n')
        with pytest.raises(KawalError, match=r"baris 2|line 2"):
            read_sirekap_tallies(path)


# --- the sample CSVs a team brings back (kawal sample estimate) ----------------------------------------------------


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    from kawal.cli.main import main
    from kawal.synth.generator import generate

    root = tmp_path_factory.mktemp("sample")
    generate(1000, seed=8, out=root / "city")
    records, rts = root / "records", root / "rt"
    assert main(["sample", "draw", str(root / "city" / "dpt.csv"), "--phrase", "uji", "--n", "20", "--out", str(records), "--data", str(root / "data")]) == 0  # fmt: skip
    assert main(["sample", "draw", str(root / "city" / "dpt.csv"), "--phrase", "uji", "--n", "5", "--unit", "rt", "--out", str(rts), "--data", str(root / "data")]) == 0  # fmt: skip
    units = {name: [r["unit"] for r in csv.DictReader((folder / "sample.csv").open(encoding="utf-8"))] for name, folder in (("records", records), ("rt", rts))}  # fmt: skip
    return root, units


sample_value = st.one_of(cell, st.sampled_from(["ditemukan", "tidak_di_alamat", "ya", "tidak", "meninggal", ""]))


def _estimate(drawn, kind: str, body: bytes) -> int:
    from kawal.cli.main import main

    root, _units = drawn
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hasil.csv"
        path.write_bytes(body)
        sample = root / ("records" if kind == "outcomes" else "rt")
        return main(["sample", "estimate", str(sample), f"--{kind}", str(path), "--out", str(Path(folder) / "out")])


def _sample_csv(drawn, kind: str, rows: list[list[str]]) -> str:
    unit = drawn[1]["records" if kind == "outcomes" else "rt"][0]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["unit", "hasil"] if kind == "outcomes" else ["unit", "pantarlih", "stiker"])
    writer.writerows([unit if v == "UNIT" else v for v in row] for row in rows)
    return buffer.getvalue()


@FUZZ
@given(
    st.sampled_from(["outcomes", "households"]),
    st.lists(st.lists(st.one_of(sample_value, st.just("UNIT")), max_size=4), max_size=6),
)
def test_any_sample_csv_is_estimated_or_refused_clearly(drawn, capsys, kind, rows):
    code = _estimate(drawn, kind, _sample_csv(drawn, kind, rows).encode("utf-8"))
    assert code in (0, 1)  # estimated, or refused with a message: never a traceback
    capsys.readouterr()


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_a_sample_csv_saved_by_excel_is_read(drawn, capsys, encoding):
    body = _sample_csv(drawn, "outcomes", [["UNIT", "ditemukan"], ["UNIT", "Cempaka – RT 1"]])
    assert _estimate(drawn, "outcomes", body.encode(encoding)) in (0, 1)
    capsys.readouterr()
