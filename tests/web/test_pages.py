import csv
import io

import pytest
from django.urls import reverse

from kawal.web.voters.models import Finding, Voter, VoterList
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def test_findings_drill_down_from_kota_to_tps(client, loaded):
    login(client, "admin.kpu")
    top = client.get(reverse("findings")).context["breakdown"]
    assert top["level"] == "kecamatan" and len(top["rows"]) == 13
    assert sum(r["n"] for r in top["rows"]) == Finding.unscoped.exclude(kode_kelurahan="").count()
    kelurahan = client.get(reverse("findings") + "?kecamatan=367105").context["breakdown"]
    assert kelurahan["level"] == "kelurahan" and {r["label"] for r in kelurahan["rows"]} <= {
        "Cipondoh",
        "Cipondoh Makmur",
        "Cipondoh Indah",
        "Gondrong",
        "Kenanga",
        "Petir",
        "Ketapang",
        "Poris Plawad",
        "Poris Plawad Utara",
        "Poris Plawad Indah",
    }
    rw = client.get(reverse("findings") + "?kelurahan=3671051007").context["breakdown"]
    assert rw["level"] == "rw"
    tps = client.get(reverse("findings") + "?kelurahan=3671051007&rw=1&rt=1").context["breakdown"]
    assert tps["level"] == "tps"
    assert client.get(reverse("findings") + "?kelurahan=3671051007&rw=1&rt=1&tps=1").context["breakdown"] is None


def test_cluster_view_lists_every_row_of_a_duplicate(client, loaded):
    login(client, "admin.kpu")
    cluster = Finding.unscoped.filter(check_code="PEMILIH_GANDA").values_list("cluster", flat=True).first()
    page = client.get(reverse("findings") + f"?cluster={cluster}")
    rows = page.context["page"].paginator.count
    assert rows == Finding.unscoped.filter(cluster=cluster).count() >= 2


def test_action_log_browse_and_export_for_kpu_admins_only(client, loaded):
    login(client, "admin.kpu")
    assert client.get(reverse("actionlog")).status_code == 200
    response = client.get(reverse("actionlog_export"))
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:6] == ["id", "created_at", "user", "organisation", "ip", "action"]
    assert {"voter_list.imported", "audit.run"} <= {r[5] for r in rows[1:]}
    login(client, "koordinator.cipondoh")
    assert client.get(reverse("actionlog")).status_code == 403
    assert client.get(reverse("actionlog_export")).status_code == 403


def test_compare_two_lists_by_kelurahan(client, loaded, city):
    from kawal.web import demo

    kpu = loaded.organisation
    trimmed = city / "dpt-trimmed.csv"
    lines = (city / "dpt.csv").read_text().splitlines()
    trimmed.write_text("\n".join(lines[:-100]) + "\n")
    second = demo.load_list(kpu, trimmed)
    assert second.status == VoterList.Status.DONE
    login(client, "koordinator.cipondoh")
    response = client.get(reverse("compare"), {"old": loaded.pk, "new": second.pk})
    result = response.context["result"]
    assert result["diff"].removed == 100 and result["diff"].added == 0
    assert all(k.kode_kelurahan.startswith("367105") for k in result["rows"])


def test_dashboard_of_one_kecamatan_breaks_down_by_kelurahan(client, loaded):
    login(client, "admin.kpu")
    response = client.get(reverse("home") + "?wilayah=367105")
    units = response.context["units"]
    assert {u["kode"][:6] for u in units} == {"367105"} and all(len(u["kode"]) == 10 for u in units)
    assert response.context["total_voters"] == sum(u["voters"] for u in units)


def test_finding_status_changes_are_scoped_and_logged(client, loaded):
    from kawal.web.actionlog.models import ActionLog

    finding = Finding.unscoped.filter(kode_kelurahan__startswith="367105").exclude(voter=None).first()
    outside = Finding.unscoped.exclude(kode_kelurahan__startswith="367105").exclude(kode_kelurahan="").first()
    login(client, "koordinator.cipondoh")
    url = reverse("finding_status", args=[finding.pk])
    response = client.post(url, {"status": "verifying"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'data-finding-status="verifying"' in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == "verifying"
    entry = ActionLog.objects.get(action="finding.status", object_id=str(finding.pk))
    assert entry.detail == {"old": "open", "new": "verifying"}
    assert client.post(reverse("finding_status", args=[outside.pk]), {"status": "confirmed"}).status_code == 404
    assert client.post(url, {"status": "nonsense"}).status_code == 400
    voter = Voter.unscoped.filter(kode_kelurahan="3671051007", rw=1, rt=1).first()
    own = Finding.unscoped.create(
        audit=finding.audit,
        voter=voter,
        check_code="DATA_TIDAK_LENGKAP",
        kode_kelurahan="3671051007",
        rw=1,
        rt=1,
        detail="x",
    )
    login(client, "relawan.ketapang")
    assert client.post(reverse("finding_status", args=[own.pk]), {"status": "confirmed"}).status_code == 403
