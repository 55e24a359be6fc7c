"""The entity sidebar (the open article's entities) and the entity view (one entity, corpus-wide)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuibrowser.tui.messages import ArticleRequested, EntityHighlighted, EntityRequested

if TYPE_CHECKING:
    from tuibrowser.core.entities.registry import EntityRecord
    from tuibrowser.core.entities.views import ArticleEntity, ConcordanceArticle, RelatedEntity

TYPE_LABELS = {
    "person": "People",
    "organization": "Organisations",
    "place": "Places",
    "event": "Events, agreements, rulings",
    "group": "Groups",
}


def _location(article_id: str, start: int) -> str:
    return f"{article_id}@{start}"


def _parse_location(option_id: str) -> tuple[str, int]:
    article_id, _, start = option_id.rpartition("@")
    return article_id, int(start)


def mention_prompt(article: ConcordanceArticle, context: str) -> Text:
    prompt = Text(f"{article.date or 'undated'}  ", style="italic")
    prompt.append(article.title or "(untitled)", style="bold")
    prompt.append("\n")
    prompt.append(context)
    return prompt


class EntityList(OptionList):
    """The open article's entities; Enter opens the entity's own view."""

    BINDINGS = [Binding("v", "app.open_selected_entity", "Entity view", id="sidebar.entity-view")]


class DeferredPane(Vertical):
    """A pane whose widgets are built just after the first frame, not before it.

    Nothing is shown in it before an article or entity is opened, so building it later keeps
    start-up close to a bare Textual app's without changing what anyone sees.
    """

    def compose_deferred(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.call_after_refresh(self._build)

    async def _build(self) -> None:
        if not self.children:
            await self.mount_all(list(self.compose_deferred()))

    async def ready(self) -> None:
        """Build now if the first frame has not come yet (a fast keyboard, a test)."""
        await self._build()


class EntitySidebar(DeferredPane):
    """Posts EntityHighlighted as the selection moves, EntityRequested on Enter."""

    def compose_deferred(self) -> ComposeResult:
        yield Static(Text("Entities"), classes="pane-title")
        yield EntityList(id="entity-list")
        yield Static(Text(""), id="entity-detail-title", classes="pane-title")
        yield OptionList(id="entity-articles")
        yield Static(Text("Related"), classes="pane-title")
        yield OptionList(id="entity-related")

    def show_entities(self, entities: list[ArticleEntity], selected: str | None = None) -> None:
        entity_list = self.query_one("#entity-list", OptionList)
        entity_list.clear_options()
        options: list[Option] = []
        for kind in TYPE_LABELS:  # the order of core.entities.kb.ENTITY_TYPES
            group = [item for item in entities if item.entity.type == kind]
            if not group:
                continue
            options.append(Option(Text(TYPE_LABELS[kind], style="italic"), disabled=True))
            for item in group:
                prompt = Text(f"  {item.entity.name}")
                prompt.append(f"  {len(item.mentions)}", style="dim")
                if item.entity.discovered:
                    prompt.append(" *", style="dim")
                options.append(Option(prompt, id=item.entity.id))
        if not options:
            options.append(Option(Text("No entities in this article.", style="dim"), disabled=True))
        entity_list.add_options(options)
        if selected is not None:
            index = next((i for i, o in enumerate(options) if o.id == selected), None)
            if index is not None:
                entity_list.highlighted = index
        self.query_one("#entity-detail-title", Static).update(Text(""))
        self.query_one("#entity-articles", OptionList).clear_options()
        self.query_one("#entity-related", OptionList).clear_options()

    def show_detail(
        self,
        record: EntityRecord,
        current_article: str | None,
        articles: list[ConcordanceArticle],
        related: list[RelatedEntity],
    ) -> None:
        """The selected entity's other articles (with a context line) and related entities."""
        others = [a for a in articles if a.id != current_article]
        title = Text(f"{record.entity.name}: also in {len(others)} article{'s' if len(others) != 1 else ''}")
        self.query_one("#entity-detail-title", Static).update(title)
        listing = self.query_one("#entity-articles", OptionList)
        listing.clear_options()
        listing.add_options(
            [
                Option(mention_prompt(a, a.mentions[0].context), id=_location(a.id, a.mentions[0].start))
                for a in others
                if a.mentions
            ]
        )
        related_list = self.query_one("#entity-related", OptionList)
        related_list.clear_options()
        related_list.add_options([Option(Text(f"{r.entity.name}  {r.articles}"), id=r.entity.id) for r in related])

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
            self.post_message(ArticleRequested(*_parse_location(event.option.id)))

    @on(OptionList.OptionSelected, "#entity-related")
    def _related(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(EntityRequested(event.option.id))


class EntityView(DeferredPane):
    """One entity across the corpus: every mention in date order, and related entities."""

    def compose_deferred(self) -> ComposeResult:
        yield Static(Text(""), id="entity-header")
        yield Static(Text("Mentions, oldest first"), classes="pane-title")
        yield OptionList(id="concordance")
        yield Static(Text("Related entities"), classes="pane-title")
        yield OptionList(id="view-related")

    def show(self, record: EntityRecord, articles: list[ConcordanceArticle], related: list[RelatedEntity]) -> None:
        entity = record.entity
        header = Text(entity.name, style="bold")
        kind = f"{entity.type}, discovered" if entity.discovered else entity.type
        header.append(f"  ({kind})", style="italic")
        if entity.description:
            header.append("\n" + entity.description)
        if entity.aliases:
            header.append("\nalso: " + ", ".join(entity.aliases), style="dim")
        count = sum(len(a.mentions) for a in articles)
        mentions = f"{count} mention{'s' if count != 1 else ''}"
        header.append(f"\n{mentions} in {len(articles)} article{'s' if len(articles) != 1 else ''}")
        self.query_one("#entity-header", Static).update(header)
        concordance = self.query_one("#concordance", OptionList)
        concordance.clear_options()
        concordance.add_options(
            [Option(mention_prompt(a, m.context), id=_location(a.id, m.start)) for a in articles for m in a.mentions]
        )
        related_list = self.query_one("#view-related", OptionList)
        related_list.clear_options()
        related_list.add_options([Option(Text(f"{r.entity.name}  {r.articles}"), id=r.entity.id) for r in related])

    @on(OptionList.OptionSelected, "#concordance")
    def _article(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(ArticleRequested(*_parse_location(event.option.id)))

    @on(OptionList.OptionSelected, "#view-related")
    def _related(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(EntityRequested(event.option.id))
