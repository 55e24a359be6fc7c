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
from tuibrowser.core.entities.lexicon import (
    COMMON_WORDS,
    CONNECTORS,
    DEMONYMS,
    FIRST_NAMES,
    HONORIFICS,
    KNOWN_ORGANIZATIONS,
    MONTHS_AND_DAYS,
    ORG_HEADS,
    ORG_WORDS,
    PERSON_ROLES,
    PERSON_TITLES,
    PLACE_ACRONYMS,
    PLACE_PREPOSITIONS,
    PLACE_WORDS,
    ROYAL_TITLES,
    SPEECH_VERBS,
)
from tuibrowser.core.entities.text import Token, is_acronym, tokenize

# An e-mail address is matched only from the start of a word: "\S+@\S+" tried at every
# position of a long word without "@" costs the square of its length (11 s for 64 KiB).
_URL = re.compile(r"(?:https?://|www\.)\S+|(?<!\S)\S+@\S+|@\w+|#\w+")
_SENTENCE_GAP = re.compile(r"[.!?:;\"“”‘\n]|^\s*[—–-]\s*$")
_NAME_GAP = re.compile(r"^(?:\s|-)*$")
_STRIPPABLE = PERSON_TITLES | DEMONYMS | CONNECTORS
# ", the former state minister" / ", an aide to": up to four words, then a role noun.
_APPOSITION = re.compile(r"^,\s+(?:the|a|an|his|her)\s+((?:[\w'’-]+\s+){0,4}?)([\w'’-]+)\b")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One occurrence of a possible name in an article.

    Attributes:
        start, end: Offsets of the name in the article text (titles excluded).
        name: The name as written.
        evidence: "person", "organization", "place" or "" (none), from the context.
        strong: True when the evidence is unambiguous (a title, an organisation word).
        initial_only: True for a single word seen only at a sentence start.
    """

    start: int
    end: int
    name: str
    evidence: str
    strong: bool
    initial_only: bool

    @property
    def words(self) -> int:
        return len(self.name.split())


def find_candidates(
    text: str, covered: list[tuple[int, int]], known_tokens: frozenset[str], tokens: list[Token] | None = None
) -> list[Candidate]:
    """Possible names in `text` outside the `covered` spans (mentions of known entities).

    Args:
        known_tokens: folded words of known aliases; a lone word that is part of a known
            name ("Lachin" of "Lachin Corridor") is not a new entity.
        tokens: `tokenize(text)`, when the caller already has it.
    """
    blocked = Spans([*covered, *((m.start(), m.end()) for m in _URL.finditer(text))])
    tokens = tokenize(text) if tokens is None else tokens
    lowercase_seen = {t.folded for t in tokens if t.text[:1].islower()}
    capital_inside = {t.folded for i, t in enumerate(tokens) if t.text[:1].isupper() and not _initial(text, tokens, i)}
    skip = Spans(_headline_spans(text))
    budget.check()
    candidates: list[Candidate] = []
    for number, run in enumerate(_runs(text, tokens, blocked, skip)):
        if number % 256 == 0:
            budget.check()
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
    return bool(_SENTENCE_GAP.search(gap)) or (tokens[i - 1].text.endswith(".") and len(tokens[i - 1].text) > 2)


_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s$")


def _capitalised(token: Token) -> bool:
    """Could start or continue a name: capitalised, not a single letter, not "MPs" or "CEOs"."""
    return token.text[:1].isupper() and len(token.text) > 1 and not _PLURAL_ACRONYM.match(token.text)


def _runs(text: str, tokens: list[Token], blocked: Spans, skip: Spans) -> list[list[int]]:
    """Maximal runs of capitalised tokens joined by spaces or hyphens (connectors inside)."""

    def free(i: int) -> bool:
        token = tokens[i]
        return not blocked.overlaps(token.start, token.end) and not skip.overlaps(token.start, token.end)

    def joins(i: int, j: int) -> bool:
        return bool(_NAME_GAP.match(text[tokens[i].end : tokens[j].start]))

    runs: list[list[int]] = []
    current: list[int] = []
    for i, token in enumerate(tokens):
        capital = free(i) and _capitalised(token)
        continues = bool(current) and joins(current[-1], i) and token.folded not in HONORIFICS
        # "House of Commons": a connector joins two capitalised words.
        connector = (
            continues
            and free(i)
            and token.folded in CONNECTORS
            # "Department for Education", but not "ICM for BBC News".
            and (token.folded != "for" or tokens[current[0]].folded in ORG_HEADS)
            and i + 1 < len(tokens)
            and free(i + 1)
            and _capitalised(tokens[i + 1])
            and joins(i, i + 1)
        )
        if (capital and (not current or continues)) or connector:
            current.append(i)
            continue
        if current:
            runs.append(current)
        current = [i] if capital else []
    if current:
        runs.append(current)
    return runs


def _read_run(text, tokens, run, lowercase_seen, capital_inside, known_tokens) -> Candidate | None:
    """Trim a run to the name it holds and read the evidence around it."""
    lo, hi = run[0], run[-1]  # the name is tokens[lo..hi], trimmed below
    starts_sentence = _initial(text, tokens, lo)
    evidence, strong = "", False

    def ends_org() -> bool:
        return hi > lo and (
            tokens[hi].folded in ORG_WORDS
            or (hi - lo >= 2 and tokens[lo].folded in ORG_HEADS and tokens[lo + 1].folded in ("of", "for"))
        )

    # Drop a common word that only has its capital because it starts the sentence
    # ("The" always: "The Tories" are the Tories).
    while lo <= hi and (
        tokens[lo].folded == "the"
        or ((tokens[lo].folded in COMMON_WORDS or tokens[lo].folded in MONTHS_AND_DAYS) and not ends_org())
    ):
        lo += 1
        starts_sentence = False
    # Titles say "person" and are not part of the name: "Foreign Secretary Jack Straw".
    # A title joined by "for"/"of" names a portfolio, not a person: "Minister for Wales".
    if lo <= hi and not ends_org():
        titled = portfolio = False
        while hi > lo and tokens[lo].folded in _STRIPPABLE:
            titled = titled or tokens[lo].folded in PERSON_TITLES
            portfolio = portfolio or tokens[lo].folded in CONNECTORS
            lo += 1
            starts_sentence = False
        if titled and not portfolio and tokens[lo].folded not in PERSON_TITLES:
            evidence, strong = "person", True
            if lo == hi and tokens[lo].folded in FIRST_NAMES and tokens[lo - 1].folded in ROYAL_TITLES:
                lo -= 1  # "Prince Charles", not "Charles"
    while hi >= lo and (tokens[hi].folded in MONTHS_AND_DAYS or tokens[hi].folded in CONNECTORS):
        hi -= 1
    if hi < lo:
        return None
    words = tokens[lo : hi + 1]
    folded = [w.folded for w in words]
    if all(f in DEMONYMS or f in COMMON_WORDS or f in MONTHS_AND_DAYS or f in PERSON_TITLES for f in folded):
        return None
    if len(words) == 1 and folded[0] in known_tokens:
        return None  # a piece of a known name
    if (
        len(words) == 1
        and folded[0] not in KNOWN_ORGANIZATIONS
        and (folded[0] in ORG_WORDS or folded[0] in PLACE_WORDS)
    ):
        return None  # "Parliament", "Treasury": whose? Not an entity on its own.
    start, end = words[0].start, words[-1].end
    after, before = _word_at(text, tokens, hi, +1), _word_at(text, tokens, lo, -1)
    if not evidence:
        if ends_org() or (len(words) == 1 and folded[0] in KNOWN_ORGANIZATIONS):
            evidence, strong = "organization", True
        elif len(words) > 1 and folded[-1] in PLACE_WORDS:
            evidence, strong = "place", True
        elif len(words) == 1 and is_acronym(words[0].text) and len(words[0].text) <= 6:
            # "the BBC said", "the NHS is"; not the adjectival "the ID card scheme", "TB drugs".
            if after in SPEECH_VERBS or (before == "the" and (not after or after in COMMON_WORDS)):
                evidence = "place" if folded[0] in PLACE_ACRONYMS else "organization"
        elif len(words) > 1 and folded[0] in FIRST_NAMES and not any(is_acronym(w.text) for w in words):
            evidence = "person"
        elif _place_before(text, tokens, lo) and len(words) <= 3 and not _possessive_after(text, end):
            # "in London", but not "in Microsoft's software": a possessor is not a location.
            evidence = "place"
        elif 1 < len(words) <= 3 and _apposition_names_person(text, end):
            evidence = "person"
    # A lone capitalised word at a sentence start is a name only if the article also
    # capitalises it mid-sentence and never writes it in lower case.
    initial_only = False
    if len(words) == 1:
        if folded[0] in lowercase_seen and evidence != "organization":
            return None  # "General Election" / "election": a common noun, title or not
        if starts_sentence and folded[0] not in capital_inside:
            initial_only = True
    return Candidate(start, end, text[start:end], evidence, strong, initial_only)


def _apposition_names_person(text: str, end: int) -> bool:
    """ ", the former state minister of ..." or ", an aide to ..." follows the name."""
    match = _APPOSITION.match(text[end : end + 80])
    if not match:
        return False
    words = [*match.group(1).split(), match.group(2)]
    return any(w.casefold() in PERSON_ROLES for w in words)


def _possessive_after(text: str, end: int) -> bool:
    return text[end : end + 2] in ("'s", "’s")


def _place_before(text: str, tokens: list[Token], index: int) -> bool:
    """Preceded by "in", "at", "from" ... (optionally with "the"): "in London", "in the Gulf"."""
    before = _word_at(text, tokens, index, -1)
    if before == "the" and index > 0:
        before = _word_at(text, tokens, index - 1, -1)
    return before in PLACE_PREPOSITIONS


def _word_at(text: str, tokens: list[Token], index: int, step: int) -> str:
    """The folded word next to tokens[index] (step +1 after, -1 before), if only a space separates them."""
    other = index + step
    if not 0 <= other < len(tokens):
        return ""
    left, right = (tokens[index], tokens[other]) if step > 0 else (tokens[other], tokens[index])
    return tokens[other].folded if _NAME_GAP.match(text[left.end : right.start]) else ""
