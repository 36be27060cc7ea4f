"""The versioned JSON API (``/api/v1/``, OpenAPI at ``/api/v1/openapi.json``): what the pages show, with the
same scoping. Authenticate with a session or ``Authorization: Bearer <token>`` (``kawal manage create_token``).

This module holds the ``NinjaAPI`` object, its auth and its last-resort error handler; each web app keeps its own
endpoints and schemas in ``<app>/api.py`` as a ``router``, mounted at the end of this file. The bounds on input and
the helpers the routers share are in ``api_types.py``."""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DataError
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth
from pydantic import ValidationError as SchemaError

from kawal.web.accounts.models import ApiToken
from kawal.web.memo import Recent

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

TOKEN_CACHE_SECONDS = 30  # a revoked token or deactivated account stops working within this (docs/security.md)
_tokens = Recent(TOKEN_CACHE_SECONDS)
_tokens.forget_on_save(ApiToken, settings.AUTH_USER_MODEL)  # revoked or deactivated here: at once


@dataclass(frozen=True)
class _Holder:
    """What is remembered of a token: its user, and when it expires (checked on every use, so a remembered token
    stops at its expiry to the second, not up to 30 seconds later)."""

    user: User
    expires_at: datetime


class BearerToken(HttpBearer):
    """``Authorization: Bearer kwl_…``; the lookup is remembered for a few seconds per process (``memo.py``).
    An unknown, revoked or expired token answers 401."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        key_hash = ApiToken.hash(token)
        held = _tokens.get(key_hash, lambda: _token_holder(key_hash))
        if held is None or held.expires_at <= timezone.now():
            return None
        user = copy.copy(held.user)  # the remembered user is shared: each request gets its own
        request.user = user
        return user


def _token_holder(key_hash: str) -> _Holder | None:
    now = timezone.now()
    found = ApiToken.objects.filter(key_hash=key_hash, revoked=False, expires_at__gt=now).select_related("user").first()
    if found is None or not found.user.is_active:
        return None
    if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=5):  # not a write per request
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return _Holder(found.user, found.expires_at)


api = NinjaAPI(title="kawal", version="1", urls_namespace="api-v1", auth=[BearerToken(), django_auth])


@api.exception_handler(ValueError)
@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def unreadable_input(request: HttpRequest, error: Exception) -> object:
    """The last guard: a value the schemas let through that still cannot be converted or stored (a number the
    database cannot hold, a date that overflows) is the client's input, so it answers 422, never a traceback.
    Only the exception's type is logged: its text may quote the value, and values may be personal data."""
    if isinstance(error, SchemaError):
        raise error  # a response that does not fit its own schema is our bug: let it be a 500
    logger.warning("API input refused: %s at %s", type(error).__name__, request.path)
    return api.create_response(request, {"detail": "masukan tidak dapat diproses"}, status=422)


# --- the routers, one per web app. Every path is a contract (phones hold queued requests for them): the routers
# mounted at "" write their paths in full, as they were when all endpoints lived in this file. -----------------
api.add_router("", "kawal.web.voters.api.router")  # /lists, /findings, /voters/{id}, /summary
api.add_router("", "kawal.web.field.api.router")  # /tasks, /tasks/{id}/visits
api.add_router("", "kawal.web.photos.api.router")  # /photos
api.add_router("", "kawal.web.sampling.api.router")  # /sample-units/{id}/observations
api.add_router("", "kawal.web.results.api.router")  # /tps/{election}/{kode_tps}/entries
api.add_router("", "kawal.web.public.api.router")  # /tally (no auth)
api.add_router("/incidents", "kawal.web.incidents.api.router")  # incident reports (issue 20)
