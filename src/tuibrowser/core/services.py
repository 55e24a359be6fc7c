"""One object giving a face (the TUI) everything it reads from the corpus and the index.

Every method opens what it needs and returns plain frozen data, so it can be called from
a worker thread; nothing here holds a Whoosh searcher between calls. The index, search and
entity modules are imported on first use, inside those worker calls, so the TUI paints
its first frame without paying for Whoosh.
"""

from __future__ import annotations

from threading import Lock
from typing import TYPE_CHECKING

from tuibrowser.core.paths import Locations

if TYPE_CHECKING:
    from tuibrowser.core.article import Article
    from tuibrowser.core.entities.registry import EntityRecord, Registry
    from tuibrowser.core.entities.views import ArticleEntity, ConcordanceArticle, RelatedEntity
    from tuibrowser.core.indexer import Progress, SyncReport
    from tuibrowser.core.library import ArticleSummary
    from tuibrowser.core.search import SearchResult


class Services:
    """The corpus and index at `locations`, as the app uses them."""

    def __init__(self, locations: Locations):
        self.locations = locations
        self._registry: Registry | None = None
        self._all_articles: list[ArticleSummary] | None = None
        self._lock = Lock()

    def ensure_index(self, progress: Progress | None = None) -> SyncReport | None:
        """Build a missing index or sync a stale one (see indexer.ensure_current)."""
        from tuibrowser.core.indexer import ensure_current

        report = ensure_current(self.locations.corpus, self.locations.index, progress=progress)
        if report is not None:
            self.forget_derived()
        return report

    def forget_derived(self) -> None:
        """After the index changed under us (a sync, an import): read it afresh next time."""
        with self._lock:
            self._registry = None
            self._all_articles = None

    @property
    def registry(self) -> Registry:
        from tuibrowser.core.entities.registry import read_registry

        with self._lock:
            if self._registry is None:
                self._registry = read_registry(self.locations.index)
            return self._registry

    def latest(self, limit: int | None = 200) -> list[ArticleSummary]:
        from tuibrowser.core.library import list_articles

        return list_articles(self.locations.index, limit=limit)

    def all_articles(self) -> list[ArticleSummary]:
        """Every article, newest first; read once per index state (the palette matches titles)."""
        with self._lock:
            cached = self._all_articles
        if cached is None:
            cached = self.latest(None)
            with self._lock:
                self._all_articles = cached
        return cached

    def search(self, query: str, limit: int = 50) -> SearchResult:
        from tuibrowser.core.search import search

        registry = self.registry if "entity:" in query.lower() else None  # loaded only when asked for
        return search(self.locations.index, query, limit=limit, registry=registry)

    def article(self, article_id: str) -> Article:
        from tuibrowser.core.library import get_article

        return get_article(self.locations.index, article_id)

    def article_entities(self, article_id: str) -> list[ArticleEntity]:
        from tuibrowser.core.entities.views import article_entities

        return article_entities(self.locations.index, article_id, registry=self.registry)

    def concordance(self, entity_id: str) -> list[ConcordanceArticle]:
        from tuibrowser.core.entities.views import concordance

        return concordance(self.locations.index, entity_id)

    def overview(self, entity_id: str, limit: int = 12) -> tuple[list[ConcordanceArticle], list[RelatedEntity]]:
        """Concordance and related entities in one scan of the entity's articles."""
        from tuibrowser.core.entities.views import entity_overview

        return entity_overview(self.locations.index, entity_id, limit=limit, registry=self.registry)

    def entity(self, entity_id: str) -> EntityRecord | None:
        return self.registry.get(entity_id)
