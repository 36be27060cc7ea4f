"""Entries in, verified results and tallies out.

A TPS counts as verified when two entries by different people agree on every number (two witnesses, or a witness
and someone keying from the photo), or when a coordinator resolves a conflict. Each person's latest entry is their
reading; earlier ones stay. When the verified numbers of a TPS change, the difference is added to its kelurahan,
kecamatan and kab/kota: one TPS update touches three rows, never the whole city.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F

from kawal.engine import NUMBERS, ancestors, check_form, paslon
from kawal.web.actionlog.models import record
from kawal.web.memo import Recent
from kawal.web.participation.models import Election
from kawal.web.photos.models import Photo
from kawal.web.results.models import ResultEntry, TallyNode, TallyVote, TpsAssignment, TpsResult

if TYPE_CHECKING:
    from django.contrib.auth.models import User

TPS_CODE = re.compile(r"[0-9]{13}")  # ASCII only: \d takes any script's digits ("١٢٣…")
MAX_COUNT = 1_000_000  # no number on a TPS form comes near; above it is a typing slip or an attack


class EntryError(ValueError):
    """An entry that cannot be recorded; the message names the field."""


def fields_of(election: Election) -> tuple[str, ...]:
    return (*(paslon(i) for i in range(1, election.paslon + 1)), *NUMBERS)


def form_flags(numbers: dict[str, int], election: Election) -> list[dict[str, str]]:
    """The consistency rules this form breaks (the engine's rule definitions, as the CLI checks them), with the
    election's own maximum per TPS and ballot reserve."""
    return check_form(numbers, election.paslon, election.max_per_tps, election.ballot_reserve)


@dataclass(frozen=True)
class EntryIn:
    client_id: str
    captured_at: datetime
    numbers: dict[str, int | None]
    photos: tuple[str, ...] = ()
    kind: str = ResultEntry.Kind.WITNESS
    extra: dict = field(default_factory=dict)


def managed_areas(user: User, election: Election) -> list[tuple[str, int | None, int | None]]:
    """(wilayah, rw, rt) the user manages for this election: coordinator or KPU memberships of the election's own
    KPU office or an Ormas partnering it."""
    from kawal.web.accounts.models import KPU_ROLES, Role
    from kawal.web.accounts.scope import Scope

    return [
        (m.wilayah, m.rw, m.rt)
        for m in Scope.for_user(user).memberships
        if m.role in (*KPU_ROLES, Role.COORDINATOR) and m.organisation.kpu_office.pk == election.organisation_id
    ]


def manages(user: User, election: Election, kode_tps: str) -> bool:
    """The TPS lies in an area the user manages for this election (a TPS has no RT: an RT-bound membership does
    not cover one)."""
    return any(kode_tps.startswith(w) and rw is None and rt is None for w, rw, rt in managed_areas(user, election))


def serves_office(user: User, election: Election) -> bool:
    """The user holds an active membership of the election's KPU office or an Ormas partnering it. An assignment
    outlives a deactivated membership; the right to enter does not."""
    from kawal.web.accounts.scope import Scope

    return any(m.organisation.kpu_office.pk == election.organisation_id for m in Scope.for_user(user).memberships)


def entry_kind(user: User, election: Election, kode_tps: str) -> str | None:
    """How this user may enter this TPS: as its assigned witness, as a coordinator or KPU staff of its area keying
    from the photo (the second, independent reading), or not at all (None). Decided by the user's active
    memberships, for the web form and the API alike; never by what the client says it is."""
    if not TPS_CODE.fullmatch(kode_tps) or not serves_office(user, election):
        return None
    if TpsAssignment.objects.filter(election=election, user=user, kode_tps=kode_tps).exists():
        return ResultEntry.Kind.WITNESS
    return ResultEntry.Kind.PHOTO if manages(user, election, kode_tps) else None


def may_enter(user: User, election: Election, kode_tps: str) -> bool:
    return entry_kind(user, election, kode_tps) is not None


class Recorded(NamedTuple):
    entry: ResultEntry
    created: bool  # False: this client_id was recorded before
    status: str  # the TPS's status after it


def record_entry(election: Election, kode_tps: str, user: User, data: EntryIn) -> Recorded:
    """Keep one entry (idempotent by client_id), then re-decide the TPS and move the tally by the difference."""
    existing = ResultEntry.objects.filter(client_id=data.client_id).first()
    if existing is not None:
        return _already(existing, election, kode_tps, user)
    if not TPS_CODE.fullmatch(kode_tps):
        raise EntryError("kode_tps: 13 digit")
    numbers = _clean_numbers(data.numbers, election)
    photos = list(Photo.objects.filter(client_id__in=list(data.photos), uploaded_by=user)) if data.photos else []
    if len(photos) != len(set(data.photos)):
        raise EntryError("foto: belum terkirim; kirim fotonya dulu")
    try:
        with transaction.atomic():
            entry = ResultEntry.objects.create(
                election=election,
                kode_tps=kode_tps,
                entered_by=user,
                client_id=data.client_id,
                kind=data.kind,
                numbers=numbers,
                flags=form_flags(numbers, election),
                captured_at=data.captured_at,
            )
            if photos:
                entry.photos.add(*photos)
            status = decide(election, kode_tps)
            details: dict[str, Any] = {
                "kode_tps": kode_tps,
                "kind": data.kind,
                "status": status,
                "flags": len(entry.flags),
            }
            record("result.entry", user=user, obj=entry, **details)  # commits with the entry
    except IntegrityError:  # the same client_id arriving twice at once: the other request won
        return _already(ResultEntry.objects.get(client_id=data.client_id), election, kode_tps, user)
    return Recorded(entry, True, status)


def _already(existing: ResultEntry, election: Election, kode_tps: str, user: User) -> Recorded:
    if (existing.entered_by_id, existing.election_id, existing.kode_tps) != (user.pk, election.pk, kode_tps):
        raise EntryError("client_id sudah dipakai untuk formulir lain")
    status = TpsResult.objects.filter(election=election, kode_tps=kode_tps).values_list("status", flat=True).first()
    return Recorded(existing, False, status or TpsResult.Status.SINGLE)


def _clean_numbers(numbers: dict, election: Election) -> dict[str, int]:
    allowed = set(fields_of(election))
    out = {}
    for key, value in numbers.items():
        if key not in allowed:
            raise EntryError(f"{key}: kolom tidak dikenal")
        if value is None or value == "":
            continue  # not reported
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
            raise EntryError(f"{key}: harus bilangan bulat 0 sampai {MAX_COUNT:,}".replace(",", "."))
        out[key] = value
    if not out:
        raise EntryError("formulir kosong")
    return out


def readings(election: Election, kode_tps: str) -> list[ResultEntry]:
    """Each person's latest entry for the TPS (a later entry replaces the same person's earlier one)."""
    latest: dict[int, ResultEntry] = {}
    for entry in ResultEntry.objects.filter(election=election, kode_tps=kode_tps).order_by("received_at", "pk"):
        latest[entry.entered_by_id] = entry
    return list(latest.values())


def decide(election: Election, kode_tps: str) -> str:
    """Re-decide one TPS from its readings; the tally follows. Returns the new status."""
    result, _ = TpsResult.objects.select_for_update().get_or_create(election=election, kode_tps=kode_tps)
    current = readings(election, kode_tps)
    resolutions = [e for e in current if e.kind == ResultEntry.Kind.RESOLUTION]
    verified, status = None, TpsResult.Status.SINGLE
    if resolutions:
        verified, status = max(resolutions, key=lambda e: (e.received_at, e.pk)).numbers, TpsResult.Status.VERIFIED
    elif len(current) >= 2:
        agreeing = _agreeing(current)
        verified, status = (agreeing, TpsResult.Status.VERIFIED) if agreeing else (None, TpsResult.Status.CONFLICT)
    old = result.verified
    result.status, result.verified = status, verified
    result.save(update_fields=["status", "verified", "updated_at"])
    if old != verified:
        move_tally(election, kode_tps, old, verified)
    return status


def _agreeing(entries: list[ResultEntry]) -> dict | None:
    """Numbers two readings agree on exactly (the most recent such pair), else None."""
    for i in range(len(entries) - 1, 0, -1):
        for j in range(i - 1, -1, -1):
            if entries[i].numbers == entries[j].numbers:
                return entries[i].numbers
    return None


TALLY_FIELDS = {
    "dpt": "dpt",
    "suara_sah": "suara_sah",
    "suara_tidak_sah": "suara_tidak_sah",
    "suara_sah_dan_tidak_sah": "suara_total",
}


def move_tally(election: Election, kode_tps: str, old: dict | None, new: dict | None) -> None:
    """Add (new − old) to the TPS's kelurahan, kecamatan and kab/kota."""
    old, new = _turnout_pair(old or {}), _turnout_pair(new or {})
    codes = ancestors(kode_tps, top=4)
    nodes = TallyNode.objects.filter(election=election, kode__in=codes)
    if nodes.count() < len(codes):  # the first TPS of a kelurahan: its nodes and their vote rows come into being
        TallyNode.objects.bulk_create([TallyNode(election=election, kode=c) for c in codes], ignore_conflicts=True)
        TallyVote.objects.bulk_create(
            [TallyVote(node=n, paslon=p) for n in nodes for p in range(1, election.paslon + 1)], ignore_conflicts=True
        )
    changes = {column: F(column) + (new.get(key, 0) - old.get(key, 0)) for key, column in TALLY_FIELDS.items()}
    changes["tps_in"] = F("tps_in") + (bool(new) - bool(old))
    nodes.update(**changes)
    for number in range(1, election.paslon + 1):
        delta = new.get(paslon(number), 0) - old.get(paslon(number), 0)
        if delta:
            TallyVote.objects.filter(node__in=nodes, paslon=number).update(votes=F("votes") + delta)
    transaction.on_commit(lambda: bump_tally_version(election.pk))


_elections = Recent(30)
_elections.forget_on_save(Election)


def election(pk: int) -> Election | None:
    """One election by id, remembered for seconds: every C.Hasil entry and tally read starts here."""
    return _elections.get(("pk", pk), lambda: Election.objects.filter(pk=pk).first())


def latest_election(pk: int | None = None) -> Election | None:
    """The election asked for, or the latest one: what the public pages and the open-data API show."""
    elections = Election.objects.order_by("-held_on", "-pk")
    return _elections.get(("public", pk), lambda: (elections.filter(pk=pk) if pk else elections).first())


TALLY_CACHE_SECONDS = 10  # an upper bound on staleness where the cache is not shared (one process per cache)


def tally_version(election_id: int) -> int:
    """Changes whenever a verified figure moves, so cached tallies are never served after it (shared cache)."""
    return cache.get(f"tally-version:{election_id}", 0)


def bump_tally_version(election_id: int) -> None:
    key = f"tally-version:{election_id}"
    try:
        cache.incr(key)
    except ValueError:  # not in the cache yet (or evicted): any new value makes old keys unreachable
        cache.set(key, secrets.randbits(31), None)


def _turnout_pair(numbers: dict) -> dict:
    """DPT and ballots cast count toward turnout only together: a form that reports one without the other would
    bias ballots ÷ DPT, so both are left out of the tally then."""
    if "dpt" in numbers and "suara_sah_dan_tidak_sah" in numbers:
        return numbers
    return {k: v for k, v in numbers.items() if k not in ("dpt", "suara_sah_dan_tidak_sah")}


def resolve(
    election: Election, kode_tps: str, user: User, numbers: dict, client_id: str, captured_at: datetime
) -> ResultEntry:
    """A coordinator settles a conflict: their numbers (usually one reading, checked against the photos) count."""
    return record_entry(
        election, kode_tps, user, EntryIn(client_id, captured_at, numbers, kind=ResultEntry.Kind.RESOLUTION)
    ).entry
