"""How queries run: the plain-word path equals Whoosh's own search, snippets equal Whoosh's
highlighter, costs are bounded, searches can be cancelled, views follow the index."""

from __future__ import annotations

import shutil

import pytest
from whoosh import highlight

from conftest import SAMPLE_CORPUS
from tuibrowser.core import querybounds
from tuibrowser.core.errors import QueryError, SearchCancelled
from tuibrowser.core.indexer import sync
from tuibrowser.core.library import list_articles
from tuibrowser.core.search import ALL_WORDS_BOOST, body_terms, clean_query, execute, parse_query, search
from tuibrowser.core.searchers import SearcherPool, one_view
from tuibrowser.core.snippets import FRAGMENTER, Matcher, SpanFormatter, lead, snippet
from tuibrowser.core.topk import bag_of_words

PLAIN = [
    "Lachin",
    "Lachin corridor",
    "ICJ ruling",
    "Munich Security Conference",
    "What did the International Court of Justice order Azerbaijan to do about the Lachin corridor",
    "peacekeepers peacekeepers Russian",
    "Zàkharova",
    "Bayramov Lavrov Zakharova Pashinyan Aliyev",
]
OTHER = ['"Lachin corridor"', "title:unblock", "Bayramov NOT Munich", "Zakharov*", "date:2023-05 Lachin", "corrid~"]


def _exhaustive(view, parsed):
    """Whoosh's own answer: every match scored, best first, ties to the lower number."""
    hits = [(hit.score, hit.docnum) for hit in view.searcher.search(parsed, limit=None)]
    return sorted(hits, key=lambda item: (-item[0], item[1]))


@pytest.mark.parametrize("text", PLAIN + OTHER)
def test_every_query_ranks_and_counts_as_whoosh_does(seed_index, text):
    with one_view(seed_index) as view:
        parsed = parse_query(clean_query(text), view.searcher.schema)
        ranked = execute(view, parsed, 3)
        expected = _exhaustive(view, parsed)
    assert ranked.total == len(expected)
    assert [docnum for _, docnum in ranked.top] == [docnum for _, docnum in expected[:3]]
    assert [round(score, 6) for score, _ in ranked.top] == [round(score, 6) for score, _ in expected[:3]]


def test_plain_words_take_the_postings_path_and_the_rest_does_not(seed_index):
    with one_view(seed_index) as view:
        for text in PLAIN:
            assert bag_of_words(parse_query(clean_query(text), view.searcher.schema), ALL_WORDS_BOOST), text
        for text in [t for t in OTHER if t != "title:unblock"]:  # a single title term is a bag too
            assert bag_of_words(parse_query(clean_query(text), view.searcher.schema), ALL_WORDS_BOOST) is None, text


def _whoosh_snippet(text, terms, analyzer):
    """What Whoosh's highlighter makes of a hit (the body re-analysed as a whole)."""
    tokens = analyzer(text, positions=True, chars=True, mode="index", removestops=False)
    tokens = highlight.Highlighter._merge_matched_tokens(highlight.set_matched_filter(tokens, terms))
    fragments = FRAGMENTER.fragment_tokens(text, tokens)
    best = highlight.top_fragments(fragments, 2, highlight.BasicFragmentScorer(), highlight.FIRST, minscore=1)
    found, marks = SpanFormatter().format(best)
    return (found, marks) if found else (" ".join(lead(text).split("\n\n")), [])


@pytest.mark.parametrize("text", [*PLAIN, '"Lachin corridor"', "Zakharov*", "corrid~"])
def test_snippets_are_whoosh_highlighters_character_for_character(seed_index, text):
    with one_view(seed_index) as view:
        parsed = parse_query(clean_query(text), view.searcher.schema)
        analyzer = view.searcher.schema["body"].analyzer
        terms = body_terms(parsed, view.searcher.reader())
        matcher = Matcher(terms, analyzer)
        for _, docnum in execute(view, parsed, 10).top:
            body = view.searcher.stored_fields(docnum)["text"]
            assert snippet(body, matcher) == _whoosh_snippet(body, frozenset(terms), analyzer)


def test_a_pattern_for_too_many_words_is_refused_with_a_message(seed_index, monkeypatch):
    monkeypatch.setattr(querybounds, "MAX_EXPANSIONS", 3)
    with pytest.raises(QueryError, match=r"too broad: c\* matches more than 3 words; narrow the pattern"):
        search(seed_index, "c*")
    assert search(seed_index, "Zakharov*").total == 1  # one word: fine


def test_star_alone_lists_every_article_without_expanding_terms(seed_index):
    assert search(seed_index, "*").total == 5


def test_a_fuzzy_term_allows_two_edits_at_most_and_says_so(seed_index):
    result = search(seed_index, "Zakharva~9")
    assert result.total == 1
    assert "Zakharva~9 was read as Zakharva~2" in result.notice.replace("zakharva", "Zakharva")


def test_a_short_fuzzy_word_allows_fewer_edits(seed_index):
    # Two edits of a three-letter word match "of", "all", "mail"...: noise, and seconds at 29k.
    result = search(seed_index, "oil~2")
    assert "oil~2 was read as oil~1 (3 letters: 1 edit)" in result.notice
    assert search(seed_index, "Baku~1").total == search(seed_index, "Baku~2").total > 0  # "Baki", "Baku"
    assert "at~1 was read as at~0" in search(seed_index, "at~1").notice


def test_a_cancelled_search_stops(seed_index):
    for text in ("Lachin corridor", '"Lachin corridor"'):
        with pytest.raises(SearchCancelled):
            search(seed_index, text, cancelled=lambda: True)


def test_a_search_past_its_deadline_says_so(seed_index):
    result = search(seed_index, '"Lachin corridor"', seconds=0.0)
    assert not result.total_exact and "stopped after" in result.notice


def test_took_ms_is_the_time_of_the_search(seed_index):
    result = search(seed_index, "Lachin corridor")
    assert result.total_exact and 0 < result.took_ms < 10_000


def test_newest_first_puts_undated_articles_last_even_with_a_limit(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    for number in range(12):
        (corpus / f"undated-{number:02}.txt").write_text(f"Undated note {number}\n\nA note about harbours {number}.\n")
    sync(corpus, index)
    first = list_articles(index, limit=3)
    assert [a.date for a in first] == ["2023-06-23", "2023-05-29", "2023-05-26"]
    everything = list_articles(index)
    assert [a.date is None for a in everything] == [False] * 3 + [True] * 14
    assert list_articles(index, limit=len(everything)) == everything


def test_a_pooled_view_follows_the_index_when_another_writer_commits(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    sync(corpus, index)
    pool = SearcherPool(index)
    with pool.view() as view:
        assert execute(view, parse_query("quetzal", view.searcher.schema), 5).total == 0
    (corpus / "new.txt").write_text("Quetzal sighted\n\nA quetzal was seen in the park.\n")
    sync(corpus, index)  # as another process would: the pool is not told
    with pool.view() as view:
        assert execute(view, parse_query("quetzal", view.searcher.schema), 5).total == 1
    pool.clear()


def test_whole_columns_read_in_one_go_equal_whooshs_reads(tmp_path):
    from tuibrowser.core.columns import field_lengths, numbers

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    sync(corpus, index)
    (corpus / "later.txt").write_text("A later note\n\nNothing dated here.\n")
    sync(corpus, index)  # two segments, the second without a date column
    with one_view(index) as view:
        for segment, _ in view.searcher.reader().leaf_readers():
            for field in ("title", "body"):
                expected = [segment.doc_field_length(n, field) or 0 for n in range(segment.doc_count_all())]
                assert field_lengths(segment, field) == expected
            column = segment.column_reader("date", translate=False) if segment.has_column("date") else None
            expected_dates = [column[n] if column else 7 for n in range(segment.doc_count_all())]
            assert list(numbers(segment, "date", 7)) == [d if column else 7 for d in expected_dates]
