"""What is new for the things a reader follows: articles that came into the corpus since.

"New" is about the corpus, not the news: an article is new for a watch when it came into the
corpus (imported or synced) after the watch was last seen, whatever date the article itself
states (a 2019 article imported today is new). The indexer records that moment per article
(`added`, kept across syncs and rebuilds), so the question is one index query per watch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh import query

from tuibrowser.core.entities.registry import EntityLookup
from tuibrowser.core.errors import QueryError
from tuibrowser.core.library import ArticleSummary, summary_of
from tuibrowser.core.search import build_query, clean_query
from tuibrowser.core.store import open_index, reading
from tuibrowser.core.user_state import Watch


@dataclass(frozen=True, slots=True)
class News:
    """A watch and its new articles, newest first (by the article's date, undated last)."""

    watch: Watch
    articles: tuple[ArticleSummary, ...]
    problem: str | None = None
    """Why the watch could not be answered (a saved search the query rules no longer read)."""


def news(index_dir: Path, watches: list[Watch], registry: EntityLookup) -> list[News]:
    """For every watch, the articles matching it that came into the corpus after it was seen."""
    ix = open_index(index_dir)
    try:
        with reading(index_dir), ix.searcher() as searcher:
            found = []
            for watch in watches:
                try:
                    wanted = _matches(watch, ix.schema, index_dir, registry)
                except QueryError as error:
                    found.append(News(watch, (), str(error)))
                    continue
                since = query.NumericRange("added", watch.seen + 1, None)
                hits = searcher.search(query.And([wanted, since]), limit=None)
                found.append(News(watch, tuple(newest_first(summary_of(hit.fields()) for hit in hits))))
            return found
    finally:
        ix.close()


def _matches(watch: Watch, schema: object, index_dir: Path, registry: EntityLookup) -> query.Query:
    if watch.kind == "entity":
        return query.Term("entities", watch.target)
    return build_query(clean_query(watch.target), schema, index_dir, registry)


def newest_first(articles: Iterable[ArticleSummary]) -> list[ArticleSummary]:
    """Latest date first, undated last, ties by id (stable sorts, least important first)."""
    ordered = sorted(articles, key=lambda a: a.id)
    ordered.sort(key=lambda a: a.date or "", reverse=True)
    ordered.sort(key=lambda a: a.date is None)
    return ordered
