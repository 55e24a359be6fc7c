"""The article reader: one widget that lays out and draws the article itself, line by line.

The reader wraps the article's text into lines at a comfortable measure, keeping for every
line the character offsets it covers, and draws only the lines on screen (Textual's line
API). Because it knows where every character is, a mention or a match deep in a long
paragraph can be put in the middle of the screen exactly, and nothing is ever mounted or
removed when another article is shown: `show` replaces the state and the next frame draws
it. (The earlier reader mounted one widget per paragraph without awaiting it and painted
into the old ones, so the second article opened showed blank or half of the first.)

Text is drawn from plain strings with styles, never parsed as markup.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuibrowser.core.services import OpenedArticle

MEASURE = 80
"""Longest line of body text, in cells: a comfortable reading width on a wide terminal."""

EMPTY_NOTE = "Choose an article to read it here."
NO_MATCH_NOTE = "No article matches this search."


class Cursor(NamedTuple):
    """Where the reader is: a query match, a mention of the selected entity, a quote, or a place."""

    kind: str
    """"match", "mention", "quote" or "place" (an offset to show, with no span to mark)."""
    start: int
    end: int


class _Line(NamedTuple):
    """One screen line: a slice of the article text, or a line of the header."""

    text: str
    start: int
    """Offset of the slice in the article's text; -1 for header lines."""
    role: str = "body"
    """"body", "title", "meta", "url", "rule" or "blank"."""


def wrap_spans(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of one paragraph: (start, end) of each line's slice of `text`.

    Widths are in terminal cells (wide characters count two); a word longer than a line
    is cut. The spaces at a break belong to no line.
    """
    width = max(width, 1)
    spans: list[tuple[int, int]] = []
    position, length = 0, len(text)
    while position < length:
        while position < length and text[position] == " ":
            position += 1
        if position >= length:
            break
        cells, index, last_space = 0, position, -1
        while index < length:
            size = cell_len(text[index])
            if cells + size > width:
                break
            if text[index] == " ":
                last_space = index
            cells += size
            index += 1
        if index >= length:
            spans.append((position, length))
            break
        if text[index] == " ":
            spans.append((position, index))
            position = index + 1
        elif last_space > position:
            spans.append((position, last_space))
            position = last_space + 1
        else:
            index = max(index, position + 1)  # one character wider than the line: never stall
            spans.append((position, index))
            position = index
    return spans


class ArticleReader(ScrollView, can_focus=True):
    """Shows one article; the screen sets what to show and where the cursor is."""

    COMPONENT_CLASSES = {
        "reader--title",
        "reader--meta",
        "reader--url",
        "reader--rule",
        "reader--quote",
        "reader--mention",
        "reader--selected",
        "reader--match",
        "reader--current",
        "reader--empty",
    }

    DEFAULT_CSS = """
    ArticleReader {
        padding: 0 1 0 2;
        overflow-x: hidden;
        scrollbar-gutter: stable;  /* the measure never changes when the scrollbar appears */
    }
    ArticleReader > .reader--title { text-style: bold; }
    ArticleReader > .reader--meta { text-style: italic; color: $text-muted; }
    ArticleReader > .reader--url { color: $text-muted; }
    ArticleReader > .reader--rule { color: $panel-lighten-2; }
    ArticleReader > .reader--quote { text-style: italic; }
    ArticleReader > .reader--mention { text-style: underline; }
    ArticleReader > .reader--selected { text-style: bold underline; color: $accent; }
    ArticleReader > .reader--match { text-style: reverse; }
    ArticleReader > .reader--current { text-style: bold reverse; color: $accent; }
    ArticleReader > .reader--empty { color: $text-muted; text-style: italic; }
    """

    BINDINGS = [
        Binding("j,down", "scroll_down", "Line down", id="reader.down", show=False),
        Binding("k,up", "scroll_up", "Line up", id="reader.up", show=False),
        Binding("space,pagedown", "page_down", "Page down", id="reader.page-down", show=False),
        Binding("pageup", "page_up", "Page up", id="reader.page-up", show=False),
        Binding("g,home", "scroll_home", "Top", id="reader.top", show=False),
        Binding("G,end", "scroll_end", "Bottom", id="reader.bottom", show=False),
        Binding("n", "screen.next_match", "Next match", id="reader.next-match"),
        Binding("N", "screen.previous_match", "Previous match", id="reader.previous-match"),
        Binding("m", "screen.next_mention", "Next mention of the selected entity", id="reader.next-mention"),
        Binding("M", "screen.previous_mention", "Previous mention", id="reader.previous-mention"),
        Binding("v", "screen.open_selected_entity", "Selected entity's view", id="reader.entity-view"),
        Binding("apostrophe", "screen.next_quote", "Next quote (and who said it)", id="reader.next-quote"),
        Binding("quotation_mark", "screen.previous_quote", "Previous quote", id="reader.previous-quote"),
        Binding("y", "screen.copy_citation", "Copy a citation of this sentence or paragraph", id="reader.cite"),
        Binding("Y", "screen.save_citation", "Save that citation to a file instead", id="reader.cite-to-file"),
    ]

    HINTS = (
        (("reader.next-match", "reader.previous-match"), "match"),
        (("reader.next-mention", "reader.previous-mention"), "mention"),
        (("main.entities",), "entities"),
        (("main.up",), "results"),
        (("main.back",), "back"),
        (("reader.cite",), "cite"),
        (("main.bookmark",), "mark"),
    )
    """What the key-hint line offers while the reader has focus: (binding ids, label)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.opened: OpenedArticle | None = None
        self.cursor: Cursor | None = None
        self.selected_entity: str | None = None
        self._lines: list[_Line] = []
        self._body_starts: list[int] = []
        """Start offset of each body line, in order, for finding the line of an offset."""
        self._body_rows: list[int] = []
        """The row in `_lines` of each body line (parallel to `_body_starts`)."""
        self._spans: list[tuple[int, int, str]] = []
        self._laid_out_width = -1
        self._pending: tuple[int, str] | None = None
        """(offset, how) to bring into view once the reader has a size: "center" (a jump),
        "reveal" (a cursor move: only if not in view), "top" (coming back), "home"."""
        self._strips: dict[int, Strip] = {}
        self._top_hint: int | None = None
        """The offset the top line was asked to show (see top_offset)."""
        self._empty_note = EMPTY_NOTE

    # State, pushed down by the screen.

    def show(
        self,
        opened: OpenedArticle | None,
        *,
        cursor: Cursor | None = None,
        top: int | None = None,
        empty: str = EMPTY_NOTE,
    ) -> None:
        """Display an article: at the cursor (centred), at `top` (a line offset put at the
        top, when coming back to it), or from its beginning; with none, the `empty` note."""
        self.opened = opened
        self._empty_note = empty
        self.cursor = cursor
        self._top_hint = None
        self._laid_out_width = -1
        self._restyle()
        if cursor is not None:
            self._pending = (cursor.start, "center")
        elif top is not None:
            self._pending = (top, "top")
        else:
            self._pending = (0, "home")
        self._layout()

    def set_cursor(self, cursor: Cursor | None) -> None:
        """Move the cursor and bring it into view."""
        self.cursor = cursor
        self._restyle()
        if cursor is not None:
            self._pending = (cursor.start, "reveal")
            self._layout()

    def set_selected_entity(self, entity_id: str | None) -> None:
        """Mark the selected entity's mentions more strongly."""
        if entity_id != self.selected_entity:
            self.selected_entity = entity_id
            self._restyle()

    # What the screen and tests read back.

    def top_offset(self) -> int:
        """Offset of the first body line on screen: where to come back to.

        After a re-wrap (a resize, the sidebar opening) the top line starts a little earlier
        than the one the reader had scrolled to; the offset they had is kept while that line
        is still at the top, so coming back at another width returns to the same words.
        """
        row = round(self.scroll_y)
        if self._top_hint is not None and self._body_starts and self.row_of(self._top_hint) == row:
            return self._top_hint
        for line in self._lines[row:]:
            if line.start >= 0:
                return line.start
        return 0

    def row_of(self, offset: int) -> int:
        """The row (in the whole laid-out article) that shows `offset`."""
        if not self._body_starts:
            return 0
        index = max(0, bisect_right(self._body_starts, offset) - 1)
        return self._body_rows[index]

    def is_visible(self, offset: int) -> bool:
        """Whether the line holding `offset` is inside the visible region."""
        row = self.row_of(offset)
        top = round(self.scroll_y)
        return top <= row < top + self.scrollable_content_region.height

    def visible_text(self) -> list[str]:
        """The lines on screen, as plain text."""
        top = round(self.scroll_y)
        return [line.text for line in self._lines[top : top + self.scrollable_content_region.height]]

    # Layout and drawing.

    def on_resize(self) -> None:
        self._layout()

    # Scrolling by keys is immediate: an animated jump to the end takes half a second.

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False)

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    def _measure(self) -> int:
        return min(MEASURE, self.scrollable_content_region.width)

    def _layout(self) -> None:
        width = self._measure()
        if width <= 0:
            return  # hidden (one pane at a time on a narrow terminal): laid out when shown
        if width != self._laid_out_width:
            at_top = round(self.scroll_y) == 0
            keep = self.top_offset() if self._pending is None and self._lines and not at_top else None
            self._lines = self._build_lines(width)
            self._body_starts = [line.start for line in self._lines if line.start >= 0]
            self._body_rows = [row for row, line in enumerate(self._lines) if line.start >= 0]
            self._laid_out_width = width
            self._strips.clear()
            self.virtual_size = Size(width, len(self._lines))
            if self._pending is None and self.cursor is not None:
                self._pending = (self.cursor.start, "reveal")  # re-wrapped: the cursor stays in view
            elif keep is not None:
                self._pending = (keep, "top")
            elif self._pending is None:
                self._pending = (0, "home")  # it was at the top (the title showing): it stays there
        if self._pending is not None:
            offset, mode = self._pending
            self._pending = None
            height = self.scrollable_content_region.height
            row = self.row_of(offset)
            top = round(self.scroll_y)
            if mode == "home":
                y = 0
            elif mode == "top":
                y = row
                self._top_hint = offset
            elif mode == "reveal" and top < row < top + height - 1:
                y = top  # already in view (not on the edge): the page does not jump
            elif row < height - 2:
                y = 0  # on the first screen anyway: keep the title and date in view
            else:
                y = row - height // 2
            # force: the scrollbars for the new length are worked out at the next layout, and
            # until then Textual refuses to scroll a widget that has none yet.
            self.scroll_to(y=max(0, min(y, len(self._lines) - height)), animate=False, force=True, immediate=True)
        self.refresh()

    def _build_lines(self, width: int) -> list[_Line]:
        if self.opened is None:
            return [_Line(self._empty_note, -1, "empty")]
        article = self.opened.article
        lines: list[_Line] = []
        title = article.title or "(untitled)"
        lines += [_Line(title[s:e], -1, "title") for s, e in wrap_spans(title, width)]
        byline = article.byline
        if byline and article.source and byline.casefold() == article.source.casefold():
            byline = None  # "By Asbarez": the outlet, already shown
        meta = " · ".join(x for x in (article.date or "undated", article.source, byline and f"by {byline}") if x)
        lines += [_Line(meta[s:e], -1, "meta") for s, e in wrap_spans(meta, width)]
        if article.url:
            lines.append(_Line(article.url, -1, "url"))
        lines.append(_Line("─" * width, -1, "rule"))
        position = 0
        for paragraph in article.paragraphs:
            lines.append(_Line("", -1, "blank"))
            flat = paragraph.replace("\n", " ")
            lines += [_Line(flat[s:e], position + s) for s, e in wrap_spans(flat, width)]
            position += len(paragraph) + 2  # PARAGRAPH_SEPARATOR
        if not article.paragraphs:
            lines.append(_Line("(This article has no text.)", -1, "empty"))
        lines.append(_Line("", -1, "blank"))
        return lines

    def _restyle(self) -> None:
        """Recompute which spans are marked how, and redraw."""
        spans: list[tuple[int, int, str]] = []
        if self.opened is not None:
            spans += [(q.start, q.end, "quote") for q in self.opened.quotes]
            for item in self.opened.entities:
                role = "selected" if item.entity.id == self.selected_entity else "mention"
                spans += [(m.start, m.end, role) for m in item.mentions]
            spans += [(s, e, "match") for s, e in self.opened.matches]
            if self.cursor is not None and self.cursor.end > self.cursor.start:
                spans.append((self.cursor.start, self.cursor.end, "current"))
        self._spans = sorted(spans)
        self._strips.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        row = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if row in self._strips:
            return self._strips[row]
        base = self.rich_style
        if row >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[row]
        segments = self._segments(line, base)
        strip = Strip(segments).extend_cell_length(width, base).crop(0, width)
        self._strips[row] = strip
        return strip

    def _segments(self, line: _Line, base: Style) -> list[Segment]:
        if line.start < 0:
            style = base
            if line.role in ("title", "meta", "url", "rule", "empty"):
                style = base + self.get_component_rich_style(f"reader--{line.role}", partial=True)
            return [Segment(line.text, style)]
        start, end = line.start, line.start + len(line.text)
        # Each character's style is the base plus every span over it, in a fixed order, so
        # the current match shows over a plain match, and a selected mention over a mention.
        order = {"quote": -1, "mention": 0, "selected": 1, "match": 2, "current": 3}
        cuts = {start, end}
        covering = [(s, e, role) for s, e, role in self._spans if s < end and e > start]
        for s, e, _ in covering:
            cuts.update((max(s, start), min(e, end)))
        points = sorted(cuts)
        segments: list[Segment] = []
        for left, right in itertools.pairwise(points):
            style = base
            for _, _, role in sorted(
                (c for c in covering if c[0] <= left and c[1] >= right), key=lambda c: order[c[2]]
            ):
                style = style + self.get_component_rich_style(f"reader--{role}", partial=True)
            segments.append(Segment(line.text[left - start : right - start], style))
        return segments
