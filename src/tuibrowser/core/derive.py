"""Corpus files into articles and entity extractions: the per-file work of a sync.

Each file is parsed, cleaned and its articles' entities extracted within the file's time
budget (core.budget). The work is independent per file, so a large batch is spread over
the machine's cores in worker processes (`derive_all`); a small one (a new article, an
edit) runs here, where starting workers would cost more than it saves.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tuibrowser.core import budget
from tuibrowser.core.article import Article
from tuibrowser.core.corpus import ArticleError, ArticleUnreadable, base_slug, content_hash, parse_articles, read_raw
from tuibrowser.core.entities import gazetteer
from tuibrowser.core.entities.kb import KnowledgeBase
from tuibrowser.core.entities.pipeline import EntityExtractor
from tuibrowser.core.entities.resolve import Extraction

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

PARALLEL_FROM = 64
"""Files (or megabytes) from which a batch is worth spreading over worker processes."""


@dataclass
class Derived:
    """One file's articles and extractions, or why it could not be read."""

    path: str
    articles: list[Article] = field(default_factory=list)
    extractions: dict[str, Extraction] = field(default_factory=dict)
    error: str | None = None
    unreadable: bool = False
    """The file could not be read at all (may work next time, so it is not remembered)."""


Parsed = tuple[str, list[Article], list[Extraction] | None]
"""(the name a file was parsed under, its articles, and their extractions when already
made): an import's work on a file, handed to the sync (see `extract_within_budget`)."""


def derive_file(
    corpus_dir: Path, path: str, raw: bytes | None, extractor: EntityExtractor, parsed: Parsed | None = None
) -> Derived:
    """Parse one file (unless `parsed` already holds it) and extract its articles' entities
    (unless `parsed` holds them too), within the file's time budget."""
    try:
        raw = raw if raw is not None else read_raw(corpus_dir, path)
        with budget.time_budget(budget.seconds_for(len(raw))):
            articles = _moved(parsed, path) if parsed is not None else parse_articles(raw, path)
            known = parsed[2] if parsed is not None else None
            if known is not None:
                extracted = {article.path: extraction for article, extraction in zip(articles, known, strict=True)}
            else:
                extracted = {article.path: extractor.extract(article.text) for article in articles}
    except ArticleUnreadable as error:
        return Derived(path, error=str(error), unreadable=True)
    except ArticleError as error:
        return Derived(path, error=str(error))
    except budget.OverBudget as error:
        return Derived(path, error=str(error))
    return Derived(path, articles, extracted)


def _moved(parsed: Parsed, path: str) -> list[Article]:
    """Articles parsed under another name (the input's), as the corpus file `path` gives them:
    parsing depends on the bytes and the suffix only, not on the name."""
    name, articles, _ = parsed
    moved = []
    for article in articles:
        new_path = path + article.path[len(name) :]
        # The base slug depends on the path only through its stem (when the title has no
        # slug): under the same stem (a copy in another folder) it is the one parsed.
        same_stem = Path(new_path).stem == Path(article.path).stem
        moved.append(
            replace(article, path=new_path, id=article.id if same_stem else base_slug(article.title, new_path))
        )
    return moved


def extract_within_budget(raw: bytes, articles: list[Article], extractor: EntityExtractor) -> list[Extraction] | None:
    """The articles' extractions, as `derive_file` would make them for the file `raw`, or
    None when the file's budget runs out (the sync then tries again, and says why)."""
    try:
        with budget.time_budget(budget.seconds_for(len(raw))):
            return [extractor.extract(article.text) for article in articles]
    except budget.OverBudget:
        return None


# Worker processes.

_worker: tuple[Path, EntityExtractor] | None = None


def _start_worker(corpus_dir: Path, kb: KnowledgeBase) -> None:
    global _worker
    _worker = (corpus_dir, EntityExtractor(kb))


def _derive_in_worker(path: str, raw: bytes | None, parsed: Parsed | None) -> Derived:
    assert _worker is not None
    return derive_file(_worker[0], path, raw, _worker[1], parsed)


def pool_context() -> BaseContext:
    """How worker processes start: forked, which is quick and imports nothing again."""
    import multiprocessing

    return multiprocessing.get_context("fork")


def parallel_allowed() -> bool:
    """Worker processes only from a process running one thread: forking while another
    thread holds a lock can hang the child, and spawning from the TUI's workers failed
    under Textual ("bad value(s) in fds_to_keep"). The TUI's syncs run on one core."""
    import threading

    return threading.active_count() == 1 and workers() > 1


@contextmanager
def collection_paused(pause: bool = True) -> Iterator[None]:
    """No cyclic garbage collection inside, when `pause` (and it was on): for a large batch,
    whose articles, extractions and index postings are millions of objects that live to its
    end. The collector's full passes over them, repeated as they grow, found nothing to
    free and cost seconds at 29,000 articles. Cycles made meanwhile are collected after."""
    paused = pause and gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def workers() -> int:
    """Worker processes to use: one per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def derive_all(
    corpus_dir: Path,
    kb: KnowledgeBase,
    extractor: EntityExtractor,
    files: Iterable[tuple[str, bytes | None]],
    *,
    done: Callable[[int], None] | None = None,
    parsed: dict[str, Parsed] | None = None,
) -> Iterator[Derived]:
    """Derive every file, in worker processes when the batch is large; results in any order."""
    parsed = parsed or {}
    batch = [(path, raw, parsed.get(content_hash(raw)) if raw is not None and parsed else None) for path, raw in files]
    finished = 0
    # Files whose extractions an import made already: only their articles' names change.
    extracted = [item for item in batch if item[2] is not None and item[2][2] is not None]
    batch = [item for item in batch if item[2] is None or item[2][2] is None]
    for path, raw, known in extracted:
        finished += 1
        yield derive_file(corpus_dir, path, raw, extractor, known)
        if done:
            done(finished)
    size = sum(len(raw) for _, raw, _ in batch if raw is not None)
    count = workers()
    if not parallel_allowed() or (len(batch) < PARALLEL_FROM and size < PARALLEL_FROM * 1024 * 1024):
        for path, raw, known in batch:
            finished += 1
            yield derive_file(corpus_dir, path, raw, extractor, known)
            if done:
                done(finished)
        return
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    # Largest first, so one big file (a CSV of thousands of rows) does not run alone at the end.
    batch.sort(key=lambda item: -(len(item[1]) if item[1] is not None else 0))
    gazetteer.preload()  # (the workers are forked: they inherit it)
    with ProcessPoolExecutor(
        count, mp_context=pool_context(), initializer=_start_worker, initargs=(corpus_dir, kb)
    ) as pool:
        pending = set()
        queue = iter(batch)
        for item in queue:
            pending.add(pool.submit(_derive_in_worker, *item))
            if len(pending) >= count * 4:
                break
        while pending:
            ready, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in ready:
                finished += 1
                yield future.result()
                if done:
                    done(finished)
                following = next(queue, None)
                if following is not None:
                    pending.add(pool.submit(_derive_in_worker, *following))
