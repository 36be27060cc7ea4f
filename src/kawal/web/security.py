"""Security headers Django 5.2 does not set itself: a strict Content-Security-Policy (no inline script, nothing
from other sites), a referrer policy and the browser features kawal uses (camera and location, for evidence); and
the helpers that read what people type without trusting it (numbers in ASCII digits, NIK problems without the
NIK)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kawal.engine import NIK_MESSAGES, mask, parse_nik
from kawal.i18n import t

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # the pages' small inline styles; no script can run from them
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Referrer-Policy", "same-origin")
        response.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
        return response


# --- numbers typed by people ------------------------------------------------------------------------------------

MAX_DIGITS = 18  # every count and id kawal keeps fits in a signed 64-bit integer; longer text is no number of ours


def plain_int(text: object, low: int = 0, high: int = 10**MAX_DIGITS - 1) -> int | None:
    """The whole number ``text`` spells in ASCII digits, if it lies in ``[low, high]``; else None.

    ``str.isdigit`` is no test for this: ``"²"`` and Arabic-Indic digits pass it and then make ``int()`` fail
    (or, for ``"٣"``, quietly succeed), and 5,000 digits make ``int()`` refuse the conversion outright.
    """
    value = str(text).strip() if text is not None else ""
    if not value.isascii() or not value.isdigit() or len(value) > MAX_DIGITS:
        return None
    number = int(value)
    return number if low <= number <= high else None


def nik_problem(nik: str) -> str:
    """What is wrong with a NIK someone typed, in words that do not repeat it (messages travel back to phones
    and into queues; a NIK belongs in neither). The region code, which the masked form shows anyway, may stay."""
    problems = parse_nik(nik).problems
    return "; ".join(t(NIK_MESSAGES[p.reason], **{**p.values, "raw": mask(nik)}) for p in problems)
