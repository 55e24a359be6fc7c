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

import itertools
import zlib
from array import array
from collections.abc import Callable, Iterable
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3PerDocWriter,
    W3PostingsWriter,
    W3TermInfo,
)
from whoosh.columns import CompressedBytesColumn, PickleColumn
from whoosh.filedb.filetables import _lengths as _KEY_VALUE_LENGTHS
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte

_TERM_INFO = W3TermInfo._struct

Flat = list[Any]
"""One term's postings, flat: document, weight, value, document, weight, value, ..."""


class TermPostings:
    """Postings by field and term, each term's in the order its documents were added."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, Flat]] = {}
        self.count = 0
        """Postings held (for a writer that bounds its memory)."""
        self.encoded: dict[str, dict[bytes, Encoded]] = {}
        """One-block terms of fields encoded ahead of the flush (`encode_ahead`), while
        no more postings come to them."""

    def encode_ahead(
        self,
        fieldname: str,
        encoder: BlockEncoder,
        limit: int,
        lengths: list[int | None] | None,
        more: Callable[[], bool],
    ) -> bool:
        """Encode the field's one-block terms now, as the flush would, until `more()` says
        the writer has other work; returns whether every such term was encoded. A posting
        added to the field afterwards drops what was encoded of it."""
        terms = self.fields.get(fieldname, {})
        done = self.encoded.setdefault(fieldname, {})
        for number, (btext, flat) in enumerate(terms.items()):
            if number % 256 == 0 and more():
                return False
            if btext in done or len(flat) > 3 * limit:
                continue
            done[btext] = encoder.encode(flat[0::3], flat[1::3], flat[2::3], lengths)
        return True

    def add(
        self, fieldname: str, docnum: int, items: Iterable[tuple[bytes, int, float, bytes | None]], boost: float
    ) -> int:
        """Add one document's postings of one field, as Whoosh's `FieldType.index` gives
        them; returns the sum of their frequencies (the field's length in the document).

        Each weight is multiplied by `boost` as SegmentWriter.add_document does."""
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        if fieldname in self.encoded:
            del self.encoded[fieldname]
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
        one_block = _OneBlock(fieldwriter, writer) if writer._inlinelimit <= 1 else None
        ahead = postings.encoded.get(fieldname, {}) if one_block is not None else {}
        for btext in sorted(terms):
            flat = terms[btext]
            if one_block is not None:
                encoded = ahead.get(btext)
                if encoded is not None:
                    one_block.write(btext, encoded)
                    continue
            docs = flat[0::3]
            weights = flat[1::3]
            values = flat[2::3]
            if one_block is not None and len(docs) <= limit:
                one_block.write(btext, one_block.encoder.encode(docs, weights, values, field_lengths))
                continue
            if one_block is not None:
                one_block.lose_place()
            fieldwriter.start_term(btext)
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


Encoded = tuple[bytes, tuple[float, int, int, int, float, int, int]]
"""A one-block term as written: its block's bytes, and its term info's statistics (total
weight, documents, shortest and longest length as bytes, largest weight, first and last
document); the term info adds where the block lies."""


RAW_BELOW = 96
"""A block of postings whose pickle is shorter is written uncompressed. Deflate made the
blocks under 64 bytes longer and saved 3 bytes on those up to 96 (BBC, AG News and Reuters
articles), yet each call sets up its 256 KB of state: three blocks in four are this small,
and compressing them was 2-3 s of CPU of a 29,000-article import; the postings file is
under 1% larger. Whoosh means to skip blocks under 20 bytes, but the line after its test
undoes it (whoosh-reloaded 2.7.5, codec/whoosh3.py, W3PostingsWriter._write_block). Each
block says whether it is compressed, so Whoosh reads both kinds."""


STORED_LEVEL = 0
"""Deflate level of each document's stored fields. Whoosh compresses every document's
stored fields on their own (level 3): at 29,000 articles that was 0.8 s of the import's
CPU for 16 MB less on disk (41 MB of stored fields in a 263 MB index). Level 0 writes the
same zlib stream with the bytes kept as they are: the reader, which always decompresses,
reads them unchanged and faster (a copy instead of inflating)."""

_STORED_COLUMN = PickleColumn(CompressedBytesColumn(level=STORED_LEVEL))
"""whoosh.codec.whoosh3.STORED_COLUMN, at STORED_LEVEL."""


class Codec(W3Codec):  # type: ignore[misc]
    """Whoosh's W3 codec, writing small blocks of postings uncompressed (`RAW_BELOW`) and
    stored fields at STORED_LEVEL.

    The segments it writes record it, as every segment records its codec; their files are
    W3's, and readers take either kind of block and any deflate level.
    """

    def per_document_writer(self, storage: Any, segment: Any) -> W3PerDocWriter:
        return _PerDocWriter(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class _PerDocWriter(W3PerDocWriter):  # type: ignore[misc]
    def _create_column(self, fieldname: str, column: Any) -> None:
        # W3PerDocWriter creates the stored fields' column (whoosh-reloaded 2.7.5) with
        # STORED_COLUMN, whose reader is the same for any level.
        super()._create_column(fieldname, _STORED_COLUMN if fieldname == "_stored" else column)


class _PostingsWriter(W3PostingsWriter):  # type: ignore[misc]
    def _write_block(self, last: bool = False) -> None:
        # W3PostingsWriter._write_block (whoosh-reloaded 2.7.5), small blocks left raw.
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), 2)
        compression = self._compression if len(databytes) >= RAW_BELOW else 0
        if compression:
            databytes = zlib.compress(databytes, compression)
        ids = self._ids
        infobytes = dumps(
            (
                len(ids),
                ids[-1],
                self._maxweight,
                compression,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            ),
            2,
        )
        length = len(infobytes) + len(databytes)
        postfile = self._postfile
        postfile.write_int(-length if last else length)
        postfile.write(infobytes)
        postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class BlockEncoder:
    """The bytes of a term whose postings fit in one block: most terms of a segment (an
    article's id, a speaker's word), where the calls between Whoosh's objects cost more
    than the encoding.

    The same bytes as W3PostingsWriter.add_posting, its finish_postings and
    _write_block(last=True), and W3TermInfo.add_block (whoosh-reloaded 2.7.5), for a codec
    that inlines no postings (see `_OneBlock` for the writing).
    """

    def __init__(self, compression: int, fixed_size: int | None) -> None:
        self._compression = compression
        self._fixed = fixed_size

    def encode(
        self, docs: list[int], weights: list[float], values: list[bytes | None], lengths: list[int | None] | None
    ) -> Encoded:
        if len(docs) == 1:
            return self._single(docs[0], weights[0], values[0], lengths)
        stored_weights = array("f", weights)  # as the block keeps them: single precision
        top = max(weights)
        maxweight = top if top > 0 else 0
        minlength: int | None = None
        maxlength = 0
        if lengths is not None:
            known = [length for length in map(lengths.__getitem__, docs) if length]
            if known:
                minlength = min(known)
                maxlength = max(known)
        # _mini_ids, _mini_weights, _mini_values
        ids = (docs[0], *(b - a for a, b in itertools.pairwise(docs)))
        if all(w == 1.0 for w in stored_weights):
            mini_weights: Any = None
        elif all(w == stored_weights[0] for w in stored_weights):
            mini_weights = stored_weights[0]
        else:
            mini_weights = tuple(stored_weights)
        kept = [value for value in values if value]
        fixed = self._fixed
        mini_values: Any
        if fixed is None or fixed < 0:
            mini_values = tuple(kept)
        elif fixed == 0:
            mini_values = None
        else:
            mini_values = b"".join(kept)
        data = dumps((ids, mini_weights, mini_values), 2)
        compression = self._compression if len(data) >= RAW_BELOW else 0
        if compression:
            data = zlib.compress(data, compression)
        info = dumps(
            (len(docs), docs[-1], maxweight, compression, length_to_byte(minlength), length_to_byte(maxlength)), 2
        )
        block = b"".join((WHOOSH3_HEADER_MAGIC, pack_int(-(len(info) + len(data))), info, data))
        stats = (
            sum(stored_weights),
            len(docs),
            0 if minlength is None else length_to_byte(minlength),
            length_to_byte(maxlength),
            maxweight,
            docs[0],
            docs[-1],
        )
        return block, stats

    def _single(self, doc: int, weight: float, value: bytes | None, lengths: list[int | None] | None) -> Encoded:
        """`encode` for a term in one document (most terms of a segment): the same steps
        for one posting, without the lists."""
        stored = array("f", (weight,))[0]
        maxweight = weight if weight > 0 else 0
        length = lengths[doc] if lengths is not None else None
        minlength, maxlength = (length, length) if length else (None, 0)
        fixed = self._fixed
        mini_values: Any
        if fixed is None or fixed < 0:
            mini_values = (value,) if value else ()
        elif fixed == 0:
            mini_values = None
        else:
            mini_values = value or b""
        data = dumps(((doc,), None if stored == 1.0 else stored, mini_values), 2)
        compression = self._compression if len(data) >= RAW_BELOW else 0
        if compression:
            data = zlib.compress(data, compression)
        low, high = length_to_byte(minlength), length_to_byte(maxlength)
        info = dumps((1, doc, maxweight, compression, low, high), 2)
        block = b"".join((WHOOSH3_HEADER_MAGIC, pack_int(-(len(info) + len(data))), info, data))
        return block, (stored, 1, 0 if minlength is None else low, high, maxweight, doc, doc)


class _OneBlock:
    """A one-block term written in one call: W3FieldWriter.start_term, its finish_term
    (W3TermInfo.to_bytes), and OrderedHashWriter.add (whoosh-reloaded 2.7.5).

    The two files' positions are counted here rather than asked of them for every term
    (a tell() is a system call; a segment has about a million terms), and asked again
    after anything else wrote to them (`lose_place`)."""

    def __init__(self, fieldwriter: W3FieldWriter, writer: W3PostingsWriter) -> None:
        self._postfile = writer._postfile
        self._tindex = fieldwriter._tindex
        self._prefix = pack_ushort(fieldwriter._fieldid)
        self.encoder = BlockEncoder(writer._compression, fieldwriter._format.fixed_value_size())
        self._post_at: int | None = None
        self._index_at: int | None = None

    def lose_place(self) -> None:
        """Another writer wrote to the files (a term of several blocks)."""
        self._post_at = self._index_at = None

    def write(self, btext: bytes, encoded: Encoded) -> None:
        block, stats = encoded
        postfile = self._postfile
        start = postfile.tell() if self._post_at is None else self._post_at
        postfile.write(block)
        self._post_at = start + len(block)
        value = _TERM_INFO.pack(False, *stats) + (pack_long(start) + pack_int(len(block)))
        tindex = self._tindex
        key = self._prefix + btext
        if key <= tindex.lastkey:
            raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{key!r}")
        dbfile = tindex.dbfile
        position = dbfile.tell() if self._index_at is None else self._index_at
        tindex.index.append(position)
        record = b"".join((_KEY_VALUE_LENGTHS.pack(len(key), len(value)), key, value))
        dbfile.write(record)
        self._index_at = position + len(record)
        hashed = tindex.hashfn(key)
        tindex.buckets[hashed & 255].append((hashed, position))
        tindex.lastkey = key
