"""Index and search speed on real news text, with baselines printed alongside.

Builds a corpus from ../shared/data/bbc-news (2,225 articles; --repeat N copies it N times
under different folder names to simulate a larger archive), then measures:

- a full build, a no-op sync and the start-up staleness check (index_state);
- search latency (p50/p95) for typed queries;
- "did you mean": tuibrowser's suggestion (unstemmed spelling field) vs Whoosh's
  `correct_query` over the stemmed body field, in time and in how often the intended
  word comes back.

Usage: python bench/bench_search.py [--data DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from whoosh.qparser import QueryParser

from tuibrowser.core.indexer import sync
from tuibrowser.core.search import search
from tuibrowser.core.store import index_state, open_index

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "bbc-news" / "bbc"

QUERIES = [
    "Tony Blair",
    "election campaign",
    "oil prices",
    "Chelsea",
    "mobile phone",
    "interest rates",
    "What did the chancellor say about the budget?",
    '"general election"',
    "title:economy",
    "film award",
    "broadband",
    "Microsoft AND Google",
    "world cup",
    "blair brown",
    "music download",
]
# (misspelling, intended word)
MISSPELLINGS = [
    ("Blaire", "blair"),
    ("chancelor", "chancellor"),
    ("elecion", "election"),
    ("goverment", "government"),
    ("Chelsae", "chelsea"),
    ("microsft", "microsoft"),
    ("broadbnd", "broadband"),
    ("economi", "economy"),
    ("parliment", "parliament"),
    ("televison", "television"),
    ("footbal", "football"),
    ("inflaton", "inflation"),
]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def build_corpus(data: Path, target: Path, repeat: int) -> int:
    count = 0
    for copy in range(repeat):
        for category in sorted(p for p in data.iterdir() if p.is_dir()):
            dest = target / f"copy{copy}" / category.name
            dest.mkdir(parents=True)
            for item in category.glob("*.txt"):
                shutil.copyfile(item, dest / item.name)
                count += 1
    return count


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"bench_search: no BBC data at {args.data}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        files = build_corpus(args.data, corpus, args.repeat)
        report, build_ms = timed(sync, corpus, index)
        _, noop_ms = timed(sync, corpus, index)
        checks = [timed(index_state, index, corpus)[1] for _ in range(20)]
        print(f"corpus: {files} files, {report.added} indexed, {len(report.skipped)} skipped")
        print(f"full build            {build_ms / 1000:8.1f} s   ({files / (build_ms / 1000):.0f} articles/s)")
        print(f"no-op sync            {noop_ms:8.0f} ms")
        print(f"start-up state check  {statistics.median(checks):8.1f} ms (median of 20)")

        latencies = []
        for _ in range(3):
            for query in QUERIES:
                latencies.append(timed(search, index, query, limit=10)[1])
        print(
            f"search, 10 hits       p50 {percentile(latencies, 50):6.1f} ms   p95 {percentile(latencies, 95):6.1f} ms"
            f"   ({len(latencies)} queries)"
        )

        ours_ms, ours_right = [], 0
        for wrong, right in MISSPELLINGS:
            result, ms = timed(search, index, wrong, limit=10)
            ours_ms.append(ms)
            ours_right += result.suggestion == right
        base_ms, base_right = [], 0
        ix = open_index(index)
        with ix.searcher() as searcher:
            qp = QueryParser("body", ix.schema)
            for wrong, right in MISSPELLINGS:
                q = qp.parse(wrong)
                corrected, ms = timed(searcher.correct_query, q, wrong)
                base_ms.append(ms)
                base_right += corrected.string.lower() == right
        ix.close()
        print()
        print(f"{'did you mean':<22}{'tuibrowser':>22}{'whoosh correct_query':>24}")
        print(f"{'':<22}{'(search + suggest)':>22}{'(suggest only, body)':>24}")
        print(f"{'median ms':<22}{statistics.median(ours_ms):>22.1f}{statistics.median(base_ms):>24.1f}")
        total = len(MISSPELLINGS)
        print(f"{'intended word':<22}{f'{ours_right}/{total}':>22}{f'{base_right}/{total}':>24}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
