"""The log's head hash for the public pages, fetched only when a template shows it."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def log_head(request: HttpRequest) -> dict:
    from kawal.web.actionlog.models import head

    return {"log_head": SimpleLazyObject(lambda: head() or (0, "-"))}
