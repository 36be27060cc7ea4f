"""On a published list kawal links duplicates only down to an estimated precision of 0.98; the pairs under that
threshold are ranked for coordinators, likeliest first, on a page without names or numbers, and each opens on a
pair page where it is answered."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kawal.synth.profiles import generate_profile
from kawal.synth.published import publish
from kawal.web import demo
from kawal.web.voters.duplicate_review import CANDIDATE_PREFIX
from kawal.web.voters.models import DuplicateAnswer, DuplicatePair, Voter
from kawal.web.voters.templatetags.kawal_labels import persen
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = tmp_path_factory.mktemp("published-web")
    generate_profile("klerikal", 6_000, 3, out)
    publish(out / "dpt.csv", out / "dps-diumumkan.csv")
    return out / "dps-diumumkan.csv"


@pytest.fixture
def run(db, published):
    kpu, _ = demo.create_accounts()
    voter_list = demo.load_list(kpu, published)
    return voter_list.audits.get()


def _candidates(run):
    return DuplicatePair.unscoped.filter(audit=run, cluster__startswith=CANDIDATE_PREFIX).select_related(
        "voter_a", "voter_b"
    )


def test_the_job_keeps_the_ranked_pairs_with_their_keys(run):
    assert 0.5 < run.threshold < 1
    pairs = list(_candidates(run))
    assert pairs, "a published list leaves pairs between 0.5 and its threshold"
    assert all(0.5 <= p.probability < run.threshold for p in pairs)
    assert all(p.voter_a.record_key and p.voter_b.record_key for p in pairs)  # answerable, and labels next time


def test_the_list_is_ranked_and_shows_no_names(client, run):
    login(client, "admin.kpu")
    response = client.get(reverse("duplicate_candidates", args=[run.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    shown = [float(p) for p in re.findall(r'data-probability="([0-9.]+)"', html)]
    assert shown and shown == sorted(shown, reverse=True)
    # says why these were not called one person: the threshold, and the precision it keeps
    assert f"paling sedikit {persen(run.threshold, 1)}" in html and "98% pasangan" in html
    names = Voter.unscoped.filter(pk__in=[p.voter_a_id for p in _candidates(run)]).values_list("nama", flat=True)
    assert not any(name and name in html for name in names)


def test_a_pair_page_compares_the_two_rows_and_takes_an_answer(client, run):
    pair = _candidates(run).order_by("-probability").first()
    login(client, "admin.kpu")
    page = client.get(reverse("duplicate_candidate", args=[pair.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert pair.voter_a.nama in html and pair.voter_b.nama in html
    answered = client.post(reverse("duplicate_answer", args=[pair.pk]), {"answer": "same"})
    assert answered.status_code == 302 and answered.url == reverse("duplicate_candidate", args=[pair.pk])
    assert DuplicateAnswer.unscoped.filter(pair=pair, answer="same").count() == 1


def test_a_relawan_gets_neither_the_list_nor_a_pair(client, run):
    pair = _candidates(run).first()
    login(client, "relawan.ketapang")
    assert client.get(reverse("duplicate_candidates", args=[run.pk])).status_code == 403
    assert client.get(reverse("duplicate_candidate", args=[pair.pk])).status_code == 403
