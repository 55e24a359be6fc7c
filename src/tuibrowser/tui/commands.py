"""Command palette providers: articles, entities and recent searches (built-ins are kept)."""

from __future__ import annotations

import asyncio
import math
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from tuibrowser.tui.text import outside, plural

if TYPE_CHECKING:
    from tuibrowser.tui.app import TuiBrowserApp


def _safe(text: str) -> str:
    """Escape untrusted text for Matcher.highlight, which parses its candidate as markup
    (textual 8.2.8, fuzzy.py: Content.from_markup(candidate)); a title such as
    "[@click=app.quit]" must be shown, not run."""
    return escape(text)


class ArticlesProvider(Provider):
    """Open an article by title; bookmarked articles come first when nothing is typed."""

    async def startup(self) -> None:
        app: TuiBrowserApp = self.app  # type: ignore[assignment]
        self._articles = await asyncio.to_thread(app.services.all_articles)
        self._open = app.main.open_article

    async def discover(self) -> Hits:
        app: TuiBrowserApp = self.app  # type: ignore[assignment]
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
        matcher = self.matcher(query)
        for article in self._articles:
            score = matcher.match(article.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(_safe(article.title)),
                    partial(self._open, article.id),
                    help=" · ".join(x for x in (article.date, article.source) if x),
                )


class EntitiesProvider(Provider):
    """Open an entity's view by name or alias."""

    async def search(self, query: str) -> Hits:
        app: TuiBrowserApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        records = await asyncio.to_thread(lambda: list(app.services.registry.records.values()))
        for record in records:
            entity = record.entity
            score = max((matcher.match(name) for name in entity.names()), default=0)
            if score > 0:
                # Among equal matches, the entity the corpus mentions more comes first
                # ("Gordon": Gordon Brown in 82 articles before Craig Gordon in 6).
                weight = 1 + math.log10(1 + record.articles) / 10
                yield Hit(
                    score * weight,
                    matcher.highlight(_safe(entity.name)),
                    partial(app.main.open_entity, entity.id),
                    help=f"{entity.type}, {plural(record.articles, 'article')}",
                )


class RecentSearchesProvider(Provider):
    """Run a recent search again."""

    async def discover(self) -> Hits:
        app: TuiBrowserApp = self.app  # type: ignore[assignment]
        for query in app.store.history.recent_searches():
            yield DiscoveryHit(Content(f"Search: {outside(query)}"), partial(app.main.run_search_from_palette, query))

    async def search(self, query: str) -> Hits:
        app: TuiBrowserApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        for recent in app.store.history.recent_searches():
            score = matcher.match(recent)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(_safe(outside(recent))),
                    partial(app.main.run_search_from_palette, recent),
                    help="recent search",
                )
