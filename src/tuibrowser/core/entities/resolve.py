"""Turn per-article candidates into discovered entities, weighing evidence across the corpus.

Resolution is a pure function of every article's candidates, so an index rebuilt from the
same corpus gets the same entities and ids, whatever order articles were indexed in.

- A lone surname attaches to the full name the same article gives ("Mr Blair" after
  "Tony Blair"), or, failing that, to the only person of that surname in the corpus.
- A name's type is the one its strongest evidence says (a title, an organisation word),
  else the most frequent.
- A name is accepted only with enough evidence: a typed name of several words, or one word
  with strong evidence, or one word with weak evidence seen at least twice. A word seen only
  at sentence starts, with no evidence, is never accepted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from slugify import slugify

from tuibrowser.core.entities.discovery import Candidate
from tuibrowser.core.entities.kb import Entity, KnowledgeBase
from tuibrowser.core.entities.lexicon import ORG_HEADS, ORG_WORDS, PLACE_WORDS, ROYAL_TITLES
from tuibrowser.core.entities.linker import Mention
from tuibrowser.core.entities.text import fold, is_acronym

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
    mentions: int = 0
    initial_only: bool = True
    words: int = 1


@dataclass(frozen=True)
class Resolution:
    """Discovered entities, and every article's final mentions (known and discovered)."""

    discovered: tuple[Entity, ...]
    mentions: dict[str, tuple[Mention, ...]]


def _key(name: str) -> str:
    return " ".join(fold(name).split())


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
    titled = _titled_surnames(extractions)
    extractions = {path: _infer_people(extractions[path], titled) for path in paths}
    surnames: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        for candidate in extractions[path].candidates:
            if candidate.evidence == "person" and _person_shaped(candidate.name):
                surnames[_key(candidate.name.split()[-1])].add(_key(candidate.name))

    keyed: dict[str, list[tuple[Candidate, str]]] = {}
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for path in paths:
        local = {
            _key(c.name.split()[-1]): _key(c.name)
            for c in extractions[path].candidates
            if c.evidence == "person" and _person_shaped(c.name)
        }
        keyed[path] = []
        for candidate in extractions[path].candidates:
            key = _key(candidate.name)
            if candidate.words == 1 and candidate.evidence in ("person", ""):
                if key in local:
                    key = local[key]
                elif len(surnames.get(key, ())) == 1:
                    key = next(iter(surnames[key]))
            keyed[path].append((candidate, key))
            tally = tallies[key]
            tally.forms[candidate.name] += 1
            tally.mentions += 1
            tally.words = max(tally.words, candidate.words)
            tally.initial_only = tally.initial_only and candidate.initial_only
            if candidate.evidence:
                tally.votes[candidate.evidence] += 1
                if candidate.strong:
                    tally.strong[candidate.evidence] += 1

    accepted = {key: kind for key, tally in sorted(tallies.items()) if (kind := _accept(tally, key))}
    taken = set(kb.by_id)
    next_number: dict[str, int] = {}
    ids: dict[str, str] = {}
    entities: list[Entity] = []
    for key, kind in accepted.items():
        tally = tallies[key]
        name = _display_name(tally.forms)
        entity_id = _unique_id(slugify(name) or "entity", taken, next_number)
        ids[key] = entity_id
        aliases = tuple(sorted({form for form in tally.forms if form != name}))
        entities.append(Entity(entity_id, name, kind, aliases, discovered=True))

    mentions: dict[str, tuple[Mention, ...]] = {}
    for path in paths:
        found = list(extractions[path].known)
        found += [Mention(ids[key], c.start, c.end) for c, key in keyed[path] if key in ids]
        mentions[path] = tuple(sorted(found, key=lambda m: (m.start, m.end)))
    return _without_hidden(kb, Resolution(tuple(sorted(entities, key=lambda e: e.id)), mentions))


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
    if kind is None or tally.initial_only:
        return None
    if tally.votes[kind] < MIN_WEAK_SHARE * tally.mentions:
        return None  # "from Microsoft" 4 times in 238 mentions says little: better missed than mistyped
    return kind if tally.votes[kind] >= MIN_WEAK_MENTIONS and tally.mentions >= MIN_WEAK_MENTIONS else None


def _display_name(forms: Counter) -> str:
    """The longest form (the full name), most frequent first among equals."""
    return sorted(forms.items(), key=lambda item: (-len(item[0].split()), -item[1], item[0]))[0][0]


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
