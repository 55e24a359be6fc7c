"""The command line: a thin, scriptable face over tuibrowser.core.

Exit codes: 0 success (zero hits included), 1 the index is unavailable (locked by another
indexer, unreadable folder), 2 bad usage, a bad query or an unknown id. Errors are one line
on stderr, never a traceback. Every command goes through `core.services.Services`, the API
the TUI uses too, and prints JSON through `core.jsonshapes`. Whoosh is imported by the
commands that read the index, when they run; Textual only when the browser is launched.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from tuibrowser import __version__
from tuibrowser.core.errors import (
    ArticleNotFound,
    CurationError,
    EntityNotFound,
    IndexDamaged,
    IndexProblem,
    KnowledgeBaseError,
    QueryError,
)
from tuibrowser.core.paths import resolve_locations
from tuibrowser.core.sanitize import printable, safe_json

if TYPE_CHECKING:
    from tuibrowser.core.entities.curation.ops import CurationOp, CurationResult
    from tuibrowser.core.importer import Verdict
    from tuibrowser.core.indexer import Progress, SyncReport
    from tuibrowser.core.search import SearchResult
    from tuibrowser.core.services import Services
    from tuibrowser.core.user_state import StateStore

EXIT_OK, EXIT_UNAVAILABLE, EXIT_USAGE = 0, 1, 2

_batch_ran = False
"""Whether this process ran `import` or `index` (see `run`)."""

ENTITY_VERBS: dict[str, tuple[str, str]] = {
    "show": ("NAME_OR_ID", "the default: entity NAME_OR_ID"),
    "rename": ("ENTITY NEW_NAME", "[--drop-old-name]: the old name stays an alias unless dropped"),
    "type": ("ENTITY TYPE", "person, organization, place, event or group"),
    "alias": ("ENTITY ALIAS", "one more spelling that links to it"),
    "unalias": ("ENTITY ALIAS", "stop linking that spelling to it"),
    "merge": ("ENTITY INTO_ENTITY", "INTO_ENTITY gains ENTITY's name and aliases"),
    "split": ("ENTITY ALIAS", "[--type TYPE]: the alias becomes an entity of its own"),
    "hide": ("NAME_OR_ENTITY", "never make an entity of this name again"),
    "unhide": ("NAME", "let discovery find a hidden name again"),
    "promote": ("ENTITY", "write a discovered entity into entities.toml"),
    "undo": ("", "the last change (also one from an earlier run)"),
    "redo": ("", "the last change undone"),
    "hidden": ("", "the hidden names"),
}
"""`entity VERB ...`: each verb's arguments, and a note for --help."""


class UsageError(Exception):
    """Bad usage or input: exit 2 with the message."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (usage goes to --help, not to every mistake)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    # Location flags are accepted before or after the command; SUPPRESS keeps a value
    # given before the command from being reset by the subcommand's default.
    locations = _Parser(add_help=False)
    locations.add_argument(
        "--corpus", metavar="DIR", default=argparse.SUPPRESS, help="corpus folder (default: see README)"
    )
    locations.add_argument(
        "--index", metavar="DIR", default=argparse.SUPPRESS, help="index folder (default: see README)"
    )

    parser = _Parser(
        prog="tuibrowser",
        description="A terminal news browser: ranked full-text search over a corpus of articles. "
        "Without a command, opens the interactive browser.",
        parents=[locations],
    )
    parser.add_argument("--version", action="version", version=f"tuibrowser {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    index = commands.add_parser("index", parents=[locations], help="bring the index up to date with the corpus")
    index.add_argument("--rebuild", action="store_true", help="re-derive every article from scratch")
    index.add_argument(
        "--wait",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="how long to wait for another indexer (default 10)",
    )
    index.add_argument("--json", action="store_true", help="print the report as JSON")

    listing = commands.add_parser("list", parents=[locations], help="list every article, newest first")
    listing.add_argument("--json", action="store_true", help="print JSON")

    find = commands.add_parser("search", parents=[locations], help="ranked full-text search")
    find.add_argument("query", nargs="+", metavar="QUERY", help="words, or Whoosh query syntax (see README)")
    find.add_argument("--limit", type=_positive_int, default=10, metavar="N", help="number of hits (default 10)")
    find.add_argument("--json", action="store_true", help="print JSON")

    show = commands.add_parser("show", parents=[locations], help="print one article and its entities")
    show.add_argument("id", metavar="ID", help="the article's id (see list or search)")
    show.add_argument("--json", action="store_true", help="print JSON")

    entities = commands.add_parser("entities", parents=[locations], help="list every entity, most mentioned first")
    entities.add_argument("--json", action="store_true", help="print JSON")

    entity = commands.add_parser(
        "entity",
        parents=[locations],
        help="every mention of one entity across the corpus, and related entities; or curate entities.toml",
        description="Show an entity (entity NAME_OR_ID), or change the knowledge base, entities.toml:\n"
        "each change is a small edit of the file, applied to the index at once and logged for undo.\n"
        "ENTITY is an id, a name or any alias, curated or discovered; a discovered entity is\n"
        "promoted into the file first, keeping its id. Exit 2: an unknown entity, an alias another\n"
        "entity has, an invalid type, a malformed entities.toml (never overwritten).",
        epilog="verbs:\n"
        + "\n".join(f"  {f'entity {verb} {words}':<36} {note}" for verb, (words, note) in ENTITY_VERBS.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    entity.add_argument(
        "name", metavar="NAME_OR_ID | VERB", help="an entity's id, name or any alias (case-insensitive), or a verb"
    )
    entity.add_argument("args", nargs="*", metavar="ARG", help="the verb's arguments (see below)")
    entity.add_argument("--json", action="store_true", help="print JSON")
    entity.add_argument("--type", dest="new_type", metavar="TYPE", help="split: the new entity's type")
    entity.add_argument("--drop-old-name", action="store_true", help="rename: do not keep the old name as an alias")
    entity.add_argument(
        "--by", choices=["month", "week", "year"], help="the timeline's periods (default: from the corpus's dates)"
    )
    entity.add_argument(
        "--from", dest="first", metavar="DATE", help="only articles from DATE (YYYY, YYYY-MM, YYYY-MM-DD)"
    )
    entity.add_argument("--to", dest="last", metavar="DATE", help="only articles up to DATE (inclusive)")

    quotes = commands.add_parser("quotes", parents=[locations], help="everything one entity is quoted as saying")
    quotes.add_argument("name", metavar="NAME_OR_ID", help="an entity's id, name or any alias (case-insensitive)")
    quotes.add_argument("--json", action="store_true", help="print JSON")

    importing = commands.add_parser(
        "import",
        parents=[locations],
        help="add articles: .txt .md .html .json .jsonl .csv, RSS/Atom feeds, folders",
        description="Copy files into the corpus (originals kept byte for byte) and index them. "
        "Use -- before names that start with a dash.",
    )
    importing.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="files or folders (recursively)")
    importing.add_argument(
        "--wait",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="how long to wait for another indexer (default 10)",
    )
    importing.add_argument("--json", action="store_true", help="print the per-file verdicts as JSON")

    watch = commands.add_parser("watch", help="follow an entity or a search; see what is new with 'news'")
    watch_commands = watch.add_subparsers(dest="watch_command", metavar="ACTION", parser_class=_Parser, required=True)
    watch_add = watch_commands.add_parser("add", parents=[locations], help="follow an entity (any alias) or a search")
    watch_add.add_argument("what", nargs="+", metavar="NAME_OR_QUERY")
    watch_add.add_argument(
        "--search", action="store_true", help="follow these words as a search even if they name an entity"
    )
    watch_remove = watch_commands.add_parser("remove", parents=[locations], help="stop following it")
    watch_remove.add_argument("what", nargs="+", metavar="NAME_OR_QUERY")
    watch_list = watch_commands.add_parser(
        "list", parents=[locations], help="what you follow, with counts of new articles"
    )
    watch_list.add_argument("--json", action="store_true", help="print JSON")

    news = commands.add_parser(
        "news", parents=[locations], help="articles new since you last looked, for everything you follow"
    )
    news.add_argument("--seen", action="store_true", help="then mark them all seen")
    news.add_argument("--json", action="store_true", help="print JSON")

    trail = commands.add_parser(
        "trail", help="what you read in the browser, and the citations you copied, in order, with times"
    )
    trail.add_argument("--since", metavar="DATE", help="from DATE on (YYYY, YYYY-MM or YYYY-MM-DD)")
    shape = trail.add_mutually_exclusive_group()
    shape.add_argument("--markdown", action="store_true", help="a dated Markdown list (the default)")
    shape.add_argument("--json", action="store_true", help="print JSON")

    config = commands.add_parser("config", help="where the settings and the reading state live")
    config.add_argument("what", choices=["path"], help="path: print the settings file's location")
    return parser


def _seconds(text: str) -> float:
    """A wait in seconds: a finite number, 0 or more (0: do not wait)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError("must be 0 or more seconds")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def run() -> NoReturn:
    """The `tuibrowser` command (and `python -m tuibrowser`): `main`, then exit.

    After `import` or `index` the process ends without the interpreter's teardown, once
    its output is flushed: a large batch leaves caches of millions of objects (folded
    words, stems, the gazetteer, the parsed knowledge base) that the teardown would free one
    by one and walk with the garbage collector, a quarter of a second of one core at
    29,000 articles, while the operating system takes the memory back at once. Everything
    those commands write is closed and committed before `main` returns.
    """
    code = main()
    if _batch_ran:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # (a closed pipe: the ordinary exit says nothing of it either)
            pass
        else:
            os._exit(code)
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        return _run(build_parser().parse_args(argv))
    except UsageError as error:
        _fail(str(error))
        return EXIT_USAGE
    except (QueryError, ArticleNotFound, EntityNotFound, KnowledgeBaseError, CurationError) as error:
        _fail(str(error.args[0] if error.args else error))
        return EXIT_USAGE
    except IndexProblem as error:
        _fail(str(error))
        return EXIT_UNAVAILABLE
    except BrokenPipeError:
        # The reader went away (`| head`); silence the flush at exit too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:  # permission denied, disk full, ...: say which file
        where = f": {error.filename}" if error.filename else ""
        _fail(f"{error.strerror or error}{where}")
        return EXIT_UNAVAILABLE
    except KeyboardInterrupt:
        _fail("interrupted")
        return 130
    except Exception as error:  # Last resort: a message, never a traceback.
        if os.environ.get("TUIBROWSER_DEBUG"):
            raise
        _fail(f"internal error: {type(error).__name__}: {error}")
        return EXIT_UNAVAILABLE


def _fail(message: str) -> None:
    """One line on stderr; messages quote file names and paths, so they are made printable."""
    print(f"tuibrowser: {printable(message)}", file=sys.stderr)


def _run(args: argparse.Namespace) -> int:
    if args.command == "config":
        from tuibrowser.core.settings import EXAMPLE, config_path

        path = config_path()
        print(printable(path))
        if not path.exists():
            print(f"(not created yet; an example:)\n{EXAMPLE}", file=sys.stderr)
        return EXIT_OK
    if args.command == "trail":
        return _print_trail(args.since, args.json)
    where = resolve_locations(getattr(args, "corpus", None), getattr(args, "index", None))
    if where.seeded:
        _fail(f"created a sample corpus at {where.corpus}")
    if not where.corpus.is_dir():
        raise UsageError(f"corpus folder not found: {where.corpus}")
    if where.index.exists() and not where.index.is_dir():
        raise UsageError(f"the index location is not a folder: {where.index}")
    from tuibrowser.core.services import Services

    services = Services(where)
    if args.command is None:
        return _run_tui(services)
    if args.command in ("import", "index"):
        global _batch_ran
        _batch_ran = True
    if args.command == "import":
        return _import(services, args.paths, args.json, args.wait)
    if args.command == "index":
        bar = _progress_bar()
        report = services.sync(rebuild=args.rebuild, progress=bar, lock_timeout=args.wait)
        _clear_bar(bar)
        _print_report(report, args.json)
        return EXIT_OK
    _ensure_index(services)
    try:
        _answer(args, services)
    except IndexDamaged as damaged:  # seen only when read; it is marked, so this rebuilds it
        _fail(f"{damaged}; rebuilding it")
        _ensure_index(services)
        _answer(args, services)
    return EXIT_OK


def _answer(args: argparse.Namespace, services: Services) -> None:
    if args.command == "list":
        _print_list(services, args.json)
    elif args.command == "search":
        _print_search(services.search(" ".join(args.query), limit=args.limit), args.json)
    elif args.command == "show":
        _print_article(services, args.id, args.json)
    elif args.command == "entities":
        _print_entities(services, args.json)
    elif args.command == "watch":
        _watch(services, args)
    elif args.command == "news":
        _print_news(services, args.seen, args.json)
    elif args.command == "quotes":
        _print_quotes(services, args.name, args.json)
    elif args.command == "entity":
        _entity(services, args)


def _import(services: Services, paths: list[Path], as_json: bool, wait: float) -> int:
    """Import files; exit 2 when every input was rejected, else 0. The verdicts are printed
    even when the copies could not be indexed (then the error follows, exit 1)."""
    from tuibrowser.core.importer import ImportIncomplete

    show = _progress_bar()

    def progress(done: int, total: int, path: str) -> None:
        if show:
            show("importing", done, total)

    try:
        verdicts = services.import_paths(paths, progress=progress, lock_timeout=wait)
    except ImportIncomplete as incomplete:
        _clear_bar(show)
        _print_verdicts(incomplete.verdicts, as_json)
        raise
    _clear_bar(show)
    _print_verdicts(verdicts, as_json)
    # 2 only when everything was rejected (a mix with duplicates or imports is success).
    return EXIT_USAGE if all(v.status == "rejected" for v in verdicts) else EXIT_OK


def _print_verdicts(verdicts: list[Verdict], as_json: bool) -> None:
    if as_json:
        from tuibrowser.core.jsonshapes import import_json

        _dump(import_json(verdicts))
        return
    for verdict in verdicts:
        detail = ", ".join(verdict.ids) if verdict.status in ("imported", "updated") else verdict.reason
        print(printable(f"{verdict.status:<9} {verdict.path}" + (f"  ({detail})" if detail else "")))
    counts = {
        status: sum(v.status == status for v in verdicts) for status in ("imported", "updated", "duplicate", "rejected")
    }
    print(", ".join(f"{n:,} {status}" for status, n in counts.items()))


def _run_tui(services: Services) -> int:
    """Launch the TUI; Textual is imported only here, so the other commands stay fast."""
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise UsageError("the interactive browser needs a terminal; for scripts use list, search, show or entity")
    import asyncio

    from tuibrowser.core.settings import load_settings
    from tuibrowser.core.user_state import StateStore, state_path
    from tuibrowser.tui.app import create_app

    store = StateStore.open(state_path(services.locations.corpus))
    # A loop of our own: `asyncio.run` (what App.run uses without one) waits on its way out
    # for every thread of the loop's executor, which is where the slow jobs run.
    loop = asyncio.new_event_loop()
    create_app(services, load_settings(), store).run(loop=loop)
    loop.close()  # its executor's idle threads end; a busy one runs on (see below)
    _leave_running_work()
    return EXIT_OK


def _leave_running_work(grace: float = 0.5) -> None:
    """Quit means quit, even during an import or a rebuild.

    The browser's slow jobs run in threads, which Python cannot stop; on exit the
    interpreter waits for them (concurrent.futures' exit hook joins its executors' threads),
    which left a blank terminal for as long as an import still had to run. The reading
    state is already saved when the app returns; every file the jobs write is written whole
    and renamed into place, and the index commits atomically, so the process may end here:
    what was copied but not yet indexed is indexed at the next start.
    """
    import threading
    import time

    deadline = time.monotonic() + grace
    busy = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    for thread in busy:
        thread.join(max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in busy):
        print(
            "tuibrowser: left while an import or index update was running; "
            "the index is brought up to date at the next start.",
            file=sys.stderr,
        )
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_OK)


def _ensure_index(services: Services) -> None:
    """Build a missing, broken or stale index before answering, with progress on a terminal."""
    bar = _progress_bar()
    started = []

    def starting(reason: str) -> None:
        started.append(reason)
        _fail(f"indexing {services.locations.corpus} ({reason})")

    try:
        report = services.ensure_index(
            bar, starting=starting, locked=lambda error: _fail(f"{error}; answering from the current index")
        )
    finally:
        if started:
            _clear_bar(bar)
    if report is not None:
        _fail(report.summary())
        for path, why in report.skipped:
            _fail(f"skipped {path}: {why}")


def _progress_bar() -> Progress | None:
    """A one-line progress bar on stderr when it is a terminal, else nothing."""
    if not sys.stderr.isatty():
        return None

    import time

    began: dict[str, tuple[float, int]] = {}

    def show(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        start, first = began.setdefault(phase, (now, done))
        width = 30
        filled = width * done // max(total, 1)
        line = f"{phase:<9}[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}"
        if now - start >= 1 and done > first:
            rate = (done - first) / (now - start)
            left = (total - done) / rate
            line += f"  {rate:,.0f}/s, {int(left // 60)}:{int(left % 60):02d} left"
        sys.stderr.write(f"\r\x1b[K{line}")
        if phase == "indexing" and done >= total:
            sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()

    return show


def _clear_bar(bar: Progress | None) -> None:
    """Erase the bar's line (a sync with nothing to write never reaches "indexing" 100%)."""
    if bar is not None:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()


def _dump(data: object) -> None:
    print(safe_json(data))


def _print_report(report: SyncReport, as_json: bool) -> None:
    if as_json:
        from tuibrowser.core.jsonshapes import report_json

        _dump(report_json(report))
        return
    if report.rebuilt_because:
        print(printable(f"built a new index ({report.rebuilt_because})"))  # the reason may quote the path
    print(report.summary())
    for path, why in report.skipped:
        print(printable(f"skipped {path}: {why}"))


def _print_list(services: Services, as_json: bool) -> None:
    articles = services.latest(None)
    if as_json:
        from tuibrowser.core.jsonshapes import list_json

        _dump(list_json(articles))
        return
    for article in articles:
        meta = " · ".join(x for x in (article.date or "undated", article.source) if x)
        print(f"{article.id}\n    {article.title}  ({meta})")


def _print_search(result: SearchResult, as_json: bool) -> None:
    if as_json:
        from tuibrowser.core.jsonshapes import search_json

        _dump(search_json(result))
        return
    from tuibrowser.core.search import MARK_CLOSE, MARK_OPEN

    plural = "" if result.total == 1 else "s"
    bound = "" if result.total_exact else "at least "
    print(f"{bound}{result.total:,} result{plural} for {result.query!r}")
    if result.suggestion:
        print(f"did you mean: {result.suggestion}")
    if result.notice:
        print(result.notice)
    bold = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    for rank, hit in enumerate(result.hits, start=1):
        meta = " · ".join(x for x in (hit.date, hit.source) if x)
        snippet = hit.snippet
        if bold:
            snippet = snippet.replace(MARK_OPEN, "\x1b[1m").replace(MARK_CLOSE, "\x1b[22m")
        print(f"\n{rank:>2}. {hit.title}" + (f"  ({meta})" if meta else ""))
        print(f"    id: {hit.id}")
        print(f"    {snippet}")


def _print_article(services: Services, article_id: str, as_json: bool) -> None:
    opened = services.open_article(article_id)
    if as_json:
        from tuibrowser.core.jsonshapes import article_json

        _dump(article_json(opened))
        return
    from tuibrowser.core.entities.kb import ENTITY_TYPES

    article, linked = opened.article, opened.entities
    print(article.title)
    meta = [x for x in (article.date, article.source, article.byline and f"by {article.byline}", article.url) if x]
    if meta:
        print(" · ".join(meta))
    print()
    print("\n\n".join(article.paragraphs))
    if linked:
        print("\nEntities:")
        for kind in ENTITY_TYPES:
            names = [f"{i.entity.name} ({len(i.mentions)})" for i in linked if i.entity.type == kind]
            if names:
                print(f"  {kind}: {', '.join(names)}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _print_entities(services: Services, as_json: bool) -> None:
    records = services.entities()
    if as_json:
        from tuibrowser.core.jsonshapes import entity_json

        _dump([entity_json(r) for r in records])
        return
    for record in records:
        tag = " (discovered)" if record.entity.discovered else ""
        print(
            f"{record.entity.name}  [{record.entity.type}{tag}]  "
            f"{_count(record.articles, 'article')}, {_count(record.mentions, 'mention')}  id: {record.entity.id}"
        )


def _print_entity(
    services: Services, name: str, as_json: bool, *, by: str | None, first: str | None, last: str | None
) -> None:
    from tuibrowser.core.entities.timeline import date_window, outlying_notes, spark

    try:
        window = date_window(first, last) if first or last else None
    except ValueError as error:
        raise UsageError(str(error)) from None
    page = services.entity_page(services.find_entity(name).entity.id, window=window, by=by)
    if as_json:
        from tuibrowser.core.jsonshapes import entity_page_json

        _dump(entity_page_json(page))
        return
    record = page.record
    entity = record.entity
    tag = ", discovered" if entity.discovered else ""
    print(f"{entity.name} ({entity.type}{tag})")
    if entity.description:
        print(entity.description)
    if entity.aliases:
        print(f"also: {', '.join(entity.aliases)}")
    print(f"{_count(record.mentions, 'mention')} in {_count(record.articles, 'article')}")
    timeline = page.timeline
    if timeline.periods:
        bars = spark([p.articles for p in timeline.periods])
        print(f"\nBy {timeline.by}: {timeline.periods[0].label} {bars} {timeline.periods[-1].label}")
        notes = [f"first {timeline.first}", f"last {timeline.last}"] if timeline.first else ["no dated mentions"]
        if timeline.peak is not None:
            notes.append(f"peak {timeline.peak.label} ({_count(timeline.peak.articles, 'article')})")
        if timeline.undated_articles:
            notes.append(f"{timeline.undated_articles} undated")
        notes += outlying_notes(timeline)
        print("  " + " · ".join(notes))
    if page.window is not None:
        print(f"\nFrom {page.window[0] or 'the start'} to {page.window[1] or 'the end'}:")
    for article in page.articles:
        print(f"\n{article.date or 'undated'}  {article.title}  [{article.id}]")
        for mention in article.mentions:
            print(f"    {mention.context}")
    if page.related:
        print("\nRelated: " + ", ".join(f"{r.entity.name} ({r.articles})" for r in page.related))


def _entity(services: Services, args: argparse.Namespace) -> None:
    """`entity NAME_OR_ID` shows an entity; `entity VERB ARGS...` curates entities.toml."""
    verb, values = args.name, list(args.args)
    if verb not in ENTITY_VERBS:
        verb, values = "show", [args.name, *values]
    words = ENTITY_VERBS[verb][0].split()
    if len(values) != len(words):
        wanted = f"takes {' '.join(words)}" if words else "takes no arguments"
        raise UsageError(f"entity {verb} {wanted}; got {len(values)} (quote a name of several words)")
    if args.new_type is not None and verb != "split":
        raise UsageError("--type is for entity split (to change a type: entity type ENTITY TYPE)")
    if args.drop_old_name and verb != "rename":
        raise UsageError("--drop-old-name is for entity rename")
    if verb != "show" and (args.by or args.first or args.last):
        raise UsageError("--by, --from and --to are for showing an entity")
    if verb == "show":
        _print_entity(services, values[0], args.json, by=args.by, first=args.first, last=args.last)
    elif verb == "hidden":
        _print_hidden(services.hidden_names(), args.json)
    else:
        bar = _progress_bar()
        if verb == "undo":
            result = services.undo_curation(progress=bar)
        elif verb == "redo":
            result = services.redo_curation(progress=bar)
        else:
            result = services.curate(_curation_op(verb, values, args), progress=bar)
        _clear_bar(bar)
        _print_curation(result, args.json)
        if result.moved or result.restored:  # a merge, a redo or an undo of one, an undone split
            _carry(services, result.moved, result.restored)


def _carry(services: Services, moved: dict[str, str], restored: dict[str, str]) -> None:
    """Bookmarks and watches of an entity merged away follow it into the entity it joined,
    and back when the merge is undone (see core.entities.curation.carry)."""
    from tuibrowser.core.entities.curation.carry import carry_back, carry_over

    def label(entity_id: str) -> str:
        record = services.entity(entity_id)
        return record.entity.name if record is not None else entity_id

    store = _state(services)
    changed = bool(carry_over(store, moved, label)) if moved else False
    if restored and carry_back(store, restored, None, label):
        changed = True
    if changed:
        _saved(store)


def _curation_op(verb: str, values: list[str], args: argparse.Namespace) -> CurationOp:
    from tuibrowser.core.entities.curation import ops

    if verb == "rename":
        return ops.Rename(values[0], values[1], keep_old_name=not args.drop_old_name)
    if verb == "type":
        return ops.Retype(values[0], values[1])
    if verb == "alias":
        return ops.AddAlias(values[0], values[1])
    if verb == "unalias":
        return ops.RemoveAlias(values[0], values[1])
    if verb == "merge":
        return ops.Merge(values[0], values[1])
    if verb == "split":
        return ops.Split(values[0], values[1], args.new_type)
    if verb == "hide":
        return ops.Hide(values[0])
    if verb == "unhide":
        return ops.Unhide(values[0])
    return ops.Promote(values[0])


def _print_curation(result: CurationResult, as_json: bool) -> None:
    if result.notice:
        _fail(result.notice)
    if as_json:
        from tuibrowser.core.jsonshapes import curation_json

        _dump(curation_json(result))
        return
    print(printable(result.summary if result.changed else f"nothing to change: {result.summary}"))
    if result.report is not None and result.report.relinked:
        # Mentions are stored by id: a rename or a retype rewrites no article, and says nothing.
        print(f"relinked {_count(result.report.relinked, 'article')}")


def _print_hidden(names: list[str], as_json: bool) -> None:
    if as_json:
        _dump({"hidden": names})
        return
    if not names:
        print("no hidden names (hide one with: tuibrowser entity hide NAME)")
    for name in names:
        print(printable(name))


def _state(services: Services) -> StateStore:
    """The reading state of this corpus (shared with the browser)."""
    from tuibrowser.core.user_state import StateStore, state_path

    return StateStore.open(state_path(services.locations.corpus))


def _saved(store: StateStore) -> None:
    if not store.save() and store.problems:
        raise OSError(store.problems[-1])


def _say_if_a_name_was_meant(services: Services, words: str) -> None:
    """A mistyped entity name is followed as a search; say so, with the names it is close to."""
    from tuibrowser.core.errors import EntityNotFound

    try:
        services.registry.find(words)
    except EntityNotFound as missing:
        if missing.close:
            names = ", ".join(missing.close)
            print(printable(f"note: no entity is called that (close: {names}); the words are followed as a search"))


def _watch(services: Services, args: argparse.Namespace) -> None:
    store = _state(services)
    words = " ".join(args.what) if args.watch_command != "list" else ""
    if args.watch_command == "add":
        kind, target, label = services.watch_target(words, as_search=args.search)
        added = store.follow(kind, target, label)
        _saved(store)
        print(printable(f"{'following' if added else 'already following'} {label} ({kind})"))
        if kind == "search" and not args.search:
            _say_if_a_name_was_meant(services, words)
    elif args.watch_command == "remove":
        watch = next((w for w in store.watches if words.casefold() in (w.label.casefold(), w.target.casefold())), None)
        if watch is None:
            try:
                kind, target, _ = services.watch_target(words)
                watch = store.watch(kind, target)
            except (QueryError, EntityNotFound):
                watch = None
        if watch is None:
            raise UsageError(f"not following {words!r} (see 'tuibrowser watch list')")
        store.unfollow(watch.kind, watch.target)
        _saved(store)
        print(f"stopped following {watch.label} ({watch.kind})")
    else:
        counts = {n.watch.key: len(n.articles) for n in services.news(store.watches)}
        if args.json:
            _dump(
                [
                    {"watch": w.label, "kind": w.kind, "target": w.target, "seen": _iso(w.seen), "new": counts[w.key]}
                    for w in store.watches
                ]
            )
            return
        if not store.watches:
            print("following nothing yet: tuibrowser watch add NAME_OR_QUERY")
        for w in store.watches:
            print(f"{counts[w.key]:>5} new  {w.label} ({w.kind})")


def _iso(milliseconds: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(milliseconds / 1000).astimezone().isoformat(timespec="seconds")


def _print_news(services: Services, mark_seen: bool, as_json: bool) -> None:
    from tuibrowser.core.user_state import now_ms

    store = _state(services)
    when = now_ms()
    found = services.news(store.watches)
    if as_json:
        from tuibrowser.core.jsonshapes import news_json

        _dump(news_json(found))
    else:
        if not store.watches:
            print("following nothing yet: tuibrowser watch add NAME_OR_QUERY")
        for item in found:
            print(f"{item.watch.label} ({item.watch.kind}): {_count(len(item.articles), 'new article')}")
            if item.problem:
                print(f"    {item.problem}")
            for article in item.articles:
                print(f"    {article.date or 'undated'}  {article.title}  [{article.id}]")
    if mark_seen:
        for item in found:
            store.mark_seen(item.watch.kind, item.watch.target, when)
        _saved(store)


def _print_quotes(services: Services, name: str, as_json: bool) -> None:
    record = services.find_entity(name)
    articles = services.quotes(record.entity.id)
    if as_json:
        from tuibrowser.core.jsonshapes import quotes_json

        _dump(quotes_json(record, articles))
        return
    count = sum(len(a.quotes) for a in articles)
    print(f"{record.entity.name}: {_count(count, 'quote')} in {_count(len(articles), 'article')}")
    for article in articles:
        print(f"\n{article.date or 'undated'}  {article.title}  [{article.id}]")
        for quote in article.quotes:
            lead = "    … " if quote.continues else "    "
            print(f"{lead}“{quote.text}” ({quote.cue or 'quoted'})")


def _print_trail(since: str | None, as_json: bool) -> int:
    """The reading trail (it lives with the user's state, not in a corpus)."""
    import datetime as dt

    from tuibrowser.core import trail
    from tuibrowser.core.entities.timeline import date_window

    try:
        first = date_window(since, None)[0] if since else None
    except ValueError as error:
        raise UsageError(str(error)) from None
    events = trail.read(since=dt.date.fromisoformat(first) if first else None)
    if as_json:
        from tuibrowser.core.jsonshapes import trail_json

        _dump(trail_json(events))
    else:
        print(trail.markdown(events), end="")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
