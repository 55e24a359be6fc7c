"""Fuzzy matching for the command palette, in time linear in each candidate.

Textual's `Matcher` (textual 8.2.8, `fuzzy.py`, `FuzzySearch._match`) lists every way the
query's letters can occur in order in a candidate (`get_offsets`) before scoring them: the
count grows combinatorially with both lengths. A 990-character recent search and the query
"Saudi Arabia" kept the palette at 100% CPU, its memory growing by 200 MB a second, until
the process was killed; a hostile article title can do the same. Here the query is looked
for as a substring (the usual case), else its letters are matched left to right, each at
the next word start that has it when there is one, else at its next occurrence: one pass,
whatever the candidate.

Candidates are plain text (`Content`, never markup): titles and names come from outside.
"""

from __future__ import annotations

from itertools import pairwise

from textual.content import Content
from textual.style import Style

MAX_CANDIDATE = 300
"""Characters of a candidate that are matched and shown; a longer one is cut with "…"."""


class PaletteMatcher:
    """Scores and highlights candidates for one query (the interface of Textual's Matcher)."""

    def __init__(self, query: str, match_style: Style | None = None) -> None:
        self.query = query
        self._folded = _fold(query.strip())
        self._letters = [c for c in self._folded if not c.isspace()]
        self._style = match_style if match_style is not None else Style(reverse=True)

    def match(self, candidate: str) -> float:
        """0 for no match, else up to 1: the whole candidate, then a substring at a word
        start, then any substring, then letters in order (fewer runs score higher)."""
        return self._offsets(candidate)[0]

    def highlight(self, candidate: str) -> Content:
        """The candidate as plain text (cut at MAX_CANDIDATE), its matched letters styled."""
        shown = candidate if len(candidate) <= MAX_CANDIDATE else candidate[: MAX_CANDIDATE - 1] + "…"
        content = Content(shown)
        score, offsets = self._offsets(candidate)
        if score:
            for offset in offsets:
                if offset < len(shown) and not shown[offset].isspace():
                    content = content.stylize(self._style, offset, offset + 1)
        return content

    def _offsets(self, candidate: str) -> tuple[float, list[int]]:
        if not self._letters:
            return 0.0, []
        text = _fold(candidate[:MAX_CANDIDATE])
        query = self._folded
        at = text.find(query)
        if at >= 0:
            offsets = list(range(at, at + len(query)))
            if at == 0 and len(query) == len(text):
                return 1.0, offsets
            bonus = 0.15 if _word_start(text, at) else 0.0
            return 0.6 + bonus + 0.2 * len(query) / len(text), offsets
        offsets = _in_order(text, self._letters, prefer_word_starts=True) or _in_order(text, self._letters)
        if not offsets:
            return 0.0, []
        runs = 1 + sum(1 for a, b in pairwise(offsets) if b != a + 1)
        return 0.5 * len(offsets) / (len(offsets) + runs - 1), offsets


def _in_order(text: str, letters: list[str], *, prefer_word_starts: bool = False) -> list[int]:
    """Where the letters occur in order, each as early as possible (at the next word start
    that has it, when `prefer_word_starts` and there is one); [] when they do not."""
    offsets: list[int] = []
    index = 0
    for letter in letters:
        found = _next_word_start(text, letter, index) if prefer_word_starts else -1
        if found < 0:
            found = text.find(letter, index)
        if found < 0:
            return []
        offsets.append(found)
        index = found + 1
    return offsets


def _fold(text: str) -> str:
    """Lower case, one character for one (offsets into the fold are offsets into the text)."""
    return "".join((c.lower() or c)[0] for c in text)


def _word_start(text: str, at: int) -> bool:
    return at == 0 or not text[at - 1].isalnum()


def _next_word_start(text: str, letter: str, start: int) -> int:
    """The next place from `start` where `letter` begins a word, or -1 (linear: each `find`
    moves past the last)."""
    at = text.find(letter, start)
    while at >= 0:
        if _word_start(text, at):
            return at
        at = text.find(letter, at + 1)
    return -1
