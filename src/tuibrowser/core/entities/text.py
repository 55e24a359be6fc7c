"""Tokens with character offsets, and the folding that makes spellings comparable.

Entity matching works on tokens, never on raw substrings, so "EU" can never match inside
"EUROPE" or "neuter". Folding removes accents (Erdoğan = Erdogan, Xankəndi = Xankendi) and
unifies apostrophes and dashes, so the curly and straight forms of a possessive are equal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, NamedTuple

# Acronyms with dots (U.S., U.N.), hashtags (#LachinCorridor), then runs of letters/digits.
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|#\w+|[OD][’'][A-Z][^\W_]+|[^\W_]+")  # O'Brien, D'Souza
_SPECIAL_FOLDS = str.maketrans(
    {"ə": "e", "Ə": "E", "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "ß": "ss"}
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "´": "'"})
_GAP_DROP = re.compile(r"[\s\-‐‑‒–—()]+")


class Token(NamedTuple):
    """A word of the text: its span, its text as written and its folded form.

    A named tuple, not a dataclass: every word of every article is one, and a frozen
    dataclass's constructor costs three times a tuple's.
    """

    start: int
    end: int
    text: str
    folded: str


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, accent-free, apostrophe-unified form used for comparison.

    Cached: news vocabulary repeats, and folding every token of every article is the
    largest cost of entity extraction at index time.
    """
    if text.isascii():
        return text.replace("`", "'").lower()
    text = text.translate(_SPECIAL_FOLDS).translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def strip_accents(text: str) -> str:
    """Accent-free form that keeps case (for case-sensitive comparisons)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL_FOLDS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[Token]:
    # _new_token rather than Token(...): the named tuple's own __new__ is a Python
    # function, a fifth of tokenizing an article (which every extraction does).
    # An ASCII token is folded by lower-casing it: a token holds no backquote (the one ASCII
    # character `fold` changes besides capitals), and lower-casing costs less than a look-up
    # in fold's cache, which an archive's vocabulary (about 150,000 words at 29,000
    # articles) overflows: its misses made tokenizing a sixth slower. Other words: `fold`.
    new = _new_token
    return [
        new(Token, (m.start(), m.end(), word, word.lower() if word.isascii() else fold(word)))
        for m in _TOKEN.finditer(text)
        for word in (m.group(),)
    ]


_new_token: Any = tuple.__new__
"""Makes a Token from a tuple of its four fields, as Token(...) does, without its call."""


def folded_words(text: str) -> list[str]:
    """The folded form of every token of `text` (tokenize's `folded`, without the rest)."""
    return [word.lower() if word.isascii() else fold(word) for word in _TOKEN.findall(text)]


def canonical_gap(gap: str) -> str:
    """What separates two tokens, reduced to what matters for matching.

    Spaces, hyphens, dashes and parentheses are interchangeable ("Nagorno Karabakh" =
    "Nagorno-Karabakh"; "European Union (EU) mission"); apostrophes and other punctuation
    must agree, so a match never runs across a comma or a sentence end the alias lacks.
    """
    return _GAP_DROP.sub("", gap.translate(_APOSTROPHES))


def is_acronym(word: str) -> bool:
    """ICJ, NK, U.S.: two or more letters, all capitals."""
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)
