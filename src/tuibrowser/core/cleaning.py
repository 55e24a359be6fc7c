"""Turn the raw text of a saved news article into clean paragraphs and honest metadata.

Saved articles carry site chrome (section labels, reading times, share prompts, teaser
headlines), embedded tweets, photo credits and metadata fused into the text. The rules here
are general: they describe how news pages look, never which file they came from, so they
apply unchanged to articles from outlets nobody has seen yet. Metadata is only ever taken
from what the file states; nothing is invented.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tuibrowser.core import budget
from tuibrowser.core.dates import is_time_line, parse_date
from tuibrowser.core.sanitize import strip_unsafe

CLEANER_VERSION = "6"
"""Bump whenever a rule changes, so the indexer re-derives every article."""

HEAD_ZONE = 8
"""How many leading paragraphs may hold headline, byline, date line and section labels."""

TAIL_ZONE = 3
"""How many trailing paragraphs may hold a "SOURCE:" line."""

DERIVED_TITLE_MAX = 90
"""Longest title derived from the lead, in characters, before an ellipsis."""

METADATA_MAX_CHARS = 1000
"""Stated metadata (title, source, byline, URL, date) longer than this is cut: no real title
is longer, and a hostile one would otherwise be shown on every line of a listing."""

TRAILER_WINDOW = 600
"""Characters at the end of a paragraph searched for a tweet trailer or a photo credit: both
end the paragraph and are short, and a bounded window keeps each search linear."""

# Every pattern here runs over untrusted text, so each is linear: no two adjacent quantified
# parts can match the same characters, unbounded parts start only where a word or a
# space run starts, and searches for endings look only at the end.

# Every kind of horizontal space becomes one space, so no rule below ever meets a run of them.
_SPACES = re.compile(r"[^\S\n]+")

# A header fused onto the first sentence: " date 2023-05-29 Russia's President ...".
_FUSED_DATE = re.compile(
    r"^\s*(?:date|published|updated|posted)\s*(?::\s*)?(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?Z?)?\s+",
    re.IGNORECASE,
)
# "Key: value" header lines at the very top of a file (front matter written by hand or tools).
_HEADER_LINE = re.compile(r"^(title|date|published|source|site|byline|author|url|link)\s*:\s*(\S.*)$", re.IGNORECASE)

# Whole-paragraph chrome, compared case-insensitively after trimming.
_CHROME_LINES = frozenset(
    {
        "no time to read?",
        "get a summary",
        "advertisement",
        "advertisment",
        "sponsored",
        "share",
        "share this",
        "share this article",
        "share this story",
        "share on facebook",
        "share on twitter",
        "print",
        "email",
        "copy link",
        "comments",
        "comment",
        "leave a comment",
        "add comment",
        "show comments",
        "subscribe",
        "subscribe now",
        "sign up",
        "sign up for our newsletter",
        "listen to this article",
        "listen",
        "skip to content",
        "skip to main content",
        "follow us",
        "click here",
        "read more",
        "continue reading",
        "scroll to continue",
        "show more",
        "loading...",
        "related",
        "related articles",
        "related stories",
        "related news",
        "more stories",
        "you may also like",
        "recommended",
        "most read",
        "top stories",
    }
)
_COMMENT_COUNT = re.compile(r"^\d+\s+comments?$", re.IGNORECASE)
_READING_TIME = re.compile(r"^\d+\s*(?:min|mins|minute|minutes)\.?\s*read$", re.IGNORECASE)
# "WORLD", "US NEWS": short all-capital section labels above a headline.
_SECTION_LABEL = re.compile(r"^[A-Z][A-Z&'\- ]{1,28}$")
# Teaser links: "RelatedAzerbaijan's leader ..." (fused), "Read more: ...", "See also | ...".
# The fused form is case-sensitive, so "Relatedness of ..." stays.
_TEASER = re.compile(
    r"^(?:Related(?=[A-Z0-9\"“‘'])"
    r"|(?i:related|read more|read also|also read|see also|more on this|recommended)\s*[:|»>-])"
)
_PAGER = frozenset(
    {
        "previous article",
        "next article",
        "previous post",
        "next post",
        "previous story",
        "next story",
        "prev article",
    }
)
# Words of site navigation that stand alone on a line above the lead ("Home", "News",
# "Author", "World | Politics"): a line made only of them is chrome, never a title.
_SECTION_WORDS = frozenset(
    """home news latest breaking world politics business economy society region regions regional local
    international opinion opinions analysis op-ed editorial editorials commentary comment interview
    interviews feature features culture sport sports science tech technology health video videos photo
    photos gallery multimedia live author authors menu search trending top stories story main article
    articles blog blogs press release releases exclusive special report reports in focus more""".split()
)
_SECTION_WORD = re.compile(r"[^|/>»›•·,&\s]+")
"""A word of a section line: what lies between spaces and the separators | / > » › • · , &."""
# Agency datelines on their own line: "Baku /Trend/.", "YEREVAN (Azatutyun)—", "MOSCOW
# (Reuters) -", "Tbilisi, June 5 (AFP) -", "BAKU (Trend / APA - 13th June, 2023)". The place
# is one to four capitalised words, optionally followed by ", Country" or ", date"; the
# outlet stands between slashes or in parentheses, and a dash may close the dateline.
_DATELINE_PLACE = r"(?P<place>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3})(?:, [\w'’. ]{2,30}?)?"
_DATELINE_SLASHES = re.compile(_DATELINE_PLACE + r" ?/(?P<outlet>[A-Z][\w .&'’-]{1,40}?)/ ?\.?")
_DATELINE_PARENS = re.compile(_DATELINE_PLACE + r" ?\((?P<outlet>[A-Z][^()\n]{1,80}?)\) ?(?:[—–-]+ ?)?")
# The same at the start of the lead, where a dash must close it: "CAIRO (Reuters) - Israel ...".
_DATELINE_LEAD = re.compile(
    _DATELINE_PLACE
    + r" ?(?:/(?P<slashed>[A-Z][\w .&'’-]{1,40}?)/ ?\.|\((?P<outlet>[A-Z][^()\n]{1,80}?)\) ?[—–-]+) ?(?=\S)"
)
_BYLINE = re.compile(r"^(?:By|Written by|Author:)\s+(?P<name>[^|•·]{2,80}?)\s*(?:[|•·]\s*(?P<rest>.+))?$")
# "Home › World › Armenia": a breadcrumb trail (not "|", which also ends "Headline | Outlet").
_BREADCRUMB = re.compile(r"^[^›»>.!?]{1,30}(?:\s*[›»>]\s*[^›»>.!?]{1,30}){1,5}$")
# "2 hours ago", "Updated 35 minutes ago": a relative time, chrome above the lead.
_RELATIVE_TIME = re.compile(
    r"^(?:(?:updated|posted|published)\s*:?\s*)?\d{1,3}\s+(?:min(?:ute)?s?|hours?|hrs?|days?)\s+ago$", re.IGNORECASE
)
_SOURCE_LINE = re.compile(r"^source\s*:\s*(?P<source>\S.{0,80})$", re.IGNORECASE)
_URL_LINE = re.compile(r"^https?://\S+$")
# An embedded tweet ends "... pic.twitter.com/xyz — Display Name (@handle) May 19, 2023".
_TWEET_TRAILER = re.compile(
    r"(?<!\s)\s*(?:(?<!\S)(?:pic\.twitter\.com|https?://t\.co)/\S+\s*)?[—–]\s*(?P<name>[^()\n—–]{1,80}?)\s*"
    r"\(@\w{1,15}\)\s*(?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})\s*$"
)
_TWEET_LINK = re.compile(r"(?<!\s)\s*\b(?:pic\.twitter\.com|https?://t\.co)/\S+")
# A caption's credit: "... Akera River. Credit: Twitter/@FrontArtsakh", "... 2023. / Photo: AFP / AFP".
_CREDIT = re.compile(
    r"(?:(?<=[.!?\"”’)])|^)\s*(?:/\s*)?(?:(?:photo|image|picture|video)\s*)?(?:credits?|photo|image|picture|courtesy)\s*:"
    r"\s*[^.!?\"“”]{1,80}$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*$")
_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "gen",
        "col",
        "lt",
        "sgt",
        "rep",
        "sen",
        "gov",
        "jr",
        "sr",
        "no",
        "vs",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
    }
)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_WEAK_ENDINGS = frozenset(
    {
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "and",
        "or",
        "but",
        "by",
        "from",
        "as",
        "that",
        "his",
        "her",
        "its",
        "their",
    }
)


@dataclass(frozen=True, slots=True)
class CleanedText:
    """The result of cleaning: body paragraphs plus the metadata the text itself states."""

    title: str
    title_derived: bool
    date: str | None
    source: str | None
    byline: str | None
    url: str | None
    paragraphs: tuple[str, ...]


def normalize(raw: str) -> str:
    """Make text safe and uniform: NFC, LF line ends, no terminal sequences or invisible controls.

    What is unsafe is defined once, in core.sanitize; it is removed here, once, so no face of
    the app can ever send it to a terminal and all offsets refer to the safe text.
    """
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = strip_unsafe(text)
    # Each line's runs of spaces made one, and stripped: over the whole text at once (a
    # run becomes one space, so a line's ends hold at most one).
    return _SPACES.sub(" ", text).replace(" \n", "\n").replace("\n ", "\n").strip(" ")


def clean_text(raw: str, known: dict[str, str] | None = None) -> CleanedText:
    """Clean one raw article; see the module docstring for the rules.

    Args:
        known: Metadata a structured format states (title, date, source, byline, url);
            it wins over anything found in the text, and the text is searched only for
            what it lacks.
    """
    text = normalize(raw)
    meta: dict[str, str] = {key: _bounded(value) for key, value in (known or {}).items() if value}
    text = _take_header_lines(text, meta)
    fused = _FUSED_DATE.match(text)
    if fused:
        meta.setdefault("date", fused.group(1))
        text = text[fused.end() :]
    budget.check()

    paragraphs = []
    for paragraph in split_paragraphs(text):
        paragraphs.append(_strip_inline_chrome(paragraph))
        budget.check()
    paragraphs = _drop_chrome(paragraphs)
    title, paragraphs = _take_head(paragraphs, meta)
    paragraphs = _take_tail(paragraphs, meta)
    if title:
        folded = title.casefold()
        paragraphs = [p for p in paragraphs if p.casefold() != folded]
    title_derived = False
    if not title:
        title, title_derived = derive_title(paragraphs), True
    return CleanedText(
        title=title,
        title_derived=title_derived,
        date=meta.get("date"),
        source=meta.get("source"),
        byline=meta.get("byline"),
        url=meta.get("url"),
        paragraphs=tuple(p for p in paragraphs if p),
    )


def _bounded(value: str) -> str:
    """Stated metadata, normalised and cut to METADATA_MAX_CHARS."""
    value = normalize(value[: METADATA_MAX_CHARS * 4]).strip()
    return value if len(value) <= METADATA_MAX_CHARS else value[: METADATA_MAX_CHARS - 1].rstrip() + "…"


def split_paragraphs(text: str) -> list[str]:
    """Split text into paragraphs.

    Saved web articles put one paragraph per line, with or without blank lines between;
    plain-text newswire wraps lines at a fixed width and separates paragraphs with blank
    lines. Hard wrapping is detected per file and the wrapped lines are rejoined.
    """
    blocks = [block for block in re.split(r"\n\s*\n", text) if block.strip()]
    block_lines = [[line for line in block.split("\n") if line] for block in blocks]
    wrapped = _looks_hard_wrapped(block_lines)
    paragraphs: list[str] = []
    if wrapped:
        width = max(len(line) for lines in block_lines for line in lines)
        for lines in block_lines:
            for part in _indented_paragraphs(lines):
                paragraphs.extend(" ".join(line.strip() for line in run) for run in _unwrapped(part, width))
    else:
        for lines in block_lines:
            paragraphs.extend(lines)
    return paragraphs


def _unwrapped(lines: list[str], width: int) -> list[list[str]]:
    """Runs of wrapped lines to join. A short line that stops mid-sentence before a capital
    was not cut by the wrap: a headline or a heading on its own line ("BOWNE AND CO SPLITS
    STOCK" above the story)."""
    runs: list[list[str]] = [[]]
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        runs[-1].append(line)
        if (
            following
            and len(line) < 0.6 * width
            and not _SENTENCE_END.search(line)
            and following.lstrip()[:1].isupper()
        ):
            runs.append([])
    return [run for run in runs if run]


def _indented_paragraphs(lines: list[str]) -> list[list[str]]:
    """Wrapped lines, cut where a line is indented and its neighbours are not: newswire
    (Reuters) marks a new paragraph that way, with no blank line before it."""
    indented = [line[:1] in (" ", "\t") for line in lines]
    if all(indented) or not any(indented[1:]):
        return [lines]
    parts: list[list[str]] = []
    for line, starts in zip(lines, indented, strict=True):
        if starts or not parts:
            parts.append([])
        parts[-1].append(line)
    return parts


def _looks_hard_wrapped(block_lines: list[list[str]]) -> bool:
    inner = [line for lines in block_lines for line in lines[:-1]]
    if not inner:
        return False
    longest = max(len(line) for lines in block_lines for line in lines)
    if not 40 <= longest <= 100:
        return False
    unfinished = sum(1 for line in inner if not _SENTENCE_END.search(line))
    # Wrapped lines run close to the wrap width; a stack of short chrome lines does not.
    near_width = sum(1 for line in inner if len(line) >= 0.6 * longest)
    if len(inner) >= 3 and unfinished >= 0.6 * len(inner) and near_width >= 0.7 * len(inner):
        return True
    # A sentence that goes on in lower case on the next line was cut by the wrap: short
    # newswire items, whose few lines vary in length and whose paragraphs are a sentence
    # or two, show it where the widths cannot (one paragraph per line never does).
    nexts = [following for lines in block_lines for following in lines[1:]]
    cut = sum(
        1
        for line, following in zip(inner, nexts, strict=True)
        if not _SENTENCE_END.search(line) and following.lstrip()[:1].islower()
    )
    return (cut >= 2 and cut >= 0.3 * len(inner)) or cut == len(inner)


def _take_header_lines(text: str, meta: dict[str, str]) -> str:
    """Consume "Title: ...", "Date: ...", "URL: ..." lines at the very top of the file."""
    lines = text.lstrip("\n").split("\n")
    taken = 0
    for line in lines:
        match = _HEADER_LINE.match(line)
        if not match:
            break
        key, value = match.group(1).lower(), _bounded(match.group(2))
        if key in ("date", "published"):
            iso = parse_date(value)
            if iso is None:
                break
            meta.setdefault("date", iso)
        elif key in ("url", "link"):
            meta.setdefault("url", value)
        elif key in ("source", "site"):
            meta.setdefault("source", value)
        elif key in ("byline", "author"):
            meta.setdefault("byline", value)
        else:
            meta.setdefault("title", value)
        taken += 1
    return "\n".join(lines[taken:])


def _strip_inline_chrome(paragraph: str) -> str:
    """Remove tweet embed trailers, tweet photo links and caption credits; keep the words."""
    # Each pattern runs only where the text it needs is there (most paragraphs: none is):
    # a search tries every start in the window.
    tail = max(0, len(paragraph) - TRAILER_WINDOW)
    tweet = _TWEET_TRAILER.search(paragraph, tail) if "(@" in paragraph[tail:] else None
    if tweet:
        name = _display_name(tweet.group("name"))
        paragraph = paragraph[: tweet.start()].rstrip() + (f" — {name}" if name else "")
    if "pic.twitter.com/" in paragraph or "t.co/" in paragraph:
        paragraph = _TWEET_LINK.sub("", paragraph)
    tail = max(0, len(paragraph) - TRAILER_WINDOW)
    credit = _CREDIT.search(paragraph, tail) if ":" in paragraph[tail:] else None
    if credit:
        paragraph = paragraph[: credit.start()]
    return paragraph.strip()


def _display_name(name: str) -> str:
    """A tweet author's display name without emoji and flag symbols."""
    kept = "".join(ch for ch in name if unicodedata.category(ch)[0] in "LNPZ" or ch in "&'")
    return _SPACES.sub(" ", kept).strip(" -–—")


def _is_chrome(paragraph: str) -> bool:
    lowered = paragraph.casefold().strip()
    return (
        not lowered
        or lowered in _CHROME_LINES
        or bool(_COMMENT_COUNT.match(lowered))
        or bool(_READING_TIME.match(lowered))
        or bool(_TEASER.match(paragraph))
    )


def _drop_chrome(paragraphs: list[str]) -> list[str]:
    """Drop chrome lines, and pager links together with the teaser headline after each."""
    kept: list[str] = []
    skip_teaser = False
    for paragraph in paragraphs:
        if paragraph.casefold() in _PAGER:
            skip_teaser = True
            continue
        if skip_teaser:
            skip_teaser = False
            if is_headline_like(paragraph):
                continue
        if not _is_chrome(paragraph):
            kept.append(paragraph)
    return kept


def _take_head(paragraphs: list[str], meta: dict[str, str]) -> tuple[str, list[str]]:
    """Find the headline, byline, URL and date line among the leading paragraphs."""
    title = meta.get("title", "")
    body: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        if index >= HEAD_ZONE:
            body.extend(paragraphs[index:])
            break
        if _SECTION_LABEL.fullmatch(paragraph) and len(paragraph.split()) <= 3 and not body:
            continue
        byline = _BYLINE.match(paragraph)
        if byline and "byline" not in meta and _looks_like_byline(byline.group("name")):
            _take_byline(byline, meta)
            continue
        if "date" not in meta:
            iso = parse_date(paragraph)
            if iso:
                meta["date"] = iso
                continue
        if _URL_LINE.match(paragraph) and "url" not in meta:
            meta["url"] = paragraph
            continue
        chrome = _is_section_line(paragraph) or is_time_line(paragraph) or (not title and _is_label(paragraph))
        if not body and chrome:
            continue
        if not body and _take_dateline(paragraph, meta):
            continue
        if not title and not body and is_headline_like(paragraph):
            title = paragraph
            continue
        if not body:
            _take_lead_dateline(paragraph, meta)
        body.append(paragraph)
    return title, body


def _is_label(paragraph: str) -> bool:
    """One word alone above the headline ("Caucasus", "Region") is a label, never a headline.

    Below a headline it is kept ("Headingley", a match's venue in BBC sport previews)."""
    return len(paragraph) <= 30 and len(paragraph.split()) == 1 and not _SENTENCE_END.search(paragraph)


def _is_section_line(paragraph: str) -> bool:
    """ "News", "Author", "World | Politics", "Home › World › Armenia", "2 hours ago"."""
    if _BREADCRUMB.match(paragraph) or _RELATIVE_TIME.match(paragraph):
        return True
    # The words between separators, up to a fifth: a paragraph of the body is not split whole.
    count = 0
    for count, word in enumerate(_SECTION_WORD.finditer(paragraph.casefold()), start=1):
        if count > 4 or word.group() not in _SECTION_WORDS:
            return False
    return count > 0


def _take_dateline(paragraph: str, meta: dict[str, str]) -> bool:
    """A line that is only an agency dateline: its outlet is the source, its date the date."""
    if len(paragraph) > 160:
        return False
    match = _DATELINE_SLASHES.fullmatch(paragraph) or _DATELINE_PARENS.fullmatch(paragraph)
    if not match:
        return False
    _dateline_outlet(match.group("outlet"), meta)
    return True


def _take_lead_dateline(paragraph: str, meta: dict[str, str]) -> None:
    """A dateline opening the lead ("CAIRO (Reuters) - Israel ...") states the source; the
    text keeps it, as newswire prints it."""
    match = _DATELINE_LEAD.match(paragraph[:200])
    if match:
        _dateline_outlet(match.group("outlet") or match.group("slashed"), meta)


def _dateline_outlet(inside: str, meta: dict[str, str]) -> None:
    """ "Trend / APA - 13th June, 2023": the first outlet is the source; a date is the date."""
    parts = re.split(r"\s+[—–-]\s+", inside, maxsplit=1)
    if len(parts) == 2:
        when = parse_date(parts[1])
        if when and "date" not in meta:
            meta["date"] = when
    outlet = parts[0].split("/")[0].strip(" .")
    if outlet and "source" not in meta:
        meta["source"] = outlet


def _looks_like_byline(name: str) -> bool:
    words = name.split()
    return 0 < len(words) <= 8 and not _SENTENCE_END.search(name) and name[0].isupper()


def _take_byline(match: re.Match[str], meta: dict[str, str]) -> None:
    name = match.group("name").strip()
    meta["byline"] = name
    # A one-word byline with no personal name ("By Asbarez") is the outlet itself.
    if len(name.split()) == 1 and "source" not in meta:
        meta["source"] = name
    rest = match.group("rest")
    if rest and "date" not in meta:
        iso = parse_date(rest)
        if iso:
            meta["date"] = iso


def _take_tail(paragraphs: list[str], meta: dict[str, str]) -> list[str]:
    """Take a trailing "SOURCE: Outlet and agencies" line as the source."""
    for index in range(len(paragraphs) - 1, max(-1, len(paragraphs) - 1 - TAIL_ZONE), -1):
        match = _SOURCE_LINE.match(paragraphs[index])
        if match:
            if "source" not in meta:
                meta["source"] = outlet_name(match.group("source"))
            return paragraphs[:index] + paragraphs[index + 1 :]
    return paragraphs


def outlet_name(raw: str) -> str:
    """Tidy an outlet name: "TRTWorld and agencies" -> "TRT World"."""
    name = re.split(r"\s*(?:,|;|\band\b|&)\s*(?:other\s+)?(?:agencies|wires?)\b", raw, maxsplit=1, flags=re.IGNORECASE)[
        0
    ]
    name = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", " ", name)  # TRTWorld -> TRT World
    name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)  # AlJazeera -> Al Jazeera
    return name.strip(" .")


def is_headline_like(paragraph: str) -> bool:
    """A headline is short, one line, and does not end like a sentence (questions may)."""
    words = paragraph.split()
    if not 1 <= len(words) <= 25 or len(paragraph) > 160:
        return False
    if re.search(r"(?:\.\.\.|…)[\"”’')\]]*$", paragraph):
        return True  # "Rivals of the £400 Apple...": a teasing headline, not a sentence
    return not re.search(r"[.:;,][\"”’')\]]*$", paragraph)


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, not breaking after common abbreviations."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(paragraph):
        # Only the last word matters; a bounded look keeps a paragraph of many skipped
        # breaks ("Mr. A, Mr. B, ...") linear.
        before = paragraph[max(start, match.start() - 40) : match.start()].rstrip(".!?\"”’')] ")
        last_word = before.rsplit(" ", 1)[-1].casefold() if before else ""
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue
        sentences.append(paragraph[start : match.start()].strip())
        start = match.end()
    sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


def derive_title(paragraphs: list[str]) -> str:
    """Derive a short readable title from the lead when the file has no headline.

    Takes the first sentence; a long one is cut at its first clause break if that leaves a
    readable title, else at a word boundary with an ellipsis (never after "the", "of", ...).
    """
    for paragraph in paragraphs:
        lead = _DATELINE_LEAD.match(paragraph[:200])
        sentences = split_sentences(paragraph[lead.end() :] if lead else paragraph)
        if sentences:
            break
    else:
        return "Untitled article"
    sentence = sentences[0].rstrip(" .")
    if len(sentence) <= DERIVED_TITLE_MAX:
        return sentence
    clause = re.split(r",\s+|\s+[—–]\s+|;\s+", sentence[: DERIVED_TITLE_MAX + 11], maxsplit=1)[0]
    if 30 <= len(clause) <= DERIVED_TITLE_MAX + 10:
        return clause
    words = sentence[: DERIVED_TITLE_MAX + 1].split()[:-1]
    while words and words[-1].casefold().strip(",;:") in _WEAK_ENDINGS:
        words.pop()
    if not words:  # one enormous word: cut it
        return sentence[:DERIVED_TITLE_MAX] + "…"
    return " ".join(words).rstrip(",;:") + "…"
