"""Articles as records: JSON (an object or an array of objects), JSON Lines, CSV with a header.

Field names, case-insensitive, with accepted synonyms (documented in the README):
text: text, body, content, description, summary · title: title, headline · date: date,
published, pubdate, published_at, datetime · source: source, site, publisher · url: url, link ·
byline: byline, author, authors.
"""

from __future__ import annotations

import csv
import io
import json

from tuibrowser.core.formats.items import FormatError, RawItem
from tuibrowser.core.formats.text import decode

FIELDS = {
    "text": ("text", "body", "content", "description", "summary"),
    "title": ("title", "headline"),
    "date": ("date", "published", "pubdate", "published_at", "datetime"),
    "source": ("source", "site", "publisher"),
    "url": ("url", "link"),
    "byline": ("byline", "author", "authors"),
}

MAX_RECORDS = 100_000
"""More records than this in one file is not a batch of articles; refused with a message."""

MAX_NESTING = 32
"""Deeper JSON (or Markdown front matter) is refused: articles are flat records, and
Python's parsers and printers recurse, so 100,000 levels would stop the whole batch."""


def check_nesting(data: object, where: str) -> None:
    """Refuse data nested deeper than MAX_NESTING (walked without recursion).

    Raises:
        FormatError: naming `where`.
    """
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            raise FormatError(f"{where} nested more than {MAX_NESTING} levels deep")
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def parse_json(text: str, where: str) -> object:
    """json.loads, with nesting bounded and every failure a FormatError."""
    try:
        data = json.loads(text)
    except RecursionError:  # the C parser gives up near Python's recursion limit
        raise FormatError(f"{where} nested more than {MAX_NESTING} levels deep") from None
    check_nesting(data, where)
    return data


def _plain(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v is not None)
    text = str(value).strip()
    return text or None


def metadata_from(record: dict) -> dict[str, str]:
    """The known fields of a record, by their first present synonym."""
    lowered = {str(key).strip().lower(): value for key, value in record.items()}
    found: dict[str, str] = {}
    for field, names in FIELDS.items():
        for name in names:
            value = _plain(lowered.get(name))
            if value:
                found[field] = value
                break
    return found


def _items(records: list, where: str) -> list[RawItem]:
    if len(records) > MAX_RECORDS:
        raise FormatError(f"more than {MAX_RECORDS} records in one file")
    items = []
    for record in records:
        if not isinstance(record, dict):
            raise FormatError(f"{where}: expected objects with fields such as title and text")
        meta = metadata_from(record)
        if "text" not in meta:
            continue
        items.append(
            RawItem(
                meta["text"],
                title=meta.get("title"),
                date=meta.get("date"),
                source=meta.get("source"),
                byline=meta.get("byline"),
                url=meta.get("url"),
            )
        )
    if not items:
        raise FormatError(f"{where}: no record has a text field (text, body, content or description)")
    return items


def read_json(raw: bytes) -> list[RawItem]:
    try:
        data = parse_json(decode(raw), "JSON")
    except json.JSONDecodeError as error:
        raise FormatError(f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise FormatError("JSON must be an object or an array of objects")
    return _items(data, "JSON")


def read_jsonl(raw: bytes) -> list[RawItem]:
    records = []
    for number, line in enumerate(decode(raw).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(parse_json(line, f"JSON on line {number}"))
        except json.JSONDecodeError as error:
            raise FormatError(f"malformed JSON on line {number}: {error.msg}") from None
    return _items(records, "JSON Lines")


def read_csv(raw: bytes) -> list[RawItem]:
    text = decode(raw)
    # A whole article may sit in one cell; the csv module refuses fields over 128 KiB unless
    # told otherwise (a process-wide setting, only ever raised here, to the file's size).
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = reader.fieldnames or []
        known = {name for names in FIELDS.values() for name in names}
        if not any(str(name).strip().lower() in known for name in header):
            raise FormatError("CSV needs a header row naming the fields (title, text, date, ...)")
        records = []
        for row in reader:
            if None in row:  # more cells than header names
                raise FormatError(f"CSV line {reader.line_num} has more cells than the header")
            records.append(row)
    except csv.Error as error:
        raise FormatError(f"malformed CSV: {error}") from None
    return _items(records, "CSV")
