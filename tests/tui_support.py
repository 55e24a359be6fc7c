"""TUI test support: an app over a temporary copy of a corpus, with its own state and settings,
and helpers that read what is on the screen (the rendered text, not the app's state).

Registered as a pytest plugin in conftest.py; test modules import the helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE_CORPUS
from tuibrowser.core.indexer import sync
from tuibrowser.core.paths import Locations
from tuibrowser.core.services import Services
from tuibrowser.core.settings import load_settings
from tuibrowser.core.user_state import StateStore
from tuibrowser.tui.app import TuiBrowserApp, create_app

HOSTILE = REPO / "tests" / "data" / "hostile" / "hostile.txt"
WIDE, NARROW = (120, 40), (80, 24)


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory) -> Locations:
    """The sample corpus, indexed once; tests that change it copy it first."""
    root = tmp_path_factory.mktemp("tui")
    corpus = root / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    sync(corpus, root / "index")
    return Locations(corpus, root / "index")


@pytest.fixture
def make_app(tmp_path, built_corpus):
    """make_app(locations=None, config=None, state=None) -> a fresh app with its own state file."""

    def factory(
        locations: Locations | None = None, config: str | None = None, state: Path | None = None
    ) -> TuiBrowserApp:
        config_file = tmp_path / "config.toml"
        if config is not None:
            config_file.write_text(config, encoding="utf-8")
        settings = load_settings(config_file, environ={})
        store = StateStore.open(state or tmp_path / "state.json")
        app = create_app(Services(locations or built_corpus), settings, store)
        app.animation_level = "none"  # TEXTUAL_ANIMATIONS is read when Textual is imported
        return app

    return factory


async def settle(app, pilot) -> None:
    """Let workers finish and the screen catch up (a result's preview, which waits for the
    highlight to rest, included)."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    while getattr(app.main, "_preview_timer", None) is not None:
        await pilot.pause(0.05)
    await app.workers.wait_for_complete()
    await pilot.pause()


def screen_lines(app) -> list[str]:
    """What the terminal shows now, line by line, as plain text (the composited screen)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))


def widget_lines(widget) -> list[str]:
    """The lines a widget shows on screen, as plain text (its region of the composited screen)."""
    region = widget.region
    lines = screen_lines(widget.app)[region.y : region.bottom]
    return [line[region.x : region.right] for line in lines]


def indexed_copy(tmp_path: Path, *extra: Path) -> Locations:
    corpus = tmp_path / "corpus-copy"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    for path in extra:
        shutil.copy(path, corpus / path.name)
    sync(corpus, tmp_path / "index-copy")
    return Locations(corpus, tmp_path / "index-copy")
