"""Login throttling: a password cannot be guessed by trying.

After ``USER_FAILURES`` failed logins for one user name within ``WINDOW`` seconds the name is locked for
``WINDOW`` seconds, whatever password is tried (the right one included); one address may fail ``IP_FAILURES``
times per window across all names. Counters live in the shared cache (Redis in production), so every app
process sees the same ones. Names are hashed before they become cache keys.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from kawal.web.actionlog.models import client_ip, record

USER_FAILURES = 5
IP_FAILURES = 20
WINDOW = 15 * 60


def _key(kind: str, value: str) -> str:
    return f"kawal-login-{kind}-{hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]}"


def _count(key: str) -> int:
    return int(cache.get(key, 0))


def bump(key: str, window: int) -> int:
    """Add one to a counter that lives ``window`` seconds from its first count; returns the new count."""
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def _fail(key: str) -> int:
    return bump(key, WINDOW)


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit."),
    }

    def clean(self) -> dict:
        username = self.data.get("username", "")
        ip = client_ip(self.request) or "-"
        user_key, ip_key = _key("user", username), _key("ip", ip)
        if _count(user_key) >= USER_FAILURES or _count(ip_key) >= IP_FAILURES:
            record("login.refused_locked", request=self.request)
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            data = super().clean()
        except forms.ValidationError:
            if _fail(user_key) == USER_FAILURES:
                record("login.locked", request=self.request)  # no user name: it may be someone's NIK or email
            _fail(ip_key)
            raise
        cache.delete(user_key)
        return data
