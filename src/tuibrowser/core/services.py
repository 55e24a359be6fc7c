"""One object giving a face (the TUI) everything it reads from the corpus and the index.

Every method opens what it needs and returns plain frozen data, so it can be called from
a worker thread; nothing here holds a Whoosh searcher between calls.
"""

from __future__ import annotations

from threading import Lock

from tuibrowser.core.article import Article
from tuibrowser.core.entities.registry import EntityRecord, Registry, read_registry
from tuibrowser.core.entities.views import (
    ArticleEntity,
    ConcordanceArticle,
    RelatedEntity,
    article_entities,
    concordance,
    related_entities,
)
from tuibrowser.core.indexer import Progress, SyncReport, sync
from tuibrowser.core.library import ArticleSummary, get_article, list_articles
from tuibrowser.core.paths import Locations
from tuibrowser.core.search import SearchResult, search
from tuibrowser.core.store import IndexLocked, index_state


class Services:
    """The corpus and index at `locations`, as the app uses them."""

    def __init__(self, locations: Locations):
        self.locations = locations
        self._registry: Registry | None = None
        self._lock = Lock()

    def ensure_index(self, progress: Progress | None = None) -> SyncReport | None:
        """Build a missing index or sync a stale one; None when it was already up to date.

        A stale index that another process is updating is used as it is.
        """
        state, _ = index_state(self.locations.index, self.locations.corpus)
        if state == "ok":
            return None
        try:
            report = sync(self.locations.corpus, self.locations.index, progress=progress)
        except IndexLocked:
            if state == "stale":
                return None
            raise
        with self._lock:
            self._registry = None
        return report

    @property
    def registry(self) -> Registry:
        with self._lock:
            if self._registry is None:
                self._registry = read_registry(self.locations.index)
            return self._registry

    def latest(self, limit: int = 200) -> list[ArticleSummary]:
        return list_articles(self.locations.index, limit=limit)

    def search(self, query: str, limit: int = 50) -> SearchResult:
        return search(self.locations.index, query, limit=limit)

    def article(self, article_id: str) -> Article:
        return get_article(self.locations.index, article_id)

    def article_entities(self, article_id: str) -> list[ArticleEntity]:
        return article_entities(self.locations.index, article_id, registry=self.registry)

    def concordance(self, entity_id: str) -> list[ConcordanceArticle]:
        return concordance(self.locations.index, entity_id)

    def related(self, entity_id: str, limit: int = 12) -> list[RelatedEntity]:
        return related_entities(self.locations.index, entity_id, limit=limit, registry=self.registry)

    def entity(self, entity_id: str) -> EntityRecord | None:
        return self.registry.get(entity_id)
