"""Direct quotes in an article and who said them: rules over the linker's mentions, no model.

News writes attribution in a handful of shapes, and these rules read them:

- `"...," Zakharova said.` / `"...," said Foreign Secretary Jack Straw.` (after the quote)
- `Ms Hewitt said: "..."` / `Mr Chirac told reporters: "..."` (before it, in its sentence)
- `according to X`, `X's press office said`, `a spokesman for X said` (X speaks)
- `she added`, `they said`, `the statement said`, `the prime minister told MPs` (a pronoun
  or a description, resolved to someone named earlier)
- a quote that is a sentence of its own, right after a sentence that says who is speaking
  (`She said ministers would consult. "We have made a firm commitment."`).

The speaker is always one of the mentions the caller passes in (an entity the linker found),
never free text: when no mention fills the slot, the quote is kept with speaker None.

Quotation marks are paired by what surrounds them, as a reader does: a straight `"` after a
space opens, one before a space or punctuation closes, and `'` between letters is an
apostrophe ("it's"). A paragraph that leaves its quote open continues in the next paragraph
when that one reopens with a quotation mark (the news convention); each stretch between an
opening mark and the next closing or reopening mark is one Quote. Quotes of one or two words
("so-called 'reforms'", "the "failing" agency") are scare quotes and are left out, unless
they are a whole utterance ("No," he said).

Every regular expression here is linear in the text (single character classes, bounded
repeats), and all other work is done in windows of bounded size around each quote, so a
hostile text (a megabyte without spaces, or of quotation marks) costs linear time.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from tuibrowser.core.entities.lexicon import PERSON_TITLES
from tuibrowser.core.entities.text import Token, tokenize

__all__ = ["QUOTES_VERSION", "Quote", "Speaker", "find_quotes"]

QUOTES_VERSION = "1"
"""Bump whenever a rule changes, so an index that stores quotes derives them again."""


@dataclass(frozen=True, slots=True)
class Speaker:
    """An entity mention the linker found: a candidate speaker for the article's quotes."""

    entity_id: str
    start: int
    end: int
    type: str
    """"person", "organization", "place", "event" or "group"."""


@dataclass(frozen=True, slots=True)
class Quote:
    """One stretch of quoted words and who said it.

    Attributes:
        start, end: Offsets into the article text of the words inside the quotation marks
            (surrounding spaces and a trailing comma left out); `text` is `article[start:end]`.
        text: The quoted words as written (a nested quotation keeps its marks).
        speaker: The entity id of the speaker, from the Speaker list, or None when the text
            does not say who, or names no entity in the slot ("one Labour MP said").
        cue: The attribution verb or phrase, normalised to its past form ("said" for
            "says", "added" for "adding"), or "according to"; None when there is none.
        continues: True when this stretch continues the previous Quote: the paragraph
            before left the quote open and this one reopened it, or the attribution
            interrupted the sentence (`"...," Zakharova said. "..."`).
    """

    start: int
    end: int
    text: str
    speaker: str | None
    cue: str | None
    continues: bool = False


def find_quotes(text: str, speakers: Sequence[Speaker]) -> list[Quote]:
    """Every direct quote of three words or more in `text`, in order, with its speaker.

    Args:
        text: The article text (paragraphs separated by a blank line, quotes as written).
        speakers: Entity mentions in `text` (any order). Mentions nested inside another
            (the linker links "Lachin Corridor" inside "blockade of the Lachin Corridor")
            are left out: the outer name is the one a sentence's grammar attaches to.
    """
    pieces = _quoted_pieces(text)
    if not pieces:
        return []  # most articles: no need to read who speaks where (tokens, sentences)
    return _Attributor(text, outermost(speakers), pieces).quotes()


def outermost(speakers: Sequence[Speaker]) -> list[Speaker]:
    """The mentions that lie inside no other (mentions overlap only by nesting)."""
    kept: list[Speaker] = []
    for speaker in sorted(speakers, key=lambda s: (s.start, -s.end)):
        if kept and speaker.end <= kept[-1].end:
            continue  # sorted by start, longest first: inside the last one kept
        kept.append(speaker)
    return kept


# Quotation marks ---------------------------------------------------------------------

_DOUBLE_MARKS = re.compile('["“”«»]')
_SINGLE_MARKS = re.compile("['‘’]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_BEFORE_OPENER = frozenset("([{—–-/:;,“‘\"'«")
_AFTER_CLOSER = frozenset(".,;:!?)]}—–-/”’\"'»…")
_SENTENCE_FINAL = frozenset(".!?:…")
_OPEN, _CLOSE, _IGNORE = "open", "close", "ignore"

MIN_WORDS = 3
"""Quotes with fewer words are scare quotes ("failing", "strictly technical"), left out."""


@dataclass(frozen=True, slots=True)
class _Piece:
    """A stretch of quoted text: between an opening mark and its closing (or reopening) mark."""

    start: int
    end: int
    open_at: int
    """Offset of the opening mark."""
    close_at: int | None
    """Offset of the closing mark; None when the quote runs on into a reopened stretch."""
    group: int
    """Pieces of one quote that spans paragraphs share a group."""
    continues: bool


def _quoted_pieces(text: str) -> list[_Piece]:
    """Pair double quotation marks, then single ones outside them; drop scare quotes.

    Double quotes are paired first because news uses them for speech; single quotes inside
    them are nested quotations, part of the outer quote. Single quotes are paired in a copy
    of the text where the double-quoted stretches are blanked out, so an apostrophe inside
    a quote ("the '90s") cannot pair with one outside it.
    """
    paragraphs = _paragraphs(text)
    doubles = _MarkPairer(text, _DOUBLE_MARKS, _double_role, group_base=0).run(paragraphs)
    masked = _mask(text, [(p.open_at, (p.close_at if p.close_at is not None else p.end - 1) + 1) for p in doubles])
    singles = _MarkPairer(masked, _SINGLE_MARKS, _single_role, group_base=len(doubles)).run(paragraphs)
    pieces = sorted(_outermost([*doubles, *singles]), key=lambda p: p.start)
    return _substantial(text, pieces)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    parts, position = [], 0
    for start, end in sorted(spans):
        if start < position:
            continue
        parts += [text[position:start], "x" * (end - start)]
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _outermost(pieces: list[_Piece]) -> list[_Piece]:
    """Drop pieces inside other pieces (a double quotation nested in a single-quoted one)."""
    ordered = sorted(pieces, key=lambda p: (p.open_at, -p.end))
    kept: list[_Piece] = []
    reach = -1
    for piece in ordered:
        if piece.open_at < reach:
            continue
        kept.append(piece)
        reach = piece.end
    return kept


def _flanks(text: str, i: int) -> tuple[bool, bool, bool]:
    """(can open, can close, isolated) for the quotation mark at `i`, from its neighbours."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    can_open = not after.isspace() and (before.isspace() or before in _BEFORE_OPENER)
    can_close = not before.isspace() and (after.isspace() or after in _AFTER_CLOSER)
    return can_open, can_close, before.isspace() and after.isspace()


def _double_role(text: str, i: int, is_open: bool) -> str:
    can_open, can_close, isolated = _flanks(text, i)
    mark = text[i]
    if mark in "“«":
        return _CLOSE if can_close and not can_open and is_open else _OPEN
    if mark in "”»":
        return _OPEN if can_open and not can_close and not is_open else _CLOSE
    if isolated:  # `put it there,' " a fellow passenger said`: a closer spaced off a nested one
        return _CLOSE if is_open and i > 1 and text[i - 2] in "'’" else _IGNORE
    if can_open != can_close:
        return _OPEN if can_open else _CLOSE
    return _CLOSE if is_open else _OPEN  # `of"squabbling`: no space, so read by state


def _single_role(text: str, i: int, is_open: bool) -> str:
    """`‘` and `'` after a space open; `’` and `'` close an open quote; between letters they are apostrophes."""
    can_open, can_close, _ = _flanks(text, i)
    mark = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isalnum() and after.isalnum():
        return _IGNORE  # it's, don’t, O'Brien
    if mark != "’" and can_open and not can_close:
        return _OPEN
    if can_close and is_open:
        return _CLOSE
    return _IGNORE  # the countries’ leaders, ’90s


class _MarkPairer:
    """Pairs one kind of quotation mark, paragraph by paragraph, in one left-to-right pass."""

    def __init__(self, text: str, marks: re.Pattern[str], role: Callable[[str, int, bool], str], group_base: int):
        self.text, self.marks, self.role = text, marks, role
        self.pieces: list[_Piece] = []
        self.open_at: int | None = None
        self.continues = False
        self.group = group_base
        self.carried = False

    def run(self, paragraphs: list[tuple[int, int]]) -> list[_Piece]:
        for number, (start, end) in enumerate(paragraphs):
            for match in self.marks.finditer(self.text, start, end):
                self._mark(match.start())
            following = paragraphs[number + 1] if number + 1 < len(paragraphs) else None
            self._end_paragraph(end, following)
        return self.pieces

    def _mark(self, i: int) -> None:
        role = self.role(self.text, i, self.open_at is not None)
        if role == _OPEN:
            self._open(i)
        elif role == _CLOSE and self.open_at is not None:
            self._emit(self.open_at + 1, i, close_at=i)
            self.open_at = None

    def _open(self, i: int) -> None:
        if self.open_at is None:
            self.open_at, self.continues = i, self.carried
            if not self.carried:
                self.group += 1
            self.carried = False
            return
        # Reopened while open: the paragraph convention with the paragraph breaks lost
        # (`... 26 weeks. "We are going`), if the open stretch ended a sentence.
        if self.text[max(self.open_at + 1, i - 200) : i].rstrip()[-1:] in _SENTENCE_FINAL:
            self._emit(self.open_at + 1, i, close_at=None)
            self.open_at, self.continues = i, True
        else:
            self.open_at, self.continues = i, False  # the earlier mark was stray
            self.group += 1

    def _end_paragraph(self, end: int, following: tuple[int, int] | None) -> None:
        if self.open_at is None:
            return
        if following is not None and self._reopens(following):
            self._emit(self.open_at + 1, end, close_at=None)
            self.carried = True
        self.open_at = None

    def _reopens(self, paragraph: tuple[int, int]) -> bool:
        start, end = paragraph
        first = self.marks.match(self.text, start, min(end, start + 1))
        return first is not None and self.role(self.text, start, False) == _OPEN

    def _emit(self, start: int, end: int, close_at: int | None) -> None:
        assert self.open_at is not None
        self.pieces.append(_Piece(start, end, self.open_at, close_at, self.group, self.continues))


def _substantial(text: str, pieces: list[_Piece]) -> list[_Piece]:
    """Trim each piece to its words and drop scare quotes (by the words of its whole group)."""
    trimmed = [t for t in (_trim(text, p) for p in pieces) if t is not None]
    words: dict[int, int] = {}
    for piece in trimmed:
        words[piece.group] = words.get(piece.group, 0) + _word_count(text[piece.start : piece.end])
    return [p for p in trimmed if words[p.group] >= MIN_WORDS or _utterance(text[p.start : p.end])]


def _trim(text: str, piece: _Piece) -> _Piece | None:
    start, end = piece.start, piece.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and text[end - 1] == ",":
        end -= 1
    if end <= start:
        return None
    return _Piece(start, end, piece.open_at, piece.close_at, piece.group, piece.continues)


def _word_count(quoted: str) -> int:
    return sum(1 for word in quoted.split() if any(ch.isalnum() for ch in word))


def _utterance(quoted: str) -> bool:
    """A short quote that is a whole utterance: "No." "Absolutely!" (not "failing")."""
    return quoted[:1].isupper() and quoted[-1:] in ".!?" and _word_count(quoted) > 0


# Words ---------------------------------------------------------------------------------

# Verbs of attribution, as written, and the form a Quote reports.
_CUE_FORMS = {
    "said": ("said", "says", "say", "saying"),
    "told": ("told", "tells", "tell", "telling"),
    "added": ("added", "adds", "add", "adding"),
    "stated": ("stated", "states"),
    "warned": ("warned", "warns", "warn", "warning"),
    "argued": ("argued", "argues", "argue", "arguing"),
    "claimed": ("claimed", "claims", "claiming"),
    "insisted": ("insisted", "insists", "insist", "insisting"),
    "wrote": ("wrote", "writes", "write", "writing"),
    "explained": ("explained", "explains", "explain"),
    "admitted": ("admitted", "admits", "admit", "admitting"),
    "denied": ("denied", "denies", "deny"),
    "replied": ("replied", "replies", "replying"),
    "responded": ("responded", "responds"),
    "asked": ("asked", "asks", "ask", "asking"),
    "declared": ("declared", "declares", "declare"),
    "announced": ("announced", "announces", "announce"),
    "continued": ("continued", "continues"),
    "noted": ("noted", "notes", "noting"),
    "observed": ("observed",),
    "commented": ("commented",),
    "suggested": ("suggested", "suggests", "suggest", "suggesting"),
    "urged": ("urged", "urges", "urge", "urging"),
    "stressed": ("stressed", "stresses", "stressing"),
    "emphasised": ("emphasised", "emphasized", "emphasises", "emphasizes"),
    "acknowledged": ("acknowledged", "acknowledges", "acknowledge"),
    "conceded": ("conceded", "concedes", "concede"),
    "predicted": ("predicted", "predicts", "predict"),
    "promised": ("promised", "promises"),
    "pledged": ("pledged", "pledges"),
    "vowed": ("vowed", "vows"),
    "recalled": ("recalled", "recalls"),
    "confirmed": ("confirmed", "confirms", "confirm"),
    "complained": ("complained", "complains", "complain"),
    "concluded": ("concluded", "concludes"),
    "confided": ("confided",),
    "implored": ("implored",),
    "advised": ("advised",),
    "agreed": ("agreed", "agrees", "agree"),
    "accused": ("accused", "accuses", "accuse", "accusing"),
    "called": ("called", "calls", "calling"),
    "described": ("described", "describes", "describe", "describing"),
    "branded": ("branded", "brands"),
    "dismissed": ("dismissed", "dismisses", "dismiss"),
    "cited": ("cited", "cites"),
    "joked": ("joked", "jokes"),
    "cautioned": ("cautioned",),
    "maintained": ("maintained", "maintains"),
    "revealed": ("revealed", "reveals", "reveal"),
    "remembered": ("remembered", "remembers"),
    "confessed": ("confessed", "confesses", "confess"),
}
_CUES = {form: lemma for lemma, forms in _CUE_FORMS.items() for form in forms} | {"according": "according to"}
_PARTICIPLES = frozenset(form for form in _CUES if form.endswith("ing"))
# Forms that are as often plural nouns ("the claims were"): never the nearest verb of speech on their own.
_NOUN_LIKE = frozenset(
    {"claims", "calls", "states", "notes", "brands", "vows", "pledges", "promises", "warning", "writing"}
)
_CONJUNCTIONS = frozenset({"but", "and", "yet", "so", "then", "or"})
# Title words that make a different office: "Deputy Prime Minister" is not "the prime minister".
_OTHER_OFFICE = frozenset({"deputy", "vice", "shadow", "former", "ex", "acting", "junior", "assistant", "under"})
_BE = frozenset({"was", "were", "been", "being", "is", "are", "be"})

# Words between a subject and its verb that are not the subject: "Microsoft on Tuesday said".
_SKIPPED = frozenset(
    """also later then however meanwhile too though has have had would will could may might once again
    previously earlier recently last this on in yesterday today tonight reportedly repeatedly further
    subsequently simply just only still even not did does do was were is are been being quoted as heard
    reported week month year night morning afternoon evening
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december""".split()
)
_SPOKES = {"spokesman": "male", "spokeswoman": "female", "spokesperson": None, "spokesmen": None}
_VOICES = frozenset({"office", "service", "spokespeople", "secretariat", "press"})
_DOCUMENTS = frozenset({"statement", "report", "letter", "communique", "readout", "release", "document"})
_BODIES = frozenset(
    """ministry department company firm party agency commission committee council union organisation
    organization group court bank government""".split()
)
_ROLES = frozenset(
    """minister secretary chancellor leader president premier chairman chairwoman chief spokesman governor
    mayor senator ambassador commissioner director executive general envoy""".split()
)
_PRONOUNS = frozenset({"he", "she", "it", "they"})
# Words that end the phrase after a verb: "said that Labour ..." names no speaker.
_NOT_IN_NAME_PHRASE = frozenset(
    """that to whether if how what why when while and but on in at after before during it's there this""".split()
)
# "the company said": the one company the story is about; "the government" needs its name.
_SOLE_BODIES = frozenset({"company", "firm", "group"})
_MALE = frozenset({"mr", "sir", "lord", "king", "prince", "duke", "baron", "earl"})
_FEMALE = frozenset({"mrs", "ms", "miss", "lady", "dame", "baroness", "queen", "princess", "duchess"})
# Given names that say "she" (or "he") when no honorific does; names given to both are in neither.
_FEMALE_NAMES = frozenset(
    """aisha alice alison amanda amy ana angela angelina ann anna anne annie barbara beverley carol caroline
    catherine charlotte cherie christine claire clare deborah diana diane elena elizabeth ellen emily emma
    estelle eva fatima gillian glenda gloria harriet hazel heather helen hillary irene jane janet jennifer
    jessica joan joyce judith julia julie karen kate katherine kathleen laura lauren linda lisa liz louise
    lucy margaret maria marie mary melanie michelle nancy natalie nicola olivia pamela patricia paula rachel
    rebecca rita rosa ruth sally sandra sara sarah sharon sheila sophie sue susan teresa tessa theresa
    valerie vanessa victoria wendy yvette zoe""".split()
)
_MALE_NAMES = frozenset(
    """aaron abdul abdullah adam adrian ahmad ahmed alan alastair albert alexander alexei alexey alfred ali
    amir andrei andrew andrey anthony antonio antony arnold arthur ayman barack barry ben benjamin bernard
    bernie bill billy bob boris brad brendan brian bruce carl carlos charles charlie christian christopher
    colin craig dan daniel danny dave david dean denis dennis derek dick dmitry dominic don donald doug
    douglas duncan ed eddie edward emmanuel eric ernest frank fred frederick gareth gary gavin geoff geoffrey
    george gerald gerhard gerry gordon graham greg gregory hamid hans harold harry hassan henry howard hugh
    hugo ian igor ilham imran isaac ivan jack jacob jacques james jason jeff jeremy jerry jim jimmy joe john
    johnny jon jonathan jose joseph josh joshua juan julian justin keith ken kenneth kevin kofi lars leo leon
    leonard lewis liam louis luis mahmoud malcolm marcus mario mark martin matt matthew maurice michael
    michel mike mikhail mohamed mohammad mohammed muhammad neil nelson nicholas nick nicolas nigel nikol
    nikolai noel norman oliver omar oscar owen patrick paul pavel pedro peter philip phillip pierre ralph
    raymond recep richard rick rob robert roger ronald ross roy ryan saddam sadiq samuel scott sean
    sebastian sergei sergey shaun silvio simon stephen steve steven stuart tariq ted thomas tim timothy tom
    tommy tony trevor victor viktor vince vincent vladimir walter wayne william yasser yuri yusuf""".split()
)
_SUBJECT_OPENERS = frozenset({"but", "and", "however", "meanwhile", "earlier", "later", "now", "yet", "so", "the", "a"})
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "prof", "gen", "col", "lt", "sgt", "rep", "sen", "gov"})

WINDOW = 400
"""Characters looked at on each side of a quote or a verb: attribution is never further away."""

PRONOUN_REACH = 800
"""How far back (in characters) a pronoun or "the statement" looks for whom it means: a few sentences."""


@dataclass(frozen=True, slots=True)
class _Event:
    """Someone named (or described) at `at`: what a later "he", "it" or "the statement" can refer to."""

    at: int
    entity_id: str | None
    kind: str
    """"person", "organization", ... of the referent as a pronoun sees it (a spokeswoman is a person)."""
    gender: str | None
    spoke: bool
    """True when the text says this entity spoke here (a verb of speech, a quote)."""
    cue: str | None = None
    document: bool = False
    """True when it spoke through a statement or report ("said in a statement")."""


@dataclass(frozen=True, slots=True)
class _Attribution:
    """What one verb of speech says: who (if anyone we know) and with which verb."""

    speaker: str | None
    cue: str | None
    at: int
    event: _Event | None = None


class _Attributor:
    """Reads one article: sentences, tokens, who speaks where; then attributes its quotes."""

    def __init__(self, text: str, speakers: Sequence[Speaker], pieces: list[_Piece]):
        self.text = text
        self.pieces = pieces
        self.tokens: list[Token] = tokenize(text)
        self.starts = [t.start for t in self.tokens]
        self.mentions = sorted(speakers, key=lambda s: (s.start, s.end))
        self.mention_starts = [m.start for m in self.mentions]
        self.regions = [(p.open_at, (p.close_at if p.close_at is not None else p.end) + 1) for p in pieces]
        self.region_starts = [start for start, _ in self.regions]
        self.sentence_starts = _sentence_starts(text)
        self.gender = _genders(text, self.mentions)
        self.events: list[_Event] = []
        """Who was named or spoke where, in text order (the first pass)."""
        self.context: list[_Event] = []
        """Speakers given to quotes by the sentence before them, in text order (the second pass)."""
        self.cue_at: dict[int, _Attribution] = {}
        """The reading of every verb of speech outside quotes, by token index."""
        self._words_by_entity: dict[str, set[str]] | None = None

    # The two passes ---------------------------------------------------------------------

    def quotes(self) -> list[Quote]:
        if not self.pieces:
            return []
        self._read_speech()
        attributions = self._attribute_groups()
        return self._assemble(attributions)

    def _read_speech(self) -> None:
        """Left to right: note who is named and who speaks, so pronouns can be resolved."""
        initial, next_initial = self._sentence_initial_mentions(), 0
        for index, token in enumerate(self.tokens):
            while next_initial < len(initial) and initial[next_initial].start <= token.start:
                self._note_subject(initial[next_initial])
                next_initial += 1
            lemma = (
                _CUES.get(token.text) if token.text.islower() else "according to" if token.text == "According" else None
            )
            if lemma is None or self._quoted(token.start):
                continue
            attribution = self._read_cue(index, lemma)
            self.cue_at[index] = attribution
            if attribution.event is not None:
                self.events.append(attribution.event)

    def _attribute_groups(self) -> dict[int, _Attribution]:
        groups: dict[int, list[_Piece]] = {}
        for piece in self.pieces:
            groups.setdefault(piece.group, []).append(piece)
        found: dict[int, _Attribution] = {}
        for group, pieces in sorted(groups.items(), key=lambda item: item[1][0].start):
            attribution = self._explicit(pieces) or self._from_context(pieces)
            if attribution is not None:
                found[group] = attribution
        return found

    def _assemble(self, attributions: dict[int, _Attribution]) -> list[Quote]:
        quotes: list[Quote] = []
        previous: _Piece | None = None
        for piece in self.pieces:
            found = attributions.get(piece.group)
            speaker, cue = (found.speaker, found.cue) if found else (None, None)
            continues = piece.continues or self._interrupted(previous, piece, speaker, quotes)
            quotes.append(Quote(piece.start, piece.end, self.text[piece.start : piece.end], speaker, cue, continues))
            previous = piece
        return quotes

    # Attribution of a quote ---------------------------------------------------------------

    def _explicit(self, pieces: list[_Piece]) -> _Attribution | None:
        """The verb of speech in a quote's own sentence: before it, or right after it."""
        candidates: list[_Attribution] = []
        for piece in pieces:
            if not piece.continues:
                candidates += self._before(piece)
            if piece.close_at is not None:
                candidates += self._after(piece)
        if not any(c.speaker is not None for c in candidates):
            candidates += self._trailing(pieces[-1])
        named = [c for c in candidates if c.speaker is not None]
        return named[0] if named else (candidates[0] if candidates else None)

    def _before(self, piece: _Piece) -> list[_Attribution]:
        """`X said: "..."`, `X said the plan was "..."`: the last verb of speech before the quote."""
        start = max(self._sentence_start(piece.open_at), piece.open_at - WINDOW)
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, piece.open_at)
        for index in range(hi - 1, lo - 1, -1):
            found = self.cue_at.get(index)
            if found is None or (found.speaker is None and self._not_a_clause_verb(index)):
                continue
            return [found]  # the nearest verb: `Mr Telford added it was hard when people asked "..."`
        return []

    def _not_a_clause_verb(self, index: int) -> bool:
        """ "the claims were", "urged him to admit": a noun, or an infinitive whose subject is elsewhere."""
        return self.tokens[index].text in _NOUN_LIKE or (index > 0 and self.tokens[index - 1].folded == "to")

    def _after(self, piece: _Piece) -> list[_Attribution]:
        """`"...," X said` and `"...," said X`: a verb of speech just after the closing mark."""
        assert piece.close_at is not None
        sentence_end = self._sentence_end(piece.close_at + 1)
        if not self._tokens_between(piece.close_at + 1, sentence_end):  # `"...." Zakharova said.`
            sentence_end = self._sentence_end(sentence_end)
        end = min(sentence_end, self._next_region(piece.close_at + 1), piece.close_at + WINDOW)
        lo, hi = bisect_left(self.starts, piece.close_at + 1), bisect_left(self.starts, end)
        clause = bisect_left(self.starts, min(sentence_end, piece.close_at + WINDOW)) - lo
        for offset, index in enumerate(range(lo, min(hi, lo + 14))):
            if index in self.cue_at:
                if self._attached(piece, offset, clause):
                    return [self.cue_at[index]]
                return []
        return []

    def _trailing(self, piece: _Piece) -> list[_Attribution]:
        """`Everyone could see the chancellor's "sweeteners", but ..., he said.`: the sentence's last clause."""
        after = piece.close_at if piece.close_at is not None else piece.end
        end = min(self._sentence_end(after + 1), after + WINDOW)
        hi = bisect_left(self.starts, end)
        for index in range(hi - 1, max(bisect_left(self.starts, after), hi - 8) - 1, -1):
            if "," in self._gap(index) or self._quoted(self.tokens[index].start):
                break
            if index in self.cue_at and self.cue_at[index].speaker is not None:
                return [self.cue_at[index]]
        return []

    def _attached(self, piece: _Piece, cue_offset: int, clause_tokens: int) -> bool:
        """Does the clause after the closing mark attribute this quote, or start something else?

        A quote ending in a comma, "?" or "!" (or followed by a comma) hands over to its
        attribution; one ending in a full stop ended its sentence, and only a short
        `he said.` may follow it; a quote without punctuation is inside a sentence.
        """
        last = self.text[piece.start : piece.end].rstrip("\"”’')]")[-1:]
        after = self.text[piece.close_at + 1 : piece.close_at + 3].lstrip()[:1] if piece.close_at is not None else ""
        raw_end = self.text[piece.end : (piece.close_at or piece.end)].strip()
        if last in ".…" and raw_end != ",":  # `"...." Zakharova said.`, not `"...." But Ms Kelly said she ...`
            first = bisect_left(self.starts, (piece.close_at or piece.end) + 1)
            opener = first < len(self.tokens) and self.tokens[first].folded in _CONJUNCTIONS
            return cue_offset <= 3 and clause_tokens <= 6 and not opener
        if raw_end == "," or last in ",?!—-:" or after == ",":
            return True
        return cue_offset <= 2

    def _from_context(self, pieces: list[_Piece]) -> _Attribution | None:
        """A quote that is a sentence of its own takes the speaker of the sentence before."""
        first, last = pieces[0], pieces[-1]
        start = self._sentence_start(first.open_at)
        if self._tokens_between(start, first.open_at) or start == 0:
            return None
        if last.close_at is not None and self._tokens_between(last.close_at, self._sentence_end(last.close_at)):
            return None  # `"...," is the dry assessment of Graham Lane.`: the sentence goes on
        previous = self._sentence_start(self._outside_quotes(start - 1))
        if start - previous > 2 * WINDOW:
            return None
        spoken = [
            e for e in (*_between(self.events, previous, start), *_between(self.context, previous, start)) if e.spoke
        ]
        if not spoken:
            return None
        event = min(spoken, key=_at)  # the sentence's main verb: "X told BBC Wales he had agreed ..."
        if event.entity_id is None:
            return None
        self.context.append(_moved(event, first.start))
        return _Attribution(event.entity_id, event.cue, first.start, event)

    def _outside_quotes(self, position: int) -> int:
        """The opening mark of the quote around `position` (or `position`): where its sentence starts."""
        index = bisect_right(self.region_starts, position) - 1
        return self.regions[index][0] if index >= 0 and position < self.regions[index][1] else position

    def _interrupted(self, previous: _Piece | None, piece: _Piece, speaker: str | None, quotes: list[Quote]) -> bool:
        """`"...," Zakharova said. "..."`: the second stretch goes on with the first's sentence."""
        if previous is None or previous.close_at is None or not quotes or speaker is None:
            return False
        if quotes[-1].speaker != speaker or self.text[previous.end : previous.close_at].strip() != ",":
            return False
        gap = self.text[previous.close_at + 1 : piece.open_at]
        return (
            "\n" not in gap
            and gap.rstrip()[-1:] in (".", ",", ":")
            and 0 < self._tokens_between(previous.close_at + 1, piece.open_at) <= 15
            and not self._tokens_between(self._sentence_start(previous.open_at), previous.open_at)
        )

    # Reading a verb of speech --------------------------------------------------------------

    def _read_cue(self, index: int, lemma: str) -> _Attribution:
        """Who speaks with the verb at `index`: its subject, or the name after it."""
        token = self.tokens[index]
        if token.folded == "according":
            return self._according(index)
        sentence_start = max(self._sentence_start(token.start), token.start - WINDOW)
        clause_start = max(sentence_start, self._previous_region_end(token.start))
        lo = bisect_left(self.starts, clause_start)
        participle = token.text in _PARTICIPLES
        if not participle and index - 1 >= lo and self.tokens[index - 1].folded in _BE:
            asked = self._subject(lo, index - 1, token.start)  # "Mr Johnson was asked": someone unnamed asked
            heard = _Event(asked.at, asked.entity_id, asked.kind, asked.gender, False) if asked else None
            return _Attribution(None, lemma, token.start, heard)
        pronoun = self._trailing_pronoun(index, lo)
        if participle:  # "..., adding:", "wrote to the watchdog saying:": the sentence's speaker
            subject = self._sentence_subject(bisect_left(self.starts, sentence_start), index)
        elif pronoun is not None:  # "Mr Blair has failed, he claimed": "he" is not Mr Blair
            subject = self._pronoun(pronoun, token.start, reported_from=sentence_start)
        else:
            subject = self._subject(lo, index, token.start)
        if subject is None and not participle and not self._content_between(lo, index):
            subject = self._named_after(index + 1, token.start)  # "...," said Jack Straw.
        if subject is None:
            return _Attribution(None, lemma, token.start)
        if subject.entity_id is None:
            return _Attribution(None, lemma, token.start, subject)
        document = self._mentions_document(index)
        event = _Event(token.start, subject.entity_id, subject.kind, subject.gender, True, lemma, document)
        return _Attribution(subject.entity_id, lemma, token.start, event)

    def _trailing_pronoun(self, verb: int, lo: int) -> str | None:
        """The pronoun of an attribution that closes a sentence of reported speech: `..., he said.`"""
        before = verb - 1
        while before > lo and self.tokens[before].folded in _SKIPPED:
            before -= 1
        if before <= lo or self.tokens[before].folded not in _PRONOUNS or "," not in self._gap(before):
            return None
        end = bisect_left(self.starts, self._sentence_end(self.tokens[verb].start))
        closes = end - verb <= 4 or any("," in self._gap(i) for i in range(verb + 1, min(end, verb + 5)))
        return self.tokens[before].folded if closes else None

    def _according(self, index: int) -> _Attribution:
        if index + 1 >= len(self.tokens) or self.tokens[index + 1].folded != "to":
            return _Attribution(None, None, self.tokens[index].start)
        at = self.tokens[index].start
        named = self._named_after(index + 2, at)
        if named is None:
            return _Attribution(None, "according to", at)
        event = _Event(at, named.entity_id, named.kind, named.gender, True, "according to")
        return _Attribution(named.entity_id, "according to", at, event)

    def _subject(self, lo: int, verb: int, at: int) -> _Event | None:
        """The subject before a verb: "Zakharova said", "David Frost, director of the BCC, said"."""
        segments = self._segments(lo, verb)
        if len(segments) >= 2 and self.tokens[segments[-1][0]].folded in ("who", "which"):
            segments.pop()  # "Maria Zakharova, who also told reporters": the name before "who"
        if not segments:
            return None
        if all(t.folded in _CONJUNCTIONS for t in self.tokens[slice(*segments[-1])]):
            return self._sentence_subject(lo, verb)  # "The chancellor would not comment, but insisted"
        if not self._comma_before(verb):
            if len(segments) >= 2 and self._is_name(*segments[-2]):
                return self._head(*segments[-2], at)  # "Colin Asplin, Blackpool Hotel Association said"
            return self._head(*segments[-1], at)
        # An apposition sits between the name and the verb: prefer a person, then the name before it.
        heads = [self._head(a, b, at) for a, b in segments]
        people = [h for h in heads if h is not None and h.kind == "person"]
        if people:
            return people[0]
        return heads[-2] if len(heads) >= 2 else heads[-1]

    def _sentence_subject(self, lo: int, verb: int) -> _Event | None:
        """For "..., saying": the speaker named earlier in the sentence, or its first name."""
        for index in range(verb - 1, lo - 1, -1):
            earlier = self.cue_at.get(index)
            if earlier is not None and earlier.event is not None:
                return earlier.event
        at = self.tokens[verb].start
        for start, end in self._segments(lo, verb):  # "But in an interview, Mr Blair refused ..., saying"
            index = start
            while index < end and self.tokens[index].folded in _SUBJECT_OPENERS:
                index += 1
            if index < end and self.tokens[index].folded in _PRONOUNS:
                return self._pronoun(self.tokens[index].folded, at)
            stop = index
            while stop < min(end, index + 8) and self._in_name_phrase(stop):
                stop += 1
            if stop > index:  # "UK Independence Party leader Roger Knapman": the phrase's last name
                found = self._head(start, stop, at)
                if found is not None:
                    return found
        return None

    def _in_name_phrase(self, index: int) -> bool:
        """A word of a subject's name and titles: "Tory leader Michael Howard", "Mr Kilroy-Silk"."""
        token = self.tokens[index]
        return (
            self._mention_of(index) is not None
            or token.text[:1].isupper()
            or token.folded in PERSON_TITLES
            or token.folded in _ROLES
        )

    def _named_after(self, lo: int, at: int) -> _Event | None:
        """The name in the phrase after a verb: "said Foreign Secretary Jack Straw", "said the statement"."""
        end = min(len(self.tokens), lo + 10)
        last: _Event | None = None
        index = lo
        while index < end:
            if index > lo and self._gap_breaks(index):
                break
            mention = self._mention_of(index)
            if mention is not None:
                last = self._event_for(mention, at)
                index = bisect_left(self.starts, mention.end)
                continue
            folded = self.tokens[index].folded
            if folded in _NOT_IN_NAME_PHRASE:
                break
            if last is not None and self.tokens[index].text.islower() and folded not in ("of", "for", "s"):
                break
            found = self._describe(index, index, at) if last is None else None
            if found is not None:
                return found
            index += 1
        return last

    def _segments(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The token ranges between commas, with trailing adverbs ("also", "on Monday") dropped."""
        segments, start = [], lo
        for index in range(lo + 1, hi + 1):
            if index == hi or self._clause_gap(index):
                end = index
                while end > start and self.tokens[end - 1].folded in _SKIPPED:
                    end -= 1
                if end > start:
                    segments.append((start, end))
                start = index
        return segments

    def _is_name(self, lo: int, hi: int) -> bool:
        """A segment that is only a person's name (and titles): "Colin Asplin", "Mr Blair"."""
        mention = self._mention_of(hi - 1)
        if mention is None or mention.type != "person":
            return False
        first = bisect_left(self.starts, mention.start)
        return all(t.folded in PERSON_TITLES for t in self.tokens[lo:first])

    def _head(self, lo: int, hi: int, at: int) -> _Event | None:
        """What the last word of a noun phrase names: a mention, a pronoun, a description."""
        last = hi - 1
        mention = self._mention_of(last)
        if mention is not None and mention.type == "place" and self._located(mention, lo):
            return None  # "detainee 'A' in Woodhill Prison said": where, not who
        found = self._event_for(mention, at) if mention is not None else None
        found = found or self._describe(last, lo, at) or self._unknown_person(lo, hi, at)
        spokes = [t.folded for t in self.tokens[lo:hi] if t.folded in _SPOKES]
        if spokes:  # "a spokesman for the Home Office": a later "he" is him
            return _Event(at, found.entity_id if found else None, "person", _SPOKES[spokes[0]], True)
        return found

    def _located(self, mention: Speaker, lo: int) -> bool:
        first = bisect_left(self.starts, mention.start)
        return first > lo and self.tokens[first - 1].folded in ("in", "at", "from", "near", "outside")

    def _unknown_person(self, lo: int, hi: int, at: int) -> _Event | None:
        """A name the linker did not find ("Mr German said"): nobody we know, but a later "he" is him."""
        words = self.tokens[max(lo, hi - 3) : hi]
        if len(words) < 2 or not all(w.text[:1].isupper() for w in words[-2:]):
            return None
        honorific = words[-2].folded
        gender = "male" if honorific in _MALE else "female" if honorific in _FEMALE else None
        if gender is None and words[-2].folded in PERSON_TITLES | _SUBJECT_OPENERS:
            return None
        return _Event(at, None, "person", gender, True)

    def _describe(self, index: int, lo: int, at: int) -> _Event | None:
        """A head that is not a name: "he", "X's spokeswoman", "the statement", "the prime minister"."""
        folded = self.tokens[index].folded
        if folded in _PRONOUNS:
            return self._pronoun(folded, at)
        if folded in _SPOKES or folded in _VOICES:
            return self._voice(index, lo, at)
        determiner = self.tokens[index - 1].folded if index > 0 else ""
        if folded in _DOCUMENTS and determiner in ("the", "its", "this", "a"):
            return self._document(at)
        if folded in _BODIES and determiner == "the":
            return self._body(folded, at)
        if folded in _ROLES:
            return self._role(index, lo, at)
        return None

    def _voice(self, index: int, lo: int, at: int) -> _Event | None:
        """ "Pashinyan's press office", "a Labour spokesman": the body (or person) it speaks for."""
        for back in range(index - 1, max(lo, index - 6) - 1, -1):
            mention = self._mention_of(back)
            if mention is not None:
                spoken = self._event_for(mention, at)
                folded = self.tokens[index].folded
                if folded in _SPOKES:  # "she said" after "a spokeswoman said" is the spokeswoman
                    return _Event(at, spoken.entity_id, "person", _SPOKES[folded], True)
                return spoken
        if self.tokens[index].folded in _SPOKES:  # an unnamed spokesman: a later "he" is him, not someone else
            return _Event(at, None, "person", _SPOKES[self.tokens[index].folded], True)
        return None

    def _pronoun(self, word: str, at: int, reported_from: int | None = None) -> _Event | None:
        """he/she: the last person named; it: the last organisation (or country); they: either.

        The last one who spoke or was the subject of a sentence comes first ("Mr Waterson said
        he was amazed Mr Smith was still in his job. '...,' he said" is Waterson); failing
        that, the last one mentioned at all. Either must be in the last few sentences.

        Args:
            reported_from: the start of a sentence of reported speech that the pronoun's verb
                closes; who is named in it (not as a speaker) is what was said, not who said it.
        """
        wanted = {
            "he": (("person",),),
            "she": (("person",),),
            "it": (("organization",), ("place", "group")),
            "they": (("organization", "group"), ("person",)),
        }[word]
        gender = {"he": "male", "she": "female"}.get(word)
        for kinds in wanted:
            for event in (*self._recent_events(at), *self._recent_mentions(at)):
                if reported_from is not None and event.at >= reported_from and not event.spoke:
                    continue
                known = event.gender or (self.gender.get(event.entity_id) if event.entity_id else None)
                if event.kind in kinds and (gender is None or known in (None, gender)):
                    if gender and known is None and event.entity_id is not None:
                        self.gender[event.entity_id] = gender  # "he says" once: a later "she" is someone else
                    return _moved(event, at) if event.entity_id is not None else None
        return None

    def _recent_mentions(self, at: int) -> Iterator[_Event]:
        """Mentions outside quotes before `at`, nearest first, within PRONOUN_REACH."""
        for position in range(bisect_left(self.mention_starts, at) - 1, -1, -1):
            mention = self.mentions[position]
            if mention.start < at - PRONOUN_REACH:
                return
            if not self._quoted(mention.start):
                yield self._event_for(mention, at)

    def _document(self, at: int) -> _Event | None:
        """ "the statement said": whoever last spoke through a statement, else the last organisation."""
        recent = list(self._recent_events(at))
        for event in recent:
            if event.document and event.entity_id is not None:
                return _moved(event, at)
        for event in recent:
            if event.kind == "organization" and event.entity_id is not None:
                return _moved(event, at)
        return None

    def _body(self, word: str, at: int) -> _Event | None:
        """ "the ministry said": the last organisation named with that word, else the last one."""
        recent = [e for e in self._recent_events(at) if e.kind == "organization" and e.entity_id is not None]
        for event in recent:
            if event.entity_id is not None and word in self._entity_words(event.entity_id):
                return _moved(event, at)
        return _moved(recent[0], at) if recent and word in _SOLE_BODIES else None

    def _role(self, index: int, lo: int, at: int) -> _Event | None:
        """ "the prime minister said": the last person the text introduced with that title."""
        words = [t.folded for t in self.tokens[max(lo, index - 3) : index + 1]]
        if "the" not in words:
            return None
        role = words[len(words) - words[::-1].index("the") :]
        if role[0] in _OTHER_OFFICE:
            return None
        first = bisect_left(self.mention_starts, at - 20 * WINDOW)
        for position in range(bisect_left(self.mention_starts, at) - 1, first - 1, -1):
            mention = self.mentions[position]
            if mention.type == "person" and self._titled(mention, role):
                return self._event_for(mention, at)
        return None

    # Events: who was named or spoke, for pronouns ------------------------------------------

    def _sentence_initial_mentions(self) -> list[Speaker]:
        """Mentions that open a sentence ("But Mr Davis..."): the subjects later pronouns refer to."""
        found = []
        for start in self.sentence_starts:
            lo = bisect_left(self.starts, start)
            kinds: set[str] = set()
            for index in range(lo, min(len(self.tokens), lo + 6)):
                mention = self._mention_of(index)
                possessive = mention is not None and self.text[mention.end : mention.end + 1] in ("'", "’")
                if (
                    mention is not None
                    and mention.type not in kinds
                    and not possessive
                    and not self._quoted(mention.start)
                ):
                    kinds.add(mention.type)  # the first person and the first organisation: "The low-key Melvin"
                    found.append(mention)
        return sorted(set(found), key=lambda m: (m.start, m.end))

    def _note_subject(self, mention: Speaker) -> None:
        event = self._event_for(mention, mention.start)
        end = bisect_left(self.starts, mention.end)
        if end < len(self.tokens) and self.tokens[end].folded in _SPOKES and self._gap(end).strip() == "":
            event = _Event(mention.start, mention.entity_id, "person", _SPOKES[self.tokens[end].folded], False)
        self.events.append(event)

    def _recent_events(self, at: int, limit: int = 60) -> Iterator[_Event]:
        """Events before `at`, nearest first, within PRONOUN_REACH (and at most `limit` of them)."""
        end = bisect_left(self.events, at, key=_at)
        for position in range(end - 1, max(-1, end - 1 - limit), -1):
            if self.events[position].at < at - PRONOUN_REACH:
                return
            yield self.events[position]

    def _event_for(self, mention: Speaker, at: int) -> _Event:
        kind = mention.type
        return _Event(at, mention.entity_id, kind, self.gender.get(mention.entity_id), False)

    def _entity_words(self, entity_id: str) -> set[str]:
        """Every word the article uses in naming the entity (computed once per article)."""
        if self._words_by_entity is None:
            self._words_by_entity = {}
            for mention in self.mentions:
                words = self._words_by_entity.setdefault(mention.entity_id, set())
                words.update(self.text[mention.start : mention.end].casefold().split())
        return self._words_by_entity.get(entity_id, set())

    def _titled(self, mention: Speaker, role: list[str]) -> bool:
        """Was the mention introduced with exactly this title ("Prime Minister Tony Blair", not "Deputy ...")?"""
        lo = bisect_left(self.starts, mention.start)
        title = [t.folded for t in self.tokens[max(0, lo - len(role) - 1) : lo]]
        for word in self.text[mention.start : mention.end].casefold().split()[:-1]:  # "President Putin"
            if word not in PERSON_TITLES:
                break
            title.append(word)
        if title[-len(role) :] != role:
            return False
        return len(title) == len(role) or title[-len(role) - 1] not in _OTHER_OFFICE

    def _mentions_document(self, verb: int) -> bool:
        """ "said in a statement", "the statement said": it spoke through a document."""
        window = self.tokens[max(0, verb - 3) : verb + 5]
        return any(t.folded in _DOCUMENTS for t in window)

    # Text geometry --------------------------------------------------------------------------

    def _mention_of(self, index: int) -> Speaker | None:
        token = self.tokens[index]
        position = bisect_right(self.mention_starts, token.start) - 1
        if position >= 0 and self.mentions[position].end >= token.end:
            return self.mentions[position]
        return None

    def _quoted(self, position: int) -> bool:
        index = bisect_right(self.region_starts, position) - 1
        return index >= 0 and position < self.regions[index][1]

    def _previous_region_end(self, position: int) -> int:
        index = bisect_right(self.region_starts, position) - 1
        return self.regions[index][1] if index >= 0 and self.regions[index][1] <= position else 0

    def _next_region(self, position: int) -> int:
        index = bisect_left(self.region_starts, position)
        return self.region_starts[index] if index < len(self.region_starts) else len(self.text)

    def _sentence_start(self, position: int) -> int:
        index = bisect_right(self.sentence_starts, position) - 1
        return self.sentence_starts[index] if index >= 0 else 0

    def _sentence_end(self, position: int) -> int:
        index = bisect_right(self.sentence_starts, position)
        return self.sentence_starts[index] if index < len(self.sentence_starts) else len(self.text)

    def _tokens_between(self, start: int, end: int) -> int:
        return max(0, bisect_left(self.starts, end) - bisect_left(self.starts, start))

    def _content_between(self, lo: int, hi: int) -> bool:
        """Words other than adverbs and conjunctions between two token indices."""
        return any(t.folded not in _SKIPPED and t.folded not in ("and", "but") for t in self.tokens[lo:hi])

    def _gap(self, index: int) -> str:
        return self.text[self.tokens[index - 1].end : self.tokens[index].start] if index > 0 else ""

    def _gap_breaks(self, index: int) -> bool:
        gap = self._gap(index)
        return any(ch in gap for ch in ',.;:!?()"“”') or "\n" in gap

    def _comma_before(self, verb: int) -> bool:
        return self._clause_gap(verb)

    def _clause_gap(self, index: int) -> bool:
        """A comma or a spaced dash before the token: "Lord Bingham - a senior law lord - said"."""
        gap = self._gap(index)
        return "," in gap or " - " in gap or "—" in gap or " – " in gap


def _at(event: _Event) -> int:
    return event.at


def _between(events: list[_Event], start: int, end: int) -> list[_Event]:
    return events[bisect_left(events, start, key=_at) : bisect_left(events, end, key=_at)]


def _moved(event: _Event, at: int) -> _Event:
    return _Event(at, event.entity_id, event.kind, event.gender, event.spoke, event.cue, event.document)


_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’')\]]{0,3}\s")


def _sentence_starts(text: str) -> list[int]:
    """Offsets where sentences start: after . ! ? (not after "Mr." or an initial) and at paragraphs."""
    starts = [0]
    for match in _PARAGRAPH_BREAK.finditer(text):
        starts.append(match.end())
    for match in _SENTENCE_BREAK.finditer(text):
        start = match.end()
        while start < len(text) and text[start] in " \t":
            start += 1
        if start >= len(text) or not _opens_sentence(text[start]):
            continue
        word_start = match.start()
        while word_start > 0 and match.start() - word_start < 6 and text[word_start - 1].isalpha():
            word_start -= 1
        word = text[word_start : match.start()]
        if word.casefold() in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
            continue
        starts.append(start)
    return sorted(set(starts))


def _opens_sentence(char: str) -> bool:
    return char.isupper() or char.isdigit() or char in "\"“‘'(["


def _genders(text: str, mentions: list[Speaker]) -> dict[str, str | None]:
    """Gender by honorific or given name: "Mr Smith" or "John Smith" anywhere makes every Smith male."""
    seen: dict[str, set[str]] = {}
    for mention in mentions:
        if mention.type != "person":
            continue
        before = text[max(0, mention.start - 12) : mention.start].split()[-1:]
        words = [w.strip(".").casefold() for w in before] + text[mention.start : mention.end].casefold().split()[:1]
        for word in words:
            if word in _MALE or word in _MALE_NAMES:
                seen.setdefault(mention.entity_id, set()).add("male")
            elif word in _FEMALE or word in _FEMALE_NAMES:
                seen.setdefault(mention.entity_id, set()).add("female")
    return {entity: next(iter(kinds)) for entity, kinds in seen.items() if len(kinds) == 1}
