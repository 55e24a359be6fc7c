"""Entity extraction speed (linking and discovery) over the BBC texts, on one core.

Issue 12 asks that the new discovery rules not slow indexing; extraction is the part they
change. To compare with an older version of the rules, run the same script with that
checkout's `src` first on the path:

    python bench/bench_extract.py                              # this checkout
    PYTHONPATH=/path/to/old/checkout/src python bench/bench_extract.py

Both use this checkout's knowledge base (corpus/entities.toml), so only the rules differ.
Prints the median of --passes passes after one warm-up article (gazetteers, caches).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import tuibrowser
from tuibrowser.core.entities.kb import load_kb
from tuibrowser.core.entities.pipeline import EntityExtractor

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "bbc-news" / "bbc"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in sorted(args.data.glob("*/*.txt"))]
    extractor = EntityExtractor(load_kb(ROOT / "corpus"))
    extractor.extract(texts[0])
    seconds = []
    for _ in range(args.passes):
        started = time.perf_counter()
        for text in texts:
            extractor.extract(text)
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    print(f"rules from {Path(tuibrowser.__file__).parent}")
    rate = len(texts) / median
    print(f"{len(texts):,} BBC texts: median {median:.2f} s over {args.passes} passes, {rate:,.0f} texts/s")


if __name__ == "__main__":
    main()
