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
from tuibrowser.tui.widgets.entity_sidebar import location_id, parse_location, related_prompt
from tuibrowser.tui.widgets.timeline import Line, TimelineView

if TYPE_CHECKING:
    from tuibrowser.core.entities.timeline import Timeline
    from tuibrowser.core.entities.views import MentionSpan
    from tuibrowser.core.services import EntityPage

CONTEXT_LINES = 2
"""Lines of context per mention: several mentions fit on an 80x24 screen."""


def mention_prompt(mention: MentionSpan) -> Clamp:
    """A mention's line of context, the mention itself in bold."""
    line = Text(mention.context)
    at = mention.start - mention.context_start
    line.stylize("bold underline", at, at + (mention.end - mention.start))
    return Clamp(line, CONTEXT_LINES)


class Concordance(OptionList):
    """Every mention, grouped under its article's date and title (shown once); Enter opens it."""

    BINDINGS = [
        Binding("enter", "select", "Open the article at this mention", id="concordance.open", show=False),
        Binding("t", "focus_timeline", "The timeline: choose a period", id="concordance.timeline", show=False),
        Binding("j", "cursor_down", "Down", id="concordance.down", show=False),
        Binding("k", "cursor_up", "Up", id="concordance.up", show=False),
    ]

    HINTS = (
        (("concordance.open",), "open at mention"),
        (("concordance.timeline",), "timeline"),
        (("main.next-pane",), "related"),
        (("main.focus-related",), "related"),
        (("main.bookmark",), "mark"),
        (("main.up",), "up"),
        (("main.back",), "back"),
    )

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
        title = "Mentions, oldest first" if chosen is None else f"Mentions from {chosen[0]} to {chosen[1]}"
        self.query_one("#concordance-title", Static).update(Text(title))
        concordance = self.query_one("#concordance", Concordance)
        concordance.clear_options()
        options: list[Option] = []
        for article in page.articles:
            meta = " · ".join(
                x for x in (article.date or "undated", article.title or "(untitled)", article.source) if x
            )
            options.append(Option(Group(one_line(meta, "bold")), disabled=True))  # Group: drawn by Rich, one line
            options += [Option(mention_prompt(m), id=location_id(article.id, m.start)) for m in article.mentions]
        concordance.add_options(options)
        selectable = [i for i, option in enumerate(options) if not option.disabled]
        if selectable:
            concordance.highlighted = min(selectable, key=lambda i: (i < highlight, abs(i - highlight)))
        related = self.query_one("#view-related", RelatedList)
        related.clear_options()
        related.add_options([Option(related_prompt(r.entity.name, r.score), id=r.entity.id) for r in page.related])
        if related.option_count:
            related.highlighted = 0

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
