"""Every page of every role at 360 px (issue 18, "Done means"): log in as the public, a relawan, an Ormas
coordinator and the KPU admin, follow every same-site link breadth-first from the role's start pages, and on each
page check that nothing scrolls sideways and that axe-core finds no serious or critical violation.

axe-core is vendored under tests/browser/vendor/ (see its README) and injected into each page; the file is checked
against the hash axe-core publishes, so a changed engine cannot pass silently. A JPEG screenshot of each page goes
to test-output/crawl/<role>-NN.jpg, and report-<role>.json there lists what was visited, found and how long it took.
The failure message names every problem at once, with the innermost too-wide elements and where a broken link was."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from kawal.web.accounts.models import Role
from tests.browser.support import demo_site, sign_in, small_city, with_password

pytestmark = pytest.mark.django_db(transaction=True)
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
# Not pages: logging out, downloads and exports, photos and documents, the API, Django's admin (not ours).
SKIP = re.compile(
    r"^/(keluar|admin|api|i18n|static|webhook|sw\.js)(/|$)|/foto/|/dokumen/|/bukti|ekspor|"
    r"\.(csv|xlsx|pdf|zip|txt|json|geojson|png|jpe?g)$"
)
DRILL = ("kecamatan", "kelurahan", "rw", "rt", "tps")
ROW_FILTERS = ("check", "cluster", "status", "action", "page", "pemilu")
# The innermost elements that reach past the screen's right edge, for the failure message.
WIDE = """() => { const edge = document.documentElement.clientWidth + 1;
  const wide = (e) => e.checkVisibility() && e.getBoundingClientRect().right > edge;
  return [...document.querySelectorAll('body *')].filter((e) => wide(e) && ![...e.children].some(wide))
    .slice(0, 4).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + [...e.classList].join('.') : '')
      + ' "' + e.textContent.trim().slice(0, 30) + '"'); }"""
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
    linked_from: str = ""
    overflow: int = 0
    wide: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    seconds: list = field(default_factory=lambda: [0.0, 0.0])  # checked, then screenshot taken

    def problems(self) -> list[str]:
        found = [f"{self.url}: HTTP {self.status}, linked from {self.linked_from}"] if self.status >= 400 else []
        if self.overflow > 1:
            found.append(f"{self.url}: scrolls sideways by {self.overflow} px ({', '.join(self.wide)})")
        found += [f"{self.url}: axe {v['impact']} {v['id']} ({v['help']}): {v['nodes']}" for v in self.violations]
        return found


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    return small_city(tmp_path_factory.mktemp("crawlcity"))


@pytest.fixture
def site(transactional_db, city, settings):
    """The demo's data on a small city, so every page has rows, maps, visits, samples and results to show, and
    an open task for the relawan. The crawl opens many lists: the hourly person-view limit is not under test."""
    settings.KAWAL_PERSON_VIEW_LIMITS = dict.fromkeys(Role, 10**6)
    kpu = demo_site(city / "dpt.csv", "rumah-crawl")
    with_password()
    return kpu


@pytest.fixture(scope="module")
def axe_source() -> str:
    source = (VENDOR / "axe.min.js").read_bytes()
    assert base64.b64encode(hashlib.sha256(source).digest()).decode() == AXE_SRI, "axe.min.js is not axe-core 4.14.1"
    return source.decode()


def kind_of(url: str) -> str:
    """One visit per kind of page. Numbers in the path are ids. Of the query, filters that only narrow the rows
    are left out, a drill-down counts by its deepest level, and a code by its length (kecamatan, kelurahan and
    TPS codes show different pages)."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "N", parts.path)
    query = dict(parse_qsl(parts.query))
    level = [key for key in DRILL if key in query][-1:]
    rest = {f"{k}={len(v) if v.isdigit() else '*'}" for k, v in query.items() if k not in DRILL + ROW_FILTERS}
    return path + "?" + "&".join(level + sorted(rest))


def check(page, axe_source: str, visit: Visit, name: str) -> Visit:
    started = time.monotonic()
    visit.overflow = page.evaluate("document.documentElement.scrollWidth") - PHONE["width"]
    if visit.overflow > 1:
        visit.wide = page.evaluate(WIDE)
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    visit.violations = page.evaluate(AXE_RUN)
    visit.seconds[0] = round(time.monotonic() - started, 2)
    page.screenshot(path=str(OUT / f"{name}.jpg"), full_page=True, type="jpeg", quality=70)
    visit.seconds[1] = round(time.monotonic() - started, 2)
    return visit


def worth_visiting(link: str, role: str) -> bool:
    path = urlsplit(link).path
    if role != "publik" and path.startswith("/publik/"):
        return False  # the same for everyone: the public's crawl checks them (and each role's menu is checked)
    return not SKIP.search(path) and "format=" not in link


def crawl(page, live_server, axe_source: str, role: str, starts: list[str]) -> list[Visit]:
    """Breadth-first over the role's links, one page per kind (see kind_of)."""
    queue = [(url, "start") for url in starts]
    seen, visits = {kind_of(url) for url in starts}, []
    while queue and len(visits) < MAX_PAGES:
        url, linked_from = queue.pop(0)
        response = page.goto(live_server.url + url)
        if "text/html" not in (response.headers.get("content-type", "") if response else ""):
            continue
        visit = Visit(url, response.status, linked_from)
        visits.append(check(page, axe_source, visit, f"{role}-{len(visits):02d}"))
        for link in page.evaluate(LINKS):
            if worth_visiting(link, role) and kind_of(link) not in seen:
                seen.add(kind_of(link))
                queue.append((link, url))
    assert not queue, f"{role}: more than {MAX_PAGES} kinds of page; left unvisited: {queue[:10]}"
    return visits


def check_open_menu(page, live_server, axe_source: str, role: str, start: str) -> Visit:
    """The menu is closed on every crawled page; check it open once per role, on the role's first page."""
    page.goto(live_server.url + start)
    page.click("details.menu > summary")
    return check(page, axe_source, Visit(f"{start} (menu open)", 200), f"{role}-menu")


def test_every_page_of_every_role_fits_360px_with_no_serious_axe_violation(browser, live_server, site, axe_source):
    OUT.mkdir(parents=True, exist_ok=True)
    problems, crawled = [], {}
    for role, (username, starts) in ROLES.items():
        # A fresh context per role: its own cookies, and the page's CSP must not stop the injected axe script.
        context = browser.new_context(viewport=PHONE, locale="id-ID", device_scale_factor=1, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(20_000)
        if username:
            sign_in(page, live_server.url, username)
        visits = crawl(page, live_server, axe_source, role, starts)
        visits.append(check_open_menu(page, live_server, axe_source, role, starts[0]))
        context.close()
        (OUT / f"report-{role}.json").write_text(json.dumps([asdict(v) for v in visits], indent=1, ensure_ascii=False))
        crawled[role] = len(visits) - 1
        problems += [f"[{role}] {problem}" for visit in visits for problem in visit.problems()]
    assert all(pages >= 4 for pages in crawled.values()), f"the crawl found too few pages: {crawled}"
    assert problems == [], f"{len(problems)} problems on {crawled} pages:\n" + "\n".join(problems)
