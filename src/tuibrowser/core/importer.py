"""Bring the user's own files into the corpus, safely, with a verdict for every input.

Every input ends as imported, updated, duplicate or rejected (with a reason); one bad file
never stops the batch. Originals are copied byte for byte into `corpus/imports/` (each
file written atomically); a file replaced by a newer version is first copied to
`corpus/.superseded/`, so nothing is ever lost. The index is then brought up to date by the
ordinary incremental sync, so imported articles get the same cleaning, entity linking and
discovery as the rest. An import killed at any point leaves whole files only; the next
command syncs the index with them.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from slugify import slugify

from tuibrowser.core.corpus import (
    MAX_ARTICLE_BYTES,
    ArticleError,
    SymlinkLoop,
    content_hash,
    parse_articles,
    resolve_link,
)
from tuibrowser.core.fileio import write_bytes_atomic
from tuibrowser.core.formats import kind_of
from tuibrowser.core.indexer import load_manifest, sync, text_hash
from tuibrowser.core.store import DEFAULT_LOCK_TIMEOUT

IMPORTS_DIR = "imports"
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
    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable.append, followlinks=False):
        while unreadable:
            error = unreadable.pop()
            yield str(error.filename or dirpath), None, f"cannot read the folder: {error.strerror or error}", ""
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
    while unreadable:  # the top folder itself
        error = unreadable.pop()
        yield str(error.filename or folder), None, f"cannot read the folder: {error.strerror or error}", ""


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
    no leading dashes, ASCII), the suffix kept."""
    parts = Path(relative).parts
    folders = [slugify(part, max_length=60) or "folder" for part in parts[:-1]]
    name = Path(parts[-1])
    return "/".join([*folders, f"{slugify(name.stem, max_length=80) or 'file'}{name.suffix.lower()}"])


def _write_atomic(target: Path, raw: bytes) -> None:
    write_bytes_atomic(target, raw)


def _keep_old_version(corpus_dir: Path, relative: str) -> None:
    """Copy a file about to be replaced into .superseded/ (the original bytes stay kept)."""
    source = corpus_dir / relative
    stamp = time.strftime("%Y%m%d-%H%M%S")
    # The old bytes' hash keeps two versions replaced within one second apart.
    digest = content_hash(source.read_bytes())[:8]
    aside = corpus_dir / SUPERSEDED_DIR / f"{stamp}-{digest}-{relative.replace('/', '__')}"
    aside.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, aside)


def import_paths(
    inputs: list[Path],
    corpus_dir: Path,
    index_dir: Path,
    *,
    progress: ImportProgress | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> list[Verdict]:
    """Import files and folders into the corpus and the index; one verdict per input file.

    Raises:
        IndexLocked: another process holds the index (nothing was imported).
        KnowledgeBaseError: entities.toml is malformed (nothing was imported).
    """
    sync(corpus_dir, index_dir, lock_timeout=lock_timeout)  # know exactly what is there
    manifest = load_manifest(index_dir)
    files, articles = manifest.files, manifest.items
    by_hash = {entry.hash: path for path, entry in files.items()}
    by_text = {item.text_hash: item.id for item in articles.values() if item.text_hash}
    by_url: dict[str, str] = {}
    for item in articles.values():
        single = item.file in files and len(files[item.file].articles) == 1
        if item.url and single and item.file.startswith(f"{IMPORTS_DIR}/"):
            by_url[item.url] = item.file

    verdicts: list[Verdict] = []
    found = list(expand(inputs))
    for done, (shown, path, rejection, relative) in enumerate(found, start=1):
        verdict = (
            Verdict(shown, "rejected", reason=rejection)
            if rejection
            else _examine(shown, path, relative, corpus_dir, by_hash, by_text, by_url)
        )
        verdicts.append(verdict)
        if progress:
            progress(done, len(found), shown)

    if any(v.status in ("imported", "updated") for v in verdicts):
        sync(corpus_dir, index_dir, lock_timeout=lock_timeout)
        manifest = load_manifest(index_dir)
        files, articles = manifest.files, manifest.items
        for verdict in verdicts:
            if verdict.status in ("imported", "updated"):
                entry = files.get(verdict.target or "")
                if entry is None:  # the indexer could not read what import could
                    verdict.status, verdict.reason = "rejected", "the indexer could not read it"
                    continue
                verdict.ids = [articles[a].id for a in entry.articles if a in articles]
    return verdicts


def _examine(shown, path: Path, relative: str, corpus_dir: Path, by_hash, by_text, by_url) -> Verdict:
    """Decide one file's fate and, if it is new or newer, keep its original bytes."""
    if kind_of(path.name) is None:
        return Verdict(shown, "rejected", reason=f"unsupported file type ({path.suffix or 'no extension'})")
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            return Verdict(shown, "rejected", reason=f"larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MiB")
        raw = path.read_bytes()
    except OSError as error:
        return Verdict(shown, "rejected", reason=f"cannot read: {error.strerror or error}")
    try:
        parsed = parse_articles(raw, path.name)
    except ArticleError as error:
        return Verdict(shown, "rejected", reason=str(error))

    digest = content_hash(raw)
    if digest in by_hash:
        return Verdict(shown, "duplicate", reason=f"same file as {by_hash[digest]}")
    texts = [text_hash(a.text) for a in parsed]
    if all(t in by_text for t in texts):
        ids = sorted({by_text[t] for t in texts} - {""})  # "" marks an article imported in this batch
        return Verdict(shown, "duplicate", ids=ids, reason="same content as articles already in the corpus")

    target = f"{IMPORTS_DIR}/{safe_name(relative)}"
    status = "imported"
    url = parsed[0].url if len(parsed) == 1 else None
    if (corpus_dir / target).exists():
        status = "updated"  # the same source file, a newer version
    elif url and url in by_url:
        target, status = by_url[url], "updated"  # the same article (same URL), a newer version
    if status == "updated":
        _keep_old_version(corpus_dir, target)
    _write_atomic(corpus_dir / target, raw)
    by_hash[digest] = target
    by_text.update({t: "" for t in texts})
    if url:
        by_url[url] = target
    return Verdict(shown, status, target=target)
