"""PDF voter lists in KPU's posting layout: written with kawal.synth.pdf_layout, read back with the PDF reader."""

import csv
from pathlib import Path

import duckdb
import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from kawal.cli.main import main
from kawal.engine.audit import audit
from kawal.engine.importer import import_voter_list
from kawal.engine.pdf_reader import block_fields, read_pdf
from kawal.i18n import KawalError
from kawal.synth.pdf_layout import COLUMNS, Layout, printed_rows, write_pdf

FIELDS = [f for _h, f, _w in COLUMNS if f != "no"]
LONG_NAMES = ("RADEN AJENG SITI NURHALIZAH KUSUMAWARDHANI PUSPITASARI", "MUHAMMAD ABDURRAHMAN WAHYUDI")
LONG_ADDRESS = "PERUMAHAN CIPONDOH INDAH BLOK A35 NO. 12 GANG MELATI DEKAT MUSHOLLA AL-IKHLAS"


def person(i: int, tps: str, **changes: str) -> dict[str, str]:
    """One voter of Sukarasa (Tangerang), deterministic in ``i``; every 6th has a name or address that wraps."""
    female = i % 2 == 1
    day, month, year = 1 + i % 28, 1 + i % 12, 1950 + i % 50
    row = {
        "id": str(i + 1),
        "nkk": f"367101{(i // 4) % 28 + 1:02d}0{(i // 4) % 9 + 1}1{(i // 4) % 80:04d}",
        "nik": f"367101{day + (40 if female else 0):02d}{month:02d}{year % 100:02d}{i + 1:04d}",
        "nama": LONG_NAMES[i % 2] if i % 6 == 0 else f"WARGA NOMOR {i + 1}",
        "tempat_lahir": "TANGERANG",
        "tanggal_lahir": f"{day:02d}-{month:02d}-{year}",
        "jenis_kelamin": "P" if female else "L",
        "status_kawin": "SBP"[i % 3],
        "alamat": LONG_ADDRESS if i % 6 == 3 else f"JL. MERDEKA NO. {i % 40 + 1}",
        "rt": f"{i % 5 + 1:03d}",
        "rw": f"{i % 3 + 1:03d}",
        "disabilitas": "FISIK" if i % 50 == 7 else "",
        "keterangan": "B" if i % 40 == 5 else "",
        "kode_kelurahan": "3671011001",
        "kelurahan": "SUKARASA",
        "kecamatan": "TANGERANG",
        "tps": tps,
    }
    return {**row, **changes}


def voters(count: int, tps_count: int = 1) -> list[dict[str, str]]:
    per_tps = -(-count // tps_count)
    return [person(i, f"{i // per_tps + 1:03d}") for i in range(count)]


def read(path: Path, tmp_path: Path, **options) -> list[dict]:
    con = duckdb.connect()
    read_pdf(con, path, tmp_path, **options)
    relation = con.sql("SELECT * FROM raw ORDER BY __row")
    return [dict(zip(relation.columns, r, strict=True)) for r in relation.fetchall()]


def printed(rows: list[dict], layout: Layout | None = None) -> list[dict]:
    """What the reader should give back: the rows as printed, with the header block's kelurahan and TPS."""
    return [
        {"id": p["no"], **{f: p[f] or None for f in (*FIELDS, "kelurahan", "kecamatan", "tps")}}
        for p in printed_rows(rows, layout)
    ]


def fields_of(rows: list[dict]) -> list[dict]:
    return [{k: r[k] for k in ("id", *FIELDS, "kelurahan", "kecamatan", "tps")} for r in rows]


@pytest.fixture(scope="module")
def three_tps(tmp_path_factory) -> tuple[Path, list[dict], object]:
    """300 voters over three TPS, KPU's numbering restarting per TPS, wrapped cells and rows broken at page ends."""
    path = tmp_path_factory.mktemp("pdf") / "dps.pdf"
    rows = voters(300, tps_count=3)
    written = write_pdf(rows, path)
    return path, rows, written


def test_round_trip_gives_the_same_rows(three_tps, tmp_path):
    path, rows, written = three_tps
    assert written.rows == 300 and written.split_rows >= 1 and written.pages >= 9
    got = read(path, tmp_path)
    expected = printed(rows)
    # KPU numbers each TPS from 1, so NO alone names three rows: the id is TPS and NO.
    for row in expected:
        row["id"] = f"{row['tps']}-{row['id']}"
    assert fields_of(got) == expected
    assert [r["__row"] for r in got] == list(range(1, 301))
    assert (got[0]["__sheet"], got[0]["__line"]) == ("1", 1)
    assert {r["__sheet"] for r in got} == {str(p) for p in range(1, written.pages + 1)}


def test_pages_read_by_worker_processes_give_the_same_rows(three_tps, tmp_path):
    path, _rows, _written = three_tps
    assert read(path, tmp_path, workers=2, chunk=3) == read(path, tmp_path, workers=1)
    assert not list(tmp_path.glob("pdf-pages-*"))  # the workers' files are removed


def test_rotated_f4_pages_with_masked_numbers_and_dates(tmp_path):
    layout = Layout(page="F4", rotated=True, mask_numbers=True, mask_dates=True, number_per_tps=False)
    rows = voters(80)
    write_pdf(rows, tmp_path / "dpt.pdf", layout)
    got = read(tmp_path / "dpt.pdf", tmp_path)
    assert fields_of(got) == printed(rows, layout)
    assert got[0]["nik"].startswith("367101**") and got[0]["tanggal_lahir"].startswith("**-**-")


def test_printed_no_is_the_id_when_unique(tmp_path):
    rows = voters(40)
    write_pdf(rows, tmp_path / "one_tps.pdf")
    assert [r["id"] for r in read(tmp_path / "one_tps.pdf", tmp_path)] == [str(i) for i in range(1, 41)]


def test_import_rejects_a_malformed_row_naming_page_and_row(tmp_path, store, capsys):
    rows = voters(120, tps_count=2)
    rows[70]["tanggal_lahir"] = "31-13-1990"  # TPS 002, NO 11
    rows[71]["jenis_kelamin"] = "X"
    path = tmp_path / "dps.pdf"
    write_pdf(rows, path)
    snapshot = import_voter_list(path, "DPS", "3671", store).snapshot
    assert snapshot.counts == {"rows_in": 120, "loaded": 118, "rejected": 2}
    assert snapshot.meta["reconciled"] and snapshot.meta["source"]["format"] == "pdf"
    rejected = duckdb.sql(
        f"SELECT sheet, line, reason, raw FROM read_parquet('{snapshot.rejects_path}') ORDER BY row_no"
    ).fetchall()
    con = duckdb.connect()
    read_pdf(con, path, tmp_path)
    where = con.execute("SELECT __sheet, __line FROM raw WHERE id IN ('002-11', '002-12') ORDER BY __row").fetchall()
    assert [(s, ln) for s, ln, _r, _raw in rejected] == where
    assert "tanggal_lahir '31-13-1990'" in rejected[0][2] and "jenis_kelamin 'X'" in rejected[1][2]
    assert '"id":"002-11"' in rejected[0][3]
    loaded = duckdb.sql(
        f"SELECT kode_kelurahan, tps, count(*) FROM read_parquet('{snapshot.voters_path}') GROUP BY ALL"
    )
    assert sorted(loaded.fetchall()) == [("3671011001", 1, 60), ("3671011001", 2, 58)]
    # The command line names the page and the row on it.
    assert main(["import", str(path), "--stage", "DPT", "--wilayah", "3671", "--data", str(tmp_path / "cli")]) == 0
    page, line = where[0]
    assert f"halaman {page}, baris {line}" in capsys.readouterr().out


def test_findings_name_rows_by_tps_and_no(tmp_path):
    rows = voters(30, tps_count=2)
    rows[20]["nik"] = rows[3]["nik"]  # one NIK on two people: TPS 001 NO 4 and TPS 002 NO 6
    path = tmp_path / "dpt.pdf"
    write_pdf(rows, path)
    audit([path], tmp_path / "out", wilayah="3671")
    with (tmp_path / "out" / "findings.csv").open() as f:
        found = [r for r in csv.DictReader(f) if r["check"] == "NIK_GANDA"]
    assert sorted(r["record_id"] for r in found) == ["001-4", "002-6"]


def scan(path: Path, pages: int) -> Path:
    """A scanned list: each page only an image."""
    from PIL import Image

    picture = ImageReader(Image.new("L", (400, 280), 200))
    canvas = Canvas(str(path), pagesize=landscape(A4))
    for _ in range(pages):
        canvas.drawImage(picture, 20, 20, width=800, height=560)
        canvas.showPage()
    canvas.save()
    return path


def test_scanned_pdf_is_refused_naming_its_pages(tmp_path, store):
    path = scan(tmp_path / "scan.pdf", 3)
    with pytest.raises(KawalError) as error:
        import_voter_list(path, "DPS", "3671", store)
    assert "hasil pindai" in str(error.value) and "halaman 1-3" in str(error.value)


def text_pages(path: Path, *pages: list[str]) -> Path:
    """Pages of plain text lines, without any table."""
    canvas = Canvas(str(path), pagesize=landscape(A4))
    for lines in pages:
        for i, line in enumerate(lines):
            canvas.drawString(40, 500 - 14 * i, line)
        canvas.showPage()
    canvas.save()
    return path


def test_scanned_and_unruled_pages_among_list_pages_are_rejects(tmp_path, store):
    import pypdfium2

    write_pdf(voters(30), tmp_path / "text.pdf")
    mixed = pypdfium2.PdfDocument(tmp_path / "text.pdf")
    mixed.import_pages(pypdfium2.PdfDocument(scan(tmp_path / "scan.pdf", 1)), index=1)  # becomes page 2
    other = [["1  3671011707100024  3671010403650018  AANG  GARUT"], ["Tangerang, 10 Agustus 2024", "Ketua PPS"]]
    mixed.import_pages(pypdfium2.PdfDocument(text_pages(tmp_path / "other.pdf", *other)))
    path = tmp_path / "mixed.pdf"
    mixed.save(path)
    pages = len(mixed)
    snapshot = import_voter_list(path, "DPS", "3671", store).snapshot
    assert snapshot.counts == {"rows_in": 32, "loaded": 30, "rejected": 2}
    rejects = duckdb.sql(f"SELECT sheet, line, reason FROM read_parquet('{snapshot.rejects_path}') ORDER BY row_no")
    (scanned, unruled) = rejects.fetchall()
    assert scanned[:2] == ("2", None) and "halaman 2 hanya gambar" in scanned[2]
    assert unruled[:2] == (str(pages - 1), None) and "tanpa tabel bergaris" in unruled[2]
    assert snapshot.meta["source"]["skipped_sheets"] == [str(pages)]  # the signature page is not a loss


def test_not_a_pdf_is_a_clear_error(tmp_path, store):
    path = tmp_path / "dpt.pdf"
    path.write_text("NO,NIK,NAMA\n1,3671010403650018,AANG\n")
    with pytest.raises(KawalError, match="bukan PDF yang bisa dibaca"):
        import_voter_list(path, "DPS", "3671", store)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("PROVINSI : BANTEN DESA/KELURAHAN : KETAPANG", {"kelurahan": "KETAPANG"}),
        (
            "KECAMATAN: CIPONDOH   KELURAHAN/DESA :SUKA ASIH  NO. TPS : 003",
            {"kecamatan": "CIPONDOH", "kelurahan": "SUKA ASIH", "tps": "003"},
        ),
        ("KABUPATEN/KOTA : KOTA TANGERANG TPS : 12", {"tps": "12"}),
        ("DAFTAR PEMILIH SEMENTARA (DPS) TPS", {}),
    ],
)
def test_header_block_lines(line, expected):
    assert block_fields(line) == expected
