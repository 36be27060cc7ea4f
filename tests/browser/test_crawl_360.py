"""Every page of every role at 360 px (issue 18, "Done means"): log in as the public, a relawan, an Ormas
coordinator and the KPU admin, follow every same-site link breadth-first from the role's start pages, and on each
page check that nothing scrolls sideways and that axe-core finds no serious or critical violation.

axe-core is vendored under tests/browser/vendor/ (see its README) and injected into each page; the file is checked
against the hash axe-core publishes, so a changed engine cannot pass silently. Screenshots go to
test-output/crawl/, with a report.json of what was visited and found."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth import get_user_model

from kawal.synth.generator import generate
from kawal.web import demo
from kawal.web.accounts.models import Role
from kawal.web.voters.models import Voter
from tests.web.conftest import KETAPANG, ketapang_task

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "kata-sandi-uji-panjang"
PHONE = {"width": 360, "height": 740}
VENDOR = Path(__file__).parent / "vendor"
AXE_SRI = "KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw="  # axe-core 4.14.1, from its sri-history.json
OUT = Path(os.environ.get("KAWAL_TEST_OUTPUT", "test-output")) / "crawl"
MAX_PAGES = 90  # per role: one page per kind of URL keeps this well under it
ROLES = {  # role: (username or None for the public, start pages)
    "publik": (None, ["/", "/publik/", "/publik/hasil/", "/publik/pelanggaran/"]),
    "relawan": ("relawan.ketapang", ["/"]),
    "koordinator": ("koordinator.cipondoh", ["/"]),
    "kpu": ("admin.kpu", ["/"]),
}
# Not pages: logging out, downloads, photos and documents, the API, Django's admin (not ours), language switching.
SKIP = re.compile(
    r"^/(keluar|admin|api|i18n|static|webhook|sw\.js)(/|$)|/foto/|/dokumen/|/bukti|ekspor|"
    r"\.(csv|xlsx|pdf|zip|txt|json|geojson|png|jpe?g)$"
)
# Elements wider than the screen, for the failure message.
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 4).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + [...e.classList].join('.') : ''))"""
LINKS = """() => [...document.querySelectorAll('a[href]')]
  .filter((a) => !a.hasAttribute('download') && a.origin === location.origin)
  .map((a) => a.pathname + a.search)"""
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary)}));
}"""


@dataclass
class Visit:
    url: str
    status: int
    overflow: int = 0
    wide: list = field(default_factory=list)
    violations: list = field(default_factory=list)

    def problems(self) -> list[str]:
        found = [f"{self.url}: HTTP {self.status}"] if self.status >= 400 else []
        if self.overflow > 1:
            found.append(f"{self.url}: scrolls sideways by {self.overflow} px ({', '.join(self.wide)})")
        found += [f"{self.url}: axe {v['impact']} {v['id']} ({v['help']}): {v['nodes']}" for v in self.violations]
        return found


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("crawlcity")
    generate(1500, seed=53, out=out)
    return out


@pytest.fixture
def site(transactional_db, city, settings):
    """The demo's data on a small city, so every page has rows, maps, visits, samples and results to show, and
    an open task for the relawan. The crawl opens many lists: the hourly person-view limit is not under test."""
    settings.KAWAL_PERSON_VIEW_LIMITS = dict.fromkeys(Role, 10**6)
    kpu, _ = demo.create_accounts()
    for user in get_user_model().objects.all():
        user.set_password(PASSWORD)
        user.save()
    voter_list = demo.load_list(kpu, city / "dpt.csv")
    demo.sample_fieldwork(voter_list)
    demo.sample_audit(voter_list)
    demo.sample_participation(kpu)
    demo.sample_results(kpu)
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    voters = list(Voter.unscoped.filter(**KETAPANG).exclude(alamat="")[:2])
    ketapang_task(voter_list, "rumah-crawl", voters, relawan, alamat=voters[0].alamat)
    return kpu


@pytest.fixture(scope="module")
def axe_source() -> str:
    source = (VENDOR / "axe.min.js").read_bytes()
    assert base64.b64encode(hashlib.sha256(source).digest()).decode() == AXE_SRI, "axe.min.js is not axe-core 4.14.1"
    return source.decode()


@pytest.fixture
def phone(browser):
    # bypass_csp: the injected axe script must run whatever the page's Content-Security-Policy says.
    context = browser.new_context(viewport=PHONE, locale="id-ID", device_scale_factor=1, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def kind_of(url: str) -> str:
    """One visit per kind of page: numbers in the path are ids, a query's filters count by name only, except
    that a code's length tells a kecamatan, kelurahan and TPS apart (they show different pages)."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "N", parts.path)
    query = sorted({f"{key}={len(value) if value.isdigit() else '*'}" for key, value in parse_qsl(parts.query)})
    return path + "?" + "&".join(query)


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def check(page, axe_source: str, url: str, status: int, name: str) -> Visit:
    visit = Visit(url, status)
    visit.overflow = page.evaluate("document.documentElement.scrollWidth") - PHONE["width"]
    if visit.overflow > 1:
        visit.wide = page.evaluate(WIDE)
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    visit.violations = page.evaluate(AXE_RUN)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
    return visit


def crawl(page, live_server, axe_source: str, role: str, starts: list[str]) -> list[Visit]:
    queue, seen, visits = list(starts), {kind_of(url) for url in starts}, []
    while queue and len(visits) < MAX_PAGES:
        url = queue.pop(0)
        response = page.goto(live_server.url + url)
        if "text/html" not in (response.headers.get("content-type", "") if response else ""):
            continue
        page.wait_for_load_state("load")
        visits.append(check(page, axe_source, url, response.status, f"{role}-{len(visits):02d}"))
        for link in page.evaluate(LINKS):
            if not SKIP.search(urlsplit(link).path) and kind_of(link) not in seen:
                seen.add(kind_of(link))
                queue.append(link)
    assert not queue, f"{role}: more than {MAX_PAGES} kinds of page; left unvisited: {queue[:10]}"
    return visits


def check_open_menu(page, axe_source: str, role: str) -> Visit:
    """The menu is closed on every crawled page; check it open once per role."""
    page.goto(page.url)
    page.click("details.menu > summary")
    return check(page, axe_source, page.url + " (menu open)", 200, f"{role}-menu")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_360px_with_no_serious_axe_violation(phone, live_server, site, axe_source, role):
    OUT.mkdir(parents=True, exist_ok=True)
    username, starts = ROLES[role]
    if username:
        log_in(phone, live_server, username)
    visits = crawl(phone, live_server, axe_source, role, starts)
    visits.append(check_open_menu(phone, axe_source, role))
    report = OUT / f"report-{role}.json"
    report.write_text(json.dumps([asdict(v) for v in visits], indent=1, ensure_ascii=False))
    assert len(visits) >= 4, f"{role}: the crawl found too few pages: {[v.url for v in visits]}"
    problems = [problem for visit in visits for problem in visit.problems()]
    assert problems == [], f"{role}: {len(problems)} problems on {len(visits)} pages:\n" + "\n".join(problems)
