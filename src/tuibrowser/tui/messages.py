"""Messages: what widgets ask for (posted upward) and what workers found (posted to the screen).

Widgets never reach into their siblings: they post a request and the screen decides. Workers
never touch the DOM: they receive their inputs as arguments and post one of the result
messages below, tagged with the request's serial number so a stale result is recognised and
dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tuibrowser.core.entities.curation.ops import CurationResult
    from tuibrowser.core.errors import QueryError
    from tuibrowser.core.indexer import SyncReport
    from tuibrowser.core.library import ArticleSummary
    from tuibrowser.core.search import SearchResult
    from tuibrowser.core.services import EntityPage, OpenedArticle


# Requests, from widgets.


@dataclass
class SearchRequested(Message):
    """The query changed (while typing) or was submitted (Enter)."""

    query: str
    submitted: bool = False


@dataclass
class ArticleRequested(Message):
    """Open an article, showing the character offset `anchor` (a mention or match) if given."""

    article_id: str
    anchor: int = -1


@dataclass
class EntityHighlighted(Message):
    """An entity was selected in the sidebar: mark its mentions in the reader."""

    entity_id: str


@dataclass
class EntityRequested(Message):
    """Open an entity's own view (concordance, related entities)."""

    entity_id: str


@dataclass
class ResultHighlighted(Message):
    """The highlight in the results moved to this article (wide terminals preview it)."""

    article_id: str


@dataclass
class MoreResultsWanted(Message):
    """The highlight came near the end of a search's results, and the search found more."""

    query: str
    shown: int


@dataclass
class SuggestionAccepted(Message):
    """The reader took the "did you mean" offer."""


# Results, from workers.


@dataclass
class IndexProgress(Message):
    """The index is being built or synced: `done` of `total` in `phase`."""

    phase: str
    done: int
    total: int


@dataclass
class IndexReady(Message):
    """The index is current (built, synced, or already so); `latest` is the start listing."""

    report: SyncReport | None
    latest: list[ArticleSummary]
    total: int
    """How many articles there are (`latest` holds the newest ones only)."""
    generation: tuple[int, int, int]


@dataclass
class IndexChanged(Message):
    """Something changed outside while the app was open: the index (another process, an
    import, a sync of files dropped into the corpus) or the saved state (another instance)."""

    generation: tuple[int, int, int]
    report: SyncReport | None = None
    state_changed: bool = False


@dataclass
class LatestLoaded(Message):
    """The newest articles, for the listing shown when the query is empty."""

    serial: int
    latest: list[ArticleSummary]
    total: int


@dataclass
class SearchCompleted(Message):
    """A search finished: its result, or why the query cannot be run."""

    serial: int
    query: str
    result: SearchResult | QueryError
    requested_at: float
    """time.perf_counter() when the query changed (for the keystroke-to-results benchmark)."""


@dataclass
class MoreResultsLoaded(Message):
    """A longer page of a search's results (the first ones as shown, then more)."""

    serial: int
    query: str
    result: SearchResult


@dataclass
class SuggestionFound(Message):
    """A "did you mean" for a search already shown (it comes after the results)."""

    serial: int
    query: str
    suggestion: str


@dataclass
class ArticleLoaded(Message):
    """An article, its entities and the query's matches, ready for the reader."""

    serial: int
    opened: OpenedArticle
    anchor: int
    restore: bool
    """True when going back or forward: `anchor` is the line to put at the top, not a jump."""
    preview: bool = False
    """True when shown beside the results as the highlight moves: not a visit, not read."""


@dataclass
class EntityPageLoaded(Message):
    """An entity's concordance and related entities, for the entity view or the sidebar."""

    serial: int
    page: EntityPage
    for_view: bool
    anchor: int = 0


@dataclass
class NextArticleFound(Message):
    """Stepping through an entity's mentions ran past this article: open this one next."""

    serial: int
    entity_id: str
    article_id: str | None
    anchor: int
    forward: bool


@dataclass
class NewsCounted(Message):
    """How many articles are new, altogether, for what the reader follows."""

    total: int


@dataclass
class StateSaved(Message):
    """A save of the user's state finished; `problems` says what went wrong, if anything."""

    problems: list[str]
    merged: bool
    """True when the file held changes from another instance that are now shown."""


@dataclass
class CurationProgress(Message):
    """A curation change is relinking the index: `done` of `total` in `phase`."""

    phase: str
    done: int
    total: int


@dataclass
class CurationDone(Message):
    """A curation change (or an undo, a redo) finished, or was refused with `error`.

    Carries what the screen shows afresh with the new names: the open article and the
    entity in view, read after the relink (None when not asked for, or gone)."""

    result: CurationResult | None
    error: str | None
    generation: tuple[int, int, int] | None = None
    opened: OpenedArticle | None = None
    page: EntityPage | None = None
    page_asked: str | None = None
    """The entity id the view was reloaded for (after a merge, the one it joined)."""
