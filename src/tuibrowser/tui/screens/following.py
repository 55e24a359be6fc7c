"""Following: every entity and search the reader follows, with what is new since the last visit.

Opened with `W` or from the command palette. The counts come from a worker (one index query
per watch). Enter on a watch lists its new articles, newest first, and marks them seen;
Enter on an article opens it; `d` stops following. The screen refreshes itself when the
corpus changes while it is open (an import in another terminal).
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
from tuibrowser.core.user_state import StateStore, now_ms
from tuibrowser.core.watch import News
from tuibrowser.tui.screens import QUIT_ANYWHERE, Dialog
from tuibrowser.tui.text import one_line, outside, plural


@dataclass
class _Counted(Message):
    """The watches' new articles, and the moment they were counted (what "seen" becomes)."""

    found: list[News]
    at: int


def _count(services: Services, store: StateStore, target: FollowingScreen) -> None:
    store.refresh()  # what another instance followed or saw
    at = now_ms()
    found = services.news(list(store.watches))
    if not get_current_worker().is_cancelled:
        target.post_message(_Counted(found, at))


class WatchList(OptionList):
    """The watches, with counts; Enter shows one's new articles, d stops following it."""

    BINDINGS = [
        Binding("enter", "select", "Its new articles", id="following.open", show=False),
        Binding("d,delete", "screen.unfollow", "Stop following", id="following.unfollow", show=False),
        Binding("j", "cursor_down", "Down", id="following.down", show=False),
        Binding("k", "cursor_up", "Up", id="following.up", show=False),
    ]


class NewList(OptionList):
    """A watch's new articles; Enter opens one."""

    BINDINGS = [
        Binding("enter", "select", "Open the article", id="following.read", show=False),
        Binding("j", "cursor_down", "Down", id="following.down", show=False),
        Binding("k", "cursor_up", "Up", id="following.up", show=False),
    ]


class FollowingScreen(Dialog[str | None]):
    """Dismissed with the id of the article chosen, or None."""

    BINDINGS = [Binding("escape,q,W", "dismiss_none", "Close", id="following.close"), QUIT_ANYWHERE]

    def __init__(self, services: Services, store: StateStore, changed: Callable[[], None]) -> None:
        super().__init__()
        self.services = services
        self.store = store
        self.changed = changed
        """Called after a watch is seen or dropped, so the state is saved at once."""
        self.found: list[News] = []
        self.counted_at = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="following-dialog"):
            yield Static(Text("Following", style="bold"))
            yield WatchList(id="watches")
            yield Static(Text(""), id="following-title", classes="pane-title")
            yield NewList(id="new-articles")
            yield Static(Text("Enter: what is new (marks it seen) · d: stop following · Escape: close", style="dim"))

    def on_mount(self) -> None:
        self.query_one(WatchList).focus()
        self.reload()

    def reload(self) -> None:
        """Count again (the corpus changed, or another instance saved)."""
        self.run_worker(
            partial(_count, self.services, self.store, self),
            thread=True,
            group="following",
            exclusive=True,
            exit_on_error=False,
        )

    @on(_Counted)
    def _counted(self, event: _Counted) -> None:
        self.found, self.counted_at = event.found, event.at
        watches = self.query_one(WatchList)
        highlighted = watches.highlighted
        watches.clear_options()
        if not self.found:
            watches.add_option(
                Option(
                    Text("Nothing yet: w follows an entity, or the search in the results.", style="dim"), disabled=True
                )
            )
            return
        for number, item in enumerate(self.found):
            watches.add_option(Option(_watch_line(item, len(item.articles)), id=str(number)))
        watches.highlighted = min(highlighted or 0, len(self.found) - 1)

    @on(OptionList.OptionSelected, "#watches")
    def _open_watch(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        item = self.found[int(event.option.id)]
        listing = self.query_one(NewList)
        listing.clear_options()
        if item.articles:
            title = f"New for {outside(item.watch.label)}: {plural(len(item.articles), 'article')}, newest first"
        else:
            title = f"Nothing new for {outside(item.watch.label)} since you last looked."
        self.query_one("#following-title", Static).update(Text(title))
        listing.add_options(
            [
                Option(one_line(f"{a.date or 'undated'}  {outside(a.title) or '(untitled)'}"), id=a.id)
                for a in item.articles
            ]
        )
        if item.articles:
            listing.highlighted = 0
            listing.focus()
        # Seen now: up to the moment they were counted, so nothing that came after is lost.
        self.store.mark_seen(item.watch.kind, item.watch.target, self.counted_at)
        self.query_one(WatchList).replace_option_prompt(event.option.id, _watch_line(item, 0))
        self.changed()

    @on(OptionList.OptionSelected, "#new-articles")
    def _open_article(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_unfollow(self) -> None:
        watches = self.query_one(WatchList)
        if watches.highlighted is None or not self.found:
            return
        item = self.found[watches.highlighted]
        self.store.unfollow(item.watch.kind, item.watch.target)
        self.changed()
        self.notify(f"Stopped following {outside(item.watch.label)}.", timeout=3)
        self.reload()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


def _watch_line(item: News, new: int) -> Text:
    """A row of the watch list: how many articles are new (0 once seen), then what is followed."""
    line = Text(f"{new:>4} new  ", style="bold" if new else "dim")
    line.append(outside(item.watch.label))
    line.append(f"  ({item.watch.kind})", style="dim")
    return one_line(line)
