"""Markdown, with or without front matter: metadata from the front matter, text from the
rendered document (markup removed), the first heading as title when none is given.

Front matter is untrusted: YAML aliases are refused (an alias "bomb" of nested references
expands a few lines into gigabytes), and its size and nesting are bounded.
"""

from __future__ import annotations

import json
from functools import cache

from tuibrowser.core.formats.items import FormatError, RawItem
from tuibrowser.core.formats.records import MAX_NESTING, metadata_from, parse_json
from tuibrowser.core.formats.text import decode

MAX_FRONT_MATTER_BYTES = 64 * 1024
"""Front matter is a few lines of metadata; more is refused."""


def read_markdown(raw: bytes) -> list[RawItem]:
    from markdown_it import MarkdownIt

    metadata, content = _split_front_matter(decode(raw).strip())
    meta = metadata_from({str(k): v for k, v in metadata.items()})
    paragraphs: list[str] = []
    first_heading: str | None = None
    tokens = MarkdownIt("commonmark").parse(content)
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


def _split_front_matter(text: str) -> tuple[dict, str]:
    """(metadata, the Markdown after it); python-frontmatter finds the front matter (YAML
    between --- lines, or JSON between { and }), and it is read here with the bounds."""
    import frontmatter
    from frontmatter.default_handlers import JSONHandler, YAMLHandler

    handler = frontmatter.detect_format(text, [YAMLHandler(), JSONHandler()])
    if handler is None:
        return {}, text
    try:
        front, content = handler.split(text)
    except ValueError:  # an opening line and no closing one: no front matter
        return {}, text
    if len(front.encode("utf-8", "replace")) > MAX_FRONT_MATTER_BYTES:
        raise FormatError(f"front matter larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB")
    data = _load_json(front) if isinstance(handler, JSONHandler) else _load_yaml(front)
    return (data if isinstance(data, dict) else {}), content.strip()


def _load_yaml(front: str) -> object:
    import yaml

    try:
        return yaml.load(front, Loader=_yaml_loader_class())  # a SafeLoader, restricted further
    except yaml.YAMLError as error:
        raise FormatError(f"front matter is not valid YAML: {str(error).splitlines()[0]}") from None


def _load_json(front: str) -> object:
    try:
        return parse_json(front, "front matter")
    except json.JSONDecodeError as error:
        raise FormatError(f"front matter is not valid JSON: {error.msg}") from None


@cache
def _yaml_loader_class() -> type:
    """yaml.SafeLoader that refuses aliases and deep nesting (built on first use: PyYAML is
    imported only when a Markdown file is read)."""
    import yaml

    class BoundedYamlLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no types
        depth = 0

        def compose_node(self, parent: object, index: object) -> object:
            if self.check_event(yaml.AliasEvent):
                raise FormatError("front matter uses YAML aliases (*name), which are refused")
            self.depth += 1
            try:
                if self.depth > MAX_NESTING:
                    raise FormatError(f"front matter nested more than {MAX_NESTING} levels deep")
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return BoundedYamlLoader
