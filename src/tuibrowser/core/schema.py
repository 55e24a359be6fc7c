"""The Whoosh schema and analyzers: what is indexed, how it is tokenised, what is stored."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from tuibrowser.core.entities.text import folded_words
from tuibrowser.core.entities.text import tokenize as entity_tokens
from tuibrowser.core.quotes import QUOTES_VERSION

SCHEMA_VERSION = f"4+quotes{QUOTES_VERSION}"
"""Bump when fields or analyzers change (or the quote rules, whose results the index
stores): an index of another version is rebuilt. 4: the spelling field holds the entity
layer's folded words; HTML entities decoded in records and feeds."""

TITLE_BOOST = 2.0
"""Title matches weigh this much more than body matches (tuned with bench/eval_ir.py)."""

MAX_TOKEN_CHARS = 100
"""Longer "words" are not indexed (the text keeps them): no one searches for them, and a file
of one 19 MiB word would otherwise put a 19 MiB term in the index and the spelling list."""


def text_analyzer() -> Analyzer:
    """Words, lower-cased, accents folded (Shushi == Shūshi), stop words dropped, stemmed."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(maxsize=MAX_TOKEN_CHARS)
        | StemFilter()
    )


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
        words = text_analyzer()
        for line in value.split("\n"):
            speaker, _, quoted = line.partition("\t")
            if not speaker:
                continue
            yield Token(text=speaker, boost=1.0)
            for token in words(quoted):
                yield Token(text=f"{speaker}:{token.text}", boost=1.0)


def said_value(quotes: Iterable[tuple[str | None, str]]) -> str:
    """The `said` field's value for (speaker id, quoted text) pairs."""
    return "\n".join(f"{speaker}\t{' '.join(text.split())}" for speaker, text in quotes if speaker)


def said_terms(speaker: str, words: str) -> list[str]:
    """The `said` terms a query's words become for one speaker (analysed as the body is)."""
    return [f"{speaker}:{token.text}" for token in text_analyzer()(words)]


def build_schema() -> Schema:
    """The schema of a tuibrowser index.

    `text` keeps the cleaned body so showing an article or a snippet never re-reads the
    corpus. `source` is tokenised so `source:trt` finds "TRT World"; `source_facet` keeps the
    whole name for grouping. `entities` and `mentions` are filled by the entity layer.
    """
    return Schema(
        path=ID(stored=True, unique=True),
        id=ID(stored=True, sortable=True),
        slug=ID(stored=True),
        title=TEXT(analyzer=text_analyzer(), stored=True, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=text_analyzer()),
        spell=TEXT(analyzer=spelling_analyzer(), phrase=False),
        text=STORED,
        date=DATETIME(sortable=True),
        date_iso=STORED,
        source=TEXT(analyzer=spelling_analyzer(), stored=True),
        source_facet=ID(sortable=True),
        byline=STORED,
        url=STORED,
        title_derived=STORED,
        hash=STORED,
        entities=KEYWORD(stored=True, lowercase=True, commas=True, scorable=True),
        mentions=STORED,
        added=NUMERIC(bits=64, stored=True, sortable=True),
        quotes=STORED,
        said=TEXT(analyzer=SpeakerTokenizer(), phrase=False),
    )
