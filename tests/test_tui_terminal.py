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

from conftest import SAMPLE_CORPUS

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


class Terminal:
    """A detached tmux session running one command, read with capture-pane."""

    def __init__(self, command: list[str], env: dict[str, str], size=(80, 24)):
        self.name = f"tb-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{key}={value}" for key, value in env.items())
        shell = f"env {exports} {' '.join(command)}; echo EXITED:$?; sleep 60"
        subprocess.run(
            [TMUX, "new-session", "-d", "-s", self.name, "-x", str(size[0]), "-y", str(size[1]), shell], check=True
        )
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
    terminal.wait_for("EXITED:0")


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
