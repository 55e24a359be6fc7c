"""RSS and Atom feeds: each item an article, from its content or else its description.

The XML is first checked with defusedxml, which refuses entity definitions and external
references, so entity-expansion ("billion laughs") and external-entity (XXE) attacks are
rejected before feedparser reads anything.
"""

from __future__ import annotations

import datetime as dt

from tuibrowser.core.formats.items import FormatError, RawItem


def _check_xml(raw: bytes) -> None:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        fromstring(raw, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise FormatError(
            f"unsafe XML refused ({type(error).__name__}: entity definitions or external references)"
        ) from None
    except ParseError as error:
        raise FormatError(f"malformed XML: {error}") from None


def _text_of(html: str) -> str:
    """Feed content is HTML: keep its text, one paragraph per block."""
    import lxml.html

    if "<" not in html:
        return html.strip()
    try:
        root = lxml.html.fromstring(f"<div>{html}</div>")
    except Exception:  # lxml raises several kinds on odd fragments
        return html
    for element in root.iter("p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote"):
        element.tail = ("\n\n" + element.tail) if element.tail else "\n\n"
    text = root.text_content()
    return "\n\n".join(part.strip() for part in text.split("\n\n") if part.strip())


def read_feed(raw: bytes) -> list[RawItem]:
    _check_xml(raw)
    import feedparser

    feed = feedparser.parse(raw, sanitize_html=True, resolve_relative_uris=False)
    if not feed.entries:
        if feed.bozo:
            raise FormatError(f"not a readable feed: {feed.bozo_exception}")
        raise FormatError("the feed has no items")
    source = feed.feed.get("title") or None
    items = []
    for entry in feed.entries:
        content = entry.get("content")
        html = content[0].get("value") if content else entry.get("summary") or entry.get("description") or ""
        text = _text_of(html or "")
        if not text:
            continue
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        date = dt.date(*parsed[:3]).isoformat() if parsed else None
        items.append(
            RawItem(
                text,
                title=(entry.get("title") or "").strip() or None,
                date=date,
                source=source,
                byline=entry.get("author") or None,
                url=entry.get("link") or None,
            )
        )
    if not items:
        raise FormatError("no feed item has any text")
    return items
