"""Entity linking, discovery, the index's entity data, entity queries and the entity CLI."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tomllib
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE_CORPUS
from tuibrowser.cli import main
from tuibrowser.core.entities.discovery import find_candidates
from tuibrowser.core.entities.kb import KnowledgeBase, KnowledgeBaseError, load_kb
from tuibrowser.core.entities.pipeline import EntityExtractor
from tuibrowser.core.entities.registry import EntityNotFound, read_registry
from tuibrowser.core.entities.resolve import resolve
from tuibrowser.core.entities.views import article_entities, concordance, related_entities
from tuibrowser.core.indexer import sync
from tuibrowser.core.library import get_article, list_articles
from tuibrowser.core.search import QueryError, search
from tuibrowser.core.store import index_state

UNSEEN = REPO / "tests" / "data" / "unseen"
KB = load_kb(SAMPLE_CORPUS)
EXTRACTOR = EntityExtractor(KB)


def linked(text: str) -> list[tuple[str, str]]:
    """(entity id, text as written) for every known-entity mention in `text`."""
    return [(m.entity_id, text[m.start : m.end]) for m in EXTRACTOR.extract(text).known]


def discovered(texts: dict[str, str], kb: KnowledgeBase = KB):
    extractor = EntityExtractor(kb)
    return resolve(kb, {name: extractor.extract(text) for name, text in texts.items()})


# Linking: every alias case of issue 3.


@pytest.mark.parametrize(
    "text,entity_id",
    [
        ("Sergey Lavrov", "sergey-lavrov"),
        ("Sergei Lavrov", "sergey-lavrov"),
        ("Jeyhun Bayramov", "jeyhun-bayramov"),
        ("Ceyhun Bayramov", "jeyhun-bayramov"),
        ("Jayhun Bayramov", "jeyhun-bayramov"),
        ("Pashinyan", "nikol-pashinyan"),
        ("Pashinian", "nikol-pashinyan"),
        ("Shushi", "shushi"),
        ("Shusha", "shushi"),
        ("Stepanakert", "stepanakert"),
        ("Khankendi", "stepanakert"),
        ("Khankandi", "stepanakert"),
        ("Nagorno-Karabakh", "nagorno-karabakh"),
        ("Nagorno Karabakh", "nagorno-karabakh"),
        ("Karabakh", "nagorno-karabakh"),
        ("Artsakh", "nagorno-karabakh"),
        ("NK", "nagorno-karabakh"),
        ("International Court of Justice", "international-court-of-justice"),
        ("ICJ", "international-court-of-justice"),
        ("the UN's top court", "international-court-of-justice"),
        ("#LachinCorridor", "lachin-corridor"),
        ("Russian peacekeepers", "russian-peacekeepers"),
        ("Russian peacekeeping mission", "russian-peacekeepers"),
        ("peacekeeping contingent", "russian-peacekeepers"),
        ("peacekeeping forces", "russian-peacekeepers"),
        ("Erdoğan", "recep-tayyip-erdogan"),
        ("Xankəndi", "stepanakert"),
        ("the November 9, 2020 trilateral statement", "trilateral-statement-2020"),
        ("the ICJ ruling", "icj-ruling"),
    ],
)
def test_alias_links_to_its_entity(text, entity_id):
    sentence = f"Officials mentioned {text} on Monday."
    found = linked(sentence)
    assert [entity for entity, _ in found] == [entity_id], found


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_possessives_with_straight_and_curly_apostrophes(apostrophe):
    text = f"Azerbaijan{apostrophe}s leader and Pashinyan{apostrophe}s office met in Moscow{apostrophe}s Kremlin."
    assert linked(text) == [
        ("azerbaijan", "Azerbaijan"),
        ("nikol-pashinyan", "Pashinyan"),
        ("moscow", "Moscow"),
        ("kremlin", "Kremlin"),
    ]


def test_longest_match_wins():
    assert linked("The Lachin Corridor blockade began.") == [("lachin-corridor-blockade", "Lachin Corridor blockade")]
    assert linked("at the Grand Kremlin Palace") == [("grand-kremlin-palace", "Grand Kremlin Palace")]
    assert linked("the International Court of Justice's order to Baku") == [
        ("icj-ruling", "International Court of Justice's order"),
        ("baku", "Baku"),
    ]


def test_no_entity_inside_another_word():
    assert linked("EUROPEAN neutrality, the NKVD archive, a Kremlinologist, Bakunin and euros.") == []


def test_case_rules():
    assert linked("the nk region") == []  # an all-caps acronym only in capitals
    assert linked("roast turkey for dinner") == []  # a capitalised alias needs its capital
    assert linked("Turkey objected.") == [("turkey", "Turkey")]
    assert linked("ETHNIC ARMENIANS and ethnic Armenians") == [
        ("karabakh-armenians", "ETHNIC ARMENIANS"),
        ("karabakh-armenians", "ethnic Armenians"),
    ]  # a lower-case alias matches in any case


def test_match_never_crosses_punctuation_the_alias_lacks():
    assert [e for e, _ in linked("He met Sergey. Lavrov arrived later.")] == ["sergey-lavrov"]


def test_offsets_round_trip_for_every_mention_in_the_corpus(seed_index):
    checked = 0
    for summary in list_articles(seed_index):
        text = get_article(seed_index, summary.id).text
        for item in article_entities(seed_index, summary.id):
            for mention in item.mentions:
                assert text[mention.start : mention.end] == mention.text
                assert mention.text in mention.context
                checked += 1
    assert checked > 250


# Discovery.


def test_discovery_finds_new_people_with_variants_merged():
    texts = {p.name: p.read_text(encoding="utf-8") for p in UNSEEN.glob("*.txt")}
    result = discovered(texts)
    people = {e.name: e for e in result.discovered if e.type == "person"}
    assert {"Ruben Vardanyan", "Ararat Mirzoyan", "Hikmet Hajiyev"} <= set(people)
    assert "Vardanyan" in people["Ruben Vardanyan"].aliases
    # "Mr Vardanyan" in the second article is the same person, established by the corpus.
    follow_up = result.mentions["follow_up.txt"]
    assert people["Ruben Vardanyan"].id in {m.entity_id for m in follow_up}
    assert people["Ararat Mirzoyan"].id in {m.entity_id for m in follow_up}


def test_discovery_keeps_noise_out():
    text = (
        "Protests erupted on Monday in March. Russian and Armenian officials met.\n\n"
        "Officials Discuss New Border Rules And Checkpoints\n\n"
        "The statement was posted by @ArmenianMFA at https://example.org/News/Statement and tagged #Peace.\n\n"
        "Yesterday the Russian side agreed. However, Armenians protested. Analysts said Wednesday was calm."
    )
    result = discovered({"a.txt": text}, KnowledgeBase())
    assert result.discovered == ()


def test_discovery_types_and_titles():
    text = (
        "Foreign Secretary Jack Straw met Mr Blair. The Home Office and the Electoral Commission disagreed. "
        "Later Mr Straw flew to Paris. In Paris he met officials from the Foreign Office."
    )
    result = discovered({"a.txt": text, "b.txt": "Talks in Paris ended. Tony Blair said Blair would not resign."})
    kinds = {e.name: e.type for e in result.discovered}
    assert kinds["Jack Straw"] == "person"
    assert kinds["Tony Blair"] == "person"
    assert kinds["Home Office"] == kinds["Electoral Commission"] == kinds["Foreign Office"] == "organization"
    assert kinds["Paris"] == "place"
    assert "Foreign Secretary Jack Straw" not in kinds and "Secretary" not in kinds
    # Mr Blair (article a) is Tony Blair, whom article b establishes.
    blair = next(e for e in result.discovered if e.name == "Tony Blair")
    assert blair.id in {m.entity_id for m in result.mentions["a.txt"]}


def test_known_names_are_not_rediscovered():
    candidates = find_candidates("Lachin dispute: Pashinyan met Aliyev.", [(16, 25), (30, 36)], EXTRACTOR.known_tokens)
    assert candidates == []


def test_discovery_is_independent_of_article_order():
    texts = {p.name: p.read_text(encoding="utf-8") for p in UNSEEN.glob("*.txt")}
    forward = discovered(dict(sorted(texts.items())))
    backward = discovered(dict(sorted(texts.items(), reverse=True)))
    assert forward == backward


# The index and the core API.


def test_show_article_entities_are_grouped_with_counts(seed_index):
    article_id = next(a.id for a in list_articles(seed_index) if a.path.startswith("004"))
    found = {item.entity.id: len(item.mentions) for item in article_entities(seed_index, article_id)}
    assert found["maria-zakharova"] == 6  # "Maria Zakharova" once, "Zakharova" five times
    assert found["russian-peacekeepers"] == 2
    assert "vladimir-putin" not in found


def test_concordance_is_in_date_order_with_undated_last(seed_index):
    articles = concordance(seed_index, "lachin-corridor")
    assert [a.date for a in articles] == ["2023-05-26", "2023-05-29", "2023-06-23", None, None]
    for article in articles:
        starts = [m.start for m in article.mentions]
        assert starts == sorted(starts)


def test_related_entities_rank_specific_above_ubiquitous(seed_index):
    related = related_entities(seed_index, "maria-zakharova", limit=50)
    names = [r.entity.id for r in related]
    assert names.index("shushi") < names.index("armenia")
    assert names.index("recep-tayyip-erdogan") < names.index("russia")
    assert all(r.articles == 1 for r in related)


@pytest.mark.parametrize(
    "query", ["entity:lachin-corridor", 'entity:"Lachin corridor"', "entity:#LachinCorridor", "ENTITY:Lachin-Corridor"]
)
def test_entity_queries_match_every_spelling(seed_index, query):
    assert search(seed_index, query).total == 5


def test_entity_query_by_alias_and_combined(seed_index):
    assert sorted(h.path[:3] for h in search(seed_index, "entity:Pashinian").hits) == ["000", "001", "002", "003"]
    assert [h.path[:3] for h in search(seed_index, "entity:icj").hits] == ["000"]
    assert [h.path[:3] for h in search(seed_index, "entity:zakharova AND Shushi").hits] == ["004"]


def test_unknown_entity_in_a_query_is_a_clear_error(seed_index):
    with pytest.raises(QueryError, match="no entity called 'zakharva'; did you mean 'Maria Zakharova'"):
        search(seed_index, "entity:zakharva")


def test_registry_lookup(seed_index):
    registry = read_registry(seed_index)
    assert registry.find("icj").entity.id == "international-court-of-justice"
    assert registry.find("PASHINIAN").entity.id == "nikol-pashinyan"
    assert registry.find("lachin corridor").entity.id == "lachin-corridor"
    with pytest.raises(EntityNotFound) as error:
        registry.find("Lavrof")
    assert error.value.close == ["Sergey Lavrov"]


# The knowledge base file.


def _kb_corpus(tmp_path, text: str) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    (corpus / "entities.toml").write_text(text, encoding="utf-8")
    return corpus


@pytest.mark.parametrize(
    "text,message",
    [
        ("[[entity]\nname = 'x'", "entities.toml"),
        ("[[entity]]\nname = 'X'\ntype = 'planet'", "type must be one of"),
        ("[[entity]]\ntype = 'person'", "needs a name"),
        (
            "[[entity]]\nname = 'A'\ntype = 'person'\naliases = ['Z']\n"
            "[[entity]]\nname = 'B'\ntype = 'place'\naliases = ['z']",
            "'z' is an alias of both",
        ),
    ],
)
def test_bad_knowledge_base_stops_the_sync_and_changes_nothing(tmp_path, text, message):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    index = tmp_path / "index"
    sync(corpus, index)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in index.iterdir())
    (corpus / "entities.toml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=message):
        sync(corpus, index)
    assert sorted((p.name, p.stat().st_mtime_ns) for p in index.iterdir()) == before


def test_editing_the_knowledge_base_relinks_without_re_reading_articles(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    index = tmp_path / "index"
    sync(corpus, index)
    assert search(index, "entity:kremlin").total == 3
    kb = (corpus / "entities.toml").read_text(encoding="utf-8")
    kb = kb.replace(
        'aliases = ["the Kremlin", "Kremlin press service"]',
        'aliases = ["the Kremlin", "Kremlin press service", "Moscow"]',
    )
    kb = kb.replace('[[entity]]\nid = "moscow"\nname = "Moscow"\ntype = "place"\naliases = []\nwikidata = "Q649"\n', "")
    (corpus / "entities.toml").write_text(kb, encoding="utf-8")
    assert index_state(index, corpus)[0] == "stale"
    report = sync(corpus, index)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 5)
    assert report.relinked == 5
    assert search(index, "entity:kremlin").total == 5


def test_rebuild_gives_identical_entities(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    for path in UNSEEN.glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    one, two = tmp_path / "one", tmp_path / "two"
    # One index grows in two steps, the other is built at once: same entities either way.
    (corpus / "follow_up.txt").rename(tmp_path / "later.txt")
    sync(corpus, one)
    (tmp_path / "later.txt").rename(corpus / "follow_up.txt")
    sync(corpus, one)
    sync(corpus, two)
    assert read_registry(one).records == read_registry(two).records
    for summary in list_articles(one):
        assert article_entities(one, summary.id) == article_entities(two, summary.id)


# The command line.


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_entities_json_shape(capsys, corpus, index_dir):
    code, out, _ = run(capsys, "--corpus", str(corpus), "--index", str(index_dir), "entities", "--json")
    assert code == 0
    items = json.loads(out)
    for item in items:
        assert set(item) >= {"id", "name", "type", "aliases", "discovered", "articles", "mentions"}
        assert isinstance(item["articles"], int) and isinstance(item["discovered"], bool)
    by_id = {item["id"]: item for item in items}
    assert by_id["lachin-corridor"]["articles"] == 5
    curated = tomllib.loads((SAMPLE_CORPUS / "entities.toml").read_text(encoding="utf-8"))["entity"]
    assert {e["id"] for e in curated} <= set(by_id)


def test_entity_json_shape(capsys, corpus, index_dir):
    code, out, _ = run(capsys, "--corpus", str(corpus), "--index", str(index_dir), "entity", "Pashinian", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"id", "name", "type", "aliases", "articles", "related"}
    assert data["id"] == "nikol-pashinyan"
    article = data["articles"][0]
    assert set(article) >= {"id", "title", "date", "mentions"}
    assert set(article["mentions"][0]) >= {"start", "end", "text", "context"}
    assert set(data["related"][0]) >= {"id", "name", "articles"}


def test_show_json_gains_entities(capsys, corpus, index_dir):
    where = ["--corpus", str(corpus), "--index", str(index_dir)]
    _, out, _ = run(capsys, *where, "list", "--json")
    article_id = next(a["id"] for a in json.loads(out) if a["path"].startswith("004"))
    _, out, _ = run(capsys, *where, "show", article_id, "--json")
    data = json.loads(out)
    for item in data["entities"]:
        assert set(item) >= {"id", "name", "type", "discovered", "mentions"}
        for mention in item["mentions"]:
            assert data["text"][mention["start"] : mention["end"]] == mention["text"]


def test_unknown_entity_exits_2_with_closest_matches(capsys, corpus, index_dir):
    where = ["--corpus", str(corpus), "--index", str(index_dir)]
    run(capsys, *where, "index")
    code, out, err = run(capsys, *where, "entity", "Zakharva")
    assert code == 2 and out == ""
    assert err == "tuibrowser: no entity called 'Zakharva'; did you mean 'Maria Zakharova'?\n"


def test_bad_knowledge_base_exits_2_from_the_cli(capsys, tmp_path):
    corpus = _kb_corpus(tmp_path, "[[entity]]\nname = 'X'\ntype = 'planet'\n")
    code, _, err = run(capsys, "--corpus", str(corpus), "--index", str(tmp_path / "ix"), "search", "Lachin")
    assert code == 2 and "type must be one of" in err and err.count("\n") == 2  # "indexing ..." then the error


def test_rare_weak_evidence_does_not_type_a_name():
    # "from Microsoft" once among many untyped mentions must not make Microsoft a place
    # (found importing BBC tech): better missed than mistyped.
    texts = {f"{n}.txt": "Microsoft released an update. Microsoft said it was safe." for n in range(12)}
    texts["last.txt"] = "A spokesman from Microsoft spoke. Later, from Microsoft, a statement came."
    assert all(e.name != "Microsoft" for e in discovered(texts, KnowledgeBase()).discovered)
    places = {
        "a.txt": "Talks were held in Geneva on Monday.",
        "b.txt": "Delegates flew in to Geneva, and from Geneva home.",
    }
    assert [(e.name, e.type) for e in discovered(places, KnowledgeBase()).discovered] == [("Geneva", "place")]


# Timelines.


def test_timeline_counts_articles_and_mentions_per_period_from_the_index(seed_index):
    from tuibrowser.core.entities.timeline import entity_timeline

    timeline = entity_timeline(seed_index, "vladimir-putin")
    assert timeline.by == "week"  # the sample spans a month: weekly bars
    assert [(p.label, p.articles, p.mentions) for p in timeline.periods] == [
        ("2023-W21", 1, 7),  # 2023-05-26
        ("2023-W22", 1, 7),  # 2023-05-29
        ("2023-W23", 0, 0),
        ("2023-W24", 0, 0),
        ("2023-W25", 0, 0),  # the corpus ends on 2023-06-23: zeros kept, the scale is the corpus's
    ]
    assert (timeline.undated_articles, timeline.undated_mentions) == (1, 2)  # never put into a period
    assert (timeline.first, timeline.last, timeline.peak.label) == ("2023-05-26", "2023-05-29", "2023-W21")
    monthly = entity_timeline(seed_index, "vladimir-putin", by="month")
    assert [(p.label, p.articles, p.mentions) for p in monthly.periods] == [("2023-05", 2, 14), ("2023-06", 0, 0)]
    yearly = entity_timeline(seed_index, "lachin-corridor", by="year")
    assert [(p.label, p.articles) for p in yearly.periods] == [("2023", 3)] and yearly.undated_articles == 2


def test_timeline_window_leaves_out_undated_articles_and_other_dates(seed_index):
    from tuibrowser.core.entities.timeline import date_window, entity_timeline

    first, last = date_window("2023-05-27", "2023-06")
    assert (first, last) == ("2023-05-27", "2023-06-30")
    timeline = entity_timeline(
        seed_index, "vladimir-putin", by="week", start=dt.date(2023, 5, 27), end=dt.date(2023, 6, 30)
    )
    assert [(p.label, p.articles) for p in timeline.periods][:2] == [("2023-W21", 0), ("2023-W22", 1)]
    assert timeline.undated_articles == 0 and timeline.first == timeline.last == "2023-05-29"
    for bad in ("2023-13", "yesterday", "2023-02-30"):
        with pytest.raises(ValueError, match="cannot read the date"):
            date_window(bad, None)
    with pytest.raises(ValueError, match="ends"):
        date_window("2024", "2023")


def test_entity_command_prints_the_timeline_and_filters_by_date(capsys, seed_index):

    where = ["--corpus", str(SAMPLE_CORPUS), "--index", str(seed_index)]
    assert main([*where, "entity", "Putin", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["timeline_by"] == "week" and data["undated"] == {"articles": 1, "mentions": 2}
    assert data["timeline"][0] == {"period": "2023-W21", "articles": 1, "mentions": 7}
    assert main([*where, "entity", "Putin", "--json", "--by", "month", "--from", "2023-05-27"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [a["date"] for a in data["articles"]] == ["2023-05-29"]  # the concordance is filtered too
    assert data["timeline"] == [
        {"period": "2023-05", "articles": 1, "mentions": 7},
        {"period": "2023-06", "articles": 0, "mentions": 0},
    ]
    assert main([*where, "entity", "Putin"]) == 0
    text = capsys.readouterr().out
    assert "By week: 2023-W21 ██    2023-W25" in text and "peak 2023-W21 (1 article)" in text and "1 undated" in text
    assert main([*where, "entity", "Putin", "--from", "2023-13"]) == 2
    assert "cannot read the date '2023-13'" in capsys.readouterr().err
