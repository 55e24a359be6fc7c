"""Send the terminal only the cells that changed: a frame filter between Textual and the tty.

Why: Textual repaints a widget's whole region when it changes, and writes each segment as
`ESC[<style>m text ESC[0m`, padding lines with spaces. A keystroke that changes the results
list rewrites about twenty lines of it, 4-5 KB, which is what a reader on a slow SSH link
feels. Curses-style programs keep a picture of the screen and send only the difference; this
module does that for Textual's output, which has a simple, known shape: absolute moves
(`ESC[y;xH`), complete SGR styles (each ends in a reset), text, and newlines.

`ScreenDiff.filter` takes what Textual would write and returns what the terminal needs to
end up with the same picture: the changed cells, with a move only where a run starts and a
style only where it changes. Whatever it does not understand passes through unchanged and
makes it forget the picture (the next frame is then written in full), so the worst case is
Textual's own output. Wide and zero-width characters are written as Textual wrote them and
their rows forgotten, since terminals disagree about their widths.

The picture goes stale when something else draws on the terminal; a resize, leaving the
alternate screen and the app's redraw key (Ctrl+L) forget it.
"""

from __future__ import annotations

import re
import sys
import threading
from typing import TYPE_CHECKING

from rich.cells import get_character_cell_size

if TYPE_CHECKING:
    from textual.driver import Driver

_TOKEN = re.compile(
    r"""
    (?P<csi>\x1b\[(?P<params>[0-?]*)(?P<inter>[\ -/]*)(?P<final>[@-~]))
    | (?P<osc>\x1b\][^\x07\x1b]*(?:\x07|\x1b\\))
    | (?P<esc>\x1b[^\[\]]?)
    | (?P<newline>\n)
    | (?P<control>[\x00-\x09\x0b-\x1f\x7f])
    | (?P<text>[^\x00-\x1f\x7f]+)
    """,
    re.VERBOSE,
)

_ALTERNATE_SCREEN = {"?1049", "?1047", "?47"}
"""Private modes that switch screens: the picture on the terminal is then not ours."""

_HARMLESS_FINALS = set("hlpqnutc")
"""CSI sequences that change modes or ask questions, not what is drawn: passed through."""

_LINK_CLOSE = "\x1b]8;;\x1b\\"

Cell = tuple[str, str, str]
"""What one column of the screen shows: character, SGR parameters, hyperlink sequence."""


def _move(x: int, y: int) -> str:
    return f"\x1b[{y + 1};{x + 1}H"


class ScreenDiff:
    """A picture of the terminal, and the filter that writes only what changes in it."""

    def __init__(self) -> None:
        self._rows: dict[int, dict[int, Cell]] = {}
        self._cursor: tuple[int, int] | None = None  # where the terminal's cursor is
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Forget the picture: the next frame is written in full."""
        with self._lock:
            self._rows.clear()
            self._cursor = None

    def filter(self, data: str) -> str:
        """What to write instead of `data` for the terminal to show the same thing."""
        with self._lock:
            one = _Pass(self._rows, self._cursor)
            out = one.run(data)
            self._cursor = one.out_at
            return out


class _Pass:
    """One write's worth of filtering: where Textual's cursor is, and where the real one is."""

    def __init__(self, rows: dict[int, dict[int, Cell]], cursor: tuple[int, int] | None) -> None:
        self.rows = rows
        self.out: list[str] = []
        self.x: int | None = None  # where Textual's next character goes (None: unknown)
        self.y = 0
        self.lost_row: int | None = None  # x is unknown only because of widths on this row
        self.style = ""
        self.link = ""
        self.out_at = cursor  # where the terminal's cursor is (None: unknown)
        self.out_style = ""
        self.out_link = ""
        self.moved = False  # a move not yet followed by text: it places the cursor at the end
        self.skipped: list[Cell] = []  # unchanged cells since the last one written, this row

    def run(self, data: str) -> str:
        for match in _TOKEN.finditer(data):
            kind = match.lastgroup
            token = match.group()
            if kind == "csi":
                self.csi(token, match.group("params"), match.group("inter"), match.group("final"))
            elif kind == "osc":
                if token.startswith("\x1b]8;"):
                    self.link = "" if token.startswith("\x1b]8;;") else token
                else:
                    self.out.append(token)  # a title or a clipboard copy: not drawn
            elif kind == "text":
                self.text(token)
            elif kind == "newline":
                if self.x is not None or self.lost_row is not None:
                    # Not written: the next character is placed by a move (Textual
                    # always moves after a newline), and the terminal's cursor stays put.
                    self.x, self.y, self.lost_row = 0, self.y + 1, None
                    self.skipped.clear()
            elif token == "\r" and self.x is not None:
                self.x = 0
                self.skipped.clear()
            elif token == "\x07":  # the bell draws nothing
                self.out.append(token)
            else:  # a bare ESC sequence or a control character: not modelled
                self.forget(token)
        self.finish()
        return "".join(self.out)

    def csi(self, token: str, params: str, inter: str, final: str) -> None:
        if final == "H" and not inter:
            parts = params.split(";") if params else []
            try:
                row = int(parts[0]) if parts and parts[0] else 1
                column = int(parts[1]) if len(parts) > 1 and parts[1] else 1
            except ValueError:
                self.forget(token)
                return
            self.x, self.y = column - 1, row - 1
            self.lost_row = None
            self.moved = True
            self.skipped.clear()
        elif final == "m" and not inter:
            self.style = "" if params in ("", "0") else params
        elif final in _HARMLESS_FINALS and not (final in "hl" and params in _ALTERNATE_SCREEN):
            self.out.append(token)
        else:
            self.forget(token)

    def forget(self, token: str) -> None:
        """Pass `token` through as it is and forget the picture, since we cannot follow it."""
        self.restore()
        self.out.append(token)
        self.rows.clear()
        self.x = None
        self.lost_row = None
        self.out_at = None
        self.skipped.clear()

    def restore(self) -> None:
        """Leave the terminal's style and link as Textual leaves them between writes: none."""
        if self.out_style:
            self.out.append("\x1b[0m")
            self.out_style = ""
        if self.out_link:
            self.out.append(_LINK_CLOSE)
            self.out_link = ""

    def text(self, text: str) -> None:
        if self.x is None:  # text at a place we do not know
            self.forget_text(text)
            return
        self.moved = False
        if not text.isascii() and any(get_character_cell_size(char) != 1 for char in text):
            self.write_as_is(text)
            return
        row = self.rows.setdefault(self.y, {})
        style, link = self.style, self.link
        x = self.x
        for char in text:
            cell = (char, style, link)
            if row.get(x) == cell:
                self.skipped.append(cell)
            else:
                self.put(x, cell)
                row[x] = cell
            x += 1
        self.x = x

    def put(self, x: int, cell: Cell) -> None:
        """Write one changed cell, moving the cursor there unless it is (nearly) there."""
        y = self.y
        at = self.out_at
        if at != (x, y):
            gap = self.skipped
            if (
                at is not None
                and at[1] == y
                and at[0] + len(gap) == x
                and len(gap) <= 4
                and all(seen[1:] == (self.out_style, self.out_link) for seen in gap)
            ):
                self.out.append("".join(seen[0] for seen in gap))  # cheaper than a move
            else:
                self.out.append(_move(x, y))
        self.skipped = []
        char, style, link = cell
        self.dress(style, link)
        self.out.append(char)
        self.out_at = (x + 1, y)

    def dress(self, style: str, link: str) -> None:
        """Bring the terminal's hyperlink and style to these, writing only what differs
        (a style is written whole, after a reset: SGR parameters add up)."""
        if link != self.out_link:
            self.out.append(link or _LINK_CLOSE)
            self.out_link = link
        if style != self.out_style:
            self.out.append(f"\x1b[0;{style}m" if style else "\x1b[0m")
            self.out_style = style

    def write_as_is(self, text: str) -> None:
        """Write a run with wide or zero-width characters whole, and forget its row."""
        assert self.x is not None
        if self.out_at != (self.x, self.y):
            self.out.append(_move(self.x, self.y))
        self.dress(self.style, self.link)
        self.out.append(text)
        self.rows.pop(self.y, None)
        self.x = None  # where the terminal put the cursor depends on its idea of the widths
        self.lost_row = self.y
        self.out_at = None
        self.skipped.clear()

    def forget_text(self, text: str) -> None:
        self.dress(self.style, self.link)
        self.out.append(text)
        if self.lost_row is not None:
            self.rows.pop(self.lost_row, None)  # somewhere on that row, after a wide character
        else:
            self.rows.clear()
        self.out_at = None

    def finish(self) -> None:
        self.restore()
        if self.moved and self.x is not None and self.out_at != (self.x, self.y):
            self.out.append(_move(self.x, self.y))  # where Textual leaves the cursor
            self.out_at = (self.x, self.y)


def diffing_driver(base: type[Driver]) -> type[Driver]:
    """`base` (Textual's driver for this platform) writing through a ScreenDiff."""

    if sys.platform == "win32":
        # Textual cuts a frame into 8 KB writes on Windows (textual/app.py `_display`), so a
        # write can end inside an escape sequence; the filter reads whole sequences only.
        return base

    class DiffingDriver(base):  # type: ignore[valid-type,misc]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.screen_diff = ScreenDiff()

        def write(self, data: str) -> None:
            super().write(self.screen_diff.filter(data))

    DiffingDriver.__name__ = f"Diffing{base.__name__}"
    return DiffingDriver
