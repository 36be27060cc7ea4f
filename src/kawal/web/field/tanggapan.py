"""Compile approved field findings of one kelurahan into the formal *tanggapan masyarakat* to the PPS, in KPU's
categories, and export it as XLSX and PDF (Bahasa Indonesia) with the evidence references.

What goes in: eligible people not on the list (new voters recorded in approved visits), corrections reported
in approved visits, and TMS claims confirmed by enough independent relawan (see :mod:`review`).
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from django.db import transaction
from django.db.models import QuerySet

from kawal.engine import Tms, tms_table
from kawal.web.crypto import decrypt, encrypt
from kawal.web.field.models import NewVoter, Tanggapan, TanggapanItem, Visit, VisitPhoto, VoterCheck
from kawal.web.field.review import confirmed_tms, latest
from kawal.web.field.visits import tms_for
from kawal.web.voters.models import Voter, VoterList

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _entry(code: int, table: dict[int, Tms] | None) -> Tms | None:
    """The code's row in the election's table; a claim recorded under another scheme falls back to the default's."""
    return (table if table is not None else tms_table()).get(code) or tms_table().get(code)


def tms_category(code: int, table: dict[int, Tms] | None = None) -> TanggapanItem.Category:
    """The category of KPU's tanggapan form a confirmed TMS claim goes under (2024: 5 WNA, no longer eligible),
    from ``table`` (the election's, see :func:`~kawal.web.field.visits.tms_for`; default: the default scheme's)."""
    entry = _entry(code, table)
    return TanggapanItem.Category(entry.tanggapan) if entry else TanggapanItem.Category.NOT_ELIGIBLE


def tms_words(code: int, table: dict[int, Tms] | None = None) -> str:
    """The TMS reason in Bahasa Indonesia, as the form to the PPS names it, from ``table`` like :func:`tms_category`."""
    entry = _entry(code, table)
    return entry.label[0] if entry else "kategori tidak dikenal"


HEADERS = ("No", "Kategori", "Nama", "NIK (tersamar)", "RT/RW", "TPS", "Uraian", "Bukti (kunjungan)", "Status")
# KPU's form for public responses: one line per person, in the columns of the list (Model A-Daftar Pemilih), then
# the kind of response, what it says, the evidence and the PPS's answer.
FORM_HEADERS = (
    "No",
    "NKK",
    "NIK",
    "Nama",
    "Tempat Lahir",
    "Tanggal Lahir",
    "Jenis Kelamin (L/P)",
    "Status Perkawinan (B/S/P)",
    "Alamat",
    "RT",
    "RW",
    "Disabilitas",
    "KTP-el (S/B)",
    "TPS",
    "Jenis Tanggapan",
    "Uraian",
    "Bukti",
    "Status",
    "Jawaban KPU",
)
# The same columns with short names, for the narrow columns of a printed page.
SHORT = {
    "Jenis Kelamin (L/P)": "L/P",
    "Status Perkawinan (B/S/P)": "Kawin",
    "KTP-el (S/B)": "KTP-el",
    "Disabilitas": "Disab.",
}
PDF_HEADERS = tuple(SHORT.get(h, h) for h in FORM_HEADERS)
NEW_VOTER_DETAIL = {
    True: "Pemilih baru, data lengkap untuk dimasukkan",
    False: "Pemilih baru, data belum lengkap (lengkapi sebelum dikirim)",
}


def _approved(voter_list: VoterList, kode_kelurahan: str) -> tuple[QuerySet[Visit], QuerySet[Visit]]:
    visits = Visit.unscoped.filter(task__voter_list=voter_list, task__kode_kelurahan=kode_kelurahan)
    return latest(visits).filter(review=Visit.Review.APPROVED), visits


def _photo_refs(approved: QuerySet[Visit]) -> dict[tuple[int, int | None], list[str]]:
    """Per (visit, voter or None for the household): the photos' SHA-256 prefixes, the evidence's fingerprint."""
    refs: dict[tuple[int, int | None], list[str]] = defaultdict(list)
    for visit_id, voter_id, digest in VisitPhoto.objects.filter(visit__in=approved).values_list(
        "visit_id", "voter_id", "photo__sha256"
    ):
        refs[(visit_id, voter_id)].append(digest[:12])
    return refs


def _evidence(visit_ids: list[int], voter_id: int | None, photos: dict) -> str:
    parts = []
    for visit_id in visit_ids:
        shots = photos.get((visit_id, voter_id), []) + (photos.get((visit_id, None), []) if voter_id else [])
        parts.append(f"kunjungan #{visit_id}" + (f" (foto sha256 {', '.join(shots)})" if shots else ""))
    return "; ".join(parts)


@transaction.atomic
def compile_tanggapan(
    voter_list: VoterList, kode_kelurahan: str, user: User, deadline: date | None = None
) -> Tanggapan:
    approved, visits = _approved(voter_list, kode_kelurahan)
    tanggapan = Tanggapan.unscoped.create(
        voter_list=voter_list, kode_kelurahan=kode_kelurahan, created_by=user, deadline=deadline
    )
    photos = _photo_refs(approved)
    table = tms_for(voter_list)  # the election's TMS table names the claims
    items = []
    for person in NewVoter.objects.filter(visit__in=approved):
        items.append(
            TanggapanItem(
                tanggapan=tanggapan,
                category=TanggapanItem.Category.NOT_REGISTERED,
                new_voter=person,
                detail=NEW_VOTER_DETAIL[person.complete],  # the person's data sits in its own encrypted columns
                evidence=_evidence([person.visit_id], None, photos),
            )
        )
    for check in VoterCheck.objects.filter(visit__in=approved, outcome=VoterCheck.Outcome.CORRECT):
        full = f"{check.field}: {decrypt(check.value_encrypted)}" if check.value_encrypted else ""
        items.append(
            TanggapanItem(
                tanggapan=tanggapan,
                category=TanggapanItem.Category.CORRECT,
                voter_id=check.voter_id,
                detail=f"{check.field}: {check.value}",  # a NIK/NKK in its masked form
                detail_encrypted=encrypt(full),
                evidence=_evidence([check.visit_id], check.voter_id, photos),
            )
        )
    evidence: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    for check in VoterCheck.objects.filter(visit__in=approved, outcome=VoterCheck.Outcome.TMS):
        evidence[(check.voter_id, check.tms)].append(check.visit_id)
    for claim in confirmed_tms(visits):
        voter_id, tms = claim["voter_id"], claim["tms"]
        items.append(
            TanggapanItem(
                tanggapan=tanggapan,
                category=tms_category(tms, table),
                voter_id=voter_id,
                detail=f"TMS {tms} ({tms_words(tms, table)}), dikonfirmasi {claim['relawan']} relawan",
                evidence=_evidence(evidence[(voter_id, tms)], voter_id, photos),
            )
        )
    TanggapanItem.objects.bulk_create(items)
    return tanggapan


def item_detail(item: TanggapanItem, reveal: bool) -> str:
    """What the item says; a corrected NIK/NKK in full for KPU only."""
    return decrypt(item.detail_encrypted) if reveal and item.detail_encrypted else item.detail


def rows(tanggapan: Tanggapan, reveal: bool = False) -> list[tuple]:
    """The table of the submission, one row per item, NIK masked."""
    items = tanggapan.items.select_related("voter", "new_voter").order_by("category", "pk")
    out = []
    for number, item in enumerate(items, start=1):
        person: Voter | NewVoter | None = item.voter or item.new_voter
        rt_rw = f"{item.voter.rt or 0:03d}/{item.voter.rw or 0:03d}" if item.voter else ""
        tps = item.voter.tps if item.voter and item.voter.tps else ""
        out.append(
            (
                number,
                item.get_category_display(),
                person.nama if person else "",
                person.nik_masked if person else "",
                rt_rw,
                tps,
                item_detail(item, reveal),
                item.evidence,
                item.get_status_display(),
            )
        )
    return out


def _birth(born: date | str | None, reveal: bool) -> str:
    """DD-MM-YYYY; with the day and month hidden, as published lists print it, for those who are not KPU."""
    if not born:
        return ""
    born = date.fromisoformat(born) if isinstance(born, str) else born
    return f"{born:%d-%m-%Y}" if reveal else f"**-**-{born:%Y}"


def _listed(voter: Voter, reveal: bool) -> list[str]:
    return [
        decrypt(voter.nkk_encrypted) if reveal else voter.nkk_masked,
        decrypt(voter.nik_encrypted) if reveal else voter.nik_masked,
        voter.nama,
        voter.tempat_lahir,
        _birth(voter.tanggal_lahir, reveal),
        voter.jenis_kelamin,
        voter.status_kawin,
        voter.alamat,
        f"{voter.rt:03d}" if voter.rt else "",
        f"{voter.rw:03d}" if voter.rw else "",
        voter.disabilitas if reveal else "",
        "",  # the list carries no KTP-el column in kawal's store
        str(voter.tps or ""),
    ]


def _new(person: NewVoter, reveal: bool) -> list[str]:
    personal = person.personal
    return [
        decrypt(person.nkk_encrypted) if reveal else person.nkk_masked,
        decrypt(person.nik_encrypted) if reveal else person.nik_masked,
        person.nama,
        personal.get("tempat_lahir", ""),
        _birth(personal.get("tanggal_lahir"), reveal),
        person.jenis_kelamin,
        person.status_kawin,
        personal.get("alamat", ""),
        f"{person.rt:03d}" if person.rt else "",
        f"{person.rw:03d}" if person.rw else "",
        ",".join(str(c) for c in personal.get("disabilitas", [])) if reveal else "",
        person.ktp_el,
        "",
    ]


def _person_key(item: TanggapanItem) -> tuple[str, int | str]:
    """Who an item is about: a listed voter by their row (two rows under one NIK are two lines of the list, the
    PPS strikes one of them), a new voter by the keyed hash of their NIK, so one person recorded in two visits is
    one line; a new voter without a NIK by their record."""
    if item.voter_id:
        return ("v", item.voter_id)
    if item.new_voter is not None:
        return ("n", item.new_voter.nik_hash) if item.new_voter.nik_hash else ("r", item.new_voter.pk)
    return ("i", item.pk)


def _joined(values: Iterable[str]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def people_rows(tanggapan: Tanggapan, reveal: bool = False) -> list[list[str]]:
    """KPU's form: one line per person, the person's items joined (the same person recorded in two visits is one
    line, see :func:`_person_key`). ``reveal`` (KPU roles only) shows NIK, NKK, birth dates and disability in
    full; everyone else sees them as published lists do."""
    items = tanggapan.items.select_related("voter", "new_voter").order_by("category", "pk")
    people: dict[tuple[str, int | str], list[TanggapanItem]] = {}
    for item in items:
        people.setdefault(_person_key(item), []).append(item)
    out = []
    for number, group in enumerate(people.values(), start=1):
        first = group[0]
        recorded = [i.new_voter for i in group if i.new_voter is not None]
        details = [item_detail(i, reveal) for i in group]
        if first.voter:
            person = _listed(first.voter, reveal)
        elif recorded:  # the fullest record of the person: a complete one if any visit made one
            chosen = next((p for p in recorded if p.complete), recorded[0])
            person = _new(chosen, reveal)
            if chosen.complete:  # the line carries the complete record: "incomplete" no longer holds
                details = [d for d in details if d != NEW_VOTER_DETAIL[False]]
        else:
            person = [""] * 13
        joined = [
            _joined(str(i.get_category_display()) for i in group),
            _joined(details),
            _joined(i.evidence for i in group),
            _joined(str(i.get_status_display()) for i in group),
            _joined(i.kpu_answer for i in group),
        ]
        out.append([str(number), *person, *joined])
    return out


def period_text(tanggapan: Tanggapan) -> str:
    return f"Disusun {tanggapan.created_at:%d-%m-%Y}; batas masa tanggapan {_day(tanggapan.deadline)}"


def _day(value: date | None) -> str:
    return f"{value:%d-%m-%Y}" if value else "-"


def _cell(value: str) -> str:
    """A spreadsheet reads a cell starting with = + - @ as a formula: such text is quoted."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(tanggapan: Tanggapan, kelurahan_name: str, reveal: bool = False) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title(tanggapan, kelurahan_name)])
    writer.writerow([period_text(tanggapan)])
    writer.writerow(FORM_HEADERS)
    writer.writerows([_cell(v) for v in row] for row in people_rows(tanggapan, reveal))
    return buffer.getvalue().encode("utf-8-sig")  # with a BOM, so Excel reads the names right


def title(tanggapan: Tanggapan, kelurahan_name: str) -> str:
    return f"TANGGAPAN MASYARAKAT ATAS DAFTAR PEMILIH — KELURAHAN {kelurahan_name.upper()} ({tanggapan.kode_kelurahan})"


def to_xlsx(tanggapan: Tanggapan, kelurahan_name: str, reveal: bool = False) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})  # no formula injection
    sheet = book.add_worksheet("Tanggapan")
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, title(tanggapan, kelurahan_name), bold)
    sheet.write(1, 0, period_text(tanggapan))
    sheet.write_row(3, 0, FORM_HEADERS, bold)
    for i, row in enumerate(people_rows(tanggapan, reveal), start=4):
        for j, value in enumerate(row):
            sheet.write_string(i, j, value)  # text: a NIK must not turn into a number Excel rounds
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, len(FORM_HEADERS) - 1, 18)
    book.close()
    return buffer.getvalue()


def to_pdf(tanggapan: Tanggapan, kelurahan_name: str, reveal: bool = False) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title="Tanggapan masyarakat",
        pageCompression=0,
        leftMargin=20,
        rightMargin=20,
    )
    cell = styles["BodyText"]
    small = ParagraphStyle("small", parent=cell, fontSize=6, leading=7)
    # Every text is escaped: ReportLab reads a Paragraph as markup, and relawan type names and notes (a
    # "<img src=...>" would be fetched from disk, a stray "<b>" breaks the build).
    data = [[Paragraph(escape(str(v)), small) for v in row] for row in [PDF_HEADERS, *people_rows(tanggapan, reveal)]]
    widths = [16, 56, 56, 72, 38, 36, 16, 22, 60, 16, 16, 30, 22, 18, 56, 72, 70, 40, 50]
    table = Table(data, repeatRows=1, colWidths=widths)
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)])
    )
    story = [
        Paragraph(escape(title(tanggapan, kelurahan_name)), styles["Heading2"]),
        Paragraph(escape(period_text(tanggapan)), cell),
        Spacer(1, 8),
        table,
    ]
    document.build(story)
    return buffer.getvalue()
