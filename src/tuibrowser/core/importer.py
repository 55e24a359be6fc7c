"""Bring the user's own files into the corpus, safely, with a verdict for every input.

Every input ends as imported, updated, duplicate or rejected (with a reason); one bad file
never stops the batch. Originals are copied byte for byte into `corpus/imports/` (each
file written atomically, with the original's permissions) under names that never collide:
`imports/.origins.jsonl` records which file each copy came from (core.origins), so a copy
is replaced ("updated") only by a newer version of the same file, or of the same article
(a single-article file with the same URL). A replaced file is first copied to
`corpus/.superseded/`, so nothing is ever lost. The index is then brought up to date by
the ordinary incremental sync, so imported articles get the same cleaning, entity linking
and discovery as the rest; the index's lock is held throughout, so no other indexer comes
between. An import killed at any point leaves whole files only; the next command syncs the
index with them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from slugify import slugify

from tuibrowser.core.article import Article
from tuibrowser.core.bookkeeping import Bookkeeping
from tuibrowser.core.corpus import (
    MAX_ARTICLE_BYTES,
    ArticleError,
    SymlinkLoop,
    content_hash,
    parse_articles,
    resolve_link,
)
from tuibrowser.core.derive import (
    PARALLEL_FROM,
    Parsed,
    collection_paused,
    extract_within_budget,
    parallel_allowed,
    pool_context,
    workers,
)
from tuibrowser.core.entities import gazetteer
from tuibrowser.core.entities.kb import KnowledgeBase, load_kb
from tuibrowser.core.entities.pipeline import EntityExtractor
from tuibrowser.core.entities.resolve import Extraction
from tuibrowser.core.fileio import write_bytes_atomic
from tuibrowser.core.formats import kind_of
from tuibrowser.core.indexer import sync_locked, text_hash
from tuibrowser.core.origins import IMPORTS_DIR, append_origin, read_origins
from tuibrowser.core.store import DEFAULT_LOCK_TIMEOUT, IndexProblem, write_lock
from tuibrowser.core.walk import MAX_DEPTH, walk

SUPERSEDED_DIR = ".superseded"

ImportProgress = Callable[[int, int, str], None]
"""progress(done, total, path) after each input file is examined."""


@dataclass
class Verdict:
    """What happened to one input file."""

    path: str
    status: str
    """"imported", "updated", "duplicate" or "rejected"."""
    ids: list[str] = field(default_factory=list)
    reason: str | None = None
    target: str | None = None
    """Where the original was kept, relative to the corpus folder."""


def expand(inputs: list[Path]) -> Iterator[tuple[str, Path | None, str | None, str]]:
    """(shown path, file, rejection, name in the corpus) for every file the inputs name,
    directories recursively (a folder keeps its layout: politics/001.txt stays apart from
    business/001.txt).

    Hidden files and folders inside a directory are passed over. A symlink that leads
    outside the tree it was found in is refused, so a link cannot pull in private files; a
    symlink loop and a folder that cannot be listed get a verdict of their own.
    """
    for given in inputs:
        shown = str(given)
        if not given.exists() and not given.is_symlink():
            yield shown, None, "no such file or directory", ""
            continue
        if given.is_dir() and not given.is_symlink():
            yield from _walk(given)
        else:
            yield from _one(shown, given, given.parent.resolve(), given.name)


def _walk(folder: Path) -> Iterator[tuple[str, Path | None, str | None, str]]:
    root = folder.resolve()
    unreadable: list[OSError] = []
    too_deep: list[str] = []
    for dirpath, dirnames, filenames in walk(folder, unreadable.append, too_deep=too_deep.append):
        while unreadable:
            problem = unreadable.pop()
            yield str(problem.filename or dirpath), None, f"cannot read the folder: {problem.strerror or problem}", ""
        while too_deep:
            yield too_deep.pop(), None, f"folder nested more than {MAX_DEPTH} levels deep", ""
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for link in [d for d in dirnames if Path(dirpath, d).is_symlink()]:
            dirnames.remove(link)  # followed through its target when that is inside the tree
            try:
                inside = resolve_link(Path(dirpath, link)).is_relative_to(root)
            except OSError as error:
                yield str(Path(dirpath, link)), None, _link_problem(error), ""
                continue
            if not inside:
                yield str(Path(dirpath, link)), None, "symlink leads outside the imported folder", ""
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath, name)
            relative = (Path(root.name) / path.relative_to(folder)).as_posix()
            yield from _one(str(path), path, root, relative)
    while unreadable:  # the top folder itself, or the last one listed
        problem = unreadable.pop()
        yield str(problem.filename or folder), None, f"cannot read the folder: {problem.strerror or problem}", ""
    while too_deep:
        yield too_deep.pop(), None, f"folder nested more than {MAX_DEPTH} levels deep", ""


def _one(shown: str, path: Path, root: Path, relative: str) -> Iterator[tuple[str, Path | None, str | None, str]]:
    if path.is_symlink():
        try:
            target = resolve_link(path)
        except OSError as error:
            yield shown, None, _link_problem(error), relative
            return
        if not target.is_relative_to(root):
            yield shown, None, "symlink leads outside the imported folder", relative
            return
        if not target.exists():
            yield shown, None, "broken symlink", relative
            return
    if not path.is_file():
        yield shown, None, "not a regular file", relative
        return
    yield shown, path, None, relative


def _link_problem(error: OSError) -> str:
    return "symlink loop" if isinstance(error, SymlinkLoop) else f"cannot follow the symlink: {error.strerror or error}"


def safe_name(relative: str) -> str:
    """A corpus path for an imported file: each folder and the stem slugged (no spaces,
    no leading dashes, ASCII), the suffix kept. Different names can share one ("a b.txt",
    "a_b.txt"); `_Batch.target_for` makes the final name unique."""
    parts = Path(relative).parts
    folders = [slugify(part, max_length=60) or "folder" for part in parts[:-1]]
    name = Path(parts[-1])
    return "/".join([*folders, f"{slugify(name.stem, max_length=80) or 'file'}{name.suffix.lower()}"])


class ImportIncomplete(IndexProblem):
    """Files were copied into the corpus but the index could not be brought up to date (a
    full disk, a read-only index). The copies are whole; the next command indexes them."""

    def __init__(self, verdicts: list[Verdict], error: Exception):
        super().__init__(f"the files were copied into the corpus but not indexed yet: {_one_line(error)}")
        self.verdicts = verdicts


def import_paths(
    inputs: list[Path],
    corpus_dir: Path,
    index_dir: Path,
    *,
    progress: ImportProgress | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> list[Verdict]:
    """Import files and folders into the corpus and the index; one verdict per input file.

    The index's write lock is held from the first look at the index to the last write, so
    no other indexer (a rebuild) can come between copying files and indexing them.

    Args:
        lock_timeout: Seconds to wait for another indexer before giving up.

    Raises:
        IndexLocked: another process kept the index for `lock_timeout` seconds (nothing
            was imported).
        IndexUnwritable: the index cannot be written (nothing was imported).
        KnowledgeBaseError: entities.toml is malformed (nothing was imported).
        ImportIncomplete: the copies were made but could not be indexed; it carries the
            verdicts.
    """
    kb = load_kb(corpus_dir)
    with write_lock(index_dir, lock_timeout):
        remove_stale_copies(corpus_dir)
        sync_locked(corpus_dir, index_dir, kb)  # know exactly what is there
        found = list(expand(inputs))
        paths = [path for _, path, rejection, _ in found if path is not None and not rejection]
        read = _Reading(paths, kb)  # (reads nothing until asked)
        db = Bookkeeping.open(index_dir)
        with collection_paused(read.in_workers):
            try:
                batch = _Batch(corpus_dir, db)
                given: list[Verdict | None] = [None] * len(found)
                try:
                    order = read.order([None if rejection else path for _, path, rejection, _ in found])
                    for done, number in enumerate(order, start=1):
                        shown, path, rejection, relative = found[number]
                        if rejection or path is None:
                            given[number] = Verdict(shown, "rejected", reason=rejection)
                        else:
                            given[number] = batch.examine(shown, path, relative, read.get(path))
                        if progress:
                            progress(done, len(found), shown)
                except Exception as error:  # a reading process died: what was copied is whole
                    examined = [v for v in given if v is not None]
                    if any(v.status in ("imported", "updated") for v in examined):
                        raise ImportIncomplete(examined, error) from error
                    raise
                finally:
                    read.close()
                verdicts = [v for v in given if v is not None]
                if any(v.status in ("imported", "updated") for v in verdicts):
                    os.sync()  # the copies and their origins, flushed once (see _write_atomic)
                    try:
                        _index_copies(corpus_dir, index_dir, kb, verdicts, batch, db)
                    except (IndexProblem, OSError) as error:
                        raise ImportIncomplete(verdicts, error) from None
            finally:
                db.close()
    return verdicts


@dataclass
class _Input:
    """An input file as read and parsed (before its fate is decided), or why not."""

    mode: int = 0
    raw: bytes = b""
    articles: list[Article] = field(default_factory=list)
    rejection: str | None = None
    extractions: list[Extraction] | None = None
    """The articles' entity extractions, when read in a worker process (see `_Reading`)."""


def _read_input(path: Path) -> _Input:
    """Read and parse one input (the same checks, in the same order, as always)."""
    if kind_of(path.name) is None:
        return _Input(rejection=f"unsupported file type ({path.suffix or 'no extension'})")
    try:
        info = path.stat()
        if info.st_size > MAX_ARTICLE_BYTES:
            return _Input(rejection=f"larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MiB")
        raw = path.read_bytes()
    except OSError as error:
        return _Input(rejection=f"cannot read: {error.strerror or error}")
    try:
        return _Input(info.st_mode, raw, parse_articles(raw, path.name))
    except ArticleError as error:
        return _Input(rejection=str(error))
    except Exception as error:  # a parser's own failure on hostile input: this file only
        return _Input(rejection=f"cannot be parsed ({type(error).__name__})")


class _Reading:
    """The inputs being read, each given back when asked for (`get`), as soon as it is
    read: the caller examines (and copies) the first inputs while the others are read.

    A large batch is read in worker processes, one per core, which also extract the
    articles' entities while they hold them (so the sync does not send every article to
    another pool and back; an input found to be a duplicate wastes its extraction).
    Parsing, cleaning and extraction are most of the work before indexing.
    """

    def __init__(self, paths: list[Path], kb: KnowledgeBase) -> None:
        self._read: dict[Path, _Input] = {}
        self._wanted = Counter(paths)
        """How many more times each input will be asked for: kept until the last."""
        self.in_workers = parallel_allowed() and len(paths) >= PARALLEL_FROM
        """Whether the inputs are read by worker processes (a large batch, from the CLI)."""
        self._large = _large_first(list(dict.fromkeys(paths))) if self.in_workers else []
        """The large inputs, read first, largest first."""
        self._coming: Generator[tuple[Path, _Input], None, None] | None = (
            _read_in_workers(paths, self._large, kb) if self.in_workers else None
        )

    def order(self, paths: list[Path | None]) -> list[int]:
        """The order to examine the inputs in (positions in `paths`; None: not read).

        The order they are given in, except in a large batch, whose large inputs are read
        first (`_read_in_workers`) and so examined first: examined in the order given, the
        first small input would wait for every large one, and the examining (hashes,
        copies) would pile up after the reading instead of going on beside it. The order is
        the same on every run (sizes, then the order given), so which of two copies of one
        article is kept does not depend on timing.
        """
        numbers = list(range(len(paths)))
        rank = {path: place for place, path in enumerate(self._large)}
        first = sorted((n for n in numbers if paths[n] in rank), key=lambda n: rank[paths[n]])  # type: ignore[index]
        return first + [n for n in numbers if paths[n] not in rank]

    def get(self, path: Path) -> _Input:
        """The input as read and parsed (waiting for it); asked for once per time given."""
        read = self._read.get(path)
        if read is None:
            if self._coming is None:
                read = self._read[path] = _read_input(path)
            else:
                for done, read in self._coming:
                    self._read[done] = read
                    if done == path:
                        break
                else:
                    raise KeyError(path)  # (not among the paths given)
        self._wanted[path] -= 1
        if self._wanted[path] <= 0:
            del self._read[path]
        return read

    def close(self) -> None:
        """Stop reading (the workers, if any, are stopped)."""
        if self._coming is not None:
            self._coming.close()
        self._read.clear()


READ_CHUNK = 8
"""Inputs a reading worker takes at a time: fewer round trips than one by one."""

LARGE_INPUT = 256 * 1024
"""Inputs of this size or more (a CSV of thousands of rows) are read first, so one of them
does not run alone at the end of the batch."""


def _read_in_workers(
    paths: list[Path], large: list[Path], kb: KnowledgeBase
) -> Generator[tuple[Path, _Input], None, None]:
    from concurrent.futures import ProcessPoolExecutor

    alone = set(large)
    small = [p for p in dict.fromkeys(paths) if p not in alone]
    gazetteer.preload()  # (the workers are forked: they inherit it)
    pool = ProcessPoolExecutor(workers(), mp_context=pool_context(), initializer=_start_reader, initargs=(kb,))
    try:
        # The large ones each on their own (a chunk of them would go to one worker).
        each = pool.map(_read_and_extract, large)
        chunked = pool.map(_read_and_extract, small, chunksize=READ_CHUNK)  # (both submitted now)
        yield from zip(large, each, strict=True)
        yield from zip(small, chunked, strict=True)
    finally:  # stopped early (an error while examining): the inputs not begun are not read
        pool.shutdown(wait=True, cancel_futures=True)


def _large_first(paths: list[Path]) -> list[Path]:
    """The inputs of LARGE_INPUT bytes or more, largest first (the order given among equals)."""
    sizes = {path: _size(path) for path in paths}
    return sorted((p for p in paths if sizes[p] >= LARGE_INPUT), key=sizes.__getitem__, reverse=True)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # _read_input says why


_extractor: EntityExtractor | None = None
"""A reading worker's extractor (see `_Reading`)."""


def _start_reader(kb: KnowledgeBase) -> None:
    global _extractor
    _extractor = EntityExtractor(kb)


def _read_and_extract(path: Path) -> _Input:
    read = _read_input(path)
    if read.rejection is None and _extractor is not None:
        try:
            read.extractions = extract_within_budget(read.raw, read.articles, _extractor)
        except Exception as error:  # as in _read_input: this file only
            return _Input(rejection=f"cannot be parsed ({type(error).__name__})")
    return read


def _index_copies(
    corpus_dir: Path, index_dir: Path, kb: KnowledgeBase, verdicts: list[Verdict], batch: _Batch, db: Bookkeeping
) -> None:
    """Index the copied files; a copy the indexer gives up on is taken back out of the corpus
    (its original is where it came from) and its verdict says why."""
    report = sync_locked(corpus_dir, index_dir, kb, parsed=batch.parsed)
    # Freed now, while the collector is still paused for a large batch (import_paths): held
    # until it resumes, the millions of objects parsed would all be walked by its first
    # pass, which finds nothing to free (0.26 s at 29,000 articles).
    batch.parsed.clear()
    reasons = dict(report.skipped)
    withdrawn = False
    with db.reading():
        for verdict in verdicts:
            if verdict.status not in ("imported", "updated"):
                continue
            row = db.conn.execute("SELECT articles FROM files WHERE path = ?", (verdict.target or "",)).fetchone()
            if row is None:
                batch.withdraw(verdict)
                verdict.status = "rejected"
                verdict.reason = reasons.get(verdict.target or "", "the indexer could not read it")
                withdrawn = True
                continue
            articles = json.loads(row[0])
            ids = dict(db.rows_in("SELECT path, id FROM articles WHERE path IN ({})", articles))
            verdict.ids = [ids[a] for a in articles if a in ids]
    if withdrawn:
        sync_locked(corpus_dir, index_dir, kb)


_COPY_TEMP = re.compile(r"^\..+\.[0-9a-z_]{8}\.tmp$")
"""fileio.write_bytes_atomic's temporary files."""


def remove_stale_copies(corpus_dir: Path) -> None:
    """Delete the temporary files of copies an interrupted import left in `imports/`.

    Call it holding the write lock: no import is then at work.
    """
    for folder, _, names in walk(corpus_dir / IMPORTS_DIR, lambda error: None):
        for name in names:
            if _COPY_TEMP.match(name):
                Path(folder, name).unlink(missing_ok=True)


class _Batch:
    """What the corpus already holds, updated as files are examined: the copies' hashes and
    texts (duplicates), URLs (new versions of one article), and which file each copy came
    from (so "updated" is said only of the same file)."""

    def __init__(self, corpus_dir: Path, db: Bookkeeping):
        self.corpus_dir = corpus_dir
        self.db = db
        self.by_hash: dict[str, str] = {}
        """Copies made in this batch: content hash -> target (the index knows the rest)."""
        self.by_text: dict[str, str] = {}
        """Texts of this batch's copies: text hash -> "" (their ids are not known yet)."""
        self.by_url: dict[str, str] = {}
        self.origins = read_origins(corpus_dir)
        self.aside: dict[str, Path] = {}
        """target -> where its previous version was kept, for a copy replaced in this batch."""
        self.parsed: dict[str, Parsed] = {}
        """content hash -> (name parsed under, articles, extractions or None) of the copies,
        so the indexer does not parse them (or extract their entities) again."""
        self._indexed = db.conn.execute("SELECT 1 FROM files LIMIT 1").fetchone() is not None
        """Whether the index held any file when the batch began (else, importing into an
        empty index, nothing is asked of it: 30,000 queries for 29,000 articles)."""

    # What the index already holds, asked row by row.

    def _file_with_hash(self, digest: str) -> str | None:
        if digest in self.by_hash or not self._indexed:
            return self.by_hash.get(digest)
        row = self.db.conn.execute("SELECT path FROM files WHERE hash = ? ORDER BY path DESC", (digest,)).fetchone()
        return row[0] if row else None

    def _id_with_text(self, digest: str) -> str | None:
        if digest in self.by_text or not self._indexed:
            return self.by_text.get(digest)
        row = self.db.conn.execute(
            "SELECT id FROM articles WHERE text_hash = ? ORDER BY path DESC", (digest,)
        ).fetchone()
        return row[0] if row else None

    def _file_with_url(self, url: str) -> str | None:
        """The imported single-article file holding an article with this URL."""
        if url in self.by_url or not self._indexed:
            return self.by_url.get(url)
        rows: list[tuple[str, str]] = self.db.conn.execute(
            "SELECT a.file, f.articles FROM articles a JOIN files f ON f.path = a.file WHERE a.url = ?"
            " ORDER BY a.path DESC",
            (url,),
        ).fetchall()
        for file, articles in rows:
            if file.startswith(f"{IMPORTS_DIR}/") and len(json.loads(articles)) == 1:
                return file
        return None

    def examine(self, shown: str, path: Path, relative: str, read: _Input | None = None) -> Verdict:
        """Decide one file's fate and, if it is new or newer, keep its original bytes."""
        read = read if read is not None else _read_input(path)
        if read.rejection is not None:
            return Verdict(shown, "rejected", reason=read.rejection)
        raw, parsed = read.raw, read.articles

        digest = content_hash(raw)
        same_file = self._file_with_hash(digest)
        if same_file is not None:
            return Verdict(shown, "duplicate", reason=f"same file as {same_file}")
        texts = [text_hash(a.text) for a in parsed]
        known = {t: self._id_with_text(t) for t in texts}
        if all(known[t] is not None for t in texts):
            ids = sorted({i for i in known.values() if i})  # "" marks an article imported in this batch
            return Verdict(shown, "duplicate", ids=ids, reason="same content as articles already in the corpus")

        url = parsed[0].url if len(parsed) == 1 else None
        try:
            source = _source_of(path)
            target, status = self.target_for(relative, source), "imported"
            same_url = self._file_with_url(url) if url and names_a_page(url) else None
            if (self.corpus_dir / target).exists():
                status = "updated"  # the same file, a newer version
            elif same_url is not None:
                target, status = same_url, "updated"  # the same article (same URL), a newer version
            self._copy(target, relative, source, raw, read.mode, replacing=status == "updated")
        except OSError as error:
            return Verdict(shown, "rejected", reason=f"cannot copy into the corpus: {error.strerror or error}")
        self.by_hash[digest] = target
        self.by_text.update({t: "" for t in texts})
        if url:
            self.by_url[url] = target
        self.parsed[digest] = (path.name, parsed, read.extractions)
        return Verdict(shown, status, target=target)

    def target_for(self, relative: str, source: str) -> str:
        """The corpus path for the input file `source` (named `relative`): the copy made of
        the same file before, if it is still there; else its safe name, else (a name another
        input has, or had) the safe name with a hash of `source`, so "a b.txt", "a-b.txt",
        "a_b.txt", "Case.txt" and "case.txt", or d1/report.txt and d2/report.txt, never
        replace each other. A name an origin record claims, or a file holds, is taken.

        A file whose earlier copy is gone from the corpus comes in again as new, under a
        new name: it then comes last in import order (see `corpus.assign_ids`), as a file
        new to the corpus does, and takes no article's id."""
        before = self.origins.targets.get(source)
        if before is not None and (self.corpus_dir / before).exists():
            return before
        target = f"{IMPORTS_DIR}/{safe_name(relative)}"
        stem, suffix = target[: -len(Path(target).suffix) or None], Path(target).suffix
        digest = hashlib.sha256(source.encode("utf-8", "surrogateescape")).hexdigest()
        for length in (0, 8, 16, 64):
            candidate = f"{stem}-{digest[:length]}{suffix}" if length else target
            if not self._taken(candidate):
                return candidate
        raise OSError(f"no free name for {relative}")  # 64 hex digits of SHA-256 taken: never

    def _taken(self, target: str) -> bool:
        return target in self.origins.names or (self.corpus_dir / target).exists()

    def _copy(self, target: str, relative: str, source: str, raw: bytes, mode: int, *, replacing: bool) -> None:
        """Record where the copy comes from, keep the version it replaces, then write it.

        A copy updated from another file (the same URL) gets a record naming that file too,
        so importing it again finds this copy."""
        if self.origins.targets.get(source) != target:
            if target not in self.origins.names:
                self.origins.names[target] = relative
            self.origins.targets[source] = target
            append_origin(self.corpus_dir, target, relative, source)
        if replacing:
            self.aside[target] = _keep_old_version(self.corpus_dir, target)
        # The original's permissions, readable by its owner (so the indexer can read it).
        _write_atomic(self.corpus_dir / target, raw, mode=stat.S_IMODE(mode) | stat.S_IRUSR)

    def withdraw(self, verdict: Verdict) -> None:
        """Take a copy back out of the corpus: an update gets the version it replaced back."""
        target = self.corpus_dir / (verdict.target or "")
        kept = self.aside.get(verdict.target or "")
        if verdict.status == "updated" and kept is not None:
            write_bytes_atomic(target, kept.read_bytes(), mode=stat.S_IMODE(kept.stat().st_mode))
        else:
            target.unlink(missing_ok=True)


def _write_atomic(target: Path, raw: bytes, mode: int | None = None) -> None:
    """Every copy into the corpus goes through here (a test kills an import at the n-th).

    Atomic (a killed import leaves whole files only) but flushed to disk once for the whole
    batch (`import_paths` calls os.sync() before indexing): two fsyncs per file were ten
    seconds of a 2,000-file import."""
    write_bytes_atomic(target, raw, mode=mode, durable=False)


def _keep_old_version(corpus_dir: Path, relative: str) -> Path:
    """Copy a file about to be replaced into .superseded/ (the original bytes stay kept)."""
    source = corpus_dir / relative
    stamp = time.strftime("%Y%m%d-%H%M%S")
    # The old bytes' hash keeps two versions replaced within one second apart.
    digest = content_hash(source.read_bytes())[:8]
    aside = corpus_dir / SUPERSEDED_DIR / f"{stamp}-{digest}-{relative.replace('/', '__')}"
    aside.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, aside)
    return aside


def _source_of(path: Path) -> str:
    """What makes two inputs the same file: the resolved absolute path (a symlink counts as
    the file it leads to; `expand` has refused loops and links leading outside)."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())


def names_a_page(url: str) -> bool:
    """Whether `url` can stand for one article: an address with a path or a query, not a
    site's home page (some pages give their site's address as their own, and two articles
    of one site must not be taken for versions of each other)."""
    parts = urlsplit(url.strip())
    return bool(parts.netloc and (parts.path.strip("/") or parts.query))


def _one_line(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return str(error).splitlines()[0] if str(error) else type(error).__name__
