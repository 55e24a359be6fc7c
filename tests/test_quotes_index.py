"""Quotes in the index: show --json, the quotes command, said: queries, and what a rebuild keeps."""

from __future__ import annotations

import json

import pytest

from conftest import SAMPLE_CORPUS
from tuibrowser.cli import main
from tuibrowser.core.errors import QueryError
from tuibrowser.core.search import search

ARTICLE = "russia-urges-baku-to-unblock-lachin-corridor"


def run_json(capsys, seed_index, *argv):
    assert main(["--corpus", str(SAMPLE_CORPUS), "--index", str(seed_index), *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_show_lists_the_articles_quotes_with_their_speakers(capsys, seed_index):
    data = run_json(capsys, seed_index, "show", ARTICLE)
    text = data["text"]
    by_zakharova = [q for q in data["quotes"] if q["speaker"] == "maria-zakharova"]
    assert len(by_zakharova) == 6
    for quote in data["quotes"]:
        assert text[quote["start"] : quote["end"]] == quote["text"]  # offsets into text, marks left out
    assert any(
        q["text"].startswith("The peacekeepers are working closely") and q["cue"] == "added" for q in by_zakharova
    )


def test_quotes_command_lists_what_an_entity_said_in_date_order(capsys, seed_index):
    data = run_json(capsys, seed_index, "quotes", "Pashinyan")  # an alias finds him
    assert data["id"] == "nikol-pashinyan"
    dates = [a["date"] for a in data["articles"]]
    assert dates == ["2023-05-26", None]  # dated first, undated last
    assert data["articles"][0]["quotes"][0]["text"].startswith("I want to confirm that Armenia and Azerbaijan")


def test_said_searches_only_inside_that_entitys_quotes(seed_index):
    assert [h.id for h in search(seed_index, "said:zakharova corridor").hits] == [ARTICLE]
    assert [h.id for h in search(seed_index, 'said:"Maria Zakharova"').hits] == [ARTICLE]
    # "Wednesday" is in the article, but not in anything Zakharova is quoted as saying.
    assert search(seed_index, "Wednesday").total >= 1
    assert search(seed_index, "said:zakharova Wednesday").hits == ()
    # Pashinyan said "settlement" (2023-05-26); the word elsewhere in articles does not count.
    hits = search(seed_index, "said:pashinyan settlement").hits
    assert [h.date for h in hits] == ["2023-05-26"]
    with pytest.raises(QueryError, match="no entity called 'nobody'"):
        search(seed_index, "said:nobody words")
