"""Recognise a line that is nothing but a publication date, in the forms news sites print."""

from __future__ import annotations

import datetime as dt
import re

MAX_DATE_LINE = 100
"""Longer lines are never date lines ("Updated: Friday, 23 June 2023, 10:00 a.m. BST" is 45)."""

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[a-z]{2,4}|\s*[+-]\d{2}:?\d{2})?)?"
_PREFIX = r"(?:(?:published|updated|posted|date)\s*(?:on\s*)?(?::\s*)?)?"  # no two runs of \s meet

_DATE_FORMS = [
    # 2023-05-26, 2023-05-26T10:00:00Z
    re.compile(
        r"(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})"
        r"(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    ),
    # May 26, 2023 / Friday, May 26 2023
    re.compile(_WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME),
    # 23 June 2023 / Friday, 23 June 2023
    re.compile(_WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})" + _TIME),
]


def parse_date(text: str) -> str | None:
    """Return the ISO date if `text` is only a date (with optional weekday, time, 'Updated:').

    A line that merely contains a date ("signed on 7 October 2022") is not a date line:
    only whole-line matches count, so dates in the body never become metadata.
    """
    if len(text) > MAX_DATE_LINE:
        return None  # a paragraph, not a date line; and the patterns never see long input
    candidate = text.strip().rstrip(".").strip()
    lowered = candidate.lower()
    prefix = re.match(_PREFIX, lowered)
    if prefix:
        candidate = candidate[prefix.end() :]
        lowered = lowered[prefix.end() :]
    for form in _DATE_FORMS:
        match = form.fullmatch(lowered)
        if match:
            return _to_iso(match)
    return None


def _to_iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    month = int(groups["mon"]) if groups.get("mon") else _MONTHS[groups["month"]]
    try:
        return dt.date(int(groups["year"]), month, int(groups["day"])).isoformat()
    except ValueError:
        return None
