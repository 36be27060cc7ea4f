"""The key pages as a person uses them: log in, upload and watch the progress, drill down, a relawan's view."""

import re
import threading
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from python_calamine import CalamineWorkbook

from kawal.synth.generator import generate
from kawal.web import demo
from kawal.web.voters import jobs
from kawal.web.voters.models import Voter, VoterList
from tests.browser.conftest import shot
from tests.browser.support import PASSWORD, demo_accounts
from tests.photos.images import phone_jpeg
from tests.web.conftest import KETAPANG, ketapang_task

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("browsercity")
    generate(3000, seed=31, out=out)
    return out


@pytest.fixture
def accounts(transactional_db):
    return demo_accounts()


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_log_in(page, live_server, accounts):
    log_in(page, live_server, "admin.kpu")
    assert page.inner_text("h1") == "Dasbor wilayah Anda"
    shot(page, "01-dashboard-after-login")


def test_upload_and_watch_the_progress(page, live_server, accounts, city, monkeypatch):
    started = []

    def run_in_background(voter_list_id):  # the worker, running beside the page while it polls
        worker = threading.Thread(target=jobs.run, args=(voter_list_id,))
        worker.start()
        started.append(worker)

    monkeypatch.setattr("kawal.web.voters.views.process_upload", SimpleNamespace(enqueue=run_in_background))
    seen = []
    monkeypatch.setattr(jobs, "on_progress", lambda percent, step: seen.append(percent))
    log_in(page, live_server, "admin.kpu")
    page.goto(f"{live_server.url}/daftar/")
    page.set_input_files("input[name=file]", str(city / "dpt.csv"))
    page.select_option("select[name=stage]", "DPT")
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector(".progress")
    shot(page, "02-upload-progress")
    assert page.evaluate("typeof htmx") == "object"
    page.wait_for_selector('[data-status="done"]', timeout=120_000)
    started[0].join()
    assert len(set(seen)) > 3  # the bar moved through several steps while the page polled
    assert "3,000" in page.inner_text("#status").replace(".", ",")
    shot(page, "03-upload-done")
    assert VoterList.objects.get().status == "done"


def test_drill_from_kota_to_one_tps(page, live_server, accounts, city):
    demo.load_list(accounts, city / "dpt.csv")
    log_in(page, live_server, "admin.kpu")
    page.goto(f"{live_server.url}/temuan/")
    for level in ("kecamatan", "kelurahan", "rw", "rt", "tps"):
        link = page.locator("h2:has-text('Rincian per') + table a").first
        link.click()
        page.wait_for_url(re.compile(rf"[?&]{level}="))
    shot(page, "04-drill-to-tps")
    assert "tps=" in page.url and page.locator("h2:has-text('Rincian per')").count() == 0
    assert page.locator("table tr").count() >= 2


def test_relawan_sees_only_their_rt_with_masked_numbers(page, live_server, accounts, city):
    demo.load_list(accounts, city / "dpt.csv")
    log_in(page, live_server, "relawan.ketapang")
    page.goto(f"{live_server.url}/temuan/")
    shot(page, "05-relawan-findings")
    allowed = set(Voter.unscoped.filter(kode_kelurahan="3671051007", rw=1, rt=1).values_list("pk", flat=True))
    links = page.locator("a[href^='/pemilih/']")
    hrefs = {
        int(re.search(r"/pemilih/(\d+)/", links.nth(i).get_attribute("href")).group(1)) for i in range(links.count())
    }
    assert hrefs <= allowed
    own = Voter.unscoped.filter(pk__in=allowed).exclude(nik_encrypted="").first()
    page.goto(f"{live_server.url}/pemilih/{own.pk}/")
    assert page.inner_text("[data-field=nik]") == own.nik_masked
    assert page.locator("[data-field=nkk]").count() == 0
    shot(page, "06-relawan-person")
    other = Voter.unscoped.exclude(pk__in=allowed).first()
    response = page.goto(f"{live_server.url}/pemilih/{other.pk}/")
    assert response.status == 404


def test_relawan_records_three_visits_offline_and_they_sync_once(page, live_server, accounts, city):
    """Offline with photos, back online, synced once; the coordinator approves; the tanggapan of the kelurahan
    downloads with those visits and their photos as evidence."""
    from kawal.web.field.models import FieldTask, Visit, VisitPhoto

    voter_list = demo.load_list(accounts, city / "dpt.csv")
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    FieldTask.unscoped.filter(assigned_to=relawan).delete()
    for i, voter in enumerate(Voter.unscoped.filter(**KETAPANG)[:3]):
        ketapang_task(voter_list, f"rumah-{i}", [voter], relawan, alamat=f"RUMAH {i}")
    tasks = list(FieldTask.unscoped.filter(assigned_to=relawan).order_by("pk"))

    log_in(page, live_server, "relawan.ketapang")
    page.goto(f"{live_server.url}/tugas/")
    page.wait_for_selector("body[data-offline-ready=true]")  # service worker active, visit forms cached
    page.context.set_offline(True)
    for i, task in enumerate(tasks):
        page.goto(f"{live_server.url}/tugas/{task.pk}/kunjungi/")
        page.check("input[name=pantarlih][value=ya]")
        page.check("input[name=sticker][value=ya]")
        photo = {"name": f"stiker-{i}.jpg", "mimeType": "image/jpeg", "buffer": phone_jpeg(colour=(40 * i, 90, 30))}
        page.set_input_files("input[name=photo-sticker]", photo)
        if i == 0:  # an address to correct
            page.locator("[data-voter] input[value=ubah]").first.check()
            page.locator("[data-voter] select[name^=field-]").first.select_option("alamat")
            page.locator("[data-voter] input[name^=value-]").first.fill("JL. MERDEKA NO. 9")
        else:
            page.locator("[data-voter] input[value=sesuai]").first.check()
        if i == 1:  # an eligible neighbour not on the list
            page.fill("input[name=new-nama]", "PEMILIH PEMULA")
            page.fill("input[name=new-nik]", "3671054505080001")
        page.click("#visit button[type=submit]")
        page.wait_for_selector("[data-saved]:not([hidden])")
    page.wait_for_selector("#queue-status[data-waiting='3']")
    shot(page, "07-offline-three-visits-waiting")
    assert Visit.unscoped.count() == 0

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#queue-status[data-waiting='0']", timeout=30_000)
    shot(page, "08-back-online-synced")
    assert Visit.unscoped.count() == 3 and VisitPhoto.objects.count() == 3
    assert set(Visit.unscoped.values_list("task_id", flat=True)) == {t.pk for t in tasks}
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a second sync finds nothing left to send
    page.wait_for_timeout(500)
    assert Visit.unscoped.count() == 3

    page.context.clear_cookies()
    log_in(page, live_server, "koordinator.cipondoh")
    page.goto(f"{live_server.url}/tugas/tinjau/")
    assert page.locator("[data-visit] img").count() == 3  # the photos, as copies without EXIF
    shot(page, "09-coordinator-reviews-with-photos")
    for _ in range(3):
        page.locator("[data-visit] button[value=approved]").first.click()
        page.wait_for_load_state()
    assert set(Visit.unscoped.values_list("review", flat=True)) == {"approved"}

    page.goto(f"{live_server.url}/tanggapan/")
    page.fill("input[name=kelurahan]", KETAPANG["kode_kelurahan"])
    page.click("form button[type=submit]")
    page.wait_for_selector("[data-item]")
    shot(page, "10-tanggapan-for-the-kelurahan")
    with page.expect_download() as download:
        page.click("text=XLSX")
    rows = CalamineWorkbook.from_path(download.value.path()).get_sheet_by_index(0).to_python()
    text = "\n".join(" | ".join(str(c) for c in row) for row in rows)
    assert "JL. MERDEKA NO. 9" in text and "PEMILIH PEMULA" in text
    for digest in VisitPhoto.objects.filter(visit__task=tasks[0]).values_list("photo__sha256", flat=True):
        assert digest[:12] in text


def test_statistical_audit_from_plan_to_interval_plot(page, live_server, accounts, city):
    """A coordinator plans and draws a sample with a public phrase; a relawan records an outcome on the phone;
    the results page shows it with its interval."""
    from kawal.web.accounts.models import Membership
    from kawal.web.accounts.scope import Scope
    from kawal.web.field.models import FieldTask
    from kawal.web.sampling.models import Observation, SampleDraw

    voter_list = demo.load_list(accounts, city / "dpt.csv")
    log_in(page, live_server, "admin.kpu")  # a draw covers the whole list: KPU (or a city-wide coordinator) draws
    page.goto(f"{live_server.url}/sampel/")
    page.select_option("select[name=voter_list]", str(voter_list.pk))
    page.check("input[name=preset][value=cepat]")  # the presets stand in for margin and confidence (issue 18)
    page.click("form.plan button[type=submit]")
    page.wait_for_selector("[data-plan=answers]")
    shot(page, "11-sample-plan")
    page.fill("input[name=phrase]", "Rapat koordinasi 1 Juli 2024")
    page.click("text=Ambil sampel dan buat tugas lapangan")
    page.wait_for_selector("[data-sample-sha]", state="attached")  # the hashes sit behind "detail" (issue 18)
    sample = SampleDraw.unscoped.get()
    unit = sample.units.order_by("stratum", "urutan").first()
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    # a relawan opens only tasks of their own RT (issue 16): the coordinator places them where the unit was drawn
    task = unit.task
    Membership.objects.filter(user=relawan).update(wilayah=task.kode_kelurahan, rw=task.rw, rt=task.rt)
    assert Scope.for_user(relawan).tasks(FieldTask.unscoped.filter(pk=task.pk)).exists()
    unit.task.assigned_to = relawan
    unit.task.save()

    page.context.clear_cookies()
    log_in(page, live_server, "relawan.ketapang")
    page.goto(f"{live_server.url}/tugas/")
    page.click(f"a[href='/sampel/unit/{unit.pk}/']")
    page.check("input[name=outcome][value=tidak_di_alamat]")
    page.fill("textarea[name=note]", "pindah ke Bogor, kata ketua RT")
    page.click("form[data-queue] button[type=submit]")
    page.wait_for_selector("#queue-status[data-waiting='0']", timeout=30_000)
    shot(page, "12-sample-outcome-recorded")
    assert Observation.objects.get().outcome == "tidak_di_alamat"

    page.context.clear_cookies()
    log_in(page, live_server, "koordinator.cipondoh")
    page.goto(f"{live_server.url}/sampel/{sample.pk}/")
    assert page.inner_text("[data-progress=answered]") == "1"
    assert page.locator("section[data-category=tidak_di_alamat] svg circle").count() >= 2
    shot(page, "13-sample-results")


def test_coordinator_records_an_event_and_the_focus_page_counts_it(page, live_server, accounts, city, tmp_path):
    from kawal.web.participation.models import Event
    from kawal.web.participation.service import load_2024_baseline

    demo.load_list(accounts, city / "dpt.csv")
    load_2024_baseline(accounts)
    log_in(page, live_server, "koordinator.cipondoh")
    page.goto(f"{live_server.url}/partisipasi/")
    cipondoh = "tr[data-kode='367105']"
    assert page.inner_text(f"{cipondoh} [data-events]") == "0"
    shot(page, "14-participation-focus-before")

    page.goto(f"{live_server.url}/partisipasi/kegiatan/")
    page.select_option("select[name=organisation]", label="Pemuda Peduli Pemilu")
    page.fill("input[name=title]", "Pemilih pemula SMA Cipondoh")
    page.fill("input[name=starts_at]", "2024-08-10T09:00")
    page.fill("input[name=venue]", "Aula SMA Negeri Cipondoh")
    page.select_option("select[name=kode_wilayah]", "367105")  # a pick-list of places by name (issue 18)
    page.check("input[name=audiences][value=pemula]")
    page.fill("input[name=attendance]", "240")
    photo = {"name": "sosialisasi.jpg", "mimeType": "image/jpeg", "buffer": phone_jpeg()}
    page.set_input_files("input[name=photo]", photo)
    page.click("form.event-form button[type=submit]")
    page.wait_for_selector("tr[data-event] img")
    shot(page, "15-event-recorded-with-photo")
    event = Event.unscoped.get()
    assert event.attendance == 240 and event.photos.count() == 1

    page.goto(f"{live_server.url}/partisipasi/")
    assert page.inner_text(f"{cipondoh} [data-events]") == "1"
    assert page.inner_text(f"{cipondoh} [data-reach]") != "0,0"
    shot(page, "16-participation-focus-after")


def _count_unless_locked(model) -> int:
    """The rows of ``model``, or -1 while the live server's thread holds the in-memory SQLite table for a write
    (shared-cache SQLite answers "table is locked" at once instead of waiting)."""
    from django.db import OperationalError

    try:
        return model.objects.count()
    except OperationalError:
        return -1


def test_two_witnesses_disagree_and_the_coordinator_settles_it(page, live_server, accounts):
    from datetime import date

    from kawal.web.accounts.models import Membership, Organisation, Role
    from kawal.web.participation.models import Election
    from kawal.web.results.models import ResultEntry, TallyNode, TpsAssignment

    election = Election.objects.create(
        organisation=accounts, name="Pilkada 2029", pemilihan="walikota", held_on=date(2029, 11, 28)
    )
    second = get_user_model().objects.create_user("saksi.kedua", password=PASSWORD)
    Membership.objects.create(
        user=second, organisation=Organisation.objects.get(kind="ormas"), role=Role.RELAWAN, wilayah="3671051007"
    )
    tps = "3671051007003"
    for user in (get_user_model().objects.get(username="relawan.ketapang"), second):
        TpsAssignment.objects.create(election=election, user=user, kode_tps=tps)
    form = {"suara_paslon_1": "120", "suara_paslon_2": "95", "suara_paslon_3": "140", "suara_sah": "355",
            "suara_tidak_sah": "9", "suara_sah_dan_tidak_sah": "364", "dpt": "520", "pengguna_total": "364"}  # fmt: skip

    for username, paslon_2 in (("relawan.ketapang", "95"), ("saksi.kedua", "59")):
        page.context.clear_cookies()
        log_in(page, live_server, username)
        page.goto(f"{live_server.url}/tps/")
        page.click(f"a[href='/tps/{election.pk}/{tps}/']")
        for name, value in {**form, "suara_paslon_2": paslon_2}.items():
            page.fill(f"input[name={name}]", value)
        for n in (1, 2):  # a photo of each page of the C.Hasil is required
            photo = {"name": f"c-hasil-{n}.jpg", "mimeType": "image/jpeg", "buffer": phone_jpeg()}
            page.set_input_files(f"input[name=foto_hal_{n}]", photo)
        if paslon_2 == "59":  # the paper adds up to 355; 59 does not: shown live, still accepted
            page.wait_for_selector("#flags li[data-rule=PASLON_NE_SAH]")
            assert "Suara paslon (319) ≠ suara sah (355)" in page.inner_text("#flags")
            shot(page, "17-chasil-live-consistency-check")
        sent = ResultEntry.objects.count()
        page.click("form.chasil button[type=submit]")
        page.wait_for_selector("[data-saved]:not([hidden])")
        # The receipt follows the record until it has left the phone, as the witness sees it.
        page.wait_for_selector("#receipt [data-receipt-status=terkirim]", timeout=30_000)
        assert _count_unless_locked(ResultEntry) == sent + 1

    page.context.clear_cookies()
    log_in(page, live_server, "koordinator.cipondoh")
    page.goto(f"{live_server.url}/tps/konflik/")
    page.wait_for_selector(f"[data-conflict='{tps}'] img")
    page.wait_for_function(
        "[...document.querySelectorAll('[data-conflict] img')].every((i) => i.complete && i.naturalWidth > 0)"
    )
    shot(page, "18-conflict-side-by-side")
    page.locator(f"[data-conflict='{tps}'] button[data-resolve]").first.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/hasil/")
    assert page.inner_text("[data-verified]") == "1"
    assert page.inner_text("tr[data-paslon='2'] [data-votes]") == "95"
    assert TallyNode.objects.get(election=election, kode="3671").suara_total == 364
    shot(page, "19-tally-after-resolution")


def test_logging_out_leaves_no_names_on_the_phone_and_asks_before_dropping_unsent_records(
    page, live_server, accounts, city
):
    from kawal.web.field.models import FieldTask

    voter_list = demo.load_list(accounts, city / "dpt.csv")
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    FieldTask.unscoped.filter(assigned_to=relawan).delete()
    ketapang_task(voter_list, "rumah-keluar", list(Voter.unscoped.filter(**KETAPANG)[:1]), relawan)
    log_in(page, live_server, "relawan.ketapang")
    page.goto(f"{live_server.url}/tugas/")
    page.wait_for_selector("body[data-offline-ready=true]")
    assert page.evaluate("caches.keys().then((k) => k.length)") >= 1  # task pages kept for offline work
    page.goto(f"{live_server.url}/")
    page.evaluate(UNSENT_RECORD)  # a visit recorded offline and not yet sent

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("details.menu > summary")  # "Keluar" sits in the menu
    page.click("form[data-logout] button")
    page.wait_for_timeout(500)
    assert asked and asked[0].startswith("1 data belum terkirim")
    assert page.locator("form[data-logout]").count() == 1  # still logged in: the relawan chose to stay

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form[data-logout] button")
    page.wait_for_selector("form[data-logout]", state="detached")
    assert page.evaluate("caches.keys().then((k) => k.length)") == 0
    names = page.evaluate("indexedDB.databases().then((d) => d.map((x) => x.name))")
    assert "kawal-field" not in names


UNSENT_RECORD = """
new Promise((resolve, reject) => {
  const open = indexedDB.open("kawal-field", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("queue", { keyPath: "client_id" });
  open.onsuccess = () => {
    const tx = open.result.transaction("queue", "readwrite");
    tx.objectStore("queue").put({ client_id: "00000000-0000-4000-8000-000000000001", endpoint: "/api/x", payload: {} });
    tx.oncomplete = () => { open.result.close(); resolve(true); };
    tx.onerror = () => reject(tx.error);
  };
})
"""


def test_coordinator_answers_different_people_and_the_next_audit_unlinks_them(page, live_server, accounts, city):
    """Issue 14: a reviewer's answer on the cluster page changes the next audit ("Audit ulang") of the list."""
    from kawal.web.accounts.models import Membership, Role
    from kawal.web.voters.models import DuplicatePair, Finding

    voter_list = demo.load_list(accounts, city / "dpt.csv")
    run = voter_list.audits.get()
    sizes = {}
    for cluster in DuplicatePair.unscoped.filter(audit=run).values_list("cluster", flat=True):
        sizes[cluster] = sizes.get(cluster, 0) + 1
    pair = next(  # one person on two rows, both in one kecamatan
        p
        for p in DuplicatePair.unscoped.filter(audit=run, cluster__in=[c for c, n in sizes.items() if n == 1])
        .select_related("voter_a", "voter_b")
        .order_by("pk")
        if p.voter_a.kode_kelurahan[:6] == p.voter_b.kode_kelurahan[:6]
    )
    kecamatan = pair.voter_a.kode_kelurahan[:6]
    coordinator = get_user_model().objects.create_user("koordinator.ganda", password=PASSWORD)
    ormas = Membership.objects.get(user__username="koordinator.cipondoh").organisation
    Membership.objects.create(user=coordinator, organisation=ormas, role=Role.COORDINATOR, wilayah=kecamatan)

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "koordinator.ganda")
    page.goto(f"{live_server.url}/temuan/?check=PEMILIH_GANDA&cluster={pair.cluster}")
    page.locator("a[data-review-cluster]").first.click()
    page.wait_for_selector(f"[data-pair='{pair.pk}']")
    assert page.locator("[data-voter]").count() == 2
    assert re.search(r"peluang (>)?\d+%", page.inner_text(f"[data-pair='{pair.pk}']"))
    different = page.locator(f"[data-pair='{pair.pk}'] button[value=different]")
    assert different.bounding_box()["height"] >= 44
    different.click()
    page.wait_for_selector(f"[data-pair='{pair.pk}'] .receipt")
    assert page.get_attribute(f"[data-pair='{pair.pk}']", "data-answer") == "different"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll on a phone
    shot(page, "20-duplicate-answered-390")

    page.goto(f"{live_server.url}/daftar/{voter_list.pk}/")
    page.click("form[data-reaudit] button[type=submit]")
    page.wait_for_selector('[data-status="done"]', timeout=120_000)
    again = voter_list.audits.get(superseded_at=None)
    assert again.pk != run.pk
    clusters = dict(Finding.unscoped.filter(audit=again, check_code="PEMILIH_GANDA").values_list("voter_id", "cluster"))
    assert pair.voter_a_id not in clusters or clusters[pair.voter_a_id] != clusters.get(pair.voter_b_id)
    page.goto(f"{live_server.url}/temuan/?check=PEMILIH_GANDA&kecamatan={kecamatan}")
    shown = page.inner_text("main")
    assert pair.voter_a.nama not in shown or pair.voter_b.nama not in shown  # no longer one person
    page.goto(f"{live_server.url}/temuan/ganda/ketepatan/")
    assert page.locator("[data-metric=estimated] [data-value]").count() >= 2
    to_pairs = page.locator(f"[data-run='{again.pk}'] a[href$='/ganda/kandidat/{again.pk}/']")
    assert to_pairs.bounding_box()["height"] >= 44  # a button of its own, not a link inside the notes
    # the one answer, "different", given after the first audit: 0% confirmed, and a range that says how little that is
    band = page.locator(f"[data-run='{run.pk}'] [data-range]")
    inside, track = band.bounding_box(), band.locator("xpath=..").bounding_box()
    assert inside["width"] > track["width"] / 2 and track["x"] <= inside["x"]
    assert inside["x"] + inside["width"] <= track["x"] + track["width"] + 1
    assert "antara 0,0% dan 79,4%" in page.inner_text(f"[data-run='{run.pk}']")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "21-duplicate-precision-390")
    # a fair sample: the next pair to answer is drawn at random, and the page it opens offers the one after
    assert page.locator(f"[data-run='{run.pk}'] a[data-random]").count() == 0  # its pages are gone
    draw = page.locator(f"[data-run='{again.pk}'] a[data-random]")
    assert draw.bounding_box()["height"] >= 44
    draw.click()
    page.wait_for_url(re.compile(r"/temuan/ganda/.+\?acak=1#pair-\d+$"))
    drawn = int(page.url.rsplit("#pair-", 1)[1])
    assert DuplicatePair.unscoped.get(pk=drawn).audit_id == again.pk
    assert page.locator(f"[data-pair='{drawn}'] button[value=same]").is_visible()
    assert page.locator("a[data-random]").bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "22-duplicate-random-pair-390")
