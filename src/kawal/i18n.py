"""Messages for the command line and the engine, Bahasa Indonesia first, English second.

The web app uses Django's gettext catalogues; the engine has no Django, so its user-facing words live here,
one entry per message, both languages side by side so a translator sees them together.
The language comes from ``KAWAL_LANG`` (``id`` or ``en``), else from ``LANG``, else Indonesian.
"""

from __future__ import annotations

import os

LANGUAGES = ("id", "en")

_current: str | None = None


def language() -> str:
    """The active language code: ``id`` or ``en``."""
    if _current:
        return _current
    wanted = os.environ.get("KAWAL_LANG") or ""
    if wanted[:2] in LANGUAGES:
        return wanted[:2]
    return "id"


def set_language(code: str | None) -> None:
    """Force a language for this process (``None`` goes back to the environment)."""
    global _current
    if code is not None and code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; choose from {LANGUAGES}")
    _current = code


def t(message: dict[str, str] | tuple[str, str], /, **values: object) -> str:
    """Pick the active language's text of a message and fill in its ``{placeholders}``."""
    if isinstance(message, tuple):
        message = {"id": message[0], "en": message[1]}
    text = message.get(language()) or message["id"]
    return text.format(**values) if values else text


class KawalError(Exception):
    """An error a user can act on; its text is already in the user's language."""

    def __init__(self, message: tuple[str, str], **values: object) -> None:
        self.message = message
        self.values = values
        super().__init__(t(message, **values))

    def __str__(self) -> str:
        return t(self.message, **self.values)
