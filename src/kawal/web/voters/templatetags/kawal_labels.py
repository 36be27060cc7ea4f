"""Template filters for plain words and honest numbers: labels from :mod:`kawal.labels`, numbers the Indonesian
way (1.234,5), CSS widths with a dot decimal, and names next to wilayah and TPS codes."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from kawal import labels
from kawal.wilayah import registry as wilayah_registry

register = template.Library()
# a field's weight in an engine's duplicate detail, "(+12.9)" or, written in Indonesian, "(+12,9)"
_WEIGHT = re.compile(r"\(([+-]\d+)[.,](\d+)\)")


def _lang() -> str:
    return get_language() or "id"


@register.filter
def check_label(code: str) -> str:
    """NIK_GANDA → "NIK sama di beberapa baris"."""
    return labels.label("check", str(code), _lang())


@register.filter
def check_sentence(code: str) -> str:
    return labels.sentence("check", str(code), _lang())


@register.filter
def rule_label(code: str) -> str:
    return labels.label("rule", str(code), _lang())


@register.filter
def field_label(code: str) -> str:
    """suara_paslon_1 → "Suara paslon 1"; tempat_lahir → "Tempat lahir"."""
    return labels.field_label(str(code), _lang())


@register.filter
def action_label(code: str) -> str:
    """voter.viewed → "Melihat data pemilih"."""
    return labels.label("action", str(code), _lang())


@register.filter
def angka(value: object, decimals: int | str | None = None) -> str:
    """A number the reader's way: 1234.5 → "1.234,5" in Indonesian; ``|angka:2`` fixes the decimals."""
    if value is None or value == "":
        return "–"
    places = int(decimals) if decimals not in (None, "") else None
    number = value if isinstance(value, int | float) else float(str(value))
    return labels.number(number, places, _lang())


@register.filter
def persen(share: float | str | None, decimals: int | str = 1) -> str:
    """A share 0–1 as a percentage: 0.0234 → "2,3%"."""
    if share is None or share == "":
        return "–"
    return f"{labels.number(100 * float(share), int(decimals), _lang())}%"


@register.filter
def detail_text(detail: object) -> str:
    """A finding's detail as the engine wrote it, with the weights of a duplicate's fields ("nama sama (+12.9)",
    or "(+12,9)" from an engine running in Indonesian) written the reader's way: "(+12,9)" in Indonesian, "(+12.9)"
    in English. Codes, dates and addresses in the text are left alone."""

    def weight(match: re.Match[str]) -> str:
        whole, decimals = match.groups()
        sign = "+" if whole.startswith("+") else ""
        return f"({sign}{angka(float(f'{whole}.{decimals}'), len(decimals))})"

    return _WEIGHT.sub(weight, str(detail))


@register.filter
def css_pct(value: object, top: object = 100) -> str:
    """``style="width:{{ n|css_pct:top }}%"``: n as a share of top, 0–100, always "2.3", never "2,3"."""
    try:
        return labels.css_percent(float(value), float(top))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "0"


@register.filter
def wilayah_name(code: object) -> str:
    """3671051007 → "Ketapang"; an unknown or empty code stands for itself."""
    text = str(code or "")
    return wilayah_registry().names({text}).get(text, text)


@register.filter
def tps_label(value: object) -> str:
    """A TPS number or 13-digit TPS code → "TPS 001" (the kelurahan is named next to it by the page)."""
    text = str(value or "")
    if not text:
        return ""
    number = text[-3:] if len(text) == 13 else text
    return f"TPS {int(number):03d}" if number.isdigit() else f"TPS {text}"


@register.filter
def poin(share: float | str | None, decimals: int | str = 1) -> str:
    """A difference of two shares in percentage points: 0.201 → "20,1 poin" (not "20,1%", which reads as a
    share of something)."""
    if share is None or share == "":
        return "–"
    return f"{labels.number(100 * float(share), int(decimals), _lang())} {'points' if _lang().startswith('en') else 'poin'}"


@register.filter
def legend_value(value: float | str | None, kind: str = "share") -> str:
    """A class limit as the map's values are: a share (2,3%), percentage points (2,3 poin) or a count (12)."""
    if kind == "count":
        return angka(value)
    return poin(value) if kind == "points" else persen(value)


@register.filter
def chart_label(svg: object, label: object) -> str:
    """Name a chart drawn by the engine (an ``<svg role="img">``) with the sentence that says what it shows, so a
    screen reader reads that sentence instead of nothing. The SVG is the engine's own output, never user input."""
    text = str(svg or "")
    named = text.replace("<svg ", f'<svg aria-label="{escape(str(label))}" ', 1)
    return mark_safe(named)  # trusted engine SVG; the label is escaped
