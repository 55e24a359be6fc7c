"""The raw item every format reader returns, and the error they raise."""

from __future__ import annotations

from dataclasses import dataclass


class FormatError(ValueError):
    """The file cannot be read as articles; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class RawItem:
    """One article as a file states it, before cleaning. None means "not stated"."""

    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    byline: str | None = None
    url: str | None = None
    plain: bool = False
    """True for saved plain-text articles: cleaning also looks for metadata in the text."""
