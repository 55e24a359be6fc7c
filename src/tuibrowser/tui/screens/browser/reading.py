"""The reader's side of the browser: articles opened, matches and mentions stepped through, citations."""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.widgets import ContentSwitcher

from tuibrowser.core import trail
from tuibrowser.core.paths import data_dir
from tuibrowser.core.trail import TrailEvent
from tuibrowser.core.user_state import Visit
from tuibrowser.tui import jobs
from tuibrowser.tui.messages import (
    ArticleLoaded,
    ArticleRequested,
    NextArticleFound,
    ResultHighlighted,
)
from tuibrowser.tui.screens.browser.base import BrowserBase
from tuibrowser.tui.widgets.entity_sidebar import EntitySidebar
from tuibrowser.tui.widgets.reader import NO_MATCH_NOTE, ArticleReader, Cursor
from tuibrowser.tui.widgets.search_pane import SearchPane

if TYPE_CHECKING:
    from textual.timer import Timer

    from tuibrowser.core.article import Article


PREVIEW_DELAY = 0.15
"""Seconds the highlight rests on a result before it is shown beside the list."""


class Reading(BrowserBase):
    """The reader: opening articles, stepping through matches and mentions, citations."""

    @on(ArticleRequested)
    def _article_requested(self, event: ArticleRequested) -> None:
        event.stop()
        if self.view == "search":
            if self._listing_is_stale() and self._failed_query != self.query_text:
                # Enter came before the results of what was just typed: open the hit at this
                # row when they arrive, not an article from the old list.
                row = self.query_one(SearchPane).highlighted_index()
                self._open_when_ready = (self.query_text, row, time.monotonic())
                return
            if self._listing_is_stale() and self.listing is not None:
                # After a refused query the list shows the search before it: what is chosen
                # there opens as a hit of that search (its matches, its place).
                self.open_article(event.article_id, event.anchor, query=self.listing.query)
                return
            self._commit_search()
        self.open_article(event.article_id, event.anchor)

    def open_article(
        self,
        article_id: str,
        anchor: int = -1,
        *,
        restore: bool = False,
        preview: bool = False,
        query: str | None = None,
    ) -> None:
        """Load an article (in a worker); it is shown when ArticleLoaded arrives. Its matches
        are those of `query`, by default the query in the box."""
        serial = self._next_serial("article")
        query = self.query_text if query is None else query
        self._start_job(
            "article", jobs.load_article, self.services, article_id, query, anchor, restore, serial, self, preview
        )

    @on(ResultHighlighted)
    def _result_highlighted(self, event: ResultHighlighted) -> None:
        """Wide terminals show the highlighted result beside the list (not a visit, not read);
        the location bar says which result it is (the list has no scrollbar)."""
        event.stop()
        if self.view == "search":
            self._update_location()
        if self.has_class("-narrow") or self.view != "search":
            return
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY, partial(self._preview, event.article_id))

    _preview_timer: Timer | None = None

    def _preview(self, article_id: str) -> None:
        self._preview_timer = None
        opened = self.opened
        if self.view == "search" and (
            opened is None or opened.article.id != article_id or opened.query != self.query_text
        ):
            # Also the same article under a longer query: its matches are the new query's.
            self.open_article(article_id, preview=True)

    def _clear_preview(self) -> None:
        """No hit to show beside the list: nothing is open, and the reader says why."""
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        self._next_serial("article")  # an article on its way is no longer wanted
        self.opened, self.cursor = None, None
        self.query_one(ArticleReader).show(None, empty=NO_MATCH_NOTE)

    @on(ArticleLoaded)
    async def _article_loaded(self, event: ArticleLoaded) -> None:
        if not self._current("article", event.serial):
            return
        await self.query_one(EntitySidebar).ready()
        opened = event.opened
        article_id = opened.article.id
        if event.preview:
            if self.view == "search":
                self.opened = opened
                self.cursor = Cursor("match", *min(opened.matches)) if opened.matches else None
                self.query_one(ArticleReader).show(opened, cursor=self.cursor)
                self.query_one(ContentSwitcher).current = "reader"
            return
        if not event.restore:
            self._remember_position()
        if self.opened is None or self.opened.article.id != article_id or self.view == "search":
            self._trail(_read_event("article", opened.article))
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
            quote = next(((q.start, q.end) for q in opened.quotes if q.start == event.anchor), None)
            if span:
                cursor = Cursor("mention", *span)
            elif quote:
                cursor = Cursor("quote", *quote)  # opened from what an entity said
            else:
                cursor = Cursor("place", event.anchor, event.anchor)
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
        self._take_steps_ahead(article_id)

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
            words = (
                "There is no search" if not self.opened.query.strip() else "The query's words are not in this article"
            )
            self.notify(f"{words}: n and N step through a search's matches.", timeout=3)
            return
        span = self._step(matches, forward)
        if span is None:
            span = matches[0] if forward else matches[-1]
            self.notify("Wrapped to the first match." if forward else "Wrapped to the last match.", timeout=2)
        self._move_cursor(Cursor("match", *span))

    def action_next_quote(self) -> None:
        self._quote(forward=True)

    def action_previous_quote(self) -> None:
        self._quote(forward=False)

    def _quote(self, forward: bool) -> None:
        """Step through the article's quotes; the location bar says who said the current one."""
        if self.opened is None:
            return
        quotes = [(q.start, q.end) for q in self.opened.quotes]
        if not quotes:
            self.notify("No direct quotes in this article.", timeout=3)
            return
        span = self._step(quotes, forward)
        if span is None:
            span = quotes[0] if forward else quotes[-1]
            self.notify("Wrapped to the first quote." if forward else "Wrapped to the last quote.", timeout=2)
        self._move_cursor(Cursor("quote", *span))

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
        ahead = self._steps_ahead
        if ahead is not None and ahead.wanted(self.selected_entity, forward):
            # The next article is on its way: the press counts from where it will land (a
            # held key or quick presses are not lost while it loads).
            ahead.extra += 1
            return
        self._steps_ahead = None
        span = self._step(self._mentions(), forward)
        if span is not None:
            self._move_cursor(Cursor("mention", *span))
            return
        # Past the last (or before the first) mention here: on into the next article.
        self._steps_ahead = _StepsAhead(self.selected_entity, forward)
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
            self._steps_ahead = None
            where = "last" if event.forward else "first"
            self.notify(f"This is the {where} article that mentions {self._entity_name(event.entity_id)}.", timeout=3)
            return
        if self._steps_ahead is not None:
            self._steps_ahead.article_id = event.article_id
        self.open_article(event.article_id, event.anchor)

    _steps_ahead: _StepsAhead | None = None
    """Mention steps pressed while the next article was found and loaded."""

    def _take_steps_ahead(self, article_id: str) -> None:
        """The article a mention step went on to is shown: make the presses made meanwhile."""
        ahead, self._steps_ahead = self._steps_ahead, None
        if ahead is None or ahead.article_id != article_id or ahead.entity_id != self.selected_entity:
            return
        for done in range(ahead.extra):
            self._mention(ahead.forward)
            if self._steps_ahead is not None:  # on into yet another article: the rest go with it
                self._steps_ahead.extra += ahead.extra - done - 1
                return

    def _citation_text(self) -> tuple[str, str] | None:
        """Markdown for the current match's or mention's sentence, else the paragraph at the top."""
        from tuibrowser.core.citations import citation, paragraph_span, quote_span, sentence_span

        if self.opened is None or self.view != "article" or not self.opened.article.paragraphs:
            return None
        text = self.opened.article.text
        if self.cursor is not None and self.cursor.kind == "quote" and self.cursor.end > self.cursor.start:
            start, end = quote_span(text, self.cursor.start, self.cursor.end)  # the quote, its marks balanced
            what = "quote"
        elif self.cursor is not None and self.cursor.end > self.cursor.start:
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


def _read_event(kind: str, article: Article, text: str | None = None) -> TrailEvent:
    return TrailEvent(trail.now(), kind, article.id, article.title, article.source, article.date, article.url, text)


class _StepsAhead:
    """A mention step gone on into another article, and the presses made until it is shown."""

    __slots__ = ("article_id", "entity_id", "extra", "forward", "since")

    PATIENCE = 3.0
    """Seconds after which a step still not shown is forgotten (its load failed or was
    overtaken), so later presses act at once again."""

    def __init__(self, entity_id: str, forward: bool) -> None:
        self.entity_id = entity_id
        self.forward = forward
        self.extra = 0
        self.article_id: str | None = None
        self.since = time.monotonic()

    def wanted(self, entity_id: str, forward: bool) -> bool:
        """Whether a press of this step, for this entity, joins the steps on their way."""
        fresh = time.monotonic() - self.since < self.PATIENCE
        return fresh and self.entity_id == entity_id and self.forward == forward
