"""A batch's postings held by term and handed to Whoosh's codec a block at a time.

Whoosh's SegmentWriter puts every posting into a pool as a tuple (field, term, document,
weight, value), sorts the whole pool when the segment is flushed, and gives the codec one
posting per call, checked and appended one by one. At 29,000 articles that is about 2.6
million postings per writing worker, and the tuples, their sort and the calls were most of
the cost of writing the index (the words themselves, and the blocks' encoding, much less).

A writer that adds documents in order, and nothing else (a worker of core.writers), gives
each term its postings already in document order. `TermPostings` keeps them per field and
term as they come, so at the flush only the terms are sorted; `write_postings` then fills
the codec's posting writer one block at a time (up to its block limit, the same split as
posting by posting) and lets the codec encode each block and term as it always does. The
files are the same (tests/test_postings.py compares a segment written both ways, byte for
byte).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from typing import Any

from whoosh.codec.whoosh3 import W3FieldWriter, W3PostingsWriter

Flat = list[Any]
"""One term's postings, flat: document, weight, value, document, weight, value, ..."""


class TermPostings:
    """Postings by field and term, each term's in the order its documents were added."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, Flat]] = {}
        self.count = 0
        """Postings held (for a writer that bounds its memory)."""

    def add(
        self, fieldname: str, docnum: int, items: Iterable[tuple[bytes, int, float, bytes | None]], boost: float
    ) -> int:
        """Add one document's postings of one field, as Whoosh's `FieldType.index` gives
        them; returns the sum of their frequencies (the field's length in the document).

        Each weight is multiplied by `boost` as SegmentWriter.add_document does."""
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        get = terms.get
        length = 0
        count = 0
        for btext, freq, weight, value in items:
            length += freq
            count += 1
            found = get(btext)
            if found is None:
                terms[btext] = [docnum, weight * boost, value]
            else:
                found += (docnum, weight * boost, value)
        self.count += count
        return length


def write_postings(
    fieldwriter: W3FieldWriter,
    schema: Any,
    lengths: Callable[[str], list[int | None]] | None,
    postings: TermPostings,
) -> None:
    """Write every field's postings, fields and terms in order, as
    FieldWriter.add_postings would from the same postings sorted.

    Args:
        lengths: A field's length in every document of the segment, by document number
            (what the codec records per block); None when the codec keeps none.
    """
    for fieldname in sorted(postings.fields):
        terms = postings.fields[fieldname]
        fieldwriter.start_field(fieldname, schema[fieldname])
        writer: W3PostingsWriter = fieldwriter._postwriter
        limit = writer._blocklimit
        field_lengths = lengths(fieldname) if lengths is not None else None
        for btext in sorted(terms):
            flat = terms[btext]
            fieldwriter.start_term(btext)
            docs = flat[0::3]
            weights = flat[1::3]
            values = flat[2::3]
            for start in range(0, len(docs), limit):
                if start:
                    writer._write_block()
                _fill_block(
                    writer,
                    docs[start : start + limit],
                    weights[start : start + limit],
                    values[start : start + limit],
                    field_lengths,
                )
            fieldwriter.finish_term()
        fieldwriter.finish_field()


def _fill_block(
    writer: W3PostingsWriter,
    docs: list[int],
    weights: list[float],
    values: list[bytes | None],
    lengths: list[int | None] | None,
) -> None:
    """Put a block's postings into the posting writer's buffer, with the statistics its
    add_posting would have kept (whoosh-reloaded 2.7.5, codec/whoosh3.py)."""
    writer._ids = array("I", docs)
    writer._weights = array("f", weights)
    # add_posting keeps only non-empty values, and the largest weight above 0 (0 if none).
    writer._values = [value for value in values if value]
    top = max(weights)
    writer._maxweight = top if top > 0 else 0
    if lengths is not None:
        known = [length for length in map(lengths.__getitem__, docs) if length]
        if known:
            writer._minlength = min(known)
            writer._maxlength = max(known)
