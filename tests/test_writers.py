"""The index written by worker processes (core.writers) is the index one process writes.

Correctness only: the batch size from which the workers are used is lowered so a small
corpus takes that path; how fast it is, is bench/bench_scale.py's business.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from whoosh.index import FileIndex

import tuibrowser.core.indexer as indexer
import tuibrowser.core.writers as writers
from conftest import SAMPLE_CORPUS, SHARED_DATA
from tuibrowser.core.errors import IndexUnwritable
from tuibrowser.core.indexer import sync
from tuibrowser.core.search import search
from tuibrowser.core.store import open_index

POLITICS = SHARED_DATA / "bbc-news" / "bbc" / "politics"
needs_data = pytest.mark.skipif(not POLITICS.is_dir(), reason="../shared/data is not beside the repository")


def _corpus(target: Path, count: int) -> Path:
    """The sample corpus and `count` BBC politics stories."""
    shutil.copytree(SAMPLE_CORPUS, target)
    for path in sorted(POLITICS.glob("*.txt"))[:count]:
        shutil.copy(path, target / f"bbc-{path.name}")
    return target


def _contents(index_dir: Path) -> dict[str, Any]:
    """Everything a reader of the index can see, by article path rather than document number."""
    columns: dict[tuple[str, str], Any]
    ix: FileIndex = open_index(index_dir)
    with ix.reader() as reader:
        paths = {docnum: fields["path"] for docnum, fields in reader.iter_docs()}
        stored = {fields["path"]: fields for _, fields in reader.iter_docs()}
        postings: dict[tuple[str, bytes], list[tuple[str, Any, float]]] = {}
        lengths: dict[tuple[str, str], int] = {}
        for name in reader.indexed_field_names():
            for term in reader.lexicon(name):
                matcher = reader.postings(name, term)
                found = []
                while matcher.is_active():
                    found.append((paths[matcher.id()], matcher.value(), matcher.weight()))
                    matcher.next()
                postings[(name, term)] = sorted(found)
            if reader.schema[name].scorable:
                found_lengths = {(name, p): reader.doc_field_length(d, name) for d, p in paths.items()}
                lengths.update({key: length for key, length in found_lengths.items() if length})
        # Per segment: Whoosh's MultiColumnReader misplaces documents when a segment lacks
        # the column (a segment of undated stories has no `date` column). A document without
        # a value reads as the column's default, whether its segment has the column or not.
        columns = {}
        for leaf, offset in reader.leaf_readers():
            for name in leaf.schema.names():
                if leaf.has_column(name):
                    column = leaf.column_reader(name, translate=False)
                    default = leaf.schema[name].column_type.default_value()
                    found = {(name, paths[offset + d]): column[d] for d in leaf.all_doc_ids()}
                    columns.update({key: value for key, value in found.items() if value != default})
    ix.close()
    return {"stored": stored, "postings": postings, "lengths": lengths, "columns": columns}


def _bookkeeping(index_dir: Path) -> dict[str, list[tuple]]:
    """The rows an import leaves in the bookkeeping, but the files' change times and arrivals."""
    conn = sqlite3.connect(index_dir / "tuibrowser-state.sqlite3")
    try:
        return {
            table: sorted(conn.execute(f"SELECT {columns} FROM {table}").fetchall())
            for table, columns in (
                ("articles", "path, file, hash, slug, id, text_hash, url"),
                ("extractions", "path, record"),
                ("files", "path, size, hash, articles"),
                ("discovered", "key, id, name, type, aliases, base"),
                ("entities", "*"),
                ("spellings", "*"),
            )
        }
    finally:
        conn.close()


@pytest.fixture
def in_workers(monkeypatch) -> list[int]:
    """Every batch written by worker processes; the list of how many documents each such write had."""
    calls: list[int] = []
    real = writers.write_parallel

    def counted(ix, count, build, **kwargs):
        calls.append(count)
        return real(ix, count, build, **kwargs)

    monkeypatch.setattr(indexer, "PARALLEL_WRITE_FROM", 1)
    monkeypatch.setattr(indexer, "parallel_allowed", lambda: True)
    monkeypatch.setattr(indexer, "write_parallel", counted)
    return calls


@needs_data
def test_workers_write_what_one_process_writes(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "corpus", 60)
    sync(corpus, tmp_path / "one")
    calls: list[int] = []
    real = writers.write_parallel
    monkeypatch.setattr(indexer, "PARALLEL_WRITE_FROM", 1)
    monkeypatch.setattr(indexer, "parallel_allowed", lambda: True)
    monkeypatch.setattr(indexer, "write_parallel", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    sync(corpus, tmp_path / "workers")
    assert calls == [65]
    assert _contents(tmp_path / "workers") == _contents(tmp_path / "one")
    assert _bookkeeping(tmp_path / "workers") == _bookkeeping(tmp_path / "one")


def _grow(corpus: Path) -> None:
    """New stories, one changed and one removed: a sync with deletions and additions."""
    for path in sorted(POLITICS.glob("*.txt"))[40:70]:
        shutil.copy(path, corpus / f"bbc-{path.name}")
    (corpus / "bbc-001.txt").write_text("Brown in Brussels\n\nGordon Brown met EU ministers in Zorbaville on Monday.\n")
    (corpus / "bbc-002.txt").unlink()


@needs_data
def test_workers_update_what_one_process_updates(tmp_path, in_workers, monkeypatch):
    corpus = _corpus(tmp_path / "corpus", 40)
    sync(corpus, tmp_path / "workers")
    one = _corpus(tmp_path / "corpus-one", 40)
    _grow(corpus)
    sync(corpus, tmp_path / "workers")
    assert in_workers == [45, 31]
    monkeypatch.setattr(indexer, "PARALLEL_WRITE_FROM", 10**9)
    sync(one, tmp_path / "one")
    _grow(one)
    sync(one, tmp_path / "one")
    assert _bookkeeping(tmp_path / "workers") == _bookkeeping(tmp_path / "one")
    workers, serial = _contents(tmp_path / "workers"), _contents(tmp_path / "one")
    for contents in (workers, serial):  # the added times are the files' (two copies of the corpus)
        for fields in contents["stored"].values():
            fields.pop("added")
        contents["postings"] = {key: found for key, found in contents["postings"].items() if key[0] != "added"}
        contents["columns"] = {key: value for key, value in contents["columns"].items() if key[0] != "added"}
    assert workers == serial
    assert search(tmp_path / "workers", "Zorbaville").total == 1


def test_a_failing_worker_leaves_the_index_as_it_was(corpus, index_dir, in_workers, monkeypatch):
    sync(corpus, index_dir)
    before, kept = _contents(index_dir), _bookkeeping(index_dir)
    (corpus / "extra.txt").write_text("Extra story\n\nAbout zebras in the Caucasus.\n")
    (corpus / "extra-2.txt").write_text("Another story\n\nAbout giraffes in the Caucasus.\n")
    real = indexer._document

    def failing(article, *args):
        if "zebras" in article.text:
            raise ValueError("no zebras")
        return real(article, *args)

    monkeypatch.setattr(indexer, "_document", failing)
    with pytest.raises(writers.WorkerFailed, match="no zebras"):
        sync(corpus, index_dir)
    assert _contents(index_dir) == before
    assert _bookkeeping(index_dir) == kept  # its transaction, begun while the workers wrote, rolled back
    monkeypatch.setattr(indexer, "_document", real)
    report = sync(corpus, index_dir)
    assert report.added == 2
    assert search(index_dir, "zebras").total == 1


def test_a_worker_out_of_disk_is_told_as_an_unwritable_index(corpus, index_dir, in_workers, monkeypatch):
    sync(corpus, index_dir)
    (corpus / "extra.txt").write_text("Extra story\n\nAbout zebras in the Caucasus.\n")

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(indexer, "_document", full)
    with pytest.raises(IndexUnwritable, match="No space left"):
        sync(corpus, index_dir)
    assert search(index_dir, "Zakharova").total == 1


@needs_data
def test_the_collector_runs_again_after_a_batch_written_by_workers(tmp_path, in_workers, monkeypatch):
    """Cyclic garbage collection is off while the workers write (writers.ParallelWrite),
    and on again after, whether the batch was written or failed."""
    import gc

    corpus = _corpus(tmp_path / "corpus", 5)
    sync(corpus, tmp_path / "index")
    assert in_workers and gc.isenabled()

    def failing(*args):
        raise ValueError("no zebras")

    (corpus / "extra.txt").write_text("Extra story\n\nAbout zebras in the Caucasus.\n")
    monkeypatch.setattr(indexer, "_document", failing)
    with pytest.raises(writers.WorkerFailed):
        sync(corpus, tmp_path / "index")
    assert gc.isenabled()
