"""Settings and user state: defaults, overrides, bad files, browser-style history."""

from __future__ import annotations

import subprocess
import sys

from conftest import SAMPLE_CORPUS
from tuibrowser.core.settings import load_settings
from tuibrowser.core.user_state import History, Visit, load_state


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
    history.visit(Visit("search", "lachin"))
    history.visit(Visit("search", "lachin corridor"))  # typing refines the same search
    history.visit(Visit("article", "a"))
    history.visit(Visit("entity", "e"))
    assert [v.target for v in history.entries] == ["lachin corridor", "a", "e"]
    assert history.back().target == "a" and history.back().target == "lachin corridor"
    assert history.back() is None
    assert history.forward().target == "a"
    history.visit(Visit("article", "b"))  # a new visit after going back drops the forward entries
    assert [v.target for v in history.entries] == ["lachin corridor", "a", "b"]
    assert history.forward() is None
    history.update_anchor(42)
    assert history.current == Visit("article", "b", 42)
    assert history.recent_searches() == ["lachin corridor"]


def test_state_round_trip_and_empty_file(tmp_path):
    state = load_state(tmp_path / "state.json")
    state.read.add("x")
    assert state.toggle_bookmark(Visit("entity", "icj")) is True
    state.history.visit(Visit("article", "x", 7))
    state.save()
    again = load_state(tmp_path / "state.json")
    assert again.read == {"x"} and again.is_bookmarked("entity", "icj") and again.history.current.anchor == 7
    assert again.toggle_bookmark(Visit("entity", "icj")) is False
    (tmp_path / "empty.json").write_text("")
    assert load_state(tmp_path / "empty.json").problems == []


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
