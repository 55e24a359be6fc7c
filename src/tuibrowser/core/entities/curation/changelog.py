"""The change log beside entities.toml: every curation step, so it can be undone and redone, also after a restart.

`.entities.toml.changes.jsonl` in the corpus folder (hidden: the corpus scan skips names
starting with a dot), one JSON object a line, oldest first:

    {"seq": 7, "time": "2026-11-25T10:00:00+01:00", "kind": "change", "op": "rename",
     "summary": "renamed ...", "target": null, "entities": [...], "spellings": [...],
     "hidden": [...], "moved": {...}, "before": "<the file's text>", "after": "<its text>"}

`kind` is `change`, `undo` or `redo`; an undo or redo names the change it reverts or
reapplies in `target` and has that change's `op`. `before` is null when there was no file.
Whole texts, not diffs: undo writes `before` back as it was, byte for byte, and only when
the file still equals `after` (else it was edited since, and undo refuses).

Undo and redo are themselves logged, so the two stacks are rebuilt by replaying the log: a
change pushes onto the done stack and empties the redo stack; an undo moves its target from
done to redo; a redo moves it back. A second undo therefore goes one step further back.

The log is bounded: when it grows past twice MAX_ENTRIES lines (or MAX_BYTES) it is
rewritten as the MAX_ENTRIES newest changes undo and redo can reach (see `_rewrite`), so
the oldest can no longer be undone. A line that does not parse (a crash mid-write, a hand
edit) is skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from tuibrowser.core.fileio import write_bytes_atomic

LOG_NAME = ".entities.toml.changes.jsonl"
MAX_ENTRIES = 200
"""Changes kept for undo and redo (each with two whole texts of entities.toml)."""
MAX_BYTES = 32 * 1024 * 1024
"""...in at most about this much of log (the newest change is always kept)."""
_SLACK = 50
"""Lines allowed past the bound before a rewrite, so the log is not rewritten at every step."""


@dataclass(frozen=True)
class Entry:
    """One line of the log."""

    seq: int
    time: str
    kind: str
    """"change", "undo" or "redo"."""
    op: str
    summary: str
    before: str | None
    after: str | None
    target: int | None = None
    entities: tuple[str, ...] = ()
    spellings: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    moved: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "seq": self.seq,
            "time": self.time,
            "kind": self.kind,
            "op": self.op,
            "summary": self.summary,
            "target": self.target,
            "entities": list(self.entities),
            "spellings": list(self.spellings),
            "hidden": list(self.hidden),
            "moved": dict(self.moved),
            "before": self.before,
            "after": self.after,
        }


def log_path(corpus_dir: Path) -> Path:
    return corpus_dir / LOG_NAME


def read_log(corpus_dir: Path) -> list[Entry]:
    """Every readable entry, oldest first; [] when there is no log."""
    try:
        with log_path(corpus_dir).open("rb") as log:
            size = log.seek(0, os.SEEK_END)
            # Never more than the bound (and a hostile giant log costs no more than that).
            log.seek(max(0, size - 2 * MAX_BYTES))
            raw = log.read()
    except OSError:
        return []
    entries = []
    for line in raw.split(b"\n"):
        entry = _entry(line)
        if entry is not None:
            entries.append(entry)
    return entries


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("not a list of strings")
    return tuple(value)


def _entry(line: bytes) -> Entry | None:
    try:
        item = json.loads(line)
        before, after, target, moved = item["before"], item["after"], item.get("target"), item.get("moved") or {}
        if not (
            isinstance(item["seq"], int)
            and item["kind"] in ("change", "undo", "redo")
            and all(isinstance(item[k], str) for k in ("time", "op", "summary"))
            and all(text is None or isinstance(text, str) for text in (before, after))
            and (target is None or isinstance(target, int))
            and isinstance(moved, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in moved.items())
        ):
            return None
        return Entry(
            item["seq"],
            item["time"],
            item["kind"],
            item["op"],
            item["summary"],
            before,
            after,
            target,
            _strings(item.get("entities", [])),
            _strings(item.get("spellings", [])),
            _strings(item.get("hidden", [])),
            dict(moved),
        )
    except (ValueError, TypeError, KeyError):
        return None


def stacks(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """(done, undone): the changes undo would revert and redo would reapply, last on top."""
    done: list[Entry] = []
    undone: list[Entry] = []
    for entry in entries:
        if entry.kind == "change":
            done.append(entry)
            undone.clear()
        elif entry.kind == "undo" and done and done[-1].seq == entry.target:
            undone.append(done.pop())
        elif entry.kind == "redo" and undone and undone[-1].seq == entry.target:
            done.append(undone.pop())
    return done, undone


def now() -> str:
    """Local time with its offset, to the second."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def append(corpus_dir: Path, entry: Entry, *, mode: int = 0o644) -> Entry:
    """Add `entry` to the log, numbered after the last one; the log is cut when too long.

    The caller holds the curation lock, so no two processes number or cut it at once.
    """
    entries = read_log(corpus_dir)
    numbered = Entry(
        (entries[-1].seq + 1) if entries else 1,
        entry.time,
        entry.kind,
        entry.op,
        entry.summary,
        entry.before,
        entry.after,
        entry.target,
        entry.entities,
        entry.spellings,
        entry.hidden,
        entry.moved,
    )
    line = _line(numbered)
    path = log_path(corpus_dir)
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if len(entries) + 1 > 2 * MAX_ENTRIES + _SLACK or size + len(line) > MAX_BYTES:
        _rewrite(path, [*entries, numbered], mode)
        return numbered
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, mode)
    with os.fdopen(fd, "ab") as log:
        # A line cut short by a crash is ended first, so this one is read whole.
        if size and not _ends_with_newline(path):
            log.write(b"\n")
        log.write(line)
        log.flush()
        os.fsync(log.fileno())
    return numbered


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as log:
        log.seek(-1, os.SEEK_END)
        return log.read(1) == b"\n"


def _rewrite(path: Path, entries: list[Entry], mode: int) -> None:
    """Write the log anew, compacted and cut: what undo and redo can reach, and no more.

    Undo and redo lines would otherwise fill a bounded log (a reader stepping back and forth)
    and push out the changes they refer to. So the log is rewritten as the changes on the
    two stacks, chronologically, then one undo line for each change on the redo stack, which
    replays to the same stacks. The newest MAX_ENTRIES changes that fit in MAX_BYTES are
    kept, undo's first (the newest always).
    """
    done, undone = stacks(entries)
    kept_done = done[-MAX_ENTRIES:]
    kept_undone = undone[len(undone) - (MAX_ENTRIES - len(kept_done)) :] if len(kept_done) < MAX_ENTRIES else []
    while len(kept_done) + len(kept_undone) > 1 and _size([*kept_done, *kept_undone]) * 2 > MAX_BYTES:
        if kept_undone:
            kept_undone.pop(0)
        else:
            kept_done.pop(0)
    # The redo stack's top is the earliest change undone: changes in the order they were
    # made, then undone again from the latest.
    last = max(entry.seq for entry in entries)
    undos = [
        Entry(
            last + number,
            entry.time,
            "undo",
            entry.op,
            f"undid: {entry.summary}",
            entry.after,
            entry.before,
            entry.seq,
            entry.entities,
            entry.spellings,
            entry.hidden,
        )
        for number, entry in enumerate(kept_undone, start=1)
    ]
    lines = [_line(entry) for entry in (*kept_done, *reversed(kept_undone), *undos)]
    write_bytes_atomic(path, b"".join(lines), mode=mode)


def _line(entry: Entry) -> bytes:
    return json.dumps(entry.to_json(), ensure_ascii=False).encode("utf-8") + b"\n"


def _size(entries: list[Entry]) -> int:
    return sum(len(_line(entry)) for entry in entries)
