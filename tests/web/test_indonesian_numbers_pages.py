"""Numbers are written the Indonesian way everywhere (issue 18): on every page of every role, in Indonesian (the
default), no visible text holds a dot decimal ("3.1%", "0.9716") or an English thousands group ("1,377,828").

The pages are found the way the 360 px crawl finds them (tests/browser/test_crawl_360.py: the same roles, start
pages and one visit per kind of URL), but fetched with Django's test client, so no browser is needed. Only text
people read is checked: text nodes outside <script>, <style>, <template> and machine text (<pre>, <code>), plus the few attributes a person
reads (title, alt, aria-label, placeholder). Machine numbers (SVG coordinates, CSS widths, data-* attributes, the
values of number inputs, JSON and CSV) are not text nodes and are left alone.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from kawal.web.accounts.models import Role
from tests.browser.support import demo_site, small_city
from tests.browser.test_crawl_360 import ROLES, kind_of, worth_visiting
from tests.web.conftest import login

pytestmark = pytest.mark.django_db
MAX_PAGES = 90  # per role, as the crawl
READ_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder"}
# Not read as prose: scripts and styles, and text to copy into a machine (the sample's command line in <pre>, a check
# code in <code>), which keeps Python's dots so that it runs.
SKIPPED = {"script", "style", "template", "noscript", "pre", "code", "kbd", "samp"}
# Said on purpose: how to type the sample planner's number inputs, which take Python's dot (0.03), as the browser
# sends them. The only English decimals a page may show.
TYPING_HINT = "ditulis sebagai pecahan dengan titik (0.03 = 3 poin, 0.95 = 95%)"
# What English writing looks like and Indonesian never does. Times (10.00), dates (12.08.2024), dotted wilayah codes
# (36.71.01), versions and addresses have more or fewer digits around the dot, or several dots, and are not matched.
WRONG = {
    "dot-decimal percentage": re.compile(r"(?<![\d.,])\d+\.\d+\s?%"),
    "dot-decimal share": re.compile(r"(?<![\d.,])0\.\d{2,}(?![\d.])"),
    "dot-decimal with one digit": re.compile(r"(?<![\d.,])\d{1,3}\.\d(?![\d.])"),
    "English thousands": re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]|\.\d)"),
}


class VisibleText(HTMLParser):
    """The text a reader sees, and the page's links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href") and "download" not in values:
            self.links.append(values["href"] or "")
        if not self._skipping:
            self.texts += [value for name, value in attrs if name in READ_ATTRIBUTES and value]
        if tag in SKIPPED:
            self._skipping.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED:
            self._skipping.pop()

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and tag == self._skipping[-1]:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.texts.append(" ".join(data.split()))


def english_numbers(texts: list[str]) -> list[str]:
    """Each piece of text holding a number written the English way, with what is wrong with it."""
    found = []
    for text in texts:
        text = text.replace(TYPING_HINT, "")
        for name, pattern in WRONG.items():
            match = pattern.search(text)
            if match:
                found.append(f"{name} {match.group(0)!r} in {text[:120]!r}")
    return found


def test_the_patterns_catch_english_numbers_and_leave_indonesian_ones_codes_dates_and_times_alone():
    wrong = ["Partisipasi 3.1%", "rasio 0.9716", "1,377,828 pemilih", "12,345", "rata-rata 2.5 per TPS", "3.1 %"]
    right = [
        "Partisipasi 3,1%",
        "rasio 0,97",
        "1.377.828 pemilih",
        "pukul 10.00",
        "12.08.2024",
        "kode 36.71.01",
        "36.71.01.1007",
        "v1.2.3",
        "10.0.0.1",
        "RT 001/RW 002",
        "3671****0001",
        "12, 34",
        "1.234",
        "2,5 per TPS",
    ]
    assert all(english_numbers([text]) for text in wrong), [t for t in wrong if not english_numbers([t])]
    assert english_numbers(right) == []


@pytest.fixture(scope="module")
def crawl_city(tmp_path_factory):
    return small_city(tmp_path_factory.mktemp("numbercity"))


@pytest.fixture
def site(db, crawl_city, settings):
    """The demo's data, as for the 360 px crawl: rows, maps, visits, samples, results and an open task."""
    settings.KAWAL_PERSON_VIEW_LIMITS = dict.fromkeys(Role, 10**6)
    return demo_site(crawl_city / "dpt.csv", "rumah-angka")


def crawl(client, role: str, starts: list[str]) -> tuple[int, list[str]]:
    """Breadth-first over the role's links, one page per kind; the pages visited and the numbers found."""
    queue = list(starts)
    seen, visited, problems = {kind_of(url) for url in starts}, 0, []
    while queue and visited < MAX_PAGES:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        visited += 1
        page = VisibleText()
        page.feed(response.content.decode())
        problems += [f"[{role}] {url}: {problem}" for problem in english_numbers(page.texts)]
        for href in page.links:
            parts = urlsplit(urljoin(url, href))
            if parts.scheme or parts.netloc:
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link.startswith("/") and worth_visiting(link, role) and kind_of(link) not in seen:
                seen.add(kind_of(link))
                queue.append(link)
    return visited, problems


def test_every_page_of_every_role_writes_numbers_the_indonesian_way(client, site):
    problems, crawled = [], {}
    for role, (username, starts) in ROLES.items():
        client.logout()
        if username:
            login(client, username)
        crawled[role], found = crawl(client, role, starts)
        problems += found
    assert all(pages >= 4 for pages in crawled.values()), f"the crawl found too few pages: {crawled}"
    assert problems == [], f"{len(problems)} numbers written the English way on {crawled} pages:\n" + "\n".join(
        problems
    )


def test_a_duplicate_detail_writes_its_weights_the_readers_way_and_leaves_codes_and_addresses_alone():
    from django.template import Context, Template
    from django.utils import translation

    detail = "diduga orang yang sama dengan baris 407 (peluang >99%): nama sama (+12.9), RT sama (-3.25), JL. A NO. 1.2"
    template = Template("{% load kawal_labels %}{{ d|detail_text }}")
    with translation.override("id"):
        shown = template.render(Context({"d": detail}))
    assert "nama sama (+12,9), RT sama (-3,25), JL. A NO. 1.2" in shown and "(peluang &gt;99%)" in shown
    with translation.override("en"):
        assert "(+12.9), RT sama (-3.25)" in template.render(Context({"d": detail}))


def test_a_detail_the_engine_wrote_in_indonesian_reads_with_points_on_english_pages():
    from django.template import Context, Template
    from django.utils import translation

    detail = "nama sama (+12,9), RT sama (-3,25), JL. A NO. 1,2"
    template = Template("{% load kawal_labels %}{{ d|detail_text }}")
    with translation.override("en"):
        assert template.render(Context({"d": detail})) == "nama sama (+12.9), RT sama (-3.25), JL. A NO. 1,2"
    with translation.override("id"):
        assert template.render(Context({"d": detail})) == detail
