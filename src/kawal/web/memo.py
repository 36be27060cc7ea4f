"""A short per-process memory for the few rows every election-night request reads and that seldom change (API
tokens, elections). On this project's 2-core test machine each ORM lookup costs about 0.7 ms of CPU, a tenth of
a whole request; remembering them for seconds is what lets one server take 200 requests a second.

Entries are copies, so a request can never change what the next one sees. Saving the model in this process
forgets at once (``forget_on_save``); other processes see the change within ``seconds``.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db.models import Model
from django.db.models.signals import post_save

T = TypeVar("T")


class Recent:
    def __init__(self, seconds: float, size: int = 10_000) -> None:
        self.seconds, self.size = seconds, size
        self._items: dict[Hashable, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        """The remembered value for ``key``, or ``load()`` remembered now (None is not remembered)."""
        expires, value = self._items.get(key, (0.0, None))
        if expires > time.monotonic():
            return copy.copy(value)  # type: ignore[return-value]
        value = load()
        if value is not None:
            with self._lock:
                if len(self._items) >= self.size:  # bounded: a flood of distinct keys cannot grow it without end
                    self._items.clear()
                self._items[key] = (time.monotonic() + self.seconds, value)
        return copy.copy(value)

    def forget(self, key: Hashable | None = None) -> None:
        with self._lock:
            if key is None:
                self._items.clear()
            else:
                self._items.pop(key, None)

    def forget_on_save(self, *models: type[Model] | str) -> None:
        for model in models:
            post_save.connect(self._forget_all, sender=model, weak=False)

    def _forget_all(self, **kwargs: Any) -> None:
        self.forget()
