"""Full import of the ~29,000-article archive against out-of-the-box Whoosh, in turn, N times.

bench_scale.py measures the import once beside one Whoosh build; on this shared machine one
pair of runs varies by several percent either way. This script alternates the two, N times
each (default 5): `tuibrowser import ARCHIVE` into an empty corpus (cleaning, entity
extraction and resolution, quotes, the index and its bookkeeping), and Whoosh building its
index of the same cleaned texts (title, body, id; StandardAnalyzer; one process; the texts
already in memory, so its figure leaves out reading them). It prints every pair, the medians
and the ratio of the medians (the bar: tuibrowser at least Whoosh's rate, 1.0x or more).

Usage: python bench/bench_import.py [--runs N] [--keep DIR] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_scale  # (the archive, the Whoosh baseline and the measuring are its)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="cache the converted archive here (bench_scale's --keep)")
    parser.add_argument("--data", type=Path, default=bench_scale.DATA)
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-import-"))
    prepared, _, sizes = bench_scale.prepare(args.data, base / "prepared", [29000])
    archive = prepared[sizes[-1]]
    work = base / "import"
    exe = str(Path(sys.executable).with_name("tuibrowser"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({f"XDG_{k}_HOME": str(work / "xdg" / k.lower()) for k in ("DATA", "CONFIG", "CACHE", "STATE")})
    print(f"bench_import.py --runs {args.runs}   {time.strftime('%Y-%m-%d %H:%M')}   load {os.getloadavg()[0]:.2f}")

    ours: list[float] = []
    theirs: list[float] = []
    articles = 0
    for number in range(args.runs):
        shutil.rmtree(work, ignore_errors=True)
        corpus, index = work / "corpus", work / "index"
        corpus.mkdir(parents=True)
        (corpus / "entities.toml").write_text(bench_scale.kb_text(["Blair"]), encoding="utf-8")
        run = bench_scale.run_measured(
            [exe, "--corpus", str(corpus), "--index", str(index), "import", str(archive), "--json"], env
        )
        if run.code != 0:
            raise RuntimeError(f"import failed: {run.stderr[-500:]}")
        texts = work / "texts.jsonl"
        articles = len(bench_scale.export_texts(index, texts))
        (work / "whoosh").mkdir()
        built = subprocess.run(
            [sys.executable, "-c", bench_scale.WHOOSH_BUILD, str(texts), str(work / "whoosh")],
            capture_output=True,
            text=True,
            check=True,
        )
        ours.append(run.wall)
        theirs.append(json.loads(built.stdout)["seconds"])
        print(
            f"  run {number + 1}: tuibrowser import {ours[-1]:5.1f} s ({run.peak_mb:.0f} MB)"
            f"   whoosh build {theirs[-1]:5.1f} s   ratio {theirs[-1] / ours[-1]:.2f}x",
            flush=True,
        )
    mine, whoosh = statistics.median(ours), statistics.median(theirs)
    ratios = [t / o for o, t in zip(ours, theirs, strict=True)]
    print(f"{articles:,} articles")
    print(f"median: tuibrowser {mine:.1f} s ({articles / mine:.0f}/s)", end="   ")
    print(f"whoosh {whoosh:.1f} s ({articles / whoosh:.0f}/s)")
    print(f"ratio of the medians {whoosh / mine:.2f}x (bar: >= 1.0x); single runs {min(ratios):.2f}-{max(ratios):.2f}x")
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
