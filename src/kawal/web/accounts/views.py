"""Invitations: a coordinator creates a link or code on the phone; the new relawan opens it and signs up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kawal.web.accounts.forms import InvitationForm, JoinForm
from kawal.web.accounts.models import ROLE_RANK, ApiToken, Invitation, Membership, Organisation, Role
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import record
from kawal.web.security import plain_int

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from kawal.web.types import AuthedRequest

# The roles each kind of organisation holds: a KPU office has no Ormas coordinators or relawan of its own, and an
# Ormas no KPU staff, whoever invites (issue 16: the role was chosen without regard to the organisation).
ROLES_OF: dict[str, tuple[Role, Role]] = {
    Organisation.Kind.KPU: (Role.KPU_ADMIN, Role.KPU_OPERATOR),
    Organisation.Kind.ORMAS: (Role.COORDINATOR, Role.RELAWAN),
}


def _inviter(scope: Scope) -> Membership:
    """The membership to invite from: the highest one that can invite (coordinator and up)."""
    able = [m for m in scope.memberships if m.rank >= ROLE_RANK[Role.COORDINATOR]]
    if not able:
        raise PermissionDenied
    return max(able, key=lambda m: m.rank)


@login_required
def invitations(request: AuthedRequest) -> HttpResponse:
    inviter = _inviter(Scope.for_user(request.user))
    allowed = [r for r in ROLES_OF[inviter.organisation.kind] if ROLE_RANK[r] < inviter.rank]
    form = InvitationForm(request.POST or None, allowed_roles=allowed, initial={"wilayah": inviter.wilayah})
    if request.method == "POST" and form.is_valid():
        invitation = form.save(commit=False)
        if not invitation.wilayah.startswith(inviter.wilayah):
            form.add_error("wilayah", "di luar wilayah Anda")
        elif inviter.rw is not None and invitation.rw != inviter.rw:
            form.add_error("rw", f"di luar wilayah Anda: hanya RW {inviter.rw}")
        elif inviter.rt is not None and invitation.rt != inviter.rt:
            form.add_error("rt", f"di luar wilayah Anda: hanya RT {inviter.rt}")
        else:
            invitation.organisation, invitation.created_by = inviter.organisation, request.user
            invitation.save()
            record(
                "invitation.created",
                request=request,
                obj=invitation,
                organisation=inviter.organisation,
                role=invitation.role,
            )
            return redirect("invitations")
    open_invitations = Invitation.objects.filter(created_by=request.user, used_by=None).order_by("-created_at")
    return render(request, "accounts/invitations.html", {"form": form, "invitations": open_invitations})


def _hand_out_tasks(invitation: Invitation) -> None:
    """A new relawan picks up the open tasks of their area that nobody had."""
    if invitation.role != Role.RELAWAN:
        return
    from kawal.web.field.assign import assign_open_tasks
    from kawal.web.voters.models import VoterList

    office = invitation.organisation.kpu_office
    for voter_list in VoterList.objects.filter(organisation=office, status=VoterList.Status.DONE):
        assign_open_tasks(voter_list)


def accept_invitation(request: HttpRequest, code: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation, code=code)
    if not invitation.usable():
        return render(request, "accounts/invitation_used.html", status=410)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = _join(request, form, invitation.pk)
        if user is None:  # another sign-up used it a moment ago
            return render(request, "accounts/invitation_used.html", status=410)
        _hand_out_tasks(invitation)
        login(request, user)
        return redirect("home")
    return render(request, "accounts/accept.html", {"form": form, "invitation": invitation})


def _join(request: HttpRequest, form: JoinForm, invitation_pk: int) -> User | None:
    """Create the account and its membership and use the invitation up, in one transaction that holds the
    invitation's row: a second sign-up waits for the first, then finds the invitation used and makes nothing
    (None). On SQLite one writer is in at a time anyway."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation_pk)
        if not invitation.usable():
            return None
        user = form.save()
        Membership.objects.create(
            user=user,
            organisation=invitation.organisation,
            role=invitation.role,
            wilayah=invitation.wilayah,
            rw=invitation.rw,
            rt=invitation.rt,
        )
        invitation.used_by, invitation.used_at = user, timezone.now()
        invitation.save(update_fields=["used_by", "used_at"])
        record("membership.created", request=request, user=user, obj=invitation, organisation=invitation.organisation)
    return user


class LogoutView(auth_views.LogoutView):
    """Logging out also tells the browser to drop what this site kept on the device: the pages cached for
    offline work (names, addresses) and the offline queue (session.js asks first when records are unsent)."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


@login_required
def account(request: AuthedRequest) -> HttpResponse:
    """The user's own account: their API tokens (and a way to revoke them) and the second factor."""
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "accounts/account.html", {"tokens": tokens, "now": timezone.now()})


@login_required
@require_POST
def revoke_tokens(request: HttpRequest) -> HttpResponse:
    """Revoke one of the user's own tokens (``token``), or all of them: a lost phone, a device handed on. The page
    it returns to shows each token's state."""
    wanted = request.POST.get("token", "").strip()
    pk = plain_int(wanted)  # "²" passes isdigit() and fails int()
    if wanted and pk is None:
        return HttpResponse("token: nomor tidak sah", status=400)  # never read as "all of them"
    count = ApiToken.revoke_all(request.user, pk)
    record("api_token.revoked", request=request, count=count)
    return redirect("account")
