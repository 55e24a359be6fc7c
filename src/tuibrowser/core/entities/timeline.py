"""When an entity was mentioned: articles and mentions per month, week or year.

Computed from the index alone, without reading any article: the entity's postings give the
articles that mention it and, as the term's frequency, how many times (the indexer writes
one `entities` term per mention); the sortable `date` column gives each article's date.
So a timeline costs the same whether the entity is in ten articles or ten thousand of a
30,000-article archive.

Periods always cover the whole corpus's date range (or the window asked for), zeros
included, so two entities' timelines line up on the same scale. Undated articles are
counted apart, never put into a period.
"""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tuibrowser.core.columns import numbers

if TYPE_CHECKING:
    from tuibrowser.core.searchers import IndexView

GRANULARITIES = ("month", "week", "year")

WEEKS_UP_TO_DAYS = 92
"""A corpus spanning at most this many days is counted by week (a month would be one bar)."""

YEARS_FROM_DAYS = 366 * 10
"""A corpus spanning more than ten years is counted by year."""

_MISSING = 2**64 - 1
"""What Whoosh's sortable DATETIME column holds for a document with no date."""


@dataclass(frozen=True, slots=True)
class Period:
    """One bar of a timeline."""

    label: str
    """"2023-05" (month), "2023-W21" (ISO week) or "2023" (year)."""
    start: dt.date
    end: dt.date
    """First day after the period."""
    articles: int
    mentions: int


@dataclass(frozen=True, slots=True)
class Timeline:
    """An entity's mentions over time."""

    by: str
    periods: tuple[Period, ...]
    undated_articles: int
    undated_mentions: int
    first: str | None
    """ISO date of the earliest dated article that mentions the entity (in the window)."""
    last: str | None

    @property
    def peak(self) -> Period | None:
        """The period with the most articles (the earliest of equals), or None if all are zero."""
        best = max(self.periods, key=lambda p: (p.articles, -p.start.toordinal()), default=None)
        return best if best is not None and best.articles else None

    def period(self, label: str) -> Period | None:
        return next((p for p in self.periods if p.label == label), None)


def granularity_for(first: dt.date, last: dt.date) -> str:
    """Month by default; week for a short corpus, year for a long one."""
    days = (last - first).days
    if days <= WEEKS_UP_TO_DAYS:
        return "week"
    if days > YEARS_FROM_DAYS:
        return "year"
    return "month"


def period_start(day: dt.date, by: str) -> dt.date:
    if by == "year":
        return dt.date(day.year, 1, 1)
    if by == "week":
        return day - dt.timedelta(days=day.weekday())
    return dt.date(day.year, day.month, 1)


def next_period(start: dt.date, by: str) -> dt.date:
    if by == "year":
        return dt.date(start.year + 1, 1, 1)
    if by == "week":
        return start + dt.timedelta(days=7)
    return dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)


def period_label(start: dt.date, by: str) -> str:
    if by == "year":
        return f"{start.year:04}"
    if by == "week":
        year, week, _ = start.isocalendar()
        return f"{year:04}-W{week:02}"
    return f"{start.year:04}-{start.month:02}"


def _to_date(value: int) -> dt.date | None:
    if value == _MISSING:
        return None
    try:
        return (dt.datetime.min + dt.timedelta(microseconds=value)).date()
    except OverflowError:
        return None


Dated = tuple[dt.date | None, int]
"""An article's date (None when undated) and how many times it mentions the entity."""


def _dated_mentions(source: Path | IndexView, entity_id: str) -> tuple[list[Dated], dt.date | None, dt.date | None]:
    """(date or None, mentions) for every article that mentions the entity, and the corpus's
    first and last dates."""
    from tuibrowser.core.searchers import viewing

    with viewing(source) as view:
        searcher = view.searcher
        reader = searcher.reader()
        span = view.cache.get("date-span")
        dates = view.cache.get("dates")
        if dates is None:
            # Every document's date, segment by segment. Not Whoosh's column_reader over the
            # whole index: it leaves out the segments with no date column (only undated
            # articles in them) and then reads their documents from the wrong segment
            # (whoosh-reloaded 2.7.5, reading.py MultiReader.column_reader; no upstream issue
            # found). An undated first article took a date of the year 18.
            dates = view.cache["dates"] = array("Q")
            for segment, _offset in reader.leaf_readers():
                dates.extend(numbers(segment, "date", _MISSING))
        if span is None:
            # The corpus's first and last dates: one pass over the column, kept with the view.
            raw = [value for value in (dates[n] for n in reader.all_doc_ids()) if value != _MISSING]
            span = view.cache["date-span"] = (
                _to_date(min(raw)) if raw else None,
                _to_date(max(raw)) if raw else None,
            )
        found: list[Dated] = []
        if reader.doc_frequency("entities", entity_id):
            matcher = searcher.postings("entities", entity_id)
            while matcher.is_active():
                docnum = matcher.id()
                if not reader.is_deleted(docnum):
                    found.append((_to_date(dates[docnum]), int(matcher.value_as("frequency"))))
                matcher.next()
    return found, span[0], span[1]


def entity_timeline(
    source: Path | IndexView,
    entity_id: str,
    *,
    by: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Timeline:
    """Articles and mentions of the entity per period.

    Args:
        by: "month", "week" or "year"; chosen from the corpus's date range when None.
        start, end: Only dates from `start` to `end` (inclusive); undated articles are then
            left out of the counts too.
    """
    if by is not None and by not in GRANULARITIES:
        raise ValueError(f"by must be one of {', '.join(GRANULARITIES)}")
    found, first_day, last_day = _dated_mentions(source, entity_id)
    windowed = start is not None or end is not None
    low = start or first_day
    high = end or last_day
    by = by or (granularity_for(first_day, last_day) if first_day and last_day else "month")
    undated = [m for d, m in found if d is None] if not windowed else []
    dated = [(d, m) for d, m in found if d is not None and (low is None or d >= low) and (high is None or d <= high)]
    periods: list[Period] = []
    if low is not None and high is not None and low <= high:
        counts: dict[dt.date, list[int]] = {}
        for day, mentions in dated:
            bucket = counts.setdefault(period_start(day, by), [0, 0])
            bucket[0] += 1
            bucket[1] += mentions
        cursor = period_start(low, by)
        while cursor <= high:
            following = next_period(cursor, by)
            articles, mentions = counts.get(cursor, (0, 0))
            periods.append(Period(period_label(cursor, by), cursor, following, articles, mentions))
            cursor = following
    days = sorted(d for d, _ in dated)
    return Timeline(
        by,
        tuple(periods),
        len(undated),
        sum(undated),
        days[0].isoformat() if days else None,
        days[-1].isoformat() if days else None,
    )


_BARS = "▁▂▃▄▅▆▇█"


def spark(values: list[int]) -> str:
    """A text sparkline (one block character per value; zero is a space)."""
    top = max(values, default=0)
    if top <= 0:
        return " " * len(values)
    return "".join(" " if v <= 0 else _BARS[min(len(_BARS) - 1, (v * len(_BARS) - 1) // top)] for v in values)


def date_window(first: str | None, last: str | None) -> tuple[str | None, str | None]:
    """(first, last) ISO dates from what a person types: YYYY, YYYY-MM or YYYY-MM-DD; `first`
    is the start of what it names, `last` its end ("--to 2023-05" is up to 31 May).

    Raises:
        ValueError: for a date that cannot be read, or a window that ends before it starts.
    """
    low = _bound(first, end=False) if first else None
    high = _bound(last, end=True) if last else None
    if low and high and low > high:
        raise ValueError(f"the window ends ({high}) before it starts ({low})")
    return (low, high)


def _bound(text: str, *, end: bool) -> str:
    parts = text.strip().split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 1:
            day = dt.date(numbers[0], 12, 31) if end else dt.date(numbers[0], 1, 1)
        elif len(numbers) == 2:
            start = dt.date(numbers[0], numbers[1], 1)
            day = next_period(start, "month") - dt.timedelta(days=1) if end else start
        elif len(numbers) == 3:
            day = dt.date(*numbers)
        else:
            raise ValueError
    except ValueError:
        raise ValueError(f"cannot read the date {text!r}: use YYYY, YYYY-MM or YYYY-MM-DD") from None
    return day.isoformat()
