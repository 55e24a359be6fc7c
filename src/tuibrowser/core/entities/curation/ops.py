"""What a reader can ask curation to do, what it answers, and how it refuses.

Plain frozen data and exceptions only (no TOML library), so the faces import these cheaply:
the CLI to catch the errors, the TUI to build an operation from a key press.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tuibrowser.core.errors import CurationError as CurationError  # its home; re-exported

if TYPE_CHECKING:
    from tuibrowser.core.indexer import SyncReport


# Operations. An entity is named by its id (curated or discovered), its name or any alias:
# the faces pass ids, scripts may pass names.


@dataclass(frozen=True, slots=True)
class Rename:
    """Give the entity a new name; the old one stays an alias unless `keep_old_name` is False,
    so the articles that write it stay linked."""

    entity: str
    name: str
    keep_old_name: bool = True


@dataclass(frozen=True, slots=True)
class Retype:
    """Change the entity's type (person, organization, place, event, group)."""

    entity: str
    type: str


@dataclass(frozen=True, slots=True)
class AddAlias:
    """Link one more spelling to the entity."""

    entity: str
    alias: str


@dataclass(frozen=True, slots=True)
class RemoveAlias:
    """Stop linking a spelling to the entity."""

    entity: str
    alias: str


@dataclass(frozen=True, slots=True)
class Merge:
    """`entity` and `into` are one: `into` gains the other's name and aliases as aliases, and
    the other's table is removed (a discovered one simply stops being found apart)."""

    entity: str
    into: str


@dataclass(frozen=True, slots=True)
class Split:
    """An alias of `entity` is something else: it becomes a new entity of its own, of `type`
    (the old entity's type when None)."""

    entity: str
    alias: str
    type: str | None = None


@dataclass(frozen=True, slots=True)
class Hide:
    """Never make an entity of this name again (a discovered entity's name, id or alias, or
    a plain name): discovery took a word for a name."""

    name: str


@dataclass(frozen=True, slots=True)
class Unhide:
    """Let discovery find a hidden name again."""

    name: str


@dataclass(frozen=True, slots=True)
class Promote:
    """Write a discovered entity into entities.toml, keeping its id, so it is curated from now on."""

    entity: str


CurationOp = Rename | Retype | AddAlias | RemoveAlias | Merge | Split | Hide | Unhide | Promote

OP_NAMES: dict[type, str] = {
    Rename: "rename",
    Retype: "type",
    AddAlias: "alias",
    RemoveAlias: "unalias",
    Merge: "merge",
    Split: "split",
    Hide: "hide",
    Unhide: "unhide",
    Promote: "promote",
}
"""Each operation's name: the CLI verb, and `op` in results and in the change log."""


# Errors. Each leaves entities.toml as it was; the message is one line, for a person.


class AliasConflict(CurationError):
    """The spelling already belongs to another entity (`owner_id`, `owner_name`)."""

    def __init__(self, message: str, owner_id: str, owner_name: str):
        super().__init__(message)
        self.owner_id = owner_id
        self.owner_name = owner_name


class UnknownEntity(CurationError):
    """No entity has that id, name or alias; `close` lists names that look like it."""

    def __init__(self, message: str, close: list[str]):
        super().__init__(message)
        self.close = close


class MalformedFile(CurationError):
    """entities.toml does not parse (edited by hand into a broken state): it is never
    overwritten; the message names the problem to fix."""


class EditedSince(CurationError):
    """Undo or redo would lose an edit made to entities.toml since that change."""


class NothingToUndo(CurationError):
    """The change log holds nothing to undo (or to redo)."""


# Results.


@dataclass(frozen=True, slots=True)
class CurationResult:
    """What one curation step did to entities.toml, and to the index."""

    op: str
    """The operation's name (`rename`, ... `promote`), or `undo` / `redo`."""
    summary: str
    """One line for people: what changed."""
    changed: bool
    """False when the file already said so (an alias it had, a name already hidden): nothing
    was written or logged."""
    entities: tuple[str, ...] = ()
    """Ids of every entity whose links may change: edited, added, removed, hidden or restored
    (curated and discovered). A face refreshes what shows them."""
    added: tuple[str, ...] = ()
    """Ids of new [[entity]] tables (promoted, or split off)."""
    removed: tuple[str, ...] = ()
    """Ids that no longer name an entity (merged away, hidden)."""
    moved: dict[str, str] = field(default_factory=dict)
    """Old id -> the id that now stands for it (a merge): for bookmarks and watches."""
    restored: dict[str, str] = field(default_factory=dict)
    """An undone merge: each id it had ended -> the id that stood for it meanwhile (the
    bookmarks and watches carried there go back: `carry.carry_back`)."""
    target: int | None = None
    """For an undo or a redo: the seq of the change it undid or redid."""
    spellings: tuple[str, ...] = ()
    """Names and aliases whose entity changed (added, removed, given to another): only
    articles containing one of them can link differently. With `hidden`, what an
    incremental relink needs."""
    hidden: tuple[str, ...] = ()
    """Names hidden or restored."""
    diff: str = ""
    """A unified diff of entities.toml."""
    seq: int | None = None
    """The step's number in the change log (None when nothing changed)."""
    report: SyncReport | None = None
    """The sync that applied it to the index; None when the index could not be synced now."""
    notice: str | None = None
    """Why the index was not synced (it will be at the next sync), else None."""


@dataclass(frozen=True, slots=True)
class LoggedChange:
    """One change in the log, as undo and redo name it."""

    seq: int
    time: str
    """Local ISO 8601 with its offset."""
    op: str
    summary: str
    entities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CurationHistory:
    """What undo and redo would do next, most recent first."""

    undo: tuple[LoggedChange, ...]
    redo: tuple[LoggedChange, ...]
