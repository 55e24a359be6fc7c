"""Which articles an edit of entities.toml can change, found through the index.

Linking depends on the knowledge base in two ways only (entities/pipeline.py): an alias
matches where the text holds its words, and discovery ignores a lone word that is part of a
known alias. So after an edit only articles whose text holds every word of an added or
removed spelling, or any word that joined or left the known words, can link differently.
The `spell` field indexes every article's words exactly as the linker folds them
(schema.FoldedWords), so those articles are one query away, at any archive size, instead of
re-reading all of them. (An alias with a word longer than the index keeps is the rare case
where every article is read again.)
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import query

from tuibrowser.core.entities.discovery import lone_word_matters
from tuibrowser.core.entities.kb import Entity, KnowledgeBase
from tuibrowser.core.entities.text import tokenize
from tuibrowser.core.schema import MAX_TOKEN_CHARS


@dataclass(frozen=True)
class KbChange:
    """The difference between the knowledge base the index was linked with and the new one."""

    spellings: frozenset[tuple[str, str]]
    """(entity id, spelling) added or removed."""
    words: frozenset[str]
    """Folded words that joined or left the known words."""
    retyped: frozenset[str]
    """Entity ids added, removed or given another type (quotes depend on speakers' types)."""
    ids_changed: bool
    """The set of curated ids changed (discovered ids may then be numbered differently)."""

    @property
    def links(self) -> bool:
        return bool(self.spellings or self.words)


def snapshot(kb: KnowledgeBase) -> list[dict]:
    """What the bookkeeping keeps of the knowledge base, to compare the next one with."""
    return [{"id": e.id, "name": e.name, "type": e.type, "aliases": list(e.aliases)} for e in kb.entities]


def compare(old: list[dict], kb: KnowledgeBase) -> KbChange:
    """The change from the snapshot `old` to `kb`."""
    before = [Entity(e["id"], e["name"], e["type"], tuple(e["aliases"])) for e in old]
    after = list(kb.entities)
    spelled_before = {(e.id, s) for e in before for s in e.names()}
    spelled_after = {(e.id, s) for e in after for s in e.names()}
    types_before = {e.id: e.type for e in before}
    types_after = {e.id: e.type for e in after}
    retyped = {i for i in set(types_before) | set(types_after) if types_before.get(i) != types_after.get(i)}
    return KbChange(
        frozenset(spelled_before ^ spelled_after),
        frozenset(_words(before) ^ _words(after)),
        frozenset(retyped),
        set(types_before) != set(types_after),
    )


def _words(entities: list[Entity]) -> set[str]:
    return {token.folded for e in entities for spelling in e.names() for token in tokenize(spelling)}


def affected_query(change: KbChange) -> query.Query | None:
    """A query for the articles the change can link differently; None when it must be all."""
    clauses: list[query.Query] = []
    for _, spelling in sorted(change.spellings):
        words = sorted({token.folded for token in tokenize(spelling)})
        if any(len(word) > MAX_TOKEN_CHARS for word in words):
            return None
        if words:
            clauses.append(query.And([query.Term("spell", word) for word in words]))
    for word in sorted(change.words):
        if len(word) > MAX_TOKEN_CHARS:
            return None
        if lone_word_matters(word):  # "a" of "Paul A. Volcker" would bring in every article
            clauses.append(query.Term("spell", word))
    return query.Or(clauses) if clauses else query.NullQuery
