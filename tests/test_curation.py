"""Curation (issue 11): every operation's edit of entities.toml, the relinked index, undo and redo.

Each test works on a copy of the sample corpus plus the two unseen articles, whose
discovered people (Ruben Vardanyan, Ararat Mirzoyan, Hikmet Hajiyev) the operations can
promote, merge and hide. Files are compared line by line: an edit must touch only the
lines it means to.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_CORPUS, terminal_unsafe
from tuibrowser.cli import main
from tuibrowser.core.entities.curation import changelog
from tuibrowser.core.entities.curation.apply import apply_operation
from tuibrowser.core.entities.curation.ops import (
    AddAlias,
    AliasConflict,
    CurationError,
    EditedSince,
    Hide,
    MalformedFile,
    Merge,
    NothingToUndo,
    Promote,
    RemoveAlias,
    Rename,
    Retype,
    Split,
    Unhide,
    UnknownEntity,
)
from tuibrowser.core.entities.kb import Entity, KnowledgeBase, KnowledgeBaseError, load_kb
from tuibrowser.core.entities.pipeline import EntityExtractor
from tuibrowser.core.entities.resolve import resolve
from tuibrowser.core.paths import Locations
from tuibrowser.core.search import search
from tuibrowser.core.services import Services
from tuibrowser.core.store import write_lock

UNSEEN = Path(__file__).parent / "data" / "unseen"


@pytest.fixture
def services(tmp_path) -> Services:
    """Services over the sample corpus and the unseen articles, indexed."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    for path in UNSEEN.glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    services = Services(Locations(corpus, tmp_path / "index"))
    services.sync()
    return services


def kb_text(services: Services) -> str:
    return (services.locations.corpus / "entities.toml").read_text(encoding="utf-8")


def changed_lines(before: str, after: str) -> list[str]:
    """The lines removed (-) and added (+), in order."""
    a, b = before.splitlines(), after.splitlines()
    lines = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            lines += [f"-{line}" for line in a[i1:i2]] + [f"+{line}" for line in b[j1:j2]]
    return lines


def log_lines(services: Services) -> list[dict]:
    path = services.locations.corpus / changelog.LOG_NAME
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def record(services: Services, entity_id: str):
    services.forget_derived()
    return services.entity(entity_id)


def articles(services: Services, entity_id: str) -> int:
    return search(services.locations.index, f"entity:{entity_id}").total


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


# Each operation: the file before and after, the index after.


def test_rename_changes_one_line_keeps_the_id_and_the_old_name(services):
    before = kb_text(services)
    result = services.curate(Rename("putin", "Vladimir V. Putin"))
    assert changed_lines(before, kb_text(services)) == [
        '-name = "Vladimir Putin"',
        '+name = "Vladimir V. Putin"',
        '-aliases = ["Putin", "Vladimir Vladimirovich Putin"]',
        '+aliases = ["Putin", "Vladimir Vladimirovich Putin", "Vladimir Putin"]',
    ]
    assert result.changed and result.entities == ("vladimir-putin",)
    assert result.spellings == ("Vladimir V. Putin",)
    # Mentions are stored by id, so a rename rewrites no article; the registry has the name.
    assert result.report is not None and result.report.relinked == 0 and result.notice is None
    entity = record(services, "vladimir-putin").entity
    assert entity.name == "Vladimir V. Putin" and "Vladimir Putin" in entity.aliases
    assert articles(services, "vladimir-putin") == articles(services, '"Vladimir V. Putin"') == 3  # by the new name


def test_rename_can_drop_the_old_name(services):
    services.curate(Rename("kremlin", "The Kremlin Palace", keep_old_name=False))
    entity = record(services, "kremlin").entity
    assert entity.name == "The Kremlin Palace" and "Kremlin" not in entity.aliases


def test_rename_writes_an_implied_id_so_it_stays(services):
    path = services.locations.corpus / "entities.toml"
    path.write_text(kb_text(services).replace('id = "tass"\n', ""), encoding="utf-8")
    before = kb_text(services)
    services.curate(Rename("tass", "TASS Russian News Agency"))
    assert changed_lines(before, kb_text(services)) == [
        '-name = "TASS"',
        '+id = "tass"',
        '+name = "TASS Russian News Agency"',
        '-aliases = ["TASS news agency"]',
        '+aliases = ["TASS news agency", "TASS"]',
    ]
    assert record(services, "tass").entity.name == "TASS Russian News Agency"


def test_rename_to_another_entitys_name_is_refused_with_the_owner(services):
    before = kb_text(services)
    with pytest.raises(AliasConflict, match="Sergey Lavrov") as conflict:
        services.curate(Rename("putin", "Lavrov"))
    assert conflict.value.owner_id == "sergey-lavrov"
    assert kb_text(services) == before and log_lines(services) == []


def test_retype_changes_the_type_line(services):
    before = kb_text(services)
    result = services.curate(Retype("kremlin", "place"))
    assert changed_lines(before, kb_text(services)) == ['-type = "organization"', '+type = "place"']
    assert result.entities == ("kremlin",) and result.spellings == ()
    assert record(services, "kremlin").entity.type == "place"


def test_retype_refuses_an_unknown_type(services):
    with pytest.raises(CurationError, match="type must be one of"):
        services.curate(Retype("kremlin", "planet"))


def test_retyping_a_discovered_entity_promotes_it_into_its_new_section(services):
    before = kb_text(services)
    services.curate(Retype("security-council", "group"))
    text = kb_text(services)
    assert changed_lines(before, text) == [
        "+",
        "+[[entity]]",
        '+id = "security-council"',
        '+name = "Security Council"',
        '+type = "group"',
        "+aliases = []",
    ]
    # After the last group (the groups are the file's last section).
    assert text.endswith(
        'from December 2022"\n\n[[entity]]\nid = "security-council"\n'
        'name = "Security Council"\ntype = "group"\naliases = []\n'
    )
    entity = record(services, "security-council").entity
    assert (entity.type, entity.discovered) == ("group", False)


def test_add_alias_appends_to_the_array_and_links_more_articles(services):
    before = kb_text(services)
    mentions = record(services, "stepanakert").mentions
    # (A spelling no entity holds: "Aghdam", used here first, is a discovered place since issue 12.)
    result = services.curate(AddAlias("Khankendi", "the city"))
    assert changed_lines(before, kb_text(services)) == [
        '-aliases = ["Khankendi", "Khankandi", "Xankendi", "Xankəndi"]',
        '+aliases = ["Khankendi", "Khankandi", "Xankendi", "Xankəndi", "the city"]',
    ]
    assert result.spellings == ("the city",)
    assert record(services, "stepanakert").mentions == mentions + 1


def test_an_alias_it_already_has_changes_nothing(services):
    before = kb_text(services)
    result = services.curate(AddAlias("putin", "Putin"))
    assert not result.changed and result.report is None
    assert kb_text(services) == before and log_lines(services) == []


def test_an_alias_another_entity_has_is_refused_with_its_name(services):
    before = kb_text(services)
    with pytest.raises(AliasConflict, match=r"'Putin' already belongs to Vladimir Putin \(vladimir-putin\)"):
        services.curate(AddAlias("lavrov", "Putin"))
    with pytest.raises(AliasConflict, match=r"Ruben Vardanyan \(ruben-vardanyan\) \(discovered\); merge"):
        services.curate(AddAlias("lavrov", "Vardanyan"))
    assert kb_text(services) == before


def test_unknown_entities_are_refused_with_close_names(services):
    with pytest.raises(UnknownEntity, match="no entity called 'Lavrof'") as unknown:
        services.curate(AddAlias("Lavrof", "X"))
    assert unknown.value.close == ["Sergey Lavrov"]


def test_remove_alias(services):
    before = kb_text(services)
    services.curate(RemoveAlias("putin", "vladimir vladimirovich putin"))  # any case
    assert changed_lines(before, kb_text(services)) == [
        '-aliases = ["Putin", "Vladimir Vladimirovich Putin"]',
        '+aliases = ["Putin"]',
    ]
    with pytest.raises(CurationError, match="not an alias of Vladimir Putin"):
        services.curate(RemoveAlias("putin", "Lavrov"))
    with pytest.raises(CurationError, match="is the name of Vladimir Putin"):
        services.curate(RemoveAlias("putin", "Vladimir Putin"))


def test_merge_removes_the_table_keeping_the_section_comment(services):
    before = kb_text(services)
    erdogan = articles(services, "recep-tayyip-erdogan")
    result = services.curate(Merge("Erdogan", "Putin"))  # the last person: "# Organisations" follows it
    text = kb_text(services)
    assert changed_lines(before, text) == [
        '-aliases = ["Putin", "Vladimir Vladimirovich Putin"]',
        # Spellings differing only in accents are one alias.
        '+aliases = ["Putin", "Vladimir Vladimirovich Putin", "Recep Tayyip Erdoğan", "Tayyip Erdogan", "Erdogan"]',
        "-",
        "-[[entity]]",
        '-id = "recep-tayyip-erdogan"',
        '-name = "Recep Tayyip Erdoğan"',
        '-type = "person"',
        '-aliases = ["Recep Tayyip Erdogan", "Tayyip Erdogan", "Erdogan", "Erdoğan"]',
        '-description = "President of Turkey"',
    ]
    assert '"US Secretary of State (2021-2025)"\n\n# Organisations\n\n[[entity]]' in text
    assert result.removed == ("recep-tayyip-erdogan",)
    assert result.moved == {"recep-tayyip-erdogan": "vladimir-putin"}
    assert record(services, "recep-tayyip-erdogan") is None
    assert articles(services, "vladimir-putin") >= erdogan


def test_merge_a_discovered_entity_into_a_curated_one(services):
    before = kb_text(services)
    vardanyan = articles(services, "ruben-vardanyan")
    result = services.curate(Merge("Ruben Vardanyan", "icrc"))
    assert changed_lines(before, kb_text(services)) == [
        '-aliases = ["ICRC", "Red Cross", "ICRC Azerbaijan", "ICRC Armenia"]',
        '+aliases = ["ICRC", "Red Cross", "ICRC Azerbaijan", "ICRC Armenia", "Ruben Vardanyan", "Vardanyan"]',
    ]
    assert result.removed == ("ruben-vardanyan",) and "\nhidden = [" not in kb_text(services)  # not hidden
    assert record(services, "ruben-vardanyan") is None
    assert articles(services, "icrc") >= vardanyan


def test_merge_into_a_discovered_entity_promotes_it(services):
    services.curate(Merge("Hikmet Hajiyev", "Ararat Mirzoyan"))
    entity = record(services, "ararat-mirzoyan").entity
    assert not entity.discovered
    assert entity.aliases == ("Mirzoyan", "Hikmet Hajiyev", "Hajiyev")


def test_merge_into_itself_is_refused(services):
    with pytest.raises(CurationError, match="the same entity"):
        services.curate(Merge("Putin", "vladimir-putin"))


def test_split_an_alias_off_into_a_new_entity(services):
    before = kb_text(services)
    result = services.curate(Split("kremlin", "Kremlin press service", "organization"))
    text = kb_text(services)
    assert changed_lines(before, text) == [
        '-aliases = ["the Kremlin", "Kremlin press service"]',
        '+aliases = ["the Kremlin"]',
        "+",
        "+[[entity]]",
        '+id = "kremlin-press-service"',
        '+name = "Kremlin press service"',
        '+type = "organization"',
        "+aliases = []",
    ]
    # At the end of the organisations, above "# Places".
    assert text.index("kremlin-press-service") < text.index("# Places")
    assert text.index("kremlin-press-service") > text.rindex('type = "organization"', 0, text.index("# Places") - 80)
    assert result.added == ("kremlin-press-service",)
    assert record(services, "kremlin-press-service").entity.type == "organization"


def test_undoing_a_split_moves_the_split_off_entity_back_into_its_source(services):
    services.curate(Split("kremlin", "Kremlin press service", "organization"))
    undone = services.undo_curation()
    assert undone.removed == ("kremlin-press-service",)
    assert undone.moved == {"kremlin-press-service": "kremlin"}  # bookmarks and selection follow it
    assert services.redo_curation().moved == {}  # redone, it is a new entity again: nothing moves


def test_split_refuses_what_is_not_an_alias(services):
    with pytest.raises(CurationError, match="not an alias"):
        services.curate(Split("kremlin", "Moscow"))


def test_hide_a_discovered_entity_and_restore_it(services):
    original = kb_text(services)
    ids = {r.entity.id for r in services.entities()}
    result = services.curate(Hide("Hajiyev"))  # an alias names the entity
    text = kb_text(services)
    assert changed_lines(original, text) == ["+", "+hidden = [", '+    "Hikmet Hajiyev",', "+]"]
    # Under the header comment, before the first section.
    assert text.index("hidden = [") < text.index("# People")
    assert result.removed == ("hikmet-hajiyev",) and result.hidden == ("Hikmet Hajiyev",)
    assert services.hidden_names() == ["Hikmet Hajiyev"]
    services.forget_derived()
    assert {r.entity.id for r in services.entities()} == ids - {"hikmet-hajiyev"}  # no other id moved
    services.curate(Unhide("hikmet hajiyev"))
    assert kb_text(services) == original
    assert record(services, "hikmet-hajiyev") is not None


def test_hide_a_plain_name_and_a_second_one(services):
    services.curate(Hide("Election"))
    before = kb_text(services)
    services.curate(Hide("Net"))
    assert changed_lines(before, kb_text(services)) == ['+    "Net",']
    assert services.hidden_names() == ["Election", "Net"]
    assert not services.curate(Hide("NET")).changed


def test_hiding_a_curated_entity_is_refused(services):
    with pytest.raises(CurationError, match="is curated"):
        services.curate(Hide("Putin"))


def test_unhide_a_name_that_is_not_hidden(services):
    with pytest.raises(CurationError, match="is not hidden"):
        services.curate(Unhide("Net"))


def test_promote_writes_the_discovered_entity_with_its_id(services):
    before = kb_text(services)
    result = services.curate(Promote("Ruben Vardanyan"))
    text = kb_text(services)
    assert changed_lines(before, text) == [
        "+",
        "+[[entity]]",
        '+id = "ruben-vardanyan"',
        '+name = "Ruben Vardanyan"',
        '+type = "person"',
        '+aliases = ["Vardanyan"]',
    ]
    assert text.index("ruben-vardanyan") < text.index("# Organisations")
    assert result.added == ("ruben-vardanyan",)
    entity = record(services, "ruben-vardanyan").entity
    assert not entity.discovered and entity.aliases == ("Vardanyan",)
    assert not services.curate(Promote("ruben-vardanyan")).changed


def test_a_curation_on_a_corpus_without_entities_toml_creates_it(services):
    (services.locations.corpus / "entities.toml").unlink()
    services.sync()
    services.curate(Promote("ruben-vardanyan"))
    text = kb_text(services)
    assert text.startswith("# The curated knowledge base") and "hidden (optional" in text
    assert load_kb(services.locations.corpus).by_id["ruben-vardanyan"].name == "Ruben Vardanyan"
    services.undo_curation()
    assert not (services.locations.corpus / "entities.toml").exists()


# Whatever the operation: comments, order, permissions.


def test_a_series_of_edits_keeps_every_comment_and_the_order(services):
    original = kb_text(services)
    (services.locations.corpus / "entities.toml").chmod(0o640)
    services.curate(Promote("Ararat Mirzoyan"))
    services.curate(Merge("icrc", "united-nations"))
    services.curate(Split("eu-mission-in-armenia", "EUMA", "organization"))
    services.curate(Hide("Hikmet Hajiyev"))
    services.curate(Rename("council-of-europe", "The Council of Europe"))
    text = kb_text(services)
    comments = [line for line in original.splitlines() if line.startswith("#")]
    assert [line for line in text.splitlines() if line.startswith("#")] == comments
    ids = [line for line in original.splitlines() if line.startswith("id = ") and "icrc" not in line]
    assert [line for line in text.splitlines() if line in ids] == ids
    assert (services.locations.corpus / "entities.toml").stat().st_mode & 0o777 == 0o640


# A broken file is reported, never overwritten.


@pytest.mark.parametrize(
    "raw",
    [
        b"[[entity]\nname = 'x'",  # bad TOML
        b"[[entity]]\nname = 'X'\ntype = 'planet'\n",  # an unknown type
        b"[[entity]]\nname = 'A'\ntype = 'person'\naliases = ['Z']\n"  # an alias of two entities
        b"[[entity]]\nname = 'B'\ntype = 'place'\naliases = ['z']\n",
        b"hidden = 'Net'\n",
        b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n",  # hostile: nested past any recursion limit
        b"# caf\xe9\n",  # not UTF-8
    ],
)
def test_a_malformed_file_is_reported_and_left_alone(services, raw):
    path = services.locations.corpus / "entities.toml"
    path.write_bytes(raw)
    for op in (AddAlias("putin", "VVP"), Hide("Net"), Promote("ruben-vardanyan"), Unhide("Net")):
        with pytest.raises(MalformedFile, match=r"entities\.toml"):
            services.curate(op)
    with pytest.raises(MalformedFile):
        services.hidden_names()
    assert path.read_bytes() == raw and log_lines(services) == []


def test_entities_written_as_an_inline_array_are_refused(services):
    path = services.locations.corpus / "entities.toml"
    path.write_text('entity = [{name = "X", type = "place"}]\n', encoding="utf-8")
    with pytest.raises(CurationError, match="inline array"):
        services.curate(AddAlias("X", "Y"))
    assert kb_text(services) == 'entity = [{name = "X", type = "place"}]\n'


# Undo and redo.


def test_undo_and_redo_step_through_the_changes(services):
    texts = [kb_text(services)]
    for op in (Rename("putin", "V. Putin"), Promote("ruben-vardanyan"), Hide("Net"), Merge("tass", "kremlin")):
        services.curate(op)
        texts.append(kb_text(services))
    history = services.curation_history()
    assert [c.op for c in history.undo] == ["merge", "hide", "promote", "rename"] and history.redo == ()
    result = services.undo_curation()
    assert result.op == "undo" and result.summary.startswith("undid: merged TASS (tass)")
    assert kb_text(services) == texts[3] and record(services, "tass") is not None
    assert result.report is not None and "tass" in result.entities
    services.undo_curation()
    assert kb_text(services) == texts[2]
    redone = services.redo_curation()
    assert redone.summary.startswith("redid: hid 'Net'") and kb_text(services) == texts[3]
    for expected in reversed(texts[:3]):
        services.undo_curation()
        assert kb_text(services) == expected
    with pytest.raises(NothingToUndo):
        services.undo_curation()
    assert [line["kind"] for line in log_lines(services)] == ["change"] * 4 + ["undo", "undo", "redo"] + ["undo"] * 3


def test_a_new_change_after_an_undo_drops_the_redo(services):
    services.curate(Hide("Net"))
    services.undo_curation()
    services.curate(Hide("Election"))
    with pytest.raises(NothingToUndo, match="nothing to redo"):
        services.redo_curation()


def test_undo_works_after_a_restart(services):
    before = kb_text(services)
    services.curate(Rename("putin", "V. Putin"))
    later = Services(services.locations)  # a new process: only the log remembers
    assert later.curation_history().undo[0].op == "rename"
    later.undo_curation()
    assert kb_text(services) == before
    later.redo_curation()
    assert record(later, "vladimir-putin").entity.name == "V. Putin"


def test_undo_refuses_when_the_file_was_edited_since(services):
    services.curate(Hide("Net"))
    path = services.locations.corpus / "entities.toml"
    edited = kb_text(services) + "\n# a note added by hand\n"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(EditedSince, match="edited since"):
        services.undo_curation()
    assert kb_text(services) == edited


def test_the_log_is_bounded_and_skips_unreadable_lines(services, monkeypatch):
    monkeypatch.setattr(changelog, "MAX_ENTRIES", 2)
    monkeypatch.setattr(changelog, "_SLACK", 0)
    for name in ("A", "B", "C", "D", "E"):
        services.curate(Hide(name))
    assert [line["summary"].split("'")[1] for line in log_lines(services)] == ["D", "E"]  # cut at 5 > 2 * 2
    path = services.locations.corpus / changelog.LOG_NAME
    with path.open("a", encoding="utf-8") as log:
        log.write('{"seq": "not a number"}\n{"cut short by a crash')
    services.curate(Hide("F"))  # the unfinished line is ended first
    assert [c.summary.split("'")[1] for c in services.curation_history().undo] == ["F", "E", "D"]
    for _ in range(3):
        services.undo_curation()
    with pytest.raises(NothingToUndo):
        services.undo_curation()  # "C" fell off the log
    assert services.hidden_names() == ["A", "B", "C"]


def test_stepping_back_and_forth_does_not_push_changes_out_of_the_log(services, monkeypatch):
    monkeypatch.setattr(changelog, "MAX_ENTRIES", 2)
    monkeypatch.setattr(changelog, "_SLACK", 0)
    services.curate(Hide("A"))
    services.curate(Hide("B"))
    for _ in range(5):  # undo and redo lines alone would fill the log
        services.undo_curation()
        services.redo_curation()
    assert len(log_lines(services)) <= 5
    services.undo_curation()
    services.undo_curation()
    assert services.hidden_names() == []
    services.redo_curation()
    assert services.hidden_names() == ["A"]


def test_the_log_is_hidden_from_the_corpus_scan(services):
    services.curate(Hide("Net"))
    assert (services.locations.corpus / changelog.LOG_NAME).exists()
    report = services.sync()
    assert (report.added, report.skipped) == (0, [])


# The index.


def test_a_change_stands_when_the_index_is_busy_and_the_next_sync_applies_it(services):
    with write_lock(services.locations.index):
        result = services.curate(Rename("putin", "V. Putin"), lock_timeout=0.1)
    assert result.changed and result.report is None
    assert "could not be relinked now" in result.notice
    assert services.ensure_index() is not None  # stale: entities.toml changed
    assert record(services, "vladimir-putin").entity.name == "V. Putin"


def test_concurrent_steps_take_turns(services, monkeypatch):
    from tuibrowser.core.entities.curation import apply

    monkeypatch.setattr(apply, "LOCK_WAIT", 0.1)
    fd = os.open(services.locations.corpus / apply.LOCK_NAME, os.O_RDWR | os.O_CREAT)
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(CurationError, match="another tuibrowser is editing"):
            services.curate(Hide("Net"))
    finally:
        os.close(fd)
    assert services.curate(Hide("Net")).changed


# The command line.


@pytest.fixture
def where(services) -> list[str]:
    return ["--corpus", str(services.locations.corpus), "--index", str(services.locations.index)]


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_verbs_change_the_file_and_say_what_they_did(capsys, services, where):
    code, out, err = cli(capsys, *where, "entity", "rename", "Putin", "V. Putin")
    assert (code, err) == (0, "")
    assert out == ("renamed Vladimir Putin (vladimir-putin) to V. Putin; the old name stays an alias\n")
    assert cli(capsys, *where, "entity", "type", "Kremlin", "place")[0] == 0
    assert cli(capsys, *where, "entity", "alias", "lavrov", "S. Lavrov")[0] == 0
    assert cli(capsys, *where, "entity", "unalias", "lavrov", "S. Lavrov")[0] == 0
    assert cli(capsys, *where, "entity", "split", "kremlin", "Kremlin press service", "--type", "organization")[0] == 0
    assert cli(capsys, *where, "entity", "merge", "Ararat Mirzoyan", "Ruben Vardanyan")[0] == 0
    assert cli(capsys, *where, "entity", "promote", "Hikmet Hajiyev")[0] == 0
    assert cli(capsys, *where, "entity", "hide", "Net")[0] == 0
    assert cli(capsys, *where, "entity", "hidden") == (0, "Net\n", "")
    assert cli(capsys, *where, "entity", "unhide", "net")[0] == 0
    assert cli(capsys, *where, "entity", "hidden", "--json") == (0, '{\n  "hidden": []\n}\n', "")
    kb = load_kb(services.locations.corpus)
    assert kb.by_id["vladimir-putin"].name == "V. Putin" and kb.by_id["kremlin"].type == "place"
    assert "Ararat Mirzoyan" in kb.by_id["ruben-vardanyan"].aliases and "hikmet-hajiyev" in kb.by_id
    assert cli(capsys, *where, "entity", "undo")[1].startswith("undid: 'Net' is no longer hidden")
    assert cli(capsys, *where, "entity", "redo")[1].startswith("redid: 'Net' is no longer hidden")
    # `entity NAME` still shows an entity, and `entity show NAME` too.
    assert cli(capsys, *where, "entity", "show", "V. Putin")[1].startswith("V. Putin (person)")


def test_cli_json_of_a_change(capsys, where):
    code, out, _ = cli(capsys, *where, "entity", "merge", "tass", "kremlin", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["op"], data["changed"], data["removed"], data["moved"]) == (
        "merge",
        True,
        ["tass"],
        {"tass": "kremlin"},
    )
    assert data["spellings"] == ["TASS", "TASS news agency"] and data["relinked"] > 0 and data["notice"] is None
    assert '-id = "tass"' in data["diff"] and data["seq"] == 1
    data = json.loads(cli(capsys, *where, "entity", "alias", "kremlin", "TASS", "--json")[1])
    assert (data["changed"], data["diff"], data["seq"], data["relinked"]) == (False, "", None, None)


@pytest.mark.parametrize(
    "argv,message",
    [
        (["rename", "Putn", "X"], "no entity called 'Putn'; did you mean 'Vladimir Putin'?"),
        (["alias", "lavrov", "Putin"], "'Putin' already belongs to Vladimir Putin (vladimir-putin)"),
        (["merge", "Putin", "nobody"], "no entity called 'nobody'"),
        (["type", "kremlin", "planet"], "type must be one of person, organization, place, event, group, not 'planet'"),
        (["split", "kremlin", "the Kremlin", "--type", "planet"], "type must be one of"),
        (["unalias", "kremlin", "Moscow"], "'Moscow' is not an alias of Kremlin (kremlin)"),
        (["hide", "Putin"], "is curated"),
        (["unhide", "Net"], "'Net' is not hidden (hidden: none)"),
        (["undo"], "nothing to undo"),
        (["redo"], "nothing to redo"),
        (["rename", "Putin"], "entity rename takes ENTITY NEW_NAME; got 1"),
        (["hidden", "x"], "entity hidden takes no arguments; got 1"),
        (["alias", "putin", "X", "--type", "person"], "--type is for entity split"),
        (["Putin", "extra"], "entity show takes NAME_OR_ID; got 2"),
    ],
)
def test_cli_refusals_exit_2_with_one_line(capsys, services, where, argv, message):
    before = kb_text(services)
    code, out, err = cli(capsys, *where, "entity", *argv)
    assert (code, out) == (2, "")
    assert err.startswith("tuibrowser: ") and message in err and err.count("\n") == 1
    assert kb_text(services) == before


def test_cli_refuses_a_malformed_file_and_leaves_it(capsys, services, where):
    path = services.locations.corpus / "entities.toml"
    services.curate(Hide("Net"))
    path.write_text("[[entity]\nname = 'x'\n", encoding="utf-8")  # broken by hand while in use
    for argv in (["alias", "putin", "VVP"], ["hidden"], ["undo"], ["promote", "ruben-vardanyan"]):
        code, out, err = cli(capsys, *where, "entity", *argv)
        assert code == 2 and out == "" and "Traceback" not in err
        assert "entities.toml" in err.splitlines()[-1]
    assert path.read_text(encoding="utf-8") == "[[entity]\nname = 'x'\n"


def test_cli_prints_outside_strings_safely(capsys, services, where):
    code, out, err = cli(capsys, *where, "entity", "alias", "putin", "Pu\x1b]52;c;QUJD\x07tin\u202eX")
    assert code == 0 and terminal_unsafe(out + err) == []
    assert "PutinX" in load_kb(services.locations.corpus).by_id["vladimir-putin"].aliases  # cleaned, as loaded
    code, out, err = cli(capsys, *where, "entity", "rename", "\x1b[2Jnobody", "X")
    assert code == 2 and terminal_unsafe(out + err) == [] and "\\x1b[2Jnobody" in err
    code, out, _ = cli(capsys, *where, "entity", "hide", "Bad\u202eName", "--json")
    assert code == 0 and terminal_unsafe(out) == []


# Layouts the sample file does not have.


def kb_dir(tmp_path, text: str) -> Path:
    (tmp_path / "entities.toml").write_text(text, encoding="utf-8")
    return tmp_path


LAYOUT = """\
# Header.

# People

[[entity]]
id = "ann"
name = "Ann"
type = "person"

# Places

[[entity]]
name = "Bay"
type = "place"
aliases = []
"""


def test_removing_the_first_table_keeps_the_section_comment_after_it(tmp_path):
    corpus = kb_dir(tmp_path, LAYOUT)
    apply_operation(corpus, [], Merge("ann", "bay"))
    text = (corpus / "entities.toml").read_text(encoding="utf-8")
    assert text == '# Header.\n\n# People\n\n# Places\n\n[[entity]]\nname = "Bay"\ntype = "place"\naliases = ["Ann"]\n'


def test_a_missing_aliases_key_is_written_after_the_type(tmp_path):
    corpus = kb_dir(tmp_path, LAYOUT)
    apply_operation(corpus, [], AddAlias("ann", "Annie"))
    assert '\ntype = "person"\naliases = ["Annie"]\n\n# Places\n' in (corpus / "entities.toml").read_text()


def test_a_merge_brings_a_description_the_target_lacks(tmp_path):
    corpus = kb_dir(tmp_path, LAYOUT.replace('type = "person"\n', 'type = "person"\ndescription = "A person"\n'))
    apply_operation(corpus, [], Merge("ann", "bay"))
    assert load_kb(corpus).by_id["bay"].description == "A person"
    assert (corpus / "entities.toml").read_text().endswith('aliases = ["Ann"]\ndescription = "A person"\n')


def test_merging_the_only_table_into_a_discovered_entity(tmp_path):
    corpus = kb_dir(tmp_path, '# Header.\n\n[[entity]]\nid = "ann"\nname = "Ann"\ntype = "person"\n')
    bo = Entity("bo-smith", "Bo Smith", "person", ("Smith",), discovered=True)
    result = apply_operation(corpus, [bo], Merge("ann", "Smith"))
    assert result.added == ("bo-smith",) and result.removed == ("ann",)
    assert (corpus / "entities.toml").read_text().startswith("# Header.\n")
    assert load_kb(corpus).entities == (Entity("bo-smith", "Bo Smith", "person", ("Smith", "Ann")),)


def test_a_step_that_cannot_be_logged_is_taken_back(tmp_path, monkeypatch):
    corpus = kb_dir(tmp_path, LAYOUT)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(changelog, "append", full_disk)
    with pytest.raises(OSError, match="No space left"):
        apply_operation(corpus, [], AddAlias("ann", "Annie"))
    assert (corpus / "entities.toml").read_text(encoding="utf-8") == LAYOUT


def test_removing_a_sections_only_table_keeps_both_section_comments(tmp_path):
    corpus = kb_dir(tmp_path, LAYOUT + '\n# Events\n\n[[entity]]\nname = "Cup"\ntype = "event"\n')
    apply_operation(corpus, [], Merge("bay", "ann"))
    assert (corpus / "entities.toml").read_text(encoding="utf-8") == (
        '# Header.\n\n# People\n\n[[entity]]\nid = "ann"\nname = "Ann"\ntype = "person"\naliases = ["Bay"]\n\n'
        '# Places\n\n# Events\n\n[[entity]]\nname = "Cup"\ntype = "event"\n'
    )


def test_bookmarks_and_watches_follow_a_merged_entity(capsys, services, where):
    from tuibrowser.core.user_state import StateStore, Visit, state_path

    store = StateStore.open(state_path(services.locations.corpus))
    store.toggle_bookmark(Visit("entity", "tass"))
    store.follow("entity", "tass", "TASS")
    store.follow("entity", "kremlin", "Kremlin")
    store.save()
    assert cli(capsys, *where, "entity", "merge", "tass", "kremlin")[0] == 0
    store = StateStore.open(state_path(services.locations.corpus))
    assert store.is_bookmarked("entity", "kremlin") and not store.is_bookmarked("entity", "tass")
    assert [w.target for w in store.watches] == ["kremlin"]  # already followed: one watch
    # Undone in another process: TASS gets its bookmark and watch back; nothing is lost.
    assert cli(capsys, *where, "entity", "undo")[0] == 0
    store = StateStore.open(state_path(services.locations.corpus))
    assert store.is_bookmarked("entity", "tass") and {w.target for w in store.watches} == {"tass", "kremlin"}


def test_carry_over_moves_a_watch_under_the_new_name(tmp_path):
    from tuibrowser.core.entities.curation.carry import carry_over
    from tuibrowser.core.user_state import StateStore

    store = StateStore.open(tmp_path / "state.json")
    store.follow("entity", "tass", "TASS")
    carried = carry_over(store, {"tass": "kremlin"}, lambda entity_id: "Kremlin")
    assert [(c.what, c.old, c.new, c.new_had_it) for c in carried] == [("watch", "tass", "kremlin", False)]
    assert [(w.target, w.label) for w in store.watches] == [("kremlin", "Kremlin")]
    assert carry_over(store, {"tass": "kremlin"}, lambda entity_id: "Kremlin") == []


def test_carry_back_undoes_exactly_what_the_merge_carried(tmp_path):
    from tuibrowser.core.entities.curation.carry import carry_back, carry_over
    from tuibrowser.core.user_state import StateStore, Visit

    store = StateStore.open(tmp_path / "state.json")
    store.toggle_bookmark(Visit("entity", "zakharova"))
    store.follow("entity", "zakharova", "Maria Zakharova")
    store.toggle_bookmark(Visit("entity", "erdogan"))  # bookmarked before the merge: stays
    carried = carry_over(store, {"zakharova": "erdogan"}, str)
    assert carry_back(store, {"zakharova": "erdogan"}, carried, str) == 2
    assert store.is_bookmarked("entity", "zakharova") and store.is_bookmarked("entity", "erdogan")
    assert [w.target for w in store.watches] == ["zakharova"]  # the watch Erdogan never had is gone
