"""On a list as KPU publishes it the NIK shows only its first 6 digits, the kecamatan that issued it. Between rows in
different kelurahan that region is compared; within one kelurahan, where most people share it, and between two full
NIKs, which the NIK comparison covers, it is not."""

from datetime import date

import pyarrow as pa

from kawal.engine.audit import duplicates as d
from kawal.engine.sql import connect

ROWS = [  # NIK as shown, kelurahan
    ("367101**********", "3671011001"),
    ("367101**********", "3671021002"),  # same region, another kelurahan
    ("367102**********", "3671031003"),  # another region, another kelurahan
    ("367102**********", "3671011001"),  # another region, the first row's kelurahan
    ("3671010403800001", "3671041004"),  # a full NIK
    ("3671010403800002", "3671051005"),  # a full NIK
]


def _levels() -> dict[tuple[int, int], str | None]:
    n = len(ROWS)
    table = pa.table(
        {
            "rid": pa.array(range(1, n + 1), pa.int64()),
            "nama": ["AHMAD FAUZI"] * n,
            "tanggal_lahir": pa.array([date(1980, 3, 4)] * n),
            "usia": pa.array([None] * n, pa.int16()),
            "jenis_kelamin": ["L"] * n,
            "nik_d": [r[0] for r in ROWS],
            "nik_full": ["*" not in r[0] for r in ROWS],
            "nkk_d": pa.array([None] * n, pa.string()),
            "nkk_full": [False] * n,
            "tempat_lahir": ["TANGERANG"] * n,
            "kode_kelurahan": [r[1] for r in ROWS],
            "rw": [1] * n,
            "rt": [1] * n,
            "sudah_tms": [False] * n,
        }
    )
    con = connect()
    con.register("v_in", table)
    con.execute("CREATE TABLE v AS SELECT * FROM v_in")
    d.build_names(con)
    d.build_people(con)
    con.execute("CREATE TABLE candidates AS SELECT a.rid AS a, b.rid AS b FROM v a JOIN v b ON a.rid < b.rid")
    d.compare(con)
    names = d.COMPARISONS[d.FIELDS.index("region")].level_names
    rows = con.execute("SELECT a, b, l_region, l_nik FROM pairs").fetchall()
    con.close()
    return {(a, b): (names[level] if level >= 0 else None, nik) for a, b, level, nik in rows}


def test_the_issuing_kecamatan_is_compared_between_kelurahan_only_where_the_nik_is_masked():
    levels = _levels()
    assert levels[(1, 2)][0] == "same"
    assert levels[(1, 3)][0] == "other"
    assert levels[(1, 4)][0] is None  # one kelurahan: the area says it
    assert levels[(2, 4)][0] == "other"
    assert levels[(5, 6)][0] is None and levels[(5, 6)][1] >= 0  # full NIKs: compared as NIKs, not as regions
    assert levels[(1, 5)][0] == "same"  # a published list audited with a full one: the whole NIK shows its region
