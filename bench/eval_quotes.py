"""Quote detection and attribution against hand-made gold from BBC politics articles.

The gold (tests/data/quotes_gold_bbc_politics.toml) lists each article's quotes by their
first words, with the speaker a careful reader names. The articles are indexed with the
real pipeline (copied into a temporary corpus, `indexer.sync`), each is read back with its
entity mentions through `Services.open_article`, and `find_quotes` runs on that text with
those mentions, as the index will run it.

Matching: a found quote matches a gold quote when the gold's first words lie inside it
(each matched once, in text order). A speaker is right when the entity's name or one of
its aliases equals one of the gold's names (case and accents folded).

- detection recall: gold quotes matched; precision: found quotes that match a gold quote.
- attribution precision: found quotes with a speaker whose speaker is right (a speaker on
  a quote that is not in the gold, or whose gold speaker is none, counts as wrong);
  recall: gold quotes with a named speaker that were found with that speaker.

Usage: python bench/eval_quotes.py [--data DIR] [--gold FILE] [--show-errors] [--exclude FILE ...]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tuibrowser.core.entities.text import fold
from tuibrowser.core.indexer import sync
from tuibrowser.core.paths import Locations
from tuibrowser.core.quotes import Quote, Speaker, find_quotes
from tuibrowser.core.services import Services

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "bbc-news" / "bbc" / "politics"
GOLD = ROOT / "tests" / "data" / "quotes_gold_bbc_politics.toml"
NEAR_COPIES = ("367.txt",)
"""Gold articles with a near-copy in the development files (367 = 110): also scored without them."""


@dataclass(frozen=True)
class Article:
    """One gold article as the index returns it: text, mentions, entity names, found quotes."""

    file: str
    title: str
    text: str
    speakers: tuple[Speaker, ...]
    names: dict[str, set[str]]
    """Folded name and aliases of every entity mentioned, by entity id."""
    quotes: tuple[Quote, ...]
    seconds: float
    """Time find_quotes took on this article."""


def _norm(name: str) -> str:
    return " ".join(fold(name).split())


def read_articles(data: Path, files: list[str]) -> dict[str, Article]:
    """Index the gold articles with the real pipeline and run find_quotes on what comes back."""
    with tempfile.TemporaryDirectory(prefix="eval-quotes-") as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        corpus.mkdir()
        for name in files:
            shutil.copy(data / name, corpus / name)
        sync(corpus, index)
        services = Services(Locations(corpus, index))
        by_path = {Path(summary.path).name: summary.id for summary in services.all_articles()}
        return {name: _read(services, name, by_path[name]) for name in files}


def _read(services: Services, name: str, article_id: str) -> Article:
    opened = services.open_article(article_id)
    speakers = tuple(
        Speaker(item.entity.id, mention.start, mention.end, item.entity.type)
        for item in opened.entities
        for mention in item.mentions
    )
    names = {item.entity.id: {_norm(n) for n in item.entity.names()} for item in opened.entities}
    text = opened.article.text
    started = time.perf_counter()
    quotes = find_quotes(text, speakers)
    seconds = time.perf_counter() - started
    return Article(name, opened.article.title, text, speakers, names, tuple(quotes), seconds)


def locate(text: str, gold: list[list[str]]) -> list[int]:
    """Offset of each gold quote's first words, searching on from the previous one."""
    positions, after = [], 0
    for starts, _ in gold:
        position = text.find(starts, after)
        if position == -1:
            position = text.find(starts)
        if position == -1:
            raise SystemExit(f"eval_quotes: gold quote not in its article: {starts!r}")
        positions.append(position)
        after = position + 1
    return positions


def in_text(article: Article, gold: list[list[str]]) -> list[list[str]]:
    """The gold quotes of the article's text: a quote in the headline is not given to find_quotes."""
    return [entry for entry in gold if entry[0] in article.text or entry[0] not in article.title]


def score(article: Article, gold: list[list[str]], counts: Counter, show_errors: bool) -> None:
    """Add one article's matches to `counts` (and print its errors if asked)."""
    counts["in headline"] += len(gold) - len(in_text(article, gold))
    gold = in_text(article, gold)
    positions = locate(article.text, gold)
    matched: dict[int, int] = {}  # gold number -> found quote number
    for number, quote in enumerate(article.quotes):
        hits = [g for g, p in enumerate(positions) if quote.start <= p < quote.end and g not in matched]
        if hits:
            matched[hits[0]] = number
    found_for = {q: g for g, q in matched.items()}
    counts["gold"] += len(gold)
    counts["found"] += len(article.quotes)
    counts["matched"] += len(matched)
    counts["gold named"] += sum(1 for _, speaker in gold if speaker)
    counts["gold named, linked"] += sum(1 for _, speaker in gold if speaker and _linked(article, speaker))
    for number, quote in enumerate(article.quotes):
        gold_number = found_for.get(number)
        wanted = gold[gold_number][1] if gold_number is not None else None
        right = bool(wanted) and quote.speaker is not None and _same(article, quote.speaker, wanted)
        if quote.speaker is not None:
            counts["found named"] += 1
            counts["named right"] += right
        if gold_number is not None:
            counts["matched right or none"] += right or (not wanted and quote.speaker is None)
        if show_errors and gold_number is None:
            print(f"  not in gold: {article.file}: {quote.text[:60]!r} ({_name(article, quote.speaker)})")
        elif show_errors and not right and (quote.speaker is not None or wanted):
            print(f"  speaker: {article.file}: {quote.text[:50]!r}: {_name(article, quote.speaker)}, gold {wanted!r}")
    for number, (starts, speaker) in enumerate(gold):
        if number not in matched and show_errors:
            print(f"  missed: {article.file}: {starts!r} ({speaker or 'none'})")


def _linked(article: Article, wanted: str) -> bool:
    """Is the gold speaker one of the article's entities at all (else no rule can name it)?"""
    return any(_same(article, entity_id, wanted) for entity_id in article.names)


def _same(article: Article, entity_id: str, wanted: str) -> bool:
    return bool(article.names.get(entity_id, set()) & {_norm(alt) for alt in wanted.split("|")})


def _name(article: Article, entity_id: str | None) -> str:
    if entity_id is None:
        return "none"
    names = article.names.get(entity_id)
    return sorted(names)[0] if names else entity_id


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def report(title: str, counts: Counter) -> None:
    print(
        f"\n{title}: gold quotes {counts['gold']} ({counts['gold named']} named; {counts['in headline']} more"
        f" in headlines, not scored), found {counts['found']}"
    )
    print(
        f"  detection     precision {_ratio(counts['matched'], counts['found']):.3f}"
        f"   recall {_ratio(counts['matched'], counts['gold']):.3f}"
    )
    print(
        f"  attribution   precision {_ratio(counts['named right'], counts['found named']):.3f}"
        f" ({counts['named right']}/{counts['found named']})"
        f"   recall {_ratio(counts['named right'], counts['gold named']):.3f}"
        f" ({counts['named right']}/{counts['gold named']})"
    )
    print(
        f"  of matched quotes, speaker right (none = none counts): "
        f"{_ratio(counts['matched right or none'], counts['matched']):.3f}"
    )
    print(
        f"  gold speakers that are entities of their article (the ceiling for recall): "
        f"{counts['gold named, linked']}/{counts['gold named']}"
        f" = {_ratio(counts['gold named, linked'], counts['gold named']):.3f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"eval_quotes: no BBC politics data at {args.data}", file=sys.stderr)
        return 2
    gold = {a["file"]: a["quotes"] for a in tomllib.loads(args.gold.read_text(encoding="utf-8"))["article"]}
    articles = read_articles(args.data, sorted(gold))
    everything, without_copies = Counter(), Counter()
    for name, article in articles.items():
        score(article, gold[name], everything, args.show_errors)
        if name not in NEAR_COPIES:
            score(article, gold[name], without_copies, show_errors=False)
    report(f"all {len(articles)} articles", everything)
    kept = [n for n in articles if n not in NEAR_COPIES]
    if len(kept) < len(articles):
        report(f"{len(kept)} articles, without {', '.join(NEAR_COPIES)}", without_copies)
    seconds = [article.seconds for article in articles.values()]
    print(
        f"\nfind_quotes: {1000 * sum(seconds) / len(seconds):.2f} ms per article on average,"
        f" {1000 * max(seconds):.2f} ms at most"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
