"""Issue 17: only "NIK_GANDA with different people" goes to Dukcapil. One person registered twice under their own
NIK is a TMS 2 for KPU, not a request for a new NIK: rows with the same name and birth date, or rows the duplicate
reviewers answered "same" about, count as one person; a "different" answer keeps two look-alike rows apart."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kawal.web.field.models import DukcapilReferral
from kawal.web.field.referrals import candidates, people, refer
from kawal.web.voters.models import DuplicateAnswer, Finding, Voter
from tests.web.conftest import KETAPANG, login

pytestmark = pytest.mark.django_db


def share_nik(voters: list[Voter], **same: object) -> list[Voter]:
    """Put every row under the first row's NIK (and ``same`` values), and confirm their NIK_GANDA findings."""
    first = voters[0]
    Voter.unscoped.filter(pk__in=[v.pk for v in voters]).update(
        nik_encrypted=first.nik_encrypted, nik_hash=first.nik_hash, nik_masked=first.nik_masked, **same
    )
    audit = first.voter_list.audits.get()
    for voter in voters:
        Finding.unscoped.create(
            audit=audit, voter=voter, check_code="NIK_GANDA", detail="x", status="confirmed", **KETAPANG
        )
    return list(Voter.unscoped.filter(pk__in=[v.pk for v in voters]).select_related("voter_list__organisation"))


def rows(n: int) -> list[Voter]:
    return list(Voter.unscoped.filter(**KETAPANG).exclude(nik_encrypted="").order_by("pk")[:n])


def answer(a: Voter, b: Voter, said: str, key_a: str = "k-a", key_b: str = "k-b") -> None:
    Voter.unscoped.filter(pk=a.pk).update(record_key=key_a)
    Voter.unscoped.filter(pk=b.pk).update(record_key=key_b)
    office = a.voter_list.organisation.kpu_office
    DuplicateAnswer.unscoped.create(
        office=office, organisation=office, voter_list=a.voter_list, key_a=min(key_a, key_b),
        key_b=max(key_a, key_b), answer=said, answered_by=get_user_model().objects.get(username="admin.kpu"),
        role="admin",
    )  # fmt: skip


def test_one_person_registered_twice_is_not_referred(client, loaded):
    twice = share_nik(rows(2), nama="SITI  aminah", tanggal_lahir=date(1990, 2, 17))
    assert people(twice) == 1  # the same name (spacing and case aside) and birth date: one person
    login(client, "koordinator.cipondoh")
    page = client.get(reverse("dukcapil_referrals")).content.decode()
    assert "Susun surat" not in page
    forged = client.post(reverse("dukcapil_referrals"), {"list": loaded.pk, "nik_hash": twice[0].nik_hash})
    assert forged.status_code == 403 and not DukcapilReferral.unscoped.exists()
    with pytest.raises(ValueError, match="dua orang"):
        refer(loaded, twice[0].nik_hash, get_user_model().objects.get(username="admin.kpu"))


def test_two_people_one_nik_are_referred(client, loaded):
    two = share_nik(rows(2))
    assert two[0].nama != two[1].nama and people(two) == 2
    login(client, "koordinator.cipondoh")
    assert "Susun surat" in client.get(reverse("dukcapil_referrals")).content.decode()


def test_the_reviewers_answer_decides_over_the_rows(loaded):
    different_looking = share_nik(rows(2))
    answer(*different_looking, DuplicateAnswer.Answer.SAME)
    assert people(list(Voter.unscoped.filter(pk__in=[v.pk for v in different_looking]))) == 1
    assert candidates_for(loaded) == []

    Voter.unscoped.filter(pk__in=[v.pk for v in different_looking]).update(nama="BUDI", tanggal_lahir=date(1980, 1, 1))
    answer(*different_looking, DuplicateAnswer.Answer.DIFFERENT)  # the latest answer counts
    alike = list(Voter.unscoped.filter(pk__in=[v.pk for v in different_looking]))
    assert people(alike) == 2  # look-alike rows the reviewers said are two people
    assert len(candidates_for(loaded)) == 1


def candidates_for(voter_list) -> list[dict]:
    from kawal.web.accounts.scope import Scope

    user = get_user_model().objects.get(username="admin.kpu")
    return [c for c in candidates(Scope.for_user(user)) if c["voter_list_id"] == voter_list.pk]
