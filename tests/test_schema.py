"""The body's analyzer run as one loop, and the formats that take its words without tokens,
give exactly what Whoosh's own chain and formats give when indexing."""

from __future__ import annotations

import pickle
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import CompositeAnalyzer, IDTokenizer
from whoosh.fields import ID, KEYWORD
from whoosh.formats import Existence, Frequency, Positions

import tuibrowser.core.schema as schema
from conftest import SAMPLE_CORPUS, SHARED_DATA
from tuibrowser.core.indexer import sync
from tuibrowser.core.schema import (
    ENTITY_IDS,
    CommaCounts,
    FoldedCounts,
    SaidCounts,
    SpeakerTokenizer,
    WholeValue,
    WordPositions,
    WordsAnalyzer,
    build_schema,
    said_value,
    spelling_analyzer,
    text_analyzer,
)
from tuibrowser.core.store import open_index

BBC = SHARED_DATA / "bbc-news" / "bbc"

TRICKY = [
    "",
    "a",
    "The the THE tHe",
    "İstanbul and ISTANBUL, Straße, STRASSE, ǅemal, ﬁnance (a ligature), Ａｂｃ １２３",
    "U.S. e-mail u.s.a. www.example.com 3.14 1,000,000 $5bn 10am",
    "Erdoğan met Xankəndi officials; Shūshi = Shushi; naïve café résumé",
    "word* *star ** a*b don't O'Brien D’Souza it's",
    "x" * 150 + " kept " + "y" * 101 + " " + "z" * 100,
    "Running runs ran runner's RUNNING. Generously, generation; generated?",
    "αβγ ΑΒΓ Москва МОСКВА 東京 ١٢٣ ५६",
    "of of of the and a an to for in on at",
    "tab\tseparated\nnew lines\r\nand\u00a0non-breaking\u2028separator",
]


def _chain():
    """The same steps as Whoosh's own CompositeAnalyzer (the one loop left out)."""
    return CompositeAnalyzer(*text_analyzer().items)


def _tokens(analyzer, text, **kwargs):
    return [(t.text, getattr(t, "pos", None), t.boost) for t in analyzer(text, **kwargs) if not t.stopped]


def _same(text):
    fast, chain = text_analyzer(), _chain()
    for kwargs in ({"positions": True, "boosts": True}, {"boosts": True}, {}):
        assert _tokens(fast, text, mode="index", **kwargs) == _tokens(chain, text, mode="index", **kwargs)
    assert _tokens(fast, text, mode="query") == _tokens(chain, text, mode="query")
    for boost in (1.0, 2.0):  # the body's and the title's
        ours = sorted(WordPositions(field_boost=boost).word_values(text, fast, mode="index"))
        assert ours == sorted(Positions(field_boost=boost).word_values(text, chain, mode="index"))
    spelling = spelling_analyzer()
    ours = sorted(FoldedCounts().word_values(text, spelling, mode="index"))
    assert ours == sorted(Frequency().word_values(text, spelling, mode="index"))
    said, speakers = said_value([("a-speaker", text), (None, text), ("b", f"{text} {text}")]), SpeakerTokenizer()
    ours = sorted(SaidCounts().word_values(said, speakers, mode="index"))
    assert ours == sorted(Frequency().word_values(said, speakers, mode="index"))
    whole = ID().analyzer
    assert list(WholeValue().word_values(text, whole, mode="index")) == list(
        Existence().word_values(text, whole, mode="index")
    )
    ids, listed = KEYWORD(lowercase=True, commas=True).analyzer, f"{text},{text}, x ,,{text.upper()},"
    ours = sorted(CommaCounts().word_values(listed, ids, mode="index"))
    assert ours == sorted(Frequency().word_values(listed, ids, mode="index"))


@pytest.mark.parametrize("text", TRICKY)
def test_one_loop_gives_the_chains_tokens(text):
    _same(text)


def test_one_loop_gives_the_chains_tokens_on_real_articles():
    texts = [path.read_text(encoding="utf-8") for path in sorted(SAMPLE_CORPUS.glob("*.txt"))]
    if BBC.is_dir():
        texts += [path.read_text(encoding="utf-8", errors="replace") for path in sorted(BBC.glob("*/*.txt"))[::10]]
    for text in texts:
        _same(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_one_loop_gives_the_chains_tokens_on_any_text(text):
    _same(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["the", "A", "of", "İ", "ß", "x" * 101, "U.S.", "run*", "Café", "ran", "-", " "])))
def test_one_loop_gives_the_chains_tokens_on_stop_words_and_edge_words(words):
    _same(" ".join(words))


def test_the_id_and_entity_fields_take_the_one_pass():
    """What `_same` compares is the one pass, not Whoosh's path twice: the analyzers of the
    schema's ID and KEYWORD fields are the ones WholeValue and CommaCounts know."""
    fields = build_schema()
    assert type(fields["path"].analyzer) is IDTokenizer and type(fields["path"].format) is WholeValue
    assert fields["entities"].analyzer == ENTITY_IDS and type(fields["entities"].format) is CommaCounts


def test_the_stem_cache_stays_out_of_the_indexs_schema():
    analyzer = text_analyzer()
    list(analyzer("Generously generated generations", mode="index"))
    assert analyzer._stems
    copy = pickle.loads(pickle.dumps(analyzer))
    assert copy._stems == {} and copy == analyzer
    text = "Generously generated"
    assert _tokens(copy, text, mode="index") == _tokens(analyzer, text, mode="index")


def test_another_chain_goes_the_ordinary_way():
    analyzer = WordsAnalyzer(*text_analyzer().items[:4])  # no stemmer: not the chain the loop knows
    assert not analyzer._fast
    assert _tokens(analyzer, "Running dogs", mode="index") == [("running", None, 1.0), ("dogs", None, 1.0)]


def test_an_index_made_with_the_one_loop_and_formats_is_whooshs(tmp_path, monkeypatch):
    from test_writers import _contents

    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    sync(corpus, tmp_path / "fast")
    monkeypatch.setattr(schema, "text_analyzer", _chain)
    monkeypatch.setattr(schema, "_WORDS", _chain())
    monkeypatch.setattr(schema, "_formatted", lambda field, kind: field)  # Whoosh's own formats
    sync(corpus, tmp_path / "chain")
    assert type(open_index(tmp_path / "chain").schema["body"].format) is Positions
    assert type(open_index(tmp_path / "fast").schema["spell"].format) is FoldedCounts
    assert _contents(tmp_path / "fast") == _contents(tmp_path / "chain")
