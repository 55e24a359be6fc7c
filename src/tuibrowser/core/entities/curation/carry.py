"""Bookmarks and watches follow curation: a merge carries them to the entity that stands for
the merged one now, and undoing it carries them back.

Ids are the reader's bookmarks and watches. Renaming, retyping, promoting and splitting keep
every id; a merge ends one (`CurationResult.moved`: old id -> new id) and an undone split
ends the split-off one. Both faces call `carry_over` with their state store after such a
change (and a redo of one), and `carry_back` after undoing a merge
(`CurationResult.restored`), so what the reader bookmarked or follows still leads to the
entity they meant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from tuibrowser.core.user_state import StateStore, Visit


@dataclass(frozen=True, slots=True)
class Carried:
    """One bookmark or watch a merge moved, and whether the entity it moved to had one."""

    what: str
    """"bookmark" or "watch"."""
    old: str
    new: str
    new_had_it: bool


def carry_over(store: StateStore, moved: Mapping[str, str], label: Callable[[str], str]) -> list[Carried]:
    """Move entity bookmarks and watches from each old id in `moved` to its new id.

    A moved watch counts as new what comes in from now on (the store's `follow`; "seen"
    only ever moves forward), unless the new id was followed already. The caller saves the
    store, and may keep the result to undo it exactly (`carry_back`).

    Args:
        label: the name to show for a new id (a watch's label).

    Returns:
        What was moved.
    """
    carried: list[Carried] = []
    for old, new in moved.items():
        if store.is_bookmarked("entity", old):
            had = store.is_bookmarked("entity", new)
            store.remove_bookmark("entity", old)
            if not had:
                store.toggle_bookmark(Visit("entity", new))
            carried.append(Carried("bookmark", old, new, had))
        if store.watch("entity", old) is not None:
            had = store.watch("entity", new) is not None
            store.unfollow("entity", old)
            if not had:
                store.follow("entity", new, label(new))
            carried.append(Carried("watch", old, new, had))
    return carried


def carry_back(
    store: StateStore,
    restored: Mapping[str, str],
    carried: Sequence[Carried] | None,
    label: Callable[[str], str],
) -> int:
    """After undoing a merge: the bookmarks and watches it carried go back to the ids it had
    ended (`restored`: old id -> the id that stood for it).

    With `carried` (what `carry_over` reported for that merge, in this process) it is exact:
    the other entity keeps only what it had before. Without it (the merge was made by another
    process), each restored id gets a bookmark or watch back wherever the other entity has
    one, and the other keeps its own: the reader may have one too many, never one too few.

    Returns:
        How many bookmarks and watches were restored.
    """
    count = 0
    if carried is not None:
        for item in carried:
            if restored.get(item.old) != item.new:
                continue
            count += _give(store, item.what, item.old, label)
            if not item.new_had_it:
                _take(store, item.what, item.new)
        return count
    for old, new in restored.items():
        if store.is_bookmarked("entity", new):
            count += _give(store, "bookmark", old, label)
        if store.watch("entity", new) is not None:
            count += _give(store, "watch", old, label)
    return count


def _give(store: StateStore, what: str, entity_id: str, label: Callable[[str], str]) -> int:
    if what == "bookmark":
        if store.is_bookmarked("entity", entity_id):
            return 0
        store.toggle_bookmark(Visit("entity", entity_id))
        return 1
    return int(store.follow("entity", entity_id, label(entity_id)))


def _take(store: StateStore, what: str, entity_id: str) -> None:
    if what == "bookmark":
        store.remove_bookmark("entity", entity_id)
    else:
        store.unfollow("entity", entity_id)
