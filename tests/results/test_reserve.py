"""The ballot reserve: SUARA_GT_DPT fires when suara_sah_dan_tidak_sah > dpt + ⌈reserve × dpt⌉ (KPU rounds the
reserve up per TPS), 2.5% by default (Pilkada), 2% for a Pemilu; and on the real Sirekap files every rule agrees
with an independent computation in plain Python."""

import csv
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kawal.engine.results import check
from kawal.engine.results.rules import check_form, findings_sql
from tests.results.test_check import GOOD, run

DATA = Path(__file__).resolve().parent.parent / "data"
REAL = sorted(DATA.glob("sirekap_ppwp_*.zip"))  # real Pilpres 2024 per-TPS Sirekap JSON (docs/data.md)


def _suara_gt_dpt(tmp_path, dpt, votes, **kwargs):
    row = {"kode_tps": "3671051007001", "dpt": dpt, "suara_sah_dan_tidak_sah": votes}
    tmp_path.mkdir(parents=True, exist_ok=True)
    _result, findings = run(tmp_path, [row], **kwargs)
    return [f["detail"] for f in findings if f["rule"] == "SUARA_GT_DPT"]


@pytest.mark.parametrize(
    ("dpt", "allowed", "reserve"),
    [
        (250, 257, None),  # 6.25 reserve ballots, rounded up to 7: 256.25 × 1.025 would have flagged 257
        (280, 287, None),  # exactly 7: no rounding
        (281, 289, None),  # 7.025 → 8
        (250, 255, "0.02"),  # 5 exactly
        (251, 257, "0.02"),  # 5.02 → 6
        (1, 2, None),  # one voter still brings a reserve ballot
        (0, 0, None),
    ],
)
def test_suara_gt_dpt_fires_above_dpt_plus_the_reserve_rounded_up(tmp_path, dpt, allowed, reserve):
    kwargs = {"reserve": reserve} if reserve else {}
    assert _suara_gt_dpt(tmp_path / "at", dpt, allowed, **kwargs) == []
    assert len(_suara_gt_dpt(tmp_path / "over", dpt, allowed + 1, **kwargs)) == 1


def test_the_detail_names_the_reserve_in_both_languages(tmp_path, monkeypatch):
    assert _suara_gt_dpt(tmp_path / "id", 250, 258) == ["suara 258 > DPT 250 + cadangan 2,5% (7) = 257"]
    assert _suara_gt_dpt(tmp_path / "pemilu", 250, 258, reserve="0.02") == [
        "suara 258 > DPT 250 + cadangan 2% (5) = 255"
    ]
    monkeypatch.setenv("KAWAL_LANG", "en")
    from kawal.engine.results import rules

    rules.rules.cache_clear()  # rule texts are built once per language
    try:
        assert _suara_gt_dpt(tmp_path / "en", 250, 258) == ["votes 258 > DPT 250 + 2.5% reserve (7) = 257"]
    finally:
        rules.rules.cache_clear()


def test_summary_records_the_reserve(tmp_path):
    result, _findings = run(tmp_path, [GOOD], reserve="0.02")
    summary = json.loads((result.out / "summary.json").read_text())
    assert (summary["reserve"], summary["max_per_tps"]) == (0.02, 600)


def test_cli_defaults_to_the_pilkada_reserve_and_takes_another(tmp_path):
    path = tmp_path / "hasil.csv"
    path.write_text("kode_tps,dpt,suara_sah_dan_tidak_sah\n3671051007001,250,256\n")

    def rules_found(*options):
        out = tmp_path / "out"
        cli = [sys.executable, "-m", "kawal", "results", "check", str(path), "--out", str(out), *options]
        subprocess.run(cli, check=True, capture_output=True)
        return json.loads((out / "summary.json").read_text())["rules"]

    assert rules_found() == {}  # 256 ≤ 250 + 7
    assert rules_found("--reserve", "0.02") == {"SUARA_GT_DPT": 1}  # 256 > 250 + 5
    refused = subprocess.run(
        [sys.executable, "-m", "kawal", "results", "check", str(path), "--out", str(tmp_path), "--reserve", "2"],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2 and "--reserve" in refused.stderr


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 1200), st.integers(0, 1300), st.sampled_from(["0.025", "0.02", "0.1", "0", "0.0333", 0.025, 0.02])
)
def test_the_python_check_agrees_with_the_sql_at_any_reserve(dpt, votes, reserve):
    import pyarrow as pa

    from kawal.engine.results.columns import NUMBERS
    from kawal.engine.sql import connect

    numbers = {c: pa.array([None], pa.int64()) for c in NUMBERS}
    numbers |= {"dpt": pa.array([dpt], pa.int64()), "suara_sah_dan_tidak_sah": pa.array([votes], pa.int64())}
    con = connect()
    con.register("r", pa.table({"kode_tps": ["3671051007001"], **numbers}))
    in_sql = [rule for (rule,) in con.execute(f"SELECT rule FROM ({findings_sql(0, 10_000, reserve)})").fetchall()]
    in_python = [f["rule"] for f in check_form({"dpt": dpt, "suara_sah_dan_tidak_sah": votes}, 0, 10_000, reserve)]
    expected = ["SUARA_GT_DPT"] if votes > dpt + _ceil_share(dpt, str(reserve)) else []
    assert in_sql == in_python == expected


# --- independent computation on the real files --------------------------------------------------------------


def _ceil_share(dpt: int, reserve: str) -> int:
    """⌈reserve × dpt⌉ in integers from the reserve's decimal digits, no floats and no kawal code."""
    whole, _, digits = reserve.partition(".")
    scale = 10 ** len(digits)
    numerator = int(whole or "0") * scale + int(digits or "0")
    return -(-dpt * numerator // scale)


def _read_real(path: Path) -> dict[str, dict]:
    """kode_tps → the numbers of one Sirekap JSON, mapped as docs/results.md says (None where not reported)."""
    out = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith(".json"):
                continue
            body = json.loads(archive.read(name))
            body = body.get("tungsura", body)
            adm = body.get("administrasi") or {}
            chart = body.get("chart") or {}
            votes = [chart[k] for k in sorted((k for k in chart if k.isdigit()), key=int)]
            numbers = {"votes": votes, "suara_sah": adm.get("suara_sah"), "suara_tidak_sah": adm.get("suara_tidak_sah")}
            numbers["suara_sah_dan_tidak_sah"] = adm.get("suara_total")
            for base, key in (("dpt", "pemilih_dpt"), ("pengguna_dpt", "pengguna_dpt"), ("pengguna_dptb", "pengguna_dptb"),
                              ("pengguna_dpk", "pengguna_non_dpt"), ("pengguna_total", "pengguna_total")):  # fmt: skip
                numbers[base] = adm.get(f"{key}_j")
                numbers[f"{base}_l"], numbers[f"{base}_p"] = adm.get(f"{key}_l"), adm.get(f"{key}_p")
            out[Path(name).stem] = numbers
    return out


def _rules_broken(n: dict, max_per_tps: int, reserve: str) -> set[str]:
    """The consistency rules one TPS breaks, each only when every number it needs is reported."""
    found = set()

    def fires(rule, *values, test):
        if all(v is not None for v in values) and test(*values):
            found.add(rule)

    v = n["votes"]
    if v and all(x is not None for x in v):
        fires("PASLON_NE_SAH", sum(v), n["suara_sah"], test=lambda a, b: a != b)
    fires("SAH_TIDAK_SAH_NE_TOTAL", n["suara_sah"], n["suara_tidak_sah"], n["suara_sah_dan_tidak_sah"],
          test=lambda a, b, c: a + b != c)  # fmt: skip
    fires("PENGGUNA_NE_RINCIAN", n["pengguna_dpt"], n["pengguna_dptb"], n["pengguna_dpk"], n["pengguna_total"],
          test=lambda a, b, c, d: a + b + c != d)  # fmt: skip
    fires("PENGGUNA_NE_SUARA", n["pengguna_total"], n["suara_sah_dan_tidak_sah"], test=lambda a, b: a != b)
    fires("PENGGUNA_DPT_GT_DPT", n["pengguna_dpt"], n["dpt"], test=lambda a, b: a > b)
    fires("DPT_GT_MAKS", n["dpt"], test=lambda a: a > max_per_tps)
    fires("SUARA_GT_DPT", n["suara_sah_dan_tidak_sah"], n["dpt"], test=lambda a, b: a > b + _ceil_share(b, reserve))
    for base in ("dpt", "pengguna_dpt", "pengguna_dptb", "pengguna_dpk", "pengguna_total"):
        fires("LP_NE_JUMLAH", n[f"{base}_l"], n[f"{base}_p"], n[base], test=lambda a, b, c: a + b != c)
    return found


def _expected(tps: dict[str, dict], max_per_tps: int, reserve: str) -> set[tuple[str, str]]:
    return {(kode, rule) for kode, n in tps.items() for rule in _rules_broken(n, max_per_tps, reserve)}


CONSISTENCY = {"PASLON_NE_SAH", "SAH_TIDAK_SAH_NE_TOTAL", "PENGGUNA_NE_RINCIAN", "PENGGUNA_NE_SUARA",
               "PENGGUNA_DPT_GT_DPT", "DPT_GT_MAKS", "SURAT_SUARA_NE", "DIGUNAKAN_NE_PENGGUNA",
               "DISABILITAS_GT_PENGGUNA", "SUARA_GT_DPT", "LP_NE_JUMLAH"}  # fmt: skip


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
@pytest.mark.parametrize("reserve", ["0.025", "0.02"])
def test_every_rule_is_exact_on_the_real_pilpres_files(tmp_path, path, reserve):
    tps = _read_real(path)
    kwargs = {} if reserve == "0.025" else {"reserve": reserve}  # 0.025 is the default
    result = check(path, tmp_path, max_per_tps=300, **kwargs)  # a Pemilu TPS holds at most 300
    assert result.loaded.rows_in == result.loaded.loaded == len(tps)
    with (tmp_path / "findings.csv").open() as f:
        found = {(r["kode_tps"], r["rule"]) for r in csv.DictReader(f) if r["rule"] in CONSISTENCY}
    assert found == _expected(tps, 300, reserve)


@pytest.mark.parametrize("reserve", ["0.025", "0.02"])
def test_the_real_sample_counts(tmp_path, reserve):
    """Measured on the 53 Kep. Seribu Utara files (29 report DPT and votes): one SUARA_GT_DPT at either reserve,
    TPS 013 with DPT 0 and 210 votes; the next fullest TPS used 46 of its 52 (2.5%) or 51 (2%) ballots."""
    check(DATA / "sirekap_ppwp_tps_json_sample_dki_3101.zip", tmp_path, max_per_tps=300, reserve=reserve)
    with (tmp_path / "findings.csv").open() as f:
        over = [r["kode_tps"] for r in csv.DictReader(f) if r["rule"] == "SUARA_GT_DPT"]
    assert over == ["3101011001013"]
