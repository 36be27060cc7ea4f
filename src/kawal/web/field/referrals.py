"""Two different people under one NIK: a NIK_GANDA finding confirmed in the field becomes a referral to Dukcapil
(Dinas Kependudukan dan Pencatatan Sipil), a drafted letter tracked to Dukcapil's answer. Until Dukcapil issues a
new NIK, Sidalih keeps striking one of the two as TMS 2; the referral is how the second person gets their vote.

NIK_GANDA also fires for one person registered twice, which is a TMS 2 for KPU, not a matter for Dukcapil: a
group is referred only when its rows are at least two people (:func:`people`).

Coordinators and KPU draft and follow referrals; the letter with the NIK in full is for KPU accounts only (the
letter goes from KPU to Dukcapil), everyone else reads the NIK masked.
"""

from __future__ import annotations

from datetime import date
from itertools import combinations
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from kawal.web.accounts.models import KPU_ROLES, Role
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import record
from kawal.web.crypto import decrypt
from kawal.web.field.models import DukcapilReferral
from kawal.web.field.progress import kpu_of
from kawal.web.voters.duplicate_review import latest_answers, ordered_keys
from kawal.web.voters.models import DuplicateAnswer, Finding, Voter, VoterList
from kawal.wilayah import registry as wilayah_registry

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from kawal.web.types import AuthedRequest

MANAGERS = (*KPU_ROLES, Role.COORDINATOR)


def _scope(request: HttpRequest) -> Scope:
    scope = Scope.for_user(request.user).with_roles(MANAGERS)
    if scope.empty:
        raise PermissionDenied
    return scope


def candidates(scope: Scope) -> list[dict]:
    """Confirmed NIK_GANDA findings not yet referred: one entry per list and NIK hash, with its voters."""
    confirmed = scope.findings(Finding.unscoped.all()).filter(
        check_code="NIK_GANDA", status=Finding.Status.CONFIRMED, voter__isnull=False
    )
    groups = (
        confirmed.values("audit__voter_list_id", "voter__nik_hash")
        .annotate(people=Count("voter", distinct=True))
        .filter(people__gte=2)
        .exclude(voter__nik_hash="")
    )
    referred = set(DukcapilReferral.unscoped.values_list("voter_list_id", "nik_hash"))
    found = []
    for group in groups:
        key = (group["audit__voter_list_id"], group["voter__nik_hash"])
        if key in referred:
            continue
        voters = list(
            Voter.unscoped.filter(voter_list_id=key[0], nik_hash=key[1])
            .select_related("voter_list__organisation")
            .order_by("pk")
        )
        if people(voters) >= 2:
            found.append({"voter_list_id": key[0], "nik_hash": key[1], "voters": voters})
    return found


def _identity(voter: Voter) -> tuple[str, date | None]:
    return " ".join(voter.nama.upper().split()), voter.tanggal_lahir


def people(voters: list[Voter]) -> int:
    """How many different people the rows are. Two rows are one person when the reviewers of duplicates said so
    (their latest answer, where the rows have record keys), or, unless they said "different", when the rows carry
    the same name and birth date: a second registration, not a second person."""
    if not voters:
        return 0
    office = voters[0].voter_list.organisation.kpu_office
    keyed = [
        ordered_keys(a.record_key, b.record_key) for a, b in combinations(voters, 2) if a.record_key and b.record_key
    ]
    answers = {k: found.answer for k, found in latest_answers(office.pk, keyed).items()} if keyed else {}
    root = {v.pk: v.pk for v in voters}

    def find(pk: int) -> int:
        while root[pk] != pk:
            pk = root[pk]
        return pk

    for a, b in combinations(voters, 2):
        answer = answers.get(ordered_keys(a.record_key, b.record_key)) if a.record_key and b.record_key else None
        if answer == DuplicateAnswer.Answer.SAME or (
            answer != DuplicateAnswer.Answer.DIFFERENT and _identity(a) == _identity(b)
        ):
            root[find(a.pk)] = find(b.pk)
    return len({find(v.pk) for v in voters})


def refer(voter_list: VoterList, nik_hash: str, user: User) -> DukcapilReferral:
    """Draft the referral of every voter of the list under this NIK hash."""
    voters = list(
        Voter.unscoped.filter(voter_list=voter_list, nik_hash=nik_hash)
        .select_related("voter_list__organisation")
        .order_by("pk")
    )
    if people(voters) < 2:
        raise ValueError("rujukan perlu dua orang atau lebih dengan NIK yang sama")
    with transaction.atomic():
        referral = DukcapilReferral.unscoped.create(
            voter_list=voter_list,
            kode_kelurahan=voters[0].kode_kelurahan,
            nik_hash=nik_hash,
            nik_masked=voters[0].nik_masked,
            nik_encrypted=voters[0].nik_encrypted,
            created_by=user,
        )
        referral.voters.set(voters)
    return referral


def scoped(scope: Scope) -> QuerySet:
    voters = scope.voters(Voter.unscoped.all())
    return DukcapilReferral.unscoped.filter(voters__in=voters).distinct().prefetch_related("voters")


def _reveals(scope: Scope, referral: DukcapilReferral) -> bool:
    """The NIK in full for KPU of the referral's own office and kelurahan only (the letter goes from that office)."""
    return kpu_of(scope, referral.voter_list.organisation.kpu_office, referral.kode_kelurahan)


def letter(referral: DukcapilReferral, reveal: bool) -> str:
    """The letter KPU sends to Dukcapil: the NIK, the people under it, and the request for a new NIK."""
    unit = wilayah_registry().get(referral.kode_kelurahan)
    nik = decrypt(referral.nik_encrypted) if reveal else referral.nik_masked
    people = "\n".join(
        f"  {n}. {v.nama}, lahir {v.tempat_lahir or '-'} {_born(v, reveal)}, {v.jenis_kelamin or '-'}, "
        f"{v.alamat or '-'} RT {v.rt or '-'}/RW {v.rw or '-'}"
        for n, v in enumerate(referral.voters.order_by("pk"), start=1)
    )
    return (
        f"Nomor   : {referral.letter_number or '...'}\n"
        "Perihal : Permohonan penerbitan NIK baru (satu NIK dipakai dua orang atau lebih)\n\n"
        "Kepada Yth. Kepala Dinas Kependudukan dan Pencatatan Sipil\n\n"
        f"Dalam pencocokan dan penelitian daftar pemilih di Kelurahan {unit.name if unit else ''} "
        f"({referral.kode_kelurahan}) ditemukan NIK {nik} tercatat untuk orang yang berbeda, "
        "dan hal itu telah dipastikan di lapangan:\n\n"
        f"{people}\n\n"
        "Selama NIK ganda belum diperbaiki, salah satu dari mereka tercoret sebagai TMS 2 (ganda) dan "
        "kehilangan hak pilihnya. Mohon Dukcapil memeriksa dan menerbitkan NIK baru bagi yang berhak, "
        "serta memberi tahu kami hasilnya.\n"
    )


def _born(voter: Voter, reveal: bool) -> str:
    if not voter.tanggal_lahir:
        return "-"
    return f"{voter.tanggal_lahir:%d-%m-%Y}" if reveal else f"**-**-{voter.tanggal_lahir:%Y}"


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@login_required
def referrals_page(request: AuthedRequest) -> HttpResponse:
    scope = _scope(request)
    if request.method == "POST":
        voter_list = get_object_or_404(scope.voter_lists(VoterList.objects.all()), pk=request.POST.get("list"))
        wanted = request.POST.get("nik_hash", "")
        if not any(c["nik_hash"] == wanted and c["voter_list_id"] == voter_list.pk for c in candidates(scope)):
            raise PermissionDenied
        try:
            referral = refer(voter_list, wanted, request.user)
        except IntegrityError:  # drafted by someone else a moment ago
            return redirect("dukcapil_referrals")
        record("referral.drafted", request=request, obj=referral, people=referral.voters.count())
        return redirect("dukcapil_referrals")
    referrals = list(scoped(scope).select_related("voter_list__organisation__partner_of"))
    context = {
        "candidates": candidates(scope),
        "referrals": referrals,
        "full": {r.pk for r in referrals if _reveals(scope, r)},  # whose letter this account downloads in full
        "today": timezone.localdate(),
    }
    return render(request, "field/referrals.html", context)


@login_required
def referral_update(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record the letter's number and date sent, and Dukcapil's answer with its date."""
    scope = _scope(request)
    referral = get_object_or_404(scoped(scope), pk=pk)
    if request.method != "POST":
        raise PermissionDenied
    status = request.POST.get("status", referral.status)
    if status not in DukcapilReferral.Status.values:
        return HttpResponse("status tidak dikenal", status=400)
    old = referral.status
    referral.status = status
    referral.letter_number = request.POST.get("letter_number", referral.letter_number)[:60]
    referral.sent_on = _day(request.POST.get("sent_on", "")) or referral.sent_on
    referral.answered_on = _day(request.POST.get("answered_on", "")) or referral.answered_on
    referral.answer = request.POST.get("answer", referral.answer)
    if status == DukcapilReferral.Status.ANSWERED and not (referral.answered_on and referral.answer.strip()):
        return HttpResponse("jawaban Dukcapil: isi tanggal dan isi jawabannya", status=400)
    referral.save()
    record("referral.updated", request=request, obj=referral, old=old, new=status)
    return redirect("dukcapil_referrals")


@login_required
def referral_letter(request: AuthedRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    referral = get_object_or_404(scoped(scope), pk=pk)
    reveal = _reveals(scope, referral)
    record("referral.letter", request=request, obj=referral, full=reveal)
    response = HttpResponse(letter(referral, reveal), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rujukan-dukcapil-{referral.pk}.txt"'
    return response
