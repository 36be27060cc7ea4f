"""Reviewers answer PEMILIH_GANDA pairs; the next audit of the office's lists links and unlinks by their answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from kawal.engine.audit.duplicates import record_key_sql
from kawal.engine.sealed import source as sealed_source
from kawal.engine.snapshots import SnapshotStore
from kawal.engine.sql import connect, literal
from kawal.web.accounts.models import Membership, Role
from kawal.web.actionlog.models import ActionLog
from kawal.web.crypto import decrypt, record_key_secret
from kawal.web.voters.duplicate_review import labels_for, ordered_keys
from kawal.web.voters.models import AppendOnlyError, AuditRun, DuplicateAnswer, DuplicatePair, Finding, Voter
from tests.web.conftest import login

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _answer(client, pair: DuplicatePair, value: str, **headers):
    return client.post(reverse("duplicate_answer", args=[pair.pk]), {"answer": value}, **headers)


def _current(voter_list) -> AuditRun:
    return voter_list.audits.get(superseded_at=None)


def _clustered_together(run: AuditRun, a: int, b: int) -> bool:
    clusters = dict(Finding.unscoped.filter(audit=run, check_code="PEMILIH_GANDA").values_list("voter_id", "cluster"))
    return a in clusters and clusters.get(a) == clusters.get(b)


def _pair_of_two(run: AuditRun) -> DuplicatePair:
    """A linked pair that is a whole person (a cluster of two rows), both rows in one kecamatan."""
    sizes = {}
    for cluster in DuplicatePair.unscoped.filter(audit=run).values_list("cluster", flat=True):
        sizes[cluster] = sizes.get(cluster, 0) + 1
    pairs = DuplicatePair.unscoped.filter(
        audit=run, cluster__in=[c for c, n in sizes.items() if n == 1], probability__gte=run.threshold
    ).select_related("voter_a", "voter_b")
    return next(p for p in pairs.order_by("pk") if p.voter_a.kode_kelurahan[:6] == p.voter_b.kode_kelurahan[:6])


def _coordinator_over(pair: DuplicatePair) -> object:
    """A coordinator of the demo Ormas for the kecamatan of the pair (the demo one covers Cipondoh only)."""
    ormas = Membership.objects.get(user__username="koordinator.cipondoh").organisation
    user = get_user_model().objects.create(username="koordinator.uji")
    Membership.objects.create(
        user=user, organisation=ormas, role=Role.COORDINATOR, wilayah=pair.voter_a.kode_kelurahan[:6]
    )
    return user


def test_the_job_stores_pairs_and_keys_only_for_rows_in_duplicates(loaded):
    run = _current(loaded)
    clustered = set(Finding.unscoped.filter(audit=run, check_code="PEMILIH_GANDA").values_list("voter_id", flat=True))
    keyed = set(Voter.unscoped.filter(voter_list=loaded).exclude(record_key=None).values_list("pk", flat=True))
    assert clustered and keyed == clustered
    assert all(
        re.fullmatch(r"[0-9a-f]{32}", k)
        for k in Voter.unscoped.exclude(record_key=None).values_list("record_key", flat=True)
    )
    pairs = DuplicatePair.unscoped.filter(audit=run)
    assert pairs.count() >= run.summary["duplicates"]["linked_pairs"] > 0
    assert set(pairs.values_list("cluster", flat=True)) == set(
        Finding.unscoped.filter(audit=run, check_code="PEMILIH_GANDA").values_list("cluster", flat=True)
    )
    out = Path(settings.DATA_DIR) / "audits" / str(loaded.pk) / "duplicate_pairs.parquet"
    assert not out.exists()  # the audit's work folder (names, NIKs in clear) is removed once loaded (issue 16)


def test_relawan_may_not_answer_or_open_a_duplicate(client, loaded):
    run = _current(loaded)
    pair = DuplicatePair.unscoped.filter(audit=run).first()
    login(client, "relawan.ketapang")
    assert _answer(client, pair, "same").status_code == 403
    assert client.get(reverse("duplicate_cluster", args=[run.pk, pair.cluster])).status_code == 403
    assert client.get(reverse("duplicate_precision")).status_code == 403
    assert not DuplicateAnswer.unscoped.exists()


def test_a_coordinator_outside_the_pairs_area_gets_404(client, loaded, django_user_model):
    run = _current(loaded)
    pair = DuplicatePair.unscoped.filter(audit=run).select_related("voter_a", "voter_b").first()
    mine = {pair.voter_a.kode_kelurahan[:6], pair.voter_b.kode_kelurahan[:6]}
    elsewhere = next(k for k in ("367101", "367102", "367103", "367104", "367105", "367106") if k not in mine)
    ormas = Membership.objects.get(user__username="koordinator.cipondoh").organisation
    user = django_user_model.objects.create(username="koordinator.lain")
    Membership.objects.create(user=user, organisation=ormas, role=Role.COORDINATOR, wilayah=elsewhere)
    client.force_login(user)
    assert _answer(client, pair, "different").status_code == 404
    assert client.get(reverse("duplicate_cluster", args=[run.pk, pair.cluster])).status_code == 404
    assert not DuplicateAnswer.unscoped.exists()


def test_cluster_page_shows_rows_side_by_side_with_numbers_masked_for_a_coordinator(client, loaded):
    run = _current(loaded)
    pair = _pair_of_two(run)
    url = reverse("duplicate_cluster", args=[run.pk, pair.cluster])
    client.force_login(_coordinator_over(pair))
    page = client.get(url).content.decode()
    assert page.count('data-voter="') == 2 and page.count("data-pair=") == 1
    assert "Orang yang sama" in page and "Orang berbeda" in page and "Ragu-ragu" in page
    assert re.search(r"peluang (&gt;)?\d+%", page) and "<details>" in page and "(+" not in page
    nik = decrypt(pair.voter_a.nik_encrypted)
    assert pair.voter_a.nik_masked in page and (not nik or nik not in page)
    assert ActionLog.objects.filter(action="duplicate.viewed").exists()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(url).content.decode()
    assert "Same person" in english and "Different people" in english and "<li>" in english
    assert "tanggal lahir" not in english and "kelamin" not in english
    login(client, "admin.kpu")
    assert not nik or nik in client.get(url).content.decode()
    findings = client.get(reverse("findings") + "?check=PEMILIH_GANDA").content.decode()
    assert url in findings


def test_cluster_page_shows_the_marital_status_the_matcher_compared(client, loaded):
    run = _current(loaded)
    pair = _pair_of_two(run)
    client.force_login(_coordinator_over(pair))
    page = client.get(reverse("duplicate_cluster", args=[run.pk, pair.cluster])).content.decode()
    labels = {"B": "Belum kawin", "S": "Sudah kawin", "P": "Pernah kawin", "": "—"}
    shown = re.findall(r'data-field="status_kawin">([^<]*)<', page)
    assert sorted(shown) == sorted(labels[v.status_kawin] for v in (pair.voter_a, pair.voter_b))
    same = pair.voter_a.status_kawin == pair.voter_b.status_kawin
    assert ("status kawin sama" if same else "status kawin berbeda") in page  # the pair's explanation says it too


def test_cluster_page_shows_the_family_card_masked_as_the_nik_is(client, loaded):
    """The matcher compares the family card (NKK) between RTs; the card shows it, masked for a coordinator as the
    NIK is, whole for KPU."""
    run = _current(loaded)
    pair = _pair_of_two(run)
    url = reverse("duplicate_cluster", args=[run.pk, pair.cluster])
    client.force_login(_coordinator_over(pair))
    page = client.get(url).content.decode()
    shown = re.findall(r'data-field="nkk">([^<]*)<', page)
    assert sorted(shown) == sorted(v.nkk_masked or "—" for v in (pair.voter_a, pair.voter_b))
    nkk = decrypt(pair.voter_a.nkk_encrypted)
    assert nkk and nkk not in page
    login(client, "admin.kpu")
    assert f'data-field="nkk">{nkk}<' in client.get(url).content.decode()


def test_an_answer_is_a_new_logged_row_and_the_latest_counts(client, loaded):
    run = _current(loaded)
    pair = _pair_of_two(run)
    client.force_login(_coordinator_over(pair))
    response = _answer(client, pair, "different", **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "Tersimpan" in body and 'data-answer="different"' in body
    assert 'value="different" aria-pressed="true"' in body
    saved = DuplicateAnswer.unscoped.get()
    assert saved.office == loaded.organisation and saved.organisation.kind == "ormas" and saved.role == "koordinator"
    assert saved.key_a <= saved.key_b and {saved.key_a, saved.key_b} == {
        pair.voter_a.record_key,
        pair.voter_b.record_key,
    }
    entry = ActionLog.objects.get(action="duplicate.answered")
    assert entry.object_id == str(saved.pk) and entry.detail["answer"] == "different"
    assert entry.user.username == "koordinator.uji"
    nik = decrypt(pair.voter_a.nik_encrypted)
    assert (not nik or nik not in str(entry.detail)) and pair.voter_a.nama not in str(entry.detail)
    assert _answer(client, pair, "unsure").status_code == 302  # without htmx: back to the page
    assert DuplicateAnswer.unscoped.count() == 2
    assert labels_for(loaded.organisation_id) == []  # the latest answer is "unsure": left to the model
    _answer(client, pair, "same")
    assert labels_for(loaded.organisation_id) == [(saved.key_a, saved.key_b, True)]
    assert _answer(client, pair, "perhaps").status_code == 400
    with pytest.raises(AppendOnlyError):
        saved.answer = "same"
        saved.save()
    with pytest.raises(AppendOnlyError):
        saved.delete()


def _keys(voter_list, *voters: Voter) -> list[str]:
    """The record keys of any rows, as the engine computes them over the snapshot (for rows not in a cluster)."""
    snapshot = SnapshotStore(Path(settings.SNAPSHOT_ROOT)).get(voter_list.snapshot)
    ids = [v.record_id for v in voters]
    sql = (
        f"SELECT coalesce(s.id, CAST(s.row_no AS VARCHAR)) AS r, {record_key_sql('s', record_key_secret())} "
        f"FROM read_parquet({literal(sealed_source(snapshot.voters_path))}) s"
    )
    found = dict(connect().execute(sql).fetchall())  # an engine connection: the snapshot is sealed
    return [found[i] for i in ids]


def test_the_next_audit_unlinks_a_different_pair_and_links_a_same_pair(client, loaded):
    run = _current(loaded)
    pair = _pair_of_two(run)
    assert _clustered_together(run, pair.voter_a_id, pair.voter_b_id)
    login(client, "admin.kpu")
    assert _answer(client, pair, "different").status_code == 302
    # Two rows the model never linked (different people), answered "same" as if a reviewer knew better.
    lonely = list(
        Voter.unscoped.filter(voter_list=loaded, record_key=None).exclude(nama="").exclude(tanggal_lahir=None)[:2]
    )
    key_a, key_b = sorted(_keys(loaded, *lonely))
    admin = get_user_model().objects.get(username="admin.kpu")
    DuplicateAnswer.unscoped.create(
        office=loaded.organisation,
        organisation=loaded.organisation,
        voter_list=loaded,
        key_a=key_a,
        key_b=key_b,
        answer="same",
        answered_by=admin,
        role="kpu_admin",
    )
    assert not _clustered_together(run, lonely[0].pk, lonely[1].pk)
    page = client.get(reverse("voter_list", args=[loaded.pk])).content.decode()
    assert "Audit ulang" in page
    response = client.post(reverse("voter_list_reaudit", args=[loaded.pk]))
    assert response.status_code == 302  # the task backend in tests runs the job at once
    loaded.refresh_from_db()
    assert loaded.status == "done"
    again = _current(loaded)
    assert again.pk != run.pk and AuditRun.objects.get(pk=run.pk).superseded_at is not None
    assert not _clustered_together(again, pair.voter_a_id, pair.voter_b_id)
    assert _clustered_together(again, lonely[0].pk, lonely[1].pk)
    assert again.summary["duplicates"]["labelled_pairs"] == 2
    assert ActionLog.objects.filter(action="audit.run", detail__labels=2).exists()
    assert ActionLog.objects.filter(action="voter_list.reaudit", user=admin).exists()
    # The pages show the current audit only: the old cluster is gone, the findings count once.
    assert client.get(reverse("duplicate_cluster", args=[run.pk, pair.cluster])).status_code == 404
    assert client.get(reverse("duplicate_random", args=[run.pk])).status_code == 404  # nor drawn from
    shown = client.get(reverse("findings")).context["page"].paginator.count
    assert shown == Finding.unscoped.filter(audit=again).count()


def test_relawan_cannot_start_a_reaudit(client, loaded):
    login(client, "relawan.ketapang")
    assert client.post(reverse("voter_list_reaudit", args=[loaded.pk])).status_code == 403
    assert loaded.audits.count() == 1


def test_precision_page_shows_estimated_beside_confirmed(client, loaded):
    run = _current(loaded)
    linked = DuplicatePair.unscoped.filter(audit=run, probability__gte=run.threshold).order_by("pk")
    first, second, third = list(linked[:3])
    login(client, "admin.kpu")
    _answer(client, first, "same")
    _answer(client, second, "different")
    _answer(client, third, "unsure")
    response = client.get(reverse("duplicate_precision"))
    row = response.context["rows"][0]
    assert row.run == run and (row.same, row.different, row.unsure) == (1, 1, 1) and row.confirmed == 0.5
    assert row.estimated == run.summary["duplicates"]["estimated_precision"]
    page = response.content.decode()
    estimated = f"{row.estimated_percent:.1f}".replace(".", ",")
    assert f"{estimated}%" in page and "50,0%" in page
    assert "Perkiraan audit" in page and "Terbukti peninjau" in page and "0%" in page and "100%" in page
    assert "Dari 2 pasangan yang dijawab" in page
    # 1 of 2 is as likely 10% as 90%: the range (Wilson's, 95%) says so, widened outward to one decimal
    assert row.confirmed_range_percent == (9.4, 90.6)
    assert "antara 9,4% dan 90,6%" in page and 'style="left:9.4%;width:81.2%"' in page


def test_random_draws_are_the_linked_pairs_not_yet_answered_until_none_is_left(client, loaded):
    """Answered in the order drawn, the confirmed share is a fair sample of the linked pairs: each draw is a linked
    pair of the audit nobody answered since it ran, and the draws end once every one is answered."""
    run = _current(loaded)
    linked = DuplicatePair.unscoped.filter(audit=run, probability__gte=run.threshold).select_related(
        "voter_a", "voter_b"
    )
    keyed = {ordered_keys(p.voter_a.record_key, p.voter_b.record_key) for p in linked}
    login(client, "admin.kpu")
    drawn = []
    for _ in range(linked.count() + 1):
        response = client.get(reverse("duplicate_random", args=[run.pk]))
        assert response.status_code == 302
        if response.url == reverse("duplicate_precision"):
            break
        where, fragment = response.url.split("#")
        pair = linked.get(pk=int(fragment.removeprefix("pair-")))
        assert where == reverse("duplicate_cluster", args=[run.pk, pair.cluster]) + "?acak=1"
        assert pair.pk not in drawn
        drawn.append(pair.pk)
        assert _answer(client, pair, "same").status_code == 302  # saved, back to the pair's page
    assert 0 < len(drawn) == len(keyed)  # one draw per pair of rows, none twice, then none left
    assert len(set(drawn)) > 1 and drawn != sorted(drawn)  # drawn at random, not in the order stored
    page = client.get(reverse("duplicate_precision"))
    assert "sudah dijawab sesudah audit berjalan" in page.content.decode()
    assert page.context["rows"][0].same == len(keyed)


def test_a_pair_reached_by_a_draw_offers_the_next_draw_and_a_relawan_draws_nothing(client, loaded):
    run = _current(loaded)
    login(client, "admin.kpu")
    cluster_page = client.get(client.get(reverse("duplicate_random", args=[run.pk])).url.split("#")[0])
    assert reverse("duplicate_random", args=[run.pk]) in cluster_page.content.decode()
    assert "Pasangan acak berikutnya" in cluster_page.content.decode()
    login(client, "relawan.ketapang")
    assert client.get(reverse("duplicate_random", args=[run.pk])).status_code == 403
