"""Entity resolution kept current article by article, with the result `resolve` would give.

`resolve.resolve` weighs every article's candidates together; run whole after every change
it cost seconds at 29,000 articles (and the JSON it kept, another ten). Its result depends on
each article only through that article's part of a few corpus-wide tallies, and an
article's part depends on two corpus-wide facts only (which single names are titled
people; which surnames have exactly one full name). So the bookkeeping keeps, per article,
its extraction and its part, and corpus-wide the sums; a change takes the old part of the
articles it touches away and adds the new one:

1. titled names: sums updated from the changed articles; the articles whose inferences
   depend on a name whose status flipped are redone too (found through `infer_deps`);
   common nouns (words some article writes in lower case) are summed the same way;
2. surnames: the same, one step on (`surname_deps`); then merges of spellings (acronyms
   defined, shorter organisation names): their facts summed, the keys whose merge target
   changed found by walking the merge edges back, their articles redone (`merge_deps`);
3. tallies: every redone article's old part taken away, the new one added; only the keys
   touched (and those whose common-noun status flipped) are read and decided again;
4. ids: given again in key order only when an entity appeared, left or was renamed, so
   "Brown" may become "brown-2" exactly as a rebuild would name it;
5. final mentions: recomputed for the redone articles and for those mentioning an entity
   whose id or type changed, or naming it inside a longer name (found through `refs`).

Every step reads and writes rows of the bookkeeping (core.bookkeeping); nothing reads all
articles unless all of them changed. Tests compare the outcome with `resolve` over the whole
corpus after sequences of changes.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

from tuibrowser.core.bookkeeping import Bookkeeping
from tuibrowser.core.entities.discovery import Candidate
from tuibrowser.core.entities.kb import Entity, KnowledgeBase
from tuibrowser.core.entities.linker import Mention
from tuibrowser.core.entities.resolve import (
    CANONICAL_SOURCES,
    Extraction,
    MergeFacts,
    Part,
    Tally,
    _key,
    accept,
    assign_ids,
    base_of,
    bearer,
    direct_target,
    display,
    final_mentions,
    follow,
    infer,
    inference_keys,
    inner_keys,
    key_candidates,
    lone_bearer,
    merge_facts,
    merged_keys,
    surname_pairs,
    tally_parts,
    titled_keys,
    usable,
)


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """One article as resolution last saw it: its extraction and its part in the sums."""

    hash: str
    extraction: Extraction
    inferred: tuple[int, ...]
    keys: tuple[str, ...]
    consulted: tuple[str, ...]
    """Surnames its keys depended on (see resolve.key_candidates)."""
    final: tuple[Mention, ...]
    premerged: tuple[str, ...] = ()
    """Its keys before merging (`keys` are after): a change of their merge target redoes it."""


@dataclass(frozen=True, slots=True)
class Discovered:
    """An accepted key and the entity it is."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    base: str


@dataclass
class Outcome:
    """What a change did: what the indexer must write, and what the registry must say."""

    final: dict[str, tuple[Mention, ...]] = field(default_factory=dict)
    """New final mentions of every article redone (changed ones included)."""
    previous: dict[str, tuple[Mention, ...]] = field(default_factory=dict)
    """Their final mentions before, for those that had a record."""
    retyped: set[str] = field(default_factory=set)
    """Entity ids whose type changed, appeared or left (quotes depend on speakers' types)."""
    discovered: dict[str, Discovered] = field(default_factory=dict)
    """Every accepted key after the change."""
    before: dict[str, Discovered] = field(default_factory=dict)
    """Every accepted key before it."""

    def types(self, kb: KnowledgeBase) -> dict[str, str]:
        """Entity id -> type, curated and discovered (for attributing quotes)."""
        found = {d.id: d.type for d in self.discovered.values()}
        found.update({e.id: e.type for e in kb.entities})
        return found


_Write = (
    tuple[Literal["delete_pairs", "delete_short_full"], tuple[str, list[tuple[str, str]]]]
    | tuple[Literal["delete_pairs_surnames"], list[tuple[str, str]]]
    | tuple[Literal["delete_in"], tuple[str, str, Iterable[str]]]
    | tuple[Literal["insert"], tuple[str, Sequence[tuple[Any, ...]]]]
)
"""One planned write of `Resolver.write`: (verb, its arguments)."""


class Resolver:
    """Applies changes of articles' extractions to the resolution kept in `db`.

    `apply` computes everything first and writes nothing; `write` then puts the rows in the
    caller's transaction (after Whoosh's commit: see core.bookkeeping).
    """

    def __init__(
        self,
        db: Bookkeeping,
        kb: KnowledgeBase,
        *,
        kb_changed: bool = False,
        empty: bool = False,
        hidden_before: frozenset[str] | None = None,
    ):
        self.db = db
        self.kb = kb
        self.hidden_before = kb.hidden_keys if hidden_before is None else hidden_before
        """Name keys hidden when the index was last linked (`kb.hidden_keys` now): an entity
        whose name joins or leaves them leaves or rejoins the output, keeping its id."""
        self.kb_changed = kb_changed
        """The curated ids may have changed: discovered ids are given again."""
        self.empty = empty
        """Start from nothing (a rebuild, new rules): what is kept is neither read nor kept;
        the caller clears the tables before `write`."""
        self._writes: list[_Write] = []
        self._plan: Callable[[], None] | None = None
        """Makes `_writes` from the last `apply` (see there)."""

    # Reading what is kept.

    def records(self, paths: Iterable[str]) -> dict[str, ArticleRecord]:
        if self.empty:
            return {}
        rows = self.db.rows_in("SELECT path, record FROM extractions WHERE path IN ({})", paths)
        return {path: _record_from_json(record) for path, record in rows}

    def _paths_depending(self, table: str, keys: Iterable[str]) -> set[str]:
        if self.empty:
            return set()
        return {path for _, path in self.db.rows_in(f"SELECT key, path FROM {table} WHERE key IN ({{}})", keys)}

    # The change.

    def apply(self, changes: Mapping[str, tuple[str, Extraction] | None]) -> Outcome:
        """Apply changed articles: path -> (content hash, extraction), or None when gone."""
        old = self.records(changes)
        removed = {path for path, change in changes.items() if change is None and path in old}
        current = {path: (change[0], usable(change[1])) for path, change in changes.items() if change is not None}

        def extraction(path: str) -> Extraction:
            return current[path][1] if path in current else old[path].extraction

        # 1. Titled names.
        titled = {} if self.empty else dict(self.db.conn.execute("SELECT key, n FROM titled").fetchall())
        titled_delta: Counter[str] = Counter()
        for path in old:
            titled_delta.subtract(titled_keys(old[path].extraction))
        for path in current:
            titled_delta.update(titled_keys(current[path][1]))
        flipped: set[str] = set()
        for key, delta in titled_delta.items():
            if delta:
                before = titled.get(key, 0)
                titled[key] = before + delta
                if (before > 0) != (titled[key] > 0):
                    flipped.add(key)
        titled_now = {key for key, n in titled.items() if n > 0}
        redo = set(current) | (self._paths_depending("infer_deps", flipped) - removed)
        old.update(self.records(redo - set(old)))
        inferred = {path: infer(extraction(path), titled_now) for path in redo}

        # Common nouns: the keys whose status flips are decided again (step 4).
        common_delta: Counter[str] = Counter()
        for path in set(current) | removed:
            if path in old:
                common_delta.subtract(old[path].extraction.common)
            if path in current:
                common_delta.update(current[path][1].common)
        common_delta = Counter({key: n for key, n in common_delta.items() if n})
        common = self._counts("common", common_delta)
        common_flipped = {k for k, n in common_delta.items() if (common.get(k, 0) > 0) != (common.get(k, 0) + n > 0)}
        for key, n in common_delta.items():
            common[key] = common.get(key, 0) + n
        # Whether a lone word is a titled surname weighs its titles against its lower-case
        # uses (`titled_surname`): where that changes, lone surnames attach again (step 2).
        weighed = {key for key, n in titled_delta.items() if n} | set(common_delta)
        common.update(self._counts("common", weighed - set(common)))
        surname_flipped = {
            key
            for key in weighed
            if _titled_status(titled.get(key, 0), common.get(key, 0))
            != _titled_status(titled.get(key, 0) - titled_delta[key], common.get(key, 0) - common_delta[key])
        }

        # Merge facts of the articles whose extraction or inferences changed.
        merge_delta = MergeFacts()
        for path in redo | removed:
            if path in old:
                merge_delta.add(*merge_facts(old[path].extraction, old[path].inferred), sign=-1)
            if path in redo:
                merge_delta.add(*merge_facts(extraction(path), inferred[path]))

        # 2. Surnames with one full name.
        pair_delta: Counter[tuple[str, str]] = Counter()
        for path in redo | removed:
            if path in old:
                pair_delta.subtract(surname_pairs(old[path].extraction, old[path].inferred))
        for path in redo:
            pair_delta.update(surname_pairs(extraction(path), inferred[path]))
        pair_delta = Counter({pair: n for pair, n in pair_delta.items() if n})
        surnames = {surname for surname, _ in pair_delta}
        pairs = self._pairs(surnames)

        def bearers(surname: str) -> tuple[str | None, str | None]:
            """Who the surname means, where an article shows it is a person's and where not."""
            fulls = pairs.get(surname, {})
            return bearer(fulls, True), bearer(fulls, False, common.get(surname, 0) > 0)

        only_before = {surname: bearers(surname) for surname in surnames}
        for (surname, full), n in pair_delta.items():
            fulls = pairs.setdefault(surname, {})
            fulls[full] = fulls.get(full, 0) + n
        reattached = {surname for surname in surnames if bearers(surname) != only_before[surname]}
        # Titled or not: whether a lone surname may go to a dominant full name; written in
        # lower case somewhere or not: whether its only full name may claim it (`bearer`).
        reattached |= flipped | surname_flipped | common_flipped
        for path in self._paths_depending("surname_deps", reattached) - removed - redo:
            redo.add(path)
        old.update(self.records(redo - set(old)))
        for path in redo:
            if path not in inferred:
                inferred[path] = old[path].inferred  # its inferences did not change

        # Merges: redo the articles with a key whose merge target changed.
        merges = _Merges(self, merge_delta)
        for path in self._paths_depending("merge_deps", merges.changed()) - removed - redo:
            redo.add(path)
        old.update(self.records(redo - set(old)))
        for path in redo:
            if path not in inferred:
                inferred[path] = old[path].inferred

        consult: set[str] = set()
        for path in redo:
            consult |= _lone_names(extraction(path), inferred[path])
        pairs.update(self._pairs(consult - set(pairs)))

        common.update(self._counts("common", consult - set(common)))

        def only_full(surname: str, person: bool, possessive: bool) -> str | None:
            return lone_bearer(surname, pairs.get(surname, {}), person, possessive, titled, common)

        keyed = {path: key_candidates(extraction(path), inferred[path], only_full) for path in redo}
        merges.prefetch({key for keys, _ in keyed.values() for key in keys})
        merged = {path: merged_keys(keyed[path][0], merges.target_after) for path in redo}

        # 3. Tallies of the keys touched.
        parts: dict[str, list[tuple[int, Part]]] = defaultdict(list)
        for path in redo | removed:
            if path in old:
                record = old[path]
                for key, part in tally_parts(record.extraction, record.inferred, record.keys):
                    parts[key].append((-1, part))
        for path in redo:
            for key, part in tally_parts(extraction(path), inferred[path], merged[path]):
                parts[key].append((1, part))
        touched = set(parts) | common_flipped
        tallies = self._tallies(touched)
        common.update(self._counts("common", touched - set(common)))
        for key, changes_of_key in parts.items():
            summed = tallies.setdefault(key, Tally())
            for sign, part in changes_of_key:
                summed.add(part, sign)

        # 4. Accepted keys, and ids when the set or a name changed.
        discovered = self._discovered()
        before = dict(discovered)
        renamed = self.kb_changed
        for key in sorted(touched):
            tally = tallies.get(key)
            if tally is None:
                continue  # a word seen in lower case that no article names
            kind = accept(tally, common.get(key, 0) > 0) if tally.mentions > 0 else None
            if kind is None:
                renamed |= discovered.pop(key, None) is not None
                continue
            name, aliases = display(tally, key)
            was = discovered.get(key)
            base = was.base if was is not None and was.name == name else base_of(name)
            renamed |= was is None or was.base != base
            discovered[key] = Discovered(was.id if was else "", name, kind, aliases, base)
        if renamed:
            ids = assign_ids([(key, d.base) for key, d in discovered.items()], set(self.kb.by_id))
            discovered = {key: _with_id(d, ids[key]) for key, d in discovered.items()}
        # Hidden names leave the output after ids are given, as in `resolve`: hiding one name
        # never renumbers another entity (ids are the reader's bookmarks and watches).
        shown_before = _visible(before, self.hidden_before)
        shown = _visible(discovered, self.kb.hidden_keys)
        # Moved: an id or a type changed (a name inside an organisation's is a mention only
        # when it is a place's or an organisation's).
        moved = {k for k in set(shown_before) | set(shown) if _id_type(shown_before.get(k)) != _id_type(shown.get(k))}
        outcome = Outcome(discovered=shown, before=shown_before)
        for key in set(shown_before) | set(shown):
            was, now = shown_before.get(key), shown.get(key)
            if was is None or now is None or was.id != now.id or was.type != now.type:
                outcome.retyped |= {d.id for d in (was, now) if d is not None}

        # 5. Final mentions.
        refinal = redo | (self._paths_depending("refs", moved) - removed)
        old.update(self.records(refinal - set(old)))
        ids_now = {key: d.id for key, d in shown.items()}
        kinds_now = {d.id: d.type for d in shown.values()}
        for path in refinal:
            keys = merged[path] if path in merged else old[path].keys
            outcome.final[path] = final_mentions(extraction(path), keys, ids_now, kinds_now)
            if path in old:
                outcome.previous[path] = old[path].final
        for path in removed:
            outcome.previous[path] = old[path].final

        # The rows are made in `write` (their JSON is a fifth of the work here), so a caller
        # can let them be made while it waits for something else (the indexer's writers).
        self._plan = partial(
            self._plan_writes,
            old, removed, current, inferred, keyed, merged, outcome, titled_delta, titled, pair_delta, pairs,
            tallies, parts, before, discovered, common_delta, common, merges,
        )  # fmt: skip
        return outcome

    def _counts(self, table: str, keys: Iterable[str]) -> dict[str, int]:
        if self.empty:
            return {}
        return dict(self.db.rows_in(f"SELECT key, n FROM {table} WHERE key IN ({{}})", keys))

    def _pairs(self, surnames: Iterable[str]) -> dict[str, dict[str, int]]:
        found: dict[str, dict[str, int]] = {}
        if self.empty:
            return found
        for surname, full, n in self.db.rows_in(
            "SELECT surname, full, n FROM surnames WHERE surname IN ({})", surnames
        ):
            found.setdefault(surname, {})[full] = n
        return found

    def _tallies(self, keys: Iterable[str]) -> dict[str, Tally]:
        if self.empty:
            return {}
        return {
            key: _tally_from_json(data)
            for key, data in self.db.rows_in("SELECT key, data FROM tallies WHERE key IN ({})", keys)
        }

    def _discovered(self) -> dict[str, Discovered]:
        if self.empty:
            return {}
        rows = self.db.conn.execute("SELECT key, id, name, type, aliases, base FROM discovered").fetchall()
        return {
            key: Discovered(id_, name, kind, tuple(json.loads(aliases)), base)
            for key, id_, name, kind, aliases, base in rows
        }

    # Writing.

    def _plan_writes(
        self,
        old: dict[str, ArticleRecord],
        removed: set[str],
        current: dict[str, tuple[str, Extraction]],
        inferred: dict[str, tuple[int, ...]],
        keyed: dict[str, tuple[tuple[str, ...], frozenset[str]]],
        merged: dict[str, tuple[str, ...]],
        outcome: Outcome,
        titled_delta: Counter[str],
        titled: dict[str, int],
        pair_delta: Counter[tuple[str, str]],
        pairs: dict[str, dict[str, int]],
        tallies: dict[str, Tally],
        parts: dict[str, list[tuple[int, Part]]],
        before: dict[str, Discovered],
        discovered: dict[str, Discovered],
        common_delta: Counter[str],
        common: dict[str, int],
        merges: _Merges,
    ) -> None:
        plan: list[_Write] = []
        # Per article: the record, and its rows in the dependency tables.
        gone_refs, new_refs = [], []
        gone_infer, new_infer = [], []
        gone_consult, new_consult = [], []
        gone_merge, new_merge = [], []
        for path in removed | set(inferred):
            record = old.get(path)
            if record is not None:
                gone_refs += [(key, path) for key in set(record.keys) | inner_keys(record.extraction)]
                gone_infer += [(last, path) for last in {last for _, last in inference_keys(record.extraction)}]
                gone_consult += [(key, path) for key in set(record.consulted)]
                gone_merge += [(key, path) for key in record.premerged]
        rows = []
        for path, final in outcome.final.items():
            if path in inferred:
                extraction = current[path][1] if path in current else old[path].extraction
                digest = current[path][0] if path in current else old[path].hash
                premerged, consulted = keyed[path]
                keys = merged[path]
                new_refs += [(key, path) for key in set(keys) | inner_keys(extraction)]
                new_infer += [(last, path) for last in {last for _, last in inference_keys(extraction)}]
                new_consult += [(key, path) for key in set(consulted)]
                unmerged = tuple(sorted(set(premerged)))
                new_merge += [(key, path) for key in unmerged]
                record = ArticleRecord(
                    digest, extraction, inferred[path], keys, tuple(sorted(consulted)), final, unmerged
                )
            else:
                was = old[path]
                record = ArticleRecord(
                    was.hash, was.extraction, was.inferred, was.keys, was.consulted, final, was.premerged
                )
            rows.append((path, _record_to_json(record)))
        plan.append(("delete_pairs", ("refs", gone_refs)))
        plan.append(("delete_pairs", ("infer_deps", gone_infer)))
        plan.append(("delete_pairs", ("surname_deps", gone_consult)))
        plan.append(("delete_pairs", ("merge_deps", gone_merge)))
        plan.append(("delete_in", ("extractions", "path", removed)))
        plan.append(("insert", ("extractions", rows)))
        plan.append(("insert", ("refs", new_refs)))
        plan.append(("insert", ("infer_deps", new_infer)))
        plan.append(("insert", ("surname_deps", new_consult)))
        plan.append(("insert", ("merge_deps", new_merge)))
        # Common nouns and merge facts.
        plan.append(("delete_in", ("common", "key", [k for k in common_delta if common[k] <= 0])))
        plan.append(("insert", ("common", [(k, common[k]) for k in common_delta if common[k] > 0])))
        plan += merges.writes()
        # Sums.
        changed_titled = [key for key, delta in titled_delta.items() if delta]
        plan.append(("delete_in", ("titled", "key", [k for k in changed_titled if titled[k] <= 0])))
        plan.append(("insert", ("titled", [(k, titled[k]) for k in changed_titled if titled[k] > 0])))
        pair_rows = [(s, f, pairs[s][f]) for s, f in pair_delta]
        plan.append(("delete_pairs_surnames", [(s, f) for s, f, n in pair_rows if n <= 0]))
        plan.append(("insert", ("surnames", [row for row in pair_rows if row[2] > 0])))
        plan.append(("delete_in", ("tallies", "key", [k for k in parts if tallies[k].mentions <= 0])))
        plan.append(
            ("insert", ("tallies", [(k, _tally_to_json(tallies[k])) for k in parts if tallies[k].mentions > 0]))
        )
        # Discovered entities.
        plan.append(("delete_in", ("discovered", "key", [k for k in before if k not in discovered])))
        plan.append(
            (
                "insert",
                (
                    "discovered",
                    [
                        (k, d.id, d.name, d.type, json.dumps(list(d.aliases), ensure_ascii=False), d.base)
                        for k, d in discovered.items()
                        if before.get(k) != d
                    ],
                ),
            )
        )
        self._writes = plan

    def write(self) -> None:
        """Put the planned rows into the bookkeeping (inside the caller's transaction)."""
        if self._plan is not None:
            self._plan()
            self._plan = None
        db = self.db
        for planned in self._writes:
            if planned[0] == "delete_pairs":
                table, pairs = planned[1]
                db.delete_pairs(table, pairs)
            elif planned[0] == "delete_pairs_surnames":
                db.conn.executemany("DELETE FROM surnames WHERE surname = ? AND full = ?", planned[1])
            elif planned[0] == "delete_short_full":
                table, pairs = planned[1]
                db.conn.executemany(f"DELETE FROM {table} WHERE short = ? AND full = ?", pairs)
            elif planned[0] == "delete_in":
                table, column, keys = planned[1]
                db.delete_in(table, column, keys)
            elif planned[0] == "insert":
                table, rows = planned[1]
                db.insert(table, rows)
        self._writes = []


def reset(db: Bookkeeping) -> None:
    """Forget every article's resolution (a rebuild, or new rules: everything is redone)."""
    from tuibrowser.core.bookkeeping import RESOLUTION_TABLES

    db.clear(RESOLUTION_TABLES)


def _titled_status(titled: int, common: int) -> bool:
    """The counts' part of `titled_surname`: titled, and no more often written in lower case."""
    return titled > 0 and common <= titled


def _lone_names(extraction: Extraction, inferred: tuple[int, ...]) -> set[str]:
    """Surnames `key_candidates` may look up for this article (a superset)."""
    return {_key(c.name) for c in extraction.candidates if c.words == 1}


def _visible(found: Mapping[str, Discovered], hidden: frozenset[str]) -> dict[str, Discovered]:
    """`found` without the entities whose name is hidden (compared as `resolve` compares)."""
    if not hidden:
        return dict(found)
    return {key: d for key, d in found.items() if _key(d.name) not in hidden}


def _id(d: Discovered | None) -> str | None:
    return d.id if d is not None else None


def _id_type(d: Discovered | None) -> tuple[str, str] | None:
    return (d.id, d.type) if d is not None else None


class _Merges:
    """The corpus's merge facts as the bookkeeping keeps them, read by key, before and after
    one change's `delta` (resolve.MergeFacts counts the same facts for a whole corpus)."""

    def __init__(self, resolver: Resolver, delta: MergeFacts):
        self.resolver, self.delta = resolver, delta
        self._stored: dict[str, tuple[dict[str, int], dict[str, int], int]] = {}
        self._targets: dict[str, str] = {}

    def prefetch(self, keys: Iterable[str]) -> None:
        """Read the stored facts of `keys` in a few queries (one per table and chunk)."""
        missing = [key for key in dict.fromkeys(keys) if key not in self._stored]
        if not missing:
            return
        defined: dict[str, dict[str, int]] = defaultdict(dict)
        prefixes: dict[str, dict[str, int]] = defaultdict(dict)
        other: dict[str, int] = {}
        if not self.resolver.empty:
            db = self.resolver.db
            for short, full, n in db.rows_in("SELECT short, full, n FROM merge_defined WHERE short IN ({})", missing):
                defined[short][full] = n
            for short, full, n in db.rows_in("SELECT short, full, n FROM merge_prefix WHERE short IN ({})", missing):
                prefixes[short][full] = n
            other = dict(db.rows_in("SELECT key, n FROM merge_other WHERE key IN ({})", missing))
        for key in missing:
            self._stored[key] = (defined.get(key, {}), prefixes.get(key, {}), other.get(key, 0))

    def _facts(self, key: str, after: bool) -> tuple[dict[str, int], dict[str, int], int]:
        self.prefetch([key])
        defined, prefixes, other = self._stored[key]
        if not after:
            return defined, prefixes, other
        delta = self.delta
        return (
            _summed(defined, delta.defined.get(key)),
            _summed(prefixes, delta.prefixes.get(key)),
            other + delta.other.get(key, 0),
        )

    def direct_before(self, key: str) -> str | None:
        defined, prefixes, other = self._facts(key, after=False)
        return direct_target(key, defined, prefixes, other > 0)

    def direct_after(self, key: str) -> str | None:
        defined, prefixes, other = self._facts(key, after=True)
        return direct_target(key, defined, prefixes, other > 0)

    def target_after(self, key: str) -> str:
        found = self._targets.get(key)
        if found is None:
            found = self._targets[key] = follow(key, self.direct_after)
        return found

    def changed(self) -> set[str]:
        """Keys whose merge target this change moves: those whose facts changed, and those
        whose chain of merges passes through one of them (found by walking edges back)."""
        delta = self.delta
        start = {k for k, c in delta.defined.items() if +c or -c} | {k for k, c in delta.prefixes.items() if +c or -c}
        start |= {k for k, n in delta.other.items() if n}
        reach, frontier = set(start), set(start)
        while frontier:
            found: set[str] = set()
            if not self.resolver.empty:
                db = self.resolver.db
                for table in ("merge_defined", "merge_prefix"):
                    found |= {row[0] for row in db.rows_in(f"SELECT short FROM {table} WHERE full IN ({{}})", frontier)}
            for facts in (delta.defined, delta.prefixes):
                found |= {short for short, fulls in facts.items() if any(full in frontier for full in fulls)}
            found |= {short for key in frontier for short in CANONICAL_SOURCES.get(key, ())}
            frontier = found - reach
            reach |= frontier
        self.prefetch(reach)
        return {key for key in reach if follow(key, self.direct_before) != follow(key, self.direct_after)}

    def writes(self) -> list[_Write]:
        """The rows of the three fact tables this change alters."""
        plan: list[_Write] = []
        delta = self.delta
        self.prefetch([*delta.defined, *delta.prefixes, *delta.other])  # in a few queries, not three per key
        for table, facts, column in (("merge_defined", delta.defined, 0), ("merge_prefix", delta.prefixes, 1)):
            gone, rows = [], []
            for short, fulls in facts.items():
                stored_defined, stored_prefixes, _ = self._facts(short, after=False)
                stored = stored_prefixes if column else stored_defined
                for full, n in fulls.items():
                    if not n:
                        continue
                    total = stored.get(full, 0) + n
                    if total > 0:
                        rows.append((short, full, total))
                    else:
                        gone.append((short, full))
            plan.append(("delete_short_full", (table, gone)))
            plan.append(("insert", (table, rows)))
        changed = {key: self._facts(key, after=True)[2] for key, n in delta.other.items() if n}
        plan.append(("delete_in", ("merge_other", "key", [k for k, n in changed.items() if n <= 0])))
        plan.append(("insert", ("merge_other", [(k, n) for k, n in changed.items() if n > 0])))
        return plan


def _summed(stored: Mapping[str, int], delta: Mapping[str, int] | None) -> dict[str, int]:
    if not delta:
        return dict(stored)
    total = dict(stored)
    for full, n in delta.items():
        total[full] = total.get(full, 0) + n
    return total


def _with_id(d: Discovered, entity_id: str) -> Discovered:
    return d if d.id == entity_id else Discovered(entity_id, d.name, d.type, d.aliases, d.base)


def discovered_entities(found: Mapping[str, Discovered]) -> list[Entity]:
    """The discovered entities, by id (as `resolve` lists them)."""
    return sorted(
        (Entity(d.id, d.name, d.type, d.aliases, discovered=True) for d in found.values()), key=lambda e: e.id
    )


# Records as JSON (compact lists, read back exactly).


def _record_to_json(record: ArticleRecord) -> str:
    extraction = record.extraction
    return json.dumps(
        [
            record.hash,
            [[m.entity_id, m.start, m.end] for m in extraction.known],
            [c.to_row() for c in extraction.candidates],
            list(record.inferred),
            list(record.keys),
            list(record.consulted),
            [[m.entity_id, m.start, m.end] for m in record.final],
            list(extraction.common),
            list(record.premerged),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _record_from_json(text: str) -> ArticleRecord:
    digest, known, candidates, inferred, keys, consulted, final, common, premerged = json.loads(text)
    return ArticleRecord(
        digest,
        Extraction(tuple(Mention(*m) for m in known), tuple(Candidate(*c) for c in candidates), tuple(common)),
        tuple(inferred),
        tuple(keys),
        tuple(consulted),
        tuple(Mention(*m) for m in final),
        tuple(premerged),
    )


def _tally_to_json(tally: Tally) -> str:
    return json.dumps(
        [+tally.forms, +tally.votes, +tally.strong, tally.mentions, tally.noninitial, tally.multi, +tally.gazetteer],
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,  # the same bytes whatever order the counts were made in: derived data rebuilds identically
    )


def _tally_from_json(text: str) -> Tally:
    forms, votes, strong, mentions, noninitial, multi, gazetteer = json.loads(text)
    return Tally(Counter(forms), Counter(votes), Counter(strong), mentions, noninitial, multi, Counter(gazetteer))
