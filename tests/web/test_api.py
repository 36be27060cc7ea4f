import pytest
from django.contrib.auth import get_user_model

from kawal.web.accounts.models import ApiToken
from kawal.web.actionlog.models import ActionLog
from kawal.web.crypto import decrypt
from kawal.web.voters.models import Finding, Voter

pytestmark = pytest.mark.django_db


def bearer(username: str) -> dict:
    _token, key = ApiToken.issue(get_user_model().objects.get(username=username), "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_openapi_schema_is_published(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/findings", "/api/v1/voters/{voter_id}", "/api/v1/lists", "/api/v1/summary"} <= set(schema["paths"])


def test_api_needs_a_token_or_session(client, loaded):
    assert client.get("/api/v1/findings").status_code == 401
    assert client.get("/api/v1/findings", HTTP_AUTHORIZATION="Bearer kwl_wrong").status_code == 401


def test_findings_are_scoped_like_the_pages(client, loaded):
    own = Voter.unscoped.filter(kode_kelurahan="3671051007", rw=1, rt=1).first()
    place = {"kode_kelurahan": own.kode_kelurahan, "rw": own.rw, "rt": own.rt}
    Finding.unscoped.create(audit=loaded.audits.get(), voter=own, check_code="DATA_TIDAK_LENGKAP", detail="x", **place)
    headers = bearer("relawan.ketapang")
    body = client.get("/api/v1/findings?limit=500", **headers).json()
    allowed = set(Voter.unscoped.filter(kode_kelurahan="3671051007", rw=1, rt=1).values_list("pk", flat=True))
    assert own.pk in {f["voter_id"] for f in body["results"]}  # not an empty answer: the RT's finding is there
    assert all(f["voter_id"] in allowed for f in body["results"])
    assert Finding.unscoped.exclude(voter__in=allowed).exists()  # and there was something to leave out
    assert body["count"] == Finding.unscoped.filter(voter__in=allowed).count()
    everything = client.get("/api/v1/findings?limit=1", **bearer("admin.kpu")).json()["count"]
    assert everything == Finding.unscoped.exclude(kode_kelurahan="").count()


def test_voter_detail_by_role(client, loaded):
    own = Voter.unscoped.filter(kode_kelurahan="3671051007", rw=1, rt=1).exclude(nik_encrypted="").first()
    other = Voter.unscoped.exclude(kode_kelurahan="3671051007").first()
    relawan = bearer("relawan.ketapang")
    seen = client.get(f"/api/v1/voters/{own.pk}", **relawan).json()
    assert (
        seen["view"] == "visit"
        and seen["nik"] == own.nik_masked
        and seen["nkk"] is None
        and seen["tanggal_lahir"] is None
    )
    assert client.get(f"/api/v1/voters/{other.pk}", **relawan).status_code == 404
    full = client.get(f"/api/v1/voters/{own.pk}", **bearer("admin.kpu")).json()
    assert full["view"] == "full" and full["nik"] == decrypt(own.nik_encrypted)
    assert ActionLog.objects.filter(action="voter.viewed_full", object_id=str(own.pk), detail__via="api").exists()


def test_summary(client, loaded):
    body = client.get("/api/v1/summary?wilayah=367105", **bearer("koordinator.cipondoh")).json()
    assert body["voters"] == Voter.unscoped.filter(kode_kelurahan__startswith="367105").count()
    assert body["findings"]["PEMILIH_GANDA"] >= 0
