"""The reading trail: every article and entity the reader visited, and every citation copied.

One JSON object per line in `trail.jsonl` in the user's data directory, appended with a
single write each, so two browsers open at once interleave their lines without losing
any. The file is read back as untrusted input: lines that are not well-formed events are
skipped. `tuibrowser trail` prints it, as JSON or as Markdown ready to paste into notes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from tuibrowser.core.paths import data_dir

TRAIL_NAME = "trail.jsonl"
KINDS = ("article", "entity", "citation")
MAX_LINE = 64 * 1024
"""Longer lines are skipped when reading (nothing the app writes is that long)."""


@dataclass(frozen=True, slots=True)
class TrailEvent:
    """One step of the trail."""

    time: str
    """ISO 8601 local time with offset, to the second."""
    kind: str
    """"article", "entity" or "citation"."""
    id: str
    """The article's or entity's id."""
    title: str
    """The article's title, or the entity's name."""
    source: str | None = None
    date: str | None = None
    url: str | None = None
    text: str | None = None
    """For a citation: the Markdown copied."""


def trail_path() -> Path:
    return data_dir() / TRAIL_NAME


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def append(event: TrailEvent, path: Path | None = None) -> None:
    """Add one event (one write with O_APPEND, so concurrent writers never interleave a line).

    Raises:
        OSError: the file cannot be written (the caller says so once and goes on).
    """
    path = path or trail_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({k: v for k, v in asdict(event).items() if v is not None}, ensure_ascii=False) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


def read(path: Path | None = None, since: dt.date | None = None) -> list[TrailEvent]:
    """Every well-formed event, oldest first; from `since` (a local date) on when given."""
    path = path or trail_path()
    events = []
    for raw in _lines(path):
        event = _event(raw)
        if event is not None and (since is None or event.time[:10] >= since.isoformat()):
            events.append(event)
    return events


def _lines(path: Path) -> Iterator[bytes]:
    try:
        with path.open("rb") as handle:
            for line in handle:
                if len(line) <= MAX_LINE:
                    yield line
    except FileNotFoundError:
        return


def _event(raw: bytes) -> TrailEvent | None:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    fields = {}
    for name in ("time", "kind", "id", "title"):
        if not isinstance(data.get(name), str):
            return None
        fields[name] = data[name]
    if fields["kind"] not in KINDS:
        return None
    for name in ("source", "date", "url", "text"):
        value = data.get(name)
        fields[name] = value if isinstance(value, str) else None
    return TrailEvent(**fields)


def markdown(events: list[TrailEvent]) -> str:
    """A dated list of what was read and looked up, and the citations copied."""
    out = ["# Reading trail", ""]
    day = None
    for event in events:
        if event.time[:10] != day:
            day = event.time[:10]
            out += [f"## {day}", ""]
        clock = event.time[11:16]
        title = event.title or "(untitled)"
        if event.kind == "article":
            link = f"[{title}]({event.url})" if event.url else f"“{title}”"
            details = ", ".join(x for x in (event.source, event.date) if x)
            out.append(f"- {clock} read {link}" + (f", {details}" if details else "") + f" (`{event.id}`)")
        elif event.kind == "entity":
            out.append(f"- {clock} looked up {title} (`{event.id}`)")
        else:
            out.append(f"- {clock} cited “{title}”:")
            out += ["", *("  " + line if line else "" for line in (event.text or "").splitlines()), ""]
    return "\n".join(out).rstrip() + "\n"
