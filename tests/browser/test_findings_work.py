"""Working through findings on a phone (issue 18): a coordinator changes the status of many findings at once and
undoes it, sends a finding's household to the relawan of that RT ("kirim ke relawan"), and anyone looks a person
up ("is X registered?"), by NIK only as KPU staff, with names kept out of the URL. Screenshots under
test-output/screenshots/."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from kawal.synth.generator import generate
from kawal.web import demo
from kawal.web.crypto import decrypt
from kawal.web.voters.models import Finding, Voter
from tests.browser.conftest import shot
from tests.browser.support import PASSWORD, with_password
from tests.web.conftest import KETAPANG

pytestmark = pytest.mark.django_db(transaction=True)
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("findingscity")
    generate(1500, seed=61, out=out)
    return out


@pytest.fixture
def loaded(transactional_db, city):
    kpu, _ = demo.create_accounts()
    with_password()
    return demo.load_list(kpu, city / "dpt.csv")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def findings_in_ketapang(voter_list, n: int) -> str:
    """``n`` findings on people of Ketapang (a kelurahan of the coordinator's Cipondoh), made here: a small city
    has few findings, and the generator decides where they fall. Returns the kelurahan code."""
    audit = voter_list.audits.get()
    kelurahan = KETAPANG["kode_kelurahan"]
    voters = Voter.unscoped.filter(voter_list=voter_list, kode_kelurahan=kelurahan).order_by("pk")[:n]
    Finding.unscoped.bulk_create(
        Finding(audit=audit, voter=v, check_code="DATA_TIDAK_LENGKAP", detail="uji", kode_kelurahan=kelurahan,
                rw=v.rw, rt=v.rt, tps=v.tps)
        for v in voters
    )  # fmt: skip
    return kelurahan


def finding_in_relawans_rt(voter_list) -> Finding:
    """A finding on a person of the demo relawan's RT (made here, like tests/web's ketapang_task)."""
    voter = Voter.unscoped.filter(voter_list=voter_list, **KETAPANG).order_by("pk").first()
    audit = voter_list.audits.get()
    return Finding.unscoped.create(audit=audit, voter=voter, check_code="PEMILIH_GANDA", detail="uji", **KETAPANG)


def statuses(pks: list[int]) -> dict[int, str]:
    return dict(Finding.unscoped.filter(pk__in=pks).values_list("pk", "status"))


def test_bulk_status_change_of_ticked_findings_and_undo(phone, live_server, loaded):
    log_in(phone, live_server, "koordinator.cipondoh")
    phone.goto(f"{live_server.url}/temuan/?kelurahan={findings_in_ketapang(loaded, 5)}")
    ticked = [int(phone.locator("tr[data-finding]").nth(i).get_attribute("data-finding")) for i in range(3)]
    assert set(statuses(ticked).values()) == {"open"}
    Finding.unscoped.filter(pk=ticked[2]).update(status="verifying")  # a row that was already elsewhere
    for pk in ticked:
        phone.check(f"tr[data-finding='{pk}'] label.pick input")
    phone.click("details.bulk > summary")
    phone.select_option("#bulk-status", "dismissed")
    shot(phone, "findings-01-bulk-panel")
    assert phone.evaluate(SIDEWAYS) <= 0
    phone.click("[data-bulk-submit]")
    phone.wait_for_selector("[data-undo] [data-changed]")
    assert statuses(ticked) == dict.fromkeys(ticked, "dismissed")
    assert phone.get_attribute("[data-changed]", "data-changed") == "3"
    assert "kelurahan=" in phone.url  # back on the same filtered page
    shot(phone, "findings-02-changed-with-undo")

    phone.click("[data-undo-button]")
    phone.wait_for_selector("[data-restored]")
    assert statuses(ticked) == {ticked[0]: "open", ticked[1]: "open", ticked[2]: "verifying"}  # each as it was
    shot(phone, "findings-03-undone")
    phone.reload()
    assert phone.locator("[data-undo]").count() == 0  # said once, then gone


def test_bulk_change_of_everything_the_filter_matches(phone, live_server, loaded, monkeypatch):
    monkeypatch.setattr("kawal.web.voters.views.PAGE_SIZE", 10)  # a small page: "all" must reach past it
    kelurahan = findings_in_ketapang(loaded, 25)
    mine = Finding.unscoped.filter(kode_kelurahan=kelurahan, audit__superseded_at=None)
    others = set(Finding.unscoped.exclude(kode_kelurahan=kelurahan).values_list("status", flat=True))
    assert mine.count() > 10  # more than one page
    log_in(phone, live_server, "koordinator.cipondoh")
    phone.goto(f"{live_server.url}/temuan/?kelurahan={kelurahan}")
    phone.click("details.bulk > summary")
    phone.check("input[name=scope][value=all]")
    phone.select_option("#bulk-status", "verifying")
    phone.click("[data-bulk-submit]")
    phone.wait_for_selector("[data-changed]")
    assert set(mine.values_list("status", flat=True)) == {"verifying"}
    assert int(phone.get_attribute("[data-changed]", "data-changed")) == mine.count()
    assert set(Finding.unscoped.exclude(kode_kelurahan=kelurahan).values_list("status", flat=True)) == others


def test_a_relawan_cannot_change_statuses_in_bulk(phone, live_server, loaded):
    log_in(phone, live_server, "relawan.ketapang")
    phone.goto(f"{live_server.url}/temuan/")
    assert phone.locator("details.bulk, label.pick, [data-send]").count() == 0
    before = dict(Finding.unscoped.values_list("pk", "status"))
    token = phone.evaluate("() => document.cookie.match(/csrftoken=([^;]+)/)?.[1] || ''")
    response = phone.request.post(
        f"{live_server.url}/temuan/massal/",
        form={"scope": "all", "status": "dismissed", "query": ""},
        headers={"X-CSRFToken": token, "Referer": f"{live_server.url}/temuan/"},
    )
    assert response.status in (200, 302, 403)
    assert dict(Finding.unscoped.values_list("pk", "status")) == before  # nothing they could change


def test_kirim_ke_relawan_from_a_finding_reaches_the_relawans_tasks(phone, live_server, loaded):
    from kawal.web.field.models import FieldTask

    finding = finding_in_relawans_rt(loaded)
    log_in(phone, live_server, "koordinator.cipondoh")
    phone.goto(f"{live_server.url}/temuan/?kelurahan={KETAPANG['kode_kelurahan']}&rw=1&rt=1")
    phone.click(f"[data-send='{finding.pk}']")
    phone.wait_for_selector("[data-message]")
    assert "relawan.ketapang" in phone.inner_text("[data-message]")
    shot(phone, "findings-04-sent-to-relawan")
    task = FieldTask.unscoped.get(findings=finding)
    assert task.assigned_to.username == "relawan.ketapang" and task.status == "open"
    assert phone.url.endswith(f"/tugas/{task.pk}/")

    phone.context.clear_cookies()
    log_in(phone, live_server, "relawan.ketapang")
    assert phone.locator(f"[data-task='{task.pk}']").count() == 1  # on "Tugas saya"


def test_kirim_ke_relawan_from_a_persons_page(phone, live_server, loaded):
    from kawal.web.field.models import FieldTask

    voter = Voter.unscoped.filter(**KETAPANG).exclude(nama="").order_by("-pk").first()
    log_in(phone, live_server, "koordinator.cipondoh")
    phone.goto(f"{live_server.url}/pemilih/{voter.pk}/")
    phone.click("[data-send-voter]")
    phone.wait_for_selector("[data-message]")
    household = voter.nkk_hash or f"v{voter.pk}"
    task = FieldTask.unscoped.get(voter_list=voter.voter_list, household=household)
    assert task.assigned_to.username == "relawan.ketapang"


def test_search_a_person_by_name_and_tps_with_nothing_in_the_url(phone, live_server, loaded):
    voter = Voter.unscoped.filter(**KETAPANG).exclude(nama="").exclude(tps=None).order_by("pk").first()
    part = voter.nama.split()[0]
    log_in(phone, live_server, "koordinator.cipondoh")
    phone.goto(f"{live_server.url}/temuan/")
    phone.click("main a[href='/cari-pemilih/']")
    assert phone.locator("input[name=nik]").count() == 0  # NIK search is for KPU staff
    phone.fill("input[name=nama]", part.lower())
    phone.select_option("select[name=kelurahan]", KETAPANG["kode_kelurahan"])
    phone.fill("input[name=tps]", str(voter.tps))
    phone.click("form[data-voter-search] button[type=submit]")
    phone.wait_for_selector("[data-found]")
    found = phone.eval_on_selector_all("li[data-voter]", "els => els.map(e => Number(e.dataset.voter))")
    matches = Voter.unscoped.filter(pk__in=found)
    assert len(found) == matches.count() and voter.pk in found
    assert all(part.lower() in v.nama.lower() and v.tps == voter.tps for v in matches)
    assert part.lower() not in urlsplit(phone.url).query.lower() and urlsplit(phone.url).query == ""
    assert phone.evaluate(SIDEWAYS) <= 0
    shot(phone, "findings-05-voter-search")

    phone.fill("input[name=nama]", "zzzqqq")
    phone.fill("input[name=tps]", "")
    phone.click("form[data-voter-search] button[type=submit]")
    phone.wait_for_selector("[data-found='0']")


def test_kpu_staff_find_a_person_by_nik(phone, live_server, loaded):
    voter = Voter.unscoped.exclude(nik_encrypted="").exclude(nik_hash="").order_by("pk").first()
    log_in(phone, live_server, "admin.kpu")
    phone.goto(f"{live_server.url}/cari-pemilih/")
    phone.fill("input[name=nik]", decrypt(voter.nik_encrypted))
    phone.click("form[data-voter-search] button[type=submit]")
    phone.wait_for_selector("[data-found]")
    found = phone.eval_on_selector_all("li[data-voter]", "els => els.map(e => Number(e.dataset.voter))")
    assert voter.pk in found
    assert set(Voter.unscoped.filter(pk__in=found).values_list("nik_hash", flat=True)) == {voter.nik_hash}
    assert urlsplit(phone.url).query == ""
