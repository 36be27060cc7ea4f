"""Template context: the signed-in user's scope (roles and wilayah)."""

from __future__ import annotations

from django.http import HttpRequest

from kawal.web.accounts.scope import Scope


def membership(request: HttpRequest) -> dict[str, object]:
    scope = Scope.for_user(request.user)
    return {"scope": scope, "highest_role": scope.highest_role}
