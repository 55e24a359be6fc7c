"""The best hits of a plain-word query, scored straight from the postings.

Most queries people type are plain words. Whoosh runs them through a tree of matcher
objects, several Python calls per matching document and per term; at 29,000 articles a
question of ten words took 150-400 ms that way, and its exact count as long again.
Here each term's postings are read block by block and scored in one loop, term at a time,
with the exact total for free: 1-30 ms for the same queries.

The scores are Whoosh's own BM25F (its scorer supplies the idf, the average field length and
the parameters; field lengths come from the same quantised column Whoosh reads), and a
document containing every word gets the all-words reading's weight on top, exactly as the
two-reading query `parse_query` builds would score it. Ties go to the lower document number,
as in Whoosh. Anything else (phrases, fields, wildcards, ranges, booleans) is run by Whoosh.

The blocks are read through the W3 codec's posting reader (`W3LeafMatcher`, pinned with
whoosh-reloaded 2.7.5); tests compare every result with Whoosh's own search, so a change
there shows at once.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from whoosh import query
from whoosh.matching.wrappers import FilterMatcher

from tuibrowser.core.columns import field_lengths
from tuibrowser.core.deadline import Deadline
from tuibrowser.core.searchers import IndexView

if TYPE_CHECKING:
    from whoosh.matching import Matcher
    from whoosh.reading import SegmentReader

WORD_FIELDS = frozenset({"title", "body"})


@dataclass(frozen=True, slots=True)
class Bag:
    """A plain-word query: its words, each as the (field, term) leaves it was parsed into."""

    groups: tuple[tuple[tuple[str, str], ...], ...]
    bonus: float
    """Score multiplier for a document that contains every word (1 + the all-words boost)."""


@dataclass(frozen=True, slots=True)
class Ranked:
    """The best documents, best first, and how many matched."""

    top: tuple[tuple[float, int], ...]
    """(score, document number)."""
    total: int
    body: frozenset[int]
    """Those of `top` that matched a word in the body (the others get a lead snippet)."""


def bag_of_words(parsed: query.Query, all_words_boost: float) -> Bag | None:
    """The query as a bag of words, when it is one; None for anything else.

    Plain words parse into `Or([And(words) ^ boost, Or(leaves)])` (several words) or into
    one word's leaves; each leaf is a Term in title or body, unboosted.
    """
    if (
        isinstance(parsed, query.Or)
        and len(parsed.subqueries) == 2
        and isinstance(parsed.subqueries[0], query.And)
        and isinstance(parsed.subqueries[1], query.Or)
    ):
        every, some = parsed.subqueries
        if every.boost != all_words_boost or some.boost != 1.0 or parsed.boost != 1.0:
            return None
        groups = []
        for word in every.subqueries:
            leaves = _leaves(word)
            if leaves is None:
                return None
            groups.append(leaves)
        flat = _leaves(some)
        if flat is None or Counter(flat) != Counter(leaf for group in groups for leaf in group):
            return None
        return Bag(tuple(groups), 1.0 + all_words_boost)
    leaves = _leaves(parsed)
    return Bag((leaves,), 1.0) if leaves else None


def _leaves(q: query.Query) -> tuple[tuple[str, str], ...] | None:
    parts = q.subqueries if isinstance(q, query.Or) else [q]
    if q.boost != 1.0 or not parts:
        return None
    leaves = []
    for part in parts:
        if not (isinstance(part, query.Term) and part.fieldname in WORD_FIELDS and part.boost == 1.0):
            return None
        if not isinstance(part.text, str):
            return None
        leaves.append((part.fieldname, part.text))
    return tuple(leaves)


def rank(view: IndexView, bag: Bag, limit: int, deadline: Deadline | None = None) -> Ranked:
    """The `limit` best documents for `bag`, and the exact number of matches."""
    searcher = view.searcher
    multiplicity = Counter(leaf for group in bag.groups for leaf in group)
    word_bits: dict[tuple[str, str], int] = {}
    for number, group in enumerate(bag.groups):
        for leaf in group:
            word_bits[leaf] = word_bits.get(leaf, 0) | (1 << number)
    every_word = (1 << len(bag.groups)) - 1
    coordinate = bag.bonus != 1.0
    scores: dict[int, float] = {}
    masks: dict[int, int] = {}
    in_body: set[int] = set()
    deleted: set[int] = set()
    blocks = 0
    for segment, offset in searcher.leaf_searchers():
        reader = segment.reader()
        if reader.has_deletions():
            deleted.update(offset + docnum for docnum in reader.deleted_docs_set)
        for (fieldname, text), count in multiplicity.items():
            btext = text.encode("utf-8")
            if not reader.doc_frequency(fieldname, btext):
                continue
            scorer = searcher.weighting.scorer(segment, fieldname, btext)
            lengths = _lengths(view, reader, fieldname)
            # bm25(idf, tf, fl, avgfl, B, K1) from whoosh.scoring, with the constants hoisted.
            idf, k1, b = count * scorer.idf, scorer.K1, scorer.B
            k1_plus_1, constant, per_length = k1 + 1, k1 * (1 - b), k1 * b / scorer.avgfl
            bits = word_bits[(fieldname, text)]
            get_score, get_mask = scores.get, masks.get
            for ids, weights in _blocks(reader.postings(fieldname, btext)):
                blocks += 1
                if deadline is not None and blocks % 16 == 0:
                    deadline.check()
                for docnum, weight in zip(ids, weights, strict=True):
                    key = docnum + offset
                    scores[key] = get_score(key, 0.0) + idf * (
                        (weight * k1_plus_1) / (weight + constant + per_length * lengths[docnum])
                    )
                    if coordinate:
                        masks[key] = get_mask(key, 0) | bits
                if fieldname == "body":
                    in_body.update([docnum + offset for docnum in ids])
    for docnum in deleted:
        scores.pop(docnum, None)
    if coordinate:
        bonus = bag.bonus
        for docnum, mask in masks.items():
            if mask == every_word and docnum in scores:
                scores[docnum] *= bonus
    best = heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], item[0])) if limit else []
    return Ranked(
        tuple((score, docnum) for docnum, score in best),
        len(scores),
        frozenset(docnum for docnum, _ in best if docnum in in_body),
    )


def _lengths(view: IndexView, reader: SegmentReader, fieldname: str) -> list[int]:
    """Every document's length in `fieldname` in one segment, cached with the view."""
    key = ("lengths", id(reader), fieldname)
    found = view.cache.get(key)
    if found is None:
        found = view.cache[key] = field_lengths(reader, fieldname)
    return found


def _blocks(matcher: Matcher) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """(document numbers, weights) of a term's postings, a block at a time.

    Deleted documents are included (the caller drops them once, instead of a set lookup
    per posting: whoosh-community/whoosh#492 shows what per-leaf deletion sets cost).
    """
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        while not matcher._atend:
            matcher._read_ids()
            matcher._read_weights()
            yield matcher._ids, matcher._weights
            if matcher._lastblock:
                return
            matcher._next_block()
        return
    ids, weights = [], []  # postings kept inline with a rare term: a plain list matcher
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield ids, weights
