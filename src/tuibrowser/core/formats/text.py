"""Plain text: decode (UTF-8, else a detected legacy encoding) and hand over as one item."""

from __future__ import annotations

import unicodedata

from tuibrowser.core.formats.items import FormatError, RawItem

MAX_CHAOS = 20.0
"""charset-normalizer's "chaos" (mess in the decoded text, 0-100) above which no guess is used."""

WESTERN = ("cp1252", "latin_1", "iso8859_15")
"""Preferred when they decode about as cleanly as the best guess: legacy-encoded news is
overwhelmingly Western European, and short samples tie between code pages (charset-normalizer
guessed cp932 for BBC sport/199.txt, which is Latin-1, and cp1250 for French words)."""

WESTERN_MARGIN = 10.0
"""How much more chaos a Western code page may show than the best guess and still be chosen."""

MIN_TEXTUAL = 0.95
"""Share of letters, digits, spaces, punctuation and symbols a decoded file must have."""


def decode(raw: bytes) -> str:
    """Text from bytes: UTF-8 when valid, else a detected legacy encoding.

    Raises:
        FormatError: for binary data or bytes that no text encoding reads plausibly.
    """
    if b"\0" in raw[:8192]:
        raise FormatError("binary file (contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8_error = error
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(raw) if m.percent_chaos <= MAX_CHAOS]
    if matches:
        best = min(matches, key=lambda m: (m.percent_chaos, -m.percent_coherence))
        western = [
            m for m in matches if m.encoding in WESTERN and m.percent_chaos <= best.percent_chaos + WESTERN_MARGIN
        ]
        choice = min(western, key=lambda m: WESTERN.index(m.encoding)) if western else best
        text = str(choice)
        if _textual_share(text) >= MIN_TEXTUAL:
            return text
    raise FormatError(f"not valid UTF-8 (byte {utf8_error.start}) and not text in any encoding tried")


def _textual_share(text: str) -> float:
    if not text:
        return 0.0
    good = sum(
        1 for ch in text if ch in "\n\r\t" or unicodedata.category(ch)[0] in "LNZPS" or unicodedata.category(ch) == "Mn"
    )
    return good / len(text)


def read_text(raw: bytes) -> list[RawItem]:
    return [RawItem(decode(raw), plain=True)]
