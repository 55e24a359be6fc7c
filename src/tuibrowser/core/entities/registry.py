"""The entity registry: every entity the index knows (curated and discovered) with counts.

Written by the indexer next to the index; read by the CLI and the TUI to name, list and
look up entities without scanning articles. Its size grows with the number of entities,
not with the number of articles.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from tuibrowser.core.entities.kb import Entity
from tuibrowser.core.entities.text import fold
from tuibrowser.core.fileio import write_json_atomic

REGISTRY_NAME = "tuibrowser-entities.json"


class EntityNotFound(LookupError):
    """No entity has that id, name or alias; `close` lists names that look like it."""

    def __init__(self, query: str, close: list[str]):
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        super().__init__(f"no entity called {query!r}{hint}")
        self.close = close


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """An entity and how often the corpus mentions it."""

    entity: Entity
    articles: int
    mentions: int


def write_registry(index_dir: Path, records: list[EntityRecord]) -> None:
    data = [
        {
            "id": r.entity.id,
            "name": r.entity.name,
            "type": r.entity.type,
            "aliases": list(r.entity.aliases),
            "description": r.entity.description,
            "wikidata": r.entity.wikidata,
            "discovered": r.entity.discovered,
            "articles": r.articles,
            "mentions": r.mentions,
        }
        for r in records
    ]
    write_json_atomic(index_dir / REGISTRY_NAME, data)


class Registry:
    """Entities by id, and a lookup by id, name or alias (case-, accent- and apostrophe-blind)."""

    def __init__(self, records: list[EntityRecord]):
        self.records = {record.entity.id: record for record in records}
        self._by_spelling: dict[str, str] = {}
        # Curated entities first, so a curated spelling wins over a discovered one.
        for record in sorted(records, key=lambda r: r.entity.discovered):
            for spelling in (record.entity.id, *record.entity.names()):
                self._by_spelling.setdefault(_key(spelling), record.entity.id)

    def get(self, entity_id: str) -> EntityRecord | None:
        return self.records.get(entity_id)

    def find(self, query: str) -> EntityRecord:
        """The entity whose id, name or alias is `query`.

        Raises:
            EntityNotFound: with up to three close names.
        """
        entity_id = self._by_spelling.get(_key(query)) or self._by_spelling.get(_key(query.replace("-", " ")))
        if entity_id:
            return self.records[entity_id]
        names: dict[str, str] = {}
        for record in self.records.values():
            for spelling in (record.entity.id, *record.entity.names()):
                names.setdefault(_key(spelling), record.entity.name)
        close = difflib.get_close_matches(_key(query), list(names), n=3, cutoff=0.75)
        raise EntityNotFound(query, list(dict.fromkeys(names[c] for c in close)))


def _key(text: str) -> str:
    return " ".join(fold(text).lstrip("#").split())


def read_registry(index_dir: Path) -> Registry:
    """The registry of the index at `index_dir`; empty when there is none yet."""
    try:
        raw = json.loads((index_dir / REGISTRY_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Registry([])
    records = []
    for item in raw if isinstance(raw, list) else []:
        try:
            entity = Entity(
                item["id"],
                item["name"],
                item["type"],
                tuple(item.get("aliases") or ()),
                item.get("description"),
                item.get("wikidata"),
                bool(item.get("discovered")),
            )
            records.append(EntityRecord(entity, int(item.get("articles", 0)), int(item.get("mentions", 0))))
        except (KeyError, TypeError, ValueError):
            continue
    return Registry(records)
