"""Incremental indexing gives what a rebuild gives: resolution, stored fields, links, quotes.

Correctness only; how long each path takes is bench/bench_scale.py's business.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import SAMPLE_CORPUS, SHARED_DATA
from tuibrowser.core.bookkeeping import Bookkeeping
from tuibrowser.core.entities.incremental import Resolver, discovered_entities
from tuibrowser.core.entities.kb import Entity, KnowledgeBase, load_kb
from tuibrowser.core.entities.pipeline import EntityExtractor
from tuibrowser.core.entities.registry import read_registry
from tuibrowser.core.entities.resolve import MergeFacts, merge_facts, resolve, usable
from tuibrowser.core.importer import import_paths
from tuibrowser.core.indexer import sync
from tuibrowser.core.search import search
from tuibrowser.core.store import open_index

POLITICS = SHARED_DATA / "bbc-news" / "bbc" / "politics"
needs_data = pytest.mark.skipif(not POLITICS.is_dir(), reason="../shared/data is not beside the repository")
UNSEEN = Path(__file__).parent / "data" / "unseen"


# Resolution, article by article, against resolve() over everything.


def _extractions(count: int, folder: Path = POLITICS) -> dict[str, object]:
    kb = load_kb(SAMPLE_CORPUS)
    extractor = EntityExtractor(kb)
    files = sorted(folder.glob("*.txt"))[:count]
    return {path.name: extractor.extract(path.read_text(encoding="utf-8", errors="replace")) for path in files}


def _check(db, kb, present, finals, discovered):
    expected = resolve(kb, present)
    assert discovered_entities(discovered) == list(expected.discovered)
    assert {path: finals[path] for path in present} == expected.mentions


@needs_data
@pytest.mark.parametrize("section", ["politics", "business"])
def test_resolution_kept_article_by_article_equals_resolve_over_everything(tmp_path, section):
    pool = _extractions(120, POLITICS.parent / section)
    names = sorted(pool)
    # The pool exercises every corpus-wide fact: titles, common nouns, acronyms defined,
    # shorter organisation names, curated short forms.
    facts = MergeFacts()
    for extraction in pool.values():
        facts.add(*merge_facts(usable(extraction), ()))
    assert facts.defined and facts.prefixes and facts.other
    assert any(usable(e).common for e in pool.values())
    assert any(c.title for e in pool.values() for c in e.candidates)
    kb = KnowledgeBase(
        (Entity("brown", "Nick Brown", "person", ("Nicholas Brown",)), *load_kb(SAMPLE_CORPUS).entities), "test"
    )  # a curated id that a discovered "Brown" would want
    db = Bookkeeping.open(tmp_path)
    present: dict[str, object] = {}
    finals: dict[str, tuple] = {}
    discovered: dict = {}
    rng = random.Random(9)
    for step in range(14):
        changes: dict[str, tuple[str, object] | None] = {}
        chosen = names[:60] if step == 0 else rng.sample(names, rng.randint(1, 12))
        for name in chosen:
            roll = rng.random()
            if name in present and roll < 0.4:
                changes[name] = None  # removed
            elif name in present and roll < 0.7:
                other = rng.choice(names)  # edited: another article's text under this name
                changes[name] = (f"h{step}", pool[other])
            else:
                changes[name] = (f"h{step}", pool[name])
        resolver = Resolver(db, kb)
        outcome = resolver.apply(changes)
        with db.transaction():
            resolver.write()
        for name, change in changes.items():
            if change is None:
                present.pop(name, None)
                finals.pop(name, None)
            else:
                present[name] = change[1]
        finals.update(outcome.final)
        discovered = outcome.discovered
        _check(db, kb, present, finals, discovered)
    db.close()


def _stepper(db: Bookkeeping, kb: KnowledgeBase, pool: dict[str, object], watched: str):
    """`step(names, removed)`: articles of `pool` added (or changed) and removed, resolved
    incrementally and checked against a whole resolution; returns the ids the `watched`
    article links."""
    present: dict[str, object] = {}
    finals: dict[str, tuple] = {}

    def step(names: list[str], removed: tuple[str, ...] = ()) -> set[str]:
        changes: dict[str, tuple[str, object] | None] = {name: ("h", pool[name]) for name in names}
        changes |= dict.fromkeys(removed)
        resolver = Resolver(db, kb)
        outcome = resolver.apply(changes)
        with db.transaction():
            resolver.write()
        for name in removed:
            present.pop(name)
            finals.pop(name)
        present.update({name: pool[name] for name in names})
        finals.update(outcome.final)
        _check(db, kb, present, finals, outcome.discovered)
        return {m.entity_id for m in finals[watched]}

    return step


@contextmanager
def _steps(folder: Path, texts: dict[str, str], watched: str) -> Iterator[Callable[..., set[str]]]:
    """`_stepper` over `texts` (extracted with an empty knowledge base), resolving into a
    bookkeeping of its own in `folder`."""
    kb = KnowledgeBase()
    extractor = EntityExtractor(kb)
    folder.mkdir(exist_ok=True)
    db = Bookkeeping.open(folder)
    try:
        yield _stepper(db, kb, {name: extractor.extract(text) for name, text in texts.items()}, watched)
    finally:
        db.close()


def test_a_lone_surname_follows_its_dominant_bearer_as_articles_come_and_go(tmp_path):
    """ "Reagan told reporters" with no full name in its article: Michael Reagan while he is the
    only Reagan named; no one once Ronald Reagan (titled "Mr Reagan" elsewhere) is named as
    often; Ronald once he is named three times as often as the rest, and no more when that
    goes. The incremental resolver agrees with a whole resolution at every step."""
    texts = {
        "lone": "Reagan told reporters on Tuesday that taxes would not rise.",
        "son": "The show will be hosted by Michael Reagan, who said the format was new.",
    }
    texts |= {
        f"president{n}": f"President Ronald Reagan said on day {n} that the talks went well. Mr Reagan left."
        for n in range(4)
    }
    with _steps(tmp_path, texts, "lone") as step:
        assert step(["lone", "son"]) == {"michael-reagan"}  # the only Reagan named
        assert step(["president0"]) & {"michael-reagan", "ronald-reagan"} == set()  # one each: neither
        assert step(["president1", "president2", "president3"]) == {"ronald-reagan"}  # four to one
        assert step([], removed=("president1", "president2")) & {"michael-reagan", "ronald-reagan"} == set()


def test_a_lone_word_written_in_lower_case_more_than_titled_is_no_ones_surname(tmp_path):
    """One "Mr Net" made every "Net" of an archive's tables of figures the surname of a
    person ("Oper Net", from a table line) in 1,713 articles, though 461 articles write
    "net" in lower case. A lone "Net" goes to the only full name while the titles are as
    many as the lower-case uses; not once the lower-case uses outnumber them; again when
    they are gone. The incremental resolver agrees with a whole resolution at every step."""
    texts = {
        "full": "Oper Net said on Tuesday that the figures were final.",
        "titled": "Mr Net arrived late on Friday. Mr Net spoke, and Mr Net left.",  # one article
        "lone": "Net profit rose to five mln dlrs in the quarter.",
        "lower1": "Net sales fell sharply in the year. The net loss widened.",
        "lower2": "Net income was lower than expected. The net result disappointed.",
    }
    with _steps(tmp_path, texts, "lone") as step:
        assert step(["full", "titled", "lone"]) == {"oper-net"}
        assert step(["lower1"]) == {"oper-net"}  # one article with titles, one in lower case
        assert step(["lower2"]) == set()  # more articles write it in lower case than title it
        assert step([], removed=("lower1", "lower2")) == {"oper-net"}


def test_the_only_full_name_claims_no_lone_word_some_article_writes_in_lower_case(tmp_path):
    """One "Cleveland Fed President ..." made a person of every "the Fed" of 194 Reuters
    articles, its only full name claiming a lone word nothing there says is a person's,
    though three articles write "fed" in lower case. It still claims a lone word no article
    writes in lower case, and again once the lower-case use is gone; a title ("Mr Fed")
    still says so. The incremental resolver agrees with a whole resolution at every step."""
    texts = {
        "full": "Cleveland Fed said on Tuesday that the figures were final.",
        "lone": "Analysts expect the Fed to cut rates on Tuesday.",
        "lower": "Traders said Fed officials met as the fed funds rate rose.",
        "titled": "Mr Fed arrived late on Friday.",
    }
    with _steps(tmp_path, texts, "lone") as step:
        assert step(["full", "lone"]) == {"cleveland-fed"}  # no article writes "fed": as before
        assert step(["lower"]) == set()  # now one does: nothing says this "Fed" is a person's
        assert step([], removed=("lower",)) == {"cleveland-fed"}
        assert step(["lower", "titled"]) == {"cleveland-fed"}  # titled as often as written in lower case


def test_a_lone_possessive_goes_to_no_other_articles_full_name_unless_titled(tmp_path):
    """One rugby player named Moody took every "Moody's" (the rating agency) of 253
    Reuters articles. A lone possessive goes to the only full name only once something
    says the word is a person's (a title, here or elsewhere); a lone "Moody" without the
    "'s" still does, as before. Checked step by step against a whole resolution."""
    texts = {
        "full": "Lewis Moody scored a try on Saturday and the crowd cheered.",
        "agency": "Analysts said Moody's cut the rating of the utility on Tuesday.",
        "plain": "Analysts said Moody cut the rating of the utility on Tuesday.",
        "titled": "Mr Moody arrived late on Friday.",
    }
    for watched, names, links in (("agency", ["full", "agency"], set()), ("plain", ["full", "plain"], {"lewis-moody"})):
        with _steps(tmp_path / watched, texts, watched) as step:
            assert step(names) == links
    with _steps(tmp_path / "steps", texts, "agency") as step:
        assert step(["full", "agency"]) == set()
        assert step(["titled"]) == {"lewis-moody"}  # "Mr Moody": the word is a person's
        assert step([], removed=("titled",)) == set()


# The index: built through changes, then compared with a fresh build of the same corpus.


def _stored(index: Path) -> dict[str, dict]:
    ix = open_index(index)
    try:
        with ix.searcher() as searcher:
            found = {}
            for fields in searcher.all_stored_fields():
                fields = dict(fields)
                fields.pop("added", None)  # when a text first came: history, not content
                found[fields["path"]] = fields
            return found
    finally:
        ix.close()


def _same_as_a_rebuild(corpus: Path, index: Path, tmp_path: Path) -> None:
    fresh = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
    sync(corpus, fresh)
    assert _stored(index) == _stored(fresh)
    assert read_registry(index).records == read_registry(fresh).records
    for text in ("Blair", "Lachin corridor", "entity:tony-blair", "said:tony-blair"):
        try:
            mine, theirs = search(index, text, limit=50), search(fresh, text, limit=50)
        except Exception as error:  # an unknown entity in both is fine
            with pytest.raises(type(error)):
                search(fresh, text, limit=50)
            continue
        # The same hits; scores may differ a little, since Whoosh's collection statistics
        # (document count, average length) count deleted copies until their segment merges.
        assert mine.total == theirs.total
        assert sorted(h.id for h in mine.hits) == sorted(h.id for h in theirs.hits)


BLAIR = '\n[[entity]]\nid = "tony-blair"\nname = "Tony Blair"\ntype = "person"\naliases = [{}]\n'


@needs_data
def test_an_index_built_through_changes_equals_a_fresh_build(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    politics = sorted(POLITICS.glob("*.txt"))
    for path in politics[:40]:
        shutil.copy(path, corpus / f"politics-{path.name}")
    kb_base = (corpus / "entities.toml").read_text(encoding="utf-8")
    sync(corpus, index)
    _same_as_a_rebuild(corpus, index, tmp_path)

    # New articles, one of them sharing a title with an old one; an edit; a removal.
    for path in politics[40:55]:
        shutil.copy(path, corpus / f"politics-{path.name}")
    (corpus / "aa-copy.txt").write_bytes((corpus / f"politics-{politics[3].name}").read_bytes() + b"\nA line more.\n")
    edited = corpus / f"politics-{politics[5].name}"
    edited.write_text(edited.read_text(encoding="utf-8", errors="replace") + '\nMr Blair said: "We will win."\n')
    (corpus / f"politics-{politics[7].name}").unlink()
    sync(corpus, index)
    _same_as_a_rebuild(corpus, index, tmp_path)

    # The knowledge base: an entity, then an alias, then a type, then gone again.
    as_group = BLAIR.replace('type = "person"', 'type = "group"')
    for text in (
        kb_base + BLAIR.format('"Blair"'),
        kb_base + BLAIR.format('"Blair", "Mr Blair"'),
        # Common words joining the known words ("a", "the", "prime"): read only where the
        # spellings are, and still the same as a rebuild.
        kb_base + BLAIR.format('"Blair", "Mr Blair", "Tony A. Blair", "The Prime Minister"'),
        kb_base + as_group.format('"Blair", "Mr Blair"'),
        kb_base,
    ):
        (corpus / "entities.toml").write_text(text, encoding="utf-8")
        sync(corpus, index)
        _same_as_a_rebuild(corpus, index, tmp_path)

    # Names hidden from discovery, then shown again: each entity leaves and comes back with
    # its id, and no other entity is renumbered.
    names = {r.entity.name: r.entity.id for r in read_registry(index).records.values() if r.entity.discovered}
    assert {"Gordon Brown", "Michael Howard"} <= set(names)
    (corpus / "entities.toml").write_text('hidden = ["gordon brown", "Michael Howard"]\n' + kb_base, encoding="utf-8")
    sync(corpus, index)
    _same_as_a_rebuild(corpus, index, tmp_path)
    shown = {r.entity.name: r.entity.id for r in read_registry(index).records.values() if r.entity.discovered}
    assert shown == {name: i for name, i in names.items() if name not in ("Gordon Brown", "Michael Howard")}
    (corpus / "entities.toml").write_text(kb_base, encoding="utf-8")
    sync(corpus, index)
    _same_as_a_rebuild(corpus, index, tmp_path)
    assert {r.entity.name: r.entity.id for r in read_registry(index).records.values() if r.entity.discovered} == names

    # A file moved (a new path, the same text) and the copy removed.
    (corpus / "aa-copy.txt").rename(corpus / "zz-moved.txt")
    (corpus / f"politics-{politics[3].name}").unlink()
    sync(corpus, index)
    _same_as_a_rebuild(corpus, index, tmp_path)


@needs_data
def test_a_kb_edit_reads_only_the_articles_that_hold_the_alias(tmp_path, monkeypatch):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    for path in sorted(POLITICS.glob("*.txt"))[:60]:
        shutil.copy(path, corpus / f"politics-{path.name}")
    kb_base = (corpus / "entities.toml").read_text(encoding="utf-8")
    (corpus / "entities.toml").write_text(kb_base + BLAIR.format('"Blair"'), encoding="utf-8")
    sync(corpus, index)
    holding = {
        path.name
        for path in corpus.glob("*.txt")
        if "Blair" in (text := path.read_text(encoding="utf-8", errors="replace")) and "Mr" in text
    }
    extracted: list[str] = []
    real = EntityExtractor.extract

    def counting(self, text):
        extracted.append(text)
        return real(self, text)

    monkeypatch.setattr(EntityExtractor, "extract", counting)
    (corpus / "entities.toml").write_text(kb_base + BLAIR.format('"Blair", "Mr Blair"'), encoding="utf-8")
    report = sync(corpus, index)
    # "mr" joined the known words: articles with a "Mr" are read, and no other.
    with_mr = {p.name for p in corpus.glob("*.txt") if "Mr" in p.read_text(encoding="utf-8", errors="replace")}
    assert 0 < len(extracted) <= len(with_mr) < 61
    assert 0 < report.relinked <= len(holding)
    monkeypatch.undo()
    _same_as_a_rebuild(corpus, index, tmp_path)


def _arrivals(index: Path) -> dict[str, int]:
    ix = open_index(index)
    try:
        with ix.searcher() as searcher:
            return {fields["path"]: fields["added"] for fields in searcher.all_stored_fields()}
    finally:
        ix.close()


def test_new_extraction_rules_rebuild_the_index_and_keep_arrival_times(corpus, index_dir, tmp_path):
    """An index whose links were made by older rules (an upgrade) is derived anew on the
    next sync, as a rebuild is, saying why; when each article came stays as it was."""
    sync(corpus, index_dir)
    (corpus / "later.txt").write_text("Glaciers retreat in the Alps\n\nMr Blair met glaciologists.\n")
    sync(corpus, index_dir)
    arrived = _arrivals(index_dir)
    assert len(set(arrived.values())) > 1  # (the later file came later)
    db = Bookkeeping.open(index_dir)
    try:
        db.begin()
        db.set_meta("entities", {**db.meta("entities"), "rules": "an older version"})
        db.commit()
    finally:
        db.close()

    report = sync(corpus, index_dir)
    assert report.rebuilt_because == "the entity rules changed since it was built"
    assert report.added == 6
    assert _arrivals(index_dir) == arrived
    _same_as_a_rebuild(corpus, index_dir, tmp_path)
    assert sync(corpus, index_dir).summary() == "0 added, 0 updated, 0 removed, 6 unchanged"


def test_a_no_op_sync_reads_no_article(corpus, index_dir, monkeypatch):
    sync(corpus, index_dir)
    from tuibrowser.core import derive

    monkeypatch.setattr(derive, "derive_file", lambda *args, **kwargs: pytest.fail("an article was read"))
    monkeypatch.setattr(Resolver, "apply", lambda *args, **kwargs: pytest.fail("resolution was redone"))
    assert sync(corpus, index_dir).summary() == "0 added, 0 updated, 0 removed, 5 unchanged"


_KILL_IN_BOOKKEEPING = """
import os, signal, sys
from pathlib import Path
from tuibrowser.core.entities import incremental
real = incremental.Resolver.write
def dying(self):
    real(self)
    os.kill(os.getpid(), signal.SIGKILL)  # after Whoosh's commit, inside the bookkeeping's transaction
incremental.Resolver.write = dying
from tuibrowser.core.importer import import_paths
from tuibrowser.core.indexer import sync
sync(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_sync_killed_between_whoosh_and_the_bookkeeping_is_finished_by_the_next(corpus, index_dir, tmp_path):
    sync(corpus, index_dir)
    for path in sorted(UNSEEN.glob("*.txt")):
        shutil.copy(path, corpus / path.name)
    (corpus / "001_extra.txt").write_text("Zebras in Lachin\n\nA report about zebras in the Lachin corridor.\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    killed = subprocess.run([sys.executable, "-c", _KILL_IN_BOOKKEEPING, str(corpus), str(index_dir)], env=env)
    assert killed.returncode == -signal.SIGKILL
    assert search(index_dir, "zebras").total == 1  # Whoosh committed; the bookkeeping did not
    report = sync(corpus, index_dir)
    assert report.rebuilt_because is None and report.added == 3
    _same_as_a_rebuild(corpus, index_dir, tmp_path)


# Ids: an article keeps its id when another with its title comes in.


def _same_title(text: str) -> str:
    return f"Talks in Rome\n\nTalks in Rome: {text}\n\nForeign ministers met on Tuesday, officials said.\n"


def _ids(index: Path) -> dict[str, str]:
    """path -> id of every article indexed."""
    db = Bookkeeping.open(index, readonly=True)
    try:
        return dict(db.conn.execute("SELECT path, id FROM articles").fetchall())
    finally:
        db.close()


def test_an_article_keeps_its_id_when_one_with_its_title_is_imported(tmp_path):
    """Issue 13: importing a second "Talks in Rome" gave the newcomer the bare id and the
    first a suffix, so bookmarks, read marks and citations pointed at the wrong article.
    An incremental sync and a rebuild from the corpus must both keep the first one's id."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    # Put in by hand, at a path sorting after imports/: it was there first.
    (corpus / "zz-by-hand.txt").write_text(_same_title("the first, put in by hand."))
    sync(corpus, index)
    assert _ids(index)["zz-by-hand.txt"] == "talks-in-rome"
    before = _ids(index)
    for number, folder in enumerate(("hostile", "hostile2", "hostile3")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a b.txt").write_text(_same_title(f"import number {number}."))
        (verdict,) = import_paths([tmp_path / folder / "a b.txt"], corpus, index)
        assert verdict.status == "imported"
        after = _ids(index)
        assert {path: after[path] for path in before} == before  # nobody's id moved
        assert after[verdict.target or ""] == verdict.ids[0] != "talks-in-rome"
        before = after
    incremental = before
    assert len(set(incremental.values())) == len(incremental)

    sync(corpus, index, rebuild=True)
    assert _ids(index) == incremental
    shutil.rmtree(index)
    sync(corpus, index)
    assert _ids(index) == incremental


def test_ids_of_a_corpus_imported_by_an_earlier_version_stay_as_they_were(tmp_path):
    """Origin records without a path (earlier versions) give no import order: those files
    keep the ids they had (the first by path keeps the bare slug); later imports come after."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    (corpus / "imports").mkdir()
    (corpus / "imports" / "a-b.txt").write_text(_same_title("imported first."))
    (corpus / "imports" / "a-b-0c5a1e2f.txt").write_text(_same_title("imported second."))
    (corpus / "imports" / ".origins.jsonl").write_text(
        '{"target": "imports/a-b.txt", "source": "a b.txt"}\n'
        '{"target": "imports/a-b-0c5a1e2f.txt", "source": "a_b.txt"}\n'
    )
    sync(corpus, index)
    ids = _ids(index)
    assert ids["imports/a-b-0c5a1e2f.txt"] == "talks-in-rome"  # as before: the first by path
    assert ids["imports/a-b.txt"].startswith("talks-in-rome-")
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "a b.txt").write_text(_same_title("imported by this version."))
    (verdict,) = import_paths([tmp_path / "new" / "a b.txt"], corpus, index)
    after = _ids(index)
    assert {path: after[path] for path in ids} == ids
    assert verdict.ids[0].startswith("talks-in-rome-")
    sync(corpus, index, rebuild=True)
    assert _ids(index) == after


def test_import_order_edited_by_hand_gives_the_ids_a_rebuild_gives(tmp_path, monkeypatch):
    """imports/.origins.jsonl is part of the corpus: a sync after an edit of it gives the
    ids a rebuild gives (imports only add lines, which moves no id)."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    sync(corpus, index)
    for folder in ("b", "a"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a b.txt").write_text(_same_title(f"from folder {folder}."))
        import_paths([tmp_path / folder / "a b.txt"], corpus, index)
    origins = corpus / "imports" / ".origins.jsonl"
    lines = origins.read_text().splitlines(keepends=True)
    origins.write_text("".join(reversed(lines)))  # the other one came first, now
    sync(corpus, index)
    incremental = _ids(index)
    sync(corpus, index, rebuild=True)
    assert _ids(index) == incremental
    origins.unlink()
    sync(corpus, index)
    incremental = _ids(index)
    sync(corpus, index, rebuild=True)
    assert _ids(index) == incremental
    # Once the index has seen the order, a sync with nothing new does nothing.
    monkeypatch.setattr(Resolver, "apply", lambda *args, **kwargs: pytest.fail("resolution was redone"))
    sync(corpus, index)


def test_reads_as_one_transaction_leave_the_bookkeeping_free_and_nest_in_writes(tmp_path):
    """Bookkeeping.reading: many reads under one shared lock (taken once, not per statement),
    which is dropped after, so another connection can write; inside a write transaction it
    neither commits nor ends it."""
    db = Bookkeeping.open(tmp_path)
    other = Bookkeeping.open(tmp_path)
    with db.reading():
        assert db.conn.in_transaction
        assert db.meta("nothing", "default") == "default"
        assert db.rows_in("SELECT key FROM titled WHERE key IN ({})", ["a", "b"]) == []
    assert not db.conn.in_transaction
    with other.transaction():  # (would wait, then fail, were the read still open)
        other.set_meta("written", 1)
    db.begin()
    db.set_meta("mine", 2)
    with db.reading():
        assert db.meta("mine") == 2
    assert db.conn.in_transaction  # the write goes on
    db.commit()
    assert other.meta("mine") == 2 and db.meta("written") == 1
    db.close()
    other.close()
