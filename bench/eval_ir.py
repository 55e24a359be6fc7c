"""Relevance of tuibrowser's ranking vs out-of-the-box Whoosh on IR test collections.

Reads Cranfield, CISI, Medline and NPL (documents, queries, judgements) from
../shared/data/ir, and two news sets made from ../shared/data (issue 12):

  bbc-q-dev, bbc-q-heldout   lower-case questions about 44 random BBC stories
                             (bench/data/bbc_news_questions.toml), over all 2,225 BBC
                             articles; the story is the relevant document. Half may be
                             tuned on, half is only reported.
  ag-titles                  500 AG News titles (lower-cased, fixed random sample) as
                             queries over the 7,600 descriptions, titles not indexed: a
                             known-item test of ranking short news.

Each collection is indexed three ways in temporary folders and MAP and nDCG@10 are printed
side by side:

  whoosh-default   StandardAnalyzer, BM25F defaults, MultifieldParser (AND between words)
  whoosh-or        the same with OR between words (to separate grouping from the rest)
  tuibrowser       our schema, analyzers, query parser and weighting, run the way the
                   product runs a query (core.search.execute: plain words scored from
                   the postings, anything else by Whoosh's collector)

Usage: python bench/eval_ir.py [--data DIR] [--only cran,med] [--b 0.75 --k1 1.2 ...]
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import re
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser, OrGroup

from tuibrowser.core import schema as tb_schema
from tuibrowser.core import search as tb_search
from tuibrowser.core.searchers import IndexView

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ir"
DEPTH = 1000


def _dot_sections(text: str) -> dict[str, dict[str, str]]:
    """Parse SMART-style files: '.I id' then '.T', '.W', ... sections."""
    records: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    field = None
    for line in text.splitlines():
        if line.startswith(".I"):
            current = {}
            records[line[2:].strip()] = current
            field = None
        elif re.match(r"^\.[A-Z]\s*$", line):
            field = line[1]
            if current is not None:
                current.setdefault(field, "")
        elif current is not None and field:
            current[field] += line + "\n"
    return records


def load_cran(root: Path):
    docs = {k: (v.get("T", ""), v.get("W", "")) for k, v in _dot_sections((root / "cran.all.1400").read_text()).items()}
    raw_queries = _dot_sections((root / "cran.qry").read_text())
    # cranqrel numbers queries 1..225 in file order, not by their .I ids.
    queries = {str(n): v.get("W", "") for n, v in enumerate(raw_queries.values(), start=1)}
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    for line in (root / "cranqrel").read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and 1 <= int(parts[2]) <= 4:
            qrels[parts[0]][parts[1]] = 5 - int(parts[2])  # code 1 (complete answer) is the best
    return docs, queries, qrels


def load_cisi(root: Path):
    docs = {k: (v.get("T", ""), v.get("W", "")) for k, v in _dot_sections((root / "CISI.ALL").read_text()).items()}
    queries = {k: v.get("W", "") for k, v in _dot_sections((root / "CISI.QRY").read_text()).items()}
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    for line in (root / "CISI.REL").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2:
            qrels[parts[0]][parts[1]] = 1
    return docs, queries, qrels


def load_med(root: Path):
    docs = {k: ("", v.get("W", "")) for k, v in _dot_sections((root / "MED.ALL").read_text()).items()}
    queries = {k: v.get("W", "") for k, v in _dot_sections((root / "MED.QRY").read_text()).items()}
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    for line in (root / "MED.REL").read_text().splitlines():
        parts = line.split()
        if len(parts) == 4:
            qrels[parts[0]][parts[2]] = 1
    return docs, queries, qrels


def _slash_records(text: str) -> dict[str, str]:
    records = {}
    for chunk in text.split("/"):
        lines = chunk.strip().splitlines()
        if lines and lines[0].strip().isdigit():
            records[lines[0].strip()] = "\n".join(lines[1:])
    return records


def load_npl(root: Path):
    docs = {k: ("", v) for k, v in _slash_records((root / "doc-text").read_text()).items()}
    queries = {k: v.lower() for k, v in _slash_records((root / "query-text").read_text()).items()}
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    for qid, body in _slash_records((root / "rlv-ass").read_text()).items():
        for doc in body.split():
            qrels[qid][doc] = 1
    return docs, queries, qrels


QUESTIONS = Path(__file__).resolve().parent / "data" / "bbc_news_questions.toml"
AG_SAMPLE = 500


def _same_text(docs) -> dict[str, dict[str, int]]:
    """Judgements for each document: itself and every other with the same text (news data
    sets hold some stories twice)."""
    by_text: dict[str, dict[str, int]] = defaultdict(dict)
    for doc_id, (_, text) in docs.items():
        by_text[text.strip()][doc_id] = 1
    return {doc_id: by_text[text.strip()] for doc_id, (_, text) in docs.items()}


def _load_bbc_questions(root: Path, split: str):
    bbc = root.parent / "bbc-news" / "bbc"
    docs = {}
    for path in sorted(bbc.glob("*/*.txt")):
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n", 1)
        docs[f"{path.parent.name}/{path.name}"] = (lines[0].strip(), lines[1] if len(lines) > 1 else "")
    asked = [q for q in tomllib.loads(QUESTIONS.read_text(encoding="utf-8"))["q"] if q["split"] == split]
    queries = {str(n): q["text"] for n, q in enumerate(asked)}
    same = _same_text(docs)
    qrels = {str(n): same[q["file"]] for n, q in enumerate(asked)}
    return docs, queries, qrels


def load_bbc_q_dev(root: Path):
    return _load_bbc_questions(root, "dev")


def load_bbc_q_heldout(root: Path):
    return _load_bbc_questions(root, "heldout")


def load_ag_titles(root: Path):
    docs, titles = {}, {}
    with (root.parent / "ag-news-test" / "test.csv").open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle)):
            docs[str(number)] = ("", row[2].replace("\\", " "))
            titles[str(number)] = row[1]
    chosen = random.Random(12).sample(sorted(docs, key=int), AG_SAMPLE)
    queries = {doc: titles[doc].lower() for doc in chosen}
    same = _same_text(docs)
    qrels = {doc: same[doc] for doc in chosen}
    return docs, queries, qrels


COLLECTIONS = {
    "cran": load_cran,
    "cisi": load_cisi,
    "med": load_med,
    "npl": load_npl,
    "bbc-q-dev": load_bbc_q_dev,
    "bbc-q-heldout": load_bbc_q_heldout,
    "ag-titles": load_ag_titles,
}


def average_precision(ranked: list[str], relevant: dict[str, int]) -> float:
    hits, total = 0, 0.0
    for rank, doc in enumerate(ranked, start=1):
        if doc in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant) if relevant else 0.0


def ndcg_at_10(ranked: list[str], relevant: dict[str, int]) -> float:
    dcg = sum(relevant.get(doc, 0) / math.log2(rank + 1) for rank, doc in enumerate(ranked[:10], start=1))
    ideal = sorted(relevant.values(), reverse=True)[:10]
    idcg = sum(gain / math.log2(rank + 1) for rank, gain in enumerate(ideal, start=1))
    return dcg / idcg if idcg else 0.0


def build(folder: Path, schema: Schema, docs, ours: bool):
    ix = whoosh_index.create_in(str(folder), schema)
    writer = ix.writer(limitmb=256)
    for doc_id, (title, body) in docs.items():
        if ours:
            writer.add_document(path=doc_id, id=doc_id, title=title, body=body, spell=f"{title}\n{body}")
        else:
            writer.add_document(id=doc_id, title=title, body=body)
    writer.commit()
    return ix


def run_system(name: str, docs, queries, qrels) -> tuple[float, float, float]:
    ours = name == "tuibrowser"
    schema = tb_schema.build_schema() if ours else Schema(id=ID(stored=True), title=TEXT(), body=TEXT())
    with tempfile.TemporaryDirectory() as folder:
        ix = build(Path(folder), schema, docs, ours)
        weighting = tb_search.weighting() if ours else scoring.BM25F()
        group = OrGroup if name == "whoosh-or" else None
        parser = MultifieldParser(["title", "body"], ix.schema, **({"group": group} if group else {}))
        aps, ndcgs = [], []
        started = time.perf_counter()
        with ix.searcher(weighting=weighting) as searcher:
            for qid, relevant in qrels.items():
                text = " ".join(queries.get(qid, "").split())
                if not text:
                    continue
                if ours:
                    q = tb_search.parse_query(tb_search.clean_query(text[: tb_search.MAX_QUERY_CHARS]), ix.schema)
                    top = tb_search.execute(IndexView(Path(folder), searcher, (0, 0)), q, DEPTH).top
                    ranked = [searcher.stored_fields(docnum)["id"] for _, docnum in top]
                else:
                    ranked = [hit["id"] for hit in searcher.search(parser.parse(text), limit=DEPTH)]
                aps.append(average_precision(ranked, relevant))
                ndcgs.append(ndcg_at_10(ranked, relevant))
        per_query_ms = 1000 * (time.perf_counter() - started) / max(len(aps), 1)
        ix.close()
    return sum(aps) / len(aps), sum(ndcgs) / len(ndcgs), per_query_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--only", default=",".join(COLLECTIONS))
    parser.add_argument("--b", type=float, help="override BM25F B for tuibrowser")
    parser.add_argument("--k1", type=float, help="override BM25F K1 for tuibrowser")
    parser.add_argument("--title-boost", type=float, help="override the title field boost")
    parser.add_argument("--all-boost", type=float, help="override the all-words boost")
    parser.add_argument("--bm25-idf", type=int, choices=(0, 1), help="BM25's own idf (1) or Whoosh's (0)")
    parser.add_argument("--question-min-words", type=int, help="drop question words from queries this long (0: never)")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"eval_ir: no IR collections at {args.data}", file=sys.stderr)
        return 2
    if args.b is not None:
        tb_search.BM25_B = args.b
    if args.k1 is not None:
        tb_search.BM25_K1 = args.k1
    if args.all_boost is not None:
        tb_search.ALL_WORDS_BOOST = args.all_boost
    if args.bm25_idf is not None:
        tb_search.BM25_IDF = bool(args.bm25_idf)
    if args.question_min_words is not None:
        tb_search.QUESTION_MIN_WORDS = args.question_min_words or 10**6
    if args.title_boost is not None:
        tb_schema.TITLE_BOOST = args.title_boost

    systems = ["whoosh-default", "whoosh-or", "tuibrowser"]
    print(f"{'collection':<11}{'queries':>8} | " + " | ".join(f"{s:^21}" for s in systems))
    print(f"{'':<11}{'':>8} | " + " | ".join(f"{'MAP':>6} {'nDCG@10':>7} {'ms/q':>5}" for _ in systems))
    totals = defaultdict(list)
    for name in args.only.split(","):
        scientific = name in ("cran", "cisi", "med", "npl")
        docs, queries, qrels = COLLECTIONS[name](args.data / name if scientific else args.data)
        row = []
        for system in systems:
            mean_ap, ndcg, ms = run_system(system, docs, queries, qrels)
            totals[system].append((mean_ap, ndcg))
            row.append(f"{mean_ap:6.3f} {ndcg:7.3f} {ms:5.1f}")
        print(f"{name:<11}{len(qrels):>8} | " + " | ".join(row), flush=True)
    means = []
    for system in systems:
        scores = totals[system]
        mean_ap, ndcg = (sum(values) / len(scores) for values in zip(*scores, strict=True))
        means.append(f"{mean_ap:6.3f} {ndcg:7.3f} {'':>5}")
    print(f"{'mean':<11}{'':>8} | " + " | ".join(means))
    return 0


if __name__ == "__main__":
    sys.exit(main())
