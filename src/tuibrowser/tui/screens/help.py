"""F1 help: the keys that work where the focus is, generated from the real bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def bindings_table(rows: list[tuple[str, str, str]]) -> Table:
    """(pane, keys, what) rows as a plain table; every cell is Text, never markup."""
    table = Table(box=None, show_header=True, header_style="bold", expand=True, pad_edge=False)
    table.add_column("Where", no_wrap=True)
    table.add_column("Keys", no_wrap=True)
    table.add_column("Does")
    for where, keys, what in rows:
        table.add_row(Text(where), Text(keys), Text(what))
    return table


class HelpScreen(ModalScreen[None]):
    """A scrollable list of the active bindings; any of Escape, F1, q or ? closes it."""

    BINDINGS = [Binding("escape,f1,q,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, title: str, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self._title = title
        self._rows = rows

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text(self._title, style="bold"), id="help-title")
            yield Static(bindings_table(self._rows))
            yield Static(Text("Escape closes this help. Ctrl+P opens the command palette.", style="italic"))
