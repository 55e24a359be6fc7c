"""Citations a reader can paste into notes: the quoted words, then where they come from.

A citation is Markdown: the quote as a block quote, then the title (linked when the article
states its URL), the outlet, the date and the article's id, so it can be found again with
`tuibrowser show ID`. Nothing is invented: a missing outlet or date is left out.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tuibrowser.core.article import PARAGRAPH_SEPARATOR, Article

_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\"“‘'(\[]*[A-Z0-9À-Ý])")
"""A sentence ends at . ! ? (with closing quotes or brackets) before a capital or a digit."""

_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "prof", "rep", "sen", "gov"})
_ABBREVIATIONS |= frozenset({"jan", "feb", "aug", "sept", "oct", "nov", "dec", "no", "vs", "u.s", "u.n", "e.g", "i.e"})


def paragraph_span(text: str, offset: int) -> tuple[int, int]:
    """(start, end) of the paragraph of `text` that holds `offset`."""
    offset = min(max(offset, 0), len(text))
    start = text.rfind(PARAGRAPH_SEPARATOR, 0, offset)
    start = 0 if start < 0 else start + len(PARAGRAPH_SEPARATOR)
    end = text.find(PARAGRAPH_SEPARATOR, offset)
    return start, len(text) if end < 0 else end


def sentence_span(text: str, offset: int) -> tuple[int, int]:
    """(start, end) of the sentence that holds `offset`, within its paragraph.

    Abbreviations before a full stop ("Mr.", "U.S.", "Jan.") do not end a sentence.
    """
    low, high = paragraph_span(text, offset)
    start = low
    for match in _SENTENCE_END.finditer(text, low, high):
        word = text[low : match.start()].rsplit(None, 1)[-1].rstrip(".").casefold() if match.start() > low else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue  # "Mr. Blair", "J. Smith"
        if match.end() > offset:
            return start, match.start() + 1 + _closing(text, match.start() + 1, high)
        start = match.end()
    return start, high


OPENING_MARKS = "\"“‘'«„"
CLOSING_MARKS = "\"”’'»“"


def quote_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A quote's words (`start`:`end`, as core.quotes gives them) with the quotation marks
    around them, so a citation of it is balanced: "“...,” he said" gives "“...,”". A mark
    is looked for past a space before, and past a comma or full stop and a space after."""
    before = start
    while before > 0 and text[before - 1] == " " and start - before < 2:
        before -= 1
    if before > 0 and text[before - 1] in OPENING_MARKS:
        start = before - 1
    after = end
    while after < len(text) and text[after] in " ,.;:!?" and after - end < 3:
        after += 1
        if after < len(text) and text[after] in CLOSING_MARKS:
            return start, after + 1
    if end < len(text) and text[end] in CLOSING_MARKS:
        end += 1
    return start, end


def _closing(text: str, position: int, high: int) -> int:
    """Closing quotes and brackets right after the full stop belong to the sentence."""
    count = 0
    while position + count < high and text[position + count] in "\"”’')]":
        count += 1
    return count


def citation(article: Article, start: int, end: int) -> str:
    """Markdown: the quoted text of article.text[start:end], then its source."""
    quote = " ".join(article.text[start:end].split())
    title = article.title or "(untitled)"
    target = _link_target(article.url)
    reference = f"[{_escape(title)}]({target})" if target else f"“{_escape(title)}”"
    details = ", ".join(x for x in (article.source, article.date) if x)
    line = f"— {reference}" + (f", {details}" if details else "") + f" (tuibrowser: `{article.id}`)"
    return f"> {_escape(quote)}\n>\n> {line}\n"


def _link_target(url: str | None) -> str | None:
    """The article's URL as a Markdown link target, or None: only a web address (http or
    https) is linked, never "javascript:" or "file:" from an imported file, and the
    characters that would end the link or the line are percent-encoded."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return "".join(f"%{ord(c):02X}" if c in _UNSAFE_IN_LINK or ord(c) < 0x20 else c for c in url.strip())


_UNSAFE_IN_LINK = frozenset(" ()<>[]\\`\"'\x7f")


def _escape(text: str) -> str:
    """Keep Markdown from reading the quote as markup (a leading #, links, emphasis)."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)
