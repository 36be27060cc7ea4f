"""Login throttling: a password cannot be guessed by trying, and one person's failures cannot lock others out.

Every login path shares it, because it sits in the authentication backend (``ThrottledModelBackend``, the only
one in ``AUTHENTICATION_BACKENDS``): ``/masuk/``, ``/admin/login/`` and whatever else calls ``authenticate()``.
Counters live in the shared cache (Redis in production), so every app process sees the same ones, and run for
``WINDOW`` seconds from their first failure. The address is the true client's (``client_address.py``); the name
is normalised as Django reads it, so look-alikes share a counter. The design, and why (docs/security.md):

- one name from one address may fail ``PAIR_FAILURES`` times; then that pair is refused, right password or not;
- one address may fail ``IP_FAILURES`` times across all names; then everything from it is refused;
- a name that failed ``NAME_FAILURES`` times from all addresses together is under attack, and is slowed, never
  locked: each address may then fail it ``SLOWED_PAIR_FAILURES`` time. Its owner, on an address with no failures
  of its own, still gets in with the right password, while a spread-out guesser gets one try per address.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kawal.web.actionlog.models import record
from kawal.web.client_address import client_ip

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PAIR_FAILURES = 5
USER_FAILURES = PAIR_FAILURES  # the name the second-factor counter and older tests use
IP_FAILURES = 20
NAME_FAILURES = 10
SLOWED_PAIR_FAILURES = 1
WINDOW = 15 * 60
REFUSED_ATTRIBUTE = "kawal_login_refused"  # set on the request so the form can say why


def counter_key(kind: str, *parts: str) -> str:
    """A cache key; what it counts (names, addresses) is hashed, so the cache holds no user names."""
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
    return f"kawal-login-{kind}-{digest}"


def count(key: str) -> int:
    return int(cache.get(key, 0))


def bump(key: str, window: int, by: int = 1) -> int:
    """Add ``by`` to a counter that lives ``window`` seconds from its first count; returns the new count."""
    cache.add(key, 0, window)
    try:
        return cache.incr(key, by)
    except ValueError:  # expired between add and incr
        cache.set(key, by, window)
        return by


def normalise(username: object) -> str:
    """The name as Django compares it (stripped, NFKC: ``ｒelawan`` is ``relawan``), case-folded as well, so
    that no spelling of one name gets a counter of its own."""
    name = get_user_model().normalize_username(str(username or "")).strip()
    return unicodedata.normalize("NFKC", name.casefold())


@dataclass(frozen=True)
class Attempt:
    name: str  # normalised
    address: str

    @classmethod
    def of(cls, request: HttpRequest | None, username: object) -> Attempt:
        return cls(normalise(username), client_ip(request) or "-")

    @property
    def pair_key(self) -> str:
        return counter_key("pair", self.name, self.address)

    @property
    def name_key(self) -> str:
        return counter_key("name", self.name)

    @property
    def address_key(self) -> str:
        return counter_key("ip", self.address)


def refused(attempt: Attempt) -> bool:
    """Whether this attempt is turned away before any password is checked."""
    if count(attempt.address_key) >= IP_FAILURES:
        return True
    slowed = count(attempt.name_key) >= NAME_FAILURES
    return count(attempt.pair_key) >= (SLOWED_PAIR_FAILURES if slowed else PAIR_FAILURES)


def failed(attempt: Attempt, request: HttpRequest | None) -> None:
    """Count a wrong password; each threshold is written to the action log once (without the name: it may be
    someone's NIK or e-mail address)."""
    if bump(attempt.pair_key, WINDOW) == PAIR_FAILURES:
        record("login.locked", request=request)
    if bump(attempt.name_key, WINDOW) == NAME_FAILURES:
        record("login.name_slowed", request=request)
    if bump(attempt.address_key, WINDOW) == IP_FAILURES:
        record("login.address_locked", request=request)


def succeeded(attempt: Attempt) -> None:
    """Only the pair starts afresh: a success must not hand a guesser elsewhere a new allowance."""
    cache.delete(attempt.pair_key)


class ThrottledModelBackend(ModelBackend):
    """Django's own backend behind the throttle."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        username = username if username is not None else kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        attempt = Attempt.of(request, username)
        if refused(attempt):
            if request is not None:
                setattr(request, REFUSED_ATTRIBUTE, True)
            record("login.refused_locked", request=request)
            raise PermissionDenied  # ends authenticate() for every backend: the password is not even checked
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            failed(attempt, request)
        else:
            succeeded(attempt)
        return user


LOCKED_MESSAGE = _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit.")


class LockMessageMixin:
    """Tells a refused login apart from a wrong password (the backend cannot choose the form's message)."""

    request: HttpRequest | None  # set by the AuthenticationForm this is mixed into

    def clean(self) -> dict:
        try:
            return super().clean()  # type: ignore[misc]  # a mixin: the form after it in the MRO has clean()
        except forms.ValidationError:
            if getattr(self.request, REFUSED_ATTRIBUTE, False):
                raise forms.ValidationError(LOCKED_MESSAGE, code="locked") from None
            raise


class ThrottledAuthenticationForm(LockMessageMixin, AuthenticationForm):
    """``/masuk/``."""


class ThrottledAdminAuthenticationForm(LockMessageMixin, AdminAuthenticationForm):
    """``/admin/login/``: the same message (the throttle itself is the backend's, shared by both)."""
