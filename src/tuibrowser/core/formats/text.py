"""Plain text: decode (UTF-8, else a detected legacy encoding) and hand over as one item."""

from __future__ import annotations

import codecs
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


_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose mark begins it
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

MIXED_SHARE = 0.1
"""A file that is not valid UTF-8 but has at least this many valid UTF-8 characters (beyond
ASCII) per invalid byte is taken for UTF-8 with Latin-1/Windows-1252 parts (pasted text,
concatenated files); fewer, and the valid ones are accidents of a legacy encoding."""


def decode(raw: bytes) -> str:
    """Text from bytes: by its byte order mark (UTF-8, UTF-16, UTF-32), UTF-8 when valid,
    UTF-8 with Windows-1252 for the bytes that are not (a mixed file), else a detected
    legacy encoding.

    Raises:
        FormatError: for binary data or bytes that no text encoding reads plausibly.
    """
    for mark, encoding in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                raise FormatError(f"not valid {encoding.upper()} despite its byte order mark") from None
    if b"\0" in raw[:8192]:
        raise FormatError("binary file (contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8_error = error
    if _mostly_utf8(raw):
        return raw.decode("utf-8-sig", errors=_WINDOWS_1252_BYTES)
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


def _mostly_utf8(raw: bytes) -> bool:
    """True for UTF-8 text with some bytes of another encoding (see MIXED_SHARE)."""
    text = raw.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - raw.count("\ufffd".encode())
    valid = sum(1 for char in text if char > "\x7f" and char != "\ufffd")
    return invalid > 0 and valid >= MIXED_SHARE * invalid


# Windows-1252 leaves five bytes undefined; Latin-1 reads them as C1 controls, which
# cleaning removes.
_CP1252 = [chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252") for b in range(256)]


def _windows_1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the bytes UTF-8 cannot read, read as Windows-1252."""
    assert isinstance(error, UnicodeDecodeError)
    return "".join(_CP1252[b] for b in error.object[error.start : error.end]), error.end


_WINDOWS_1252_BYTES = "tuibrowser-windows-1252-bytes"
codecs.register_error(_WINDOWS_1252_BYTES, _windows_1252_bytes)


def _textual_share(text: str) -> float:
    if not text:
        return 0.0
    good = sum(
        1 for ch in text if ch in "\n\r\t" or unicodedata.category(ch)[0] in "LNZPS" or unicodedata.category(ch) == "Mn"
    )
    return good / len(text)


def read_text(raw: bytes) -> list[RawItem]:
    return [RawItem(decode(raw), plain=True)]
