"""Whoosh writers for a sync: one segment writer, and a large batch spread over the cores.

A large batch (a first import of an archive) is written by forked worker processes, each
adding its share of the documents to a segment of its own, the way Whoosh's own
multi-process writer does with `multisegment=True`, with two differences that matter at
this size:

- A worker builds its documents itself, from what the parent held when it forked (the
  articles, their final mentions, the speakers' types): finding quotes and assembling the
  documents runs on every core, and no document is pickled to a job file and read back.
- Workers claim small numbered chunks of the batch as they go, so a worker slowed by the
  machine's other work takes fewer, and neither waits for the other at the end.

The parent holds the index's lock (its own writer) and puts the workers' segments into the
table of contents in one commit, so the batch appears whole or not at all, as before.

Every writer also flushes its segment with the documents' field lengths read once, rather
than once per posting (`_CachedLengths`): Whoosh reads a document's length from the file
it has just written for every posting of that document, which was a sixth of the cost of
writing the postings. The files written are the same.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.writing import SegmentWriter

from tuibrowser.core.postings import TermPostings, write_postings

if TYPE_CHECKING:
    from whoosh.codec.base import Segment
    from whoosh.fields import Schema
    from whoosh.index import FileIndex

CHUNK = 32
"""Documents a worker claims at a time: small enough to even out the end of the batch."""


class _CachedLengths:
    """A per-document reader's field lengths, each read once from it, for `add_postings`
    (which asks for the length of a document's field once per posting)."""

    def __init__(self, reader: Any, doc_count: int) -> None:
        self._reader = reader
        self._doc_count = doc_count
        self._fields: dict[str, list[int | None]] = {}
        """Lengths by field; None where the codec keeps none for a document (a length of 0)."""

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        return self.of_field(fieldname, default)[docnum]

    def of_field(self, fieldname: str, default: int = 0) -> list[int | None]:
        """The field's length in every document, by number (add_postings asks with default 0)."""
        lengths = self._fields.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = self._fields[fieldname] = [read(d, fieldname, default) for d in range(self._doc_count)]
        return lengths


class Writer(SegmentWriter):  # type: ignore[misc]
    """Whoosh's segment writer, flushing postings with each document's lengths read once."""

    def _flush_segment(self) -> None:
        # SegmentWriter._flush_segment (whoosh-reloaded 2.7.5), with the lengths cached.
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _CachedLengths(reader, self.docnum) if reader is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()


class BatchWriter(Writer):
    """A segment writer for documents added in order and nothing else (no merges, no
    deletions): its postings are held by term (core.postings) instead of Whoosh's pool of
    tuples sorted at the flush. The segment written is the same.

    Only for a schema without term vectors or separate spelling fields and for Whoosh's
    W3 codec (see `suits`), which is what tuibrowser writes.
    """

    POSTING_BYTES = 120
    """About what a held posting costs in memory (its slots, weight and value), to keep
    within the writer's `limitmb` as Whoosh's pool does by spilling to disk."""

    def __init__(self, *args: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(*args, limitmb=limitmb, **kwargs)
        if type(self.fieldwriter) is not W3FieldWriter:  # its internals are filled in
            self._close_segment()
            raise TypeError(f"a batch writer writes with Whoosh's W3 codec, not {type(self.codec).__name__}")
        self.postings = TermPostings()
        self._limit = limitmb * 1024 * 1024

    def full(self) -> bool:
        """Whether the postings held reach the memory limit: time to finish the segment
        and start another (the batch then spans more segments; what is indexed is the same)."""
        return self.postings.count * self.POSTING_BYTES >= self._limit

    @staticmethod
    def suits(schema: Schema) -> bool:
        """Whether a batch writer writes what Whoosh's would for this schema."""
        return not any(field.vector or field.separate_spelling() for _, field in schema.items())

    def add_document(self, **fields: Any) -> None:
        # SegmentWriter.add_document (whoosh-reloaded 2.7.5) with the postings held by term.
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        postings = self.postings
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    total = postings.add(fieldname, docnum, field.index(value), boost)
                    if field.scorable:
                        length = total
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def add_reader(self, reader: Any) -> None:
        # A merge would put its postings in Whoosh's pool, which this writer never flushes.
        raise NotImplementedError("a batch writer takes new documents only")

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        cached = _CachedLengths(reader, self.docnum) if reader is not None else None
        write_postings(self.fieldwriter, self.schema, cached.of_field if cached is not None else None, self.postings)
        self.fieldwriter.close()
        if reader is not None:
            reader.close()


def _batch_writer(ix: FileIndex, limitmb: int) -> SegmentWriter:
    """A worker's writer: a batch writer where it writes the same segment, else Whoosh's."""
    kind = BatchWriter if BatchWriter.suits(ix.schema) else Writer
    return kind(ix, _lk=False, limitmb=limitmb)


class WorkerFailed(RuntimeError):
    """A worker process could not write its share; nothing of the batch was committed."""


def write_parallel(
    ix: FileIndex,
    count: int,
    build: Callable[[int], dict[str, Any]],
    *,
    procs: int,
    limitmb: int,
    progress: Callable[[int], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[Segment]:
    """Build documents 0..count-1 with `build(n)` in `procs` forked workers and write them
    into new segments, one per worker; returns the segments, for the caller's writer to
    commit (see `commit_with`). The caller must hold the index's write lock, and run one
    thread (the workers are forked).

    Args:
        build: Called in the workers; what it needs must be in memory before the call.
        progress: Called in this process with the number of documents claimed so far.
        meanwhile: Called in this process once the workers are started (work of its own
            that would otherwise wait for theirs).

    Raises:
        OSError, WorkerFailed: see `_collect`; a worker's partial files are left for
            `store.remove_leftovers`.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    claimed = context.Value("l", 0)
    results = context.SimpleQueue()
    chunks = (count + CHUNK - 1) // CHUNK

    def work() -> None:
        writer = _batch_writer(ix, limitmb)
        done: list[Segment] = []
        try:
            while True:
                with claimed.get_lock():
                    chunk = claimed.value
                    claimed.value = chunk + 1
                if chunk >= chunks:
                    break
                for number in range(chunk * CHUNK, min(count, (chunk + 1) * CHUNK)):
                    writer.add_document(**build(number))
                    if isinstance(writer, BatchWriter) and writer.full():
                        done.append(writer._finalize_segment())
                        writer = _batch_writer(ix, limitmb)
            if writer.docnum:
                done.append(writer._finalize_segment())
            else:
                writer._close_segment()
            results.put(("ok", done))
        except BaseException as error:
            with suppress(Exception):
                writer._close_segment()
            try:  # the error itself, so a full disk is told as one
                results.put(("error", (error, traceback.format_exc())))
            except Exception:  # not picklable
                results.put(("error", (None, traceback.format_exc())))

    workers = [context.Process(target=work, daemon=True) for _ in range(max(1, procs))]
    for worker in workers:
        worker.start()
    try:
        if meanwhile is not None:
            meanwhile()
        segments = _collect(workers, results, lambda: min(count, claimed.value * CHUNK), progress)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.kill()
            worker.join()
    return segments


def _collect(
    workers: Sequence[Any], results: Any, claimed: Callable[[], int], progress: Callable[[int], None] | None
) -> list[Segment]:
    """Each worker's segment, in the order they finish.

    Raises:
        OSError: a worker's write failed so (a full disk), as in a write by this process.
        WorkerFailed: a worker failed otherwise, or died.
    """
    segments: list[Segment] = []
    answered = 0
    while answered < len(workers):
        if results.empty():
            if not any(w.is_alive() for w in workers) and results.empty():
                raise WorkerFailed("a worker process writing the index died")
            if progress:
                progress(claimed())
            time.sleep(0.05)
            continue
        kind, value = results.get()
        answered += 1
        if kind == "error":
            error, trace = value
            failed = WorkerFailed(f"a worker process writing the index failed:\n{trace}")
            if isinstance(error, OSError):
                raise error from failed
            raise failed
        segments.extend(value)
    return segments


def commit_with(writer: SegmentWriter, segments: list[Segment], mergetype: Callable[..., Any]) -> None:
    """Commit `writer` (its deletions and own documents, merged by `mergetype`) together
    with segments written by `write_parallel`: one new table of contents lists them all.

    Whoosh's MpWriter._commit with `multisegment` (whoosh-reloaded 2.7.5), whose steps it
    reuses, since the workers' segments are made the same way.
    """
    final = writer._merge_segments(mergetype, None, None)
    final += segments
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(final)
    writer._finish()
