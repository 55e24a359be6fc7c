"""Find every mention of known entities in a text, with character offsets.

Aliases are matched token by token through a trie of folded tokens, so matching costs the
same however many aliases there are. At each position the longest alias that satisfies
its case rules and gaps wins, and scanning resumes after it. Aliases inside a longer match
are linked too, with their own offsets ("Lachin Corridor" inside "blockade of the Lachin
Corridor"), so an entity's concordance has every article that names it, even inside a
longer name: mentions may overlap, an inner one always lying wholly inside an outer one.

Case rules, from how news writes names:
- a token written in capitals in the alias (ICJ, NK, EU) matches only in capitals;
- an alias that starts with a capital matches only where the text has a capital there,
  so "Turkey" is not "turkey" and "Baku" needs its capital;
- an alias that starts in lower case ("ethnic Armenians") matches in any case.

A person's surname on its own ("Blair", the last word of "Tony Blair") is not linked right
after another given name ("William Blair and Co", "Cherie Blair"), nor, when it is also a
given name, right before another name ("Blair Pickerell"): that is someone else, and
discovery is left to find them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import pairwise

from tuibrowser.core import budget
from tuibrowser.core.entities.gazetteer import is_given_name
from tuibrowser.core.entities.lexicon import COMMON_WORDS, MONTHS_AND_DAYS, ORG_HEADS, ORG_WORDS
from tuibrowser.core.entities.text import Token, canonical_gap, is_acronym, strip_accents, tokenize
from tuibrowser.core.records import pickled_as_tuple


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Mention:
    """A span of an article's text that names an entity."""

    entity_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Alias:
    entity_id: str
    tokens: tuple[str, ...]
    """As written, accents stripped (for case checks)."""
    gaps: tuple[str, ...]
    """canonical_gap() between consecutive tokens."""
    capital_start: bool
    own_words: frozenset[str] = frozenset()
    """For a person's surname alone: the folded words of the person's names (a given name
    before the surname that is not among them means another person). Empty otherwise."""


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    aliases: list[_Alias] = field(default_factory=list)


class AliasMatcher:
    """Matches a fixed set of (entity id, spelling) pairs in texts."""

    def __init__(self, spellings: list[tuple[str, str]], people: frozenset[str] = frozenset()):
        """`spellings` are (entity id, spelling) pairs; `people` the ids of persons, whose
        surnames alone follow the given-name rule above."""
        self._root = _Node()
        self.size = 0
        surnames = _surnames(spellings, people)
        for entity_id, spelling in spellings:
            tokens = tokenize(spelling)
            if not tokens:
                continue
            gaps = tuple(canonical_gap(spelling[a.end : b.start]) for a, b in pairwise(tokens))
            alias = _Alias(
                entity_id,
                tuple(strip_accents(t.text) for t in tokens),
                gaps,
                spelling.lstrip("#")[:1].isupper(),
                surnames.get((entity_id, tokens[0].folded), frozenset()) if len(tokens) == 1 else frozenset(),
            )
            node = self._root
            for token in tokens:
                node = node.children.setdefault(token.folded, _Node())
            node.aliases.append(alias)
            self.size += 1

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Mention]:
        """Every mention in `text`, left to right: the longest at each place, and the
        mentions nested inside it (after it, in order of their starts)."""
        tokens = tokenize(text) if tokens is None else tokens
        mentions: list[Mention] = []
        starts = self._root.children  # the first words of the aliases: most words are none
        i = 0
        while i < len(tokens):
            if i % 4096 == 0:
                budget.check()
            if tokens[i].folded not in starts:
                i += 1
                continue
            best = self._longest_at(text, tokens, i)
            if best is None:
                i += 1
                continue
            entity_id, length = best
            mentions.append(Mention(entity_id, tokens[i].start, tokens[i + length - 1].end))
            if length > 1:
                mentions += self._nested(text, tokens, i, i + length, entity_id)
            i += length
        return mentions

    def _nested(self, text: str, tokens: list[Token], first: int, stop: int, outer: str) -> list[Mention]:
        """Mentions inside tokens[first:stop] other than the whole span, longest first at
        each place; an alias has a bounded number of tokens, so this stays linear."""
        found: list[Mention] = []
        i = first
        while i < stop:
            best = self._longest_at(text, tokens, i, limit=stop - (i == first))
            if best is None or best[0] == outer:
                i += 1
                continue
            entity_id, length = best
            found.append(Mention(entity_id, tokens[i].start, tokens[i + length - 1].end))
            i += length
        return found

    def _longest_at(self, text: str, tokens: list[Token], i: int, limit: int | None = None) -> tuple[str, int] | None:
        """The longest alias starting at tokens[i] (and ending before tokens[limit])."""
        node: _Node | None = self._root
        best: tuple[str, int] | None = None
        for j in range(i, len(tokens) if limit is None else limit):
            node = node.children.get(tokens[j].folded) if node is not None else None
            if node is None:
                break
            for alias in node.aliases:
                if _accepts(alias, text, tokens, i):
                    best = (alias.entity_id, j - i + 1)
                    break
        return best


def _surnames(spellings: list[tuple[str, str]], people: frozenset[str]) -> dict[tuple[str, str], frozenset[str]]:
    """(person id, folded surname) -> the folded words of that person's names, for every
    one-word spelling of a person that ends one of their longer spellings."""
    words: dict[str, set[str]] = {}
    last_words: set[tuple[str, str]] = set()
    for entity_id, spelling in spellings:
        if entity_id not in people:
            continue
        tokens = tokenize(spelling)
        words.setdefault(entity_id, set()).update(token.folded for token in tokens)
        if len(tokens) > 1:
            last_words.add((entity_id, tokens[-1].folded))
    return {key: frozenset(words[key[0]]) for key in last_words}


def _after_another_given_name(alias: _Alias, text: str, tokens: list[Token], i: int) -> bool:
    """Whether the surname at tokens[i] follows a given name not the person's own."""
    if i == 0:
        return False
    before = tokens[i - 1]
    return (
        text[before.end : tokens[i].start] == " "
        and before.text[:1].isupper()
        and before.folded not in alias.own_words
        and is_given_name(before.text)
        and not any(_variant(before.folded, word) for word in alias.own_words)
    )


def _before_another_surname(alias: _Alias, text: str, tokens: list[Token], i: int) -> bool:
    """Whether the surname at tokens[i], itself a given name, opens someone else's full name:
    "general manager Blair Pickerell" is not Tony Blair. A capitalised common word, a day or
    a month or an organisation's word after it ("Blair Government", "Reagan Monday") does
    not count."""
    if i + 1 >= len(tokens) or not is_given_name(tokens[i].text):
        return False
    after = tokens[i + 1]
    return (
        text[tokens[i].end : after.start] == " "
        and after.text[:1].isupper()
        and not is_acronym(after.text)
        and after.folded not in alias.own_words
        and after.folded not in COMMON_WORDS
        and after.folded not in MONTHS_AND_DAYS
        and after.folded not in ORG_WORDS
        and after.folded not in ORG_HEADS
    )


def _variant(a: str, b: str) -> bool:
    """Two spellings of one given name: transliterations ("Mariya"/"Maria", "Sergei"/"Sergey")
    and short forms that end the long one ("Tony"/"Antony")."""
    if min(len(a), len(b)) < 3:
        return False
    if a.endswith(b) or b.endswith(a):
        return True
    return a[0] == b[0] and SequenceMatcher(None, a, b).ratio() >= 0.7


def _accepts(alias: _Alias, text: str, tokens: list[Token], i: int) -> bool:
    window = tokens[i : i + len(alias.tokens)]
    if alias.capital_start and not window[0].text.lstrip("#")[:1].isupper():
        return False
    if alias.own_words and (
        _after_another_given_name(alias, text, tokens, i) or _before_another_surname(alias, text, tokens, i)
    ):
        return False
    for written, token in zip(alias.tokens, window, strict=True):
        if is_acronym(written) and strip_accents(token.text) != written:
            return False
    for gap, (left, right) in zip(alias.gaps, pairwise(window), strict=False):
        if canonical_gap(text[left.end : right.start]) != gap:
            return False
    return True
