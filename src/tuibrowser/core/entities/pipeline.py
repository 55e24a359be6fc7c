"""Per-article entity extraction: link known entities, then look for unknown names."""

from __future__ import annotations

from tuibrowser.core.entities.discovery import find_candidates
from tuibrowser.core.entities.kb import KnowledgeBase
from tuibrowser.core.entities.linker import AliasMatcher
from tuibrowser.core.entities.resolve import Extraction
from tuibrowser.core.entities.text import tokenize

EXTRACTOR_VERSION = "10"
"""Bump when linking or discovery rules change, so every article is extracted again."""


class EntityExtractor:
    """Built once per knowledge base; `extract` runs per article at index time."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.matcher = AliasMatcher(
            [(entity.id, spelling) for entity in kb.entities for spelling in entity.names()],
            frozenset(entity.id for entity in kb.entities if entity.type == "person"),
        )
        self.known_tokens = frozenset(
            token.folded for entity in kb.entities for spelling in entity.names() for token in tokenize(spelling)
        )

    @property
    def version(self) -> str:
        """Changes when the rules or the knowledge base change."""
        return f"{EXTRACTOR_VERSION}:{self.kb.version}"

    def extract(self, text: str) -> Extraction:
        tokens = tokenize(text)
        known = self.matcher.find(text, tokens)
        candidates = find_candidates(text, [(m.start, m.end) for m in known], self.known_tokens, tokens)
        return Extraction(tuple(known), tuple(candidates))
