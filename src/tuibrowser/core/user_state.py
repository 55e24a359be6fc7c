"""What a reader does that should survive a restart: history, read marks and bookmarks.

Stored as one JSON file in the user's data directory, shared by every running instance.
Each instance records what it changed (marks read, bookmarks added or removed) and, when it
saves, applies those changes to what is on disk at that moment, under a file lock: two
open browsers never lose each other's bookmarks. History is a per-session trail, so the
instance that saves last leaves its own.

The file is untrusted input: an unreadable, malformed, oversized or absurdly nested file is
moved aside (never silently overwritten) and the app starts with empty state and a message
saying where the old file went. Values are type-checked and bounded before use; the TUI
still passes every string from here through its sanitiser before showing it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

from tuibrowser.core.fileio import file_lock, write_json_atomic
from tuibrowser.core.paths import APP_NAME

HISTORY_LIMIT = 200
"""Oldest history entries beyond this are dropped."""

MAX_STATE_BYTES = 16 * 1024 * 1024
"""A state file larger than this is not ours (or is damaged): it is set aside, not parsed."""

MAX_TARGET_CHARS = 2000
"""Longer ids or queries in the file are dropped: nothing the app writes is that long."""

LOCK_WAIT = 2.0
"""Seconds a save waits for another instance's save before trying again later."""

KINDS = ("search", "article", "entity")


@dataclass(frozen=True, slots=True)
class Visit:
    """A place in the app: a search, an article or an entity view, and where in it."""

    kind: str
    """"search", "article" or "entity"."""
    target: str
    """The query, the article id or the entity id."""
    anchor: int = 0
    """Where in it: for an article a character offset (the line shown at the top when
    going back, the mention shown when jumping); for a search or an entity view the
    highlighted row."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.target)

    def to_json(self) -> list[object]:
        return [self.kind, self.target, self.anchor]

    @classmethod
    def from_json(cls, raw: object) -> Visit | None:
        if (
            isinstance(raw, list)
            and len(raw) == 3
            and raw[0] in KINDS
            and isinstance(raw[1], str)
            and 0 < len(raw[1]) <= MAX_TARGET_CHARS
            and isinstance(raw[2], int)
            and not isinstance(raw[2], bool)
            and 0 <= raw[2] < 1 << 40
        ):
            return cls(raw[0], raw[1], raw[2])
        return None


@dataclass(frozen=True, slots=True)
class Watch:
    """Something the reader follows: an entity, or a saved search."""

    kind: str
    """"entity" or "search"."""
    target: str
    """The entity id, or the query."""
    label: str
    """What to call it: the entity's name, or the query."""
    seen: int
    """Articles that came into the corpus after this moment (Unix milliseconds) are new."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.target)

    def to_json(self) -> list[object]:
        return [self.kind, self.target, self.label, self.seen]

    @classmethod
    def from_json(cls, raw: object) -> Watch | None:
        if (
            isinstance(raw, list)
            and len(raw) == 4
            and raw[0] in ("entity", "search")
            and all(isinstance(x, str) and 0 < len(x) <= MAX_TARGET_CHARS for x in raw[1:3])
            and isinstance(raw[3], int)
            and not isinstance(raw[3], bool)
            and 0 <= raw[3] < 1 << 50
        ):
            return cls(raw[0], raw[1], raw[2], raw[3])
        return None


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass
class History:
    """Browser-style back and forward: a new visit after going back drops the forward entries."""

    entries: list[Visit] = field(default_factory=list)
    position: int = -1

    @property
    def current(self) -> Visit | None:
        return self.entries[self.position] if 0 <= self.position < len(self.entries) else None

    def visit(self, visit: Visit) -> None:
        """Record a new place; the place we are already at is updated, not repeated."""
        if self.current is not None and self.current.key == visit.key:
            self.entries[self.position] = visit
            return
        del self.entries[self.position + 1 :]
        self.entries.append(visit)
        if len(self.entries) > HISTORY_LIMIT:
            del self.entries[: len(self.entries) - HISTORY_LIMIT]
        self.position = len(self.entries) - 1

    def update_anchor(self, anchor: int) -> None:
        """Remember where in the current place the reader is, so coming back returns there."""
        current = self.current
        if current is not None and current.anchor != anchor:
            self.entries[self.position] = Visit(current.kind, current.target, anchor)

    def back(self) -> Visit | None:
        if self.position > 0:
            self.position -= 1
            return self.current
        return None

    def forward(self) -> Visit | None:
        if self.position + 1 < len(self.entries):
            self.position += 1
            return self.current
        return None

    def recent(self, limit: int = 50) -> list[Visit]:
        """Distinct places, most recent first (what the history view lists)."""
        seen: dict[tuple[str, str], Visit] = {}
        for visit in reversed(self.entries):
            seen.setdefault(visit.key, visit)
        return list(seen.values())[:limit]

    def recent_searches(self, limit: int = 20) -> list[str]:
        return [v.target for v in self.recent(HISTORY_LIMIT) if v.kind == "search" and v.target.strip()][:limit]

    def copy(self) -> History:
        return History(list(self.entries), self.position)


@dataclass
class UserState:
    """Read marks, bookmarks and history: the data, with no notion of where it is kept."""

    read: set[str] = field(default_factory=set)
    bookmarks: list[Visit] = field(default_factory=list)
    history: History = field(default_factory=History)
    watches: list[Watch] = field(default_factory=list)

    def is_bookmarked(self, kind: str, target: str) -> bool:
        return any(b.key == (kind, target) for b in self.bookmarks)


@dataclass
class _Pending:
    """What this instance changed since its last save: replayed onto the file's contents."""

    read: set[str] = field(default_factory=set)
    bookmarks: list[tuple[bool, Visit]] = field(default_factory=list)
    """(added, bookmark) in the order they happened."""
    history: bool = False
    watches: list[tuple[str, Watch]] = field(default_factory=list)
    """("follow" | "unfollow" | "seen", watch) in the order they happened."""

    def __bool__(self) -> bool:
        return bool(self.read or self.bookmarks or self.history or self.watches)

    def absorb(self, later: _Pending) -> None:
        """Put changes made after this batch behind it (a failed save keeps both)."""
        self.read |= later.read
        self.bookmarks += later.bookmarks
        self.history = self.history or later.history
        self.watches += later.watches


def _apply_bookmarks(bookmarks: list[Visit], changes: list[tuple[bool, Visit]]) -> list[Visit]:
    result = list(bookmarks)
    for added, bookmark in changes:
        result = [b for b in result if b.key != bookmark.key]
        if added:
            result.append(bookmark)
    return result


def _apply_watches(watches: list[Watch], changes: list[tuple[str, Watch]]) -> list[Watch]:
    """Replay follow/unfollow/seen onto a list of watches; "seen" only ever moves forward, so
    two instances marking the same watch seen agree on the later moment."""
    result = list(watches)
    for change, watch in changes:
        present = next((w for w in result if w.key == watch.key), None)
        if change == "follow" and present is None:
            result.append(watch)
        elif change == "unfollow":
            result = [w for w in result if w.key != watch.key]
        elif change == "seen" and present is not None and watch.seen > present.seen:
            result = [replace(w, seen=watch.seen) if w.key == watch.key else w for w in result]
    return result


class StateCorrupt(ValueError):
    """The state file cannot be used; the message says why."""


class StateStore:
    """The user's state and the file it lives in, safe to save from a worker thread.

    The UI thread changes the state through the methods below; `save` (from any thread)
    merges those changes into the file under an OS file lock and takes in what other
    instances saved. Nothing here raises for a bad file or a failed write: problems are
    collected in `problems` for the face to show.
    """

    def __init__(self, path: Path):
        self.path = path
        self.state = UserState()
        self.problems: list[str] = []
        self._pending = _Pending()
        self._mutex = threading.Lock()
        self._disk_stamp: tuple[int, int] | None = None

    @classmethod
    def open(cls, path: Path | None = None) -> StateStore:
        """Load the state file at `path` (see state_path); a corrupt file is moved aside."""
        store = cls(path or state_path())
        try:
            store.state = store._read_disk()
        except OSError as error:
            store.problems.append(f"cannot read {store.path}: {error.strerror or error}")
        store._disk_stamp = store._stamp()
        return store

    # Changes, from the UI thread.

    @property
    def read(self) -> set[str]:
        return self.state.read

    @property
    def bookmarks(self) -> list[Visit]:
        return self.state.bookmarks

    @property
    def history(self) -> History:
        return self.state.history

    def is_bookmarked(self, kind: str, target: str) -> bool:
        return self.state.is_bookmarked(kind, target)

    def mark_read(self, article_id: str) -> bool:
        """True when the article was not read before."""
        with self._mutex:
            if article_id in self.state.read:
                return False
            self.state.read.add(article_id)
            self._pending.read.add(article_id)
            return True

    def toggle_bookmark(self, visit: Visit) -> bool:
        """Add or remove a bookmark (an article or an entity); True when it is now bookmarked."""
        with self._mutex:
            added = not self.state.is_bookmarked(visit.kind, visit.target)
            bookmark = Visit(visit.kind, visit.target)
            self.state.bookmarks = _apply_bookmarks(self.state.bookmarks, [(added, bookmark)])
            self._pending.bookmarks.append((added, bookmark))
            return added

    def remove_bookmark(self, kind: str, target: str) -> None:
        with self._mutex:
            bookmark = Visit(kind, target)
            self.state.bookmarks = _apply_bookmarks(self.state.bookmarks, [(False, bookmark)])
            self._pending.bookmarks.append((False, bookmark))

    @property
    def watches(self) -> list[Watch]:
        return self.state.watches

    def watch(self, kind: str, target: str) -> Watch | None:
        return next((w for w in self.state.watches if w.key == (kind, target)), None)

    def follow(self, kind: str, target: str, label: str) -> bool:
        """Follow an entity or a search from now on (nothing already there counts as new);
        False when it was followed already."""
        return self._watch_change("follow", Watch(kind, target, label, now_ms()))

    def unfollow(self, kind: str, target: str) -> bool:
        """False when it was not followed."""
        return self._watch_change("unfollow", Watch(kind, target, target, 0))

    def mark_seen(self, kind: str, target: str, when: int | None = None) -> None:
        """What came into the corpus up to `when` (now by default) is no longer new."""
        self._watch_change("seen", Watch(kind, target, target, now_ms() if when is None else when))

    def _watch_change(self, change: str, watch: Watch) -> bool:
        with self._mutex:
            before = list(self.state.watches)
            self.state.watches = _apply_watches(before, [(change, watch)])
            self._pending.watches.append((change, watch))
            return self.state.watches != before

    def history_changed(self) -> None:
        """Call after changing `history`, so the next save writes it."""
        with self._mutex:
            self._pending.history = True

    @property
    def dirty(self) -> bool:
        with self._mutex:
            return bool(self._pending)

    # Saving and merging, from any thread.

    def save(self) -> bool:
        """Merge this instance's changes into the file; True when the file was written.

        Safe to call from a worker thread while the UI keeps changing the state.
        """
        return self._merge(write=True)

    def refresh(self) -> bool:
        """Take in what other instances saved, if the file changed; True if anything did."""
        if self._stamp() == self._disk_stamp:
            return False
        return self._merge(write=False)

    def _merge(self, *, write: bool) -> bool:
        """Apply this instance's pending changes to the file's contents; write them if asked.

        A write takes the pending changes with it (they are put back if it fails); a refresh
        leaves them pending, so they still reach the file at the next save.
        """
        with self._mutex:
            if write:
                pending, self._pending = self._pending, _Pending()
            else:
                pending = _Pending()
            history = self.state.history.copy()
        if write and not pending:
            return False
        try:
            with _file_lock(self.path.with_name(self.path.name + ".lock"), LOCK_WAIT):
                try:
                    disk = self._read_disk()
                except OSError:
                    disk = UserState()
                merged = UserState(
                    disk.read | pending.read,
                    _apply_bookmarks(disk.bookmarks, pending.bookmarks),
                    history if pending.history or not disk.history.entries else disk.history,
                    _apply_watches(disk.watches, pending.watches),
                )
                if write:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    write_json_atomic(self.path, _to_json(merged))
                stamp = self._stamp()
        except (OSError, TimeoutError) as error:
            if write:
                with self._mutex:
                    pending.absorb(self._pending)
                    self._pending = pending
                reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
                self.problems.append(f"cannot save {self.path}: {reason}")
            return False
        with self._mutex:
            # Changes not yet in the file (made during the write, or not written) stay on top.
            self.state.read = merged.read | self._pending.read
            self.state.bookmarks = _apply_bookmarks(merged.bookmarks, self._pending.bookmarks)
            self.state.watches = _apply_watches(merged.watches, self._pending.watches)
            self._disk_stamp = stamp
        return True

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def _read_disk(self) -> UserState:
        """The state in the file; a file that cannot be used is moved aside first.

        Raises:
            OSError: the file exists but cannot be read (permissions).
        """
        try:
            with self.path.open("rb") as handle:
                raw = handle.read(MAX_STATE_BYTES + 1)
        except FileNotFoundError:
            return UserState()
        try:
            return _parse(raw)
        except StateCorrupt as error:
            self._set_aside(str(error))
            return UserState()

    def _set_aside(self, why: str) -> None:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            os.replace(self.path, aside)
            self.problems.append(f"{self.path} was unreadable ({why}); kept it as {aside.name} and started afresh")
        except OSError:
            # Cannot move it: never write over it either; save beside it instead.
            self.problems.append(f"{self.path} is unreadable ({why}) and cannot be moved; saving to a new file")
            self.path = self.path.with_name(f"{self.path.name}.new")


def _parse(raw: bytes) -> UserState:
    """Parse and validate a state file's bytes.

    Raises:
        StateCorrupt: for anything that is not a state file tuibrowser could have written.
    """
    if len(raw) > MAX_STATE_BYTES:
        raise StateCorrupt(f"larger than {MAX_STATE_BYTES // (1024 * 1024)} MiB")
    if not raw.strip():
        return UserState()
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise StateCorrupt("not UTF-8 text") from None
    except RecursionError:
        raise StateCorrupt("nested too deeply") from None
    except ValueError as error:
        raise StateCorrupt(f"not JSON: {error}") from None
    if not isinstance(data, dict):
        raise StateCorrupt("not a JSON object")
    read, bookmarks, history = data.get("read", []), data.get("bookmarks", []), data.get("history", [])
    if not all(isinstance(x, list) for x in (read, bookmarks, history)):
        raise StateCorrupt("read, bookmarks and history must be lists")
    entries = [v for v in map(Visit.from_json, history) if v][-HISTORY_LIMIT:]
    position = data.get("position", len(entries) - 1)
    if not isinstance(position, int) or isinstance(position, bool) or not -1 <= position < len(entries):
        position = len(entries) - 1
    watches = data.get("watches", [])
    return UserState(
        read={item for item in read if isinstance(item, str) and 0 < len(item) <= MAX_TARGET_CHARS},
        bookmarks=[v for v in map(Visit.from_json, bookmarks) if v and v.kind != "search"],
        history=History(entries, position),
        watches=[w for w in map(Watch.from_json, watches if isinstance(watches, list) else []) if w],
    )


def _to_json(state: UserState) -> dict[str, object]:
    return {
        "version": 1,
        "read": sorted(state.read),
        "bookmarks": [b.to_json() for b in state.bookmarks],
        "history": [v.to_json() for v in state.history.entries],
        "position": state.history.position,
        "watches": [w.to_json() for w in state.watches],
    }


@contextlib.contextmanager
def _file_lock(path: Path, wait: float) -> Iterator[None]:
    """The state file's lock (core.fileio.file_lock), its folder made first.

    Raises:
        TimeoutError: another instance held it for `wait` seconds.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(file_lock(path, wait))
        except TimeoutError:
            raise TimeoutError("another tuibrowser is saving; will try again") from None
        yield


def state_path(corpus_dir: Path | None = None) -> Path:
    """Where the state of the browser over `corpus_dir` is kept.

    Read marks, bookmarks and history name articles and entities of one corpus, so each
    corpus has its own file: `state.json` for the user's own corpus (in the data folder),
    `states/<folder name>-<hash of its path>.json` for any other (a checkout's ./corpus,
    --corpus DIR).
    """
    data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if corpus_dir is None or _same_path(corpus_dir, data / "corpus"):
        return data / "state.json"
    resolved = corpus_dir.resolve()
    digest = hashlib.sha1(str(resolved).encode()).hexdigest()[:10]
    name = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in resolved.name)[:40] or "corpus"
    return data / "states" / f"{name}-{digest}.json"


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
