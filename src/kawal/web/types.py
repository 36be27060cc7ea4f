"""Types for the checker only: import them under ``if TYPE_CHECKING:``."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``, whose user is signed in. Views take it so that mypy knows
    ``request.user`` is a ``User``; at run time it is Django's own ``HttpRequest``."""

    user: User
