"""KPU's own numbers next to the verified readings: import Sirekap (JSON or CSV in the contract's columns), and
list the TPS where they differ, largest difference first, with the photos as evidence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from django.db import transaction

from kawal.engine import READ_ERRORS, Loaded, official_numbers
from kawal.web.participation.models import Election
from kawal.web.results.models import OfficialResult, ResultEntry, TpsResult
from kawal.web.results.service import fields_of

UNREADABLE = READ_ERRORS  # what an unreadable upload raises; the views name the file instead of failing


@transaction.atomic
def import_official(election: Election, path: Path, source: str = "sirekap", within: str = "") -> Loaded:
    """Store KPU's numbers per TPS of the importer's wilayah ``within`` (replacing that source's earlier import
    there); rejects are reported, not stored."""
    loaded, columns, rows = official_numbers(path, fields_of(election), within)
    OfficialResult.objects.filter(election=election, source=source, kode_tps__startswith=within).delete()
    OfficialResult.objects.bulk_create(
        [
            OfficialResult(
                election=election,
                kode_tps=row[0],
                source=source,
                numbers={c: v for c, v in zip(columns, row[1:], strict=True) if v is not None},
            )
            for row in rows
        ],
        batch_size=2000,
    )
    return loaded


@dataclass(frozen=True)
class Discrepancy:
    kode_tps: str
    size: int  # Σ |official − verified| over the numbers both have
    fields: list[tuple[str, int, int]]  # column, official, verified (only those that differ)
    photos: list[int]


def discrepancies(election: Election, within: str = "") -> list[Discrepancy]:
    verified: dict[str, dict[str, int]] = {  # verified rows: their numbers are set
        r.kode_tps: cast(dict[str, int], r.verified)
        for r in TpsResult.objects.filter(
            election=election, status=TpsResult.Status.VERIFIED, kode_tps__startswith=within
        )
    }
    official = OfficialResult.objects.filter(election=election, kode_tps__in=list(verified)).order_by("kode_tps")
    photos: dict[str, list[int]] = {}
    for kode, photo in ResultEntry.objects.filter(election=election, kode_tps__in=list(verified)).values_list(
        "kode_tps", "photos"
    ):
        if photo:
            photos.setdefault(kode, []).append(photo)
    out = []
    for row in official:
        ours = verified[row.kode_tps]
        differing = [
            (c, row.numbers[c], ours[c])
            for c in fields_of(election)
            if c in row.numbers and c in ours and row.numbers[c] != ours[c]
        ]
        if differing:
            size = sum(abs(a - b) for _c, a, b in differing)
            out.append(Discrepancy(row.kode_tps, size, differing, sorted(set(photos.get(row.kode_tps, [])))))
    return sorted(out, key=lambda d: (-d.size, d.kode_tps))
