"""Issue 13: hostile files, names and faults. Nothing reaches the terminal, nothing is lost,
nothing hangs. One test (or a few) per reproduced failure, all in temporary folders."""

from __future__ import annotations

import json
import os
import shutil
import unicodedata
from pathlib import Path

import pytest

from conftest import SAMPLE_CORPUS
from tuibrowser.cli import main
from tuibrowser.core.indexer import sync

ARTICLE = (
    "Foreign ministers met in Geneva on Tuesday to discuss the corridor, officials said.\n\n"
    "The talks, led by Mr Jonas Keller of the Regional Council, lasted six hours."
)


@pytest.fixture
def library(tmp_path):
    """(corpus, index): a copy of the sample corpus, indexed."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    sync(corpus, tmp_path / "index")
    return corpus, tmp_path / "index"


def run(capsys, library, *args: str) -> tuple[int, str, str]:
    corpus, index = library
    code = main(["--corpus", str(corpus), "--index", str(index), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def terminal_unsafe(text: str) -> list[str]:
    """Characters a terminal would act on or that hide or reorder text: C0 but line feed,
    DEL, C1, format characters but ZWJ/ZWNJ, line/paragraph separators, surrogates."""
    return [
        f"U+{ord(c):04X}"
        for c in text
        if (ord(c) < 0x20 and c != "\n")
        or 0x7F <= ord(c) <= 0x9F
        or (unicodedata.category(c) in ("Cf", "Cs", "Zl", "Zp") and c not in "\u200c\u200d")
    ]


def article(title: str) -> bytes:
    """A plain-text article whose title and body are its own (so it is not a duplicate)."""
    return f"{title}\n\n{title}: a report.\n\n{ARTICLE}".encode()


HOSTILE_NAMES = [
    b"x\x1b]52;c;cHduZWQ=\x1b\\.txt",  # OSC 52: sets the clipboard
    b"t\x1b]0;owned\x07.txt",  # OSC 0: window title
    b"c\x1b[2J\x1b[H.txt",  # clears the screen
    "r\u202etxt.exe.txt".encode(),  # right-to-left override
    "al\u061cm.txt".encode(),  # Arabic letter mark
    "tag\U000e0041\U000e0042.txt".encode(),  # tag characters
    b"new\nline.txt",
    b"caf\xe9.txt",  # not UTF-8
]


def write_named(folder: Path, name: bytes, data: bytes) -> None:
    with open(os.fsencode(folder) + b"/" + name, "wb") as out:
        out.write(data)


# 1. File names reach the terminal raw.


def test_hostile_file_names_are_shown_escaped_by_import_index_and_search(tmp_path, library, capsys):
    corpus, _ = library
    folder = tmp_path / "hostile"
    folder.mkdir()
    for number, name in enumerate(HOSTILE_NAMES):
        write_named(folder, name, article(f"Report number {number} from the hostile folder"))
    code, out, err = run(capsys, library, "import", str(folder))
    assert code == 0
    assert terminal_unsafe(out + err) == []
    assert out.count("imported") == len(HOSTILE_NAMES) + 1  # the verdicts and the summary
    assert "x\\x1b]52;c;cHduZWQ=\\x1b\\.txt" in out and "caf\\xe9.txt" in out and "r\\u202etxt" in out

    code, out, err = run(capsys, library, "import", str(folder), "--json")
    assert terminal_unsafe(out + err) == []
    shown = {v["path"] for v in json.loads(out)}
    assert os.fsdecode(os.fsencode(folder) + b"/" + HOSTILE_NAMES[0]) in shown  # exact data in JSON

    # Files dropped straight into the corpus under hostile names: the automatic sync before
    # a search lists the ones it skips, and `index` does too.
    for name in HOSTILE_NAMES:
        write_named(corpus, name, b"")  # empty: skipped, with its name in the message
    code, out, err = run(capsys, library, "search", "Geneva")
    assert code == 0 and err.count("tuibrowser: skipped ") == len(HOSTILE_NAMES)
    assert terminal_unsafe(out + err) == []
    code, out, err = run(capsys, library, "index", "--rebuild")
    assert code == 0 and out.count("\nskipped ") == len(HOSTILE_NAMES)
    assert terminal_unsafe(out + err) == []


def test_entities_toml_names_and_descriptions_are_cleaned_before_any_output(library, capsys):
    corpus, _ = library
    with (corpus / "entities.toml").open("a", encoding="utf-8") as kb:
        kb.write(
            '\n[[entity]]\nid = "jonas-keller"\nname = "Jonas \\u202eKeller\\u001b]0;owned\\u0007"\ntype = "person"\n'
            'aliases = ["Keller\\u200b"]\ndescription = "Chair\\u001b[2J of the \\U000E0041council\\u009b"\n'
        )
    (corpus / "keller.txt").write_bytes(article("Council chair speaks"))
    for command in (["entities"], ["entity", "jonas-keller"], ["entities", "--json"], ["show", "council-chair-speaks"]):
        code, out, err = run(capsys, library, *command)
        assert code == 0, err
        assert terminal_unsafe(out + err) == []
    code, out, _ = run(capsys, library, "entity", "jonas-keller")
    assert out.startswith("Jonas Keller (person)\nChair of the council\n")
