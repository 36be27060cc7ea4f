"""Pilkada 2024 as the rules say, in the web app: TMS 5 is WNA (form, tanggapan), and an election's maximum per
TPS and ballot reserve are its own settings, defaulted from kawal.engine.elections and used by the C.Hasil checks
on the server and in the browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kawal.web.accounts.models import Membership, Organisation, Role
from kawal.web.field.models import TanggapanItem
from kawal.web.field.review import review
from kawal.web.field.tanggapan import compile_tanggapan
from kawal.web.field.visits import CheckIn, VisitIn, record_visit
from kawal.web.participation.models import Election
from kawal.web.results.models import TpsAssignment
from kawal.web.results.service import form_flags
from kawal.web.voters.models import Voter
from tests.web.conftest import KETAPANG, WHEN, ketapang_task, login

pytestmark = pytest.mark.django_db
CHASIL_JS = Path(__file__).resolve().parents[2] / "src" / "kawal" / "web" / "static" / "kawal" / "chasil.js"
TPS = "3671051007003"


def test_the_visit_form_offers_5_as_wna_in_both_languages(client, loaded):
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    voter = Voter.unscoped.filter(**KETAPANG).first()
    task = ketapang_task(loaded, "h-wna", [voter], relawan)
    login(client, "relawan.ketapang")
    page = client.get(reverse("visit_form", args=[task.pk])).content.decode()
    options = dict(re.findall(r'<option value="(\d)">([^<]+)</option>', page))
    assert options["5"] == "5 WNA" and options["1"] == "1 meninggal" and len(options) == 8
    assert "tidak dikenal" not in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("visit_form", args=[task.pk])).content.decode()
    assert '<option value="5">5 foreign national</option>' in page


def test_a_confirmed_wna_claim_goes_to_kpu_as_no_longer_eligible(loaded, django_user_model):
    ormas = Membership.objects.get(role=Role.RELAWAN).organisation
    second = django_user_model.objects.create(username="relawan.kedua")
    Membership.objects.create(user=second, organisation=ormas, role=Role.RELAWAN, **{"wilayah": "3671051007", "rw": 1, "rt": 1})  # fmt: skip
    first = get_user_model().objects.get(username="relawan.ketapang")
    coordinator = get_user_model().objects.get(username="koordinator.cipondoh")
    foreigner = Voter.unscoped.filter(**KETAPANG).first()
    for i, user in enumerate((first, second)):
        task = ketapang_task(loaded, f"wna{i}", [foreigner], user)
        check = CheckIn(voter_id=foreigner.pk, outcome="tms", tms=5, note="paspor, tidak punya KTP-el")
        visit = VisitIn(client_id=str(uuid.uuid4()), recorded_at=WHEN, pantarlih_visited="ya", sticker="ya", checks=(check,))  # fmt: skip
        review(record_visit(task, user, visit)[0], coordinator, "approved")
    item = compile_tanggapan(loaded, "3671051007", coordinator).items.get(voter=foreigner)
    assert item.category == TanggapanItem.Category.NOT_ELIGIBLE
    assert item.detail.startswith("TMS 5 (WNA), dikonfirmasi 2 relawan")


def _election(pemilihan: str, **settings) -> Election:
    kpu, _accounts = Organisation.objects.get_or_create(kind="kpu", defaults={"name": "KPU Kota Tangerang"})
    return Election.objects.create(
        organisation=kpu,
        name=f"{pemilihan} {uuid.uuid4()}",
        pemilihan=pemilihan,
        held_on=date(2029, 11, 28),
        **settings,
    )


def test_an_election_starts_from_the_facts_of_its_kind():
    pilkada, pemilu = _election("walikota"), _election("ppwp")
    pilkada.refresh_from_db()
    pemilu.refresh_from_db()
    assert (pilkada.scheme, pilkada.max_per_tps, pilkada.ballot_reserve) == ("pilkada2024", 600, Decimal("0.025"))
    assert (pemilu.scheme, pemilu.max_per_tps, pemilu.ballot_reserve) == ("pemilu2024", 300, Decimal("0.02"))
    assert pilkada.target == 0.8 and pilkada.tms[5].label[0] == "WNA"
    own = _election("walikota", max_per_tps=550, ballot_reserve=Decimal("0.03"))
    own.refresh_from_db()
    assert (own.max_per_tps, own.ballot_reserve) == (550, Decimal("0.03"))  # a setting, not overwritten


def test_the_server_checks_a_form_with_the_elections_own_reserve():
    form = {"dpt": 250, "suara_sah_dan_tidak_sah": 256}
    assert form_flags(form, _election("walikota")) == []  # 256 ≤ 250 + ⌈6.25⌉
    assert [f["rule"] for f in form_flags(form, _election("ppwp"))] == ["SUARA_GT_DPT"]  # 256 > 250 + 5
    strict = _election("walikota", ballot_reserve=Decimal("0.01"))
    strict.refresh_from_db()
    assert [f["rule"] for f in form_flags(form, strict)] == ["SUARA_GT_DPT"]  # 256 > 250 + 3
    wide = _election("walikota", max_per_tps=200)
    assert "DPT_GT_MAKS" in [f["rule"] for f in form_flags(form, wide)]


def test_existing_elections_are_filled_by_the_migration():
    from django.apps import apps

    migration = __import__("kawal.web.participation.migrations.0003_election_rules", fromlist=["fill_from_facts"])
    pemilu = _election("ppwp")
    Election.objects.filter(pk=pemilu.pk).update(scheme="pilkada2024", max_per_tps=600, ballot_reserve="0.025")
    migration.fill_from_facts(apps, None)
    pemilu.refresh_from_db()
    assert (pemilu.scheme, pemilu.max_per_tps, pemilu.ballot_reserve) == ("pemilu2024", 300, Decimal("0.02"))


def _entry_page(client, election) -> str:
    TpsAssignment.objects.create(
        election=election, user=get_user_model().objects.get(username="relawan.ketapang"), kode_tps=TPS
    )
    login(client, "relawan.ketapang")
    return client.get(reverse("tps_entry", args=[election.pk, TPS])).content.decode()


def test_the_entry_page_hands_the_elections_limits_to_the_script(client, loaded):
    page = _entry_page(client, _election("ppwp"))
    form = re.search(r"<form[^>]*class=\"chasil\"[^>]*>", page).group(0)
    assert 'data-max-per-tps="300"' in form and 'data-reserve-num="1"' in form and 'data-reserve-den="50"' in form
    assert 'data-reserve-text="2%"' in form
    script = CHASIL_JS.read_text(encoding="utf-8")
    assert not re.search(r"\b600\b|1\.025|RESERVE\s*=", script)  # nothing hard-coded in the browser


NODE_HARNESS = """
const fs = require("fs");
const [script, dataset, values] = [fs.readFileSync(process.argv[1], "utf8"), JSON.parse(process.argv[2]),
                                   JSON.parse(process.argv[3])];
let ready, onInput; const items = [];
const form = {dataset, elements: {client_id: {}}, addEventListener: (kind, f) => { if (kind === "input") onInput = f; },
  querySelector: (sel) => { const n = sel.match(/name="([^"]+)"/)[1]; return n in values ? {value: String(values[n])} : null; },
  querySelectorAll: () => []};
const box = {dataset: {}, querySelector: () => ({replaceChildren: (...xs) => items.push(...xs)})};
global.document = {addEventListener: (k, f) => { if (k === "DOMContentLoaded") ready = f; }, querySelector: () => form,
  querySelectorAll: () => [], getElementById: () => box, createElement: () => ({dataset: {}, append: () => {}})};
global.window = {addEventListener: () => {}};
eval(script); ready(); onInput();
console.log(JSON.stringify(items.map((i) => `${i.dataset.rule}: ${i.textContent}`)));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run the page's script")
@pytest.mark.parametrize(
    ("reserve", "votes", "fires"),
    [((1, 40), 257, False), ((1, 40), 258, True), ((1, 50), 255, False), ((1, 50), 256, True)],
)
def test_the_browser_check_rounds_the_reserve_up_like_the_server(reserve, votes, fires):
    dataset = {"paslon": "0", "maxPerTps": "600", "reserveNum": str(reserve[0]), "reserveDen": str(reserve[1]),
               "reserveText": "2,5%"}  # fmt: skip
    values = {"dpt": 250, "suara_sah_dan_tidak_sah": votes}
    run = subprocess.run(
        ["node", "-e", NODE_HARNESS, str(CHASIL_JS), json.dumps(dataset), json.dumps(values)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    flags = json.loads(run.stdout)
    assert any(f.startswith("SUARA_GT_DPT") for f in flags) is fires, flags
    over_max = subprocess.run(
        ["node", "-e", NODE_HARNESS, str(CHASIL_JS), json.dumps({**dataset, "maxPerTps": "200"}), json.dumps(values)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert any(f.startswith("DPT_GT_MAKS") and "maks=200" in f for f in json.loads(over_max.stdout))
