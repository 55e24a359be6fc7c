"""Whole per-document columns read in one go: field lengths for scoring, dates for sorting.

Whoosh's column readers fetch one document's value per call, which through file handles
(the index is read without mmap, see core.store) is one seek and one read each: reading the
lengths of 29,000 documents that way took 190 ms. A numeric column is a packed array, so it
is read here in one read of its bytes (the W3 codec's layout, pinned with whoosh-reloaded
2.7.5; tests compare the results with Whoosh's own per-document reads).
"""

from __future__ import annotations

import struct
import sys
from array import array
from typing import TYPE_CHECKING

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

if TYPE_CHECKING:
    from whoosh.columns import ColumnReader
    from whoosh.reading import SegmentReader

_LENGTHS = [byte_to_length(b) for b in range(256)]
"""Field lengths are stored as one byte each; this is what each byte stands for."""


def _packed(column_reader: ColumnReader, count: int, typecode: str, default: int) -> array[int]:
    """A NumericColumn reader's values for documents 0..count-1, from one read (documents
    past the last one written hold the column's own default, as Whoosh reads them)."""
    default = getattr(column_reader, "_default", default)
    width = struct.calcsize(typecode)
    stored = column_reader._count
    data = column_reader._dbfile.get(column_reader._basepos, stored * width) if stored else b""
    values = array(typecode, data)
    if width > 1 and sys.byteorder == "little":
        values.byteswap()  # stored big-endian ("!")
    if stored < count:
        values.extend([default] * (count - stored))
    return values[:count]


def field_lengths(segment_reader: SegmentReader, fieldname: str) -> list[int]:
    """Every document's length in `fieldname`, as BM25F reads it (0 for none)."""
    column = segment_reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    count = segment_reader.doc_count_all()
    if column is None:
        return [0] * count
    return [_LENGTHS[byte] for byte in _packed(column, count, "B", 0)]


def numbers(segment_reader: SegmentReader, fieldname: str, default: int) -> array[int]:
    """A numeric sortable field's value for every document of one segment (`default` where
    a document has none, or the segment has no column at all)."""
    count = segment_reader.doc_count_all()
    if not segment_reader.has_column(fieldname):
        return array("Q", [default] * count)
    column = segment_reader.column_reader(fieldname, translate=False)
    return _packed(column, count, column._typecode, default)
