"""The search pane's side of the browser: queries, results, the newest articles, 'did you mean'."""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING

from textual import events, on
from textual.widgets import OptionList

from tuibrowser.core.errors import QueryError
from tuibrowser.core.user_state import Visit
from tuibrowser.tui import jobs
from tuibrowser.tui.messages import (
    LatestLoaded,
    MoreResultsLoaded,
    MoreResultsWanted,
    SearchCompleted,
    SearchRequested,
    SuggestionAccepted,
    SuggestionFound,
)
from tuibrowser.tui.screens.browser.base import BrowserBase
from tuibrowser.tui.text import plural
from tuibrowser.tui.widgets.search_pane import Listing, ListingItem, SearchPane, Status

if TYPE_CHECKING:
    from tuibrowser.core.library import ArticleSummary
    from tuibrowser.core.search import SearchResult


SEARCHING_AFTER = 0.3
"""Seconds a search may take before the status line says it is still searching."""

OPEN_PENDING_FOR = 3.0
"""Seconds an Enter typed before its query's results arrived is kept. Later, it opened
an article minutes after the reader had pressed it (the results waited for a rebuild of
the index), and one they had never seen."""


class Searching(BrowserBase):
    """Search as you type: one search at a time, the newest query wins, results shown."""

    @on(SearchRequested)
    def _search_requested(self, event: SearchRequested) -> None:
        if event.submitted and self._submitted == event.query:
            # A second Enter before the focus reached the results (keys typed ahead, as in
            # "query⏎⏎"): it was meant for the results list, so open the first hit.
            self._submitted = None
            self._open_when_ready = (event.query, 0, time.monotonic())
            if not self._listing_is_stale():
                self._open_pending()
            return
        self.query_text = event.query
        self._requested_at = time.perf_counter()
        self._schedule_search()
        if event.submitted:
            self._submitted = event.query
            self.action_focus_results()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget.id == "results":
            self._submitted = None  # the focus got there: the next Enter is the list's
        self._update_location()  # the result's place in the list shows while the list has the focus

    def _listing_is_stale(self) -> bool:
        """Whether the results list still shows an earlier query's hits than the one typed."""
        return self.listing is None or self.listing.query != (self.query_text if self.query_text.strip() else "")

    def _schedule_search(self) -> None:
        """Start the search after this frame: keys typed within one frame make one search."""
        if not self._search_scheduled:
            self._search_scheduled = True
            self.call_after_refresh(self._search_now)

    _requested_at = 0.0

    def _search_now(self) -> None:
        self._search_scheduled = False
        if not self.query_text.strip():
            self._load_latest()
            return
        serial = self._next_serial("search")
        self._start_job("search", jobs.run_search, self.services, self.query_text, serial, self._requested_at, self)
        self.set_timer(SEARCHING_AFTER, partial(self._say_searching, serial))

    def _say_searching(self, serial: int) -> None:
        """A search still running after a moment says so (the previous results stay meanwhile)."""
        if self._current("search", serial) and self._answered != serial and self.index_ready:
            self._status(Status(f"Searching for {self.query_text}…", "busy"))

    _answered = 0
    """The serial of the last search whose answer was shown."""

    def _load_latest(self) -> None:
        self._start_job("latest", jobs.load_latest, self.services, self._next_serial("latest"), self)

    @on(LatestLoaded)
    def _latest_loaded(self, event: LatestLoaded) -> None:
        if self._current("latest", event.serial) and not self.query_text.strip():
            self._show_latest(event.latest, event.total)

    def _show_latest(self, latest: list[ArticleSummary], total: int) -> None:
        read = self.store.read
        items = tuple(ListingItem(a.id, a.title, a.date, a.source, read=a.id in read) for a in latest)
        self._show_listing(Listing("", items, total))
        self._open_pending()
        if items and total > len(items):
            self._status(
                Status(f"{len(items):,} of {plural(total, 'article')}, newest first (search to find the rest)")
            )
        elif items:
            self._status(Status(f"{plural(len(items), 'article')}, newest first"))
        else:
            self._status(Status("The corpus is empty: import articles with Ctrl+P, then “Import files”."))

    @on(SearchCompleted)
    def _search_completed(self, event: SearchCompleted) -> None:
        if not self._current("search", event.serial) or event.query != self.query_text:
            return
        self._answered = event.serial
        pane = self.query_one(SearchPane)
        if isinstance(event.result, QueryError):
            # A bad query is explained where it was typed; the previous results stay, and
            # an Enter waiting for this query's results is dropped (it has none).
            self._failed_query = event.query
            self._open_when_ready = None
            self._status(Status(str(event.result), "error"))
            pane.set_offer(None)
            self._update_location()
            return
        self._failed_query = None
        result: SearchResult = event.result
        read = self.store.read
        items = tuple(
            ListingItem(h.id, h.title, h.date, h.source, h.snippet_text, h.snippet_marks, h.id in read)
            for h in result.hits
        )
        highlight, self._pending_highlight = self._pending_highlight, None
        # The listing is tagged with the query as typed (what staleness is judged by).
        self._show_listing(Listing(event.query, items, result.total, result.suggestion, result.notice), highlight)
        self._open_pending()
        self._cleaned_query = result.query
        self._status(Status(self._result_status(result.total, result.query, result.suggestion, result.notice)))
        pane.set_offer(result.suggestion)
        started = event.requested_at
        self.call_after_refresh(lambda: self.search_latency.append(time.perf_counter() - started))

    @on(MoreResultsWanted)
    def _more_results_wanted(self, event: MoreResultsWanted) -> None:
        listing = self.listing
        if listing is None or listing.query != event.query or len(listing.items) != event.shown:
            return
        if self._more_asked == (event.query, event.shown):
            return  # already on its way
        self._more_asked = (event.query, event.shown)
        serial = self._next_serial("more")
        self._start_job(
            "more", jobs.load_more_results, self.services, event.query, event.shown + jobs.MORE_LIMIT, serial, self
        )

    _more_asked: tuple[str, int] | None = None

    @on(MoreResultsLoaded)
    def _more_results_loaded(self, event: MoreResultsLoaded) -> None:
        listing = self.listing
        if not self._current("more", event.serial) or listing is None or listing.query != event.query:
            return
        read = self.store.read
        items = tuple(
            ListingItem(h.id, h.title, h.date, h.source, h.snippet_text, h.snippet_marks, h.id in read)
            for h in event.result.hits
        )
        if len(items) > len(listing.items):
            self._show_listing(listing._replace(items=items, total=event.result.total))

    @on(SuggestionFound)
    def _suggestion_found(self, event: SuggestionFound) -> None:
        """The "did you mean" of the results shown: the status line and Tab offer it (the list
        is left as it is: the same items are not drawn again)."""
        listing = self.listing
        if not self._current("search", event.serial) or listing is None or listing.query != event.query:
            return
        self._show_listing(listing._replace(suggestion=event.suggestion))
        self._status(Status(self._result_status(listing.total, self._cleaned_query, event.suggestion, None)))
        self.query_one(SearchPane).set_offer(event.suggestion)

    _cleaned_query = ""
    """The query of the results shown, as the core read it (the status line says it)."""

    @staticmethod
    def _result_status(total: int, query: str, suggestion: str | None, notice: str | None) -> str:
        status = f"{plural(total, 'result')} for {query}"
        if suggestion:
            return f"{status} · did you mean: {suggestion}  (Tab)"
        return f"{status} · {notice}" if notice else status

    def _open_pending(self) -> None:
        """Open the hit asked for before the results arrived (see _article_requested)."""
        pending, self._open_when_ready = self._open_when_ready, None
        if pending is None or self.listing is None or self.listing.query != pending[0]:
            return
        if time.monotonic() - pending[2] > OPEN_PENDING_FOR:
            return  # the results came too late (an index built meanwhile): the reader has moved on
        if self.listing.items and self.view == "search":
            item = self.listing.items[min(pending[1], len(self.listing.items) - 1)]
            self._commit_search()
            self.open_article(item.id)

    @on(SuggestionAccepted)
    def _suggestion_accepted(self) -> None:
        if self.listing and self.listing.suggestion:
            self.query_text = self.listing.suggestion
            self.query_one(SearchPane).set_query(self.query_text)
            self._requested_at = time.perf_counter()
            self._schedule_search()

    def _show_listing(self, listing: Listing, highlight: str | int | None = None) -> None:
        self.listing = listing
        self.query_one(SearchPane).show_listing(listing, highlight)
        if not listing.items and self.view == "search" and not self.has_class("-narrow"):
            # Wide: the reader beside the list shows the highlighted hit; with no hit, the
            # text of one from an earlier search must not stay there as if it matched.
            self._clear_preview()
        self._update_location()

    def _refresh_listing_marks(self) -> None:
        """Read marks changed (this instance or another): dim the titles read."""
        if self.listing is None:
            return
        read = self.store.read
        items = tuple(
            item if item.read == (item.id in read) else item._replace(read=item.id in read)
            for item in self.listing.items
        )
        if items != self.listing.items:
            listing = Listing(
                self.listing.query, items, self.listing.total, self.listing.suggestion, self.listing.notice
            )
            self._show_listing(listing)

    def _commit_search(self) -> None:
        """The query in the box becomes a place in the history (Enter, into the results, a hit opened)."""
        if self.query_text.strip() and self.listing is not None and self.listing.query == self.query_text:
            self._record(Visit("search", self.query_text, self.query_one(SearchPane).highlighted_index()))

    def run_search_from_palette(self, query: str) -> None:
        self.query_text = query
        self.query_one(SearchPane).set_query(query)
        self._set_view("search")
        self._requested_at = time.perf_counter()
        self._search_now()
        self.query_one("#results", OptionList).focus()
