"""Small dialogs for curating entities: a line of text, and a choice filtered as you type.

Both are modal and dismissed with the answer, or None when the reader gives up (Escape).
Everything they show that came from outside (entity names, aliases) is built as Rich `Text`,
never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tuibrowser.tui.screens import Dialog
from tuibrowser.tui.text import one_line, outside

SHOWN_CHOICES = 200
"""Choices listed at once; typing narrows the rest down (an archive has thousands of entities)."""


class TextPrompt(Dialog[str | None]):
    """Asks for one line (a new name, an alias); an empty answer is refused in place."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, *, value: str = "", note: str = "", empty: str = "Type something first.") -> None:
        super().__init__()
        self._title = title
        self._value = value
        self._note = note
        self._empty = empty
        """What to say when Enter is pressed on an empty line."""

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-dialog", classes="dialog"):
            yield Static(one_line(outside(self._title), "bold"))
            yield Input(value=self._value, id="prompt-input", select_on_focus=True)
            yield Static(Text(self._note, style="dim"), id="prompt-note")
            yield Static(Text("Enter apply · Escape cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    @on(Input.Submitted, "#prompt-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            self.query_one("#prompt-note", Static).update(Text(self._empty, style="bold"))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True, slots=True)
class Choice:
    """One thing to choose: `key` is what the dialog is dismissed with."""

    key: str
    label: str
    detail: str = ""
    names: tuple[str, ...] = ()
    """Every spelling that matches it (its name and aliases); the label when empty."""
    weight: float = 1.0
    """Among equal matches, a higher weight comes first (an entity mentioned more often)."""


@dataclass
class _Loaded(Message):
    """The choices, read in a worker."""

    choices: list[Choice]


class ChoiceList(OptionList):
    """The choices that match what is typed; Enter chooses."""


class PickerScreen(Dialog[str | None]):
    """A list of choices, filtered by fuzzy matching as you type (the command palette's
    matcher), best first; Enter takes the highlighted one."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("down", "move(1)", "Next choice", id="dialog.next", show=False),
        Binding("up", "move(-1)", "Previous choice", id="dialog.previous", show=False),
    ]

    def __init__(
        self,
        title: str,
        choices: Sequence[Choice] | Callable[[], list[Choice]],
        *,
        note: str = "",
        start: str | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._note = note
        self._start = start
        """The key of the choice highlighted until something is typed (the likely answer), else the first."""
        self._load = choices if callable(choices) else None
        self.choices: list[Choice] = [] if callable(choices) else list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog", classes="dialog"):
            yield Static(one_line(outside(self._title), "bold"))
            yield Input(placeholder="type to filter", id="picker-input")
            yield ChoiceList(id="picker-choices")
            yield Static(Text(self._note or "Enter choose · Escape cancel", style="dim"), id="picker-note")

    def on_mount(self) -> None:
        self.query_one("#picker-input", Input).focus()
        if self._load is not None:
            self.query_one(ChoiceList).add_option(Option(Text("Loading…", style="dim"), disabled=True))
            self.run_worker(partial(_load_choices, self._load, self), thread=True, group="picker", exit_on_error=False)
        else:
            self._fill("")

    @on(_Loaded)
    def _loaded(self, event: _Loaded) -> None:
        self.choices = event.choices
        self._fill(self.query_one("#picker-input", Input).value)

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def matching(self, query: str) -> list[Choice]:
        """The choices that match `query`, best first (all of them, in order, for no query)."""
        if not query.strip():
            return self.choices[:SHOWN_CHOICES]
        matcher = Matcher(query.strip())
        scored = []
        for number, choice in enumerate(self.choices):
            score = max((matcher.match(name) for name in choice.names or (choice.label,)), default=0)
            if score > 0:
                scored.append((-score * choice.weight, number, choice))
        scored.sort(key=lambda item: item[:2])
        return [choice for _, _, choice in scored[:SHOWN_CHOICES]]

    def _fill(self, query: str) -> None:
        found = self.matching(query)
        options = []
        for choice in found:
            prompt = Text(outside(choice.label))
            if choice.detail:
                prompt.append(f"  {outside(choice.detail)}", style="dim")
            options.append(Option(one_line(prompt), id=choice.key))
        if not options:
            options.append(Option(Text("Nothing matches.", style="dim"), disabled=True))
        choices = self.query_one(ChoiceList)
        choices.clear_options()
        choices.add_options(options)
        if not found:
            choices.highlighted = None
        elif not query.strip() and self._start is not None:
            # Enter at once takes the likely answer, not whatever happens to be listed first.
            keys = [choice.key for choice in found]
            choices.highlighted = keys.index(self._start) if self._start in keys else 0
        else:
            choices.highlighted = 0

    def action_move(self, step: int) -> None:
        choices = self.query_one(ChoiceList)
        if choices.option_count:
            choices.action_cursor_down() if step > 0 else choices.action_cursor_up()

    @on(Input.Submitted, "#picker-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose()

    @on(OptionList.OptionSelected, "#picker-choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose()

    def _choose(self) -> None:
        choices = self.query_one(ChoiceList)
        if choices.highlighted is None:
            self.notify("Nothing matches: type less, or Escape to cancel.", timeout=3)
            return
        option = choices.get_option_at_index(choices.highlighted)
        if option.id:
            self.dismiss(option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _load_choices(load: Callable[[], list[Choice]], target: PickerScreen) -> None:
    choices = load()
    if not get_current_worker().is_cancelled:
        target.post_message(_Loaded(choices))
