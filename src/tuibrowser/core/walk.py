"""Walking a folder tree without recursion, to a bounded depth.

os.walk recurses once per level in Python 3.11, so a folder nested a thousand levels deep
(easy to make, and to receive in an archive) raised RecursionError and stopped a whole
import, or every command when it sat in the corpus.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

MAX_DEPTH = 64
"""Folders nested deeper than this below the top are not entered; each is reported."""


def walk(
    top: str | os.PathLike[str],
    on_error: Callable[[OSError], None],
    *,
    too_deep: Callable[[str], None] | None = None,
) -> Iterator[tuple[str, list[str], list[str]]]:
    """Like os.walk(top, followlinks=False): (folder, subfolder names, file names), top down.

    Removing names from the yielded subfolder list keeps the walk out of them. A symlink to
    a folder is listed among the subfolders but never entered.

    Args:
        on_error: Gets the OSError of a folder that cannot be listed.
        too_deep: Gets each folder deeper than MAX_DEPTH, which is not entered.
    """
    pending = [(os.fspath(top), 0)]
    while pending:
        folder, depth = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError as error:
            on_error(error)
            continue
        dirnames: list[str] = []
        filenames: list[str] = []
        links: set[str] = set()
        for entry in listed:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirnames if is_dir else filenames).append(entry.name)
            if is_dir and entry.is_symlink():
                links.add(entry.name)
        yield folder, dirnames, filenames
        for name in reversed(dirnames):  # reversed: popped in the listed order
            if name in links:
                continue
            if depth + 1 > MAX_DEPTH:
                if too_deep:
                    too_deep(os.path.join(folder, name))
                continue
            pending.append((os.path.join(folder, name), depth + 1))
