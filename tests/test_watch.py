"""Watchlists: following entities and searches, and what is new since they were last seen."""

from __future__ import annotations

import json

from tuibrowser.cli import main
from tuibrowser.core.paths import Locations
from tuibrowser.core.services import Services
from tuibrowser.core.user_state import StateStore, state_path

ARTICLE = "Zakharova speaks again\n\nMaria Zakharova said on Friday that Russian peacekeepers remain in Karabakh.\n"
OLD_NEWS = "A 2019 report\n\nPublished 12 March 2019. Maria Zakharova commented on the talks in Moscow.\n"


def cli(capsys, where, *argv):
    code = main([*where, *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def news(capsys, where, *extra):
    code, out, _ = cli(capsys, where, "news", "--json", *extra)
    assert code == 0
    return {item["watch"]: [a["id"] for a in item["new"]] for item in json.loads(out)}


def test_a_watch_added_now_reports_nothing_old_then_each_new_article_until_seen(capsys, corpus, index_dir, tmp_path):
    where = ["--corpus", str(corpus), "--index", str(index_dir)]
    assert cli(capsys, where, "watch", "add", "zakharova")[1] == "following Maria Zakharova (entity)\n"
    assert cli(capsys, where, "watch", "add", "peacekeepers", "Karabakh")[1].startswith(
        "following peacekeepers Karabakh"
    )
    # A mistyped name is followed as a search, and the reader is told (found by a tester).
    typo = cli(capsys, where, "watch", "add", "Maria", "Zakharva")[1]
    assert typo.startswith("following Maria Zakharva (search)\n") and "close: Maria Zakharova" in typo
    assert cli(capsys, where, "watch", "remove", "Maria", "Zakharva")[0] == 0
    assert news(capsys, where) == {"Maria Zakharova": [], "peacekeepers Karabakh": []}  # nothing old is new
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "new.txt").write_text(ARTICLE)
    (drop / "old.txt").write_text(OLD_NEWS)  # dated 2019, imported today: new
    assert cli(capsys, where, "import", str(drop))[0] == 0
    found = news(capsys, where, "--seen")
    assert sorted(found["Maria Zakharova"]) == ["a-2019-report", "zakharova-speaks-again"]
    assert found["peacekeepers Karabakh"] == ["zakharova-speaks-again"]
    assert news(capsys, where) == {"Maria Zakharova": [], "peacekeepers Karabakh": []}  # reported once
    code, out, _ = cli(capsys, where, "watch", "list", "--json")
    assert [(w["watch"], w["kind"], w["new"]) for w in json.loads(out)] == [
        ("Maria Zakharova", "entity", 0),
        ("peacekeepers Karabakh", "search", 0),
    ]
    assert cli(capsys, where, "watch", "remove", "Zakharova")[1] == "stopped following Maria Zakharova (entity)\n"
    code, _, err = cli(capsys, where, "watch", "remove", "nothing like it")
    assert code == 2 and "not following 'nothing like it'" in err


def test_the_time_an_article_came_in_survives_a_rebuild(capsys, corpus, index_dir, tmp_path):
    where = ["--corpus", str(corpus), "--index", str(index_dir)]
    cli(capsys, where, "watch", "add", "Zakharova")
    (tmp_path / "new.txt").write_text(ARTICLE)
    cli(capsys, where, "import", str(tmp_path / "new.txt"))
    cli(capsys, where, "news", "--seen")
    for copy in (corpus / "imports").rglob("*.txt"):
        copy.chmod(0o644)  # a later ctime: only what the index remembers says it came in before
    assert cli(capsys, where, "index", "--rebuild")[0] == 0  # re-derives every article
    assert news(capsys, where) == {"Maria Zakharova": []}  # still not new: it came in before


def test_watches_merge_between_two_instances(corpus, index_dir):
    services = Services(Locations(corpus, index_dir))
    services.ensure_index()
    path = state_path(corpus)
    first, second = StateStore.open(path), StateStore.open(path)
    first.follow("entity", "maria-zakharova", "Maria Zakharova")
    first.save()
    second.follow("search", "Lachin", "Lachin")
    second.save()
    assert {w.key for w in StateStore.open(path).watches} == {("entity", "maria-zakharova"), ("search", "Lachin")}
