"""The Model C.Hasil as printed: its two pages, the item numbers (I.A, I.B.1 … V.C) and their words, the ballot's
columns with the candidates' numbers and names (and the *kolom kosong* of a single-candidate race), and one table
of plain sentences for the consistency rules.

The layout follows KPU's form (PKPU 25/2023, Lampiran XVI; the Pilkada form has the same blocks): page 1 holds
I (voters and who voted), II (ballots) and III (disabled voters); page 2 holds IV (votes per paslon) and V (valid,
invalid, total). The rule sentences are used by the server (receipts, conflicts) and handed to ``chasil.js`` as
JSON, so the browser and the server say the same words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kawal.engine import paslon
from kawal.web.participation.models import Election
from kawal.web.results.models import Candidate

PAGES = 2  # the C.Hasil has two pages; a photo of each is required before a reading is sent


@dataclass(frozen=True)
class Item:
    field: str  # the CSV contract's column (``_l``/``_p`` added for paired rows)
    number: str  # as printed: I.A, I.B.1 …
    label: str
    paired: bool = False  # printed with laki-laki / perempuan / jumlah


@dataclass(frozen=True)
class Column:
    """One column of block IV: a paslon, or the kolom kosong of a single-candidate race."""

    number: int
    field: str
    name: str
    kolom_kosong: bool = False

    @property
    def label(self) -> str:
        if self.kolom_kosong:
            return _("Kolom kosong")
        return f"{self.number}. {self.name}" if self.name else _("Paslon %(n)s") % {"n": self.number}


def items_page_1() -> list[tuple[str, str, list[Item]]]:
    """Blocks I–III, in the paper's order, with their printed numbers."""
    return [
        ("I.A", _("Data pemilih"), [Item("dpt", "I.A", _("Pemilih dalam DPT"), True)]),
        (
            "I.B",
            _("Pengguna hak pilih"),
            [
                Item("pengguna_dpt", "I.B.1", _("Pengguna hak pilih dari DPT"), True),
                Item("pengguna_dptb", "I.B.2", _("Pengguna hak pilih dari DPTb (pindahan)"), True),
                Item("pengguna_dpk", "I.B.3", _("Pengguna hak pilih dari DPK (KTP-el saja)"), True),
                Item("pengguna_total", "I.B.4", _("Jumlah pengguna hak pilih (B.1 + B.2 + B.3)"), True),
            ],
        ),
        (
            "II",
            _("Data penggunaan surat suara"),
            [
                Item("surat_suara_diterima", "II.1", _("Surat suara diterima, termasuk cadangan")),
                Item("surat_suara_digunakan", "II.2", _("Surat suara digunakan")),
                Item("surat_suara_dikembalikan", "II.3", _("Surat suara dikembalikan (rusak atau keliru coblos)")),
                Item("surat_suara_tidak_digunakan", "II.4", _("Surat suara tidak digunakan, termasuk sisa cadangan")),
            ],
        ),
        (
            "III",
            _("Data pemilih disabilitas"),
            [Item("pemilih_disabilitas", "III", _("Pemilih disabilitas yang memilih"), True)],
        ),
    ]


def items_page_2_totals() -> list[Item]:
    return [
        Item("suara_sah", "V.A", _("Jumlah seluruh suara sah")),
        Item("suara_tidak_sah", "V.B", _("Jumlah suara tidak sah")),
        Item("suara_sah_dan_tidak_sah", "V.C", _("Jumlah suara sah dan tidak sah (A + B)")),
    ]


def columns(election: Election) -> list[Column]:
    """Block IV: one column per ballot column, named from the election's candidates (numbers only when none)."""
    named = {c.number: c for c in Candidate.objects.filter(election=election)}
    out = []
    for number in range(1, election.paslon + 1):
        c = named.get(number)
        out.append(Column(number, paslon(number), c.name if c else "", bool(c and c.kolom_kosong)))
    return out


def single_candidate(cols: list[Column]) -> bool:
    return any(c.kolom_kosong for c in cols)


def labels(election: Election, cols: list[Column] | None = None) -> dict[str, str]:
    """Every number of the form → "I.B.1 Pengguna hak pilih dari DPT (laki-laki)": what a person reads."""
    out: dict[str, str] = {}
    for _code, _title, items in items_page_1():
        for item in items:
            out[item.field] = f"{item.number} {item.label}"
            if item.paired:
                out[f"{item.field}_l"] = f"{item.number} {item.label} ({_('laki-laki')})"
                out[f"{item.field}_p"] = f"{item.number} {item.label} ({_('perempuan')})"
    for c in cols if cols is not None else columns(election):
        out[c.field] = f"IV.{c.number} {c.label}" if not c.kolom_kosong else f"IV.{c.number} {_('Kolom kosong')}"
    for item in items_page_2_totals():
        out[item.field] = f"{item.number} {item.label}"
    return out


def angka(value: int | None) -> str:
    """A count the Indonesian way (1.234), or "–" when not reported."""
    return "–" if value is None else number_format(value, force_grouping=True)


# --- the rules in plain words ------------------------------------------------------------------------------------


def rule_sentences() -> dict[str, str]:
    """One sentence per rule, with {placeholders} both the server and chasil.js fill (numbers formatted)."""
    return {
        "PASLON_NE_SAH": _("Suara paslon ({jumlah}) ≠ suara sah ({sah}): periksa IV dan V.A"),
        "SAH_TIDAK_SAH_NE_TOTAL": _(
            "Suara sah ({sah}) + tidak sah ({tidak_sah}) = {jumlah}, bukan {total}: periksa V.A, V.B dan V.C"
        ),
        "PENGGUNA_NE_RINCIAN": _(
            "Pengguna dari DPT + DPTb + DPK ({jumlah}) ≠ jumlah pengguna hak pilih ({total}): periksa I.B.1 sampai I.B.4"
        ),
        "PENGGUNA_NE_SUARA": _(
            "Jumlah pengguna hak pilih ({pengguna}) ≠ suara sah dan tidak sah ({total}): periksa I.B.4 dan V.C"
        ),
        "PENGGUNA_DPT_GT_DPT": _("Pengguna dari DPT ({pengguna}) lebih banyak dari DPT ({dpt}): periksa I.A dan I.B.1"),
        "DPT_GT_MAKS": _("DPT ({dpt}) melebihi batas {maks} pemilih per TPS: periksa I.A"),
        "SURAT_SUARA_NE": _(
            "Surat suara diterima ({diterima}) ≠ digunakan + dikembalikan + tidak digunakan ({jumlah}): periksa II.1 sampai II.4"
        ),
        "DIGUNAKAN_NE_PENGGUNA": _(
            "Surat suara digunakan ({digunakan}) ≠ jumlah pengguna hak pilih ({pengguna}): periksa II.2 dan I.B.4"
        ),
        "DISABILITAS_GT_PENGGUNA": _(
            "Pemilih disabilitas ({disabilitas}) lebih banyak dari pengguna hak pilih ({pengguna}): periksa III dan I.B.4"
        ),
        "SUARA_GT_DPT": _(
            "Suara sah dan tidak sah ({total}) melebihi surat suara TPS: DPT {dpt} + cadangan {persen} ({cadangan}) = {batas}: periksa V.C dan I.A"
        ),
        "LP_NE_JUMLAH": _("{nomor}: laki-laki ({l}) + perempuan ({p}) = {jumlah}, bukan {total}"),
    }


def _values(code: str, n: dict[str, int], election: Election, base: str = "") -> dict[str, object]:
    """The numbers a rule's sentence names, from the form's numbers."""
    from kawal.engine import reserve_fraction

    votes = sum(v for k, v in n.items() if k.startswith("suara_paslon_"))
    g = n.get
    if code == "LP_NE_JUMLAH":
        number = next(
            (f"{i.number} {i.label}" for _c, _t, items in items_page_1() for i in items if i.field == base), base
        )
        return {
            "nomor": number,
            "l": g(f"{base}_l"),
            "p": g(f"{base}_p"),
            "jumlah": (g(f"{base}_l") or 0) + (g(f"{base}_p") or 0),
            "total": g(base),
        }
    share = reserve_fraction(election.ballot_reserve)
    dpt = g("dpt") or 0
    reserve = -(-dpt * share.numerator // share.denominator)
    return {
        "jumlah": {
            "PASLON_NE_SAH": votes,
            "SAH_TIDAK_SAH_NE_TOTAL": (g("suara_sah") or 0) + (g("suara_tidak_sah") or 0),
            "PENGGUNA_NE_RINCIAN": sum(g(k) or 0 for k in ("pengguna_dpt", "pengguna_dptb", "pengguna_dpk")),
            "SURAT_SUARA_NE": sum(
                g(k) or 0 for k in ("surat_suara_digunakan", "surat_suara_dikembalikan", "surat_suara_tidak_digunakan")
            ),
        }.get(code),
        "sah": g("suara_sah"),
        "tidak_sah": g("suara_tidak_sah"),
        "total": g("pengguna_total") if code == "PENGGUNA_NE_RINCIAN" else g("suara_sah_dan_tidak_sah"),
        "pengguna": g("pengguna_dpt") if code == "PENGGUNA_DPT_GT_DPT" else g("pengguna_total"),
        "dpt": dpt,
        "maks": election.max_per_tps,
        "diterima": g("surat_suara_diterima"),
        "digunakan": g("surat_suara_digunakan"),
        "disabilitas": g("pemilih_disabilitas"),
        "persen": f"{number_format(round(float(election.ballot_reserve) * 100, 1), decimal_pos=1)}%",
        "cadangan": reserve,
        "batas": dpt + reserve,
    }


def _lp_base(flag: dict[str, str]) -> str:
    """The row an LP_NE_JUMLAH finding is about (its detail lists ``dpt_l=…, dpt_p=…, dpt=…``)."""
    first = flag.get("detail", "").rsplit(": ", 1)[-1].split("=", 1)[0]
    return first.removesuffix("_l").removesuffix("_p")


def sentences(flags: list[dict[str, str]], numbers: dict[str, int], election: Election) -> list[dict[str, str]]:
    """Stored findings as sentences a witness reads, each keeping its code and detail for "detail"."""
    table = rule_sentences()
    out = []
    for flag in flags:
        code = flag["rule"]
        base = _lp_base(flag) if code == "LP_NE_JUMLAH" else ""
        values = {k: angka(v) if isinstance(v, int) else v for k, v in _values(code, numbers, election, base).items()}
        text = table.get(code, code).format_map(_Blank(values))
        out.append({"rule": code, "text": text, "detail": flag.get("detail", "")})
    return out


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "–"


def winner_rule(cols: list[Column]) -> str:
    """The rule that decides the race (UU 10/2016: Pasal 107 for several pairs, Pasal 54D for a single one)."""
    if single_candidate(cols):
        return _(
            "Calon tunggal: paslon menang bila memperoleh lebih dari 50% suara sah. Jika tidak, kolom kosong unggul "
            "dan pemilihan diulang pada pemilihan berikutnya."
        )
    return _("Paslon dengan suara sah terbanyak ditetapkan sebagai pemenang.")


def single_candidate_standing(cols: list[Column], shares: dict[int, float]) -> str:
    """Where a single-candidate race stands on the shares so far (only for a race with a kolom kosong)."""
    paslon_col = next((c for c in cols if not c.kolom_kosong), None)
    if not single_candidate(cols) or paslon_col is None or paslon_col.number not in shares:
        return ""
    share = shares[paslon_col.number]
    percent = f"{number_format(round(share * 100, 1), decimal_pos=1)}%"
    if share > 0.5:
        return _("Sementara paslon memperoleh %(p)s suara sah: lebih dari 50%%.") % {"p": percent}
    return _("Sementara paslon memperoleh %(p)s suara sah: belum lebih dari 50%%.") % {"p": percent}


# --- candidates from the shipped 2024 figures (demo) --------------------------------------------------------------


def load_2024_candidates(election: Election) -> int:
    """Candidates of a 2024 Kota Tangerang election from the Sirekap figures shipped with kawal (number and names
    as KPU printed them). Returns how many were added; an election that has candidates is left alone."""
    import csv
    from importlib.resources import files

    if Candidate.objects.filter(election=election).exists():
        return 0
    path = files("kawal") / "data" / "pilkada2024_kecamatan_sirekap.csv"
    with path.open(encoding="utf-8") as handle:
        names = {
            int(r["nomor_urut"]): r["nama_paslon"]
            for r in csv.DictReader(handle)
            if r["pemilihan"] == election.pemilihan
        }
    Candidate.objects.bulk_create(
        [Candidate(election=election, number=n, name=name) for n, name in sorted(names.items()) if n <= election.paslon]
    )
    return len(names)


__all__ = ["PAGES", "Column", "Item", "angka", "columns", "labels", "sentences", "winner_rule"]
