"""The second factor in the web app: setting up an authenticator, entering its code after the password, and the
middleware that asks for it. Bearer-token API calls are not affected (tokens are issued by admins per device)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from kawal.web.accounts import totp
from kawal.web.accounts.models import TotpDevice
from kawal.web.accounts.throttle import USER_FAILURES, WINDOW, bump, count, counter_key
from kawal.web.actionlog.models import record
from kawal.web.crypto import decrypt, encrypt

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from kawal.web.types import AuthedRequest

SESSION_FLAG = "kawal_2fa"
OPEN_PATHS = ("/akun/2fa/", "/keluar/", "/masuk/", "/static/", "/i18n/", "/sw.js", "/publik/")


def required_for(user: User) -> bool:
    """Whether this user must use a second factor: staff and superusers (the admin site reaches everything) and
    the roles in ``KAWAL_2FA_ROLES``, when ``KAWAL_REQUIRE_2FA`` is on (the default in production)."""
    if not getattr(settings, "KAWAL_REQUIRE_2FA", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    roles = set(getattr(settings, "KAWAL_2FA_ROLES", ("kpu_admin", "koordinator")))
    return user.memberships.filter(active=True, role__in=roles).exists()


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.session.get(SESSION_FLAG):
            return self.get_response(request)
        if request.path.startswith(OPEN_PATHS):
            return self.get_response(request)
        device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
        if device is None and not required_for(user):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Masukkan kode autentikator dulu.")}, status=403)
        target = "two_factor_verify" if device else "two_factor_setup"
        return redirect(f"{_url(target)}?next={request.get_full_path()}")


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or "/"
    return wanted if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}) else "/"


def _check(request: HttpRequest, device: TotpDevice) -> str | None:
    """Verify the posted code against the device; returns an error message or None (and marks the session)."""
    key = counter_key("totp", str(request.user.pk))
    if count(key) >= USER_FAILURES:
        return _("Terlalu banyak kode salah. Coba lagi dalam 15 menit.")
    step = totp.matching_step(decrypt(device.secret_encrypted), request.POST.get("code", ""), device.last_used_step)
    if step is None:
        bump(key, WINDOW)
        record("login.2fa_failed", request=request)
        return _("Kode salah atau sudah dipakai.")
    device.last_used_step = step
    device.confirmed_at = device.confirmed_at or timezone.now()
    device.save(update_fields=["last_used_step", "confirmed_at"])
    request.session[SESSION_FLAG] = True
    request.session.cycle_key()
    record("login.2fa_ok", request=request)
    return None


@login_required
def setup(request: AuthedRequest) -> HttpResponse:
    device, _created = TotpDevice.objects.get_or_create(
        user=request.user, defaults={"secret_encrypted": encrypt(totp.new_secret())}
    )
    if device.confirmed_at and not request.session.get(SESSION_FLAG):
        return redirect(f"{_url('two_factor_verify')}?next={_next(request)}")
    error = None
    if request.method == "POST":
        error = _check(request, device)
        if error is None:
            return redirect(_next(request))
    secret = decrypt(device.secret_encrypted)
    uri = totp.provisioning_uri(secret, request.user.get_username())
    context = {"device": device, "secret": secret, "qr": totp.qr_svg(uri), "error": error, "next": _next(request)}
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def verify(request: AuthedRequest) -> HttpResponse:
    device = TotpDevice.objects.filter(user=request.user, confirmed_at__isnull=False).first()
    if device is None:
        return redirect(f"{_url('two_factor_setup')}?next={_next(request)}")
    error = None
    if request.method == "POST":
        error = _check(request, device)
        if error is None:
            return redirect(_next(request))
    return render(request, "accounts/two_factor_verify.html", {"error": error, "next": _next(request)})
