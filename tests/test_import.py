"""Import: real files of every kind, every bad input, duplicates, updates, interruption."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE_CORPUS, SHARED_DATA
from tuibrowser.cli import main
from tuibrowser.core.corpus import MAX_ARTICLE_BYTES
from tuibrowser.core.entities.registry import read_registry
from tuibrowser.core.importer import import_paths
from tuibrowser.core.indexer import sync
from tuibrowser.core.library import get_article, list_articles
from tuibrowser.core.search import search
from tuibrowser.core.store import index_state

BBC = SHARED_DATA / "bbc-news" / "bbc"
AG_NEWS = SHARED_DATA / "ag-news-test" / "test.csv"
needs_data = pytest.mark.skipif(not BBC.is_dir(), reason="../shared/data is not beside the repository")


@pytest.fixture
def library(tmp_path):
    """(corpus, index) with the sample corpus indexed."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    sync(corpus, tmp_path / "index")
    return corpus, tmp_path / "index"


def state_of(corpus: Path, index: Path) -> tuple:
    """Everything an import could change: corpus files and their bytes, the indexed articles."""
    files = sorted((p.relative_to(corpus).as_posix(), p.read_bytes()) for p in corpus.rglob("*") if p.is_file())
    return files, [(a.id, a.path) for a in list_articles(index)]


def one(library, path: Path):
    corpus, index = library
    (verdict,) = import_paths([path], corpus, index)
    return verdict


def bbc_article(name: str = "business/001.txt") -> tuple[str, list[str]]:
    lines = [line.strip() for line in (BBC / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[0], lines[1:]


# Real files of every kind.


@needs_data
def test_bbc_politics_folder_is_imported_searchable_with_discovered_people(library, capsys):
    corpus, index = library
    code = main(["--corpus", str(corpus), "--index", str(index), "import", str(BBC / "politics"), "--json"])
    verdicts = json.loads(capsys.readouterr().out)
    assert code == 0
    assert all(set(v) >= {"path", "status", "ids", "reason"} for v in verdicts)
    statuses = {v["status"] for v in verdicts}
    assert statuses <= {"imported", "duplicate"}
    imported = [v for v in verdicts if v["status"] == "imported"]
    assert len(imported) > 350 and all(len(v["ids"]) == 1 for v in imported)
    # The BBC set repeats some articles: those are reported, not indexed twice.
    assert all(v["reason"].startswith("same ") for v in verdicts if v["status"] == "duplicate")
    main(["--corpus", str(corpus), "--index", str(index), "entities", "--json"])
    entities = {e["name"]: e for e in json.loads(capsys.readouterr().out)}
    assert entities["Tony Blair"]["discovered"] is True and entities["Tony Blair"]["articles"] > 50
    assert entities["Tony Blair"]["type"] == "person"
    assert search(index, "Blair election").total > 50
    # Every original is kept byte for byte.
    source = BBC / "politics" / "001.txt"
    assert (corpus / "imports" / "politics" / "001.txt").read_bytes() == source.read_bytes()


@needs_data
def test_the_command_ends_at_once_after_a_batch_and_its_output_is_whole(tmp_path):
    """`tuibrowser import` and `index` end without the interpreter's teardown (cli.run):
    what they print to a pipe (block-buffered) must still all arrive, and the index be whole."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    command = [sys.executable, "-m", "tuibrowser", "--corpus", str(corpus), "--index", str(index)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # (buffered, as usual)
    done = subprocess.run([*command, "import", str(BBC / "sport"), "--json"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("]\n")  # (the last of it is what a lost buffer would lose)
    verdicts = json.loads(done.stdout)
    assert len(verdicts) == len(list((BBC / "sport").iterdir())) and len(done.stdout) > 8192
    imported = {i for v in verdicts for i in v["ids"]}
    assert imported <= {a.id for a in list_articles(index)}
    again = subprocess.run([*command, "index", "--json"], capture_output=True, text=True, env=env)
    assert again.returncode == 0 and again.stdout.endswith("}\n") and json.loads(again.stdout)["added"] == 0


@needs_data
def test_ag_news_rows_as_csv(library, tmp_path):
    rows = list(csv.reader(AG_NEWS.open(encoding="utf-8")))[:40]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["class", "title", "description"])  # the AG file has no header; CSV import needs one
    writer.writerows(rows)
    path = tmp_path / "ag news.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    verdict = one(library, path)
    assert verdict.status == "imported" and len(verdict.ids) == 40
    first = get_article(library[1], verdict.ids[0])
    assert first.title == rows[0][1] and first.path == "imports/ag-news.csv#1"
    assert " ".join(rows[0][2].split())[:40] in first.text


@needs_data
def test_saved_web_page(library, tmp_path):
    title, paragraphs = bbc_article()
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = f"""<!doctype html><html><head><title>{title} | Example News</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Roe"><meta property="article:published_time" content="2005-01-04T10:00:00Z">
<link rel="canonical" href="https://news.example.org/business/4176355.stm">
<style>body {{ color: red }}</style><script>var tracking = "do not keep me";</script></head>
<body><nav><a href="/">Home</a> <a href="/business">Business</a> <a href="/sport">Sport</a></nav>
<div id="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<article><h1>{title}</h1>{body}</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/x">Markets fall on oil fears</a></li>
<li><a href="/y">Bank raises interest rates</a></li></ul></aside>
<footer>Copyright Example News. Terms of use. Privacy policy.</footer></body></html>"""
    path = tmp_path / "saved page.html"
    path.write_text(page, encoding="utf-8")
    verdict = one(library, path)
    assert verdict.status == "imported"
    article = get_article(library[1], verdict.ids[0])
    assert article.title == title
    assert (article.date, article.source, article.byline) == ("2005-01-04", "Example News", "Jane Roe")
    assert article.url == "https://news.example.org/business/4176355.stm"
    assert paragraphs[0] in article.text and paragraphs[-1] in article.text
    for chrome in ("cookies", "tracking", "Related stories", "Markets fall", "Privacy policy", "color: red", "Home"):
        assert chrome not in article.text


def _feed_items(count: int = 3) -> list[tuple[str, list[str], str]]:
    items = []
    for number in range(1, count + 1):
        title, paragraphs = bbc_article(f"tech/{number:03}.txt")
        items.append((title, paragraphs, f"https://news.example.org/tech/{number}"))
    return items


@needs_data
def test_rss_feed(library, tmp_path):
    from xml.sax.saxutils import escape

    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{u}</link><pubDate>Tue, 0{i + 1} Mar 2005 10:00:00 GMT</pubDate>"
        f"<description>{escape(''.join(f'<p>{p}</p>' for p in ps))}</description></item>"
        for i, (t, ps, u) in enumerate(_feed_items())
    )
    path = tmp_path / "tech.rss"
    path.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example Tech</title>{entries}</channel></rss>'
    )
    verdict = one(library, path)
    assert verdict.status == "imported" and len(verdict.ids) == 3
    article = get_article(library[1], verdict.ids[1])
    title, paragraphs, url = _feed_items()[1]
    assert (article.title, article.url, article.source, article.date) == (title, url, "Example Tech", "2005-03-02")
    assert article.paragraphs[0] == paragraphs[0]


@needs_data
def test_atom_feed(library, tmp_path):
    from xml.sax.saxutils import escape

    entries = "".join(
        f'<entry><title>{escape(t)}</title><link href="{u}"/><id>{u}</id><updated>2005-03-0{i + 1}T10:00:00Z</updated>'
        f"<author><name>Tech Desk</name></author>"
        f'<content type="html">{escape("".join(f"<p>{p}</p>" for p in ps))}</content></entry>'
        for i, (t, ps, u) in enumerate(_feed_items())
    )
    path = tmp_path / "tech.atom"
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Example Tech</title>'
        f"<id>urn:example</id><updated>2005-03-03T10:00:00Z</updated>{entries}</feed>"
    )
    verdict = one(library, path)
    assert verdict.status == "imported" and len(verdict.ids) == 3
    article = get_article(library[1], verdict.ids[0])
    assert (article.byline, article.date) == ("Tech Desk", "2005-03-01")


def test_markdown_with_and_without_front_matter(library, tmp_path):
    with_meta = tmp_path / "with.md"
    with_meta.write_text(
        "---\ntitle: Border talks resume\ndate: 2024-02-01\nauthor: A. Writer\nlink: https://ex.org/a\n---\n\n"
        "# A heading that is not the title\n\nTalks resumed on **Thursday** in [Brussels](https://ex.org).\n"
    )
    without = tmp_path / "without.md"
    without.write_text("# Ceasefire holds\n\nThe ceasefire held overnight, officials said.\n\n- one\n- two\n")
    corpus, index = library
    verdicts = import_paths([with_meta, without], corpus, index)
    assert [v.status for v in verdicts] == ["imported", "imported"]
    first = get_article(index, verdicts[0].ids[0])
    assert (first.title, first.date, first.byline, first.url) == (
        "Border talks resume",
        "2024-02-01",
        "A. Writer",
        "https://ex.org/a",
    )
    assert "Talks resumed on Thursday in Brussels." in first.text and "**" not in first.text
    second = get_article(index, verdicts[1].ids[0])
    assert second.title == "Ceasefire holds" and second.paragraphs == (
        "The ceasefire held overnight, officials said.",
        "one",
        "two",
    )


def test_json_and_jsonl_with_synonyms(library, tmp_path):
    records = [
        {
            "headline": "Dam opens",
            "body": "The new dam opened on Monday.",
            "published": "2024-05-01T09:00:00Z",
            "link": "https://ex.org/1",
        },
        {"Title": "Bridge closes", "Content": "The old bridge closed for repairs.", "Author": ["Ann", "Bo"]},
    ]
    as_json = tmp_path / "batch.json"
    as_json.write_text(json.dumps(records))
    as_lines = tmp_path / "single.jsonl"
    as_lines.write_text(json.dumps({"title": "Road works", "description": "Road works begin next week."}) + "\n\n")
    corpus, index = library
    verdicts = import_paths([as_json, as_lines], corpus, index)
    assert [(v.status, len(v.ids)) for v in verdicts] == [("imported", 2), ("imported", 1)]
    dam = get_article(index, verdicts[0].ids[0])
    assert (dam.title, dam.date, dam.url) == ("Dam opens", "2024-05-01", "https://ex.org/1")
    assert get_article(index, verdicts[0].ids[1]).byline == "Ann, Bo"


@needs_data
def test_legacy_encoded_file_is_detected(library):
    verdict = one(library, BBC / "sport" / "199.txt")
    assert verdict.status == "imported"
    assert "£15.8m" in get_article(library[1], verdict.ids[0]).text


def test_reimporting_the_seeds_gives_only_duplicates(library, capsys):
    corpus, index = library
    before = state_of(corpus, index)
    code = main(["--corpus", str(corpus), "--index", str(index), "import", str(SAMPLE_CORPUS), "--json"])
    verdicts = json.loads(capsys.readouterr().out)
    assert code == 0
    txt = [v for v in verdicts if v["path"].endswith(".txt")]
    assert len(txt) == 5 and {v["status"] for v in txt} == {"duplicate"}
    assert state_of(corpus, index)[1] == before[1]


def test_newer_version_updates_instead_of_adding(library, tmp_path):
    corpus, index = library
    page = tmp_path / "story.md"
    page.write_text("---\ntitle: Storm warning\nurl: https://ex.org/storm\n---\nA storm is coming to the coast.\n")
    first = one(library, page)
    page.write_text("---\ntitle: Storm warning\nurl: https://ex.org/storm\n---\nThe storm reached the coast at noon.\n")
    second = one(library, page)  # same source file
    assert (first.status, second.status) == ("imported", "updated")
    assert second.ids == first.ids
    assert "noon" in get_article(index, second.ids[0]).text
    assert len([a for a in list_articles(index) if a.title == "Storm warning"]) == 1
    # Same URL from another file: also an update, not a second article.
    other = tmp_path / "elsewhere.md"
    other.write_text(
        "---\ntitle: Storm warning\nurl: https://ex.org/storm\n---\nThe storm has passed, officials said.\n"
    )
    third = one(library, other)
    assert third.status == "updated" and third.ids == first.ids
    assert len([a for a in list_articles(index) if a.title == "Storm warning"]) == 1
    # Nothing is lost: both earlier versions are kept aside.
    kept = sorted(p.read_text() for p in (corpus / ".superseded").iterdir())
    assert any("coming to the coast" in k for k in kept) and any("at noon" in k for k in kept)


def test_a_site_address_makes_no_two_articles_versions_of_each_other(library, tmp_path):
    """The same-URL rule is for an article's address; pages that give their site's home
    page as their own are different articles."""
    for name, title in (("one.md", "Harbour reopens"), ("two.md", "Mayor resigns")):
        (tmp_path / name).write_text(f"---\ntitle: {title}\nurl: https://ex.org/\n---\n{title}, the council said.\n")
    assert [one(library, tmp_path / name).status for name in ("one.md", "two.md")] == ["imported", "imported"]
    titles = {a.title for a in list_articles(library[1])}
    assert {"Harbour reopens", "Mayor resigns"} <= titles


# Bad input: a clear verdict, and the corpus and index unchanged.


def _bad_cases(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    cases: dict[str, tuple[Path, str]] = {}

    def make(name: str, data: bytes, reason: str) -> None:
        path = tmp_path / name
        path.write_bytes(data)
        cases[name] = (path, reason)

    make("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary file")
    make("empty.md", b"", "empty file")
    make("blank.txt", b"   \n\n  ", "empty file")
    make("garbage.txt", bytes(range(1, 256)) * 20, "not valid UTF-8")
    make(
        "nav-only.html",
        b"<html><body><nav><a href='/'>Home</a></nav><footer>(c) 2024</footer></body></html>",
        "no article body",
    )
    make("broken.json", b'[{"title": "x", "text": "y"', "malformed JSON at line 1")
    make("wrong.json", b'"just a string"', "JSON must be an object or an array")
    make("notext.json", b'[{"title": "only a title"}]', "no record has a text field")
    make("broken.jsonl", b'{"text": "ok"}\n{"text": \n', "malformed JSON on line 2")
    make("noheader.csv", b"1,2,3\n4,5,6\n", "needs a header row")
    make("ragged.csv", b"title,text\nA,B,C\n", "more cells than the header")
    make("broken.xml", b"<rss><channel><item><title>x</title></channel>", "malformed XML")
    make(
        "laughs.rss",
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><rss><channel><item><title>&lol3;</title>'
        b"<description>x</description></item></channel></rss>",
        "unsafe XML refused",
    )
    make(
        "xxe.rss",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss><channel><item>'
        b"<title>&xxe;</title><description>x</description></item></channel></rss>",
        "unsafe XML refused",
    )
    make("notes.pdf", b"%PDF-1.4 not an article", "unsupported file type (.pdf)")
    big = tmp_path / "huge.txt"
    with big.open("wb") as out:
        out.truncate(MAX_ARTICLE_BYTES + 1)
    cases["huge.txt"] = (big, "larger than 20 MiB")
    return cases


@pytest.mark.parametrize(
    "name",
    [
        "image.txt",
        "empty.md",
        "blank.txt",
        "garbage.txt",
        "nav-only.html",
        "broken.json",
        "wrong.json",
        "notext.json",
        "broken.jsonl",
        "noheader.csv",
        "ragged.csv",
        "broken.xml",
        "laughs.rss",
        "xxe.rss",
        "notes.pdf",
        "huge.txt",
    ],
)
def test_bad_input_is_rejected_with_a_reason_and_changes_nothing(library, tmp_path, name):
    corpus, index = library
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    path, reason = _bad_cases(inputs)[name]
    before = state_of(corpus, index)
    verdict = one(library, path)
    assert verdict.status == "rejected" and verdict.ids == []
    assert reason in verdict.reason and "\n" not in verdict.reason
    assert state_of(corpus, index) == before


def test_symlink_leading_outside_the_tree_is_refused(library, tmp_path):
    secret = tmp_path / "private" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Zanzibarian ledger\n\nNot for the corpus.")
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "fine.txt").write_text("Harbour reopens\n\nThe harbour reopened on Friday.")
    os.symlink(secret, folder / "link.txt")
    os.symlink(secret.parent, folder / "linked-dir")
    corpus, index = library
    verdicts = {Path(v.path).name: v for v in import_paths([folder], corpus, index)}
    assert verdicts["fine.txt"].status == "imported"
    assert verdicts["link.txt"].status == verdicts["linked-dir"].status == "rejected"
    assert "outside" in verdicts["link.txt"].reason
    assert search(index, "Zanzibarian").total == 0


def test_odd_file_names_are_imported(library, tmp_path, capsys):
    names = ["with spaces.txt", "ünïcödé Ωmega.txt", "-leading-dash.txt", "--double.txt"]
    for number, name in enumerate(names):
        (tmp_path / name).write_text(f"Odd name story {number}\n\nA story about tulips number {number}.")
    corpus, index = library
    code = main(
        ["--corpus", str(corpus), "--index", str(index), "import", "--json", "--", *[str(tmp_path / n) for n in names]]
    )
    verdicts = json.loads(capsys.readouterr().out)
    assert code == 0 and [v["status"] for v in verdicts] == ["imported"] * 4
    assert sorted(p.name for p in (corpus / "imports").iterdir() if not p.name.startswith(".")) == [
        "double.txt",
        "leading-dash.txt",
        "unicode-omega.txt",
        "with-spaces.txt",
    ]
    assert search(index, "tulips", limit=10).total == 4


def test_one_bad_file_never_aborts_the_batch_and_exit_codes(library, tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("Orchards bloom\n\nApple orchards bloomed early this spring.")
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    corpus, index = library
    where = ["--corpus", str(corpus), "--index", str(index)]
    assert main([*where, "import", str(bad), str(good)]) == 0
    out = capsys.readouterr().out
    assert "rejected  " in out and "imported  " in out and "1 imported, 0 updated, 0 duplicate, 1 rejected" in out
    assert main([*where, "import", str(bad), str(tmp_path / "missing.txt")]) == 2  # everything rejected
    assert main([*where, "import", str(good)]) == 0  # everything a duplicate


_KILLER = """
import os, signal, sys
from pathlib import Path
import tuibrowser.core.importer as importer
real = importer._write_atomic
count = 0
def dying(*args, **kwargs):
    global count
    count += 1
    if count == int(sys.argv[4]):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
importer._write_atomic = dying
importer.import_paths([Path(sys.argv[3])], Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_killed_import_leaves_corpus_and_index_consistent(library, tmp_path):
    source = tmp_path / "batch"
    source.mkdir()
    for number in range(30):
        (source / f"{number:02}.txt").write_text(f"Harvest report {number}\n\nWheat harvest number {number} was large.")
    corpus, index = library
    proc = subprocess.run([sys.executable, "-c", _KILLER, str(corpus), str(index), str(source), "12"])
    assert proc.returncode == -signal.SIGKILL
    written = sorted((corpus / "imports" / "batch").glob("*.txt"))
    assert len(written) == 11
    for path in written:  # whole files only, byte for byte
        assert path.read_bytes() == (source / path.name).read_bytes()
    assert index_state(index, corpus)[0] == "stale"
    sync(corpus, index)
    assert search(index, "wheat harvest", limit=50).total == 11
    # Importing again finishes the job: the 11 are duplicates, the rest imported.
    verdicts = import_paths([source], corpus, index)
    assert sorted(v.status for v in verdicts).count("duplicate") == 11
    assert search(index, "wheat harvest", limit=50).total == 30
    assert read_registry(index).records  # entity data was rebuilt with them


def test_rebuilding_the_index_after_imports_gives_the_same_articles(library, tmp_path):
    (tmp_path / "feed.json").write_text(
        json.dumps([{"title": f"Item {n}", "text": f"Body about kites {n}."} for n in range(4)])
    )
    (tmp_path / "note.md").write_text("# Kite festival\n\nThe kite festival drew crowds.")
    corpus, index = library
    import_paths([tmp_path / "feed.json", tmp_path / "note.md"], corpus, index)
    before = [(a.id, a.title, a.path) for a in list_articles(index)]
    shutil.rmtree(index)
    sync(corpus, index)
    assert [(a.id, a.title, a.path) for a in list_articles(index)] == before
    assert len(before) == 10


# A large import extracts entities while reading (core.importer._Reading): the same result.


@needs_data
def test_extracting_while_reading_gives_what_the_sync_extracts(tmp_path, monkeypatch):
    import tuibrowser.core.derive as derive
    import tuibrowser.core.importer as importer
    from test_writers import _bookkeeping, _contents

    folder = tmp_path / "politics"
    folder.mkdir()
    for path in sorted((BBC / "politics").glob("*.txt"))[:70]:
        shutil.copy(path, folder / path.name)
    handed: list[bool] = []
    real = derive.derive_file

    def spied(corpus_dir, path, raw, extractor, parsed=None):
        handed.append(parsed is not None and parsed[2] is not None)
        return real(corpus_dir, path, raw, extractor, parsed)

    monkeypatch.setattr(derive, "derive_file", spied)
    results = {}
    for name, parallel_from in (("readers", 64), ("sync", 10**9)):
        monkeypatch.setattr(importer, "PARALLEL_FROM", parallel_from)
        monkeypatch.setattr(derive, "PARALLEL_FROM", parallel_from)
        monkeypatch.setattr(derive, "parallel_allowed", lambda: True)
        monkeypatch.setattr(importer, "parallel_allowed", lambda: True)
        corpus = tmp_path / f"corpus-{name}"
        shutil.copytree(SAMPLE_CORPUS, corpus)
        sync(corpus, tmp_path / f"index-{name}")
        handed.clear()
        verdicts = import_paths([folder], corpus, tmp_path / f"index-{name}")
        assert [v.status for v in verdicts] == ["imported"] * 70
        assert handed == [name == "readers"] * 70
        contents = _contents(tmp_path / f"index-{name}")
        for fields in contents["stored"].values():
            fields.pop("added")  # when each copy was written
        contents["postings"] = {key: found for key, found in contents["postings"].items() if key[0] != "added"}
        contents["columns"] = {key: value for key, value in contents["columns"].items() if key[0] != "added"}
        results[name] = (contents, _bookkeeping(tmp_path / f"index-{name}"))
    assert results["readers"] == results["sync"]


@pytest.mark.parametrize(
    ("parsed_as", "copied_to", "title"),
    [
        ("001.txt", "imports/bbc/001.txt", "Blair wins again"),
        ("Odd Name.txt", "imports/odd-name.txt", "Blair wins again"),
        ("Odd Name.csv", "imports/odd-name.csv", "★★★"),  # no slug in the title: the stem's
        ("feed.csv", "imports/feed-2.csv", "★★★"),
        ("feed.csv", "imports/news/feed.csv", "★★★"),
        ("feed.csv", "imports/news/feed.csv", "Blair wins again"),
    ],
)
def test_articles_parsed_under_the_inputs_name_get_the_copys_path_and_slug(parsed_as, copied_to, title):
    from tuibrowser.core.corpus import base_slug, parse_articles
    from tuibrowser.core.derive import _moved

    if parsed_as.endswith(".csv"):
        raw = f"title,text\n{title},First item text here.\n{title},Second item text here.\n".encode()
    else:
        raw = f"{title}\n\nThe text of the article, long enough to be one.".encode()
    articles = parse_articles(raw, parsed_as)
    moved = _moved((parsed_as, articles, None), copied_to)
    assert [a.path for a in moved] == [copied_to + a.path[len(parsed_as) :] for a in articles]
    assert [a.id for a in moved] == [base_slug(a.title, a.path) for a in moved]
    assert all(a.title == title for a in moved) or not parsed_as.endswith(".csv")


def _noting(shown: list[str]):
    """An import's progress callback that notes each input's name as it is examined."""
    return lambda done, total, name: shown.append(name)


def test_a_large_batch_examines_its_large_inputs_first_and_answers_in_the_order_given(tmp_path, monkeypatch):
    """Read by workers, the large inputs come back first (largest first): they are examined
    first, so the small ones need not wait behind them; the verdicts keep the order given,
    and the first copy of a repeated article is the one read first, on every run."""
    import tuibrowser.core.importer as importer

    monkeypatch.setattr(importer, "parallel_allowed", lambda: True)
    monkeypatch.setattr(importer, "PARALLEL_FROM", 8)
    monkeypatch.setattr(importer, "LARGE_INPUT", 2000)
    source = tmp_path / "in"
    source.mkdir()
    for number in range(12):
        words = " ".join(f"word{number}x{k}" for k in range(40 + 100 * (number % 3)))
        (source / f"{number:02}.txt").write_text(f"Report {number}\n\n{words}.")
    (source / "99.txt").write_text((source / "02.txt").read_text())  # the same article as 02.txt
    large = sorted((p for p in sorted(source.iterdir()) if p.stat().st_size >= 2000), key=lambda p: -p.stat().st_size)
    assert 2 <= len(large) < 13
    runs = []
    for run in range(2):
        corpus = tmp_path / f"corpus-{run}"
        shutil.copytree(SAMPLE_CORPUS, corpus)
        examined: list[str] = []
        verdicts = import_paths([source], corpus, tmp_path / f"index-{run}", progress=_noting(examined))
        assert [Path(v.path).name for v in verdicts] == sorted(p.name for p in source.iterdir())
        assert [Path(shown).name for shown in examined[: len(large)]] == [p.name for p in large]
        runs.append([(v.path, v.status) for v in verdicts])
    assert runs[0] == runs[1]
    statuses = dict((Path(path).name, status) for path, status in runs[0])
    assert statuses["02.txt"] == "imported" and statuses["99.txt"] == "duplicate"


@pytest.mark.parametrize("parallel", [False, True])
def test_a_file_named_twice_in_one_import_is_a_duplicate_the_second_time(tmp_path, monkeypatch, parallel):
    """`tuibrowser import a.txt a.txt` ended in "internal error: KeyError"; the second is a
    duplicate of the first, read once, whether the inputs are read here or by workers."""
    import tuibrowser.core.importer as importer

    monkeypatch.setattr(importer, "PARALLEL_FROM", 3 if parallel else 10**9)
    monkeypatch.setattr(importer, "parallel_allowed", lambda: True)
    names = [f"{n}.txt" for n in range(4)]
    for number, name in enumerate(names):
        (tmp_path / name).write_text(f"Report {number}\n\nThe council met on day {number} in Leeds.\n")
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    inputs = [tmp_path / name for name in names] + [tmp_path / "1.txt"]
    verdicts = import_paths(inputs, corpus, index)
    assert [v.status for v in verdicts] == ["imported"] * 4 + ["duplicate"]
    assert verdicts[-1].reason == "same file as imports/1.txt"
    assert len(list_articles(index)) == 4


def test_duplicates_are_found_in_the_batch_into_an_empty_index_and_in_the_index_after(tmp_path):
    """Into an empty index the batch asks the index nothing (there is nothing to find) and
    finds its own repeats; the next import finds them in the index."""
    texts = {
        "a.txt": "Harvest report\n\nThe wheat harvest in Leeds was large this year.\n",
        "b.txt": "Harvest report\n\n\nThe wheat harvest in Leeds was large this year.\n\n",  # a's text
        "c.txt": "Council report\n\nThe council met in York on Monday.\n",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text)
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    first = import_paths([tmp_path / name for name in texts], corpus, index)
    assert [v.status for v in first] == ["imported", "duplicate", "imported"]
    assert first[1].reason == "same content as articles already in the corpus"
    (tmp_path / "d.txt").write_text(texts["b.txt"] + "\n")  # a's text again, other bytes
    (tmp_path / "e.txt").write_text(texts["c.txt"])  # c's bytes
    second = import_paths([tmp_path / "d.txt", tmp_path / "e.txt"], corpus, index)
    assert [(v.status, v.reason) for v in second] == [
        ("duplicate", "same content as articles already in the corpus"),
        ("duplicate", "same file as imports/c.txt"),
    ]
    assert second[0].ids == first[0].ids
    assert len(list_articles(index)) == 2


@pytest.mark.parametrize("parallel", [False, True])
def test_a_file_its_parser_fails_on_is_rejected_and_the_rest_imported(tmp_path, monkeypatch, parallel):
    """A parser's own failure on one input (a RecursionError on hostile JSON, say) rejects
    that input only; the batch goes on, with or without reading workers."""
    import tuibrowser.core.importer as importer
    from tuibrowser.core import corpus as corpus_module

    monkeypatch.setattr(importer, "PARALLEL_FROM", 3 if parallel else 10**9)
    monkeypatch.setattr(importer, "parallel_allowed", lambda: True)
    real = corpus_module.parse_articles

    def fragile(raw: bytes, name: str):
        if b"deep" in raw:
            raise RecursionError("maximum recursion depth exceeded")
        return real(raw, name)

    monkeypatch.setattr(importer, "parse_articles", fragile)
    for number in range(4):
        (tmp_path / f"{number}.txt").write_text(f"Report {number}\n\nThe council met on day {number}.\n")
    (tmp_path / "2.txt").write_text("Deep\n\nA deep file the parser fails on.\n")
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    verdicts = import_paths([tmp_path / f"{n}.txt" for n in range(4)], corpus, index)
    assert [v.status for v in verdicts] == ["imported", "imported", "rejected", "imported"]
    assert verdicts[2].reason == "cannot be parsed (RecursionError)"
    assert len(list_articles(index)) == 3


def test_reading_stopped_after_copies_says_the_copies_are_there(tmp_path, monkeypatch):
    """Reading that fails for the whole batch (a reading process killed) after some inputs
    were copied: ImportIncomplete with their verdicts, and the next sync indexes them."""
    import tuibrowser.core.importer as importer

    real = importer._Reading.get
    asked: list[Path] = []

    def failing(self, path):
        asked.append(path)
        if len(asked) == 3:
            raise OSError("a reading process was terminated abruptly")
        return real(self, path)

    monkeypatch.setattr(importer._Reading, "get", failing)
    for number in range(4):
        (tmp_path / f"{number}.txt").write_text(f"Report {number}\n\nThe council met on day {number}.\n")
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    with pytest.raises(importer.ImportIncomplete) as raised:
        import_paths([tmp_path / f"{n}.txt" for n in range(4)], corpus, index)
    assert [v.status for v in raised.value.verdicts] == ["imported", "imported"]
    assert "copied into the corpus but not indexed yet" in str(raised.value)
    sync(corpus, index)
    assert len(list_articles(index)) == 2


def test_extraction_over_its_budget_is_left_to_the_sync(monkeypatch):
    from tuibrowser.core import budget
    from tuibrowser.core.corpus import parse_articles
    from tuibrowser.core.derive import derive_file, extract_within_budget
    from tuibrowser.core.entities.kb import load_kb
    from tuibrowser.core.entities.pipeline import EntityExtractor

    raw = b"Blair in Brussels\n\nTony Blair met EU ministers in Brussels on Monday.\n"
    articles = parse_articles(raw, "in.txt")
    extractor = EntityExtractor(load_kb(SAMPLE_CORPUS))
    made = extract_within_budget(raw, articles, extractor)
    assert made == [extractor.extract(a.text) for a in articles]
    ticks = iter(range(0, 10**9, 1000))
    monkeypatch.setattr(budget, "_now", lambda: float(next(ticks)))  # every look at the clock: 1000 s later
    assert extract_within_budget(raw, articles, extractor) is None
    derived = derive_file(SAMPLE_CORPUS, "imports/in.txt", raw, extractor, ("in.txt", articles, None))
    assert derived.error is not None and "took longer" in derived.error  # the sync says why
