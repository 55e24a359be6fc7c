"""The Whoosh schema and analyzers: what is indexed, how it is tokenised, what is stored."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    CompositeAnalyzer,
    IDTokenizer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    StripFilter,
    Token,
    Tokenizer,
)
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, FieldType, Schema
from whoosh.formats import Existence, Format, Frequency, Positions
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

from tuibrowser.core.entities.text import folded_words
from tuibrowser.core.entities.text import tokenize as entity_tokens
from tuibrowser.core.quotes import QUOTES_VERSION

SCHEMA_VERSION = f"5+quotes{QUOTES_VERSION}"
"""Bump when fields or analyzers change (or the quote rules, whose results the index
stores): an index of another version is rebuilt. 4: the spelling field holds the entity
layer's folded words; HTML entities decoded in records and feeds. 5: no `slug` field (it
was written for every article and never read; the bookkeeping keeps the slugs)."""

_Field = TypeVar("_Field", bound=FieldType)

TITLE_BOOST = 2.0
"""Title matches weigh this much more than body matches (tuned with bench/eval_ir.py)."""

MAX_TOKEN_CHARS = 100
"""Longer "words" are not indexed (the text keeps them): no one searches for them, and a file
of one 19 MiB word would otherwise put a 19 MiB term in the index and the spelling list."""


def text_analyzer() -> Analyzer:
    """Words, lower-cased, accents folded (Shushi == Shūshi), stop words dropped, stemmed."""
    return WordsAnalyzer(
        RegexTokenizer(),
        LowercaseFilter(),
        CharsetFilter(accent_map),
        StopFilter(maxsize=MAX_TOKEN_CHARS),
        StemFilter(),
    )


class WordsAnalyzer(CompositeAnalyzer):  # type: ignore[misc]
    """Whoosh's chain of a tokenizer and four filters, run as one loop when indexing.

    Whoosh passes each token through a generator per filter, and the body is the largest
    field: at 29,000 articles the chain was a fifth of the cost of writing the index. When
    a document is indexed (mode "index", no character offsets, stop words removed), the
    same steps run here in one loop, with the chain's own settings and a plain cache of
    stems; every other use (queries, highlighting) goes through the chain. The tokens are
    the same (tests/test_schema.py compares the two on real and generated text).
    """

    _FAST_KWARGS = frozenset({"mode", "positions", "boosts"})

    def __init__(self, *composables: Any) -> None:
        super().__init__(*composables)
        self._prepare()

    def __getstate__(self) -> dict[str, Any]:
        return {"items": self.items}  # the stem cache stays out of the index's schema

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._prepare()

    def _prepare(self) -> None:
        self._stems: dict[str, str] = {}
        items = self.items
        kinds = (RegexTokenizer, LowercaseFilter, CharsetFilter, StopFilter, StemFilter)
        self._fast = (
            len(items) == len(kinds)
            and all(type(item) is kind for item, kind in zip(items, kinds, strict=True))
            and not items[0].gaps
        )
        if not self._fast:
            return
        charmap = items[2].charmap
        # After lower-casing, ASCII text is left alone by the accent map (it maps only
        # capitals and letters to themselves): then the whole text is lower-cased at once.
        self._ascii_unmapped = all(chr(c).translate(charmap) == chr(c) for c in range(128) if chr(c) == chr(c).lower())
        stem = items[4]
        if stem.lang:
            from whoosh.lang import stemmer_for_language

            self._stemfn = stemmer_for_language(stem.lang)
        else:
            self._stemfn = stem.stemfn

    def __call__(self, value: Any, no_morph: bool = False, **kwargs: Any) -> Iterator[Token]:
        if (
            self._fast
            and not no_morph
            and kwargs.get("mode") == "index"
            and kwargs.keys() <= self._FAST_KWARGS
            and isinstance(value, str)
        ):
            return self._index_tokens(value, bool(kwargs.get("positions")), kwargs)
        chain: Iterator[Token] = super().__call__(value, no_morph=no_morph, **kwargs)
        return chain

    def fast_for(self, kwargs: dict[str, Any]) -> bool:
        """Whether a call with these arguments is one the one loop answers (indexing)."""
        return bool(self._fast) and kwargs.get("mode") == "index" and kwargs.keys() <= self._FAST_KWARGS

    def index_words(self, value: str) -> list[tuple[str, int]]:
        """(term, position) of every word kept, as the chain gives them when indexing."""
        tokenizer, _, charset, stop, stemmer = self.items
        charmap, stops, low, high, renumber = charset.charmap, stop.stops, stop.min, stop.max, stop.renumber
        ignore, stems, stemfn = stemmer.ignore, self._stems, self._stemfn
        if len(stems) > 200_000:
            stems.clear()
        if self._ascii_unmapped and value.isascii():
            words = [m.group(0) for m in tokenizer.expression.finditer(value.lower())]
        else:
            words = [m.group(0).lower().translate(charmap) for m in tokenizer.expression.finditer(value)]
        kept: list[tuple[str, int]] = []
        pos = -1
        for number, text in enumerate(words):
            if len(text) < low or (high is not None and len(text) > high) or text in stops:
                continue
            # The tokenizer numbers every word; the stop filter renumbers the kept ones from
            # the first kept word's number.
            pos = number if pos < 0 or not renumber else pos + 1
            if text not in ignore:
                stemmed = stems.get(text)
                if stemmed is None:
                    stemmed = stems[text] = stemfn(text)
                text = stemmed
            kept.append((text, pos))
        return kept

    def _index_tokens(self, value: str, positions: bool, kwargs: dict[str, Any]) -> Iterator[Token]:
        token = Token(**kwargs)
        token.boost, token.stopped = 1.0, False
        for text, pos in self.index_words(value):
            token.text = text
            if positions:
                token.pos = pos
            yield token


class WordPositions(Positions):  # type: ignore[misc]
    """Whoosh's Positions format (title, body), taking a WordsAnalyzer's words without
    tokens when indexing: the same postings, one loop fewer per word."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        if not (isinstance(analyzer, WordsAnalyzer) and isinstance(value, str) and analyzer.fast_for(kwargs)):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        poses: dict[str, list[int]] = {}
        for text, pos in analyzer.index_words(value):
            found = poses.get(text)
            if found is None:
                poses[text] = [pos]
            else:
                found.append(pos)
        boost = self.field_boost
        once = 1.0 * boost
        single = _ONE_POSITION
        if len(single) > 100_000:
            single.clear()
        for text, found in poses.items():
            # Whoosh sums each token's boost (always 1.0 here) into the weight.
            if len(found) == 1:  # most words of a document: their encodings are kept
                value = single.get(found[0])
                if value is None:
                    value = single[found[0]] = self.encode(found)
                yield text, 1, once, value
            else:
                yield text, len(found), float(len(found)) * boost, self.encode(found)


_ONE_POSITION: dict[int, bytes] = {}
"""Positions' encoding of a word found once, by its position (Positions.encode is the same
for every field): the same bytes for every document, made once."""


class FoldedCounts(Frequency):  # type: ignore[misc]
    """Whoosh's Frequency format (spell), counting FoldedWords' words in one pass when
    indexing: the same postings."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        if not (type(analyzer) is FoldedWords and isinstance(value, str) and kwargs.keys() <= {"mode"}):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        counts = Counter(word for word in folded_words(value) if len(word) <= MAX_TOKEN_CHARS)
        boost = self.field_boost
        for word, count in counts.items():
            yield word, count, float(count) * boost, pack_uint(count)


class FoldedWords(Tokenizer):  # type: ignore[misc]
    """Words as the entity layer reads them (entities/text.py: lower case, accents and
    apostrophes folded, "U.S." and "#hashtags" whole), longer ones left out.

    One vocabulary for two uses: "did you mean" draws real words from it, and a change to
    entities.toml finds the articles it can affect by looking up the folded words of the
    changed aliases here (a superset of where the linker could match them).
    """

    def __call__(self, value: str, positions: bool = False, chars: bool = False, **kwargs: object) -> Iterator[Token]:
        token = Token(positions, chars, **kwargs)
        if chars:  # (nothing asks for offsets of this field; kept for Whoosh's interface)
            for position, word in enumerate(entity_tokens(value)):
                if len(word.folded) <= MAX_TOKEN_CHARS:
                    token.text, token.boost, token.pos = word.folded, 1.0, position
                    token.startchar, token.endchar = word.start, word.end
                    yield token
            return
        for position, folded in enumerate(folded_words(value)):
            if len(folded) <= MAX_TOKEN_CHARS:
                token.text, token.boost, token.pos = folded, 1.0, position
                yield token


def spelling_analyzer() -> FoldedWords:
    """Whole words, unstemmed, folded: the vocabulary "did you mean" draws real words from."""
    return FoldedWords()


class SpeakerTokenizer(Tokenizer):  # type: ignore[misc]
    """Each speaker's quoted words, as "speaker-id:word" terms (and the bare speaker id), so
    `said:NAME word` finds the word only inside that entity's quotes.

    The field's value is one quote per line, "speaker-id<TAB>quoted words" (see said_value).
    """

    def __call__(self, value: str, **kwargs: object) -> Iterator[Token]:
        words = _WORDS
        mode = "index" if kwargs.get("mode") == "index" else ""
        for line in value.split("\n"):
            speaker, _, quoted = line.partition("\t")
            if not speaker:
                continue
            yield Token(text=speaker, boost=1.0)
            for token in words(quoted, mode=mode):
                yield Token(text=f"{speaker}:{token.text}", boost=1.0)


_WORDS = text_analyzer()
"""One analyzer for every speaker's words (its stem cache is kept between documents)."""


class SaidCounts(Frequency):  # type: ignore[misc]
    """Whoosh's Frequency format (said), counting SpeakerTokenizer's terms in one pass when
    indexing, without a token per word: the same postings."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        if not (type(analyzer) is SpeakerTokenizer and isinstance(value, str) and kwargs.keys() <= {"mode"}):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        counts: dict[str, int] = {}
        get = counts.get
        fast = _WORDS.fast_for({"mode": "index"})
        for line in value.split("\n"):
            speaker, _, quoted = line.partition("\t")
            if not speaker:
                continue
            counts[speaker] = get(speaker, 0) + 1
            words = (
                [text for text, _ in _WORDS.index_words(quoted)]
                if fast
                else [t.text for t in _WORDS(quoted, mode="index") if not t.stopped]
            )
            for word in words:
                term = f"{speaker}:{word}"
                counts[term] = get(term, 0) + 1
        boost = self.field_boost
        for term, count in counts.items():
            yield term, count, float(count) * boost, pack_uint(count)


class WholeValue(Existence):  # type: ignore[misc]
    """Whoosh's Existence format (ID fields: path, id, source_facet), taking the whole value
    as its one term without a token when indexing: the same postings. Three such fields per
    article, each through Whoosh's token machinery, were half a second of a 29k import."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterable[tuple[str, int, float, bytes]]:
        if type(analyzer) is IDTokenizer and isinstance(value, str) and kwargs.keys() <= {"mode"}:
            return ((value, 1, self.field_boost, b""),)
        values: Iterable[tuple[str, int, float, bytes]] = super().word_values(value, analyzer, **kwargs)
        return values


ENTITY_IDS = CompositeAnalyzer(RegexTokenizer(r"[^,]+"), StripFilter(), LowercaseFilter())
"""KEYWORD(commas=True, lowercase=True)'s analyzer (the `entities` field's), which
CommaCounts knows how to run in one pass."""


class CommaCounts(Frequency):  # type: ignore[misc]
    """Whoosh's Frequency format (entities: comma-separated ids, one per mention), counting
    the ids in one pass when indexing: the same postings."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        if not (analyzer == ENTITY_IDS and isinstance(value, str) and kwargs.keys() <= {"mode"}):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        # RegexTokenizer's runs of non-commas, stripped, then lower-cased (an empty id stays).
        counts = Counter(word.strip().lower() for word in value.split(",") if word)
        boost = self.field_boost
        for word, count in counts.items():
            yield word, count, float(count) * boost, pack_uint(count)


def said_value(quotes: Iterable[tuple[str | None, str]]) -> str:
    """The `said` field's value for (speaker id, quoted text) pairs."""
    return "\n".join(f"{speaker}\t{' '.join(text.split())}" for speaker, text in quotes if speaker)


def said_terms(speaker: str, words: str) -> list[str]:
    """The `said` terms a query's words become for one speaker (analysed as the body is)."""
    return [f"{speaker}:{token.text}" for token in _WORDS(words)]


def build_schema() -> Schema:
    """The schema of a tuibrowser index.

    `text` keeps the cleaned body so showing an article or a snippet never re-reads the
    corpus. `source` is tokenised so `source:trt` finds "TRT World"; `source_facet` keeps the
    whole name for grouping. `entities` and `mentions` are filled by the entity layer.
    """
    return Schema(
        path=_formatted(ID(stored=True, unique=True), WholeValue),
        id=_formatted(ID(stored=True, sortable=True), WholeValue),
        title=_formatted(TEXT(analyzer=text_analyzer(), stored=True, field_boost=TITLE_BOOST), WordPositions),
        body=_formatted(TEXT(analyzer=text_analyzer()), WordPositions),
        spell=_formatted(TEXT(analyzer=spelling_analyzer(), phrase=False), FoldedCounts),
        text=STORED,
        date=DATETIME(sortable=True),
        date_iso=STORED,
        source=TEXT(analyzer=spelling_analyzer(), stored=True),
        source_facet=_formatted(ID(sortable=True), WholeValue),
        byline=STORED,
        url=STORED,
        title_derived=STORED,
        hash=STORED,
        entities=_formatted(KEYWORD(stored=True, lowercase=True, commas=True, scorable=True), CommaCounts),
        mentions=STORED,
        added=NUMERIC(bits=64, stored=True, sortable=True),
        quotes=STORED,
        said=_formatted(TEXT(analyzer=SpeakerTokenizer(), phrase=False), SaidCounts),
    )


def _formatted(field: _Field, kind: type[Format]) -> _Field:
    """`field` with its format replaced by `kind` (a subclass of the format it had)."""
    current = field.format
    assert isinstance(current, Format) and type(current) in kind.__bases__
    field.format = kind(field_boost=current.field_boost)
    return field
