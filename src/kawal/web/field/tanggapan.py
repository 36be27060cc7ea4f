"""Compile approved field findings of one kelurahan into the formal *tanggapan masyarakat* to the PPS, in KPU's
categories, and export it as XLSX and PDF (Bahasa Indonesia) with the evidence references.

What goes in: eligible people not on the list (new voters recorded in approved visits), corrections reported
in approved visits, and TMS claims confirmed by enough independent relawan (see :mod:`review`).
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date
from xml.sax.saxutils import escape

from django.db import transaction

from kawal.engine.elections import tms_table
from kawal.web.field.models import NewVoter, Tanggapan, TanggapanItem, Visit, VisitPhoto, VoterCheck
from kawal.web.field.review import confirmed_tms, latest
from kawal.web.voters.models import Voter, VoterList

TMS = tms_table()  # the TMS table of 2024 (kawal/data/tms_2024.csv): label and tanggapan category per code


def tms_category(code: int) -> TanggapanItem.Category:
    """The category of KPU's tanggapan form a confirmed TMS claim goes under (5 WNA: no longer eligible)."""
    return TanggapanItem.Category(TMS[code].tanggapan)


def tms_words(code: int) -> str:
    """The TMS reason in Bahasa Indonesia, as the form to the PPS names it."""
    return TMS[code].label[0]


HEADERS = ("No", "Kategori", "Nama", "NIK (tersamar)", "RT/RW", "TPS", "Uraian", "Bukti (kunjungan)", "Status")


def _approved(voter_list: VoterList, kode_kelurahan: str) -> object:
    visits = Visit.unscoped.filter(task__voter_list=voter_list, task__kode_kelurahan=kode_kelurahan)
    return latest(visits).filter(review=Visit.Review.APPROVED), visits


def _photo_refs(approved: object) -> dict[tuple[int, int | None], list[str]]:
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
    voter_list: VoterList, kode_kelurahan: str, user: object, deadline: date | None = None
) -> Tanggapan:
    approved, visits = _approved(voter_list, kode_kelurahan)
    tanggapan = Tanggapan.unscoped.create(
        voter_list=voter_list, kode_kelurahan=kode_kelurahan, created_by=user, deadline=deadline
    )
    photos = _photo_refs(approved)
    items = []
    for person in NewVoter.objects.filter(visit__in=approved):
        items.append(
            TanggapanItem(
                tanggapan=tanggapan,
                category=TanggapanItem.Category.NOT_REGISTERED,
                new_voter=person,
                detail=f"{person.nama}, lahir {person.tanggal_lahir or '-'}, {person.alamat}".strip(", "),
                evidence=_evidence([person.visit_id], None, photos),
            )
        )
    for check in VoterCheck.objects.filter(visit__in=approved, outcome=VoterCheck.Outcome.CORRECT):
        items.append(
            TanggapanItem(
                tanggapan=tanggapan,
                category=TanggapanItem.Category.CORRECT,
                voter_id=check.voter_id,
                detail=f"{check.field}: {check.value}",
                evidence=_evidence([check.visit_id], check.voter_id, photos),
            )
        )
    evidence: dict[tuple[int, int], list[int]] = defaultdict(list)
    for check in VoterCheck.objects.filter(visit__in=approved, outcome=VoterCheck.Outcome.TMS):
        evidence[(check.voter_id, check.tms)].append(check.visit_id)
    for claim in confirmed_tms(visits):
        voter_id, tms = claim["voter_id"], claim["tms"]
        items.append(
            TanggapanItem(
                tanggapan=tanggapan,
                category=tms_category(tms),
                voter_id=voter_id,
                detail=f"TMS {tms} ({tms_words(tms)}), dikonfirmasi {claim['relawan']} relawan",
                evidence=_evidence(evidence[(voter_id, tms)], voter_id, photos),
            )
        )
    TanggapanItem.objects.bulk_create(items)
    return tanggapan


def rows(tanggapan: Tanggapan) -> list[tuple]:
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
                item.detail,
                item.evidence,
                item.get_status_display(),
            )
        )
    return out


def title(tanggapan: Tanggapan, kelurahan_name: str) -> str:
    return f"TANGGAPAN MASYARAKAT ATAS DAFTAR PEMILIH — KELURAHAN {kelurahan_name.upper()} ({tanggapan.kode_kelurahan})"


def to_xlsx(tanggapan: Tanggapan, kelurahan_name: str) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})  # no formula injection
    sheet = book.add_worksheet("Tanggapan")
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, title(tanggapan, kelurahan_name), bold)
    sheet.write(1, 0, f"Disusun {tanggapan.created_at:%d-%m-%Y}; batas masa tanggapan {tanggapan.deadline or '-'}")
    sheet.write_row(3, 0, HEADERS, bold)
    for i, row in enumerate(rows(tanggapan), start=4):
        sheet.write_row(i, 0, [str(v) for v in row])
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 8, 22)
    book.close()
    return buffer.getvalue()


def to_pdf(tanggapan: Tanggapan, kelurahan_name: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4), title="Tanggapan masyarakat", pageCompression=0)
    cell = styles["BodyText"]
    # Every text is escaped: ReportLab reads a Paragraph as markup, and relawan type names and notes (a
    # "<img src=...>" would be fetched from disk, a stray "<b>" breaks the build).
    data = [list(HEADERS)] + [[Paragraph(escape(str(v)), cell) for v in row] for row in rows(tanggapan)]
    table = Table(data, repeatRows=1, colWidths=[25, 120, 110, 95, 45, 35, 190, 70, 60])
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)])
    )
    story = [
        Paragraph(escape(title(tanggapan, kelurahan_name)), styles["Heading2"]),
        Paragraph(
            escape(f"Disusun {tanggapan.created_at:%d-%m-%Y}; batas masa tanggapan {tanggapan.deadline or '-'}"), cell
        ),
        Spacer(1, 8),
        table,
    ]
    document.build(story)
    return buffer.getvalue()
