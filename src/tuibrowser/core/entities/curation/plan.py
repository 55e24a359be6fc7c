"""What an operation means for the knowledge base, decided on plain data before any file is touched.

A `Draft` holds the curated entities in file order, the hidden names, and the discovered
entities of the last sync (from the registry). Each operation edits the draft; the TOML
editor then makes the file say the same, and the result is checked against the draft.

Rules that keep ids (the reader's bookmarks and watches) and links stable:

- An operation on a discovered entity other than hiding first promotes it: a new [[entity]]
  table with its id, name, type and aliases, so its id does not change.
- Renaming keeps the id (written into the table if it was implied by the old name) and,
  unless told otherwise, the old name as an alias, so articles that write it stay linked.
- No spelling is ever given to two entities: a name or alias another entity (curated or
  discovered) already has is refused with that entity's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from slugify import slugify

from tuibrowser.core.entities.curation.ops import (
    AddAlias,
    AliasConflict,
    CurationError,
    CurationOp,
    Hide,
    Merge,
    Promote,
    RemoveAlias,
    Rename,
    Retype,
    Split,
    Unhide,
    UnknownEntity,
)
from tuibrowser.core.entities.kb import ENTITY_TYPES, Entity, KnowledgeBase, name_key
from tuibrowser.core.entities.registry import EntityNotFound, EntityRecord, Registry
from tuibrowser.core.sanitize import strip_unsafe

MAX_NAME = 300
"""Characters in a name or alias; longer is a mistake (a pasted paragraph), not a name."""


@dataclass
class Plan:
    """The knowledge base an operation leads to, and what to tell the reader about it."""

    entities: list[Entity]
    """Curated entities after the change, in file order (new ones where they will be written)."""
    hidden: list[str]
    summary: str
    affected: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: dict[str, str] = field(default_factory=dict)


def clean_name(text: str, what: str = "name") -> str:
    """A name or alias as it will be written and matched: one line, single spaces, nothing a
    terminal would act on (the rule entities.toml's own names get when loaded).

    Raises:
        CurationError: nothing is left, or it is too long to be a name.
    """
    cleaned = " ".join(strip_unsafe(text).split())
    if not cleaned:
        raise CurationError(f"the {what} is empty")
    if len(cleaned) > MAX_NAME:
        raise CurationError(f"the {what} is {len(cleaned)} characters long; a name has at most {MAX_NAME}")
    return cleaned


def check_type(kind: str) -> str:
    """`kind` if it is an entity type.

    Raises:
        CurationError: naming the types there are.
    """
    if kind not in ENTITY_TYPES:
        raise CurationError(f"type must be one of {', '.join(ENTITY_TYPES)}, not {kind!r}")
    return kind


def label(entity: Entity) -> str:
    """How messages name an entity: its name and its id."""
    return f"{entity.name} ({entity.id})"


class Draft:
    """The knowledge base being edited, with the discovered entities it may take in."""

    def __init__(self, kb: KnowledgeBase, discovered: list[Entity]):
        self.entities: list[Entity] = list(kb.entities)
        self.hidden: list[str] = list(kb.hidden)
        curated_keys = {name_key(s) for e in kb.entities for s in e.names()}
        # A discovered entity whose name is now curated (the file was edited since the last
        # sync) is gone at the next sync: leave it out.
        self.discovered: dict[str, Entity] = {
            e.id: e
            for e in discovered
            if e.discovered and e.id not in kb.by_id and name_key(e.name) not in curated_keys
        }
        self.affected: list[str] = []
        self.added: list[str] = []
        self.removed: list[str] = []
        self.notes: list[str] = []

    # Looking things up.

    def curated(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def find(self, reference: str) -> Entity:
        """The entity `reference` names: an id, a name or an alias; curated ones first.

        Raises:
            UnknownEntity: with close names.
        """
        records = [EntityRecord(e, 0, 0) for e in (*self.discovered.values(), *self.entities)]
        try:
            return Registry(records).find(reference).entity
        except EntityNotFound as error:
            raise UnknownEntity(str(error), error.close) from None

    def owner(self, spelling: str, *, besides: tuple[str, ...] = ()) -> Entity | None:
        """The entity (other than those in `besides`) that has `spelling` as name or alias."""
        key = name_key(spelling)
        for entity in (*self.entities, *self.discovered.values()):
            if entity.id not in besides and any(name_key(s) == key for s in entity.names()):
                return entity
        return None

    def claim(self, spelling: str, entity: Entity, *, besides: tuple[str, ...] = ()) -> None:
        """Refuse to give `spelling` to `entity` when another entity has it.

        Raises:
            AliasConflict: naming the owner.
        """
        owner = self.owner(spelling, besides=(entity.id, *besides))
        if owner is None:
            return
        hint = f"; merge {owner.name} into {entity.name} instead" if owner.discovered else ""
        raise AliasConflict(
            f"{spelling!r} already belongs to {label(owner)}{' (discovered)' if owner.discovered else ''}{hint}",
            owner.id,
            owner.name,
        )

    def taken_ids(self) -> set[str]:
        return {e.id for e in self.entities} | set(self.discovered)

    # Changing things.

    def touch(self, *ids: str) -> None:
        for entity_id in ids:
            if entity_id not in self.affected:
                self.affected.append(entity_id)

    def editable(self, entity: Entity) -> Entity:
        """The curated entity to edit: a discovered one is promoted first (same id)."""
        if not entity.discovered:
            return entity
        return self.promote(entity)

    def promote(self, entity: Entity) -> Entity:
        """Write a discovered entity into the draft as a curated one, keeping its id."""
        entity_id = entity.id
        if entity_id in {e.id for e in self.entities}:  # a stale registry: the id was curated since
            entity_id = unique_id(entity.id, self.taken_ids())
        names = {name_key(entity.name)}
        aliases = []
        for alias in entity.aliases:  # spellings differing only in case or accents match alike
            if name_key(alias) not in names:
                names.add(name_key(alias))
                aliases.append(alias)
        promoted = Entity(entity_id, entity.name, entity.type, tuple(aliases), entity.description, entity.wikidata)
        self.discovered.pop(entity.id, None)
        self.insert(promoted)
        self.notes.append(f"promoted {label(promoted)} into entities.toml")
        return promoted

    def insert(self, entity: Entity) -> None:
        """A new table goes after the last entity of its type (the end of its section in a
        file grouped by type), or at the end."""
        last = max((i for i, e in enumerate(self.entities) if e.type == entity.type), default=len(self.entities) - 1)
        self.entities.insert(last + 1, entity)
        self.added.append(entity.id)
        self.touch(entity.id)

    def put(self, entity: Entity) -> None:
        """Replace the curated entity with the same id."""
        index = next(i for i, e in enumerate(self.entities) if e.id == entity.id)
        self.entities[index] = entity
        self.touch(entity.id)

    def drop(self, entity_id: str) -> None:
        self.entities = [e for e in self.entities if e.id != entity_id]
        if entity_id in self.added:
            self.added.remove(entity_id)
        else:
            self.removed.append(entity_id)
        self.touch(entity_id)

    def plan(self, summary: str, moved: dict[str, str] | None = None) -> Plan:
        text = "; ".join([*self.notes, summary]) if self.notes else summary
        return Plan(
            list(self.entities),
            list(self.hidden),
            text,
            list(self.affected),
            list(self.added),
            list(self.removed),
            dict(moved or {}),
        )


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, ...: the first no entity has (as discovery numbers ids)."""
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def plan(kb: KnowledgeBase, discovered: list[Entity], op: CurationOp) -> Plan:
    """What `op` makes of the knowledge base `kb`, given the discovered entities of the last sync.

    Raises:
        UnknownEntity: an entity the operation names does not exist (with close names).
        AliasConflict: a spelling would belong to two entities.
        CurationError: anything else that makes no sense (an invalid type, an alias the
            entity does not have, a merge into itself).
    """
    draft = Draft(kb, discovered)
    if isinstance(op, Rename):
        return _rename(draft, op)
    if isinstance(op, Retype):
        return _retype(draft, op)
    if isinstance(op, AddAlias):
        return _add_alias(draft, op)
    if isinstance(op, RemoveAlias):
        return _remove_alias(draft, op)
    if isinstance(op, Merge):
        return _merge(draft, op)
    if isinstance(op, Split):
        return _split(draft, op)
    if isinstance(op, Hide):
        return _hide(draft, op)
    if isinstance(op, Unhide):
        return _unhide(draft, op)
    return _promote(draft, op)


def _rename(draft: Draft, op: Rename) -> Plan:
    new = clean_name(op.name)
    found = draft.find(op.entity)
    if new == found.name:
        return draft.plan(f"{label(found)} is already called {new!r}")
    draft.claim(new, found)
    entity = draft.editable(found)
    old = entity.name
    aliases = [a for a in entity.aliases if name_key(a) != name_key(new)]
    if op.keep_old_name and name_key(old) != name_key(new):
        aliases.append(old)
    draft.put(replace(entity, name=new, aliases=tuple(aliases)))
    kept = "; the old name stays an alias" if op.keep_old_name and name_key(old) != name_key(new) else ""
    return draft.plan(f"renamed {old} ({entity.id}) to {new}{kept}")


def _retype(draft: Draft, op: Retype) -> Plan:
    kind = check_type(op.type)
    found = draft.find(op.entity)
    if found.type == kind:
        return draft.plan(f"{label(found)} is already {_a(kind)}")
    if found.discovered:
        # Promoted straight to its new type, so it is written in that type's section.
        entity = draft.promote(replace(found, type=kind))
        draft.notes.clear()
        return draft.plan(f"promoted {label(entity)} into entities.toml as {_a(kind)}, not {_a(found.type)}")
    draft.put(replace(found, type=kind))
    return draft.plan(f"{label(found)} is now {_a(kind)}, not {_a(found.type)}")


def _a(kind: str) -> str:
    """ "a person", "an organization", "an event"."""
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"


def _add_alias(draft: Draft, op: AddAlias) -> Plan:
    alias = clean_name(op.alias, "alias")
    found = draft.find(op.entity)
    if any(s == alias for s in found.names()):
        return draft.plan(f"{alias!r} is already a name of {label(found)}")
    draft.claim(alias, found)
    entity = draft.editable(found)
    kept = [a for a in entity.aliases if a != alias]
    draft.put(replace(entity, aliases=(*kept, alias)))
    return draft.plan(f"{alias!r} is now an alias of {label(entity)}")


def _alias_of(entity: Entity, text: str) -> str:
    """The alias of `entity` that `text` is: the same spelling, else the same folded.

    Raises:
        CurationError: it is the entity's name, or not one of its aliases.
    """
    if text in entity.aliases:
        return text
    same = [a for a in entity.aliases if name_key(a) == name_key(text)]
    if len(same) == 1:
        return same[0]
    if name_key(text) == name_key(entity.name):
        raise CurationError(f"{text!r} is the name of {label(entity)}, not an alias; rename it first")
    if same:
        raise CurationError(f"{label(entity)} has several aliases like {text!r}: {', '.join(map(repr, same))}")
    listed = ", ".join(repr(a) for a in entity.aliases) or "none"
    raise CurationError(f"{text!r} is not an alias of {label(entity)} (its aliases: {listed})")


def _remove_alias(draft: Draft, op: RemoveAlias) -> Plan:
    found = draft.find(op.entity)
    alias = _alias_of(found, clean_name(op.alias, "alias"))
    entity = draft.editable(found)
    draft.put(replace(entity, aliases=tuple(a for a in entity.aliases if a != alias)))
    return draft.plan(f"{alias!r} is no longer an alias of {label(entity)}")


def _merge(draft: Draft, op: Merge) -> Plan:
    source = draft.find(op.entity)
    target = draft.find(op.into)
    if source.id == target.id:
        raise CurationError(f"{op.entity!r} and {op.into!r} are the same entity, {label(source)}")
    for spelling in source.names():
        draft.claim(spelling, target, besides=(source.id,))
    entity = draft.editable(target)
    have = {name_key(s) for s in entity.names()}
    aliases = list(entity.aliases)
    for spelling in source.names():
        if name_key(spelling) not in have:
            have.add(name_key(spelling))
            aliases.append(spelling)
    # What the target lacks, the merged entity may know (a description, a Wikidata id).
    merged = replace(
        entity,
        aliases=tuple(aliases),
        description=entity.description or source.description,
        wikidata=entity.wikidata or source.wikidata,
    )
    draft.put(merged)
    if source.discovered:
        # Its names are the target's aliases now, linked before discovery looks: it is not
        # found apart again, and nothing needs hiding.
        draft.discovered.pop(source.id, None)
        draft.removed.append(source.id)
        draft.touch(source.id)
    else:
        draft.drop(source.id)
    return draft.plan(
        f"merged {label(source)} into {label(merged)}: its names are aliases of {merged.name} now",
        {source.id: merged.id},
    )


def _split(draft: Draft, op: Split) -> Plan:
    found = draft.find(op.entity)
    alias = _alias_of(found, clean_name(op.alias, "alias"))
    kind = check_type(op.type) if op.type is not None else found.type
    entity = draft.editable(found)
    draft.put(replace(entity, aliases=tuple(a for a in entity.aliases if a != alias)))
    new = Entity(unique_id(slugify(alias) or "entity", draft.taken_ids()), alias, kind)
    draft.insert(new)
    return draft.plan(f"split {alias!r} off {label(entity)} into a new entity, {label(new)}, {_a(kind)}")


def _hide(draft: Draft, op: Hide) -> Plan:
    name = clean_name(op.name)
    try:
        found: Entity | None = draft.find(name)
    except UnknownEntity:
        found = None
    if found is not None and not found.discovered:
        raise CurationError(
            f"{label(found)} is curated: hiding is for names discovery found; "
            "remove its alias, or merge it into another entity"
        )
    hide = found.name if found is not None else name
    if any(name_key(h) == name_key(hide) for h in draft.hidden):
        return draft.plan(f"{hide!r} is already hidden")
    draft.hidden.append(hide)
    if found is not None:
        draft.discovered.pop(found.id, None)
        draft.removed.append(found.id)
        draft.touch(found.id)
        return draft.plan(f"hid {label(found)}: discovery will not make an entity of {hide!r} again")
    return draft.plan(f"hid {hide!r}: discovery will not make an entity of it (none has this name now)")


def _unhide(draft: Draft, op: Unhide) -> Plan:
    name = clean_name(op.name)
    same = [h for h in draft.hidden if name_key(h) == name_key(name)]
    if not same:
        listed = ", ".join(repr(h) for h in draft.hidden) or "none"
        raise CurationError(f"{name!r} is not hidden (hidden: {listed})")
    draft.hidden = [h for h in draft.hidden if h not in same]
    return draft.plan(f"{same[0]!r} is no longer hidden: discovery may find it again")


def _promote(draft: Draft, op: Promote) -> Plan:
    found = draft.find(op.entity)
    if not found.discovered:
        return draft.plan(f"{label(found)} is already in entities.toml")
    entity = draft.promote(found)
    draft.notes.clear()
    return draft.plan(f"promoted {label(entity)} into entities.toml")
