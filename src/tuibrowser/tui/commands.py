"""Command palette providers: articles, entities and recent searches (built-ins are kept)."""

from __future__ import annotations

import asyncio
import math
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tuibrowser.tui.fuzzy import MAX_CANDIDATE, PaletteMatcher
from tuibrowser.tui.text import outside, plural

if TYPE_CHECKING:
    from tuibrowser.core.library import ArticleSummary
    from tuibrowser.tui.app import TuiBrowserApp


def _busy(app: TuiBrowserApp) -> str | None:
    """Why the index cannot be read now (it is being built or changed), or None.

    The palette then says so instead of reading: during a build the entity list is empty or
    being rewritten, and a read could wait on the indexer's lock long past the palette's
    patience (a new user's first Ctrl+P on a large archive showed a spinner for minutes)."""
    main = app.main
    if main.index_ready and not main.indexing:
        return None
    doing = (main.indexing or "indexing").capitalize()
    return f"{doing}: articles and entities are listed here when it is done."


def _busy_hit(app: TuiBrowserApp, why: str) -> DiscoveryHit:
    return DiscoveryHit(Content(why), lambda: app.notify(why, timeout=4))


def _matcher(provider: Provider, query: str) -> PaletteMatcher:
    """Our matcher, not Textual's (see tui/fuzzy.py: its time grows combinatorially with a
    candidate's length); it shows candidates as plain text, never as markup."""
    return PaletteMatcher(query, provider.match_style)


class ArticlesProvider(Provider):
    """Open an article by title; bookmarked articles come first when nothing is typed."""

    async def startup(self) -> None:
        app: TuiBrowserApp = self.app  # type: ignore[assignment]
        self._articles: list[ArticleSummary] = []
        self._busy = _busy(app)
        if self._busy is None:
            try:
                self._articles = await asyncio.to_thread(app.services.all_articles)
            except Exception as error:  # the index went away or broke under us: say so, never hang
                self._busy = f"The article list cannot be read now ({outside(str(error))[:120]})."
        self._open = app.main.open_article

    async def discover(self) -> Hits:
        app: TuiBrowserApp = self.app  # type: ignore[assignment]
        if self._busy is not None:
            yield _busy_hit(app, self._busy)
            return
        by_id = {a.id: a for a in self._articles}
        for bookmark in app.store.bookmarks:
            article = by_id.get(bookmark.target)
            if bookmark.kind == "article" and article:
                yield DiscoveryHit(
                    Content(f"Bookmark: {article.title}"),
                    partial(self._open, article.id),
                    help=article.date or "",
                )

    async def search(self, query: str) -> Hits:
        if self._busy is not None:
            yield Hit(1.0, Content(self._busy), lambda: None)
            return
        matcher = _matcher(self, query)
        for article in self._articles:
            score = matcher.match(article.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(article.title),
                    partial(self._open, article.id),
                    help=" · ".join(x for x in (article.date, article.source) if x),
                )


class EntitiesProvider(Provider):
    """Open an entity's view by name or alias."""

    async def search(self, query: str) -> Hits:
        app: TuiBrowserApp = self.app  # type: ignore[assignment]
        if _busy(app) is not None:
            return  # the articles provider says why (one notice is enough)
        matcher = _matcher(self, query)
        try:
            records = await asyncio.to_thread(lambda: list(app.services.registry.records.values()))
        except Exception:  # the index went away under us: the articles provider says so
            return
        for record in records:
            entity = record.entity
            score = max((matcher.match(name) for name in entity.names()), default=0)
            if score > 0:
                # Among equal matches, the entity the corpus mentions more comes first
                # ("Gordon": Gordon Brown in 82 articles before Craig Gordon in 6).
                weight = 1 + math.log10(1 + record.articles) / 10
                yield Hit(
                    score * weight,
                    matcher.highlight(entity.name),
                    partial(app.main.open_entity, entity.id),
                    help=f"{entity.type}, {plural(record.articles, 'article')}",
                )


class RecentSearchesProvider(Provider):
    """Run a recent search again."""

    async def discover(self) -> Hits:
        app: TuiBrowserApp = self.app  # type: ignore[assignment]
        for query in app.store.history.recent_searches():
            shown = outside(query)
            if len(shown) > MAX_CANDIDATE:
                shown = shown[: MAX_CANDIDATE - 1] + "…"
            yield DiscoveryHit(Content(f"Search: {shown}"), partial(app.main.run_search_from_palette, query))

    async def search(self, query: str) -> Hits:
        app: TuiBrowserApp = self.app  # type: ignore[assignment]
        matcher = _matcher(self, query)
        for recent in app.store.history.recent_searches():
            score = matcher.match(recent)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(outside(recent)),
                    partial(app.main.run_search_from_palette, recent),
                    help="recent search",
                )
