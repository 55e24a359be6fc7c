"""The `--json` shapes the README documents are exactly what the commands print.

The README's key lists are parsed (not copied here), so the documentation and the output
cannot drift apart: a key renamed, dropped or added without documenting it fails here.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO
from tuibrowser.cli import main

README = (REPO / "README.md").read_text(encoding="utf-8")


def documented_shapes() -> dict[str, object]:
    """command -> a skeleton of its documented JSON (dicts of keys; one item per list)."""
    section = README.split("### JSON", 1)[1].split("\nDates are ISO", 1)[0]
    shapes: dict[str, object] = {}
    for bullet in section.split("\n- ")[1:]:
        command = re.match(r"`([a-z]+(?: [a-z|]+)*)", bullet).group(1)  # "entity", "watch list", ...
        spans = [s for s in re.findall(r"`([^`]*)`", bullet.replace("\n  ", " ")) if s[:1] in "{[" or s.startswith('"')]
        shape = _skeleton(spans[0])
        for extra in spans[1:]:  # `show`: "It also has `"entities": [...]`"
            if extra.startswith('"') and ":" in extra:
                shape.update(_skeleton("{" + extra + "}"))
        shapes[command] = shape
    return shapes


def _skeleton(text: str) -> object:
    """Turn `{"a", "b": [{"c"}]}` into {"a": None, "b": [{"c": None}]}."""
    text = text.replace("[...]", "[]")
    text = re.sub(r'"(\w+)"(?=\s*[,}\]])', r'"\1": null', text)
    return json.loads(text)


def printed(capsys, *argv: str) -> object:
    code = main(list(argv))
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def same_keys(documented: object, actual: object, where: str) -> None:
    if isinstance(documented, dict):
        assert isinstance(actual, dict), where
        assert set(actual) == set(documented), f"{where}: printed {sorted(actual)}, documented {sorted(documented)}"
        for key, value in documented.items():
            if value is not None and actual[key] is not None:
                same_keys(value, actual[key], f"{where}.{key}")
    elif isinstance(documented, list) and documented and actual:
        assert isinstance(actual, list), where
        for item in actual:
            same_keys(documented[0], item, f"{where}[]")


@pytest.fixture
def where(corpus, index_dir):
    return ["--corpus", str(corpus), "--index", str(index_dir)]


CURATION = "entity rename|type|alias|unalias|merge|split|hide|unhide|promote|undo|redo"


def test_every_documented_command_is_covered():
    commands = {"search", "list", "show", "entities", "entity", "quotes", "import", "index", "trail", "watch list"}
    commands |= {"news", CURATION, "entity hidden"}
    assert set(documented_shapes()) == commands


def test_printed_json_has_exactly_the_documented_keys(capsys, where, tmp_path):
    shapes = documented_shapes()
    same_keys(shapes["index"], printed(capsys, *where, "index", "--json"), "index")
    same_keys(shapes["search"], printed(capsys, *where, "search", "Lachin", "--json"), "search")
    listing = printed(capsys, *where, "list", "--json")
    same_keys(shapes["list"], listing, "list")
    article = next(a["id"] for a in listing if a["title"].startswith("Russia Urges"))
    same_keys(shapes["show"], printed(capsys, *where, "show", article, "--json"), "show")
    same_keys(shapes["entities"], printed(capsys, *where, "entities", "--json"), "entities")
    same_keys(shapes["entity"], printed(capsys, *where, "entity", "Zakharova", "--json"), "entity")
    same_keys(shapes["quotes"], printed(capsys, *where, "quotes", "Zakharova", "--json"), "quotes")
    assert main([*where, "watch", "add", "Zakharova"]) == 0
    capsys.readouterr()
    same_keys(shapes["watch list"], printed(capsys, *where, "watch", "list", "--json"), "watch")
    new = tmp_path / "new.txt"
    new.write_text("Harbour reopened\n\nThe harbour at Wick reopened on Monday after repairs, officials said.\n")
    same_keys(shapes["import"], printed(capsys, *where, "import", str(new), "--json"), "import")
    same_keys(shapes["news"], printed(capsys, *where, "news", "--json"), "news")
    from tuibrowser.core.trail import TrailEvent, append

    append(TrailEvent("2026-11-25T10:00:00+00:00", "article", article, "Russia Urges Baku"))
    same_keys(shapes["trail"], printed(capsys, "trail", "--json"), "trail")
    for verb in (["alias", "kremlin", "Moscow Kremlin"], ["alias", "kremlin", "Kremlin"], ["undo"], ["hide", "Net"]):
        same_keys(shapes[CURATION], printed(capsys, *where, "entity", *verb, "--json"), f"entity {verb[0]}")
    same_keys(shapes["entity hidden"], printed(capsys, *where, "entity", "hidden", "--json"), "entity hidden")
