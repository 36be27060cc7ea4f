"""What a new voter (pemilih baru) must carry for the PPS to add them to the list, and the checks on it. No Django.

The fields are those of a row of KPU's list (Model A-Daftar Pemilih): NKK, NIK, nama, tempat and tanggal lahir,
jenis kelamin, status kawin, alamat, RT/RW, disabilitas and KTP-el. A check names the field and says what is
wrong without repeating a NIK or NKK (messages travel back to phones and into logs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kawal.engine.elections import DEFAULT
from kawal.engine.nik import parse_nik, parse_nkk

SEXES = ("L", "P")
MARITAL = ("B", "S", "P")  # belum kawin, sudah kawin, pernah kawin (KPU's letters)
KTP_EL = ("S", "B")  # sudah / belum memiliki KTP-el
DISABILITY = tuple(range(1, 7))  # 1 fisik … 6 sensorik netra (docs/data.md)
REQUIRED = ("nkk", "nik", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "status_kawin", "alamat")
VOTING_AGE = 17


@dataclass(frozen=True)
class NewVoterData:
    nama: str
    nik: str = ""
    nkk: str = ""
    tempat_lahir: str = ""
    tanggal_lahir: date | None = None
    jenis_kelamin: str = ""
    status_kawin: str = ""
    alamat: str = ""
    rt: int | None = None
    rw: int | None = None
    disabilitas: tuple[int, ...] = ()
    ktp_el: str = ""


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def problems(person: NewVoterData, election_day: date = DEFAULT.day, complete: bool = True) -> list[tuple[str, str]]:
    """(field, message) for every problem; ``complete`` requires every field KPU needs to add the person."""
    found: list[tuple[str, str]] = []
    if complete:
        found += [(name, "wajib diisi") for name in REQUIRED if not getattr(person, name)]
        found += [(name, "wajib diisi") for name in ("rt", "rw") if getattr(person, name) is None]
    if person.nik and not parse_nik(person.nik, election_date=election_day).valid:
        found.append(("nik", "NIK tidak sah (16 angka, kode wilayah dan tanggal lahir yang benar)"))
    if person.nkk and not parse_nkk(person.nkk).valid:
        found.append(("nkk", "NKK tidak sah (16 angka dengan kode wilayah yang benar)"))
    found += _codes(person)
    found += _age(person, election_day)
    return found


def _codes(person: NewVoterData) -> list[tuple[str, str]]:
    found = []
    if person.jenis_kelamin and person.jenis_kelamin not in SEXES:
        found.append(("jenis_kelamin", "isi L atau P"))
    if person.status_kawin and person.status_kawin not in MARITAL:
        found.append(("status_kawin", "isi B (belum kawin), S (sudah kawin) atau P (pernah kawin)"))
    if person.ktp_el and person.ktp_el not in KTP_EL:
        found.append(("ktp_el", "isi S (sudah punya KTP-el) atau B (belum)"))
    for name in ("rt", "rw"):
        value = getattr(person, name)
        if value is not None and not 1 <= value <= 999:
            found.append((name, "1 sampai 999"))
    if any(code not in DISABILITY for code in person.disabilitas):
        found.append(("disabilitas", "kode 1 sampai 6"))
    return found


def _age(person: NewVoterData, election_day: date) -> list[tuple[str, str]]:
    """Voters are 17 by election day, or married (or once married) at any age."""
    born = person.tanggal_lahir
    if born is None:
        return []
    if born > election_day:
        return [("tanggal_lahir", "tanggal lahir sesudah hari pemungutan suara")]
    if age_on(born, election_day) < VOTING_AGE and person.status_kawin not in ("S", "P"):
        return [("tanggal_lahir", f"belum {VOTING_AGE} tahun pada {election_day:%d-%m-%Y} dan belum pernah kawin")]
    return []
