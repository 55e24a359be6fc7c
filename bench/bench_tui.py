"""TUI speed: cold start to first frame, and keystroke-to-results latency while typing.

Cold start: each run is a fresh Python process that starts an app headless at 80x24 and
reports the wall-clock moment of its first frame (process spawn to first frame; shutdown
excluded); tuibrowser (over an up-to-date index) and a minimal
Textual app (one Static) alternate, N times each, and the medians are printed side by
side (target: tuibrowser within 1.3x of the minimal app). `--before SRC` adds a third
contestant to the rotation: the tuibrowser package under SRC (another checkout's `src`), to
measure a change against the tree before it in one run.

Typing: a headless tuibrowser app gets queries typed one key at a time (60 ms apart, a
fast typist); the app records, for every search whose results reach the screen, the time
from the key's query change to the results painted. p50/p95 are printed (target: p95 under
50 ms on the sample corpus). Stale searches, overtaken by a newer key, are discarded and
not counted.

Usage: python bench/bench_tui.py [--runs N] [--corpus DIR] [--before SRC]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import sys, time
from pathlib import Path
kind, corpus, index, state = sys.argv[1:5]


def first_frame(app):
    print(time.time(), flush=True)  # the wall-clock moment the first frame was painted
    app.exit()


if kind == "minimal":
    from textual.app import App
    from textual.widgets import Static

    class Minimal(App):
        def compose(self):
            yield Static("hello")

        def on_mount(self):
            self.call_after_refresh(first_frame, self)

    app = Minimal()
else:
    from tuibrowser.core.paths import Locations
    from tuibrowser.core.services import Services
    from tuibrowser.core.settings import Settings
    from tuibrowser.core.user_state import StateStore
    from tuibrowser.tui.app import TuiBrowserApp

    class FirstFrame(TuiBrowserApp):
        def on_mount(self):
            super().on_mount()
            self.call_after_refresh(first_frame, self)

    app = FirstFrame(Services(Locations(Path(corpus), Path(index))), Settings(), StateStore.open(Path(state)))
app.run(headless=True, size=(80, 24))
"""

QUERIES = [
    "Lachin corridor",
    "Zakharova said",
    "Russian peacekeepers",
    "ICJ ruling",
    "Pashinyan Aliyev Putin",
    "Bayramov",
]


def cold_starts(
    corpus: Path, index: Path, state: Path, runs: int, before: Path | None = None
) -> dict[str, list[float]]:
    """Seconds from spawn to first frame, `runs` fresh processes per contestant, taken in turn:
    the minimal app, tuibrowser as imported here, and (with `before`) the tuibrowser under that
    source folder."""
    times: dict[str, list[float]] = {"minimal": [], "tuibrowser": []}
    # Measured as installed: with our modules' bytecode cached, as Textual's is (an environment
    # with PYTHONDONTWRITEBYTECODE would otherwise compile tuibrowser's source on every start).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["TEXTUAL_ANIMATIONS"] = "none"
    import tuibrowser

    envs = {"minimal": env, "tuibrowser": env}
    packages = [Path(tuibrowser.__file__).parent]
    if before is not None:
        times["before"] = []
        envs["before"] = {**env, "PYTHONPATH": str(before.resolve())}
        packages.append(before / "tuibrowser")
    for package in packages:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    for _ in range(runs):
        for kind in times:
            spawned = time.time()
            child = subprocess.run(
                [sys.executable, "-c", CHILD, kind, str(corpus), str(index), str(state)],
                check=True,
                env=envs[kind],
                capture_output=True,
                text=True,
            )
            # Process start to first frame; shutdown (waiting for background workers) excluded.
            times[kind].append(float(child.stdout.strip().splitlines()[-1]) - spawned)
    return times


async def typing_latency(corpus: Path, index: Path, state: Path, queries: list[str] = QUERIES) -> list[float]:
    """The real app headless at 80x24, the queries typed key by key 60 ms apart; seconds from
    each query change to its results on screen (bench_scale.py uses it too)."""
    from tuibrowser.core.paths import Locations
    from tuibrowser.core.services import Services
    from tuibrowser.core.settings import Settings
    from tuibrowser.core.user_state import StateStore
    from tuibrowser.tui.app import create_app

    app = create_app(Services(Locations(corpus, index)), Settings(), StateStore.open(state))
    app.animation_level = "none"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        for query in queries:
            for key in query:
                await pilot.press(key if key != " " else "space")
                await asyncio.sleep(0.06)
            await asyncio.sleep(0.3)
            await pilot.press(*(["backspace"] * len(query)))
            await app.workers.wait_for_complete()
            await asyncio.sleep(0.3)
        await pilot.pause()
    return app.search_latency


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--before", type=Path, metavar="SRC", help="also time the tuibrowser under SRC, in turn")
    args = parser.parse_args()
    from tuibrowser.core.indexer import sync

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(args.corpus, corpus)
        index, state = Path(tmp) / "index", Path(tmp) / "state.json"
        sync(corpus, index)
        starts = cold_starts(corpus, index, state, args.runs, args.before)
        minimal, ours = statistics.median(starts["minimal"]), statistics.median(starts["tuibrowser"])
        print(f"cold start to first frame (median of {args.runs}, fresh process each, headless 80x24)")
        print(f"  minimal Textual app   {minimal * 1000:7.0f} ms")
        print(f"  tuibrowser            {ours * 1000:7.0f} ms   ({ours / minimal:.2f}x; target <= 1.3x)")
        if args.before is not None:
            then = statistics.median(starts["before"])
            print(f"  tuibrowser, --before  {then * 1000:7.0f} ms   ({then / minimal:.2f}x)   {args.before}")
        latencies = asyncio.run(typing_latency(corpus, index, state))
        print(f"keystroke to results painted, typing {len(QUERIES)} queries key by key ({len(latencies)} shown)")
        print(
            f"  p50 {percentile(latencies, 50) * 1000:6.1f} ms   p95 {percentile(latencies, 95) * 1000:6.1f} ms"
            f"   max {max(latencies) * 1000:6.1f} ms   (target p95 < 50 ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
