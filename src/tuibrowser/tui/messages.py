"""Messages: what widgets ask for (posted upward) and what workers found (posted to the screen).

Widgets never reach into their siblings: they post a request and the screen decides. Workers
never touch the DOM: they receive their inputs as arguments and post one of the result
messages below, tagged with the request's serial number so a stale result is recognised and
dropped.

Plain classes with an `__init__`, as in Textual's guide, not dataclasses: the TUI imports
this module before its first frame, and defining twenty dataclasses took ~3 ms of it.
"""

from __future__ import annotations

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


class SearchRequested(Message):
    """The query changed (while typing) or was submitted (Enter)."""

    def __init__(self, query: str, submitted: bool = False) -> None:
        super().__init__()
        self.query = query
        self.submitted = submitted


class ArticleRequested(Message):
    """Open an article, showing the character offset `anchor` (a mention or match) if given."""

    def __init__(self, article_id: str, anchor: int = -1) -> None:
        super().__init__()
        self.article_id = article_id
        self.anchor = anchor


class EntityHighlighted(Message):
    """An entity was selected in the sidebar: mark its mentions in the reader."""

    def __init__(self, entity_id: str) -> None:
        super().__init__()
        self.entity_id = entity_id


class EntityRequested(Message):
    """Open an entity's own view (concordance, related entities)."""

    def __init__(self, entity_id: str) -> None:
        super().__init__()
        self.entity_id = entity_id


class ResultHighlighted(Message):
    """The highlight in the results moved to this article (wide terminals preview it)."""

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id


class MoreResultsWanted(Message):
    """The highlight came near the end of a search's results, and the search found more."""

    def __init__(self, query: str, shown: int) -> None:
        super().__init__()
        self.query = query
        self.shown = shown


class SuggestionAccepted(Message):
    """The reader took the "did you mean" offer."""


# Results, from workers.


class IndexProgress(Message):
    """The index is being built or synced: `done` of `total` in `phase`."""

    def __init__(self, phase: str, done: int, total: int) -> None:
        super().__init__()
        self.phase = phase
        self.done = done
        self.total = total


class IndexReady(Message):
    """The index is current (built, synced, or already so); `latest` is the start listing."""

    def __init__(
        self, report: SyncReport | None, latest: list[ArticleSummary], total: int, generation: tuple[int, int, int]
    ) -> None:
        super().__init__()
        self.report = report
        self.latest = latest
        self.total = total
        """How many articles there are (`latest` holds the newest ones only)."""
        self.generation = generation


class IndexChanged(Message):
    """Something changed outside while the app was open: the index (another process, an
    import, a sync of files dropped into the corpus) or the saved state (another instance)."""

    def __init__(
        self, generation: tuple[int, int, int], report: SyncReport | None = None, state_changed: bool = False
    ) -> None:
        super().__init__()
        self.generation = generation
        self.report = report
        self.state_changed = state_changed


class LatestLoaded(Message):
    """The newest articles, for the listing shown when the query is empty."""

    def __init__(self, serial: int, latest: list[ArticleSummary], total: int) -> None:
        super().__init__()
        self.serial = serial
        self.latest = latest
        self.total = total


class SearchCompleted(Message):
    """A search finished: its result, or why the query cannot be run."""

    def __init__(self, serial: int, query: str, result: SearchResult | QueryError, requested_at: float) -> None:
        super().__init__()
        self.serial = serial
        self.query = query
        self.result = result
        self.requested_at = requested_at
        """time.perf_counter() when the query changed (for the keystroke-to-results benchmark)."""


class MoreResultsLoaded(Message):
    """A longer page of a search's results (the first ones as shown, then more)."""

    def __init__(self, serial: int, query: str, result: SearchResult) -> None:
        super().__init__()
        self.serial = serial
        self.query = query
        self.result = result


class SuggestionFound(Message):
    """A "did you mean" for a search already shown (it comes after the results)."""

    def __init__(self, serial: int, query: str, suggestion: str) -> None:
        super().__init__()
        self.serial = serial
        self.query = query
        self.suggestion = suggestion


class ArticleLoaded(Message):
    """An article, its entities and the query's matches, ready for the reader."""

    def __init__(self, serial: int, opened: OpenedArticle, anchor: int, restore: bool, preview: bool = False) -> None:
        super().__init__()
        self.serial = serial
        self.opened = opened
        self.anchor = anchor
        self.restore = restore
        """True when going back or forward: `anchor` is the line to put at the top, not a jump."""
        self.preview = preview
        """True when shown beside the results as the highlight moves: not a visit, not read."""


class EntityPageLoaded(Message):
    """An entity's concordance and related entities, for the entity view or the sidebar."""

    def __init__(self, serial: int, page: EntityPage, for_view: bool, anchor: int = 0) -> None:
        super().__init__()
        self.serial = serial
        self.page = page
        self.for_view = for_view
        self.anchor = anchor


class NextArticleFound(Message):
    """Stepping through an entity's mentions ran past this article: open this one next."""

    def __init__(self, serial: int, entity_id: str, article_id: str | None, anchor: int, forward: bool) -> None:
        super().__init__()
        self.serial = serial
        self.entity_id = entity_id
        self.article_id = article_id
        self.anchor = anchor
        self.forward = forward


class NewsCounted(Message):
    """How many articles are new, altogether, for what the reader follows."""

    def __init__(self, total: int) -> None:
        super().__init__()
        self.total = total


class StateSaved(Message):
    """A save of the user's state finished; `problems` says what went wrong, if anything."""

    def __init__(self, problems: list[str], merged: bool) -> None:
        super().__init__()
        self.problems = problems
        self.merged = merged
        """True when the file held changes from another instance that are now shown."""


class CurationProgress(Message):
    """A curation change is relinking the index: `done` of `total` in `phase`."""

    def __init__(self, phase: str, done: int, total: int) -> None:
        super().__init__()
        self.phase = phase
        self.done = done
        self.total = total


class CurationDone(Message):
    """A curation change (or an undo, a redo) finished, or was refused with `error`.

    Carries what the screen shows afresh with the new names: the open article and the
    entity in view, read after the relink (None when not asked for, or gone)."""

    def __init__(
        self,
        result: CurationResult | None,
        error: str | None,
        generation: tuple[int, int, int] | None = None,
        opened: OpenedArticle | None = None,
        page: EntityPage | None = None,
        page_asked: str | None = None,
    ) -> None:
        super().__init__()
        self.result = result
        self.error = error
        self.generation = generation
        self.opened = opened
        self.page = page
        self.page_asked = page_asked
        """The entity id the view was reloaded for (after a merge, the one it joined)."""
