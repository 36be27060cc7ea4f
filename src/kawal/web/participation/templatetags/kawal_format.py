"""Numbers as people read them: shares as percentages with one decimal, counts grouped, in the page's language.

One rule for every page: numbers follow the page's language, through :func:`kawal.labels.number` (Indonesian
17.050 and 58,2%; English 17,050 and 58.2%). Django's own grouping (``USE_THOUSAND_SEPARATOR``) stays off, so
codes, ids and SVG sizes printed with a bare ``{{ }}`` are never grouped by accident; counts go through a filter.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

from kawal import labels

if TYPE_CHECKING:
    from kawal.engine import Reach

register = template.Library()
_PERCENT_TEXT = re.compile(r"(\d+)[,.](\d+)%")  # "12,3%" as a view wrote it


@register.filter
def percent(value: float | None, decimals: int = 1) -> str:
    """0.58231 → "58,2%" (Indonesian) or "58.2%" (English); nothing → "–"."""
    if value is None or value == "":
        return "–"
    return f"{number_format(100 * float(value), decimal_pos=int(decimals))}%"


@register.filter
def per_thousand(reach: Reach, dpt: int) -> str:
    """People reached per 1,000 voters, one decimal."""
    return number_format(reach.per_thousand(int(dpt)), decimal_pos=1)


@register.filter
def cell(value: object) -> str:
    """A table cell a view filled with text: a count (17050 or "17050") → "17.050"; a percentage written
    "12,3%" → the page's way; anything else (a name, "-") as it is. Never use it on a code (kode wilayah, TPS)."""
    lang = get_language() or "id"
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return labels.number(value, None, lang)
    text = str(value).strip()
    if text.isascii() and text.isdigit() and len(text) <= 15:
        return labels.number(int(text), None, lang)
    share = _PERCENT_TEXT.fullmatch(text)
    if share:
        whole, decimals = share.groups()
        return f"{labels.number(float(f'{whole}.{decimals}'), len(decimals), lang)}%"
    return str(value)
