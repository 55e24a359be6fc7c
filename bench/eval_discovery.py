"""Precision and recall of entity discovery on hand-annotated news articles.

Discovery runs over a whole corpus (the BBC politics folder, 417 articles, so corpus-wide
evidence counts as it would for a user) with an empty knowledge base, then is scored on the
gold articles. Two golds:

- tests/data/discovery_gold_bbc_politics.toml (default): 24 BBC politics articles, held out
  when the first rules were written, tuned on since (bench/RESULTS.md says how);
- tests/data/discovery_gold_heldout_news.toml (`--gold heldout`): BBC business and AG News
  World items, annotated for issue 12 before its rules were written. Each article names its
  corpus (`source`): the BBC business folder, or all 7,600 AG News items. Tuned on since;
- tests/data/discovery_gold_heldout_news_2.toml (`--gold heldout2`): 24 more AG News World
  items, annotated after that tuning, never tuned on.

An article's predictions are the discovered entities with a mention in it. A prediction is
right when one of its spellings in the article (or its name) equals one of a gold entity's
spellings, or is the surname of a gold person. Predictions matching the gold's "other"
names (programmes, bills, events) are left out. "typed" also requires the right type.

Usage: python bench/eval_discovery.py [--gold politics|heldout|heldout2] [--show-errors] [--spacy-model NAME]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

from tuibrowser.core.cleaning import clean_text
from tuibrowser.core.corpus import ArticleError, parse_article
from tuibrowser.core.entities.kb import KnowledgeBase
from tuibrowser.core.entities.pipeline import EntityExtractor
from tuibrowser.core.entities.resolve import resolve
from tuibrowser.core.entities.text import fold

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
DEFAULT_DATA = DATA / "bbc-news" / "bbc" / "politics"
GOLDS = {
    "politics": ROOT / "tests" / "data" / "discovery_gold_bbc_politics.toml",
    "heldout": ROOT / "tests" / "data" / "discovery_gold_heldout_news.toml",
    "heldout2": ROOT / "tests" / "data" / "discovery_gold_heldout_news_2.toml",
}
SOURCES = {"bbc-politics": DEFAULT_DATA, "bbc-business": DATA / "bbc-news" / "bbc" / "business"}
TYPES = ("person", "organization", "place")


def _norm(name: str) -> str:
    return " ".join(fold(name).split())


Prediction = tuple[str, str, set[str]]
"""(name, type, spellings in the article) for one predicted entity."""


def load_texts(data: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for path in sorted(data.glob("*.txt")):
        try:
            texts[path.name] = parse_article(path.read_bytes(), path.name).text
        except ArticleError:
            continue
    return texts


def load_ag_news(path: Path) -> dict[str, str]:
    """AG News items as articles: the description is the body, the title is the title.

    Keyed by row number (the file's first line is row 0). The data set writes line
    breaks as a backslash.
    """
    texts: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle)):
            if len(row) == 3:
                body = row[2].replace("\\", " ")
                texts[str(number)] = "\n\n".join(clean_text(body, {"title": row[1]}).paragraphs)
    return texts


def load_source(source: str, data: Path | None = None) -> dict[str, str]:
    if source == "ag-news":
        return load_ag_news(DATA / "ag-news-test" / "test.csv")
    return load_texts(data or SOURCES[source])


def predict_tuibrowser(texts: dict[str, str], files: list[str]) -> dict[str, list[Prediction]]:
    """tuibrowser's discovery over the whole folder, read back for the gold articles."""
    extractor = EntityExtractor(KnowledgeBase())
    resolution = resolve(extractor.kb, {name: extractor.extract(text) for name, text in texts.items()})
    by_id = {entity.id: entity for entity in resolution.discovered}
    predictions: dict[str, list[Prediction]] = {}
    for name in files:
        grouped: dict[str, set[str]] = {}
        for mention in resolution.mentions[name]:
            entity = by_id[mention.entity_id]
            grouped.setdefault(entity.id, {_norm(entity.name)}).add(_norm(texts[name][mention.start : mention.end]))
        predictions[name] = [(by_id[i].name, by_id[i].type, spellings) for i, spellings in grouped.items()]
    return predictions


SPACY_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}


def predict_spacy(texts: dict[str, str], files: list[str], model: str) -> dict[str, list[Prediction]]:
    """A statistical NER model (spaCy), per article; each distinct spelling is one prediction."""
    import spacy  # measurement only: never a tuibrowser dependency

    nlp = spacy.load(model)
    predictions: dict[str, list[Prediction]] = {}
    for name in files:
        seen: dict[tuple[str, str], set[str]] = {}
        for ent in nlp(texts[name]).ents:
            kind = SPACY_TYPES.get(ent.label_)
            text = ent.text.strip()
            if kind and text:
                if text.lower().startswith("the "):
                    text = text[4:]
                seen.setdefault((_norm(text), kind), {_norm(text)})
        predictions[name] = [(text, kind, spellings) for (text, kind), spellings in seen.items()]
    return predictions


def evaluate(
    predictions: dict[str, list[Prediction]], gold: list[dict], show_errors: bool = False
) -> dict[str, Counter]:
    counts = {kind: Counter() for kind in ("all", *TYPES)}
    for article in gold:
        name = article["file"]
        items = [(kind, {_norm(alt) for alt in entry.split("|")}) for kind in TYPES for entry in article[kind]]
        other = {_norm(alt) for entry in article["other"] for alt in entry.split("|")}
        found: set[int] = set()
        for entity_name, entity_type, spellings in predictions[name]:
            hits = [
                number
                for number, (kind, alts) in enumerate(items)
                if spellings & alts or (kind == "person" and any(s == a.split()[-1] for s in spellings for a in alts))
            ]
            if not hits and spellings & other:
                continue
            right_type = any(items[number][0] == entity_type for number in hits)
            counts["all"]["predicted"] += 1
            counts["all"]["correct"] += bool(hits)
            counts["all"]["typed_correct"] += right_type
            counts.setdefault(entity_type, Counter())["predicted"] += 1
            counts[entity_type]["typed_correct"] += right_type
            found.update(hits)
            if show_errors and not hits:
                print(f"  false: {name}: {entity_name!r} ({entity_type}) as {sorted(spellings)}")
            elif show_errors and not right_type:
                print(f"  type:  {name}: {entity_name!r} is {entity_type}, gold {[items[n][0] for n in hits]}")
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
    parser.add_argument("--gold", choices=sorted(GOLDS), default="politics")
    parser.add_argument("--data", type=Path, help="the BBC politics folder (default: ../shared/data)")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument(
        "--spacy-model",
        metavar="NAME",
        help="also score a spaCy model (installed separately; for comparison only), e.g. en_core_web_sm",
    )
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"eval_discovery: no data at {DATA}", file=sys.stderr)
        return 2
    gold = tomllib.loads(GOLDS[args.gold].read_text(encoding="utf-8"))["article"]
    for article in gold:
        article["file"] = f"{article.get('source', 'bbc-politics')}/{article['file']}"
    systems: dict[str, dict[str, list[Prediction]]] = {"tuibrowser rules": {}}
    if args.spacy_model:
        systems[f"spaCy {args.spacy_model}"] = {}
    for source in sorted({article["file"].split("/")[0] for article in gold}):
        texts = load_source(source, args.data if source == "bbc-politics" else None)
        prefix = f"{source}/"
        texts = {prefix + name: text for name, text in texts.items()}
        files = [article["file"] for article in gold if article["file"].startswith(prefix)]
        systems["tuibrowser rules"].update(predict_tuibrowser(texts, files))
        if args.spacy_model:
            started = time.perf_counter()
            systems[f"spaCy {args.spacy_model}"].update(predict_spacy(texts, files, args.spacy_model))
            print(f"(spaCy: {time.perf_counter() - started:.1f} s for {len(files)} articles, model load included)")
    print(f"gold articles: {len(gold)} ({GOLDS[args.gold].name})")
    for system, predictions in systems.items():
        total = evaluate(predictions, gold, show_errors=args.show_errors)
        everything = total["all"]
        print(f"\n{system}: gold entities {everything['gold']}, predicted {everything['predicted']}")
        print(
            f"  detection   precision {_ratio(everything['correct'], everything['predicted']):.3f}"
            f"   recall {_ratio(everything['recalled'], everything['gold']):.3f}"
        )
        print(f"  with type   precision {_ratio(everything['typed_correct'], everything['predicted']):.3f}")
        for kind in TYPES:
            c = total[kind]
            typed = _ratio(c["typed_correct"], c["predicted"])
            print(
                f"    {kind:<13} predicted {c['predicted']:3}  typed precision {typed:.3f}"
                f"   gold {c['gold']:3}  recall {_ratio(c['recalled'], c['gold']):.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
