"""Snippets: the passages of a hit around the query's words, with the words marked.

Whoosh's highlighter runs the body's whole analyzer (tokenizer, lower case, accent folding,
stop words, stemming) over each hit's text to find the matches: about a millisecond per hit,
which was the largest part of a search's time. The same snippets come out of a cheaper
pass: the text is split with the analyzer's own tokenizing expression, and only words that
can stem to a query term (their lower-case form starts with the term minus its last two
letters, which holds for every Porter stem; words with accents are always checked) go
through the analyzer. The fragments are then chosen and scored by Whoosh's own
ContextFragmenter and fragment scorer, so the output is the highlighter's, character for
character (tests compare the two).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from whoosh import highlight
from whoosh.analysis.tokenizers import default_pattern

if TYPE_CHECKING:
    from whoosh.analysis import Analyzer

SNIPPET_CHARS = 220
FRAGMENTS = 2
"""Two short passages (about two lines each in an 80-column terminal) beat one long one."""


class _Token:
    """The little of Whoosh's Token that its fragmenter and scorer read."""

    __slots__ = ("boost", "endchar", "matched", "startchar", "text")

    def __init__(self, startchar: int, endchar: int, text: str, matched: bool):
        self.startchar = startchar
        self.endchar = endchar
        self.text = text
        self.matched = matched
        self.boost = 1.0

    def copy(self) -> _Token:
        return _Token(self.startchar, self.endchar, self.text, self.matched)


class SpanFormatter(highlight.Formatter):  # type: ignore[misc]
    """Formats fragments as (plain text, [(start, end), ...]) instead of markup.

    Paragraph breaks inside a fragment become single spaces, so a snippet is one line.
    """

    between = " … "

    def format(  # Whoosh's interface
        self, fragments: Iterable[highlight.Fragment], replace: bool = False
    ) -> tuple[str, list[tuple[int, int]]]:
        out: list[str] = []
        marks: list[tuple[int, int]] = []
        length = 0

        def emit(piece: str) -> None:
            nonlocal length
            piece = " ".join(piece.split("\n\n"))
            out.append(piece)
            length += len(piece)

        for number, fragment in enumerate(fragments):
            if number:
                emit(self.between)
            text, position = fragment.text, fragment.startchar
            for token in sorted(fragment.matches, key=lambda t: t.startchar):
                if token.startchar < position or token.endchar > fragment.endchar:
                    continue
                gap = text[position : token.startchar]
                emit(gap)
                if marks and position > fragment.startchar and gap.isspace() and marks[-1][1] == length - len(gap):
                    # "«Lachin Corridor»", not "«Lachin» «Corridor»": adjacent matches merge.
                    start = marks.pop()[0]
                else:
                    start = length
                emit(text[token.startchar : token.endchar])
                marks.append((start, length))
                position = token.endchar
            emit(text[position : fragment.endchar])
        return "".join(out), marks


FRAGMENTER = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS // 2, surround=40)
_SCORER = highlight.BasicFragmentScorer()
_FORMATTER = SpanFormatter()


class Matcher:
    """Decides which words of a text are matches of a query's terms (one per search).

    Args:
        terms: the query's terms in the body field, as indexed (stemmed, folded).
        analyzer: the body field's analyzer.
    """

    def __init__(self, terms: Iterable[str], analyzer: Analyzer):
        self.terms = frozenset(terms)
        self._analyzer = analyzer
        self._prefixes = tuple(sorted({term[: max(1, len(term) - 2)] for term in self.terms}))
        self._seen: dict[str, str | None] = {}
        """word as written -> its term when it matches, else None."""

    def term_of(self, word: str) -> str | None:
        """The query term `word` is indexed as, or None when it is not one of them."""
        found = self._seen.get(word, "")
        if found != "":
            return found
        term = None
        if not word.isascii() or word.lower().startswith(self._prefixes):
            tokens = [t.text for t in self._analyzer(word, mode="index", removestops=False)]
            term = tokens[0] if len(tokens) == 1 and tokens[0] in self.terms else None
        self._seen[word] = term
        return term

    def tokens(self, text: str) -> Iterator[_Token]:
        """The text's tokens as the body analyzer finds them, matches marked."""
        term_of = self.term_of
        for found in default_pattern.finditer(text):
            word = found.group()
            term = term_of(word)
            yield _Token(found.start(), found.end(), term or word, term is not None)


def snippet(text: str, matcher: Matcher | None) -> tuple[str, list[tuple[int, int]]]:
    """(snippet text, [(start, end) of each match in it]); the lead when nothing matches."""
    if matcher is not None and matcher.terms:
        fragments = FRAGMENTER.fragment_tokens(text, matcher.tokens(text))
        best = highlight.top_fragments(fragments, FRAGMENTS, _SCORER, highlight.FIRST, minscore=1)
        found, marks = _FORMATTER.format(best)
        if found:
            return found, marks
    return " ".join(lead(text).split("\n\n")), []


def lead(text: str) -> str:
    """The start of the text, cut at a word, when it is longer than a snippet."""
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text.rfind(" ", 0, SNIPPET_CHARS)
    return text[: cut if cut > 0 else SNIPPET_CHARS] + " …"
