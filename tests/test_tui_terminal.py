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


def test_search_open_follow_an_entity_back_and_quit(terminal):
    terminal.wait_for("newest first")
    terminal.keys("prospects")
    terminal.wait_for("1 result for prospects")
    terminal.keys("Enter", "Enter")
    screen = terminal.wait_for("2023-05-26 · TRT World")
    assert "Russia sees prospects of settlement" in screen
    # Entities: the first person in this article is Nikol Pashinyan (7 mentions).
    terminal.keys("e", "Down")
    terminal.wait_for("Nikol Pashinyan: also in 3 articles")
    # Back to the reader; step through his mentions and past the last one, into the next
    # article that mentions him (2023-05-29, in date order).
    terminal.keys("r")
    for _ in range(8):
        terminal.keys("m")
    screen = terminal.wait_for("2023-05-29")
    assert "Russia's President Vladimir Putin" in screen
    terminal.keys("Escape", "[")
    terminal.wait_for("2023-05-26 · TRT World")
    terminal.keys("q")
    screen = terminal.wait_for("EXITED:0")
    assert "TRT World" not in screen  # the app's screen is gone: the terminal was restored
