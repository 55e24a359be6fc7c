"""F1 help: every key that works where the focus is, read from the live bindings.

Generated from the bindings themselves (keymap overrides included), grouped by where they
apply. Only tuibrowser's own bindings are listed (each has a dotted id, the keymap API);
the scroll bindings Textual gives every scrollable widget ("^pgdn Page Right") are left out.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tuibrowser.tui.screens import QUIT_ANYWHERE, Dialog

Row = tuple[str, str, str]
"""(where, keys, what it does)."""


def bindings_table(rows: list[Row]) -> Table:
    """Rows as a plain table, a bold heading for each place; every cell is Text, never markup."""
    table = Table(box=None, show_header=False, expand=True, pad_edge=False)
    table.add_column("Keys", no_wrap=True)
    table.add_column("Does")
    heading = None
    for where, keys, what in rows:
        if where != heading:
            if heading is not None:
                table.add_row(Text(""), Text(""))
            table.add_row(Text(where[:1].upper() + where[1:], style="bold underline"), Text(""))
            heading = where
        table.add_row(Text(keys, style="bold"), Text(what))
    return table


class HelpScreen(Dialog[None]):
    """A scrollable table of the active bindings; Escape, F1, q or ? closes it."""

    BINDINGS = [
        Binding("escape,f1,q,question_mark", "dismiss", "Close", id="help.close"),
        QUIT_ANYWHERE,
        Binding("j,down", "scroll_down", "Down", id="help.down", show=False),
        Binding("k,up", "scroll_up", "Up", id="help.up", show=False),
    ]

    def __init__(self, title: str, rows: list[Row]) -> None:
        super().__init__()
        self._title = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text(self._title, style="bold"), id="help-title")
            yield Static(bindings_table(self.rows))
            yield Static(
                Text(
                    "Typing in the query box searches as you type. Ctrl+P opens the command palette "
                    "(articles, entities, recent searches, import, bookmarks). In the sidebar's entity "
                    "list and an entity's view, R T A J H rename, retype, alias, merge and hide the "
                    "entity (entities.toml); u undoes and Ctrl+R redoes the last change from anywhere "
                    "but the query box; U lists hidden names. Escape closes this help.",
                    style="italic",
                )
            )

    def action_scroll_down(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_up()
