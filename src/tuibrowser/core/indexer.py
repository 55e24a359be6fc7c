"""Keep the Whoosh index in step with the corpus folder, touching only what changed.

A sync compares each file's size and mtime with the manifest, hashes only files that look
changed, re-derives only files whose hash changed (a file may hold many articles: a feed, a
CSV), and removes articles whose files, or items, are gone. Counts are of articles.

Every write is one Whoosh commit followed by atomic writes of the bookkeeping files; each
step is idempotent, so a sync killed at any point leaves an index that opens, and the next
sync finishes the job.

Entities are extracted only for articles whose content changed (an extraction cache is
kept, keyed by content hash and by the rules' and knowledge base's version), then resolved
across the corpus; a document is rewritten only when its final mentions changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

from whoosh import writing

from tuibrowser.core import budget
from tuibrowser.core.article import Article
from tuibrowser.core.corpus import (
    ArticleError,
    ArticleUnreadable,
    assign_ids,
    base_slug,
    content_hash,
    parse_articles,
    read_raw,
    scan,
)
from tuibrowser.core.entities.discovery import Candidate
from tuibrowser.core.entities.kb import KnowledgeBase, KnowledgeBaseError, load_kb
from tuibrowser.core.entities.linker import Mention
from tuibrowser.core.entities.pipeline import EntityExtractor
from tuibrowser.core.entities.registry import REGISTRY_NAME, EntityRecord, write_registry
from tuibrowser.core.entities.resolve import Extraction, Resolution, resolve
from tuibrowser.core.fileio import write_json_atomic
from tuibrowser.core.quotes import Quote, Speaker, find_quotes
from tuibrowser.core.schema import said_value
from tuibrowser.core.store import (
    DEFAULT_LOCK_TIMEOUT,
    ENTITY_CACHE_NAME,
    MANIFEST_NAME,
    IndexLocked,
    IndexUnwritable,
    Marker,
    corpus_fingerprint,
    create_index,
    error_kind,
    index_file_stamps,
    index_state,
    open_index,
    read_marker,
    remove_leftovers,
    write_lock,
    write_marker,
)

Progress = Callable[[str, int, int], None]
"""Called as progress(phase, done, total); phase is "reading" (files) then "indexing" (writes)."""


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
        text = f"{self.added} added, {self.updated} updated, {self.removed} removed, {self.unchanged} unchanged"
        if self.skipped:
            text += f", {len(self.skipped)} skipped"
        return text

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass
class _File:
    """A corpus file as last indexed: its change stamp and the articles it held."""

    size: int
    mtime_ns: int
    hash: str
    articles: list[str]


@dataclass
class _Item:
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
class _Skipped:
    """A file given up on for its content (not for a failed read): not read again while unchanged."""

    size: int
    mtime_ns: int
    reason: str


@dataclass
class Manifest:
    """The indexer's bookkeeping: files as last read, the articles they held, files given up on."""

    files: dict[str, _File] = field(default_factory=dict)
    items: dict[str, _Item] = field(default_factory=dict)
    skipped: dict[str, _Skipped] = field(default_factory=dict)


def text_hash(text: str) -> str:
    """Same cleaned text, same hash: how a re-imported article is recognised."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()[:24]


def load_manifest(index_dir: Path) -> Manifest:
    """What the index holds, by file and by article; empty when missing or damaged (the next
    sync then reads every file again, which is slow but right)."""
    try:
        raw = json.loads((index_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        manifest = Manifest(
            {path: _File(*values) for path, values in raw["files"].items()},
            {path: _Item(*values) for path, values in raw["articles"].items()},
            {path: _Skipped(*values) for path, values in raw.get("skipped", {}).items()},
        )
        for entry in manifest.files.values():
            if not (isinstance(entry.articles, list) and all(isinstance(a, str) for a in entry.articles)):
                raise TypeError("articles of a file")
        return manifest
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return Manifest()


def _save_manifest(index_dir: Path, manifest: Manifest) -> None:
    data = {
        "files": {path: [f.size, f.mtime_ns, f.hash, f.articles] for path, f in sorted(manifest.files.items())},
        "articles": {
            path: [i.file, i.hash, i.slug, i.id, i.text_hash, i.url, i.added]
            for path, i in sorted(manifest.items.items())
        },
        "skipped": {path: [k.size, k.mtime_ns, k.reason] for path, k in sorted(manifest.skipped.items())},
    }
    write_json_atomic(index_dir / MANIFEST_NAME, data)


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
) -> SyncReport:
    """`sync`, for a caller that already holds `write_lock` (an import holds it from its
    first look at the index to its last write, so no rebuild can come between).

    An index found damaged only while it is read (a garbled segment that still opens) is
    built anew. A write that fails (a full disk) leaves the index as it was: the partial
    files are removed.

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
                return _sync_existing(corpus_dir, index_dir, kb, rebuild, progress)
            except Exception as error:
                if isinstance(error, OSError) or type(error).__module__.startswith("tuibrowser."):
                    raise
                reason = f"the index was damaged ({error_kind(error)})"
        return _sync_new(corpus_dir, index_dir, kb, reason, progress, clear=state != "missing")
    except OSError as error:
        remove_leftovers(index_dir)
        raise IndexUnwritable(
            f"cannot write the index at {index_dir}: {error.strerror or error}; it was left as it was"
        ) from None


def _sync_existing(corpus_dir, index_dir, kb, rebuild: bool, progress) -> SyncReport:
    report = SyncReport()
    ix = open_index(index_dir)
    try:
        known = load_manifest(index_dir)
        manifest = Manifest() if rebuild else known
        _sync_into(ix, kb, corpus_dir, index_dir, manifest, report, progress, clear=rebuild, known=known)
    finally:
        ix.close()
    return report


def _sync_new(corpus_dir, index_dir, kb, reason: str, progress, *, clear: bool) -> SyncReport:
    report = SyncReport(rebuilt_because=reason)
    known = load_manifest(index_dir)  # a broken index may still say when its articles came
    ix = create_index(index_dir)
    try:
        _sync_into(ix, kb, corpus_dir, index_dir, Manifest(), report, progress, clear=clear, known=known)
    finally:
        ix.close()
    return report


def ensure_current(
    corpus_dir: Path,
    index_dir: Path,
    *,
    progress: Progress | None = None,
    starting: Callable[[str], None] | None = None,
    locked: Callable[[IndexLocked], None] | None = None,
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


def _sync_into(
    ix, kb, corpus_dir, index_dir, manifest: Manifest, report, progress, *, clear: bool, known: Manifest | None = None
) -> None:
    old_files, old_items, old_skipped = manifest.files, manifest.items, manifest.skipped
    # When each text first came into the corpus, from the last bookkeeping (even for a rebuild).
    added_by_text = {item.text_hash: item.added for item in (known or manifest).items.values() if item.added}
    fingerprint = corpus_fingerprint(corpus_dir)  # before reading: later changes show as stale
    files = scan(corpus_dir, problems=report.skipped)
    extractor = EntityExtractor(kb)
    fresh: dict[str, Article] = {}
    fresh_extractions: dict[str, Extraction] = {}
    file_entries: dict[str, _File] = {}
    items: dict[str, _Item] = {}
    given_up: dict[str, _Skipped] = {}

    def derive(path: str, raw: bytes | None = None) -> list[Article]:
        """Parse a file and find its articles' entities, all within the file's time budget,
        and take its articles as fresh."""
        raw = raw if raw is not None else read_raw(corpus_dir, path)
        try:
            with budget.time_budget(budget.seconds_for(len(raw))):
                articles = parse_articles(raw, path)
                extracted = {article.path: extractor.extract(article.text) for article in articles}
        except budget.OverBudget as error:
            raise ArticleError(str(error)) from None
        fresh_extractions.update(extracted)
        arrived = _arrival(corpus_dir / path)
        for article in articles:
            fresh[article.path] = article
            digest = text_hash(article.text)
            items[article.path] = _Item(
                path,
                article.content_hash,
                base_slug(article.title, article.path),
                "",
                digest,
                article.url,
                added_by_text.get(digest) or arrived,
            )
        return articles

    total = len(files)
    for done, corpus_file in enumerate(files, start=1):
        path = corpus_file.path
        old = old_files.get(path)
        unchanged = old is not None and (old.size, old.mtime_ns) == (corpus_file.size, corpus_file.mtime_ns)
        gave_up = old_skipped.get(path)
        if gave_up is not None and (gave_up.size, gave_up.mtime_ns) == (corpus_file.size, corpus_file.mtime_ns):
            # Given up on for its content before and unchanged since: say so again, cheaply.
            report.skipped.append((path, gave_up.reason))
            given_up[path] = gave_up
            continue
        try:
            if not unchanged:
                raw = read_raw(corpus_dir, path)
                digest = content_hash(raw)
                unchanged = old is not None and old.hash == digest
            if unchanged and all(article in old_items for article in old.articles):
                file_entries[path] = _File(corpus_file.size, corpus_file.mtime_ns, old.hash, old.articles)
                items.update({article: old_items[article] for article in old.articles})
            else:
                articles = derive(path, raw if not unchanged else None)
                digest = digest if not unchanged else old.hash
                file_entries[path] = _File(corpus_file.size, corpus_file.mtime_ns, digest, [a.path for a in articles])
        except ArticleUnreadable as error:  # may read next time: not remembered
            report.skipped.append((path, str(error)))
        except ArticleError as error:
            report.skipped.append((path, str(error)))
            given_up[path] = _Skipped(corpus_file.size, corpus_file.mtime_ns, str(error))
        if progress and (done % 50 == 0 or done == total):
            progress("reading", done, total)

    ids = assign_ids((path, item.slug) for path, item in items.items())
    # An unchanged article whose id moved (a new article now shares its title) is rewritten.
    for path, item in list(items.items()):
        if path not in fresh and item.id != ids[path] and item.file in file_entries:
            try:
                derive(item.file)
            except ArticleError as error:  # the file changed under us since the scan
                report.skipped.append((item.file, str(error)))
                for article in file_entries.pop(item.file).articles:
                    items.pop(article, None)
    ids = assign_ids((path, item.slug) for path, item in items.items())
    for path, item in items.items():
        item.id = ids[path]

    gone = [path for path in old_items if path not in items]
    report.removed = len(gone)
    for path in fresh:
        if path in old_items:
            report.updated += 1
        else:
            report.added += 1
    report.unchanged = len(items) - len(fresh)

    marker = read_marker(index_dir)
    done_manifest = Manifest(file_entries, items, given_up)
    unchanged = not (fresh or gone or clear) and marker is not None and marker.entities == extractor.version
    if unchanged and _registry_intact(index_dir):
        # No article changed and the rules and KB are the ones the links were made with:
        # resolution would give the same result, so skip it (keeps a no-op sync cheap).
        _save_manifest(index_dir, done_manifest)
        stamps = index_file_stamps(index_dir)
        write_marker(index_dir, replace(marker, corpus=str(corpus_dir.resolve()), dirs=fingerprint, files=stamps))
        return
    cache = {} if clear else _load_entity_cache(index_dir, extractor.version)
    stored = _StoredFields(ix)
    try:
        extractions: dict[str, Extraction] = {}
        for path in list(items):
            if path not in items or path in extractions:
                continue  # dropped, or re-derived with its file below
            entry, cached = items[path], cache.get(path)
            if path in fresh:
                extractions[path] = fresh_extractions[path]
            elif cached and cached.hash == entry.hash:
                extractions[path] = cached.extraction
            else:
                fields = stored.get(path)
                if fields is not None:
                    extractions[path] = extractor.extract(fields.get("text") or "")
                    continue
                try:  # in the manifest but not in the index: re-derive its file
                    extractions.update({a.path: fresh_extractions[a.path] for a in derive(entry.file)})
                except ArticleError as error:  # changed or gone since the scan
                    report.skipped.append((entry.file, str(error)))
                    for article in file_entries.pop(entry.file).articles:
                        items.pop(article, None)
                        extractions.pop(article, None)
        resolution = resolve(kb, extractions)

        def links_changed(path: str) -> bool:
            cached = cache.get(path)
            return cached is None or cached.hash != items[path].hash or cached.final != resolution.mentions[path]

        relink = [path for path in resolution.mentions if path not in fresh and links_changed(path)]
        report.relinked = len(relink)

        if fresh or gone or relink or clear or not old_items:
            speaker_types = {e.id: e.type for e in (*kb.entities, *resolution.discovered)}
            writer = ix.writer(limitmb=256)
            try:
                for path in gone:
                    writer.delete_by_term("path", path)
                total_writes = len(fresh) + len(relink)
                for done, (path, article) in enumerate(fresh.items(), start=1):
                    writer.delete_by_term("path", path)
                    mentions = resolution.mentions[path]
                    quoted = _quotes(article.text, mentions, speaker_types)
                    writer.add_document(**_document(article, ids[path], mentions, items[path].added, quoted))
                    if progress and (done % 20 == 0 or done == total_writes):
                        progress("indexing", done, total_writes)
                for done, path in enumerate(relink, start=len(fresh) + 1):
                    fields = stored.get(path)
                    writer.delete_by_term("path", path)
                    mentions = resolution.mentions[path]
                    quoted = _quotes(fields.get("text") or "", mentions, speaker_types)
                    writer.add_document(**_document_from_stored(fields, ids[path], mentions, items[path].added, quoted))
                    if progress and (done % 20 == 0 or done == total_writes):
                        progress("indexing", done, total_writes)
                if clear:
                    # Rebuild: everything was re-derived; keep only the new segment.
                    writer.commit(mergetype=writing.CLEAR)
                else:
                    writer.commit()
            except BaseException:
                _abandon(writer)
                raise
    finally:
        stored.close()
    # Order matters for a killed sync: the manifest, which says "these articles are done",
    # is written only after the entity data derived from them, and the marker last.
    _save_entity_cache(index_dir, extractor.version, items, extractions, resolution)
    write_registry(index_dir, _records(kb, resolution))
    _save_manifest(index_dir, done_manifest)
    write_marker(
        index_dir,
        Marker(
            corpus=str(corpus_dir.resolve()),
            dirs=fingerprint,
            entities=extractor.version,
            files=index_file_stamps(index_dir),
        ),
    )


def _abandon(writer) -> None:
    """Cancel a failed writer. One that failed inside commit (a full disk) may refuse to
    cancel; its lock is then released by hand, so the same process can build anew."""
    try:
        writer.cancel()
    except Exception:
        lock = getattr(writer, "writelock", None)
        if lock is not None:
            with suppress(Exception):
                lock.release()


def _registry_intact(index_dir: Path) -> bool:
    try:
        return isinstance(json.loads((index_dir / REGISTRY_NAME).read_text(encoding="utf-8")), list)
    except (OSError, ValueError):
        return False


class _StoredFields:
    """Indexed articles' stored fields, read through one searcher opened on first use.

    A relink after editing entities.toml reads back every article; one searcher per read
    would reopen the index thousands of times.
    """

    def __init__(self, ix) -> None:
        self._ix = ix
        self._searcher = None
        self._seen: dict[str, dict | None] = {}

    def get(self, path: str) -> dict | None:
        if path not in self._seen:
            if self._searcher is None:
                self._searcher = self._ix.searcher()
            self._seen[path] = self._searcher.document(path=path)
        return self._seen[path]

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()


def _records(kb: KnowledgeBase, resolution: Resolution) -> list[EntityRecord]:
    """Every curated and discovered entity, with how many articles and mentions it has."""
    articles: dict[str, int] = {}
    mentions: dict[str, int] = {}
    for found in resolution.mentions.values():
        ids = [m.entity_id for m in found]
        for entity_id in set(ids):
            articles[entity_id] = articles.get(entity_id, 0) + 1
        for entity_id in ids:
            mentions[entity_id] = mentions.get(entity_id, 0) + 1
    entities = [*kb.entities, *resolution.discovered]
    return [EntityRecord(e, articles.get(e.id, 0), mentions.get(e.id, 0)) for e in entities]


@dataclass
class _CachedExtraction:
    hash: str
    extraction: Extraction
    final: tuple[Mention, ...]


def _load_entity_cache(index_dir: Path, version: str) -> dict[str, _CachedExtraction]:
    """Per-article extractions from the last sync, if made by the same rules and KB."""
    try:
        raw = json.loads((index_dir / ENTITY_CACHE_NAME).read_text(encoding="utf-8"))
        if raw.get("version") != version:
            return {}
        return {
            path: _CachedExtraction(
                item["hash"],
                Extraction(
                    tuple(Mention(*m) for m in item["known"]),
                    tuple(Candidate(*c) for c in item["candidates"]),
                ),
                tuple(Mention(*m) for m in item["final"]),
            )
            for path, item in raw["articles"].items()
        }
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def _save_entity_cache(index_dir, version, items, extractions, resolution) -> None:
    articles = {
        path: {
            "hash": items[path].hash,
            "known": [[m.entity_id, m.start, m.end] for m in extraction.known],
            "candidates": [c.to_row() for c in extraction.candidates],
            "final": [[m.entity_id, m.start, m.end] for m in resolution.mentions[path]],
        }
        for path, extraction in sorted(extractions.items())
    }
    write_json_atomic(index_dir / ENTITY_CACHE_NAME, {"version": version, "articles": articles})


def _arrival(path: Path) -> int:
    """When a file came into the corpus: its ctime (set when it was written or moved in, and
    not carried over by copies), in Unix milliseconds."""
    try:
        return path.stat().st_ctime_ns // 1_000_000
    except OSError:
        return time.time_ns() // 1_000_000


def _quotes(text: str, mentions: tuple[Mention, ...], types: dict[str, str]) -> list[Quote]:
    """The article's direct quotes, each attributed to one of its entities when the text says who."""
    speakers = [Speaker(m.entity_id, m.start, m.end, types.get(m.entity_id, "")) for m in mentions]
    return find_quotes(text, speakers)


def _document(
    article: Article, article_id: str, mentions: tuple[Mention, ...], added: int, quotes: list[Quote]
) -> dict:
    """The Whoosh document for a freshly derived article."""
    return _build_document(
        path=article.path,
        article_id=article_id,
        title=article.title,
        text=article.text,
        date=article.date,
        source=article.source,
        byline=article.byline,
        url=article.url,
        title_derived=article.title_derived,
        content_hash=article.content_hash,
        mentions=mentions,
        added=added,
        quotes=quotes,
    )


def _document_from_stored(
    fields: dict, article_id: str, mentions: tuple[Mention, ...], added: int, quotes: list[Quote]
) -> dict:
    """The same document rebuilt from what the index stored, with new entity links."""
    return _build_document(
        path=fields["path"],
        article_id=article_id,
        title=fields.get("title") or "",
        text=fields.get("text") or "",
        date=fields.get("date_iso"),
        source=fields.get("source"),
        byline=fields.get("byline"),
        url=fields.get("url"),
        title_derived=bool(fields.get("title_derived")),
        content_hash=fields.get("hash") or "",
        mentions=mentions,
        added=added,
        quotes=quotes,
    )


def _build_document(
    *, path, article_id, title, text, date, source, byline, url, title_derived, content_hash, mentions, added, quotes
) -> dict:
    document = {
        "path": path,
        "id": article_id,
        "slug": base_slug(title, path),
        "title": title,
        "body": text,
        "spell": f"{title}\n{text}",
        "text": text,
        "date_iso": date,
        "byline": byline,
        "url": url,
        "title_derived": title_derived,
        "hash": content_hash,
        # One id per mention, so `entity:` ranks articles that mention it more often higher;
        # offsets for the reader.
        "entities": ",".join(m.entity_id for m in mentions),
        "mentions": [[m.entity_id, m.start, m.end] for m in mentions],
        "added": added,
        # Who said what: offsets for the reader, and each speaker's quoted words for said:.
        "quotes": [[q.start, q.end, q.speaker, q.cue, q.continues] for q in quotes],
        "said": said_value((q.speaker, q.text) for q in quotes if q.speaker),
    }
    if date:
        document["date"] = dt.datetime.fromisoformat(date)
    if source:
        document["source"] = source
        document["source_facet"] = source
    return document
