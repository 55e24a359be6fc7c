"""An entity's timeline: a bar per period, a cursor to choose a period or a range, a pinned
second entity on the same scale.

The bars are drawn here rather than with Textual's `Sparkline`, which scales each line to
its own minimum and maximum, draws a zero as the smallest bar and resamples the data to the
widget's width: two timelines could then not share a scale, a month with no mention would
look like one with a few, and a cursor could not be placed under a period. Here a zero is
a gap, both lines use one maximum, and every period (or, when there are more periods than
columns, every group of consecutive periods) has its own column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from tuibrowser.tui.text import plural

if TYPE_CHECKING:
    from tuibrowser.core.entities.timeline import Period, Timeline

BARS = "▁▂▃▄▅▆▇█"
LABEL_WIDTH = 18
"""Columns for the name in front of each line of bars (in the entity view)."""


class Line(NamedTuple):
    """One line of bars: whose, and the timeline."""

    name: str
    timeline: Timeline


class TimelineView(Widget, can_focus=True):
    """Bars for the entity (and a pinned one); ←/→ choose a period, Enter shows only it."""

    DEFAULT_CSS = """
    TimelineView {
        height: auto;
        padding: 0 1;
    }
    TimelineView.-empty {
        display: none;
    }
    TimelineView:focus {
        background-tint: $foreground 5%;
    }
    TimelineView > .timeline--bars { color: $accent; }
    TimelineView > .timeline--pinned { color: $text-muted; }
    TimelineView > .timeline--cursor { text-style: bold reverse; }
    """

    COMPONENT_CLASSES = {"timeline--bars", "timeline--pinned", "timeline--cursor"}

    BINDINGS = [
        Binding("left,h", "move(-1)", "Earlier period", id="timeline.earlier", show=False),
        Binding("right,l", "move(1)", "Later period", id="timeline.later", show=False),
        Binding("shift+left,H", "extend(-1)", "Widen the range to the left", id="timeline.extend-left", show=False),
        Binding("shift+right,L", "extend(1)", "Widen the range to the right", id="timeline.extend-right", show=False),
        Binding("enter", "choose", "Only the chosen periods", id="timeline.choose", show=False),
        Binding("x,delete", "clear", "All periods again", id="timeline.clear", show=False),
        Binding("p", "screen.pin_timeline", "Pin (or unpin) for comparison", id="timeline.pin", show=False),
        Binding("escape", "leave", "Back to the mentions", id="timeline.leave", show=False),
    ]

    HINTS = (
        (("timeline.earlier", "timeline.later"), "period"),
        (("timeline.choose",), "only these"),
        (("timeline.clear",), "all"),
        (("timeline.pin",), "pin"),
        (("timeline.leave",), "mentions"),
    )

    class WindowChosen(Message):
        """Show only the articles dated from `first` to `last` (ISO dates), or all (None)."""

        def __init__(self, first: str | None, last: str | None) -> None:
            super().__init__()
            self.first = first
            self.last = last

    def __init__(self, *, interactive: bool = True, label_width: int = LABEL_WIDTH, id: str | None = None) -> None:
        super().__init__(id=id)
        self.can_focus = interactive
        self.interactive = interactive
        self.label_width = label_width
        self.line: Line | None = None
        self.pinned: Line | None = None
        self.cursor: int | None = None
        """Column under the cursor."""
        self.range_anchor: int | None = None
        """Other end of the range being chosen (None: just the cursor's column)."""
        self.chosen: tuple[str, str] | None = None
        """The window applied, shown under the bars."""

    def show(self, line: Line | None, pinned: Line | None = None, chosen: tuple[str, str] | None = None) -> None:
        """Set what to draw; the cursor starts at the peak (or stays where it was)."""
        same = self.line is not None and line is not None and self.line.timeline.periods == line.timeline.periods
        self.line = line
        self.pinned = pinned if pinned is not None and line is not None and _same_scale(pinned, line) else None
        self.chosen = chosen
        # A class, not `display`: an inline style would overrule the app's CSS, which hides
        # the sidebar's timeline on short terminals.
        self.set_class(line is None, "-empty")
        if not same:
            self.range_anchor = None
            self.cursor = None
        self.refresh(layout=True)

    # Columns: one per period, or one per group of periods when they do not fit.

    def _columns(self) -> list[tuple[Period, ...]]:
        if self.line is None:
            return []
        periods = self.line.timeline.periods
        width = max(self.size.width - 2 - self.label_width, 1)
        per = max(1, -(-len(periods) // width))
        return [periods[i : i + per] for i in range(0, len(periods), per)]

    def _default_cursor(self, columns: list[tuple[Period, ...]]) -> int:
        peak = self.line.timeline.peak if self.line else None
        for index, group in enumerate(columns):
            if peak in group:
                return index
        return max(len(columns) - 1, 0)

    def render(self) -> Text:
        if self.line is None or not self.line.timeline.periods:
            return Text("No dated articles: no timeline.", style="dim italic")
        columns = self._columns()
        if self.cursor is None or self.cursor >= len(columns):
            self.cursor = self._default_cursor(columns)
        top = max(
            (
                sum(p.articles for p in group)
                for line in (self.line, self.pinned)
                if line
                for group in _group(line, columns)
            ),
            default=0,
        )
        out = Text()
        if self.pinned is not None:
            out.append_text(self._bars(self.pinned, columns, top, "timeline--pinned"))
            out.append("\n")
        out.append_text(self._bars(self.line, columns, top, "timeline--bars"))
        out.append("\n")
        if self.interactive and self.has_focus:
            out.append(" " * self.label_width)
            low, high = self._selection()
            out.append(" " * low + "▔" * (high - low + 1), style=self.get_component_rich_style("timeline--cursor"))
            out.append("\n")
        first, last = columns[0][0].label, columns[-1][-1].label
        axis = f"{first}{' ' * max(len(columns) - len(first) - len(last), 1)}{last}"
        out.append(" " * self.label_width + axis, style="dim")
        out.append("\n")
        out.append_text(self._caption(columns))
        return out

    def _bars(self, line: Line, columns: list[tuple[Period, ...]], top: int, role: str) -> Text:
        width = self.label_width
        name = line.name if len(line.name) < width else line.name[: width - 2] + "…"
        bars = Text(f"{name:<{width - 1}} " if width else "", style="dim")
        style = self.get_component_rich_style(role)
        for value in (sum(p.articles for p in group) for group in _group(line, columns)):
            if value <= 0 or top <= 0:
                bars.append(" ")
            else:
                bars.append(BARS[min(len(BARS) - 1, (value * len(BARS) - 1) // top)], style=style)
        return bars

    def _caption(self, columns: list[tuple[Period, ...]]) -> Text:
        timeline = self.line.timeline if self.line else None
        caption = Text()
        if timeline is None:
            return caption
        if self.interactive and self.has_focus:
            low, high = self._selection()
            periods = [p for group in columns[low : high + 1] for p in group]
            articles = sum(p.articles for p in periods)
            what = periods[0].label if len(periods) == 1 else f"{periods[0].label} to {periods[-1].label}"
            caption.append(f"{what}: {plural(articles, 'article')}", style="bold")
            caption.append("  Enter: only these", style="dim")
            return caption
        notes = [f"by {timeline.by}"]
        if timeline.first:
            notes.append(f"first {timeline.first}, last {timeline.last}")
        if timeline.peak is not None:
            notes.append(f"peak {timeline.peak.label} ({timeline.peak.articles})")
        if timeline.undated_articles:
            notes.append(f"{timeline.undated_articles} undated")
        from tuibrowser.core.entities.timeline import outlying_notes  # (the module reads Whoosh's columns)

        notes += outlying_notes(timeline)
        if self.chosen is not None:
            notes.insert(0, f"only {self.chosen[0]} to {self.chosen[1]}")
        caption.append(" · ".join(notes), style="italic dim")
        return caption

    def _selection(self) -> tuple[int, int]:
        cursor = self.cursor or 0
        anchor = cursor if self.range_anchor is None else self.range_anchor
        return min(cursor, anchor), max(cursor, anchor)

    # Keys.

    def action_move(self, step: int) -> None:
        columns = self._columns()
        if columns:
            self.range_anchor = None
            self.cursor = min(max((self.cursor or 0) + step, 0), len(columns) - 1)
            self.refresh()

    def action_extend(self, step: int) -> None:
        columns = self._columns()
        if columns:
            if self.range_anchor is None:
                self.range_anchor = self.cursor
            self.cursor = min(max((self.cursor or 0) + step, 0), len(columns) - 1)
            self.refresh()

    def action_choose(self) -> None:
        columns = self._columns()
        if not columns:
            return
        low, high = self._selection()
        first, last = columns[low][0], columns[high][-1]
        self.post_message(self.WindowChosen(first.start.isoformat(), _day_before(last)))

    def action_clear(self) -> None:
        self.range_anchor = None
        self.post_message(self.WindowChosen(None, None))

    def action_leave(self) -> None:
        self.screen.focus_next()

    def on_focus(self) -> None:
        self.refresh(layout=True)

    def on_blur(self) -> None:
        self.refresh(layout=True)


def _group(line: Line, columns: list[tuple[Period, ...]]) -> list[tuple[Period, ...]]:
    """`line`'s periods grouped as `columns` groups the main line's (they share the scale)."""
    by_label = {p.label: p for p in line.timeline.periods}
    return [tuple(by_label[p.label] for p in group if p.label in by_label) for group in columns]


def _same_scale(a: Line, b: Line) -> bool:
    return [p.label for p in a.timeline.periods] == [p.label for p in b.timeline.periods]


def _day_before(period: Period) -> str:
    import datetime as dt

    return (period.end - dt.timedelta(days=1)).isoformat()
