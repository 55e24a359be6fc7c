"""Bookmarks and history: every article and entity bookmarked, and the places visited lately.

Opened with `B` or from the command palette. The names (article titles, entity names) are
looked up in a worker; until they arrive the ids are shown. Enter goes there; `d` removes a
bookmark.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tuibrowser.core.services import Services
from tuibrowser.core.user_state import StateStore, Visit
from tuibrowser.tui.screens import QUIT_ANYWHERE, Dialog
from tuibrowser.tui.text import one_line, outside

KIND_LABELS = {"article": "article", "entity": "entity", "search": "search"}


@dataclass
class _Names(Message):
    """Titles and names for the ids on the list, looked up in a worker."""

    names: dict[tuple[str, str], str]


def _lookup_names(services: Services, store: StateStore, target: PlacesScreen) -> None:
    """Take in what other instances saved, then look up a name for every place listed."""
    store.refresh()
    keys = [b.key for b in store.bookmarks] + [v.key for v in store.history.recent()]
    names: dict[tuple[str, str], str] = {}
    wanted = {target_id for kind, target_id in keys if kind == "article"}
    if wanted:
        for article in services.all_articles():
            if article.id in wanted:
                names[("article", article.id)] = " · ".join(
                    x for x in (article.title, article.date, article.source) if x
                )
    for kind, target_id in keys:
        if kind == "entity":
            record = services.entity(target_id)
            if record is not None:
                names[(kind, target_id)] = f"{record.entity.name} ({record.entity.type})"
    if not get_current_worker().is_cancelled:
        target.post_message(_Names(names))


class PlacesList(OptionList):
    """Bookmarks, then recent places; Enter goes there, d removes a bookmark."""

    BINDINGS = [
        Binding("enter", "select", "Go there", id="places.open", show=False),
        Binding("d,delete", "screen.remove", "Remove the bookmark", id="places.remove", show=False),
        Binding("j", "cursor_down", "Down", id="places.down", show=False),
        Binding("k", "cursor_up", "Up", id="places.up", show=False),
    ]


class PlacesScreen(Dialog[Visit | None]):
    """Dismissed with the place chosen, or None."""

    BINDINGS = [Binding("escape,q,B", "dismiss_none", "Close", id="places.close"), QUIT_ANYWHERE]

    def __init__(self, services: Services, store: StateStore, changed: Callable[[], None]) -> None:
        super().__init__()
        self.services = services
        self.store = store
        self.changed = changed
        """Called after a bookmark is removed, so it is saved at once (not when the dialog closes)."""
        self.names: dict[tuple[str, str], str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="places-dialog"):
            yield Static(Text("Bookmarks and history", style="bold"))
            yield PlacesList(id="places")
            yield Static(Text("Enter go there · d remove a bookmark · Escape close", style="dim"))

    def on_mount(self) -> None:
        self._fill()
        self.query_one(PlacesList).focus()
        self.run_worker(
            partial(_lookup_names, self.services, self.store, self), thread=True, group="places", exit_on_error=False
        )

    @on(_Names)
    def _names(self, event: _Names) -> None:
        self.names = event.names
        self._fill()

    def _label(self, visit: Visit) -> Text:
        line = Text(f"{KIND_LABELS[visit.kind]:<8}", style="dim")
        if visit.kind == "search":
            line.append(f"“{outside(visit.target)}”")
        else:
            line.append(outside(self.names.get(visit.key, visit.target)))
        return one_line(line)

    def _fill(self) -> None:
        places = self.query_one(PlacesList)
        highlighted = places.highlighted
        places.clear_options()
        options: list[Option] = [Option(Text("Bookmarks", style="bold italic"), disabled=True)]
        bookmarks = list(reversed(self.store.bookmarks))
        options += [Option(self._label(b), id=f"b:{i}") for i, b in enumerate(bookmarks)]
        if not bookmarks:
            options.append(
                Option(Text("None yet: b bookmarks the article or entity in view.", style="dim"), disabled=True)
            )
        options.append(Option(Text("Recently visited", style="bold italic"), disabled=True))
        recent = self.store.history.recent()
        options += [Option(self._label(v), id=f"h:{i}") for i, v in enumerate(recent)]
        places.add_options(options)
        self._bookmarks, self._recent = bookmarks, recent
        selectable = [i for i, o in enumerate(options) if not o.disabled]
        if selectable:
            places.highlighted = highlighted if highlighted in selectable else selectable[0]

    def _visit(self, option_id: str | None) -> Visit | None:
        if not option_id:
            return None
        kind, _, number = option_id.partition(":")
        items = self._bookmarks if kind == "b" else self._recent
        return items[int(number)]

    @on(OptionList.OptionSelected, "#places")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._visit(event.option.id))

    def action_remove(self) -> None:
        places = self.query_one(PlacesList)
        if places.highlighted is None:
            return
        option = places.get_option_at_index(places.highlighted)
        if option.id and option.id.startswith("b:"):
            visit = self._visit(option.id)
            if visit is not None:
                self.store.remove_bookmark(visit.kind, visit.target)
                self.changed()
                self._fill()
        else:
            self.notify("Only bookmarks can be removed; history is kept.", timeout=3)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
