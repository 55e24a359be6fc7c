"""What must never reach a terminal, defined once: removed from article text, shown visibly elsewhere.

Every string that comes from outside (article text, file names and paths, entities.toml,
settings, error messages that quote any of these) goes through this module before any face
shows it. Only `re` is imported, so the CLI and the TUI pay nothing for it.

Unsafe characters:

- C0 controls (U+0000-U+001F; tab and line feed are kept in multi-line text), DEL and the
  C1 controls (U+007F-U+009F). ESC and CSI start terminal sequences: OSC 52 sets the
  clipboard, OSC 0 the window title, CSI 2J clears the screen; CR and BS overwrite a line.
- Format characters (Unicode category Cf). They are invisible, and some reorder or hide
  text: the bidi controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), the tag
  characters (U+E0000-U+E007F), soft hyphens, zero-width spaces, byte order marks and the
  rest of the category. Two are kept: ZERO WIDTH JOINER (U+200D) and ZERO WIDTH NON-JOINER
  (U+200C). Emoji sequences and the spelling of Persian, Arabic and Indic words need them,
  and they can neither move text nor hide it.
- The line and paragraph separators U+2028 and U+2029 (they break a line where one line is
  expected), and surrogates (U+D800-U+DFFF), which are never text: Python uses
  U+DC80-U+DCFF for the bytes of a file name that is not UTF-8.

The list of format characters is written out (Unicode 15.1) instead of being computed from
`unicodedata`, which would cost a scan of every code point at start-up; a test checks it
against the running Python's Unicode database.
"""

from __future__ import annotations

import json
import os
import re

_UNSAFE_RANGES = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 except tab and line feed, DEL, C1
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"  # format characters (Cf) ...
    "\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e007f"  # ... up to the tag characters
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff"  # surrogates
)
_UNSAFE = re.compile(f"[{_UNSAFE_RANGES}]")
_UNSAFE_IN_LINE = re.compile(f"[\t\n{_UNSAFE_RANGES}]")

# Whole terminal sequences, so stripping leaves no "[31m" behind. Each alternative is
# linear: the string forms are bounded, and no two quantified classes overlap.
_SEQUENCE = re.compile(
    r"(?:\x1b[\]P_^X]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)"  # OSC, DCS, APC, PM, SOS
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, colours, clearing
    r"|\x1b[ -/]*[0-~]"  # the other escapes: character sets, ESC c (reset), ...
)

_SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def is_unsafe(char: str) -> bool:
    """True for a character that must not reach a terminal as it is (see the module docstring)."""
    return _UNSAFE.fullmatch(char) is not None


def strip_unsafe(text: str) -> str:
    """Remove terminal sequences (whole) and every unsafe character; tabs and line feeds stay.

    For text that is kept and shown as content: article text at index time, names and
    descriptions in entities.toml.
    """
    if _UNSAFE.search(text) is None:
        return text  # (most text: every sequence begins with an unsafe ESC or C1 character)
    return _UNSAFE.sub("", _SEQUENCE.sub("", text))


def printable(text: str | os.PathLike[str]) -> str:
    """One line that is safe to print: every unsafe character, tab and line break made visible.

    For outside strings that identify something (file names, paths, keys, queries, error
    messages), where removing characters would hide what is there: `x<ESC>]52;…` is shown as
    `x\\x1b]52;…`, U+202E as `\\u202e`, a line feed as `\\n`, and a byte of a file name that
    is not UTF-8 as `\\xe9`.
    """
    return _UNSAFE_IN_LINE.sub(_visible, os.fspath(text))


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def safe_json(data: object, *, indent: int | None = 2) -> str:
    """JSON text with every unsafe character written as a \\u escape, so none reaches a terminal.

    The data are exact: a consumer reads back the same strings (a file name's surrogate
    escapes included), while the text itself holds nothing a terminal would act on.
    """
    dumped = json.dumps(data, ensure_ascii=False, indent=indent)
    # Outside strings, JSON text is ASCII, so every unsafe character found is inside a string.
    return _UNSAFE.sub(_json_escape, dumped)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON writes other planes as a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
