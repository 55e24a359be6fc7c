"""The installed `tuibrowser` command in a real terminal (tmux): what a person sees."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import SAMPLE_CORPUS, SHARED_DATA

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


class Terminal:
    """A detached tmux session running one command, read with capture-pane."""

    def __init__(self, command: list[str], env: dict[str, str], size=(80, 24)):
        self.name = f"tb-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{key}={value}" for key, value in env.items())
        shell = f"env {exports} {' '.join(command)}; echo EXITED:$?; sleep 60"
        command = [TMUX, "new-session", "-d", "-s", self.name, "-x", str(size[0]), "-y", str(size[1]), shell]
        for attempt in range(3):
            # The previous test's kill-session can leave a tmux server on its way out, which
            # refuses the next session ("server exited unexpectedly"): try again.
            started = subprocess.run(command, capture_output=True, text=True)
            if started.returncode == 0:
                break
            time.sleep(0.3 * (attempt + 1))
        else:
            raise RuntimeError(f"tmux would not start a session: {started.stderr.strip()}")
        # Let applications set tmux's paste buffers over OSC 52 (the `y` citation test reads them).
        subprocess.run([TMUX, "set-option", "-s", "set-clipboard", "on"], check=True)

    def screen(self) -> str:
        return subprocess.run([TMUX, "capture-pane", "-t", self.name, "-p"], capture_output=True, text=True).stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run([TMUX, "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.15)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def clipboard(self) -> str:
        """The newest tmux paste buffer (what an OSC 52 copy set, with set-clipboard on)."""
        return subprocess.run([TMUX, "show-buffer"], capture_output=True, text=True).stdout

    def close(self) -> None:
        subprocess.run([TMUX, "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def terminal(tmp_path, isolated_user_dirs):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    exe = Path(sys.executable).parent / "tuibrowser"
    env = {
        "XDG_DATA_HOME": str(isolated_user_dirs / "xdg_data_home"),
        "XDG_CONFIG_HOME": str(isolated_user_dirs / "xdg_config_home"),
        "XDG_CACHE_HOME": str(isolated_user_dirs / "xdg_cache_home"),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
    }
    term = Terminal([str(exe), "--corpus", str(corpus), "--index", str(tmp_path / "index")], env)
    yield term
    term.close()


def test_ctrl_q_quits_from_the_first_screen(terminal):
    terminal.wait_for("newest first")
    terminal.keys("q")  # types into the query box
    terminal.wait_for("search “q”")
    terminal.keys("C-q")
    screen = terminal.wait_for("EXITED:0")
    assert "left while" not in screen  # nothing was running: no word about it


def test_two_articles_a_mention_in_the_next_one_back_and_quit(terminal):
    terminal.wait_for("newest first")
    terminal.keys("Zakharova")
    terminal.wait_for("1 result for Zakharova")
    terminal.keys("Enter", "Enter")
    screen = terminal.wait_for("match 1/6")
    assert "Russia on Wednesday called on Baku" in screen
    # Back to the results, a new search, the second article: its own text.
    terminal.keys("q", "/", "Munich Security Conference")
    terminal.wait_for("results for Munich Security Conference")
    terminal.keys("Enter", "Enter")
    screen = terminal.wait_for("Lachin Corridor Talks")
    assert "On the sidelines of the Munich" in screen and "Russia on Wednesday" not in screen
    terminal.keys("g")
    screen = terminal.wait_for("Lavrov Discusses Lachin Corridor Regime")
    # Follow Nikol Pashinyan past his last mention here, into the next article.
    terminal.keys("e")
    terminal.wait_for("Entities in this article")
    terminal.keys("Down")
    terminal.wait_for("mentions of Nikol Pashinyan")
    terminal.keys("r", "m", "m", "m")
    screen = terminal.wait_for("mention 1/4 of Nikol Pashinyan")
    assert "Pashinyan" in screen.split("mention 1/4", 1)[1]  # the mention is on screen
    terminal.keys("[")  # back: the first article, where the reader left it
    screen = terminal.wait_for("2 mentions of Nikol Pashinyan")
    assert "On the sidelines of the Munich Security Conference" in screen
    terminal.keys("q")  # up to the results
    terminal.wait_for("results for Munich Security Conference")
    terminal.keys("q")  # quit at the top
    screen = terminal.wait_for("EXITED:0")
    assert "left while" not in screen
    assert "Lachin Corridor Talks" not in screen  # the app's screen is gone: the terminal was restored


def test_y_copies_a_citation_into_the_terminals_clipboard(terminal):
    terminal.wait_for("newest first")
    terminal.keys("Zakharova")
    terminal.wait_for("1 result for Zakharova")
    terminal.keys("Enter", "Enter")
    terminal.wait_for("match 1/6")
    terminal.keys("y")  # the sentence of the current match
    terminal.wait_for("Copied a citation")
    copied = terminal.clipboard()
    assert copied.startswith(
        "> This terse call to Baku was made by Russian Foreign Ministry spokesperson Maria Zakharova"
    )
    assert "> — “Russia Urges Baku to ‘Unblock Lachin Corridor’”, Asbarez, 2023-06-23" in copied


def _settled_alike(left: Terminal, right: Terminal, timeout: float = 20) -> str:
    """Both screens, colours included, once they agree (each settles at its own pace)."""
    deadline = time.monotonic() + timeout
    while True:
        a, b = (
            subprocess.run([TMUX, "capture-pane", "-e", "-p", "-t", t.name], capture_output=True, text=True).stdout
            for t in (left, right)
        )
        if a == b or time.monotonic() > deadline:
            assert a == b, "the screens differ"
            return a
        time.sleep(0.3)


def test_writing_only_changed_cells_shows_what_textual_draws(tmp_path):
    """The same flow in two terminals: one through the frame filter (tui/screen_diff.py), one
    through Textual's own driver (TEXTUAL_DRIVER); after each step both show the same cells in
    the same colours: typing, a second search, an article scrolled, help, the palette, a resize,
    Ctrl+L."""
    exe = Path(sys.executable).parent / "tuibrowser"
    terminals = []
    try:
        for name, extra in (("diffed", {}), ("plain", {"TEXTUAL_DRIVER": "textual.drivers.linux_driver:LinuxDriver"})):
            home = tmp_path / name
            shutil.copytree(SAMPLE_CORPUS, home / "corpus")
            env = {f"XDG_{kind}_HOME": str(home / kind.lower()) for kind in ("DATA", "CONFIG", "CACHE", "STATE")}
            env |= {"TERM": "xterm-256color", "PATH": os.environ.get("PATH", ""), **extra}
            command = [
                "env",
                "-u",
                "NO_COLOR",
                "-u",
                "COLORTERM",
                str(exe),
                "--corpus",
                str(home / "corpus"),
                "--index",
                str(home / "index"),
            ]
            terminals.append(Terminal(command, env))
        diffed, plain = terminals
        for term in terminals:
            term.wait_for("newest first")
        steps = [
            ("Lachin",),
            ("C-u", "Zakharova"),
            ("Enter", "Enter"),
            ("PageDown", "PageDown"),
            ("q", "/", "Munich"),
            ("Enter", "Enter", "e"),
            ("F1",),  # help over the browser
            ("Escape", "C-p", "Lavrov"),  # the palette, filtering as it is typed
            ("Escape",),
        ]
        for keys in steps:
            for term in terminals:
                term.keys(*keys)
            _settled_alike(diffed, plain)
        for term in terminals:
            subprocess.run([TMUX, "resize-window", "-t", term.name, "-x", "120", "-y", "40"], check=True)
        assert "Munich" in _settled_alike(diffed, plain)
        for term in terminals:
            term.keys("C-l", "q")
        _settled_alike(diffed, plain)
    finally:
        for term in terminals:
            term.close()


def test_ctrl_q_during_an_import_gives_the_shell_back_at_once(terminal, tmp_path):
    """Found by a tester: Ctrl+Q while the import dialog worked left a blank terminal until
    the import ended (Python waits for the job's thread); with a hostile file, for ever."""
    bbc = SHARED_DATA / "bbc-news" / "bbc"
    if not bbc.is_dir():
        pytest.skip("../shared/data is not beside the repository")
    incoming = tmp_path / "incoming"
    shutil.copytree(bbc, incoming)  # 2,225 articles: an import that takes a while
    terminal.wait_for("newest first")
    terminal.keys("C-p")
    terminal.wait_for("Import files")
    terminal.keys("Import files", "Enter")
    terminal.wait_for("Import")
    terminal.keys(str(incoming), "Enter")
    terminal.wait_for("indexing…", timeout=120)  # the files are read: the index is being written
    started = time.monotonic()
    terminal.keys("C-q")
    screen = terminal.wait_for("EXITED:0", timeout=10)
    assert time.monotonic() - started < 10
    assert "left while an import or index update was running" in screen
