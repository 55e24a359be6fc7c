"""The tuibrowser app: settings, theme and keymap, the keys that work everywhere, and the main screen.

The browser itself (panes, state, workers) is `screens/main.py`; this module wires it to the
core and owns what is global: quitting (Ctrl+Q always, from anywhere, even the query box),
help (F1), the command palette and its providers, and importing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode

from tuibrowser.core.services import Services
from tuibrowser.core.settings import Settings
from tuibrowser.core.user_state import StateStore
from tuibrowser.tui.screen_diff import ScreenDiff, diffing_driver
from tuibrowser.tui.screens import QUIT_ANYWHERE
from tuibrowser.tui.screens.browser import MainScreen
from tuibrowser.tui.text import outside

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.driver import Driver
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from tuibrowser.tui.screens.help import Row


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


_start_up_frozen = False
"""Whether start-up's objects were moved out of the collector's sight already (once per process:
tests run many apps in one)."""

OUR_BINDINGS = (
    "app.",
    "main.",
    "search.",
    "results.",
    "reader.",
    "sidebar.",
    "concordance.",
    "related.",
    "places.",
    "timeline.",
    "following.",
    "entity.",
    "hidden.",
    "dialog.",
)
"""Prefixes of tuibrowser's binding ids: these are the keymap API, and what help lists."""

PANE_NAMES = {
    "query": "the query box",
    "results": "the results",
    "reader": "the reader",
    "entity-list": "the entity list",
    "entity-articles": "the entity's other articles",
    "entity-related": "related entities",
    "concordance": "the entity's mentions",
    "view-related": "related entities",
}


class TuiBrowserApp(App[None]):
    """Search pane, article reader and entity sidebar; wide terminals show all three."""

    # Absolute, so subclasses defined elsewhere (benchmarks, tests) find it too.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "tuibrowser"
    COMMANDS = App.COMMANDS | {_articles_provider, _entities_provider, _searches_provider}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide"), (150, "-widest")]
    """Narrow: one pane at a time. Wide: results beside the reader, or the reader beside the
    entities. Widest: all three."""
    VERTICAL_BREAKPOINTS = [(0, "-short"), (18, "-tall")]
    """Short (under 18 lines): the sidebar keeps its lists and drops the timeline and the
    related entities, which otherwise left the entity list no line at all."""

    BINDINGS = [
        # Priority: works in the query box too, where letters type.
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("ctrl+p", "command_palette", "Command palette", id="app.command-palette", priority=True),
        Binding("f1", "help", "Keys for the focused pane", id="app.help"),
        Binding("ctrl+l", "redraw", "Redraw the screen", id="app.redraw", show=False),
        QUIT_ANYWHERE,  # not priority: in a text box Q is a letter
    ]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is plain text: they carry names, titles and paths from outside
        (an entity renamed "[@click=app.quit]" must show as typed). Widgets' and screens'
        `notify` pass markup=True explicitly, so it is ignored here, not just defaulted."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def __init__(self, services: Services, settings: Settings, store: StateStore) -> None:
        super().__init__()
        self.services = services
        self.settings = settings
        self.store = store
        self.main = MainScreen(services, settings, store)
        self._clashes_reported: set[str] = set()
        self._collector_paused = False

    def on_load(self) -> None:
        """Pause Python's cyclic garbage collector until the first frame is on screen.

        Start-up creates Textual's and our long-lived objects by the ten thousand, and the
        collector walks them again and again while they are made (its first full collection
        alone took 13-26 ms of a ~200 ms start here), finding almost no garbage. Textual
        pauses it the same way while scrolling (App.PAUSE_GC_ON_SCROLL).
        """
        if gc.isenabled():
            gc.disable()
            self._collector_paused = True

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal, writing only the cells that change (see
        screen_diff: a results change is about 2 KB instead of 4-5 KB over SSH). A driver
        chosen with TEXTUAL_DRIVER is used as it is."""
        from textual import constants

        base = super().get_driver_class()
        if constants.DRIVER is not None:
            return base
        return diffing_driver(base)

    def _forget_picture(self) -> None:
        screen_diff = getattr(self._driver, "screen_diff", None)
        if isinstance(screen_diff, ScreenDiff):
            screen_diff.reset()

    def on_resize(self) -> None:
        """The terminal may have redrawn or reflowed what was on it: the next frame is whole."""
        self._forget_picture()

    def action_redraw(self) -> None:
        """Ctrl+L, as in every terminal program: paint everything again (after another
        program wrote over the screen, say)."""
        self._forget_picture()
        self.screen.refresh(repaint=True)

    @property
    def search_latency(self) -> list[float]:
        """Seconds from a query change to its results on screen (bench/bench_tui.py reads it)."""
        return self.main.search_latency

    def on_mount(self) -> None:
        try:
            if self.settings.theme != self.theme:  # setting it restyles every widget: only if it changes
                self.theme = self.settings.theme
        except Exception:  # an unknown theme name from the user's config
            self.settings.problems.append(f"unknown theme {self.settings.theme!r}; using the default")
        if self.settings.keymap:
            keymap, problems = checked_keymap(self.settings.keymap)
            self.settings.problems += problems
            self.set_keymap(keymap)
        for problem in [*self.settings.problems, *self.store.problems]:
            self.notify(outside(problem), severity="warning", timeout=8)
        # After the refresh that paints the first frame has been processed, not during it.
        self.call_after_refresh(self.call_after_refresh, self._resume_collector, True)

    def on_unmount(self) -> None:
        self._resume_collector()  # however the app ends, even before its first frame

    def _resume_collector(self, freeze: bool = False) -> None:
        """The collector runs again. Once, after the first frame: start-up's garbage (~2,000
        objects) is collected and what is left, which lives as long as the app (modules, the
        first screen), is moved out of the collector's sight (`gc.freeze`), so later full
        collections walk only what is newer."""
        global _start_up_frozen
        if not self._collector_paused:
            return
        self._collector_paused = False
        if freeze and not _start_up_frozen:
            _start_up_frozen = True
            gc.collect()
            gc.freeze()
        gc.enable()

    def get_default_screen(self) -> Screen:
        """The browser is the app's base screen; dialogs go on top of it."""
        return self.main

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: DOMNode) -> None:
        """A keymap entry gave a key that another binding here already has: say so, once."""
        for binding in clashed_bindings:
            message = f"keymap: {binding.key!r} is taken here; {binding.id or binding.action} keeps its own key"
            if message not in self._clashes_reported:
                self._clashes_reported.add(message)
                self.notify(outside(message), severity="warning", timeout=8)

    # Help.

    def action_help(self) -> None:
        """Every key that works here, read from the live bindings (keymap overrides included)."""
        from tuibrowser.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        focused = self.screen.focused
        # Sections in order (the focused pane, then what works anywhere), rows in the order
        # the bindings are declared, keys of one binding together.
        grouped: dict[tuple[int, str], dict[str, list[str]]] = {}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not active.enabled or not binding.id or not binding.id.startswith(OUR_BINDINGS):
                continue
            node = active.node
            order = 0 if node is focused else (2 if isinstance(node, App | MainScreen) else 1)
            where = "anywhere" if order == 2 else _pane_name(node)
            section = grouped.setdefault((order, where), {})
            section.setdefault(binding.description or binding.id, []).append(
                self.get_key_display(binding.with_key(key))
            )
        rows: list[Row] = [
            (where, ", ".join(keys), what)
            for (_, where), section in sorted(grouped.items())
            for what, keys in section.items()
        ]
        title = f"Keys for {_pane_name(focused)}" if focused is not None else "Keys"
        self.push_screen(HelpScreen(title, rows))

    # Commands.

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's built-in commands, plus importing files, the bookmarks, and curation's undo,
        redo and hidden names."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Import files…", "Add articles from files or folders to the corpus", self.action_import)
        yield SystemCommand(
            "Bookmarks and history", "Every bookmark, and the places visited lately", self.main.action_places
        )
        yield SystemCommand(
            "Undo entity change", "Undo the last change to entities.toml", self.main.action_undo_curation
        )
        yield SystemCommand(
            "Redo entity change", "Redo the change to entities.toml undone last", self.main.action_redo_curation
        )
        yield SystemCommand(
            "Hidden names", "Names discovery never makes an entity of; restore one", self.main.action_hidden_names
        )

    def action_import(self) -> None:
        from tuibrowser.tui.screens.import_dialog import ImportScreen

        def done(imported: int | None) -> None:
            if imported:
                self.notify(f"{imported} file{'s' if imported != 1 else ''} imported or updated.", timeout=4)
                self.main.refresh_after_import()

        self.push_screen(ImportScreen(self.services), done)

    async def action_quit(self) -> None:
        """Save the reading state (small, so on this thread) and leave."""
        self.main.flush_state()
        self.exit()


def checked_keymap(keymap: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The [keymap] entries that can apply, and what is wrong with the others.

    An unknown id is reported. An entry for app.quit adds its keys to Ctrl+Q, which always
    quits (a reader must never be locked in by a typo). A key that another binding of the same pane already
    has: Textual gives the key to the override and silently leaves the other binding with
    no key at all (textual 8.2.8, binding.py BindingsMap.apply_keymap: its clash test
    treats every binding absent from the keymap as "being rebound"), so such an entry is
    not applied.
    """
    bindings_by_class = _our_bindings()
    known = {b.id for bindings in bindings_by_class for b in bindings if b.id}
    problems = [f"keymap: no binding has the id {i!r} (F1 shows the keys)" for i in sorted(set(keymap) - known)]
    wanted = {k: v for k, v in keymap.items() if k in known}
    if "app.quit" in wanted and "ctrl+q" not in [key.strip() for key in wanted["app.quit"].split(",")]:
        wanted["app.quit"] = f"ctrl+q,{wanted['app.quit']}"  # adds a key: Ctrl+Q always quits
    refused: set[str] = set()
    for bindings in bindings_by_class:
        holders: dict[str, set[str]] = {}
        for binding in bindings:
            if not binding.id:
                continue
            keys = wanted.get(binding.id, binding.key).split(",")
            for key in keys:
                holders.setdefault(key.strip(), set()).add(binding.id)
        for key, ids in holders.items():
            overriding = sorted(i for i in ids if i in wanted and key in wanted[i].split(","))
            if len(ids) > 1 and overriding:
                for binding_id in overriding:
                    others = ", ".join(sorted(ids - {binding_id}))
                    problems.append(f"keymap: {key!r} for {binding_id} is taken by {others}; left as it was")
                    refused.add(binding_id)
    return {k: v for k, v in wanted.items() if k not in refused}, problems


def _our_bindings() -> list[list[Binding]]:
    """Each pane's bindings (the screen's and the app's included, as they share the keys)."""
    from tuibrowser.tui.screens.dialogs import PickerScreen, TextPrompt
    from tuibrowser.tui.screens.following import FollowingScreen, NewList, WatchList
    from tuibrowser.tui.screens.help import HelpScreen
    from tuibrowser.tui.screens.hidden import HiddenList, HiddenScreen
    from tuibrowser.tui.screens.import_dialog import ImportScreen
    from tuibrowser.tui.screens.places import PlacesList, PlacesScreen
    from tuibrowser.tui.widgets.entity_sidebar import EntityList, SidebarList
    from tuibrowser.tui.widgets.entity_view import Concordance, RelatedList
    from tuibrowser.tui.widgets.reader import ArticleReader
    from tuibrowser.tui.widgets.search_pane import QueryInput, ResultsList
    from tuibrowser.tui.widgets.timeline import TimelineView

    shared = [*Binding.make_bindings(TuiBrowserApp.BINDINGS), *Binding.make_bindings(MainScreen.BINDINGS)]
    panes: list[type[DOMNode]] = [ArticleReader, QueryInput, ResultsList, EntityList, SidebarList]
    panes += [Concordance, RelatedList]
    dialogs: list[type[DOMNode]] = [PlacesList, PlacesScreen, HelpScreen, ImportScreen]
    dialogs += [WatchList, NewList, FollowingScreen, TimelineView]
    dialogs += [HiddenList, HiddenScreen, PickerScreen, TextPrompt]
    found = [[*Binding.make_bindings(cls.BINDINGS), *shared] for cls in panes]
    return found + [list(Binding.make_bindings(cls.BINDINGS)) for cls in dialogs]


def _pane_name(node: DOMNode | None) -> str:
    if node is None:
        return "anywhere"
    return PANE_NAMES.get(node.id or "", type(node).__name__)


def create_app(services: Services, settings: Settings, store: StateStore) -> TuiBrowserApp:
    """The one factory the CLI, the tests and the benchmarks use."""
    return TuiBrowserApp(services, settings, store)
