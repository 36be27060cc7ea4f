"""Baselines in, figures out: turnout and gap per unit, reach of sosialisasi, priorities, proposals, evaluation."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, cast

from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from kawal.engine import (
    PILKADA_2024,
    TURNOUT_TARGET,
    Fit,
    Priority,
    Reach,
    Turnout,
    allocate_dpt,
    fit_line,
    rake_votes,
    read_turnout_tallies,
)
from kawal.web.participation.models import Election, Event, TurnoutFigure
from kawal.web.voters.models import Voter, VoterList

if TYPE_CHECKING:
    from kawal.web.accounts.models import Organisation

DATA = Path(__file__).resolve().parents[2] / "data"  # kawal/data
SIREKAP_2024 = DATA / "pilkada2024_kecamatan_sirekap.csv"
UNITS_TPS = DATA / "units_tps.csv"
# KPU Kota Tangerang, plenary of 4 December 2024 (see docs/participation.md for the sources).
PLENARY_2024 = {"kode": "3671", "dpt": 1_377_828, "votes": 802_325, "valid": 758_778}
ELECTION_2024 = ("Pilkada 2024 — Wali Kota Tangerang", "walikota", PILKADA_2024.day)
REACH_ENOUGH = 5.0  # people reached per 1,000 voters above which an area no longer gets a proposal


def kecamatan_dpt(kpu: Organisation, total: int, from_list: bool = True) -> tuple[dict[str, int], str]:
    """DPT per kecamatan: from the latest DPT loaded in kawal (scaled to the official total), else (or when
    ``from_list`` is off) the official total spread by the TPS of each kecamatan. Returns the figures and where
    they came from."""
    latest = (
        VoterList.objects.filter(organisation=kpu, stage="DPT", status=VoterList.Status.DONE).order_by("-pk").first()
    )
    if latest is not None and from_list:
        counts: defaultdict[str, int] = defaultdict(int)
        for kode, n in (
            Voter.unscoped.filter(voter_list=latest).values_list("kode_kelurahan").annotate(n=Count("id")).order_by()
        ):
            if kode:
                counts[kode[:6]] += n
        if counts:
            return allocate_dpt(total, dict(counts)), f"DPT #{latest.pk} ({latest.source_name})"
    with UNITS_TPS.open(encoding="utf-8") as f:
        tps = {r["kode_kpu"]: int(r["tps_pilkada2024"]) for r in csv.DictReader(f) if r["level"] == "kecamatan"}
    return allocate_dpt(total, tps), "dibagi menurut jumlah TPS Pilkada 2024"


@transaction.atomic
def load_2024_baseline(kpu: Organisation) -> Election:
    """Kota Tangerang's real Pilkada 2024 turnout: the city on the plenary numbers, each kecamatan on Sirekap's
    valid votes (28 Nov snapshot, 2,669 of 2,706 TPS) raked to the plenary's ballots cast, over the city DPT
    spread by each kecamatan's TPS (KPU sized TPS evenly, ≈509 voters each; the shipped data has no kecamatan
    DPT, and a list loaded in kawal may be synthetic)."""
    name, pemilihan, held_on = ELECTION_2024
    election, _ = Election.objects.get_or_create(
        organisation=kpu,
        name=name,
        defaults={"pemilihan": pemilihan, "held_on": held_on, "target": TURNOUT_TARGET, "scheme": PILKADA_2024.key},
    )
    import_tallies(election, SIREKAP_2024, PLENARY_2024, dpt_from_list=False)
    return election


@transaction.atomic
def import_tallies(election: Election, path: Path, plenary: dict | None = None, dpt_from_list: bool = True) -> int:
    """Figures of one election from a Sirekap-style CSV (one row per paslon and wilayah). With ``plenary``
    (city DPT, ballots cast, valid votes) the kecamatan are raked to it; without, Sirekap's valid votes are taken
    as they are (scaled up for the TPS not yet in). Returns how many units were stored."""
    tallies = [x for x in read_turnout_tallies(path) if x.pemilihan == election.pemilihan]
    kecamatan = [x for x in tallies if len(x.kode) == 6]
    city = next((x for x in tallies if len(x.kode) == 4), None)
    total_dpt = plenary["dpt"] if plenary else None
    if total_dpt is None:
        total_dpt = (
            TurnoutFigure.objects.filter(election__organisation=election.organisation, kode=city.kode)
            .order_by("-election__held_on")
            .values_list("dpt", flat=True)
            .first()
            if city
            else None
        )
    if not kecamatan or not total_dpt:
        from kawal.i18n import KawalError

        raise KawalError(
            ("{f}: tidak ada angka kecamatan atau DPT kota", "{f}: no kecamatan figures or city DPT"), f=path.name
        )
    dpt, dpt_source = kecamatan_dpt(election.organisation, total_dpt, dpt_from_list)
    completeness = {x.kode: x.completeness for x in kecamatan}
    if plenary:
        votes = rake_votes({x.kode: x.valid for x in kecamatan}, completeness, plenary["votes"])
        method = TurnoutFigure.Method.RAKED
    else:
        votes = {x.kode: round(x.valid / x.completeness) if x.completeness else 0 for x in kecamatan}
        method = TurnoutFigure.Method.SIREKAP
    rows = [
        TurnoutFigure(
            election=election,
            kode=x.kode,
            nama=x.nama.title(),
            dpt=dpt.get(x.kode, 0),
            votes=votes[x.kode],
            valid=x.valid,
            method=method,
            dpt_source=dpt_source,
        )
        for x in kecamatan
    ]
    city_votes = plenary["votes"] if plenary else sum(votes.values())
    rows.append(
        TurnoutFigure(
            election=election,
            kode=city.kode if city else "3671",
            nama="Kota",
            dpt=total_dpt,
            votes=city_votes,
            valid=plenary["valid"] if plenary else sum(x.valid for x in kecamatan),
            method=TurnoutFigure.Method.PLENARY if plenary else method,
            dpt_source="KPU",
        )
    )
    TurnoutFigure.objects.filter(election=election).delete()
    TurnoutFigure.objects.bulk_create(rows)
    return len(rows)


def turnouts(election: Election, digits: int = 6) -> list[Turnout]:
    """The units of one level (6: kecamatan, 10: kelurahan, 4: kota): imported figures, or, for an election being
    counted in kawal, its verified tally so far (turnout over the TPS already verified)."""
    figures = [Turnout(f.kode, f.dpt, f.votes) for f in election.figures.all() if len(f.kode) == digits]
    if figures:
        return figures
    from kawal.web.results.models import TallyNode

    return [
        Turnout(n.kode, n.dpt, n.suara_total)
        for n in TallyNode.objects.filter(election=election, dpt__gt=0)
        if len(n.kode) == digits
    ]


def reach(events: QuerySet, digits: int = 6) -> dict[str, Reach]:
    """Events held and people reached per unit of the level, counting an event in the unit its target area is in
    (an event for the whole city counts for no single kecamatan)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    held = events.filter(status=Event.Status.HELD)
    for kode, n, people in (
        held.values_list("kode_wilayah").annotate(n=Count("id"), people=Sum("attendance")).order_by()
    ):
        if len(kode) >= digits:
            out[kode[:digits]][0] += n
            out[kode[:digits]][1] += people or 0
    return {k: Reach(n, people) for k, (n, people) in out.items()}


@dataclass(frozen=True)
class Proposal:
    kode: str
    needed: int
    reach_per_thousand: float
    audience: str
    starts_at: datetime


def proposals(priorities: list[Priority], planned: set[str], limit: int = 5) -> list[Proposal]:
    """Events to propose: the highest-priority units still short of the target whose reach so far is thin
    (< REACH_ENOUGH people per 1,000 voters) and that have nothing planned yet. First-time voters are the default
    audience: the group Pilkada turnout loses most."""
    saturday = _next_saturday(timezone.localdate())
    out: list[Proposal] = []
    for p in priorities:
        per_thousand = p.reach.per_thousand(p.turnout.dpt)
        if p.needed <= 0 or per_thousand >= REACH_ENOUGH or p.turnout.kode in planned:
            continue
        when = timezone.make_aware(datetime.combine(saturday + timedelta(weeks=len(out)), time(9, 0)))
        out.append(Proposal(p.turnout.kode, p.needed, per_thousand, "pemula", when))
        if len(out) == limit:
            break
    return out


def _next_saturday(today: date) -> date:
    return today + timedelta(days=(5 - today.weekday()) % 7 or 7)


@dataclass(frozen=True)
class Evaluation:
    points: list[tuple[str, float, float]]  # unit, reach per 1,000, turnout change in points
    fit: Fit | None


def evaluate(before: Election, after: Election, events: QuerySet, digits: int = 6) -> Evaluation:
    """Turnout change per unit between two elections against the sosialisasi reach between them."""
    old = {u.kode: u for u in turnouts(before, digits)}
    new = {u.kode: u for u in turnouts(after, digits)}
    window = events.filter(starts_at__date__gt=before.held_on, starts_at__date__lte=after.held_on)
    got = reach(window, digits)
    points = [
        # both rates are set: filtered just below
        (k, got.get(k, Reach()).per_thousand(new[k].dpt), 100 * (cast(float, new[k].rate) - cast(float, old[k].rate)))
        for k in sorted(old.keys() & new.keys())
        if old[k].rate is not None and new[k].rate is not None
    ]
    return Evaluation(points, fit_line([(x, y) for _k, x, y in points]))
