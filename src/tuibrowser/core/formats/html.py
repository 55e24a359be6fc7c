"""Saved web pages: the article body and its metadata, by trafilatura.

Navigation, scripts, styles, ads, cookie banners, comments and related-article lists are
left out by trafilatura's main-content extraction (favouring precision); the title, author,
date, site name and canonical URL come from the page's own metadata.
"""

from __future__ import annotations

from tuibrowser.core.formats.items import FormatError, RawItem
from tuibrowser.core.formats.text import decode

MIN_BODY_CHARS = 80
"""A page whose extracted body is shorter holds no article (a login page, an index)."""


def read_html(raw: bytes) -> list[RawItem]:
    import trafilatura

    html = decode(raw)
    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    if document is None:
        raise FormatError("no article body found in the page")
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = (data.get("text") or "").strip()
    if len(text) < MIN_BODY_CHARS:
        raise FormatError("no article body found in the page")
    # trafilatura puts one paragraph per line; the corpus separates them by blank lines.
    body = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    return [
        RawItem(
            body,
            title=data.get("title") or None,
            date=data.get("date") or None,
            source=data.get("sitename") or data.get("hostname") or None,
            byline=data.get("author") or None,
            url=data.get("url") or None,
        )
    ]
