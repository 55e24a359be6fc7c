"""Open index searchers, kept between calls and refreshed when the index changes.

Opening a Whoosh searcher reads every segment's table of terms; a long-running process (the
TUI, the benchmark) that opened one per call paid that on every keystroke. A pool keeps a
few open views of the index and lends each to one thread at a time: Whoosh's readers keep
file positions, so a view is never used by two threads at once (the house rule), yet a
search in a fresh worker thread still finds one ready. A view whose index has moved on
(another process committed, a rebuild) is closed instead of lent, so nothing stale is read.

Each view also caches what queries need per segment (field lengths, deleted documents),
which is valid exactly as long as the view.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock
from typing import Any

from whoosh.searching import Searcher

from tuibrowser.core.errors import IndexProblem
from tuibrowser.core.store import INDEX_NAME, open_index

_TOC = re.compile(rf"^_{INDEX_NAME}_(\d+)\.toc$")


def index_stamp(index_dir: Path) -> tuple[int, int]:
    """(newest table-of-contents generation, its mtime): changes whenever a writer commits,
    also when a rebuild starts again from generation 0. (-1, -1) when there is no index."""
    best = (-1, -1)
    try:
        with os.scandir(index_dir) as entries:
            for entry in entries:
                match = _TOC.match(entry.name)
                if match and int(match.group(1)) >= best[0]:
                    best = (int(match.group(1)), entry.stat().st_mtime_ns)
    except OSError:
        return (-1, -1)
    return best


@dataclass(eq=False)
class IndexView:
    """One open searcher over one state of the index, and what was cached from it."""

    index_dir: Path
    searcher: Searcher
    stamp: tuple[int, int]
    cache: dict[Any, Any] = field(default_factory=dict)
    """Per-segment data derived from this searcher (field lengths, deletions)."""

    def close(self) -> None:
        self.searcher.close()


def open_view(index_dir: Path) -> IndexView:
    """A fresh view of the index (the caller closes it).

    Raises:
        IndexProblem: when there is no readable index.
    """
    from tuibrowser.core.search import weighting  # BM25F, the model every query is ranked with

    stamp = index_stamp(index_dir)
    ix = open_index(index_dir)
    return IndexView(index_dir, ix.searcher(weighting=weighting()), stamp)


@contextmanager
def one_view(index_dir: Path) -> Iterator[IndexView]:
    """A view opened for one call and closed after it (for callers without a pool)."""
    view = open_view(index_dir)
    try:
        yield view
    finally:
        view.close()


class SearcherPool:
    """Views of the index at `index_dir`, lent one thread at a time.

    At most `keep` idle views are kept; more threads at once each get a view of their own,
    closed when they give it back.
    """

    def __init__(self, index_dir: Path, keep: int = 2):
        self.index_dir = index_dir
        self.keep = keep
        self._idle: list[IndexView] = []
        self._lock = Lock()
        self._epoch = 0
        """Bumped by clear(): views lent before it are closed when they come back."""

    @contextmanager
    def view(self) -> Iterator[IndexView]:
        """Lend a current view of the index for the duration of the block.

        A view is returned to the pool only when the block ended normally: one that failed
        (a damaged segment, a vanished file) is closed, so the next call opens afresh.
        """
        stamp = index_stamp(self.index_dir)
        with self._lock:
            epoch = self._epoch
            lent = None
            while self._idle:
                candidate = self._idle.pop()
                if candidate.stamp == stamp:
                    lent = candidate
                    break
                candidate.close()
        if lent is None:
            lent = open_view(self.index_dir)
        try:
            yield lent
        except BaseException as error:
            if isinstance(error, IndexProblem) or not type(error).__module__.startswith("tuibrowser."):
                lent.close()  # damage, a vanished file, an interrupt: never lend this view again
                raise
            self._give_back(lent, epoch)  # a bad query, an unknown id: the view is fine
            raise
        self._give_back(lent, epoch)

    def _give_back(self, lent: IndexView, epoch: int) -> None:
        with self._lock:
            if epoch == self._epoch and len(self._idle) < self.keep:
                self._idle.append(lent)
                return
        lent.close()

    def clear(self) -> None:
        """Close every idle view; views in use are closed when they are given back."""
        with self._lock:
            self._epoch += 1
            idle, self._idle = self._idle, []
        for view in idle:
            view.close()


@contextmanager
def viewing(source: Path | IndexView) -> Iterator[IndexView]:
    """`source` itself when it is a view (a pooled one, lent by the caller), else a view of
    the index folder opened for this call."""
    if isinstance(source, IndexView):
        yield source
        return
    with one_view(source) as view:
        yield view
