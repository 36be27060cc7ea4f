"""Issue 17 follow-up: the visit form, the visit's validation, the progress page and the tanggapan name a TMS claim
from the TMS table of the list's election (its scheme), not from a table fixed when the module was imported; with
no election the default scheme's table (kawal/data/tms_2024.csv) is used."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kawal.engine import tms_table
from kawal.web.field.models import TanggapanItem
from kawal.web.field.review import review
from kawal.web.field.tanggapan import compile_tanggapan
from kawal.web.field.visits import CheckIn, VisitError, VisitIn, election_of, record_visit, tms_for
from kawal.web.participation.models import Election
from kawal.web.voters.models import Voter
from tests.web.conftest import KETAPANG, WHEN, ketapang_task, login

pytestmark = pytest.mark.django_db


def other_scheme() -> dict:
    """A made-up scheme unlike 2024: code 5 says something else and goes under another category, code 8 is gone
    and a code 9 exists."""
    table = dict(tms_table())
    table[5] = replace(table[5], label=("WARGA NEGARA ASING (UJI)", "foreign citizen (test)"), tanggapan="ganda")
    del table[8]
    table[9] = replace(table[1], code=9, label=("ALASAN SEMBILAN", "reason nine"))
    return table


@pytest.fixture
def scheme(loaded, monkeypatch):
    """The list's office holds an election whose TMS table is :func:`other_scheme`."""
    table = other_scheme()
    monkeypatch.setattr(Election, "tms", property(lambda self: table if self.name == "Pilkada uji" else tms_table()))
    Election.objects.create(organisation=loaded.organisation, name="Pilkada uji", pemilihan="walikota", held_on=date(2099, 11, 27))  # fmt: skip
    return table


def _claim(task, user, voter, code: int):
    check = CheckIn(voter_id=voter.pk, outcome="tms", tms=code, note="dilihat sendiri")
    data = VisitIn(client_id=str(uuid.uuid4()), recorded_at=WHEN, pantarlih_visited="ya", sticker="ya", checks=(check,))  # fmt: skip
    return record_visit(task, user, data)[0]


def test_without_an_election_the_default_scheme_applies(loaded):
    assert election_of(loaded) is None
    assert tms_for(loaded) == tms_table()


def test_the_list_follows_the_election_it_is_worked_on_for(loaded, monkeypatch):
    """An election held before the list was uploaded is not the list's election while a later one exists."""
    names = {}
    monkeypatch.setattr(Election, "tms", property(lambda self: names[self.name]))
    names["lalu"], names["depan"] = tms_table(), other_scheme()
    Election.objects.create(organisation=loaded.organisation, name="lalu", pemilihan="walikota", held_on=date(2024, 11, 27))  # fmt: skip
    assert tms_for(loaded)[5].label[0] == "WNA"  # the only election, though held before: its table
    Election.objects.create(organisation=loaded.organisation, name="depan", pemilihan="walikota", held_on=date(2099, 1, 1))  # fmt: skip
    assert election_of(loaded).name == "depan" and tms_for(loaded)[5].label[0] == "WARGA NEGARA ASING (UJI)"


def test_the_visit_form_offers_the_elections_table(client, loaded, scheme):
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    task = ketapang_task(loaded, "h-skema", [Voter.unscoped.filter(**KETAPANG).first()], relawan)
    login(client, "relawan.ketapang")
    page = client.get(reverse("visit_form", args=[task.pk])).content.decode()
    options = dict(re.findall(r'<option value="(\d)">([^<]+)</option>', page))
    assert options["5"] == "5 WARGA NEGARA ASING (UJI)" and options["9"] == "9 ALASAN SEMBILAN"
    assert "8" not in options and options["1"] == "1 meninggal"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("visit_form", args=[task.pk])).content.decode()
    assert '<option value="5">5 foreign citizen (test)</option>' in page


def test_a_code_outside_the_elections_table_is_refused(loaded, scheme):
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    voter = Voter.unscoped.filter(**KETAPANG).first()
    task = ketapang_task(loaded, "h-delapan", [voter], relawan)
    with pytest.raises(VisitError) as refused:
        _claim(task, relawan, voter, 8)  # a 2024 code, not in this election's table
    message = str(refused.value)
    assert "kategori TMS 8 tidak ada dalam tabel TMS pemilihan ini" in message
    assert "1, 2, 3, 4, 5, 6, 7, 9" in message and voter.nama not in message
    assert _claim(task, relawan, voter, 9).checks.get().tms == 9  # the election's own code is taken


def test_the_tanggapan_names_a_claim_from_the_elections_table(loaded, scheme, django_user_model):
    from kawal.web.accounts.models import Membership, Role

    ormas = Membership.objects.get(role=Role.RELAWAN).organisation
    second = django_user_model.objects.create(username="relawan.kedua")
    Membership.objects.create(user=second, organisation=ormas, role=Role.RELAWAN, wilayah="3671051007", rw=1, rt=1)
    first = get_user_model().objects.get(username="relawan.ketapang")
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    voter = Voter.unscoped.filter(**KETAPANG).first()
    for i, user in enumerate((first, second)):
        review(_claim(ketapang_task(loaded, f"skema{i}", [voter], user), user, voter, 5), coordinator, "approved")
    item = compile_tanggapan(loaded, "3671051007", coordinator).items.get(voter=voter)
    assert item.detail.startswith("TMS 5 (WARGA NEGARA ASING (UJI)), dikonfirmasi 2 relawan")
    assert item.category == TanggapanItem.Category.TWICE  # the category the election's table gives code 5


def test_the_progress_page_labels_claims_from_the_elections_table(client, loaded, scheme):
    login(client, "koordinator.cipondoh")
    page = client.get(reverse("field_progress")).content.decode()
    assert "5 WARGA NEGARA ASING (UJI)" in page and "9 ALASAN SEMBILAN" in page and "8 salah penempatan TPS" not in page
