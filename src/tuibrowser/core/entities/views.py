"""Read entity links back from the index: per article, per entity (concordance), related.

Everything here reads what the indexer stored (entity ids and mention offsets); no article
is analysed again when it is opened.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import query

from tuibrowser.core.entities.kb import Entity
from tuibrowser.core.entities.registry import Registry, read_registry
from tuibrowser.core.library import ArticleNotFound
from tuibrowser.core.store import open_index, reading

CONTEXT_CHARS = 70
"""Characters of context on each side of a mention in a concordance line."""


@dataclass(frozen=True, slots=True)
class MentionSpan:
    """One mention: offsets into the article's text, the words, and a line of context."""

    start: int
    end: int
    text: str
    context: str
    context_start: int
    """Offset of `context` in the article's text, so the mention's place in it is known."""


@dataclass(frozen=True, slots=True)
class ArticleEntity:
    """An entity an article mentions, with every mention in it."""

    entity: Entity
    mentions: tuple[MentionSpan, ...]


@dataclass(frozen=True, slots=True)
class ConcordanceArticle:
    """An article in an entity's concordance, with its mentions of the entity."""

    id: str
    title: str
    date: str | None
    source: str | None
    mentions: tuple[MentionSpan, ...]


@dataclass(frozen=True, slots=True)
class RelatedEntity:
    """An entity mentioned in the same articles, and in how many of them."""

    entity: Entity
    articles: int
    score: float


def context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> tuple[str, int]:
    """A line around text[start:end], within its paragraph, cut at word boundaries."""
    para_start = text.rfind("\n\n", 0, start)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = text.find("\n\n", end)
    para_end = len(text) if para_end < 0 else para_end
    left = max(para_start, start - width)
    right = min(para_end, end + width)
    if left > para_start:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    if right < para_end:
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else right
    snippet = text[left:right]
    prefix = "…" if left > para_start else ""
    suffix = "…" if right < para_end else ""
    return f"{prefix}{snippet}{suffix}", left - len(prefix)


def _spans(text: str, mentions: Iterable[tuple[int, int]]) -> tuple[MentionSpan, ...]:
    spans = []
    for start, end in mentions:
        line, line_start = context(text, start, end)
        spans.append(MentionSpan(start, end, text[start:end], line, line_start))
    return tuple(spans)


def article_entities(index_dir: Path, article_id: str, registry: Registry | None = None) -> list[ArticleEntity]:
    """The article's entities, most mentioned first.

    Raises:
        ArticleNotFound: when no article has this id.
    """
    registry = registry or read_registry(index_dir)
    ix = open_index(index_dir)
    try:
        with reading(index_dir), ix.searcher() as searcher:
            fields = searcher.document(id=article_id)
    finally:
        ix.close()
    if fields is None:
        raise ArticleNotFound(article_id, [])
    return entities_from_fields(fields, registry)


def entities_from_fields(fields: dict[str, Any], registry: Registry) -> list[ArticleEntity]:
    """An article's entities from its stored fields, most mentioned first."""
    text = fields.get("text") or ""
    grouped: dict[str, list[tuple[int, int]]] = {}
    for entity_id, start, end in fields.get("mentions") or []:
        grouped.setdefault(entity_id, []).append((start, end))
    found = []
    for entity_id, spans in grouped.items():
        record = registry.get(entity_id)
        if record is not None:
            found.append(ArticleEntity(record.entity, _spans(text, spans)))
    return sorted(found, key=lambda item: (-len(item.mentions), item.entity.name.casefold()))


def _articles_mentioning(index_dir: Path, entity_id: str) -> list[dict]:
    """Stored fields of every article that mentions the entity (one index scan)."""
    ix = open_index(index_dir)
    try:
        with reading(index_dir), ix.searcher() as searcher:
            return [hit.fields() for hit in searcher.search(query.Term("entities", entity_id), limit=None)]
    finally:
        ix.close()


def _concordance(entity_id: str, found: list[dict]) -> list[ConcordanceArticle]:
    articles = []
    for fields in found:
        spans = [(s, e) for eid, s, e in fields.get("mentions") or [] if eid == entity_id]
        articles.append(
            ConcordanceArticle(
                fields["id"],
                fields.get("title") or "",
                fields.get("date_iso"),
                fields.get("source"),
                _spans(fields.get("text") or "", spans),
            )
        )
    return sorted(articles, key=lambda a: (a.date is None, a.date or "", a.id))


def _related(entity_id: str, found: list[dict], limit: int, registry: Registry) -> list[RelatedEntity]:
    shared: Counter[str] = Counter()
    for fields in found:
        for other in set((fields.get("entities") or "").split(",")):
            if other and other != entity_id:
                shared[other] += 1
    own = len(found)
    related = []
    for other, together in shared.items():
        record = registry.get(other)
        if record is None:
            continue
        score = together / (own + record.articles - together) if own + record.articles > together else 0.0
        related.append(RelatedEntity(record.entity, together, round(score, 4)))
    related.sort(key=lambda r: (-r.score, -r.articles, r.entity.name.casefold()))
    return related[:limit]


def concordance(index_dir: Path, entity_id: str) -> list[ConcordanceArticle]:
    """Every mention of the entity across the corpus: articles by date (undated last), mentions in order."""
    return _concordance(entity_id, _articles_mentioning(index_dir, entity_id))


def related_entities(
    index_dir: Path, entity_id: str, limit: int = 10, registry: Registry | None = None
) -> list[RelatedEntity]:
    """Entities that share articles with this one, the most specific first.

    Ranked by the Jaccard overlap of their article sets (shared / either), so an entity
    every article mentions (Armenia, Azerbaijan) cannot swamp one that appears mostly
    where this one does; ties go to the one sharing more articles.
    """
    found = _articles_mentioning(index_dir, entity_id)
    return _related(entity_id, found, limit, registry or read_registry(index_dir))


def entity_overview(
    index_dir: Path,
    entity_id: str,
    limit: int = 10,
    registry: Registry | None = None,
    window: tuple[str | None, str | None] | None = None,
) -> tuple[list[ConcordanceArticle], list[RelatedEntity]]:
    """The concordance and the related entities from one scan (what an entity view needs).

    Args:
        window: (first, last) ISO dates, inclusive, either open: only articles dated in
            it count, for the concordance and for the related entities alike.
    """
    found = _articles_mentioning(index_dir, entity_id)
    if window is not None:
        first, last = window
        found = [
            f
            for f in found
            if (date := f.get("date_iso")) and (first is None or date >= first) and (last is None or date <= last)
        ]
    return _concordance(entity_id, found), _related(entity_id, found, limit, registry or read_registry(index_dir))
