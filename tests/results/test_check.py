"""Every rule with a passing and a failing case, blanks, both Sirekap JSON shapes, the real sample files."""

import csv
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kawal.engine.results import check
from kawal.i18n import KawalError

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sirekap_ppwp_tps_json_sample_dki_3101.zip"

# A consistent TPS: 3 paslon, DPT 500, 400 voted, 390 valid.
GOOD = {
    "kode_tps": "3671051007001",
    "suara_paslon_1": 100, "suara_paslon_2": 120, "suara_paslon_3": 170,
    "dpt": 500, "dpt_l": 250, "dpt_p": 250,
    "pengguna_dpt": 380, "pengguna_dpt_l": 190, "pengguna_dpt_p": 190,
    "pengguna_dptb": 12, "pengguna_dptb_l": 6, "pengguna_dptb_p": 6,
    "pengguna_dpk": 8, "pengguna_dpk_l": 4, "pengguna_dpk_p": 4,
    "pengguna_total": 400, "pengguna_total_l": 200, "pengguna_total_p": 200,
    "surat_suara_diterima": 513, "surat_suara_digunakan": 400, "surat_suara_dikembalikan": 3, "surat_suara_tidak_digunakan": 110,
    "pemilih_disabilitas": 4, "pemilih_disabilitas_l": 2, "pemilih_disabilitas_p": 2,
    "suara_sah": 390, "suara_tidak_sah": 10, "suara_sah_dan_tidak_sah": 400,
}  # fmt: skip


def run(tmp_path, rows, **kwargs):
    path = tmp_path / "hasil.csv"
    columns = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", newline="") as f:
        out = csv.DictWriter(f, columns)
        out.writeheader()
        out.writerows(rows)
    result = check(path, tmp_path / "out", **kwargs)
    with (tmp_path / "out" / "findings.csv").open() as f:
        return result, list(csv.DictReader(f))


def rules_of(findings):
    return sorted({(f["kode_tps"], f["rule"]) for f in findings if len(f["kode_tps"]) == 13})


def test_a_consistent_form_has_no_findings(tmp_path):
    _result, findings = run(tmp_path, [GOOD])
    assert findings == []


@pytest.mark.parametrize(
    ("rule", "change"),
    [
        ("PASLON_NE_SAH", {"suara_paslon_1": 105}),
        ("SAH_TIDAK_SAH_NE_TOTAL", {"suara_tidak_sah": 11, "suara_sah_dan_tidak_sah": 400}),
        ("PENGGUNA_NE_RINCIAN", {"pengguna_dpk": 9, "pengguna_dpk_p": 5}),
        ("PENGGUNA_NE_SUARA", {"pengguna_total": 401, "pengguna_total_l": 201, "surat_suara_digunakan": 401, "surat_suara_tidak_digunakan": 109, "pengguna_dpt": 381, "pengguna_dpt_l": 191}),
        ("PENGGUNA_DPT_GT_DPT", {"dpt": 379, "dpt_l": 190, "dpt_p": 189, "pengguna_dptb": 4, "pengguna_dptb_l": 2, "pengguna_dptb_p": 2, "pengguna_dpk": 4, "pengguna_dpk_l": 2, "pengguna_dpk_p": 2, "pengguna_total": 388, "pengguna_total_l": 194, "pengguna_total_p": 194, "suara_sah_dan_tidak_sah": 388, "suara_sah": 378, "suara_paslon_3": 158, "surat_suara_digunakan": 388, "surat_suara_tidak_digunakan": 122}),
        ("DPT_GT_MAKS", {"dpt": 601, "dpt_l": 301, "dpt_p": 300}),
        ("SURAT_SUARA_NE", {"surat_suara_diterima": 514}),
        ("DIGUNAKAN_NE_PENGGUNA", {"surat_suara_digunakan": 399, "surat_suara_tidak_digunakan": 111}),
        ("DISABILITAS_GT_PENGGUNA", {"pemilih_disabilitas": 401, "pemilih_disabilitas_l": 201, "pemilih_disabilitas_p": 200}),
        ("SUARA_GT_DPT", {"dpt": 389, "dpt_l": 195, "dpt_p": 194, "pengguna_dpt": 370, "pengguna_dpt_l": 185, "pengguna_dpt_p": 185, "pengguna_dptb": 22, "pengguna_dptb_l": 11, "pengguna_dptb_p": 11}),
    ],
)  # fmt: skip
def test_each_rule_fires_on_its_own_inconsistency(tmp_path, rule, change):
    _result, findings = run(tmp_path, [{**GOOD, **change}])
    assert rules_of(findings) == [("3671051007001", rule)], findings


def test_lp_rule_names_the_field_one_finding_per_field(tmp_path):
    _result, findings = run(tmp_path, [{**GOOD, "dpt_l": 251, "pemilih_disabilitas_p": 3}])
    lp = [f for f in findings if f["rule"] == "LP_NE_JUMLAH"]
    assert len(lp) == 2 and {f["detail"].split(":")[0] for f in lp} == {"dpt", "pemilih_disabilitas"}


def test_max_per_tps_follows_the_option(tmp_path):
    _result, findings = run(tmp_path, [GOOD], max_per_tps=300)
    assert rules_of(findings) == [("3671051007001", "DPT_GT_MAKS")]


def test_a_blank_number_means_not_reported_and_its_rules_are_skipped(tmp_path):
    blank = {**GOOD, "suara_sah": "", "suara_paslon_1": 999}
    _result, findings = run(tmp_path, [blank])
    assert "PASLON_NE_SAH" not in {f["rule"] for f in findings}
    assert "SAH_TIDAK_SAH_NE_TOTAL" not in {f["rule"] for f in findings}


def test_bad_rows_are_rejected_by_row_and_field_and_counted(tmp_path):
    rows = [
        GOOD,
        {**GOOD, "kode_tps": "367105100700"},
        {**GOOD, "kode_tps": "3671051007002", "dpt": "lima ratus"},
        GOOD,
    ]
    result, _findings = run(tmp_path, rows)
    assert (result.loaded.rows_in, result.loaded.loaded, result.loaded.rejected) == (4, 1, 3)
    with (tmp_path / "out" / "rejects.csv").open() as f:
        rejects = list(csv.DictReader(f))
    assert [(r["sumber"], r["kolom"]) for r in rejects] == [
        ("hasil.csv baris 3", "kode_tps"),
        ("hasil.csv baris 4", "dpt"),
        ("hasil.csv baris 5", "kode_tps"),
    ]


def _results_csv(folder, lines: list[str]):
    """``hasil.csv`` in ``folder``: the contract's header and ``lines``."""
    path = folder / "hasil.csv"
    header = "kode_tps,suara_paslon_1,suara_paslon_2,suara_sah,suara_tidak_sah,dpt,pengguna_total"
    path.write_text("\n".join([header, *lines]) + "\n")
    return path


def test_a_stray_apostrophe_is_a_bad_cell_not_a_quote_that_swallows_rows(tmp_path):
    """Found by the fuzzer: two cells holding only ' made DuckDB's sniffer take it for the quote character, and the
    line between them vanished into one row (rows in 2 of 3)."""
    path = _results_csv(
        tmp_path, ["3671051007001,0,0,0,0,0,0", "3671051007002,0,0,0,0,',0", "3671051007003,0,0,0,0,',0"]
    )
    loaded = check(path, tmp_path / "out").loaded
    assert (loaded.rows_in, loaded.loaded, loaded.rejected) == (3, 1, 2)
    assert [(where, column) for where, column, _ in loaded.rejects] == [
        ("hasil.csv baris 3", "dpt"),
        ("hasil.csv baris 4", "dpt"),
    ]


def _sirekap(administrasi, chart, shape):
    body = {"chart": chart, "administrasi": administrasi, "images": [], "psu": None, "ts": "2024-11-27 20:00:00"}
    return {"tungsura": body, "ts": body["ts"]} if shape == "pilkada" else body


def test_a_row_starting_with_a_hash_is_a_bad_row_not_a_comment(tmp_path):
    """Found by the fuzzer: DuckDB's sniffer took a row whose kode_tps was '#' for a comment and dropped it, so rows
    in were 3 of 4."""
    path = _results_csv(tmp_path, ["3671051007001,0,0,0,0,0,0", "#,0,0,0,0,0,0", "3671051007003,0,0,0,0,0,0"])
    loaded = check(path, tmp_path / "out").loaded
    assert (loaded.rows_in, loaded.loaded, loaded.rejected) == (3, 2, 1)
    assert [(where, column) for where, column, _ in loaded.rejects] == [("hasil.csv baris 3", "kode_tps")]


@pytest.mark.parametrize("shape", ["pemilu", "pilkada"])
def test_both_sirekap_json_shapes_are_read(tmp_path, shape):
    folder = tmp_path / "json"
    folder.mkdir()
    administrasi = {"pemilih_dpt_j": 500, "pemilih_dpt_l": 250, "pemilih_dpt_p": 250, "pengguna_total_j": 400,
                    "suara_sah": 390, "suara_tidak_sah": 10, "suara_total": 400}  # fmt: skip
    chart = {"null": None, "1000821": 100, "1000823": 170, "1000822": 125}  # ids out of order: sorted → 1, 2, 3
    (folder / "3671051007001.json").write_text(json.dumps(_sirekap(administrasi, chart, shape)))
    (folder / "3671051007002.json").write_text(json.dumps({"chart": None, "administrasi": None, "images": []}))
    result = check(folder, tmp_path / "out")
    assert (result.loaded.loaded, result.loaded.paslon) == (2, 3)
    findings = (tmp_path / "out" / "findings.csv").read_text()
    assert "jumlah suara paslon 395 ≠ suara sah 390" in findings  # 100 + 125 + 170


def test_the_real_sample_has_three_tps_whose_votes_do_not_add_up(tmp_path):
    result = check(SAMPLE, tmp_path, max_per_tps=300)
    assert result.loaded.rows_in == result.loaded.loaded == 53
    with (tmp_path / "findings.csv").open() as f:
        wrong = sorted(r["kode_tps"] for r in csv.DictReader(f) if r["rule"] == "PASLON_NE_SAH")
    assert wrong == ["3101011001003", "3101011003001", "3101011003008"]


def test_a_broken_json_file_is_rejected_not_dropped(tmp_path):
    folder = tmp_path / "json"
    folder.mkdir()
    (folder / "3671051007001.json").write_text("{not json")
    (folder / "catatan.json").write_text("{}")
    result = check(folder, tmp_path / "out")
    assert (result.loaded.rows_in, result.loaded.loaded, result.loaded.rejected) == (2, 0, 2)


def test_a_zip_that_climbs_out_of_its_folder_is_refused(tmp_path):
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../../3671051007001.json", "{}")
    with pytest.raises(KawalError, match=r"tidak aman|unsafe"):
        check(evil, tmp_path / "out")


def _tps(i, kel="3671051007", **numbers):
    return {"kode_tps": f"{kel}{i:03d}", **numbers}


def test_screen_turnout_far_from_the_kelurahan(tmp_path):
    rows = [_tps(i, dpt=500, suara_sah_dan_tidak_sah=300 + i) for i in range(1, 8)]
    rows.append(_tps(8, dpt=500, suara_sah_dan_tidak_sah=495))  # 99% where the others are ~61%
    _result, findings = run(tmp_path, rows)
    assert rules_of(findings) == [("3671051007008", "PARTISIPASI_MENYIMPANG")]


def test_screen_one_paslon_near_100_percent(tmp_path):
    rows = [_tps(1, suara_paslon_1=200, suara_paslon_2=2), _tps(2, suara_paslon_1=120, suara_paslon_2=80)]
    _result, findings = run(tmp_path, rows)
    assert rules_of(findings) == [("3671051007001", "PASLON_HAMPIR_100")]


def test_screen_invalid_share_outlier(tmp_path):
    rows = [_tps(i, suara_tidak_sah=10 + i % 3, suara_sah_dan_tidak_sah=400) for i in range(1, 12)]
    rows.append(_tps(12, suara_tidak_sah=90, suara_sah_dan_tidak_sah=400))
    _result, findings = run(tmp_path, rows)
    assert rules_of(findings) == [("3671051007012", "TIDAK_SAH_MENYIMPANG")]


def test_screen_last_digits_per_kecamatan(tmp_path):
    even = [_tps(i, suara_paslon_1=100 + i, suara_paslon_2=200 + 3 * i) for i in range(1, 121)]
    made_up = [_tps(i, kel="3671061001", suara_paslon_1=100 + 10 * (i % 5), suara_paslon_2=205) for i in range(1, 121)]
    _result, findings = run(tmp_path, even + made_up)
    digits = [f["kode_tps"] for f in findings if f["rule"] == "DIGIT_AKHIR"]
    assert digits == ["367106"]


@pytest.mark.parametrize("value", ["1.6", "1e3", "-5", "1_000", "99999999999999999999", "20000000"])
def test_numbers_must_be_plain_whole_counts(tmp_path, value):
    result, _findings = run(tmp_path, [{**GOOD, "dpt": value}])
    assert (result.loaded.loaded, result.loaded.rejected) == (0, 1)


def test_the_same_tps_in_two_json_files_is_a_reject_not_a_silent_drop(tmp_path):
    folder = tmp_path / "json"
    for sub in ("a", "b"):
        (folder / sub).mkdir(parents=True)
        (folder / sub / "3671051007001.json").write_text(
            json.dumps({"chart": {"1": 5}, "administrasi": {"suara_sah": 5}})
        )
    (folder / "3671051007002.json").write_text(json.dumps({"chart": {"1": 10**20}, "administrasi": None}))
    result = check(folder, tmp_path / "out")
    assert (result.loaded.rows_in, result.loaded.loaded, result.loaded.rejected) == (3, 1, 2)


FIELDS = [
    *(f"suara_paslon_{i}" for i in (1, 2, 3)),
    *GOOD.keys() - {"kode_tps", "suara_paslon_1", "suara_paslon_2", "suara_paslon_3"},
]


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(FIELDS)), st.integers(0, 700), max_size=len(FIELDS)))
def test_the_python_check_of_one_form_agrees_with_the_sql(numbers):
    import pyarrow as pa

    from kawal.engine.results.rules import check_form, findings_sql
    from kawal.engine.sql import connect

    con = connect()
    con.register(
        "r", pa.table({"kode_tps": ["3671051007001"], **{c: pa.array([numbers.get(c)], pa.int64()) for c in FIELDS}})
    )
    in_sql = sorted(rule for (rule,) in con.execute(f"SELECT rule FROM ({findings_sql(3, 600)})").fetchall())
    assert [f["rule"] for f in check_form(numbers, 3, 600)] == in_sql
