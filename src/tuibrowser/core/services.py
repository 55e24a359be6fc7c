"""The one core API both faces use: the CLI's commands and the TUI's workers call only this.

Every method returns plain frozen data, so it can be called from a worker thread. Reads go
through a pool of open index views (core.searchers): each call borrows one for its duration,
so no searcher is ever used by two threads at once, yet none is reopened per keystroke, and
a view of an index that has moved on is never lent. The index, search and entity modules are
imported on first use, inside those calls, so the TUI paints its first frame and
`tuibrowser config path` runs without paying for Whoosh.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING

from tuibrowser.core.paths import Locations

if TYPE_CHECKING:
    from tuibrowser.core.article import Article
    from tuibrowser.core.entities.curation.ops import CurationHistory, CurationOp, CurationResult
    from tuibrowser.core.entities.registry import EntityRecord, StoredRegistry
    from tuibrowser.core.entities.sayings import QuotedArticle, QuoteSpan
    from tuibrowser.core.entities.timeline import Timeline
    from tuibrowser.core.entities.views import ArticleEntity, ConcordanceArticle, RelatedEntity
    from tuibrowser.core.errors import IndexProblem, KnowledgeBaseError
    from tuibrowser.core.importer import ImportProgress, Verdict
    from tuibrowser.core.indexer import Progress, SyncReport
    from tuibrowser.core.library import ArticleSummary
    from tuibrowser.core.search import SearchResult
    from tuibrowser.core.searchers import IndexView, SearcherPool
    from tuibrowser.core.user_state import Watch
    from tuibrowser.core.watch import News


@dataclass(frozen=True, slots=True)
class OpenedArticle:
    """Everything a reader shows for one article: its text, its entities, the query's matches."""

    article: Article
    entities: tuple[ArticleEntity, ...]
    matches: tuple[tuple[int, int], ...]
    """(start, end) offsets into `article.text` of the words of `query`, in order."""
    query: str
    quotes: tuple[QuoteSpan, ...] = ()
    """Its direct quotes, with their speakers, in order."""


@dataclass(frozen=True, slots=True)
class EntityPage:
    """One entity across the corpus: every mention in date order, and related entities."""

    record: EntityRecord
    articles: tuple[ConcordanceArticle, ...]
    related: tuple[RelatedEntity, ...]
    timeline: Timeline
    window: tuple[str | None, str | None] | None = None
    """The dates the page is limited to, if any (the concordance and related entities)."""
    quotes: tuple[QuotedArticle, ...] = ()
    """What the entity is quoted as saying, articles in date order (within the window)."""

    @property
    def mention_count(self) -> int:
        return sum(len(article.mentions) for article in self.articles)


_TOC = re.compile(r"^_MAIN_(\d+)\.toc$")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class Services:
    """The corpus and index at `locations`, as the faces use them.

    Derived data read from the index (the entity registry, the article list) is cached per
    index state; `forget_derived` drops it when the index changes (a sync, an import, or
    another process: see `index_generation`).
    """

    def __init__(self, locations: Locations):
        self.locations = locations
        self._registry: StoredRegistry | None = None
        self._all_articles: list[ArticleSummary] | None = None
        self._lock = Lock()
        self._pool: SearcherPool | None = None

    @contextmanager
    def _view(self) -> Iterator[IndexView]:
        """Borrow an open view of the index for one call (see core.searchers)."""
        from tuibrowser.core.searchers import SearcherPool

        with self._lock:
            if self._pool is None:
                self._pool = SearcherPool(self.locations.index)
            pool = self._pool
        with pool.view() as view:
            yield view

    # Keeping the index current.

    def ensure_index(
        self,
        progress: Progress | None = None,
        *,
        starting: Callable[[str], None] | None = None,
        locked: Callable[[IndexProblem | KnowledgeBaseError], None] | None = None,
    ) -> SyncReport | None:
        """Build a missing index or sync a stale one (see indexer.ensure_current)."""
        from tuibrowser.core.store import index_state

        if index_state(self.locations.index, self.locations.corpus)[0] == "ok":
            return None  # (the indexer and all it imports are needed only to change the index)
        from tuibrowser.core.indexer import ensure_current

        report = ensure_current(
            self.locations.corpus, self.locations.index, progress=progress, starting=starting, locked=locked
        )
        if report is not None:
            self.forget_derived()
        return report

    def sync(
        self, *, rebuild: bool = False, progress: Progress | None = None, lock_timeout: float | None = None
    ) -> SyncReport:
        """Bring the index in step with the corpus (`tuibrowser index`)."""
        from tuibrowser.core.indexer import sync
        from tuibrowser.core.store import DEFAULT_LOCK_TIMEOUT

        timeout = DEFAULT_LOCK_TIMEOUT if lock_timeout is None else lock_timeout
        report = sync(
            self.locations.corpus, self.locations.index, rebuild=rebuild, progress=progress, lock_timeout=timeout
        )
        self.forget_derived()
        return report

    def index_state(self) -> tuple[str, str]:
        """("ok" | "stale" | "missing" | "broken", reason), without changing anything."""
        from tuibrowser.core.store import index_state

        return index_state(self.locations.index, self.locations.corpus)

    def index_generation(self) -> tuple[int, int, int]:
        """A cheap token that changes whenever any process commits to the index.

        One directory listing and two stats: the newest Whoosh table of contents (its number
        and mtime) and the bookkeeping file's mtime. A running TUI polls it to notice
        imports and syncs made by other processes.
        """
        from tuibrowser.core.bookkeeping import STATE_NAME
        from tuibrowser.core.searchers import index_stamp

        generation, toc_time = index_stamp(self.locations.index)
        try:
            stamp = (self.locations.index / STATE_NAME).stat().st_mtime_ns
        except OSError:
            stamp = -1
        return (generation, toc_time, stamp)

    def forget_derived(self) -> None:
        """After the index changed: read the registry and the article list afresh next time,
        and close the open views (any still in use close when their call ends)."""
        with self._lock:
            registry, self._registry = self._registry, None
            self._all_articles = None
            pool = self._pool
        if pool is not None:
            pool.clear()
        if registry is not None:
            registry.close()

    def import_paths(
        self, paths: list[Path], progress: ImportProgress | None = None, *, lock_timeout: float | None = None
    ) -> list[Verdict]:
        """`tuibrowser import`: every input gets a verdict; the index is synced after.

        Raises:
            ImportIncomplete: the files were copied (its verdicts say which) but the index
                could not be updated (another indexer held it past `lock_timeout`).
        """
        from tuibrowser.core.importer import import_paths
        from tuibrowser.core.store import DEFAULT_LOCK_TIMEOUT

        timeout = DEFAULT_LOCK_TIMEOUT if lock_timeout is None else lock_timeout
        try:
            return import_paths(
                paths, self.locations.corpus, self.locations.index, progress=progress, lock_timeout=timeout
            )
        finally:
            self.forget_derived()

    # Articles.

    def latest(self, limit: int | None = 200) -> list[ArticleSummary]:
        """Articles newest first (undated last)."""
        from tuibrowser.core.library import list_articles

        with self._view() as view:
            return list_articles(view, limit=limit)

    def article_count(self) -> int:
        """How many articles the index holds."""
        with self._view() as view:
            return int(view.searcher.doc_count())

    def all_articles(self) -> list[ArticleSummary]:
        """Every article, newest first; read once per index state (the palette matches titles)."""
        with self._lock:
            cached = self._all_articles
        if cached is None:
            cached = self.latest(None)
            with self._lock:
                self._all_articles = cached
        return cached

    def search(
        self,
        query: str,
        limit: int = 50,
        *,
        cancelled: Callable[[], bool] | None = None,
        suggest: bool = True,
    ) -> SearchResult:
        """Ranked search.

        Args:
            cancelled: checked between steps of the search; once it returns True the search
                stops and raises SearchCancelled. The TUI passes one per search (its worker's
                cancellation), set when a newer query replaces it, so a stale search gives
                its core back within milliseconds.
            suggest: look for a "did you mean" too; the TUI asks `suggest` separately, after
                showing the results.

        Raises:
            QueryError: a query that cannot be run (or a pattern too broad to run).
            SearchCancelled: `cancelled()` became true.
        """
        from tuibrowser.core.search import clean_query, search_view

        cleaned = clean_query(query)
        lowered = cleaned.lower()
        registry = self.registry if "entity:" in lowered or "said:" in lowered else None  # only when asked for
        with self._view() as view:
            return search_view(view, cleaned, limit=limit, registry=registry, cancelled=cancelled, suggest=suggest)

    def suggest(self, query: str, total: int, *, cancelled: Callable[[], bool] | None = None) -> str | None:
        """A respelled query for one that found `total` articles, or None (see `search`).

        Raises:
            SearchCancelled: `cancelled()` became true.
        """
        from tuibrowser.core.search import suggest_view

        with self._view() as view:
            return suggest_view(view, query, total, cancelled=cancelled)

    def article(self, article_id: str) -> Article:
        from tuibrowser.core.library import get_article

        with self._view() as view:
            return get_article(view, article_id)

    def open_article(self, article_id: str, query: str = "") -> OpenedArticle:
        """An article with its entities, its quotes and, if a query is given, where its words
        occur; one read of the index."""
        from tuibrowser.core.entities.sayings import article_quotes
        from tuibrowser.core.entities.views import entities_from_fields
        from tuibrowser.core.library import article_from_fields, stored_article
        from tuibrowser.core.search import match_spans

        with self._view() as view:
            fields = stored_article(view, article_id)
        article = article_from_fields(fields)
        registry = self.registry
        entities = entities_from_fields(fields, registry)
        matches = match_spans(article.text, query) if query.strip() else []
        quotes = article_quotes(fields, registry)
        return OpenedArticle(article, tuple(entities), tuple(matches), query, quotes)

    def quotes(self, entity_id: str) -> list[QuotedArticle]:
        """Everything the entity is quoted as saying, in date order."""
        from tuibrowser.core.entities.sayings import entity_quotes

        registry = self.registry
        with self._view() as view:
            return entity_quotes(view, entity_id, registry)

    # Entities.

    @property
    def registry(self) -> StoredRegistry:
        """The entities, read from the bookkeeping as they are asked for (one lookup for a
        command; the whole list once for the TUI's palette and listings)."""
        from tuibrowser.core.entities.registry import StoredRegistry

        with self._lock:
            if self._registry is None:
                self._registry = StoredRegistry(self.locations.index)
            return self._registry

    def entities(self) -> list[EntityRecord]:
        """Every entity, curated and discovered, most mentioned first."""
        return sorted(self.registry.records.values(), key=lambda r: (-r.mentions, r.entity.name.casefold()))

    def entity(self, entity_id: str) -> EntityRecord | None:
        return self.registry.get(entity_id)

    def find_entity(self, name: str) -> EntityRecord:
        """The entity with this id, name or alias; raises EntityNotFound with close names."""
        return self.registry.find(name)

    def entity_page(
        self,
        entity_id: str,
        related_limit: int = 10,
        *,
        window: tuple[str | None, str | None] | None = None,
        by: str | None = None,
    ) -> EntityPage:
        """Concordance, related entities and timeline of one entity.

        Args:
            window: (first, last) ISO dates: only articles dated in it (the concordance,
                the related entities and the timeline alike).
            by: the timeline's periods ("month", "week", "year"; chosen from the corpus's
                date range when None).

        Raises:
            EntityNotFound: no entity has this id.
        """
        from tuibrowser.core.entities.registry import EntityNotFound
        from tuibrowser.core.entities.sayings import entity_quotes
        from tuibrowser.core.entities.timeline import entity_timeline
        from tuibrowser.core.entities.views import entity_overview

        registry = self.registry
        record = registry.get(entity_id)
        if record is None:
            raise EntityNotFound(entity_id, [])
        start, end = (_date(window[0]), _date(window[1])) if window else (None, None)
        with self._view() as view:
            articles, related = entity_overview(view, entity_id, limit=related_limit, registry=registry, window=window)
            timeline = entity_timeline(view, entity_id, by=by, start=start, end=end)
            quoted = entity_quotes(view, entity_id, registry)
        if window is not None:
            quoted = [
                q
                for q in quoted
                if q.date and (not window[0] or q.date >= window[0]) and (not window[1] or q.date <= window[1])
            ]
        return EntityPage(record, tuple(articles), tuple(related), timeline, window, tuple(quoted))

    def watch_target(self, name_or_query: str, *, as_search: bool = False) -> tuple[str, str, str]:
        """(kind, target, label) for what a reader asks to follow: an entity when the words
        are an entity's id, name or alias (unless `as_search`), else a saved search.

        Raises:
            QueryError: a search that cannot be run.
        """
        from tuibrowser.core.entities.registry import EntityNotFound
        from tuibrowser.core.search import build_query, clean_query
        from tuibrowser.core.store import open_index

        if not as_search:
            try:
                record = self.registry.find(name_or_query)
                return ("entity", record.entity.id, record.entity.name)
            except EntityNotFound:
                pass
        cleaned = clean_query(name_or_query)
        ix = open_index(self.locations.index)
        try:
            build_query(cleaned, ix.schema, self.locations.index, self.registry)
        finally:
            ix.close()
        return ("search", cleaned, cleaned)

    def news(self, watches: list[Watch]) -> list[News]:
        """What came into the corpus for each watch since it was last seen."""
        from tuibrowser.core.watch import news

        return news(self.locations.index, watches, self.registry)

    def concordance(self, entity_id: str) -> list[ConcordanceArticle]:
        """Every article that mentions the entity, in date order, with its mentions."""
        from tuibrowser.core.entities.views import concordance

        with self._view() as view:
            return concordance(view, entity_id)

    # Curation: the reader's edits to entities.toml, applied to the index at once.

    def curate(
        self, op: CurationOp, *, progress: Progress | None = None, lock_timeout: float | None = None
    ) -> CurationResult:
        """Make one change to the knowledge base (rename, retype, alias, unalias, merge, split,
        hide, unhide, promote), log it for undo, and relink the index.

        Operations name entities by id (curated or discovered), name or alias; a discovered
        entity that is renamed, retyped, aliased, merged into or split is promoted into
        entities.toml first, keeping its id. Slow at archive scale (the sync relinks):
        call it from a worker.

        Returns:
            What changed: `changed` False when the file already said so (nothing written);
            `report` is the relink, or None with `notice` saying why the index could not be
            synced now (the change stands and the next sync applies it).

        Raises:
            CurationError: refused, nothing written: UnknownEntity (with close names),
                AliasConflict (with the owner), MalformedFile (a broken entities.toml is
                never overwritten), an invalid type, another step holding the file.
            OSError: entities.toml or its change log could not be written (a full disk, a
                read-only folder); the file is as it was.
        """
        from tuibrowser.core.entities.curation.apply import apply_operation
        from tuibrowser.core.entities.registry import read_registry

        # Read afresh, not the cached registry: ids must be those of the index as it is now.
        records = read_registry(self.locations.index).records.values()
        discovered = [record.entity for record in records if record.entity.discovered]
        return self._relinked(apply_operation(self.locations.corpus, discovered, op), progress, lock_timeout)

    def undo_curation(self, *, progress: Progress | None = None, lock_timeout: float | None = None) -> CurationResult:
        """Revert the last curation change (also one made before a restart), and relink.

        Raises:
            NothingToUndo: nothing left to undo.
            EditedSince: entities.toml was edited since that change; nothing was written.
        """
        from tuibrowser.core.entities.curation.apply import undo

        return self._relinked(undo(self.locations.corpus), progress, lock_timeout)

    def redo_curation(self, *, progress: Progress | None = None, lock_timeout: float | None = None) -> CurationResult:
        """Reapply the last change undone, and relink; raises as `undo_curation`."""
        from tuibrowser.core.entities.curation.apply import redo

        return self._relinked(redo(self.locations.corpus), progress, lock_timeout)

    def curation_history(self) -> CurationHistory:
        """What undo and redo would do next, most recent first (for the faces to name them)."""
        from tuibrowser.core.entities.curation.apply import history

        return history(self.locations.corpus)

    def hidden_names(self) -> list[str]:
        """The names hidden from discovery, as entities.toml writes them.

        Raises:
            MalformedFile: entities.toml does not parse.
        """
        from tuibrowser.core.entities.curation.apply import hidden_names

        return hidden_names(self.locations.corpus)

    def _relinked(
        self, result: CurationResult, progress: Progress | None, lock_timeout: float | None
    ) -> CurationResult:
        """`result` with the sync that applied it; a sync that cannot run now leaves a notice."""
        from dataclasses import replace

        from tuibrowser.core.entities.kb import KnowledgeBaseError
        from tuibrowser.core.errors import IndexProblem

        if not result.changed:
            return result
        try:
            report = self.sync(progress=progress, lock_timeout=lock_timeout)
        except (IndexProblem, KnowledgeBaseError) as error:
            self.forget_derived()
            notice = f"entities.toml was changed, but the index could not be relinked now: {error}"
            return replace(result, notice=notice)
        return replace(result, report=report)
