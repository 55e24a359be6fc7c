"""Read the corpus folder, the source of truth: find article files and turn them into Articles."""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from tuibrowser.core.article import Article
from tuibrowser.core.cleaning import CLEANER_VERSION, clean_text

ARTICLE_SUFFIXES = frozenset({".txt"})
"""File kinds the corpus loader reads as articles."""

MAX_ARTICLE_BYTES = 5 * 1024 * 1024
"""Larger files are not articles (a dump, a video renamed .txt); they are skipped with a reason."""

SLUG_MAX_LENGTH = 80


class ArticleError(ValueError):
    """A corpus file cannot be read as an article; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """An article file found in the corpus, with what a cheap change check needs."""

    path: str
    """Relative to the corpus folder, with POSIX separators."""
    size: int
    mtime_ns: int


def scan(corpus_dir: Path) -> list[CorpusFile]:
    """List the article files under `corpus_dir`, sorted by path.

    Hidden files and folders are skipped, and so are symlinks that lead outside the corpus,
    so a link can never pull a private file into the index.
    """
    root = corpus_dir.resolve()
    found: list[CorpusFile] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith(".") or Path(name).suffix.lower() not in ARTICLE_SUFFIXES:
                continue
            full = Path(dirpath, name)
            try:
                if full.is_symlink() and not full.resolve().is_relative_to(root):
                    continue
                stat = full.stat()
            except OSError:
                continue
            found.append(CorpusFile(full.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns))
    found.sort(key=lambda f: f.path)
    return found


def content_hash(raw: bytes) -> str:
    """Hash of the raw bytes and the cleaning rules' version: equal hash, equal Article."""
    digest = hashlib.sha256(CLEANER_VERSION.encode() + b"\0" + raw)
    return digest.hexdigest()[:24]


def decode(raw: bytes) -> str:
    """Decode an article file, refusing what is not text.

    Raises:
        ArticleError: for empty, binary or non-UTF-8 files.
    """
    if not raw.strip():
        raise ArticleError("empty file")
    if b"\0" in raw[:8192]:
        raise ArticleError("binary file (contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleError(f"not valid UTF-8 (byte {error.start})") from None


def read_raw(corpus_dir: Path, path: str) -> bytes:
    """Read one corpus file's bytes, refusing oversized files.

    Raises:
        ArticleError: when the file is too large or cannot be read.
    """
    full = corpus_dir / path
    try:
        if full.stat().st_size > MAX_ARTICLE_BYTES:
            raise ArticleError(f"larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MiB")
        return full.read_bytes()
    except OSError as error:
        raise ArticleError(f"cannot read: {error.strerror or error}") from None


def base_slug(title: str, path: str) -> str:
    """The id an article would get if no other article shared its title."""
    return slugify(title, max_length=SLUG_MAX_LENGTH, word_boundary=True) or slugify(Path(path).stem) or "article"


def parse_article(raw: bytes, path: str, article_id: str | None = None) -> Article:
    """Build an Article from a file's bytes.

    `article_id` is given by the caller once collisions are settled (see `assign_ids`);
    without it the article gets its base slug.

    Raises:
        ArticleError: when the bytes are not a readable article.
    """
    cleaned = clean_text(decode(raw))
    if not cleaned.paragraphs and not cleaned.title:
        raise ArticleError("no article text after cleaning")
    return Article(
        id=article_id or base_slug(cleaned.title, path),
        title=cleaned.title,
        date=cleaned.date,
        source=cleaned.source,
        byline=cleaned.byline,
        url=cleaned.url,
        paragraphs=cleaned.paragraphs,
        path=path,
        content_hash=content_hash(raw),
        title_derived=cleaned.title_derived,
    )


def assign_ids(slugs_by_path: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Give every article a unique id that depends only on the corpus, not on build order.

    Articles sharing a slug are ordered by path; the first keeps the bare slug and each
    other gets a suffix from a hash of its path, so ids survive rebuilds and re-orderings.

    Args:
        slugs_by_path: (path, base slug) pairs.

    Returns:
        path -> id.
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for path, slug in slugs_by_path:
        groups[slug].append(path)
    ids: dict[str, str] = {}
    for slug, paths in groups.items():
        first, *others = sorted(paths)
        ids[first] = slug
        for path in others:
            ids[path] = f"{slug}-{hashlib.sha1(path.encode()).hexdigest()[:6]}"
    return ids
