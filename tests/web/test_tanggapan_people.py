"""Issue 17 follow-up: KPU's form has one line per person. The same new voter (the same NIK) recorded in two
approved visits, or the same listed voter reported in two visits, is one line with its items joined; two different
people are two lines."""

from __future__ import annotations

import io
import uuid

import pytest
from django.contrib.auth import get_user_model
from python_calamine import CalamineWorkbook

from kawal.web.field.review import review
from kawal.web.field.tanggapan import compile_tanggapan, people_rows, to_csv, to_xlsx
from kawal.web.field.visits import CheckIn, NewVoterIn, VisitIn, record_visit
from kawal.web.voters.models import Voter
from tests.web.conftest import KETAPANG, WHEN, ketapang_task

pytestmark = pytest.mark.django_db
NIK = "3671054505080001"
OTHER_NIK = "3671054505080002"
NIK_COLUMN, CATEGORY_COLUMN, DETAIL_COLUMN, EVIDENCE_COLUMN = 2, 14, 15, 16


def _approved_visit(loaded, household: str, new_voters=(), checks=(), voters=()):
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    task = ketapang_task(loaded, household, list(voters), relawan)
    data = VisitIn(
        client_id=str(uuid.uuid4()),
        recorded_at=WHEN,
        pantarlih_visited="ya",
        sticker="ya",
        new_voters=tuple(new_voters),
        checks=tuple(checks),
    )
    visit = record_visit(task, relawan, data)[0]
    review(visit, coordinator, "approved")
    return visit


def _compiled(loaded):
    return compile_tanggapan(loaded, "3671051007", get_user_model().objects.get(username="koordinator.cipondoh"))


def _xlsx_lines(tanggapan) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(to_xlsx(tanggapan, "KETAPANG", reveal=True)))
    return [row for row in book.get_sheet_by_name("Tanggapan").to_python()[4:] if row[0]]


def test_one_new_voter_recorded_in_two_visits_is_one_line(loaded):
    first = _approved_visit(loaded, "rumah-a", [NewVoterIn(nama="PEMILIH PEMULA", nik=NIK)])
    second = _approved_visit(loaded, "rumah-b", [NewVoterIn(nama="PEMILIH PEMULA", nik=NIK)])
    tanggapan = _compiled(loaded)
    assert tanggapan.items.count() == 2  # each visit's record stays an item KPU can answer
    lines = people_rows(tanggapan, reveal=True)
    assert len(lines) == 1
    line = lines[0]
    assert line[NIK_COLUMN] == NIK and line[CATEGORY_COLUMN] == "Pemilih yang memenuhi syarat belum terdaftar"
    assert f"kunjungan #{first.pk}" in line[EVIDENCE_COLUMN] and f"kunjungan #{second.pk}" in line[EVIDENCE_COLUMN]
    assert line[DETAIL_COLUMN].count("Pemilih baru") == 1  # the same words once
    xlsx = _xlsx_lines(tanggapan)
    assert len(xlsx) == 1 and xlsx[0][NIK_COLUMN] == NIK
    csv_lines = to_csv(tanggapan, "KETAPANG").decode("utf-8-sig").splitlines()
    assert len(csv_lines) == 3 + 1  # title, period, headers, one person
    assert NIK not in to_csv(tanggapan, "KETAPANG").decode("utf-8-sig")  # masked without reveal


def test_two_different_people_are_two_lines(loaded):
    _approved_visit(loaded, "rumah-a", [NewVoterIn(nama="PEMILIH PEMULA", nik=NIK)])
    _approved_visit(loaded, "rumah-b", [NewVoterIn(nama="PEMILIH LAIN", nik=OTHER_NIK)])
    tanggapan = _compiled(loaded)
    assert sorted(line[NIK_COLUMN] for line in people_rows(tanggapan, reveal=True)) == [NIK, OTHER_NIK]
    assert len(_xlsx_lines(tanggapan)) == 2


def test_new_voters_without_a_nik_are_not_merged(loaded):
    """An older client may send a name only: two such records cannot be told to be one person."""
    _approved_visit(loaded, "rumah-a", [NewVoterIn(nama="TANPA NIK")])
    _approved_visit(loaded, "rumah-b", [NewVoterIn(nama="TANPA NIK")])
    assert len(people_rows(_compiled(loaded))) == 2


def test_one_listed_voter_reported_in_two_visits_is_one_line(loaded):
    voter, other = list(Voter.unscoped.filter(**KETAPANG)[:2])
    fix_address = CheckIn(voter_id=voter.pk, outcome="ubah", field="alamat", value="JL. MERDEKA NO. 9")
    fix_name = CheckIn(voter_id=voter.pk, outcome="ubah", field="nama", value="NAMA BENAR")
    _approved_visit(loaded, "rumah-a", checks=[fix_address], voters=[voter])
    _approved_visit(loaded, "rumah-b", checks=[fix_name], voters=[voter])
    other_fix = CheckIn(voter_id=other.pk, outcome="ubah", field="alamat", value="JL. MERDEKA NO. 9")
    _approved_visit(loaded, "rumah-c", checks=[other_fix], voters=[other])
    lines = people_rows(_compiled(loaded))
    assert len(lines) == 2
    mine = next(line for line in lines if line[3] == voter.nama)
    assert "alamat: JL. MERDEKA NO. 9" in mine[DETAIL_COLUMN] and "nama: NAMA BENAR" in mine[DETAIL_COLUMN]
    assert mine[EVIDENCE_COLUMN].count("kunjungan #") == 2
