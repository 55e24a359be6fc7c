"""Curation (issue 11): hidden names in entities.toml, which discovery never makes an entity of."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuibrowser.core.entities.kb import KnowledgeBase, KnowledgeBaseError, load_kb
from tuibrowser.core.entities.pipeline import EntityExtractor
from tuibrowser.core.entities.resolve import resolve

UNSEEN = Path(__file__).parent / "data" / "unseen"


# The knowledge base's hidden names, and discovery.


def test_hidden_names_are_read_from_the_file(tmp_path):
    (tmp_path / "entities.toml").write_text('hidden = ["Net", "Élection"]\n[[entity]]\nname = "X"\ntype = "place"\n')
    kb = load_kb(tmp_path)
    assert kb.hidden == ("Net", "Élection")
    assert kb.hidden_keys == {"net", "election"}


@pytest.mark.parametrize("value", ['"Net"', "[1]", '[""]'])
def test_hidden_must_be_a_list_of_names(tmp_path, value):
    (tmp_path / "entities.toml").write_text(f"hidden = {value}\n")
    with pytest.raises(KnowledgeBaseError, match="'hidden' must be a list"):
        load_kb(tmp_path)


def test_discovery_never_makes_an_entity_of_a_hidden_name():
    texts = {p.name: p.read_text(encoding="utf-8") for p in UNSEEN.glob("*.txt")}
    plain = KnowledgeBase()
    hiding = KnowledgeBase(hidden=("hikmet HAJIYEV",))  # case and spacing do not matter
    before = resolve(plain, {n: EntityExtractor(plain).extract(t) for n, t in texts.items()})
    after = resolve(hiding, {n: EntityExtractor(hiding).extract(t) for n, t in texts.items()})
    assert "hikmet-hajiyev" in {e.id for e in before.discovered}
    assert {e.id for e in after.discovered} == {e.id for e in before.discovered} - {"hikmet-hajiyev"}
    assert all(m.entity_id != "hikmet-hajiyev" for found in after.mentions.values() for m in found)
