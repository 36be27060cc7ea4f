"""Issue 16: relawan never see birth dates or NIK-derived digits. The explanation of a NIK_TIDAK_COCOK finding gave
a relawan the birth date, the sex and NIK digits 7-12; with the region code they already see, only the 4-digit
serial was left to guess."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from kawal.web.accounts.models import ApiToken
from kawal.web.voters.models import Finding, Voter
from tests.web.conftest import KETAPANG, city, loaded, login  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
DETAIL = "tanggal lahir di NIK 12-05-87 tetapi di kolom tanggal_lahir 12-05-1987; NIK menunjukkan P (tanggal 52)"


@pytest.fixture
def mismatch(loaded):  # noqa: F811
    voter = Voter.unscoped.filter(**KETAPANG).first()
    audit = loaded.audits.get()
    Finding.unscoped.create(audit=audit, voter=voter, check_code="NIK_TIDAK_COCOK", detail=DETAIL, **KETAPANG)
    Finding.unscoped.create(audit=audit, voter=voter, check_code="TPS_PENUH", detail="TPS 001 berisi 700", **KETAPANG)
    return voter


def _api_details(client, username: str) -> dict[str, str]:
    _token, key = ApiToken.issue(get_user_model().objects.get(username=username), "x")
    page = client.get("/api/v1/findings?wilayah=3671051007&rt=1&limit=500", HTTP_AUTHORIZATION=f"Bearer {key}")
    return {f["check"]: f["detail"] for f in page.json()["results"] if f["check"] in ("NIK_TIDAK_COCOK", "TPS_PENUH")}


def test_the_api_withholds_nik_derived_explanations_from_relawan(client, mismatch):
    shown = _api_details(client, "relawan.ketapang")
    assert "12-05" not in shown["NIK_TIDAK_COCOK"] and "52" not in shown["NIK_TIDAK_COCOK"]
    assert shown["TPS_PENUH"] == "TPS 001 berisi 700"  # a place-and-count explanation stays
    assert _api_details(client, "koordinator.cipondoh")["NIK_TIDAK_COCOK"] == DETAIL


def test_the_findings_page_withholds_them_too(client, mismatch):
    login(client, "relawan.ketapang")
    page = client.get("/temuan/", {"check": "NIK_TIDAK_COCOK"}).content.decode()
    assert "NIK_TIDAK_COCOK" in page and "12-05-1987" not in page and "12-05-87" not in page
    login(client, "koordinator.cipondoh")
    assert "12-05-1987" in client.get("/temuan/", {"check": "NIK_TIDAK_COCOK"}).content.decode()
