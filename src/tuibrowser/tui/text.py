"""Text helpers for the widgets: outside strings made safe, clamped renderables, counts.

Everything shown is built as Rich `Text` from plain strings, never parsed as markup, so an
article titled "[@click=app.quit]" shows exactly those characters.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.text import Text

from tuibrowser.core.sanitize import printable


def outside(text: str) -> str:
    """A string from outside (a file name, a query read from state.json, a config value),
    made safe for the terminal and put on one line: the one sanitiser the CLI uses too, which
    shows what would be unsafe (`\\x1b`, `\\u202e`) instead of hiding it."""
    return printable(text)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """ "1 article", "3 articles"."""
    return f"{count:,} {noun if count == 1 else (nouns or noun + 's')}"


def one_line(text: str | Text, style: str = "") -> Text:
    """Text that never wraps: cut with an ellipsis at the width it gets."""
    line = Text(text, style=style) if isinstance(text, str) else text.copy()
    line.no_wrap = True
    line.overflow = "ellipsis"
    return line


class Clamp:
    """Render a Text wrapped to the available width, at most `lines` lines, ending in "…"
    when cut (Rich has no line clamp; search hits and concordance lines need one so every
    row has the same, small height)."""

    def __init__(self, text: Text, lines: int):
        self.text = text
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        rendered = console.render_lines(self.text, options, pad=False)
        cut = len(rendered) > self.lines
        rendered = rendered[: self.lines]
        for number, line in enumerate(rendered):
            if cut and number == len(rendered) - 1:
                line = _with_ellipsis(line, options.max_width)
            yield from line
            yield Segment.line()


def _with_ellipsis(line: list[Segment], width: int) -> list[Segment]:
    length = Segment.get_line_length(line)
    if length >= width:
        line = Segment.adjust_line_length(line, width - 1)
    style = line[-1].style if line else None
    if _ends_in_ellipsis(line):
        return line  # a snippet's own " …" already says it goes on: no "……"
    return [*line, Segment("…", style)]


def _ends_in_ellipsis(line: list[Segment]) -> bool:
    text = "".join(segment.text for segment in line[-3:]).rstrip(" ")
    return text.endswith(("…", "..."))
