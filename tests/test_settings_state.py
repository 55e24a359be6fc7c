"""Settings and user state: defaults, overrides, bad files, browser-style history."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import SAMPLE_CORPUS
from tuibrowser.core.settings import load_settings
from tuibrowser.core.user_state import History, StateStore, Visit


def test_settings_defaults_file_and_environment(tmp_path):
    path = tmp_path / "config.toml"
    assert load_settings(path, environ={}).theme == "textual-dark"
    path.write_text('theme = "nord"\nsearch_as_you_type = false\n[keymap]\n"app.back" = "h"\n')
    settings = load_settings(path, environ={})
    assert (settings.theme, settings.search_as_you_type, settings.keymap) == ("nord", False, {"app.back": "h"})
    env = {"TUIBROWSER_THEME": "dracula", "TUIBROWSER_SEARCH_AS_YOU_TYPE": "1"}
    settings = load_settings(path, environ=env)
    assert (settings.theme, settings.search_as_you_type) == ("dracula", True)


def test_bad_settings_are_reported_not_fatal_and_not_rewritten(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = 3\nsearch_as_you_type = "yes"\nkeymap = 5\ncolour = "red"\n')
    settings = load_settings(path, environ={})
    assert settings.theme == "textual-dark" and settings.search_as_you_type
    assert len(settings.problems) == 4
    path.write_bytes(b"\xff\xfe not toml")
    assert "cannot read" in load_settings(path, environ={}).problems[0]
    assert path.read_bytes() == b"\xff\xfe not toml"


def test_history_is_browser_like():
    history = History()
    history.visit(Visit("search", "lachin corridor"))
    history.visit(Visit("search", "lachin corridor", 3))  # the same place: updated, not repeated
    history.visit(Visit("article", "a"))
    history.visit(Visit("entity", "e"))
    assert [v.target for v in history.entries] == ["lachin corridor", "a", "e"]
    assert history.entries[0].anchor == 3
    assert history.back().target == "a" and history.back().target == "lachin corridor"
    assert history.back() is None
    assert history.forward().target == "a"
    history.visit(Visit("article", "b"))  # a new visit after going back drops the forward entries
    assert [v.target for v in history.entries] == ["lachin corridor", "a", "b"]
    assert history.forward() is None
    history.update_anchor(42)
    assert history.current == Visit("article", "b", 42)
    history.visit(Visit("search", "icj ruling"))  # two searches one after another: two places
    assert history.recent_searches() == ["icj ruling", "lachin corridor"]


def test_state_round_trip_and_empty_file(tmp_path):
    store = StateStore.open(tmp_path / "state.json")
    store.mark_read("x")
    assert store.toggle_bookmark(Visit("entity", "icj")) is True
    store.history.visit(Visit("article", "x", 7))
    store.history_changed()
    assert store.save()
    again = StateStore.open(tmp_path / "state.json")
    assert again.read == {"x"} and again.is_bookmarked("entity", "icj") and again.history.current.anchor == 7
    assert again.toggle_bookmark(Visit("entity", "icj")) is False
    (tmp_path / "empty.json").write_text("")
    assert StateStore.open(tmp_path / "empty.json").problems == []


def test_two_instances_never_lose_each_others_bookmarks(tmp_path):
    path = tmp_path / "state.json"
    first, second = StateStore.open(path), StateStore.open(path)
    first.toggle_bookmark(Visit("article", "a"))
    first.save()
    second.toggle_bookmark(Visit("entity", "icj"))
    second.mark_read("b")
    second.save()  # last writer: it must keep the first instance's bookmark
    saved = json.loads(path.read_text())
    assert {tuple(b[:2]) for b in saved["bookmarks"]} == {("article", "a"), ("entity", "icj")}
    assert second.is_bookmarked("article", "a")  # and now shows it
    # A removal made in one instance is not undone by the other, which still had it.
    first.toggle_bookmark(Visit("article", "a"))
    first.save()
    second.mark_read("c")
    second.save()
    saved = json.loads(path.read_text())
    assert [tuple(b[:2]) for b in saved["bookmarks"]] == [("entity", "icj")]
    assert set(saved["read"]) == {"b", "c"}
    assert first.refresh() and first.is_bookmarked("entity", "icj")
    # Taking in the other instance's changes does not drop this one's unsaved ones.
    first.toggle_bookmark(Visit("article", "z"))
    second.mark_read("d")
    second.save()
    assert first.refresh() and first.is_bookmarked("article", "z") and "d" in first.read
    assert first.save()
    assert ["article", "z", 0] in json.loads(path.read_text())["bookmarks"]


def test_a_save_that_fails_keeps_the_changes_for_the_next_one(tmp_path, monkeypatch):
    import tuibrowser.core.user_state as user_state

    store = StateStore.open(tmp_path / "state.json")
    store.toggle_bookmark(Visit("article", "a"))

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(user_state, "write_json_atomic", full)
    assert not store.save()
    assert "No space left on device" in store.problems[-1]
    monkeypatch.undo()
    assert store.save()
    assert json.loads((tmp_path / "state.json").read_text())["bookmarks"] == [["article", "a", 0]]


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00garbage \x80\x81", bytes(range(256)) * 4, b"[" * 100_000 + b"]" * 100_000, b"{not json", b"[1, 2]"],
    ids=["invalid-utf8", "random-bytes", "nested", "not-json", "not-an-object"],
)
def test_an_unreadable_state_file_is_set_aside_never_overwritten(tmp_path, content):
    path = tmp_path / "state.json"
    path.write_bytes(content)
    store = StateStore.open(path)
    assert any("kept it as state.json.corrupt-" in p for p in store.problems)
    (aside,) = tmp_path.glob("state.json.corrupt-*")
    assert aside.read_bytes() == content
    store.mark_read("x")
    assert store.save()
    assert json.loads(path.read_text())["read"] == ["x"]
    assert aside.read_bytes() == content


def test_state_values_are_checked_before_use(tmp_path):
    path = tmp_path / "state.json"
    path.write_text(
        json.dumps(
            {
                "read": ["ok", 5, None, "x" * 5000],
                "bookmarks": [["article", "a", 0], ["nope", "b", 0], ["entity", "", 0], ["entity", "e", True]],
                "history": [["search", "q", 0], ["article", "a", -4], "junk"],
                "position": 99,
            }
        )
    )
    store = StateStore.open(path)
    assert store.read == {"ok"}
    assert [b.key for b in store.bookmarks] == [("article", "a")]
    assert store.history.entries == [Visit("search", "q", 0)] and store.history.position == 0


def test_tui_needs_a_terminal():
    proc = subprocess.run(
        [sys.executable, "-m", "tuibrowser", "--corpus", str(SAMPLE_CORPUS)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert "needs a terminal" in proc.stderr and "Traceback" not in proc.stderr


def test_config_path_command(isolated_user_dirs):
    proc = subprocess.run([sys.executable, "-m", "tuibrowser", "config", "path"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stdout.strip().endswith("tuibrowser/config.toml")
    assert str(isolated_user_dirs) in proc.stdout


def test_each_corpus_has_its_own_state_file(isolated_user_dirs, tmp_path):
    from tuibrowser.core.paths import data_dir
    from tuibrowser.core.user_state import state_path

    assert state_path() == state_path(data_dir() / "corpus") == data_dir() / "state.json"
    first, second = state_path(tmp_path / "a" / "corpus"), state_path(tmp_path / "b" / "corpus")
    assert first != second and first.parent == data_dir() / "states" and first.name.startswith("corpus-")
    assert state_path(tmp_path / "a" / "corpus") == first  # stable
