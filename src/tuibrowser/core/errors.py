"""Exceptions the faces catch, in a module that imports nothing heavy.

The CLI and the TUI catch these without importing Whoosh or the entity code, so a command
that fails early (a bad query, an unknown id) and the TUI's first frame stay fast.
"""


class QueryError(ValueError):
    """The query cannot be run; the message explains why in one line."""


class IndexProblem(RuntimeError):
    """The index cannot be used as it is; the message says why, in one line."""


class IndexLocked(IndexProblem):
    """Another process holds the index's write lock for longer than we are willing to wait."""


class IndexUnwritable(IndexProblem):
    """The index cannot be written (a full disk, a read-only folder); it is left as it was."""


class IndexDamaged(IndexProblem):
    """Reading the index failed in a way only damage explains (a truncated or garbled file).

    The index is marked, so the next command rebuilds it.
    """


class ArticleNotFound(LookupError):
    """No article has the id; `close` lists ids that look like it."""

    def __init__(self, article_id: str, close: list[str]):
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        super().__init__(f"no article with id {article_id!r}{hint}")
        self.close = close


class SearchCancelled(RuntimeError):
    """The caller stopped a search before it finished (a newer query replaced it)."""


class KnowledgeBaseError(ValueError):
    """entities.toml cannot be used; the message names the file and the problem."""


class CurationError(ValueError):
    """A change to entities.toml was refused and nothing was written; the message says why.

    Here rather than in `entities.curation.ops` (which re-exports it), so the faces catch it
    without defining the curation operations: the TUI's first frame does not need them."""


class EntityNotFound(LookupError):
    """No entity has that id, name or alias; `close` lists names that look like it."""

    def __init__(self, query: str, close: list[str]):
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        super().__init__(f"no entity called {query!r}{hint}")
        self.close = close
