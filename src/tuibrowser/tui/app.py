"""The tuibrowser app: wires the panes to the core, runs slow work in workers, keeps history.

Data flows one way: widgets post messages (SearchRequested, ArticleRequested, ...); the app
decides, runs the core call in a thread worker and pushes the result down into the widgets.
A worker checks that it is still current before posting, so a stale search never
overwrites a newer one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import ContentSwitcher, Footer, Input, OptionList
from textual.worker import get_current_worker

from tuibrowser.core.errors import QueryError
from tuibrowser.core.services import Services
from tuibrowser.core.settings import Settings
from tuibrowser.core.user_state import UserState, Visit
from tuibrowser.tui.messages import (
    ArticleRequested,
    EntityHighlighted,
    EntityRequested,
    MentionsExhausted,
    SearchRequested,
)
from tuibrowser.tui.widgets.entities import EntitySidebar, EntityView
from tuibrowser.tui.widgets.reader import ArticleReader
from tuibrowser.tui.widgets.search_pane import SearchPane

if TYPE_CHECKING:
    from textual.command import Provider

    from tuibrowser.core.article import Article
    from tuibrowser.core.entities.views import ArticleEntity
    from tuibrowser.core.search import SearchResult

LATEST_LIMIT = 200
"""Articles listed before any query; the index is sorted, so this costs the same at any size."""

RESULT_LIMIT = 50


@dataclass(frozen=True)
class OpenedArticle:
    """Everything the reader and sidebar need for one article, loaded in a worker."""

    article: Article
    entities: list[ArticleEntity]
    matches: list[tuple[int, int]]
    anchor: int


# The palette's providers are imported when the palette first opens (Textual accepts
# callables returning Provider classes), keeping textual.command off the start-up path.
def _articles_provider() -> type[Provider]:
    from tuibrowser.tui.commands import ArticlesProvider

    return ArticlesProvider


def _entities_provider() -> type[Provider]:
    from tuibrowser.tui.commands import EntitiesProvider

    return EntitiesProvider


def _searches_provider() -> type[Provider]:
    from tuibrowser.tui.commands import RecentSearchesProvider

    return RecentSearchesProvider


class TuiBrowserApp(App[None]):
    """Search pane, article reader and entity sidebar; wide terminals show all three."""

    # Absolute, so subclasses defined elsewhere (benchmarks, tests) find it too.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "tuibrowser"
    COMMANDS = App.COMMANDS | {_articles_provider, _entities_provider, _searches_provider}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("question_mark", "help_key", "Help", id="app.help-key", show=False),
        Binding("slash", "focus_search", "Search", id="app.focus-search"),
        Binding("left_square_bracket,backspace", "back_key", "Back", id="app.back"),
        Binding("alt+left", "back", "Back", id="app.back-alt", show=False),
        Binding("right_square_bracket", "forward_key", "Forward", id="app.forward", show=False),
        Binding("alt+right", "forward", "Forward", id="app.forward-alt", show=False),
        Binding("e", "toggle_entities", "Entities", id="app.entities"),
        Binding("r", "focus_reader", "Reader", id="app.reader", show=False),
        Binding("b", "bookmark", "Bookmark", id="app.bookmark", show=False),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    _TYPED_KEYS = {
        "help_key",
        "focus_search",
        "back_key",
        "forward_key",
        "toggle_entities",
        "focus_reader",
        "bookmark",
        "quit",
    }
    """Actions bound to keys that are text: disabled while the query box has focus, so they type."""

    def __init__(self, services: Services, settings: Settings, state: UserState) -> None:
        super().__init__()
        self.services = services
        self.settings = settings
        self.state = state
        self.current_query = ""
        self.current_article: OpenedArticle | None = None
        self.selected_entity: str | None = None
        self.view = "search"
        """What the center shows on a narrow terminal: "search", "article" or "entity"."""
        self._search_generation = 0
        self.search_latency: list[float] = []
        """Seconds from a query change to its results painted (bench/bench_tui.py reads it)."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield SearchPane(id="search-pane", search_as_you_type=self.settings.search_as_you_type)
            with ContentSwitcher(id="center", initial="reader"):
                yield ArticleReader(id="reader")
                yield EntityView(id="entity-view")
            yield EntitySidebar(id="sidebar")
        yield Footer()

    def on_mount(self) -> None:
        try:
            if self.settings.theme != self.theme:  # setting it restyles every widget: only if it changes
                self.theme = self.settings.theme
        except Exception:  # an unknown theme name from the user's config
            self.settings.problems.append(f"unknown theme {self.settings.theme!r}; using the default")
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        for problem in [*self.settings.problems, *self.state.problems]:
            self.notify(problem, severity="warning", timeout=8)
        self._set_view("search")
        self.query_one("#query", Input).focus()
        self.load_start()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in self._TYPED_KEYS and isinstance(self.focused, Input))

    # Start-up: nothing proportional to the corpus before the first frame.

    @work(thread=True, exclusive=True, group="start")
    def load_start(self) -> None:
        started = time.perf_counter()
        try:
            report = self.services.ensure_index()
        except Exception as error:  # a locked or unreadable index, a bad entities.toml
            self.call_from_thread(self.notify, f"Cannot open the index: {error}", severity="error", timeout=15)
            return
        latest = self.services.latest(LATEST_LIMIT)
        if report is not None and report.changed:
            message = f"Indexed the corpus: {report.summary()} ({time.perf_counter() - started:.1f} s)"
            self.call_from_thread(self.notify, message, timeout=4)
        self.call_from_thread(self._show_latest, latest)

    def _show_latest(self, latest) -> None:
        if not self.current_query:
            self.query_one(SearchPane).show_latest(latest, self.state.read)

    # Search as you type: at most one search runs; the newest query always wins.

    @on(SearchRequested)
    def _search_requested(self, event: SearchRequested) -> None:
        self.request_search(event.query)
        if event.submitted:
            self.action_focus_results()

    def request_search(self, query: str) -> None:
        self.current_query = query
        self._search_generation += 1
        if not query.strip():
            self.load_start()
            return
        self.run_search(query, self._search_generation, time.perf_counter())

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str, generation: int, started: float) -> None:
        worker = get_current_worker()
        try:
            result: SearchResult | QueryError = self.services.search(query, limit=RESULT_LIMIT)
        except QueryError as error:
            result = error
        if worker.is_cancelled or generation != self._search_generation:
            return  # a newer query is on its way
        self.call_from_thread(self._show_search, result, generation, started)

    def _show_search(self, result, generation: int, started: float) -> None:
        if generation != self._search_generation:
            return
        pane = self.query_one(SearchPane)
        if isinstance(result, QueryError):
            pane.show_error(str(result))
            return
        pane.show_results(result, self.state.read)
        self.call_after_refresh(lambda: self.search_latency.append(time.perf_counter() - started))
        self._visit(Visit("search", result.query))

    def show_query(self, query: str) -> None:
        """Put a query in the box (without it counting as typing) and search for it."""
        self._set_view("search")
        box = self.query_one("#query", Input)
        with box.prevent(Input.Changed):
            box.value = query
        self.request_search(query)

    def run_search_from_palette(self, query: str) -> None:
        self.show_query(query)
        self.action_focus_results()

    # Articles.

    @on(ArticleRequested)
    def _article_requested(self, event: ArticleRequested) -> None:
        self.open_article(event.article_id, event.anchor)

    def open_article(self, article_id: str, anchor: int = -1, record: bool = True) -> None:
        self.load_article(article_id, anchor, self.current_query, record)

    @work(thread=True, exclusive=True, group="article")
    def load_article(self, article_id: str, anchor: int, query: str, record: bool) -> None:
        worker = get_current_worker()
        try:
            article = self.services.article(article_id)
            entities = self.services.article_entities(article_id)
        except Exception as error:  # a vanished article, an index being rebuilt
            self.call_from_thread(self.notify, f"Cannot open that article: {error}", severity="error")
            return
        from tuibrowser.core.search import match_spans

        matches = match_spans(article.text, query) if query.strip() else []
        if not worker.is_cancelled:
            self.call_from_thread(self._show_article, OpenedArticle(article, entities, matches, anchor), record)

    async def _show_article(self, opened: OpenedArticle, record: bool) -> None:
        await self.query_one(EntitySidebar).ready()
        self.current_article = opened
        ids = {item.entity.id for item in opened.entities}
        if self.selected_entity not in ids:
            self.selected_entity = None
        reader = self.query_one(ArticleReader)
        reader.show(
            opened.article, opened.entities, opened.matches, anchor=opened.anchor, selected_entity=self.selected_entity
        )
        self.query_one(EntitySidebar).show_entities(opened.entities, self.selected_entity)
        if self.selected_entity:
            self.load_entity_detail(self.selected_entity)
        self.query_one(ContentSwitcher).current = "reader"
        self._set_view("article")
        reader.focus()
        if opened.article.id not in self.state.read:
            self.state.read.add(opened.article.id)
        if record:
            self._visit(Visit("article", opened.article.id, max(opened.anchor, 0)))
        else:
            self._save_state()

    # Entities.

    @on(EntityHighlighted)
    def _entity_highlighted(self, event: EntityHighlighted) -> None:
        self.selected_entity = event.entity_id
        self.query_one(ArticleReader).select_entity(event.entity_id)
        self.load_entity_detail(event.entity_id)

    @work(thread=True, exclusive=True, group="entity-detail")
    def load_entity_detail(self, entity_id: str) -> None:
        worker = get_current_worker()
        record = self.services.entity(entity_id)
        if record is None:
            return
        articles, related = self.services.overview(entity_id)
        current = self.current_article.article.id if self.current_article else None
        if not worker.is_cancelled:
            self.call_from_thread(self.query_one(EntitySidebar).show_detail, record, current, articles, related)

    @on(EntityRequested)
    def _entity_requested(self, event: EntityRequested) -> None:
        self.open_entity(event.entity_id)

    async def action_open_selected_entity(self) -> None:
        await self.query_one(EntitySidebar).ready()
        option_list = self.query_one("#entity-list", OptionList)
        if option_list.highlighted is not None:
            option = option_list.get_option_at_index(option_list.highlighted)
            if option.id:
                self.open_entity(option.id)

    def open_entity(self, entity_id: str, record: bool = True) -> None:
        self.load_entity_view(entity_id, record)

    @work(thread=True, exclusive=True, group="entity-view")
    def load_entity_view(self, entity_id: str, record: bool) -> None:
        worker = get_current_worker()
        entity = self.services.entity(entity_id)
        if entity is None:
            self.call_from_thread(self.notify, f"Unknown entity {entity_id!r}", severity="error")
            return
        articles, related = self.services.overview(entity_id)
        if not worker.is_cancelled:
            self.call_from_thread(self._show_entity_view, entity, articles, related, record)

    async def _show_entity_view(self, entity, articles, related, record: bool) -> None:
        await self.query_one(EntityView).ready()
        self.selected_entity = entity.entity.id
        view = self.query_one(EntityView)
        view.show(entity, articles, related)
        self.query_one(ContentSwitcher).current = "entity-view"
        self._set_view("entity")
        self.query_one("#concordance", OptionList).focus()
        if record:
            self._visit(Visit("entity", entity.entity.id))

    @on(MentionsExhausted)
    def _mentions_exhausted(self, event: MentionsExhausted) -> None:
        self.continue_concordance(event.entity_id, event.forward)

    @work(thread=True, exclusive=True, group="concordance")
    def continue_concordance(self, entity_id: str, forward: bool) -> None:
        """Past the last mention here: open the next article that mentions the entity (date order)."""
        articles = self.services.concordance(entity_id)
        current = self.current_article.article.id if self.current_article else None
        ids = [a.id for a in articles]
        if current not in ids:
            return
        index = ids.index(current) + (1 if forward else -1)
        if not 0 <= index < len(articles):
            where = "last" if forward else "first"
            self.call_from_thread(self.notify, f"This is the {where} article that mentions it.", timeout=3)
            return
        target = articles[index]
        mention = target.mentions[0] if forward else target.mentions[-1]
        self.call_from_thread(self.open_article, target.id, mention.start)

    # History.

    def _visit(self, visit: Visit) -> None:
        self.state.history.visit(visit)
        self._save_state()

    def _save_state(self) -> None:
        self.state.save()

    def _go(self, visit: Visit | None) -> None:
        if visit is None:
            self.bell()
            return
        if visit.kind == "search":
            self.show_query(visit.target)
            self.query_one("#query", Input).focus()
        elif visit.kind == "article":
            self.open_article(visit.target, visit.anchor, record=False)
        else:
            self.open_entity(visit.target, record=False)

    def action_back(self) -> None:
        self._go(self.state.history.back())

    def action_forward(self) -> None:
        self._go(self.state.history.forward())

    def action_back_key(self) -> None:
        self.action_back()

    def action_forward_key(self) -> None:
        self.action_forward()

    def action_help_key(self) -> None:
        self.action_help()

    # Focus, layout, help, bookmarks.

    def _set_view(self, view: str) -> None:
        self.view = view
        for name in ("search", "article", "entity"):
            self.screen.set_class(view == name, f"-view-{name}")

    def action_focus_search(self) -> None:
        self._set_view("search")
        self.query_one("#query", Input).focus()

    def action_focus_results(self) -> None:
        self._set_view("search")
        self.query_one("#results", OptionList).focus()

    def action_focus_reader(self) -> None:
        if self.current_article:
            self.query_one(ContentSwitcher).current = "reader"
            self._set_view("article")
            self.query_one(ArticleReader).focus()

    async def action_toggle_entities(self) -> None:
        """Wide: move focus to the sidebar and back. Narrow: show or hide it as an overlay."""
        sidebar = self.query_one(EntitySidebar)
        await sidebar.ready()
        if sidebar.has_focus_within:
            self.screen.remove_class("-sidebar-open")
            self.action_focus_reader()
            return
        self.screen.add_class("-sidebar-open")
        self.query_one("#entity-list", OptionList).focus()

    def action_bookmark(self) -> None:
        if self.view == "entity" and self.selected_entity:
            visit = Visit("entity", self.selected_entity)
        elif self.current_article:
            visit = Visit("article", self.current_article.article.id)
        else:
            return
        added = self.state.toggle_bookmark(visit)
        self._save_state()
        self.notify("Bookmarked." if added else "Bookmark removed.", timeout=2)

    def action_help(self) -> None:
        """Show the keys that work here, read from the live bindings (keymap overrides included)."""
        rows: list[tuple[int, str, str, str]] = []
        seen: set[tuple[str, str]] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.description or not active.enabled:
                continue
            where = _pane_name(active.node)
            if (where, binding.description) in seen:
                continue
            seen.add((where, binding.description))
            order = 0 if active.node is self.focused else (2 if active.node is self else 1)
            rows.append((order, where, self.get_key_display(binding), binding.description))
        from tuibrowser.tui.help_screen import HelpScreen

        title = f"Keys for {_pane_name(self.focused)}" if self.focused else "Keys"
        self.push_screen(HelpScreen(title, [row[1:] for row in sorted(rows)]))

    def get_system_commands(self, screen):
        """Textual's built-in commands, plus importing files."""
        from textual.app import SystemCommand

        yield from super().get_system_commands(screen)
        yield SystemCommand("Import files…", "Add articles from files or folders to the corpus", self.action_import)

    def action_import(self) -> None:
        from tuibrowser.tui.import_screen import ImportScreen

        def refresh(imported: int | None) -> None:
            if imported:
                self.notify(f"{imported} file{'s' if imported != 1 else ''} imported or updated.", timeout=4)
                if self.current_query.strip():
                    self.request_search(self.current_query)
                else:
                    self.load_start()

        self.push_screen(ImportScreen(), refresh)

    async def action_quit(self) -> None:
        self._save_state()
        self.exit()


_PANE_NAMES = {
    "query": "the query box",
    "results": "the results",
    "reader": "the reader",
    "entity-list": "the entity list",
    "entity-articles": "the entity's other articles",
    "entity-related": "related entities",
    "concordance": "the entity's mentions",
    "view-related": "related entities",
}


def _pane_name(node) -> str:
    if isinstance(node, App):
        return "anywhere"
    return _PANE_NAMES.get(node.id or "", type(node).__name__)


def create_app(services: Services, settings: Settings, state: UserState) -> TuiBrowserApp:
    """The one factory the CLI, the tests and the benchmarks use."""
    return TuiBrowserApp(services, settings, state)
