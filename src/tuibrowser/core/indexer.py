"""Keep the Whoosh index in step with the corpus folder, touching only what changed.

A sync compares each file's size and mtime with the manifest, hashes only files that look
changed, re-derives only articles whose hash changed, and removes articles whose files are
gone. Every write is one Whoosh commit followed by an atomic manifest write; each step is
idempotent, so a sync killed at any point leaves an index that opens, and the next sync
finishes the job.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import writing

from tuibrowser.core.article import Article
from tuibrowser.core.corpus import ArticleError, assign_ids, base_slug, content_hash, parse_article, read_raw, scan
from tuibrowser.core.store import (
    DEFAULT_LOCK_TIMEOUT,
    MANIFEST_NAME,
    Marker,
    corpus_fingerprint,
    create_index,
    index_state,
    open_index,
    write_json_atomic,
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

    def summary(self) -> str:
        text = f"{self.added} added, {self.updated} updated, {self.removed} removed, {self.unchanged} unchanged"
        if self.skipped:
            text += f", {len(self.skipped)} skipped"
        return text

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass
class _Entry:
    size: int
    mtime_ns: int
    hash: str
    slug: str
    id: str


def _load_manifest(index_dir: Path) -> dict[str, _Entry]:
    try:
        raw = json.loads((index_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        return {path: _Entry(*values) for path, values in raw.items()}
    except (OSError, ValueError, TypeError):
        return {}


def _save_manifest(index_dir: Path, manifest: dict[str, _Entry]) -> None:
    data = {path: [e.size, e.mtime_ns, e.hash, e.slug, e.id] for path, e in sorted(manifest.items())}
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
    """
    report = SyncReport()
    with write_lock(index_dir, lock_timeout):
        state, reason = index_state(index_dir, corpus_dir)
        if state in ("missing", "broken"):
            report.rebuilt_because = reason
            ix = create_index(index_dir)
            manifest: dict[str, _Entry] = {}
        else:
            ix = open_index(index_dir)
            manifest = {} if rebuild else _load_manifest(index_dir)
        try:
            _sync_into(ix, corpus_dir, index_dir, manifest, report, progress, clear=rebuild and state != "missing")
        finally:
            ix.close()
    return report


def _sync_into(ix, corpus_dir, index_dir, manifest, report, progress, *, clear: bool) -> None:
    files = scan(corpus_dir)
    fresh: dict[str, Article] = {}
    entries: dict[str, _Entry] = {}
    total = len(files)
    for done, corpus_file in enumerate(files, start=1):
        old = manifest.get(corpus_file.path)
        if old and (old.size, old.mtime_ns) == (corpus_file.size, corpus_file.mtime_ns):
            entries[corpus_file.path] = old
        else:
            try:
                raw = read_raw(corpus_dir, corpus_file.path)
                digest = content_hash(raw)
                if old and old.hash == digest:
                    entries[corpus_file.path] = _Entry(corpus_file.size, corpus_file.mtime_ns, digest, old.slug, old.id)
                else:
                    article = parse_article(raw, corpus_file.path)
                    fresh[corpus_file.path] = article
                    entries[corpus_file.path] = _Entry(
                        corpus_file.size, corpus_file.mtime_ns, digest, base_slug(article.title, article.path), ""
                    )
            except ArticleError as error:
                report.skipped.append((corpus_file.path, str(error)))
        if progress and (done % 50 == 0 or done == total):
            progress("reading", done, total)

    ids = assign_ids((path, entry.slug) for path, entry in entries.items())
    # An unchanged article whose id moved (a new article now shares its title) is rewritten.
    for path, entry in list(entries.items()):
        if path not in fresh and entry.id != ids[path]:
            try:
                fresh[path] = parse_article(read_raw(corpus_dir, path), path)
            except ArticleError as error:  # the file changed under us since the scan
                report.skipped.append((path, str(error)))
                del entries[path]
    for path, entry in entries.items():
        entry.id = ids[path]

    gone = [path for path in manifest if path not in entries]
    report.removed = len(gone)
    for path in fresh:
        if path in manifest:
            report.updated += 1
        else:
            report.added += 1
    report.unchanged = len(entries) - len(fresh)

    if fresh or gone or clear or not manifest:
        writer = ix.writer(limitmb=256)
        try:
            for path in gone:
                writer.delete_by_term("path", path)
            for done, (path, article) in enumerate(fresh.items(), start=1):
                writer.delete_by_term("path", path)
                writer.add_document(**_document(article, ids[path]))
                if progress and (done % 20 == 0 or done == len(fresh)):
                    progress("indexing", done, len(fresh))
            if clear:
                # Rebuild: everything was re-derived; keep only the new segment.
                writer.commit(mergetype=writing.CLEAR)
            else:
                writer.commit()
        except BaseException:
            writer.cancel()
            raise
    _save_manifest(index_dir, entries)
    write_marker(index_dir, Marker(corpus=str(corpus_dir.resolve()), dirs=corpus_fingerprint(corpus_dir)))


def _document(article: Article, article_id: str) -> dict:
    """The Whoosh document for an article."""
    text = article.text
    document = {
        "path": article.path,
        "id": article_id,
        "slug": base_slug(article.title, article.path),
        "title": article.title,
        "body": text,
        "spell": f"{article.title}\n{text}",
        "text": text,
        "date_iso": article.date,
        "byline": article.byline,
        "url": article.url,
        "title_derived": article.title_derived,
        "hash": article.content_hash,
        "entities": "",
        "mentions": [],
    }
    if article.date:
        document["date"] = dt.datetime.fromisoformat(article.date)
    if article.source:
        document["source"] = article.source
        document["source_facet"] = article.source
    return document
