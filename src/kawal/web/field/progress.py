"""How far the fieldwork has come in each kelurahan, and what is due soon: the numbers behind the progress page
and the reminders on the dashboard. Everything is counted in the database, per kelurahan, in a few queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, cast

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kawal.web.accounts.models import KPU_ROLES, Role
from kawal.web.accounts.scope import Scope
from kawal.web.field.models import FieldTask, Tanggapan, TanggapanItem, Visit
from kawal.web.field.review import confirmed_tms, latest
from kawal.web.voters.models import Voter

if TYPE_CHECKING:
    from kawal.web.accounts.models import Organisation

REMIND_DAYS = 3  # a deadline this close (or passed) shows on the dashboard
OPEN_ITEMS = (TanggapanItem.Status.DRAFT, TanggapanItem.Status.SENT)


@dataclass
class UnitProgress:
    kode: str
    tasks: int = 0
    done: int = 0
    visited: int = 0  # households with at least one current visit
    approved: int = 0  # households with an approved visit
    pantarlih_seen: int = 0  # households whose visit says the Pantarlih came
    tms: dict[int, int] = field(default_factory=dict)  # confirmed claims per TMS category
    items: int = 0
    accepted: int = 0  # tanggapan items KPU acted on

    @property
    def done_share(self) -> float | None:
        return self.done / self.tasks if self.tasks else None


def progress(tasks: QuerySet, tanggapan: QuerySet) -> dict[str, UnitProgress]:
    """Per kelurahan: tasks and how many are done, households visited and approved, confirmed TMS claims per
    category, and tanggapan items with how many KPU acted on."""
    units: dict[str, UnitProgress] = defaultdict(lambda: UnitProgress(""))
    for row in tasks.values("kode_kelurahan").annotate(
        n=Count("id"), done=Count("id", filter=Q(status=FieldTask.Status.DONE))
    ):
        unit = units[row["kode_kelurahan"]]
        unit.tasks, unit.done = row["n"], row["done"]
    visits = latest(Visit.unscoped.filter(task__in=tasks))
    for row in visits.values("task__kode_kelurahan").annotate(
        visited=Count("task", distinct=True),
        approved=Count("task", distinct=True, filter=Q(review=Visit.Review.APPROVED)),
        seen=Count("task", distinct=True, filter=Q(pantarlih_visited=Visit.Seen.YES)),
    ):
        unit = units[row["task__kode_kelurahan"]]
        unit.visited, unit.approved, unit.pantarlih_seen = row["visited"], row["approved"], row["seen"]
    _add_confirmed(units, visits)
    items = TanggapanItem.objects.filter(tanggapan__in=tanggapan)
    for row in items.values("tanggapan__kode_kelurahan").annotate(
        n=Count("id"), acted=Count("id", filter=Q(status=TanggapanItem.Status.ACTED))
    ):
        unit = units[row["tanggapan__kode_kelurahan"]]
        unit.items, unit.accepted = row["n"], row["acted"]
    for kode, unit in units.items():
        unit.kode = kode
    return dict(units)


def _add_confirmed(units: dict[str, UnitProgress], visits: QuerySet) -> None:
    claims = list(confirmed_tms(visits))
    where = dict(Voter.unscoped.filter(pk__in={c["voter_id"] for c in claims}).values_list("pk", "kode_kelurahan"))
    for claim in claims:
        tms = units[where[claim["voter_id"]]].tms
        tms[claim["tms"]] = tms.get(claim["tms"], 0) + 1


@dataclass(frozen=True)
class Reminder:
    kind: str  # "tanggapan", "jawaban" or "tugas"
    count: int
    deadline: date | None
    days_left: int | None
    link: str  # a url name
    pk: int | None = None
    kode: str = ""

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def reminders(tasks: QuerySet, tanggapan: QuerySet, answers_for_kpu: bool, today: date | None = None) -> list[Reminder]:
    """What needs doing before a deadline: tanggapan with open items near or past the end of the response period
    (for KPU accounts: items still to answer), and field tasks past their deadline."""
    today = today or timezone.localdate()
    out = []
    near = tanggapan.filter(deadline__isnull=False, deadline__lte=today + timedelta(days=REMIND_DAYS))
    statuses = (TanggapanItem.Status.SENT,) if answers_for_kpu else OPEN_ITEMS
    for t in near.annotate(open=Count("items", filter=Q(items__status__in=statuses))).filter(open__gt=0):
        kind = "jawaban" if answers_for_kpu else "tanggapan"
        out.append(
            Reminder(kind, t.open, t.deadline, (t.deadline - today).days, "tanggapan_detail", t.pk, t.kode_kelurahan)
        )
    late = tasks.filter(status=FieldTask.Status.OPEN, deadline__lt=today)
    if count := late.count():
        oldest = cast(date, late.order_by("deadline").values_list("deadline", flat=True).first())  # count > 0
        out.append(Reminder("tugas", count, oldest, (oldest - today).days, "tasks_manage"))
    return sorted(out, key=lambda r: r.days_left if r.days_left is not None else 0)


def scoped_tanggapan(scope: Scope) -> QuerySet:
    """Tanggapan of the kelurahan a user covers at kelurahan level or above (RT/RW relawan do not compile them)."""
    areas = Q(pk__in=[])
    for m in scope.memberships:
        if m.rw is None:
            areas |= Q(kode_kelurahan__startswith=m.wilayah, voter_list__organisation=m.organisation.kpu_office)
    return Tanggapan.unscoped.filter(areas)


def kpu_of(scope: Scope, office: Organisation, kode_kelurahan: str) -> bool:
    """Whether the scope answers as KPU for a kelurahan of ``office``'s lists (a tanggapan, a referral, a
    document): a KPU role of that office itself whose wilayah covers the kelurahan. A KPU account of another
    office who also coordinates an Ormas partnering this one is a coordinator here, and sees numbers masked."""
    return any(
        m.role in KPU_ROLES and m.organisation.kpu_office == office and kode_kelurahan.startswith(m.wilayah)
        for m in scope.memberships
    )


def kpu_for_tanggapan(scope: Scope, tanggapan: Tanggapan) -> bool:
    """Whether the scope is KPU of this tanggapan's own office and kelurahan: sees it in full and answers it."""
    return kpu_of(scope, tanggapan.voter_list.organisation.kpu_office, tanggapan.kode_kelurahan)


def reminders_for(scope: Scope) -> list[Reminder]:
    """The dashboard's reminders for a coordinator or KPU account; none for relawan."""
    roles = {m.role for m in scope.memberships}
    if not roles & {*KPU_ROLES, Role.COORDINATOR}:
        return []
    tasks = scope.tasks(FieldTask.unscoped.all())
    return reminders(tasks, scoped_tanggapan(scope), answers_for_kpu=bool(roles & set(KPU_ROLES)))
