"""When an entity was mentioned: articles and mentions per month, week or year.

Computed from the index alone, without reading any article: the entity's postings give the
articles that mention it and, as the term's frequency, how many times (the indexer writes
one `entities` term per mention); the sortable `date` column gives each article's date.
So a timeline costs the same whether the entity is in ten articles or ten thousand of a
30,000-article archive.

Periods cover the corpus's date range (or the window asked for), zeros included, so two
entities' timelines line up on the same scale. Undated articles are counted apart, never
put into a period; so are the few dated far from all the others (OUTLYING_SHARE at each
end), counted as earlier or later: one 2023 article in a 1987 archive made every timeline
of it one bar of years.
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

OUTLYING_SHARE = 0.01
"""At most this share of the dated articles at each end of the corpus's range is left out
of the periods (counted as earlier or later) when that shortens the range."""

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
    earlier: tuple[int, int] = (0, 0)
    """(articles, mentions) dated before the first period: outliers of the corpus's range."""
    later: tuple[int, int] = (0, 0)
    """(articles, mentions) dated after the last period."""

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


Span = tuple[dt.date | None, dt.date | None, dt.date | None, dt.date | None]
"""The corpus's first and last dates less its outliers, then its very first and last."""


def _dated_mentions(source: Path | IndexView, entity_id: str) -> tuple[list[Dated], Span]:
    """(date or None, mentions) for every article that mentions the entity, and the corpus's
    date span."""
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
            # The corpus's range, less its outliers: one pass over the column, kept with the view.
            raw = sorted(value for value in (dates[n] for n in reader.all_doc_ids()) if value != _MISSING)
            span = view.cache["date-span"] = (
                *_span_less_outliers(raw),
                _to_date(raw[0]) if raw else None,
                _to_date(raw[-1]) if raw else None,
            )
        found: list[Dated] = []
        if reader.doc_frequency("entities", entity_id):
            matcher = searcher.postings("entities", entity_id)
            while matcher.is_active():
                docnum = matcher.id()
                if not reader.is_deleted(docnum):
                    found.append((_to_date(dates[docnum]), int(matcher.value_as("frequency"))))
                matcher.next()
    return found, span


def _span_less_outliers(raw: list[int]) -> tuple[dt.date | None, dt.date | None]:
    """First and last of the sorted dates, each end less its outliers: at most
    OUTLYING_SHARE of the dates, and only if they lie further out than the rest spans."""
    if not raw:
        return None, None
    cut = int(len(raw) * OUTLYING_SHARE)
    low, high = raw[0], raw[-1]
    inner_low, inner_high = raw[cut], raw[len(raw) - 1 - cut]
    body = inner_high - inner_low
    if inner_low - low > body:
        low = inner_low
    if high - inner_high > body:
        high = inner_high
    return _to_date(low), _to_date(high)


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
    found, (first_day, last_day, very_first, very_last) = _dated_mentions(source, entity_id)
    windowed = start is not None or end is not None
    # A window asked for is shown whole, outliers or not; without one, outliers go apart.
    low = start or (very_first if windowed else first_day)
    high = end or (very_last if windowed else last_day)
    by = by or (granularity_for(first_day, last_day) if first_day and last_day else "month")
    undated = [m for d, m in found if d is None] if not windowed else []
    dated = [(d, m) for d, m in found if d is not None and (low is None or d >= low) and (high is None or d <= high)]
    earlier = [m for d, m in found if d is not None and low is not None and d < low] if not windowed else []
    later = [m for d, m in found if d is not None and high is not None and d > high] if not windowed else []
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
    # First and last: of every dated mention (outliers too), or of those in the window.
    days = sorted(d for d, _ in dated) if windowed else sorted(d for d, _ in found if d is not None)
    return Timeline(
        by,
        tuple(periods),
        len(undated),
        sum(undated),
        days[0].isoformat() if days else None,
        days[-1].isoformat() if days else None,
        (len(earlier), sum(earlier)),
        (len(later), sum(later)),
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


def outlying_notes(timeline: Timeline) -> list[str]:
    """ "2 earlier", "1 later": articles dated outside the periods shown, for a caption."""
    notes = []
    if timeline.earlier[0]:
        notes.append(f"{timeline.earlier[0]:,} earlier")
    if timeline.later[0]:
        notes.append(f"{timeline.later[0]:,} later")
    return notes
