"""The entity sidebar: the open article's entities, and the selected one across the corpus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuibrowser.tui.messages import ArticleRequested, EntityHighlighted, EntityRequested
from tuibrowser.tui.text import one_line, plural
from tuibrowser.tui.widgets.deferred import DeferredPane
from tuibrowser.tui.widgets.timeline import Line, TimelineView

if TYPE_CHECKING:
    from tuibrowser.core.entities.views import ArticleEntity
    from tuibrowser.core.services import EntityPage

TYPE_LABELS = {
    "person": "People",
    "organization": "Organisations",
    "place": "Places",
    "event": "Events, agreements, rulings",
    "group": "Groups",
}
"""Section titles, in the order of core.entities.kb.ENTITY_TYPES."""


CURATION_BINDINGS = [
    Binding("R", "screen.curate_rename", "Rename the entity (the old name stays an alias)", id="entity.rename"),
    Binding("T", "screen.curate_retype", "Change the entity's type", id="entity.type"),
    Binding("A", "screen.curate_alias", "Add an alias (another spelling) to the entity", id="entity.alias"),
    Binding("D", "screen.curate_unalias", "Drop (remove) one of the entity's aliases", id="entity.unalias"),
    Binding("J", "screen.curate_merge", "Merge (join) the entity into another, chosen from a list", id="entity.merge"),
    Binding("S", "screen.curate_split", "Split an alias off into a new entity of a chosen type", id="entity.split"),
    Binding("H", "screen.curate_hide", "Hide a discovered entity: never found again (U lists them)", id="entity.hide"),
    Binding("P", "screen.curate_promote", "Promote a discovered entity into entities.toml", id="entity.promote"),
]
"""Curating the selected entity (in the sidebar's list and the entity view): the changes are
written to entities.toml and can be undone (`u`) and redone (Ctrl+R)."""

CURATION_HINT = (("entity.rename", "entity.type", "entity.alias", "entity.merge", "entity.hide"), "edit")
"""The five commonest: with D, S and P too the pair would not fit the entity list's hint line at
80 columns (F1 lists all eight)."""


def location_id(article_id: str, start: int) -> str:
    """An option id that says where to open: the article and the mention's offset."""
    return f"{article_id}@{start}"


def parse_location(option_id: str) -> tuple[str, int]:
    article_id, _, start = option_id.rpartition("@")
    return article_id, int(start)


def related_prompt(name: str, score: float) -> Text:
    """A related entity with its overlap (shared articles / either's articles), the order's key."""
    prompt = Text(f"{round(score * 100):>3}% ", style="dim")
    prompt.append(name)
    return one_line(prompt)


class EntityList(OptionList):
    """The open article's entities by type; moving the highlight selects one."""

    BINDINGS = [
        Binding("enter,v", "select", "Open the entity's view", id="sidebar.entity-view", show=False),
        Binding("m", "screen.next_mention", "Next mention", id="reader.next-mention", show=False),
        Binding("M", "screen.previous_mention", "Previous mention", id="reader.previous-mention", show=False),
        Binding("j", "cursor_down", "Down", id="sidebar.down", show=False),
        Binding("k", "cursor_up", "Up", id="sidebar.up", show=False),
        *CURATION_BINDINGS,
    ]

    HINTS = (
        (("sidebar.entity-view",), "entity view"),
        (("reader.next-mention", "reader.previous-mention"), "mention"),
        (("main.focus-reader",), "reader"),
        (("main.entities",), "close"),
        CURATION_HINT,
    )


class SidebarList(OptionList):
    """The selected entity's other articles, or its related entities."""

    BINDINGS = [
        Binding("enter", "select", "Open", id="sidebar.open", show=False),
        Binding("j", "cursor_down", "Down", id="sidebar.down", show=False),
        Binding("k", "cursor_up", "Up", id="sidebar.up", show=False),
    ]

    HINTS = (
        (("sidebar.open",), "open"),
        (("main.focus-reader",), "reader"),
        (("main.entities",), "close"),
        (("main.back",), "back"),
    )


class EntitySidebar(DeferredPane):
    """Posts EntityHighlighted as the selection moves, EntityRequested on Enter."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entities: tuple[ArticleEntity, ...] = ()

    def compose_deferred(self) -> ComposeResult:
        yield Static(Text("Entities in this article"), classes="pane-title")
        yield EntityList(id="entity-list")
        yield Static(Text(""), id="entity-detail-title", classes="pane-title")
        yield TimelineView(interactive=False, label_width=0, id="sidebar-timeline")
        yield SidebarList(id="entity-articles")
        yield Static(Text("Related (overlap)"), classes="pane-title -related")
        yield SidebarList(id="entity-related", classes="-related")

    # State, pushed down by the screen.

    def show_entities(self, entities: tuple[ArticleEntity, ...], selected: str | None) -> None:
        """List an article's entities; nothing is posted for the highlight set here."""
        entity_list = self.query_one("#entity-list", EntityList)
        if entities != self.entities:
            self.entities = entities
            options: list[Option] = []
            for kind, label in TYPE_LABELS.items():
                group = [item for item in entities if item.entity.type == kind]
                if not group:
                    continue
                options.append(Option(one_line(label, "italic"), disabled=True))
                for item in group:
                    prompt = Text(f"{len(item.mentions):>3} ", style="dim")
                    prompt.append(item.entity.name)
                    if item.entity.discovered:
                        prompt.append(" *", style="dim")
                    options.append(Option(one_line(prompt), id=item.entity.id))
            if not options:
                options.append(Option(Text("No entities in this article.", style="dim"), disabled=True))
            elif any(item.entity.discovered for item in entities):
                options.append(Option(Text("* found by reading the text", style="dim italic"), disabled=True))
            with entity_list.prevent(OptionList.OptionHighlighted):
                entity_list.clear_options()
                entity_list.add_options(options)
        self.select(selected)

    def focus_list(self) -> None:
        """Focus the entity list on the selected entity, or select the first one."""
        entity_list = self.query_one("#entity-list", EntityList)
        entity_list.focus()
        if entity_list.highlighted is None or entity_list.get_option_at_index(entity_list.highlighted).disabled:
            first = next((i for i in range(entity_list.option_count) if entity_list.get_option_at_index(i).id), None)
            if first is not None:
                entity_list.highlighted = first  # posts OptionHighlighted: the screen selects it

    def select(self, entity_id: str | None) -> None:
        entity_list = self.query_one("#entity-list", EntityList)
        index = None
        if entity_id is not None:
            index = next(
                (i for i in range(entity_list.option_count) if entity_list.get_option_at_index(i).id == entity_id), None
            )
        if index is not None and entity_list.highlighted != index:
            with entity_list.prevent(OptionList.OptionHighlighted):
                entity_list.highlighted = index

    def show_detail(self, page: EntityPage | None, current_article: str | None) -> None:
        """The selected entity's other articles (one line each) and related entities."""
        title = self.query_one("#entity-detail-title", Static)
        listing = self.query_one("#entity-articles", SidebarList)
        related = self.query_one("#entity-related", SidebarList)
        listing.clear_options()
        related.clear_options()
        timeline = self.query_one("#sidebar-timeline", TimelineView)
        if page is None:
            title.update(Text("Its other articles"))
            timeline.show(None)
            return
        timeline.show(Line(page.record.entity.name, page.timeline))
        others = [a for a in page.articles if a.id != current_article and a.mentions]
        title.update(Text(f"In {plural(len(others), 'other article')}" if others else "In no other article"))
        listing.add_options(
            [
                Option(
                    one_line(f"{a.date or 'undated'}  {a.title or '(untitled)'}"),
                    id=location_id(a.id, a.mentions[0].start),
                )
                for a in others
            ]
        )
        related.add_options([Option(related_prompt(r.entity.name, r.score), id=r.entity.id) for r in page.related])
        for option_list in (listing, related):
            if option_list.option_count:
                option_list.highlighted = 0

    @on(OptionList.OptionHighlighted, "#entity-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id:
            self.post_message(EntityHighlighted(event.option.id))

    @on(OptionList.OptionSelected, "#entity-list")
    def _opened(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(EntityRequested(event.option.id))

    @on(OptionList.OptionSelected, "#entity-articles")
    def _article(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(ArticleRequested(*parse_location(event.option.id)))

    @on(OptionList.OptionSelected, "#entity-related")
    def _related(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(EntityRequested(event.option.id))
