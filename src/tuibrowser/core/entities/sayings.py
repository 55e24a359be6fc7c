"""Who said what, read back from the index: an article's quotes, and everything one entity said.

The indexer stores each article's direct quotes (offsets, speaker, attribution verb; see
core/quotes.py) and indexes each speaker's quoted words in the `said` field, so an entity's
quotes are found through that field, never by reading articles again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import query

from tuibrowser.core.entities.registry import Registry
from tuibrowser.core.entities.views import context
from tuibrowser.core.store import open_index, reading


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quote in an article: offsets into its text, who said it (if the text says), how."""

    start: int
    end: int
    text: str
    speaker: str | None
    """The entity id, or None when the text does not say who."""
    speaker_name: str | None
    cue: str | None
    """The attribution: "said", "added", "told", "according to", ..."""
    continues: bool
    """This stretch continues the quote before it (after an attribution, or a new paragraph)."""
    context: str
    """The line of the paragraph around it, attribution included."""


@dataclass(frozen=True, slots=True)
class QuotedArticle:
    """An article in which an entity is quoted, with those quotes, in order."""

    id: str
    title: str
    date: str | None
    source: str | None
    quotes: tuple[QuoteSpan, ...]


def article_quotes(fields: dict[str, Any], registry: Registry, speaker: str | None = None) -> tuple[QuoteSpan, ...]:
    """An article's stored quotes (only `speaker`'s when given), as QuoteSpans."""
    text = fields.get("text") or ""
    found = []
    for raw in fields.get("quotes") or ():
        try:
            start, end, who, cue, continues = raw
        except (TypeError, ValueError):
            continue
        if speaker is not None and who != speaker:
            continue
        record = registry.get(who) if who else None
        line, _ = context(text, start, end, width=50)
        found.append(
            QuoteSpan(
                start,
                end,
                text[start:end],
                who if record else None,
                record.entity.name if record else None,
                cue if record else None,  # a verb with no entity to go with it is not attribution
                bool(continues),
                line,
            )
        )
    return tuple(found)


def entity_quotes(index_dir: Path, entity_id: str, registry: Registry) -> list[QuotedArticle]:
    """Everything the entity is quoted as saying, articles in date order (undated last)."""
    ix = open_index(index_dir)
    try:
        with reading(index_dir), ix.searcher() as searcher:
            hits = [hit.fields() for hit in searcher.search(query.Term("said", entity_id), limit=None)]
    finally:
        ix.close()
    articles = [
        QuotedArticle(
            f["id"], f.get("title") or "", f.get("date_iso"), f.get("source"), article_quotes(f, registry, entity_id)
        )
        for f in hits
    ]
    return sorted((a for a in articles if a.quotes), key=lambda a: (a.date is None, a.date or "", a.id))
