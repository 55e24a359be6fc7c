"""Archive scale (issue 9): ~29,000 real news articles through the product, each figure beside a baseline.

The archive is BBC News (2,225 .txt files, copied as they are), AG News (7,600 rows, written
as one CSV with a `title,text` header) and Reuters-21578 (the 19,043 SGML stories that have a
body, converted here into JSON Lines files, one per SGML file: Reuters is not an import
format). The converted archive is cached (under --keep, else a temporary folder); each size
is a fixed, proportional subset of it (every source shuffled with a fixed seed, then
interleaved), so a rerun measures the same articles.

For every size (the growth curve) a fresh corpus is imported with the installed command
(`tuibrowser import`, a child process: wall time, and peak RSS as GNU time reports it), then:

- out-of-the-box Whoosh builds its own index of the same cleaned texts (read back from the
  product's index; Schema(title=TEXT(stored), body=TEXT, id=ID(stored)), StandardAnalyzer,
  one writer, one commit), in a child process;
- short queries run through Services.search (limit 10, snippets) in this warm process, beside
  Whoosh (QueryParser("body"), AND, limit 10, highlights of the 10 hits) and a newsboat-style
  `LIKE` scan in an on-disk SQLite file;
- a no-op `tuibrowser index` beside `python -c pass`.

At the largest size also: long natural-language queries (beside Whoosh with OrGroup); the
TUI's keystroke-to-results latency (Pilot, headless, keys 60 ms apart, beside the same app
over the 5-article sample corpus); the bytes the installed `tuibrowser` writes to a real
pseudo-terminal (80x24) per keystroke (beside the same typing through Textual's own driver,
without the frame filter) and its resident memory after 50 searches; cold start
(bench_tui's method); one new article imported until `tuibrowser search` finds it; an alias,
then an entity, added to entities.toml followed by `tuibrowser index`; `tuibrowser search` as
a process; and tantivy (a scratch venv, for reference only).

Timings are medians or nearest-rank p95 of repeated runs; subprocess figures alternate with
their baseline. The machine is shared: read ratios, and rerun to check.

Needs GNU time (/usr/bin/time) for peak memory. About 10 minutes on the 2-core machine;
--quick takes about one.

Usage: python bench/bench_scale.py [--sizes 3000,10000,29000] [--keep DIR] [--skip-tui] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import fcntl
import html
import json
import os
import platform
import random
import re
import select
import shlex
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import tarfile
import tempfile
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
PREP_VERSION = "1"
"""Bump when the conversion changes: a cached archive of another version is rebuilt."""

SHORT_QUERIES = [
    "oil",
    "Blair",
    "interest rates",
    "Chelsea",
    "mobile phone",
    "election",
    "Microsoft",
    "inflation",
    "world cup",
    "stock market",
    "Iraq",
    "broadband",
    "dollar",
    "film award",
    "Arsenal",
    "trade deficit",
    "music download",
    "airline",
    "China",
    "unemployment",
]
LONG_QUERIES = [
    "what did the chancellor say about the budget deficit and taxes",
    "how are rising oil prices affecting airlines and their profits this year",
    "which football clubs want to sign new players in the transfer window",
    "why did the central bank decide to raise interest rates again",
    "what are mobile phone companies doing about faster broadband for customers",
    "how many people voted in the general election and who won",
    "what did the prime minister say about the war in iraq",
    "which films and actors won awards at the oscars ceremony this year",
    "how far did the dollar fall against the euro and the yen",
    "what are the new rules for music downloads and online piracy",
    "why are coffee and cocoa prices falling on world commodity markets",
    "which companies reported higher quarterly earnings than analysts expected",
    "what happened to crude oil output from opec members last month",
    "how are video game makers competing with sony and microsoft consoles",
    "what did the unions say about job cuts at the car factory",
]
PLAIN_DRIVER = "textual.drivers.linux_driver:LinuxDriver"
"""TEXTUAL_DRIVER for a browser writing Textual's whole-region repaints (tui/screen_diff.py off)."""
PTY_TYPED = ["interest rates", "mobile phone"]
"""Typed one key at a time in the pseudo-terminal; bytes are counted after each key."""

BLAIR = """
[[entity]]
id = "tony-blair"
name = "Tony Blair"
type = "person"
aliases = [{aliases}]
description = "Prime Minister of the United Kingdom"
"""
BROWN = """
[[entity]]
id = "gordon-brown"
name = "Gordon Brown"
type = "person"
aliases = ["Mr Brown", "Chancellor Gordon Brown"]
description = "Chancellor of the Exchequer"
"""


@dataclass(frozen=True)
class Settings:
    """How much repetition a run does (--quick does less)."""

    rounds: int = 3
    """Timed passes over each query list (after one warm-up pass)."""
    repeats: int = 5
    """Runs of each measured command (and of its baseline), alternating."""
    cold_runs: int = 7
    tui_queries: int = 8
    pty_searches: int = 50
    new_articles: int = 3


QUICK = Settings(rounds=1, repeats=3, cold_runs=3, tui_queries=3, pty_searches=10, new_articles=1)


# The archive: converted once, cached.


@dataclass(frozen=True)
class Item:
    """One article of the archive, as it will be written for import."""

    source: str
    """"bbc", "ag" or "reuters"."""
    origin: str
    """bbc: the file's path under bbc/; ag: the row number; reuters: the SGML file's stem."""
    title: str = ""
    text: str = ""
    date: str | None = None


def read_bbc(folder: Path) -> list[Item]:
    return [Item("bbc", path.relative_to(folder).as_posix()) for path in sorted(folder.glob("*/*.txt"))]


_AG_ESCAPE = re.compile(r" (#\d+|quot|amp|lt|gt);")


def read_ag(path: Path) -> list[Item]:
    """AG News rows (class, title, description); its "&" was turned into " " and newlines into "\\"."""

    def fix(text: str) -> str:
        return html.unescape(_AG_ESCAPE.sub(r"&\1;", text)).replace("\\", " ").strip()

    with path.open(encoding="utf-8", newline="") as handle:
        return [Item("ag", str(n), fix(row[1]), fix(row[2])) for n, row in enumerate(csv.reader(handle))]


_STORY = re.compile(r"<REUTERS\b[^>]*>(.*?)</REUTERS>", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SIGNOFF = re.compile(r"\s*\bReuter\s*$", re.I)


def _tag(name: str, story: str) -> str | None:
    found = re.search(rf"<{name}>(.*?)</{name}>", story, re.S)
    return found.group(1) if found else None


def read_reuters(archive: Path) -> tuple[list[Item], int]:
    """Reuters stories with a body (title, ISO date, body without the "Reuter" sign-off); and
    how many were skipped for having no body (briefs and unprocessed items)."""
    items, skipped = [], 0
    with tarfile.open(archive) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if not member.name.endswith(".sgm"):
                continue
            sgml = tar.extractfile(member).read().decode("latin-1")
            for story in _STORY.findall(sgml):
                body = _tag("BODY", story)
                if body is None or not body.strip():
                    skipped += 1
                    continue
                body = _SIGNOFF.sub("", _CONTROL.sub("", html.unescape(body))).strip()
                title = _CONTROL.sub("", html.unescape(_tag("TITLE", story) or "")).strip()
                try:
                    date = dt.datetime.strptime((_tag("DATE", story) or "").split()[0], "%d-%b-%Y").date().isoformat()
                except (ValueError, IndexError):
                    date = None
                items.append(Item("reuters", Path(member.name).stem, title, body, date))
    return items, skipped


def archive_order(data: Path) -> tuple[list[Item], dict[str, int]]:
    """Every archive item, in the order subsets are taken: each source shuffled with a fixed
    seed, then interleaved in proportion, so the first N items mix the sources as the whole does."""
    reuters, skipped = read_reuters(data / "reuters21578" / "reut2-sgm.tar.gz")
    groups = [read_bbc(data / "bbc-news" / "bbc"), read_ag(data / "ag-news-test" / "test.csv"), reuters]
    for group in groups:
        random.Random(9).shuffle(group)
    keyed = [((i + 0.5) / len(g), n, i, item) for n, g in enumerate(groups) for i, item in enumerate(g)]
    order = [k[3] for k in sorted(keyed, key=lambda k: k[:3])]
    counts = {"bbc": len(groups[0]), "ag": len(groups[1]), "reuters": len(reuters), "reuters_no_body": skipped}
    return order, counts


def write_archive(items: list[Item], data: Path, target: Path) -> None:
    """Write items as files tuibrowser imports: BBC .txt copied, AG one CSV, Reuters JSON Lines."""
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "archive").mkdir(parents=True)
    root = staging / "archive"
    order = {id(item): n for n, item in enumerate(items)}
    bbc = sorted((i for i in items if i.source == "bbc"), key=lambda i: i.origin)
    for item in bbc:
        (root / "bbc" / item.origin).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data / "bbc-news" / "bbc" / item.origin, root / "bbc" / item.origin)
    ag = sorted((i for i in items if i.source == "ag"), key=lambda i: int(i.origin))
    if ag:
        with (root / "ag-news.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["title", "text"])
            writer.writerows([i.title, i.text] for i in ag)
    reuters: dict[str, list[Item]] = {}
    for item in sorted((i for i in items if i.source == "reuters"), key=lambda i: order[id(i)]):
        reuters.setdefault(item.origin, []).append(item)
    for origin, group in sorted(reuters.items()):
        (root / "reuters").mkdir(exist_ok=True)
        with (root / "reuters" / f"{origin}.jsonl").open("w", encoding="utf-8") as handle:
            for item in group:
                record = {"title": item.title, "date": item.date, "source": "Reuters", "text": item.text}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(staging, target)


def prepare(data: Path, cache: Path, sizes: list[int]) -> tuple[dict[int, Path], dict[str, int], list[int]]:
    """The prepared folder of each size (reused when cached), the archive's counts, the sizes
    clamped to the archive."""
    stamp = cache / "archive.json"
    known = json.loads(stamp.read_text()) if stamp.exists() else {}
    if known.get("version") == PREP_VERSION and all((cache / f"n{n}" / "archive").is_dir() for n in known["sizes"]):
        counts = known["counts"]
        total = counts["bbc"] + counts["ag"] + counts["reuters"]
        clamped = sorted({min(n, total) for n in sizes})
        if all(n in known["sizes"] for n in clamped):
            return {n: cache / f"n{n}" / "archive" for n in clamped}, counts, clamped
    order, counts = archive_order(data)
    clamped = sorted({min(n, len(order)) for n in sizes})
    for n in clamped:
        log(f"writing the {n:,}-article archive")
        write_archive(order[:n], data, cache / f"n{n}")
    stamp.write_text(json.dumps({"version": PREP_VERSION, "counts": counts, "sizes": clamped}))
    return {n: cache / f"n{n}" / "archive" for n in clamped}, counts, clamped


# Measuring.


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] bench_scale: {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


@dataclass
class Run:
    """A finished child process: wall seconds, peak resident memory (MB), exit code, output."""

    wall: float
    peak_mb: float
    code: int
    stdout: str
    stderr: str


GNU_TIME = "/usr/bin/time"


def run_measured(cmd: list[str], env: dict[str, str]) -> Run:
    """Run a command; its wall time and its own peak RSS, as GNU time reports it.

    Not from this process's wait4: Linux carries the forking parent's high-water mark into
    a child's ru_maxrss across exec, so every child of this (large) process would report at
    least this process's size. GNU time is small, so its child's figure is the command's own.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile() as peak:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [GNU_TIME, "-f", "%M", "-o", peak.name, *cmd], stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env
        )
        proc.wait()
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        kilobytes = Path(peak.name).read_text().split()
        peak_mb = int(kilobytes[-1]) / 1024 if kilobytes and kilobytes[-1].isdigit() else float("nan")
        return Run(wall, peak_mb, proc.returncode, out.read().decode(), err.read().decode())


def alternate(a: list[str], b: list[str], env: dict[str, str], repeats: int) -> tuple[list[Run], list[Run]]:
    """Run two commands in turn, `repeats` times each (a noisy machine hits both alike)."""
    first, second = [], []
    for _ in range(repeats):
        first.append(run_measured(a, env))
        second.append(run_measured(b, env))
    for run in first + second:
        if run.code != 0:
            raise RuntimeError(f"command failed ({run.code}): {run.stderr.strip()[-500:]}")
    return first, second


def median_wall(runs: list[Run]) -> float:
    return statistics.median(r.wall for r in runs)


def median_peak(runs: list[Run]) -> float:
    return statistics.median(r.peak_mb for r in runs)


def timed_queries(one: Callable[[str], object], queries: list[str], rounds: int) -> list[float]:
    """Milliseconds per query over `rounds` passes, after one untimed warm-up pass."""
    for text in queries:
        one(text)
    times = []
    for _ in range(rounds):
        for text in queries:
            started = time.perf_counter()
            one(text)
            times.append((time.perf_counter() - started) * 1000)
    return times


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


# Baselines.

WHOOSH_BUILD = r"""
import json, sys, time
from whoosh import index
from whoosh.fields import ID, TEXT, Schema

texts, target = sys.argv[1:3]
with open(texts, encoding="utf-8") as handle:
    docs = [json.loads(line) for line in handle]
started = time.perf_counter()
ix = index.create_in(target, Schema(title=TEXT(stored=True), body=TEXT, id=ID(stored=True)))
writer = ix.writer()
for doc in docs:
    writer.add_document(title=doc["title"], body=doc["text"], id=doc["id"])
writer.commit()
print(json.dumps({"seconds": time.perf_counter() - started, "docs": len(docs)}))
"""

TANTIVY_CHILD = r"""
import json, sys, time
import tantivy

texts, target, queries_file, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with open(texts, encoding="utf-8") as handle:
    docs = [json.loads(line) for line in handle]
builder = tantivy.SchemaBuilder()
builder.add_text_field("title", stored=True)
builder.add_text_field("body", stored=True)
builder.add_text_field("id", stored=True, tokenizer_name="raw")
schema = builder.build()
started = time.perf_counter()
index = tantivy.Index(schema, path=target)
writer = index.writer(heap_size=128_000_000, num_threads=1)
for doc in docs:
    writer.add_document(tantivy.Document(title=doc["title"], body=doc["text"], id=doc["id"]))
writer.commit()
writer.wait_merging_threads()
out = {"build_seconds": time.perf_counter() - started, "docs": len(docs)}
index.reload()
searcher = index.searcher()


def one(text):
    query = index.parse_query(text, ["title", "body"])
    hits = searcher.search(query, limit=10).hits
    snippets = tantivy.SnippetGenerator.create(searcher, query, schema, "body")
    return [snippets.snippet_from_doc(searcher.doc(address)).to_html() for _, address in hits]


with open(queries_file, encoding="utf-8") as handle:
    for name, queries in json.load(handle).items():
        for text in queries:
            one(text)
        times = []
        for _ in range(rounds):
            for text in queries:
                t = time.perf_counter()
                one(text)
                times.append((time.perf_counter() - t) * 1000)
        out[name] = times
print(json.dumps(out))
"""


def export_texts(index_dir: Path, target: Path) -> list[dict]:
    """The cleaned texts the product indexed (id, title, text, date), as JSON Lines."""
    from tuibrowser.core.store import open_index

    ix = open_index(index_dir)
    try:
        with ix.searcher() as searcher:
            docs = [
                {"id": f["id"], "title": f.get("title") or "", "text": f.get("text") or "", "date": f.get("date_iso")}
                for f in searcher.all_stored_fields()
            ]
    finally:
        ix.close()
    docs.sort(key=lambda d: d["id"])
    with target.open("w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return docs


def build_sqlite(path: Path, docs: list[dict]) -> None:
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT, body TEXT, date TEXT)")
    conn.executemany(
        "INSERT INTO articles VALUES (?, ?, ?, ?)", ((d["id"], d["title"], d["text"], d["date"]) for d in docs)
    )
    conn.commit()
    conn.close()


def like_scan(path: Path) -> Callable[[str], object]:
    """newsboat-style search: a LIKE scan over titles and bodies, newest first, 10 rows."""
    conn = sqlite3.connect(path)
    sql = "SELECT id, title, date FROM articles WHERE title LIKE ? OR body LIKE ? ORDER BY date DESC LIMIT 10"

    def one(text: str) -> object:
        pattern = f"%{text}%"
        return conn.execute(sql, (pattern, pattern)).fetchall()

    return one


def whoosh_search(index_dir: Path, texts: dict[str, str], *, any_word: bool) -> Callable[[str], object]:
    """Whoosh out of the box: QueryParser("body") (AND, or OrGroup), limit 10, highlights of each hit.

    The body is not stored in this index, so the text to highlight comes from memory (a
    dictionary look-up: cheaper than reading a stored field).
    """
    from whoosh import index
    from whoosh.qparser import OrGroup, QueryParser

    ix = index.open_dir(str(index_dir))
    parser = QueryParser("body", ix.schema, group=OrGroup) if any_word else QueryParser("body", ix.schema)

    def one(text: str) -> object:
        with ix.searcher() as searcher:
            results = searcher.search(parser.parse(text), limit=10)
            return [hit.highlights("body", text=texts[hit["id"]]) for hit in results]

    return one


def tantivy_python(venv: Path) -> tuple[Path | None, str]:
    """The scratch venv's python with tantivy importable, installing it if needed; or why not."""
    python = venv / "bin" / "python"
    check = [str(python), "-c", "import tantivy; print(tantivy.__version__)"]
    if python.exists():
        done = subprocess.run(check, capture_output=True, text=True)
        if done.returncode == 0:
            return python, done.stdout.strip()
    log(f"installing tantivy into a scratch venv at {venv}")
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "tantivy"], check=True, capture_output=True)
        done = subprocess.run(check, capture_output=True, text=True, check=True)
        return python, done.stdout.strip()
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        detail = detail.decode(errors="replace") if isinstance(detail, bytes) else detail
        return None, f"tantivy did not install: {error} {detail.strip()[-300:]}"


# The TUI.


class Terminal:
    """The installed `tuibrowser` in a pseudo-terminal: what it writes, as a terminal would read it."""

    def __init__(self, cmd: list[str], env: dict[str, str], columns: int = 80, rows: int = 24):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

        def controlling_terminal() -> None:  # as a terminal emulator does: the pty is the session's tty
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, "TERM": "xterm-256color"},
            start_new_session=True,
            preexec_fn=controlling_terminal,  # safe: this process runs no other threads at this point
        )
        os.close(slave)
        self.output = bytearray()
        self.last_byte = 0.0
        """perf_counter() when the last byte arrived."""

    def read(self, quiet: float, cap: float, until: bytes | None = None) -> int:
        """Read until nothing came for `quiet` seconds (and `until` was seen), at most `cap`
        seconds; returns the bytes read."""
        started = time.perf_counter()
        last = started
        got = 0
        seen = until is None
        while True:
            now = time.perf_counter()
            if now - started > cap or (seen and now - last >= quiet):
                return got
            ready, _, _ = select.select([self.master], [], [], min(quiet, 0.05))
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the child closed the terminal
                return got
            if not chunk:
                return got
            self.output += chunk
            got += len(chunk)
            last = self.last_byte = time.perf_counter()
            if not seen and until in self.output[-(len(chunk) + len(until)) :]:
                seen = True

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def rss_mb(self, what: str = "VmRSS") -> float:
        """The child's resident memory now (VmRSS) or its peak so far (VmHWM), in MB."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(rf"{what}:\s+(\d+) kB", status).group(1)) / 1024

    def quit(self) -> None:
        """Ctrl+Q, and wait for the child (killed if it has not left after 20 s)."""
        self.send("\x11")
        deadline = time.perf_counter() + 20
        while time.perf_counter() < deadline and self.proc.poll() is None:
            self.read(0.1, 0.2)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


@dataclass
class TerminalFigures:
    first_screen: float
    """Seconds from spawn to the newest-first list on screen."""
    first_bytes: int
    per_key: list[int]
    settled: list[float]
    """Milliseconds from each key to the last byte before the screen went quiet."""
    rss_open: float
    rss_after: float
    anon_after: float
    """Of rss_after, private memory (the rest is file pages, mostly the index's, mapped by Whoosh)."""
    peak: float
    searches: int


def terminal_session(exe: str, corpus: Path, index: Path, env: dict[str, str], searches: int) -> TerminalFigures:
    """Open the browser in a pty, type PTY_TYPED key by key (150 ms apart), then run `searches`
    searches (Ctrl+U, a query, until the screen is quiet) and read the child's VmRSS."""
    term = Terminal([exe, "--corpus", str(corpus), "--index", str(index)], env)
    try:
        first_bytes = term.read(quiet=0.3, cap=180, until=b"newest first")
        first_screen = time.perf_counter() - term.started - 0.3
        if b"newest first" not in term.output:
            raise RuntimeError(f"the browser did not show its first screen: {bytes(term.output[-300:])!r}")
        rss_open = term.rss_mb()
        per_key, settled = [], []
        for query in PTY_TYPED:
            term.send("\x15")  # Ctrl+U: empty the query box
            term.read(quiet=0.4, cap=10)
            for key in query:
                sent = time.perf_counter()
                term.send(key)
                per_key.append(term.read(quiet=0.12, cap=3))
                settled.append((term.last_byte - sent) * 1000)
                time.sleep(max(0.0, 0.15 - (time.perf_counter() - sent)))
            term.read(quiet=0.4, cap=10)
        for n in range(searches):
            term.send("\x15" + SHORT_QUERIES[n % len(SHORT_QUERIES)])
            term.read(quiet=0.4, cap=10)
        rss_after, anon_after, peak = term.rss_mb(), term.rss_mb("RssAnon"), term.rss_mb("VmHWM")
    finally:
        term.quit()
    return TerminalFigures(first_screen, first_bytes, per_key, settled, rss_open, rss_after, anon_after, peak, searches)


# The product at one size.


@dataclass
class SizeFigures:
    """What one size of the archive measured."""

    items: int
    articles: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    import_run: Run | None = None
    whoosh_build: float = 0.0
    whoosh_build_peak: float = 0.0
    short: list[float] = field(default_factory=list)
    short_whoosh: list[float] = field(default_factory=list)
    short_like: list[float] = field(default_factory=list)
    noop: list[Run] = field(default_factory=list)
    python_pass: list[Run] = field(default_factory=list)
    index_mb: float = 0.0

    @property
    def rate(self) -> float:
        return self.articles / self.import_run.wall

    @property
    def whoosh_rate(self) -> float:
        return self.articles / self.whoosh_build


def kb_text(blair_aliases: list[str], brown: bool = False) -> str:
    """The archive's entities.toml: the repository's (the Lachin sample's) plus BBC entities."""
    base = (ROOT / "corpus" / "entities.toml").read_text(encoding="utf-8")
    text = base + BLAIR.format(aliases=", ".join(json.dumps(a) for a in blair_aliases))
    return text + (BROWN if brown else "")


def measure_size(
    n: int, prepared: Path, work: Path, exe: str, env: dict[str, str], settings: Settings
) -> tuple[SizeFigures, Path, Path, dict[str, str]]:
    """Import one size from scratch and take the growth-curve figures; returns the folders and texts too."""
    from tuibrowser.core.paths import Locations
    from tuibrowser.core.services import Services
    from tuibrowser.core.store import open_index

    shutil.rmtree(work, ignore_errors=True)
    corpus, index = work / "corpus", work / "index"
    corpus.mkdir(parents=True)
    (corpus / "entities.toml").write_text(kb_text(["Blair"]), encoding="utf-8")
    figures = SizeFigures(n)

    log(f"{n:,} articles: tuibrowser import (load {os.getloadavg()[0]:.2f})")
    cli = [exe, "--corpus", str(corpus), "--index", str(index)]
    figures.import_run = run_measured([*cli, "import", str(prepared), "--json"], env)
    if figures.import_run.code != 0:
        raise RuntimeError(f"import failed: {figures.import_run.stderr[-500:]}")
    for verdict in json.loads(figures.import_run.stdout):
        figures.verdicts[verdict["status"]] = figures.verdicts.get(verdict["status"], 0) + 1
    ix = open_index(index)
    figures.articles = ix.doc_count()
    ix.close()
    figures.index_mb = folder_mb(index)

    log(f"{n:,} articles: out-of-the-box Whoosh build, SQLite file")
    docs = export_texts(index, work / "texts.jsonl")
    (work / "whoosh").mkdir()
    built = run_measured([sys.executable, "-c", WHOOSH_BUILD, str(work / "texts.jsonl"), str(work / "whoosh")], env)
    if built.code != 0:
        raise RuntimeError(f"Whoosh build failed: {built.stderr[-500:]}")
    figures.whoosh_build = json.loads(built.stdout)["seconds"]
    figures.whoosh_build_peak = built.peak_mb
    build_sqlite(work / "like.sqlite", docs)
    texts = {d["id"]: d["text"] for d in docs}

    log(f"{n:,} articles: no-op index, short queries")
    figures.noop, figures.python_pass = alternate(
        [*cli, "index"], [sys.executable, "-c", "pass"], env, settings.repeats
    )
    services = Services(Locations(corpus, index))
    figures.short = timed_queries(lambda q: services.search(q, limit=10), SHORT_QUERIES, settings.rounds)
    figures.short_whoosh = timed_queries(
        whoosh_search(work / "whoosh", texts, any_word=False), SHORT_QUERIES, settings.rounds
    )
    figures.short_like = timed_queries(like_scan(work / "like.sqlite"), SHORT_QUERIES, settings.rounds)
    return figures, corpus, index, texts


# Entities, bounded queries, cancellation (Services in this process, warm).

FREQUENT_ENTITY = "tony-blair"
"""A frequent curated entity of the archive (its knowledge base adds Tony Blair)."""

BROAD_QUERIES = ["*", "a*", "**", "blair~9"]
"""At 29,000 articles before the bounds: 13 s, 23 s, over 60 s and 400 MB, 23 s."""

SLOW_QUERY = '"interest rates" OR oil OR dollar OR bank OR market OR company OR year OR share OR price'
"""Run by Whoosh's collector (a phrase), matching most of the archive: a search worth cancelling."""


def entity_rows(services, rounds: int) -> list[tuple[str, str, str, str, str, str]]:
    """services.entity_page and services.quotes for a frequent entity and the most mentioned one."""
    top = services.entities()[0].entity.id
    rows = []
    for entity_id in dict.fromkeys([FREQUENT_ENTITY, top]):
        if services.entity(entity_id) is None:
            continue
        page_times = timed_queries(lambda e: services.entity_page(e), [entity_id], rounds)
        quote_times = timed_queries(lambda e: services.quotes(e), [entity_id], rounds)
        page = services.entity_page(entity_id)
        quoted = services.quotes(entity_id)
        rows.append(
            (
                f"entity page {entity_id} ({len(page.articles):,} articles)",
                f"{statistics.median(page_times):.0f} ms",
                f"quotes ({sum(len(q.quotes) for q in quoted):,}): {statistics.median(quote_times):.0f} ms",
                "",
                "",
                "",
            )
        )
    return rows


def follow_rows(services, rounds: int) -> list[tuple[str, str, str, str, str, str]]:
    """Issue 10 at archive size: an entity's timeline (from the index's date column) and the
    watchlist's news (one index query per watch), beside an `entity:` search for the same
    entity, top 10 with snippets, in the same warm process."""
    from tuibrowser.core.entities.timeline import entity_timeline
    from tuibrowser.core.user_state import Watch

    top = services.entities()[0].entity.id
    index = services.locations.index
    rows = []
    for entity_id in dict.fromkeys([FREQUENT_ENTITY, top]):
        if services.entity(entity_id) is None:
            continue
        line = timed_queries(lambda e: entity_timeline(index, e), [entity_id] * 5, rounds)
        search = timed_queries(lambda e: services.search(f"entity:{e}", limit=10), [entity_id] * 5, rounds)
        timeline = entity_timeline(index, entity_id)
        rows.append(
            (
                f"timeline {entity_id} ({len(timeline.periods)} {timeline.by}s) p50 / p95",
                fmt_ms(line),
                f"entity: search {fmt_ms(search)}",
                f"{percentile(line, 95) / percentile(search, 95):.2f}x",
                "",
                "",
            )
        )
    watches = [
        Watch("entity", top, top, 0),
        Watch("entity", FREQUENT_ENTITY, FREQUENT_ENTITY, 0),
        Watch("search", "interest rates", "interest rates", 0),
    ]
    news_times = timed_queries(lambda _: services.news(watches), ["news"] * 5, rounds)
    search_times = timed_queries(lambda q: services.search(q, limit=10), ["interest rates"] * 5, rounds)
    found = sum(len(item.articles) for item in services.news(watches))
    rows.append(
        (
            f"news for 3 watches, all unseen ({found:,} articles) p50 / p95",
            fmt_ms(news_times),
            f"one short search {fmt_ms(search_times)}",
            f"{percentile(news_times, 95) / percentile(search_times, 95):.2f}x",
            "",
            "",
        )
    )
    return rows


def bounded_query_rows(services) -> list[tuple[str, str, str, str, str, str]]:
    """The queries that used to burn a core: how long each takes now, and what it says."""
    from tuibrowser.core.errors import QueryError

    parts = []
    for text in BROAD_QUERIES:
        started = time.perf_counter()
        try:
            result = services.search(text, limit=10)
            said = f"{result.total:,} hits" + (f", {result.notice}" if result.notice else "")
        except QueryError as error:
            said = str(error)
        parts.append(f"{text} {(time.perf_counter() - started) * 1000:.0f} ms ({said[:48]})")
    return [("broad patterns (was 13-60+ s each)", "; ".join(parts[:2]), "; ".join(parts[2:]), "", "bounded", "")]


def cancellation_rows(services, rounds: int) -> list[tuple[str, str, str, str, str, str]]:
    """A slow search cancelled 20 ms after it starts: how long until it stops, beside its
    uncancelled time."""
    import threading

    from tuibrowser.core.errors import SearchCancelled

    full = timed_queries(lambda q: services.search(q, limit=50), [SLOW_QUERY], rounds)
    latencies = []
    for _ in range(max(rounds, 3) * 3):
        stop = threading.Event()
        stopped: list[float] = []

        def run(stop: threading.Event = stop, stopped: list[float] = stopped) -> None:
            try:
                services.search(SLOW_QUERY, limit=50, cancelled=stop.is_set)
            except SearchCancelled:
                stopped.append(time.perf_counter())

        worker = threading.Thread(target=run)
        worker.start()
        time.sleep(0.02)
        asked = time.perf_counter()
        stop.set()
        worker.join()
        if stopped:
            latencies.append((stopped[0] - asked) * 1000)
    shown = fmt_ms(latencies) if latencies else "finished before being cancelled"
    return [
        (
            "stale search cancelled: stops after p50 / p95",
            shown,
            f"the same search uncancelled {statistics.median(full):.0f} ms",
            "",
            "",
            "",
        )
    ]


# Report.


def fmt_ms(values: list[float]) -> str:
    return f"{percentile(values, 50):.1f} / {percentile(values, 95):.1f} ms"


def meets(ok: bool) -> str:
    return "yes" if ok else "NO"


def print_table(rows: list[tuple[str, str, str, str, str, str]]) -> None:
    head = ("figure", "tuibrowser", "baseline (same run)", "ratio", "bar", "met")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(6)]
    for number, row in enumerate([head, *rows]):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if number == 0:
            print("  ".join("-" * w for w in widths))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="3000,10000,29000", help="archive sizes, comma-separated (clamped)")
    parser.add_argument("--keep", type=Path, help="cache the converted archive and keep the indexes here")
    parser.add_argument("--skip-tui", action="store_true", help="leave out the TUI figures")
    parser.add_argument("--quick", action="store_true", help="a small archive and fewer repeats, to check the script")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--tantivy-venv", type=Path, default=Path(tempfile.gettempdir()) / "tantivy-venv")
    args = parser.parse_args()
    settings = QUICK if args.quick else Settings()
    sizes = [300, 1000] if args.quick and args.sizes == parser.get_default("sizes") else None
    sizes = sizes or [int(s) for s in args.sizes.split(",")]
    for folder in ("bbc-news/bbc", "ag-news-test", "reuters21578"):
        if not (args.data / folder).exists():
            print(f"bench_scale: no {folder} under {args.data}", file=sys.stderr)
            return 2
    if not Path(GNU_TIME).exists():
        print(f"bench_scale: needs GNU time at {GNU_TIME} for peak memory (apt-get install time)", file=sys.stderr)
        return 2
    exe = shutil.which("tuibrowser", path=str(Path(sys.executable).parent)) or shutil.which("tuibrowser")
    if exe is None:
        print("bench_scale: the tuibrowser command is not installed (pip install -e .)", file=sys.stderr)
        return 2

    began = time.perf_counter()
    load_start = os.getloadavg()
    temp = tempfile.TemporaryDirectory(prefix="bench-scale-")
    base = args.keep.resolve() if args.keep else Path(temp.name)
    base.mkdir(parents=True, exist_ok=True)
    xdg = base / "xdg"
    # Children: our bytecode cached as installed (no PYTHONDONTWRITEBYTECODE, see bench_tui), and
    # the user's own settings and reading state never read or written.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({f"XDG_{k}_HOME": str(xdg / k.lower()) for k in ("DATA", "CONFIG", "CACHE", "STATE")})
    import tuibrowser

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(tuibrowser.__file__).parent)], check=True)

    prepared, counts, sizes = prepare(args.data, base / "prepared", sizes)
    curve: list[SizeFigures] = []
    for n in sizes:
        figures, corpus, index, texts = measure_size(n, prepared[n], base / "run" / f"n{n}", exe, env, settings)
        curve.append(figures)
    top = curve[-1]
    work = base / "run" / f"n{top.items}"
    cli = [exe, "--corpus", str(corpus), "--index", str(index)]
    rows: list[tuple[str, str, str, str, str, str]] = []

    # Import.
    rate, whoosh_rate = top.rate, top.whoosh_rate
    rows.append(
        (
            "full import, articles/s",
            f"{rate:.0f}/s",
            f"whoosh out of the box {whoosh_rate:.0f}/s",
            f"{rate / whoosh_rate:.2f}x",
            ">= whoosh's rate",
            meets(rate >= whoosh_rate),
        )
    )
    rows.append(
        ("full import, wall time", f"{top.import_run.wall:.1f} s", f"whoosh {top.whoosh_build:.1f} s", "", "", "")
    )
    rows.append(
        (
            "full import, peak RSS",
            f"{top.import_run.peak_mb:.0f} MB",
            f"whoosh {top.whoosh_build_peak:.0f} MB",
            "",
            "",
            "",
        )
    )

    # Queries.
    log("long queries")
    from tuibrowser.core.paths import Locations
    from tuibrowser.core.services import Services

    services = Services(Locations(corpus, index))
    long_ours = timed_queries(lambda q: services.search(q, limit=10), LONG_QUERIES, settings.rounds)
    long_whoosh = timed_queries(whoosh_search(work / "whoosh", texts, any_word=True), LONG_QUERIES, settings.rounds)
    short_p95, like_p95 = percentile(top.short, 95), percentile(top.short_like, 95)
    rows.append(
        (
            "short query p50 / p95 (20 queries)",
            fmt_ms(top.short),
            f"whoosh AND {fmt_ms(top.short_whoosh)}",
            f"{percentile(top.short, 95) / percentile(top.short_whoosh, 95):.1f}x",
            "",
            "",
        )
    )
    rows.append(
        (
            "",
            "",
            f"sqlite LIKE {fmt_ms(top.short_like)}",
            f"{short_p95 / like_p95:.2f}x",
            "p95 <= 40 ms and <= 0.5x LIKE",
            meets(short_p95 <= 40 and short_p95 <= like_p95 / 2),
        )
    )
    long_p95 = percentile(long_ours, 95)
    rows.append(
        (
            "long query p50 / p95 (15 questions)",
            fmt_ms(long_ours),
            f"whoosh OR {fmt_ms(long_whoosh)}",
            f"{long_p95 / percentile(long_whoosh, 95):.1f}x",
            "p95 <= 150 ms",
            meets(long_p95 <= 150),
        )
    )

    # Entities, quotes, bounded queries and cancellation, in the same warm process.
    log("entity pages, quotes, bounded queries, cancellation")
    rows += entity_rows(services, settings.rounds)
    rows += follow_rows(services, settings.rounds)
    rows += bounded_query_rows(services)
    rows += cancellation_rows(services, settings.rounds)

    # Tantivy, for reference.
    python, version = tantivy_python(args.tantivy_venv)
    tantivy_note = version
    if python is not None:
        log(f"tantivy {version}")
        queries_file = work / "queries.json"
        queries_file.write_text(json.dumps({"short": SHORT_QUERIES, "long": LONG_QUERIES}))
        shutil.rmtree(work / "tantivy", ignore_errors=True)
        (work / "tantivy").mkdir()
        child_args = [str(work / "texts.jsonl"), str(work / "tantivy"), str(queries_file), str(settings.rounds)]
        child = run_measured([str(python), "-c", TANTIVY_CHILD, *child_args], env)
        if child.code == 0:
            found = json.loads(child.stdout)
            rows.append(
                (
                    "tantivy (reference): short, long",
                    "",
                    f"{fmt_ms(found['short'])}; {fmt_ms(found['long'])}",
                    "",
                    "",
                    "",
                )
            )
            rows.append(
                ("tantivy (reference): build", "", f"{found['docs'] / found['build_seconds']:.0f}/s", "", "", "")
            )
        else:
            tantivy_note = f"tantivy {version} failed: {child.stderr.strip()[-300:]}"
            rows.append(("tantivy (reference)", "", "failed (see below)", "", "", ""))
    else:
        rows.append(("tantivy (reference)", "", "not installed (see below)", "", "", ""))

    # The TUI.
    if not args.skip_tui:
        from bench_tui import cold_starts, typing_latency

        sample = base / "run" / "sample"
        shutil.rmtree(sample, ignore_errors=True)
        shutil.copytree(ROOT / "corpus", sample / "corpus")
        run_measured([exe, "--corpus", str(sample / "corpus"), "--index", str(sample / "index"), "index"], env)
        queries = SHORT_QUERIES[: settings.tui_queries]
        log("TUI: keystroke to results (Pilot)")
        ours_tui = asyncio.run(typing_latency(corpus, index, work / "state.json", queries))
        sample_tui = asyncio.run(typing_latency(sample / "corpus", sample / "index", sample / "state.json", queries))
        tui_p95 = percentile(ours_tui, 95)
        rows.append(
            (
                "TUI keystroke to results p50 / p95",
                fmt_ms([s * 1000 for s in ours_tui]),
                f"sample corpus {fmt_ms([s * 1000 for s in sample_tui])}",
                f"{tui_p95 / percentile(sample_tui, 95):.1f}x",
                "p95 <= 50 ms",
                meets(tui_p95 * 1000 <= 50),
            )
        )
        log("TUI: in a pseudo-terminal")
        archive_term = terminal_session(exe, corpus, index, env, settings.pty_searches)
        sample_term = terminal_session(exe, sample / "corpus", sample / "index", env, settings.pty_searches)
        # The same typing with Textual's own driver (no frame filter): what the filter saves.
        plain_term = terminal_session(exe, corpus, index, {**env, "TEXTUAL_DRIVER": PLAIN_DRIVER}, 0)
        key_median = statistics.median(archive_term.per_key)
        plain_median = statistics.median(plain_term.per_key)
        sample_median = statistics.median(sample_term.per_key)
        rows.append(
            (
                "terminal bytes per keystroke, median",
                f"{key_median:.0f} B (mean {statistics.mean(archive_term.per_key):.0f})",
                f"Textual's own driver {plain_median:.0f} B; sample corpus {sample_median:.0f} B",
                f"{key_median / plain_median:.2f}x",
                "<= 2 KB",
                meets(key_median <= 2048),
            )
        )
        rows.append(
            (
                "terminal: key to last byte p50 / p95",
                fmt_ms(archive_term.settled),
                f"sample corpus {fmt_ms(sample_term.settled)}",
                "",
                "",
                "",
            )
        )
        rows.append(
            (
                f"TUI RSS after {archive_term.searches} searches",
                f"{archive_term.rss_after:.0f} MB ({archive_term.anon_after:.0f} anon; peak {archive_term.peak:.0f})",
                f"right after opening {archive_term.rss_open:.0f} MB; sample corpus {sample_term.rss_after:.0f} MB",
                "",
                "<= 150 MB",
                meets(archive_term.rss_after <= 150),
            )
        )
        rows.append(
            (
                "TUI first screen in the pty (newest list)",
                f"{archive_term.first_screen:.2f} s",
                f"sample corpus {sample_term.first_screen:.2f} s",
                "",
                "",
                "",
            )
        )
        log("TUI: cold start")
        starts = cold_starts(corpus, index, work / "state.json", settings.cold_runs)
        minimal, ours = statistics.median(starts["minimal"]), statistics.median(starts["tuibrowser"])
        rows.append(
            (
                "TUI cold start to first frame",
                f"{ours * 1000:.0f} ms",
                f"minimal Textual app {minimal * 1000:.0f} ms",
                f"{ours / minimal:.2f}x",
                "<= 1.3x",
                meets(ours / minimal <= 1.3),
            )
        )

    # Commands as processes.
    log("tuibrowser search as a process; no-op index")
    searches, whoosh_imports = alternate(
        [*cli, "search", "interest rates"],
        [sys.executable, "-c", "import whoosh.index, whoosh.qparser"],
        env,
        settings.repeats,
    )
    ratio = median_wall(searches) / median_wall(whoosh_imports)
    rows.append(
        (
            "`tuibrowser search` process: wall",
            f"{median_wall(searches) * 1000:.0f} ms",
            f"python -c 'import whoosh...' {median_wall(whoosh_imports) * 1000:.0f} ms",
            f"{ratio:.2f}x",
            "<= 2x",
            meets(ratio <= 2),
        )
    )
    rows.append(
        (
            "`tuibrowser search` process: peak RSS",
            f"{median_peak(searches):.0f} MB",
            f"{median_peak(whoosh_imports):.0f} MB",
            f"{median_peak(searches) / median_peak(whoosh_imports):.2f}x",
            "",
            "",
        )
    )
    noop = median_wall(top.noop)
    rows.append(
        (
            "no-op `tuibrowser index`",
            f"{noop * 1000:.0f} ms",
            f"python -c pass {median_wall(top.python_pass) * 1000:.0f} ms",
            f"{noop / median_wall(top.python_pass):.1f}x",
            "<= 0.5 s",
            meets(noop <= 0.5),
        )
    )

    # One new article until searchable.
    log("one new article until searchable")
    new_walls, found_all = [], True
    passes = []
    for n in range(settings.new_articles):
        word = f"quorvex{'abcdefgh'[n]}"
        one = work / "new" / f"one-{n}.txt"
        one.parent.mkdir(exist_ok=True)
        one.write_text(
            f"Council backs {word.capitalize()} harbour plan\n\nThe council approved the {word.capitalize()} "
            "harbour plan on Tuesday after a long debate, officials said.\n\nWork is to start next spring.\n",
            encoding="utf-8",
        )
        imported = run_measured([*cli, "import", str(one)], env)
        found = run_measured([*cli, "search", word, "--json"], env)
        passes.append(run_measured([sys.executable, "-c", "pass"], env).wall)
        hits = json.loads(found.stdout)["hits"] if found.code == 0 else []
        found_all &= imported.code == 0 and any(word in h["title"].lower() for h in hits)
        new_walls.append(imported.wall + found.wall)
    new_wall = statistics.median(new_walls)
    rows.append(
        (
            "new article: import + search finds it",
            f"{new_wall:.2f} s" + ("" if found_all else " (NOT FOUND)"),
            f"python -c pass {statistics.median(passes) * 1000:.0f} ms",
            "",
            "<= 2 s",
            meets(new_wall <= 2 and found_all),
        )
    )

    # entities.toml edits.
    log("entities.toml: an alias added, then an entity")
    kb = corpus / "entities.toml"
    for label, text in (
        ('alias "Mr Blair" added, `index`', kb_text(["Blair", "Mr Blair"])),
        ("entity Gordon Brown added, `index`", kb_text(["Blair", "Mr Blair"], brown=True)),
    ):
        before = folder_mb(index)
        kb.write_text(text, encoding="utf-8")
        edit = run_measured([*cli, "index", "--json"], env)
        if edit.code != 0:
            raise RuntimeError(f"index after the KB edit failed: {edit.stderr[-500:]}")
        after = folder_mb(index)
        relinked = json.loads(edit.stdout)["relinked"]
        rows.append(
            (
                label,
                f"{edit.wall:.1f} s, {edit.peak_mb:.0f} MB peak",
                f"index {before:.0f} -> {after:.0f} MB; {relinked:,} relinked",
                f"{after / before:.2f}x size",
                "<= 10 s, not doubling",
                meets(edit.wall <= 10 and after < 2 * before),
            )
        )
    after_edits = [run_measured([*cli, "index"], env) for _ in range(settings.repeats)]
    rows.append(("no-op `index` after the edits", f"{median_wall(after_edits) * 1000:.0f} ms", "", "", "", ""))

    load_end = os.getloadavg()
    took = time.perf_counter() - began

    # Print.
    print(f"bench_scale.py {' '.join(shlex.quote(a) for a in sys.argv[1:])}")
    print(
        f"{time.strftime('%Y-%m-%d %H:%M')}  {os.cpu_count()} cores  Python {platform.python_version()}"
        f"  whoosh-reloaded {metadata.version('whoosh-reloaded')}  textual {metadata.version('textual')}"
    )
    print(f"load average at start {' '.join(f'{x:.2f}' for x in load_start)}", end="")
    print(f"; at end {' '.join(f'{x:.2f}' for x in load_end)}; run took {took / 60:.1f} min")
    print(
        f"archive: {counts['bbc']:,} BBC + {counts['ag']:,} AG News + {counts['reuters']:,} Reuters "
        f"({counts['reuters_no_body']:,} Reuters stories without a body skipped)"
    )
    verdicts = ", ".join(f"{v} {k}" for k, v in sorted(top.verdicts.items()))
    print(
        f"largest size: {top.items:,} items prepared, {top.articles:,} articles indexed"
        f" (import verdicts per file: {verdicts}); index {top.index_mb:.0f} MB"
    )
    print()
    print_table(rows)
    print()
    print("growth curve (each size imported from scratch; short queries p95; medians of the no-op runs)")
    header = (
        f"{'prepared':>9} {'indexed':>8} {'import':>8} {'rate':>7} {'whoosh':>7} {'ratio':>6} {'peak RSS':>9}"
        f" {'short p95':>10} {'whoosh':>8} {'LIKE':>8} {'no-op index':>12} {'python -c pass':>15}"
    )
    print(header)
    for f in curve:
        print(
            f"{f.items:>9,} {f.articles:>8,} {f.import_run.wall:>7.1f}s {f.rate:>6.0f}/s {f.whoosh_rate:>5.0f}/s"
            f" {f.rate / f.whoosh_rate:>5.2f}x {f.import_run.peak_mb:>6.0f} MB"
            f" {percentile(f.short, 95):>7.1f} ms {percentile(f.short_whoosh, 95):>5.1f} ms"
            f" {percentile(f.short_like, 95):>5.1f} ms {median_wall(f.noop) * 1000:>9.0f} ms"
            f" {median_wall(f.python_pass) * 1000:>12.0f} ms"
        )
    if python is None or "failed" in tantivy_note:
        print(f"\n{tantivy_note}")
    else:
        print(f"\n{tantivy_note} in {args.tantivy_venv} (default tokenizer, no stemming; OR parser; 1 thread)")
    if args.keep:
        print(f"archive, corpora and indexes kept in {base}")
    temp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
