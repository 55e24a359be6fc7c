"""The curated knowledge base: `entities.toml` in the corpus folder, human-edited and diffable."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tuibrowser.core.entities.text import fold
from tuibrowser.core.errors import KnowledgeBaseError as KnowledgeBaseError
from tuibrowser.core.sanitize import strip_unsafe

KB_FILE_NAME = "entities.toml"
ENTITY_TYPES = ("person", "organization", "place", "event", "group")
"""event also covers agreements and rulings."""


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity, curated or discovered."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    wikidata: str | None = None
    discovered: bool = False

    def names(self) -> tuple[str, ...]:
        """The name and every alias: all the spellings that link to this entity."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class KnowledgeBase:
    """The curated entities, and a version string that changes whenever the file does."""

    entities: tuple[Entity, ...] = ()
    version: str = "none"
    by_id: dict[str, Entity] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.by_id.update({entity.id: entity for entity in self.entities})


def load_kb(corpus_dir: Path) -> KnowledgeBase:
    """Load `entities.toml` from the corpus folder; a missing file is an empty KB.

    Raises:
        KnowledgeBaseError: for malformed TOML, a missing field, an unknown type, or an alias
            given to two entities. Nothing is indexed from a bad file: the message says
            what to fix.
    """
    path = corpus_dir / KB_FILE_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return KnowledgeBase()
    except OSError as error:
        raise KnowledgeBaseError(f"{path}: cannot read ({error.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise KnowledgeBaseError(f"{path}: {error}") from None
    items = data.get("entity", [])
    if not isinstance(items, list):
        raise KnowledgeBaseError(f"{path}: 'entity' must be an array of tables ([[entity]])")
    entities = [_entity(path, number, item) for number, item in enumerate(items, start=1)]
    _check_unique(path, entities)
    return KnowledgeBase(tuple(entities), hashlib.sha256(raw).hexdigest()[:16])


def _entity(path: Path, number: int, item: object) -> Entity:
    from slugify import slugify  # here: the commands that only read the index never need it

    where = f"{path}: entity #{number}"
    if not isinstance(item, dict):
        raise KnowledgeBaseError(f"{where} is not a table")
    name = _shown(item.get("name"))
    if not name:
        raise KnowledgeBaseError(f"{where} needs a name")
    kind = item.get("type")
    if kind not in ENTITY_TYPES:
        raise KnowledgeBaseError(f"{where} ({name}): type must be one of {', '.join(ENTITY_TYPES)}, not {kind!r}")
    listed = item.get("aliases", [])
    aliases = [_shown(alias) for alias in listed] if isinstance(listed, list) else []
    if not isinstance(listed, list) or not all(aliases):
        raise KnowledgeBaseError(f"{where} ({name}): aliases must be a list of non-empty strings")
    entity_id = item.get("id") or slugify(name)
    if not isinstance(entity_id, str) or slugify(entity_id) != entity_id:
        raise KnowledgeBaseError(f"{where} ({name}): id must be a slug like {slugify(name)!r}")
    optional = {key: item.get(key) for key in ("description", "wikidata")}
    for key, value in optional.items():
        if value is not None and not isinstance(value, str):
            raise KnowledgeBaseError(f"{where} ({name}): {key} must be a string")
    return Entity(
        entity_id,
        name,
        kind,
        tuple(aliases),
        _shown(optional["description"]) or None,
        _shown(optional["wikidata"]) or None,
    )


def _shown(value: object) -> str:
    """A name, alias or description as it is matched and shown: one line, no terminal
    sequences or invisible controls (the rule article text gets); "" for a non-string."""
    return " ".join(strip_unsafe(value).split()) if isinstance(value, str) else ""


def _check_unique(path: Path, entities: list[Entity]) -> None:
    ids: set[str] = set()
    spellings: dict[str, str] = {}
    for entity in entities:
        if entity.id in ids:
            raise KnowledgeBaseError(f"{path}: id {entity.id!r} is used twice")
        ids.add(entity.id)
        for spelling in entity.names():
            key = fold(spelling)
            owner = spellings.setdefault(key, entity.id)
            if owner != entity.id:
                raise KnowledgeBaseError(f"{path}: {spelling!r} is an alias of both {owner!r} and {entity.id!r}")
