"""Turn a file of any supported kind into raw article items (text plus stated metadata).

Each kind is read with a library made for it: trafilatura for saved web pages, feedparser
(after a defusedxml safety check) for RSS and Atom, python-frontmatter and markdown-it-py for
Markdown, the standard json and csv modules for records, charset-normalizer for legacy
encodings. Cleaning and ids come afterwards, the same for every kind (corpus.parse_articles).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

# Not `import html`: importing the submodule formats.html rebinds the package's global
# `html` to it (a package's globals are its attributes), which broke decoding after the
# first HTML import in a process.
from html import unescape as _unescape
from pathlib import PurePosixPath
from typing import Any

from tuibrowser.core.formats.items import FormatError, RawItem

SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".csv": "csv",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
"""File suffixes tuibrowser reads as articles, and how."""

__all__ = ["SUFFIXES", "FormatError", "RawItem", "kind_of", "read_items"]


def kind_of(path: str) -> str | None:
    return SUFFIXES.get(PurePosixPath(path).suffix.lower())


def read_items(raw: bytes, path: str) -> list[RawItem]:
    """The article items in a file's bytes.

    Raises:
        FormatError: a one-line reason when the file holds no readable article. The
            libraries that read each kind raise many kinds of errors on hostile files (a
            RecursionError for deep nesting, a parser's own exceptions); every one becomes a
            FormatError here, so one bad file is a verdict, never the end of a batch.
    """
    kind = kind_of(path)
    if kind is None:
        raise FormatError(f"unsupported file type ({PurePosixPath(path).suffix or 'no extension'})")
    if not raw.strip():
        raise FormatError("empty file")
    try:
        items = _reader(kind)(raw)
        return items if kind == "html" else [_decoded(item) for item in items]
    except FormatError:
        raise
    except RecursionError:
        raise FormatError(f"nested too deeply to read as {kind}") from None
    except MemoryError:
        raise FormatError(f"too large to read as {kind} in memory") from None
    except Exception as error:
        raise FormatError(f"cannot be read as {kind} ({type(error).__name__}: {error})") from None


def _reader(kind: str) -> Callable[[bytes], list[RawItem]]:
    """The reader of one kind, imported on first use (the libraries are slow to import)."""
    if kind == "text":
        from tuibrowser.core.formats.text import read_text

        return read_text
    if kind == "markdown":
        from tuibrowser.core.formats.markdown import read_markdown

        return read_markdown
    if kind == "html":
        from tuibrowser.core.formats.html import read_html

        return read_html
    if kind == "feed":
        from tuibrowser.core.formats.feeds import read_feed

        return read_feed
    from tuibrowser.core.formats.records import read_csv, read_json, read_jsonl

    return {"json": read_json, "jsonl": read_jsonl, "csv": read_csv}[kind]


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
"""A character reference with its semicolon: "&#163;", "&#xA3;", "&pound;", "&amp;"."""


def decode_entities(text: str) -> str:
    """Character references turned into the characters they stand for.

    Articles saved from the web as text, and CSV, JSON and feed fields copied out of HTML,
    often carry them ("&#163;1.8m fine", "caf&#233;", a feed's doubly escaped "&amp;#39;").
    Only whole references (with the semicolon) are read, so "AT&T" and "R&D" stay as they
    are; one that names nothing stays too. Web pages are decoded by their reader already.
    """
    for _ in range(2):  # a doubly escaped "&amp;#39;" is an apostrophe too
        if "&" not in text:
            break
        text = _ENTITY.sub(lambda match: _unescape(match.group()), text)
    return text


def _decoded(item: RawItem) -> RawItem:
    # Any: mypy checks a ** argument's value type against every field, `plain: bool` too.
    fields: dict[str, Any] = {
        name: decode_entities(value)
        for name in ("text", "title", "source", "byline")
        if isinstance(value := getattr(item, name), str) and "&" in value
    }
    return replace(item, **fields) if fields else item
