"""The index on disk: incremental sync, rebuild equivalence, locking, killed builds, corruption."""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import types

import pytest

from tuibrowser.core.article import Article
from tuibrowser.core.entities.resolve import Extraction
from tuibrowser.core.indexer import sync
from tuibrowser.core.library import list_articles
from tuibrowser.core.search import search
from tuibrowser.core.store import LOCK_NAME, IndexLocked, index_state, write_lock

QUERIES = ["Lachin Corridor", "ICJ ruling", "Zakharova", "Bayramov", "Russian peacekeepers", "date:2023-05"]


def _results(index_dir):
    return {q: [(h.id, h.score, h.snippet) for h in search(index_dir, q).hits] for q in QUERIES}


def test_first_sync_adds_everything_then_nothing(corpus, index_dir):
    first = sync(corpus, index_dir)
    assert (first.added, first.updated, first.removed, first.unchanged) == (5, 0, 0, 0)
    assert first.rebuilt_because == "no index yet"
    second = sync(corpus, index_dir)
    assert second.summary() == "0 added, 0 updated, 0 removed, 5 unchanged"
    assert index_state(index_dir, corpus) == ("ok", "")


def test_incremental_add_update_remove(corpus, index_dir):
    sync(corpus, index_dir)
    (corpus / "000_449d92beec06ff46.txt").unlink()
    target = next(corpus.glob("004_*.txt"))
    target.write_text(target.read_text(encoding="utf-8") + "\nZakharova added a new remark about Quetzalcoatl.\n")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "new.txt").write_text("Glaciers retreat in the Alps\n\nA new report on glaciers.\n")
    assert index_state(index_dir, corpus)[0] == "stale"
    report = sync(corpus, index_dir)
    assert report.summary() == "1 added, 1 updated, 1 removed, 3 unchanged"
    assert [h.path for h in search(index_dir, "Quetzalcoatl").hits] == [target.name]
    assert [h.path for h in search(index_dir, "glaciers").hits] == ["sub/new.txt"]
    assert search(index_dir, "Akera").total == 0  # only 000 mentioned the Akera River


def test_touching_a_file_without_changing_it_is_unchanged(corpus, index_dir):
    sync(corpus, index_dir)
    path = next(corpus.glob("001_*.txt"))
    os.utime(path, ns=(time.time_ns(), time.time_ns()))
    assert sync(corpus, index_dir).summary() == "0 added, 0 updated, 0 removed, 5 unchanged"


def test_a_sync_leaves_no_reference_cycles_that_hold_its_articles(corpus, index_dir):
    """What a sync held is freed when it returns, not at the cyclic collector's next pass
    (which a large batch pauses): Whoosh's FileStorage.create kept a caught error, and
    with it every caller's frame and their locals, in a cycle (store._Storage). (Whoosh's
    searchers make small cycles of their own, which hold no frame.)"""
    sync(corpus, index_dir)
    (corpus / "new.txt").write_text("Glaciers retreat in the Alps\n\nA new report on glaciers.\n")
    gc.collect()
    gc.disable()
    try:
        assert sync(corpus, index_dir).added == 1  # a writer, a commit, the bookkeeping
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        held = [type(o).__name__ for o in gc.garbage if isinstance(o, (types.FrameType, Article, Extraction))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert held == []


def test_delete_and_rebuild_gives_identical_results(corpus, index_dir, tmp_path):
    sync(corpus, index_dir)
    before = _results(index_dir)
    listing = list_articles(index_dir)
    shutil.rmtree(index_dir)
    sync(corpus, index_dir)
    assert _results(index_dir) == before
    assert list_articles(index_dir) == listing
    report = sync(corpus, index_dir, rebuild=True)
    assert report.added == 5
    assert _results(index_dir) == before


def test_same_title_gets_stable_distinct_ids(corpus, index_dir):
    text = "Shared headline\n\nFirst body.\n"
    (corpus / "b.txt").write_text(text)
    sync(corpus, index_dir)
    (corpus / "a.txt").write_text("Shared headline\n\nSecond body.\n")
    sync(corpus, index_dir)
    ids = {a.path: a.id for a in list_articles(index_dir)}
    assert ids["a.txt"] == "shared-headline"  # first by path keeps the bare slug
    assert ids["b.txt"].startswith("shared-headline-")
    shutil.rmtree(index_dir)
    sync(corpus, index_dir)
    assert {a.path: a.id for a in list_articles(index_dir)} == ids


def test_unreadable_files_are_skipped_with_a_reason(corpus, index_dir):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (corpus / "garbage.txt").write_bytes(bytes(range(1, 256)) * 20)
    (corpus / "latin1.txt").write_bytes("Café crème news\n\nA café opened in the square.".encode("latin-1"))
    report = sync(corpus, index_dir)
    reasons = dict(report.skipped)
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"].startswith("binary file")
    assert reasons["garbage.txt"].startswith("not valid UTF-8")
    assert report.added == 6  # the legacy-encoded file is detected and read
    assert search(index_dir, "crème").hits[0].title == "Café crème news"


def test_second_indexer_waits_then_gives_up(corpus, index_dir):
    sync(corpus, index_dir)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from pathlib import Path
                from tuibrowser.core.store import write_lock
                with write_lock(Path({str(index_dir)!r})):
                    print("locked", flush=True)
                    time.sleep(30)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(IndexLocked, match="another tuibrowser process"):
            sync(corpus, index_dir, lock_timeout=0.5)
        assert 0.4 <= time.monotonic() - started < 5
        # The CLI says so in one line and exits 1.
        cli = subprocess.run(
            [
                sys.executable,
                "-m",
                "tuibrowser",
                "--corpus",
                str(corpus),
                "--index",
                str(index_dir),
                "index",
                "--wait",
                "0.3",
            ],
            capture_output=True,
            text=True,
        )
        assert cli.returncode == 1
        assert cli.stderr.count("\n") == 1 and "gave up after 0.3 s" in cli.stderr
        # Readers are not blocked by the writer's lock.
        assert search(index_dir, "Zakharova").total == 1
    finally:
        holder.kill()
        holder.wait()
    # A killed lock holder leaves no stale lock behind.
    with write_lock(index_dir, timeout=0.5):
        pass
    assert (index_dir / LOCK_NAME).exists()


_KILL_MIDWAY = """
import os, signal, sys
from pathlib import Path
import tuibrowser.core.indexer as indexer
real = indexer._document
count = 0
def dying(*args):
    global count
    count += 1
    if count == int(sys.argv[3]):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args)
indexer._document = dying
indexer.sync(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def _kill_build(corpus, index_dir, after: int) -> None:
    proc = subprocess.run([sys.executable, "-c", _KILL_MIDWAY, str(corpus), str(index_dir), str(after)])
    assert proc.returncode == -signal.SIGKILL


def test_killed_first_build_is_rebuilt(corpus, index_dir):
    _kill_build(corpus, index_dir, after=3)
    assert index_state(index_dir, corpus)[0] in ("missing", "broken")
    report = sync(corpus, index_dir)
    assert report.added == 5 and report.rebuilt_because
    assert search(index_dir, "Zakharova").total == 1


def test_killed_update_leaves_old_index_searchable(corpus, index_dir):
    sync(corpus, index_dir)
    before = _results(index_dir)
    for number in range(40):
        (corpus / f"extra-{number:02}.txt").write_text(f"Extra story {number}\n\nAbout zebras number {number}.\n")
    _kill_build(corpus, index_dir, after=20)
    assert _results(index_dir) == before  # the killed writer's documents never became visible
    report = sync(corpus, index_dir)
    assert report.added == 40 and report.rebuilt_because is None
    assert search(index_dir, "zebras", limit=50).total == 40


def test_corrupt_index_is_detected_and_rebuilt(corpus, index_dir):
    sync(corpus, index_dir)
    for toc in index_dir.glob("_MAIN_*.toc"):
        toc.write_bytes(b"garbage" * 10)
    state, reason = index_state(index_dir, corpus)
    assert state == "broken" and "cannot be read" in reason
    report = sync(corpus, index_dir)
    assert report.rebuilt_because and report.added == 5
    assert search(index_dir, "Zakharova").total == 1


def test_foreign_folder_is_rebuilt_without_deleting_unrelated_files(corpus, index_dir):
    index_dir.mkdir()
    (index_dir / "notes.md").write_text("my notes")
    (index_dir / "MAIN_WRITELOCK").write_text("")
    (index_dir / "_MAIN_1.toc").write_bytes(b"not whoosh")
    report = sync(corpus, index_dir)
    assert report.rebuilt_because
    assert (index_dir / "notes.md").read_text() == "my notes"
    assert search(index_dir, "Zakharova").total == 1


def test_index_of_other_version_is_rebuilt(corpus, index_dir):
    sync(corpus, index_dir)
    marker = index_dir / "tuibrowser-index.json"
    data = json.loads(marker.read_text())
    data["schema"] = -1
    marker.write_text(json.dumps(data))
    assert index_state(index_dir, corpus)[0] == "broken"
    assert sync(corpus, index_dir).rebuilt_because


def test_progress_reports_reading_then_indexing(corpus, index_dir):
    calls = []
    sync(corpus, index_dir, progress=lambda phase, done, total: calls.append((phase, done, total)))
    assert calls[0][0] == "reading" and calls[-1] == ("indexing", 5, 5)
    assert ("reading", 5, 5) in calls
    calls.clear()
    sync(corpus, index_dir, progress=lambda phase, done, total: calls.append((phase, done, total)))
    assert calls == [("reading", 5, 5)]  # nothing to write, nothing claimed
