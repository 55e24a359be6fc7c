"""Precision and recall of entity discovery on hand-annotated BBC politics articles.

Discovery runs over the whole BBC politics folder (417 articles, so corpus-wide evidence
counts as it would for a user) with an empty knowledge base, then is scored on the
held-out articles in tests/data/discovery_gold_bbc_politics.toml, which the rules were not
developed on.

An article's predictions are the discovered entities with a mention in it. A prediction is
right when one of its spellings in the article (or its name) equals one of a gold entity's
spellings, or is the surname of a gold person. Predictions matching the gold's "other"
names (programmes, bills, events) are left out. "typed" also requires the right type.

Usage: python bench/eval_discovery.py [--data DIR] [--show-errors]
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections import Counter
from pathlib import Path

from tuibrowser.core.corpus import ArticleError, parse_article
from tuibrowser.core.entities.kb import KnowledgeBase
from tuibrowser.core.entities.pipeline import EntityExtractor
from tuibrowser.core.entities.resolve import resolve
from tuibrowser.core.entities.text import fold

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "bbc-news" / "bbc" / "politics"
GOLD = ROOT / "tests" / "data" / "discovery_gold_bbc_politics.toml"
TYPES = ("person", "organization", "place")


def _norm(name: str) -> str:
    return " ".join(fold(name).split())


def evaluate(data: Path, gold_path: Path = GOLD, show_errors: bool = False) -> dict[str, Counter]:
    gold = tomllib.loads(gold_path.read_text(encoding="utf-8"))["article"]
    texts: dict[str, str] = {}
    for path in sorted(data.glob("*.txt")):
        try:
            texts[path.name] = parse_article(path.read_bytes(), path.name).text
        except ArticleError:
            continue
    extractor = EntityExtractor(KnowledgeBase())
    resolution = resolve(extractor.kb, {name: extractor.extract(text) for name, text in texts.items()})
    by_id = {entity.id: entity for entity in resolution.discovered}

    counts = {kind: Counter() for kind in ("all", *TYPES)}
    for article in gold:
        name, text = article["file"], texts[article["file"]]
        items = [(kind, {_norm(alt) for alt in entry.split("|")}) for kind in TYPES for entry in article[kind]]
        other = {_norm(alt) for entry in article["other"] for alt in entry.split("|")}
        predicted: dict[str, set[str]] = {}
        for mention in resolution.mentions[name]:
            entity = by_id[mention.entity_id]
            predicted.setdefault(entity.id, {_norm(entity.name)}).add(_norm(text[mention.start : mention.end]))
        found: set[int] = set()
        for entity_id, spellings in predicted.items():
            entity = by_id[entity_id]
            hits = [
                number
                for number, (kind, alts) in enumerate(items)
                if spellings & alts or (kind == "person" and any(s == a.split()[-1] for s in spellings for a in alts))
            ]
            if not hits and spellings & other:
                continue
            right_type = any(items[number][0] == entity.type for number in hits)
            counts["all"]["predicted"] += 1
            counts["all"]["correct"] += bool(hits)
            counts["all"]["typed_correct"] += right_type
            counts.setdefault(entity.type, Counter())["predicted"] += 1
            counts[entity.type]["typed_correct"] += right_type
            found.update(hits)
            if show_errors and not hits:
                print(f"  false: {name}: {entity.name!r} ({entity.type}) as {sorted(spellings)}")
            elif show_errors and not right_type:
                print(f"  type:  {name}: {entity.name!r} is {entity.type}, gold {[items[n][0] for n in hits]}")
        for number, (kind, alts) in enumerate(items):
            counts["all"]["gold"] += 1
            counts[kind]["gold"] += 1
            if number in found:
                counts["all"]["recalled"] += 1
                counts[kind]["recalled"] += 1
            elif show_errors:
                print(f"  missed: {name}: {sorted(alts)[0]!r} ({kind})")
    return counts


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"eval_discovery: no BBC politics data at {args.data}", file=sys.stderr)
        return 2
    counts = evaluate(args.data, show_errors=args.show_errors)
    total = counts["all"]
    precision = _ratio(total["correct"], total["predicted"])
    recall = _ratio(total["recalled"], total["gold"])
    typed_precision = _ratio(total["typed_correct"], total["predicted"])
    print(f"held-out articles: 24, gold entities: {total['gold']}, predicted: {total['predicted']}")
    print(f"detection   precision {precision:.3f}   recall {recall:.3f}")
    print(f"with type   precision {typed_precision:.3f}")
    for kind in TYPES:
        c = counts[kind]
        typed = _ratio(c["typed_correct"], c["predicted"])
        print(
            f"  {kind:<13} predicted {c['predicted']:3}  typed precision {typed:.3f}"
            f"   gold {c['gold']:3}  recall {_ratio(c['recalled'], c['gold']):.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
