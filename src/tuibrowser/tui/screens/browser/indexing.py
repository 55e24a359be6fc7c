"""Keeping the open browser in step with the index: the first build, other processes' changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on

from tuibrowser.tui import jobs
from tuibrowser.tui.messages import (
    IndexChanged,
    IndexProgress,
    IndexReady,
    NewsCounted,
)
from tuibrowser.tui.screens.browser.base import BrowserBase
from tuibrowser.tui.text import outside
from tuibrowser.tui.widgets.search_pane import Status

if TYPE_CHECKING:
    pass


class Indexing(BrowserBase):
    """The index: built or synced at start, watched while open, rebuilt when it vanishes."""

    @on(IndexProgress)
    def _index_progress(self, event: IndexProgress) -> None:
        if event.phase == "starting" or not event.total:
            text = "Indexing the corpus…"
        else:
            what = "files read" if event.phase == "reading" else "articles indexed"
            text = f"Indexing the corpus: {event.done:,} of {event.total:,} {what}"
            self.indexing = f"indexing {100 * event.done // event.total}%"
        self._status(Status(text + "  (you can type; the search runs when it is ready)", "busy"))
        self._update_location()

    @on(IndexReady)
    def _index_ready(self, event: IndexReady) -> None:
        self.index_ready = True
        self.indexing = None
        self.generation = event.generation
        self._recovering = False
        if event.report is not None and (event.report.changed or event.report.rebuilt_because):
            self.services.forget_derived()
            self.notify(f"Indexed the corpus: {event.report.summary()}", timeout=4)
            for path, why in event.report.skipped[:5]:
                self.notify(f"Skipped {outside(path)}: {outside(why)}", severity="warning", timeout=8)
        if not self.query_text.strip() and "latest" not in self._waiting:
            self._show_latest(event.latest, event.total)
        self._run_waiting()
        self._count_news()
        self._update_location()

    def _poll(self) -> None:
        if not self.index_ready or any(w.group in ("poll", "index", "curate") and w.is_running for w in self.workers):
            return
        self._start_job("poll", jobs.poll, self.services, self.generation, self.store, self)

    @on(IndexChanged)
    def _index_changed(self, event: IndexChanged) -> None:
        """Another process imported or synced (or this app did): show the new state of things."""
        index_changed = event.generation != self.generation
        self.generation = event.generation
        if index_changed:
            self.services.forget_derived()
            if self.query_text.strip():
                self._search_now()
            else:
                self._load_latest()
            if self.selected_entity and self.view == "article":
                self._reload_detail()
            if event.report is not None and event.report.changed:
                self.notify(f"The corpus changed: {event.report.summary()}", timeout=4)
        if event.state_changed:
            self._refresh_listing_marks()
        if index_changed or event.state_changed:
            self._count_news()
            from tuibrowser.tui.screens.following import FollowingScreen

            if isinstance(self.app.screen, FollowingScreen):
                self.app.screen.reload()  # an import while it is open: its counts follow
        self._update_location()

    @on(NewsCounted)
    def _news_counted(self, event: NewsCounted) -> None:
        self.news_count = event.total
        self._update_location()

    def refresh_after_import(self) -> None:
        """An import from this app finished: the poll would see it too, but not at once."""
        self.generation = None
        self._poll()
