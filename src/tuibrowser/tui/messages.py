"""Messages widgets post upward; the app decides what happens (state flows back down)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class SearchRequested(Message):
    """The query changed (while typing) or was submitted."""

    query: str
    submitted: bool = False


@dataclass
class ArticleRequested(Message):
    """Open an article, showing the character offset `anchor` (a mention or match)."""

    article_id: str
    anchor: int = -1


@dataclass
class EntityHighlighted(Message):
    """An entity was selected in the sidebar: mark its mentions in the reader."""

    entity_id: str


@dataclass
class EntityRequested(Message):
    """Open an entity's own view (concordance, related entities)."""

    entity_id: str


@dataclass
class MentionsExhausted(Message):
    """Stepping through an entity's mentions ran past the first or last one in this article."""

    entity_id: str
    forward: bool
