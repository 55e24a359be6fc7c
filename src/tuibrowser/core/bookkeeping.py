"""The index's bookkeeping in one SQLite file, updated by row.

Beside Whoosh's files, the index keeps what a sync needs to know without reading articles
(each corpus file's size, mtime and hash; each article's id, slug and text hash), what
entity resolution needs to change one article without redoing all of them (per-article
extractions and the corpus-wide tallies they add up to, see entities/incremental.py), and
the entity registry the faces read (names, aliases, counts, spellings).

These were JSON files rewritten whole on every change (8 MB of manifest, 17 MB of entity
cache and 4 MB of registry at 29,000 articles); a sync that touched one article read and
wrote all of them. Here a sync reads the rows it needs and writes the rows that changed,
in one transaction after Whoosh's commit. SQLite comes with Python.

Crash safety: Whoosh commits first, then this transaction. A sync killed between the two
leaves the bookkeeping of the previous sync, which the next sync compares with the corpus:
the same files look changed and are indexed again (idempotent), so the job finishes. A
killed transaction is rolled back by SQLite. Everything here is derived: a damaged or
missing file means the index is rebuilt.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from operator import itemgetter
from pathlib import Path
from typing import Any

STATE_NAME = "tuibrowser-state.sqlite3"
STATE_FILES = (STATE_NAME, f"{STATE_NAME}-journal")
"""The database and its rollback journal (present only during a write, or after a crash)."""

FORMAT = 2
"""PRAGMA user_version of the layout below; another value means a rebuild."""

_CHUNK = 500
"""Parameters per `IN (...)` query (SQLite allows 999 in old builds)."""

_LAYOUT = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, hash TEXT, articles TEXT);
CREATE INDEX files_hash ON files (hash);
CREATE TABLE skipped (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, reason TEXT);
CREATE TABLE articles (
    path TEXT PRIMARY KEY, file TEXT, hash TEXT, slug TEXT, id TEXT, text_hash TEXT, url TEXT, added INTEGER
);
CREATE INDEX articles_slug ON articles (slug);
CREATE INDEX articles_text ON articles (text_hash);
CREATE INDEX articles_url ON articles (url) WHERE url IS NOT NULL;
CREATE INDEX articles_id ON articles (id);
CREATE TABLE extractions (path TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE titled (key TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE surnames (surname TEXT, full TEXT, n INTEGER NOT NULL, PRIMARY KEY (surname, full)) WITHOUT ROWID;
CREATE TABLE tallies (key TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE discovered (key TEXT PRIMARY KEY, id TEXT NOT NULL, name TEXT, type TEXT, aliases TEXT, base TEXT);
CREATE TABLE refs (key TEXT, path TEXT, PRIMARY KEY (key, path)) WITHOUT ROWID;
CREATE TABLE infer_deps (key TEXT, path TEXT, PRIMARY KEY (key, path)) WITHOUT ROWID;
CREATE TABLE surname_deps (key TEXT, path TEXT, PRIMARY KEY (key, path)) WITHOUT ROWID;
CREATE TABLE common (key TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE merge_defined (short TEXT, full TEXT, n INTEGER NOT NULL, PRIMARY KEY (short, full)) WITHOUT ROWID;
CREATE INDEX merge_defined_full ON merge_defined (full);
CREATE TABLE merge_prefix (short TEXT, full TEXT, n INTEGER NOT NULL, PRIMARY KEY (short, full)) WITHOUT ROWID;
CREATE INDEX merge_prefix_full ON merge_prefix (full);
CREATE TABLE merge_other (key TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE merge_deps (key TEXT, path TEXT, PRIMARY KEY (key, path)) WITHOUT ROWID;
CREATE TABLE entities (
    id TEXT PRIMARY KEY, name TEXT, type TEXT, aliases TEXT, description TEXT, wikidata TEXT,
    discovered INTEGER, rank INTEGER
);
CREATE TABLE counts (id TEXT PRIMARY KEY, articles INTEGER NOT NULL, mentions INTEGER NOT NULL);
CREATE TABLE spellings (key TEXT, id TEXT, curated INTEGER, rank INTEGER);
CREATE INDEX spellings_key ON spellings (key);
CREATE INDEX spellings_id ON spellings (id);
"""

RESOLUTION_TABLES = (
    "extractions",
    "titled",
    "surnames",
    "tallies",
    "discovered",
    "refs",
    "infer_deps",
    "surname_deps",
    "common",
    "merge_defined",
    "merge_prefix",
    "merge_other",
    "merge_deps",
)
CORPUS_TABLES = ("files", "skipped", "articles")
REGISTRY_TABLES = ("entities", "spellings", "counts")


class BookkeepingError(Exception):
    """The bookkeeping file cannot be read (damaged, another layout): rebuild the index."""


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode={'ro' if readonly else 'rwc'}"
    conn = sqlite3.connect(uri, uri=True, timeout=30.0, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA synchronous = NORMAL" if not readonly else "PRAGMA query_only = 1")
    return conn


class Bookkeeping:
    """One connection to an index's bookkeeping (see the module docstring).

    Writes happen only inside `transaction()`; reads may happen anywhere. A connection is
    used by one thread at a time (the indexer holds the index's write lock; readers use
    their own connection).
    """

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._keys: dict[str, int | None] = {}
        """Per table, its rows' primary key (see `insert`)."""

    # Opening.

    @classmethod
    def open(cls, index_dir: Path, *, readonly: bool = False) -> Bookkeeping:
        """Open the index's bookkeeping.

        Raises:
            BookkeepingError: missing (when readonly), damaged, or of another layout.
        """
        path = index_dir / STATE_NAME
        if readonly and not path.is_file():
            raise BookkeepingError("the bookkeeping file is missing")
        try:
            conn = _connect(path, readonly=readonly)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 and not readonly:
                if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    raise BookkeepingError("the bookkeeping file is not tuibrowser's")
                conn.executescript(f"BEGIN; {_LAYOUT} PRAGMA user_version = {FORMAT}; COMMIT;")
            elif version != FORMAT:
                raise BookkeepingError(f"the bookkeeping file has another layout ({version})")
        except sqlite3.Error as error:
            raise BookkeepingError(f"the bookkeeping file cannot be read ({error})") from None
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes of one sync: committed together, or not at all."""
        self.begin()
        try:
            yield
        except BaseException:
            self.rollback()
            raise
        self.commit()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Many reads as one read transaction (when none is open already).

        Outside a transaction every statement is one: SQLite takes and drops its shared lock
        and looks for a hot journal again for each, four locking calls and two file-system
        look-ups per statement, which was most of the cost of the 14,000 small reads of a
        29,000-article import. Nothing may be written inside.
        """
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")  # (nothing was written: this ends the read)

    def begin(self, *, hold_in_memory: bool = False) -> None:
        """Start the writes of one sync (`transaction`, for a caller whose commit depends on
        work that goes on after the writes: then `commit`, or `rollback` if that work fails).

        Args:
            hold_in_memory: Keep the changed pages in memory until the commit, rather than
                spilling them into the file when the cache is full, which takes the lock that
                keeps readers out; for a transaction that stays open a while (readers are
                then kept out only by the commit, as with a short one).
        """
        if hold_in_memory:
            self.conn.execute("PRAGMA cache_spill = OFF")
        self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.execute("PRAGMA cache_spill = ON")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.conn.execute("PRAGMA cache_spill = ON")

    def clear(self, tables: Iterable[str]) -> None:
        for table in tables:
            self.conn.execute(f"DELETE FROM {table}")  # names are ours, never from input

    # Small values.

    def meta(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_meta(self, key: str, value: Any) -> None:
        self.conn.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value, ensure_ascii=False)),
        )

    # Generic row access.

    def rows_in(self, sql: str, keys: Iterable[Any]) -> list[tuple]:
        """`sql` (with one `{}` for the placeholders) for the keys, in chunks."""
        keys = list(dict.fromkeys(keys))
        found: list[tuple] = []
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            found += self.conn.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall()
        return found

    def delete_in(self, table: str, column: str, keys: Iterable[Any]) -> None:
        keys = list(dict.fromkeys(keys))
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            self.conn.execute(f"DELETE FROM {table} WHERE {column} IN ({','.join('?' * len(chunk))})", chunk)

    def insert(self, table: str, rows: Sequence[tuple], *, replace: bool = True) -> None:
        """Insert (or replace) rows, in the order of the first column of the table's
        primary key.

        SQLite puts each row into the key's tree: in key order that is an append, in
        another order a search and often a split. The largest tables (an article's keys,
        a million rows at 29,000 articles) come grouped by article, so sorting by the key's
        first column (stable, cheaper than by the whole key) leaves them in key order:
        a third of the time to insert them. Of two rows with the same key, the later still
        replaces the earlier.
        """
        if not rows:
            return
        first = self._first_key_column(table)
        if first is not None and len(rows) > 1:
            with suppress(TypeError):  # a NULL in a key column: left as given
                rows = sorted(rows, key=itemgetter(first))
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        self.conn.executemany(f"{verb} INTO {table} VALUES ({','.join('?' * len(rows[0]))})", rows)

    def _first_key_column(self, table: str) -> int | None:
        """The position of the primary key's first column in a row of `table` (None for a
        table without a primary key)."""
        if table not in self._keys:
            info = self.conn.execute(f"PRAGMA table_info({table})").fetchall()
            self._keys[table] = next((number for number, row in enumerate(info) if row[5] == 1), None)
        return self._keys[table]

    def delete_pairs(self, table: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Delete (key, path) rows of a two-column table."""
        self.conn.executemany(f"DELETE FROM {table} WHERE key = ? AND path = ?", list(pairs))
