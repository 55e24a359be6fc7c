"""Keep the Whoosh index in step with the corpus folder, touching only what changed.

A sync compares each file's size and mtime with the bookkeeping (core.bookkeeping), hashes
only files that look changed, re-derives only files whose hash changed (a file may hold many
articles: a feed, a CSV), and removes articles whose files, or items, are gone. Counts are
of articles. A sync where nothing changed reads no per-article data at all.

Entities are extracted for changed articles only, then resolution is updated by what those
articles change (entities/incremental.py), so one new article costs the same in a corpus of
five articles or of thirty thousand. An edit of entities.toml re-extracts only the articles
the index says can link differently (core.kbdiff). A document is rewritten only when its
links, quotes or id changed.

Every write is one Whoosh commit followed by one transaction of the bookkeeping and an
atomic write of the marker; each step is idempotent, so a sync killed at any point leaves an
index that opens, and the next sync finishes the job.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import query, writing

from tuibrowser.core import documents
from tuibrowser.core.article import Article
from tuibrowser.core.bookkeeping import (
    CORPUS_TABLES,
    REGISTRY_TABLES,
    RESOLUTION_TABLES,
    Bookkeeping,
    BookkeepingError,
)
from tuibrowser.core.corpus import (
    ArticleError,
    ArticleUnreadable,
    CorpusFile,
    assign_ids,
    content_hash,
    read_raw,
    scan,
)
from tuibrowser.core.derive import Derived, Parsed, derive_all, parallel_allowed, workers
from tuibrowser.core.entities.incremental import Outcome, Resolver
from tuibrowser.core.entities.kb import KnowledgeBase, KnowledgeBaseError, load_kb
from tuibrowser.core.entities.linker import Mention
from tuibrowser.core.entities.pipeline import EXTRACTOR_VERSION, EntityExtractor
from tuibrowser.core.entities.registry import update_registry
from tuibrowser.core.entities.resolve import Extraction
from tuibrowser.core.kbdiff import KbChange, affected_query, compare, snapshot
from tuibrowser.core.origins import import_order, order_state
from tuibrowser.core.store import (
    DEFAULT_LOCK_TIMEOUT,
    IndexLocked,
    IndexProblem,
    IndexUnwritable,
    Marker,
    corpus_fingerprint,
    create_index,
    error_kind,
    index_file_stamps,
    index_state,
    open_index,
    remove_leftovers,
    write_lock,
    write_marker,
)
from tuibrowser.core.writers import ParallelWrite, Writer, commit_with, write_parallel

if TYPE_CHECKING:
    from whoosh.codec.base import Segment
    from whoosh.index import FileIndex
    from whoosh.searching import Searcher
    from whoosh.writing import IndexWriter

Progress = Callable[[str, int, int], None]
"""Called as progress(phase, done, total); phase is "reading" (files) then "indexing" (writes)."""

_document = documents.from_article
"""Builds a fresh article's document (a module attribute: the crash tests wrap it)."""

WRITER_MB = 768
"""Memory Whoosh's writer may use for sorting postings before it spills to disk."""

PARALLEL_WRITE_FROM = 2000
"""Fresh documents from which the write is spread over the cores (see core.writers)."""


@dataclass
class SyncReport:
    """What a sync did, for people ("3 added, 1 updated, ...") and for --json."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(path, reason) for files that are not readable articles; they are not indexed."""
    rebuilt_because: str | None = None
    """Set when the index was created from scratch, with the reason."""
    relinked: int = 0
    """Unchanged articles rewritten because their entity links changed (new KB, new names)."""

    def summary(self) -> str:
        text = f"{self.added:,} added, {self.updated:,} updated, {self.removed:,} removed, {self.unchanged:,} unchanged"
        if self.skipped:
            text += f", {len(self.skipped):,} skipped"
        return text

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass
class FileEntry:
    """A corpus file as last indexed: its change stamp and the articles it held."""

    size: int
    mtime_ns: int
    hash: str
    articles: list[str]


@dataclass
class Item:
    """An indexed article: the file it came from, its content hash and its id, and what
    import needs to recognise it again (a hash of its cleaned text, its URL)."""

    file: str
    hash: str
    slug: str
    id: str
    text_hash: str = ""
    url: str | None = None
    added: int = 0
    """When the article first came into the corpus (Unix milliseconds): what watchlists call new.

    Kept across syncs and rebuilds for the same text (by text_hash); for text never seen
    before, the file's ctime, which is when it was written or moved into the corpus."""


@dataclass
class GivenUp:
    """A file given up on for its content (not for a failed read): not read again while unchanged."""

    size: int
    mtime_ns: int
    reason: str


def text_hash(text: str) -> str:
    """Same cleaned text, same hash: how a re-imported article is recognised."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()[:24]


def sync(
    corpus_dir: Path,
    index_dir: Path,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> SyncReport:
    """Bring the index at `index_dir` up to date with `corpus_dir`.

    Args:
        rebuild: Re-derive every article. The old index stays readable until the new
            one is committed.
        progress: Optional callback for a progress bar.
        lock_timeout: Seconds to wait for another indexer.

    Raises:
        IndexLocked: another indexer kept the lock for `lock_timeout` seconds.
        KnowledgeBaseError: entities.toml is malformed; the index is left as it was.
    """
    kb = load_kb(corpus_dir)
    with write_lock(index_dir, lock_timeout):
        return sync_locked(corpus_dir, index_dir, kb, rebuild=rebuild, progress=progress)


def sync_locked(
    corpus_dir: Path,
    index_dir: Path,
    kb: KnowledgeBase,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    parsed: dict[str, Parsed] | None = None,
) -> SyncReport:
    """`sync`, for a caller that already holds `write_lock` (an import holds it from its
    first look at the index to its last write, so no rebuild can come between).

    An index found damaged only while it is read (a garbled segment that still opens) is
    built anew. A write that fails (a full disk) leaves the index as it was: the partial
    files are removed.

    Args:
        parsed: files an import has parsed already, by content hash (see core.derive).

    Raises:
        IndexUnwritable: the index cannot be written.
    """
    # Whoosh leaves the files of a failed or cancelled writer behind
    # (https://github.com/whoosh-community/whoosh/issues/4): remove those of the last one.
    remove_leftovers(index_dir)
    state, reason = index_state(index_dir, corpus_dir)
    try:
        if state not in ("missing", "broken"):
            try:
                return _sync_existing(corpus_dir, index_dir, kb, rebuild, progress, parsed)
            except Exception as error:
                ours = type(error).__module__.startswith("tuibrowser.") and not isinstance(error, BookkeepingError)
                if isinstance(error, OSError) or ours or _unwritable(error):
                    raise
                reason = f"the index was damaged ({error_kind(error)})"
        return _sync_new(corpus_dir, index_dir, kb, reason, progress, parsed, clear=state != "missing")
    except (OSError, sqlite3.OperationalError) as error:
        if isinstance(error, sqlite3.OperationalError) and not _unwritable(error):
            raise
        remove_leftovers(index_dir)
        why = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise IndexUnwritable(f"cannot write the index at {index_dir}: {why}; it was left as it was") from None


def _unwritable(error: BaseException) -> bool:
    """SQLite's way of saying the disk is full or the folder read-only."""
    text = str(error).lower()
    return isinstance(error, sqlite3.OperationalError) and ("full" in text or "readonly" in text or "read-only" in text)


def _sync_existing(
    corpus_dir: Path,
    index_dir: Path,
    kb: KnowledgeBase,
    rebuild: bool,
    progress: Progress | None,
    parsed: dict[str, Parsed] | None,
) -> SyncReport:
    report = SyncReport()
    ix = open_index(index_dir, writing=True)
    try:
        db = Bookkeeping.open(index_dir)
        try:
            stored = db.meta("entities")
            if not rebuild and stored is not None and stored.get("rules") != EXTRACTOR_VERSION:
                # New extraction rules change every article's links: re-deriving everything,
                # as a rebuild does, in parallel, beats extracting each stored text again in
                # this process and rewriting every document (29,000 articles: 89 s and 2 GB
                # at the peak, against a rebuild's half minute). Arrival times are kept.
                report.rebuilt_because = "the entity rules changed since it was built"
                rebuild = True
            _Sync(ix, db, kb, corpus_dir, index_dir, report, progress, clear=rebuild, parsed=parsed).run()
        finally:
            db.close()
    finally:
        ix.close()
    return report


def _sync_new(
    corpus_dir: Path,
    index_dir: Path,
    kb: KnowledgeBase,
    reason: str,
    progress: Progress | None,
    parsed: dict[str, Parsed] | None,
    *,
    clear: bool,
) -> SyncReport:
    report = SyncReport(rebuilt_because=reason)
    arrivals = _arrivals(index_dir)  # a broken index may still say when its articles came
    ix = create_index(index_dir)
    try:
        db = Bookkeeping.open(index_dir)
        try:
            _Sync(
                ix, db, kb, corpus_dir, index_dir, report, progress, clear=clear, arrivals=arrivals, parsed=parsed
            ).run()
        finally:
            db.close()
    finally:
        ix.close()
    return report


def _arrivals(index_dir: Path) -> dict[str, int]:
    """text hash -> when it first came, from the bookkeeping of an index about to be rebuilt."""
    try:
        db = Bookkeeping.open(index_dir, readonly=True)
    except BookkeepingError:
        return {}
    try:
        return dict(db.conn.execute("SELECT text_hash, added FROM articles WHERE added > 0").fetchall())
    except Exception:  # a damaged file: the arrival times are lost, not the rebuild
        return {}
    finally:
        db.close()


def ensure_current(
    corpus_dir: Path,
    index_dir: Path,
    *,
    progress: Progress | None = None,
    starting: Callable[[str], None] | None = None,
    locked: Callable[[IndexProblem | KnowledgeBaseError], None] | None = None,
) -> SyncReport | None:
    """Build a missing or broken index, or sync a stale one, before a face reads it.

    Returns None when the index was already current, or when it is stale but cannot be
    updated now (then it is read as it is, after `locked` is told why).

    Args:
        starting: Called with the reason before any indexing work begins.
        locked: Called with the error when a stale index cannot be updated: another
            indexer holds it, it cannot be written (a full disk, a read-only folder), or
            entities.toml is malformed.

    Raises:
        IndexLocked, IndexUnwritable, KnowledgeBaseError: for a missing or broken index,
            which cannot be answered from.
    """
    state, reason = index_state(index_dir, corpus_dir)
    if state == "ok":
        return None
    if starting:
        starting(reason)
    try:
        return sync(corpus_dir, index_dir, progress=progress)
    except (IndexLocked, IndexUnwritable, KnowledgeBaseError) as error:
        if state != "stale":
            raise
        if locked:
            locked(error)
        return None


# Reading the bookkeeping (used by import as well).


def indexed_files(db: Bookkeeping) -> dict[str, FileEntry]:
    rows = db.conn.execute("SELECT path, size, mtime_ns, hash, articles FROM files").fetchall()
    return {path: FileEntry(size, mtime, digest, json.loads(articles)) for path, size, mtime, digest, articles in rows}


def _given_up(db: Bookkeeping) -> dict[str, GivenUp]:
    rows = db.conn.execute("SELECT path, size, mtime_ns, reason FROM skipped").fetchall()
    return {path: GivenUp(size, mtime, reason) for path, size, mtime, reason in rows}


def _items(db: Bookkeeping, where: str, keys: Iterable[Any]) -> dict[str, Item]:
    rows = db.rows_in(
        f"SELECT path, file, hash, slug, id, text_hash, url, added FROM articles WHERE {where} IN ({{}})", keys
    )
    return {row[0]: Item(*row[1:]) for row in rows}


class _Sync:
    """One sync: compares, derives, resolves, writes (see the module docstring)."""

    def __init__(
        self,
        ix: FileIndex,
        db: Bookkeeping,
        kb: KnowledgeBase,
        corpus_dir: Path,
        index_dir: Path,
        report: SyncReport,
        progress: Progress | None,
        *,
        clear: bool,
        arrivals: dict[str, int] | None = None,
        parsed: dict[str, Parsed] | None = None,
    ):
        self.ix, self.db, self.kb = ix, db, kb
        self.corpus_dir, self.index_dir = corpus_dir, index_dir
        self.report, self.progress = report, progress
        self.clear = clear
        """Everything is derived again and replaces what the index and bookkeeping hold."""
        self.arrivals = arrivals or {}
        self.parsed = parsed
        self.extractor = EntityExtractor(kb)
        self.order_state: dict[str, Any] = {}
        """The import order's state as read by this sync (core.origins.order_state)."""

    # The steps.

    def run(self) -> None:
        report, db = self.report, self.db
        fingerprint = corpus_fingerprint(self.corpus_dir)  # before reading: later changes show as stale
        files = scan(self.corpus_dir, problems=report.skipped)
        old_files = {} if self.clear else indexed_files(db)
        old_given_up = {} if self.clear else _given_up(db)
        on_disk = {f.path: f for f in files}

        # Which files changed (only these are read), then their articles.
        stamps, to_derive, given_up, unreadable = self._compare(files, old_files, old_given_up)
        new_files, fresh, extractions = self._derive(to_derive, on_disk, given_up, unreadable, len(files))
        kept = set(on_disk) & set(old_files) - set(new_files) - set(given_up) - unreadable
        gone_files = [path for path in old_files if path not in kept]
        old_articles = {a for path in gone_files for a in old_files[path].articles}
        gone = sorted(old_articles - set(fresh))
        report.removed = len(gone)
        report.updated = sum(1 for path in fresh if path in old_articles)
        report.added = len(fresh) - report.updated
        report.unchanged = sum(len(old_files[path].articles) for path in kept)
        early = self._start_writers(fresh)
        stored_fields = _StoredFields(self.ix)
        try:
            items, moved = self._ids(fresh, new_files, old_articles, gone)

            # Entities: what the changed articles and a changed knowledge base change (new
            # rules rebuild the index: `_sync_existing`).
            stored = None if self.clear else db.meta("entities")
            stored_order = None if self.clear else db.meta("origins")
            kb_edited = stored is None or stored.get("kb_version") != self.kb.version
            kb_change = compare(stored["kb"], self.kb) if stored is not None and kb_edited else None
            from_scratch = self.clear or stored is None
            resolver = Resolver(
                db,
                self.kb,
                kb_changed=bool(kb_change and kb_change.ids_changed),
                empty=from_scratch,
                hidden_before=None if stored is None else frozenset(stored.get("hidden", ())),
            )
            changes: dict[str, tuple[str, Extraction] | None] = {p: None for p in gone}
            changes.update({p: (fresh[p].content_hash, extractions[p]) for p in fresh})
            if kb_change is not None and (kb_change.links or kb_change.retyped):
                changes.update(self._extract_again(stored_fields, resolver, kb_change, skip=set(changes)))
            nothing = not (
                changes
                or moved
                or kb_edited
                or stamps
                or gone_files
                or given_up != old_given_up
                or (stored_order != self.order_state)
            )
            if nothing and not from_scratch:
                self._write_marker(fingerprint)  # a no-op: no article was read, nothing is written
                return
            with db.reading():
                outcome = resolver.apply(changes)
            types = outcome.types(self.kb)
            rewrite = {
                path: final
                for path, final in outcome.final.items()
                if path not in fresh and final != outcome.previous.get(path)
            }
            retyped = outcome.retyped | (set(kb_change.retyped) if kb_change is not None else set())
            recheck = self._mentioning(stored_fields, retyped) - set(fresh) - set(rewrite) - set(gone)

            def bookkeeping() -> None:
                """The bookkeeping's rows, written while Whoosh's writers work (see `_write`)."""
                if from_scratch:
                    db.clear(RESOLUTION_TABLES + REGISTRY_TABLES)
                if self.clear:
                    db.clear(CORPUS_TABLES)
                resolver.write()
                update_registry(
                    db,
                    self.kb,
                    kb_changed=kb_edited or from_scratch,
                    before={} if from_scratch else outcome.before,
                    after=outcome.discovered,
                    previous={} if from_scratch else outcome.previous,
                    final=outcome.final,
                )
                db.delete_in("files", "path", gone_files)
                db.insert(
                    "files",
                    [(p, e.size, e.mtime_ns, e.hash, json.dumps(e.articles)) for p, e in (stamps | new_files).items()],
                )
                if given_up != old_given_up:
                    db.clear(("skipped",))
                    db.insert("skipped", [(p, g.size, g.mtime_ns, g.reason) for p, g in given_up.items()])
                db.delete_in("articles", "path", gone)
                kept = (items | moved).items()
                db.insert("articles", [(p, i.file, i.hash, i.slug, i.id, i.text_hash, i.url, i.added) for p, i in kept])
                db.set_meta("origins", self.order_state)
                db.set_meta(
                    "entities",
                    {
                        "rules": EXTRACTOR_VERSION,
                        "kb_version": self.kb.version,
                        "kb": snapshot(self.kb),
                        "hidden": sorted(self.kb.hidden_keys),
                    },
                )

            self._write(fresh, items, gone, rewrite, recheck, moved, outcome, types, stored_fields, bookkeeping, early)
        finally:
            stored_fields.close()
            if early is not None:
                early.close()

        self._write_marker(fingerprint)

    def _compare(
        self, files: list[CorpusFile], old_files: dict[str, FileEntry], old_given_up: dict[str, GivenUp]
    ) -> tuple[dict[str, FileEntry], list[tuple[str, bytes | None]], dict[str, GivenUp], set[str]]:
        """Sort the corpus's files: unchanged (skipped over), touched but the same (new
        stamps), changed or new (to derive), given up on, unreadable."""
        report = self.report
        stamps: dict[str, FileEntry] = {}
        to_derive: list[tuple[str, bytes | None]] = []
        given_up: dict[str, GivenUp] = {}
        unreadable: set[str] = set()
        for done, corpus_file in enumerate(files, start=1):
            path = corpus_file.path
            stat = (corpus_file.size, corpus_file.mtime_ns)
            old = old_files.get(path)
            gave_up = old_given_up.get(path)
            if gave_up is not None and (gave_up.size, gave_up.mtime_ns) == stat:
                # Given up on for its content before and unchanged since: say so again, cheaply.
                report.skipped.append((path, gave_up.reason))
                given_up[path] = gave_up
                continue
            if old is not None and (old.size, old.mtime_ns) == stat:
                continue
            try:
                raw = read_raw(self.corpus_dir, path)
            except ArticleUnreadable as error:  # may read next time: not remembered
                report.skipped.append((path, str(error)))
                unreadable.add(path)
                continue
            except ArticleError as error:  # over the size limit
                report.skipped.append((path, str(error)))
                given_up[path] = GivenUp(*stat, str(error))
                continue
            digest = content_hash(raw)
            if old is not None and old.hash == digest:
                stamps[path] = FileEntry(*stat, digest, old.articles)
            else:
                to_derive.append((path, raw))
            if self.progress and done % 200 == 0:
                self.progress("reading", done - len(to_derive), len(files))
        return stamps, to_derive, given_up, unreadable

    def _derive(
        self,
        to_derive: list[tuple[str, bytes | None]],
        on_disk: dict[str, CorpusFile],
        given_up: dict[str, GivenUp],
        unreadable: set[str],
        total: int,
    ) -> tuple[dict[str, FileEntry], dict[str, Article], dict[str, Extraction]]:
        """Parse the changed files and extract their entities (in worker processes when many)."""
        report = self.report
        new_files: dict[str, FileEntry] = {}
        fresh: dict[str, Article] = {}
        extractions: dict[str, Extraction] = {}
        base = total - len(to_derive)

        def counted(done: int) -> None:
            if self.progress and (done % 50 == 0 or done == len(to_derive)):
                self.progress("reading", base + done, total)

        results = sorted(
            derive_all(self.corpus_dir, self.kb, self.extractor, to_derive, done=counted, parsed=self.parsed),
            key=lambda r: r.path,
        )
        for result in results:
            stat = on_disk[result.path]
            if result.error is not None:
                report.skipped.append((result.path, result.error))
                if result.unreadable:
                    unreadable.add(result.path)
                else:
                    given_up[result.path] = GivenUp(stat.size, stat.mtime_ns, result.error)
                continue
            digest = content_hash_of(result)
            new_files[result.path] = FileEntry(stat.size, stat.mtime_ns, digest, [a.path for a in result.articles])
            for article in result.articles:
                fresh[article.path] = article
            extractions.update(result.extractions)
        if self.progress:
            self.progress("reading", total, total)
        self._file_of = {a: path for path, entry in new_files.items() for a in entry.articles}
        return new_files, fresh, extractions

    def _ids(
        self, fresh: dict[str, Article], new_files: dict[str, FileEntry], old_articles: set[str], gone: list[str]
    ) -> tuple[dict[str, Item], dict[str, Item]]:
        """Items for the fresh articles, and the unchanged articles whose id moved.

        Ids depend on the articles sharing a slug (the first to come into the corpus keeps
        the bare slug: `corpus.assign_ids`), so only the groups of slugs that gained or lost
        an article are looked at again.
        """
        db = self.db
        old_items = {} if self.clear else _items(db, "path", old_articles)
        digests = {path: text_hash(article.text) for path, article in fresh.items()}
        arrivals = self._arrival_times(set(digests.values()))
        files_arrived: dict[str, int] = {}
        """When each file came, asked of the file system once per file (not per article)."""
        items: dict[str, Item] = {}
        for path, article in fresh.items():
            digest = digests[path]
            file = self._file_of[path]
            arrived = arrivals.get(digest)
            if not arrived:
                arrived = files_arrived.get(file)
                if arrived is None:
                    arrived = files_arrived[file] = _arrival(self.corpus_dir / file)
            items[path] = Item(
                file,
                article.content_hash,
                article.id,  # a freshly derived article's id is its base slug (corpus.base_slug)
                "",
                digest,
                article.url,
                arrived,
            )
        slugs = {item.slug for item in items.values()} | {old_items[p].slug for p in gone if p in old_items}
        self.order_state, reordered = order_state(self.corpus_dir, None if self.clear else db.meta("origins"))
        if reordered and not self.clear:
            # imports/.origins.jsonl was edited by hand (or this index kept no state of it):
            # every group of articles sharing a slug is ordered again, as a rebuild would.
            slugs |= {
                slug for (slug,) in db.conn.execute("SELECT slug FROM articles GROUP BY slug HAVING COUNT(*) > 1")
            }
        neighbours = {} if self.clear else _items(db, "slug", slugs)
        neighbours = {p: i for p, i in neighbours.items() if p not in old_articles}
        group = neighbours | items
        ranks = self._import_ranks(group)
        ids = assign_ids((p, i.slug, ranks.get(i.file)) for p, i in group.items())
        for path, item in items.items():
            item.id = ids[path]
        moved = {p: replace(i, id=ids[p]) for p, i in neighbours.items() if i.id != ids[p]}
        return items, moved

    # Helpers.

    def _import_ranks(self, group: dict[str, Item]) -> dict[str, int]:
        """file -> its place in import order, read from the corpus only when two of these
        articles share a slug (the order decides which keeps it)."""
        slugs = Counter(item.slug for item in group.values())
        if not any(count > 1 for count in slugs.values()):
            return {}
        return import_order(self.corpus_dir)

    def _arrival_times(self, digests: set[str]) -> dict[str, int]:
        found = {d: self.arrivals[d] for d in digests if d in self.arrivals}
        rest = [d for d in digests if d not in found]
        if rest:
            found.update(
                (d, added)
                for d, added in self.db.rows_in("SELECT text_hash, added FROM articles WHERE text_hash IN ({})", rest)
                if added
            )
        return found

    def _extract_again(
        self,
        stored_fields: _StoredFields,
        resolver: Resolver,
        change: KbChange,
        skip: set[str],
    ) -> dict[str, tuple[str, Extraction]]:
        """Unchanged articles whose links the edited knowledge base can change, extracted
        again from the text the index stored. (New extraction rules rebuild the index
        instead: see `_sync_existing`.)"""
        searcher = stored_fields.searcher()
        wanted = affected_query(change)
        if wanted is query.NullQuery:
            docnums = []
        elif wanted is None:
            docnums = list(searcher.reader().all_doc_ids())
        else:
            docnums = list(searcher.docs_for_query(wanted))
        again: dict[str, tuple[str, Extraction]] = {}
        for docnum in docnums:
            fields = searcher.stored_fields(docnum)
            path = fields["path"]
            if path in skip:
                continue
            stored_fields.remember(path, fields)
            extraction = self.extractor.extract(fields.get("text") or "")
            again[path] = (fields.get("hash") or "", extraction)
        if again:
            # Only those whose extraction really changed are worth resolving again.
            known = resolver.records(again)
            again = {p: c for p, c in again.items() if p not in known or known[p].extraction != c[1]}
        return again

    def _mentioning(self, stored_fields: _StoredFields, entity_ids: set[str]) -> set[str]:
        if not entity_ids:
            return set()
        searcher = stored_fields.searcher()
        wanted = query.Or([query.Term("entities", i) for i in sorted(entity_ids)])
        return {searcher.stored_fields(d)["path"] for d in searcher.docs_for_query(wanted)}

    def _start_writers(self, fresh: dict[str, Article]) -> ParallelWrite | None:
        """For a large batch, the processes that will write it, started now: they index
        the articles' words while this process works out their ids and resolves the
        entities (see writers.ParallelWrite); then `_write` hands them the ids and links.
        None for a small one."""
        order = sorted(fresh)
        if len(order) < PARALLEL_WRITE_FROM or not parallel_allowed():
            return None

        def prepare(number: int) -> dict[str, Any]:
            return documents.before_links(fresh[order[number]])

        def build(number: int, shared: _Shared) -> dict[str, Any]:
            """The document of the number-th fresh article, from its item (id, arrival),
            its final mentions and the entities' types (`shared`, worked out after the
            workers started)."""
            finals, types, items = shared
            article, item = fresh[order[number]], items[number]
            mentions = tuple(Mention(*mention) for mention in finals[number])
            quoted = documents.quotes_of(article.text, mentions, types)
            return _document(article, item.id, mentions, item.added, quoted)

        return ParallelWrite(self.ix, len(order), build, procs=workers(), limitmb=WRITER_MB, prepare=prepare)

    def _write(
        self,
        fresh: dict[str, Article],
        items: dict[str, Item],
        gone: list[str],
        rewrite: dict[str, tuple[Mention, ...]],
        recheck: set[str],
        moved: dict[str, Item],
        outcome: Outcome,
        types: dict[str, str],
        stored_fields: _StoredFields,
        bookkeeping: Callable[[], None],
        early: ParallelWrite | None = None,
    ) -> None:
        """One Whoosh commit: gone articles deleted, fresh ones added, and unchanged ones
        rewritten from what the index stored when their links, id or quotes changed.

        Then the bookkeeping's transaction, where `bookkeeping` writes its rows. For a large
        batch, written by worker processes, the rows are written while the workers work
        (this process would only wait for them), kept in memory until the commit (see
        Bookkeeping.begin), and committed after Whoosh's commit, or rolled back if Whoosh's
        fails: the order of the two commits is as before (core.bookkeeping).

        Args:
            early: The writing processes, when they were started before the resolution
                (`_start_writers`): the fresh articles are written by them.
        """
        progress = self.progress
        order = sorted(fresh)
        total = len(fresh) + len(rewrite) + len(moved) + len(recheck)
        parallel = early is not None
        relinked = 0

        def build(number: int) -> dict[str, Any]:
            """The document of the number-th fresh article (written here: a small batch)."""
            path = order[number]
            article = fresh[path]
            mentions = outcome.final[path]
            quoted = documents.quotes_of(article.text, mentions, types)
            item = items[path]
            return _document(article, item.id, mentions, item.added, quoted)

        def shown(done: int) -> None:
            if progress:
                progress("indexing", done, total)

        writer = Writer(self.ix, limitmb=WRITER_MB)
        begun = False
        try:
            for path in gone:
                writer.delete_by_term("path", path)
            if not (self.clear or self.ix.doc_count_all() == 0):
                for path in order:
                    writer.delete_by_term("path", path)
            segments = []

            def meanwhile() -> None:
                nonlocal begun
                self.db.begin(hold_in_memory=parallel)
                begun = True
                bookkeeping()

            if early is not None:
                # Quotes, documents and postings on every core (see core.writers).
                segments = write_parallel(
                    self.ix,
                    len(order),
                    early.build,
                    procs=workers(),
                    limitmb=WRITER_MB,
                    progress=shown,
                    meanwhile=meanwhile,
                    started=early,
                    shared=(
                        [tuple(_plain(m) for m in outcome.final[path]) for path in order],
                        types,
                        [items[path] for path in order],
                    ),
                )
            else:
                for number in range(len(order)):
                    writer.add_document(**build(number))
                    if (number + 1) % 20 == 0 or number + 1 == total:
                        shown(number + 1)
            done = len(order)
            for path in sorted(set(rewrite) | set(moved) | recheck):
                fields = stored_fields.get(path)
                if fields is None:
                    continue
                if path in rewrite:
                    mentions = rewrite[path]
                else:
                    mentions = tuple(Mention(*m) for m in fields.get("mentions") or ())
                quoted = documents.quotes_of(fields.get("text") or "", mentions, types)
                unchanged = documents.stored_quotes(quoted) == [list(q) for q in fields.get("quotes") or []]
                if path not in rewrite and path not in moved and unchanged:
                    continue  # its speakers' new types change nothing
                relinked += path not in moved or path in rewrite
                article_id = moved[path].id if path in moved else fields["id"]
                writer.delete_by_term("path", path)
                writer.add_document(
                    **documents.from_stored(fields, article_id, mentions, fields.get("added") or 0, quoted)
                )
                done += 1
                if done % 20 == 0 or done == total:
                    shown(done)
            # A rebuild re-derived everything: keep only the new segments.
            commit_with(writer, segments, writing.CLEAR if self.clear else _merge_wasteful)
            if not begun:
                meanwhile()
        except BaseException:
            _abandon(writer)
            if begun:
                self.db.rollback()
            raise
        self.db.commit()  # after Whoosh's
        self.report.relinked = relinked

    def _write_marker(self, fingerprint: dict[str, str]) -> None:
        """Last: the corpus's fingerprint and Whoosh's files as this sync left them."""
        write_marker(
            self.index_dir,
            Marker(
                corpus=str(self.corpus_dir.resolve()),
                dirs=fingerprint,
                entities=self.extractor.version,
                files=index_file_stamps(self.index_dir),
            ),
        )


_Shared = tuple[list[tuple[tuple[str, int, int], ...]], dict[str, str], list[Item]]
"""What the writing processes get after they started: each fresh article's final mentions
(as tuples: a dataclass is slow to pickle), the entities' types, and each article's item."""


def _plain(mention: Mention) -> tuple[str, int, int]:
    return (mention.entity_id, mention.start, mention.end)


def _merge_wasteful(writer: IndexWriter, segments: list[Segment]) -> list[Segment]:
    """Whoosh's MERGE_SMALL, and any segment with over a third of its documents deleted.

    A document rewritten with new links leaves its old copy in its segment, marked deleted,
    until the segment is merged; Whoosh merges only small segments, so relinking thousands
    of articles in the big one doubled the index (136 -> 242 MB at 29,000 articles). A
    segment that is one third dead is worth the merge; below that, the waste is bounded.
    """
    from whoosh.reading import SegmentReader

    kept: list[Segment] = []
    for segment in segments:
        if segment.doc_count_all() and segment.deleted_count() * 3 > segment.doc_count_all():
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        else:
            kept.append(segment)
    remaining: list[Segment] = writing.MERGE_SMALL(writer, kept)
    return remaining


def _abandon(writer: IndexWriter) -> None:
    """Cancel a failed writer. One that failed inside commit (a full disk) may refuse to
    cancel; its lock is then released by hand, so the same process can build anew."""
    try:
        writer.cancel()
    except Exception:
        lock = getattr(writer, "writelock", None)
        if lock is not None:
            with suppress(Exception):
                lock.release()


class _StoredFields:
    """Indexed articles' stored fields, read through one searcher opened on first use."""

    def __init__(self, ix: FileIndex) -> None:
        self._ix = ix
        self._searcher: Searcher | None = None
        self._seen: dict[str, dict[str, Any] | None] = {}

    def searcher(self) -> Searcher:
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        return self._searcher

    def remember(self, path: str, fields: dict[str, Any]) -> None:
        self._seen[path] = fields

    def get(self, path: str) -> dict[str, Any] | None:
        if path not in self._seen:
            self._seen[path] = self.searcher().document(path=path)
        return self._seen[path]

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()


def content_hash_of(derived: Derived) -> str:
    """The file's content hash, from its articles (a multi-article file's items carry "#n")."""
    return derived.articles[0].content_hash.split("#")[0]


def _arrival(path: Path) -> int:
    """When a file came into the corpus: its ctime (set when it was written or moved in, and
    not carried over by copies), in Unix milliseconds."""
    try:
        return path.stat().st_ctime_ns // 1_000_000
    except OSError:
        return time.time_ns() // 1_000_000
