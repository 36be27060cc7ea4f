"""Messages for the command line and the engine, Bahasa Indonesia first, English second.

The web app uses Django's gettext catalogues; the engine has no Django, so its user-facing words live here,
one entry per message, both languages side by side so a translator sees them together.
The language comes from ``KAWAL_LANG`` (``id`` or ``en``), else from ``LANG``, else Indonesian.
"""

from __future__ import annotations

import numbers
import os
import string

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


_SWAP_SEPARATORS = str.maketrans({",": ".", ".": ","})


def _is_number(value: object) -> bool:
    """Whether ``value`` is a number to localize: int, float, Decimal, Fraction, numpy numbers; not a bool."""
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def number(value: object, spec: str = ",", lang: str | None = None) -> str:
    """``value`` formatted with ``spec`` as Python would, written the way of ``lang`` (default: the active
    language; the web passes the request's).

    In Indonesian the thousands separator is a dot and the decimal mark a comma (``1.377.828``, ``0,9849``);
    in English they stay as Python writes them (``1,377,828``, ``0.9849``). Only numbers are localized: a
    bool or a string is formatted with ``spec`` and left as it is. For text a script reads (JSON, CSV, hashes,
    seeds, file names) use plain ``format`` instead.
    """
    text = format(value, spec)
    if (lang or language()) == "id" and _is_number(value):
        return text.translate(_SWAP_SEPARATORS)
    return text


class _LocalFormatter(string.Formatter):
    """``str.format`` whose number fields are written the active language's way (see :func:`number`)."""

    def format_field(self, value: object, format_spec: str) -> str:
        return number(value, format_spec)


_FORMATTER = _LocalFormatter()


def t(message: dict[str, str] | tuple[str, str], /, **values: object) -> str:
    """Pick the active language's text of a message and fill in its ``{placeholders}``.

    Numbers in the placeholders are written the active language's way: ``{n:,}`` gives ``1.377.828`` in
    Indonesian and ``1,377,828`` in English (see :func:`number`).
    """
    if isinstance(message, tuple):
        message = {"id": message[0], "en": message[1]}
    text = message.get(language()) or message["id"]
    return _FORMATTER.format(text, **values) if values else text


class KawalError(Exception):
    """An error a user can act on; its text is already in the user's language."""

    def __init__(self, message: tuple[str, str], **values: object) -> None:
        self.message = message
        self.values = values
        super().__init__(t(message, **values))

    def __str__(self) -> str:
        return t(self.message, **self.values)
