"""Markdown, with or without YAML front matter: metadata from the front matter, text from
the rendered document (markup removed), the first heading as title when none is given."""

from __future__ import annotations

from tuibrowser.core.formats.items import FormatError, RawItem
from tuibrowser.core.formats.records import metadata_from
from tuibrowser.core.formats.text import decode


def read_markdown(raw: bytes) -> list[RawItem]:
    import frontmatter
    import yaml
    from markdown_it import MarkdownIt

    text = decode(raw)
    try:
        post = frontmatter.loads(text)
    except (yaml.YAMLError, ValueError) as error:
        raise FormatError(f"front matter is not valid YAML: {str(error).splitlines()[0]}") from None
    meta = metadata_from({str(k): v for k, v in post.metadata.items()})
    paragraphs: list[str] = []
    first_heading: str | None = None
    tokens = MarkdownIt("commonmark").parse(post.content)
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        words = "".join(
            " " if child.type in ("softbreak", "hardbreak") else child.content
            for child in token.children or []
            if child.type in ("text", "code_inline", "softbreak", "hardbreak")
        ).strip()
        if not words:
            continue
        if first_heading is None and index and tokens[index - 1].type == "heading_open":
            first_heading = words
            if not meta.get("title"):
                continue  # the heading becomes the title, not a paragraph
        paragraphs.append(words)
    if not paragraphs:
        raise FormatError("no article text in the Markdown")
    return [
        RawItem(
            "\n\n".join(paragraphs),
            title=meta.get("title") or first_heading,
            date=meta.get("date"),
            source=meta.get("source"),
            byline=meta.get("byline"),
            url=meta.get("url"),
        )
    ]
