import json
import uuid

import pytest
from django.contrib.auth import get_user_model

from kawal.cli.main import main
from kawal.web.accounts.models import ApiToken, Membership, Role
from kawal.web.sampling.models import Observation, SampleDraw, SampleUnit
from kawal.web.voters.models import Voter
from tests.web.conftest import login

pytestmark = pytest.mark.django_db
PHRASE = "Rapat pleno terbuka 12 Agustus 2024"
PLAN = {
    "unit": "record",
    "by": "kecamatan",
    "margin": "0.05",
    "confidence": "0.95",
    "rate": "0.05",
    "nonresponse": "0.1",
}


def _draw(client, loaded, **extra):
    login(client, "admin.kpu")
    answer = client.post("/sampel/ambil/", {**PLAN, "voter_list": loaded.pk, "phrase": PHRASE, **extra})
    assert answer.status_code == 302, answer.content
    return SampleDraw.unscoped.get()


def _mine(sample):
    """Give the demo relawan the first unit (tests cannot rely on where the draw fell), with the membership over
    its RT that a task needs (a relawan works only inside an active membership)."""
    unit = sample.units.order_by("stratum", "urutan").first()
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    ormas = relawan.memberships.first().organisation
    place = {"wilayah": unit.kode_kelurahan, "rw": unit.rw, "rt": unit.rt}
    Membership.objects.get_or_create(user=relawan, organisation=ormas, role=Role.RELAWAN, **place)
    unit.task.assigned_to = relawan
    unit.task.save()
    _token, key = ApiToken.issue(relawan, "phone")
    return unit, {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _observe(client, unit, headers, **body):
    payload = {"client_id": str(uuid.uuid4()), "recorded_at": "2024-07-01T10:00:00+07:00", **body}
    return client.post(
        f"/api/v1/sample-units/{unit.pk}/observations",
        data=json.dumps(payload),
        content_type="application/json",
        **headers,
    )


def test_planner_shows_the_sizes_per_stratum(client, loaded):
    login(client, "koordinator.cipondoh")
    page = client.get("/sampel/", {**PLAN, "voter_list": loaded.pk}).content.decode()
    assert 'data-plan="answers"' in page and "Ambil sampel" in page


def test_the_draw_makes_tasks_and_matches_the_command_line(client, loaded, city, tmp_path):
    sample = _draw(client, loaded)
    assert sample.units.count() == sample.size == sum(v["n"] for v in sample.strata.values())
    assert all(u.task_id and u.voter_id for u in sample.units.all())
    # The same list file, phrase and plan on the command line give the very same sample.csv.
    args = ["--margin", "0.05", "--rate", "0.05", "--nonresponse", "0.1", "--by", "kecamatan"]
    assert main(["sample", "draw", str(city / "dpt.csv"), "--phrase", PHRASE, *args, "--out", str(tmp_path)]) == 0
    cli = json.loads((tmp_path / "sample.json").read_text())
    assert (cli["seed"], cli["sample_sha256"]) == (sample.seed, sample.sample_sha256)
    page = client.get(f"/sampel/{sample.pk}/").content.decode()
    assert sample.sample_sha256 in page and PHRASE in page


def test_an_outcome_sent_three_times_is_recorded_once(client, loaded):
    unit, headers = _mine(_draw(client, loaded))
    body = {"client_id": str(uuid.uuid4()), "kind": "hasil", "outcome": "tidak_di_alamat", "note": "pindah 2023"}
    answers = [_observe(client, unit, headers, **body) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert Observation.objects.count() == 1
    unit.task.refresh_from_db()
    assert unit.task.status == "done"


def test_a_wrong_outcome_is_refused_with_the_choices(client, loaded):
    unit, headers = _mine(_draw(client, loaded))
    answer = _observe(client, unit, headers, kind="hasil", outcome="hilang")
    assert answer.status_code == 422 and "ditemukan" in answer.json()["detail"]


def test_someone_elses_unit_is_not_found(client, loaded):
    sample = _draw(client, loaded)
    unit, _headers = _mine(sample)
    other = sample.units.exclude(pk=unit.pk).first()
    _token, key = ApiToken.issue(get_user_model().objects.get(username="relawan.ketapang"), "x")
    answer = _observe(client, other, {"HTTP_AUTHORIZATION": f"Bearer {key}"}, kind="hasil", outcome="ditemukan")
    assert answer.status_code == 404


def test_results_page_shows_estimates_with_intervals_and_nonresponse(client, loaded):
    sample = _draw(client, loaded)
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    units = list(sample.units.all())
    from kawal.web.sampling.service import ObservationIn, record_observation

    for i, unit in enumerate(units):
        outcome = "tidak_di_alamat" if i % 8 == 0 else ("tidak_terjangkau" if i % 8 == 1 else "ditemukan")
        record_observation(unit, relawan, ObservationIn(str(uuid.uuid4()), "hasil", _now(), outcome=outcome))
    login(client, "koordinator.cipondoh")
    page = client.get(f"/sampel/{sample.pk}/").content.decode()
    assert 'data-category="tidak_di_alamat"' in page and "<svg" in page
    unreachable = sum(1 for i in range(len(units)) if i % 8 == 1)
    assert f'data-progress="unreachable">{unreachable}<' in page


def test_people_met_in_a_drawn_rt_are_checked_against_the_list(client, loaded):
    sample = _draw(client, loaded, unit="rt", by="kota", margin="0.2")
    unit, headers = _mine(sample)
    listed = Voter.unscoped.filter(
        voter_list=loaded, kode_kelurahan=unit.kode_kelurahan, rw=unit.rw, rt=unit.rt
    ).first()
    found = _observe(
        client, unit, headers, kind="orang", nama=f"H. {listed.nama}", tanggal_lahir=str(listed.tanggal_lahir)
    )
    missing = _observe(client, unit, headers, kind="orang", nama="WARGA BARU SEKALI", tanggal_lahir="2001-02-03")
    assert (found.json()["registered"], missing.json()["registered"]) == (True, False)
    _observe(client, unit, headers, kind="rumah", pantarlih="tidak", sticker="ya")
    from kawal.web.sampling.service import estimates

    by_category = {e.category: e for e in estimates(SampleDraw.unscoped.get()) if not e.stratum}
    assert by_category["tidak_terdaftar"].rate == 0.5
    assert by_category["stiker_tanpa_kunjungan"].rate == 1.0


def test_relawan_form_for_a_drawn_record_logs_the_view(client, loaded):
    unit, _headers = _mine(_draw(client, loaded))
    client.force_login(get_user_model().objects.get(username="relawan.ketapang"))
    page = client.get(f"/sampel/unit/{unit.pk}/").content.decode()
    assert unit.voter.nama in page and 'data-endpoint="/api/v1/sample-units/' in page
    from kawal.web.actionlog.models import ActionLog

    assert ActionLog.objects.filter(action="voter.viewed", object_id=str(unit.voter_id)).exists()
    assert SampleUnit.objects.filter(task__assigned_to__username="relawan.ketapang").exists()


def _now():
    from django.utils import timezone

    return timezone.now()


def test_coverage_census_counts_checked_households_per_area(client, approved):
    from kawal.web.field.models import FieldTask
    from kawal.web.sampling.service import coverage_census

    tasks = FieldTask.unscoped.all()
    rows = coverage_census(tasks, Observation.objects.all())
    ketapang = next(r for r in rows if r.kode == "3671051007")
    assert (ketapang.checked, ketapang.visited, ketapang.sticker_without_visit) == (3, 3, 0)
    by_rt = coverage_census(tasks, Observation.objects.all(), "3671051007", 1)
    assert [r.kode for r in by_rt] == ["3671051007/1/1"]
    login(client, "koordinator.cipondoh")
    page = client.get("/sampel/cakupan/", {"kelurahan": "3671051007"}).content.decode()
    assert 'data-unit="3671051007/1"' in page and "data-checked>3<" in page


def test_demo_sample_audit_fills_the_results_page(client, loaded):
    from kawal.web import demo

    made = demo.sample_audit(loaded)
    sample = SampleDraw.unscoped.get()
    assert 0.5 * sample.size < made < 0.85 * sample.size
    assert demo.sample_audit(loaded) == 0  # run again: nothing new
    login(client, "koordinator.cipondoh")
    assert 'data-category="tidak_di_alamat"' in client.get(f"/sampel/{sample.pk}/").content.decode()
