"""Ranked search over the index: query parsing, BM25F ranking, snippets and "did you mean".

Plain words are OR-ed with a coordination bonus, so articles containing all of them rank
first while a pasted sentence or question still returns ranked results instead of nothing.
Whoosh's query language stays available for phrases, booleans, fields, ranges, wildcards
and fuzzy terms. Every Whoosh object lives inside one call and is copied into frozen
dataclasses before the searcher closes, so results can cross threads safely.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from whoosh import highlight, query, scoring
from whoosh.fields import Schema
from whoosh.qparser import AndGroup, FuzzyTermPlugin, GtLtPlugin, MultifieldParser, OrGroup, QueryParser
from whoosh.searching import Searcher

from tuibrowser.core.cleaning import normalize
from tuibrowser.core.entities.registry import EntityNotFound, Registry, read_registry
from tuibrowser.core.errors import QueryError
from tuibrowser.core.schema import build_schema, said_terms, spelling_analyzer
from tuibrowser.core.store import open_index, reading

MAX_QUERY_CHARS = 1000
"""Longer queries are refused with a message: no one types more, and parsing stays bounded."""

MARK_OPEN, MARK_CLOSE = "«", "»"
"""Around matched terms in `Hit.snippet` (plain text). `Hit.snippet_marks` gives exact spans."""

ALL_WORDS_BOOST = 2.0
"""Weight of the all-words (AND) reading of a query, added to its any-word (OR) reading.

Articles containing every word score on both readings and rank first; a pasted sentence,
which no article contains whole, is still ranked by the OR reading. (Whoosh's OrGroup
"coordination" bonus was tried first: its formula zeroes the score when only one term
matcher survives, e.g. a word that appears in no title, so it is not used.)
"""

BM25_B, BM25_K1 = 0.75, 1.2
"""BM25F parameters (tuned with bench/eval_ir.py)."""

QUESTION_WORDS = frozenset(
    """what which who whom whose where why how did does do done was were has had would could should shall
    there about tell me any been being much many""".split()
)
"""Words of a typed question that say nothing about the articles wanted ("what did the
chancellor say about the budget"). Dropped from a plain query of QUESTION_MIN_WORDS words or
more, so its all-words reading can match; Whoosh's stop list already drops "the", "is",
"when" and the like. A short query keeps them ("The Who")."""

QUESTION_MIN_WORDS = 4


SNIPPET_CHARS = 220

_DATE_CLAUSE = re.compile(r"\bdate:(\[[^\]]*\]?|\S+)", re.IGNORECASE)
_PLAIN_WORD = re.compile(r"(?<![\w:~*?\"-])([^\W\d_][\w'’-]*)(?![\w:~*?])")
_ENTITY_CLAUSE = re.compile(r'\bentity:(?:"([^"]*)"|(\S+))', re.IGNORECASE)
_SAID_CLAUSE = re.compile(r'\bsaid:(?:"([^"]*)"|(\S+))', re.IGNORECASE)
_TRAILING_QUESTION = re.compile(r"(?<=\w)\?+(?=\s|$)")
_BOOLEAN = re.compile(r"\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b")
# Anything but plain words: quotes, fields, wildcards, fuzzy terms, parentheses, ranges.
_SYNTAX = re.compile(r"[\"':*?~()\[\]{}^+]")

SEARCHABLE_FIELDS = ("title", "body", "source", "date", "entities")
"""Fields a query may name (`entity:` is rewritten to `entities:`). Any other `name:` is
read as words: the stored-only fields (text, hash, url, ...) made Whoosh's parser fail with
its internals in the message."""
_OPERATORS = frozenset({"and", "or", "not", "to", "andnot", "andmaybe"})


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result, detached from Whoosh."""

    id: str
    title: str
    date: str | None
    source: str | None
    path: str
    score: float
    snippet: str
    """Plain text with matched terms between MARK_OPEN and MARK_CLOSE."""
    snippet_text: str
    """The same snippet without markers."""
    snippet_marks: tuple[tuple[int, int], ...]
    """(start, end) of each matched term in `snippet_text`."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Hits for one query plus what the user should be told about it."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    suggestion: str | None = None
    notice: str | None = None


BM25_IDF = True
"""Use BM25's own idf (Robertson-Spärck Jones, as Lucene and tantivy do) instead of Whoosh's
tf-idf one, log(N / (df + 1)) + 1, which still gives a word found in every article weight 1."""


class _BM25IDF(scoring.BM25F):  # type: ignore[misc]  # Whoosh ships no type hints
    """BM25F with BM25's idf: log(1 + (N - df + 0.5) / (df + 0.5))."""

    def idf(self, searcher: Searcher, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        df = parent.doc_frequency(fieldname, text)
        return math.log(1 + (parent.doc_count_all() - df + 0.5) / (df + 0.5))


def weighting() -> scoring.WeightingModel:
    model = _BM25IDF if BM25_IDF else scoring.BM25F
    return model(B=BM25_B, K1=BM25_K1)


def make_parser(schema, group=OrGroup) -> MultifieldParser:
    """A query parser over title and body, with fuzzy `term~` and `date:>2023-05` added."""
    parser = MultifieldParser(["title", "body"], schema, group=group)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(GtLtPlugin())
    return parser


def clean_query(text: str) -> str:
    """Strip control characters and runs of whitespace from what the user typed.

    Raises:
        QueryError: for an empty or overlong query.
    """
    cleaned = " ".join(normalize(text).split())
    # A question mark that ends a word is punctuation in a pasted question, not Whoosh's
    # one-character wildcard ("titles?" would match "titles" plus one letter only).
    cleaned = _TRAILING_QUESTION.sub("", cleaned).strip()
    if not cleaned:
        raise QueryError("empty query: type some words to search for")
    if len(cleaned) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: {len(cleaned)} characters (the limit is {MAX_QUERY_CHARS})")
    return cleaned


def parse_query(text: str, schema=None) -> query.Query:
    """Parse a cleaned query string.

    Raises:
        QueryError: when a clause cannot be understood (for example a bad date).
    """
    schema = _searchable(schema or build_schema())
    _check_dates(text, schema)
    words = _plain_words(text)
    if words is not None and len(words) >= QUESTION_MIN_WORDS:
        content = [w for w in words if w.casefold() not in QUESTION_WORDS]
        if content:
            text = " ".join(content)
    try:
        all_words = make_parser(schema, AndGroup).parse(text)
        if _BOOLEAN.search(text):
            # Someone who writes AND/OR/NOT means boolean logic: in an OR reading,
            # "Bayramov NOT Munich" would match every article without Munich.
            return all_words
        any_words = make_parser(schema, OrGroup).parse(text)
    except Exception:  # Whoosh's parser raises assorted errors (IndexError ...) on odd input.
        raise QueryError(
            "cannot read the query: check that AND, OR and NOT stand between words, "
            "and that quotes and parentheses are paired"
        ) from None
    if all_words == any_words or any_words is query.NullQuery:
        return any_words
    return query.Or([all_words.with_boost(ALL_WORDS_BOOST), any_words])


def _plain_words(text: str) -> list[str] | None:
    """The words of a query made of plain words only (no syntax, no operators), else None."""
    if _SYNTAX.search(text) or _BOOLEAN.search(text):
        return None
    return text.split()


def _searchable(schema) -> Schema:
    """The schema as queries see it: only SEARCHABLE_FIELDS."""
    return Schema(**{name: schema[name] for name in SEARCHABLE_FIELDS})


def _check_dates(text: str, schema) -> None:
    """Whoosh silently drops a date it cannot read; say so instead of searching without it."""
    parser = QueryParser("date", schema)
    parser.add_plugin(GtLtPlugin())
    for match in _DATE_CLAUSE.finditer(text):
        clause = match.group(0)
        try:
            parsed = parser.parse(clause)
        except Exception:
            parsed = query.NullQuery
        if parsed is query.NullQuery or not any(q.field() == "date" for q in parsed.leaves() if hasattr(q, "field")):
            raise QueryError(
                f"cannot read the date in {clause!r}: use YYYY, YYYY-MM or YYYY-MM-DD, "
                "a range [FROM to TO], or >, <, >=, <="
            )


def expand_entities(text: str, registry: Registry) -> str:
    """Rewrite `entity:NAME` clauses as `entities:<id>` (NAME: an id, a name or any alias).

    `entity:lachin-corridor`, `entity:"Lachin corridor"` and `entity:Pashinian` all match
    every article that mentions the entity, under any spelling.

    Raises:
        QueryError: for an unknown entity, with the closest names.
    """

    def replace(match: re.Match[str]) -> str:
        name = match.group(1) if match.group(1) is not None else match.group(2)
        try:
            return f"entities:{registry.find(name).entity.id}"
        except EntityNotFound as error:
            raise QueryError(str(error)) from None

    return _ENTITY_CLAUSE.sub(replace, text)


def search(
    index_dir: Path, text: str, *, limit: int = 10, suggest: bool = True, registry: Registry | None = None
) -> SearchResult:
    """Search the index at `index_dir`.

    `registry` (the index's entities) saves reading it from disk for `entity:` queries
    when the caller already holds it (the TUI, on every keystroke).

    Raises:
        QueryError: for an empty, overlong or unreadable query, or an unknown entity.
        IndexProblem: when the index cannot be opened.
    """
    if limit < 1:
        raise QueryError("limit must be at least 1")
    cleaned = clean_query(text)
    ix = open_index(index_dir)
    try:
        parsed = build_query(cleaned, ix.schema, index_dir, registry)
        with reading(index_dir), ix.searcher(weighting=weighting()) as searcher:
            if parsed is query.NullQuery:
                return SearchResult(
                    cleaned, 0, (), None, "the query has no searchable words (only operators or stop words)"
                )
            results = searcher.search(parsed, limit=limit, terms=True)
            hits = tuple(_to_hit(hit, results) for hit in results)
            total = len(results)
            suggestion = _suggest(searcher, cleaned, total) if suggest else None
            return SearchResult(cleaned, total, hits, suggestion)
    finally:
        ix.close()


def build_query(cleaned: str, schema: Schema, index_dir: Path, registry: Registry | None = None) -> query.Query:
    """The Whoosh query for a cleaned query string: entity: and said: clauses resolved through
    the registry (read from `index_dir` when not given), the rest parsed.

    Raises:
        QueryError: for an unknown entity or a clause that cannot be read.
    """
    if _ENTITY_CLAUSE.search(cleaned) or _SAID_CLAUSE.search(cleaned):
        registry = registry or read_registry(index_dir)
    expanded = expand_entities(cleaned, registry) if _ENTITY_CLAUSE.search(cleaned) and registry else cleaned
    speakers, expanded = _said_speakers(expanded, registry) if _SAID_CLAUSE.search(expanded) else ([], expanded)
    parsed = parse_query(expanded, schema) if expanded.strip() else query.Every()
    if speakers:
        parsed = _within_quotes(parsed, speakers, expanded)
    return parsed


def _said_speakers(text: str, registry: Registry | None) -> tuple[list[str], str]:
    """The entities named in `said:NAME` clauses (any alias), and the query without them.

    Raises:
        QueryError: for an unknown entity, with the closest names.
    """
    speakers: list[str] = []

    def take(match: re.Match[str]) -> str:
        name = match.group(1) if match.group(1) is not None else match.group(2)
        try:
            speakers.append((registry or Registry([])).find(name).entity.id)
        except EntityNotFound as error:
            raise QueryError(str(error)) from None
        return " "

    rest = _SAID_CLAUSE.sub(take, text)
    return speakers, " ".join(rest.split())


def _within_quotes(parsed: query.Query, speakers: list[str], rest: str) -> query.Query:
    """Only articles where each speaker is quoted, and, when the query has words, where those
    words are inside that speaker's quotes (`said:zakharova corridor`)."""
    words = " ".join(m.group(1) for m in _PLAIN_WORD.finditer(rest) if m.group(1).casefold() not in _OPERATORS)
    clauses: list[query.Query] = []
    for speaker in speakers:
        terms = said_terms(speaker, words)
        clauses += [query.Term("said", term) for term in terms] or [query.Term("said", speaker)]
    if isinstance(parsed, query.Every):
        return query.And(clauses)
    return query.And([*clauses, parsed])


class _SpanFormatter(highlight.Formatter):
    """Formats fragments as (plain text, [(start, end), ...]) instead of markup.

    Paragraph breaks inside a fragment become single spaces, so a snippet is one line.
    """

    between = " … "

    def format(self, fragments, replace=False):  # Whoosh's interface
        out: list[str] = []
        marks: list[tuple[int, int]] = []
        length = 0

        def emit(piece: str) -> None:
            nonlocal length
            piece = " ".join(piece.split("\n\n"))
            out.append(piece)
            length += len(piece)

        for number, fragment in enumerate(fragments):
            if number:
                emit(self.between)
            text, position = fragment.text, fragment.startchar
            for token in sorted(fragment.matches, key=lambda t: t.startchar):
                if token.startchar < position or token.endchar > fragment.endchar:
                    continue
                gap = text[position : token.startchar]
                emit(gap)
                if marks and position > fragment.startchar and gap.isspace() and marks[-1][1] == length - len(gap):
                    # "«Lachin Corridor»", not "«Lachin» «Corridor»": adjacent matches merge.
                    start = marks.pop()[0]
                else:
                    start = length
                emit(text[token.startchar : token.endchar])
                marks.append((start, length))
                position = token.endchar
            emit(text[position : fragment.endchar])
        return "".join(out), marks


_HIGHLIGHTER = highlight.Highlighter(
    # Two short passages (about two lines each in an 80-column terminal) beat one long one.
    fragmenter=highlight.ContextFragmenter(maxchars=SNIPPET_CHARS // 2, surround=40),
    formatter=_SpanFormatter(),
)


def _to_hit(hit, results) -> Hit:
    fields = hit.fields()
    text = fields.get("text") or ""
    snippet_text, marks = "", []
    if results.has_matched_terms() and any(field == "body" for field, _ in hit.matched_terms()):
        snippet_text, marks = _HIGHLIGHTER.highlight_hit(hit, "body", text=text, top=2)
    if not snippet_text:
        snippet_text, marks = " ".join(_lead(text).split("\n\n")), []
    return Hit(
        id=fields["id"],
        title=fields.get("title") or "",
        date=fields.get("date_iso"),
        source=fields.get("source"),
        path=fields["path"],
        score=round(float(hit.score or 0.0), 4),
        snippet=mark(snippet_text, marks),
        snippet_text=snippet_text,
        snippet_marks=tuple(marks),
    )


def _lead(text: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text.rfind(" ", 0, SNIPPET_CHARS)
    return text[: cut if cut > 0 else SNIPPET_CHARS] + " …"


def mark(text: str, marks: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> str:
    """Insert MARK_OPEN/MARK_CLOSE around each span of `text`."""
    out: list[str] = []
    last = 0
    for start, end in sorted(marks):
        if start < last:
            continue
        out.append(text[last:start])
        out.append(f"{MARK_OPEN}{text[start:end]}{MARK_CLOSE}")
        last = end
    out.append(text[last:])
    return "".join(out)


def _suggest(searcher: Searcher, cleaned: str, total: int) -> str | None:
    """A respelled query, when a word is in no article and a close real word is.

    Offered if the respelled query finds articles and at least as many as the original
    ("lavorv corridor" finds every corridor article, but "lavrov corridor" is what was meant).

    Looks words up in the unstemmed `spell` field, so suggestions are real words from the
    corpus ("lavrov" for "lavorv"), and uses Whoosh's automaton-based corrector, whose cost
    depends on the word, not on the corpus size.
    """
    corrector = searcher.corrector("spell")
    analyzer = spelling_analyzer()
    changed = False
    pieces: list[str] = []
    last = 0
    for match in _PLAIN_WORD.finditer(cleaned):
        word = match.group(1)
        if word.casefold() in _OPERATORS or len(word) < 3:
            continue
        tokens = [t.text for t in analyzer(word)]
        if len(tokens) != 1 or searcher.doc_frequency("spell", tokens[0]) > 0:
            continue
        candidates = corrector.suggest(tokens[0], limit=1, maxdist=2, prefix=1)
        if not candidates:
            continue
        pieces.append(cleaned[last : match.start(1)])
        pieces.append(_same_case(word, candidates[0]))
        last = match.end(1)
        changed = True
    if not changed:
        return None
    pieces.append(cleaned[last:])
    suggestion = "".join(pieces)
    try:
        better = searcher.search(parse_query(suggestion, searcher.schema), limit=1)
    except QueryError:
        return None
    found = len(better)
    return suggestion if found and found >= total else None


def _same_case(typed: str, suggested: str) -> str:
    """The suggestion written the way the word was typed: "Zakharva" -> "Zakharova", "ICJ"-style
    capitals kept (the spelling field is lower-cased)."""
    if typed.isupper() and len(typed) > 1:
        return suggested.upper()
    if typed[:1].isupper():
        return suggested[:1].upper() + suggested[1:]
    return suggested


def match_spans(text: str, query_text: str) -> list[tuple[int, int]]:
    """Where the words of a query occur in `text` (for highlighting an opened article).

    Uses the body field's analyzer, so stemming and accent folding agree with the search
    ("rulings" marks "ruling"). Wildcard and fuzzy terms are not expanded here. A query that
    cannot be parsed marks nothing.
    """
    try:
        parsed = parse_query(clean_query(query_text))
    except QueryError:
        return []
    words = {term for field, term in parsed.iter_all_terms() if field in ("title", "body") and isinstance(term, str)}
    if not words:
        return []
    analyzer = build_schema()["body"].analyzer
    return [
        (token.startchar, token.endchar)
        for token in analyzer(text, chars=True, mode="index", removestops=False)
        if token.text in words
    ]
