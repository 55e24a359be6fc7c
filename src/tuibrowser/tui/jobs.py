"""The slow work the browser does, as plain functions run in thread workers.

Each job receives everything it needs as arguments (the core's Services, the request, its
serial number and the node to report to), never reads app state or touches a widget, and
posts exactly one result message when it is still wanted. Exceptions are left to propagate:
the screen's worker-error handler turns them into a status line or a notification (and
rebuilds the index when it has gone), so no job can end the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from tuibrowser.core.errors import CurationError, IndexProblem, QueryError, SearchCancelled
from tuibrowser.core.user_state import StateStore, Watch
from tuibrowser.tui.messages import (
    ArticleLoaded,
    CurationDone,
    CurationProgress,
    EntityPageLoaded,
    IndexChanged,
    IndexProgress,
    IndexReady,
    LatestLoaded,
    MoreResultsLoaded,
    NewsCounted,
    NextArticleFound,
    SearchCompleted,
    StateSaved,
    SuggestionFound,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.message import Message
    from textual.message_pump import MessagePump

    from tuibrowser.core.entities.curation.ops import CurationOp, CurationResult
    from tuibrowser.core.search import SearchResult
    from tuibrowser.core.services import EntityPage, OpenedArticle, Services

LATEST_LIMIT = 200
"""Articles listed before any query; the index is sorted, so this costs the same at any size."""

RESULT_LIMIT = 20
"""Hits fetched per keystroke: two screens of results at 120x40. Each hit costs a snippet and
three lines of the list, so at 29,000 articles 50 of them took keystroke-to-results from a
p95 of 40 ms to 55 ms; the list fetches more as the highlight nears its end (`MORE_LIMIT`)."""

MORE_LIMIT = 50
"""Hits added each time the highlight nears the end of the list."""


def _post(target: MessagePump, message: Message) -> None:
    """Post unless the worker was cancelled (a newer request replaced this one)."""
    if not get_current_worker().is_cancelled:
        target.post_message(message)


def prepare_index(services: Services, target: MessagePump) -> None:
    """Build or sync the index, reporting progress, then list the newest articles."""

    def progress(phase: str, done: int, total: int) -> None:
        target.post_message(IndexProgress(phase, done, total))

    report = services.ensure_index(progress, starting=lambda reason: progress("starting", 0, 0))
    latest = services.latest(LATEST_LIMIT)
    _post(target, IndexReady(report, latest, services.article_count(), services.index_generation()))


def load_latest(services: Services, serial: int, target: MessagePump) -> None:
    _post(target, LatestLoaded(serial, services.latest(LATEST_LIMIT), services.article_count()))


def run_search(services: Services, query: str, serial: int, requested_at: float, target: MessagePump) -> None:
    """The results first, then (when a word may be misspelt) a "did you mean".

    A newer query cancels this worker; the search checks that between steps and stops,
    giving the core back to the newer one (typing at 29,000 articles ran every keystroke's
    search to the end, one behind the other).
    """
    cancelled = _cancelled_check()
    try:
        result: SearchResult | QueryError = services.search(
            query, limit=RESULT_LIMIT, cancelled=cancelled, suggest=False
        )
    except QueryError as error:
        result = error
    except SearchCancelled:
        return
    _post(target, SearchCompleted(serial, query, result, requested_at))
    if isinstance(result, QueryError) or not result.total_exact:
        return
    try:
        suggestion = services.suggest(query, result.total, cancelled=cancelled)
    except SearchCancelled:
        return
    if suggestion:
        _post(target, SuggestionFound(serial, query, suggestion))


def load_more_results(services: Services, query: str, limit: int, serial: int, target: MessagePump) -> None:
    """The search again with a larger limit (ranking is the same, so the first hits are too)."""
    try:
        result = services.search(query, limit=limit, cancelled=_cancelled_check(), suggest=False)
    except (QueryError, SearchCancelled):
        return  # the first page was shown; a failure now changes nothing on screen
    _post(target, MoreResultsLoaded(serial, query, result))


def _cancelled_check() -> Callable[[], bool]:
    """A check of the current worker's cancellation, for the core to call between steps."""
    worker = get_current_worker()
    return lambda: worker.is_cancelled


def load_article(
    services: Services,
    article_id: str,
    query: str,
    anchor: int,
    restore: bool,
    serial: int,
    target: MessagePump,
    preview: bool = False,
) -> None:
    opened = services.open_article(article_id, query)
    _post(target, ArticleLoaded(serial, opened, anchor, restore, preview))


def load_entity(
    services: Services,
    entity_id: str,
    for_view: bool,
    anchor: int,
    serial: int,
    target: MessagePump,
    window: tuple[str | None, str | None] | None = None,
) -> None:
    page = services.entity_page(entity_id, related_limit=12, window=window)
    _post(target, EntityPageLoaded(serial, page, for_view, anchor))


def find_next_article(
    services: Services, entity_id: str, current: str, forward: bool, serial: int, target: MessagePump
) -> None:
    """The article after (or before) `current` in the entity's concordance (date order)."""
    articles = services.concordance(entity_id)
    ids = [a.id for a in articles]
    article_id, anchor = None, -1
    if current in ids:
        index = ids.index(current) + (1 if forward else -1)
        if 0 <= index < len(articles) and articles[index].mentions:
            found = articles[index]
            article_id = found.id
            anchor = (found.mentions[0] if forward else found.mentions[-1]).start
    _post(target, NextArticleFound(serial, entity_id, article_id, anchor, forward))


def poll(services: Services, generation: tuple[int, int, int] | None, store: StateStore, target: MessagePump) -> None:
    """Notice what other processes changed: the corpus (sync it), the index, the state file."""
    report = None
    state, reason = services.index_state()
    if state in ("missing", "broken"):
        # Deleted or damaged under us: the screen rebuilds it, and holds reads meanwhile
        # (rebuilding here would let searches read a half-built index).
        raise IndexProblem(reason)
    if state == "stale":
        # Files added or removed: synced here, the index stays readable meanwhile. Another
        # indexer holding the lock is not an error: we look again at the next poll.
        report = services.ensure_index(locked=lambda _error: None)
    now = services.index_generation()
    merged = store.refresh()
    if now != generation or report is not None or merged:
        _post(target, IndexChanged(now, report, state_changed=merged))


def count_news(services: Services, watches: list[Watch], target: MessagePump) -> None:
    """How many articles are new for the watches altogether (for the location bar)."""
    found = services.news(watches)
    _post(target, NewsCounted(sum(len(item.articles) for item in found)))


def save_state(store: StateStore, target: MessagePump) -> None:
    """Merge this instance's changes into the state file (off the UI thread: it fsyncs)."""
    before = len(store.problems)
    written = store.save()
    target.post_message(StateSaved(store.problems[before:], merged=written))


def curate(
    services: Services,
    op: CurationOp | str,
    article_id: str | None,
    query: str,
    entity_id: str | None,
    window: tuple[str | None, str | None] | None,
    target: MessagePump,
) -> None:
    """Make one curation change (`op`, or "undo" / "redo"), relinking the index, then read
    the open article and the entity in view afresh so the screen shows the new names.

    A refusal (an unknown entity, an alias another entity has, a malformed entities.toml,
    nothing to undo), a file that cannot be written and an index that cannot be relinked
    now are answered with a message, not raised: they are the reader's to fix, not faults.
    """

    def progress(phase: str, done: int, total: int) -> None:
        target.post_message(CurationProgress(phase, done, total))

    result: CurationResult
    try:
        if op == "undo":
            result = services.undo_curation(progress=progress)
        elif op == "redo":
            result = services.redo_curation(progress=progress)
        else:
            assert not isinstance(op, str)
            result = services.curate(op, progress=progress)
    except CurationError as error:
        target.post_message(CurationDone(None, str(error)))
        return
    except OSError as error:
        target.post_message(CurationDone(None, f"cannot write entities.toml: {error.strerror or error}"))
        return
    opened: OpenedArticle | None = None
    page: EntityPage | None = None
    if result.changed:
        services.forget_derived()
    if article_id is not None:
        try:
            opened = services.open_article(article_id, query)
        except (LookupError, IndexProblem):
            opened = None
    if entity_id is not None:
        entity_id = result.moved.get(entity_id, entity_id)
        try:
            page = services.entity_page(entity_id, related_limit=12, window=window)
        except (LookupError, IndexProblem):  # hidden, or merged away by an undo's redo
            page = None
    target.post_message(CurationDone(result, None, services.index_generation(), opened, page, entity_id))
