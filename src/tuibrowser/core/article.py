"""The Article record: what every face of tuibrowser shows and the index stores."""

from __future__ import annotations

from dataclasses import dataclass

from tuibrowser.core.records import pickled_as_tuple

PARAGRAPH_SEPARATOR = "\n\n"
"""Joins paragraphs into `Article.text`; every character offset indexes into that text."""


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Article:
    """One cleaned article.

    Attributes:
        id: Stable slug of the title, unique in the corpus.
        title: Headline as printed, or a short title derived from the lead.
        date: Publication date as ISO 8601 (YYYY-MM-DD), or None when the file states none.
        source: The outlet, or None.
        byline: The author line, or None.
        url: Canonical URL, or None.
        paragraphs: Cleaned body paragraphs, chrome removed, every sentence kept.
        path: Location of the raw file, relative to the corpus folder (POSIX separators).
        content_hash: Hash of the raw bytes and the cleaning rules' version; the indexer
            re-derives an article only when this changes.
        title_derived: True when the file had no headline and `title` comes from the lead.
    """

    id: str
    title: str
    date: str | None
    source: str | None
    byline: str | None
    url: str | None
    paragraphs: tuple[str, ...]
    path: str
    content_hash: str
    title_derived: bool = False

    @property
    def text(self) -> str:
        """The cleaned body; offsets given anywhere else index into this string."""
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)
