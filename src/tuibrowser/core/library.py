"""Read articles back from the index: one by id, or all of them newest first."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import query, sorting

from tuibrowser.core.article import PARAGRAPH_SEPARATOR, Article
from tuibrowser.core.errors import ArticleNotFound as ArticleNotFound
from tuibrowser.core.store import open_index, reading


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What a listing needs of an article, without its text."""

    id: str
    title: str
    date: str | None
    source: str | None
    path: str


_NEWEST_FIRST = sorting.MultiFacet([sorting.FieldFacet("date", reverse=True), sorting.FieldFacet("id")])


def list_articles(index_dir: Path, limit: int | None = None) -> list[ArticleSummary]:
    """Articles newest first (undated last, ties by id); `limit` reads only that many."""
    ix = open_index(index_dir)
    try:
        with reading(index_dir), ix.searcher() as searcher:
            results = searcher.search(query.Every(), sortedby=_NEWEST_FIRST, limit=limit)
            summaries = [summary_of(hit.fields()) for hit in results]
    finally:
        ix.close()
    # Whoosh sorts a missing date as the oldest possible one; keep dated before undated.
    return sorted(summaries, key=lambda s: s.date is None)


def summary_of(fields: dict) -> ArticleSummary:
    return ArticleSummary(
        id=fields["id"],
        title=fields.get("title") or "",
        date=fields.get("date_iso"),
        source=fields.get("source"),
        path=fields["path"],
    )


def get_article(index_dir: Path, article_id: str) -> Article:
    """The article with `article_id`, as stored at index time (nothing is re-derived).

    Raises:
        ArticleNotFound: with close ids, when no article has this id.
    """
    return article_from_fields(stored_article(index_dir, article_id))


def stored_article(index_dir: Path, article_id: str) -> dict[str, Any]:
    """Everything the index stored for an article (text, links, quotes), in one read.

    Raises:
        ArticleNotFound: with close ids, when no article has this id.
    """
    ix = open_index(index_dir)
    try:
        with reading(index_dir), ix.searcher() as searcher:
            fields = searcher.document(id=article_id)
            if fields is None:
                known = [term.decode() for term in searcher.lexicon("id")]
                raise ArticleNotFound(article_id, difflib.get_close_matches(article_id, known, n=3, cutoff=0.5))
    finally:
        ix.close()
    return dict(fields)


def article_from_fields(fields: dict[str, Any]) -> Article:
    """The Article record from an article's stored fields."""
    text = fields.get("text") or ""
    return Article(
        id=fields["id"],
        title=fields.get("title") or "",
        date=fields.get("date_iso"),
        source=fields.get("source"),
        byline=fields.get("byline"),
        url=fields.get("url"),
        paragraphs=tuple(text.split(PARAGRAPH_SEPARATOR)) if text else (),
        path=fields["path"],
        content_hash=fields.get("hash") or "",
        title_derived=bool(fields.get("title_derived")),
    )
