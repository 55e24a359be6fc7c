"""Fuzzed queries and file names through the command line: never a control character on the
terminal, never a traceback (issue 13). Derandomized, so every run tries the same inputs."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
from itertools import count
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from conftest import SAMPLE_CORPUS, terminal_unsafe
from tuibrowser.cli import main
from tuibrowser.core.indexer import sync

# Hypothesis caches what it learns in ./.hypothesis; keep the checkout clean.
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="tuibrowser-hypothesis-"))

FUZZ = settings(
    deadline=None,  # no timing in tests
    derandomize=True,  # the same examples every run: a failure is never flaky
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow],
)

QUERY_PIECES = [
    *("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "to", "TO"),
    *("(", ")", '"', "'", "*", "?", "~", "^", "[", "]", "{", "}", ":", ">=", "<", "-", "+", "\\", "/"),
    *("title:", "source:", "date:", "entity:", "entities:", "text:", "hash:", "path:", "id:", "body:"),
    *("2023", "2023-05", "2023-05-27", "corridor", "Lachin", "Zakharova", "oil"),
    *("\x1b]52;c;cHduZWQ=\x1b\\", "\x1b]0;title\x07", "\x1b[2J", "\x9b31m", "\x07", "\r", "\n", "\t", "\x00"),
    *("\u202e", "\u2066", "\u061c", "\u200b", "\ufeff", "\U000e0041", "\u2028", "\udce9", " ", "  "),
]

queries = st.one_of(
    st.lists(st.one_of(st.sampled_from(QUERY_PIECES), st.text(max_size=4)), min_size=1, max_size=12).map(" ".join),
    st.lists(st.sampled_from(QUERY_PIECES), min_size=1, max_size=8).map("".join),
    st.text(min_size=1, max_size=40),
)


@pytest.fixture(scope="module")
def fuzz_library(tmp_path_factory):
    """One indexed copy of the sample corpus for all examples (searches do not change it)."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(SAMPLE_CORPUS, root / "corpus")
    sync(root / "corpus", root / "index")
    return root / "corpus", root / "index"


def run_cli(library, *args: str) -> tuple[int, str, str]:
    """The CLI in this process, its output captured as text."""
    corpus, index = library
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--corpus", str(corpus), "--index", str(index), *args])
    return code, out.getvalue(), err.getvalue()


def assert_clean(code: int, out: str, err: str) -> None:
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err, err
    assert terminal_unsafe(out) == [] and terminal_unsafe(err) == [], (out, err)
    assert len(err.splitlines()) <= 1 or code == 0, err  # an error is one line


@settings(FUZZ, max_examples=200)
@given(query=queries)
def test_fuzzed_queries_print_nothing_unsafe_and_never_a_traceback(fuzz_library, query):
    assert_clean(*run_cli(fuzz_library, "search", "--", query))


@settings(FUZZ, max_examples=60)
@given(query=queries)
def test_fuzzed_queries_as_json_print_nothing_unsafe(fuzz_library, query):
    code, out, err = run_cli(fuzz_library, "search", "--json", "--", query)
    assert_clean(code, out, err)
    if code == 0:
        assert json.loads(out)["query"] is not None


NAME_PIECES = [
    b"\x1b]52;c;cHduZWQ=\x1b\\",
    b"\x1b]0;owned\x07",
    b"\x1b[2J",
    b"\x9b",
    "\u202e".encode(),
    "\u061c".encode(),
    "\U000e0041".encode(),
    b"\xe9",
    b"\xff\xfe",
    b"\n",
    b"\r",
    b"\t",
    b"\x07",
    b" ",
    b"-",
    b"_",
    b"..",
    "café".encode(),
    "cafe\u0301".encode(),
    b"Case",
]

names = st.tuples(
    st.lists(st.one_of(st.sampled_from(NAME_PIECES), st.binary(min_size=1, max_size=3)), min_size=1, max_size=6),
    st.sampled_from([b".txt", b".md", b".json", b".csv", b".html", b".xml", b".TXT", b"", b".exe"]),
).map(lambda parts: b"".join(parts[0]).replace(b"/", b"_").replace(b"\0", b"_") + parts[1])


@pytest.fixture(scope="module")
def import_library(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz-import")
    shutil.copytree(SAMPLE_CORPUS, root / "corpus")
    sync(root / "corpus", root / "index")
    return root, (root / "corpus", root / "index")


_numbers = count()


@settings(FUZZ, max_examples=60)
@given(name=names, as_json=st.booleans())
def test_fuzzed_file_names_get_one_verdict_and_print_nothing_unsafe(import_library, name, as_json):
    root, library = import_library
    number = next(_numbers)
    folder = root / f"in-{number}"
    folder.mkdir()
    path = os.fsencode(folder) + b"/" + (b"x" + name if name in (b".", b"..") else name)
    with open(path, "wb") as out:
        out.write(f"Fuzzed file {number}\n\nA report numbered {number} about the harbour.".encode())
    code, out, err = run_cli(library, "import", *(["--json"] if as_json else []), "--", os.fsdecode(path))
    assert_clean(code, out, err)
    if as_json:
        (verdict,) = json.loads(out)
        assert verdict["path"] == os.fsdecode(path)
    else:
        assert len(out.splitlines()) == 2  # the verdict and the counts


def test_the_fuzzed_names_did_not_break_the_corpus(import_library):
    _, library = import_library
    code, out, err = run_cli(library, "search", "harbour", "--json")
    assert code == 0 and terminal_unsafe(out + err) == []
    assert Path(library[1]).is_dir()
