"""Ranked search over the index: query parsing, BM25F ranking, snippets and "did you mean".

Plain words are OR-ed with a coordination bonus, so articles containing all of them rank
first while a pasted sentence or question still returns ranked results instead of nothing.
Whoosh's query language stays available for phrases, booleans, fields, ranges, wildcards
and fuzzy terms. Every Whoosh object lives inside one call and is copied into frozen
dataclasses before the searcher is given back, so results can cross threads safely.

How a query runs (see bench/RESULTS.md, "Archive scale"): plain words are scored straight
from the postings (core.topk), everything else by Whoosh's collector; only the hits shown
get snippets (core.snippets); wildcard, fuzzy and range terms are bounded before they run
(core.querybounds); and every search has a deadline and can be cancelled by its caller
(core.deadline). Totals are exact unless the deadline stopped the search.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import collectors, query, scoring
from whoosh.fields import Schema
from whoosh.qparser import AndGroup, FuzzyTermPlugin, GtLtPlugin, MultifieldParser, OrGroup, QueryParser

from tuibrowser.core.cleaning import normalize
from tuibrowser.core.deadline import SEARCH_SECONDS, Deadline, OutOfTime
from tuibrowser.core.entities.registry import EntityLookup, EntityNotFound, Registry, StoredRegistry
from tuibrowser.core.errors import QueryError
from tuibrowser.core.querybounds import bound, expansions
from tuibrowser.core.schema import build_schema, said_terms, spelling_analyzer
from tuibrowser.core.searchers import IndexView, one_view
from tuibrowser.core.snippets import Matcher, snippet
from tuibrowser.core.store import reading
from tuibrowser.core.topk import Ranked, bag_of_words, rank

if TYPE_CHECKING:
    from whoosh.qparser.syntax import GroupNode
    from whoosh.reading import IndexReader
    from whoosh.searching import Searcher

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
    took_ms: float = 0.0
    """Milliseconds spent in the search itself (as Elasticsearch's `took`)."""
    total_exact: bool = True
    """False when the search was stopped at its deadline: `total` is then what was found
    so far, a lower bound."""


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


def make_parser(schema: Schema, group: type[GroupNode] = OrGroup) -> MultifieldParser:
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
    empty = _EMPTY_FIELD.search(cleaned)
    if empty:
        field = empty.group(1).casefold()
        raise QueryError(f"{field}: needs something after it, as in {_FIELD_EXAMPLES.get(field, field + ':word')}")
    return cleaned


_EMPTY_FIELD = re.compile(r"(?<![\w:])(title|body|source|date|entity|entities|said):(?=\s|$)", re.IGNORECASE)
"""A field name with nothing after it: Whoosh would search the name as a word ("date:"
found articles with "date"), or for nothing at all ("title:")."""

_FIELD_EXAMPLES = {
    "title": "title:corridor",
    "body": "body:corridor",
    "source": "source:reuters",
    "date": "date:2023-05",
    "entity": "entity:zakharova",
    "entities": "entities:maria-zakharova",
    "said": "said:zakharova",
}


def parse_query(text: str, schema: Schema | None = None) -> query.Query:
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


def _searchable(schema: Schema) -> Schema:
    """The schema as queries see it: only SEARCHABLE_FIELDS."""
    return Schema(**{name: schema[name] for name in SEARCHABLE_FIELDS})


def _check_dates(text: str, schema: Schema) -> None:
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


def expand_entities(text: str, registry: EntityLookup) -> str:
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
    index_dir: Path,
    text: str,
    *,
    limit: int = 10,
    suggest: bool = True,
    registry: EntityLookup | None = None,
    cancelled: Callable[[], bool] | None = None,
    seconds: float = SEARCH_SECONDS,
) -> SearchResult:
    """Search the index at `index_dir` (opening it for this one search; see search_view).

    Raises:
        QueryError: for an empty, overlong or unreadable query, an unknown entity, or a
            pattern that stands for too many words.
        SearchCancelled: `cancelled()` became true before the search finished.
        IndexProblem: when the index cannot be opened.
    """
    if limit < 1:
        raise QueryError("limit must be at least 1")
    cleaned = clean_query(text)
    with one_view(index_dir) as view:
        return search_view(
            view, cleaned, limit=limit, suggest=suggest, registry=registry, cancelled=cancelled, seconds=seconds
        )


def search_view(
    view: IndexView,
    text: str,
    *,
    limit: int = 10,
    suggest: bool = True,
    registry: EntityLookup | None = None,
    cancelled: Callable[[], bool] | None = None,
    seconds: float = SEARCH_SECONDS,
) -> SearchResult:
    """Search through an open view of the index.

    `registry` (the index's entities) saves reading it for `entity:` and `said:` queries
    when the caller already holds it (the TUI, on every keystroke). `cancelled` is checked
    between steps: once it returns True the search stops with SearchCancelled. A search
    still running after `seconds` stops and returns what it found, with a notice.

    Raises:
        QueryError, SearchCancelled: as for `search`.
    """
    started = time.perf_counter()
    if limit < 1:
        raise QueryError("limit must be at least 1")
    deadline = Deadline.start(seconds, cancelled)
    cleaned = clean_query(text)
    searcher = view.searcher
    parsed = build_query(cleaned, searcher.schema, view.index_dir, registry)
    if parsed is query.NullQuery:
        notice: str | None = "the query has no searchable words (only operators or stop words)"
        return SearchResult(cleaned, 0, (), None, notice, _ms(started))
    with reading(view.index_dir):
        notice, exact = None, True
        try:
            deadline.check()  # a search cancelled before it began does nothing
            parsed, notice = bound(parsed, searcher.reader(), deadline)
            ranked = execute(view, parsed, limit, deadline)
        except (_Stopped, OutOfTime) as stopped:
            ranked = stopped.ranked if isinstance(stopped, _Stopped) else Ranked((), 0, frozenset())
            exact = False
            notice = _join(notice, f"the search was stopped after {seconds:g} s: there may be more results")
        hits = _hits(view, ranked, parsed)
        suggestion = None
        if suggest and exact:
            try:
                suggestion = _suggest(view, cleaned, ranked.total, deadline)
            except OutOfTime:
                suggestion = None
        return SearchResult(cleaned, ranked.total, hits, suggestion, notice, _ms(started), exact)


def suggest_view(
    view: IndexView,
    text: str,
    total: int,
    *,
    cancelled: Callable[[], bool] | None = None,
    seconds: float = SEARCH_SECONDS,
) -> str | None:
    """ "Did you mean" for a query already searched (with `suggest=False`) that found `total`.

    Apart from `search_view` so a face can show the results first and the suggestion when it
    comes: at 29,000 articles the respelling costs up to 50 ms a word, more than the search.

    Raises:
        SearchCancelled: `cancelled()` became true.
    """
    deadline = Deadline.start(seconds, cancelled)
    with reading(view.index_dir):
        try:
            return _suggest(view, clean_query(text), total, deadline)
        except OutOfTime:
            return None


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second


class _Stopped(Exception):
    """The deadline passed: what was found until then."""

    def __init__(self, ranked: Ranked):
        super().__init__("stopped at the deadline")
        self.ranked = ranked


def execute(view: IndexView, parsed: query.Query, limit: int, deadline: Deadline | None = None) -> Ranked:
    """The `limit` best documents for a parsed query, and how many match.

    Raises:
        _Stopped: the deadline passed (with what was found); SearchCancelled.
    """
    bag = bag_of_words(parsed, ALL_WORDS_BOOST)
    if bag is not None:
        try:
            return rank(view, bag, limit, deadline)
        except OutOfTime:
            raise _Stopped(Ranked((), 0, frozenset())) from None
    # Whoosh's matcher "replacement" (ScoredCollector.replace) drops matching documents:
    # at 29,000 articles `interest rates` (an And of two title/body Ors) lost a top-3 hit,
    # and a boosted sub-query is pruned with the unboosted threshold
    # (matching/wrappers.py WrappingMatcher.replace; no upstream issue found). It is turned
    # off, and so is block skipping, so the collector counts every match exactly.
    top = collectors.TopCollector(limit, usequality=False, replace=0)
    collector = _DeadlineCollector(top, deadline) if deadline is not None else top
    try:
        view.searcher.search_with_collector(parsed, collector)
    except OutOfTime:
        found = top.results()
        raise _Stopped(Ranked(tuple(found.top_n), top.total, _body_unknown(found.top_n))) from None
    found = top.results()
    return Ranked(tuple(found.top_n), top.total, _body_unknown(found.top_n))


def body_terms(parsed: query.Query, reader: IndexReader) -> set[str]:
    """The body terms a query looks for, patterns expanded (they were bounded before).

    (Whoosh's `Query.existing_terms` reuses its `fieldname` argument as a loop variable and
    finds nothing for a multi-field query.)
    """
    terms: set[str] = set()
    for leaf in parsed.leaves():
        if isinstance(leaf, query.MultiTerm):
            if leaf.field() == "body":
                terms.update(_text(text) for text in expansions(leaf, reader))
            continue
        for field, text in leaf.iter_all_terms(phrases=True):
            if field == "body":
                terms.add(_text(text))
    return terms


def _text(term: bytes | str) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def _body_unknown(top_n: Iterable[tuple[float, int]]) -> frozenset[int]:
    """Whoosh's path does not say which hits matched in the body: all may have."""
    return frozenset(docnum for _, docnum in top_n)


class _DeadlineCollector(collectors.WrappingCollector):  # type: ignore[misc]
    """Checks the deadline (and the caller's cancellation) every 256 matches.

    Whoosh's TimeLimitCollector starts a timer thread per search and, in the main thread,
    raises from a SIGALRM handler; a check between matches needs neither.
    """

    def __init__(self, child: collectors.Collector, deadline: Deadline) -> None:
        self.child = child
        self.deadline = deadline

    def collect_matches(self) -> None:  # Whoosh's interface
        child, check = self.child, self.deadline.check
        collect = child.collect
        for number, sub_docnum in enumerate(child.matches()):
            if number % 256 == 0:
                check()
            collect(sub_docnum)


def _hits(view: IndexView, ranked: Ranked, parsed: query.Query) -> tuple[Hit, ...]:
    """The hits, with snippets (only these documents are read)."""
    if not ranked.top:
        return ()
    searcher = view.searcher
    terms = body_terms(parsed, searcher.reader())
    matcher = Matcher(terms, searcher.schema["body"].analyzer) if terms else None
    hits = []
    for score, docnum in ranked.top:
        fields = searcher.stored_fields(docnum)
        text = fields.get("text") or ""
        snippet_text, marks = snippet(text, matcher if docnum in ranked.body else None)
        hits.append(
            Hit(
                id=fields["id"],
                title=fields.get("title") or "",
                date=fields.get("date_iso"),
                source=fields.get("source"),
                path=fields["path"],
                score=round(float(score or 0.0), 4),
                snippet=mark(snippet_text, marks),
                snippet_text=snippet_text,
                snippet_marks=tuple(marks),
            )
        )
    return tuple(hits)


def build_query(cleaned: str, schema: Schema, index_dir: Path, registry: EntityLookup | None = None) -> query.Query:
    """The Whoosh query for a cleaned query string: entity: and said: clauses resolved through
    the registry (read from `index_dir` when not given), the rest parsed.

    Raises:
        QueryError: for an unknown entity or a clause that cannot be read.
    """
    if _ENTITY_CLAUSE.search(cleaned) or _SAID_CLAUSE.search(cleaned):
        registry = registry or StoredRegistry(index_dir)
    expanded = expand_entities(cleaned, registry) if _ENTITY_CLAUSE.search(cleaned) and registry else cleaned
    speakers, expanded = _said_speakers(expanded, registry) if _SAID_CLAUSE.search(expanded) else ([], expanded)
    parsed = parse_query(expanded, schema) if expanded.strip() else query.Every()
    if speakers:
        parsed = _within_quotes(parsed, speakers, expanded)
    return parsed


def _said_speakers(text: str, registry: EntityLookup | None) -> tuple[list[str], str]:
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


def _suggest(view: IndexView, cleaned: str, total: int, deadline: Deadline) -> str | None:
    """A respelled query, when a word is in no article and a close real word is.

    Offered if the respelled query finds articles and at least as many as the original
    ("lavorv corridor" finds every corridor article, but "lavrov corridor" is what was meant).

    Looks words up in the unstemmed `spell` field, so suggestions are real words from the
    corpus ("lavrov" for "lavorv"), and uses Whoosh's automaton-based corrector, whose cost
    depends on the word, not on the corpus size.
    """
    searcher = view.searcher
    corrector = searcher.corrector("spell")
    analyzer = spelling_analyzer()
    changed = False
    pieces: list[str] = []
    last = 0
    for match in _PLAIN_WORD.finditer(cleaned):
        word = match.group(1)
        if word.casefold() in _OPERATORS or len(word) < 3:
            continue
        deadline.check()  # each word's respelling costs up to 50 ms at archive size
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
        respelled, _ = bound(parse_query(suggestion, searcher.schema), searcher.reader(), deadline)
        found = execute(view, respelled, 1, deadline).total
    except (QueryError, _Stopped):
        return None
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
    """Where the query matches in `text` (for highlighting an opened article, and n/N).

    Uses the body field's analyzer, so stemming and accent folding agree with the search
    ("rulings" marks "ruling"). A quoted phrase matches where its words stand together (stop
    words between them allowed, as the index allows them), as one span, not word by word;
    words the query excludes (NOT, ANDNOT) are not marked. Wildcard and fuzzy terms are not
    expanded here. A query that cannot be parsed marks nothing.
    """
    try:
        parsed = parse_query(clean_query(query_text))
    except QueryError:
        return []
    words: set[str] = set()
    phrases: set[tuple[str, ...]] = set()
    _wanted(parsed, words, phrases)
    if not words and not phrases:
        return []
    analyzer = build_schema()["body"].analyzer
    matcher = Matcher(words | {word for phrase in phrases for word in phrase}, analyzer)
    tokens = list(matcher.tokens(text))
    spans = [(t.startchar, t.endchar) for t in tokens if t.matched and t.text in words]
    if phrases:
        stops: dict[str, bool] = {}

        def stop(word: str) -> bool:
            if word not in stops:
                stops[word] = not any(True for _ in analyzer(word))
            return stops[word]

        found = _phrase_spans(tokens, phrases, stop)
        spans = sorted(found + [s for s in spans if not any(a <= s[0] and s[1] <= b for a, b in found)])
    return spans


def _wanted(node: query.Query, words: set[str], phrases: set[tuple[str, ...]]) -> None:
    """The body and title words and phrases a query asks for, leaving out what it excludes."""
    if isinstance(node, query.Not):
        return
    if isinstance(node, query.AndNot):
        _wanted(node.a, words, phrases)
        return
    if isinstance(node, query.Phrase):
        if node.fieldname in ("title", "body"):
            if len(node.words) > 1:
                phrases.add(tuple(node.words))
            else:
                words.update(node.words)
        return
    if node.is_leaf():
        for field, term in node.iter_all_terms():
            if field in ("title", "body") and isinstance(term, str):
                words.add(term)
        return
    for child in node.children():
        _wanted(child, words, phrases)


def _phrase_spans(tokens: list, phrases: set[tuple[str, ...]], stop: Callable[[str], bool]) -> list[tuple[int, int]]:
    """(start, end) of every place a phrase's words follow one another, stop words between
    them skipped; the longest phrase at a place wins, and matching resumes after it."""
    spans: list[tuple[int, int]] = []
    ordered = sorted(phrases, key=len, reverse=True)
    i = 0
    while i < len(tokens):
        end = None
        if tokens[i].matched:
            for phrase in ordered:
                end = _phrase_at(tokens, i, phrase, stop)
                if end is not None:
                    break
        if end is None:
            i += 1
            continue
        spans.append((tokens[i].startchar, tokens[end].endchar))
        i = end + 1
    return spans


def _phrase_at(tokens: list, i: int, phrase: tuple[str, ...], stop: Callable[[str], bool]) -> int | None:
    """The index of the last token of `phrase` read from tokens[i], or None."""
    j = i
    for n, word in enumerate(phrase):
        if n:
            j += 1
            while j < len(tokens) and not tokens[j].matched and stop(tokens[j].text):
                j += 1
        if j >= len(tokens) or not tokens[j].matched or tokens[j].text != word:
            return None
    return j
