"""Turn audit findings into household visits and give each to the relawan covering its RT/RW.

The most specific cover wins (a relawan of that RT, else of that RW, else of the kelurahan, else of the
kecamatan); among equals the one with the fewest open tasks. Tasks nobody covers stay unassigned for the
coordinator, and are picked up when a relawan of the area joins.
"""

from __future__ import annotations

from collections import defaultdict
from typing import cast

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q, QuerySet

from kawal.web.accounts.models import Membership, Role
from kawal.web.actionlog.models import record
from kawal.web.field.models import FieldTask
from kawal.web.voters.models import Finding, Voter, VoterList

# Findings that someone at the door can confirm or refute; format problems are fixed from the documents.
FIELD_CHECKS = (
    "PEMILIH_GANDA",
    "DI_BAWAH_UMUR",
    "USIA_TIDAK_WAJAR",
    "KK_TERPISAH",
    "TPS_TIDAK_SESUAI_RT",
    "NIK_TIDAK_COCOK",
    "DATA_TIDAK_LENGKAP",
    "NIK_GANDA",
)


@transaction.atomic
def create_tasks(voter_list: VoterList) -> int:
    """One task per household with findings to verify; returns how many were created."""
    findings = (
        Finding.unscoped.filter(audit__voter_list=voter_list, audit__superseded_at=None, check_code__in=FIELD_CHECKS)
        .exclude(voter=None)
        .exclude(kode_kelurahan="")
        .select_related("voter")
    )
    by_household: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings.iterator(chunk_size=5000):
        voter = cast(Voter, finding.voter)  # findings without a voter are excluded above
        by_household[voter.nkk_hash or f"v{voter.pk}"].append(finding)
    existing = set(FieldTask.unscoped.filter(voter_list=voter_list).values_list("household", flat=True))
    tasks = []
    for household, members in by_household.items():
        if household in existing:
            continue
        voter = cast(Voter, members[0].voter)  # as above
        tasks.append(
            FieldTask(
                voter_list=voter_list,
                household=household,
                alamat=voter.alamat,
                kode_kelurahan=voter.kode_kelurahan,
                rw=voter.rw,
                rt=voter.rt,
                tps=voter.tps,
            )
        )
    FieldTask.unscoped.bulk_create(tasks, batch_size=2000)
    created = {
        t.household: t
        for t in FieldTask.unscoped.filter(voter_list=voter_list, household__in=[t.household for t in tasks])
    }
    links = [
        FieldTask.findings.through(fieldtask_id=created[h].pk, finding_id=f.pk)
        for h, members in by_household.items()
        if h in created
        for f in members
    ]
    FieldTask.findings.through.objects.bulk_create(links, batch_size=5000)
    return len(tasks)


def _relawan(voter_list: VoterList) -> list[Membership]:
    office = voter_list.organisation
    return list(
        Membership.objects.filter(role=Role.RELAWAN, active=True)
        .filter(Q(organisation=office) | Q(organisation__partner_of=office))
        .select_related("user")
    )


def _candidates(index: dict[tuple, list[Membership]], task: FieldTask) -> list[Membership]:
    """The relawan covering the task's place most specifically: its RT, else its RW, else its kelurahan, else wider."""
    kel = task.kode_kelurahan
    for key in (
        (kel, task.rw, task.rt),
        (kel, task.rw, None),
        (kel, None, None),
        (kel[:6], None, None),
        (kel[:4], None, None),
    ):
        if index.get(key):
            return index[key]
    return []


@transaction.atomic
def assign_open_tasks(voter_list: VoterList) -> int:
    """Give every unassigned open task to the best-covering, least-loaded relawan; returns how many."""
    index: dict[tuple, list[Membership]] = defaultdict(list)
    for m in _relawan(voter_list):
        index[(m.wilayah, m.rw, m.rt)].append(m)
    if not index:
        return 0
    open_tasks = FieldTask.unscoped.filter(voter_list=voter_list, status=FieldTask.Status.OPEN)
    load = dict(open_tasks.exclude(assigned_to=None).values_list("assigned_to").annotate(n=Count("id")).order_by())
    changed = []
    for task in open_tasks.filter(assigned_to=None):
        candidates = _candidates(index, task)
        if not candidates:
            continue
        chosen = min(candidates, key=lambda m: (load.get(m.user_id, 0), m.user_id))
        task.assigned_to_id = chosen.user_id
        load[chosen.user_id] = load.get(chosen.user_id, 0) + 1
        changed.append(task)
    FieldTask.unscoped.bulk_update(changed, ["assigned_to"], batch_size=2000)
    if changed:
        record("tasks.assigned", obj=voter_list, organisation=voter_list.organisation, tasks=len(changed))
    return len(changed)


def covering_relawan(task: FieldTask, offices: set) -> QuerySet:
    """Users a coordinator may give ``task`` to by hand: relawan of ``offices`` (or Ormas partnering them) whose
    active membership covers the task's place, RW and RT included. A relawan of another RT would be handed the
    names and addresses of households outside their own area (issue 16); the form offers only these, and a
    posted id outside them is refused as an invalid choice."""
    kel = task.kode_kelurahan
    same_membership = (  # one filter() call: every condition holds for the same membership row
        (Q(memberships__organisation__in=offices) | Q(memberships__organisation__partner_of__in=offices))
        & Q(memberships__role=Role.RELAWAN, memberships__active=True)
        & Q(memberships__wilayah__in=[kel[:n] for n in (2, 4, 6, 10) if len(kel) >= n])
        & (Q(memberships__rw=None) | Q(memberships__rw=task.rw))
        & (Q(memberships__rt=None) | Q(memberships__rt=task.rt))
    )
    return get_user_model().objects.filter(same_membership).distinct()
