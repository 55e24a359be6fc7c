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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from tuibrowser.core import budget
from tuibrowser.core.entities.text import Token, canonical_gap, is_acronym, strip_accents, tokenize


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


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    aliases: list[_Alias] = field(default_factory=list)


class AliasMatcher:
    """Matches a fixed set of (entity id, spelling) pairs in texts."""

    def __init__(self, spellings: list[tuple[str, str]]):
        self._root = _Node()
        self.size = 0
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
        i = 0
        while i < len(tokens):
            if i % 4096 == 0:
                budget.check()
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


def _accepts(alias: _Alias, text: str, tokens: list[Token], i: int) -> bool:
    window = tokens[i : i + len(alias.tokens)]
    if alias.capital_start and not window[0].text.lstrip("#")[:1].isupper():
        return False
    for written, token in zip(alias.tokens, window, strict=True):
        if is_acronym(written) and strip_accents(token.text) != written:
            return False
    for gap, (left, right) in zip(alias.gaps, pairwise(window), strict=False):
        if canonical_gap(text[left.end : right.start]) != gap:
            return False
    return True
