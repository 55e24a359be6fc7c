"""The Whoosh document of an article: its fields, its entity links and its quotes.

Built either from a freshly derived article or from what the index stored (a relink after
new entity links, a new id), so the two give identical documents for the same article.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tuibrowser.core.article import Article
from tuibrowser.core.entities.linker import Mention
from tuibrowser.core.quotes import Quote, Speaker, find_quotes
from tuibrowser.core.schema import said_value


def quotes_of(text: str, mentions: tuple[Mention, ...], types: dict[str, str]) -> list[Quote]:
    """The article's direct quotes, each attributed to one of its entities when the text says who."""
    speakers = [Speaker(m.entity_id, m.start, m.end, types.get(m.entity_id, "")) for m in mentions]
    return find_quotes(text, speakers)


def stored_quotes(quotes: list[Quote]) -> list[list[Any]]:
    """Quotes as the `quotes` field stores them."""
    return [[q.start, q.end, q.speaker, q.cue, q.continues] for q in quotes]


def from_article(
    article: Article, article_id: str, mentions: tuple[Mention, ...], added: int, quotes: list[Quote]
) -> dict[str, Any]:
    """The Whoosh document for a freshly derived article."""
    return _build(
        path=article.path,
        article_id=article_id,
        title=article.title,
        text=article.text,
        date=article.date,
        source=article.source,
        byline=article.byline,
        url=article.url,
        title_derived=article.title_derived,
        content_hash=article.content_hash,
        mentions=mentions,
        added=added,
        quotes=quotes,
    )


def from_stored(
    fields: dict[str, Any], article_id: str, mentions: tuple[Mention, ...], added: int, quotes: list[Quote]
) -> dict[str, Any]:
    """The same document rebuilt from what the index stored, with new links or a new id."""
    return _build(
        path=fields["path"],
        article_id=article_id,
        title=fields.get("title") or "",
        text=fields.get("text") or "",
        date=fields.get("date_iso"),
        source=fields.get("source"),
        byline=fields.get("byline"),
        url=fields.get("url"),
        title_derived=bool(fields.get("title_derived")),
        content_hash=fields.get("hash") or "",
        mentions=mentions,
        added=added,
        quotes=quotes,
    )


def before_links(article: Article) -> dict[str, Any]:
    """The indexed fields of a fresh article's document that depend neither on its entity
    links nor on its id and arrival time: most of the work of indexing it (its words),
    which can start before the links and ids are worked out (see writers.ParallelWrite)."""
    fields = _unlinked(article.path, "", article.title, article.text, article.date, article.source, 0)
    del fields["id"], fields["added"]
    return fields


def _unlinked(
    path: str,
    article_id: str,
    title: str,
    text: str,
    date: str | None,
    source: str | None,
    added: int,
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "path": path,
        "id": article_id,
        "title": title,
        "body": text,
        "spell": f"{title}\n{text}",
        "added": added,
    }
    if date:
        fields["date"] = dt.datetime.fromisoformat(date)
    if source:
        fields["source"] = source
        fields["source_facet"] = source
    return fields


def _build(
    *,
    path: str,
    article_id: str,
    title: str,
    text: str,
    date: str | None,
    source: str | None,
    byline: str | None,
    url: str | None,
    title_derived: bool,
    content_hash: str,
    mentions: tuple[Mention, ...],
    added: int,
    quotes: list[Quote],
) -> dict[str, Any]:
    document: dict[str, Any] = {
        **_unlinked(path, article_id, title, text, date, source, added),
        "text": text,
        "date_iso": date,
        "byline": byline,
        "url": url,
        "title_derived": title_derived,
        "hash": content_hash,
        # One id per mention, so `entity:` ranks articles that mention it more often higher;
        # offsets for the reader.
        "entities": ",".join(m.entity_id for m in mentions),
        "mentions": [[m.entity_id, m.start, m.end] for m in mentions],
        # Who said what: offsets for the reader, and each speaker's quoted words for said:.
        "quotes": stored_quotes(quotes),
        "said": said_value((q.speaker, q.text) for q in quotes if q.speaker),
    }
    return document
