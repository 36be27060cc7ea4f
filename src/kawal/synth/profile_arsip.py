"""The ``arsip`` profile: a Kota Tangerang DPT merged from a clean population extract and hand-keyed paper forms.

Written BLIND to the matcher: nothing under ``kawal/engine/audit/`` (its name rules, weights or thresholds) and no
benchmark result was read while writing this module. The people, names, households and the ways the second
archive goes wrong come from our own picture of how Indonesian voter lists are assembled.

FROZEN once measured: do not tune this profile to the matcher's results. Add a new profile instead, so earlier
measurements stay comparable.

The story. Most rows come from the Dukcapil extract: typed, with structurally valid NIK and NKK. About 2 % of rows
are a second (for ~5 % of those people a third) registration of someone already listed, keyed by hand from coklit
forms and transfer letters by one of several clerks, each with their own habits:

* birth date: a clerk who writes month first (only visible when the day is 12 or less), a two-digit year read with
  its digits transposed (1987 -> 1978) or in the wrong century (03 -> 1903), or a date copied from the row above on
  the form (the household head's, or the previous person's);
* name: short forms (MUHAMMAD -> MOH / M. / MUH, ABDUL -> ABD, NURUL -> NUR, SITI -> ST. ...) or a word cut to an
  initial; a married woman with her husband's name appended or written NY. ...; BIN/BINTI and the father's name
  added or dropped; a Chinese-Indonesian family name (TAN, LIM, ...) on one row and not the other; letters misread
  from handwriting (U/V, N/M, I/L, A/O, E/F, R/K); a missing space or a word split by an extra space;
* NIK: one or two digits keyed wrong, the NIK of another member of the same KK, or left blank;
* place: the same KK, the same KK with RT/RW keyed differently, or another KK in the same kelurahan (moved in
  with relatives); sex keyed wrong now and then; the birthplace abbreviated or spelt another way.

Hard negatives (different people who look alike) are written to ``hard_negatives.csv``: twins (same KK, same
date, different given names, consecutive NIK serials), fathers and sons of one name, neighbours with one common
name, and unrelated namesakes born the same year.

Outputs, as ``kawal.synth.profiles.generate_profile``: ``dpt.csv``, ``truth.csv`` (PEMILIH_GANDA and NIK_GANDA
from the final rows; a blank NIK is no NIK, so blanks are never NIK_GANDA), ``pairs.csv`` (every pair of rows of
one person, labelled with what differs), ``hard_negatives.csv`` and ``generate.json``. Deterministic for a seed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

from kawal.engine.nik import valid_prefixes
from kawal.synth.generator import CITY_TPS, CITY_VOTERS, MAX_PER_TPS, allocate, load_city
from kawal.synth.profiles import kind_counts, negatives_table, tag_counts, write_separate

PROFILE = "arsip"
S = np.dtypes.StringDType()
EPOCH = date(1970, 1, 1)
OLDEST = (date(1925, 1, 1) - EPOCH).days
CUTOFF = (date(2007, 11, 27) - EPOCH).days  # born on or before this day: 17 on election day 2024
DUPLICATE_ROWS = 0.02  # extra registrations as a share of all rows
TRIPLE_SHARE = 0.05  # duplicated people registered three times
RT_HOUSEHOLDS = 38
RT_PER_RW = 8
HOUSEHOLD_SIZES = ((1, 2, 3, 4, 5, 6), (0.17, 0.36, 0.24, 0.13, 0.07, 0.03))
MUSLIM = ("jawa", "sunda", "betawi", "minang")
TRADITIONS = (("jawa", 0.31), ("sunda", 0.23), ("betawi", 0.21), ("batak", 0.07), ("minang", 0.07), ("tionghoa", 0.07),
              ("timur", 0.04))  # fmt: skip
YEAR = 365.2425


def _words(text: str) -> np.ndarray:
    return np.array(text.split(), dtype=S)


# --- our own name lists, most common first ----------------------------------------------------------------------

GIVEN: dict[tuple[str, bool], np.ndarray] = {
    ("jawa", False): _words(
        "AGUS BUDI EKO JOKO BAMBANG SLAMET HERU WAHYU DWI TEGUH SUGENG PRIYO ARIF YUDI ANDRI HARI BAYU DIMAS "
        "SUPRIYADI SUHARTO PURWANTO HARYANTO SUYANTO MULYONO SUWARNO NUGROHO SETYO SUDARMAN WIDODO HARTONO "
        "SUPARMAN SUGIANTO TRI KUSNADI SUBAGYO DARMAJI SISWANTO BASUKI GUNAWAN SANTOSO TRIYONO SUTOPO RAHARJO "
        "PRASETYO WIBOWO SUKIRNO SUPARNO MARYOTO SARWONO SUMARNO SUJADI WARSITO KATIMIN RUSDI HENDRO ADI GALIH"
    ),
    ("jawa", True): _words(
        "SRI ENDANG TUTIK DWI WAHYUNI LESTARI RAHAYU SUMARNI SUPARTI YULI ANI WINARTI SUMIATI SUSILOWATI "
        "PURWANTI HARTATI MARYATI SULASTRI SUNARTI SETYOWATI NINGSIH KUSMIYATI RETNO DYAH ASIH TRI WATINI "
        "SUKESIH WIDYA ASTUTI INDAH PUJI RATNA SUSANTI WULAN MURNI SUPRAPTI JUMIATI TUMINAH SUPINAH WARTINI"
    ),
    ("sunda", False): _words(
        "ASEP DEDI UJANG DADANG CECEP YAYAN ENDANG DENI IWAN AEP AAN ENCEP JAJANG TATANG OMAN ROHMAT "
        "HERI KOKO DODI UJANG DEDE ENDANG YUDI WAWAN AHMAD SOLEH UDIN DINDIN EMAN ACENG OKTAVIAN RIAN GILANG"
    ),
    ("sunda", True): _words(
        "EUIS NENG IMAS ENOK CUCU LILIS IIS NENENG YAYAH TITIN NUNUNG ELIS EEM EDAH AI ENTIN EUTIK OOM "
        "IDA YANTI TETI ROSITA DEDEH ELA NINING POPON RINA SRI ANISA RISMA"
    ),
    ("betawi", False): _words(
        "SAMSUDIN JAENUDIN MUHIDIN ROJALI MARZUKI SANUSI UDIN ROHIM JUNAEDI SUBHAN RIDWAN ZAENAL HASAN SALEH "
        "NAMAN SARMILI ENTONG MADI BAHRUDIN SAPRUDIN NURDIN MAMAT SOBARI ZAKARIA ISMAIL ABDULLAH HAMDANI "
        "SAIPUL ROHMAN SAHRONI FAUZI ILHAM FIRMAN RIZAL"
    ),
    ("betawi", True): _words(
        "AMINAH MARYAM ROHAYA JUBAEDAH MUNAROH SARIPAH ROSIDAH HINDUN ZUBAEDAH ROHMAH MASITOH NAPISAH "
        "FATIMAH KHADIJAH HASANAH NURHAYATI SAODAH MUSLIHAH ROFIAH MAEMUNAH HALIMAH SITI AISYAH RATNA"
    ),
    ("minang", False): _words(
        "AFRIZAL ZULKIFLI DASRIL NOFRIZAL SYAFRIL ERMANTO ZULFAHMI ANDIKA FAUZI RAHMAT HENDRI YULIANDRI "
        "ASRIL DEDI EFENDI NASRUL JASMAN ZAINAL BUYUNG FERDI YONDRI"
    ),
    ("minang", True): _words(
        "YULIARTI NOVIA ROSMAINI DESWITA ELFIRA YUSNIDAR ERNAWATI ZURAIDA YUSNIMAR RAHMI NURHAYATI "
        "FITRI WATI ASNIDAR YENI ELVI DESI"
    ),
    ("batak", False): _words(
        "JONNY ROBERT MARTIN DAVID HOTMAN PARLINDUNGAN TUMPAL BINSAR SAHAT MANGIHUT RAJA JUNIOR FRANS "
        "BONAR HENDRIK SAUT MARULI TIGOR POLTAK DANIEL JOSUA"
    ),
    ("batak", True): _words(
        "MARIA ROSMAWATI DUMA RUTH LASMA TIO DEBORA NURLELA ROSTINA MERI SARAH LENNY HOTMA TIURMA RISMA "
        "ELIZABETH YOHANA"
    ),
    ("tionghoa", False): _words(
        "HENDRA WILLY ANDY SUSANTO BUDI RUDY HARTONO JOHAN KEVIN STEVEN FELIX ALBERT TONNY HENGKY ERWIN "
        "WILLIAM JIMMY YOHANES DARMAWAN SUGIANTO"
    ),
    ("tionghoa", True): _words(
        "LINDA MELIANA SUSAN YENNY LILY MEILANI VERONICA JESSICA NOVITA LIANA SUSANTI MEGAWATI FELICIA "
        "WENNY LISA TJOE CYNTHIA ELISABETH"
    ),
    ("timur", False): _words(
        "YOHANIS MARKUS PETRUS FRANSISKUS ANTONIUS YOSEF STEVANUS NOVRI DOMINGGUS ALFONS MATHEUS YULIUS"
    ),
    ("timur", True): _words("MARIA MARGARETHA YOSEFINA AGUSTINA NOVITA MAGDALENA SELVI KRISTINA FRANSISKA"),
}
SECOND: dict[tuple[str, bool], np.ndarray] = {
    ("jawa", False): _words("SANTOSO SETIAWAN PRASETYO WIBOWO SAPUTRA HIDAYAT NUGROHO KURNIAWAN PURNOMO SUSILO "
                            "RAHARJO UTOMO HARYADI PAMUNGKAS WICAKSONO SUPRIYANTO"),
    ("jawa", True): _words("WAHYUNI LESTARI RAHAYU HANDAYANI WULANDARI PURWANINGSIH SUSANTI KURNIASIH "
                           "PERTIWI ASTUTI MULYANI RATNASARI"),
    ("sunda", False): _words("SUPRIATNA HERMAWAN SETIAWAN KURNIAWAN SUHENDAR SOBANDI RUKMANA SUTISNA SAEPUDIN "
                             "NURJAMAN MULYANA HIDAYAT RUSTANDI SOLIHIN"),
    ("sunda", True): _words("NURJANAH KOMALASARI RAHMAWATI SUMIATI MULYANI FITRIANI HERAWATI NURAENI "
                            "SUKMAWATI MARLINA"),
    ("betawi", False): _words("HIDAYAT RAHMAN SAPUTRA RAMADHAN MAULANA FIRDAUS ARIFIN HAKIM SOLEH "
                              "SYAHRONI JUNAEDI"),
    ("betawi", True): _words("NURHAYATI FITRIANI RAHMAWATI HASANAH MAULIDA ARIANI MARLINA AULIA"),
    ("minang", False): _words("PUTRA SYAHPUTRA EFENDI HAMDANI AMRI CHANIAGO PILIANG TANJUNG KOTO SIKUMBANG"),
    ("minang", True): _words("PUTRI YANTI MARLINA SARI ERNI HAYATI"),
    ("batak", False): _words("SIMANJUNTAK SIREGAR NASUTION HUTAPEA SITUMORANG PANJAITAN SIAHAAN SINAGA LUBIS "
                             "HARAHAP SIMATUPANG PASARIBU TAMBUNAN MANURUNG SIHOMBING SITOMPUL NAINGGOLAN GULTOM"),
    ("tionghoa", False): _words("WIJAYA KUSUMA GUNAWAN HALIM SANTOSO SETIADI SUGIARTO TJAHJADI LIMANTO WIRAWAN "
                                "HALIMAN TANOTO HARYANTO SALIM"),
    ("tionghoa", True): _words("WIJAYA KUSUMA GUNAWAN HALIM SANTOSO SETIADI SUGIARTO TJAHJADI LIMANTO WIRAWAN "
                               "HALIMAN TANOTO"),
    ("timur", False): _words("PATTIRAJAWANE LATUMAHINA MANUPUTTY RUMAHORBO SITANIA LEWERISSA DA_COSTA KOLO"),
}  # fmt: skip
SECOND[("batak", True)] = SECOND[("batak", False)]
SECOND[("timur", True)] = SECOND[("timur", False)]
OLD_JAWA = {  # single names of Javanese born before 1965
    False: _words("SUKARDI PAIMIN TUKIMIN WAGIMAN SUKIMAN PARJO KASIMAN SAMIN KARTO PAIJO SUPARDI SURATNO "
                  "DARSONO MARDI SAIMAN KASNO SUJONO RAKIMIN SAKIMAN WAKIDI"),
    True: _words("TUKINAH SUMIYATI PONIRAH WAGINEM PAINEM SUTINAH MARSINAH KASMINI SAINEM PAIRAH SUKINEM "
                 "JUMINAH TUMIRAH WARSIAH SARINAH KATINEM"),
}  # fmt: skip
MODERN = {  # the young of every Muslim tradition
    False: _words("RIZKI ALIF FAJAR ADITYA RAFI FARHAN DIMAS ILHAM RIZKY ALDI BAGUS REZA KEVIN FIKRI "
                  "NAUFAL AKBAR YOGA DAFFA IQBAL HAIKAL GILANG ARYA"),
    True: _words("PUTRI AINI DEWI AYU DINDA SALSABILA NABILA AULIA ANISA INTAN DEVI FITRI RANI TIARA "
                 "NADIA AMELIA SINTA WINDA SELVI AISYAH"),
}  # fmt: skip
COMPOUND = {
    False: (("MUHAMMAD", 0.46), ("MOHAMAD", 0.08), ("AHMAD", 0.22), ("ABDUL", 0.16), ("MOCHAMAD", 0.08)),
    True: (("SITI", 0.58), ("NUR", 0.18), ("NURUL", 0.12), ("SRI", 0.12)),
}
# the long tail: Javanese-style names built from a root and an ending, each of them rare
ROOTS = (
    "SU",
    "SUPAR",
    "HAR",
    "MUL",
    "KUS",
    "WAR",
    "PUR",
    "SET",
    "JUM",
    "SAR",
    "SUK",
    "DAR",
    "PRI",
    "WID",
    "SUR",
    "RAH",
    "SUG",
    "SUT",
    "HER",
    "YUL",
    "SLAM",
    "TAR",
    "KAR",
    "PAR",
    "SUM",
    "RUS",
    "DAN",
    "SAP",
    "MAR",
    "WAH",
)
ENDINGS = {
    False: ("YANTO", "YONO", "TONO", "MAN", "DI", "NO", "TO", "JO", "MIN", "WANTO", "ADI", "ONO", "SONO"),
    True: ("YATI", "WATI", "NINGSIH", "YANI", "SIH", "NAH", "NI", "INI", "ARTI", "ANTI", "MI", "INAH"),
}
TAIL = {f: np.array(sorted({r + e for r in ROOTS for e in ENDINGS[f]}), dtype=S) for f in (False, True)}
LEADING = ("SRI", "DWI", "TRI", "NENG", "AI", "ENDANG", "PUJI")  # words that open a name more than make one
CHINESE_SURNAMES = _words("TAN LIM LIE ONG GO THE KWEE OEY LAU WONG HO LIANG TJIA KHOE")
COMMON_NAMES = {  # what neighbours and namesakes share
    False: _words("MUHAMMAD_RIZKI AHMAD_FAUZI AGUS_SETIAWAN BUDI_SANTOSO DEDI_SUPRIATNA ASEP_SAEPUDIN "
                  "MUHAMMAD_IQBAL AGUS_SALIM ABDUL_ROHMAN MUHAMMAD_FAJAR EKO_PRASETYO SLAMET"),
    True: _words("SITI_AMINAH NUR_HASANAH SRI_WAHYUNI SITI_NURJANAH SITI_FATIMAH DEWI_LESTARI SRI_RAHAYU "
                 "SITI_KHODIJAH NURHAYATI SUMARNI"),
}  # fmt: skip
BIRTHPLACE = {
    "jawa": ("SEMARANG", "SOLO", "KLATEN", "WONOGIRI", "BOYOLALI", "KEBUMEN", "PURWOREJO", "TEGAL", "BREBES",
             "YOGYAKARTA", "MADIUN", "PEKALONGAN", "SURABAYA", "JAKARTA"),
    "sunda": ("BANDUNG", "GARUT", "TASIKMALAYA", "CIANJUR", "SUKABUMI", "BOGOR", "KUNINGAN", "SUMEDANG", "SERANG",
              "PANDEGLANG", "LEBAK"),
    "betawi": ("JAKARTA", "JAKARTA", "BEKASI", "DEPOK", "TANGERANG", "TANGERANG"),
    "minang": ("PADANG", "BUKITTINGGI", "PAYAKUMBUH", "SOLOK", "PARIAMAN", "JAKARTA"),
    "batak": ("MEDAN", "TARUTUNG", "PEMATANG SIANTAR", "BALIGE", "SIBOLGA", "JAKARTA"),
    "tionghoa": ("JAKARTA", "PONTIANAK", "MEDAN", "SEMARANG", "BANDUNG", "SINGKAWANG", "TANGERANG"),
    "timur": ("AMBON", "KUPANG", "MANADO", "ENDE", "JAKARTA"),
}  # fmt: skip
PLACE_VARIANTS = {  # how a clerk writes a birthplace on paper
    "TANGERANG": ("TNG", "TANGGERANG", "TGR", "KOTA TANGERANG", "TANGERANG KOTA", "TANGRANG"),
    "JAKARTA": ("JKT", "DKI JAKARTA", "DJAKARTA", "JAKARTA PUSAT", "JAKARTA BARAT", "DKI"),
    "YOGYAKARTA": ("YOGYA", "JOGJA", "JOGJAKARTA", "DJOKJAKARTA", "YK"),
    "SOLO": ("SURAKARTA", "SKA"),
    "SEMARANG": ("SMG", "SEMARAN"),
    "SURABAYA": ("SBY", "SOERABAJA"),
    "BANDUNG": ("BDG", "BANDOENG"),
    "BUKITTINGGI": ("BUKIT TINGGI", "BKT"),
    "PEMATANG SIANTAR": ("P. SIANTAR", "PEMATANGSIANTAR", "SIANTAR"),
    "TASIKMALAYA": ("TASIK", "TASIKMALAJA"),
    "PEKALONGAN": ("PKL", "PEKALONGAN KAB"),
    "SUKABUMI": ("SUKA BUMI", "SMI"),
    "PONTIANAK": ("PTK", "PONTIANAK KALBAR"),
    "MEDAN": ("MDN", "MEDAN SUMUT"),
}
SHORT_FORMS = {  # on paper
    "MUHAMMAD": ("MOH", "M.", "MUH", "MHD", "MUH."),
    "MOHAMAD": ("MOH", "M.", "MOH."),
    "MOCHAMAD": ("MOCH", "M.", "MOCH."),
    "AHMAD": ("AHM", "A.", "ACH"),
    "ABDUL": ("ABD", "ABD.", "AB."),
    "NURUL": ("NUR", "NRL"),
    "SITI": ("ST.", "ST"),
    "ABDULLAH": ("ABD",),
    "SRI": ("SR.",),
}
MISREAD = {"U": "V", "V": "U", "N": "M", "M": "N", "I": "L", "L": "I", "A": "O", "O": "A", "E": "F", "F": "E",
           "R": "K", "K": "R"}  # fmt: skip
STREETS = _words(
    "MERPATI KENANGA MELATI CEMPAKA MAWAR ANGGREK DAHLIA FLAMBOYAN BERINGIN KAMBOJA NANGKA RAMBUTAN DUKU MANGGA "
    "PALEM CENDRAWASIH RAJAWALI KUTILANG NURI JALAK PERINTIS SWADAYA BHAKTI HARAPAN MAKMUR SEJAHTERA PERSATUAN "
    "BUDI_MULIA BABAKAN PASAR_BARU CISADANE KEBON_JAHE GANDASARI SUKAMULYA BOJONG TANAH_TINGGI PONDOK_ARUM"
).astype(S)
DISABILITIES = ("1", "2", "3", "4", "5")

# clerks: (how many mechanisms they leave: shares of 0, 1, 2, 3), mechanism weights
MECHANISMS = (
    "dob_monthfirst", "dob_year_transposed", "dob_century", "dob_copied", "name_short", "name_married",
    "name_patronym", "name_chinese", "name_misread", "name_space", "nik_typo", "nik_typo2", "nik_household",
    "nik_blank", "sex_wrong", "birthplace",
)  # fmt: skip
CLERKS: tuple[tuple[str, tuple[float, float, float, float], dict[str, float]], ...] = (
    ("teliti", (0.35, 0.45, 0.15, 0.05), {}),
    ("bulan_dulu", (0.05, 0.40, 0.35, 0.20), {"dob_monthfirst": 8.0, "birthplace": 2.0}),
    ("singkat", (0.05, 0.35, 0.40, 0.20), {"name_short": 6.0, "birthplace": 4.0, "name_married": 2.0}),
    ("tulisan", (0.05, 0.35, 0.35, 0.25), {"name_misread": 6.0, "nik_typo": 4.0, "nik_typo2": 2.0, "name_space": 3.0}),
    ("salin", (0.10, 0.45, 0.30, 0.15), {"dob_copied": 6.0, "nik_household": 5.0, "nik_blank": 2.0}),
)  # fmt: skip
BASE_WEIGHT = {
    "dob_monthfirst": 1.0, "dob_year_transposed": 0.8, "dob_century": 1.5, "dob_copied": 0.7, "name_short": 1.5,
    "name_married": 1.2, "name_patronym": 1.0, "name_chinese": 4.0, "name_misread": 1.5, "name_space": 1.0,
    "nik_typo": 1.2, "nik_typo2": 0.5, "nik_household": 0.6, "nik_blank": 0.8, "sex_wrong": 0.4, "birthplace": 1.5,
}  # fmt: skip
PLACES = (("same_kk", 0.50), ("rt_rw", 0.15), ("other_kk", 0.35))
HARD_NEGATIVES = {"twins": 0.0015, "father_son": 0.002, "neighbours": 0.002, "namesake_year": 0.002}  # pairs/person


def _zipf(n: int, skew: float = 1.05) -> np.ndarray:
    w = 1.0 / (np.arange(n) + 1.5) ** skew
    return w / w.sum()


def _spaces(name: np.ndarray) -> np.ndarray:
    return np.strings.replace(name, "_", " ")


def _join(*parts: np.ndarray) -> np.ndarray:
    out = parts[0].astype(S)
    for p in parts[1:]:
        out = np.strings.add(np.strings.add(out, " "), p.astype(S))
    out = np.strings.strip(out)
    for _ in range(3):
        out = np.strings.replace(out, "  ", " ")
    return out


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = days.astype("datetime64[D]")
    y = d.astype("datetime64[Y]")
    m = d.astype("datetime64[M]")
    return y.astype(np.int64) + 1970, (m - y).astype(np.int64) + 1, (d - m).astype(np.int64) + 1


def _ddmmyy(days: np.ndarray, female: np.ndarray) -> np.ndarray:
    y, m, d = _ymd(days)
    return (d + 40 * female) * 10_000 + m * 100 + y % 100


def _serials(key: np.ndarray) -> np.ndarray:
    """1, 2, 3 ... within each key, in the order the rows come."""
    order = np.argsort(key, kind="stable")
    k = key[order]
    start = np.r_[True, k[1:] != k[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(len(k)), 0))
    serial = np.empty(len(key), dtype=np.int64)
    serial[order] = np.arange(len(k)) - first + 1
    return serial


def _nik_date_ok(nik: str, female: bool | None = None) -> bool:
    if len(nik) != 16 or not nik.isdigit():
        return False
    dd, mm, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if female is None:
        female = dd > 40
    dd -= 40 * female
    for year in (2000 + yy, 1900 + yy):
        try:
            date(year, mm, dd)
            return int(nik[12:]) > 0
        except ValueError:
            continue
    return False


@dataclass
class Copy:
    """One extra registration keyed from paper."""

    person: int
    clerk: str
    hh: int
    rt: int
    rw: int
    nik: str
    name: str
    born: int
    female: bool
    birthplace: str
    tags: list[str] = field(default_factory=list)


class Arsip:
    hh_kel: np.ndarray
    hh_first: np.ndarray
    kel_first_hh: np.ndarray

    def __init__(self, voters: int, seed: int) -> None:
        self.voters, self.seed = voters, seed
        self.rng = np.random.default_rng([seed, 0xA851])
        self.extra = round(voters * DUPLICATE_ROWS)
        self.persons = voters - self.extra
        self.city = load_city()
        self.prefixes = valid_prefixes()
        self.outside = np.array(
            sorted(p for p in self.prefixes if p[:2] in ("31", "32", "33", "34", "35", "36", "12", "13", "16", "18")
                   and not p.startswith("3671")), dtype=np.int64)  # fmt: skip
        self.negatives: list[tuple[np.ndarray, np.ndarray, str]] = []

    # --- households and where they live ------------------------------------------------------------------------

    def households(self) -> None:
        rng, n = self.rng, self.persons
        sizes, shares = HOUSEHOLD_SIZES
        size = rng.choice(np.array(sizes), size=n // 2 + 10, p=np.array(shares))
        cum = np.cumsum(size)
        count = int(np.searchsorted(cum, n)) + 1
        size = size[:count].copy()
        size[-1] -= int(cum[count - 1]) - n
        self.n_hh = count
        self.hh_size = size
        self.hh_first = np.r_[0, np.cumsum(size)[:-1]]
        spouse = (size >= 2) & (rng.random(count) < 0.8)
        parent = (size >= 2 + spouse) & (rng.random(count) < np.where(spouse, 0.12, 0.3))
        children = size - 1 - spouse - parent
        self.hh_female_head = np.where(spouse, rng.random(count) < 0.04, rng.random(count) < 0.45)
        # head's birth: children need room after, a parent needs room before
        has_child, has_parent = children > 0, parent
        lo = np.select([has_child & has_parent, has_child, has_parent], [1946, 1935, 1944], 1935)
        hi = np.select([has_child & has_parent, has_child, has_parent], [1984, 1986, 2000], 2006)
        mode = np.select([has_child & has_parent, has_child, has_parent], [1975, 1974, 1990], 1992)
        year = rng.triangular(lo, mode, hi)
        head_born = ((year - 1970) * YEAR).astype(np.int64)
        self.hh_head_born = np.clip(head_born, OLDEST, CUTOFF)
        # tradition of the household
        names, share = zip(*TRADITIONS, strict=True)
        self.hh_trad = rng.choice(np.array(names), size=count, p=np.array(share))

        person_hh = np.repeat(np.arange(count), size)
        pos = np.arange(n) - self.hh_first[person_hh]
        sp, par = spouse[person_hh], parent[person_hh]
        role = np.full(n, 2)  # 0 head, 1 spouse, 2 child, 3 parent
        role[pos == 0] = 0
        role[(pos == 1) & sp] = 1
        role[par & (pos == size[person_hh] - 1)] = 3
        self.hh, self.pos, self.role = person_hh, pos, role

        female = rng.random(n) < 0.5
        head_f = self.hh_female_head[person_hh]
        female[role == 0] = head_f[role == 0]
        female[role == 1] = ~head_f[role == 1]
        female[role == 3] = rng.random(int((role == 3).sum())) < 0.7
        hb = self.hh_head_born[person_hh]
        born = hb.copy()
        gap = np.abs(rng.normal(3.5, 3.0, n)) * YEAR
        wife = np.where(hb + gap > CUTOFF, hb - gap, hb + gap)  # a wife is younger, unless he is very young
        born[role == 1] = np.where(head_f, hb - gap, wife).astype(np.int64)[role == 1]
        c_lo = hb + (19 * YEAR)
        c_hi = np.minimum(hb + 42 * YEAR, CUTOFF)
        child = (c_lo + rng.random(n) * np.maximum(c_hi - c_lo, 0)).astype(np.int64)
        born[role == 2] = child[role == 2]
        p_hi = hb - 18 * YEAR
        p_lo = np.maximum(hb - 42 * YEAR, OLDEST)
        par_born = (p_lo + rng.random(n) * np.maximum(p_hi - p_lo, 0)).astype(np.int64)
        born[role == 3] = par_born[role == 3]
        self.born = np.clip(born, OLDEST, CUTOFF)
        self.female = female
        trad = self.hh_trad[person_hh].copy()
        other = (role == 1) & (rng.random(n) < 0.15)
        trad[other] = rng.choice(np.array(names), size=int(other.sum()), p=np.array(share))
        self.trad = trad
        self._status()

    def _status(self) -> None:
        rng, n, role = self.rng, self.persons, self.role
        age = (CUTOFF - self.born) / YEAR + 17
        spouse_here = np.zeros(self.n_hh, dtype=bool)
        spouse_here[self.hh[role == 1]] = True
        status = np.full(n, "B", dtype=S)
        status[role == 1] = "S"
        head = role == 0
        status[head & spouse_here[self.hh]] = "S"
        lone = head & ~spouse_here[self.hh]
        status[lone & (age >= 35)] = np.where(rng.random(int((lone & (age >= 35)).sum())) < 0.8, "P", "S")
        status[lone & (age < 35)] = np.where(rng.random(int((lone & (age < 35)).sum())) < 0.15, "S", "B")
        kid = role == 2
        r = rng.random(n)
        status[kid & (age >= 24) & (r < 0.4)] = "S"
        status[kid & (age >= 30) & (r < 0.6)] = "S"
        status[role == 3] = np.where(rng.random(int((role == 3).sum())) < 0.75, "P", "S")
        self.status = status
        self.disability = np.where(rng.random(n) < 0.006, rng.choice(np.array(DISABILITIES), size=n), "").astype(S)

    def layout(self) -> None:
        rng, city = self.rng, self.city
        n_kel = len(city.kel_code)
        n_tps = max(2 * n_kel, round(self.voters * CITY_TPS / CITY_VOTERS))
        self.kel_tps = allocate(n_tps, city.weight, minimum=1)
        self.kel_tps_first = np.r_[0, np.cumsum(self.kel_tps)[:-1]]
        kel_persons = allocate(self.persons, self.kel_tps.astype(float))
        kel_end = np.cumsum(kel_persons)
        kel_start = kel_end - kel_persons
        hh_kel = np.searchsorted(kel_end, self.hh_first, side="right")
        frac = (self.hh_first - kel_start[hh_kel]) / np.maximum(kel_persons[hh_kel], 1)
        tps_local = np.minimum((frac * self.kel_tps[hh_kel]).astype(np.int64), self.kel_tps[hh_kel] - 1)
        self.hh_kel = hh_kel
        self.hh_tps_no = tps_local + 1
        self.hh_tps = self.kel_tps_first[hh_kel] + tps_local
        first_in_kel = np.searchsorted(hh_kel, np.arange(n_kel))
        rank = np.arange(self.n_hh) - first_in_kel[hh_kel]
        rt_index = rank // RT_HOUSEHOLDS
        self.hh_rt = rt_index % RT_PER_RW + 1
        self.hh_rw = rt_index // RT_PER_RW + 1
        street = STREETS[(hh_kel * 13 + rt_index * 7) % len(STREETS)]
        kind = (hh_kel + rt_index) % 5
        number = rng.integers(1, 180, self.n_hh).astype(str).astype(S)
        blok = np.array(list("ABCDEFGH"), dtype=S)[rng.integers(0, 8, self.n_hh)]
        street = _spaces(street)
        address = np.where(
            kind < 3,
            np.strings.add(np.strings.add(np.strings.add("JL. ", street), " NO. "), number),
            np.where(
                kind == 3,
                np.strings.add("KP. ", street),
                np.strings.add(np.strings.add(np.strings.add(np.strings.add("PERUM ", street), " BLOK "), blok),
                               np.strings.add(" NO. ", number)),
            ),
        )  # fmt: skip
        self.hh_address = address.astype(S)
        self.kel_first_hh = first_in_kel
        self.kel_hh_count = np.bincount(hh_kel, minlength=n_kel)

    # --- names ------------------------------------------------------------------------------------------------

    def names(self) -> None:
        rng, n = self.rng, self.persons
        year = _ymd(self.born)[0]
        given = np.full(n, "", dtype=S)
        second = np.full(n, "", dtype=S)
        prefix = np.full(n, "", dtype=S)
        muslim = np.isin(self.trad, MUSLIM)
        for (trad, fem), pool in GIVEN.items():
            rows = np.flatnonzero((self.trad == trad) & (self.female == fem))
            given[rows] = pool[rng.choice(len(pool), size=len(rows), p=_zipf(len(pool), 0.95))]
            spool = SECOND[(trad, fem)]
            second[rows] = spool[rng.choice(len(spool), size=len(rows), p=_zipf(len(spool), 0.6))]
            if trad in MUSLIM:  # a second given name instead, often a rare one
                other = rows[rng.random(len(rows)) < 0.45]
                second[other] = pool[rng.choice(len(pool), size=len(other), p=_zipf(len(pool), 0.5))]
            tail = TAIL[fem]
            share = {"jawa": 0.35, "sunda": 0.15, "betawi": 0.15, "minang": 0.1}.get(trad, 0.0)
            rare = rows[rng.random(len(rows)) < share]
            given[rare] = tail[rng.integers(0, len(tail), len(rare))]
            rare = rows[rng.random(len(rows)) < share / 2]
            second[rare] = tail[rng.integers(0, len(tail), len(rare))]
        for fem in (False, True):
            rows = np.flatnonzero(muslim & (self.female == fem) & (year >= 1985) & (rng.random(n) < 0.45))
            pool = MODERN[fem]
            given[rows] = _spaces(pool[rng.choice(len(pool), size=len(rows), p=_zipf(len(pool)))])
            rows = np.flatnonzero((self.trad == "jawa") & (self.female == fem) & (year < 1965) & (rng.random(n) < 0.5))
            pool = OLD_JAWA[fem]
            given[rows] = pool[rng.choice(len(pool), size=len(rows), p=_zipf(len(pool), 0.7))]
            words = np.array([w for w, _ in COMPOUND[fem]], dtype=S)
            odds = np.array([x for _, x in COMPOUND[fem]])
            rows = np.flatnonzero(muslim & (self.female == fem) & (rng.random(n) < 0.2))
            prefix[rows] = words[rng.choice(len(words), size=len(rows), p=odds)]
        # one word only: Javanese elders above all
        mono_p = np.where(self.trad == "jawa", np.where(year < 1965, 0.6, np.where(year < 1980, 0.3, 0.1)),
                          np.where(np.isin(self.trad, ("sunda", "betawi")), np.where(year < 1965, 0.3, 0.08), 0.0))  # fmt: skip
        mono = rng.random(n) < mono_p
        second[mono] = ""
        for fem in (False, True):  # SRI, DWI, NENG ... hardly stand alone; a word is not its own second name
            tail = TAIL[fem]
            odd = (self.female == fem) & mono & np.isin(given, np.array(LEADING, dtype=S))
            given[odd] = tail[rng.integers(0, len(tail), int(odd.sum()))]
            odd = (self.female == fem) & (second == given)
            second[odd] = tail[rng.integers(0, len(tail), int(odd.sum()))]
        prefix[mono & (rng.random(n) < 0.7)] = ""
        # families: a Batak marga or a Chinese-Indonesian family name passes from the head to the children
        head = self.hh_first[self.hh]
        family = np.isin(self.trad, ("batak", "timur")) | ((self.trad == "tionghoa") & (rng.random(n) < 0.6))
        inherit = family & (self.role == 2) & (self.trad == self.trad[head])
        second[inherit] = second[head[inherit]]
        boru = (self.trad == "batak") & self.female & (rng.random(n) < 0.5)
        second[boru] = np.strings.add("BR ", second[boru])
        self.surname = CHINESE_SURNAMES[rng.choice(len(CHINESE_SURNAMES), size=n, p=_zipf(len(CHINESE_SURNAMES), 0.9))]
        kid = (self.role == 2) & (self.trad == "tionghoa") & (self.trad[head] == "tionghoa")
        self.surname[kid] = self.surname[head[kid]]
        prefix[prefix == given] = ""  # no SITI SITI
        name = _join(prefix, given, _spaces(second))
        # the old Dukcapil rows of some Chinese-Indonesians still carry the family name
        old_cn = (self.trad == "tionghoa") & (year < 1966) & (rng.random(n) < 0.4)
        name[old_cn] = _join(self.surname[old_cn], name[old_cn])
        self.has_surname = old_cn
        # BIN/BINTI and the father's name on the extract, for some children of a household's father
        father = (self.role == 2) & ~self.hh_female_head[self.hh] & muslim & (rng.random(n) < 0.04)
        father &= ~self.renamed[head]
        father_word = self._first_word(name[head[father]])
        name[father] = _join(name[father], np.where(self.female[father], "BINTI", "BIN").astype(S), father_word)
        self.name = name
        self.year = year

    @staticmethod
    def _first_word(names: np.ndarray) -> np.ndarray:
        """The first word that is not MUHAMMAD, SITI and the like."""
        parts = np.strings.partition(names, np.array(" ", dtype=S))
        first, rest = parts[0], parts[2]
        compound = np.isin(first, np.array([w for f in (False, True) for w, _ in COMPOUND[f]], dtype=S))
        rest_first = np.strings.partition(rest, np.array(" ", dtype=S))[0]
        return np.where(compound & (np.strings.str_len(rest_first) > 0), rest_first, first)

    # --- look-alikes ------------------------------------------------------------------------------------------

    def look_alikes(self) -> None:
        rng, n = self.rng, self.persons
        used = np.zeros(n, dtype=bool)
        # twins: two children next to each other in one household, one date, one sex, different given names
        pair = (self.role[:-1] == 2) & (self.role[1:] == 2) & (self.hh[:-1] == self.hh[1:])
        cand = np.flatnonzero(pair)
        cand = np.sort(rng.permutation(cand)[: round(n * HARD_NEGATIVES["twins"])])
        cand = cand[np.r_[True, np.diff(cand) > 1]]  # no child in two pairs
        a, b = cand, cand + 1
        self.born[b] = self.born[a]
        self.female[b] = self.female[a]
        self.status[b] = self.status[a]
        used[a] = used[b] = True
        self.twins = (a, b)
        self.negatives.append((a, b, "twins"))
        # fathers and sons of one name
        male_head = (self.role == 0) & ~self.female
        son = (self.role == 2) & ~self.female & male_head[self.hh_first[self.hh]] & ~used
        son_rows = np.flatnonzero(son)
        _, first_son = np.unique(self.hh[son_rows], return_index=True)
        son_rows = son_rows[first_son]
        son_rows = rng.permutation(son_rows)[: round(n * HARD_NEGATIVES["father_son"])]
        fathers = self.hh_first[self.hh[son_rows]]
        used[son_rows] = used[fathers] = True
        self.negatives.append((fathers, son_rows, "father_son"))
        self.junior = son_rows
        # neighbours: heads of two households side by side in one kelurahan, one common name
        heads = self.hh_first
        nb = np.flatnonzero(
            (self.hh_kel[:-1] == self.hh_kel[1:]) & (self.female[heads[:-1]] == self.female[heads[1:]])
            & ~used[heads[:-1]] & ~used[heads[1:]]
        )  # fmt: skip
        nb = rng.permutation(nb)[: round(n * HARD_NEGATIVES["neighbours"])]
        nb = np.unique(nb)
        nb = nb[np.r_[True, np.diff(nb) > 1]]
        a, b = heads[nb], heads[nb + 1]
        used[a] = used[b] = True
        self.negatives.append((a, b, "neighbours"))
        self.neighbours = (a, b)
        # namesakes: people living alone in two kelurahan, one common name, one birth year
        lone = np.flatnonzero((self.role == 0) & (self.hh_size[self.hh] == 1) & ~used)
        k = min(round(n * HARD_NEGATIVES["namesake_year"]), len(lone) // 2)
        pick = rng.permutation(lone)[: 2 * k]
        a, b = pick[:k], pick[k:]
        keep = (self.female[a] == self.female[b]) & (self.hh_kel[self.hh[a]] != self.hh_kel[self.hh[b]])
        a, b = a[keep], b[keep]
        ya, _, _ = _ymd(self.born[a])
        _, mb, db = _ymd(self.born[b])
        moved = np.array(
            [(date(int(y), int(m), min(int(d), 28)) - EPOCH).days for y, m, d in zip(ya, mb, db, strict=True)],
            dtype=np.int64,
        )
        self.born[b] = np.minimum(moved, CUTOFF)
        self.negatives.append((a, b, "namesake_year"))
        self.namesakes = (a, b)
        self.renamed = np.zeros(n, dtype=bool)  # heads who will get a common name
        for x in (*self.neighbours, a, b):
            self.renamed[x] = True

    def name_look_alikes(self) -> None:
        rng = self.rng
        a, b = self.twins
        same = np.flatnonzero(self._first_word(self.name[a]) == self._first_word(self.name[b]))
        for i in same.tolist():
            pa_, pb = int(a[i]), int(b[i])
            pool = GIVEN[(str(self.trad[pb]), bool(self.female[pb]))]
            words = str(self.name[pb]).split()
            old = str(self._first_word(np.array([self.name[pb]], dtype=S))[0])
            for _ in range(20):
                new = str(pool[rng.integers(len(pool))])
                if new != old:
                    break
            words[words.index(old)] = new
            self.name[pb] = " ".join(words)
            assert self.name[pa_] != self.name[pb]
        self.name[self.junior] = self.name[self.hh_first[self.hh[self.junior]]]
        for a, b in (self.neighbours, self.namesakes):
            fem = self.female[a]
            common = np.where(
                fem,
                COMMON_NAMES[True][rng.choice(len(COMMON_NAMES[True]), size=len(a), p=_zipf(len(COMMON_NAMES[True])))],
                COMMON_NAMES[False][rng.choice(len(COMMON_NAMES[False]), size=len(a), p=_zipf(len(COMMON_NAMES[False])))],
            )  # fmt: skip
            self.name[a] = self.name[b] = _spaces(common)

    # --- numbers ----------------------------------------------------------------------------------------------

    def numbers(self) -> None:
        rng, n = self.rng, self.persons
        home = self.city.kec_code[self.hh_kel].astype(np.int64)
        tangerang = np.unique(self.city.kec_code).astype(np.int64)
        r = rng.random(self.n_hh)
        hh_prefix = np.where(
            r < 0.82, home,
            np.where(r < 0.88, tangerang[rng.integers(0, len(tangerang), self.n_hh)],
                     self.outside[rng.integers(0, len(self.outside), self.n_hh)]),
        )  # fmt: skip
        prefix = hh_prefix[self.hh]
        r = rng.random(n)
        own = (r < 0.15) & (self.role != 2)  # spouses and parents came from elsewhere more often
        own |= (r < 0.05) & (self.role == 2)
        own[self.twins[0]] = own[self.twins[1]] = False
        prefix[own] = np.where(
            rng.random(int(own.sum())) < 0.5, tangerang[rng.integers(0, len(tangerang), int(own.sum()))],
            self.outside[rng.integers(0, len(self.outside), int(own.sum()))],
        )  # fmt: skip
        key = prefix * 1_000_000 + _ddmmyy(self.born, self.female)
        self.nik = key * 10_000 + _serials(key)
        # NKK: where and when the family card was issued, a serial for that day
        issued = rng.integers((date(2004, 1, 1) - EPOCH).days, (date(2024, 6, 1) - EPOCH).days, self.n_hh)
        kk_prefix = np.where(rng.random(self.n_hh) < 0.93, home, hh_prefix)
        kk_key = kk_prefix * 1_000_000 + _ddmmyy(issued, np.zeros(self.n_hh, dtype=bool))
        self.hh_nkk = kk_key * 10_000 + _serials(kk_key)
        # birthplaces
        trad = self.trad
        year = self.year
        bp = np.full(n, "TANGERANG", dtype=S)
        for t, places in BIRTHPLACE.items():
            rows = np.flatnonzero(trad == t)
            bp[rows] = np.array(places, dtype=S)[rng.integers(0, len(places), len(rows))]
        local = (self.role == 2) & (rng.random(n) < np.where(year >= 1975, 0.7, 0.35))
        bp[local] = "TANGERANG"
        a, b = self.twins
        bp[b] = bp[a]
        self.birthplace = bp

    # --- the second archive -----------------------------------------------------------------------------------

    def duplicates(self) -> None:
        rng = self.rng
        people = round(self.extra / (1 + TRIPLE_SHARE))
        chosen = rng.choice(self.persons, size=people, replace=False)
        triples = chosen[: self.extra - people] if self.extra > people else chosen[:0]
        sources = np.concatenate([chosen, triples])
        clerk_of = rng.integers(0, len(CLERKS), len(sources))
        place_names = [t for t, _ in PLACES]
        place_of = rng.choice(len(place_names), size=len(sources), p=np.array([x for _, x in PLACES]))
        copies: list[Copy] = []
        for p, c, pl in zip(sources.tolist(), clerk_of.tolist(), place_of.tolist(), strict=True):
            copies.append(self._copy(p, CLERKS[c], place_names[pl]))
        self.copies = copies

    def _copy(self, p: int, clerk: tuple[str, tuple[float, ...], dict[str, float]], place: str) -> Copy:
        rng = self.rng
        hh = int(self.hh[p])
        c = Copy(
            person=p, clerk=clerk[0], hh=hh, rt=int(self.hh_rt[hh]), rw=int(self.hh_rw[hh]), nik=str(self.nik[p]),
            name=str(self.name[p]), born=int(self.born[p]), female=bool(self.female[p]),
            birthplace=str(self.birthplace[p]),
        )  # fmt: skip
        if place == "other_kk":
            kel = int(self.hh_kel[hh])
            count = int(self.kel_hh_count[kel])
            if count > 1:
                other = int(self.kel_first_hh[kel]) + int(rng.integers(count - 1))
                c.hh = other + (other >= hh)
                c.rt, c.rw = int(self.hh_rt[c.hh]), int(self.hh_rw[c.hh])
            else:
                place = "same_kk"
        elif place == "rt_rw":
            if rng.random() < 0.6:
                c.rt = c.rt + int(rng.choice([-2, -1, 1, 2, 10])) if c.rt > 2 else c.rt + int(rng.integers(1, 4))
            else:
                c.rw = c.rw + int(rng.choice([-1, 1, 2])) if c.rw > 1 else c.rw + 1
        c.tags.append(place)
        wanted = int(rng.choice(4, p=np.array(clerk[1])))
        weights = np.array([BASE_WEIGHT[m] * clerk[2].get(m, 1.0) for m in MECHANISMS])
        order = rng.choice(len(MECHANISMS), size=len(MECHANISMS), replace=False, p=weights / weights.sum())
        done: set[str] = set()
        for i in order.tolist():
            if len(done) >= wanted:
                break
            m = MECHANISMS[i]
            family = m.split("_")[0]
            if family in ("dob", "nik") and any(d.startswith(family) for d in done):
                continue
            if getattr(self, f"_m_{m}")(c):
                done.add(m)
                c.tags.append(m)
        return c

    # birth dates
    def _m_dob_monthfirst(self, c: Copy) -> bool:
        d = EPOCH + timedelta(days=c.born)
        if d.day > 12 or d.day == d.month:
            return False
        return self._set_born(c, date(d.year, d.day, d.month))

    def _m_dob_year_transposed(self, c: Copy) -> bool:
        d = EPOCH + timedelta(days=c.born)
        t, u = d.year // 10 % 10, d.year % 10
        if t == u or d.year >= 2000:
            return False
        return self._set_born(c, _safe_date(1900 + u * 10 + t, d.month, d.day))

    def _m_dob_century(self, c: Copy) -> bool:
        d = EPOCH + timedelta(days=c.born)
        if d.year < 2000:
            return False
        return self._set_born(c, _safe_date(d.year - 100, d.month, d.day))

    def _m_dob_copied(self, c: Copy) -> bool:
        p = c.person
        head = int(self.hh_first[self.hh[p]])
        if head != p and self.rng.random() < 0.7:
            other = int(self.born[head])
        else:
            other = int(self.born[p - 1 if p > 0 else p + 1])
        if other == c.born or other > CUTOFF:
            return False
        c.born = other
        return True

    @staticmethod
    def _set_born(c: Copy, d: date | None) -> bool:
        if d is None:
            return False
        days = (d - EPOCH).days
        if days > CUTOFF or days == c.born:
            return False
        c.born = days
        return True

    # names
    def _m_name_short(self, c: Copy) -> bool:
        words = c.name.split()
        hits = [i for i, w in enumerate(words) if w in SHORT_FORMS]
        if hits:
            i = hits[0]
            words[i] = str(self.rng.choice(SHORT_FORMS[words[i]]))
        elif len(words) >= 2 and words[-1] not in ("BIN", "BINTI") and len(words[-1]) > 2:
            i = len(words) - 1 if self.rng.random() < 0.7 else 0
            words[i] = words[i][0] + "."
        else:
            return False
        c.name = " ".join(words)
        return True

    def _m_name_married(self, c: Copy) -> bool:
        p = c.person
        if not c.female or self.status[p] == "B" or c.name.startswith("NY."):
            return False
        head = int(self.hh_first[self.hh[p]])
        if self.role[p] == 1 and not self.female[head]:
            husband = str(self.name[head]).split()
        else:
            husband = str(
                GIVEN[(str(self.trad[p]), False)][self.rng.integers(len(GIVEN[(str(self.trad[p]), False)]))]
            ).split()
        r = self.rng.random()
        word = husband[-1] if self.rng.random() < 0.5 else husband[0]
        if r < 0.55:
            c.name = f"{c.name} {word}"
        elif r < 0.9:
            c.name = f"NY. {c.name}"
        else:
            c.name = f"NY. {c.name} {word}"
        return True

    def _m_name_patronym(self, c: Copy) -> bool:
        p = c.person
        if str(self.trad[p]) not in MUSLIM:
            return False
        words = c.name.split()
        for tag in ("BIN", "BINTI"):
            if tag in words[1:]:
                c.name = " ".join(words[: words.index(tag, 1)])
                return True
        head = int(self.hh_first[self.hh[p]])
        if self.role[p] == 2 and not self.female[head]:
            father = str(self.name[head]).split()
            father = father[:2] if father[0] in SHORT_FORMS else father[:1]
        else:
            pool = GIVEN[(str(self.trad[p]), False)]
            father = [str(pool[self.rng.integers(len(pool))])]
        c.name = " ".join([*words, "BINTI" if c.female else "BIN", *father])
        return True

    def _m_name_chinese(self, c: Copy) -> bool:
        p = c.person
        if self.trad[p] != "tionghoa":
            return False
        words = c.name.split()
        sur = str(self.surname[p])
        if self.has_surname[p] and words[0] == sur:
            c.name = " ".join(words[1:])
        elif self.rng.random() < 0.7:
            c.name = f"{sur} {c.name}"
        else:
            c.name = f"{c.name} {sur}"
        return True

    def _m_name_misread(self, c: Copy) -> bool:
        chars = list(c.name)
        spots = [i for i, ch in enumerate(chars) if ch in MISREAD]
        if not spots:
            return False
        k = 1 if self.rng.random() < 0.7 or len(spots) < 2 else 2
        for i in self.rng.choice(spots, size=k, replace=False).tolist():
            chars[i] = MISREAD[chars[i]]
        c.name = "".join(chars)
        return True

    def _m_name_space(self, c: Copy) -> bool:
        words = c.name.split()
        if len(words) >= 2 and self.rng.random() < 0.55:
            i = int(self.rng.integers(len(words) - 1))
            c.name = " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]])
            return True
        long = [i for i, w in enumerate(words) if len(w) >= 6 and "." not in w]
        if not long:
            return False
        i = int(self.rng.choice(long))
        w = words[i]
        cut = int(self.rng.integers(2, len(w) - 1))
        words[i] = w[:cut] + " " + w[cut:]
        c.name = " ".join(words)
        return True

    # numbers and the rest
    def _m_nik_typo(self, c: Copy, digits: int = 1) -> bool:
        if not c.nik:
            return False
        for _ in range(30):
            chars = list(c.nik)
            spots = self.rng.choice(np.arange(4, 16), size=digits, replace=False).tolist()
            for i in spots:
                chars[i] = str((int(chars[i]) + int(self.rng.integers(1, 10))) % 10)
            new = "".join(chars)
            if new[:6] in self.prefixes and _nik_date_ok(new, bool(self.female[c.person])) and new != c.nik:
                c.nik = new
                return True
        return False

    def _m_nik_typo2(self, c: Copy) -> bool:
        return self._m_nik_typo(c, 2)

    def _m_nik_household(self, c: Copy) -> bool:
        p = c.person
        hh = int(self.hh[p])
        size = int(self.hh_size[hh])
        if size < 2:
            return False
        first = int(self.hh_first[hh])
        other = first + int(self.rng.integers(size - 1))
        other += other >= p
        c.nik = str(self.nik[other])
        return True

    def _m_nik_blank(self, c: Copy) -> bool:
        if not c.nik:
            return False
        c.nik = ""
        return True

    def _m_sex_wrong(self, c: Copy) -> bool:
        c.female = not c.female
        return True

    def _m_birthplace(self, c: Copy) -> bool:
        bp = c.birthplace
        options = PLACE_VARIANTS.get(bp)
        if options:
            c.birthplace = str(self.rng.choice(options))
        elif self.rng.random() < 0.5:
            c.birthplace = f"KAB. {bp}"
        elif "U" in bp:
            c.birthplace = bp.replace("U", "OE", 1)
        elif len(bp) > 5:
            c.birthplace = bp[:3]
        else:
            return False
        return True

    # --- writing ----------------------------------------------------------------------------------------------

    def write(self, out: Path) -> dict:
        rng, cs = self.rng, self.copies
        n, k = self.persons, len(cs)
        person = np.concatenate([np.arange(n), np.array([c.person for c in cs], dtype=np.int64)])
        hh = np.concatenate([self.hh, np.array([c.hh for c in cs], dtype=np.int64)])
        rt = np.concatenate([self.hh_rt[self.hh], np.array([c.rt for c in cs], dtype=np.int64)])
        rw = np.concatenate([self.hh_rw[self.hh], np.array([c.rw for c in cs], dtype=np.int64)])
        nik = np.concatenate([self.nik.astype(str).astype(S), np.array([c.nik for c in cs], dtype=S)])
        name = np.concatenate([self.name, np.array([c.name for c in cs], dtype=S)])
        born = np.concatenate([self.born, np.array([c.born for c in cs], dtype=np.int64)])
        female = np.concatenate([self.female, np.array([c.female for c in cs], dtype=bool)])
        birthplace = np.concatenate([self.birthplace, np.array([c.birthplace for c in cs], dtype=S)])
        status = np.concatenate([self.status, self.status[person[n:]]])
        disability = np.concatenate([self.disability, self.disability[person[n:]]])
        batch = np.r_[np.zeros(n, dtype=np.int64), np.ones(k, dtype=np.int64)]
        kel, tps_no = self.hh_kel[hh], self.hh_tps_no[hh]
        # TPS order: the extract first, then the paper batch of that TPS in no particular order
        within = np.where(batch == 0, np.arange(n + k), rng.permutation(n + k))
        order = np.lexsort((within, batch, tps_no, kel))
        order = _separate(order, person, kel * 1000 + tps_no, rng)
        position = np.empty(n + k, dtype=np.int64)
        position[order] = np.arange(1, n + k + 1)
        tps_count = np.bincount(self.hh_tps[hh], minlength=int(self.kel_tps.sum()))
        if tps_count.max() > MAX_PER_TPS:
            raise ValueError(f"a TPS got {tps_count.max()} voters")

        rows = {
            "person": person, "nkk": self.hh_nkk[hh], "nik": nik, "nama": name, "tempat_lahir": birthplace,
            "born": born, "female": female, "status_kawin": status, "alamat": self.hh_address[hh], "rt": rt, "rw": rw,
            "disabilitas": disability, "kel": kel, "tps_no": tps_no,
        }  # fmt: skip
        pairs, negatives = self._pairs(position), self._negatives(position)
        problems = write_separate(out, self.city, {key: value[order] for key, value in rows.items()}, pairs, negatives)
        summary = {
            "profile": PROFILE,
            "voters": n + k,
            "persons": n,
            "seed": self.seed,
            "tps": int(self.kel_tps.sum()),
            "kelurahan": len(self.kel_tps),
            "households": int(self.n_hh),
            "largest_tps": int(tps_count.max()),
            "duplicate_rows": k,
            "duplicate_persons": len({c.person for c in cs}),
            "pairs": pairs.num_rows,
            "problems": dict(sorted(problems.items())),
            "mechanisms": tag_counts(pairs),
            "hard_negatives": kind_counts(negatives),
            "clerks": dict(sorted(Counter(c.clerk for c in cs).items())),
            "rates": {"duplicate_rows": DUPLICATE_ROWS, "triple_share": TRIPLE_SHARE, **HARD_NEGATIVES},
        }
        (out / "generate.json").write_text(json.dumps(summary, indent=2))
        return summary

    def _pairs(self, position: np.ndarray) -> pa.Table:
        """Every pair of rows of one person: the extract row with each copy, and two copies with each other."""
        n = self.persons
        a: list[int] = []
        b: list[int] = []
        m: list[str] = []
        by_person: dict[int, list[int]] = {}
        for i, c in enumerate(self.copies):
            by_person.setdefault(c.person, []).append(i)
            a.append(int(position[c.person]))
            b.append(int(position[n + i]))
            m.append(_label(c.tags))
        for rows in by_person.values():
            for x in range(len(rows)):
                for y in range(x + 1, len(rows)):
                    cx, cy = self.copies[rows[x]], self.copies[rows[y]]
                    a.append(int(position[n + rows[x]]))
                    b.append(int(position[n + rows[y]]))
                    place = "same_kk" if (cx.rt, cx.rw) == (cy.rt, cy.rw) else "rt_rw"
                    place = place if cx.hh == cy.hh else "other_kk"
                    m.append(_label([place, "copy_copy", *cx.tags[1:], *cy.tags[1:]]))
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        keep = np.lexsort((hi, lo))
        return pa.table({"id_a": lo[keep], "id_b": hi[keep], "mechanism": pa.array([m[i] for i in keep], pa.string())})

    def _negatives(self, position: np.ndarray) -> pa.Table:
        return negatives_table(self.negatives, position)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _label(tags: list[str]) -> str:
    """Place first, then what else differs, sorted: ``other_kk+dob_monthfirst+name_short``."""
    places = [t for t, _ in PLACES]
    place = [t for t in tags if t in places][:1]
    rest = sorted({t for t in tags if t not in places})
    return "+".join(place + (rest or ["exact"]))


def _separate(order: np.ndarray, person: np.ndarray, group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Swap rows (within their TPS where possible) so that no two rows of one person sit next to each other."""
    order = order.copy()
    count = len(order)
    g = group[order]  # sorted: the rows of a TPS are together

    def fits(i: int, j: int) -> bool:
        """Would the rows at i and j sit well after swapping them?"""
        pi, pj = person[order[i]], person[order[j]]
        near_j = [person[order[k]] for k in (j - 1, j + 1) if 0 <= k < count and k != i]
        near_i = [person[order[k]] for k in (i - 1, i + 1) if 0 <= k < count and k != j]
        return pi not in near_j and pj not in near_i

    for _ in range(20):
        p = person[order]
        stuck = np.flatnonzero(p[1:] == p[:-1]) + 1
        if not len(stuck):
            return order
        for i in stuck.tolist():
            if person[order[i]] != person[order[i - 1]]:
                continue
            lo, hi = int(np.searchsorted(g, g[i])), int(np.searchsorted(g, g[i], side="right"))
            inside = [j for j in rng.permutation(np.arange(lo, hi)).tolist() if abs(j - i) > 1]
            j = next((j for j in inside if fits(i, j)), None)
            if j is None:  # a TPS too small to part them: swap with a row of the next TPS
                j = next(j for j in (*range(hi, min(hi + 5, count)), *range(lo - 1, max(lo - 6, -1), -1)) if fits(i, j))
            order[i], order[j] = order[j], order[i]
    raise RuntimeError("could not separate duplicate rows")


def generate_arsip(voters: int, seed: int, out: Path, progress: Callable[[str], None] | None = None) -> dict:
    """Write ``dpt.csv``, ``truth.csv``, ``pairs.csv``, ``hard_negatives.csv`` and ``generate.json`` to ``out``."""
    say = progress or (lambda _s: None)
    town = Arsip(voters, seed)
    say("persons")
    town.households()
    town.layout()
    town.look_alikes()
    town.names()
    town.name_look_alikes()
    town.numbers()
    say("problems")
    town.duplicates()
    say("write")
    return town.write(Path(out))
