"""The entity registry: every entity the index knows (curated and discovered) with counts.

Kept by the indexer in the index's bookkeeping (core.bookkeeping: the `entities`,
`spellings` and `counts` tables), row by row as entities appear, change or go. Read by the
CLI and the TUI to name, list and look up entities without scanning articles: a long-running
process loads it whole once per index state (`read_registry`), a command that needs one
name looks that name up (`StoredRegistry`), which costs a millisecond at any size.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING, Protocol

from tuibrowser.core.entities.kb import Entity, KnowledgeBase
from tuibrowser.core.entities.text import fold
from tuibrowser.core.errors import EntityNotFound as EntityNotFound

if TYPE_CHECKING:
    from tuibrowser.core.bookkeeping import Bookkeeping
    from tuibrowser.core.entities.incremental import Discovered
    from tuibrowser.core.entities.linker import Mention


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """An entity and how often the corpus mentions it."""

    entity: Entity
    articles: int
    mentions: int


class EntityLookup(Protocol):
    """What readers of the registry use: Registry (all in memory) and StoredRegistry (read
    as asked) both provide it."""

    @property
    def records(self) -> dict[str, EntityRecord]: ...

    def get(self, entity_id: str) -> EntityRecord | None: ...

    def find(self, query: str) -> EntityRecord: ...


class Registry:
    """Entities by id, and a lookup by id, name or alias (case-, accent- and apostrophe-blind)."""

    def __init__(self, records: list[EntityRecord]):
        self.records = {record.entity.id: record for record in records}
        self._by_spelling: dict[str, list[EntityRecord]] = {}
        for record in records:
            for spelling in dict.fromkeys(_key(s) for s in (record.entity.id, *record.entity.names())):
                self._by_spelling.setdefault(spelling, []).append(record)

    def get(self, entity_id: str) -> EntityRecord | None:
        return self.records.get(entity_id)

    def find(self, query: str) -> EntityRecord:
        """The entity whose id, name or alias is `query`.

        Raises:
            EntityNotFound: with up to three close names.
        """
        for spelling in (_key(query), _key(query.replace("-", " "))):
            if spelling in self._by_spelling:
                return best_for(spelling, self._by_spelling[spelling])
        raise EntityNotFound(query, _close(query, self.records.values()))


def best_for(spelling: str, records: list[EntityRecord]) -> EntityRecord:
    """Which of the entities spelled `spelling` (a _key) a lookup means: a curated one before
    a discovered one; then one whose id or name it is before one whose alias it is, unless
    that one is written about OWN_NAME_OUTWEIGHED times as much; then the most written about
    ("Reagan" alone is Ronald Reagan, not his son Michael, at archive scale; "volcker" is
    Paul Volcker in 104 articles, not a stray "Volcker" of 6)."""
    curated = [r for r in records if not r.entity.discovered]
    pool = curated or records

    def weight(record: EntityRecord) -> tuple[int, int]:
        return record.articles, record.mentions

    most = max(pool, key=weight)
    own = [r for r in pool if spelling in (_key(r.entity.id), _key(r.entity.name))]
    if own:
        named = max(own, key=weight)
        if most.articles < OWN_NAME_OUTWEIGHED * max(named.articles, 1):
            return named
    return most


OWN_NAME_OUTWEIGHED = 3
"""How many times as many articles another entity needs to win a look-up of a name that is
an entity's own (the dominance resolve.py asks of a surname's bearer)."""


def _close(query: str, records: Iterable[EntityRecord]) -> list[str]:
    names: dict[str, str] = {}
    for record in records:
        for spelling in (record.entity.id, *record.entity.names()):
            names.setdefault(_key(spelling), record.entity.name)
    close = difflib.get_close_matches(_key(query), list(names), n=3, cutoff=0.75)
    return list(dict.fromkeys(names[c] for c in close))


def _key(text: str) -> str:
    return " ".join(fold(text).lstrip("#").split())


def read_registry(index_dir: Path) -> Registry:
    """The whole registry of the index at `index_dir`; empty when there is none yet."""
    from tuibrowser.core.bookkeeping import Bookkeeping, BookkeepingError

    try:
        db = Bookkeeping.open(index_dir, readonly=True)
    except BookkeepingError:
        return Registry([])
    try:
        return Registry(_all_records(db))
    except Exception:  # sqlite3 errors on a damaged file: nothing to show
        return Registry([])
    finally:
        db.close()


class StoredRegistry:
    """The registry read row by row, for a process that looks up a few entities (the CLI).

    Same interface as Registry: `get`, `find`, `records` (the whole registry, loaded on
    first use). Safe to use from several threads (one connection, behind a lock).
    """

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self._db: Bookkeeping | None = None
        self._lock = Lock()
        self._cache: dict[str, EntityRecord | None] = {}
        self._all: dict[str, EntityRecord] | None = None

    def _conn(self) -> Bookkeeping | None:
        from tuibrowser.core.bookkeeping import Bookkeeping, BookkeepingError

        if self._db is None:
            try:
                self._db = Bookkeeping.open(self.index_dir, readonly=True)
            except BookkeepingError:
                return None
        return self._db

    @property
    def records(self) -> dict[str, EntityRecord]:
        with self._lock:
            if self._all is None:
                db = self._conn()
                self._all = {r.entity.id: r for r in _all_records(db)} if db is not None else {}
            return self._all

    def get(self, entity_id: str) -> EntityRecord | None:
        with self._lock:
            if self._all is not None:
                return self._all.get(entity_id)
            if entity_id not in self._cache:
                db = self._conn()
                found = _records(db, "WHERE e.id = ?", (entity_id,)) if db is not None else []
                self._cache[entity_id] = found[0] if found else None
            return self._cache[entity_id]

    def find(self, query: str) -> EntityRecord:
        """The entity whose id, name or alias is `query` (see Registry.find)."""
        for spelling in (_key(query), _key(query.replace("-", " "))):
            with self._lock:
                db = self._conn()
                rows = (
                    db.conn.execute(
                        "SELECT DISTINCT id FROM spellings WHERE key = ? ORDER BY curated DESC, rank, id", (spelling,)
                    ).fetchall()
                    if db is not None
                    else []
                )
            found = [record for (entity_id,) in rows if (record := self.get(entity_id)) is not None]
            if found:
                return best_for(spelling, found)
        raise EntityNotFound(query, _close(query, self.records.values()))

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


_SELECT = (
    "SELECT e.id, e.name, e.type, e.aliases, e.description, e.wikidata, e.discovered,"
    " coalesce(c.articles, 0), coalesce(c.mentions, 0) FROM entities e LEFT JOIN counts c ON c.id = e.id "
)


def _records(db: Bookkeeping, where: str, params: tuple) -> list[EntityRecord]:
    rows = db.conn.execute(_SELECT + where + " ORDER BY e.discovered, e.rank, e.id", params).fetchall()
    return [
        EntityRecord(
            Entity(entity_id, name, kind, tuple(json.loads(aliases)), description, wikidata, bool(discovered)),
            articles,
            mentions,
        )
        for entity_id, name, kind, aliases, description, wikidata, discovered, articles, mentions in rows
    ]


def _all_records(db: Bookkeeping) -> list[EntityRecord]:
    """Curated entities in the knowledge base's order, then discovered ones by id."""
    return _records(db, "", ())


# Kept up to date by the indexer.


def update_registry(
    db: Bookkeeping,
    kb: KnowledgeBase,
    *,
    kb_changed: bool,
    before: Mapping[str, Discovered],
    after: Mapping[str, Discovered],
    previous: Mapping[str, tuple[Mention, ...]],
    final: Mapping[str, tuple[Mention, ...]],
) -> None:
    """Write what changed into the registry's tables (inside the indexer's transaction).

    Args:
        kb_changed: rewrite the curated entities' rows.
        before, after: discovered entities by key, before and after the change.
        previous, final: final mentions of the articles the change redid (removed articles
            only in `previous`), for the counts.
    """
    if kb_changed:
        db.conn.execute("DELETE FROM spellings WHERE curated = 1")
        db.conn.execute("DELETE FROM entities WHERE discovered = 0")
        db.insert("entities", [_row(entity, rank) for rank, entity in enumerate(kb.entities)])
        db.insert("spellings", [s for rank, e in enumerate(kb.entities) for s in _spellings(e, rank)], replace=False)
    changed = [key for key in set(before) | set(after) if before.get(key) != after.get(key)]
    gone_ids = [before[key].id for key in changed if key in before]
    db.conn.executemany("DELETE FROM spellings WHERE id = ? AND curated = 0", [(i,) for i in gone_ids])
    db.conn.executemany("DELETE FROM entities WHERE id = ? AND discovered = 1", [(i,) for i in gone_ids])
    new = [after[key] for key in changed if key in after]
    entities = [Entity(d.id, d.name, d.type, d.aliases, discovered=True) for d in new]
    db.insert("entities", [_row(entity, 0) for entity in entities])
    db.insert("spellings", [s for entity in entities for s in _spellings(entity, 0)], replace=False)

    articles: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for path in set(previous) | set(final):
        old = Counter(m.entity_id for m in previous.get(path, ()))
        now = Counter(m.entity_id for m in final.get(path, ()))
        for entity_id in set(old) | set(now):
            articles[entity_id] += (entity_id in now) - (entity_id in old)
            mentions[entity_id] += now[entity_id] - old[entity_id]
    touched = [i for i in set(articles) | set(mentions) if articles[i] or mentions[i]]
    counts = dict(
        (i, [a, m]) for i, a, m in db.rows_in("SELECT id, articles, mentions FROM counts WHERE id IN ({})", touched)
    )
    rows = []
    for entity_id in touched:
        a, m = counts.get(entity_id, [0, 0])
        rows.append((entity_id, a + articles[entity_id], m + mentions[entity_id]))
    db.delete_in("counts", "id", [row[0] for row in rows if row[1] <= 0 and row[2] <= 0])
    db.insert("counts", [row for row in rows if row[1] > 0 or row[2] > 0])


def _row(entity: Entity, rank: int) -> tuple:
    return (
        entity.id,
        entity.name,
        entity.type,
        json.dumps(list(entity.aliases), ensure_ascii=False),
        entity.description,
        entity.wikidata,
        int(entity.discovered),
        rank,
    )


def _spellings(entity: Entity, rank: int) -> list[tuple]:
    keys = dict.fromkeys(_key(spelling) for spelling in (entity.id, *entity.names()))
    return [(key, entity.id, int(not entity.discovered), rank) for key in keys]
