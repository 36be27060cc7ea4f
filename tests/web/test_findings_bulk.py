"""The findings screens' edges (issue 18): a bulk change only touches what the filter names and what the user
reviews, an undo is refused once stale, "kirim ke relawan" is for reviewers only, and a voter search keeps names
out of the URL and counts toward the person-view limit."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from kawal.web.actionlog.models import ActionLog
from kawal.web.field.models import FieldTask
from kawal.web.voters.models import Finding, Voter
from tests.web.conftest import KETAPANG, login


def _findings(voter_list, n: int = 4) -> list[Finding]:
    audit = voter_list.audits.get()
    voters = Voter.unscoped.filter(voter_list=voter_list, **KETAPANG).order_by("pk")[:n]
    return [
        Finding.unscoped.create(audit=audit, voter=v, check_code="DATA_TIDAK_LENGKAP", detail="uji", **KETAPANG)
        for v in voters
    ]


def test_a_garbled_filter_changes_nothing(client, loaded):
    made = _findings(loaded)
    login(client, "koordinator.cipondoh")
    before = dict(Finding.unscoped.values_list("pk", "status"))
    client.post("/temuan/massal/", {"scope": "all", "status": "dismissed", "query": "kelurahan=bukan-kode"})
    assert dict(Finding.unscoped.values_list("pk", "status")) == before
    client.post("/temuan/massal/", {"scope": "all", "status": "dismissed", "query": "rt=1&rw=1&kelurahan=3671051007"})
    assert {f.status for f in Finding.unscoped.filter(pk__in=[f.pk for f in made])} == {"dismissed"}


def test_ticked_rows_outside_the_users_area_are_left_alone(client, loaded):
    audit = loaded.audits.get()
    outside = Voter.unscoped.filter(voter_list=loaded).exclude(kode_kelurahan__startswith="367105").first()
    elsewhere = Finding.unscoped.create(
        audit=audit, voter=outside, check_code="DATA_TIDAK_LENGKAP", kode_kelurahan=outside.kode_kelurahan
    )
    inside = _findings(loaded, 1)[0]
    login(client, "koordinator.cipondoh")
    client.post("/temuan/massal/", {"finding": [elsewhere.pk, inside.pk], "status": "dismissed"})
    elsewhere.refresh_from_db()
    inside.refresh_from_db()
    assert elsewhere.status == "open" and inside.status == "dismissed"  # the same post did change the one in the area


def test_undo_puts_back_only_what_it_changed_and_only_while_fresh(client, loaded):
    made = _findings(loaded, 3)
    login(client, "koordinator.cipondoh")
    client.post("/temuan/massal/", {"finding": [f.pk for f in made], "status": "confirmed"})
    Finding.unscoped.filter(pk=made[0].pk).update(status="verifying")  # someone moved it on since
    token = client.session["finding_undo"]["token"]
    assert client.post("/temuan/massal/urungkan/", {"token": "bukan"}).status_code == 409
    client.post("/temuan/massal/urungkan/", {"token": token})
    assert dict(Finding.unscoped.filter(pk__in=[f.pk for f in made]).values_list("pk", "status")) == {
        made[0].pk: "verifying",
        made[1].pk: "open",
        made[2].pk: "open",
    }
    client.post("/temuan/massal/", {"finding": [made[1].pk], "status": "confirmed"})
    session = client.session
    session["finding_undo"] = {**session["finding_undo"], "until": (timezone.now() - timedelta(seconds=1)).isoformat()}
    session.save()
    assert client.post("/temuan/massal/urungkan/", {"token": session["finding_undo"]["token"]}).status_code == 409
    assert Finding.unscoped.get(pk=made[1].pk).status == "confirmed"


def test_only_reviewers_send_to_a_relawan(client, loaded):
    finding = _findings(loaded, 1)[0]
    login(client, "relawan.ketapang")
    assert client.post(f"/temuan/{finding.pk}/kirim/").status_code == 404
    assert client.post(f"/pemilih/{finding.voter_id}/kirim/").status_code == 404
    assert not FieldTask.unscoped.filter(findings=finding).exists()
    login(client, "koordinator.cipondoh")
    assert client.get(f"/temuan/{finding.pk}/kirim/").status_code == 405  # a POST only
    response = client.post(f"/temuan/{finding.pk}/kirim/")
    task = FieldTask.unscoped.get(findings=finding)
    assert response.url == f"/tugas/{task.pk}/" and task.assigned_to.username == "relawan.ketapang"
    client.post(f"/temuan/{finding.pk}/kirim/")  # again: the same household task, not a second one
    assert FieldTask.unscoped.filter(findings=finding).count() == 1


def test_search_is_posted_scoped_and_counted(client, loaded, settings):
    inside = Voter.unscoped.filter(voter_list=loaded, **KETAPANG).exclude(nama="").first()
    outside = Voter.unscoped.filter(voter_list=loaded).exclude(kode_kelurahan="3671051007").exclude(nama="").first()
    login(client, "relawan.ketapang")
    assert client.get("/cari-pemilih/", {"nama": inside.nama}).context["found"] is None  # a GET searches nothing
    page = client.post("/cari-pemilih/", {"nama": inside.nama}).content.decode()
    assert f'data-voter="{inside.pk}"' in page
    logged = ActionLog.objects.filter(action="voter.search").latest("id")
    assert logged.detail["shown"] >= 1 and logged.detail["by_nik"] is False
    assert inside.nama not in str(logged.detail)  # the log says a search happened, never what was searched
    page = client.post("/cari-pemilih/", {"nama": outside.nama}).content.decode()
    assert f'data-voter="{outside.pk}"' not in page  # another RT: not the relawan's to see
    assert 'name="nik"' not in page
    settings.KAWAL_PERSON_VIEW_LIMITS = {"relawan": 0}
    assert client.post("/cari-pemilih/", {"nama": inside.nama}).status_code == 429


def test_large_changes_go_in_chunks_and_miss_no_row(loaded):
    from kawal.web.voters.views import _update_in_chunks

    made = [f.pk for f in _findings(loaded, 5)]
    assert _update_in_chunks(Finding.unscoped.all(), made, "confirmed", size=2) == 5
    assert set(Finding.unscoped.filter(pk__in=made).values_list("status", flat=True)) == {"confirmed"}
