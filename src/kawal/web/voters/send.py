""" "Kirim ke relawan": turn one finding, or one person, into a household visit for the relawan of that RT.

The task is the household's own (one per household and list, as the audit's tasks are): sending again adds the
finding to it, reopens it if it was done, and keeps its relawan. A new task goes to the least-loaded relawan
whose membership covers the RT; with none, it waits unassigned on the coordinator's task page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q

from kawal.web.accounts.scope import Scope
from kawal.web.field.assign import covering_relawan
from kawal.web.field.models import FieldTask
from kawal.web.voters.models import Finding, Voter

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def send_household(voter: Voter, findings: list[Finding], scope: Scope) -> FieldTask:
    """The household task of ``voter`` with ``findings`` added, open, and given to a relawan where one covers it."""
    task, _created = FieldTask.unscoped.get_or_create(
        voter_list=voter.voter_list,
        household=voter.nkk_hash or f"v{voter.pk}",
        defaults={
            "alamat": voter.alamat,
            "kode_kelurahan": voter.kode_kelurahan,
            "rw": voter.rw,
            "rt": voter.rt,
            "tps": voter.tps,
        },
    )
    task.findings.add(*findings)
    task.status = FieldTask.Status.OPEN
    if task.assigned_to_id is None:
        task.assigned_to = least_loaded(task, scope)
    task.save(update_fields=["status", "assigned_to"])
    return task


def least_loaded(task: FieldTask, scope: Scope) -> User | None:
    """The covering relawan with the fewest open tasks (then the earliest account), or None."""
    offices = {m.organisation.kpu_office for m in scope.memberships}
    open_tasks = Count("field_tasks", filter=Q(field_tasks__status=FieldTask.Status.OPEN))
    return covering_relawan(task, offices).annotate(load=open_tasks).order_by("load", "pk").first()
