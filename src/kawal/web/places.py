"""Pick-lists of places: people choose a kecamatan or kelurahan by its name (the code rides along as the value)
instead of typing a code, limited to the areas they work in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kawal.wilayah import registry as wilayah_registry


def _current_children(code: str) -> list[tuple[str, str]]:
    return [(u.kpu_code, u.name) for u in wilayah_registry().children(code) if u.current]


def kecamatan_in(areas: list[str]) -> list[tuple[str, str]]:
    """(code, name) of every kecamatan in or containing the given areas (kota, kecamatan or kelurahan codes)."""
    found: dict[str, str] = {}
    names = wilayah_registry().names({a[:6] for a in areas if len(a) >= 6})
    for area in areas:
        if len(area) == 4:
            found.update(_current_children(area))
        elif len(area) >= 6:
            found[area[:6]] = names[area[:6]]
    return sorted(found.items())


def kelurahan_in(areas: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Kelurahan grouped by kecamatan (for <optgroup>), only those inside the given areas."""
    groups = []
    for kode, nama in kecamatan_in(areas):
        inside = [(k, n) for k, n in _current_children(kode) if any(k.startswith(a) or a.startswith(k) for a in areas)]
        if inside:
            groups.append((nama, inside))
    return groups


class PlaceField(forms.ChoiceField):
    """A select of places that still accepts any well-formed code of its length from a link (the query is
    scoped elsewhere; a code outside the list simply finds nothing)."""

    def __init__(self, *, digits: int, **kwargs: Any) -> None:
        self.digits = digits
        super().__init__(**kwargs)

    def valid_value(self, value: str) -> bool:
        return value.isdigit() and len(value) == self.digits


def place_choices(areas: list[str], digits: int, empty: str | None = None) -> list:
    """Choices for a PlaceField: kecamatan (digits=6) or kelurahan grouped by kecamatan (digits=10)."""
    first = [("", empty if empty is not None else _("— semua —"))]
    return first + (kecamatan_in(areas) if digits == 6 else kelurahan_in(areas))


def area_choices(areas: list[str]) -> list:
    """A select of every place in the areas, by name, grouped: the areas themselves (a whole kota or kecamatan),
    their kecamatan, then the kelurahan of each kecamatan."""
    names = wilayah_registry().names(set(areas))
    whole = [(a, names[a]) for a in sorted(set(areas))]
    groups: list = [("", _("— pilih wilayah —")), (_("Seluruh wilayah"), whole)]
    kecamatan = [k for k in kecamatan_in(areas) if k not in whole]
    if kecamatan:
        groups.append((_("Kecamatan"), kecamatan))
    groups += [(_("Kelurahan di %(kec)s") % {"kec": kec}, kel) for kec, kel in kelurahan_in(areas)]
    return groups
