"""The ``lapangan`` profile: a Kota Tangerang DPT after coklit, second registrations typed in the field on phones.

Written BLIND to the matcher: nothing under ``kawal/engine/audit/`` (its name rules, weights or thresholds), no
``docs/checks.md`` and no benchmark result was read while writing this module. The people, names, households
and the ways the second registrations go wrong come from our own picture of how a coklit goes wrong in the field.

FROZEN once measured: do not tune this profile to the matcher's results. Add a new profile instead, so earlier
measurements stay comparable.

The story. Most rows come from the DP4 (the Dukcapil extract): typed, ALL CAPS, with structurally valid NIK and
NKK. About 2.2 % of rows are a second registration (for ~7 % of those people a third) of someone already listed.
Each comes through one of three channels (shares of the extra rows):

* ``hp`` (55 %): a Pantarlih typing on a phone into the e-Coklit app, who did not find the person in the list and
  added them again: in the same KK (45 %), the same KK with the RT/RW renumbered after an RT was split (20 %), or
  another KK of the same kelurahan (35 %: living with relatives or renting; their KK, or a new KK of 2023-24);
* ``pindah`` (30 %): a transfer between kelurahan (35 %) or kecamatan (65 %) whose old row was never struck: new
  address, RT/RW and TPS, a relative's KK (40 %) or a new KK issued at the destination (60 %);
* ``pdf`` (15 %): a row re-keyed during the tanggapan masyarakat from the published DPS PDF, whose birth dates and
  NIKs are partly hidden: same KK (75 %) or RT/RW renumbered (25 %).

Besides where they live, each copy differs from the extract row in 0-4 ways, drawn by weight per channel (see
``CHANNELS``; at most one per family: date, NIK, word-level name change, letter-level typo ...):

* phone typing: a letter replaced by a QWERTY neighbour (``name_key``), a letter doubled or a double letter
  typed once (``name_double``), a letter dropped (``name_drop``), two letters swapped (``name_swap``); autocorrect
  replacing a name word with a dictionary word, ASEP -> ASAP, YULI -> JULI, IMAM -> I AM (``name_autocorrect``);
  Title Case or lower case instead of ALL CAPS (``name_case``); a trailing period or comma (``name_punct``);
* names as told at the door: the call name only (SITI AMINAH -> AMINAH, SAMSUDIN -> UDIN, SUPARMAN -> PARMAN) or a
  one-word name given in full (``name_call``, ``name_full``); H./HJ. or a degree (S.PD, S.KOM ...) added, dropped
  or written another way (``name_gelar``); old and new spelling, OE/U DJ/J TJ/C J/Y CH/KH (``name_ejaan``; about a
  third of the extract's Javanese, Sundanese and Betawi names born before 1960 are in the old spelling); Arabic
  and particle joins, ABDUL ROHMAN -> ABDURROHMAN, NUR HAYATI <-> NURHAYATI, AL HABSYI -> ALHABSYI, BR. -> BORU
  (``name_join``);
* PDF copying: a long name cut at the column width where it wrapped (``name_wrap``), every space lost
  (``name_nospace``), a birth date whose hidden day and month were filled 01-07, 01-01 or 31-12 (``dob_masked``);
* birth date on the phone: day and month typed the wrong way round, MM-DD (``dob_mmdd``, only where both fit);
  the scroll-wheel picker one or two days, a month or a year off (``dob_day``, ``dob_month``, ``dob_year``); only
  the year scrolled, the day and month left at the visit's date (``dob_picker``); the year worked out from the
  stated age with 01-01 or 31-12 (``dob_age``, so the year is one too high for half the year's births);
* NIK: one digit replaced by its neighbour on the phone's number pad or two digits swapped (``nik_digit``,
  ``nik_swap``; always a structurally valid NIK that is no one else's), the KK number typed as the NIK
  (``nik_kk``), or a second NIK issued where a mover made a new KK (``nik_reissued``: the destination kecamatan's
  code, the same date part, the next free serial; mostly people whose NIK came from outside the city); the NKK
  with a number-pad typo (``nkk_digit``);
* the rest: sex left at the app's default L for a woman (now and then P for a man, ``sex_default``), marital
  status keyed wrong or changed since (mostly B -> S, ``status``), the birthplace written as the kabupaten/kota,
  a kecamatan, an abbreviation or with a typo, TANGERANG -> CIPONDOH / KAB. TANGERANG / TNG (``birthplace``), and
  the address typed on the phone's own way, JL. MELATI NO. 12 -> JL MELATI NO 12 (``address_typed``).

Place tags (first in every ``pairs.csv`` label): ``same_kk``, ``rt_rw``, ``other_kk`` (same kelurahan),
``other_kel`` (same kecamatan), ``other_kec``; a label is ``exact`` after the place when nothing else differs;
pairs of two copies of one person carry ``copy_copy`` and the tags of both.

The names have a heavy tail: Zipf-drawn given and second names per tradition (Javanese 30 %, Sundanese 25 %,
Betawi 21 %, Chinese-Indonesian 7 %, Batak 6 %, Minang 5 %, eastern Indonesian 4.5 %, Arab-Indonesian 1.5 % of
households), MUHAMMAD (and its spellings), AHMAD, ABDUL + one of the Asma'ul Husna, SITI, NUR, NURUL, SRI and DEWI
compounds, one-word names among older Javanese, long-tail Javanese root+ending names and Sundanese reduplicated
names, Batak marga and BR., Hokkien names of older Cina Benteng, Arab family names.

Hard negatives (different people who look alike), ``hard_negatives.csv``: ``twins`` (same KK, birth date and
birthplace, NIKs with consecutive serials when of one sex, names that differ in one word: HASAN/HUSEIN,
RAMA/SINTA ...), ``siblings`` (same KK, born apart, names that differ in one rhyming word), ``father_son`` and
``mother_daughter`` of one name in one KK, ``neighbours`` (heads of two KK of one RT with one common name),
``cousins`` (one common name and birth year, two KK of one kelurahan) and ``namesake_dob`` (one common name and the
very same birth date, in two kecamatan).

Outputs, as ``kawal.synth.profile_arsip.generate_arsip``: ``dpt.csv`` (the same columns and formats),
``truth.csv`` (PEMILIH_GANDA and NIK_GANDA from the final rows), ``pairs.csv`` (every pair of rows of one person,
labelled with what differs), ``hard_negatives.csv`` and ``generate.json``. Deterministic for a seed; columns built
with numpy and pyarrow, only the extra rows' text edits run one row at a time.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

from kawal.engine.nik import valid_prefixes
from kawal.synth.generator import CITY_TPS, CITY_VOTERS, MAX_PER_TPS, allocate, load_city
from kawal.synth.profiles import kind_counts, negatives_table, tag_counts, write_separate

PROFILE = "lapangan"
S = np.dtypes.StringDType()
EPOCH = date(1970, 1, 1)
YEAR = 365.2425


def _day(y: int, m: int, d: int) -> int:
    return (date(y, m, d) - EPOCH).days


OLDEST = _day(1926, 1, 1)
CUTOFF = _day(2007, 11, 27)  # born on or before this day: 17 on election day 2024
COKLIT = (_day(2024, 6, 24), _day(2024, 7, 24))  # the door-to-door visits
AGE_DAY = _day(2024, 7, 1)  # the age a person states at the door is their age on about this day
DUPLICATE_ROWS = 0.022  # extra registrations as a share of all rows
TRIPLE_SHARE = 0.07  # duplicated people registered three times
HOUSEHOLD_SIZES = ((1, 2, 3, 4, 5, 6), (0.17, 0.35, 0.24, 0.14, 0.07, 0.03))  # voters per KK


def _pool(text: str) -> np.ndarray:
    """Words of a list, ``_`` standing for a space inside one entry."""
    return np.array([w.replace("_", " ") for w in text.split()], dtype=S)


# --- people -------------------------------------------------------------------------------------------------------

TRADITIONS = (("jawa", 0.30), ("sunda", 0.25), ("betawi", 0.21), ("tionghoa", 0.07), ("batak", 0.06),
              ("minang", 0.05), ("arab", 0.015), ("timur", 0.045))  # fmt: skip
MUSLIM = ("jawa", "sunda", "betawi", "minang", "arab")
GIVEN: dict[tuple[str, bool], np.ndarray] = {  # most common first
    ("jawa", False): _pool(
        "AGUS BUDI EKO JOKO SLAMET BAMBANG HERU WAHYU TEGUH SUGENG ARIF YUDI BAYU DIMAS HARI ANDRI ADI PRIYO "
        "SUPRIYADI SUHARTO SUPARMAN SUGIANTO SISWANTO HARYANTO NUGROHO WIDODO SANTOSO GUNAWAN RAHARJO SETYO "
        "PURNOMO KUSNADI SUTRISNO SUPARJO MULYADI WARSITO SUKIRNO DARMADI SURYADI TOTOK JUMADI GATOT TRIYONO"
    ),
    ("jawa", True): _pool(
        "SRI ENDANG TUTIK WAHYUNI LESTARI RAHAYU YULI ANI SUMARNI SUPARTI SULASTRI PURWANTI HARTATI NINGSIH "
        "RETNO DYAH ASTUTI INDAH PUJI RATNA SUSANTI WULAN SUPRAPTI TUMINAH SUMIATI KASMINI WINARSIH SUKESI "
        "TITIK SUWARNI PARTINI MURTINAH"
    ),
    ("sunda", False): _pool(
        "ASEP UJANG DEDE DADANG CECEP ENDANG YAYAT ADE AAN DENI DEDI IWAN WAWAN ENDIN OMAN AEP JAJANG YANA "
        "DADAN ENCEP RUDI HENDRA AGUS DODI ROHMAN UDIN ATENG OTONG DIDIN YUDI KOKO ENJANG"
    ),
    ("sunda", True): _pool(
        "EUIS IMAS NENG ENENG TITIN LILIS NUNUNG ELIS CUCU YAYAH ENTIN ENOK NENENG ICAH EPON EEN IIS YATI "
        "NINING WIWIN ROSITA DEWI ANI OCAH EUTIK DEDEH TETI YENI"
    ),
    ("betawi", False): _pool(
        "SAMSUDIN JAENUDIN MUHIDIN ROJALI MARZUKI SANUSI UDIN ROHIM JUNAEDI SUBHAN RIDWAN ZAENAL HASAN SALEH "
        "NAMIN SARMILI ENTONG MADI BAHRUDIN SAPRUDIN NURDIN MAMAT SOBARI ZAKARIA ISMAIL ABDULLAH HAMDANI "
        "SAIPUL ROHMAN SAHRONI FAUZI ILHAM FIRMAN RIZAL HAMDAN SUKRI JAPAR ROJAK IMAM ALI"
    ),
    ("betawi", True): _pool(
        "AMINAH MARYAM ROHAYA JUBAEDAH MUNAROH SARIPAH ROSIDAH HINDUN ZUBAEDAH ROHMAH MASITOH NAPISAH FATIMAH "
        "KHADIJAH HASANAH NURHAYATI SAODAH MUSLIHAH ROFIAH MAEMUNAH HALIMAH AISYAH MARPUAH SALAMAH MUNAWAROH"
    ),
    ("minang", False): _pool(
        "AFRIZAL ZULKIFLI DASRIL NOFRIZAL SYAFRIL ERMANTO ZULFAHMI ANDIKA FAUZI RAHMAT HENDRI YULIANDRI ASRIL "
        "EFENDI NASRUL JASMAN ZAINAL BUYUNG FERDI YONDRI ALDI"
    ),
    ("minang", True): _pool(
        "YULIARTI NOVIA ROSMAINI DESWITA ELFIRA YUSNIDAR ERNAWATI ZURAIDA YUSNIMAR RAHMI FITRI ASNIDAR YENI "
        "ELVI DESI NURHASANAH"
    ),
    ("batak", False): _pool(
        "JONNY ROBERT MARTIN DAVID HOTMAN PARLINDUNGAN TUMPAL BINSAR SAHAT MANGIHUT RAJA FRANS BONAR HENDRIK "
        "SAUT MARULI TIGOR POLTAK DANIEL JOSUA RICARDO ANDREAS"
    ),
    ("batak", True): _pool(
        "MARIA ROSMAWATI DUMA RUTH LASMA TIO DEBORA NURLELA ROSTINA MERI SARAH LENNY HOTMA TIURMA RISMA "
        "ELIZABETH YOHANA"
    ),
    ("tionghoa", False): _pool(
        "HENDRA WILLY ANDY RUDY JOHAN KEVIN STEVEN FELIX ALBERT TONNY HENGKY ERWIN WILLIAM JIMMY YOHANES "
        "DARMAWAN SUGIANTO VINCENT SURYA EDDY"
    ),
    ("tionghoa", True): _pool(
        "LINDA MELIANA SUSAN YENNY LILY MEILANI VERONICA JESSICA NOVITA LIANA MEGAWATI FELICIA WENNY LISA "
        "CYNTHIA ELISABETH MELISA"
    ),
    ("arab", False): _pool("HUSEIN HASAN AHMAD ALI UMAR SALIM ABDULLAH MUHSIN AGIL SALEH THOHA ZEIN HAMID"),
    ("arab", True): _pool("FATIMAH AISYAH KHADIJAH ZAHRA SALMA RUGAYAH MARYAM SYIFA NOOR"),
    ("timur", False): _pool(
        "YOHANIS MARKUS PETRUS FRANSISKUS ANTONIUS YOSEF STEVANUS DOMINGGUS ALFONS MATHEUS YULIUS AGUSTINUS"
    ),
    ("timur", True): _pool("MARIA MARGARETHA YOSEFINA AGUSTINA MAGDALENA SELVI KRISTINA FRANSISKA THERESIA"),
}
SECOND: dict[tuple[str, bool], np.ndarray] = {
    ("jawa", False): _pool("SANTOSO SETIAWAN PRASETYO WIBOWO SAPUTRA HIDAYAT NUGROHO KURNIAWAN PURNOMO SUSILO "
                           "UTOMO PAMUNGKAS WICAKSONO PRATAMA WIJAYA HARTONO SUSANTO RAHMAN FIRMANSYAH"),
    ("jawa", True): _pool("WAHYUNI LESTARI RAHAYU HANDAYANI WULANDARI PURWANINGSIH SUSANTI ASTUTI MULYANI "
                          "RATNASARI PERTIWI KURNIAWATI SETYAWATI NINGRUM"),
    ("sunda", False): _pool("SUPRIATNA KURNIAWAN HIDAYAT RUSTANDI SUHENDAR PERMANA MULYANA SETIAWAN SAEPULOH "
                            "NURJAMAN SUNARYA KUSNADI SOBARI SUKMANA GUNAWAN SOLIHIN SAEPUDIN HERMAWAN RUKMANA"),
    ("sunda", True): _pool("NURJANAH KOMALASARI RAHMAWATI SUMIATI MULYANI FITRIANI HERAWATI NURAENI SUKMAWATI "
                           "MARLINA KARTIKA SETIAWATI PURNAMASARI ROSMIATI"),
    ("betawi", False): _pool("HIDAYAT RAHMAN SAPUTRA RAMADHAN MAULANA FIRDAUS ARIFIN HAKIM SOLEH SYAHRONI "
                             "JUNAEDI ABDULLAH SIDIK FAHMI"),
    ("betawi", True): _pool("NURHAYATI FITRIANI RAHMAWATI HASANAH MAULIDA ARIANI MARLINA AULIA ZAHRA FAUZIAH"),
    ("minang", False): _pool("PUTRA SYAHPUTRA EFENDI HAMDANI AMRI CHANIAGO PILIANG TANJUNG KOTO SIKUMBANG"),
    ("minang", True): _pool("PUTRI YANTI MARLINA SARI ERNI HAYATI"),
    ("batak", False): _pool("SIMANJUNTAK SIREGAR NASUTION HUTAPEA SITUMORANG PANJAITAN SIAHAAN SINAGA LUBIS "
                            "HARAHAP SIMATUPANG PASARIBU TAMBUNAN MANURUNG SIHOMBING SITOMPUL NAINGGOLAN GULTOM "
                            "SILALAHI HUTAGALUNG"),
    ("tionghoa", False): _pool("WIJAYA KUSUMA GUNAWAN HALIM SANTOSO SETIADI SUGIARTO TJAHJADI LIMANTO WIRAWAN "
                               "TANOTO SALIM HARTANTO SUTANTO WINATA"),
    ("arab", False): _pool("ALATAS ASSEGAF AL_HABSYI SHAHAB BAHASWAN AL_KAFF BAFADHAL AL_AIDID BAWAZIER "
                           "BASALAMAH"),
    ("timur", False): _pool("PATTIRAJAWANE LATUMAHINA MANUPUTTY SITANIA LEWERISSA DA_COSTA KOLO LAKE TANEO "
                            "WENAS MANDAGI RUMBEWAS"),
}  # fmt: skip
for _t in ("batak", "tionghoa", "arab", "timur"):
    SECOND[(_t, True)] = SECOND[(_t, False)]
INHERITED = ("batak", "arab", "timur")  # a family name passes from the head to the children
MODERN = {  # Muslim children born from 1990
    False: _pool("RIZKI ALIF FAJAR ADITYA RAFI FARHAN ILHAM RIZKY ALDI REZA FIKRI NAUFAL AKBAR DAFFA IQBAL "
                 "HAIKAL GILANG ARYA RAKA BAGAS"),
    True: _pool("PUTRI AULIA NABILA SALSABILA DINDA ANISA INTAN DEVI FITRI TIARA NADIA AMELIA SINTA AYU "
                "KHAIRUNNISA AZZAHRA SYIFA NAJWA"),
}  # fmt: skip
MODERN_SECOND = {
    False: _pool("PRATAMA SAPUTRA RAMADHAN MAULANA FIRMANSYAH HIDAYAT NUGRAHA PERDANA"),
    True: _pool("PUTRI RAHMAWATI RAMADHANI FEBRIANTI SAFITRI AULIA LESTARI NURAINI"),
}
COMPOUND = {  # name openers, share among those who have one
    False: (("MUHAMMAD", 0.34), ("MUHAMAD", 0.10), ("MOHAMAD", 0.06), ("MOCHAMAD", 0.05), ("MOCH.", 0.03),
            ("M.", 0.04), ("AHMAD", 0.18), ("ACHMAD", 0.04), ("ABDUL", 0.16)),
    True: (("SITI", 0.55), ("NUR", 0.17), ("NURUL", 0.10), ("SRI", 0.10), ("DEWI", 0.08)),
}  # fmt: skip
ASMA = _pool("RAHMAN ROHMAN ROHIM GHONI MALIK AZIS HAKIM KARIM LATIF MAJID SOMAD WAHAB QODIR HALIM SALAM JALIL "
             "ROZAK SYUKUR")  # fmt: skip
JAWA_ROOTS = ("SU", "SUPAR", "HAR", "MUL", "KUS", "WAR", "PUR", "SAR", "DAR", "SUR", "RAH", "SUG", "SLAM", "KAR",
              "PAR", "SUM", "MAR", "WAH", "TUG", "JUW", "SUKAR", "WIR", "PRAPT", "SUD", "KAS", "NGAD")  # fmt: skip
JAWA_ENDINGS = {
    False: ("YANTO", "YONO", "TONO", "MAN", "DI", "NO", "TO", "JO", "MIN", "WANTO", "ADI", "ONO", "SONO", "IYO"),
    True: ("YATI", "WATI", "NINGSIH", "YANI", "SIH", "NAH", "NI", "INI", "ARTI", "ANTI", "MI", "INAH", "IYEM"),
}
JAWA_TAIL = {f: np.array(sorted({r + e for r in JAWA_ROOTS for e in JAWA_ENDINGS[f]}), dtype=S) for f in (False, True)}
SUNDA_TAIL = {  # reduplicated Sundanese names: JAJANG, DEDEN, NANANG, YAYAH, ENENG ...
    f: np.array(sorted({c + v + c + v + e for c in "BCDJKNPRSTWY" for v in "AEIOU"
                        for e in (("N", "NG", "P", "M") if not f else ("H", "NG", "N"))}), dtype=S)
    for f in (False, True)
}  # fmt: skip
HOKKIEN_FAMILY = _pool("TAN LIM LIE ONG GO THE KWEE OEY LAU OH TJOA BONG")
HOKKIEN = _pool("KIM TJOE SIOE LAN HOK LIONG SENG HWA TJIN BENG GIOK HONG KIAT TEK SOEN POO LIAN SWIE MEI")
LEADING = np.array(["SRI", "DWI", "TRI", "PUTRI", "NENG", "DEWI", "AYU", "NUR", "SITI", "INTAN", "ADE", "AI"], dtype=S)
TITLES = {False: "H.", True: "HJ."}
DEGREES = ((", S.PD", 0.22), (", S.E", 0.14), (", S.KOM", 0.10), (", S.H", 0.08), (", S.AG", 0.07), (", S.T", 0.07),
           (", S.SOS", 0.06), (", A.MD", 0.08), (", S.PD.I", 0.06), (", S.IP", 0.04), (", S.KEP", 0.04),
           (", M.PD", 0.04))  # fmt: skip
COMMON = {  # the names neighbours, cousins and namesakes share
    False: _pool("MUHAMMAD_RIZKI AHMAD_FAUZI MUHAMMAD_IQBAL AGUS_SETIAWAN ASEP_SAEPUDIN DEDI_SUPRIATNA "
                 "BUDI_SANTOSO MUHAMMAD_FAJAR ABDUL_ROHMAN SLAMET_RIYADI EKO_PRASETYO RIZKY_PRATAMA SAMSUDIN UJANG"),
    True: _pool("SITI_AMINAH SITI_NURHASANAH NUR_AINI SRI_WAHYUNI SITI_FATIMAH DEWI_LESTARI SITI_KHODIJAH "
                "NURHAYATI SITI_MARYAM EUIS_KOMALASARI PUTRI_AULIA SUMARNI SITI_ROHMAH"),
}  # fmt: skip
PARTNERS = {  # names twins and siblings are given in pairs: (male or female, word, word)
    "same": ((False, "HASAN", "HUSEIN"), (False, "FAHRI", "FAHRU"), (False, "ARYA", "ARYO"), (False, "RAFA", "RAFI"),
             (False, "ADAM", "ADNAN"), (False, "ILHAM", "ILYAS"), (False, "DAFFA", "DAFFI"), (False, "YOGA", "YOGI"),
             (False, "RENDI", "RENDRA"), (True, "NAILA", "NAILI"), (True, "ANISA", "ANITA"), (True, "SALMA", "SALWA"),
             (True, "RINA", "RINI"), (True, "ZAHRA", "ZAHIRA"), (True, "DINDA", "DINDI"), (True, "FITRI", "FITRIA"),
             (True, "NAJWA", "NAYLA")),
    "mixed": ((None, "PUTRA", "PUTRI"), (None, "RIZKI", "RIZKA"), (None, "RAMA", "SINTA"), (None, "ADAM", "HAWA"),
              (None, "ANDRE", "ANDREA"), (None, "DIMAS", "DINDA"), (None, "FAJAR", "FAJRINA")),
}  # fmt: skip
HARD_NEGATIVES = {
    "twins": 0.0012,
    "siblings": 0.0008,
    "father_son": 0.0012,
    "mother_daughter": 0.0004,
    "neighbours": 0.0015,
    "cousins": 0.0008,
    "namesake_dob": 0.0004,
}  # pairs per person; fmt: skip

BIRTHPLACE = {  # canonical, as Dukcapil has it, most common first
    "jawa": ("JAKARTA", "TANGERANG", "SEMARANG", "SOLO", "KLATEN", "WONOGIRI", "BOYOLALI", "KEBUMEN", "PURWOREJO",
             "TEGAL", "BREBES", "CILACAP", "BANYUMAS", "YOGYAKARTA", "PEKALONGAN", "MAGELANG", "SURABAYA", "KEDIRI"),
    "sunda": ("TANGERANG", "BOGOR", "GARUT", "TASIKMALAYA", "CIANJUR", "SUKABUMI", "BANDUNG", "KUNINGAN",
              "SUMEDANG", "SERANG", "PANDEGLANG", "LEBAK", "CIREBON", "MAJALENGKA", "KARAWANG"),
    "betawi": ("TANGERANG", "JAKARTA", "BEKASI", "DEPOK", "BOGOR"),
    "tionghoa": ("TANGERANG", "JAKARTA", "PONTIANAK", "SINGKAWANG", "MEDAN", "BANGKA", "SEMARANG", "BANDUNG"),
    "batak": ("MEDAN", "TARUTUNG", "PEMATANG SIANTAR", "BALIGE", "SIBOLGA", "JAKARTA", "TANGERANG"),
    "minang": ("PADANG", "BUKITTINGGI", "PAYAKUMBUH", "SOLOK", "PARIAMAN", "BATUSANGKAR", "JAKARTA", "TANGERANG"),
    "arab": ("JAKARTA", "TANGERANG", "PEKALONGAN", "SURABAYA", "PALEMBANG", "BONDOWOSO"),
    "timur": ("AMBON", "KUPANG", "MANADO", "ENDE", "MAUMERE", "MAKASSAR", "JAKARTA"),
}  # fmt: skip
PLACE_FORMS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # canonical: (as kabupaten/kota, a kecamatan in it, abbreviations)
    "TANGERANG": (("KOTA TANGERANG", "KAB. TANGERANG", "TANGERANG KOTA"),
                  ("CIPONDOH", "KARAWACI", "BATUCEPER", "CILEDUG", "PERIUK", "CIBODAS", "NEGLASARI", "JATIUWUNG",
                   "LARANGAN", "PINANG", "CURUG", "BALARAJA", "CIKUPA", "PASAR KEMIS", "SEPATAN", "TELUKNAGA"),
                  ("TNG", "TGR", "TGRG")),
    "JAKARTA": (("DKI JAKARTA", "JAKARTA BARAT", "JAKARTA SELATAN", "JAKARTA PUSAT", "JAKARTA UTARA",
                 "JAKARTA TIMUR"),
                ("TANJUNG PRIOK", "KEBAYORAN BARU", "JATINEGARA", "CENGKARENG", "TAMBORA", "KEMAYORAN", "GROGOL"),
                ("JKT", "DKI", "JAKBAR", "JAKSEL")),
    "BOGOR": (("KAB. BOGOR", "KOTA BOGOR"), ("CIBINONG", "CIAWI", "LEUWILIANG", "PARUNG", "JASINGA"), ("BGR",)),
    "GARUT": (("KAB. GARUT",), ("TAROGONG", "LELES", "LIMBANGAN", "MALANGBONG"), ("GRT",)),
    "TASIKMALAYA": (("KAB. TASIKMALAYA", "KOTA TASIKMALAYA"), ("SINGAPARNA", "MANONJAYA"), ("TASIK", "TSM")),
    "BANDUNG": (("KAB. BANDUNG", "KOTA BANDUNG"), ("SOREANG", "MAJALAYA", "BANJARAN", "CIPARAY"), ("BDG",)),
    "SEMARANG": (("KAB. SEMARANG", "KOTA SEMARANG"), ("UNGARAN", "AMBARAWA"), ("SMG",)),
    "SOLO": (("SURAKARTA", "KOTA SURAKARTA"), ("LAWEYAN", "JEBRES", "PASAR KLIWON"), ("SKA",)),
    "YOGYAKARTA": (("DI YOGYAKARTA", "KOTA YOGYAKARTA"), ("BANTUL", "SLEMAN", "WONOSARI"),
                   ("JOGJA", "YOGYA", "JOGJAKARTA", "YK")),
    "KLATEN": (("KAB. KLATEN",), ("DELANGGU", "PEDAN", "CAWAS"), ("KLT",)),
    "WONOGIRI": (("KAB. WONOGIRI",), ("BATURETNO", "PRACIMANTORO", "PURWANTORO"), ()),
    "KEBUMEN": (("KAB. KEBUMEN",), ("GOMBONG", "KUTOWINANGUN", "PREMBUN"), ()),
    "TEGAL": (("KAB. TEGAL", "KOTA TEGAL"), ("SLAWI", "ADIWERNA"), ("TGL",)),
    "BREBES": (("KAB. BREBES",), ("BUMIAYU", "LOSARI", "KETANGGUNGAN"), ()),
    "CILACAP": (("KAB. CILACAP",), ("MAJENANG", "KROYA", "SIDAREJA"), ("CLP",)),
    "SURABAYA": (("KOTA SURABAYA",), ("WONOKROMO", "TAMBAKSARI", "RUNGKUT"), ("SBY",)),
    "MEDAN": (("KOTA MEDAN",), ("MEDAN BARU", "MEDAN DELI", "MEDAN AREA"), ("MDN",)),
    "PADANG": (("KOTA PADANG",), ("KOTO TANGAH", "LUBUK BEGALUNG"), ("PDG",)),
    "CIANJUR": (("KAB. CIANJUR",), ("CIPANAS", "SUKANAGARA", "CIBEBER"), ("CJR",)),
    "SUKABUMI": (("KAB. SUKABUMI", "KOTA SUKABUMI"), ("CIBADAK", "PELABUHAN RATU", "CICURUG"), ("SMI",)),
    "SERANG": (("KAB. SERANG", "KOTA SERANG"), ("CIRUAS", "KRAMATWATU", "ANYER"), ("SRG",)),
    "PANDEGLANG": (("KAB. PANDEGLANG",), ("LABUAN", "MENES"), ()),
    "LEBAK": (("KAB. LEBAK",), ("RANGKASBITUNG", "MALINGPING"), ()),
    "BEKASI": (("KAB. BEKASI", "KOTA BEKASI"), ("CIKARANG", "TAMBUN", "BANTARGEBANG"), ("BKS",)),
    "DEPOK": (("KOTA DEPOK",), ("BEJI", "CIMANGGIS", "SAWANGAN"), ("DPK",)),
    "PONTIANAK": (("KOTA PONTIANAK",), ("PONTIANAK BARAT",), ("PTK",)),
    "PEMATANG SIANTAR": (("KOTA PEMATANG SIANTAR",), (), ("P. SIANTAR", "P.SIANTAR", "SIANTAR")),
    "BUKITTINGGI": (("KOTA BUKITTINGGI",), (), ("BKT", "BUKIT TINGGI")),
}  # fmt: skip
ORIGINS = {  # where a NIK issued outside the city comes from: the start of the prefix, weight
    "jawa": (("33", 0.35), ("35", 0.2), ("34", 0.08), ("3603", 0.15), ("3674", 0.1), ("31", 0.12)),
    "sunda": (("32", 0.55), ("3603", 0.2), ("3674", 0.1), ("3601", 0.05), ("3602", 0.05), ("3604", 0.05)),
    "betawi": (("31", 0.5), ("3603", 0.25), ("3674", 0.15), ("3275", 0.05), ("3276", 0.05)),
    "tionghoa": (("31", 0.4), ("3603", 0.3), ("61", 0.15), ("19", 0.05), ("12", 0.1)),
    "batak": (("12", 0.7), ("31", 0.2), ("3603", 0.1)),
    "minang": (("13", 0.7), ("31", 0.2), ("3603", 0.1)),
    "arab": (("31", 0.5), ("35", 0.3), ("3603", 0.2)),
    "timur": (("81", 0.25), ("53", 0.3), ("71", 0.2), ("73", 0.15), ("31", 0.1)),
}

# --- where people live --------------------------------------------------------------------------------------------

STREETS = _pool(
    "MERDEKA IMAM_BONJOL KH._HASYIM_ASHARI DAAN_MOGOT GATOT_SUBROTO OTISTA KISAMAUN MOH._TOHA HALIM_PERDANAKUSUMA "
    "MAULANA_HASANUDIN PRABU_SILIWANGI HARAPAN_KITA MELATI KENANGA CEMPAKA DAHLIA FLAMBOYAN BERINGIN NANGKA "
    "MANGGA DURIAN SAWO KELAPA_DUA BUARAN RAYA_CIPONDOH PERINTIS_KEMERDEKAAN TEUKU_UMAR SISINGAMANGARAJA"
)
GANGS = _pool("MASJID H._SAIDI MUSHOLA MAWAR KELAPA RAMBUTAN SAWO DELIMA HIKMAH SEPAKAT BERSAMA ANGGREK H._MISAN")
KAMPUNG = _pool(
    "BABAKAN KELAPA BARU PANINGGILAN KEBON SELAPAJANG GEBANG BUARAN SUDIMARA CIPETE BENDUNGAN PONDOK_BAHAR "
    "KEDAUNG GAGA CIBODAS_BESAR NAGREG"
)
PERUM = _pool(
    "GRIYA_ASRI TAMAN_ALFA PONDOK_ARUM BANJAR_WIJAYA TAMAN_CIBODAS PURI_BETA PERUMNAS_1 PERUMNAS_2 "
    "PONDOK_MAKMUR GRIYA_PERMAI TAMAN_KOTA TAMAN_ASRI"
)
DISABILITIES = ("1", "2", "3", "4", "5")

# --- the second registrations -------------------------------------------------------------------------------------

PLACES = ("same_kk", "rt_rw", "other_kk", "other_kel", "other_kec")
FAMILY = {  # at most one change per family in one copy
    "name_key": "typo", "name_double": "typo", "name_drop": "typo", "name_swap": "typo",
    "name_autocorrect": "word", "name_call": "word", "name_full": "word", "name_gelar": "gelar",
    "name_ejaan": "ejaan", "name_join": "join", "name_wrap": "pdf", "name_nospace": "pdf", "name_case": "case",
    "name_punct": "punct", "dob_mmdd": "dob", "dob_day": "dob", "dob_month": "dob", "dob_year": "dob",
    "dob_age": "dob", "dob_picker": "dob", "dob_masked": "dob", "nik_digit": "nik", "nik_swap": "nik",
    "nik_kk": "nik", "nik_reissued": "nik", "nkk_digit": "nkk", "sex_default": "sex", "status": "status",
    "birthplace": "birthplace", "address_typed": "address",
}  # fmt: skip
MECHANISMS = tuple(FAMILY)
# the order the changes are made in: words before letters, case and punctuation last
APPLY = ("name_gelar", "name_ejaan", "name_join", "name_call", "name_full", "name_autocorrect", "name_key",
         "name_double", "name_drop", "name_swap", "name_wrap", "name_nospace", "name_case", "name_punct",
         "dob_mmdd", "dob_day", "dob_month", "dob_year", "dob_age", "dob_picker", "dob_masked", "nkk_digit",
         "nik_reissued", "nik_kk", "nik_digit", "nik_swap", "sex_default", "status", "birthplace", "address_typed")  # fmt: skip
# channel: (share of extra rows, places, shares of 0/1/2/3/4 changes, mechanism weights)
CHANNELS: dict[str, tuple[float, dict[str, float], tuple[float, ...], dict[str, float]]] = {
    "hp": (0.55, {"same_kk": 0.45, "rt_rw": 0.20, "other_kk": 0.35}, (0.12, 0.38, 0.32, 0.13, 0.05), {
        "name_key": 2.0, "name_double": 1.0, "name_drop": 1.2, "name_swap": 0.8, "name_autocorrect": 0.7,
        "name_call": 1.2, "name_full": 0.6, "name_gelar": 1.0, "name_ejaan": 0.6, "name_join": 1.0,
        "name_case": 1.5, "name_punct": 0.8, "dob_mmdd": 1.0, "dob_day": 0.8, "dob_month": 0.5, "dob_year": 0.8,
        "dob_age": 1.0, "dob_picker": 0.5, "nik_digit": 1.2, "nik_swap": 0.6, "nik_kk": 0.5, "nkk_digit": 0.4,
        "sex_default": 0.5, "status": 0.6, "birthplace": 1.0, "address_typed": 1.5,
    }),
    "pindah": (0.30, {"other_kel": 0.35, "other_kec": 0.65}, (0.25, 0.40, 0.23, 0.10, 0.02), {
        "name_key": 0.6, "name_double": 0.3, "name_drop": 0.3, "name_swap": 0.2, "name_autocorrect": 0.2,
        "name_call": 0.3, "name_full": 0.4, "name_gelar": 1.2, "name_ejaan": 0.8, "name_join": 0.4,
        "name_case": 0.5, "name_punct": 0.3, "dob_mmdd": 0.3, "dob_day": 0.3, "dob_month": 0.2, "dob_year": 0.3,
        "dob_age": 0.4, "nik_reissued": 3.0, "nik_digit": 0.5, "nik_swap": 0.2, "sex_default": 0.2, "status": 1.2,
        "birthplace": 1.5,
    }),
    "pdf": (0.15, {"same_kk": 0.75, "rt_rw": 0.25}, (0.15, 0.45, 0.27, 0.11, 0.02), {
        "name_wrap": 2.0, "name_nospace": 1.0, "name_gelar": 0.5, "name_key": 0.5, "name_drop": 0.3,
        "dob_masked": 3.0, "nik_kk": 1.0, "nik_digit": 0.8, "nik_swap": 0.5, "birthplace": 0.5, "status": 0.3,
    }),
}  # fmt: skip
QWERTY = ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
KEY_XY = {ch: (x + (0.0, 0.3, 0.8)[r], float(r)) for r, row in enumerate(QWERTY) for x, ch in enumerate(row)}
KEY_NEAR = {
    a: "".join(b for b, (bx, by) in KEY_XY.items() if b != a and (bx - ax) ** 2 + (by - ay) ** 2 <= 1.3)
    for a, (ax, ay) in KEY_XY.items()
}
PAD_NEAR = ("8", "24", "135", "26", "157", "2468", "359", "48", "5790", "68")  # number-pad neighbours of 0-9
AUTOCORRECT = {  # a name word, and what a phone's dictionary made of it
    "ASEP": "ASAP",
    "AGUS": "AGUSTUS",
    "YULI": "JULI",
    "HERU": "HARU",
    "DEWI": "DEWA",
    "RIZKI": "REZEKI",
    "RIZKY": "RISKY",
    "EKO": "EKOR",
    "JOKO": "JOKI",
    "WAHYU": "WAKTU",
    "ENDANG": "GENDANG",
    "SLAMET": "SELAMAT",
    "SITI": "SITU",
    "AMINAH": "AMANAH",
    "FITRI": "FITRAH",
    "DINDA": "DINDING",
    "LILIS": "LILIN",
    "TITIN": "TITIK",
    "HENDRA": "HENDAK",
    "ROHMAN": "ROMAN",
    "IMAS": "EMAS",
    "UJANG": "UJUNG",
    "DADANG": "DATANG",
    "ADE": "ADA",
    "WAWAN": "WAWASAN",
    "DENI": "DENGAN",
    "SAPUTRA": "SEPUTAR",
    "KURNIAWAN": "KURNIA",
    "PRATAMA": "PERTAMA",
    "RAHAYU": "RAHASIA",
    "SETIAWAN": "SETIA",
    "HIDAYAT": "HIDAYAH",
    "MARYAM": "MALAM",
    "TUTIK": "TUTUP",
    "NUR": "NUT",
    "SRI": "SIR",
    "ANI": "AND",
    "ADI": "ADD",
    "IMAM": "I AM",
    "ALI": "ALL",
    "BAYU": "BAYI",
    "RATNA": "RATA",
    "NENG": "NENEK",
    "YANTI": "YANG",
    "INDAH": "INDAH",
    "ANDI": "ANDIL",
    "SALEH": "SALAH",
}
AUTOCORRECT = {k: v for k, v in AUTOCORRECT.items() if k != v}
CALL = {  # what the family calls a person, told at the door
    "SAMSUDIN": "UDIN",
    "JAENUDIN": "UDIN",
    "NURDIN": "UDIN",
    "SAPRUDIN": "UDIN",
    "BAHRUDIN": "UDIN",
    "MUHIDIN": "UDIN",
    "RAHMAT": "AMAT",
    "ROHMAT": "AMAT",
    "ABDULLAH": "DULLAH",
    "SUPARMAN": "PARMAN",
    "SUKIRNO": "KIRNO",
    "SUGIANTO": "GIANTO",
    "SUPARJO": "PARJO",
    "SUTRISNO": "TRISNO",
    "FATIMAH": "IMAH",
    "KHADIJAH": "IJAH",
    "AMINAH": "MINAH",
    "MAEMUNAH": "MUNAH",
    "SARIPAH": "IPAH",
    "ROHMAH": "OMAH",
    "JUBAEDAH": "EDAH",
    "ZAKARIA": "JAKA",
    "MUHAMMAD": "MAMAT",
    "ISMAIL": "MAIL",
    "ZAENAL": "ENAL",
}
SKIP_WORDS = {w for f in (False, True) for w, _ in COMPOUND[f]} | {"SYARIF", "SYARIFAH", "H.", "HJ."}
GELAR_RE = re.compile(r"^((?:H\.|HJ\.) )?(.*?)(, [A-Z.]+)?$")
OLD_SEQ = ("OE", "DJ", "TJ")


def _zipf(n: int, skew: float) -> np.ndarray:
    w = 1.0 / (np.arange(n) + 1.3) ** skew
    return w / w.sum()


def _pick(rng: np.random.Generator, pool: np.ndarray, size: int, skew: float = 1.0) -> np.ndarray:
    return pool[rng.choice(len(pool), size=size, p=_zipf(len(pool), skew))]


def _join(*parts: np.ndarray) -> np.ndarray:
    out = parts[0].astype(S)
    for p in parts[1:]:
        out = np.strings.add(np.strings.add(out, " "), p.astype(S))
    out = np.strings.strip(out)
    for _ in range(3):
        out = np.strings.replace(out, "  ", " ")
    return out


def _cat(first: str | np.ndarray, *rest: str | np.ndarray) -> np.ndarray:
    out = np.strings.add(first, rest[0]) if rest else np.asarray(first, dtype=S)
    for part in rest[1:]:
        out = np.strings.add(out, part)
    return out.astype(S)


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    y = d.astype("datetime64[Y]")
    m = d.astype("datetime64[M]")
    return y.astype(np.int64) + 1970, (m - y).astype(np.int64) + 1, (d - m).astype(np.int64) + 1


def _days(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970 of (year, month, day); the day is clipped to the month's length."""
    month = ((np.asarray(y) - 1970) * 12 + np.asarray(m) - 1).astype("datetime64[M]")
    first = month.astype("datetime64[D]").astype(np.int64)
    length = (month + 1).astype("datetime64[D]").astype(np.int64) - first
    return first + np.minimum(np.asarray(d), length) - 1


def _month_length(y: np.ndarray, m: np.ndarray) -> np.ndarray:
    month = ((np.asarray(y) - 1970) * 12 + np.clip(np.asarray(m), 1, 12) - 1).astype("datetime64[M]")
    return (month + 1).astype("datetime64[D]").astype(np.int64) - month.astype("datetime64[D]").astype(np.int64)


def _ddmmyy(days: np.ndarray, female: np.ndarray) -> np.ndarray:
    y, m, d = _ymd(days)
    return (d + 40 * female) * 10_000 + m * 100 + y % 100


def _serials(key: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
    """1, 2, 3 ... within each key, in the order the rows come (plus ``start`` of that key)."""
    order = np.argsort(key, kind="stable")
    k = key[order]
    first_row = np.r_[True, k[1:] != k[:-1]]
    first = np.maximum.accumulate(np.where(first_row, np.arange(len(k)), 0))
    serial = np.empty(len(key), dtype=np.int64)
    serial[order] = np.arange(len(k)) - first + 1
    return serial if start is None else serial + start


def _next_serials(key: np.ndarray, taken: np.ndarray) -> np.ndarray:
    """Serials for new numbers of ``key`` (region * 1e6 + DDMMYY) after the highest already ``taken``."""
    if not len(taken):
        return _serials(key)
    taken_key, taken_serial = taken // 10_000, taken % 10_000
    order = np.lexsort((taken_serial, taken_key))
    tk, ts = taken_key[order], taken_serial[order]
    last = np.r_[tk[1:] != tk[:-1], True]
    keys, highest = tk[last], ts[last]
    at = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
    return _serials(key, np.where(keys[at] == key, highest[at], 0))


def _old_spelling(names: np.ndarray, full: np.ndarray) -> np.ndarray:
    """Modern spelling to the pre-1972 one: U -> OE everywhere; with ``full`` also J -> DJ, Y -> J, C -> TJ, KH -> CH."""
    s = names.astype(S)
    for a, b in (("AU", "\x04"), ("EU", "\x05"), ("U", "OE"), ("\x04", "AU"), ("\x05", "EU")):
        s = np.strings.replace(s, a, b)
    f = s.copy()
    for a, b in (("KH", "\x01"), ("C", "\x02"), ("J", "\x03"), ("Y", "J"), ("\x01", "CH"), ("\x02", "TJ"),
                 ("\x03", "DJ")):  # fmt: skip
        f = np.strings.replace(f, a, b)
    return np.where(full, f, s)


def _modern_spelling(name: str) -> str:
    s = name.replace("OE", "U").replace("TJ", "\x02").replace("DJ", "\x03").replace("J", "Y")
    s = s.replace("\x03", "J").replace("\x02", "C")
    return re.sub(r"\bCH", "KH", s)


def _valid_date_part(dd: np.ndarray, mm: np.ndarray, yy: np.ndarray, female: np.ndarray | None) -> np.ndarray:
    """Is DDMMYY a real date (in 19yy or 20yy), with 40 added to the day for women (or either, if ``None``)?"""
    day = np.where(dd > 40, dd - 40, dd) if female is None else dd - 40 * female
    ok = (mm >= 1) & (mm <= 12) & (day >= 1)
    if female is None:
        ok &= (dd <= 31) | (dd >= 41)
    longest = np.maximum(_month_length(1900 + yy, mm), _month_length(2000 + yy, mm))
    return ok & (day <= longest)


class Lapangan:
    """Builds the list in columns: persons first, then the extra registrations, then sorted like a DPT."""

    hh_kel: np.ndarray
    kel_first_hh: np.ndarray
    kel_hh_count: np.ndarray

    def __init__(self, voters: int, seed: int) -> None:
        if voters < 1000:
            raise ValueError("the lapangan profile needs at least 1,000 voters")
        self.voters, self.seed = voters, seed
        self.rng = np.random.default_rng([seed, 0x1A9A])
        self.extra = round(voters * DUPLICATE_ROWS)
        self.persons = voters - self.extra
        self.city = load_city()
        self.prefixes = valid_prefixes()
        self.prefix_ints = np.array(sorted(int(p) for p in self.prefixes), dtype=np.int64)
        self.negatives: list[tuple[np.ndarray, np.ndarray, str]] = []

    # --- households -------------------------------------------------------------------------------------------

    def households(self) -> None:
        rng, n = self.rng, self.persons
        sizes, shares = HOUSEHOLD_SIZES
        size = rng.choice(np.array(sizes), size=n // 2 + 10, p=np.array(shares))
        cum = np.cumsum(size)
        count = int(np.searchsorted(cum, n)) + 1
        size = size[:count].copy()
        size[-1] -= int(cum[count - 1]) - n
        self.n_hh, self.hh_size = count, size
        self.hh_first = np.r_[0, np.cumsum(size)[:-1]]
        spouse = (size >= 2) & (rng.random(count) < 0.78)
        parent = (size >= 2 + spouse) & (rng.random(count) < np.where(spouse, 0.10, 0.25))
        relative = (size >= 3 + spouse + parent) & (rng.random(count) < 0.15)
        children = size - 1 - spouse - parent - relative
        female_head = np.where(spouse, rng.random(count) < 0.03, rng.random(count) < 0.45)
        has_child = children > 0
        lo = np.select([has_child & parent, has_child, parent], [1955, 1942, 1958], 1940)
        mode = np.select([has_child & parent, has_child, parent], [1975, 1973, 1990], 1993)
        hi = np.select([has_child & parent, has_child, parent], [1986, 1986, 2004], 2006)
        year = rng.triangular(lo, mode, hi)
        self.hh_head_born = np.clip(((year - 1970) * YEAR).astype(np.int64), OLDEST, CUTOFF)
        names, share = zip(*TRADITIONS, strict=True)
        self.hh_trad = rng.choice(np.array(names), size=count, p=np.array(share))

        hh = np.repeat(np.arange(count), size)
        pos = np.arange(n) - self.hh_first[hh]
        sz = size[hh]
        role = np.full(n, 2)  # 0 head, 1 spouse, 2 child, 3 parent, 4 relative
        role[pos == 0] = 0
        role[(pos == 1) & spouse[hh]] = 1
        role[parent[hh] & (pos == sz - 1)] = 3
        role[relative[hh] & (pos == sz - 1 - parent[hh])] = 4
        self.hh, self.pos, self.role = hh, pos, role
        head_f = female_head[hh]
        female = rng.random(n) < 0.5
        female[role == 0] = head_f[role == 0]
        female[role == 1] = ~head_f[role == 1]
        female[role == 3] = rng.random(int((role == 3).sum())) < 0.7
        hb = self.hh_head_born[hh]
        gap = np.abs(rng.normal(4.0, 4.0, n)) * YEAR
        born = hb.copy()
        wife = np.where(hb + gap > CUTOFF, hb - gap, hb + gap)  # a wife is younger, unless he is very young
        mother = CUTOFF - (20 + 6 * rng.random(n)) * YEAR  # a mother of adult children is at least ~37
        wife = np.where(has_child[hh], np.minimum(wife, mother), wife)
        born[role == 1] = np.where(head_f, hb - gap, wife).astype(np.int64)[role == 1]
        younger = self.hh_head_born.copy()  # the younger parent
        younger[hh[role == 1]] = np.maximum(younger[hh[role == 1]], born[role == 1])
        c_lo = younger[hh] + 19 * YEAR
        c_hi = np.minimum(hb + 44 * YEAR, CUTOFF)
        child = c_lo + rng.random(n) * np.maximum(c_hi - c_lo, 0)
        born[role == 2] = child.astype(np.int64)[role == 2]
        p_hi = hb - 19 * YEAR
        p_lo = np.maximum(hb - 38 * YEAR, OLDEST)
        par = p_lo + rng.random(n) * np.maximum(p_hi - p_lo, 0)
        born[role == 3] = par.astype(np.int64)[role == 3]
        rel = hb + rng.normal(0, 8, n) * YEAR
        born[role == 4] = rel.astype(np.int64)[role == 4]
        female[role == 4] = rng.random(int((role == 4).sum())) < 0.55
        self.born = np.clip(born, OLDEST, CUTOFF)
        self.female = female
        trad = self.hh_trad[hh].copy()
        mixed = (role == 1) & (rng.random(n) < 0.15)
        trad[mixed] = rng.choice(np.array(names), size=int(mixed.sum()), p=np.array(share))
        self.trad = trad
        self._status()

    def _status(self) -> None:
        rng, n, role = self.rng, self.persons, self.role
        age = (CUTOFF - self.born) / YEAR + 17
        has_spouse = np.zeros(self.n_hh, dtype=bool)
        has_spouse[self.hh[role == 1]] = True
        u = rng.random(n)
        status = np.full(n, "B", dtype=S)
        status[role == 1] = "S"
        head = role == 0
        status[head & has_spouse[self.hh]] = "S"
        lone = head & ~has_spouse[self.hh]
        lone_status = np.select([age >= 50, age >= 30], [np.where(u < 0.75, "P", np.where(u < 0.95, "S", "B")),
                                                         np.where(u < 0.3, "P", np.where(u < 0.5, "S", "B"))],
                                np.where(u < 0.15, "S", "B"))  # fmt: skip
        status[lone] = lone_status[lone]
        married = np.select([age < 22, age < 28, age < 36], [0.03, 0.3, 0.55], 0.7)
        kid = (role == 2) | (role == 4)
        status[kid & (u < married)] = "S"
        status[kid & (age >= 45) & (u < 0.1)] = "P"
        status[role == 3] = np.where(u[role == 3] < 0.75, "P", "S")
        self.status = status
        self.disability = np.where(rng.random(n) < 0.006, rng.choice(np.array(DISABILITIES), size=n), "").astype(S)

    # --- kelurahan, TPS, RW and RT ---------------------------------------------------------------------------

    def layout(self) -> None:
        rng, city = self.rng, self.city
        n_kel = len(city.kel_code)
        n_tps = max(2 * n_kel, round(self.voters * CITY_TPS / CITY_VOTERS))
        self.kel_tps = allocate(n_tps, city.weight, minimum=1)
        self.kel_tps_first = np.r_[0, np.cumsum(self.kel_tps)[:-1]]
        kel_persons = allocate(self.persons, self.kel_tps.astype(float))
        hh_kel = np.asarray(np.searchsorted(np.cumsum(kel_persons), self.hh_first, side="right"))
        self.hh_kel = hh_kel
        self.kel_first_hh = np.searchsorted(hh_kel, np.arange(n_kel))
        self.kel_hh_count = np.bincount(hh_kel, minlength=n_kel)
        rank = np.arange(self.n_hh) - self.kel_first_hh[hh_kel]
        # whole RTs make a TPS: 4-6 RTs each, households shared out evenly over the RTs of the kelurahan
        self.kel_rt_per_tps = rng.integers(4, 7, n_kel)
        kel_rt = self.kel_tps * self.kel_rt_per_tps
        rt_index = rank * kel_rt[hh_kel] // np.maximum(self.kel_hh_count[hh_kel], 1)
        self.hh_rt_index = rt_index
        tps_local = np.minimum(rt_index // self.kel_rt_per_tps[hh_kel], self.kel_tps[hh_kel] - 1)
        self.hh_tps_no = tps_local + 1
        self.hh_tps = self.kel_tps_first[hh_kel] + tps_local
        self.kel_rt_per_rw = rng.integers(5, 11, n_kel)
        self.hh_rt = rt_index % self.kel_rt_per_rw[hh_kel] + 1
        self.hh_rw = rt_index // self.kel_rt_per_rw[hh_kel] + 1
        self.kel_rw_count = np.zeros(n_kel, dtype=np.int64)
        np.maximum.at(self.kel_rw_count, hh_kel, self.hh_rw)
        # an RT lives on one street, gang, kampung or perumahan; each household has its number
        rt_key = hh_kel * 10_000 + rt_index
        kind = (rt_key * 2654435761 >> 7) % 20
        kind = np.select([kind < 9, kind < 14, kind < 17], [0, 1, 2], 3)
        self.hh_kind = kind
        pools = (STREETS, GANGS, KAMPUNG, PERUM)
        self.hh_street = np.full(self.n_hh, "", dtype=S)
        for k, pool in enumerate(pools):
            rows = kind == k
            self.hh_street[rows] = pool[(rt_key[rows] * 40503 >> 3) % len(pool)]
        self.hh_number = rng.integers(1, 160, self.n_hh)
        self.hh_blok = rng.integers(0, 8, self.n_hh)
        self.hh_address = self._address(self.hh_kind, self.hh_street, self.hh_number, self.hh_blok)

    @staticmethod
    def _address(kind: np.ndarray, street: np.ndarray, number: np.ndarray, blok: np.ndarray) -> np.ndarray:
        """JL. MELATI NO. 12, GG. MASJID NO. 3, KP. BABAKAN or PERUM GRIYA ASRI BLOK C2 NO. 15."""
        num = number.astype(str).astype(S)
        letter = np.array(list("ABCDEFGH"), dtype=S)[blok % 8]
        jl = _cat("JL. ", street, " NO. ", num)
        gg = _cat("GG. ", street, " NO. ", num)
        kp = _cat("KP. ", street)
        perum = _cat("PERUM ", street, " BLOK ", letter, (blok % 5 + 1).astype(str).astype(S), " NO. ", num)
        return np.where(kind == 0, jl, np.where(kind == 1, gg, np.where(kind == 2, kp, perum))).astype(S)

    # --- names --------------------------------------------------------------------------------------------

    def names(self) -> None:
        rng, n = self.rng, self.persons
        year = _ymd(self.born)[0]
        self.year = year
        comp, given, middle, second = (np.full(n, "", dtype=S) for _ in range(4))
        muslim = np.isin(self.trad, MUSLIM)
        for (trad, fem), pool in GIVEN.items():
            rows = np.flatnonzero((self.trad == trad) & (self.female == fem))
            family = trad in INHERITED  # small pools passed down: flatter
            given[rows] = _pick(rng, pool, len(rows), 0.6 if family else 0.85)
            spool = SECOND.get((trad, fem))
            if spool is not None:
                second[rows] = _pick(rng, spool, len(rows), 0.3 if family else 0.65)
            if trad in MUSLIM:  # three words now and then, or a second given name for a last name
                three = rows[rng.random(len(rows)) < 0.15]
                middle[three] = _pick(rng, pool, len(three), 0.7)
                other = rows[rng.random(len(rows)) < 0.35]
                second[other] = _pick(rng, pool, len(other), 0.5)
        for fem in (False, True):
            sex = self.female == fem
            rows = np.flatnonzero(sex & (self.trad == "jawa") & (rng.random(n) < 0.28))
            given[rows] = JAWA_TAIL[fem][rng.integers(0, len(JAWA_TAIL[fem]), len(rows))]
            rows = np.flatnonzero(sex & (self.trad == "jawa") & (rng.random(n) < 0.12))
            second[rows] = JAWA_TAIL[fem][rng.integers(0, len(JAWA_TAIL[fem]), len(rows))]
            rows = np.flatnonzero(sex & (self.trad == "sunda") & (rng.random(n) < 0.18))
            given[rows] = SUNDA_TAIL[fem][rng.integers(0, len(SUNDA_TAIL[fem]), len(rows))]
            rows = np.flatnonzero(sex & muslim & (year >= 1990) & (rng.random(n) < 0.5))
            given[rows] = _pick(rng, MODERN[fem], len(rows), 1.0)
            rows = rows[rng.random(len(rows)) < 0.5]
            second[rows] = _pick(rng, MODERN_SECOND[fem], len(rows), 0.8)
            words = np.array([w for w, _ in COMPOUND[fem]], dtype=S)
            odds = np.array([x for _, x in COMPOUND[fem]])
            p = np.where(np.isin(self.trad, ("betawi", "arab")), 0.36, 0.27)
            rows = np.flatnonzero(sex & muslim & (rng.random(n) < p))
            comp[rows] = words[rng.choice(len(words), size=len(rows), p=odds / odds.sum())]
            abdul = rows[comp[rows] == "ABDUL"]
            given[abdul] = _pick(rng, ASMA, len(abdul), 0.9)
        # one word only: older Javanese above all
        mono_p = np.select(
            [self.trad == "jawa", np.isin(self.trad, ("sunda", "betawi")), self.trad == "tionghoa"],
            [np.where(year < 1960, 0.55, np.where(year < 1975, 0.25, 0.08)), np.where(year < 1960, 0.3, 0.07),
             np.full(n, 0.04)], 0.0)  # fmt: skip
        mono = rng.random(n) < np.where(year >= 1990, np.minimum(mono_p, 0.03), mono_p)
        second[mono] = middle[mono] = ""
        comp[mono & (rng.random(n) < 0.6)] = ""
        # family names: marga, Arab family and eastern family names from the head; Chinese surnames half the time
        head = self.hh_first[self.hh]
        kid = (self.role == 2) & (self.trad == self.trad[head])
        inherit = kid & (np.isin(self.trad, INHERITED) | ((self.trad == "tionghoa") & (rng.random(n) < 0.5)))
        second[inherit] = second[head[inherit]]
        middle[np.isin(self.trad, (*INHERITED, "tionghoa"))] = ""
        boru = (self.trad == "batak") & self.female
        r = rng.random(n)
        second[boru & (r < 0.5)] = np.strings.add("BR. ", second[boru & (r < 0.5)])
        second[boru & (r >= 0.5) & (r < 0.75)] = np.strings.add("BR ", second[boru & (r >= 0.5) & (r < 0.75)])
        sayyid = (self.trad == "arab") & (rng.random(n) < 0.3)
        comp[sayyid] = np.where(self.female[sayyid], "SYARIFAH", "SYARIF")
        comp[comp == given] = ""
        same = (second == given) | (middle == given)
        middle[same] = ""
        second[second == given] = ""
        # SRI, DWI, PUTRI ... open a name more than they make one: a one-word name is something else
        alone = (comp == "") & (middle == "") & (second == "") & np.isin(given, LEADING)
        for fem in (False, True):
            rows = np.flatnonzero(alone & (self.female == fem))
            tail = np.where(self.trad[rows] == "sunda", SUNDA_TAIL[fem][rng.integers(0, len(SUNDA_TAIL[fem]), len(rows))],
                            JAWA_TAIL[fem][rng.integers(0, len(JAWA_TAIL[fem]), len(rows))])  # fmt: skip
            given[rows] = tail
        core = _join(comp, given, middle, second)
        # older Cina Benteng: a Hokkien name in the old spelling
        hok = (self.trad == "tionghoa") & (year < 1968) & (rng.random(n) < 0.5)
        k = int(hok.sum())
        fam = _pick(rng, HOKKIEN_FAMILY, k, 0.8)
        s1, s2 = _pick(rng, HOKKIEN, k, 0.5), _pick(rng, HOKKIEN, k, 0.5)
        s2 = np.where(self.female[hok] & (rng.random(k) < 0.4), "NIO", s2)
        core[hok] = _join(fam, s1, s2)
        # the old spelling on the extract for many born before 1960 (SOEPARMAN, DJOKO, TJITJIH)
        old_p = np.where(year < 1960, 0.35, np.where(year < 1972, 0.10, 0.0))
        old = np.isin(self.trad, ("jawa", "sunda", "betawi")) & (rng.random(n) < old_p)
        core[old] = _old_spelling(core[old], rng.random(int(old.sum())) < 0.5)
        self.core = core
        # gelar: the hajj for the older, a degree for some
        hajj_p = np.where(np.isin(self.trad, ("betawi", "arab")), 0.10, 0.05)
        hajj = muslim & (year <= 1984) & (rng.random(n) < hajj_p)
        self.title = np.where(hajj, np.where(self.female, TITLES[True], TITLES[False]), "").astype(S)
        degrees = np.array([d for d, _ in DEGREES], dtype=S)
        odds = np.array([x for _, x in DEGREES])
        deg = (year >= 1958) & (year <= 2001) & (rng.random(n) < 0.05)
        self.degree = np.full(n, "", dtype=S)
        self.degree[deg] = degrees[rng.choice(len(degrees), size=int(deg.sum()), p=odds / odds.sum())]

    # --- people who look alike --------------------------------------------------------------------------------

    def look_alikes(self) -> None:
        rng, n = self.rng, self.persons
        used = np.zeros(n, dtype=bool)
        role, hh = self.role, self.hh

        def take(count: float) -> int:
            return max(1, round(n * count))

        def plain(rows: np.ndarray) -> None:
            self.title[rows] = ""
            self.degree[rows] = ""

        # twins: two children side by side in one KK, one birth date and birthplace, names in a pair
        pair = np.flatnonzero((role[:-1] == 2) & (role[1:] == 2) & (hh[:-1] == hh[1:]))
        pair = np.sort(rng.permutation(pair)[: take(HARD_NEGATIVES["twins"])])
        pair = pair[np.r_[True, np.diff(pair) > 1]]
        a, b = pair, pair + 1
        mixed = rng.random(len(a)) < 0.3
        self.female[b] = np.where(mixed, ~self.female[a], self.female[a])
        self.born[b] = self.born[a]
        self.status[b] = self.status[a]
        used[a] = used[b] = True
        self._partner_names(a, b, mixed)
        plain(np.r_[a, b])
        self.twins = (a, b)
        self.negatives.append((a, b, "twins"))
        # siblings: two children of one KK born apart, names in a pair
        kids = np.flatnonzero((role == 2) & ~used)
        nxt = np.flatnonzero((hh[kids[:-1]] == hh[kids[1:]]) & (self.female[kids[:-1]] == self.female[kids[1:]]))
        nxt = np.sort(rng.permutation(nxt)[: take(HARD_NEGATIVES["siblings"])])
        nxt = nxt[np.r_[True, np.diff(nxt) > 1]]
        a, b = kids[nxt], kids[nxt + 1]
        apart = np.abs(self.born[a] - self.born[b]) >= 300
        a, b = a[apart], b[apart]
        used[a] = used[b] = True
        self._partner_names(a, b, np.zeros(len(a), dtype=bool))
        plain(np.r_[a, b])
        self.negatives.append((a, b, "siblings"))
        # fathers and sons, mothers and daughters, of one name
        for kind, fem in (("father_son", False), ("mother_daughter", True)):
            elder = ((role == 0) | (role == 1)) & (self.female == fem) & ~used
            child = np.flatnonzero((role == 2) & (self.female == fem) & ~used)
            parent_of = np.full(self.n_hh, -1)
            rows = np.flatnonzero(elder)
            parent_of[hh[rows]] = rows
            child = child[parent_of[hh[child]] >= 0]
            child = child[self.born[child] - self.born[parent_of[hh[child]]] >= 17 * YEAR]  # a wife can be young
            _, first = np.unique(hh[child], return_index=True)
            child = rng.permutation(child[first])[: take(HARD_NEGATIVES[kind])]
            parent = parent_of[hh[child]]
            used[child] = used[parent] = True
            self.core[parent] = [_modern_spelling(str(x)) for x in self.core[parent]]
            self.core[child] = self.core[parent]
            plain(np.r_[child, parent])
            self.negatives.append((parent, child, kind))
        # neighbours: heads of two KK of one RT, one sex, one common name
        heads = self.hh_first
        same_rt = (self.hh_kel[:-1] == self.hh_kel[1:]) & (self.hh_rt_index[:-1] == self.hh_rt_index[1:])
        nb = np.flatnonzero(same_rt & (self.female[heads[:-1]] == self.female[heads[1:]])
                            & ~used[heads[:-1]] & ~used[heads[1:]])  # fmt: skip
        nb = np.sort(rng.permutation(nb)[: take(HARD_NEGATIVES["neighbours"])])
        nb = nb[np.r_[True, np.diff(nb) > 1]]
        a, b = heads[nb], heads[nb + 1]
        used[a] = used[b] = True
        self._common_names(a, b)
        self.negatives.append((a, b, "neighbours"))
        # cousins: children of two KK of one kelurahan, one sex, one common name, one birth year
        kids = np.flatnonzero((role == 2) & ~used)
        kids = rng.permutation(kids)
        kids = kids[np.lexsort((self.female[kids], self.hh_kel[hh[kids]]))]
        ok = ((self.hh_kel[hh[kids[:-1]]] == self.hh_kel[hh[kids[1:]]]) & (hh[kids[:-1]] != hh[kids[1:]])
              & (self.female[kids[:-1]] == self.female[kids[1:]]))  # fmt: skip
        at = np.flatnonzero(ok)
        at = np.sort(rng.permutation(at)[: take(HARD_NEGATIVES["cousins"])])
        at = at[np.r_[True, np.diff(at) > 1]]
        a, b = kids[at], kids[at + 1]
        ya = _ymd(self.born[a])[0]
        _, mb, db = _ymd(self.born[b])
        moved = np.minimum(_days(ya, mb, db), CUTOFF)
        keep = moved != self.born[a]
        a, b = a[keep], b[keep]
        self.born[b] = moved[keep]
        used[a] = used[b] = True
        self._common_names(a, b)
        self.negatives.append((a, b, "cousins"))
        # namesakes born the very same day: people living alone in two kecamatan
        lone = np.flatnonzero((role == 0) & (self.hh_size[hh] == 1) & ~used)
        k = min(take(HARD_NEGATIVES["namesake_dob"]), len(lone) // 2)
        pick = rng.permutation(lone)[: 2 * k]
        a, b = pick[:k], pick[k:]
        kec = self.city.kec_code[self.hh_kel[hh]]
        keep = (self.female[a] == self.female[b]) & (kec[a] != kec[b])
        a, b = a[keep], b[keep]
        self.born[b] = self.born[a]
        used[a] = used[b] = True
        self._common_names(a, b)
        self.negatives.append((a, b, "namesake_dob"))
        self.used = used

    def _partner_names(self, a: np.ndarray, b: np.ndarray, mixed: np.ndarray) -> None:
        """Give a and b one name but for one word, from a pair of names parents like (HASAN and HUSEIN)."""
        rng = self.rng
        same = {False: [p for p in PARTNERS["same"] if p[0] is False], True: [p for p in PARTNERS["same"] if p[0]]}
        for i in range(len(a)):
            pa_, pb = int(a[i]), int(b[i])
            if mixed[i]:
                _, w_male, w_female = PARTNERS["mixed"][int(rng.integers(len(PARTNERS["mixed"])))]
                wa, wb = (w_female, w_male) if self.female[pa_] else (w_male, w_female)
            else:
                options = same[bool(self.female[pa_])]
                _, wa, wb = options[int(rng.integers(len(options)))]
                if rng.random() < 0.5:
                    wa, wb = wb, wa
            words = str(self.core[pa_]).split()
            at = next((j for j, w in enumerate(words) if w not in SKIP_WORDS), 0)
            if mixed[i]:  # MUHAMMAD / SITI do not go to the other sex
                words = words[at:] if at < len(words) else words
                at = 0
            rest_a = [*words[:at], wa, *words[at + 1 :]]
            rest_b = [*words[:at], wb, *words[at + 1 :]]
            self.core[pa_] = " ".join(rest_a)
            self.core[pb] = " ".join(rest_b)

    def _common_names(self, a: np.ndarray, b: np.ndarray) -> None:
        rng = self.rng
        for fem in (False, True):
            rows = np.flatnonzero(self.female[a] == fem)
            names = _pick(rng, COMMON[fem], len(rows), 0.9)
            self.core[a[rows]] = self.core[b[rows]] = names
        self.title[a] = self.title[b] = ""
        self.degree[a] = self.degree[b] = ""

    # --- numbers and birthplaces --------------------------------------------------------------------------

    def _origin(self, trad: np.ndarray) -> np.ndarray:
        """A NIK/NKK region from outside the city, where people of the tradition come from."""
        rng = self.rng
        out = np.zeros(len(trad), dtype=np.int64)
        for t, starts in ORIGINS.items():
            rows = np.flatnonzero(trad == t)
            which = rng.choice(len(starts), size=len(rows), p=np.array([w for _, w in starts]))
            for j, (start, _) in enumerate(starts):
                pool = np.array([int(p) for p in sorted(self.prefixes) if p.startswith(start) and p[:4] != "3671"])
                r = rows[which == j]
                out[r] = pool[rng.integers(0, len(pool), len(r))]
        return out

    def numbers(self) -> None:
        rng, n = self.rng, self.persons
        home = self.city.kec_code[self.hh_kel].astype(np.int64)
        city_kec = np.unique(self.city.kec_code).astype(np.int64)
        r = rng.random(self.n_hh)
        hh_prefix = np.where(r < 0.78, home, np.where(r < 0.86, city_kec[rng.integers(0, len(city_kec), self.n_hh)],
                                                      self._origin(self.hh_trad)))  # fmt: skip
        prefix = hh_prefix[self.hh]
        r = rng.random(n)
        own = np.where(self.role == 2, r < 0.05, r < 0.25)  # spouses, parents and relatives came from elsewhere
        own[self.twins[0]] = own[self.twins[1]] = False
        k = int(own.sum())
        prefix[own] = np.where(rng.random(k) < 0.35, city_kec[rng.integers(0, len(city_kec), k)],
                               self._origin(self.trad[own]))  # fmt: skip
        key = prefix * 1_000_000 + _ddmmyy(self.born, self.female)
        self.nik = key * 10_000 + _serials(key)
        issued = rng.integers(_day(2005, 1, 1), _day(2024, 6, 1), self.n_hh)
        kk_prefix = np.where(rng.random(self.n_hh) < 0.9, home, hh_prefix)
        kk_key = kk_prefix * 1_000_000 + _ddmmyy(issued, np.zeros(self.n_hh, dtype=bool))
        self.hh_nkk = kk_key * 10_000 + _serials(kk_key)
        bp = np.full(n, "TANGERANG", dtype=S)
        for t, places in BIRTHPLACE.items():
            rows = np.flatnonzero(self.trad == t)
            pool = np.array(places, dtype=S)
            bp[rows] = _pick(rng, pool, len(rows), 0.9)
        in_city = (prefix // 100 == 3671) & (self.role == 2)
        local = in_city & (rng.random(n) < np.where(self.year >= 1975, 0.75, 0.4))
        bp[local] = "TANGERANG"
        a, b = self.twins
        bp[b] = bp[a]
        self.birthplace = bp
        self.name = _cat(_join(self.title, self.core), self.degree)

    # --- the extra registrations ------------------------------------------------------------------------------

    def duplicates(self) -> None:
        rng = self.rng
        people = round(self.extra / (1 + TRIPLE_SHARE))
        chosen = rng.choice(self.persons, size=people, replace=False)
        triples = chosen[: self.extra - people] if self.extra > people else chosen[:0]
        src = np.concatenate([chosen, triples])
        k = len(src)
        names = list(CHANNELS)
        shares = np.array([CHANNELS[c][0] for c in names])
        channel = rng.choice(len(names), size=k, p=shares)
        again = channel[people:] == channel[: len(triples)]  # a third registration comes another way, mostly
        channel[people:][again] = rng.choice(len(names), size=int(again.sum()), p=shares)
        self.c_person = src
        self.c_channel = np.array(names, dtype=S)[channel]
        self._places(channel)
        self._choose_and_apply(channel)

    def _places(self, channel: np.ndarray) -> None:
        rng, city = self.rng, self.city
        src, k = self.c_person, len(self.c_person)
        place = np.full(k, "", dtype=S)
        for j, (_, places, _, _) in enumerate(CHANNELS.values()):
            rows = np.flatnonzero(channel == j)
            names = list(places)
            place[rows] = np.array(names, dtype=S)[rng.choice(len(names), size=len(rows),
                                                              p=np.array(list(places.values())))]  # fmt: skip
        hh = self.hh[src].copy()
        kel = self.hh_kel[hh]
        # where the copy lives: a household of the same kelurahan, of another in the kecamatan, of another kecamatan
        kec_of_kel = city.kec_code
        target_kel = kel.copy()
        n_kel = len(city.kel_code)
        for j in np.flatnonzero((place == "other_kel") | (place == "other_kec")).tolist():
            same_kec = kec_of_kel == kec_of_kel[kel[j]]
            want = same_kec if place[j] == "other_kel" else ~same_kec
            want &= np.arange(n_kel) != kel[j]
            w = city.weight * want
            target_kel[j] = int(rng.choice(n_kel, p=w / w.sum())) if w.sum() > 0 else kel[j]
        moving = np.isin(place, np.array(["other_kk", "other_kel", "other_kec"], dtype=S))
        first, count = self.kel_first_hh[target_kel], np.maximum(self.kel_hh_count[target_kel], 1)
        near = first + (rng.random(k) * count).astype(np.int64)
        near = np.where(moving & (near == hh), first + (near - first + 1) % count, near)
        self.c_near = np.where(moving, near, hh)
        joins = moving & (rng.random(k) < np.where(place == "other_kk", 0.5, 0.4))
        new_kk = moving & ~joins
        self.c_hh = np.where(joins, near, hh)  # the household whose KK the copy is in; new KK: -1
        self.c_hh[new_kk] = -1
        nb = self.c_near
        self.c_kel = self.hh_kel[nb]
        self.c_tps_no = self.hh_tps_no[nb]
        self.c_tps = self.hh_tps[nb]
        self.c_rt = self.hh_rt[nb].copy()
        self.c_rw = self.hh_rw[nb].copy()
        self.c_nkk = self.hh_nkk[nb].copy()
        self.c_address = self.hh_address[nb].copy()
        # a new KK of 2023-24 where they live now, on the neighbour's street
        m = int(new_kk.sum())
        issued = rng.integers(_day(2023, 1, 1), _day(2024, 6, 1), m)
        kk_key = city.kec_code[self.c_kel[new_kk]].astype(np.int64) * 1_000_000 + _ddmmyy(issued, np.zeros(m, bool))
        self.c_nkk[new_kk] = kk_key * 10_000 + _next_serials(kk_key, self.hh_nkk)
        number = (self.hh_number[nb[new_kk]] + rng.integers(1, 30, m)) % 200 + 1
        self.c_address[new_kk] = self._address(self.hh_kind[nb[new_kk]], self.hh_street[nb[new_kk]], number,
                                               rng.integers(0, 8, m))  # fmt: skip
        # RT/RW renumbered: a split RT got a new number after the last, or the RW was renumbered
        renum = np.flatnonzero(place == "rt_rw")
        kel_r = self.c_kel[renum]
        rt_side = rng.random(len(renum)) < 0.65
        self.c_rt[renum] = np.where(rt_side, self.c_rt[renum] + self.kel_rt_per_rw[kel_r], self.c_rt[renum])
        self.c_rw[renum] = np.where(rt_side, self.c_rw[renum], self.kel_rw_count[kel_r] + 1 + self.c_rw[renum] % 3)
        self.c_place = place
        self.c_tags: list[list[str]] = [[str(p)] for p in place]

    def _choose_and_apply(self, channel: np.ndarray) -> None:
        rng, src = self.rng, self.c_person
        k = len(src)
        self.c_name = [str(x) for x in self.name[src]]
        self.c_born = self.born[src].copy()
        self.c_female = self.female[src].copy()
        self.c_status = self.status[src].copy()
        self.c_birthplace = [str(x) for x in self.birthplace[src]]
        self.c_nik = self.nik[src].copy()
        self.nik_sorted = np.sort(self.nik)
        self.c_address_list = [str(x) for x in self.c_address]
        able = self._applicable()
        weights = np.zeros((k, len(MECHANISMS)))
        wanted = np.zeros(k, dtype=np.int64)
        for j, (_, _, counts, w) in enumerate(CHANNELS.values()):
            rows = channel == j
            weights[rows] = np.array([w.get(m, 0.0) for m in MECHANISMS])
            wanted[rows] = rng.choice(len(counts), size=int(rows.sum()), p=np.array(counts))
        weights *= able
        keys = np.where(weights > 0, rng.random(weights.shape) ** (1 / np.maximum(weights, 1e-9)), -1.0)
        families = np.array([FAMILY[m] for m in MECHANISMS])
        for fam in np.unique(families):  # one change per family: the one with the largest key
            cols = np.flatnonzero(families == fam)
            best = cols[np.argmax(keys[:, cols], axis=1)]
            drop = np.ones((k, len(cols)), dtype=bool)
            drop[np.arange(k), np.searchsorted(cols, best)] = False
            sub = keys[:, cols]
            sub[drop] = -1.0
            keys[:, cols] = sub
        rank = np.argsort(np.argsort(-keys, axis=1, kind="stable"), axis=1, kind="stable")
        chosen = (rank < wanted[:, None]) & (keys > 0)
        for m in APPLY:
            rows = np.flatnonzero(chosen[:, MECHANISMS.index(m)])
            if not len(rows):
                continue
            done = getattr(self, f"_m_{m}")(rows)
            for i in rows[done].tolist():
                self.c_tags[i].append(m)
        for i, name in enumerate(self.name[src].tolist()):  # a degree added, then cut off with the column
            if self.c_name[i] == name:
                self.c_tags[i] = [t for t in self.c_tags[i] if not t.startswith("name_")]

    def _applicable(self) -> np.ndarray:
        """Which changes can be made to each copy."""
        k = len(self.c_person)
        out = np.ones((k, len(MECHANISMS)), dtype=bool)
        names = self.c_name
        y, m, d = _ymd(self.c_born)
        cores = [_gelar(x)[1].split() for x in names]
        words = np.array([len(c) for c in cores])
        person = self.c_person
        old_name = np.array([any(s in x for s in OLD_SEQ) for x in names])

        def col(name: str) -> int:
            return MECHANISMS.index(name)

        out[:, col("name_autocorrect")] = [any(w in AUTOCORRECT for w in c) for c in cores]
        out[:, col("name_call")] = words >= 2
        out[:, col("name_full")] = words == 1
        old_enough = (self.year[person] < 1975) & np.isin(self.trad[person], ("jawa", "sunda", "betawi"))
        out[:, col("name_ejaan")] = old_name | old_enough
        out[:, col("name_join")] = [_join_variant(x, None) is not None for x in names]
        out[:, col("name_wrap")] = np.array([len(x) for x in names]) > 16
        out[:, col("name_nospace")] = [" " in x for x in names]
        swapped = _days(y, d, m)
        out[:, col("dob_mmdd")] = (d <= 12) & (d != m) & (swapped <= CUTOFF)
        outside = self.c_nik // 10**12 != 3671
        moved = np.isin(self.c_place, np.array(["other_kel", "other_kec"], dtype=S))
        out[:, col("nik_reissued")] = moved & (outside | (self.rng.random(k) < 0.25))
        out[:, col("nik_kk")] = ~np.isin(self.c_nkk, self.nik)
        out[:, col("sex_default")] = self.c_female | (self.rng.random(k) < 0.1)
        out[:, col("address_typed")] = np.isin(self.c_place, np.array(["same_kk", "rt_rw"], dtype=S))
        out[:, col("nkk_digit")] = self.c_hh >= 0
        return out

    # name changes: each takes the copies' rows and returns which of them changed
    def _names_edit(self, rows: np.ndarray, edit: Callable[[str], str | None]) -> np.ndarray:
        done = np.zeros(len(rows), dtype=bool)
        for j, i in enumerate(rows.tolist()):
            new = edit(self.c_name[i])
            if new is not None:
                new = " ".join(new.split())
            if new and new != self.c_name[i]:
                self.c_name[i] = new
                done[j] = True
        return done

    def _letters(self, name: str) -> list[int]:
        return [i for i, ch in enumerate(name) if ch.isalpha()]

    def _m_name_key(self, rows: np.ndarray) -> np.ndarray:
        rng = self.rng

        def edit(name: str) -> str | None:
            spots = [i for i in self._letters(name) if name[i].upper() in KEY_NEAR]
            if not spots:
                return None
            i = spots[int(rng.integers(len(spots)))]
            near = KEY_NEAR[name[i].upper()]
            return name[:i] + near[int(rng.integers(len(near)))] + name[i + 1 :]

        return self._names_edit(rows, edit)

    def _m_name_double(self, rows: np.ndarray) -> np.ndarray:
        rng = self.rng

        def edit(name: str) -> str | None:
            doubles = [i for i in range(1, len(name)) if name[i] == name[i - 1] and name[i].isalpha()]
            if doubles and rng.random() < 0.6:
                i = doubles[int(rng.integers(len(doubles)))]
                return name[:i] + name[i + 1 :]
            spots = self._letters(name)
            i = spots[int(rng.integers(len(spots)))]
            return name[: i + 1] + name[i] + name[i + 1 :]

        return self._names_edit(rows, edit)

    def _m_name_drop(self, rows: np.ndarray) -> np.ndarray:
        rng = self.rng

        def edit(name: str) -> str | None:
            spots = [i for i in self._letters(name) if i > 0 and name[i - 1] != " "]
            if not spots:
                return None
            i = spots[int(rng.integers(len(spots)))]
            return name[:i] + name[i + 1 :]

        return self._names_edit(rows, edit)

    def _m_name_swap(self, rows: np.ndarray) -> np.ndarray:
        rng = self.rng

        def edit(name: str) -> str | None:
            spots = [i for i in range(len(name) - 1) if name[i].isalpha() and name[i + 1].isalpha()
                     and name[i] != name[i + 1]]  # fmt: skip
            if not spots:
                return None
            i = spots[int(rng.integers(len(spots)))]
            return name[:i] + name[i + 1] + name[i] + name[i + 2 :]

        return self._names_edit(rows, edit)

    def _m_name_autocorrect(self, rows: np.ndarray) -> np.ndarray:
        rng = self.rng

        def edit(name: str) -> str | None:
            words = name.split()
            spots = [j for j, w in enumerate(words) if w in AUTOCORRECT]
            if not spots:
                return None
            j = spots[int(rng.integers(len(spots)))]
            words[j] = AUTOCORRECT[words[j]]
            return " ".join(words)

        return self._names_edit(rows, edit)

    def _m_name_call(self, rows: np.ndarray) -> np.ndarray:
        rng = self.rng

        def edit(name: str) -> str | None:
            words = _gelar(name)[1].split()
            if len(words) < 2:
                return None
            proper = [w for w in words if w not in SKIP_WORDS and not w.startswith("BR")]
            if not proper:
                return None
            word = proper[0] if rng.random() < 0.75 else proper[-1]
            if word in CALL and rng.random() < 0.4:
                return CALL[word]
            if len(words) >= 3 and rng.random() < 0.3:  # the first two of three
                return " ".join(words[:2])
            return word

        return self._names_edit(rows, edit)

    def _m_name_full(self, rows: np.ndarray) -> np.ndarray:
        rng, person = self.rng, self.c_person

        def full(i: int) -> str | None:
            p = int(person[i])
            title, core, degree = _gelar(self.c_name[i])
            words = core.split()
            if len(words) != 1:
                return None
            trad, fem = str(self.trad[p]), bool(self.female[p])
            pool = SECOND.get((trad, fem), GIVEN[(trad, fem)])
            extra = [str(pool[int(rng.integers(len(pool)))])]
            if trad in MUSLIM and rng.random() < 0.3:
                comp = [w for w, _ in COMPOUND[fem]]
                words = [comp[int(rng.integers(len(comp)))], *words]
            return " ".join([w for w in (title, *words, *extra) if w]) + degree

        done = np.zeros(len(rows), dtype=bool)
        for j, i in enumerate(rows.tolist()):
            new = full(i)
            if new and new != self.c_name[i]:
                self.c_name[i], done[j] = new, True
        return done

    def _m_name_gelar(self, rows: np.ndarray) -> np.ndarray:
        rng, person = self.rng, self.c_person
        degrees = [d for d, _ in DEGREES]

        def gelar(i: int) -> str | None:
            p = int(person[i])
            title, core, degree = _gelar(self.c_name[i])
            if title or degree:
                r = rng.random()
                if degree and r < 0.35:  # written another way: S.PD -> S.PD. / SPD / S. PD
                    d = degree[2:]
                    forms = [d + ".", d.replace(".", ""), d.replace(".", ". ").strip()]
                    return f"{title} {core}, {forms[int(rng.integers(3))]}"
                if title and degree:
                    return f"{core}{degree}" if rng.random() < 0.5 else f"{title} {core}"
                return core
            year = int(self.year[p])
            if str(self.trad[p]) in MUSLIM and year <= 1984 and rng.random() < 0.6:
                return f"{TITLES[bool(self.female[p])]} {core}"
            if 1958 <= year <= 2001:
                return f"{core}{degrees[int(rng.integers(len(degrees)))]}"
            return None

        done = np.zeros(len(rows), dtype=bool)
        for j, i in enumerate(rows.tolist()):
            new = gelar(i)
            if new and new != self.c_name[i]:
                self.c_name[i], done[j] = " ".join(new.split()), True
        return done

    def _m_name_ejaan(self, rows: np.ndarray) -> np.ndarray:
        rng = self.rng

        def edit(name: str) -> str | None:
            if any(s in name for s in OLD_SEQ):
                return _modern_spelling(name)
            full = rng.random() < 0.5
            return str(_old_spelling(np.array([name], dtype=S), np.array([full]))[0])

        return self._names_edit(rows, edit)

    def _m_name_join(self, rows: np.ndarray) -> np.ndarray:
        return self._names_edit(rows, lambda name: _join_variant(name, self.rng))

    def _m_name_wrap(self, rows: np.ndarray) -> np.ndarray:
        rng = self.rng

        def edit(name: str) -> str | None:
            width = int(rng.integers(14, 21))
            return name[:width].rstrip(" ,.") if len(name) > width else None

        return self._names_edit(rows, edit)

    def _m_name_nospace(self, rows: np.ndarray) -> np.ndarray:
        done = np.zeros(len(rows), dtype=bool)
        for j, i in enumerate(rows.tolist()):
            if " " in self.c_name[i]:
                self.c_name[i], done[j] = self.c_name[i].replace(" ", ""), True
        return done

    def _m_name_case(self, rows: np.ndarray) -> np.ndarray:
        rng = self.rng
        return self._names_edit(rows, lambda name: name.title() if rng.random() < 0.85 else name.lower())

    def _m_name_punct(self, rows: np.ndarray) -> np.ndarray:
        rng = self.rng
        return self._names_edit(rows, lambda name: name + (".", ",", " .")[int(rng.choice(3, p=[0.55, 0.35, 0.1]))])

    # birth dates
    def _set_born(self, rows: np.ndarray, new: np.ndarray) -> np.ndarray:
        ok = (new != self.c_born[rows]) & (new <= CUTOFF) & (new >= OLDEST - 3650)
        self.c_born[rows[ok]] = new[ok]
        return ok

    def _m_dob_mmdd(self, rows: np.ndarray) -> np.ndarray:
        y, m, d = _ymd(self.c_born[rows])
        ok = (d <= 12) & (d != m)
        return self._set_born(rows, np.where(ok, _days(y, d, m), self.c_born[rows]))

    def _m_dob_day(self, rows: np.ndarray) -> np.ndarray:
        y, m, d = _ymd(self.c_born[rows])
        step = self.rng.choice(np.array([-2, -1, 1, 2]), size=len(rows), p=[0.15, 0.35, 0.35, 0.15])
        length = _month_length(y, m)
        step = np.where((d + step < 1) | (d + step > length), -step, step)
        new = _days(y, m, d + step)
        new = np.where(new > CUTOFF, _days(y, m, d - np.abs(step)), new)
        return self._set_born(rows, new)

    def _m_dob_month(self, rows: np.ndarray) -> np.ndarray:
        y, m, d = _ymd(self.c_born[rows])
        step = np.where(self.rng.random(len(rows)) < 0.5, -1, 1)
        step = np.where((m + step < 1) | (m + step > 12), -step, step)
        new = _days(y, m + step, d)
        new = np.where(new > CUTOFF, _days(y, m - np.abs(step), d), new)
        return self._set_born(rows, new)

    def _m_dob_year(self, rows: np.ndarray) -> np.ndarray:
        y, m, d = _ymd(self.c_born[rows])
        step = np.where(self.rng.random(len(rows)) < 0.5, -1, 1)
        new = _days(y + step, m, d)
        new = np.where(new > CUTOFF, _days(y - 1, m, d), new)
        return self._set_born(rows, new)

    def _m_dob_age(self, rows: np.ndarray) -> np.ndarray:
        born = self.c_born[rows]
        y, m, d = _ymd(born)
        had_birthday = (m < 7) | ((m == 7) & (d <= 1))
        age = 2024 - y - (~had_birthday).astype(np.int64)
        guess = 2024 - age
        r = self.rng.random(len(rows))
        new = np.where(r < 0.65, _days(guess, np.ones_like(guess), np.ones_like(guess)),
                       _days(guess, np.full_like(guess, 12), np.full_like(guess, 31)))  # fmt: skip
        new = np.where(new > CUTOFF, _days(guess, np.ones_like(guess), np.ones_like(guess)), new)
        return self._set_born(rows, new)

    def _m_dob_picker(self, rows: np.ndarray) -> np.ndarray:
        visit = self.rng.integers(COKLIT[0], COKLIT[1] + 1, len(rows))
        _, vm, vd = _ymd(visit)
        y, _, _ = _ymd(self.c_born[rows])
        return self._set_born(rows, _days(y, vm, vd))

    def _m_dob_masked(self, rows: np.ndarray) -> np.ndarray:
        y, _, _ = _ymd(self.c_born[rows])
        r = self.rng.random(len(rows))
        m = np.where(r < 0.45, 7, np.where(r < 0.85, 1, 12))
        d = np.where(r < 0.85, 1, 31)
        new = _days(y, m, d)
        new = np.where(new > CUTOFF, _days(y, np.full_like(y, 7), np.ones_like(y)), new)
        return self._set_born(rows, new)

    # numbers
    def _taken(self, numbers: np.ndarray) -> np.ndarray:
        """Is each number someone's NIK already (or one the copies have)?"""
        s = self.nik_sorted
        at = np.minimum(np.searchsorted(s, numbers), len(s) - 1)
        return (s[at] == numbers) | np.isin(numbers, self.c_nik)

    def _nik_valid(self, nik: np.ndarray, female: np.ndarray | None) -> np.ndarray:
        dd, mm, yy = nik // 10**8 % 100, nik // 10**6 % 100, nik // 10**4 % 100
        ok = np.isin(nik // 10**10, self.prefix_ints) & (nik % 10_000 > 0)
        return ok & _valid_date_part(dd, mm, yy, female)

    def _pad_typo(self, numbers: np.ndarray, female: np.ndarray | None, swap: bool) -> np.ndarray:
        """A number-pad typo in the date or serial part (or two neighbours swapped), still a valid number."""
        rng = self.rng
        out = numbers.copy()
        todo = np.ones(len(numbers), dtype=bool)
        for _ in range(40):
            idx = np.flatnonzero(todo)
            if not len(idx):
                break
            cur = numbers[idx]
            pos = rng.integers(6, 15 if swap else 16, len(idx))
            place = 10 ** (15 - pos)
            digit = cur // place % 10
            if swap:
                nxt_place = place // 10
                nxt = cur // nxt_place % 10
                new = cur + (nxt - digit) * place + (digit - nxt) * nxt_place
            else:
                near = np.array([PAD_NEAR[x][int(u * len(PAD_NEAR[x]))] for x, u in
                                 zip(digit.tolist(), rng.random(len(idx)).tolist(), strict=True)], dtype=np.int64)  # fmt: skip
                new = cur + (near - digit) * place
            sub = None if female is None else female[idx]
            ok = (new != cur) & self._nik_valid(new, sub) & ~self._taken(new) & ~np.isin(new, out[~todo])
            _, first = np.unique(new, return_index=True)  # two typos landing on one number: the first keeps it
            ok &= np.isin(np.arange(len(idx)), first)
            out[idx[ok]] = new[ok]
            todo[idx[ok]] = False
        return np.where(todo, numbers, out)

    def _m_nik_digit(self, rows: np.ndarray) -> np.ndarray:
        new = self._pad_typo(self.c_nik[rows], self.female[self.c_person[rows]], swap=False)
        done = new != self.c_nik[rows]
        self.c_nik[rows] = new
        return done

    def _m_nik_swap(self, rows: np.ndarray) -> np.ndarray:
        new = self._pad_typo(self.c_nik[rows], self.female[self.c_person[rows]], swap=True)
        done = new != self.c_nik[rows]
        self.c_nik[rows] = new
        return done

    def _m_nik_kk(self, rows: np.ndarray) -> np.ndarray:
        new = self.c_nkk[rows]
        done = ~self._taken(new)
        _, first = np.unique(new, return_index=True)  # two of one KK: only the first is keyed so
        done &= np.isin(np.arange(len(rows)), first)
        self.c_nik[rows[done]] = new[done]
        return done

    def _m_nik_reissued(self, rows: np.ndarray) -> np.ndarray:
        prefix = self.city.kec_code[self.c_kel[rows]].astype(np.int64)
        key = prefix * 1_000_000 + self.c_nik[rows] // 10_000 % 1_000_000
        serial = _next_serials(key, np.concatenate([self.nik, self.c_nik]))
        new = key * 10_000 + np.minimum(serial, 9999)
        done = (new != self.c_nik[rows]) & ~self._taken(new) & (serial <= 9999)
        self.c_nik[rows[done]] = new[done]
        return done

    def _m_nkk_digit(self, rows: np.ndarray) -> np.ndarray:
        zero = np.zeros(len(rows), dtype=bool)
        new = self._pad_typo(self.c_nkk[rows], zero, swap=False)
        done = (new != self.c_nkk[rows]) & ~np.isin(new, self.hh_nkk)
        self.c_nkk[rows[done]] = new[done]
        return done

    def _m_sex_default(self, rows: np.ndarray) -> np.ndarray:
        self.c_female[rows] = ~self.c_female[rows]
        return np.ones(len(rows), dtype=bool)

    def _m_status(self, rows: np.ndarray) -> np.ndarray:
        """B -> S (married since, or keyed so); S -> P (widowed, divorced) or B; P -> S or B."""
        old = self.c_status[rows]
        r = self.rng.random(len(rows))
        new = np.where(old == "B", "S", np.where(old == "S", np.where(r < 0.55, "P", "B"), np.where(r < 0.8, "S", "B")))
        self.c_status[rows] = new.astype(S)
        return np.ones(len(rows), dtype=bool)

    def _m_birthplace(self, rows: np.ndarray) -> np.ndarray:
        rng = self.rng
        done = np.zeros(len(rows), dtype=bool)
        for j, i in enumerate(rows.tolist()):
            bp = self.c_birthplace[i]
            kab, kec, abbr = PLACE_FORMS.get(bp, ((f"KAB. {bp}", f"KOTA {bp}"), (), ()))
            options = [x for x in (kab, kec, abbr) if x]
            r = rng.random()
            if r < 0.12 and len(bp) >= 5:  # typed wrong on the phone
                at = int(rng.integers(1, len(bp)))
                ch = bp[at]
                new = (
                    bp[:at]
                    + (KEY_NEAR[ch][int(rng.integers(len(KEY_NEAR[ch])))] if ch in KEY_NEAR else "")
                    + bp[at + 1 :]
                )
            else:
                group = options[int(rng.integers(len(options)))]
                new = group[int(rng.integers(len(group)))]
            if new != bp and new.strip():
                self.c_birthplace[i], done[j] = " ".join(new.split()), True
        return done

    def _m_address_typed(self, rows: np.ndarray) -> np.ndarray:
        rng = self.rng
        rewrites = (("JL. ", ("JL ", "JLN. ", "JALAN ")), (" NO. ", (" NO ", " NO.", " ")), ("GG. ", ("GANG ", "GG "))
                    , ("KP. ", ("KAMPUNG ", "KP ", "KMP. ")), ("PERUM ", ("PERUMAHAN ", "PRM. ")),
                    (" BLOK ", (" BLK ", " BLOK. ", " BL. ")))  # fmt: skip
        done = np.zeros(len(rows), dtype=bool)
        for j, i in enumerate(rows.tolist()):
            text = self.c_address_list[i]
            hits = [(a, b) for a, b in rewrites if a in text]
            if not hits:
                continue
            for a, b in hits:
                if rng.random() < 0.7 or (a, b) == hits[-1]:
                    text = text.replace(a, b[int(rng.integers(len(b)))])
            text = " ".join(text.split())
            if text != self.c_address_list[i]:
                self.c_address_list[i], done[j] = text, True
        return done

    # --- writing ----------------------------------------------------------------------------------------------

    def write(self, out: Path) -> dict:
        rng = self.rng
        n, k = self.persons, len(self.c_person)
        person = np.concatenate([np.arange(n), self.c_person])
        kel = np.concatenate([self.hh_kel[self.hh], self.c_kel])
        tps_no = np.concatenate([self.hh_tps_no[self.hh], self.c_tps_no])
        tps = np.concatenate([self.hh_tps[self.hh], self.c_tps])
        rt = np.concatenate([self.hh_rt[self.hh], self.c_rt])
        rw = np.concatenate([self.hh_rw[self.hh], self.c_rw])
        nkk = np.concatenate([self.hh_nkk[self.hh], self.c_nkk])
        address = np.concatenate([self.hh_address[self.hh], np.array(self.c_address_list, dtype=S)])
        nik = np.concatenate([self.nik, self.c_nik]).astype(str).astype(S)
        name = np.concatenate([self.name, np.array(self.c_name, dtype=S)])
        born = np.concatenate([self.born, self.c_born])
        female = np.concatenate([self.female, self.c_female])
        status = np.concatenate([self.status, self.c_status])
        birthplace = np.concatenate([self.birthplace, np.array(self.c_birthplace, dtype=S)])
        disability = np.concatenate([self.disability, self.disability[self.c_person]])
        added = np.r_[np.zeros(n, dtype=np.int64), np.ones(k, dtype=np.int64)]
        # the extract by RW, RT and KK within each TPS; the coklit additions after it, in the order they came in
        hh_rank = np.concatenate([self.hh, np.zeros(k, dtype=np.int64)])
        within = np.concatenate([self.pos, rng.permutation(k)])
        order = np.lexsort((within, hh_rank, np.where(added == 1, 0, rt), np.where(added == 1, 0, rw), added, tps_no,
                            kel))  # fmt: skip
        position = np.empty(n + k, dtype=np.int64)
        position[order] = np.arange(1, n + k + 1)
        tps_count = np.bincount(tps, minlength=int(self.kel_tps.sum()))
        if tps_count.max() > MAX_PER_TPS:
            raise ValueError(f"a TPS got {tps_count.max()} voters")

        rows = {
            "person": person, "nkk": nkk, "nik": nik, "nama": name, "tempat_lahir": birthplace, "born": born,
            "female": female, "status_kawin": status, "alamat": address, "rt": rt, "rw": rw, "disabilitas": disability,
            "kel": kel, "tps_no": tps_no,
        }  # fmt: skip
        pairs, negatives = self._pairs(position), negatives_table(self.negatives, position)
        problems = write_separate(out, self.city, {key: value[order] for key, value in rows.items()}, pairs, negatives)
        copy_tags = Counter(t for tags_ in self.c_tags for t in tags_)
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
            "duplicate_persons": len(np.unique(self.c_person)),
            "pairs": pairs.num_rows,
            "problems": dict(sorted(problems.items())),
            "channels": dict(sorted(Counter(str(c) for c in self.c_channel).items())),
            "copies": dict(sorted(copy_tags.items())),
            "mechanisms": tag_counts(pairs),
            "hard_negatives": kind_counts(negatives),
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
        for i, p in enumerate(self.c_person.tolist()):
            by_person.setdefault(p, []).append(i)
            a.append(int(position[p]))
            b.append(int(position[n + i]))
            m.append(_label(self.c_tags[i]))
        kec = self.city.kec_code
        for rows in by_person.values():
            for x in range(len(rows)):
                for y in range(x + 1, len(rows)):
                    i, j = rows[x], rows[y]
                    if kec[self.c_kel[i]] != kec[self.c_kel[j]]:
                        place = "other_kec"
                    elif self.c_kel[i] != self.c_kel[j]:
                        place = "other_kel"
                    elif self.c_hh[i] != self.c_hh[j] or self.c_hh[i] < 0:
                        place = "other_kk"
                    elif (self.c_rt[i], self.c_rw[i]) != (self.c_rt[j], self.c_rw[j]):
                        place = "rt_rw"
                    else:
                        place = "same_kk"
                    a.append(int(position[n + i]))
                    b.append(int(position[n + j]))
                    m.append(_label([place, "copy_copy", *self.c_tags[i][1:], *self.c_tags[j][1:]]))
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        keep = np.lexsort((hi, lo))
        return pa.table({"id_a": lo[keep], "id_b": hi[keep], "mechanism": pa.array([m[i] for i in keep], pa.string())})


def _join_variant(name: str, rng: np.random.Generator | None) -> str | None:
    """ABDUL ROHMAN -> ABDURROHMAN, NUR HAYATI <-> NURHAYATI, AL HABSYI -> ALHABSYI / AL-HABSYI, BR. -> BORU.

    With ``rng`` None: a variant exists (a string) or not (None)."""
    options: list[str] = []
    m = re.search(r"\bABDU[LR] ?([RSZNTD])", name)
    if m:
        start, letter = m.start(), m.group(1)
        rest = name[m.end() - 1 :]
        options += [name[:start] + "ABDU" + letter + rest, name[:start] + "ABDU" + rest]
    if re.search(r"\bNUR [A-Z]", name):
        options.append(re.sub(r"\bNUR ([A-Z])", r"NUR\1", name, count=1))
    m = re.search(r"\bNUR(HAYATI|JANAH|AENI|AINI|HASANAH|DIN|LELA|ROHMAN|ROHMAH)\b", name)
    if m:
        options.append(name[: m.start()] + "NUR " + name[m.start() + 3 :])
    if re.search(r"\bAL [A-Z]", name):
        options += [re.sub(r"\bAL ([A-Z])", r"AL\1", name, count=1), re.sub(r"\bAL ([A-Z])", r"AL-\1", name, count=1)]
    if re.search(r"\bALATAS\b", name):
        options += [name.replace("ALATAS", "AL ATAS"), name.replace("ALATAS", "AL-ATTAS")]
    if re.search(r"\bBR\.? ", name):
        options += [re.sub(r"\bBR\.? ", "BORU ", name), re.sub(r"\bBR\.? ", "", name)]
    options = [o for o in options if o != name]
    if not options:
        return None
    if rng is None:
        return options[0]
    return options[int(rng.integers(len(options)))]


def _gelar(name: str) -> tuple[str, str, str]:
    """(H. or HJ. or "", the name, ", S.PD" or "")."""
    m = GELAR_RE.match(name)
    if m is None:
        return "", name, ""
    return (m.group(1) or "").strip(), m.group(2), m.group(3) or ""


def _label(tags: list[str]) -> str:
    """Place first, then what else differs, sorted: ``other_kec+dob_age+nik_reissued``; ``exact`` if nothing."""
    place = [t for t in tags if t in PLACES][:1]
    rest = sorted({t for t in tags if t not in PLACES})
    return "+".join(place + (rest or ["exact"]))


def generate_lapangan(voters: int, seed: int, out: Path, progress: Callable[[str], None] | None = None) -> dict:
    """Write ``dpt.csv``, ``truth.csv``, ``pairs.csv``, ``hard_negatives.csv`` and ``generate.json`` to ``out``."""
    say = progress or (lambda _s: None)
    town = Lapangan(voters, seed)
    say("persons")
    town.households()
    town.layout()
    town.names()
    town.look_alikes()
    town.numbers()
    say("problems")
    town.duplicates()
    say("write")
    return town.write(Path(out))
