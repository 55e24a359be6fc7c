"""Bookmarks and watches of an entity merged away move to the entity that stands for it now.

Ids are the reader's bookmarks and watches. Renaming, retyping, promoting and splitting keep
every id; only a merge ends one (`CurationResult.moved`: old id -> new id). Both faces call
`carry_over` with their state store after a merge (and a redo of one), so what the reader
bookmarked or follows still leads somewhere. An undo leaves them on the merged entity: it
is still the same thing the reader meant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tuibrowser.core.user_state import StateStore, Visit


def carry_over(store: StateStore, moved: Mapping[str, str], label: Callable[[str], str]) -> int:
    """Move entity bookmarks and watches from each old id in `moved` to its new id.

    A moved watch counts as new what comes in from now on (the store's `follow`; "seen"
    only ever moves forward), unless the new id was followed already. The caller saves the
    store.

    Args:
        label: the name to show for a new id (a watch's label).

    Returns:
        How many bookmarks and watches were moved.
    """
    count = 0
    for old, new in moved.items():
        if store.is_bookmarked("entity", old):
            store.remove_bookmark("entity", old)
            if not store.is_bookmarked("entity", new):
                store.toggle_bookmark(Visit("entity", new))
            count += 1
        watch = store.watch("entity", old)
        if watch is not None:
            store.unfollow("entity", old)
            if store.watch("entity", new) is None:
                store.follow("entity", new, label(new))
            count += 1
    return count
