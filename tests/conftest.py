"""Shared fixtures: every test runs with its own XDG folders and temporary corpus copies."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from tuibrowser.core.indexer import sync

pytest_plugins = ["tui_support"]  # the TUI fixtures (make_app, built_corpus, no_animation)

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = REPO / "corpus"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Point XDG and tuibrowser variables at a temp dir: tests never see the user's data."""
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.delenv("TUIBROWSER_CORPUS", raising=False)
    monkeypatch.delenv("TUIBROWSER_INDEX", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return home


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A writable copy of the sample corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, target)
    return target


@pytest.fixture
def index_dir(tmp_path) -> Path:
    return tmp_path / "index"


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """A read-only index of the sample corpus, built once per test session."""
    index = tmp_path_factory.mktemp("seed") / "index"
    sync(SAMPLE_CORPUS, index)
    return index


def seed_path(prefix: str) -> Path:
    """The sample file whose name starts with `prefix` ("000" ... "004")."""
    return next(SAMPLE_CORPUS.glob(f"{prefix}_*.txt"))


def terminal_unsafe(text: str) -> list[str]:
    """What a terminal would act on, or what hides or reorders text, in program output: C0
    controls but line feed, DEL, C1, format characters but ZWJ/ZWNJ, line and paragraph
    separators, surrogates. Written here independently of core.sanitize, to check it."""
    return [
        f"U+{ord(c):04X}"
        for c in text
        if (ord(c) < 0x20 and c != "\n")
        or 0x7F <= ord(c) <= 0x9F
        or (unicodedata.category(c) in ("Cf", "Cs", "Zl", "Zp") and c not in "\u200c\u200d")
    ]
