"""Turn per-article candidates into discovered entities, weighing evidence across the corpus.

Resolution is a pure function of every article's candidates, so an index rebuilt from the
same corpus gets the same entities and ids, whatever order articles were indexed in.

- A lone surname attaches to the full name the same article gives ("Mr Blair" after
  "Tony Blair"), or, failing that, to the only person of that surname in the corpus, or
  the one written far more often than all the others of that surname (`bearer`).
- A name's type is the one its strongest evidence says (a title, an organisation word),
  else the most frequent (a tie goes to organisation, then place, then person).
- A name is accepted only with enough evidence: a typed name of several words, or one word
  with strong evidence, or one word with weak evidence seen at least twice. A word seen only
  at sentence starts, with no evidence, is never accepted. A place gazetteer is evidence
  too: a country, capital or big city alone; a smaller town when it is capitalised
  mid-sentence somewhere and nothing says otherwise. A single word some article writes in
  lower case is a common noun, never a name alone (unless an organisation).
- Spellings of one thing are merged, by evidence (`merge_target`): an acronym an article
  defines ("Securities and Exchange Commission (SEC)"), a shorter form of an organisation's
  name used beside it ("Continental" after "Continental Airlines"), a given name after
  "Sir" ("Sir Digby" of Digby Jones), and the curated short forms of `curated_aliases`
  ("Tories", "Conservatives"). Merged spellings become the entity's `aliases`.
- A discovered name inside a longer discovered organisation's name is linked too
  ("Delaware" in "University of Delaware"), with its own offsets, so mentions may overlap.

`resolve` is written as per-article steps (below it) over a few corpus-wide facts; the
indexer keeps their results and applies the same steps to the articles a change touches
(entities/incremental.py), with the same result.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

from slugify import slugify

from tuibrowser.core.entities.curated_aliases import CANONICAL
from tuibrowser.core.entities.discovery import Candidate
from tuibrowser.core.entities.gazetteer import PLACE, TOWN, is_given_name, place_kind
from tuibrowser.core.entities.kb import Entity, KnowledgeBase
from tuibrowser.core.entities.lexicon import ORG_HEADS, ORG_WORDS, PLACE_WORDS, ROYAL_TITLES
from tuibrowser.core.entities.linker import Mention
from tuibrowser.core.entities.text import fold, is_acronym, tokenize
from tuibrowser.core.records import pickled_as_tuple

_NOT_IN_NAMES = ORG_WORDS | PLACE_WORDS | ORG_HEADS

MIN_WEAK_MENTIONS = 2
"""A one-word name with only weak evidence needs this many mentions in the corpus."""

MIN_WEAK_SHARE = 0.1
"""...and the evidence must come with at least this share of its mentions."""

STRONG_WEIGHT = 3
"""A title or an organisation word counts this many times an "in"/"the" clue."""

KIND_ORDER = ("organization", "place", "person")
"""Which kind wins a tie of votes: a person needs more than a tie (in the 29,000-article
archive every tie was a company or a place that one clue called a person). It used to be
the kind seen first, which depends on the order articles were read in; an index updated
article by article must not depend on it."""


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Extraction:
    """What linking and discovery found in one article, before corpus-wide resolution.

    `common`: single words the article also writes in lower case ("General Election" beside
    "the election"): never mentions, and evidence for the corpus that the word is a common
    noun. Discovery marks such candidates `common`; `usable` moves them here.
    """

    known: tuple[Mention, ...]
    candidates: tuple[Candidate, ...]
    common: tuple[str, ...] = ()


def usable(extraction: Extraction) -> Extraction:
    """The extraction with its common-noun candidates taken out into `common` (keys)."""
    if not any(c.common for c in extraction.candidates):
        return extraction
    return Extraction(
        extraction.known,
        tuple(c for c in extraction.candidates if not c.common),
        tuple(sorted({*extraction.common, *(_key(c.name) for c in extraction.candidates if c.common)})),
    )


@dataclass(frozen=True, slots=True)
class Part:
    """One candidate's contribution to the tally of the key it is counted under."""

    form: str
    evidence: str
    strong: bool
    initial_only: bool
    words: int
    gazetteer: str = ""


@dataclass
class Tally:
    """Everything the corpus says about one key (a folded name): its spellings, the kinds of
    evidence seen with it, how often. Counts only, so an article's part can be taken away
    again (entities/incremental.py)."""

    forms: Counter = field(default_factory=Counter)
    votes: Counter = field(default_factory=Counter)
    strong: Counter = field(default_factory=Counter)
    mentions: int = 0
    noninitial: int = 0
    """Mentions not at a sentence start (a word seen only there is no name)."""
    multi: int = 0
    """Mentions of more than one word."""
    gazetteer: Counter = field(default_factory=Counter)
    """Mentions a place list knows, by list (gazetteer.PLACE, gazetteer.TOWN)."""

    def add(self, part: Part, sign: int = 1) -> None:
        self.forms[part.form] += sign
        if part.gazetteer:
            self.gazetteer[part.gazetteer] += sign
        self.mentions += sign
        self.noninitial += sign * (not part.initial_only)
        self.multi += sign * (part.words > 1)
        if part.evidence:
            self.votes[part.evidence] += sign
            if part.strong:
                self.strong[part.evidence] += sign


@dataclass(frozen=True)
class Resolution:
    """Discovered entities, and every article's final mentions (known and discovered)."""

    discovered: tuple[Entity, ...]
    mentions: dict[str, tuple[Mention, ...]]


_INITIAL_STOP = re.compile(r"(?<!\w)(\w)\.")


@lru_cache(maxsize=65536)
def _key(name: str) -> str:
    """A name as compared across articles, the full stops of initials left out ("George W.
    Bush" is "George W Bush", "U.S." is "US"); cached, as names repeat across a corpus."""
    return " ".join(_INITIAL_STOP.sub(r"\1", fold(name)).split())


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
    extractions = {path: usable(extractions[path]) for path in paths}
    common = Counter(key for path in paths for key in extractions[path].common)
    titled = Counter(key for path in paths for key in titled_keys(extractions[path]))
    inferred = {path: infer(extractions[path], titled.keys()) for path in paths}
    fulls: dict[str, dict[str, int]] = defaultdict(dict)
    facts = MergeFacts()
    for path in paths:
        for surname, full in surname_pairs(extractions[path], inferred[path]):
            fulls[surname][full] = fulls[surname].get(full, 0) + 1
        facts.add(*merge_facts(extractions[path], inferred[path]))

    def only_full(surname: str, person: bool, possessive: bool) -> str | None:
        return lone_bearer(surname, fulls.get(surname, {}), person, possessive, titled, common)

    target = cache(facts.target)
    tallies: dict[str, Tally] = defaultdict(Tally)
    keyed: dict[str, tuple[str, ...]] = {}
    for path in paths:
        keys, _ = key_candidates(extractions[path], inferred[path], only_full)
        keyed[path] = merged_keys(keys, target)
        for key, part in tally_parts(extractions[path], inferred[path], keyed[path]):
            tallies[key].add(part)

    accepted = {key: kind for key, tally in sorted(tallies.items()) if (kind := accept(tally, key in common))}
    named = {key: display(tallies[key], key) for key in accepted}
    ids = assign_ids([(key, base_of(named[key][0])) for key in accepted], set(kb.by_id))
    entities = [Entity(ids[key], named[key][0], kind, named[key][1], discovered=True) for key, kind in accepted.items()]
    kinds = {ids[key]: kind for key, kind in accepted.items()}
    mentions = {path: final_mentions(extractions[path], keyed[path], ids, kinds) for path in paths}
    return _without_hidden(kb, Resolution(tuple(sorted(entities, key=lambda e: e.id)), mentions))


# The per-article steps. An article's part in the corpus-wide state depends only on its own
# candidates and on two corpus-wide facts: which single names are titled people (`infer`)
# and which surnames belong to exactly one full name (`key_candidates`).


def titled_keys(extraction: Extraction) -> list[str]:
    """Single names this article gives a title ("Mr Blair" gives "blair"), each once: the
    corpus counts the articles that do (`titled_surname` weighs them against the articles
    that write the word in lower case)."""
    return sorted({_key(c.name) for c in extraction.candidates if c.words == 1 and c.evidence == "person" and c.strong})


def inference_keys(extraction: Extraction) -> list[tuple[int, str]]:
    """(candidate number, folded last word) of the names `infer` may make people: full names
    with no evidence, person-shaped."""
    return [
        (number, _key(c.name.split()[-1]))
        for number, c in enumerate(extraction.candidates)
        if not c.evidence and 1 < c.words <= 3 and _person_shaped(c.name)
    ]


def infer(extraction: Extraction, titled: Container[str]) -> tuple[int, ...]:
    """The candidates that get a person vote: a name with no evidence whose last word is
    elsewhere a titled person ("Mr Vardanyan" makes "Anna Vardanyan" a person)."""
    return tuple(number for number, last in inference_keys(extraction) if last in titled)


def evidence_of(candidate: Candidate, number: int, inferred: Container[int]) -> str:
    return "person" if number in inferred else candidate.evidence


BEARER_DOMINANCE = 3
"""How many times more often than every other person of the surname together a full name
must be written for a lone surname elsewhere to mean it."""


def titled_surname(key: str, titled: Mapping[str, int], common: Mapping[str, int]) -> bool:
    """Whether a lone word is a person's surname by the corpus's account: some article gives
    it a title ("Mr Putin"), no more articles write it in lower case than give it a title
    (one "Mr Net" does not make the "Net" of 2,800 tables of figures a person's, when 460
    articles write "net"), and it is neither a place ("Europe") nor a given name, which
    titles also precede ("Sir Michael").

    Args:
        titled: key -> how many articles give it a title (`titled_keys`), corpus-wide.
        common: key -> how many articles also write it in lower case (`Extraction.common`).
    """
    given = titled.get(key, 0)
    return given > 0 and common.get(key, 0) <= given and not place_kind(key) and not is_given_name(key)


def lone_bearer(
    surname: str,
    fulls: Mapping[str, int],
    person: bool,
    possessive: bool,
    titled: Mapping[str, int],
    common: Mapping[str, int],
) -> str | None:
    """The full name a lone surname goes to in an article that gives none (`key_candidates`'
    `only_full`, for the whole resolution and the incremental one alike).

    Args:
        fulls: the surname's full names (see `bearer`).
        person: this article says the word is a person's; some article's title may say
            so too (`titled_surname`).
        possessive: the word is written "Moody's": a company's name, perhaps, which goes
            to a full name only once something says the word is a person's.
        titled, common: the corpus's counts (`titled_keys`, `Extraction.common`).
    """
    person = person or titled_surname(surname, titled, common)
    if possessive and not person:
        return None
    return bearer(fulls, person, common.get(surname, 0) > 0)


def bearer(fulls: Mapping[str, int], person: bool = True, common_word: bool = False) -> str | None:
    """The full name a lone surname means in an article that gives no full name of its own:
    the only person of that surname in the corpus (unless, with nothing saying the lone word
    is a person's, it is a `common_word`); or, where the word is known to be a
    person's (`person`: this article says so, "Reagan said", or some article gives it a
    title, "Mr Reagan"), the one written at least
    BEARER_DOMINANCE times as often as all the others of that surname together ("Reagan" in
    1987 news is Ronald Reagan, beside his son Michael and Nancy Reagan); else None. Forms
    that differ by a middle initial count as one ("George W Bush", "George Bush").

    Args:
        fulls: full name -> how often it occurs with person evidence, corpus-wide.
        person: whether the lone word is known to be a person's (not "Europe" beside
            "Lycos Europe"); a lone word that names a country or a big city needs it.
        common_word: whether some article writes the word in lower case (`Extraction.
            common`): then only `person` lets the only full name claim it. One "Cleveland
            Fed President" made a person of every "the Fed" of 194 Reuters articles, when
            three write "fed".
    """
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    for full, n in fulls.items():
        if n > 0:
            groups[_without_middle_initials(full)][full] += n
    if not groups:
        return None
    totals = sorted(((sum(members.values()), group) for group, members in groups.items()), reverse=True)
    top, group = totals[0]
    rest = sum(n for n, _ in totals[1:])
    if rest == 0 and (person or (not common_word and _person_like(group))):
        return min(groups[group].items(), key=lambda item: (-item[1], item[0]))[0]
    if person and top >= 2 and top >= BEARER_DOMINANCE * rest:
        return min(groups[group].items(), key=lambda item: (-item[1], item[0]))[0]
    return None


def _person_like(full: str) -> bool:
    """Whether the only full name of a surname may claim it where nothing says the lone
    word is a person's: not if it ends in a country or a big city ("George Shultz China", a
    run across a headline, took every lone "China" of an archive), nor if it opens with no
    given name ("Caribbean Community" took every lone "Community")."""
    words = full.split()
    return place_kind(words[-1]) != PLACE and is_given_name(words[0])


def _without_middle_initials(full: str) -> str:
    """A full name with its middle initials left out: "George W Bush" and "George Bush"
    count together when weighing who a lone "Bush" is (the most written form is chosen)."""
    words = full.split()
    return " ".join(w for i, w in enumerate(words) if i in (0, len(words) - 1) or len(w) > 1)


def surname_pairs(extraction: Extraction, inferred: Container[int]) -> list[tuple[str, str]]:
    """(surname, full name) of each person-shaped full name with person evidence."""
    return [
        (_key(c.name.split()[-1]), _key(c.name))
        for number, c in enumerate(extraction.candidates)
        if evidence_of(c, number, inferred) == "person" and _person_shaped(c.name)
    ]


def key_candidates(
    extraction: Extraction, inferred: Container[int], only_full: Callable[[str, bool, bool], str | None]
) -> tuple[tuple[str, ...], frozenset[str]]:
    """The key each candidate is counted under, and the surnames looked up corpus-wide.

    A lone surname attaches to the full name the same article gives ("Mr Blair" after "Tony
    Blair"), or else to the full name `only_full` gives: the only one of that surname in the
    corpus, or the one far more often written (`bearer`). A lone possessive ("Moody's") goes
    to no full name of another article unless something says the word is a person's (a
    title here or elsewhere; `lone_bearer`): "Moody's", "Sotheby's", "Sainsbury's" are
    companies' names, and one rugby player named Moody took every "Moody's" of 253 Reuters
    articles.
    """
    candidates = extraction.candidates
    people = [
        _key(c.name)
        for number, c in enumerate(candidates)
        if evidence_of(c, number, inferred) == "person" and _person_shaped(c.name)
    ]
    local = {name.split()[-1]: name for name in people}
    given = {name.split()[0]: name for name in people}
    titled_here = {
        _key(c.name)
        for number, c in enumerate(candidates)
        if c.words == 1 and evidence_of(c, number, inferred) == "person"
    }
    keys: list[str] = []
    consulted: set[str] = set()
    for number, candidate in enumerate(candidates):
        key = _key(candidate.name)
        if candidate.words == 1 and evidence_of(candidate, number, inferred) in ("person", ""):
            if candidate.title and key in given:
                key = given[key]  # "Sir Digby" after "Digby Jones"
            elif key in local:
                key = local[key]
            else:
                consulted.add(key)
                key = only_full(key, key in titled_here, candidate.possessive) or key
        keys.append(key)
    return tuple(keys), frozenset(consulted)


def tally_parts(extraction: Extraction, inferred: Container[int], keys: tuple[str, ...]) -> list[tuple[str, Part]]:
    """(key, part) for each candidate of the article."""
    return [
        (key, Part(c.name, evidence_of(c, number, inferred), c.strong, c.initial_only, c.words, c.gazetteer))
        for number, (c, key) in enumerate(zip(extraction.candidates, keys, strict=True))
    ]


def final_mentions(
    extraction: Extraction, keys: tuple[str, ...], ids: Mapping[str, str], kinds: Mapping[str, str]
) -> tuple[Mention, ...]:
    """The article's known mentions and those of its candidates whose key became an entity.

    Inside an organisation's name, the places and other organisations it names are mentions
    too ("Delaware" in "University of Delaware", "BBC" in "BBC Radio"); not inside a person's
    name ("Charles" in "Charles Kennedy" is no mention of another Charles) nor a place's
    ("Asia" in "East Asia", "Mexico" in "New Mexico" are other places). `kinds` maps ids to
    types; an inner name is looked up by its own key, unmerged.
    """
    found = list(extraction.known)
    for c, key in zip(extraction.candidates, keys, strict=True):
        entity_id = ids.get(key)
        if entity_id is None:
            continue
        found.append(Mention(entity_id, c.start, c.end))
        if kinds.get(entity_id) == "organization" and c.words > 1:
            found += _nested(c, entity_id, ids, kinds)
    return tuple(sorted(set(found), key=lambda m: (m.start, m.end, m.entity_id)))


def _nested(candidate: Candidate, outer_id: str, ids: Mapping[str, str], kinds: Mapping[str, str]) -> list[Mention]:
    """Places and organisations inside a longer name; where two would overlap, the first and
    longest ("New York" in "New York Times", not "York" too)."""
    found: list[Mention] = []
    taken = 0
    for start, end, key in _inner_spans(candidate.name):
        inner_id = ids.get(key)
        if inner_id and inner_id != outer_id and kinds.get(inner_id) in ("place", "organization") and start >= taken:
            found.append(Mention(inner_id, candidate.start + start, candidate.start + end))
            taken = end
    return found


def inner_keys(extraction: Extraction) -> set[str]:
    """Keys of every run of words inside the article's longer names (what `_nested` may look
    up): an article's final mentions depend on whether these are entities, and of what kind."""
    return {key for c in extraction.candidates if c.words > 1 for _, _, key in _inner_spans(c.name)}


@lru_cache(maxsize=16384)
def _inner_spans(name: str) -> tuple[tuple[int, int, str], ...]:
    """Every run of a name's words but the whole, longest first at each start, as (start,
    end, key); a name has a handful of words, and names repeat, so this is cached."""
    tokens = tokenize(name)
    return tuple(
        (tokens[i].start, tokens[j].end, _key(name[tokens[i].start : tokens[j].end]))
        for i in range(len(tokens))
        for j in range(min(len(tokens) - 1, i + MAX_INNER_WORDS - 1), i - 1, -1)
        if (i, j) != (0, len(tokens) - 1)
    )


MAX_INNER_WORDS = 6
"""Longest run of words looked up inside a longer name: the names found inside others are
short ("Lachin Corridor" in "blockade of the Lachin Corridor"), and the count of runs, each
keyed, grows with the square of a name's length."""


# Merging spellings of one thing: per article, facts; corpus-wide, a target per key.


def merge_facts(
    extraction: Extraction, inferred: Container[int]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    """What the article says about merging: (short, full) for each acronym it defines;
    (short, longer) for each name of one or two words it uses beside a longer organisation's
    name starting with it ("Continental" and "Continental Airlines"); and the keys it gives a
    person's or place's evidence (or a country's or big city's name), which are never merged
    into an organisation.
    """
    candidates = extraction.candidates
    organisations = {
        _key(c.name)
        for number, c in enumerate(candidates)
        if evidence_of(c, number, inferred) == "organization" and c.words > 1
    }
    defined: list[tuple[str, str]] = []
    prefixes: list[tuple[str, str]] = []
    other: list[str] = []
    for number, c in enumerate(candidates):
        key = _key(c.name)
        if c.short:
            defined.append((_key(c.short), key))
        if evidence_of(c, number, inferred) in ("person", "place") or c.gazetteer == PLACE:
            other.append(key)
        elif c.words <= 2 and organisations:
            prefixes += [(key, name) for name in organisations if name.startswith(key + " ")]
    return defined, prefixes, other


@dataclass
class MergeFacts:
    """The corpus's merge facts, counted (an article's can be taken away again)."""

    defined: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    prefixes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    other: Counter = field(default_factory=Counter)

    def add(
        self,
        defined: Iterable[tuple[str, str]],
        prefixes: Iterable[tuple[str, str]],
        other: Iterable[str],
        sign: int = 1,
    ) -> None:
        for short, full in defined:
            self.defined[short][full] += sign
        for short, longer in prefixes:
            self.prefixes[short][longer] += sign
        for key in other:
            self.other[key] += sign

    def direct(self, key: str) -> str | None:
        return direct_target(key, self.defined.get(key, {}), self.prefixes.get(key, {}), self.other[key] > 0)

    def target(self, key: str) -> str:
        return follow(key, self.direct)


CANONICAL_SOURCES: dict[str, tuple[str, ...]] = {}
"""The curated short forms that merge into each key (CANONICAL walked back)."""
for _short, _full in sorted(CANONICAL.items()):
    if _short != _full:
        CANONICAL_SOURCES[_full] = (*CANONICAL_SOURCES.get(_full, ()), _short)


def direct_target(key: str, defined: Mapping[str, int], prefixes: Mapping[str, int], other: bool) -> str | None:
    """The name `key` stands for, by one step of evidence, or None.

    - an acronym the corpus defines for one name only;
    - else an organisation's shorter name the corpus pairs with one full name only, when it
      never has a person's or place's evidence (nor is a country or big city: "New York" and
      the "New York Times"; a small town of the same name does not count: "Delta");
    - the curated short forms of `curated_aliases` before both.
    """
    canonical = CANONICAL.get(key)
    if canonical is not None and canonical != key:
        return canonical
    fulls = [full for full, n in defined.items() if n > 0]
    if len(fulls) == 1:
        return fulls[0]
    longers = [longer for longer, n in prefixes.items() if n > 0]
    if len(longers) == 1 and not other:
        return longers[0]
    return None


def follow(key: str, direct: Callable[[str], str | None]) -> str:
    """Where a chain of merges ends ("sec" -> "securities ..." -> a curated full name); a
    loop ends at the last name before it repeats."""
    seen = {key}
    while (step := direct(key)) is not None and step not in seen:
        seen.add(step)
        key = step
    return key


def merged_keys(keys: tuple[str, ...], target: Callable[[str], str]) -> tuple[str, ...]:
    return tuple(target(key) for key in keys)


# Corpus-wide decisions, from a key's tally.


def _most_common(counter: Counter[str]) -> str:
    order = {kind: number for number, kind in enumerate(KIND_ORDER)}
    return max(counter.items(), key=lambda item: (item[1], -order.get(item[0], len(order)), item[0]))[0]


def accept(tally: Tally, common: bool = False) -> str | None:
    """The kind of entity a key is, or None when its evidence is not enough.

    `common`: some article writes the key in lower case; one word that is a common noun is
    no name, unless it is an organisation's.
    """
    kind = _accept(tally)
    if common and not tally.multi and kind != "organization":
        return None
    return kind


def _accept(tally: Tally) -> str | None:
    votes = +tally.votes  # without kinds whose count went back to zero
    strong = +tally.strong
    gazetteer = +tally.gazetteer
    if strong:
        return _most_common(Counter({kind: votes[kind] + (STRONG_WEIGHT - 1) * strong[kind] for kind in votes}))
    kind = _most_common(votes) if votes else None
    if tally.multi:
        return kind
    if kind in (None, "place") and gazetteer[PLACE]:
        return "place"  # a country, a capital, a big city: "Baku accused Yerevan"
    if kind in (None, "place") and gazetteer[TOWN] and tally.noninitial:
        return "place"  # a town the list knows, capitalised mid-sentence ("in Geneva" or not)
    if kind is None or not tally.noninitial:
        return None
    if votes[kind] < MIN_WEAK_SHARE * tally.mentions:
        return None  # "from Microsoft" 4 times in 238 mentions says little: better missed than mistyped
    return kind if votes[kind] >= MIN_WEAK_MENTIONS and tally.mentions >= MIN_WEAK_MENTIONS else None


def display(tally: Tally, key: str) -> tuple[str, tuple[str, ...]]:
    """(name, aliases) of an accepted key: the spelling a merge led to ("Liberal Democrats"
    for "Lib Dems"), else the longest form; the others as aliases."""
    forms = +tally.forms
    led_to = Counter({form: n for form, n in forms.items() if _key(form) == key})
    name = _display_name(led_to or forms)
    return name, tuple(sorted(form for form in forms if form != name))


def base_of(name: str) -> str:
    """The id a discovered entity of this name gets when no other entity has it."""
    return slugify(name) or "entity"


def assign_ids(accepted: list[tuple[str, str]], taken: set[str]) -> dict[str, str]:
    """Ids for (key, base id) pairs, in key order: the base, or base-2, base-3, ... when taken."""
    taken = set(taken)
    next_number: dict[str, int] = {}
    return {key: _unique_id(base, taken, next_number) for key, base in sorted(accepted)}


def _display_name(forms: Counter[str]) -> str:
    """The longest form (the full name), not in capitals if another is ("Japan", not the
    dateline's "JAPAN"; "Tony Blair", not the headline's "TONY BLAIR") unless it is one word
    whose capitals outnumber the other spellings tenfold, an acronym ("UK", not a stray
    "Uk"); most frequent first among equals."""

    def rank(item: tuple[str, int]) -> tuple[int, bool, int, str]:
        form, n = item
        words = len(form.split())
        quieter = sum(m for other, m in forms.items() if not other.isupper() and len(other.split()) == words)
        acronym = words == 1 and n > 10 * quieter
        return (-words, form.isupper() and not acronym, -n, form)

    return min(forms.items(), key=rank)[0]


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
