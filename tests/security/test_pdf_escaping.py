"""Relawan text in the tanggapan PDF is text, never ReportLab markup: ``Budi <b>`` prints as written, and an
``<img src="/etc/passwd">`` is neither drawn nor read from disk."""

from __future__ import annotations

import io
import uuid

import pdfplumber
import pytest
from django.utils import timezone

from kawal.web.field.models import FieldTask, NewVoter, Visit, VoterCheck
from kawal.web.field.tanggapan import compile_tanggapan, to_pdf
from kawal.web.voters.models import VoterList

pytestmark = pytest.mark.django_db
KELURAHAN = "3671051007"
NAME = "Budi <b>"
ADDRESS = '<img src="/etc/passwd"/> RT 1 & <font size=80>'


@pytest.fixture
def hostile_tanggapan(accounts):
    """An approved visit whose new voter's name and address are markup, compiled into a tanggapan."""
    coordinator, relawan = accounts["koordinator.cipondoh"], accounts["relawan.ketapang"]
    voter_list = VoterList.objects.create(
        organisation=coordinator.memberships.first().organisation.kpu_office,
        uploaded_by=coordinator,
        stage="DPS",
        wilayah=KELURAHAN,
        source_name="dps.csv",
    )
    task = FieldTask.unscoped.create(voter_list=voter_list, household="h1", kode_kelurahan=KELURAHAN, rw=1, rt=1)
    visit = Visit.unscoped.create(
        task=task,
        relawan=relawan,
        client_id=uuid.uuid4(),
        recorded_at=timezone.now(),
        pantarlih_visited="ya",
        sticker="ya",
        review=Visit.Review.APPROVED,
    )
    NewVoter.objects.create(visit=visit, nama=NAME, alamat=ADDRESS)
    return compile_tanggapan(voter_list, KELURAHAN, coordinator)


def _read_files(monkeypatch) -> list[str]:
    """Every file ReportLab's image reader is asked to open."""
    from reportlab.lib import utils

    opened: list[str] = []
    original = utils.open_for_read

    def spy(name, *args, **kwargs):
        opened.append(str(name))
        return original(name, *args, **kwargs)

    monkeypatch.setattr(utils, "open_for_read", spy)
    return opened


def test_relawan_text_prints_as_written_and_reads_no_file(hostile_tanggapan, monkeypatch):
    opened = _read_files(monkeypatch)
    pdf = to_pdf(hostile_tanggapan, "Ketapang <i>")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        cells = [" ".join((c or "").split()) for table in page.extract_tables() for row in table for c in row]
        heading = page.extract_text().splitlines()[0]
    assert "KETAPANG <I>" in heading  # the kelurahan name in the title is text too
    assert NAME in cells  # the name cell, as typed
    # the address cell of KPU's form (issue 17), tags and all (a narrow cell: compared without the wrapping spaces)
    assert any(ADDRESS.replace(" ", "") in cell.replace(" ", "") for cell in cells)
    assert b"/Subtype /Image" not in pdf and not any("passwd" in name for name in opened)
    assert VoterCheck.objects.count() == 0  # only the new voter's text went in
