"""Each check on hand-written rows: what it must find, and what it must leave alone."""

import csv

import pytest

from kawal.engine.audit import FINDING_COLUMNS, audit

HEADER = [
    "NO",
    "NKK",
    "NIK",
    "NAMA",
    "TEMPAT LAHIR",
    "TGL LAHIR",
    "L/P",
    "KAWIN",
    "ALAMAT",
    "RT",
    "RW",
    "KODE KELURAHAN",
    "TPS",
]
KEL = "3671011001"


def nik(born: str, female: bool = False, serial: int = 1, prefix: str = "367101") -> str:
    day, month, year = born.split("-")
    return f"{prefix}{int(day) + (40 if female else 0):02d}{month}{year[2:]}{serial:04d}"


def person(
    no,
    name,
    born,
    sex="L",
    nkk="3671011707100001",
    number=None,
    status="S",
    rt="001",
    rw="001",
    tps="1",
    place="TANGERANG",
):
    number = nik(born, sex == "P") if number is None else number
    return [str(no), nkk, number, name, place, born, sex, status, "JL. MERDEKA NO. 1", rt, rw, KEL, tps]


ROWS = [
    person(1, "AHMAD FAUZI", "04-03-1965"),
    person(2, "H. AHMAD FAUZI", "04-03-1965", nkk="3671011707100002", tps="2"),
    person(3, "SITI AMINAH", "10-11-1990", "P", nkk="3671011707100003", number=nik("10-11-1990", True, 7)),
    person(4, "BUDI SANTOSO", "12-12-1980", nkk="3671011707100004", number=nik("10-11-1990", True, 7)),
    person(5, "DEDE KURNIA", "01-01-2008", status="B", nkk="3671011707100005"),
    person(6, "RINA WATI", "01-01-2008", "P", status="S", nkk="3671011707100006"),
    person(7, "SUPARMI", "01-01-1920", "P", nkk="3671011707100007"),
    person(8, "JOKO", "05-05-1970", "", nkk="3671011707100008", tps=""),
    person(9, "UJANG", "06-06-1971", nkk="3671011707100009", number="3.67101E+15"),
    person(10, "ENDANG", "07-07-1972", nkk="3671011707100010", number=nik("07-07-1972", prefix="367199")),
    person(11, "ASEP", "08-08-1973", nkk="3671011707100011", number="3671013208730001"),
    person(12, "DADANG", "09-09-1974", nkk="3671011707100012", number=nik("09-09-1974", female=True)),
    # one household over two TPS
    person(13, "SAPRI", "10-10-1960", nkk="3671011707100013", rt="002", tps="3"),
    person(14, "MUNAROH", "11-10-1962", "P", nkk="3671011707100013", rt="002", tps="3"),
    person(15, "MAMAT", "12-10-1990", nkk="3671011707100013", rt="002", tps="4"),
    # RT 005: seven voters at TPS 5, one at TPS 6
    *[
        person(20 + i, f"WARGA {chr(65 + i)}", f"{10 + i:02d}-01-1980", nkk=f"36710117071001{i:02d}", rt="005", tps="5")
        for i in range(7)
    ],
    person(27, "WARGA LAIN", "20-01-1980", nkk="3671011707100199", rt="005", tps="6"),
]


@pytest.fixture(scope="module")
def findings(tmp_path_factory) -> dict[str, list[dict]]:
    folder = tmp_path_factory.mktemp("checks")
    path = folder / "dpt.csv"
    with path.open("w", newline="") as f:
        csv.writer(f).writerows([HEADER, *ROWS])
    audit([path], folder / "out", max_per_tps=9)
    with (folder / "out" / "findings.csv").open() as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames) == FINDING_COLUMNS
        rows = list(reader)
    by_check: dict[str, list[dict]] = {}
    for row in rows:
        by_check.setdefault(row["check"], []).append(row)
    return by_check


def ids(findings, check):
    return sorted((int(r["record_id"]) for r in findings.get(check, []) if r["record_id"]), key=int)


def test_nik_checks(findings):
    assert ids(findings, "NIK_FORMAT") == [9]
    assert "notasi ilmiah" in findings["NIK_FORMAT"][0]["detail"]
    assert ids(findings, "NIK_WILAYAH") == [10]
    assert "367199" in findings["NIK_WILAYAH"][0]["detail"]
    assert ids(findings, "NIK_TANGGAL") == [11]
    assert ids(findings, "NIK_TIDAK_COCOK") == [4, 12]


def test_same_nik_two_people_is_nik_ganda_not_a_duplicate(findings):
    shared = {r["record_id"]: r for r in findings["NIK_GANDA"]}
    assert sorted(shared, key=int) == ["1", "2", "3", "4"]
    assert "orangnya sama" in shared["1"]["detail"]
    assert "orang yang berbeda" in shared["3"]["detail"]
    assert shared["3"]["cluster"] == shared["4"]["cluster"] == nik("10-11-1990", True, 7)
    assert ids(findings, "PEMILIH_GANDA") == [1, 2]


def test_duplicate_is_explained(findings):
    first, second = findings["PEMILIH_GANDA"]
    assert first["cluster"] == second["cluster"] and first["tms"] == "2"
    assert "nama sama" in first["detail"] and "NIK sama" in first["detail"] and "tanggal lahir sama" in first["detail"]
    assert "peluang" in first["detail"]


def test_age_checks(findings):
    assert ids(findings, "DI_BAWAH_UMUR") == [5]
    assert findings["DI_BAWAH_UMUR"][0]["tms"] == "3"
    assert "16 tahun" in findings["DI_BAWAH_UMUR"][0]["detail"]
    assert ids(findings, "USIA_TIDAK_WAJAR") == [7]
    assert findings["USIA_TIDAK_WAJAR"][0]["tms"] == "1"


def test_missing_fields(findings):
    assert ids(findings, "DATA_TIDAK_LENGKAP") == [8]
    assert findings["DATA_TIDAK_LENGKAP"][0]["detail"] == "kolom kosong: jenis_kelamin, tps"


def test_household_split_over_tps(findings):
    assert ids(findings, "KK_TERPISAH") == [13, 14, 15]
    assert {r["cluster"] for r in findings["KK_TERPISAH"]} == {"3671011707100013"}
    assert "TPS 003 (2), TPS 004 (1)" in findings["KK_TERPISAH"][0]["detail"]


def test_voter_away_from_the_rt_tps(findings):
    assert ids(findings, "TPS_TIDAK_SESUAI_RT") == [2, 27]  # 2: the duplicate listed at another TPS than its RT's
    row = next(r for r in findings["TPS_TIDAK_SESUAI_RT"] if r["record_id"] == "27")
    assert row["tms"] == "8" and "7 dari 7" in row["detail"] and "TPS 005" in row["detail"]


def test_overfull_tps_is_one_row_per_tps(findings):
    (row,) = findings["TPS_PENUH"]
    assert row["record_id"] == "" and row["cluster"] == f"{KEL}001" and row["tps"] == "1"
    assert row["detail"] == "TPS 001 berisi 10 pemilih, melebihi maksimum 9"


def test_outputs_exist_and_summary_reconciles(tmp_path):
    path = tmp_path / "dpt.csv"
    with path.open("w", newline="") as f:
        csv.writer(f).writerows([HEADER, *ROWS, ["99", "1", "2"]])
    result = audit([path], tmp_path / "out")
    for name in ("findings.csv", "rejects.csv", "summary.json", "report.html"):
        assert (tmp_path / "out" / name).exists()
    assert result.summary["rows_in"] == len(ROWS) + 1 == result.summary["audited"] + result.summary["rejected"]
    assert result.summary["checks"]["PEMILIH_GANDA"]["rows"] == 2
    assert "jumlah kolom" in (tmp_path / "out" / "rejects.csv").read_text()
    report = (tmp_path / "out" / "report.html").read_text()
    assert "3671010403650001" not in report and "367101**********" in report


def test_unusable_input_is_a_clear_error(tmp_path):
    from kawal.engine.snapshots import SnapshotStore
    from kawal.i18n import KawalError

    with pytest.raises(KawalError, match="bukan file"):
        audit([tmp_path / "missing.csv"], tmp_path / "out", store=SnapshotStore(tmp_path / "data"))
