import csv
import io

import pytest
from django.urls import reverse

from kawal.web.voters.models import Finding, VoterList
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
