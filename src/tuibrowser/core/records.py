"""Quick pickling for the frozen records a large import sends between processes."""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")


def pickled_as_tuple(cls: type[T]) -> type[T]:
    """A frozen, slotted dataclass pickled as its class and a tuple of its fields' values,
    and rebuilt by calling it.

    The dataclass's own pickling of a slotted class looks its fields up again for every
    object, both ways: with the millions of articles, candidates and mentions a 29,000-
    article import sends from the reading processes, about a third of the pickling time.
    Only for a class whose constructor takes every field in order and checks nothing
    (no `__post_init__`), so rebuilding it gives the same object.
    """
    if getattr(cls, "__post_init__", None) is not None:
        raise TypeError(f"{cls.__name__} checks its fields when built: pickle it as a dataclass")
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    if len(names) < 2:
        raise TypeError(f"{cls.__name__} has fewer than two fields: pickle it as a dataclass")
    values = attrgetter(*names)  # (a tuple, for two fields or more)

    def __reduce__(self: Any) -> tuple[type[T], tuple[Any, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls
