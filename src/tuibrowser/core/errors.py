"""Exceptions the faces catch, in a module that imports nothing heavy (the TUI starts fast)."""


class QueryError(ValueError):
    """The query cannot be run; the message explains why in one line."""
