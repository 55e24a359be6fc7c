"""Where imported files came from: `imports/.origins.jsonl`, in the corpus, in import order.

One JSON line per copy an import makes, appended before the copy is written:

    {"target": "imports/a-b.txt", "source": "a b.txt", "path": "/home/me/in/a b.txt"}

`target` is the copy, relative to the corpus folder; `source` the input's name as given
(with its folder's layout when a folder was imported); `path` the input's resolved absolute
path, which is what makes two inputs the same: an import replaces ("updates") a copy only
for the same `path`. A copy updated from another file (a single article with the same
URL) gets a line of its own naming that file, so importing it again finds the copy.

Records written before `path` was kept say only the name. Such a record keeps its target's
name taken but never makes another file an update of it: a name says nothing about which
folder the file was in, and taking one for the other replaced articles.

The file is part of the corpus, so the index reads it too: articles sharing a title are
told apart by the order of their files' first lines here (see `corpus.assign_ids`).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

IMPORTS_DIR = "imports"
ORIGINS_NAME = ".origins.jsonl"
ORIGINS_PATH = f"{IMPORTS_DIR}/{ORIGINS_NAME}"
"""Relative to the corpus folder."""


@dataclass
class Origins:
    """What the origins file says, read once."""

    names: dict[str, str] = field(default_factory=dict)
    """target -> the input name of its first record."""
    targets: dict[str, str] = field(default_factory=dict)
    """input path (resolved, absolute) -> the target its latest record names."""
    order: dict[str, int] = field(default_factory=dict)
    """target -> the place of its first record among all records, for targets whose first
    record names a path: written by an import that records paths, so after every file put
    into the corpus by hand or imported earlier (see `corpus.assign_ids`)."""


def read_origins(corpus_dir: Path) -> Origins:
    """The origins file of `corpus_dir`; lines that cannot be read are passed over (a line
    cut by a killed import), and a file that cannot be read reads as empty."""
    origins = Origins()
    try:
        lines = (corpus_dir / ORIGINS_PATH).read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    except OSError:
        return origins
    for number, line in enumerate(lines):
        try:
            record = json.loads(line)
            target, source = record["target"], record["source"]
        except (ValueError, TypeError, KeyError):
            continue
        path = record.get("path")
        if not isinstance(target, str) or not isinstance(source, str):
            continue
        if target not in origins.names:
            origins.names[target] = source
            if isinstance(path, str):
                origins.order[target] = number
        if isinstance(path, str):
            origins.targets[path] = target
    return origins


def import_order(corpus_dir: Path) -> dict[str, int]:
    """target -> its place in import order, for files imported with their path recorded."""
    return read_origins(corpus_dir).order


def order_state(corpus_dir: Path, before: dict[str, Any] | None) -> tuple[dict[str, Any], bool]:
    """The origins file's state for the index to keep, and whether the import order of the
    files recorded by `before` (the state kept last time) may have changed since.

    Imports only add lines at the end, which changes no earlier file's place; an edit by
    hand (a line removed, the file deleted) may. The file is read only when its size or
    mtime moved.

    Returns:
        (state, reordered); `before` None (an index that kept no state) counts as reordered.
    """
    file = corpus_dir / ORIGINS_PATH
    try:
        info = file.stat()
    except OSError:
        return {}, before is None or before != {}
    stamp = {"size": info.st_size, "mtime_ns": info.st_mtime_ns}
    if before is not None and all(before.get(key) == value for key, value in stamp.items()):
        return before, False
    try:
        data = file.read_bytes()
    except OSError:
        return {}, True
    now = {**stamp, "size": len(data), "digest": hashlib.sha256(data).hexdigest()}
    if before is None:
        return now, True
    size = before.get("size", 0)
    appended = isinstance(size, int) and (
        size == 0 or (len(data) >= size and hashlib.sha256(data[:size]).hexdigest() == before.get("digest"))
    )
    return now, not appended


def append_origin(corpus_dir: Path, target: str, source: str, path: str) -> None:
    """One line, written before the copy is: a killed import leaves at most a claim on a
    name it never wrote, which is harmless. A line left unfinished by a killed import is
    ended first, so it never swallows this one. (Not flushed here: an import flushes the
    whole batch once.)"""
    file = corpus_dir / ORIGINS_PATH
    file.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"target": target, "source": source, "path": path}, ensure_ascii=True) + "\n"
    with file.open("ab") as out:
        if out.tell() > 0 and not _ends_with_newline(file):
            out.write(b"\n")
        out.write(line.encode("ascii"))


def _ends_with_newline(file: Path) -> bool:
    with file.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"
