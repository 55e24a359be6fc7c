"""Recognise a line that is nothing but a publication date, in the forms news sites print.

Saved pages print dates with times and time zones in many orders ("21 December 2022 10:36
(UTC+04:00)", "10:36, 21 December 2022 (GMT+4)", "2023-04-23 14:25:10 | Updated: ..."), and
sometimes a time alone ("18:42 GMT+4"): a line of that kind is chrome, never a title.
Every input here is one short line (at most MAX_DATE_LINE characters), so the patterns never
see long text.
"""

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
# A time zone: "GMT", "BST", "(UTC+04:00)", "GMT+4", "+0400" (zone names: UTC, GMT, MSK and
# the abbreviations ending in "t" such as EST, CEST, AZT; so "18:42 Baku" is not a time line).
_ZONE = r"(?:\s*\(?(?:(?:utc|gmt|msk|[a-z]{1,3}t)(?:\s?[+-−]\s?\d{1,2}(?::?\d{2})?)?|[+-−]\d{2}:?\d{2})\)?)"
_CLOCK = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?"
_TIME = r"(?:,?\s*(?:at\s+)?" + _CLOCK + _ZONE + r"?)?"
_PREFIX = r"(?:(?:published|updated|posted|date|last updated)\s*(?:on\s*)?(?::\s*)?)?"  # no two runs of \s meet
# A time before the date: "10:36, 21 December 2022 (GMT+4)", "14:02 | 5 May 2023".
_LEADING_TIME = re.compile(_CLOCK + _ZONE + r"?\s*[,|–—-]?\s*")
_TIME_LINE = re.compile(_PREFIX + _CLOCK + _ZONE + r"?")

_DATE_FORMS = [
    # 2023-05-26, 2023-05-26T10:00:00Z
    re.compile(
        r"(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})"
        r"(?:[t ,]\s?\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:z|[+-]\d{2}:?\d{2}|" + _ZONE + r")?)?"
    ),
    # 21.12.2022, 10:36 (day first, as in Europe; slashes are left alone: 05/11 is ambiguous)
    re.compile(r"(?P<day>\d{1,2})\.(?P<mon>\d{1,2})\.(?P<year>\d{4})" + _TIME),
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
    # "2023-04-23 14:25:10 | Updated: 2023-04-24": the first date is the publication date.
    for part in text.split("|"):
        iso = _parse_one(part)
        if iso:
            return iso
        if part.strip():
            break  # "Opinion | 5 May 2023" is not a date line
    return None


def _parse_one(text: str) -> str | None:
    lowered = text.strip().rstrip(".").strip().lower()
    prefix = re.match(_PREFIX, lowered)
    if prefix:
        lowered = lowered[prefix.end() :]
    for candidate in (lowered, _without_leading_time(lowered)):
        for form in _DATE_FORMS:
            match = form.fullmatch(candidate)
            if match:
                return _to_iso(match)
    return None


def _without_leading_time(lowered: str) -> str:
    """ "10:36, 21 december 2022 (gmt+4)" -> "21 december 2022 (gmt+4)" (the zone then ends it)."""
    match = _LEADING_TIME.match(lowered)
    if not match or match.end() == len(lowered):
        return lowered
    rest = lowered[match.end() :]
    return re.sub(_ZONE + r"$", "", rest).rstrip() if "(" in rest else rest


def is_time_line(text: str) -> bool:
    """A line that is only a time, perhaps with a zone: "18:42 GMT+4", "Updated 14:02"."""
    if len(text) > 40:
        return False
    return bool(_TIME_LINE.fullmatch(text.strip().rstrip(".").lower()))


def _to_iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    month = int(groups["mon"]) if groups.get("mon") else _MONTHS[groups["month"]]
    try:
        return dt.date(int(groups["year"]), month, int(groups["day"])).isoformat()
    except ValueError:
        return None
