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

from tuibrowser.core.quotes import QUOTES_VERSION

SCHEMA_VERSION = f"3+quotes{QUOTES_VERSION}"
"""Bump when fields or analyzers change (or the quote rules, whose results the index
stores): an index of another version is rebuilt."""

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


def spelling_analyzer() -> Analyzer:
    """Whole words, unstemmed: the vocabulary "did you mean" draws real words from."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=(), minsize=1, maxsize=MAX_TOKEN_CHARS)
    )


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
