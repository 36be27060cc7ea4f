"""One table of plain words: every check, rule, field and logged action has a label (and checks and rules a
sentence) in both languages; numbers are written the reader's way; CSS widths always use a dot."""

import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from kawal import labels
from kawal.engine.audit.checks import registry
from kawal.engine.results.rules import lp_rules, rules
from kawal.web.voters import maps

SRC = Path(labels.__file__).resolve().parent


def test_the_labels_module_needs_no_django():
    code = "import sys, kawal.labels as l; l.table(); assert not any(m.startswith('django') for m in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize("check", [c.code for c in registry(0.0)])
def test_every_check_has_a_label_and_a_sentence_in_both_languages(check):
    for lang in ("id", "en"):
        label, sentence = labels.label("check", check, lang), labels.sentence("check", check, lang)
        assert label and check not in label and "_" not in label
        assert sentence != label and len(sentence) > 40 and check not in sentence


def test_every_rule_has_a_label_and_a_sentence():
    codes = {r.code for r in [*rules(3, 600), *lp_rules()]}
    for code in codes:
        for lang in ("id", "en"):
            assert ("rule", code) in labels.table()
            assert code not in labels.label("rule", code, lang)


def test_every_logged_action_in_the_code_has_a_label():
    """A new ``record("x.y", …)`` anywhere in the web app without a row in labels.csv fails here."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (SRC / "web").rglob("*.py"))
    actions = set(re.findall(r'record\(\s*"([a-z_]+\.[a-z_.]+)"', source))
    actions |= set(re.findall(r'^ALERT = "([a-z_.]+)"', source, re.M))
    assert len(actions) > 30
    missing = {a for a in actions if ("action", a) not in labels.table()}
    assert not missing, f"actions without a label in data/labels.csv: {sorted(missing)}"


def test_field_labels_read_like_the_form():
    assert labels.field_label("suara_paslon_1") == "Suara paslon 1"
    assert labels.field_label("tempat_lahir") == "Tempat lahir"
    assert labels.field_label("pengguna_dpt_l") == "Pemilih DPT yang memilih (laki-laki)"
    assert labels.field_label("pengguna_dpt_p", "en") == "DPT voters who voted (women)"
    assert labels.label("action", "voter.viewed") == "Melihat data pemilih"
    assert labels.label("action", "something.new") == "Something new"  # never the raw code


def test_a_rule_is_said_with_the_forms_own_numbers():
    numbers = {"suara_paslon_1": 100, "suara_paslon_2": 85, "suara_sah": 186}
    assert labels.rule_sentence("PASLON_NE_SAH", numbers) == "Suara paslon (185) ≠ suara sah (186): periksa IV dan V.A."
    big = labels.rule_sentence("PENGGUNA_NE_SUARA", {"pengguna_total": 1234, "suara_sah_dan_tidak_sah": 1235})
    assert "(1.234)" in big and "(1.235)" in big
    lp = labels.rule_sentence("LP_NE_JUMLAH", {"dpt": 10, "dpt_l": 4, "dpt_p": 5}, field="dpt")
    assert lp.startswith("Pemilih dalam DPT: laki-laki (4) + perempuan (5)")
    assert labels.rule_sentence("PASLON_NE_SAH", {}) == labels.label("rule", "PASLON_NE_SAH")  # no half sentences


def test_numbers_the_indonesian_way():
    assert labels.number(1234.5) == "1.234,5"
    assert labels.number(1234567) == "1.234.567"
    assert labels.number(1234.5, lang="en") == "1,234.5"
    assert labels.number(0.25, 2) == "0,25"
    assert labels.number(None) == "–"


def test_css_widths_have_a_dot_and_stay_within_the_track():
    assert labels.css_percent(2.34) == "2.3"
    assert labels.css_percent(5, 0) == "0" and labels.css_percent(None) == "0"
    assert labels.css_percent(130) == "100.0" and labels.css_percent(-3) == "0.0"
    with translation.override("id"):
        html = Template("{% load kawal_labels %}{{ n|css_pct:top }}|{{ n|angka:1 }}|{{ s|persen }}").render(
            Context({"n": 2.34, "top": 100, "s": 0.0234})
        )
    assert html == "2.3|2,3|2,3%"


def test_template_filters_name_codes():
    with translation.override("id"):
        html = Template(
            "{% load kawal_labels %}{{ c|check_label }}|{{ f|field_label }}|{{ a|action_label }}|{{ t|tps_label }}|"
            "{{ w|wilayah_name }}"
        ).render(
            Context({"c": "NIK_GANDA", "f": "suara_paslon_2", "a": "voter.viewed", "t": "3671051007003", "w": "367105"})
        )
    assert html == "NIK sama di beberapa baris|Suara paslon 2|Melihat data pemilih|TPS 003|Cipondoh"


def test_map_classes_do_not_split_close_values_apart():
    rates = [0.020, 0.021, 0.022, 0.025, 0.027]  # quantiles would paint 2.0% and 2.7% at opposite ends
    breaks = maps.breaks_for(rates)
    first = maps.colour(0.020, breaks)
    last = maps.colour(0.027, breaks)
    assert abs(maps.COLOURS.index(first) - maps.COLOURS.index(last)) <= 1
    assert all(b2 - b1 == pytest.approx(breaks[1] - breaks[0]) for b1, b2 in itertools.pairwise(breaks))


def test_a_map_carries_a_legend_with_values():
    drawn = maps.choropleth({"3671051007": 0.02, "3671051001": 0.1})
    classes = drawn["classes"]
    assert len(classes) == len(maps.COLOURS) and classes[0]["low"] == 0.0 and classes[-1]["high"] is None
    assert [c["high"] for c in classes[:-1]] == [c["low"] for c in classes[1:]]
    assert drawn["missing"]  # most kelurahan have no value here: the legend says grey means none
