"""The index folder on disk: opening, validating, locking and (re)creating the Whoosh index.

An index folder is ours when it holds our marker file with the current format. Anything
else there (a half-built index, another program's files, an old format, corruption) is
reported and rebuilt. Only Whoosh's own files and ours are ever deleted, so pointing
`--index` at the wrong folder cannot destroy unrelated files.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import FileIndex
from whoosh.util.filelock import FileLock, try_for

from tuibrowser.core.cleaning import CLEANER_VERSION
from tuibrowser.core.errors import IndexLocked as IndexLocked
from tuibrowser.core.errors import IndexProblem as IndexProblem
from tuibrowser.core.fileio import write_json_atomic
from tuibrowser.core.schema import SCHEMA_VERSION, build_schema

MARKER_NAME = "tuibrowser-index.json"
"""Small file: format versions and the corpus folders' fingerprint, read at start-up."""

MANIFEST_NAME = "tuibrowser-manifest.json"
"""Per-article bookkeeping for the indexer (size, mtime, hash, id), read only when indexing."""

LOCK_NAME = "tuibrowser.lock"
INDEX_NAME = "MAIN"
_WHOOSH_FILE = re.compile(rf"^_?{INDEX_NAME}_.*$|^{INDEX_NAME}_WRITELOCK$")

KB_NAME = "entities.toml"

DEFAULT_LOCK_TIMEOUT = 10.0
"""Seconds a second indexer waits for the first before giving up."""


@dataclass
class Marker:
    """What the marker file records about an index."""

    corpus: str
    dirs: dict[str, int] = field(default_factory=dict)
    """Corpus folder (relative path) -> mtime_ns at the last sync: a cheap staleness check."""
    entities: str = ""
    """Version of the entity rules and knowledge base the index's links were made with."""


def read_marker(index_dir: Path) -> Marker | None:
    """The marker, or None when it is missing, unreadable or of another format."""
    try:
        raw = json.loads((index_dir / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA_VERSION or raw.get("cleaner") != CLEANER_VERSION:
        return None
    dirs = raw.get("dirs")
    if not isinstance(raw.get("corpus"), str) or not isinstance(dirs, dict):
        return None
    return Marker(
        corpus=raw["corpus"], dirs={str(k): int(v) for k, v in dirs.items()}, entities=str(raw.get("entities", ""))
    )


def write_marker(index_dir: Path, marker: Marker) -> None:
    write_json_atomic(
        index_dir / MARKER_NAME,
        {
            "schema": SCHEMA_VERSION,
            "cleaner": CLEANER_VERSION,
            "corpus": marker.corpus,
            "dirs": marker.dirs,
            "entities": marker.entities,
        },
    )


def corpus_fingerprint(corpus_dir: Path) -> dict[str, int]:
    """mtime of every folder in the corpus: adding, removing or renaming a file changes it.

    This grows with the number of folders, not of articles, so checking it at start-up stays
    cheap for an archive of any size. An edit that rewrites a file in place is not seen here;
    `tuibrowser index` picks it up (the full sync compares sizes, mtimes and hashes).
    """
    root = corpus_dir.resolve()
    prints: dict[str, int] = {}
    for dirpath, dirnames, _ in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        try:
            prints[Path(dirpath).relative_to(root).as_posix()] = os.stat(dirpath).st_mtime_ns
        except OSError:
            continue
    # The knowledge base is edited in place by hand, which a folder's mtime does not show.
    try:
        kb = (root / KB_NAME).stat()
        prints[":entities.toml"] = kb.st_mtime_ns
        prints[":entities.toml:size"] = kb.st_size
    except OSError:
        pass
    return prints


def index_state(index_dir: Path, corpus_dir: Path) -> tuple[str, str]:
    """Classify an index folder without changing it.

    Returns:
        ("ok", ""), ("stale", reason), ("missing", reason) or ("broken", reason).
    """
    if not index_dir.is_dir():
        return "missing", "no index yet"
    try:
        exists = whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME)
    except Exception as error:  # exists_in opens the TOC and raises on a garbled one.
        return "broken", f"the index cannot be read ({type(error).__name__})"
    if not exists:
        if (index_dir / MARKER_NAME).exists():
            return "broken", "the index files are missing"
        return "missing", "no index yet"
    marker = read_marker(index_dir)
    if marker is None:
        return "broken", "the folder holds an index that tuibrowser did not build, or of an older format"
    try:
        ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
        try:
            if set(ix.schema.names()) != set(build_schema().names()):
                return "broken", "the index has another schema"
        finally:
            ix.close()
    except Exception as error:  # Whoosh raises many kinds on a damaged index.
        return "broken", f"the index cannot be read ({type(error).__name__})"
    if marker.corpus != str(corpus_dir.resolve()):
        return "stale", "the index was built from another corpus folder"
    if marker.dirs != corpus_fingerprint(corpus_dir):
        return "stale", "the corpus changed since the last index"
    return "ok", ""


def open_index(index_dir: Path) -> FileIndex:
    """Open an existing index for reading.

    Raises:
        IndexProblem: when there is no readable index.
    """
    try:
        return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    except Exception as error:
        raise IndexProblem(f"cannot open the index at {index_dir}: {type(error).__name__}") from None


def create_index(index_dir: Path) -> FileIndex:
    """Create an empty index, deleting only Whoosh's and tuibrowser's files in the folder."""
    index_dir.mkdir(parents=True, exist_ok=True)
    for entry in index_dir.iterdir():
        if entry.is_file() and (_WHOOSH_FILE.match(entry.name) or entry.name.startswith("tuibrowser-")):
            entry.unlink(missing_ok=True)
    return whoosh_index.create_in(str(index_dir), build_schema(), indexname=INDEX_NAME)


@contextmanager
def write_lock(index_dir: Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the indexer's lock, waiting at most `timeout` seconds for another indexer.

    The lock is an OS file lock (fcntl/msvcrt via Whoosh's helper), so a killed indexer
    releases it with its process and no stale lock file can block later runs.

    Raises:
        IndexLocked: when the lock is still held after `timeout` seconds.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index_dir / LOCK_NAME))
    if not try_for(lock.acquire, timeout=timeout, delay=0.1):
        raise IndexLocked(
            f"another tuibrowser process is updating the index at {index_dir}; gave up after {timeout:g} s"
        )
    try:
        yield
    finally:
        lock.release()
