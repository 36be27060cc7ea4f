"""The kinds of violation a report can be about: data (``kawal/data/incident_categories_2024.csv``), one row per
category with its code, its label in both languages and its group. Another election ships another file and points
``KAWAL_INCIDENT_CATEGORIES`` at it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

DEFAULT = Path(__file__).resolve().parent.parent.parent / "data" / "incident_categories_2024.csv"


@dataclass(frozen=True)
class Category:
    code: str
    label_id: str
    label_en: str
    group: str

    @property
    def label(self) -> str:
        """The label in the language of the page (Indonesian unless English was chosen)."""
        return self.label_en if (get_language() or "id").startswith("en") else self.label_id


@cache
def _load(path: str) -> tuple[Category, ...]:
    with open(path, encoding="utf-8", newline="") as f:
        return tuple(Category(r["code"], r["label_id"], r["label_en"], r["group"]) for r in csv.DictReader(f))


def categories() -> tuple[Category, ...]:
    return _load(str(getattr(settings, "KAWAL_INCIDENT_CATEGORIES", "") or DEFAULT))


def by_code() -> dict[str, Category]:
    return {c.code: c for c in categories()}


def label(code: str) -> str:
    found = by_code().get(code)
    return found.label if found else code


def choices() -> list[tuple[str, str]]:
    return [(c.code, c.label) for c in categories()]
