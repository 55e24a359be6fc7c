"""Apply a curation step to entities.toml: read, refuse a broken file, edit, check, write, log; undo and redo.

Every step runs under one lock beside the file (`.entities.toml.lock`), so a browser and a
script editing at once take turns and neither loses the other's change. Each step reads
the file as it is now (it may have been edited by hand since the last step) and refuses,
writing nothing, when it does not parse. The new text is parsed again, as the indexer
will read it, and must hold exactly what the plan says; only then is it written
(atomically, with the file's permissions) and logged. Relinking the index is the caller's
next step (`Services.curate` syncs).
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tuibrowser.core.entities.curation import changelog
from tuibrowser.core.entities.curation.ops import (
    OP_NAMES,
    CurationError,
    CurationHistory,
    CurationOp,
    CurationResult,
    EditedSince,
    LoggedChange,
    MalformedFile,
    NothingToUndo,
)
from tuibrowser.core.entities.curation.plan import Plan, plan
from tuibrowser.core.entities.kb import KB_FILE_NAME, Entity, KnowledgeBase, KnowledgeBaseError, name_key, parse_kb
from tuibrowser.core.fileio import file_lock, write_bytes_atomic

MAX_FILE_BYTES = 20 * 1024 * 1024
"""An entities.toml larger than this is not edited (the limit articles have)."""
LOCK_NAME = ".entities.toml.lock"
LOCK_WAIT = 10.0
"""Seconds to wait for another process's curation step."""


@dataclass(frozen=True)
class _Current:
    """entities.toml as it is now: its text (None when there is none), its knowledge base, its mode."""

    text: str | None
    kb: KnowledgeBase
    mode: int


def apply_operation(corpus_dir: Path, discovered: list[Entity], op: CurationOp) -> CurationResult:
    """Make the change `op` asks for in `corpus_dir`'s entities.toml and log it.

    Args:
        discovered: the discovered entities of the last sync (from the registry), which
            operations may name and promote.

    Raises:
        CurationError: refused (unknown entity, alias conflict, invalid type, a malformed
            file, ...); nothing was written.
        OSError: the file or the log could not be written; the file is as it was.
    """
    from tuibrowser.core.entities.curation.tomledit import render

    with _lock(corpus_dir):
        current = _read(corpus_dir)
        planned = plan(current.kb, discovered, op)
        try:
            text = render(current.text or "", current.kb, planned.entities, planned.hidden)
        except CurationError:
            raise
        except Exception as error:  # tomlkit on a layout it does not expect
            raise CurationError(
                f"could not edit entities.toml safely ({type(error).__name__}); nothing was changed"
            ) from None
        name = OP_NAMES[type(op)]
        if text == (current.text or ""):
            return CurationResult(name, planned.summary, changed=False)
        new_kb = _checked(corpus_dir, text, planned)
        spellings, hidden, entities = _differences(current.kb, new_kb)
        affected = tuple(dict.fromkeys([*planned.affected, *entities]))
        entry = _write_and_log(
            corpus_dir,
            current.text,
            text,
            current.mode,
            changelog.Entry(
                0,
                changelog.now(),
                "change",
                name,
                planned.summary,
                current.text,
                text,
                entities=affected,
                spellings=spellings,
                hidden=hidden,
                moved=planned.moved,
            ),
        )
    return CurationResult(
        name,
        planned.summary,
        changed=True,
        entities=affected,
        added=tuple(planned.added),
        removed=tuple(planned.removed),
        moved=dict(planned.moved),
        spellings=spellings,
        hidden=hidden,
        diff=_diff(current.text, text),
        seq=entry.seq,
    )


def undo(corpus_dir: Path) -> CurationResult:
    """Revert the last change not yet undone, if entities.toml still reads as that change left it.

    Raises:
        NothingToUndo: the log holds no change to undo.
        EditedSince: the file was changed since (by hand, or by a step the log lost):
            undoing would lose that edit, so nothing is written.
    """
    return _step(corpus_dir, "undo")


def redo(corpus_dir: Path) -> CurationResult:
    """Reapply the last change undone, if entities.toml still reads as the undo left it.

    Raises:
        NothingToUndo: nothing was undone since the last change.
        EditedSince: as `undo`.
    """
    return _step(corpus_dir, "redo")


def _moved_by(kind: str, change: changelog.Entry, before: KnowledgeBase, after: KnowledgeBase) -> dict[str, str]:
    """Ids an undo or redo ends, and where they went: redone, a merge moves them again;
    undone, a merged id is back (nothing moves), and an entity split off goes back."""
    if kind == "redo":
        return dict(change.moved)
    return _folded_back(before, after) if change.op == "split" else {}


def _folded_back(split: KnowledgeBase, unsplit: KnowledgeBase) -> dict[str, str]:
    """Undoing a split: each entity it made -> the one whose alias its name is again, so
    bookmarks, watches and the browser's selection follow it back."""
    moved = {}
    for entity in split.entities:
        if entity.id not in unsplit.by_id:
            owners = [other.id for other in unsplit.entities if entity.name in other.names()]
            if len(owners) == 1:
                moved[entity.id] = owners[0]
    return moved


def _step(corpus_dir: Path, kind: str) -> CurationResult:
    with _lock(corpus_dir):
        done, undone = changelog.stacks(changelog.read_log(corpus_dir))
        pending = done if kind == "undo" else undone
        if not pending:
            raise NothingToUndo(f"nothing to {kind}")
        change = pending[-1]
        expected, restored = (change.after, change.before) if kind == "undo" else (change.before, change.after)
        current = _read_text(corpus_dir)
        if current != expected:
            raise EditedSince(
                f"entities.toml was edited since {change.summary!r}; {kind} would lose that edit, "
                "so nothing was changed"
            )
        old_kb = _parsed(corpus_dir, expected)
        new_kb = _parsed(corpus_dir, restored)
        spellings, hidden, entities = _differences(old_kb, new_kb)
        affected = tuple(dict.fromkeys([*change.entities, *entities]))
        summary = f"{'undid' if kind == 'undo' else 'redid'}: {change.summary}"
        moved = _moved_by(kind, change, old_kb, new_kb)
        entry = _write_and_log(
            corpus_dir,
            expected,
            restored,
            _mode(corpus_dir),
            changelog.Entry(
                0,
                changelog.now(),
                kind,
                change.op,
                summary,
                expected,
                restored,
                target=change.seq,
                entities=affected,
                spellings=spellings,
                hidden=hidden,
                moved=moved,
            ),
        )
    return CurationResult(
        kind,
        summary,
        changed=True,
        entities=affected,
        added=tuple(e.id for e in new_kb.entities if e.id not in old_kb.by_id),
        removed=tuple(e.id for e in old_kb.entities if e.id not in new_kb.by_id),
        moved=moved,
        restored=dict(change.moved) if kind == "undo" else {},
        target=change.seq,
        spellings=spellings,
        hidden=hidden,
        diff=_diff(expected, restored),
        seq=entry.seq,
    )


def history(corpus_dir: Path) -> CurationHistory:
    """What undo and redo would do next (most recent first), from the change log."""
    done, undone = changelog.stacks(changelog.read_log(corpus_dir))

    def logged(entries: list[changelog.Entry]) -> tuple[LoggedChange, ...]:
        return tuple(LoggedChange(e.seq, e.time, e.op, e.summary, e.entities) for e in reversed(entries))

    return CurationHistory(logged(done), logged(undone))


def hidden_names(corpus_dir: Path) -> list[str]:
    """The names entities.toml hides from discovery, as written there.

    Raises:
        MalformedFile: the file does not parse.
    """
    return list(_read(corpus_dir).kb.hidden)


# Reading, checking and writing the file.


def _read_text(corpus_dir: Path) -> str | None:
    """The file's text; None when there is none.

    Raises:
        MalformedFile: it cannot be read, is too large, or is not UTF-8.
    """
    path = corpus_dir / KB_FILE_NAME
    try:
        with path.open("rb") as kb:
            raw = kb.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise MalformedFile(f"{path}: cannot read ({error.strerror or error})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise MalformedFile(f"{path}: over {MAX_FILE_BYTES // (1024 * 1024)} MiB; it was not changed")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedFile(f"{path}: not UTF-8 ({error.reason} at byte {error.start}); it was not changed") from None


def _parsed(corpus_dir: Path, text: str | None) -> KnowledgeBase:
    """The knowledge base `text` holds, read as the indexer reads it.

    Raises:
        MalformedFile: it does not parse (bad TOML, an unknown type, an alias of two entities...).
    """
    if text is None:
        return KnowledgeBase()
    try:
        return parse_kb(text.encode("utf-8"), corpus_dir / KB_FILE_NAME)
    except KnowledgeBaseError as error:
        raise MalformedFile(f"{error}; fix it first: nothing was changed") from None


def _read(corpus_dir: Path) -> _Current:
    text = _read_text(corpus_dir)
    kb = _parsed(corpus_dir, text)
    if text is not None:
        import tomlkit
        from tomlkit.exceptions import TOMLKitError

        try:  # tomllib read it; the editor must be able to as well
            tomlkit.parse(text)
        except (TOMLKitError, ValueError) as error:
            raise MalformedFile(f"{corpus_dir / KB_FILE_NAME}: {error}; fix it first: nothing was changed") from None
    return _Current(text, kb, _mode(corpus_dir))


def _mode(corpus_dir: Path) -> int:
    """The file's permission bits, kept by every rewrite (a new file gets 0644)."""
    try:
        return (corpus_dir / KB_FILE_NAME).stat().st_mode & 0o777
    except OSError:
        return 0o644


def _checked(corpus_dir: Path, text: str, planned: Plan) -> KnowledgeBase:
    """The new text's knowledge base, which must be exactly the plan's.

    Raises:
        CurationError: it is not (an edit this editor got wrong is never written).
    """
    try:
        kb = _parsed(corpus_dir, text)
    except MalformedFile as error:
        raise CurationError(f"could not edit entities.toml safely ({error}); nothing was changed") from None
    if list(kb.entities) != planned.entities or list(kb.hidden) != planned.hidden:
        raise CurationError("could not edit entities.toml safely (its layout is unusual); nothing was changed")
    return kb


def _write(corpus_dir: Path, text: str | None, mode: int) -> None:
    """Write `text` as entities.toml, atomically with `mode`; None removes the file."""
    if text is None:
        (corpus_dir / KB_FILE_NAME).unlink(missing_ok=True)
    else:
        write_bytes_atomic(corpus_dir / KB_FILE_NAME, text.encode("utf-8"), mode=mode)


def _write_and_log(
    corpus_dir: Path, before: str | None, after: str | None, mode: int, entry: changelog.Entry
) -> changelog.Entry:
    """Write the file, then log the step; a step that cannot be logged is taken back, so
    nothing is ever changed that undo does not know of.

    Raises:
        OSError: the file or the log could not be written (a full disk, a read-only folder).
    """
    _write(corpus_dir, after, mode)
    try:
        return changelog.append(corpus_dir, entry, mode=mode)
    except OSError:
        with contextlib.suppress(OSError):
            _write(corpus_dir, before, mode)
        raise


def _differences(old: KnowledgeBase, new: KnowledgeBase) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(spellings whose entity changed, names hidden or restored, curated ids whose entry changed).

    Worked out from the two files, not from the operation, so undo and redo (and a file
    edited by hand before a step) report the same way.
    """

    def owners(kb: KnowledgeBase) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        for entity in kb.entities:
            for spelling in entity.names():
                found.setdefault(name_key(spelling), (entity.id, spelling))
        return found

    before, after = owners(old), owners(new)
    spellings = sorted(
        {
            (after.get(key) or before[key])[1]
            for key in before.keys() | after.keys()
            if before.get(key, ("", ""))[0] != after.get(key, ("", ""))[0]
        },
        key=str.casefold,
    )
    hidden = {name_key(h): h for h in old.hidden} | {name_key(h): h for h in new.hidden}
    changed_hidden = sorted((hidden[k] for k in set(hidden) - (old.hidden_keys & new.hidden_keys)), key=str.casefold)
    ids = [e.id for e in new.entities if old.by_id.get(e.id) != e]
    ids += [e.id for e in old.entities if e.id not in new.by_id]
    return tuple(spellings), tuple(changed_hidden), tuple(ids)


def _diff(before: str | None, after: str | None) -> str:
    """A unified diff (3 lines of context) of entities.toml.

    difflib's `unified_diff` treats lines that recur in a long file (`type = "person"`) as
    junk and then shows them as changed; the matcher here keeps them.
    """
    a = (before or "").splitlines(keepends=True)
    b = (after or "").splitlines(keepends=True)
    lines = [
        f"--- {f'a/{KB_FILE_NAME}' if before is not None else '/dev/null'}\n",
        f"+++ {f'b/{KB_FILE_NAME}' if after is not None else '/dev/null'}\n",
    ]
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(3):
        first, last = group[0], group[-1]
        lines.append(f"@@ -{_span(first[1], last[2])} +{_span(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [f" {line}" for line in a[i1:i2]]
                continue
            lines += [f"-{line}" for line in a[i1:i2]]
            lines += [f"+{line}" for line in b[j1:j2]]
    if len(lines) == 2:
        return ""
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _span(start: int, end: int) -> str:
    """A hunk's range as unified diffs write it (1-based; an empty range names the line before)."""
    length = end - start
    if length == 1:
        return f"{start + 1}"
    return f"{start + 1 if length else start},{length}"


@contextlib.contextmanager
def _lock(corpus_dir: Path) -> Iterator[None]:
    """An OS lock beside entities.toml (core.fileio.file_lock), so steps take turns.

    Raises:
        CurationError: another process held it for LOCK_WAIT seconds, or it cannot be made.
    """
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(file_lock(corpus_dir / LOCK_NAME, LOCK_WAIT, mode=0o644, poll=0.05))
        except TimeoutError:
            raise CurationError("another tuibrowser is editing entities.toml; try again") from None
        except OSError as error:
            raise CurationError(f"cannot edit entities.toml in {corpus_dir}: {error.strerror or error}") from None
        yield
