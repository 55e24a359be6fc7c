"""The browser's main screen: search pane, reader, entity view and sidebar, and the state behind them.

The screen owns the state (which view is shown; the query and its results; the open
article and the cursor in it; the selected entity; the entity in view) and is the only place
that changes it. Widgets post requests upward; the screen runs the slow part as a job in a
thread worker (`tui/jobs.py`), and when the job's result message arrives it updates its
state and pushes it down into the widgets, which draw from it. Every request carries a
serial number, so a result overtaken by a newer request is dropped, never shown.

Navigation follows what terminal readers (newsboat) taught their users: `q` goes up one
level and quits at the top, `Q` and Ctrl+Q quit from anywhere, Escape leaves the query box;
back and forward (`[` `]`, Backspace, Alt+arrows) move through searches, articles and entity
views and land on the list or the reader, never in the query box.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, OptionList
from textual.worker import Worker, WorkerState

from tuibrowser.core import trail
from tuibrowser.core.citations import citation, paragraph_span, sentence_span
from tuibrowser.core.errors import IndexLocked, IndexProblem, QueryError
from tuibrowser.core.paths import data_dir
from tuibrowser.core.trail import TrailEvent
from tuibrowser.core.user_state import Visit
from tuibrowser.tui import jobs
from tuibrowser.tui.messages import (
    ArticleLoaded,
    ArticleRequested,
    EntityHighlighted,
    EntityPageLoaded,
    EntityRequested,
    IndexChanged,
    IndexProgress,
    IndexReady,
    LatestLoaded,
    NextArticleFound,
    SearchCompleted,
    SearchRequested,
    StateSaved,
    SuggestionAccepted,
)
from tuibrowser.tui.text import outside, plural
from tuibrowser.tui.widgets.entity_sidebar import EntitySidebar
from tuibrowser.tui.widgets.entity_view import EntityView
from tuibrowser.tui.widgets.key_hints import KeyHints
from tuibrowser.tui.widgets.location_bar import Location, LocationBar
from tuibrowser.tui.widgets.reader import ArticleReader, Cursor
from tuibrowser.tui.widgets.search_pane import Listing, ListingItem, SearchPane, Status
from tuibrowser.tui.widgets.timeline import Line, TimelineView

if TYPE_CHECKING:
    from textual.timer import Timer

    from tuibrowser.core.article import Article
    from tuibrowser.core.entities.timeline import Timeline
    from tuibrowser.core.library import ArticleSummary
    from tuibrowser.core.search import SearchResult
    from tuibrowser.core.services import EntityPage, OpenedArticle, Services
    from tuibrowser.core.settings import Settings
    from tuibrowser.core.user_state import StateStore

SAVE_DELAY = 0.5
"""Seconds of quiet before the user's state is saved (changes in a burst make one write)."""


class MainScreen(Screen[None]):
    """Search pane, reader (or entity view) and entity sidebar; one pane at a time when narrow."""

    BINDINGS = [
        Binding("q", "up", "Up a level: article to results; quit at the results", id="main.up"),
        Binding("Q", "app.quit", "Quit", id="main.quit", show=False),
        Binding("escape", "escape", "Leave the query box; close the panel; up a level", id="main.escape", show=False),
        Binding("slash", "focus_search", "New search (the query box, old query selected)", id="main.focus-search"),
        Binding("left_square_bracket,backspace,alt+left", "back", "Back", id="main.back"),
        Binding("right_square_bracket,alt+right", "forward", "Forward", id="main.forward"),
        Binding("e", "toggle_entities", "The article's entities (sidebar)", id="main.entities"),
        Binding("r", "focus_reader", "Back to the reader", id="main.focus-reader", show=False),
        Binding("b", "bookmark", "Bookmark (or unmark) this article or entity", id="main.bookmark"),
        Binding("B", "places", "Bookmarks and history", id="main.places"),
        Binding("question_mark", "app.help", "Keys for this pane", id="main.help-key", show=False),
        Binding("tab", "app.focus_next", "Next pane", id="main.next-pane", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous pane", id="main.previous-pane", show=False),
    ]

    POLL_SECONDS = 2.0
    """How often to look for changes made by other processes (a directory listing and a stat)."""

    def __init__(self, services: Services, settings: Settings, store: StateStore) -> None:
        super().__init__()
        self.services = services
        self.settings = settings
        self.store = store
        self.view = "search"
        """What the center shows (and, narrow, the one pane shown): "search", "article", "entity"."""
        self.query_text = ""
        """The query in the box, as searched (or about to be)."""
        self.listing: Listing | None = None
        self.opened: OpenedArticle | None = None
        self.cursor: Cursor | None = None
        self.selected_entity: str | None = None
        self.detail: EntityPage | None = None
        """The selected entity's page, for the sidebar."""
        self.page: EntityPage | None = None
        """The entity view's entity."""
        self.index_ready = False
        self.indexing: str | None = None
        """What the index is doing, for the location bar ("indexing 40%")."""
        self.generation: tuple[int, int] | None = None
        self.search_latency: list[float] = []
        """Seconds from a query change to its results on screen (bench/bench_tui.py reads it)."""
        self._serials: dict[str, int] = {}
        self._search_scheduled = False
        self._save_timer: Timer | None = None
        self._retry: Callable[[], None] | None = None
        self._recovering = False
        self._reported: set[str] = set()
        self._pending_highlight: int | None = None
        """The result row to highlight when the search under way arrives (going back to it)."""
        self.last_citation: str | None = None
        self._submitted: str | None = None
        """A query submitted with Enter whose results have not taken the focus yet."""
        self._open_when_ready: int | None = None
        """A result row chosen before its results arrived: opened when they do."""
        self.pinned: Line | None = None
        """A timeline kept on screen to compare with the next entity's."""
        self.timelines: dict[str, Timeline] = {}
        """Entities' whole timelines (a page limited to some dates carries only its part)."""

    def compose(self) -> ComposeResult:
        yield LocationBar(id="location")
        with Horizontal(id="main"):
            yield SearchPane(id="search-pane", search_as_you_type=self.settings.search_as_you_type)
            with ContentSwitcher(id="center", initial="reader"):
                yield ArticleReader(id="reader")
                yield EntityView(id="entity-view")
            yield EntitySidebar(id="sidebar")
        yield KeyHints(id="key-hints")

    def on_mount(self) -> None:
        self._set_view("search")
        self.query_one("#query", Input).focus()
        self._status(Status("Opening the index…", "busy"))
        # After the first frame: the job imports Whoosh, which would compete for the GIL.
        self.call_after_refresh(self._start_job, "index", jobs.prepare_index, self.services, self)
        self.set_interval(self.POLL_SECONDS, self._poll)

    # Jobs and their failures.

    def _next_serial(self, group: str) -> int:
        self._serials[group] = self._serials.get(group, 0) + 1
        return self._serials[group]

    def _current(self, group: str, serial: int) -> bool:
        return self._serials.get(group) == serial

    def _start_job(self, group: str, job: Callable[..., None], *args: object) -> Worker[None]:
        """Run a job in a thread; a newer job of the same group cancels the older one."""
        return self.run_worker(
            partial(job, *args), name=group, group=group, thread=True, exclusive=True, exit_on_error=False
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Turn a failed job into a message, never a crash (harlequin's handle_worker_error)."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        group = event.worker.group
        if _index_gone(error):
            self._recover(group, error)
            return
        if group == "index":
            self.indexing = None
            self._status(Status(f"Cannot open the index: {_describe(error)}", "error"))
            self.notify(f"Cannot open the index: {_describe(error)}", severity="error", timeout=15)
        elif group == "poll":
            self._report_once(f"Looking for outside changes failed: {_describe(error)}")
        elif group == "save":
            self._report_once(f"Cannot save your reading state: {_describe(error)}")
        else:
            self.notify(f"Something went wrong ({group}): {_describe(error)}", severity="error", timeout=8)
        self._update_location()

    def _recover(self, group: str | None, error: BaseException | None) -> None:
        """The index vanished or broke under us: rebuild it, then redo what failed."""
        retry = {
            "search": lambda: self._search_now(),
            "latest": self._load_latest,
            "article": self._reload_article,
            "entity": self._reload_entity,
            "detail": self._reload_detail,
        }.get(group or "")
        if retry is not None:
            self._retry = retry
        if self._recovering:
            return
        self._recovering = True
        self.index_ready = False
        self.indexing = "rebuilding the index"
        self._status(Status(f"The index is unavailable ({_describe(error)}); rebuilding it…", "busy"))
        self._update_location()
        self._start_job("index", jobs.prepare_index, self.services, self)

    def _report_once(self, message: str) -> None:
        if message not in self._reported:
            self._reported.add(message)
            self.notify(message, severity="warning", timeout=8)

    # The index: built or synced at start, watched while open.

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
        retry, self._retry = self._retry, None
        if self.query_text.strip():
            self._search_now()
        else:
            self._show_latest(event.latest)
        if retry is not None and retry not in (self._search_now, self._load_latest):
            retry()
        self._update_location()

    def _poll(self) -> None:
        if not self.index_ready or any(w.group in ("poll", "index") and w.is_running for w in self.workers):
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
        self._update_location()

    def refresh_after_import(self) -> None:
        """An import from this app finished: the poll would see it too, but not at once."""
        self.generation = None
        self._poll()

    # Search.

    @on(SearchRequested)
    def _search_requested(self, event: SearchRequested) -> None:
        if event.submitted and self._submitted == event.query:
            # A second Enter before the focus reached the results (keys typed ahead, as in
            # "query⏎⏎"): it was meant for the results list, so open the first hit.
            self._submitted = None
            self._open_when_ready = 0
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

    def _schedule_search(self) -> None:
        """Start the search after this frame: keys typed within one frame make one search."""
        if not self._search_scheduled:
            self._search_scheduled = True
            self.call_after_refresh(self._search_now)

    _requested_at = 0.0

    def _search_now(self) -> None:
        self._search_scheduled = False
        if not self.index_ready:
            return  # run when the index is ready (IndexReady)
        if not self.query_text.strip():
            self._load_latest()
            return
        serial = self._next_serial("search")
        self._start_job("search", jobs.run_search, self.services, self.query_text, serial, self._requested_at, self)

    def _load_latest(self) -> None:
        self._start_job("latest", jobs.load_latest, self.services, self._next_serial("latest"), self)

    @on(LatestLoaded)
    def _latest_loaded(self, event: LatestLoaded) -> None:
        if self._current("latest", event.serial) and not self.query_text.strip():
            self._show_latest(event.latest)

    def _show_latest(self, latest: list[ArticleSummary]) -> None:
        read = self.store.read
        items = tuple(ListingItem(a.id, a.title, a.date, a.source, read=a.id in read) for a in latest)
        self._show_listing(Listing("", items, len(items)))
        self._open_pending()
        if items:
            self._status(Status(f"{plural(len(items), 'article')}, newest first"))
        else:
            self._status(Status("The corpus is empty: import articles with Ctrl+P, then “Import files”."))

    @on(SearchCompleted)
    def _search_completed(self, event: SearchCompleted) -> None:
        if not self._current("search", event.serial) or event.query != self.query_text:
            return
        pane = self.query_one(SearchPane)
        if isinstance(event.result, QueryError):
            # A bad query is explained where it was typed; the previous results stay.
            self._status(Status(str(event.result), "error"))
            pane.set_offer(None)
            return
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
        status = f"{plural(result.total, 'result')} for {result.query}"
        if result.suggestion:
            status += f" · did you mean: {result.suggestion}  (Tab)"
        elif result.notice:
            status += f" · {result.notice}"
        self._status(Status(status))
        pane.set_offer(result.suggestion)
        started = event.requested_at
        self.call_after_refresh(lambda: self.search_latency.append(time.perf_counter() - started))

    def _open_pending(self) -> None:
        """Open the hit asked for before the results arrived (see _article_requested)."""
        row, self._open_when_ready = self._open_when_ready, None
        if row is not None and self.listing is not None and self.listing.items and self.view == "search":
            item = self.listing.items[min(row, len(self.listing.items) - 1)]
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
        self._update_location()

    def _refresh_listing_marks(self) -> None:
        """Read marks changed (this instance or another): dim the titles read."""
        if self.listing is None:
            return
        read = self.store.read
        items = tuple(
            item if item.read == (item.id in read) else replace(item, read=item.id in read)
            for item in self.listing.items
        )
        if items != self.listing.items:
            listing = Listing(
                self.listing.query, items, self.listing.total, self.listing.suggestion, self.listing.notice
            )
            self._show_listing(listing)

    def _status(self, status: Status) -> None:
        self.query_one(SearchPane).set_status(status)

    def _commit_search(self) -> None:
        """The query in the box becomes a place in the history (Enter, into the results, a hit opened)."""
        if self.query_text.strip() and self.listing is not None and self.listing.query == self.query_text:
            self._record(Visit("search", self.query_text, self.query_one(SearchPane).highlighted_index()))

    # Articles.

    @on(ArticleRequested)
    def _article_requested(self, event: ArticleRequested) -> None:
        event.stop()
        if self.view == "search":
            if self._listing_is_stale():
                # Enter came before the results of what was just typed: open the hit at this
                # row when they arrive, not an article from the old list.
                self._open_when_ready = self.query_one(SearchPane).highlighted_index()
                return
            self._commit_search()
        self.open_article(event.article_id, event.anchor)

    def _listing_is_stale(self) -> bool:
        """Whether the results list still shows an earlier query's hits than the one typed."""
        return self.listing is None or self.listing.query != (self.query_text if self.query_text.strip() else "")

    def open_article(self, article_id: str, anchor: int = -1, *, restore: bool = False) -> None:
        """Load an article (in a worker); it is shown when ArticleLoaded arrives."""
        serial = self._next_serial("article")
        self._article_request = (article_id, anchor, restore)
        self._start_job(
            "article", jobs.load_article, self.services, article_id, self.query_text, anchor, restore, serial, self
        )

    _article_request: tuple[str, int, bool] | None = None

    def _reload_article(self) -> None:
        if self._article_request is not None:
            article_id, anchor, restore = self._article_request
            self.open_article(article_id, anchor, restore=restore)

    @on(ArticleLoaded)
    async def _article_loaded(self, event: ArticleLoaded) -> None:
        if not self._current("article", event.serial):
            return
        await self.query_one(EntitySidebar).ready()
        opened = event.opened
        article_id = opened.article.id
        if not event.restore:
            self._remember_position()
        if self.opened is None or self.opened.article.id != article_id:
            article = opened.article
            self._trail(
                TrailEvent(trail.now(), "article", article_id, article.title, article.source, article.date, article.url)
            )
        self.opened = opened
        entity_ids = {item.entity.id for item in opened.entities}
        if self.selected_entity not in entity_ids:
            self.selected_entity = None
            self.detail = None
        reader = self.query_one(ArticleReader)
        reader.set_selected_entity(self.selected_entity)
        cursor = None
        top = None
        if event.restore:
            top = max(event.anchor, 0)
        elif event.anchor >= 0:
            span = next(((s, e) for s, e in self._mentions() if s == event.anchor), None)
            cursor = Cursor("mention", *span) if span else Cursor("place", event.anchor, event.anchor)
        elif opened.matches:
            cursor = Cursor("match", *min(opened.matches))  # opened from a search: at its first match
        self.cursor = cursor
        self.query_one(ContentSwitcher).current = "reader"
        self._set_view("article")
        reader.show(opened, cursor=cursor, top=top)
        sidebar = self.query_one(EntitySidebar)
        sidebar.show_entities(opened.entities, self.selected_entity)
        if self.detail is not None and self.detail.record.entity.id == self.selected_entity:
            sidebar.show_detail(self.detail, article_id)  # the same entity: its concordance is unchanged
        else:
            sidebar.show_detail(None, article_id)
            self._reload_detail()
        self.remove_class("-sidebar-open")
        reader.focus()
        if self.store.mark_read(article_id):
            self._refresh_listing_marks()
            self._state_changed()
        if not event.restore:
            self._record(Visit("article", article_id, max(event.anchor, 0)), remember=False)
        self._update_location()

    def _mentions(self) -> list[tuple[int, int]]:
        """The selected entity's mentions in the open article, in order."""
        if self.opened is None or self.selected_entity is None:
            return []
        for item in self.opened.entities:
            if item.entity.id == self.selected_entity:
                return sorted((m.start, m.end) for m in item.mentions)
        return []

    def _move_cursor(self, cursor: Cursor) -> None:
        self.cursor = cursor
        self.query_one(ArticleReader).set_cursor(cursor)
        self._update_location()

    def _step(self, spans: list[tuple[int, int]], forward: bool) -> tuple[int, int] | None:
        """The span after (or before) the cursor, or after the top of the screen without one."""
        if self.cursor is not None:
            here = self.cursor.start
        else:
            here = self.query_one(ArticleReader).top_offset() - (1 if forward else 0)
        if forward:
            return next((span for span in spans if span[0] > here), None)
        return next((span for span in reversed(spans) if span[0] < here), None)

    def action_next_match(self) -> None:
        self._match(forward=True)

    def action_previous_match(self) -> None:
        self._match(forward=False)

    def _match(self, forward: bool) -> None:
        if self.opened is None:
            return
        matches = sorted(self.opened.matches)
        if not matches:
            self.notify("The query's words are not in this article.", timeout=3)
            return
        span = self._step(matches, forward)
        if span is None:
            span = matches[0] if forward else matches[-1]
            self.notify("Wrapped to the first match." if forward else "Wrapped to the last match.", timeout=2)
        self._move_cursor(Cursor("match", *span))

    def action_next_mention(self) -> None:
        self._mention(forward=True)

    def action_previous_mention(self) -> None:
        self._mention(forward=False)

    def _mention(self, forward: bool) -> None:
        if self.opened is None:
            return
        if self.selected_entity is None:
            self.notify("Select an entity first: e lists this article's entities.", timeout=3)
            return
        span = self._step(self._mentions(), forward)
        if span is not None:
            self._move_cursor(Cursor("mention", *span))
            return
        # Past the last (or before the first) mention here: on into the next article.
        serial = self._next_serial("next")
        self._start_job(
            "next",
            jobs.find_next_article,
            self.services,
            self.selected_entity,
            self.opened.article.id,
            forward,
            serial,
            self,
        )

    @on(NextArticleFound)
    def _next_article_found(self, event: NextArticleFound) -> None:
        if not self._current("next", event.serial) or event.entity_id != self.selected_entity:
            return
        if event.article_id is None:
            where = "last" if event.forward else "first"
            self.notify(f"This is the {where} article that mentions {self._entity_name(event.entity_id)}.", timeout=3)
            return
        self.open_article(event.article_id, event.anchor)

    # Entities.

    @on(EntityHighlighted)
    def _entity_highlighted(self, event: EntityHighlighted) -> None:
        self.select_entity(event.entity_id)

    def select_entity(self, entity_id: str | None) -> None:
        if entity_id == self.selected_entity:
            return
        self.selected_entity = entity_id
        if self.cursor is not None:
            # m/M start from the top of the screen, not from where an earlier match was.
            self.cursor = None
            self.query_one(ArticleReader).set_cursor(None)
        self.query_one(ArticleReader).set_selected_entity(entity_id)
        self.query_one(EntitySidebar).select(entity_id)
        self.detail = None
        self.query_one(EntitySidebar).show_detail(None, None)
        if entity_id is not None:
            self._reload_detail()
        self._update_location()

    def _reload_detail(self) -> None:
        if self.selected_entity is not None:
            serial = self._next_serial("detail")
            self._start_job("detail", jobs.load_entity, self.services, self.selected_entity, False, 0, serial, self)

    @on(EntityRequested)
    def _entity_requested(self, event: EntityRequested) -> None:
        event.stop()
        self.open_entity(event.entity_id)

    def open_entity(
        self,
        entity_id: str,
        anchor: int = 0,
        *,
        restore: bool = False,
        window: tuple[str | None, str | None] | None = None,
    ) -> None:
        serial = self._next_serial("entity")
        self._entity_request = (entity_id, anchor, restore, window)
        self._start_job("entity", jobs.load_entity, self.services, entity_id, True, anchor, serial, self, window)

    _entity_request: tuple[str, int, bool, tuple[str | None, str | None] | None] | None = None

    def _reload_entity(self) -> None:
        if self._entity_request is not None:
            entity_id, anchor, restore, window = self._entity_request
            self.open_entity(entity_id, anchor, restore=restore, window=window)

    @on(TimelineView.WindowChosen)
    def _window_chosen(self, event: TimelineView.WindowChosen) -> None:
        """Only the periods chosen on the timeline (or all again): the same place, filtered."""
        event.stop()
        if self.page is not None:
            window = None if event.first is None and event.last is None else (event.first, event.last)
            self.open_entity(self.page.record.entity.id, restore=True, window=window)

    def action_pin_timeline(self) -> None:
        """Keep this entity's timeline on screen, to compare it with the next entity's."""
        if self.page is None:
            return
        name = self.page.record.entity.name
        if self.pinned is not None and self.pinned.name == name:
            self.pinned = None
            self.notify(f"Unpinned {name}'s timeline.", timeout=3)
        else:
            timeline = self.timelines.get(self.page.record.entity.id, self.page.timeline)
            self.pinned = Line(name, timeline)
            self.notify(f"Pinned {name}'s timeline: open another entity to compare.", timeout=4)
        self._show_page(self.page, self.query_one(EntityView).highlighted_row())

    def action_open_selected_entity(self) -> None:
        if self.selected_entity:
            self.open_entity(self.selected_entity)
        else:
            self.notify("Select an entity first: e lists this article's entities.", timeout=3)

    @on(EntityPageLoaded)
    async def _entity_page_loaded(self, event: EntityPageLoaded) -> None:
        await self.query_one(EntitySidebar).ready()
        await self.query_one(EntityView).ready()
        entity_id = event.page.record.entity.id
        if not event.for_view:
            if self._current("detail", event.serial) and entity_id == self.selected_entity:
                self.detail = event.page
                current = self.opened.article.id if self.opened else None
                self.query_one(EntitySidebar).show_detail(event.page, current)
            return
        if not self._current("entity", event.serial):
            return
        restore = bool(self._entity_request and self._entity_request[2])
        if not restore:
            self._remember_position()
        refiltered = restore and self.page is not None and self.page.record.entity.id == entity_id
        if not refiltered:
            self._trail(TrailEvent(trail.now(), "entity", entity_id, event.page.record.entity.name))
        self.page = event.page
        # The entity in view is the selected one: its mentions are marked in the articles
        # opened from it, and m/M step through them.
        self.selected_entity = entity_id
        if event.page.window is None:
            self.detail = event.page
            self.timelines[entity_id] = event.page.timeline
        self.query_one(ArticleReader).set_selected_entity(entity_id)
        self._show_page(event.page, event.anchor)
        self.query_one(ContentSwitcher).current = "entity-view"
        self.remove_class("-sidebar-open")
        self._set_view("entity")
        if not (refiltered and self.query_one(EntityView).has_focus_within):  # a period chosen: stay there
            self.query_one("#concordance", OptionList).focus()
        if not restore:
            self._record(Visit("entity", entity_id), remember=False)
        self._update_location()

    def _show_page(self, page: EntityPage, highlight: int) -> None:
        entity_id = page.record.entity.id
        pinned = self.pinned if self.pinned is not None and self.pinned.name != page.record.entity.name else None
        timeline = self.timelines.get(entity_id, page.timeline)
        self.query_one(EntityView).show(page, highlight, timeline=timeline, pinned=pinned)

    def _entity_name(self, entity_id: str | None) -> str:
        if entity_id is None:
            return ""
        for item in self.opened.entities if self.opened else ():
            if item.entity.id == entity_id:
                return item.entity.name
        if self.page and self.page.record.entity.id == entity_id:
            return self.page.record.entity.name
        return entity_id

    # Citations and the reading trail.

    def _trail(self, event: TrailEvent) -> None:
        try:
            trail.append(event)
        except OSError as error:
            self._report_once(f"Cannot write the reading trail: {error.strerror or error}")

    def _citation_text(self) -> tuple[str, str] | None:
        """Markdown for the current match's or mention's sentence, else the paragraph at the top."""
        if self.opened is None or self.view != "article" or not self.opened.article.paragraphs:
            return None
        text = self.opened.article.text
        if self.cursor is not None and self.cursor.end > self.cursor.start:
            start, end = sentence_span(text, self.cursor.start)
            what = "sentence"
        else:
            start, end = paragraph_span(text, self.query_one(ArticleReader).top_offset())
            what = "paragraph"
        return citation(self.opened.article, start, end), what

    def action_copy_citation(self) -> None:
        """y: the citation to the system clipboard, over OSC 52 (works over SSH and in tmux)."""
        found = self._citation_text()
        if found is None:
            self.notify("Open an article to cite it.", timeout=3)
            return
        text, what = found
        self.last_citation = text
        self.app.copy_to_clipboard(text)
        article = self.opened.article if self.opened else None
        if article is not None:
            self._trail(
                TrailEvent(
                    trail.now(), "citation", article.id, article.title, article.source, article.date, article.url, text
                )
            )
        self.notify(
            f"Copied a citation of this {what}. If your terminal takes no OSC 52 clipboard, Y saves it to a file.",
            timeout=5,
        )

    def action_save_citation(self) -> None:
        """Y: append the citation to citations.md in the data folder (terminals without OSC 52)."""
        found = self._citation_text()
        text = found[0] if found else self.last_citation
        if text is None:
            self.notify("Open an article to cite it.", timeout=3)
            return
        path = data_dir() / "citations.md"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as handle:
                handle.write(text + "\n")
        except OSError as error:
            self.notify(f"Cannot write {path}: {error.strerror or error}", severity="error", timeout=8)
            return
        self.notify(f"Saved the citation to {path}", timeout=6)

    # History.

    def _record(self, visit: Visit, *, remember: bool = True) -> None:
        if remember:
            self._remember_position()
        self.store.history.visit(visit)
        self.store.history_changed()
        self._state_changed()

    def _remember_position(self) -> None:
        """Note where we are in the current place, so coming back returns there."""
        current = self.store.history.current
        if current is None:
            return
        if current.kind == "article" and self.opened is not None and self.opened.article.id == current.target:
            anchor = self.query_one(ArticleReader).top_offset()
        elif current.kind == "search" and self.listing is not None and self.listing.query == current.target:
            anchor = self.query_one(SearchPane).highlighted_index()
        elif current.kind == "entity" and self.page is not None and self.page.record.entity.id == current.target:
            anchor = self.query_one(EntityView).highlighted_row()
        else:
            return
        self.store.history.update_anchor(anchor)
        self.store.history_changed()

    def _go(self, visit: Visit | None) -> None:
        if visit is None:
            self.app.bell()
            self.notify("Nothing further in the history.", timeout=2)
            return
        self._state_changed()
        if visit.kind == "search":
            self.query_text = visit.target
            self.query_one(SearchPane).set_query(visit.target)
            self._set_view("search")
            self._pending_highlight = visit.anchor
            self._requested_at = time.perf_counter()
            self._search_now()
            self.query_one("#results", OptionList).focus()
        elif visit.kind == "article":
            self.open_article(visit.target, visit.anchor, restore=True)
        else:
            self.open_entity(visit.target, visit.anchor, restore=True)

    def action_back(self) -> None:
        self._remember_position()
        self._go(self.store.history.back())

    def action_forward(self) -> None:
        self._remember_position()
        self._go(self.store.history.forward())

    # Views, focus and layout.

    def _set_view(self, view: str) -> None:
        self.view = view
        for name in ("search", "article", "entity"):
            self.set_class(view == name, f"-view-{name}")
        if view != "article":
            self.remove_class("-sidebar-open")
        self._update_location()

    def action_escape(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            self.action_focus_results()
        elif self.has_class("-sidebar-open"):
            self.remove_class("-sidebar-open")
            self.action_focus_reader()
        elif self.view in ("article", "entity"):
            self.action_up()
        else:
            self.action_focus_search()

    def action_up(self) -> None:
        """q: entity view to the article (or results), article to the results, results: quit.

        When the place above is the previous one in the history, this is Back; otherwise
        it is a new visit, as following a link would be.
        """
        history = self.store.history
        previous = history.entries[history.position - 1] if history.position > 0 else None
        if self.view == "entity" and self.opened is not None:
            parent = Visit("article", self.opened.article.id)
        elif self.view in ("article", "entity") and self.query_text.strip():
            parent = Visit("search", self.query_text)
        else:
            parent = None
        if parent is not None and previous is not None and previous.key == parent.key:
            self.action_back()
            return
        if self.view == "entity" and self.opened is not None:
            self._remember_position()
            self.query_one(ContentSwitcher).current = "reader"
            self._set_view("article")
            self.query_one(ArticleReader).focus()
            self._record(
                Visit("article", self.opened.article.id, self.query_one(ArticleReader).top_offset()), remember=False
            )
        elif self.view in ("article", "entity"):
            self._remember_position()
            self._set_view("search")
            self.query_one("#results", OptionList).focus()
            if self.query_text.strip():
                self._record(
                    Visit("search", self.query_text, self.query_one(SearchPane).highlighted_index()), remember=False
                )
        else:
            self.flush_state()
            self.app.exit()

    def action_focus_search(self) -> None:
        """The query box, with the old query selected: typing replaces it, End keeps it."""
        self._set_view("search")
        box = self.query_one("#query", Input)
        box.focus()
        box.select_all()

    def action_focus_results(self) -> None:
        self._set_view("search")
        self.query_one("#results", OptionList).focus()
        self._commit_search()

    def action_focus_reader(self) -> None:
        if self.opened is not None:
            self.query_one(ContentSwitcher).current = "reader"
            self._set_view("article")
            self.query_one(ArticleReader).focus()

    def action_toggle_entities(self) -> None:
        """Wide: move focus to the sidebar and back. Narrow: open or close it as a panel."""
        if self.opened is None or self.view == "entity":
            self.notify("Open an article first: the sidebar lists its entities.", timeout=3)
            return
        sidebar = self.query_one(EntitySidebar)
        if sidebar.has_focus_within:
            self.remove_class("-sidebar-open")
            self.action_focus_reader()
            return
        if self.view != "article":
            self.action_focus_reader()
        self.add_class("-sidebar-open")
        sidebar.focus_list()

    def action_bookmark(self) -> None:
        if self.view == "entity" and self.page is not None:
            visit = Visit("entity", self.page.record.entity.id)
            name = self.page.record.entity.name
        elif self.opened is not None and self.view == "article":
            visit = Visit("article", self.opened.article.id)
            name = self.opened.article.title or "(untitled)"
        else:
            self.notify("Open an article or an entity to bookmark it.", timeout=3)
            return
        added = self.store.toggle_bookmark(visit)
        self._state_changed()
        self.notify(f"Bookmarked “{name}”." if added else f"Bookmark removed: “{name}”.", timeout=3)
        self._update_location()

    def action_places(self) -> None:
        from tuibrowser.tui.screens.places import PlacesScreen

        def chosen(visit: Visit | None) -> None:
            self._state_changed()
            self._update_location()
            if visit is not None:
                self._remember_position()
                if visit.kind == "search":
                    self._go(visit)
                    self._commit_search()
                elif visit.kind == "article":
                    self.open_article(visit.target)
                else:
                    self.open_entity(visit.target)

        self.app.push_screen(PlacesScreen(self.services, self.store), chosen)

    def run_search_from_palette(self, query: str) -> None:
        self.query_text = query
        self.query_one(SearchPane).set_query(query)
        self._set_view("search")
        self._requested_at = time.perf_counter()
        self._search_now()
        self.query_one("#results", OptionList).focus()

    # Where we are, shown in the location bar.

    def _update_location(self) -> None:
        if not self.is_mounted:
            return
        position = None
        title = None
        entity = None
        bookmarked = False
        if self.view == "article" and self.opened is not None:
            title = self.opened.article.title
            position = self._position_text()
            bookmarked = self.store.is_bookmarked("article", self.opened.article.id)
        elif self.view == "entity" and self.page is not None:
            entity = self.page.record.entity.name
            bookmarked = self.store.is_bookmarked("entity", self.page.record.entity.id)
        results = None
        if self.listing is not None and self.listing.query and self.listing.query == self.query_text:
            results = self.listing.total
        self.query_one(LocationBar).show(
            Location(
                self.query_text if self.query_text.strip() else "",
                results,
                title,
                position,
                entity,
                bookmarked,
                self.indexing,
            )
        )

    def _position_text(self) -> str | None:
        cursor, opened = self.cursor, self.opened
        if opened is None:
            return None
        if cursor is not None and cursor.kind == "match":
            matches = sorted(opened.matches)
            if (cursor.start, cursor.end) in matches:
                return f"match {matches.index((cursor.start, cursor.end)) + 1}/{len(matches)}"
        mentions = self._mentions()
        name = self._entity_name(self.selected_entity)
        if cursor is not None and cursor.kind == "mention" and (cursor.start, cursor.end) in mentions:
            return f"mention {mentions.index((cursor.start, cursor.end)) + 1}/{len(mentions)} of {name}"
        if mentions:
            return f"{plural(len(mentions), 'mention')} of {name}"
        if opened.matches:
            return plural(len(opened.matches), "match", "matches")
        return None

    # Saving the reader's state: debounced, off the UI thread, merged with other instances.

    def _state_changed(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_soon)

    def _save_soon(self) -> None:
        self._save_timer = None
        self.run_worker(
            partial(jobs.save_state, self.store, self), name="save", group="save", thread=True, exit_on_error=False
        )

    @on(StateSaved)
    def _state_saved(self, event: StateSaved) -> None:
        for problem in event.problems:
            self._report_once(outside(problem))
        if event.merged:
            self._refresh_listing_marks()
            self._update_location()

    def on_unmount(self) -> None:
        """However the app ends, what the reader did is saved (the widgets are gone by now)."""
        self.store.save()

    def flush_state(self) -> None:
        """Save now, on this thread (quitting: a small file, and nothing else is waiting)."""
        self._remember_position()
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        self.store.save()


def _read_event(kind: str, article: Article, text: str | None = None) -> TrailEvent:
    return TrailEvent(trail.now(), kind, article.id, article.title, article.source, article.date, article.url, text)


def _index_gone(error: BaseException | None) -> bool:
    """Whether a failure means the index is missing or damaged (so rebuilding it helps)."""
    if isinstance(error, IndexLocked):
        return False
    if isinstance(error, IndexProblem):
        return True
    if isinstance(error, FileNotFoundError):
        return True
    return type(error).__module__.startswith("whoosh")


def _describe(error: BaseException | None) -> str:
    if error is None:
        return "unknown error"
    text = str(error) or type(error).__name__
    return outside(text.splitlines()[0])[:200]
