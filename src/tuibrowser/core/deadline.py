"""How long one search may run, and whether its caller still wants it.

Every search gets a deadline and, optionally, a cancellation check (the TUI passes one so a
stale search stops as soon as a newer query is typed). Both are checked between steps of
the work, never inside Whoosh's own loops: often enough that a search stops within a few
milliseconds of being cancelled, rarely enough to cost nothing measurable.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from tuibrowser.core.errors import SearchCancelled

SEARCH_SECONDS = 3.0
"""A search that takes longer stops and returns what it found, saying so."""


class OutOfTime(Exception):
    """The search reached its deadline (caught by the search, which says so in its notice)."""


@dataclass(frozen=True, slots=True)
class Deadline:
    """When a search must stop, and who may stop it sooner."""

    until: float
    """On the monotonic clock."""
    cancelled: Callable[[], bool] | None = None
    """True once the caller no longer wants the result (e.g. `threading.Event().is_set`)."""
    seconds: float = SEARCH_SECONDS

    @classmethod
    def start(cls, seconds: float = SEARCH_SECONDS, cancelled: Callable[[], bool] | None = None) -> Deadline:
        return cls(time.monotonic() + seconds, cancelled, seconds)

    def check(self) -> None:
        """Raise SearchCancelled when the caller gave up, OutOfTime past the deadline."""
        if self.cancelled is not None and self.cancelled():
            raise SearchCancelled("the search was cancelled")
        if time.monotonic() > self.until:
            raise OutOfTime(self.seconds)
