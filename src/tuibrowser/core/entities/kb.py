"""The curated knowledge base: `entities.toml` in the corpus folder, human-edited and diffable."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from slugify import slugify

from tuibrowser.core.entities.text import fold
from tuibrowser.core.sanitize import strip_unsafe

KB_FILE_NAME = "entities.toml"
ENTITY_TYPES = ("person", "organization", "place", "event", "group")
"""event also covers agreements and rulings."""


class KnowledgeBaseError(ValueError):
    """entities.toml cannot be used; the message names the file and the problem."""


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
    hidden: tuple[str, ...] = ()
    """Names discovery must never make an entity of (the file's top-level `hidden` array):
    words it took for names ("Net", "Election") that the reader hid."""
    hidden_keys: frozenset[str] = field(default=frozenset(), init=False, compare=False)
    """`hidden` as names are compared (case-, accent- and spacing-blind; see `name_key`)."""

    def __post_init__(self) -> None:
        self.by_id.update({entity.id: entity for entity in self.entities})
        object.__setattr__(self, "hidden_keys", frozenset(name_key(name) for name in self.hidden))


def name_key(name: str) -> str:
    """How names are compared when deciding whether two are the same: folded (case, accents,
    apostrophes) with runs of spaces made one, as the registry and discovery compare them."""
    return " ".join(fold(name).split())


def load_kb(corpus_dir: Path) -> KnowledgeBase:
    """Load `entities.toml` from the corpus folder; a missing file is an empty KB.

    Raises:
        KnowledgeBaseError: for malformed TOML, a missing field, an unknown type, an alias
            given to two entities, or a `hidden` that is not a list of names. Nothing is
            indexed from a bad file: the message says what to fix.
    """
    path = corpus_dir / KB_FILE_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return KnowledgeBase()
    except OSError as error:
        raise KnowledgeBaseError(f"{path}: cannot read ({error.strerror})") from None
    return parse_kb(raw, path)


def parse_kb(raw: bytes, path: Path) -> KnowledgeBase:
    """The knowledge base in `raw`, the bytes of an entities.toml (`path` names it in messages).

    Curation checks a file it is about to edit, and the text it is about to write, with
    this same function, so nothing the indexer would refuse is ever written.

    Raises:
        KnowledgeBaseError: as `load_kb`.
    """
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise KnowledgeBaseError(f"{path}: {error}") from None
    except RecursionError:  # tomllib reads nested arrays and tables recursively
        raise KnowledgeBaseError(f"{path}: values nested too deeply") from None
    items = data.get("entity", [])
    if not isinstance(items, list):
        raise KnowledgeBaseError(f"{path}: 'entity' must be an array of tables ([[entity]])")
    entities = [_entity(path, number, item) for number, item in enumerate(items, start=1)]
    _check_unique(path, entities)
    listed = data.get("hidden", [])
    hidden = [_shown(name) for name in listed] if isinstance(listed, list) else []
    if not isinstance(listed, list) or not all(hidden):
        raise KnowledgeBaseError(f"{path}: 'hidden' must be a list of non-empty strings (names never to discover)")
    return KnowledgeBase(tuple(entities), hashlib.sha256(raw).hexdigest()[:16], hidden=tuple(hidden))


def _entity(path: Path, number: int, item: object) -> Entity:
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
