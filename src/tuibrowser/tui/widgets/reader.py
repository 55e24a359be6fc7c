"""The article reader: header, body at a comfortable measure, marked mentions and matches.

Text is always handed to widgets as Rich `Text` built from plain strings, never as markup,
so an article containing "[bold]" or "[@click=app.quit]" shows exactly those characters.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tuibrowser.core.article import PARAGRAPH_SEPARATOR, Article
from tuibrowser.tui.messages import EntityRequested, MentionsExhausted

if TYPE_CHECKING:
    from tuibrowser.core.entities.views import ArticleEntity

MENTION_STYLE = "underline"
SELECTED_STYLE = "bold underline"
MATCH_STYLE = "reverse"
CURRENT_STYLE = "bold reverse"


class ArticleReader(VerticalScroll, can_focus=True):
    """Shows one article; n/N step through query matches, m/M through the selected entity's mentions."""

    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", id="reader.down", show=False),
        Binding("k,up", "scroll_up", "Up", id="reader.up", show=False),
        Binding("space,pagedown", "page_down", "Page down", id="reader.page-down", show=False),
        Binding("pageup", "page_up", "Page up", id="reader.page-up", show=False),
        Binding("g,home", "scroll_home", "Top", id="reader.top", show=False),
        Binding("G,end", "scroll_end", "Bottom", id="reader.bottom", show=False),
        Binding("n", "next_match", "Next match", id="reader.next-match"),
        Binding("N", "previous_match", "Previous match", id="reader.previous-match", show=False),
        Binding("m", "next_mention", "Next mention", id="reader.next-mention"),
        Binding("M", "previous_mention", "Previous mention", id="reader.previous-mention", show=False),
        Binding("v", "entity_view", "Entity view", id="reader.entity-view"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.article: Article | None = None
        self.entities: list[ArticleEntity] = []
        self.matches: list[tuple[int, int]] = []
        self.selected_entity: str | None = None
        self.current: tuple[int, int] | None = None
        """The span the reader is at (a match or a mention), drawn in CURRENT_STYLE."""
        self._starts: list[int] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Choose an article to read it here."), id="article-header")
        yield Vertical(id="article-body")

    @property
    def selected_mentions(self) -> list[tuple[int, int]]:
        for item in self.entities:
            if item.entity.id == self.selected_entity:
                return [(m.start, m.end) for m in item.mentions]
        return []

    def show(
        self,
        article: Article,
        entities: list[ArticleEntity],
        matches: list[tuple[int, int]],
        *,
        anchor: int = -1,
        selected_entity: str | None = None,
    ) -> None:
        """Display an article, at `anchor` (a character offset) if given."""
        self.article, self.entities, self.matches = article, entities, matches
        self.selected_entity = selected_entity
        self.current = None
        self.query_one("#article-header", Static).update(self._header(article))
        body = self.query_one("#article-body", Vertical)
        body.remove_children()
        self._starts = []
        position = 0
        widgets = []
        for paragraph in article.paragraphs:
            self._starts.append(position)
            widgets.append(Static(classes="paragraph"))
            position += len(paragraph) + len(PARAGRAPH_SEPARATOR)
        body.mount_all(widgets)
        if anchor >= 0:
            span = next(((s, e) for s, e in [*self.selected_mentions, *self.matches] if s == anchor), None)
            self.current = span or (anchor, anchor)
        self._paint()
        self.call_after_refresh(self._reveal, anchor if anchor >= 0 else None)

    def select_entity(self, entity_id: str | None) -> None:
        """Mark an entity's mentions (state pushed down from the app)."""
        self.selected_entity = entity_id
        self._paint()

    def _header(self, article: Article) -> Text:
        header = Text(article.title or "(untitled)", style="bold")
        meta = [x for x in (article.date, article.source, article.byline and f"by {article.byline}") if x]
        if meta:
            header.append("\n" + " · ".join(meta), style="italic")
        if article.url:
            header.append("\n" + article.url, style="dim")
        return header

    def _paint(self) -> None:
        """Redraw the paragraphs with mentions, matches and the current span marked."""
        if self.article is None:
            return
        spans: list[tuple[int, int, str]] = []
        for item in self.entities:
            style = SELECTED_STYLE if item.entity.id == self.selected_entity else MENTION_STYLE
            spans += [(m.start, m.end, style) for m in item.mentions]
        spans += [(s, e, MATCH_STYLE) for s, e in self.matches]
        if self.current and self.current[1] > self.current[0]:
            spans.append((*self.current, CURRENT_STYLE))
        widgets = list(self.query(".paragraph").results(Static))
        for index, (paragraph, widget) in enumerate(zip(self.article.paragraphs, widgets, strict=False)):
            start = self._starts[index]
            text = Text(paragraph)
            for s, e, style in spans:
                if s < start + len(paragraph) and e > start:
                    text.stylize(style, max(0, s - start), min(len(paragraph), e - start))
            widget.update(text)

    def _reveal(self, offset: int | None) -> None:
        if offset is None or not self._starts:
            self.scroll_home(animate=False)
            return
        index = max(0, bisect_right(self._starts, offset) - 1)
        widgets = list(self.query(".paragraph").results(Static))
        if index < len(widgets):
            self.scroll_to_center(widgets[index], animate=False)

    def _step(self, spans: list[tuple[int, int]], forward: bool) -> tuple[int, int] | None:
        if not spans:
            return None
        ordered = sorted(spans)
        here = self.current[0] if self.current else (-1 if forward else 1 << 62)
        if forward:
            return next((span for span in ordered if span[0] > here), None)
        return next((span for span in reversed(ordered) if span[0] < here), None)

    def _go(self, span: tuple[int, int]) -> None:
        self.current = span
        self._paint()
        self._reveal(span[0])

    def action_next_match(self) -> None:
        span = self._step(self.matches, True) or (sorted(self.matches)[0] if self.matches else None)
        if span:
            self._go(span)
        else:
            self.notify("No query matches in this article.", timeout=2)

    def action_previous_match(self) -> None:
        span = self._step(self.matches, False) or (sorted(self.matches)[-1] if self.matches else None)
        if span:
            self._go(span)

    def action_next_mention(self) -> None:
        self._mention(forward=True)

    def action_previous_mention(self) -> None:
        self._mention(forward=False)

    def _mention(self, forward: bool) -> None:
        if self.selected_entity is None:
            self.notify("Select an entity in the sidebar first (e).", timeout=2)
            return
        span = self._step(self.selected_mentions, forward)
        if span:
            self._go(span)
        else:
            # Past the last (or first) mention here: the app continues in the next article.
            self.post_message(MentionsExhausted(self.selected_entity, forward))

    def action_entity_view(self) -> None:
        if self.selected_entity:
            self.post_message(EntityRequested(self.selected_entity))
        else:
            self.notify("Select an entity in the sidebar first (e).", timeout=2)
