"""Make entities.toml say what a plan says, as a small edit that keeps its comments, order and layout.

tomlkit keeps every comment and blank line, but it files the comments *between* two
[[entity]] tables (a section heading such as "# Organisations") under the table before
them. So a table is never inserted or removed alone: the gap after it (its trailing blank
lines and comments) is handed on, so each comment stays where it stood relative to the
tables around it, and a new person goes after the last person, above "# Organisations".

Only values that changed are touched: a rename rewrites one `name = ...` line, an alias
appends to its array, a new entity is one new table. The result is checked by the caller
against the plan (parsed again, as the indexer reads it), so a layout this module does not
handle is refused, never written wrong.

tomlkit 0.15.2 is pinned: `Container._insert_at`/`_insert_after` (placing a key) and the
`body` lists of tables are used directly, as its public API only appends.
"""

from __future__ import annotations

from typing import Any

import tomlkit
from slugify import slugify
from tomlkit.items import AoT, Array, Comment, Item, Null, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

from tuibrowser.core.entities.curation.ops import CurationError
from tuibrowser.core.entities.kb import Entity, KnowledgeBase

NEW_FILE_HEADER = """\
# The curated knowledge base: one [[entity]] per real-world person, organisation, place,
# event (also agreements and rulings) or group. tuibrowser links every alias below, in any
# article, to its entity; names it finds that are not here are added as "discovered".
#
# Fields: id (slug, stable), name, type (person | organization | place | event | group),
# aliases (other spellings), description and wikidata (optional).
#
# hidden (optional, above the first [[entity]]): names tuibrowser took for entities that
# are not ("Net", "Election"); it never makes an entity of them again. Case and accents
# do not matter.
"""
"""The start of an entities.toml that curation creates (there was none)."""

_Body = list[tuple[Any, Item]]


def render(text: str, old: KnowledgeBase, entities: list[Entity], hidden: list[str]) -> str:
    """`text` (whose knowledge base is `old`) edited to hold `entities`, in that order, and `hidden`.

    Raises:
        CurationError: the file is laid out in a way this editor cannot change safely
            (entities written as an inline array).
    """
    doc = tomlkit.parse(text) if text.strip() else tomlkit.parse(NEW_FILE_HEADER)
    wanted = {e.id: e for e in entities}
    aot = _entity_tables(doc)
    # The loader reads the tables in order, so the old KB's entities pair with them by position.
    tables: dict[str, Table] = {e.id: table for e, table in zip(old.entities, aot or [], strict=True)}
    for entity in old.entities:
        if entity.id not in wanted:
            _remove_table(doc, tables.pop(entity.id))
    for entity in old.entities:
        if entity.id in wanted and wanted[entity.id] != entity:
            _update_table(tables[entity.id], entity, wanted[entity.id])
    previous: str | None = None
    for entity in entities:
        if entity.id not in tables:
            tables[entity.id] = _insert_table(doc, _table(entity), tables.get(previous) if previous else None)
        previous = entity.id
    if list(old.hidden) != hidden:
        _set_hidden(doc, old.hidden, hidden)
    return tomlkit.dumps(doc)


def _entity_tables(doc: TOMLDocument) -> AoT | None:
    if "entity" not in doc:
        return None
    aot = doc["entity"]
    if not isinstance(aot, AoT):
        raise CurationError("entities.toml writes its entities as an inline array; curation edits [[entity]] tables")
    return aot


# The gap after a table: its trailing blank lines and comments.


def _take_trailer(table: Table) -> _Body:
    body: _Body = table.value.body
    start = len(body)
    while start and body[start - 1][0] is None and isinstance(body[start - 1][1], (Whitespace, Comment, Null)):
        start -= 1
    trailer = body[start:]
    # Keyless items at the end hold no index in the table's key map, so cutting them is safe.
    del body[start:]
    return [item for item in trailer if not isinstance(item[1], Null)]


def _put_trailer(table: Table, trailer: _Body) -> None:
    table.value.body.extend(trailer)


def _has_comment(trailer: _Body) -> bool:
    return any(isinstance(item, Comment) for _, item in trailer)


def _blank() -> _Body:
    return [(None, Whitespace("\n"))]


def _remove_table(doc: TOMLDocument, table: Table) -> None:
    aot = doc["entity"]
    index = next(i for i, t in enumerate(aot.body) if t is table)
    trailer = _take_trailer(table)
    if len(aot.body) == 1:
        del doc["entity"]  # tomlkit would move an emptied array of tables to the top
        return
    if index > 0:
        before = aot.body[index - 1]
        gap = _take_trailer(before)
        if _has_comment(trailer):
            gap = _joined(gap, trailer) if _has_comment(gap) else trailer
        _put_trailer(before, gap or trailer)
    elif _has_comment(trailer):
        _before_tables(doc, trailer)
    del aot[index]


def _joined(first: _Body, second: _Body) -> _Body:
    """Two gaps as one: the blank line between them is kept once."""
    if first and isinstance(first[-1][1], Whitespace):
        while second and isinstance(second[0][1], Whitespace):
            second = second[1:]
    return [*first, *second]


def _before_tables(doc: TOMLDocument, trailer: _Body) -> None:
    """Keep the comments after a first table that is removed: they now stand before the tables."""
    body: _Body = doc.body
    where = next(i for i, (key, _) in enumerate(body) if key is not None and key.key == "entity")
    text = "".join(item.as_string() for _, item in _joined([(None, Whitespace("\n"))], trailer)[1:])
    if where and isinstance(body[where - 1][1], Whitespace):
        # Replaced in place, so no index in the document's key map moves.
        body[where - 1] = (None, Whitespace(body[where - 1][1].as_string() + text))
    else:
        _put_trailer(doc["entity"].body[1], trailer)  # never lose a comment, even out of place


def _insert_table(doc: TOMLDocument, table: Table, after: Table | None) -> Table:
    aot = _entity_tables(doc)
    if aot is None:
        if doc.body and not doc.as_string().endswith("\n\n"):
            doc.add(tomlkit.nl())
        aot = tomlkit.aot()
        aot.append(table)
        doc.append("entity", aot)
        first: Table = aot.body[0]
        return first
    if after is None:
        aot.insert(0, table)
        _put_trailer(aot.body[0], _blank())
        return aot.body[0]
    index = next(i for i, t in enumerate(aot.body) if t is after)
    trailer = _take_trailer(after)
    _put_trailer(after, _blank())
    aot.insert(index + 1, table)
    inserted: Table = aot.body[index + 1]
    _put_trailer(inserted, trailer)
    return inserted


def _table(entity: Entity) -> Table:
    table = tomlkit.table()
    table.add("id", entity.id)
    table.add("name", entity.name)
    table.add("type", entity.type)
    table.add("aliases", list(entity.aliases))
    if entity.description:
        table.add("description", entity.description)
    if entity.wikidata:
        table.add("wikidata", entity.wikidata)
    return table


# Changing one table.


def _update_table(table: Table, old: Entity, new: Entity) -> None:
    if new.name != old.name:
        table["name"] = new.name
        if "id" not in table and slugify(new.name) != new.id:
            # The id was implied by the old name: write it, so it stays (bookmarks, watches).
            table.value._insert_at(0, "id", new.id)
    if new.type != old.type:
        table["type"] = new.type
    if new.aliases != old.aliases:
        _set_list(table, "aliases", old.aliases, list(new.aliases), after="type")
    for key in ("description", "wikidata"):
        value = getattr(new, key)
        if value != getattr(old, key) and value is not None:
            _set_value(table, key, value)


def _set_value(table: Table, key: str, value: object) -> None:
    if key in table:
        table[key] = value
        return
    trailer = _take_trailer(table)
    table.add(key, value)
    _put_trailer(table, trailer)


def _set_list(container: Table | TOMLDocument, key: str, old: tuple[str, ...], new: list[str], *, after: str) -> None:
    """Make the array at `key` hold `new`, keeping its layout: items removed in place, new
    ones appended; rewritten whole only when the order itself changed."""
    array = container.get(key)
    if not isinstance(array, Array):
        if isinstance(container, Table) and after in container:
            container.value._insert_after(after, key, new)
        else:
            _set_value(container, key, new) if isinstance(container, Table) else container.add(key, new)
        return
    # The loader keeps the array's order and length, so `old[i]` is the item at `i`.
    kept = [i for i, value in enumerate(old) if value in new]
    remaining = [old[i] for i in kept]
    if remaining != new[: len(remaining)]:
        container[key] = new
        return
    for i in reversed(range(len(old))):
        if i not in kept:
            del array[i]
    for value in new[len(remaining) :]:
        array.append(value)


def _set_hidden(doc: TOMLDocument, old: tuple[str, ...], new: list[str]) -> None:
    body: _Body = doc.body
    if "hidden" in doc and not new:
        index = next(i for i, (key, _) in enumerate(body) if key is not None and key.key == "hidden")
        del doc["hidden"]
        after = body[index + 1][1] if index + 1 < len(body) else None
        if isinstance(after, Whitespace) and after.s == "\n":
            body[index + 1] = (None, Null())  # the blank line it was written with
        return
    if "hidden" in doc:
        _set_list(doc, "hidden", old, new, after="")
        return
    array = tomlkit.array()
    array.extend(new)
    array.multiline(True)  # one name a line: a hide or unhide is a one-line diff
    array.trivia.trail = "\n\n"
    # After the header comment (the first block of comments), before any section heading.
    where = 0
    while where < len(body) and body[where][0] is None and isinstance(body[where][1], Comment):
        where += 1
    if where < len(body) and body[where][0] is None and isinstance(body[where][1], Whitespace):
        where += 1
    if where < len(body):
        doc._insert_at(where, "hidden", array)
        return
    if body and isinstance(body[-1][1], Comment):
        doc.add(tomlkit.nl())  # a blank line after the header comment
    doc.append("hidden", array)
