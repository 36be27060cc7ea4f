"""The result columns of a TPS (Model C.Hasil), as the CSV contract of ``kawal results check`` names them."""

from __future__ import annotations

PAIRED = ("dpt", "pengguna_dpt", "pengguna_dptb", "pengguna_dpk", "pengguna_total", "pemilih_disabilitas")
BALLOTS = ("surat_suara_diterima", "surat_suara_digunakan", "surat_suara_dikembalikan", "surat_suara_tidak_digunakan")
VOTES = ("suara_sah", "suara_tidak_sah", "suara_sah_dan_tidak_sah")
NUMBERS = tuple(f"{base}{suffix}" for base in PAIRED for suffix in ("", "_l", "_p")) + BALLOTS + VOTES
PASLON_PREFIX = "suara_paslon_"

# Sirekap's per-TPS JSON (Pemilu at the top level, Pilkada under "tungsura"): "administrasi" keys → ours.
SIREKAP_ADMINISTRASI = {
    "pemilih_dpt_j": "dpt",
    "pemilih_dpt_l": "dpt_l",
    "pemilih_dpt_p": "dpt_p",
    "pengguna_dpt_j": "pengguna_dpt",
    "pengguna_dpt_l": "pengguna_dpt_l",
    "pengguna_dpt_p": "pengguna_dpt_p",
    "pengguna_dptb_j": "pengguna_dptb",
    "pengguna_dptb_l": "pengguna_dptb_l",
    "pengguna_dptb_p": "pengguna_dptb_p",
    "pengguna_non_dpt_j": "pengguna_dpk",
    "pengguna_non_dpt_l": "pengguna_dpk_l",
    "pengguna_non_dpt_p": "pengguna_dpk_p",
    "pengguna_total_j": "pengguna_total",
    "pengguna_total_l": "pengguna_total_l",
    "pengguna_total_p": "pengguna_total_p",
    "suara_sah": "suara_sah",
    "suara_tidak_sah": "suara_tidak_sah",
    "suara_total": "suara_sah_dan_tidak_sah",
}


def paslon(n: int) -> str:
    return f"{PASLON_PREFIX}{n}"
