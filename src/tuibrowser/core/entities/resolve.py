"""Turn per-article candidates into discovered entities, weighing evidence across the corpus.

Resolution is a pure function of every article's candidates, so an index rebuilt from the
same corpus gets the same entities and ids, whatever order articles were indexed in.

- A lone surname attaches to the full name the same article gives ("Mr Blair" after
  "Tony Blair"), or, failing that, to the only person of that surname in the corpus.
- A name's type is the one its strongest evidence says (a title, an organisation word),
  else the most frequent.
- A name is accepted only with enough evidence: a typed name of several words, or one word
  with strong evidence, or one word with weak evidence seen at least twice. A word seen only
  at sentence starts, with no evidence, is never accepted. A place gazetteer is evidence
  too: a country, capital or big city alone; a smaller town when it is capitalised
  mid-sentence somewhere and nothing says otherwise.
- Spellings of one thing are merged, by evidence (`merge_keys`): an acronym an article
  defines ("Securities and Exchange Commission (SEC)"), a shorter form of an organisation's
  name used beside it ("Continental" after "Continental Airlines"), a given name after
  "Sir" ("Sir Digby" of Digby Jones), and the curated short forms of `curated_aliases`
  ("Tories", "Conservatives"). Merged spellings become the entity's `aliases`.
- A discovered name inside a longer discovered name is linked too ("Delaware" in
  "University of Delaware"), with its own offsets, so mentions may overlap.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from slugify import slugify

from tuibrowser.core.entities.curated_aliases import CANONICAL
from tuibrowser.core.entities.discovery import Candidate
from tuibrowser.core.entities.gazetteer import PLACE, TOWN
from tuibrowser.core.entities.kb import Entity, KnowledgeBase
from tuibrowser.core.entities.lexicon import ORG_HEADS, ORG_WORDS, PLACE_WORDS, ROYAL_TITLES
from tuibrowser.core.entities.linker import Mention
from tuibrowser.core.entities.text import fold, is_acronym, tokenize

_NOT_IN_NAMES = ORG_WORDS | PLACE_WORDS | ORG_HEADS

MIN_WEAK_MENTIONS = 2
"""A one-word name with only weak evidence needs this many mentions in the corpus."""

MIN_WEAK_SHARE = 0.1
"""...and the evidence must come with at least this share of its mentions."""


@dataclass(frozen=True, slots=True)
class Extraction:
    """What linking and discovery found in one article, before corpus-wide resolution."""

    known: tuple[Mention, ...]
    candidates: tuple[Candidate, ...]


@dataclass
class _Tally:
    forms: Counter = field(default_factory=Counter)
    votes: Counter = field(default_factory=Counter)
    strong: Counter = field(default_factory=Counter)
    gazetteer: Counter = field(default_factory=Counter)
    mentions: int = 0
    initial_only: bool = True
    words: int = 1


@dataclass(frozen=True)
class Resolution:
    """Discovered entities, and every article's final mentions (known and discovered)."""

    discovered: tuple[Entity, ...]
    mentions: dict[str, tuple[Mention, ...]]


@lru_cache(maxsize=65536)
def _key(name: str) -> str:
    """A name as compared across articles; cached, as names repeat across a corpus."""
    return " ".join(fold(name).split())


@lru_cache(maxsize=65536)
def _person_shaped(name: str) -> bool:
    """Two or three capitalised words, no acronym, no organisation or place word.

    "Prince Charles" is not: its last word is a given name, not a surname to attach.
    """
    words = name.split()
    return (
        2 <= len(words) <= 3
        and fold(words[0]) not in ROYAL_TITLES
        and all(w[:1].isupper() and not is_acronym(w) for w in words)
        and not any(fold(w) in _NOT_IN_NAMES for w in words)
    )


def resolve(kb: KnowledgeBase, extractions: Mapping[str, Extraction]) -> Resolution:
    """Resolve all articles' candidates together; see the module docstring."""
    paths = sorted(extractions)
    # Words some article also writes in lower case are common nouns: never names alone.
    common = {_key(c.name) for path in paths for c in extractions[path].candidates if c.common}
    extractions = {
        path: Extraction(e.known, tuple(c for c in e.candidates if not c.common)) for path, e in extractions.items()
    }
    titled = _titled_surnames(extractions)
    extractions = {path: _infer_people(extractions[path], titled) for path in paths}
    surnames: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        for candidate in extractions[path].candidates:
            if candidate.evidence == "person" and _person_shaped(candidate.name):
                surnames[_key(candidate.name.split()[-1])].add(_key(candidate.name))

    merged = merge_keys({path: extractions[path].candidates for path in paths})
    keyed: dict[str, list[tuple[Candidate, str]]] = {}
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for path in paths:
        here = extractions[path].candidates
        people = [_key(c.name) for c in here if c.evidence == "person" and _person_shaped(c.name)]
        local = {name.split()[-1]: name for name in people}
        given = {name.split()[0]: name for name in people}
        keyed[path] = []
        for candidate in extractions[path].candidates:
            key = _key(candidate.name)
            if candidate.words == 1 and candidate.evidence in ("person", ""):
                if candidate.title and key in given:
                    key = given[key]  # "Sir Digby" after "Digby Jones"
                elif key in local:
                    key = local[key]
                elif len(surnames.get(key, ())) == 1:
                    key = next(iter(surnames[key]))
            key = merged.get(key, key)
            keyed[path].append((candidate, key))
            tally = tallies[key]
            tally.forms[candidate.name] += 1
            tally.mentions += 1
            tally.words = max(tally.words, candidate.words)
            tally.initial_only = tally.initial_only and candidate.initial_only
            if candidate.gazetteer:
                tally.gazetteer[candidate.gazetteer] += 1
            if candidate.evidence:
                tally.votes[candidate.evidence] += 1
                if candidate.strong:
                    tally.strong[candidate.evidence] += 1

    accepted = {
        key: kind
        for key, tally in sorted(tallies.items())
        if (kind := _accept(tally, key)) and not (tally.words == 1 and key in common and kind != "organization")
    }
    taken = set(kb.by_id)
    next_number: dict[str, int] = {}
    ids: dict[str, str] = {}
    entities: list[Entity] = []
    for key, kind in accepted.items():
        tally = tallies[key]
        # The spelling a merge led to ("Liberal Democrats" for "Lib Dems"), else the longest.
        led_to = Counter({form: n for form, n in tally.forms.items() if _key(form) == key})
        name = _display_name(led_to or tally.forms)
        entity_id = _unique_id(slugify(name) or "entity", taken, next_number)
        ids[key] = entity_id
        aliases = tuple(sorted({form for form in tally.forms if form != name}))
        entities.append(Entity(entity_id, name, kind, aliases, discovered=True))

    # Names inside an organisation's name: places and other organisations ("Delaware" in
    # "University of Delaware", "BBC" in "BBC Radio"). Not inside a person's name ("Charles"
    # in "Charles Kennedy" is no mention of another Charles) nor a place's ("Asia" in "East
    # Asia", "Mexico" in "New Mexico" are other places).
    inner_ids = {key: ids[key] for key, kind in accepted.items() if kind in ("place", "organization")}
    mentions: dict[str, tuple[Mention, ...]] = {}
    for path in paths:
        found = list(extractions[path].known)
        for candidate, key in keyed[path]:
            if key in ids:
                found.append(Mention(ids[key], candidate.start, candidate.end))
                if accepted[key] == "organization":
                    found += _nested(candidate, ids[key], inner_ids)
        mentions[path] = tuple(sorted(set(found), key=lambda m: (m.start, m.end, m.entity_id)))
    return _without_hidden(kb, Resolution(tuple(sorted(entities, key=lambda e: e.id)), mentions))


def _nested(candidate: Candidate, outer_id: str, ids: Mapping[str, str]) -> list[Mention]:
    """Accepted names inside a longer name: "Delaware" in "University of Delaware"; where two
    would overlap, the first and longest ("New York" in "New York Times", not "York" too)."""
    found: list[Mention] = []
    taken = 0
    for start, end, key in _inner_spans(candidate.name):
        inner_id = ids.get(key)
        if inner_id and inner_id != outer_id and start >= taken:
            found.append(Mention(inner_id, candidate.start + start, candidate.start + end))
            taken = end
    return found


@lru_cache(maxsize=16384)
def _inner_spans(name: str) -> tuple[tuple[int, int, str], ...]:
    """Every run of a name's words but the whole, longest first at each start, as (start,
    end, key); a name has a handful of words, and names repeat, so this is cached."""
    tokens = tokenize(name)
    return tuple(
        (tokens[i].start, tokens[j].end, _key(name[tokens[i].start : tokens[j].end]))
        for i in range(len(tokens))
        for j in range(len(tokens) - 1, i - 1, -1)
        if (i, j) != (0, len(tokens) - 1)
    )


def merge_keys(candidates: Mapping[str, tuple[Candidate, ...]]) -> dict[str, str]:
    """Spellings to merge, by evidence: {key of a spelling: key of the name it stands for}.

    - an acronym an article defines for a name, when the corpus defines it for one name only;
    - an organisation's shorter name that an article uses beside its full name ("Continental"
      and "Continental Airlines"), when the corpus pairs it with one full name only and never
      gives it a person's or place's evidence (nor is it a country or big city: "New York" and
      the "New York Times"; a small town of the same name does not count: "Delta");
    - the curated short forms of `curated_aliases`.
    """
    defined: dict[str, set[str]] = defaultdict(set)
    prefixes: dict[str, set[str]] = defaultdict(set)
    other_kind: set[str] = set()
    for found in candidates.values():
        organisations = {_key(c.name) for c in found if c.evidence == "organization" and c.words > 1}
        for candidate in found:
            key = _key(candidate.name)
            if candidate.short:
                defined[_key(candidate.short)].add(key)
            if candidate.evidence in ("person", "place") or candidate.gazetteer == PLACE:
                other_kind.add(key)
            elif candidate.words <= 2 and organisations:
                longer = [name for name in organisations if name.startswith(key + " ")]
                if longer:
                    prefixes[key].update(longer)
    merged: dict[str, str] = {}
    for short, names in sorted(prefixes.items()):
        if len(names) == 1 and short not in other_kind:
            merged[short] = next(iter(names))
    for short, names in sorted(defined.items()):
        if len(names) == 1:
            merged[short] = next(iter(names))
    for key in {key for found in candidates.values() for key in (_key(c.name) for c in found)}:
        if key in CANONICAL and CANONICAL[key] != key:
            merged[key] = CANONICAL[key]
    # Follow chains ("sec" -> "securities ..." -> a curated full name), never in a loop.
    for key in list(merged):
        seen = {key}
        while merged[key] in merged and merged[merged[key]] not in seen:
            seen.add(merged[key])
            merged[key] = merged[merged[key]]
    return {key: target for key, target in merged.items() if key != target}


STRONG_WEIGHT = 3
"""A title or an organisation word counts this many times an "in"/"the" clue."""


def _titled_surnames(extractions: Mapping[str, Extraction]) -> frozenset[str]:
    return frozenset(
        _key(c.name)
        for extraction in extractions.values()
        for c in extraction.candidates
        if c.words == 1 and c.evidence == "person" and c.strong
    )


def _infer_people(extraction: Extraction, titled: frozenset[str]) -> Extraction:
    """A name with no evidence whose last word is elsewhere a titled person ("Mr Vardanyan")
    is that person's full name: give it a person vote."""
    candidates = tuple(
        replace(c, evidence="person")
        if not c.evidence and 1 < c.words <= 3 and _person_shaped(c.name) and _key(c.name.split()[-1]) in titled
        else c
        for c in extraction.candidates
    )
    return Extraction(extraction.known, candidates)


def _accept(tally: _Tally, key: str) -> str | None:
    if tally.strong:
        weights = Counter({kind: tally.votes[kind] + (STRONG_WEIGHT - 1) * tally.strong[kind] for kind in tally.votes})
        return weights.most_common(1)[0][0]
    kind = tally.votes.most_common(1)[0][0] if tally.votes else None
    if tally.words > 1:
        return kind
    if kind in (None, "place") and tally.gazetteer[PLACE]:
        return "place"  # a country, a capital, a big city: "Baku accused Yerevan"
    if kind in (None, "place") and tally.gazetteer[TOWN] and not tally.initial_only:
        return "place"  # a town the list knows, capitalised mid-sentence ("in Geneva" or not)
    if kind is None or tally.initial_only:
        return None
    if tally.votes[kind] < MIN_WEAK_SHARE * tally.mentions:
        return None  # "from Microsoft" 4 times in 238 mentions says little: better missed than mistyped
    return kind if tally.votes[kind] >= MIN_WEAK_MENTIONS and tally.mentions >= MIN_WEAK_MENTIONS else None


def _display_name(forms: Counter) -> str:
    """The longest form (the full name), not in capitals if another is ("Japan", not the
    dateline's "JAPAN"), most frequent first among equals."""
    return sorted(forms.items(), key=lambda item: (-len(item[0].split()), item[0].isupper(), -item[1], item[0]))[0][0]


def _unique_id(base: str, taken: set[str], next_number: dict[str, int]) -> str:
    """`base`, or `base-2`, `base-3`, ...; `next_number` remembers where each base's count
    stands, so thousands of names that slug alike cost no more than one each."""
    candidate, number = base, next_number.get(base, 2)
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    next_number[base] = number
    taken.add(candidate)
    return candidate


def _without_hidden(kb: KnowledgeBase, resolution: Resolution) -> Resolution:
    """Drop the discovered entities whose name the knowledge base hides, and their mentions.

    Dropped after ids are given, so hiding one name never renumbers another entity's id
    (ids are the reader's bookmarks and watches).
    """
    if not kb.hidden_keys:
        return resolution
    gone = {e.id for e in resolution.discovered if _key(e.name) in kb.hidden_keys}
    if not gone:
        return resolution
    return Resolution(
        tuple(e for e in resolution.discovered if e.id not in gone),
        {path: tuple(m for m in found if m.entity_id not in gone) for path, found in resolution.mentions.items()},
    )
