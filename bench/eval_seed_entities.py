"""Precision and recall of entity linking on the five sample articles, against hand-made gold.

Indexes the sample corpus into a temporary folder, reads back each article's entities and
compares them with tests/data/seed_entities_gold.toml. A discovered entity the gold does
not allow counts as junk (a false positive).

Usage: python bench/eval_seed_entities.py
"""

from __future__ import annotations

import sys
import tempfile
import tomllib
from pathlib import Path

from tuibrowser.core.entities.views import article_entities
from tuibrowser.core.indexer import sync
from tuibrowser.core.library import list_articles

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "seed_entities_gold.toml"


def measure(corpus: Path, index: Path) -> tuple[int, int, int, list[str]]:
    """(true positives, predicted, gold, problems) over all gold articles."""
    gold = {item["file"]: item for item in tomllib.loads(GOLD.read_text(encoding="utf-8"))["article"]}
    sync(corpus, index)
    tp = predicted = expected = 0
    problems: list[str] = []
    for summary in list_articles(index):
        item = gold.get(summary.path)
        if item is None:
            continue
        found = article_entities(index, summary.id)
        want = set(item["entities"])
        allowed = set(item["discovered"])
        got = {e.entity.id for e in found if not e.entity.discovered}
        junk = [e.entity.name for e in found if e.entity.discovered and e.entity.name not in allowed]
        extra_ok = [e for e in found if e.entity.discovered and e.entity.name in allowed]
        tp += len(got & want) + len(extra_ok)
        predicted += len(got) + len(junk) + len(extra_ok)
        expected += len(want) + len(extra_ok)
        problems += [f"{summary.path}: missed {i}" for i in sorted(want - got)]
        problems += [f"{summary.path}: unexpected {i}" for i in sorted(got - want)]
        problems += [f"{summary.path}: junk discovered {n!r}" for n in junk]
    return tp, predicted, expected, problems


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tp, predicted, expected, problems = measure(ROOT / "corpus", Path(tmp) / "index")
    for problem in problems:
        print(problem)
    precision, recall = tp / predicted, tp / expected
    print(f"seed entity linking: precision {precision:.3f} ({tp}/{predicted}), recall {recall:.3f} ({tp}/{expected})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
