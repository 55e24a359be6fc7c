"""Hidden names: the names discovery was told never to make an entity of again, and unhiding one.

Opened with `U` or from the command palette. The names are read from entities.toml in a
worker; the dialog is dismissed with the name to restore (the screen runs the change, as for
any other curation step), or None.
"""

from __future__ import annotations

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

from tuibrowser.core.errors import CurationError
from tuibrowser.core.services import Services
from tuibrowser.tui.screens import QUIT_ANYWHERE, Dialog
from tuibrowser.tui.text import one_line, outside


@dataclass
class _Names(Message):
    """The hidden names, or why they cannot be read."""

    names: list[str]
    problem: str | None = None


def _read_hidden(services: Services, target: HiddenScreen) -> None:
    try:
        message = _Names(services.hidden_names())
    except (CurationError, OSError) as error:  # a malformed entities.toml is reported, not fixed
        message = _Names([], str(error))
    if not get_current_worker().is_cancelled:
        target.post_message(message)


class HiddenList(OptionList):
    """The hidden names; Enter or `u` restores the highlighted one."""

    BINDINGS = [
        Binding("enter,u", "select", "Unhide: let discovery find it again", id="hidden.unhide", show=False),
        Binding("j", "cursor_down", "Down", id="hidden.down", show=False),
        Binding("k", "cursor_up", "Up", id="hidden.up", show=False),
    ]


class HiddenScreen(Dialog[str | None]):
    """Dismissed with the name to unhide, or None."""

    BINDINGS = [Binding("escape,q,U", "dismiss_none", "Close", id="hidden.close"), QUIT_ANYWHERE]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.names: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="hidden-dialog", classes="dialog"):
            yield Static(Text("Hidden names (discovery never makes an entity of them)", style="bold"))
            yield HiddenList(Option(Text("Reading entities.toml…", style="dim"), disabled=True), id="hidden-names")
            yield Static(Text("Enter unhide · Escape close", style="dim"))

    def on_mount(self) -> None:
        self.query_one(HiddenList).focus()
        self.run_worker(partial(_read_hidden, self.services, self), thread=True, group="hidden", exit_on_error=False)

    @on(_Names)
    def _names(self, event: _Names) -> None:
        self.names = event.names
        names = self.query_one(HiddenList)
        names.clear_options()
        if event.problem is not None:
            names.add_option(Option(one_line(f"Cannot read entities.toml: {outside(event.problem)}"), disabled=True))
        elif not event.names:
            text = "No name is hidden. H hides a discovered entity (in the sidebar or its view)."
            names.add_option(Option(Text(text, style="dim"), disabled=True))
        else:
            names.add_options([Option(one_line(outside(name)), id=str(i)) for i, name in enumerate(event.names)])
            names.highlighted = 0

    @on(OptionList.OptionSelected, "#hidden-names")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.names[int(event.option.id)])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
