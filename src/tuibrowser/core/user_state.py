"""What a reader does that should survive a restart: history, read marks and bookmarks.

Stored as one JSON file in the user's data directory. A corrupt file is moved aside (never
silently overwritten) and the app starts with empty state and a message saying where the
old file went.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from tuibrowser.core.fileio import write_json_atomic
from tuibrowser.core.paths import APP_NAME

HISTORY_LIMIT = 200
"""Oldest history entries beyond this are dropped."""


@dataclass(frozen=True, slots=True)
class Visit:
    """A place in the app: a search, an article (at a position) or an entity view."""

    kind: str
    """"search", "article" or "entity"."""
    target: str
    """The query, the article id or the entity id."""
    anchor: int = 0
    """For an article: the character offset to show (a mention or a match)."""

    def to_json(self) -> list:
        return [self.kind, self.target, self.anchor]

    @classmethod
    def from_json(cls, raw: object) -> Visit | None:
        if (
            isinstance(raw, list)
            and len(raw) == 3
            and raw[0] in ("search", "article", "entity")
            and isinstance(raw[1], str)
            and isinstance(raw[2], int)
        ):
            return cls(raw[0], raw[1], raw[2])
        return None


@dataclass
class History:
    """Browser-style back and forward: a new visit after going back drops the forward entries."""

    entries: list[Visit] = field(default_factory=list)
    position: int = -1

    @property
    def current(self) -> Visit | None:
        return self.entries[self.position] if 0 <= self.position < len(self.entries) else None

    def visit(self, visit: Visit) -> None:
        """Record a new place; revisiting the current place (e.g. a refined query) replaces it."""
        if self.current is not None and (self.current.kind, self.current.target) == (visit.kind, visit.target):
            self.entries[self.position] = visit
            return
        if self.current is not None and self.current.kind == "search" and visit.kind == "search":
            self.entries[self.position] = visit  # typing refines one search, it does not add one per key
            return
        del self.entries[self.position + 1 :]
        self.entries.append(visit)
        if len(self.entries) > HISTORY_LIMIT:
            del self.entries[: len(self.entries) - HISTORY_LIMIT]
        self.position = len(self.entries) - 1

    def update_anchor(self, anchor: int) -> None:
        """Remember where in the current article the reader is."""
        current = self.current
        if current is not None and current.kind == "article":
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

    def recent_searches(self, limit: int = 20) -> list[str]:
        seen: dict[str, None] = {}
        for visit in reversed(self.entries):
            if visit.kind == "search" and visit.target.strip():
                seen.setdefault(visit.target, None)
        return list(seen)[:limit]


@dataclass
class UserState:
    """Read marks, bookmarks and history, and where they are saved."""

    path: Path
    read: set[str] = field(default_factory=set)
    bookmarks: list[Visit] = field(default_factory=list)
    history: History = field(default_factory=History)
    problems: list[str] = field(default_factory=list)

    def toggle_bookmark(self, visit: Visit) -> bool:
        """Add or remove a bookmark (an article or an entity); True when it is now bookmarked."""
        key = (visit.kind, visit.target)
        kept = [b for b in self.bookmarks if (b.kind, b.target) != key]
        added = len(kept) == len(self.bookmarks)
        self.bookmarks = [*kept, Visit(visit.kind, visit.target)] if added else kept
        return added

    def is_bookmarked(self, kind: str, target: str) -> bool:
        return any((b.kind, b.target) == (kind, target) for b in self.bookmarks)

    def save(self) -> None:
        """Write the state atomically; failures become problems, never exceptions."""
        data = {
            "version": 1,
            "read": sorted(self.read),
            "bookmarks": [b.to_json() for b in self.bookmarks],
            "history": [v.to_json() for v in self.history.entries],
            "position": self.history.position,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_json_atomic(self.path, data)
        except OSError as error:
            self.problems.append(f"cannot save {self.path}: {error.strerror or error}")


def state_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "state.json"


def load_state(path: Path | None = None) -> UserState:
    """Load the saved state; a corrupt file is moved aside with a message."""
    path = path or state_path()
    state = UserState(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return state
    except (OSError, UnicodeDecodeError) as error:
        state.problems.append(f"cannot read {path}: {error}")
        return state
    if not text.strip():
        return state
    try:
        raw = json.loads(text)
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
        state.read = {item for item in raw.get("read", []) if isinstance(item, str)}
        state.bookmarks = [v for v in map(Visit.from_json, raw.get("bookmarks", [])) if v]
        entries = [v for v in map(Visit.from_json, raw.get("history", [])) if v]
        position = raw.get("position", len(entries) - 1)
        position = position if isinstance(position, int) and -1 <= position < len(entries) else len(entries) - 1
        state.history = History(entries, position)
    except (ValueError, TypeError, AttributeError) as error:
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            path.rename(aside)
            state.problems.append(f"{path} was unreadable ({error}); kept it as {aside.name} and started afresh")
        except OSError:
            state.problems.append(f"{path} is unreadable ({error}); not saving over it")
            state.path = path.with_name(f"{path.name}.new")
    return state
