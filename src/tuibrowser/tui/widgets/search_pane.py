"""The search pane: the query box, a status line, and the ranked results (or the newest articles)."""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tuibrowser.tui.messages import (
    ArticleRequested,
    MoreResultsWanted,
    ResultHighlighted,
    SearchRequested,
    SuggestionAccepted,
)
from tuibrowser.tui.text import Clamp, one_line

_STATUS_CLASSES = {"error": "-error", "busy": "-busy"}
"""The status line's class for each kind of status ("info" has none)."""

NEAR_END = 5
"""The highlight this close to the end of the results asks for more, when there are more."""

SNIPPET_LINES = 2
"""Lines of snippet under each hit: every hit has the same small height."""


class ListingItem(NamedTuple):
    """One row of the results list, detached from the core's records."""

    id: str
    title: str
    date: str | None
    source: str | None
    snippet: str = ""
    marks: tuple[tuple[int, int], ...] = ()
    read: bool = False


class Listing(NamedTuple):
    """What the results list shows: a search's hits, or the newest articles (query "")."""

    query: str
    items: tuple[ListingItem, ...]
    total: int
    suggestion: str | None = None
    notice: str | None = None


class Status(NamedTuple):
    """The line under the query box: counts, "did you mean", progress, or why a query failed."""

    text: str
    kind: str = "info"
    """"info", "busy" or "error"."""


_NO_STATUS = Status("")


def result_prompt(item: ListingItem) -> Group:
    """One hit: title and source on one line each, then the snippet, at most two lines."""
    title = one_line(item.title or "(untitled)", "dim" if item.read else "bold")
    meta = one_line(" · ".join(x for x in (item.date or "undated", item.source) if x), "italic dim")
    parts: list[Text | Clamp] = [title, meta]
    if item.snippet:
        snippet = Text(item.snippet, style="dim")
        for start, end in item.marks:
            snippet.stylize("bold underline", start, end)
        parts.append(Clamp(snippet, SNIPPET_LINES))
    return Group(*parts)


class QueryInput(Input):
    """The query box. Down and Escape go to the results; Tab takes "did you mean"."""

    BINDINGS = [
        Binding("down", "screen.focus_results", "Results", id="search.to-results", show=False),
        Binding("tab", "accept_suggestion", "Take the suggestion", id="search.accept-suggestion", show=False),
        Binding("ctrl+f", "screen.follow", "Follow this search (W: what is new)", id="search.follow", show=False),
    ]

    HINTS = (
        (("search.to-results",), "results"),
        (("app.command-palette",), "commands"),
        (("app.quit",), "quit"),
    )

    offer: str | None = None
    """The current "did you mean" suggestion, set by the pane."""

    def action_accept_suggestion(self) -> None:
        if self.offer:
            self.post_message(SuggestionAccepted())
        else:
            self.screen.focus_next()


class ResultsList(OptionList):
    """Ranked results; Enter opens one."""

    BINDINGS = [
        Binding("enter", "select", "Open the article", id="results.open", show=False),
        Binding("j", "cursor_down", "Down", id="results.down", show=False),
        Binding("k", "cursor_up", "Up", id="results.up", show=False),
    ]

    HINTS = (
        (("results.open",), "open"),
        (("main.focus-search",), "search"),
        (("main.back", "main.forward"), "back/fwd"),
        (("main.places",), "bookmarks"),
        (("main.up",), "quit"),
    )


class SearchPane(Vertical):
    """Typing posts SearchRequested; choosing a result posts ArticleRequested."""

    def __init__(self, *, search_as_you_type: bool = True, status: Status = _NO_STATUS, id: str | None = None) -> None:
        super().__init__(id=id)
        self.search_as_you_type = search_as_you_type
        self.listing: Listing | None = None
        self._status = status
        """The first status line (composed with it: set after mounting, it restyled the line)."""
        self._status_text = status.text

    def compose(self) -> ComposeResult:
        yield QueryInput(placeholder="Search  (F1 help, ^Q quit)", id="query", select_on_focus=False, compact=True)
        first = self._status
        yield Static(Text(first.text), id="search-status", markup=False, classes=_STATUS_CLASSES.get(first.kind, ""))
        yield ResultsList(id="results")

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.search_as_you_type:
            self.post_message(SearchRequested(event.value))

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(SearchRequested(event.value, submitted=True))

    @on(OptionList.OptionHighlighted, "#results")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id:
            self.post_message(ResultHighlighted(event.option.id))
        listing = self.listing
        if not listing or not listing.query:
            return
        shown = len(listing.items)
        if event.option_index >= shown - NEAR_END and listing.total > shown:
            self.post_message(MoreResultsWanted(listing.query, shown))

    @on(OptionList.OptionSelected, "#results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(ArticleRequested(event.option.id))

    # State, pushed down by the screen.

    def set_query(self, query: str) -> None:
        """Put a query in the box without it counting as typing."""
        box = self.query_one("#query", QueryInput)
        if box.value != query:
            with box.prevent(Input.Changed):
                box.value = query
            box.cursor_position = len(query)

    def set_status(self, status: Status) -> None:
        line = self.query_one("#search-status", Static)
        # A layout pass only when the line may wrap (an error can take two lines): each one
        # repaints the results list's scrollbar, about 1 KB to the terminal per keystroke.
        width = line.content_region.width
        wraps = not width or cell_len(status.text) > width or cell_len(self._status_text) > width
        self._status_text = status.text
        line.update(Text(status.text), layout=wraps)
        for kind, name in _STATUS_CLASSES.items():
            line.set_class(status.kind == kind, name)

    def set_offer(self, suggestion: str | None) -> None:
        self.query_one("#query", QueryInput).offer = suggestion

    def show_listing(self, listing: Listing, highlight: str | int | None = None) -> None:
        """Fill the list; highlight `highlight`, else the article highlighted before if the
        list is the same search's (read marks, more hits), else the first: a new query starts
        at its best hit, wherever the last one was left."""
        results = self.query_one("#results", ResultsList)
        previous = self.listing
        current_id = None
        if (
            results.highlighted is not None
            and previous
            and previous.query == listing.query
            and results.highlighted < len(previous.items)
        ):
            current_id = previous.items[results.highlighted].id
        self.listing = listing
        if previous is not None and previous.items and listing.items[: len(previous.items)] == previous.items:
            # More of the same results: only the new ones are added (nothing shown is redrawn).
            results.add_options(
                [Option(result_prompt(item), id=item.id) for item in listing.items[len(previous.items) :]]
            )
        elif previous is None or previous.items != listing.items:
            results.clear_options()
            results.add_options([Option(result_prompt(item), id=item.id) for item in listing.items])
        if not listing.items:
            return
        ids = [item.id for item in listing.items]
        if isinstance(highlight, int):
            index = min(max(highlight, 0), len(ids) - 1)
        else:
            target = highlight if isinstance(highlight, str) else current_id
            index = ids.index(target) if target in ids else 0
        results.highlighted = index

    def highlighted_index(self) -> int:
        return self.query_one("#results", ResultsList).highlighted or 0
