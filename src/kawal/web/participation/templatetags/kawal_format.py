"""Numbers as people read them: shares as percentages with one decimal, in the page's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.utils.formats import number_format

if TYPE_CHECKING:
    from kawal.engine.turnout import Reach

register = template.Library()


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
