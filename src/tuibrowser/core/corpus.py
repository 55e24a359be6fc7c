"""Read the corpus folder, the source of truth: find article files and turn them into Articles."""

from __future__ import annotations

import datetime as dt
import email.utils
import errno
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from tuibrowser.core import budget
from tuibrowser.core.article import Article
from tuibrowser.core.cleaning import CLEANER_VERSION, clean_text
from tuibrowser.core.dates import parse_date
from tuibrowser.core.formats import SUFFIXES, FormatError, RawItem, read_items
from tuibrowser.core.walk import MAX_DEPTH, walk

ARTICLE_SUFFIXES = frozenset(SUFFIXES)
"""File kinds the corpus loader reads as articles (see core.formats)."""

MAX_ARTICLE_BYTES = 20 * 1024 * 1024
"""Larger files are refused with a reason (a dump, a video renamed .txt); documented in the README."""

SLUG_MAX_LENGTH = 80


class ArticleError(ValueError):
    """A corpus file cannot be read as an article; the message says why, in one line."""


class ArticleUnreadable(ArticleError):
    """The file could not be read at all (permissions, a vanished file): worth trying again."""


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """An article file found in the corpus, with what a cheap change check needs."""

    path: str
    """Relative to the corpus folder, with POSIX separators."""
    size: int
    mtime_ns: int


def scan(corpus_dir: Path, problems: list[tuple[str, str]] | None = None) -> list[CorpusFile]:
    """List the article files under `corpus_dir`, sorted by path.

    Hidden files and folders are skipped (superseded imports are kept in `.superseded/`),
    and so are symlinks that lead outside the corpus, so a link can never pull a private
    file into the index.

    Args:
        problems: Gets (path, reason) for what cannot be indexed at all: a folder that
            cannot be listed or is nested too deep, a file name that is not UTF-8, a
            symlink loop.
    """
    root = corpus_dir.resolve()
    problems = [] if problems is None else problems
    found: list[CorpusFile] = []

    def unlistable(error: OSError) -> None:
        where = Path(error.filename or root)
        shown = where.relative_to(root).as_posix() if where.is_relative_to(root) else str(where)
        problems.append((f"{shown}/", f"cannot read the folder: {error.strerror or error}"))

    def too_deep(folder: str) -> None:
        problems.append(
            (f"{Path(folder).relative_to(root).as_posix()}/", f"folder nested more than {MAX_DEPTH} levels deep")
        )

    for dirpath, dirnames, filenames in walk(root, unlistable, too_deep=too_deep):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith(".") or Path(name).suffix.lower() not in ARTICLE_SUFFIXES:
                continue
            full = Path(dirpath, name)
            relative = full.relative_to(root).as_posix()
            if not _is_utf8(relative):
                problems.append((relative, "the file name is not valid UTF-8; rename the file to index it"))
                continue
            try:
                if full.is_symlink() and not resolve_link(full).is_relative_to(root):
                    continue
                stat = full.stat()
            except SymlinkLoop:
                problems.append((relative, "symlink loop"))
                continue
            except OSError:
                continue
            found.append(CorpusFile(relative, stat.st_size, stat.st_mtime_ns))
    found.sort(key=lambda f: f.path)
    return found


class SymlinkLoop(OSError):
    """A symlink that leads, through others, back to itself."""


def resolve_link(path: Path) -> Path:
    """`path.resolve()`, with a symlink loop reported as SymlinkLoop (Python 3.11 raises
    RuntimeError for it, 3.13 OSError), so a loop in a folder never stops a batch."""
    try:
        return path.resolve()
    except RuntimeError:
        raise SymlinkLoop(f"symlink loop: {path}") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise SymlinkLoop(f"symlink loop: {path}") from None
        raise


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # os.fsdecode kept undecodable bytes as surrogates
        return False
    return True


def content_hash(raw: bytes) -> str:
    """Hash of the raw bytes and the cleaning rules' version: equal hash, equal Article."""
    digest = hashlib.sha256(CLEANER_VERSION.encode() + b"\0" + raw)
    return digest.hexdigest()[:24]


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
        raise ArticleUnreadable(f"cannot read: {error.strerror or error}") from None


def base_slug(title: str, path: str) -> str:
    """The id an article would get if no other article shared its title."""
    return slugify(title, max_length=SLUG_MAX_LENGTH, word_boundary=True) or slugify(Path(path).stem) or "article"


def parse_articles(raw: bytes, path: str) -> list[Article]:
    """Every article in a corpus file, cleaned; a file of one article keeps its path as the
    article's path, the items of a multi-article file (a feed, a CSV) get "path#n".

    The work runs under a time budget that grows with the file's size (see core.budget).

    Raises:
        ArticleError: when the file holds no readable article, or took longer than its budget.
    """
    try:
        with budget.time_budget(budget.seconds_for(len(raw))):
            articles = _parse(raw, path)
    except FormatError as error:
        raise ArticleError(str(error)) from None
    except budget.OverBudget as error:
        raise ArticleError(str(error)) from None
    if not articles:
        raise ArticleError("no article text after cleaning")
    return articles


def _parse(raw: bytes, path: str) -> list[Article]:
    items = read_items(raw, path)
    budget.check()
    digest = content_hash(raw)
    articles = []
    for number, item in enumerate(items, start=1):
        item_path = path if len(items) == 1 else f"{path}#{number}"
        article = _article(item, item_path, digest if len(items) == 1 else f"{digest}#{number}")
        if article is not None:
            articles.append(article)
    return articles


def parse_article(raw: bytes, path: str) -> Article:
    """The one article of a single-article file (plain text, Markdown, a web page).

    Raises:
        ArticleError: when the file holds no readable article, or several.
    """
    articles = parse_articles(raw, path)
    if len(articles) != 1:
        raise ArticleError(f"holds {len(articles)} articles, not one")
    return articles[0]


def _article(item: RawItem, path: str, digest: str) -> Article | None:
    known = {
        "title": item.title,
        "date": normalize_date(item.date),
        "source": item.source,
        "byline": item.byline,
        "url": item.url,
    }
    cleaned = clean_text(item.text, {k: v for k, v in known.items() if v})
    if not cleaned.paragraphs and not cleaned.title:
        return None
    return Article(
        id=base_slug(cleaned.title, path),
        title=cleaned.title,
        date=cleaned.date,
        source=cleaned.source,
        byline=cleaned.byline,
        url=cleaned.url,
        paragraphs=cleaned.paragraphs,
        path=path,
        content_hash=digest,
        title_derived=cleaned.title_derived,
    )


_ISO_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")


def normalize_date(value: str | None) -> str | None:
    """An ISO date from the forms files state (ISO, RFC 2822, "May 26, 2023"), else None.

    A date that cannot be read is dropped, never guessed.
    """
    if not value:
        return None
    value = value.strip()
    iso = _ISO_PREFIX.match(value)
    if iso:
        try:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3))).isoformat()
        except ValueError:
            return None
    found = parse_date(value)
    if found:
        return found
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def assign_ids(articles: Iterable[tuple[str, str, int | None]]) -> dict[str, str]:
    """Give every article a unique id that depends only on the corpus, not on build order.

    Articles sharing a slug are put in the order they came into the corpus, as far as the
    corpus says: first the files put there by hand (and those imported before imports
    recorded their inputs' paths), by path, as ids were always given; then the imported
    ones, in import order (core.origins). The first keeps the bare slug and each other gets
    a suffix from a hash of its path, so an article that comes in later never takes an id
    from one already there, and ids survive rebuilds and re-orderings.

    Args:
        articles: (path, base slug, import rank) triples: the rank is the place of the
            article's file in import order (`origins.import_order`), None for a file with
            no rank there.

    Returns:
        path -> id.
    """
    groups: dict[str, list[tuple[tuple[int, int, str], str]]] = defaultdict(list)
    for path, slug, rank in articles:
        groups[slug].append(((0, 0, path) if rank is None else (1, rank, path), path))
    ids: dict[str, str] = {}
    for slug, members in groups.items():
        (_, first), *others = sorted(members)
        ids[first] = slug
        for _, path in others:
            ids[path] = f"{slug}-{hashlib.sha1(path.encode()).hexdigest()[:6]}"
    return ids
