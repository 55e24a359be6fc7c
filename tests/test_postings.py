"""A segment written by the batch writer (postings held by term, core.postings) is the
segment Whoosh's own writer (core.writers.Writer) writes from the same documents: the same
files, byte for byte."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, NUMERIC, TEXT, Schema

import tuibrowser.core.writers as writers
from conftest import SAMPLE_CORPUS, SHARED_DATA
from tuibrowser.core import documents
from tuibrowser.core.entities.linker import Mention
from tuibrowser.core.indexer import sync
from tuibrowser.core.store import create_index, open_index

BBC = SHARED_DATA / "bbc-news" / "bbc"

WORDS = "minister talks said oil price bank Brown Blair market year share vote Zorba élan".split()


def _segment_files(index_dir: Path) -> dict[str, bytes]:
    """The files of the index's one segment, named by extension."""
    ix = open_index(index_dir)
    (segment,) = ix._segments()
    storage = segment.open_compound_file(ix.storage) if segment.is_compound() else ix.storage
    found = {}
    for name in storage.list():
        handle = storage.open_file(name)
        found[name.replace(segment.segid, "SEGMENT")] = handle.read()
        handle.close()
    ix.close()
    return found


def _write(index_dir: Path, kind: type[writers.Writer], docs: list[dict[str, Any]], schema: Schema | None = None):
    ix = create_index(index_dir) if schema is None else _create(index_dir, schema)
    writer = kind(ix, limitmb=64)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    ix.close()
    return _segment_files(index_dir)


def _create(index_dir: Path, schema: Schema):
    from whoosh import index

    index_dir.mkdir(parents=True)
    return index.create_in(str(index_dir), schema)


def _stored_documents(corpus: Path, index_dir: Path) -> list[dict[str, Any]]:
    """The corpus's documents, rebuilt from what a sync stored (as a relink does)."""
    sync(corpus, index_dir)
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        docs = []
        for docnum in range(searcher.doc_count_all()):
            fields = searcher.stored_fields(docnum)
            mentions = tuple(Mention(*m) for m in fields.get("mentions") or ())
            quoted = documents.quotes_of(fields.get("text") or "", mentions, {})
            docs.append(documents.from_stored(fields, fields["id"], mentions, fields.get("added") or 0, quoted))
    ix.close()
    return sorted(docs, key=lambda d: d["path"])


def test_the_sample_corpus_is_written_the_same(tmp_path):
    docs = _stored_documents(SAMPLE_CORPUS, tmp_path / "synced")
    whoosh = _write(tmp_path / "whoosh", writers.Writer, docs)
    batch = _write(tmp_path / "batch", writers.BatchWriter, docs)
    assert batch == whoosh


@pytest.mark.skipif(not BBC.is_dir(), reason="../shared/data is not beside the repository")
def test_real_articles_are_written_the_same(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(BBC.glob("*/*.txt"))[::25]:  # ~90 stories of every section
        (corpus / f"{path.parent.name}-{path.name}").write_bytes(path.read_bytes())
    docs = _stored_documents(corpus, tmp_path / "synced")
    assert len(docs) > 80
    assert _write(tmp_path / "batch", writers.BatchWriter, docs) == _write(tmp_path / "whoosh", writers.Writer, docs)


@pytest.mark.skipif(not BBC.is_dir(), reason="../shared/data is not beside the repository")
def test_small_blocks_are_left_uncompressed_and_read_back_the_same(tmp_path, monkeypatch):
    """tuibrowser's codec writes blocks of postings under RAW_BELOW bytes uncompressed
    (deflate saved next to nothing on them, at a cost per call): every posting reads back
    as from Whoosh's own codec, the postings file is at most 1% larger, and most blocks
    skip deflate."""
    import zlib

    from whoosh.writing import SegmentWriter

    from tuibrowser.core import postings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(BBC.glob("*/*.txt"))[::40]:
        (corpus / f"{path.parent.name}-{path.name}").write_bytes(path.read_bytes())
    docs = _stored_documents(corpus, tmp_path / "synced")
    calls = {"compress": 0}

    def counted(data: bytes, level: int = -1) -> bytes:
        calls["compress"] += 1
        return zlib.compress(data, level)

    monkeypatch.setattr(postings, "zlib", type("Deflate", (), {"compress": staticmethod(counted)}))
    ours = _write(tmp_path / "ours", writers.BatchWriter, docs)
    stock = _write(tmp_path / "stock", SegmentWriter, docs)

    def read(index_dir: Path) -> dict[tuple[str, bytes], list[tuple[int, float, bytes]]]:
        ix = open_index(index_dir)
        with ix.reader() as reader:
            found = {}
            for fieldname, text in reader.all_terms():
                matcher = reader.postings(fieldname, text)
                items = []
                while matcher.is_active():
                    items.append((matcher.id(), matcher.weight(), matcher.value()))
                    matcher.next()
                found[(fieldname, text)] = items
        ix.close()
        return found

    terms = read(tmp_path / "ours")
    assert terms == read(tmp_path / "stock") and len(terms) > 5_000
    (posts,) = [name for name in ours if name.endswith(".pst")]
    assert len(ours[posts]) <= 1.01 * len(stock[posts])
    assert 0 < calls["compress"] < len(terms) / 3  # three blocks in four are small


def test_stored_fields_are_kept_as_they_are_and_read_back_the_same(tmp_path):
    """tuibrowser's codec writes each document's stored fields in a deflate stream of level
    0 (STORED_LEVEL: kept as they are, no CPU spent squeezing them): Whoosh's reader, which
    always decompresses, reads every document as it reads Whoosh's own level-3 column."""
    from whoosh.writing import SegmentWriter

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(BBC.glob("*/*.txt"))[::60]:
        (corpus / f"{path.parent.name}-{path.name}").write_bytes(path.read_bytes())
    docs = _stored_documents(corpus, tmp_path / "synced")
    ours = _write(tmp_path / "ours", writers.Writer, docs)
    stock = _write(tmp_path / "stock", SegmentWriter, docs)

    def stored(index_dir: Path) -> list[dict[str, Any]]:
        ix = open_index(index_dir)
        with ix.searcher() as searcher:
            found = [searcher.stored_fields(n) for n in range(searcher.doc_count_all())]
        ix.close()
        return found

    assert stored(tmp_path / "ours") == stored(tmp_path / "stock") and len(docs) > 30
    texts = sum(len(doc["text"].encode()) for doc in docs)
    (column,) = [name for name in ours if name.endswith("._stored.col")]
    assert len(ours[column]) > texts and len(ours[column]) > 1.5 * len(stock[column])  # (Whoosh's: deflated)


def test_long_posting_lists_boosts_and_empty_fields_are_written_the_same(tmp_path):
    """Terms in more documents than a block holds (128), weights that are not frequencies,
    documents without some fields, values of every kind Whoosh's fields index."""
    rng = random.Random(9)
    schema = Schema(
        path=ID(stored=True, unique=True),
        title=TEXT(stored=True, field_boost=2.0),
        body=TEXT(),
        tags=ID(),
        count=NUMERIC(bits=64, stored=True, sortable=True),
    )
    docs: list[dict[str, Any]] = []
    for number in range(700):
        doc: dict[str, Any] = {"path": f"/{number}", "body": " ".join(rng.choices(WORDS, k=rng.randint(0, 60)))}
        if number % 3:
            doc["title"] = " ".join(rng.choices(WORDS, k=3))
        if number % 5 == 0:
            doc["tags"] = rng.choice(WORDS)
            doc["_boost"] = 1.5
        if number % 7:
            doc["count"] = rng.randint(-(10**12), 10**12)
        if number % 11 == 0:
            doc["_body_boost"] = 3.0
        docs.append(doc)
    whoosh = _write(tmp_path / "whoosh", writers.Writer, docs, schema)
    batch = _write(tmp_path / "batch", writers.BatchWriter, docs, schema)
    assert batch == whoosh


def test_a_batch_writer_at_its_memory_limit_starts_another_segment(tmp_path, monkeypatch):
    """Workers finish a segment when their postings reach the limit; what is indexed is the
    same as in one segment."""
    docs = _stored_documents(SAMPLE_CORPUS, tmp_path / "synced")
    monkeypatch.setattr(writers.BatchWriter, "POSTING_BYTES", 10**6)  # about 64 postings per segment
    ix = create_index(tmp_path / "parts")
    holder = writers.Writer(ix, limitmb=64)  # the index's lock, and the commit
    segments = writers.write_parallel(ix, len(docs), lambda n: docs[n], procs=2, limitmb=64)
    assert len(segments) > 2
    writers.commit_with(holder, segments, lambda writer, existing: existing)
    ix.close()
    whole = create_index(tmp_path / "whole")
    writer = writers.Writer(whole, limitmb=64)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    whole.close()

    def contents(index_dir: Path) -> dict[str, Any]:
        ix = open_index(index_dir)
        with ix.reader() as reader:
            paths = {n: fields["path"] for n, fields in reader.iter_docs()}
            postings = {
                (name, term): sorted((paths[d], v) for d, v in reader.postings(name, term).items_as("weight"))
                for name in reader.indexed_field_names()
                for term in reader.lexicon(name)
            }
            stored = {fields["path"]: fields for _, fields in reader.iter_docs()}
        ix.close()
        return {"postings": postings, "stored": stored}

    assert contents(tmp_path / "parts") == contents(tmp_path / "whole")


def test_only_plain_fields_take_the_batch_path():
    assert writers.BatchWriter.suits(Schema(body=TEXT(), date=NUMERIC()))
    assert not writers.BatchWriter.suits(Schema(body=TEXT(vector=True)))
    assert not writers.BatchWriter.suits(Schema(body=TEXT(analyzer=StemmingAnalyzer(), spelling=True)))


def test_dates_are_kept(tmp_path):
    """A DATETIME field (the index's `date`) through both writers."""
    from whoosh.fields import DATETIME

    schema = Schema(path=ID(stored=True), date=DATETIME(sortable=True))
    docs = [{"path": f"/{n}", "date": dt.datetime(2004, 1 + n % 12, 1 + n % 28)} for n in range(300)]
    batch = _write(tmp_path / "batch", writers.BatchWriter, docs, schema)
    assert batch == _write(tmp_path / "whoosh", writers.Writer, docs, schema)


def _prepared_write(index_dir: Path, docs: list[dict[str, Any]], fields: set[str], ahead: int | None, more: int = 0):
    """Write `docs` with the batch writer, their `fields` prepared first (for the first
    `ahead` documents encoded ahead when given), then `more` documents added unprepared."""
    ix = create_index(index_dir)
    writer = writers.BatchWriter(ix, limitmb=64)
    first = docs[: len(docs) - more]
    for doc in first:
        writer.prepare(**{name: value for name, value in doc.items() if name in fields})
    if ahead is not None:
        calls = iter(range(10**9))
        writer.encode_ahead(lambda: next(calls) >= ahead)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    ix.close()
    return _segment_files(index_dir)


def test_prepared_and_encoded_ahead_fields_are_written_the_same(tmp_path):
    """What the import's workers do: the words indexed while the links are worked out, the
    one-block terms encoded while they wait, the rest of each document added after."""
    docs = _stored_documents(SAMPLE_CORPUS, tmp_path / "synced")
    whoosh = _write(tmp_path / "whoosh", writers.Writer, docs)
    words = {"path", "id", "title", "body", "spell", "date", "source", "source_facet", "added"}
    assert _prepared_write(tmp_path / "prepared", docs, words, None) == whoosh
    assert _prepared_write(tmp_path / "ahead", docs, words, 10**9) == whoosh
    assert _prepared_write(tmp_path / "partly", docs, words, 3) == whoosh  # interrupted early
    # Documents after the prepared ones add to the fields encoded ahead: that is dropped.
    assert _prepared_write(tmp_path / "more", docs, {"body", "title"}, 10**9, more=2) == whoosh


def test_a_prepared_field_must_be_the_document_s(tmp_path):
    ix = create_index(tmp_path / "index")
    writer = writers.BatchWriter(ix, limitmb=64)
    writer.prepare(body="one text")
    with pytest.raises(ValueError, match="another 'body'"):
        writer.add_document(path="/a", body="another text")
    writer.cancel()
    ix.close()
