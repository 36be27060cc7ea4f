"""Issue 18: the coklit oversight page (/pengawasan-coklit/) does not scroll sideways on a 360 px phone. Its
kecamatan and kelurahan tables (15 columns) become cards: the unit's name first, then every figure with its
column name, numbers written the Indonesian way. On a desktop they stay tables whose headers sit over their
figures."""

import uuid
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from kawal.synth.generator import generate
from kawal.web import demo
from kawal.web.field.models import FieldTask
from kawal.web.field.visits import VisitIn, record_visit
from tests.browser.conftest import SCREENSHOTS, shot
from tests.browser.support import PASSWORD, demo_accounts

pytestmark = pytest.mark.django_db(transaction=True)
WHEN = datetime(2024, 7, 30, 9, 0, tzinfo=UTC)
# Ketapang and Cipondoh Makmur (kecamatan Cipondoh), Sukarasa (kecamatan Tangerang)
KELURAHAN = {"3671051007": "Ketapang", "3671051002": "Cipondoh Makmur", "3671011001": "Sukarasa"}
TABLES = ("kecamatan", "kelurahan")

# Every element of the two tables' regions that reaches past the window, and each region's own sideways scroll.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const region of document.querySelectorAll('[aria-labelledby^="per-"]')) {
    if (region.scrollWidth > region.clientWidth) out.push(`${region.getAttribute('aria-labelledby')} scrolls`);
    for (const el of [region, ...region.querySelectorAll('*')]) {
      const box = el.getBoundingClientRect();
      if (box.width && (box.right > width + 0.5 || box.left < -0.5)) out.push(`${el.tagName} ${box.left}-${box.right}`);
    }
  }
  return out;
}"""

# Per table: for each column, the header cell's left edge and width beside those of every row's cell.
COLUMNS = """table => {
  const heads = [...table.querySelectorAll('thead th')].map(c => c.getBoundingClientRect());
  return [...table.querySelectorAll('tbody tr')].map(row => [...row.cells].map((c, i) => {
    const box = c.getBoundingClientRect();
    return [heads[i].left, heads[i].width, box.left, box.width];
  }));
}"""


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("oversightcity")
    generate(2000, seed=44, out=out)
    return out


@pytest.fixture
def visited(transactional_db, city):
    """Households visited in three kelurahan of two kecamatan: in Ketapang three, one of them without a sticker
    (33,3%), in the other two one each."""
    kpu = demo_accounts()
    voter_list = demo.load_list(kpu, city / "dpt.csv")
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    plan = [("3671051007", "tidak"), ("3671051007", "ya"), ("3671051007", "ya"), ("3671051002", "ya")]
    plan.append(("3671011001", "tidak"))
    for i, (kode, sticker) in enumerate(plan):
        task = FieldTask.unscoped.create(
            voter_list=voter_list, household=f"rumah-{i}", kode_kelurahan=kode, rw=1, rt=1, tps=1, assigned_to=relawan
        )
        data = VisitIn(
            client_id=str(uuid.uuid4()),
            recorded_at=WHEN,
            pantarlih_visited="ya",
            sticker=sticker,
            joki="tidak",
            sk_shown="ya",
        )
        record_visit(task, relawan, data)


def _open(browser, live_server, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", "admin.kpu")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/pengawasan-coklit/")
    return context, page


def test_the_tables_become_cards_on_a_360_px_phone(browser, live_server, visited):
    context, page = _open(browser, live_server, 360, 780)
    try:
        sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert sizes[0] <= sizes[1], f"the page scrolls sideways: {sizes[0]} px in {sizes[1]} px"
        assert page.evaluate(OVERFLOW) == []
        for name in TABLES:
            table = page.locator(f'table[data-table="{name}"]')
            assert not table.locator("thead").is_visible(), f"{name}: the header row shows on a phone"
            assert table.locator("tbody tr").count() == (2 if name == "kecamatan" else 3)
        card = page.locator('table[data-table="kelurahan"] tr[data-unit="3671051007"]')
        cells = card.locator("td")
        # the name first, above the figures, each of which is a line of its own
        assert cells.first.inner_text() == "Ketapang"
        tops = [cells.nth(i).bounding_box()["y"] for i in range(cells.count())]
        assert tops == sorted(tops) and len(set(tops)) == len(tops), tops
        # each figure with its column name before it (the ::before of table.cardify), the Indonesian way
        labelled = card.locator('td[data-label="Rumah tanpa stiker coklit — persen"]')
        assert labelled.inner_text() == "33,3%"
        before = labelled.evaluate("td => getComputedStyle(td, '::before').content")
        assert before not in ("none", "normal", ""), before
        assert card.locator('td[data-label="Rumah dikunjungi"]').inner_text() == "3"
        assert card.locator('td[data-label="Kode"]').inner_text() == "3671051007"
        assert cells.count() == card.locator("td[data-label]").count() + 1  # every figure is labelled
        assert all(card.locator(f'td[data-label="{label}"]').count() == 1 for label in _headers(page)[1:])
        shot(page, "oversight-360-page")
        card.screenshot(path=str(SCREENSHOTS / "oversight-360-card.png"))
    finally:
        context.close()


def _headers(page) -> list[str]:
    """The column names of the kelurahan table, as its (hidden on a phone) header row holds them."""
    return page.locator('table[data-table="kelurahan"] thead th').evaluate_all("ths => ths.map(t => t.textContent)")


def test_on_a_desktop_the_headers_sit_over_their_figures(browser, live_server, visited):
    context, page = _open(browser, live_server, 1366, 900)
    try:
        for name in TABLES:
            table = page.locator(f'table[data-table="{name}"]')
            assert table.locator("thead").is_visible()
            headers = table.locator("thead th").all_inner_texts()
            assert headers[:3] == ["Wilayah", "Kode", "Rumah dikunjungi"] and len(headers) == 15
            rows = table.evaluate(COLUMNS)
            assert rows and all(len(row) == len(headers) for row in rows)
            for row in rows:
                for head_left, head_width, left, width in row:
                    assert abs(head_left - left) < 1 and abs(head_width - width) < 1, (name, row)
            # on a desktop no cell shows its label: the header does
            before = table.locator("tbody td[data-label]").first.evaluate(
                "td => getComputedStyle(td, '::before').content"
            )
            assert before in ("none", "normal"), before
        names = page.locator('table[data-table="kelurahan"] tbody td.unit').all_inner_texts()
        assert sorted(names) == sorted(KELURAHAN.values())
    finally:
        context.close()
