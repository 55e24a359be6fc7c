"""A time budget for reading one file into articles: a safety net against hostile input.

Every rule that reads article text is meant to be linear, but a file is untrusted and a
missed super-linear step would hang the whole sync (and the TUI with it). So the work on
one file runs under a budget that grows with its size, and the long loops of cleaning and
entity extraction call `check()` between steps; past the deadline the file is given up
with a message that names it, and the batch goes on. Python cannot interrupt a regular
expression or a parser midway, so a budget is checked between steps, not inside them: it
bounds loops, and the linear rules bound each step.

The deadline is kept per thread (a context variable), so the TUI's worker threads and a
CLI process each have their own, and code outside a budget pays one lookup per check.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

BASE_SECONDS = 10.0
"""Budget of any file, however small."""

SECONDS_PER_MIB = 5.0
"""Added per MiB of the file: a 20 MiB file (the size limit) gets 110 s. A real article of
that size is read in well under a quarter of it on a slow machine (see bench/RESULTS.md)."""

_now = time.monotonic
"""The clock (a module attribute, so a test can make time pass without waiting)."""

_budget: ContextVar[tuple[float, float] | None] = ContextVar("tuibrowser_budget", default=None)
"""(deadline on the monotonic clock, length in seconds) of the budget in force, if any."""


class OverBudget(Exception):
    """The work on one file took longer than its budget."""

    def __init__(self, seconds: float):
        super().__init__(f"took longer than {seconds:.0f} s to read (one huge word or machine-made text?)")
        self.seconds = seconds


def seconds_for(size: int) -> float:
    """The budget of a file of `size` bytes."""
    return BASE_SECONDS + SECONDS_PER_MIB * size / (1024 * 1024)


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Run the block under a deadline `seconds` from now; `check()` raises OverBudget past it.

    A budget inside another never extends it: the earlier deadline holds.
    """
    outer = _budget.get()
    deadline = _now() + seconds
    token = _budget.set((deadline, seconds) if outer is None or deadline < outer[0] else outer)
    try:
        yield
    finally:
        _budget.reset(token)


def check() -> None:
    """Raise OverBudget when the budget in force is spent; do nothing outside a budget."""
    budget = _budget.get()
    if budget is not None and _now() > budget[0]:
        raise OverBudget(budget[1])
