"""What goes to Bawaslu: the filled Formulir Model A.1 (PDF) and an evidence ZIP with a SHA-256 manifest.

All user text passes through ``xml.sax.saxutils.escape`` before ReportLab sees it (its Paragraph reads markup).
The ZIP holds the PDF, every evidence file as it was sent (photo originals with their EXIF, recordings decrypted)
and two manifests over them: ``manifest.json`` (file, size, sha256) and ``manifest.txt`` in ``sha256sum -c``
form. Each photo's and recording's SHA-256 is the one recorded when it arrived, so the recipient can check that
nothing changed since.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime
from typing import TYPE_CHECKING, cast
from xml.sax.saxutils import escape

from django.utils import timezone

from kawal.web.incidents.media import MediaError, extension, open_media
from kawal.web.incidents.models import Evidence, Report
from kawal.web.incidents.service import reporter_identity, witnesses
from kawal.wilayah import registry

if TYPE_CHECKING:
    from kawal.web.incidents.models import Media
    from kawal.web.photos.models import Photo

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{DAYS[local.weekday()]}, {local:%d-%m-%Y} pukul {local:%H:%M} WIB"


def place_text(report: Report) -> str:
    kelurahan = registry().get(report.kode_kelurahan)
    kecamatan = registry().get(report.kode_kelurahan[:6])
    parts = []
    if report.tps:
        parts.append(f"TPS {report.tps:03d}")
    if report.rw:
        parts.append(f"RW {report.rw:03d}" + (f" RT {report.rt:03d}" if report.rt else ""))
    parts.append(f"Kel. {kelurahan.name if kelurahan else report.kode_kelurahan}")
    if kecamatan:
        parts.append(f"Kec. {kecamatan.name}")
    text = ", ".join(parts)
    if report.place:
        text = f"{report.place}; {text}"
    if report.latitude is not None and report.longitude is not None:
        text += f" (GPS {report.latitude:.5f}, {report.longitude:.5f})"
    return text


def evidence_files(report: Report) -> list[tuple[Evidence, str]]:
    """Each evidence item with the name it has in the ZIP."""
    items = report.evidence.select_related("photo", "media").order_by("pk")
    named = []
    for number, item in enumerate(items, start=1):
        if item.photo_id:
            photo = cast("Photo", item.photo)  # photo_id is set
            ext = {"image/png": "png", "image/webp": "webp"}.get(photo.content_type, "jpg")
            named.append((item, f"bukti/{number:02d}-foto-{photo.sha256[:12]}.{ext}"))
        else:
            media = cast("Media", item.media)  # an evidence row without a photo holds a recording
            named.append((item, f"bukti/{number:02d}-{media.kind}-{media.sha256[:12]}.{extension(media)}"))
    return named


def model_a1_pdf(report: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body, heading = styles["BodyText"], styles["Heading4"]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=f"Formulir Model A.1 {report.number}", leftMargin=48, rightMargin=48
    )

    def p(text: object) -> Paragraph:
        return Paragraph(escape(str(text or "-")).replace("\n", "<br/>"), body)

    def rows(pairs: list[tuple[str, object]]) -> Table:
        table = Table([[p(k), ":", p(v)] for k, v in pairs], colWidths=[150, 14, 328])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (1, 0), (1, -1), 4)]))
        return table

    who = reporter_identity(report)
    story = [
        Paragraph("FORMULIR MODEL A.1", styles["Title"]),
        Paragraph("LAPORAN DUGAAN PELANGGARAN PEMILIHAN", styles["Heading3"]),
        p(f"Nomor laporan pemantau: {report.number} · diterima {_when(report.received_at)}"),
        p(f"Disampaikan melalui pemantau: {report.organisation.name}"),
        Spacer(1, 6),
        Paragraph("I. IDENTITAS PELAPOR", heading),
        rows(
            [
                ("Nama", who["nama"]),
                ("No. identitas (NIK)", who["nik"]),
                ("Pekerjaan", who["pekerjaan"]),
                ("Kewarganegaraan", "Indonesia"),
                ("Alamat", who["alamat"]),
                ("No. telepon/HP", who["telepon"]),
            ]
        ),
        Paragraph("II. IDENTITAS TERLAPOR", heading),
        p(report.reported_party),
        Paragraph("III. PERISTIWA YANG DILAPORKAN", heading),
        rows(
            [
                ("Peristiwa", report.category_label),
                ("Tempat kejadian", place_text(report)),
                ("Waktu kejadian", _when(report.incident_at)),
                ("Hari dan tanggal diketahui", _when(report.known_at)),
                ("Batas waktu pelaporan", f"{report.deadline:%d-%m-%Y} (7 hari sejak diketahui)"),
            ]
        ),
        Paragraph("IV. SAKSI-SAKSI", heading),
    ]
    people = witnesses(report)
    for number, person in enumerate(people, start=1):
        story.append(
            rows([(f"{number}. Nama", person["nama"]), ("Alamat", person["alamat"]), ("Telepon", person["telepon"])])
        )
    if not people:
        story.append(p("-"))
    story.append(Paragraph("V. BUKTI", heading))
    files = evidence_files(report)
    if files:
        table = Table(
            [[p("No."), p("Berkas (dalam ZIP bukti)"), p("Ukuran"), p("SHA-256")]]
            + [
                [p(i), p(name), p(f"{item.size:,} bita".replace(",", ".")), p(item.sha256)]
                for i, (item, name) in enumerate(files, 1)
            ],
            colWidths=[28, 170, 70, 230],
        )
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
    else:
        story.append(p("-"))
    story += [
        Paragraph("VI. URAIAN SINGKAT KEJADIAN", heading),
        p(report.description),
        Spacer(1, 18),
        Table(
            [
                [p("Penerima laporan,"), p(f"…………, {timezone.localdate():%d-%m-%Y}\nPelapor,")],
                [p("\n\n\n(……………………………)"), p(f"\n\n\n({who['nama'] or '……………………………'})")],
            ],
            colWidths=[246, 246],
        ),
    ]
    document.build(story)
    return buffer.getvalue()


def evidence_zip(report: Report) -> bytes:
    """The PDF and every evidence file, with ``manifest.json`` and ``manifest.txt`` (sha256sum form)."""
    entries: list[dict] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes, expected: str = "") -> None:
            digest = hashlib.sha256(data).hexdigest()
            if expected and digest != expected:
                raise MediaError(f"{name}: isi tidak cocok dengan SHA-256 yang tercatat saat diterima")
            archive.writestr(name, data)
            entries.append({"file": name, "size": len(data), "sha256": digest})

        add(f"model-a1-{report.number}.pdf", model_a1_pdf(report))
        for item, name in evidence_files(report):
            try:
                data = _original(item)
            except OSError:  # erased by retention: say so rather than ship a partial set silently
                entries.append({"file": name, "size": item.size, "sha256": item.sha256, "missing": True})
                continue
            add(name, data, expected=item.sha256)
        manifest = {"laporan": report.number, "dibuat": timezone.now().isoformat(), "files": entries}
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        archive.writestr(
            "manifest.txt", "".join(f"{e['sha256']}  {e['file']}\n" for e in entries if not e.get("missing"))
        )
    return buffer.getvalue()


def _original(item: Evidence) -> bytes:
    if item.photo_id:
        with cast("Photo", item.photo).original.open("rb") as f:  # photo_id is set
            return f.read()
    return open_media(cast("Media", item.media))  # an evidence row without a photo holds a recording


def verify_zip(data: bytes) -> list[str]:
    """Problems found checking a ZIP against its own manifest (empty: every file is as listed)."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        for entry in manifest["files"]:
            if entry.get("missing"):
                problems.append(f"{entry['file']}: tidak ada")
                continue
            content = archive.read(entry["file"])
            if len(content) != entry["size"] or hashlib.sha256(content).hexdigest() != entry["sha256"]:
                problems.append(f"{entry['file']}: tidak cocok")
    return problems
