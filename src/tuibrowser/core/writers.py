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

import pickle
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from contextlib import ExitStack, suppress
from typing import TYPE_CHECKING, Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3FieldWriter, _lenfield
from whoosh.fields import NUMERIC
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from tuibrowser.core.derive import collection_paused
from tuibrowser.core.postings import BlockEncoder, Codec, TermPostings, write_postings

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
        """The field's length in every document, by number (add_postings asks with default 0).

        As W3PerDocReader.doc_field_length (whoosh-reloaded 2.7.5) gives them, with its
        lengths column looked up once: for a field without one (an id, a path) it asks the
        file system whether the column exists again for every document."""
        lengths = self._fields.get(fieldname)
        if lengths is None:
            reader = self._reader
            column = reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            count = self._doc_count
            if column is None:
                lengths = [default] * count
            else:
                lengths = [byte_to_length(b) if (b := column[d]) else None for d in range(count)]
            self._fields[fieldname] = lengths
        return lengths


class Writer(SegmentWriter):  # type: ignore[misc]
    """Whoosh's segment writer, flushing postings with each document's lengths read once,
    with tuibrowser's codec (core.postings.Codec: small blocks uncompressed)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("codec", Codec())
        super().__init__(*args, **kwargs)

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
        self._numbers: dict[tuple[str, Any], list[Any]] = {}
        """Terms of the numbers and dates indexed so far (see `_terms`)."""
        self._prepared: deque[dict[str, tuple[Any, int]]] = deque()
        """Per document prepared and not yet added, in order: field -> (value, length)."""

    def _terms(self, fieldname: str, field: Any, value: Any) -> Any:
        """`field.index(value)`; for a number or a date (the date, the arrival time), kept
        for the next document with the same value: a number is several terms (one per
        precision step), each converted to bytes, and an archive's dates repeat."""
        if not isinstance(field, NUMERIC):
            return field.index(value)
        key = (fieldname, value)
        found = self._numbers.get(key)
        if found is None:
            found = self._numbers[key] = list(field.index(value))
        return found

    def full(self) -> bool:
        """Whether the postings held reach the memory limit: time to finish the segment
        and start another (the batch then spans more segments; what is indexed is the same)."""
        return self.postings.count * self.POSTING_BYTES >= self._limit

    @staticmethod
    def suits(schema: Schema) -> bool:
        """Whether a batch writer writes what Whoosh's would for this schema."""
        return not any(field.vector or field.separate_spelling() for _, field in schema.items())

    def prepare(self, **fields: Any) -> None:
        """Index some fields of the next document not yet added (the one after those
        prepared already); `add_document` later adds the whole document, these fields
        with the same values, and indexes only the others. Field boosts are not taken."""
        docnum = self.docnum + len(self._prepared)
        schema = self.schema
        done: dict[str, tuple[Any, int]] = {}
        for fieldname in sorted(fields):
            value = fields[fieldname]
            field = schema[fieldname]
            if value is None or not field.indexed or fieldname.startswith("_"):
                raise ValueError(f"only indexed fields with a value can be prepared, not {fieldname!r}")
            total = self.postings.add(fieldname, docnum, self._terms(fieldname, field, value), 1.0)
            done[fieldname] = (value, total if field.scorable else 0)
        self._prepared.append(done)

    def encode_ahead(self, more: Callable[[], bool]) -> None:
        """Encode the one-block terms of the prepared fields now (core.postings), until
        `more()` says there is other work; for a writer that has prepared every document
        it will take and added none yet (its worker waits), so the flush at the end has
        less to do. Should a document come after all, its postings drop what was encoded
        of its fields."""
        codec = self.codec
        if self.docnum or not self._prepared or getattr(codec, "_inlinelimit", 2) > 1:
            return
        names = {name for fields in self._prepared for name in fields}
        held = self.postings.fields
        for name in sorted(names, key=lambda n: -len(held.get(n, ()))):  # the largest first
            field = self.schema[name]
            lengths = [_as_read(fields[name][1]) if name in fields else None for fields in self._prepared]
            encoder = BlockEncoder(codec._compression, field.format.fixed_value_size())
            if not self.postings.encode_ahead(name, encoder, codec._blocklimit, lengths, more):
                return

    def add_document(self, **fields: Any) -> None:
        # SegmentWriter.add_document (whoosh-reloaded 2.7.5) with the postings held by term.
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        postings = self.postings
        prepared = self._prepared.popleft() if self._prepared else {}
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        _check_prepared(prepared, fields, docboost)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if fieldname in prepared:
                    length = prepared[fieldname][1]
                elif field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    total = postings.add(fieldname, docnum, self._terms(fieldname, field, value), boost)
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


def _as_read(length: int) -> int | None:
    """A field's length as the segment's reader gives it back: stored as one byte (an
    approximation above a few hundred), None when 0."""
    stored = length_to_byte(length) if length else 0
    return byte_to_length(stored) if stored else None


def _check_prepared(prepared: dict[str, tuple[Any, int]], fields: dict[str, Any], docboost: float) -> None:
    """A prepared document is the document added: the same values, and no boosts (which
    `prepare` does not take)."""
    for fieldname, (value, _) in prepared.items():
        if fields.get(fieldname) != value:
            raise ValueError(f"document added with another {fieldname!r} than was prepared")
        if docboost != 1.0 or f"_{fieldname}_boost" in fields:
            raise ValueError(f"a prepared field ({fieldname!r}) cannot be boosted")


def _batch_writer(ix: FileIndex, limitmb: int) -> SegmentWriter:
    """A worker's writer: a batch writer where it writes the same segment, else Whoosh's."""
    kind = BatchWriter if BatchWriter.suits(ix.schema) else Writer
    return kind(ix, _lk=False, limitmb=limitmb)


class WorkerFailed(RuntimeError):
    """A worker process could not write its share; nothing of the batch was committed."""


def write_parallel(
    ix: FileIndex,
    count: int,
    build: Callable[..., dict[str, Any]],
    *,
    procs: int,
    limitmb: int,
    progress: Callable[[int], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
    started: ParallelWrite | None = None,
    shared: Any = None,
) -> list[Segment]:
    """Build documents 0..count-1 with `build(n)` in `procs` forked workers and write them
    into new segments, one per worker (more when one reaches `limitmb`); returns the
    segments, for the caller's writer to commit (see `commit_with`). The caller must hold
    the index's write lock, and run one thread (the workers are forked).

    Args:
        build: Called in the workers; what it needs must be in memory before the call.
        progress: Called in this process with the number of documents written so far.
        meanwhile: Called in this process once the workers are started (work of its own
            that would otherwise wait for theirs).
        started: Workers started earlier with this `build` (`ParallelWrite`), which may
            have indexed part of the documents already; `build` is then called in them as
            `build(n, shared)`.
        shared: What `build` needs that came after the workers were started (pickled to
            each worker once).

    Raises:
        OSError, WorkerFailed: see `_collect`; a worker's partial files are left for
            `store.remove_leftovers`.
    """
    if started is None:
        batch = ParallelWrite(ix, count, lambda number, _: build(number), procs=procs, limitmb=limitmb)
    else:
        assert started.build is build and started.count == count
        batch = started
    try:
        return batch.finish(shared, progress=progress, meanwhile=meanwhile)
    finally:
        batch.close()


class ParallelWrite:
    """Forked workers writing a batch of documents, started before the documents can be
    built whole: meanwhile each worker indexes, for the documents it claims, the fields
    `prepare` gives (an article's words: the largest part of the work), so the cores are
    busy while this process works out the rest (the entity links); `finish` then hands
    them what the rest needs.

    Workers claim numbered chunks of documents; the documents a worker prepared are
    finished by it, in order, before it claims more. What is written is what `build`
    alone would write (BatchWriter.prepare checks that each prepared field's value is the
    document's).
    """

    def __init__(
        self,
        ix: FileIndex,
        count: int,
        build: Callable[[int, Any], dict[str, Any]],
        *,
        procs: int,
        limitmb: int,
        prepare: Callable[[int], dict[str, Any]] | None = None,
    ) -> None:
        """Start the workers (the caller holds the index's write lock and runs one thread).

        Args:
            build: `build(n, shared)` is document n, called in the workers after `finish`.
            prepare: `prepare(n)` is some fields of document n, called in the workers
                until `finish`: their values must be the document's.
        """
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.count, self.build = count, build
        self._claimed = context.Value("l", 0)
        self._written = context.Value("l", 0)
        self._results = context.SimpleQueue()
        self._ix, self._limitmb, self._prepare = ix, limitmb, prepare
        # No cyclic garbage collection until the batch is written, here (the resolution
        # and the bookkeeping) and in the workers: the articles, their extractions and the
        # postings are millions of objects that live to the end, and the collector's full
        # passes over them, repeated as they grow (in each worker over everything it
        # inherited, writing to pages it shares with this process), cost 5-8 of about 70 s
        # of CPU at 29,000 articles (peak memory the same). Cycles made meanwhile are
        # collected after (derive.collection_paused, which a large import holds already).
        self._paused = ExitStack()
        self._paused.enter_context(collection_paused())
        pipes = [context.Pipe(duplex=False) for _ in range(max(1, procs))]
        self._workers = []
        for number in range(len(pipes)):
            worker = context.Process(target=self._work, args=(pipes, number), daemon=True)
            self._workers.append(worker)
            worker.start()
        for reader, _ in pipes:
            reader.close()  # so a worker that died is a broken pipe, not a full one
        self._senders = [sender for _, sender in pipes]

    def finish(
        self,
        shared: Any,
        *,
        progress: Callable[[int], None] | None = None,
        meanwhile: Callable[[], None] | None = None,
    ) -> list[Segment]:
        """Send every worker `shared`, and wait for their segments; see `write_parallel`."""
        payload = pickle.dumps(shared, pickle.HIGHEST_PROTOCOL)
        try:
            for sender in self._senders:
                sender.send_bytes(payload)
                sender.close()
        except OSError as error:  # a worker is gone; _collect says why
            if not isinstance(error, BrokenPipeError):
                raise
        self._senders = []
        if meanwhile is not None:
            meanwhile()
        return _collect(self._workers, self._results, lambda: self._written.value, progress)

    def close(self) -> None:
        """Stop the workers (none is left running after a failure)."""
        for sender in self._senders:
            sender.close()
        for worker in self._workers:
            if worker.is_alive():
                worker.kill()
            worker.join()
        self._paused.close()

    def _work(self, pipes: list[tuple[Any, Any]], number: int) -> None:
        for index, (reader, sender) in enumerate(pipes):
            sender.close()  # so this worker's reader sees the end if this process goes
            if index != number:
                reader.close()
        inbox = pipes[number][0]
        count, claimed, written, build = self.count, self._claimed, self._written, self.build
        chunks = (count + CHUNK - 1) // CHUNK
        writer = _batch_writer(self._ix, self._limitmb)
        done: list[Segment] = []

        def claim() -> range | None:
            with claimed.get_lock():
                chunk = claimed.value
                claimed.value = chunk + 1
            return range(chunk * CHUNK, min(count, (chunk + 1) * CHUNK)) if chunk < chunks else None

        def wrote(numbers: range) -> None:
            with written.get_lock():
                written.value += len(numbers)

        try:
            prepared: list[range] = []
            prepare = self._prepare if isinstance(writer, BatchWriter) else None
            while prepare is not None and not inbox.poll() and not writer.full():
                numbers = claim()
                if numbers is None:
                    # Every document is claimed: while this process waits, the fields it
                    # prepared have all their postings, ready to be encoded.
                    assert isinstance(writer, BatchWriter)
                    writer.encode_ahead(inbox.poll)
                    break
                for n in numbers:
                    writer.prepare(**prepare(n))
                prepared.append(numbers)
            shared = pickle.loads(inbox.recv_bytes())
            inbox.close()
            for numbers in prepared:
                for n in numbers:
                    writer.add_document(**build(n, shared))
                wrote(numbers)
            while (numbers := claim()) is not None:
                for n in numbers:
                    if isinstance(writer, BatchWriter) and writer.full():
                        done.append(writer._finalize_segment())
                        writer = _batch_writer(self._ix, self._limitmb)
                    writer.add_document(**build(n, shared))
                wrote(numbers)
            if writer.docnum:
                done.append(writer._finalize_segment())
            else:
                writer._close_segment()
            self._results.put(("ok", done))
        except BaseException as error:
            with suppress(Exception):
                writer._close_segment()
            try:  # the error itself, so a full disk is told as one
                self._results.put(("error", (error, traceback.format_exc())))
            except Exception:  # not picklable
                self._results.put(("error", (None, traceback.format_exc())))


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
