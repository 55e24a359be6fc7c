"""The entity view: one entity across the corpus, every mention grouped by article, and related ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuibrowser.tui.messages import ArticleRequested, EntityRequested
from tuibrowser.tui.text import Clamp, one_line, plural
from tuibrowser.tui.widgets.deferred import DeferredPane
from tuibrowser.tui.widgets.entity_sidebar import (
    CURATION_BINDINGS,
    CURATION_HINT,
    location_id,
    parse_location,
    related_prompt,
)
from tuibrowser.tui.widgets.timeline import Line, TimelineView

if TYPE_CHECKING:
    from tuibrowser.core.entities.sayings import QuoteSpan
    from tuibrowser.core.entities.timeline import Timeline
    from tuibrowser.core.entities.views import MentionSpan
    from tuibrowser.core.services import EntityPage


QUOTE_LINES = 3
"""Lines of a quote in the "Said" list."""

CONTEXT_LINES = 2
"""Lines of context per mention: several mentions fit on an 80x24 screen."""


def mention_prompt(mention: MentionSpan) -> Clamp:
    """A mention's line of context, the mention itself in bold."""
    line = Text(mention.context)
    at = mention.start - mention.context_start
    line.stylize("bold underline", at, at + (mention.end - mention.start))
    return Clamp(line, CONTEXT_LINES)


def _article_header(date: str | None, title: str, source: str | None) -> Option:
    """An article's line above its mentions or quotes (a Group: drawn by Rich, one line)."""
    meta = " · ".join(x for x in (date or "undated", title or "(untitled)", source) if x)
    return Option(Group(one_line(meta, "bold")), disabled=True)


def quote_prompt(quote: QuoteSpan) -> Clamp:
    """A quote, in quotation marks, with how it was said."""
    line = Text("… " if quote.continues else "", style="dim")
    line.append(f"“{quote.text}”", style="italic")
    if quote.cue:
        line.append(f"  {quote.cue}", style="dim")
    return Clamp(line, QUOTE_LINES)


class Concordance(OptionList):
    """Every mention, grouped under its article's date and title (shown once); Enter opens it."""

    BINDINGS = [
        Binding("enter", "select", "Open the article at this mention", id="concordance.open", show=False),
        Binding("t", "focus_timeline", "The timeline: choose a period", id="concordance.timeline", show=False),
        Binding("s", "toggle_said", "What it said (its quotes) / its mentions", id="concordance.said", show=False),
        Binding("j", "cursor_down", "Down", id="concordance.down", show=False),
        Binding("k", "cursor_up", "Up", id="concordance.up", show=False),
        *CURATION_BINDINGS,
    ]

    HINTS = (
        (("concordance.open",), "open at mention"),
        (("concordance.said",), "said"),
        (("concordance.timeline",), "timeline"),
        (("main.next-pane",), "related"),
        (("main.focus-related",), "related"),
        (("main.bookmark",), "mark"),
        (("main.up",), "up"),
        (("main.back",), "back"),
        CURATION_HINT,
    )

    def action_toggle_said(self) -> None:
        view = self.screen.query_one(EntityView)
        view.toggle_said()

    def action_focus_timeline(self) -> None:
        self.screen.query_one("#entity-timeline").focus()


class RelatedList(OptionList):
    """Entities that share articles with this one, by overlap; Enter opens one."""

    BINDINGS = [Binding("enter", "select", "Open this entity's view", id="related.open", show=False)]

    HINTS = (
        (("related.open",), "open"),
        (("main.focus-related",), "mentions"),
        (("main.up",), "up"),
        (("main.back",), "back"),
    )


class EntityView(DeferredPane):
    """Shows an EntityPage; posts ArticleRequested (a mention) or EntityRequested (related)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.page: EntityPage | None = None
        self.said = False
        """Whether the list shows what the entity said (its quotes) instead of its mentions."""

    def compose_deferred(self) -> ComposeResult:
        yield Static(Text(""), id="entity-header")
        yield TimelineView(id="entity-timeline")
        yield Static(Text("Mentions, oldest first"), classes="pane-title", id="concordance-title")
        yield Concordance(id="concordance")
        yield Static(Text("Related (overlap)"), classes="pane-title")
        yield RelatedList(id="view-related")

    def show(self, page: EntityPage, highlight: int = 0, *, timeline: Timeline, pinned: Line | None = None) -> None:
        """Display an entity; the mention at row `highlight` (or the first) is selected.

        `timeline` is the entity's whole timeline (the page's own is cut to its window).
        """
        self.page = page
        entity = page.record.entity
        kind = f"{entity.type}, discovered" if entity.discovered else entity.type
        heading = Text(entity.name, style="bold")
        heading.append(
            f"  {kind} · {plural(page.mention_count, 'mention')} in {plural(len(page.articles), 'article')}",
            style="italic",
        )
        parts: list[Text | Clamp] = [one_line(heading)]
        if entity.description:
            parts.append(Clamp(Text(entity.description), 2))
        if entity.aliases:
            parts.append(one_line("also: " + ", ".join(entity.aliases), "dim"))
        self.query_one("#entity-header", Static).update(Group(*parts))
        chosen = (page.window[0] or "the start", page.window[1] or "the end") if page.window else None
        self.query_one(TimelineView).show(Line(entity.name, timeline), pinned, chosen)
        self._fill(highlight)
        related = self.query_one("#view-related", RelatedList)
        related.clear_options()
        related.add_options([Option(related_prompt(r.entity.name, r.score), id=r.entity.id) for r in page.related])
        if related.option_count:
            related.highlighted = 0

    def clear(self) -> None:
        """Show no entity (the one shown is gone: hidden), so nothing on screen still names it."""
        self.page = None
        self.query_one("#entity-header", Static).update(Text(""))
        self.query_one(TimelineView).show(None)
        self.query_one("#concordance-title", Static).update(Text(""))
        self.query_one("#concordance", Concordance).clear_options()
        self.query_one("#view-related", RelatedList).clear_options()

    def toggle_said(self) -> None:
        """Switch the list between the entity's mentions and what it said."""
        self.said = not self.said
        self._fill(0)

    def _fill(self, highlight: int) -> None:
        page = self.page
        if page is None:
            return
        window = f" from {page.window[0] or 'the start'} to {page.window[1] or 'the end'}" if page.window else ""
        if self.said:
            count = sum(len(a.quotes) for a in page.quotes)
            title = f"Said: {plural(count, 'quote')}{window}, oldest first  (s: mentions)"
        else:
            title = f"Mentions{window}, oldest first  (s: what it said)"
        self.query_one("#concordance-title", Static).update(Text(title))
        concordance = self.query_one("#concordance", Concordance)
        concordance.clear_options()
        options: list[Option] = []
        if self.said:
            for quoted in page.quotes:
                options.append(_article_header(quoted.date, quoted.title, quoted.source))
                options += [Option(quote_prompt(q), id=location_id(quoted.id, q.start)) for q in quoted.quotes]
        else:
            for article in page.articles:
                options.append(_article_header(article.date, article.title, article.source))
                options += [Option(mention_prompt(m), id=location_id(article.id, m.start)) for m in article.mentions]
        if not options and self.said:
            options.append(Option(Text("No quote is attributed to it.", style="dim"), disabled=True))
        concordance.add_options(options)
        selectable = [i for i, option in enumerate(options) if not option.disabled]
        if selectable:
            concordance.highlighted = min(selectable, key=lambda i: (i < highlight, abs(i - highlight)))

    def highlighted_row(self) -> int:
        return self.query_one("#concordance", Concordance).highlighted or 0

    @on(OptionList.OptionSelected, "#concordance")
    def _article(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(ArticleRequested(*parse_location(event.option.id)))

    @on(OptionList.OptionSelected, "#view-related")
    def _related(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(EntityRequested(event.option.id))
