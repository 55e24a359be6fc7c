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

The screen is assembled from parts, one module each: `base` (state, jobs, views, history,
saving), `indexing`, `searching`, `reading`, `entities` and `curating`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import ContentSwitcher, Input

from tuibrowser.tui import jobs
from tuibrowser.tui.screens.browser.curating import Curating
from tuibrowser.tui.screens.browser.entities import Entities
from tuibrowser.tui.screens.browser.indexing import Indexing
from tuibrowser.tui.screens.browser.reading import Reading
from tuibrowser.tui.screens.browser.searching import Searching
from tuibrowser.tui.widgets.entity_sidebar import EntitySidebar
from tuibrowser.tui.widgets.entity_view import EntityView
from tuibrowser.tui.widgets.key_hints import KeyHints
from tuibrowser.tui.widgets.location_bar import LocationBar
from tuibrowser.tui.widgets.reader import ArticleReader
from tuibrowser.tui.widgets.search_pane import SearchPane, Status

if TYPE_CHECKING:
    pass


class MainScreen(Indexing, Searching, Reading, Entities, Curating):
    """Search pane, reader (or entity view) and entity sidebar; one pane at a time when narrow."""

    BINDINGS = [
        Binding("q", "up", "Up a level: article to results; quit at the results", id="main.up"),
        Binding("escape", "escape", "Leave the query box; close the panel; up a level", id="main.escape", show=False),
        Binding("slash", "focus_search", "New search (the query box, old query selected)", id="main.focus-search"),
        Binding("left_square_bracket,backspace,alt+left", "back", "Back", id="main.back"),
        Binding("right_square_bracket,alt+right", "forward", "Forward", id="main.forward"),
        Binding("e", "toggle_entities", "The article's entities (sidebar)", id="main.entities"),
        Binding("r", "focus_reader", "Back to the reader", id="main.focus-reader", show=False),
        Binding("b", "bookmark", "Bookmark (or unmark) this article or entity", id="main.bookmark"),
        Binding("B", "places", "Bookmarks and history", id="main.places"),
        Binding("w", "follow", "Follow (or stop following) this entity or search", id="main.follow"),
        Binding("W", "following", "Following: what is new for what you follow", id="main.following"),
        Binding("u", "undo_curation", "Undo the last change to the entities", id="main.undo"),
        Binding("ctrl+r", "redo_curation", "Redo the change to the entities undone last", id="main.redo"),
        Binding("U", "hidden_names", "Hidden names: restore one", id="main.hidden-names"),
        Binding("question_mark", "app.help", "Keys for this pane", id="main.help-key", show=False),
        Binding("tab", "app.focus_next", "Next pane", id="main.next-pane", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous pane", id="main.previous-pane", show=False),
    ]

    POLL_SECONDS = 2.0
    """How often to look for changes made by other processes (a directory listing and a stat)."""

    def compose(self) -> ComposeResult:
        self._set_breakpoints(self.app.size.width, self.app.size.height)
        yield LocationBar(id="location")
        with Horizontal(id="main"):
            yield SearchPane(
                id="search-pane",
                search_as_you_type=self.settings.search_as_you_type,
                status=Status("Opening the index…", "busy"),
            )
            with ContentSwitcher(id="center", initial="reader"):
                yield ArticleReader(id="reader")
                yield EntityView(id="entity-view")
            yield EntitySidebar(id="sidebar")
        yield KeyHints(id="key-hints")

    def _set_breakpoints(self, width: int, height: int) -> None:
        """The size's breakpoint classes (-narrow, -wide, -widest; -short, -tall), set before
        any widget is styled. Textual sets them on the screen's first Resize, after the first
        styling and layout, and the change restyles and lays out every widget again (~10 ms
        for the width's, 2.5 ms more for the height's, of a 50 ms start)."""
        classes: dict[str, bool] = {}
        for size, own, default in (
            (width, self.HORIZONTAL_BREAKPOINTS, self.app.HORIZONTAL_BREAKPOINTS),
            (height, self.VERTICAL_BREAKPOINTS, self.app.VERTICAL_BREAKPOINTS),
        ):
            breakpoints = (default if own is None else own) or []
            chosen = max(((at, name) for at, name in breakpoints if size >= at), default=None)  # as Textual chooses
            classes.update({name: (at, name) == chosen for at, name in breakpoints})
        self.update_classes(classes, animate=False)

    def on_mount(self) -> None:
        self._set_view("search")
        self.query_one("#query", Input).focus()
        # After the first frame: the job imports Whoosh, which would compete for the GIL.
        self.call_after_refresh(self._start_job, "index", jobs.prepare_index, self.services, self)
        self.set_interval(self.POLL_SECONDS, self._poll)
