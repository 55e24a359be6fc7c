"""How long reading one big or hostile file takes: the basis of core.budget's time budget.

Times parsing (decoding, cleaning) and entity extraction of one file made of BBC articles
(1 and 4 MiB), and of 1 MiB inputs built to make a super-linear rule show itself. Every rule
over article text is meant to be linear: twice the input, about twice the time.

    .venv/bin/python bench/bench_hostile.py
"""

from __future__ import annotations

import time
from pathlib import Path

from tuibrowser.core.corpus import parse_articles
from tuibrowser.core.entities.kb import load_kb
from tuibrowser.core.entities.pipeline import EntityExtractor

REPO = Path(__file__).resolve().parents[1]
BBC = REPO.parent / "shared" / "data" / "bbc-news" / "bbc"

HOSTILE = {
    "one long word": lambda size: "Q" * size,
    "one long word, @ at the end": lambda size: "a" * size + "@",
    "a date label, then blank lines": lambda size: "date" + "\n" * size + "x",
    "tweet links in one word": lambda size: "pic.twitter.com/" * (size // 16),
    "quotes after a stop": lambda size: "End." + ")" * size + " x",
    "names, mentions and URLs": lambda size: (
        "Mr Jonas Keller met officials at http://x.example/a, a@b.example. " * (size // 66)
    ),
}


def bbc_prose(size: int) -> bytes:
    """`size` bytes of BBC articles, one after another, as one file."""
    chunks, total = [], 0
    for path in sorted(BBC.rglob("*.txt")):
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        chunks.append(data)
        total += len(data) + 2
        if total >= size:
            break
    return b"\n\n".join(chunks)[:size].rsplit(b" ", 1)[0]


def timed(raw: bytes, extractor: EntityExtractor) -> tuple[float, float]:
    started = time.perf_counter()
    articles = parse_articles(raw, "bench.txt")
    parsed = time.perf_counter()
    for article in articles:
        extractor.extract(article.text)
    return parsed - started, time.perf_counter() - parsed


def main() -> None:
    extractor = EntityExtractor(load_kb(REPO / "corpus"))
    print("| input | size | parse (s) | entities (s) |")
    print("|---|---|---|---|")
    if BBC.is_dir():
        for mib in (1, 4):
            parse, extract = timed(bbc_prose(mib * 2**20), extractor)
            print(f"| BBC prose | {mib} MiB | {parse:.2f} | {extract:.2f} |")
    for name, make in HOSTILE.items():
        for size in (2**19, 2**20):
            parse, extract = timed(make(size).encode(), extractor)
            print(f"| {name} | {size // 1024} KiB | {parse:.2f} | {extract:.2f} |")


if __name__ == "__main__":
    main()
