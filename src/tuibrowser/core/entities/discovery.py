"""Find proper names the knowledge base does not know, with evidence of what they are.

Rules, not a statistical model: capitalised runs of words, read with what news prose puts
around names (titles before people, "said" after them, "Party" or "Ministry" ending
organisations, "in"/"at" before places). Each occurrence becomes a Candidate carrying its
evidence; `resolve.py` then weighs the evidence across the whole corpus before anything
becomes an entity. Precision comes first: a wrong entity in the sidebar costs more trust
than a missed one, so a lone capitalised word with no evidence is never a name.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from tuibrowser.core import budget
from tuibrowser.core.cleaning import is_headline_like
from tuibrowser.core.entities.gazetteer import PLACE, is_given_name, place_kind
from tuibrowser.core.entities.lexicon import (
    COMMON_WORDS,
    CONNECTORS,
    DEMONYMS,
    DOCUMENT_WORDS,
    EVENT_WORDS,
    EXTRA_PLACES,
    FIRST_NAMES,
    HONORIFICS,
    KNOWN_ORGANIZATIONS,
    LEGAL_FORMS,
    MONTHS_AND_DAYS,
    ORG_HEADS,
    ORG_NOUNS,
    ORG_WORDS,
    PERSON_ROLES,
    PERSON_TITLES,
    PLACE_ACRONYMS,
    PLACE_OF_WORDS,
    PLACE_PREFIXES,
    PLACE_PREPOSITIONS,
    PLACE_WORDS,
    ROYAL_TITLES,
    SPEECH_VERBS,
    STAKE_WORDS,
)
from tuibrowser.core.entities.text import Token, is_acronym, tokenize
from tuibrowser.core.records import pickled_as_tuple

# An e-mail address is matched only from the start of a word: "\S+@\S+" tried at every
# position of a long word without "@" costs the square of its length (11 s for 64 KiB).
_URL = re.compile(r"(?:https?://|www\.)\S+|(?<!\S)\S+@\S+|@\w+|#\w+")
_URL_MARKS = ("://", "www.", "@", "#")
"""What every match of _URL holds: a text without them has none (most texts)."""


def url_spans(text: str) -> list[tuple[int, int]]:
    """The spans of URLs, e-mail addresses, handles and hashtags in `text` (_URL's matches).

    Looked for only in a text that holds one of _URL_MARKS: _URL's e-mail branch backtracks
    through every word, a tenth of finding an article's candidates."""
    if not any(mark in text for mark in _URL_MARKS):
        return []
    return [(m.start(), m.end()) for m in _URL.finditer(text)]


_SENTENCE_GAP = re.compile(r"[.!?:;\"“”‘\n]|^\s*[—–-]\s*$")
# Words of one name are separated by spaces or one hyphen, never by a line break (a byline
# and the next paragraph's first word are two names) or a spaced dash ("Reuters - Government").
_NAME_GAP = re.compile(r"^(?: +|-)?$")
_AMPERSAND_GAP = re.compile(r"^ ?& ?$")  # "Marsh & McLennan", "AT&T"
# "(SEC)" right after a name: the short form the article defines for it.
_DEFINED_ACRONYM = re.compile(r"^ \((?:the )?([A-Z][A-Za-z.&]{1,9})\)")
# Titles, demonyms and the "of"/"for" of a portfolio go before a name; not the particles that
# begin one ("Al Jazeera", "de Villepin").
_STRIPPABLE = PERSON_TITLES | DEMONYMS | {"of", "for"}
_TRAILING = MONTHS_AND_DAYS | CONNECTORS | {"and", "the"}
# Words that begin no name, even one ending in "Corp" or "Party": "Former Walt Disney Co".
_NEVER_FIRST = frozenset({"the", "former", "ex", "late", "then", "acting", "rival", "fellow", "both", "all"})
# ", the former state minister" / ", an aide to": up to four words, then a role noun.
_APPOSITION = re.compile(r"^,\s+(?:the|a|an|his|her)\s+((?:[\w'’-]+\s+){0,4}?)([\w'’-]+)\b")


# A title-case phrase in quotes names a work or a campaign, not a person: "a BBC documentary
# called 'No More Mr Nasty'", "the 'Back To Basics' campaign". Bounded: three to eight words.
_QUOTED_TITLE = re.compile(r"(?<!\w)['‘\"“][A-Z][\w'’-]*(?: [A-Z0-9][\w’-]*){2,7}['’\"”](?!\w)")


def _place_begins(tokens: list[Token], lo: int, hi: int) -> bool:
    """Whether a place of the gazetteer starts at tokens[lo] and ends by tokens[hi]: then a
    demonym there is the place's first word ("Saudi Arabia", not "Arabia")."""
    if tokens[lo].folded not in DEMONYMS:
        return False
    return any(place_kind(" ".join(t.text for t in tokens[lo : end + 1])) for end in range(lo + 1, min(hi, lo + 3) + 1))


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Candidate:
    """One occurrence of a possible name in an article.

    Attributes:
        start, end: Offsets of the name in the article text (titles excluded).
        name: The name as written.
        evidence: "person", "organization", "place" or "" (none), from the context.
        strong: True when the evidence is unambiguous (a title, an organisation word).
        initial_only: True for a single word seen only at a sentence start.
        gazetteer: gazetteer.PLACE or gazetteer.TOWN when a place list has the name, else "".
        short: an acronym the article defines for the name ("Securities and Exchange
            Commission (SEC)"): the corpus may use it for this name.
        title: the honorific before a one-word person ("sir" in "Sir Digby"), which names
            people by their given name.
        common: a single word this article also writes in lower case ("General Election"
            beside "the election"): never a mention, and it tells the corpus the word is a
            common noun, whatever title other articles put before it.
        possessive: a single word written with "'s" ("Moody's"): alone, with nothing
            saying it is a person's, it may be a company's name ("Moody's", "Sotheby's"),
            which no full name elsewhere may claim (resolve.key_candidates).
    """

    start: int
    end: int
    name: str
    evidence: str
    strong: bool
    initial_only: bool
    gazetteer: str = ""
    short: str = ""
    title: str = ""
    common: bool = False
    possessive: bool = False

    def to_row(self) -> list[object]:
        """The fields in order, for the indexer's cache (`Candidate(*row)` reads it back)."""
        return [self.start, self.end, self.name, self.evidence, self.strong, self.initial_only, *self._extra()]

    def _extra(self) -> list[str | bool]:
        return [self.gazetteer, self.short, self.title, self.common, self.possessive]

    @property
    def words(self) -> int:
        # Names hold single spaces (cleaning collapses runs): counting them is the cheap split.
        return self.name.count(" ") + 1


def find_candidates(
    text: str, covered: list[tuple[int, int]], known_tokens: frozenset[str], tokens: list[Token] | None = None
) -> list[Candidate]:
    """Possible names in `text` outside the `covered` spans (mentions of known entities).

    Args:
        known_tokens: folded words of known aliases; a lone word that is part of a known
            name ("Lachin" of "Lachin Corridor") is not a new entity.
        tokens: `tokenize(text)`, when the caller already has it.
    """
    tokens = tokenize(text) if tokens is None else tokens
    lowercase_seen = {t.folded for t in tokens if t.text[:1].islower()}
    capital_inside = {t.folded for i, t in enumerate(tokens) if t.text[:1].isupper() and not _initial(text, tokens, i)}
    # What no name may touch: known mentions, URLs and handles, subheadings, quoted titles.
    closed = Spans(
        [
            *covered,
            *url_spans(text),
            *_headline_spans(text),
            *((m.start(), m.end()) for m in _QUOTED_TITLE.finditer(text)),
        ]
    )
    budget.check()
    candidates: list[Candidate] = []
    for number, run in enumerate(_runs(text, tokens, closed)):
        if number % 256 == 0:
            budget.check()
        if len(run) > MAX_NAME_TOKENS:
            continue  # a wall of capitalised words (a list, a shouted line, a hostile file)
        candidate = _read_run(text, tokens, run, lowercase_seen, capital_inside, known_tokens)
        if candidate is not None:
            candidates.append(candidate)
    return candidates


class Spans:
    """Character spans, asked whether a range overlaps any of them in O(log n).

    Asking a plain list for every token made discovery quadratic: an article of many
    mentions and URLs compared each of its words with each of them.
    """

    def __init__(self, spans: list[tuple[int, int]]):
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def frees(self, tokens: list[Token]) -> list[bool]:
        """For each token (in text order), whether it overlaps none of the spans: `overlaps`
        for every token, in one pass over both."""
        starts, ends = self._starts, self._ends
        count = len(starts)
        found: list[bool] = []
        k = 0
        for token in tokens:
            while k < count and ends[k] <= token.start:
                k += 1  # spans before the token: none after it can reach back
            found.append(k == count or starts[k] >= token.end)
        return found

    def overlaps(self, start: int, end: int) -> bool:
        """True when some span s has s.start < end and start < s.end."""
        # Merged spans are disjoint and sorted, so of those starting before `end`, the
        # last one reaches furthest.
        last = bisect_left(self._starts, end) - 1
        return last >= 0 and self._ends[last] > start


def _headline_spans(text: str) -> list[tuple[int, int]]:
    """Subheadings in title case ("Lavrov Discusses Lachin Corridor Regime") hold no names we trust."""
    spans = []
    position = 0
    for paragraph in text.split("\n\n"):
        words = paragraph.split()
        if is_headline_like(paragraph) and len(words) >= 3:
            capitals = sum(1 for w in words if w[:1].isupper())
            if capitals >= 0.6 * len(words):
                spans.append((position, position + len(paragraph)))
        position += len(paragraph) + 2
    return spans


def _initial(text: str, tokens: list[Token], i: int) -> bool:
    if i == 0:
        return True
    gap = text[tokens[i - 1].end : tokens[i].start]
    if gap == ". " and _middle_initial(text, tokens, i - 1):
        return False  # "George W. Bush": an initial's full stop ends no sentence
    return bool(_SENTENCE_GAP.search(gap)) or (tokens[i - 1].text.endswith(".") and len(tokens[i - 1].text) > 2)


_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s$")


def _capitalised(token: Token) -> bool:
    """Could start or continue a name: capitalised, not a single letter, not "MPs" or "CEOs"."""
    return token.text[:1].isupper() and len(token.text) > 1 and not _PLURAL_ACRONYM.match(token.text)


def _middle_initial(text: str, tokens: list[Token], i: int) -> bool:
    """A capital letter with a full stop between two capitalised words: the "W." of George W.
    Bush; or without the stop (as the BBC writes it) after a given name: "George W Bush"
    (not "I" or "A", which are words)."""
    token = tokens[i]
    if not (
        len(token.text) == 1
        and token.text.isupper()
        and 0 < i < len(tokens) - 1
        and _capitalised(tokens[i - 1])
        and _capitalised(tokens[i + 1])
    ):
        return False
    after = text[token.end : token.end + 2]
    if after == ". ":
        return True
    return (
        after[:1] == " "
        and token.text not in "IA"
        and text[tokens[i - 1].end : token.start] == " "
        and is_given_name(tokens[i - 1].text)
    )


# Abbreviations that begin place names, whose full stop ends no sentence: "St. Louis".
_PLACE_ABBREVIATIONS = frozenset({"St", "Ste", "Mt", "Ft"})

# Lower-case particles that begin names: "al Qaeda", "al-Zarqawi", "bin Laden", "van Gogh".
MAX_NAME_TOKENS = 16
"""Longest run of words read as one name. The longest real ones are bodies such as "State
Service for Affairs of Refugees and Internally Displaced Persons" (11); a longer run is no
name, and every later step (inner names, keys, merges) costs more than linear time in a
name's length: a 7 KB file of 1,000 capitalised words took 35 s and 1.5 GB to import."""

_LEADING_PARTICLES = frozenset({"al", "el", "bin", "ibn", "van", "von", "de", "da", "di", "du"})


def _runs(text: str, tokens: list[Token], closed: Spans) -> list[list[int]]:
    """Maximal runs of capitalised tokens joined by spaces or hyphens (connectors inside),
    outside the `closed` spans (known mentions, URLs, subheadings, quoted titles)."""
    frees = closed.frees(tokens)

    def joins(i: int, j: int) -> bool:
        gap = text[tokens[i].end : tokens[j].start]
        if gap == ". " and (_middle_initial(text, tokens, i) or tokens[i].text in _PLACE_ABBREVIATIONS):
            return True
        return bool(_NAME_GAP.match(gap) or _AMPERSAND_GAP.match(gap))

    def organisation_so_far(run: list[int]) -> bool:
        return any(tokens[k].folded in ORG_HEADS or tokens[k].folded in ORG_WORDS for k in run)

    def start_run(i: int) -> list[int]:
        # "al Qaeda", "al-Zarqawi": a lower-case particle begins the name.
        if i > 0 and tokens[i - 1].folded in _LEADING_PARTICLES and frees[i - 1] and joins(i - 1, i):
            return [i - 1, i]
        return [i]

    runs: list[list[int]] = []
    current: list[int] = []
    for i, token in enumerate(tokens):
        if not current:  # most tokens: only a capitalised word starts a run
            if token.text[:1].isupper() and frees[i] and _capitalised(token):
                current = start_run(i)
            continue
        capital = frees[i] and (_capitalised(token) or _middle_initial(text, tokens, i))
        continues = joins(current[-1], i) and token.folded not in HONORIFICS
        if capital and continues:
            current.append(i)
            continue
        # "House of Commons": a connector joins two capitalised words; "of the" too
        # ("Friends of the Earth"), and "and" (kept only inside an organisation's name, below).
        if (
            continues
            and frees[i]
            and (
                token.folded in CONNECTORS
                or token.folded == "and"
                or (token.folded == "the" and tokens[current[-1]].folded == "of")
            )
            # "Department for Education", "State Service for ...", but not "ICM for BBC News".
            and (token.folded != "for" or organisation_so_far(current))
            and i + 1 < len(tokens)
            and frees[i + 1]
            and joins(i, i + 1)
            and (_capitalised(tokens[i + 1]) or (tokens[i + 1].folded == "the" and token.folded == "of"))
        ):
            current.append(i)
            continue
        runs.extend(_split_run(tokens, current))
        current = start_run(i) if capital else []
    if current:
        runs.extend(_split_run(tokens, current))
    return runs


def _split_run(tokens: list[Token], run: list[int]) -> list[list[int]]:
    """An organisation followed by a title and a name is two names: "Home Office | Minister
    Des Browne", "Bank of England | Governor Mervyn King"."""
    for k in range(1, len(run) - 1):
        if tokens[run[k]].folded == "of" and 2 <= k <= 3 and is_given_name(tokens[run[0]].text):
            return [run[:k], *_split_run(tokens, run[k + 1 :])]  # "Doug Williams | of | BT"
        if tokens[run[k]].folded not in PERSON_TITLES:
            continue
        if tokens[run[k - 1]].folded in ORG_WORDS:
            return [*_split_coordination(tokens, run[:k]), *_split_run(tokens, run[k:])]
        # ... and a place then a title: "New York | Attorney General Elliot Spitzer", "US |
        # Secretary of State ..."; a demonym of two words is dropped: "South African |
        # President Thabo Mbeki". Words that open a sentence are not part of the place.
        kind = _place_words(tokens, run[:k]) if k <= 3 else ""
        start = next((j for j in range(k) if not _opens_sentence_only(tokens[run[j]])), k)
        if not kind and 0 < start < k and k - start <= 3:
            kind = _place_words(tokens, run[start:k])
        if kind:
            before = _split_coordination(tokens, run[:k]) if kind == "place" else []
            return [*before, *_split_run(tokens, run[k:])]
    return _split_coordination(tokens, run)


def _opens_sentence_only(token: Token) -> bool:
    """A word capitalised only as a sentence's first ("Then", "The"), not "US" in capitals."""
    if token.folded in PLACE_ACRONYMS and is_acronym(token.text):
        return False
    return token.folded in _NEVER_FIRST or token.folded in COMMON_WORDS


def _place_words(tokens: list[Token], part: list[int]) -> str:
    """What these words are before a title: a "place" of the gazetteer ("New York") or a
    country's acronym in capitals ("US"); a "demonym" of two words ("South African"); or ""."""
    words = [tokens[i] for i in part]
    if place_kind(" ".join(t.text for t in words)):
        return "place"
    if len(words) == 1:
        return "place" if words[0].folded in PLACE_ACRONYMS and is_acronym(words[0].text) else ""
    return "demonym" if len(words) == 2 and words[1].folded in DEMONYMS else ""


def _split_coordination(tokens: list[Token], run: list[int]) -> list[list[int]]:
    """Keep "and" inside one name only where an organisation's name holds it.

    "Ministry of Economy and Natural Resources", "Securities and Exchange Commission" and
    "Yorkshire and the Humber"-like names of bodies end in an organisation word or start
    with a head and "of"/"for"; "Armenia and Azerbaijan" is two names, and so is "Irish
    Competition Authority and European Commission" (each part ends like a body).
    """
    ands = [k for k, i in enumerate(run) if tokens[i].folded == "and"]
    if not ands:
        return [run]
    bodies_joined = any(k > 0 and tokens[run[k - 1]].folded in ORG_WORDS for k in ands)
    last = tokens[run[-1]].folded
    head = tokens[run[0]].folded in ORG_HEADS or any(
        tokens[i].folded in ("of", "for") and k < ands[0] and tokens[run[k - 1]].folded in ORG_HEADS | ORG_WORDS
        for k, i in enumerate(run)
        if k > 0
    )
    # "Reagan and Republicans", "the Administration and Congress": one word after the last
    # "and" is a name of its own, not the end of a body's ("Securities and Exchange Commission").
    lone_last = len(run) - 1 - ands[-1] == 1
    if not bodies_joined and ((last in ORG_WORDS and not lone_last) or head):
        return [run]
    parts: list[list[int]] = []
    start = 0
    for k in ands:
        parts.append(run[start:k])
        start = k + 1
    parts.append(run[start:])
    return [part for part in parts if part]


def _read_run(
    text: str,
    tokens: list[Token],
    run: list[int],
    lowercase_seen: set[str],
    capital_inside: set[str],
    known_tokens: frozenset[str],
) -> Candidate | None:
    """Trim a run to the name it holds and read the evidence around it."""
    lo, hi = run[0], run[-1]  # the name is tokens[lo..hi], trimmed below
    starts_sentence = _initial(text, tokens, lo)
    evidence, strong = "", False
    # "Using President Reagan ...", "March President Reagan ...": a word capitalised only
    # because it opens the sentence, then a capitalised title: the word is no part of a name.
    if (
        starts_sentence
        and lo + 1 < hi
        and tokens[lo + 1].folded in PERSON_TITLES
        and tokens[lo].folded not in PERSON_TITLES | ORG_WORDS | ORG_HEADS
        and not is_given_name(tokens[lo].text)
        and not place_kind(tokens[lo].text)
        and not is_acronym(tokens[lo].text)
    ):
        lo += 1

    def ends_org() -> bool:
        """Ends in an organisation word, or has one right before its first "of"/"for":
        "Bank of England", "State Service for Mine Safety" (not "Minister for Wales")."""
        if hi <= lo:
            return False
        if tokens[hi].folded in ORG_WORDS or tokens[hi].folded in LEGAL_FORMS:
            return True
        for k in range(lo + 1, hi):
            if tokens[k].folded in ("of", "for"):
                return tokens[k - 1].folded in ORG_HEADS or tokens[k - 1].folded in ORG_WORDS
        return False

    # "4:35 PM GMT": after a number PM is the time of day, not a prime minister's title.
    if lo < hi and tokens[lo].folded in ("am", "pm") and lo > 0 and tokens[lo - 1].text[-1:].isdigit():
        lo += 1
    # Drop a common word that only has its capital because it starts the sentence
    # ("The" always: "The Tories" are the Tories).
    while lo <= hi and (
        tokens[lo].folded in _NEVER_FIRST
        # "In March President Reagan": a month or day before a title is the date, even May.
        or (
            tokens[lo].folded in MONTHS_AND_DAYS
            and lo < hi
            and (tokens[lo].folded not in ("may", "march") or tokens[lo + 1].folded in PERSON_TITLES)
        )
        # "Critics of the Reagan Administration": once the opening word is gone, a name
        # does not begin with the connector that followed it.
        or (lo < hi and lo > run[0] and tokens[lo].folded in ("of", "for", "and"))
        or (
            tokens[lo].folded in COMMON_WORDS
            and (starts_sentence or not ends_org())  # "But TV" at a sentence start; "New Line Cinema" inside
            and not _place_starts(tokens, lo, hi)
            and not (tokens[lo].folded in PLACE_ACRONYMS and is_acronym(tokens[lo].text))  # "US", not "us"
        )
    ):
        lo += 1
        starts_sentence = False
    # "Shares of First Health Group": a common noun of the article opens the sentence.
    if (
        starts_sentence
        and lo + 2 <= hi
        and tokens[lo + 1].folded == "of"
        and tokens[lo].folded in lowercase_seen
        and tokens[lo].folded not in ORG_HEADS
        and tokens[lo].folded not in ORG_WORDS
    ):
        lo += 2
        starts_sentence = False
    # Titles say "person" and are not part of the name: "Foreign Secretary Jack Straw".
    # A title joined by "for"/"of" names a portfolio, not a person: "Minister for Wales".
    title = ""
    if lo <= hi and not ends_org():
        titled = portfolio = False
        while (
            hi > lo
            and (tokens[lo].folded in _STRIPPABLE or (portfolio and tokens[lo].folded == "the"))
            and not _place_begins(tokens, lo, hi)
        ):
            titled = titled or tokens[lo].folded in PERSON_TITLES
            portfolio = portfolio or tokens[lo].folded in CONNECTORS
            lo += 1
            starts_sentence = False
        if titled and not portfolio and tokens[lo].folded not in PERSON_TITLES:
            evidence, strong = "person", True
            title = tokens[lo - 1].folded
            if lo == hi and tokens[lo].folded in FIRST_NAMES and tokens[lo - 1].folded in ROYAL_TITLES:
                lo -= 1  # "Prince Charles", not "Charles"
    while hi >= lo and tokens[hi].folded in _TRAILING:
        hi -= 1
    if hi < lo:
        return None
    words = tokens[lo : hi + 1]
    folded = [w.folded for w in words]
    if all(_never_a_name(f) for f in folded) and not (
        len(words) == 1 and folded[0] in PLACE_ACRONYMS and is_acronym(words[0].text)
    ):
        return None  # ("US" in capitals is the country, not "us")
    if len(words) == 1 and folded[0] in known_tokens:
        return None  # a piece of a known name
    if len(words) > 1 and all(f in LEGAL_FORMS for f in folded):
        return None  # "Co Inc" of "Morgan Stanley and Co Inc": the tail of a company's name
    if len(words) == 2 and folded[1] in DEMONYMS and not place_kind(" ".join(w.text for w in words)):
        return None  # an adjective of two words: "South African", "North Korean"
    if len(words) > 1 and folded[-1] in EVENT_WORDS:
        return None  # "Tony Award", "World Cup": an event or a prize
    if len(words) > 1 and folded[-1] in DOCUMENT_WORDS:
        return None  # "Maastricht Treaty", "Marshall Plan": a law, a treaty, a programme
    if (
        len(words) == 1
        and folded[0] not in KNOWN_ORGANIZATIONS
        and (folded[0] in ORG_WORDS or folded[0] in PLACE_WORDS)
    ):
        return None  # "Parliament", "Treasury": whose? Not an entity on its own.
    start, end = words[0].start, words[-1].end
    after, before = _word_at(text, tokens, hi, +1), _word_at(text, tokens, lo, -1)
    name = text[start:end]
    gazetteer = ""
    if len(words) <= 4 and not any(f in ORG_WORDS for f in folded):
        gazetteer = PLACE if " ".join(folded) in EXTRA_PLACES else place_kind(name)
    if not evidence:
        if ends_org() or (len(words) == 1 and folded[0] in KNOWN_ORGANIZATIONS) or _AND_CO.match(text, end):
            evidence, strong = "organization", True  # (a firm's partners' names before "and Co")
        elif _credited_agency(text, start, end) and not gazetteer:
            evidence, strong = "organization", True  # "MOSCOW (Reuters) -", "AP - A company ..."
        elif len(words) > 1 and (folded[-1] in PLACE_WORDS or folded[0] in PLACE_PREFIXES):
            evidence, strong = "place", True  # "Tiananmen Square", "Lake Sevan"
        elif before == "of" and _word_at(text, tokens, lo - 1, -1) in PLACE_OF_WORDS:
            evidence, strong = "place", True  # "the village of Sotk"
        elif len(words) > 1 and gazetteer:
            evidence, strong = "place", gazetteer == PLACE  # "Abu Dhabi", "Ivory Coast"
        elif len(words) == 1 and folded[0] in PLACE_ACRONYMS:
            evidence, strong = "place", True  # "US interest rates", "the UK's biggest lender"
        elif len(words) == 1 and before == "the" and after in SPEECH_VERBS and not is_acronym(words[0].text):
            evidence, strong = "organization", True  # "the Halifax said", "The Kremlin said": people take no "the"
        elif len(words) == 1 and is_acronym(words[0].text) and len(words[0].text) <= 6:
            # "the BBC said", "the NHS is"; not the adjectival "the ID card scheme", "TB drugs".
            if after in SPEECH_VERBS or (before == "the" and (not after or after in COMMON_WORDS)):
                evidence = "place" if folded[0] in PLACE_ACRONYMS else "organization"
        elif before in ORG_NOUNS and len(words) <= 3:
            # "polling company Mori", "civil rights group Liberty"; weak, as "the club Web site" shows
            evidence = "organization"
        elif (
            len(words) > 1
            and is_given_name(words[0].text)
            and not any(is_acronym(w.text) for w in words)
            # a gazetteer name before a common noun is no person: "Age Concern"
            and (folded[0] in FIRST_NAMES or folded[-1] not in lowercase_seen)
            and place_kind(words[-1].text) != PLACE  # "Age Concern England"
            and folded[-1] not in EXTRA_PLACES
        ):
            evidence = "person"
        elif 1 < len(words) <= 3 and before in PERSON_ROLES and not any(f in PLACE_WORDS for f in folded):
            evidence = "person"  # "national security adviser Jake Sullivan"
        elif _stake_before(text, tokens, lo) or _corporate_after(text, end):
            evidence = "organization"  # "shares in Chubb", "Nordstrom's shares", "WorldCom's chief executive"
        elif (
            _place_before(text, tokens, lo)
            and len(words) <= 3
            and not _possessive_after(text, end)
            and not _NUMBER_AFTER.match(text[end : end + 4])  # "from Chapter 11", "on Radio 4"
        ):
            # "in London", but not "in Microsoft's software": a possessor is not a location.
            evidence = "place"
        elif 1 < len(words) <= 3 and _apposition_names_person(text, end):
            evidence = "person"
    # A lone capitalised word at a sentence start is a name only if the article also
    # capitalises it mid-sentence and never writes it in lower case.
    initial_only = False
    if len(words) == 1:
        if folded[0] in lowercase_seen and evidence != "organization" and not is_acronym(words[0].text):
            # "General Election" / "election": a common noun, title or not
            return Candidate(start, end, name, evidence, strong, False, common=True)
        if starts_sentence and folded[0] not in capital_inside:
            initial_only = True
    defined = _DEFINED_ACRONYM.match(text[end : end + 14])
    short = defined.group(1) if defined and _initials_match(defined.group(1), words) else ""
    honorific = title if len(words) == 1 and title in HONORIFICS else ""
    possessive = len(words) == 1 and _possessive_after(text, end)
    return Candidate(start, end, name, evidence, strong, initial_only, gazetteer, short, honorific, False, possessive)


def _never_a_name(folded: str) -> bool:
    """A word that is no name alone, nor with others of its kind ("The", "Russian", "March")."""
    return folded in DEMONYMS or folded in COMMON_WORDS or folded in MONTHS_AND_DAYS or folded in PERSON_TITLES


def lone_word_matters(folded: str) -> bool:
    """Whether discovery could take this word alone for a name, and so whether its being part
    of a known alias (which makes discovery ignore it alone) can change an article's names."""
    return folded in PLACE_ACRONYMS or not _never_a_name(folded)


def _initials_match(acronym: str, words: list[Token]) -> bool:
    """ "SEC" for Securities and Exchange Commission, "WSJ" for Wall Street Journal."""
    letters = [ch for ch in acronym if ch.isupper()]
    initials = [w.text[0] for w in words if w.text[:1].isupper()]
    return len(letters) >= 2 and letters == initials


def _apposition_names_person(text: str, end: int) -> bool:
    """ ", the former state minister of ..." or ", an aide to ..." follows the name."""
    match = _APPOSITION.match(text[end : end + 80])
    if not match:
        return False
    words = [*match.group(1).split(), match.group(2)]
    return any(w.casefold() in PERSON_ROLES for w in words)


_NUMBER_AFTER = re.compile(r"^ \d")


def _place_starts(tokens: list[Token], lo: int, hi: int) -> bool:
    """A place name starts at tokens[lo] although its first word is common: "New York"."""
    return any(place_kind(" ".join(t.text for t in tokens[lo : lo + n])) for n in (2, 3) if lo + n - 1 <= hi)


# "(Reuters) -" in a dateline, or "AP - " opening the article: the credit of a news agency.
_AGENCY_AFTER = re.compile(r"^\) ?(?:[—–]|--?)")
_CREDIT_AFTER = re.compile(r"^ (?:[—–]|--?) ")
# "X's shares", "X's chief executive": what companies have.
_CORPORATE_AFTER = re.compile(
    r"^['’]s (?:shares?|share price|stock|profits?|revenues?|sales|earnings|shareholders|chief executive|"
    r"chairman|board|boss|customers|subscribers|takeover)\b"
)
# "Merrill Lynch and Co", "Morgan Stanley & Co Inc", "Salomon Brothers and Company".
_AND_CO = re.compile(r",? (?:and|&) (?:Co|Company)\b")


def _credited_agency(text: str, start: int, end: int) -> bool:
    if start > 0 and text[start - 1] == "(" and _AGENCY_AFTER.match(text[end : end + 4]):
        return True
    # "AP - A company ...": only an acronym, since "GENEVA - ..." opens with a place; and
    # only where the article opens, since "NOTE - Net is after tax" closes a table.
    return (
        is_acronym(text[start:end])
        and bool(_CREDIT_AFTER.match(text[end : end + 5]))
        and (start == 0 or _first_ink(text) == start)
    )


_INK = re.compile(r"\S")


def _first_ink(text: str) -> int:
    """Where the text's first non-space character is (looked for from the start only)."""
    found = _INK.search(text)
    return found.start() if found else len(text)


def _corporate_after(text: str, end: int) -> bool:
    return bool(_CORPORATE_AFTER.match(text[end : end + 20]))


def _stake_before(text: str, tokens: list[Token], index: int) -> bool:
    """ "shares in Chubb", "a stake in Fiat": a company."""
    return _word_at(text, tokens, index, -1) == "in" and _word_at(text, tokens, index - 1, -1) in STAKE_WORDS


def _possessive_after(text: str, end: int) -> bool:
    return text[end : end + 2] in ("'s", "’s")


def _place_before(text: str, tokens: list[Token], index: int) -> bool:
    """Preceded by "in", "at", "from" ... (optionally with "the"): "in London", "in the Gulf";
    but not "shares in Delta Air Lines", "a stake in Chrysler" (a company)."""
    before = _word_at(text, tokens, index, -1)
    if before == "the" and index > 0:
        index -= 1
        before = _word_at(text, tokens, index, -1)
    return before in PLACE_PREPOSITIONS and _word_at(text, tokens, index - 1, -1) not in STAKE_WORDS


def _word_at(text: str, tokens: list[Token], index: int, step: int) -> str:
    """The folded word next to tokens[index] (step +1 after, -1 before), if only a space separates them."""
    other = index + step
    if not 0 <= other < len(tokens):
        return ""
    left, right = (tokens[index], tokens[other]) if step > 0 else (tokens[other], tokens[index])
    return tokens[other].folded if _NAME_GAP.match(text[left.end : right.start]) else ""
