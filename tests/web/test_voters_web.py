import re

import duckdb
import pytest
from django.urls import reverse

from kawal.web import demo
from kawal.web.accounts.models import Membership, Organisation, Role
from kawal.web.actionlog.models import ActionLog, AppendOnlyError
from kawal.web.crypto import decrypt
from kawal.web.voters.models import Finding, Voter
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def test_job_loads_every_row_encrypts_numbers_and_stores_findings(loaded, city):
    assert loaded.status == "done" and loaded.rows_in == 3000 == loaded.loaded + loaded.rejected
    assert Voter.unscoped.filter(voter_list=loaded).count() == 3000
    voter = Voter.unscoped.filter(voter_list=loaded).exclude(nik_encrypted="").first()
    nik = decrypt(voter.nik_encrypted)
    assert len(nik) >= 15 and nik not in voter.nik_encrypted and voter.nik_masked.endswith("*")
    assert len(voter.nik_hash) == 64
    checks = set(Finding.unscoped.filter(audit__voter_list=loaded).values_list("check_code", flat=True))
    assert {"PEMILIH_GANDA", "NIK_GANDA", "DATA_TIDAK_LENGKAP"} <= checks
    shared = Finding.unscoped.filter(check_code="NIK_GANDA").first()
    assert shared.cluster.startswith("H-") and not re.search(r"\d{16}", shared.cluster)
    assert ActionLog.objects.filter(action="voter_list.imported").exists()
    assert ActionLog.objects.filter(action="audit.run").exists()


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("findings"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_relawan_sees_only_their_rt(client, loaded):
    own = Voter.unscoped.filter(kode_kelurahan="3671051007", rw=1, rt=1).first()
    other_rt = Voter.unscoped.filter(kode_kelurahan="3671051007").exclude(rw=1, rt=1).first()
    other_kel = Voter.unscoped.exclude(kode_kelurahan="3671051007").exclude(kode_kelurahan="").first()
    audit = loaded.audits.get()
    for voter in (own, other_rt, other_kel):  # one finding at each, so the page has something to show and to hide
        place = {"kode_kelurahan": voter.kode_kelurahan, "rw": voter.rw, "rt": voter.rt}
        Finding.unscoped.create(audit=audit, voter=voter, check_code="DATA_TIDAK_LENGKAP", detail="uji", **place)
    login(client, "relawan.ketapang")
    assert client.get(reverse("voter_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("voter_detail", args=[other_rt.pk])).status_code == 404
    assert client.get(reverse("voter_detail", args=[other_kel.pk])).status_code == 404
    page = client.get(reverse("findings")).content.decode()
    shown = set(re.findall(r"/pemilih/(\d+)/", page))
    allowed = {
        str(pk) for pk in Voter.unscoped.filter(kode_kelurahan="3671051007", rw=1, rt=1).values_list("pk", flat=True)
    }
    assert str(own.pk) in shown and shown <= allowed  # not an empty page: the RT's own finding is listed
    other = client.get(reverse("findings") + "?kelurahan=" + other_kel.kode_kelurahan)
    assert other.context["page"].paginator.count == 0
    login(client, "admin.kpu")  # the same filter does list findings for someone whose area it is
    assert (
        client.get(reverse("findings") + "?kelurahan=" + other_kel.kode_kelurahan).context["page"].paginator.count > 0
    )
    there = {"kelurahan": "3671051007", "rw": other_rt.rw, "rt": other_rt.rt, "check": "DATA_TIDAK_LENGKAP"}
    assert str(other_rt.pk) in set(
        re.findall(r"/pemilih/(\d+)/", client.get(reverse("findings"), there).content.decode())
    )


def test_relawan_sees_visit_data_and_masked_nik(client, loaded):
    login(client, "relawan.ketapang")
    own = Voter.unscoped.filter(kode_kelurahan="3671051007", rw=1, rt=1).exclude(nik_encrypted="").first()
    page = client.get(reverse("voter_detail", args=[own.pk])).content.decode()
    assert own.nik_masked in page and decrypt(own.nik_encrypted) not in page
    assert 'data-field="nkk"' not in page
    assert ActionLog.objects.filter(action="voter.viewed", object_id=str(own.pk)).exists()


def test_coordinator_sees_masked_numbers_and_kpu_sees_full_and_is_logged(client, loaded):
    voter = Voter.unscoped.filter(kode_kelurahan__startswith="367105").exclude(nik_encrypted="").first()
    login(client, "koordinator.cipondoh")
    page = client.get(reverse("voter_detail", args=[voter.pk])).content.decode()
    assert voter.nik_masked in page and decrypt(voter.nik_encrypted) not in page
    login(client, "admin.kpu")
    page = client.get(reverse("voter_detail", args=[voter.pk])).content.decode()
    assert decrypt(voter.nik_encrypted) in page
    entry = ActionLog.objects.filter(action="voter.viewed_full", object_id=str(voter.pk)).get()
    assert entry.user.username == "admin.kpu" and "nik" not in str(entry.detail).lower()


def test_other_kpu_office_sees_nothing(client, loaded, django_user_model):
    office = Organisation.objects.create(name="KPU Kota Serang", kind="kpu", wilayah="3673")
    user = django_user_model.objects.create(username="admin.serang")
    Membership.objects.create(user=user, organisation=office, role=Role.KPU_ADMIN, wilayah="3671")
    client.force_login(user)
    assert client.get(reverse("findings")).context["page"].paginator.count == 0
    assert client.get(reverse("voter_list", args=[loaded.pk])).status_code == 404
    login(client, "admin.kpu")  # the list's own office does see findings and the list: the empty page above is scope
    assert client.get(reverse("findings")).context["page"].paginator.count > 0
    assert client.get(reverse("voter_list", args=[loaded.pk])).status_code == 200


def test_dashboard_is_aggregated_in_a_fixed_number_of_queries(client, loaded, django_assert_max_num_queries):
    login(client, "koordinator.cipondoh")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    total = Voter.unscoped.filter(kode_kelurahan__startswith="367105").count()
    assert response.context["total_voters"] == total
    assert "<svg" in response.content.decode()


def test_upload_runs_the_job_and_shows_progress(client, db, city):
    from kawal.web import demo

    demo.create_accounts()
    login(client, "admin.kpu")
    with (city / "dpt.csv").open("rb") as f:
        response = client.post(reverse("lists"), {"file": f, "stage": "DPS", "wilayah": "3671"})
    assert response.status_code == 302
    status = client.get(response["Location"].rstrip("/") + "/status/").content.decode()
    assert 'data-status="done"' in status and "3,000" in status.replace(".", ",")


def test_relawan_cannot_upload(client, loaded, city):
    login(client, "relawan.ketapang")
    with (city / "dpt.csv").open("rb") as f:
        assert client.post(reverse("lists"), {"file": f, "stage": "DPS", "wilayah": "3671"}).status_code == 403


def test_bad_upload_is_refused_with_a_clear_message(client, db, tmp_path):
    from kawal.web import demo

    demo.create_accounts()
    login(client, "admin.kpu")
    bad = tmp_path / "dpt.exe"
    bad.write_bytes(b"MZ")
    with bad.open("rb") as f:
        response = client.post(reverse("lists"), {"file": f, "stage": "DPS", "wilayah": "3671"})
    assert response.status_code == 200 and "Format tidak dikenal" in response.content.decode()


def test_action_log_is_append_only(loaded):
    entry = ActionLog.objects.first()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_invitation_onboards_a_relawan_in_the_coordinators_area(client, loaded):
    login(client, "koordinator.cipondoh")
    response = client.post(reverse("invitations"), {"role": "relawan", "wilayah": "3671051001", "rw": 2, "rt": 3})
    assert response.status_code == 302
    code = client.get(reverse("invitations")).context["invitations"][0].code
    client.logout()
    response = client.post(
        reverse("accept_invitation", args=[code]),
        {"username": "relawan.baru", "password1": "sandi-panjang-sekali", "password2": "sandi-panjang-sekali"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="relawan.baru")
    assert (membership.role, membership.wilayah, membership.rw, membership.rt) == ("relawan", "3671051001", 2, 3)
    assert client.get(reverse("accept_invitation", args=[code])).status_code == 410


def test_coordinator_cannot_invite_outside_their_area(client, loaded):
    login(client, "koordinator.cipondoh")
    response = client.post(reverse("invitations"), {"role": "relawan", "wilayah": "3671011001"})
    assert response.status_code == 200 and "di luar wilayah" in response.content.decode()


def test_english_is_selectable(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/masuk/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"


def test_rows_without_a_kelurahan_are_seen_by_whoever_covers_the_whole_list(client, loaded):
    orphan = Voter.unscoped.create(voter_list=loaded, record_id="99999", nama="TANPA KELURAHAN", kode_kelurahan="")
    login(client, "admin.kpu")
    assert client.get(reverse("voter_detail", args=[orphan.pk])).status_code == 200
    login(client, "koordinator.cipondoh")
    assert client.get(reverse("voter_detail", args=[orphan.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_and_its_worker_run_an_upload(city):
    from django.core.management import call_command

    from kawal.web import demo
    from kawal.web.voters.jobs import process_upload
    from kawal.web.voters.models import VoterList

    kpu, _ = demo.create_accounts()
    admin = kpu.memberships.get(role="kpu_admin").user
    voter_list = VoterList.objects.create(
        organisation=kpu,
        uploaded_by=admin,
        stage="DPS",
        wilayah="3671",
        source_name="dpt.csv",
        source_path=str(city / "dpt.csv"),
    )
    result = process_upload.using(backend="queue").enqueue(voter_list.pk)
    assert VoterList.objects.get(pk=voter_list.pk).status == "queued"
    call_command("db_worker", "--batch", "--backend", "queue", "--no-startup-delay", "--queue-name", "*")
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert VoterList.objects.get(pk=voter_list.pk).status == "done"


def test_a_failing_job_logs_where_it_failed_but_not_what_the_row_said(db, city, caplog, monkeypatch):
    from kawal.web import demo
    from kawal.web.voters import jobs
    from kawal.web.voters.models import VoterList

    kpu, _ = demo.create_accounts()
    admin = kpu.memberships.get(role="kpu_admin").user
    voter_list = VoterList.objects.create(
        organisation=kpu,
        uploaded_by=admin,
        stage="DPT",
        wilayah="3671",
        source_name="x.csv",
        source_path=str(city / "dpt.csv"),
    )

    secret = "could not read NIK " + "3671010403650018" + " of " + "SITI AMINAH"

    def explode(*_args):
        raise ValueError(secret)

    monkeypatch.setattr(jobs, "_audit", explode)
    with pytest.raises(ValueError):
        jobs.run(voter_list.pk)
    assert VoterList.objects.get(pk=voter_list.pk).status == "failed"
    logged = caplog.text
    assert ("ValueError" in logged and "_audit" not in logged) or "explode" in logged
    assert "3671010403650018" not in logged and "SITI AMINAH" not in logged


def test_a_list_numbered_per_tps_pins_each_finding_on_its_own_voter(db, city, tmp_path):
    """KPU's NO starts again at 1 in each TPS: the record ids the import gives (TPS and NO, with the kelurahan on a
    city's list) name one voter each, so a finding lands on the row it is about, not on another row's NO."""
    restarted = tmp_path / "dpt-per-tps.csv"
    duckdb.sql(
        f"""COPY (SELECT * REPLACE (CAST(row_number() OVER (PARTITION BY kode_kelurahan, tps ORDER BY CAST(id AS INT))
                                          AS VARCHAR) AS id)
                  FROM read_csv('{city / "dpt.csv"}', all_varchar = true) ORDER BY CAST(id AS INT))
            TO '{restarted}' (HEADER)"""
    )
    kpu, _accounts = demo.create_accounts()
    voter_list = demo.load_list(kpu, restarted)
    voters = Voter.unscoped.filter(voter_list=voter_list)
    record_ids = list(voters.values_list("record_id", flat=True))
    assert len(record_ids) == 3000 == len(set(record_ids)) and "3671011001/001-1" in record_ids
    shared = Finding.unscoped.filter(audit__voter_list=voter_list, check_code="NIK_GANDA").select_related("voter")
    by_cluster: dict[str, set[str]] = {}
    for finding in shared:
        by_cluster.setdefault(finding.cluster, set()).add(finding.voter.nik_hash)
    assert by_cluster and all(len(hashes) == 1 for hashes in by_cluster.values())  # one NIK per NIK_GANDA cluster


def test_the_longest_record_id_the_import_gives_fits_the_voter_table(db, city, tmp_path):
    """A NO of 40 characters (the longest the import takes as a NO), restarting in each TPS of a city's list, gives
    record ids of kelurahan, TPS and NO: PostgreSQL refuses a value longer than the column, so the column holds it."""
    restarted = tmp_path / "dpt-long-no.csv"
    duckdb.sql(
        f"""COPY (SELECT * REPLACE ('NO-' || lpad(CAST(row_number() OVER (PARTITION BY kode_kelurahan, tps
                                                                    ORDER BY CAST(id AS INT)) AS VARCHAR), 37, '0')
                                    AS id)
                  FROM read_csv('{city / "dpt.csv"}', all_varchar = true) ORDER BY CAST(id AS INT))
            TO '{restarted}' (HEADER)"""
    )
    kpu, _accounts = demo.create_accounts()
    voter_list = demo.load_list(kpu, restarted)
    record_ids = list(Voter.unscoped.filter(voter_list=voter_list).values_list("record_id", flat=True))
    longest = max(len(record_id) for record_id in record_ids)
    assert len(set(record_ids)) == len(record_ids) == 3000
    assert longest == len("3671011001/001-") + 40 <= Voter._meta.get_field("record_id").max_length
