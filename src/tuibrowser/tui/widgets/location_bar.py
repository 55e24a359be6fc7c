"""The location bar: one line saying where the reader is (search › article › match 3/6)."""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual.widgets import Static

from tuibrowser.tui.text import one_line


class Location(NamedTuple):
    """What the bar shows; the screen builds it from its state."""

    query: str = ""
    """The search, "" before any."""
    results: int | None = None
    title: str | None = None
    """The open article's title, when the reader or the sidebar is in view."""
    position: str | None = None
    """"match 3/6", "mention 2/9 of Putin"."""
    entity: str | None = None
    """The entity view's entity, when it is in view."""
    bookmarked: bool = False
    busy: str | None = None
    """Work under way that the reader should know about ("indexing 40%")."""
    news: int = 0
    """New articles for what the reader follows (W shows them)."""


SEPARATOR = " › "


class LocationBar(Static):
    """Renders a Location on one line; the title and the query give way first, the position never."""

    DEFAULT_CSS = """
    LocationBar {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text;
    }
    """

    location: Location = Location()

    def show(self, location: Location) -> None:
        self.location = location
        # One line, always: no layout pass (a layout repainted the results list's scrollbar,
        # 1 KB written to the terminal per keystroke for nothing).
        self.update(self.render_location(location, self.size.width - 2 if self.size.width else 78), layout=False)

    def on_resize(self) -> None:
        self.show(self.location)

    @staticmethod
    def render_location(location: Location, width: int) -> Text:
        """The bar's text for a given width: the position is never cut; the title, then the
        query give way."""
        tail = Text()
        if location.position:
            tail.append(SEPARATOR, style="dim")
            tail.append(location.position)
        if location.bookmarked:
            tail.append("  ★ bookmarked", style="bold")
        if location.busy:
            tail.append(f"  · {location.busy}", style="italic")
        if location.news:
            tail.append(f"  · {location.news:,} new (W)", style="bold")
        middle = location.title if location.title is not None else location.entity
        room = width - len(tail) - (len(SEPARATOR) + 8 if middle is not None else 0)
        head = Text()
        if location.query:
            found = f" ({location.results:,})" if location.results is not None else ""
            query_room = max(room - len("search “”") - len(found), 6)
            head.append("search ", style="dim")
            head.append(f"“{_cut(location.query, min(query_room, max(12, width // 3)))}”{found}")
        else:
            head.append("newest articles", style="dim")
        if middle is not None:
            head.append(SEPARATOR, style="dim")
            head.append(_cut(middle or "(untitled)", max(width - len(head) - len(tail), 8)), style="bold")
        return one_line(head + tail)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"
