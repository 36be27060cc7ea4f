"""What a failed job leaves in the task queue's records and in the logs: the exception's type and where it was
raised, never its text.

An exception's message can quote what the job was reading: a row of a voter list (a name, a NIK), a chat message,
a file's bytes. The task queue (django-tasks) stores ``format_exception(exc)`` in its result table and its
``task_finished`` handler logs it with the message; both would keep that text for as long as the database and the
logs live, where retention never looks. Every job is therefore wrapped: the original is logged by type with its
frames (file, line, code: no values), and the queue gets ``JobFailed`` naming only the type, raised ``from None``
so the original is not chained into the stored traceback. Messages meant for people (``KawalError``: row and
field, in Indonesian) are stored on the job's own row by the job itself, before this runs.
"""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable
from typing import ParamSpec, TypeVar

log = logging.getLogger("kawal.tasks")
P = ParamSpec("P")
R = TypeVar("R")


class JobFailed(Exception):
    """A job failed; the message is the original exception's type only."""


def frames(error: BaseException) -> str:
    """Where ``error`` was raised: each frame's file, line and code, without the message."""
    return "".join(traceback.format_tb(error.__traceback__))


def without_exception_text(func: Callable[P, R]) -> Callable[P, R]:
    """Wrap a task so that whatever it raises reaches the queue as ``JobFailed(<type>)``."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except Exception as error:
            log.error("task %s failed with %s\n%s", func.__qualname__, type(error).__name__, frames(error))
            raise JobFailed(type(error).__name__) from None

    return run


class WithoutExceptionText(logging.Filter):
    """A logging filter (on every handler kawal configures) that writes a record's exception as its type and
    frames, never its message: whatever logs an exception (Django's request errors, the task queue, a library)
    cannot copy the data it quoted into the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            record.exc_text = (
                f"Traceback (most recent call last):\n{frames(error)}{type(error).__name__} (pesan disembunyikan)"
            )
            record.exc_info = None
        return True
