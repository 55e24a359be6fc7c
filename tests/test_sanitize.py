"""The one definition of what must not reach a terminal, and its renderings."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata

import pytest

from tuibrowser.core.sanitize import is_unsafe, printable, safe_json, strip_unsafe


def test_every_format_character_but_the_joiners_is_unsafe():
    # The module lists the Cf category by hand (no start-up scan); this keeps the list honest
    # for the Unicode version of the running Python.
    missing = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if unicodedata.category(chr(code)) == "Cf" and not is_unsafe(chr(code))
    ]
    assert missing == ["U+200C", "U+200D"]


@pytest.mark.parametrize(
    "char",
    [
        *("\x1b", "\x07", "\x00", "\r", "\x7f", "\x85", "\x9b"),  # C0, DEL, C1
        *("\u202e", "\u2066", "\u061c", "\u200b", "\ufeff", "\U000e0001", "\U000e0041", "\U000e007f"),  # Cf
        *("\u2028", "\u2029", "\udce9", "\ud800"),  # separators, surrogates
    ],
)
def test_controls_bidi_tags_separators_and_surrogates_are_unsafe(char):
    assert is_unsafe(char)


@pytest.mark.parametrize("char", ["a", " ", "\t", "\n", "é", "\u200d", "\u200c", "«", "—", "👩", "\u0645"])
def test_text_characters_are_safe(char):
    assert not is_unsafe(char)


def test_printable_shows_what_a_file_name_holds_without_acting_on_it():
    assert printable("x\x1b]52;c;cHduZWQ=\x1b\\.txt") == "x\\x1b]52;c;cHduZWQ=\\x1b\\.txt"
    assert printable("evil\u202etxt.exe") == "evil\\u202etxt.exe"
    assert printable("tag\U000e0041.txt") == "tag\\U000e0041.txt"
    assert printable("two\nlines\tand tab") == "two\\nlines\\tand tab"
    # A byte that is not UTF-8, as os.fsdecode gives it, is shown as the byte.
    assert printable(b"caf\xe9.txt".decode("utf-8", "surrogateescape")) == "caf\\xe9.txt"
    assert printable("café — «ok» 👩\u200d💻") == "café — «ok» 👩\u200d💻"


def test_strip_unsafe_removes_whole_sequences_and_keeps_lines():
    text = "red \x1b[1;31malert\x1b[0m\n\x1b]0;title\x07kept\x1b]52;c;aGk=\x1b\\ \x1bcdone\x9b2J."
    assert strip_unsafe(text) == "red alert\nkept done."
    assert strip_unsafe("a\u202eb\U000e0041c\u00add") == "abcd"


def test_safe_json_escapes_unsafe_characters_and_round_trips():
    data = {"path": "x\x1b]0;t\x07\x9b\u202e\U000e0041\udce9 é", "n": [1, None]}
    text = safe_json(data)
    assert not any(is_unsafe(char) for char in text.replace("\n", ""))
    assert json.loads(text) == data


def test_sanitize_imports_nothing_heavy():
    code = (
        "import sys, tuibrowser.core.sanitize; "
        "print(sorted(m for m in ('textual', 'rich', 'whoosh') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
