"""Read articles back from the index: one by id, or all of them newest first.

Every function takes the index folder or an open view of it (core.searchers), so a
long-running process reads through its pool and a one-off caller just names the folder.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuibrowser.core.article import PARAGRAPH_SEPARATOR, Article
from tuibrowser.core.columns import numbers
from tuibrowser.core.errors import ArticleNotFound as ArticleNotFound
from tuibrowser.core.searchers import IndexView, viewing
from tuibrowser.core.store import reading

if TYPE_CHECKING:
    from whoosh.reading import IndexReader

MISSING_DATE = 2**64 - 1
"""What Whoosh's sortable DATETIME column holds for a document with no date."""


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What a listing needs of an article, without its text."""

    id: str
    title: str
    date: str | None
    source: str | None
    path: str


def list_articles(source: Path | IndexView, limit: int | None = None) -> list[ArticleSummary]:
    """Articles newest first, undated last (ties by id); `limit` reads only that many.

    Ordered from the sortable `date` and `id` columns, so only the articles returned are
    read. (Whoosh's own sort put undated articles first: its column holds 2**64-1 for "no
    date", the largest value, so newest-first began with every undated article.)
    """
    with viewing(source) as view, reading(view.index_dir):
        searcher = view.searcher
        reader = searcher.reader()
        by_date: tuple[list[int], list[int]] | None = view.cache.get("by-date")
        if by_date is None:
            by_date = view.cache["by-date"] = _by_date(reader)
        live, dates = by_date
        order = _ties_by_id(reader, live, dates, limit)
        return [summary_of(searcher.stored_fields(docnum)) for docnum in order]


def _by_date(reader: IndexReader) -> tuple[list[int], list[int]]:
    """(live document numbers newest first, undated last; every document's date value)."""
    dates: list[int] = []
    for segment, _offset in reader.leaf_readers():
        dates.extend(numbers(segment, "date", MISSING_DATE))
    live = list(reader.all_doc_ids())
    live.sort(key=lambda n: (dates[n] == MISSING_DATE, -dates[n]))
    return live, dates


def _ties_by_id(reader: IndexReader, live: list[int], dates: list[int], limit: int | None) -> list[int]:
    """The first `limit` of `live`, articles of the same date ordered by id. Only the ids of
    the dates that reach into the first `limit` are read (one look-up each)."""
    wanted = len(live) if limit is None else min(limit, len(live))
    ids = reader.column_reader("id")
    ordered: list[int] = []
    start = 0
    while start < wanted:
        end = start + 1
        while end < len(live) and dates[live[end]] == dates[live[start]]:
            end += 1
        group = live[start:end]
        ordered.extend(sorted(group, key=ids.__getitem__) if len(group) > 1 else group)
        start = end
    return ordered[:wanted]


def summary_of(fields: dict) -> ArticleSummary:
    return ArticleSummary(
        id=fields["id"],
        title=fields.get("title") or "",
        date=fields.get("date_iso"),
        source=fields.get("source"),
        path=fields["path"],
    )


def get_article(source: Path | IndexView, article_id: str) -> Article:
    """The article with `article_id`, as stored at index time (nothing is re-derived).

    Raises:
        ArticleNotFound: with close ids, when no article has this id.
    """
    return article_from_fields(stored_article(source, article_id))


def stored_article(source: Path | IndexView, article_id: str) -> dict[str, Any]:
    """Everything the index stored for an article (text, links, quotes), in one read.

    Raises:
        ArticleNotFound: with close ids, when no article has this id.
    """
    with viewing(source) as view, reading(view.index_dir):
        searcher = view.searcher
        fields = searcher.document(id=article_id)
        if fields is None:
            known = [term.decode() for term in searcher.lexicon("id")]
            raise ArticleNotFound(article_id, difflib.get_close_matches(article_id, known, n=3, cutoff=0.5))
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
