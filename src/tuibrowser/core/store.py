"""The index folder on disk: opening, validating, locking and (re)creating the Whoosh index.

An index folder is ours when it holds our marker file with the current format. Anything
else there (a half-built index, another program's files, an old format, corruption) is
reported and rebuilt. Only files named exactly as Whoosh and tuibrowser name their own are
ever deleted, so pointing `--index` at the wrong folder, or keeping notes in the index
folder, cannot destroy unrelated files. Whatever an interrupted or failed write left behind
(partial segments, temporary files) is removed by the next writer.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex
from whoosh.query import QueryError as WhooshQueryError
from whoosh.util import random_name
from whoosh.util.filelock import FileLock, try_for

from tuibrowser.core.bookkeeping import STATE_FILES, STATE_NAME, Bookkeeping, BookkeepingError
from tuibrowser.core.cleaning import CLEANER_VERSION
from tuibrowser.core.errors import IndexDamaged as IndexDamaged
from tuibrowser.core.errors import IndexLocked as IndexLocked
from tuibrowser.core.errors import IndexProblem as IndexProblem
from tuibrowser.core.errors import IndexUnwritable as IndexUnwritable
from tuibrowser.core.errors import QueryError
from tuibrowser.core.fileio import write_json_atomic
from tuibrowser.core.schema import SCHEMA_VERSION, build_schema
from tuibrowser.core.walk import walk

MARKER_NAME = "tuibrowser-index.json"
"""Small file: format versions and the corpus folders' fingerprint, read at start-up."""

LEGACY_FILES = ("tuibrowser-manifest.json", "tuibrowser-entity-cache.json", "tuibrowser-entities.json")
"""The JSON bookkeeping of indexes before the SQLite file (core.bookkeeping) took its place:
an index that has them is of an older format, rebuilt, and they are deleted."""

LOCK_NAME = "tuibrowser.lock"
INDEX_NAME = "MAIN"

OWN_FILES = frozenset({MARKER_NAME, *STATE_FILES, *LEGACY_FILES})
"""tuibrowser's own files in an index folder (the lock file stays: it may be held)."""

# Whoosh's own names: the table of contents, the files of a segment (a 16-character id),
# the TOC written before it is renamed, the sorting runs and compound-file buffers of
# its temporary folder.
_TOC = re.compile(rf"^_{INDEX_NAME}_(\d+)\.toc$")
_SEGMENT_FILE = re.compile(rf"^({INDEX_NAME}_[0-9a-z]{{16}})\.[A-Za-z0-9_.]+$")
_TOC_TEMP = re.compile(rf"^_{INDEX_NAME}_\d+\.toc\.[0-9.]+$")
_POOL_DIR, _POOL_FILE = f"{INDEX_NAME}.tmp", re.compile(r"^[0-9a-z]{28}\.(?:run|ctmp)$")
# fileio.write_bytes_atomic's temporary files for our own files.
_OWN_TEMP = re.compile(r"^\.tuibrowser-[a-z-]+\.json\.[0-9a-z_]{8}\.tmp$")

KB_NAME = "entities.toml"

DEFAULT_LOCK_TIMEOUT = 10.0
"""Seconds a second indexer waits for the first before giving up."""


@dataclass
class Marker:
    """What the marker file records about an index."""

    corpus: str
    dirs: dict[str, str] = field(default_factory=dict)
    """Corpus folder (relative path) -> its mtime and names when the last sync began: a
    cheap staleness check (see corpus_fingerprint)."""
    entities: str = ""
    """Version of the entity rules and knowledge base the index's links were made with."""
    files: dict[str, list[int]] = field(default_factory=dict)
    """Whoosh's files as the last sync left them: name -> [size, mtime_ns]. Whoosh never
    rewrites a file in place, so one that changed under the same name is damaged."""
    damaged: str = ""
    """Why reading the index failed, when it did: the next sync rebuilds it."""


def read_marker(index_dir: Path) -> Marker | None:
    """The marker, or None when it is missing, unreadable, damaged or of another format."""
    try:
        raw = json.loads((index_dir / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA_VERSION or raw.get("cleaner") != CLEANER_VERSION:
        return None
    corpus, dirs, entities = raw.get("corpus"), raw.get("dirs"), raw.get("entities", "")
    files, damaged = raw.get("files", {}), raw.get("damaged", "")
    if not (isinstance(corpus, str) and isinstance(dirs, dict) and isinstance(entities, str)):
        return None
    if not (isinstance(files, dict) and isinstance(damaged, str)):
        return None
    if not all(isinstance(stamp, str) for stamp in dirs.values()):
        return None
    if not all(isinstance(stamp, list) and all(isinstance(n, int) for n in stamp) for stamp in files.values()):
        return None
    return Marker(corpus=corpus, dirs=dirs, entities=entities, files=files, damaged=damaged)


def write_marker(index_dir: Path, marker: Marker) -> None:
    write_json_atomic(
        index_dir / MARKER_NAME,
        {
            "schema": SCHEMA_VERSION,
            "cleaner": CLEANER_VERSION,
            "corpus": marker.corpus,
            "dirs": marker.dirs,
            "entities": marker.entities,
            "files": marker.files,
            "damaged": marker.damaged,
        },
    )


def index_file_stamps(index_dir: Path) -> dict[str, list[int]]:
    """[size, mtime_ns] of each of Whoosh's files in the folder (for Marker.files)."""
    stamps: dict[str, list[int]] = {}
    for name in _storage(index_dir).list():
        try:
            info = (index_dir / name).stat()
        except OSError:
            continue
        stamps[name] = [info.st_size, info.st_mtime_ns]
    return stamps


def error_kind(error: BaseException) -> str:
    """A short name for the kind of an error ("EOFError", "zlib.error"), for messages."""
    kind = type(error)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def mark_damaged(index_dir: Path, reason: str) -> None:
    """Record that reading the index failed, so the next command rebuilds it (best effort:
    an index that cannot be written is reported as damaged again next time)."""
    marker = read_marker(index_dir)
    if marker is not None and not marker.damaged:
        with suppress(OSError):
            write_marker(index_dir, replace(marker, damaged=reason))


@contextmanager
def reading(index_dir: Path) -> Iterator[None]:
    """Around reads of the index: what Whoosh raises on a damaged file (EOFError,
    struct.error, zlib.error, KeyError, ...) becomes IndexDamaged, and the index is marked
    for a rebuild. tuibrowser's own exceptions (an unknown id, a bad query) pass through.
    """
    try:
        yield
    except WhooshQueryError:  # a query Whoosh cannot run on these fields: not damage
        raise QueryError("cannot run this query: a phrase or pattern on a field that does not allow it") from None
    except Exception as error:
        if type(error).__module__.startswith("tuibrowser."):
            raise
        reason = f"the index at {index_dir} is damaged ({error_kind(error)})"
        mark_damaged(index_dir, reason)
        raise IndexDamaged(reason) from error


def corpus_fingerprint(corpus_dir: Path) -> dict[str, str]:
    """Each corpus folder's mtime and the names in it, and the knowledge base's size and mtime.

    Adding, removing or renaming a file changes its folder's names, even when the folder's
    mtime does not move (two changes within the file system's timestamp granularity, one
    of them during a sync); replacing a file atomically changes the mtime. Reading a folder's
    names costs a directory read, not a look at each file, so the check stays cheap for an
    archive of any size. An edit that rewrites a file in place is not seen here; `tuibrowser
    index` picks it up (the full sync compares sizes, mtimes and hashes). Take it before
    reading the corpus, so whatever changes during a sync shows at the next check.
    """
    root = corpus_dir.resolve()
    prints: dict[str, str] = {}
    for dirpath, dirnames, filenames in walk(root, lambda error: None):  # what scan cannot list, it skips
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        names = sorted(name for name in (*dirnames, *filenames) if not name.startswith("."))
        listing = hashlib.sha1("\0".join(names).encode("utf-8", "surrogateescape")).hexdigest()[:16]
        try:
            prints[Path(dirpath).relative_to(root).as_posix()] = f"{os.stat(dirpath).st_mtime_ns}:{listing}"
        except OSError:
            continue
    # The knowledge base is edited in place by hand, which a folder's mtime does not show.
    try:
        kb = (root / KB_NAME).stat()
        prints[":entities.toml"] = f"{kb.st_mtime_ns}:{kb.st_size}"
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
        exists = index_exists(index_dir)
    except Exception as error:  # Whoosh opens the TOC and raises on a garbled one.
        return "broken", f"the index cannot be read ({error_kind(error)})"
    if not exists:
        if (index_dir / MARKER_NAME).exists():
            return "broken", "the index files are missing"
        return "missing", "no index yet"
    marker = read_marker(index_dir)
    if marker is None:
        return "broken", "the folder holds an index that tuibrowser did not build, of an older format, or damaged"
    if marker.damaged:
        return "broken", marker.damaged
    changed = _changed_in_place(marker.files, index_file_stamps(index_dir))
    if changed:
        return "broken", f"the index file {changed} was changed or damaged since it was written"
    try:
        ix = _storage(index_dir).open_index(INDEX_NAME)
        try:
            if set(ix.schema.names()) != set(build_schema().names()):
                return "broken", "the index has another schema"
            ix.reader().close()  # opens every segment: a truncated or garbled one fails here
        finally:
            ix.close()
    except Exception as error:  # Whoosh raises many kinds on a damaged index.
        return "broken", f"the index cannot be read ({error_kind(error)})"
    if not (index_dir / STATE_NAME).is_file():
        return "broken", "the index's bookkeeping file is missing"
    try:
        Bookkeeping.open(index_dir, readonly=True).close()
    except BookkeepingError as error:
        return "broken", str(error)
    if marker.corpus != str(corpus_dir.resolve()):
        return "stale", "the index was built from another corpus folder"
    if marker.dirs != corpus_fingerprint(corpus_dir):
        return "stale", "the corpus changed since the last index"
    return "ok", ""


def _changed_in_place(recorded: dict[str, list[int]], current: dict[str, list[int]]) -> str | None:
    """A file the last sync left that is missing or changed, if the index is still the one
    it left (same table of contents). A newer table of contents means another process
    committed since; that is an update, not damage. Every file with its size but a new
    time is a copy of the folder (`cp -r`), not damage: opening it checks the segments."""
    if not recorded or {n for n in recorded if _TOC.match(n)} != {n for n in current if _TOC.match(n)}:
        return None
    changed = [name for name, stamp in sorted(recorded.items()) if current.get(name) != stamp]
    copied = set(current) >= set(recorded) and all(current[n][0] == recorded[n][0] for n in recorded)
    if len(changed) == len(recorded) and copied:
        return None  # every file has its size and a new time: the folder was copied (cp -r)
    return changed[0] if changed else None


class _Storage(FileStorage):  # type: ignore[misc]  # Whoosh has no type information
    """Whoosh's FileStorage, whose `create` leaves no reference cycle behind.

    FileStorage.create keeps the error of a folder that already exists in a local
    (`e = sys.exc_info()[1]`, whoosh-reloaded 2.7.5, filedb/filestore.py; no upstream issue
    found): the error's traceback holds the frame that holds the error. Every segment
    writer meets it (its column files go to the one "MAIN.tmp" folder), and the frame links
    to its callers' frames, so everything a sync held (at 29,000 articles, 750,000 objects)
    stayed alive until the cyclic collector ran: with collection paused for a large batch,
    its last full pass took half a second at the end of each import.
    """

    def create(self) -> _Storage:
        folder = os.path.abspath(self.folder)
        os.makedirs(folder, exist_ok=True)
        if not os.path.isdir(folder):  # (exist_ok raises for a file of that name; a race)
            raise NotADirectoryError(errno.ENOTDIR, "not a directory", folder)
        return self

    def temp_storage(self, name: str | None = None) -> _Storage:
        # FileStorage.temp_storage, creating the folder as `create` above does.
        return _Storage(os.path.join(self.folder, name or f"{random_name()}.tmp")).create()


class _OwnFilesStorage(_Storage):
    """Whoosh's FileStorage, seeing only Whoosh's own files in the folder.

    At every commit Whoosh deletes the files that look like segments no longer in use, but
    its pattern, `(MAIN_[0-9a-z]+)[.][A-Za-z0-9_.]+`, is not anchored at the end and takes
    any length of id, so "MAIN_report.docx" beside an index is deleted as a stale segment
    (whoosh-reloaded 2.7.5, `whoosh.index.clean_files`; no upstream issue found). Listing
    only exact Whoosh names keeps its clean-up away from everything else.
    """

    def list(self) -> list[str]:
        return [name for name in super().list() if _TOC.match(name) or _SEGMENT_FILE.match(name)]


def _storage(index_dir: Path, *, writing: bool = False) -> _OwnFilesStorage:
    # Readers are not memory-mapped: whoosh-reloaded 2.7.5 wraps each sub-file of a
    # memory-mapped compound segment in BytesIO (`filedb/structfile.BufferFile`), which
    # copies it, so every reader opened on a 29,000-article index cost ~78 MB of private
    # memory and tens of milliseconds. Without mmap, Whoosh reads the segment through file
    # handles (`StructFile.subset`): opening costs a millisecond and nothing is copied. No
    # upstream issue found; Alfanous-team/alfanous#860 describes the same copy.
    # The writer keeps mmap: its commit looks up a document length per posting, and
    # through file handles that made a 3,000-article commit three times slower.
    return _OwnFilesStorage(str(index_dir), supports_mmap=writing)


def index_exists(index_dir: Path) -> bool:
    """True when the folder holds a Whoosh table of contents for our index name.

    Raises:
        Exception: whatever Whoosh raises on a garbled table of contents.
    """
    exists: bool = _storage(index_dir).index_exists(INDEX_NAME)
    return exists


def open_index(index_dir: Path, *, writing: bool = False) -> FileIndex:
    """Open an existing index for reading (or, with `writing`, to make a writer of).

    Raises:
        IndexProblem: when there is no readable index.
    """
    try:
        return _storage(index_dir, writing=writing).open_index(INDEX_NAME)
    except Exception as error:
        raise IndexProblem(f"cannot open the index at {index_dir}: {type(error).__name__}") from None


def create_index(index_dir: Path) -> FileIndex:
    """Create an empty index, deleting only Whoosh's and tuibrowser's own files in the folder."""
    index_dir.mkdir(parents=True, exist_ok=True)
    for entry in index_dir.iterdir():
        if entry.is_file() and _is_own(entry.name):
            entry.unlink(missing_ok=True)
    _remove_pool(index_dir)
    return _storage(index_dir, writing=True).create_index(build_schema(), INDEX_NAME)


def _is_own(name: str) -> bool:
    return bool(
        name in OWN_FILES
        or _TOC.match(name)
        or _SEGMENT_FILE.match(name)
        or _TOC_TEMP.match(name)
        or _OWN_TEMP.match(name)
    )


def remove_leftovers(index_dir: Path) -> None:
    """Delete what an interrupted or failed write left: Whoosh segment files that the current
    table of contents does not list, half-written tables of contents, Whoosh's sorting pool,
    and our own temporary files. Call it holding the write lock (no writer is then at work).

    With no readable table of contents the segments are left alone (a rebuild deletes them).
    """
    try:
        names = [entry.name for entry in index_dir.iterdir() if entry.is_file()]
    except OSError:
        return
    in_use = _segments_in_use(index_dir)
    for name in names:
        segment = _SEGMENT_FILE.match(name)
        stale_segment = segment is not None and in_use is not None and segment.group(1) not in in_use
        if stale_segment or _TOC_TEMP.match(name) or _OWN_TEMP.match(name):
            (index_dir / name).unlink(missing_ok=True)
    _remove_pool(index_dir)


def _segments_in_use(index_dir: Path) -> set[str] | None:
    """The ids of the segments the latest table of contents lists; None if it cannot be read."""
    try:
        toc = TOC.read(_storage(index_dir), INDEX_NAME)
        return {segment.segment_id() for segment in toc.segments}
    except Exception:  # no index, or a garbled TOC: Whoosh raises many kinds
        return None


def _remove_pool(index_dir: Path) -> None:
    """Whoosh's temporary sorting folder, if a killed writer left it (only its own files)."""
    pool = index_dir / _POOL_DIR
    if not pool.is_dir() or pool.is_symlink():
        return
    for entry in pool.iterdir():
        if _POOL_FILE.match(entry.name) and entry.is_file():
            entry.unlink(missing_ok=True)
    with suppress(OSError):
        pool.rmdir()  # only when empty


@contextmanager
def write_lock(index_dir: Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the indexer's lock, waiting at most `timeout` seconds for another indexer.

    The lock is an OS file lock (fcntl/msvcrt via Whoosh's helper), so a killed indexer
    releases it with its process and no stale lock file can block later runs.

    Raises:
        IndexLocked: when the lock is still held after `timeout` seconds.
        IndexUnwritable: when the lock file cannot be made (a read-only folder, a full disk).
    """
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(index_dir / LOCK_NAME))
        acquired = try_for(lock.acquire, timeout=timeout, delay=0.1)
    except OSError as error:  # a read-only folder, a full disk
        raise IndexUnwritable(f"cannot write the index at {index_dir}: {error.strerror or error}") from None
    if not acquired:
        raise IndexLocked(
            f"another tuibrowser process is updating the index at {index_dir}; gave up after {timeout:g} s"
        )
    try:
        yield
    finally:
        lock.release()
