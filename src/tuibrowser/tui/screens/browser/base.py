from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, OptionList
from textual.worker import Worker, WorkerState

from tuibrowser.core import trail
from tuibrowser.core.errors import IndexLocked, IndexProblem
from tuibrowser.core.trail import TrailEvent
from tuibrowser.core.user_state import Visit
from tuibrowser.tui import jobs
from tuibrowser.tui.messages import (
    StateSaved,
)
from tuibrowser.tui.text import outside, plural
from tuibrowser.tui.widgets.entity_sidebar import EntitySidebar
from tuibrowser.tui.widgets.entity_view import EntityView
from tuibrowser.tui.widgets.location_bar import Location, LocationBar
from tuibrowser.tui.widgets.reader import ArticleReader, Cursor
from tuibrowser.tui.widgets.search_pane import Listing, SearchPane, Status
from tuibrowser.tui.widgets.timeline import Line

if TYPE_CHECKING:
    from textual.timer import Timer

    from tuibrowser.core.entities.curation.carry import Carried
    from tuibrowser.core.entities.timeline import Timeline
    from tuibrowser.core.library import ArticleSummary
    from tuibrowser.core.services import EntityPage, OpenedArticle, Services
    from tuibrowser.core.settings import Settings
    from tuibrowser.core.user_state import StateStore

READS_INDEX = frozenset({"search", "more", "latest", "article", "entity", "detail", "next", "news"})
"""Job groups that read the index, and so wait while it is built or rebuilt."""

SAVE_DELAY = 0.5
"""Seconds of quiet before the user's state is saved (changes in a burst make one write)."""


class BrowserBase(Screen[None]):
    """The browser's state, and what every part of it uses: jobs and their failures, views,
    history, the location bar, saving the reader's state."""

    def __init__(self, services: Services, settings: Settings, store: StateStore) -> None:
        # The first view's class from the start: added in on_mount, it restyled every widget.
        super().__init__(classes="-view-search")
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
        self.generation: tuple[int, int, int] | None = None
        self.search_latency: list[float] = []
        """Seconds from a query change to its results on screen (bench/bench_tui.py reads it)."""
        self._serials: dict[str, int] = {}
        self._search_scheduled = False
        self._save_timer: Timer | None = None
        self._recovering = False
        self.news_count = 0
        """New articles for the watches, shown in the location bar."""
        self._last_jobs: dict[str, tuple[Callable[..., None], tuple[object, ...]]] = {}
        """The latest job started in each group (what to redo once a vanished index is back)."""
        self._waiting: dict[str, tuple[Callable[..., None], tuple[object, ...]]] = {}
        """Jobs asked for while the index is not ready, run when it is (the latest per group)."""
        self._reported: set[str] = set()
        self._pending_highlight: int | None = None
        """The result row to highlight when the search under way arrives (going back to it)."""
        self.last_citation: str | None = None
        self._submitted: str | None = None
        """A query submitted with Enter whose results have not taken the focus yet."""
        self._open_when_ready: tuple[str, int, float] | None = None
        """(query, row, when): a result row chosen before that query's results arrived, opened
        when they do, and only then (another query's results never open it)."""
        self._failed_query: str | None = None
        self._carried: dict[int, list[Carried]] = {}
        """What each curation change of this session carried (by its seq): undoing it carries
        exactly that back (screens/browser/curating.py)."""
        """The query in the box when the core refused it (the list still shows the one before)."""
        self.pinned: Line | None = None
        """A timeline kept on screen to compare with the next entity's."""
        self.timelines: dict[str, Timeline] = {}
        """Entities' whole timelines (a page limited to some dates carries only its part)."""

    def _next_serial(self, group: str) -> int:
        self._serials[group] = self._serials.get(group, 0) + 1
        return self._serials[group]

    def _current(self, group: str, serial: int) -> bool:
        return self._serials.get(group) == serial

    def _start_job(self, group: str, job: Callable[..., None], *args: object) -> Worker[None] | None:
        """Run a job in a thread; a newer job of the same group cancels the older one.

        A job that reads the index waits while the index is being built or rebuilt, and
        runs (with its serial, so its result is still wanted) as soon as it is ready.
        """
        if group in READS_INDEX:
            self._last_jobs[group] = (job, args)
            if not self.index_ready:
                self._waiting[group] = (job, args)
                return None
        return self.run_worker(
            partial(job, *args), name=group, group=group, thread=True, exclusive=True, exit_on_error=False
        )

    def _run_waiting(self) -> None:
        """The index is ready: run what was asked for meanwhile."""
        waiting, self._waiting = self._waiting, {}
        for group, (job, args) in waiting.items():
            self._start_job(group, job, *args)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Turn a failed job into a message, never a crash (harlequin's handle_worker_error)."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        group = event.worker.group
        if group == "curate":  # before _index_gone: a failed change is reported, not rebuilt over
            self.curation_failed(_describe(error))
            return
        if _index_gone(error):
            self._recover(group, error)
            return
        if group == "index" and isinstance(error, IndexLocked):
            # Another tuibrowser is building this index: wait for it, then read it.
            self._status(Status("Another tuibrowser is building this index; waiting for it…", "busy"))
            self.set_timer(2.0, lambda: self._start_job("index", jobs.prepare_index, self.services, self))
        elif group == "index":
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
        self.index_ready = False  # from now on, reads wait for the rebuilt index
        if group in self._last_jobs:
            self._waiting[group] = self._last_jobs[group]
        if self._recovering:
            return
        self._recovering = True
        self.indexing = "rebuilding the index"
        self._status(Status(f"The index is unavailable ({_describe(error)}); rebuilding it…", "busy"))
        self._update_location()
        self._start_job("index", jobs.prepare_index, self.services, self)

    def _report_once(self, message: str) -> None:
        if message not in self._reported:
            self._reported.add(message)
            self.notify(message, severity="warning", timeout=8)

    def _status(self, status: Status) -> None:
        self.query_one(SearchPane).set_status(status)

    def _mentions(self) -> list[tuple[int, int]]:
        """The selected entity's mentions in the open article, in order."""
        if self.opened is None or self.selected_entity is None:
            return []
        for item in self.opened.entities:
            if item.entity.id == self.selected_entity:
                return sorted((m.start, m.end) for m in item.mentions)
        return []

    def _entity_name(self, entity_id: str | None) -> str:
        if entity_id is None:
            return ""
        for item in self.opened.entities if self.opened else ():
            if item.entity.id == entity_id:
                return item.entity.name
        if self.page and self.page.record.entity.id == entity_id:
            return self.page.record.entity.name
        return entity_id

    def _trail(self, event: TrailEvent) -> None:
        try:
            trail.append(event)
        except OSError as error:
            self._report_once(f"Cannot write the reading trail: {error.strerror or error}")

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
            self.open_article(visit.target, visit.anchor, restore=True, query=self._search_before())
        else:
            self.open_entity(visit.target, visit.anchor, restore=True)

    def _search_before(self) -> str:
        """The query of the last search visited before the current place in the history: the
        one an article there was opened from (its matches and its location bar), not the one
        the box holds now."""
        history = self.store.history
        for visit in reversed(history.entries[: max(history.position, 0)]):
            if visit.kind == "search":
                return visit.target
        return ""

    def action_back(self) -> None:
        self._remember_position()
        self._go(self.store.history.back())

    def action_forward(self) -> None:
        self._remember_position()
        self._go(self.store.history.forward())

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
        """q: entity view to the article it was opened from (else the results), article to
        the results, results: quit.

        Going up is a visit, as following a link is: the place left stays in the history,
        so Back reaches every article read, however the reader moved between them.
        """
        history = self.store.history
        previous = history.entries[history.position - 1] if history.position > 0 else None
        came_from_article = (
            self.opened is not None and previous is not None and previous.key == ("article", self.opened.article.id)
        )
        if self.view == "entity" and self.opened is not None and came_from_article:
            self._remember_position()
            self.query_one(ContentSwitcher).current = "reader"
            self._set_view("article")
            self.query_one(ArticleReader).focus()
            self._record(Visit("article", self.opened.article.id, previous.anchor if previous else 0), remember=False)
            self.query_one(ArticleReader).show(
                self.opened, cursor=self.cursor, top=previous.anchor if previous else None
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

        self.app.push_screen(PlacesScreen(self.services, self.store, self._state_changed), chosen)

    # Following entities and searches.

    def _follow_target(self) -> tuple[str, str, str] | None:
        """What `w` follows here: the entity in view or selected, else the search shown."""
        if self.view == "entity" and self.page is not None:
            return ("entity", self.page.record.entity.id, self.page.record.entity.name)
        if self.view == "article" and self.selected_entity is not None:
            return ("entity", self.selected_entity, self._entity_name(self.selected_entity))
        if self.query_text.strip() and self.view == "search":
            return ("search", " ".join(self.query_text.split()), " ".join(self.query_text.split()))
        return None

    def action_follow(self) -> None:
        target = self._follow_target()
        if target is None:
            self.notify("Search for something, or select an entity (e), to follow it.", timeout=4)
            return
        kind, key, label = target
        if self.store.watch(kind, key) is not None:
            self.store.unfollow(kind, key)
            self.notify(f"Stopped following {outside(label)}.", timeout=3)
        else:
            self.store.follow(kind, key, label)
            self.notify(f"Following {outside(label)}: W shows what is new for it.", timeout=4)
        self._state_changed()
        self._count_news()

    def action_following(self) -> None:
        from tuibrowser.tui.screens.following import FollowingScreen

        def chosen(article_id: str | None) -> None:
            self._state_changed()
            self._count_news()
            if article_id is not None:
                self.open_article(article_id)

        def seen() -> None:  # saved at once, and the bar behind the dialog counts again
            self._state_changed()
            self._count_news()

        self.app.push_screen(FollowingScreen(self.services, self.store, seen), chosen)

    def _count_news(self) -> None:
        """How many new articles the watches have, for the location bar (a job)."""
        if self.store.watches:
            self._start_job("news", jobs.count_news, self.services, list(self.store.watches), self)
        else:
            self.news_count = 0
            self._update_location()

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
        elif self.view == "search" and self.listing is not None and self.listing.items and not self._listing_is_stale():
            # (While an earlier query's hits are still listed, as during a rebuild, their
            # place and count are not the typed query's.)
            hits = self.query_one(SearchPane).query_one("#results", OptionList)
            if hits.has_focus and hits.highlighted is not None:
                position = f"{hits.highlighted + 1:,}/{self.listing.total:,}"  # where in the list
        # An article's place is the search it was opened from, not what the box holds now.
        query = self.opened.query if self.view == "article" and self.opened is not None else self.query_text
        query = query if query.strip() else ""
        results = None
        if self.listing is not None and self.listing.query and self.listing.query == query:
            results = self.listing.total
        self.query_one(LocationBar).show(
            Location(
                query,
                results,
                title,
                position,
                entity,
                bookmarked,
                self.indexing,
                self.news_count,
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
        if cursor is not None and cursor.kind == "quote":
            quotes = [(q.start, q.end) for q in opened.quotes]
            if (cursor.start, cursor.end) in quotes:
                index = quotes.index((cursor.start, cursor.end))
                quote = opened.quotes[index]
                who = (
                    f"{quote.speaker_name} {quote.cue or 'said'}" if quote.speaker_name else "who said it is not stated"
                )
                return f"quote {index + 1}/{len(quotes)} · {who}"
        mentions = self._mentions()
        name = self._entity_name(self.selected_entity)
        if cursor is not None and cursor.kind == "mention" and (cursor.start, cursor.end) in mentions:
            return f"mention {mentions.index((cursor.start, cursor.end)) + 1}/{len(mentions)} of {name}"
        if mentions:
            return f"{plural(len(mentions), 'mention')} of {name}"
        if opened.matches:
            return plural(len(opened.matches), "match", "matches")
        return None

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

    # What the parts of the browser provide each other (see searching, reading, entities).

    def _search_now(self) -> None:
        raise NotImplementedError

    def _load_latest(self) -> None:
        raise NotImplementedError

    def _show_latest(self, latest: list[ArticleSummary], total: int) -> None:
        raise NotImplementedError

    def _commit_search(self) -> None:
        raise NotImplementedError

    def _listing_is_stale(self) -> bool:
        raise NotImplementedError

    def _refresh_listing_marks(self) -> None:
        raise NotImplementedError

    def open_article(
        self,
        article_id: str,
        anchor: int = -1,
        *,
        restore: bool = False,
        preview: bool = False,
        query: str | None = None,
    ) -> None:
        raise NotImplementedError

    def _clear_preview(self) -> None:
        raise NotImplementedError

    def open_entity(
        self,
        entity_id: str,
        anchor: int = 0,
        *,
        restore: bool = False,
        window: tuple[str | None, str | None] | None = None,
    ) -> None:
        raise NotImplementedError

    def _reload_detail(self) -> None:
        raise NotImplementedError

    def _show_page(self, page: EntityPage, highlight: int) -> None:
        raise NotImplementedError

    def curation_failed(self, error: str) -> None:
        raise NotImplementedError


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
