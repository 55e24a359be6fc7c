"""Pilot tests of the browser, asserting on what is on the screen after multi-step flows.

Each test drives the app with keys, as a person would, and reads the rendered screen
(`screen_text`, `widget_lines`): the text under a header, the line a jump landed on, what the
query box holds after going back. State is checked only where nothing shows it.
"""

from __future__ import annotations

import json
import re
import shutil
import threading

import pytest
from textual import events
from textual.widgets import Input, OptionList

from conftest import SAMPLE_CORPUS, SHARED_DATA
from tui_support import HOSTILE, NARROW, WIDE, indexed_copy, screen_text, settle, widget_lines
from tuibrowser.core.importer import import_paths
from tuibrowser.core.paths import Locations
from tuibrowser.core.services import Services
from tuibrowser.core.user_state import StateStore, Visit
from tuibrowser.tui import jobs
from tuibrowser.tui.screens.browser import MainScreen
from tuibrowser.tui.screens.help import HelpScreen
from tuibrowser.tui.screens.places import PlacesScreen
from tuibrowser.tui.widgets.reader import ArticleReader

ZAKHAROVA_ARTICLE = "russia-urges-baku-to-unblock-lachin-corridor"
MUNICH_ARTICLE = "lachin-corridor-talks-civilian-access-peace-negotiations-and-regional-stability"


def query_box(app) -> str:
    return app.query_one("#query", Input).value


def reader_text(app) -> str:
    return "\n".join(widget_lines(app.query_one(ArticleReader)))


def location(app) -> str:
    return widget_lines(app.query_one("#location"))[0].rstrip()


def hints(app) -> str:
    return widget_lines(app.query_one("#key-hints"))[0].rstrip()


def status(app) -> str:
    return "\n".join(widget_lines(app.query_one("#search-status")))


async def new_search(app, pilot, query: str) -> None:
    """Start a search from wherever the focus is, as a person would: (Escape,) /, type."""
    if isinstance(app.focused, Input):
        await pilot.press("escape")
    await pilot.press("slash", *query)
    await settle(app, pilot)


async def open_first_result(app, pilot, query: str) -> None:
    await new_search(app, pilot, query)
    await pilot.press("enter")  # into the results
    await pilot.press("enter")  # open the first
    await settle(app, pilot)


async def choose_entity(app, pilot, name: str) -> None:
    """Open the sidebar and move down to the entity called `name`."""
    await pilot.press("e")
    await settle(app, pilot)
    entity_list = app.query_one("#entity-list", OptionList)
    for _ in range(entity_list.option_count):
        option = entity_list.get_option_at_index(entity_list.highlighted)
        if name in str(option.prompt):
            break
        await pilot.press("down")
    await settle(app, pilot)


def first_words(text: str, count: int = 6) -> str:
    return " ".join(text.split()[:count])


# Start, and leaving.


async def test_start_lists_the_corpus_newest_first_with_the_query_box_focused(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        screen = screen_text(app)
        assert "5 articles, newest first" in screen
        assert screen.index("Russia Urges Baku") < screen.index("Russia sees prospects")  # 2023-06-23 first
        assert isinstance(app.focused, Input)
        assert "^q quit" in hints(app) and "f1 help" in hints(app)


async def test_ctrl_q_quits_from_the_query_box_where_the_app_starts(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        await pilot.press("q")  # a letter types in the query box...
        assert query_box(app) == "q" and app.return_code is None
        await pilot.press("ctrl+q")  # ...Ctrl+Q quits from anywhere
        await pilot.pause()
        assert app.return_code == 0


async def test_capital_q_quits_over_dialogs_and_is_a_letter_in_the_query_box(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("Q")
        assert query_box(app) == "Q" and app.return_code is None
        await pilot.press("escape", "B")  # bookmarks and history, over the browser
        await settle(app, pilot)
        assert isinstance(app.screen, PlacesScreen)
        await pilot.press("Q")
        await pilot.pause()
        assert app.return_code == 0


async def test_q_goes_up_a_level_and_quits_at_the_results(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await choose_entity(app, pilot, "Maria Zakharova")
        await pilot.press("v")
        await settle(app, pilot)
        assert "Mentions, oldest first" in screen_text(app)
        await pilot.press("q")  # entity view -> the article
        await settle(app, pilot)
        assert "Russia Urges Baku" in location(app) and "Zakharova" in reader_text(app)
        await pilot.press("q")  # article -> the results
        await settle(app, pilot)
        assert "1 result for Zakharova" in screen_text(app) and app.return_code is None
        await pilot.press("q")  # the results -> quit
        await pilot.pause()
        assert app.return_code == 0


# The reader shows the right text.


async def test_a_second_article_shows_its_own_text_from_its_first_line(make_app, tmp_path):
    quiet = tmp_path / "quiet.txt"
    quiet.write_text("the weather report\n\nit rained all day in the valley, and the farmers were glad of the rain.\n")
    app = make_app(indexed_copy(tmp_path, quiet))
    services = Services(app.services.locations)
    first, second = services.article(ZAKHAROVA_ARTICLE), services.article(MUNICH_ARTICLE)
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        text = reader_text(app)
        assert first.title in text and first_words(first.paragraphs[0]) in text
        await open_first_result(app, pilot, "Munich Security Conference")
        await pilot.press("g")  # to the top: the title, then the lead
        lines = [line.strip() for line in widget_lines(app.query_one(ArticleReader)) if line.strip()]
        assert lines[0].startswith("Lachin Corridor Talks")
        body = [line for line in lines if not line.startswith(("Lachin Corridor Talks", "Stability", "undated", "─"))]
        assert second.paragraphs[0].startswith(body[0])  # the lead is the first paragraph shown
        assert first_words(first.paragraphs[0]) not in reader_text(app)
        # An article with no entities at all is not left blank either.
        await open_first_result(app, pilot, "farmers")
        assert "it rained all day in the valley" in reader_text(app)


async def test_an_article_opened_from_a_search_opens_at_its_first_match(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Munich Security Conference")
        assert "Munich Security Conference" in reader_text(app)  # deep in the article, yet on screen
        assert "match 1/" in location(app)


async def test_n_steps_through_matches_with_a_counter_and_says_when_it_wraps(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        assert location(app).endswith("match 1/6")
        await pilot.press("n", "n")
        assert location(app).endswith("match 3/6")
        assert "Zakharova" in reader_text(app)
        await pilot.press("N", "N", "N")  # before the first: wraps to the last, and says so
        await settle(app, pilot)
        assert location(app).endswith("match 6/6")
        assert "Wrapped to the last match." in [n.message for n in app._notifications]


async def test_the_header_does_not_repeat_the_outlet_as_a_byline(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await pilot.press("g")
        assert "2023-06-23 · Asbarez" in reader_text(app)
        assert "by Asbarez" not in reader_text(app)


async def test_reader_scroll_keys(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Lachin")
        reader = app.query_one(ArticleReader)
        await pilot.press("g")
        top = reader_text(app)
        await pilot.press("j", "j")
        assert reader.scroll_y == 2 and reader_text(app) != top
        await pilot.press("k", "k")
        assert reader_text(app) == top
        await pilot.press("G")
        assert reader.scroll_y == reader.max_scroll_y > 0
        await pilot.press("space")
        await pilot.press("g")
        assert reader_text(app) == top


# Jumps land on screen.


async def test_m_past_the_last_mention_opens_the_next_article_at_the_mention(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        # 003 (2023-05-26) is the first article, in date order, that mentions Putin.
        await open_first_result(app, pilot, "prospects settlement")
        await choose_entity(app, pilot, "Vladimir Putin")
        await pilot.press("r", "g")  # the reader, from the top
        for number in range(1, 8):
            await pilot.press("m")
            assert location(app).endswith(f"mention {number}/7 of Vladimir Putin")
        await pilot.press("m")  # past the last: the next article that mentions him
        await settle(app, pilot)
        reader = app.query_one(ArticleReader)
        assert reader.opened.article.date == "2023-05-29"
        assert "mention 1/" in location(app) and "of Vladimir Putin" in location(app)
        assert reader.is_visible(app.main.cursor.start)
        assert "Putin" in reader_text(app)
        await pilot.press("M")  # back before the first: the previous article, at its last mention
        await settle(app, pilot)
        assert location(app).endswith("mention 7/7 of Vladimir Putin")
        assert reader.is_visible(app.main.cursor.start) and "Putin" in reader_text(app)


async def test_on_a_tiny_terminal_the_sidebar_still_lists_the_entities(make_app):
    """At 40x10 the timeline and the related entities left the entity list no line at all;
    on short terminals they give way, and the list shows names."""
    app = make_app()
    async with app.run_test(size=(40, 10)) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await pilot.press("e")
        await settle(app, pilot)
        assert "Maria Zakhar" in "\n".join(widget_lines(app.query_one("#entity-list")))
        words = [w for line in widget_lines(app.query_one(ArticleReader)) for w in line.split() if w.isalpha()]
        assert len(words) >= 8  # the reader keeps room beside the panel (it had 4 columns)
        await pilot.resize_terminal(80, 24)  # tall again: the timeline is back
        await settle(app, pilot)
        assert "peak" in screen_text(app) and "Maria Zakharova" in screen_text(app)


async def test_a_dialog_opens_clear_of_the_toasts_raised_before_it(make_app):
    """At 80x24 a toast sat over a dialog's lower lines; opening a dialog dismisses them."""
    app = make_app()
    async with app.run_test(size=NARROW, notifications=True) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await pilot.press("N")  # from the first match back to the last: a toast says so
        await settle(app, pilot)
        await pilot.pause(0.2)
        assert "Wrapped to the last match." in screen_text(app)
        await pilot.press("B")  # bookmarks and history
        await settle(app, pilot)
        assert isinstance(app.screen, PlacesScreen)
        assert "Wrapped" not in screen_text(app) and "Zakharova" in screen_text(app)
        await pilot.press("escape", "n")  # back in the reader, toasts show again: match 6 to 1 wraps
        await settle(app, pilot)
        await pilot.pause(0.2)
        assert "Wrapped to the first match." in screen_text(app)


async def test_a_new_query_starts_at_its_first_hit(make_app):
    """Found by a tester: after moving down the results, a new query kept the highlight on
    the article it had, far down the new list (Enter then opened the 3rd hit, not the best)."""
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await new_search(app, pilot, "Lachin")
        await pilot.press("enter", "down", "down")
        await settle(app, pilot)
        assert location(app).endswith("› 3/5")
        await pilot.press("slash")
        app.query_one("#query", Input).value = "Lachin Corridor"  # pasted: the same five hits, ranked anew
        await settle(app, pilot)
        await pilot.press("enter")  # into the results
        await settle(app, pilot)
        assert location(app).endswith("› 1/5")


async def test_an_enter_typed_ahead_is_forgotten_when_the_results_come_too_late(make_app, monkeypatch):
    """Found by a tester: Enter pressed while the index was rebuilt opened a hit of that
    query minutes later, one the reader never saw (and the trail said it was read)."""
    from tuibrowser.tui.screens.browser import searching

    slow_search = jobs.run_search

    def late(*args, **kwargs):
        threading.Event().wait(0.6)  # the results wait (for a rebuild, say)
        slow_search(*args, **kwargs)

    monkeypatch.setattr(jobs, "run_search", late)
    for patience, opened in ((3.0, True), (0.2, False)):
        monkeypatch.setattr(searching, "OPEN_PENDING_FOR", patience)
        app = make_app()
        async with app.run_test(size=NARROW) as pilot:
            await settle(app, pilot)
            await pilot.press(*"Zakharova", "enter", "enter")  # typed ahead of the results
            await pilot.pause(1.0)
            await settle(app, pilot)
            assert ("match 1/6" in location(app)) is opened
            assert ("Russia on Wednesday called on Baku" in screen_text(app)) is opened
            if not opened:
                assert "1 result for Zakharova" in status(app) and app.main.view == "search"


async def test_back_to_an_article_names_the_search_it_was_opened_from(make_app):
    """Found by a tester: going back to an article opened from an earlier search named (and
    marked the matches of) the search in the box instead."""
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        assert location(app).startswith(" search “Zakharova” (1) › Russia Urges Baku")
        await open_first_result(app, pilot, "Munich Security Conference")  # "/" from the reader
        assert location(app).startswith(" search “Munich Security")
        for _ in range(4):  # back, through the searches, to the first article
            await pilot.press("left_square_bracket")
            await settle(app, pilot)
            if "Russia Urges Baku" in location(app):
                break
        assert "Russia Urges Baku" in location(app)
        assert location(app).startswith(" search “Zakharova”"), location(app)
        assert location(app).endswith("› 6 matches")  # Zakharova's, not Munich's


async def test_quick_m_presses_across_articles_are_all_taken(make_app):
    """A held `m` (or quick presses) while the next article loads: every press is a step,
    taken from where the jump lands, none lost."""
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "prospects settlement")
        await choose_entity(app, pilot, "Vladimir Putin")
        await pilot.press("r", "G")  # the reader, at the end: past the last mention
        for _ in range(3):  # three presses as fast as a terminal sends them (pilot.press waits between keys)
            app.post_message(events.Key("m", "m"))
        await settle(app, pilot)
        reader = app.query_one(ArticleReader)
        assert reader.opened.article.date == "2023-05-29"
        assert "mention 3/" in location(app) and "of Vladimir Putin" in location(app)
        assert reader.is_visible(app.main.cursor.start) and "Putin" in reader_text(app)
        await pilot.press("M")  # an ordinary step back, at once
        assert "mention 2/" in location(app)


async def test_the_entity_view_opens_on_a_mention_and_enter_opens_it_deep_in_its_article(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await choose_entity(app, pilot, "Lachin Corridor")
        await pilot.press("v")
        await settle(app, pilot)
        screen = screen_text(app)
        assert "Lachin Corridor" in location(app) and "Mentions, oldest first" in screen
        # Each article's title is shown once, above its mentions.
        assert screen.count("Russia sees prospects of settlement") == 1
        concordance = app.query_one("#concordance", OptionList)
        assert concordance.highlighted is not None  # a mention is selected: Enter works at once
        await pilot.press("G")  # the last mention, deep in the last article
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.query_one(ArticleReader)
        position = location(app)
        assert "of Lachin Corridor" in position and "mention" in position
        start, end = app.main.cursor.start, app.main.cursor.end
        assert reader.is_visible(start)
        assert reader.opened.article.text[start:end].lower().startswith("lachin")


async def test_back_returns_to_where_the_reader_was_in_an_article(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await pilot.press("space", "j", "j")
        where = widget_lines(app.query_one(ArticleReader))
        await choose_entity(app, pilot, "Lachin Corridor")
        await pilot.press("tab")  # to the entity's other articles
        await pilot.press("enter")  # open one
        await settle(app, pilot)
        assert "Russia Urges Baku" not in location(app)
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert widget_lines(app.query_one(ArticleReader)) == where
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert "Russia Urges Baku" not in location(app)


# Back and forward never edit the query.


async def test_back_to_a_search_lands_on_the_results_and_leaves_the_query_alone(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert "1 result for Zakharova" in screen_text(app)
        assert not isinstance(app.focused, Input)
        await pilot.press("right_square_bracket")  # forward: a bracket is never typed
        await settle(app, pilot)
        assert "Russia Urges Baku" in location(app) and "Zakharova" in reader_text(app)
        await pilot.press("backspace")  # back again: no letter is deleted
        await settle(app, pilot)
        assert query_box(app) == "Zakharova"
        assert "1 result for Zakharova" in screen_text(app)


async def test_slash_selects_the_old_query_so_typing_replaces_it(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await new_search(app, pilot, "Zakharova")
        await pilot.press("enter")
        await pilot.press("slash", *"Lavrov")
        await settle(app, pilot)
        assert query_box(app) == "Lavrov"
        assert "results for Lavrov" in screen_text(app)


async def test_searches_one_after_another_are_each_in_the_history(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await new_search(app, pilot, "Zakharova")
        await pilot.press("enter")
        await new_search(app, pilot, "Munich")
        await pilot.press("enter")
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert query_box(app) == "Zakharova" and "1 result for Zakharova" in screen_text(app)
        await pilot.press("B")
        await settle(app, pilot)
        assert isinstance(app.screen, PlacesScreen)
        places = screen_text(app)
        assert "“Munich”" in places and "“Zakharova”" in places


async def test_did_you_mean_is_taken_with_tab_in_the_case_typed(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        await pilot.press(*"Zakharva")
        await settle(app, pilot)
        assert "did you mean: Zakharova" in status(app)
        await pilot.press("tab")
        await settle(app, pilot)
        assert query_box(app) == "Zakharova"
        assert "1 result for Zakharova" in status(app)


async def test_a_bad_query_is_explained_inline_and_the_previous_results_stay(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await new_search(app, pilot, "Bayramov")
        app.query_one("#query", Input).value = "Bayramov date:bogus"  # pasted in one go
        await settle(app, pilot)
        assert "cannot read the date" in status(app)
        assert app.query_one("#search-status").has_class("-error")
        assert "Lachin Corridor Talks" in screen_text(app)  # Bayramov's results are still listed


async def test_a_search_with_no_results_clears_the_article_shown_beside_the_list(make_app):
    """On a wide terminal the highlighted hit is shown beside the list; once a search finds
    nothing, the text of a hit from the search before must not stay there as if it matched."""
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await new_search(app, pilot, "Zakharova")
        await pilot.press("down")  # into the results: the hit is shown beside them
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert "Zakharova" in reader_text(app)
        await new_search(app, pilot, "qqzzxx")
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert "0 results for qqzzxx" in status(app)
        assert "Zakharova" not in screen_text(app)
        assert "No article matches" in reader_text(app)
        await new_search(app, pilot, "Bayramov")  # a search that finds something shows it again
        await pilot.press("down")
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert "Bayramov" in reader_text(app) and "No article matches" not in reader_text(app)


async def test_enter_after_a_refused_query_opens_what_is_listed_and_nothing_later(make_app):
    """Enter on the results left from before a refused query opens the highlighted one; it
    is never kept to fire later, when another query's results arrive (a new user, typing a
    new search, was pulled into an article chosen minutes before)."""
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await new_search(app, pilot, "Bayramov")
        app.query_one("#query", Input).value = "entity:nosuch"  # pasted
        await settle(app, pilot)
        assert "no entity called 'nosuch'" in status(app)
        assert location(app).startswith(" search “entity:nosuch”")  # the bar follows the box
        await pilot.press("escape")  # into the listed results: Bayramov's, not the box's query's
        await settle(app, pilot)
        assert "›" not in location(app)  # no "1/2": that place is in another search's list
        await pilot.press("enter")  # open one
        await settle(app, pilot)
        assert location(app).startswith(" search “Bayramov” (2) › Prime Minister Nikol Pashinyan")
        assert "match 1/" in location(app)  # Bayramov's matches, in the article it was listed for
        await new_search(app, pilot, "Baku")
        await settle(app, pilot)
        assert app.main.view == "search" and isinstance(app.focused, Input)
        assert "results for Baku" in status(app) and "›" not in location(app)


async def test_search_only_on_enter_when_search_as_you_type_is_off(make_app):
    app = make_app(config="search_as_you_type = false\n")
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press(*"Zakharova")
        await settle(app, pilot)
        assert "5 articles, newest first" in status(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "1 result for Zakharova" in status(app)


# Worker failures never end the app.


async def test_typing_while_the_first_index_is_built_waits_for_it(make_app, tmp_path):
    bbc = SHARED_DATA / "bbc-news" / "bbc"
    if not bbc.is_dir():
        pytest.skip("../shared/data is not beside the repository")
    corpus = tmp_path / "archive"
    corpus.mkdir()
    for number, path in enumerate(sorted(bbc.glob("*/*.txt"))[:2000]):
        shutil.copyfile(path, corpus / f"{path.parent.name}-{number:04}.txt")
    app = make_app(Locations(corpus, tmp_path / "archive-index"))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert "Indexing the corpus" in status(app)
        await pilot.press("e")  # typed while the index is being built (the build takes seconds)
        assert "Indexing the corpus" in status(app) and query_box(app) == "e"
        await pilot.press(*"lection")
        for _ in range(60):
            await settle(app, pilot)
            if "results for election" in status(app):
                break
        assert "results for election" in status(app)
        assert app.return_code is None


async def test_the_palette_says_the_index_is_being_built_and_lists_everything_after(make_app, tmp_path):
    locations = Locations(tmp_path / "corpus", tmp_path / "index")
    shutil.copytree(SAMPLE_CORPUS, locations.corpus)
    app = make_app(locations)
    built = threading.Event()
    ensure_index = app.services.ensure_index

    def gated(*args, **kwargs):  # the first build waits until the test has looked
        built.wait(30)
        return ensure_index(*args, **kwargs)

    app.services.ensure_index = gated
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("ctrl+p", *"zakharova")
        await settle(app, pilot)
        assert "Indexing: articles and entities are listed here when it is done." in screen_text(app)
        await pilot.press("escape")
        built.set()
        for _ in range(20):
            await settle(app, pilot)
            if app.main.index_ready:
                break
        await pilot.press("ctrl+p", *"zakharova")
        for _ in range(10):
            await settle(app, pilot)
            if "Maria Zakharova" in screen_text(app):
                break
        assert "Maria Zakharova" in screen_text(app) and "when it is done" not in screen_text(app)


async def test_the_index_deleted_under_the_running_app_is_rebuilt(make_app, tmp_path):
    locations = indexed_copy(tmp_path)
    app = make_app(locations)
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        shutil.rmtree(locations.index)
        await pilot.press("e")  # the sidebar's detail reads the index
        for _ in range(5):
            await settle(app, pilot)
        assert app.return_code is None
        assert "In no other article" in screen_text(app)  # the sidebar's detail for Maria Zakharova
        await new_search(app, pilot, "Munich")
        assert "1 result for Munich" in status(app)
        assert (locations.index / "tuibrowser-index.json").exists()


# State: two instances, outside changes.


async def test_a_second_instance_saving_state_loses_nothing(make_app, tmp_path):
    state = tmp_path / "shared-state.json"
    other = StateStore.open(state)
    app = make_app(state=state)
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        other.toggle_bookmark(Visit("entity", "international-court-of-justice"))
        other.save()  # the other instance saves while this one runs
        await pilot.press("b")
        assert "★ bookmarked" in location(app)
        await pilot.press("B")
        await settle(app, pilot)
        await pilot.pause(0.6)
        await settle(app, pilot)
        places = screen_text(app)
        assert "Russia Urges Baku" in places
        assert "International Court of Justice" in places  # the other instance's bookmark, shown here
        await pilot.press("escape")
    saved = json.loads(state.read_text())
    assert {tuple(b[:2]) for b in saved["bookmarks"]} == {
        ("entity", "international-court-of-justice"),
        ("article", ZAKHAROVA_ARTICLE),
    }


async def test_an_import_in_another_terminal_shows_up_in_the_open_app(make_app, tmp_path, monkeypatch):
    monkeypatch.setattr(MainScreen, "POLL_SECONDS", 0.2)
    locations = indexed_copy(tmp_path)
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "lighthouse.txt").write_text(
        "Lighthouse keeper Anna Petrova restored\n\n"
        "Volunteers said Anna Petrova restored the old lighthouse at Cape Wrath over the summer.\n"
    )
    app = make_app(locations)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        assert "5 articles, newest first" in status(app)
        import_paths([drop], locations.corpus, locations.index)  # `tuibrowser import` elsewhere
        for _ in range(10):
            await pilot.pause(0.3)
            await settle(app, pilot)
            if "6 articles" in status(app):
                break
        assert "6 articles, newest first" in status(app)
        assert "Lighthouse keeper Anna Petrova restored" in screen_text(app)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"Lighthouse keeper")
        await settle(app, pilot)
        await pilot.pause(0.3)
        assert "Lighthouse keeper Anna Petrova restored" in screen_text(app)  # the palette knows it


# Layout at 80x24, help, bookmarks.


async def test_at_80x24_the_hints_fit_and_entities_are_one_line_each(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "prospects settlement")
        line = hints(app)
        for hint in ("n/N match", "m/M mention", "q results", "[ back", "f1 help"):
            assert hint in line
        await pilot.press("e")
        await settle(app, pilot)
        rows = widget_lines(app.query_one("#entity-list"))
        assert any(row.strip().startswith("7 Vladimir Putin") for row in rows)  # count and name on one line


async def test_f1_lists_every_key_of_the_pane_from_the_real_bindings(make_app):
    app = make_app(config='[keymap]\n"reader.next-mention" = "x"\n')
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = {(where, keys, what) for where, keys, what in app.screen.rows}
        assert ("the reader", "x", "Next mention of the selected entity") in rows  # the keymap override
        keys = {what: set(keys.split(", ")) for _, keys, what in rows}
        assert {"j", "↓"} <= keys["Line down"] and {"k", "↑"} <= keys["Line up"]
        assert {"g", "home"} <= keys["Top"] and {"G", "end"} <= keys["Bottom"]
        assert {"space", "pgdn"} <= keys["Page down"] and {"q"} <= keys[next(k for k in keys if k.startswith("Up"))]
        assert {"?"} <= keys["Keys for this pane"]
        assert {"[", "⌫", "alt+←"} <= keys["Back"] and {"]", "alt+→"} <= keys["Forward"]
        text = screen_text(app)
        assert "Page Right" not in text and "Next match" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_keymap_entries_that_cannot_apply_are_reported(make_app):
    config = '[keymap]\n"reader.no-such-thing" = "x"\n"reader.next-mention" = "n"\n"main.bookmark" = "ctrl+b"\n'
    app = make_app(config=config)
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        messages = [n.message for n in app._notifications]
        assert any("no binding has the id 'reader.no-such-thing'" in m for m in messages)
        assert any("'n' for reader.next-mention is taken by reader.next-match" in m for m in messages)
        await pilot.press("n")  # the refused entry was not applied: n still steps through matches
        assert location(app).endswith("match 2/6")
        await pilot.press("ctrl+b")  # a valid override works
        assert "★ bookmarked" in location(app)


async def test_a_keymap_entry_for_quit_adds_keys_and_ctrl_q_still_quits(make_app):
    app = make_app(config='[keymap]\n"app.quit" = "ctrl+x"\n')
    async with app.run_test(size=WIDE) as pilot:
        assert "^x quit" in screen_text(app)  # the hint shows the reader's own key
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_question_mark_is_help_outside_the_query_and_text_inside_it(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press(*"who?")
        assert query_box(app) == "who?"
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("down", "question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_bookmarks_are_marked_listed_and_lead_back(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await pilot.press("b")
        assert "★ bookmarked" in location(app)
        await choose_entity(app, pilot, "Maria Zakharova")
        await pilot.press("v")
        await settle(app, pilot)
        assert "★ bookmarked" not in location(app)
        await pilot.press("b")  # the entity, this time
        assert "★ bookmarked" in location(app)
        await pilot.press("B")
        await settle(app, pilot)
        lines = "\n".join(widget_lines(app.screen.query_one("#places")))
        assert lines.index("Bookmarks") < lines.index("Maria Zakharova") < lines.index("Russia Urges Baku")
        await pilot.press("down", "enter")  # the older bookmark: the article
        await settle(app, pilot)
        assert not isinstance(app.screen, PlacesScreen)
        assert "Russia Urges Baku" in location(app) and "★ bookmarked" in location(app)


async def test_related_entities_are_listed_in_the_order_of_their_overlap(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await choose_entity(app, pilot, "Maria Zakharova")
        rows = [row.strip() for row in widget_lines(app.query_one("#entity-related")) if "%" in row]
        shares = [int(row.split("%")[0]) for row in rows]
        assert len(shares) > 2 and shares == sorted(shares, reverse=True)


async def test_command_palette_keeps_built_ins_and_opens_articles(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        names = {(p if isinstance(p, type) else p()).__name__ for p in app.COMMANDS}
        assert {"ArticlesProvider", "EntitiesProvider", "RecentSearchesProvider"} <= names
        assert len(app.COMMANDS) > 3  # the built-in commands are still there
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"Unblock Lachin")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Russia Urges Baku" in location(app)
        assert "Russia on Wednesday called on Baku" in reader_text(app)


# Persistence and settings.


async def test_read_marks_bookmarks_and_history_survive_a_restart(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await pilot.press("b")
        await pilot.press("Q")
    saved = json.loads((tmp_path / "state.json").read_text())
    assert saved["read"] == [ZAKHAROVA_ARTICLE]
    assert saved["bookmarks"] == [["article", ZAKHAROVA_ARTICLE, 0]]
    again = make_app()
    async with again.run_test(size=WIDE) as pilot:
        await settle(again, pilot)
        await pilot.press("escape", "left_square_bracket")  # back works across restarts
        await settle(again, pilot)
        assert query_box(again) == "Zakharova"
        assert "1 result for Zakharova" in status(again)


async def test_corrupt_state_and_config_are_reported_and_not_overwritten(make_app, tmp_path):
    (tmp_path / "state.json").write_bytes(b"\xff\xfe{not json")
    app = make_app(config="theme = \n")
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("state.json was unreadable" in m for m in messages)
        assert any("not valid TOML" in m for m in messages)
        await open_first_result(app, pilot, "Zakharova")
        await pilot.press("Q")
    assert (tmp_path / "config.toml").read_text() == "theme = \n"
    (aside,) = tmp_path.glob("state.json.corrupt-*")
    assert aside.read_bytes() == b"\xff\xfe{not json"
    assert json.loads((tmp_path / "state.json").read_text())["read"]


async def test_narrow_terminal_shows_one_pane_at_a_time_and_resizing_keeps_the_place(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        assert app.screen.has_class("-narrow")
        assert not app.query_one("#center").display
        await open_first_result(app, pilot, "Zakharova")
        assert app.query_one("#center").display and not app.query_one("#search-pane").display
        await pilot.press("e")
        await settle(app, pilot)
        assert "Entities in this article" in screen_text(app)
        await pilot.press("escape")
        await pilot.resize_terminal(*WIDE)  # 120 columns: the reader and the entities
        await settle(app, pilot)
        assert app.screen.has_class("-wide")
        screen = screen_text(app)
        assert "Russia on Wednesday called on Baku" in screen and "Entities in this article" in screen
        await pilot.resize_terminal(160, 45)  # widest: the results too
        await settle(app, pilot)
        screen = screen_text(app)
        assert "1 result for Zakharova" in screen and "Russia on Wednesday called on Baku" in screen
        assert "Entities in this article" in screen
        await pilot.resize_terminal(*NARROW)
        await settle(app, pilot)
        assert "Russia on Wednesday called on Baku" in reader_text(app)


async def test_ansi_theme_and_unknown_theme(make_app):
    app = make_app(config='theme = "ansi-dark"\n')
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        assert app.theme == "ansi-dark"
    app = make_app(config='theme = "no-such-theme"\n')
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        assert app.theme == "textual-dark"
        assert any("unknown theme" in n.message for n in app._notifications)


# Safety.


async def test_hostile_article_is_shown_literally(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path, HOSTILE))
    async with app.run_test(size=WIDE) as pilot:
        await new_search(app, pilot, "hostile")
        assert "[bold]Hostile[/bold]" in screen_text(app)  # the result's title, as typed
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        await pilot.press("g")
        text = reader_text(app)
        assert "[bold]Hostile[/bold] headline [@click=app.quit]Quit[/]" in " ".join(text.split())
        await pilot.press("G")
        body = reader_text(app)
        assert "[@click=app.quit]click me[/]" in body or "[link=https://evil.example]" in text + body
        for control in ("\x1b", "\x07", "\x9b"):
            assert control not in text and control not in body
        await pilot.click("#reader")  # clicking the would-be link does nothing
        await settle(app, pilot)
        assert app.return_code is None


# Import from the TUI.


LIGHTHOUSE = "Lighthouse restored\n\nThe old lighthouse was restored by volunteers."


def _drop_folder(tmp_path, files: dict[str, str]):
    """A folder (with a space in its name) of the given files and one malformed JSON file."""
    drop = tmp_path / "drop folder"
    drop.mkdir()
    for name, text in files.items():
        (drop / name).write_text(text)
    (drop / "bad.json").write_text("{nope")
    return drop


async def test_import_from_the_command_palette_with_progress_and_verdicts(make_app, tmp_path):
    from tuibrowser.tui.screens.import_dialog import ImportScreen

    drop = _drop_folder(tmp_path, {"good.txt": LIGHTHOUSE})
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"Import files")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one("#import-paths", Input).value = f'"{drop}"'
        await pilot.press("enter")
        await settle(app, pilot)
        text = screen_text(app)
        assert "1 imported, 0 updated, 0 duplicate, 1 rejected" in text
        assert "malformed JSON" in text and "lighthouse-restored" in text
        await pilot.press("escape")
        for _ in range(3):
            await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert "Lighthouse restored" in screen_text(app)  # the listing was refreshed


async def test_import_dialog_expands_a_pattern_as_a_shell_would(make_app, tmp_path):
    """Found by a tester: "~/feeds/*.txt" was rejected as "no such file" (no shell reads
    what is typed in the dialog)."""
    from tuibrowser.tui.screens.import_dialog import ImportScreen

    harbour = "Harbour dredged\n\nThe harbour was dredged for the first time in years."
    drop = _drop_folder(tmp_path, {"one.txt": LIGHTHOUSE, "two.txt": harbour})
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        app.action_import()
        await settle(app, pilot)
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one("#import-paths", Input).value = f'"{drop}"/*.txt "{drop}"/*.nothing'
        await pilot.press("enter")
        await settle(app, pilot)
        text = screen_text(app)
        assert "2 imported, 0 updated, 0 duplicate, 1 rejected" in text  # the pattern matching nothing is named
        assert "*.nothing" in text and "bad.json" not in text


# Timelines.


async def test_the_entity_view_shows_a_timeline_and_a_period_filters_the_mentions(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "prospects settlement")
        await choose_entity(app, pilot, "Vladimir Putin")
        await pilot.press("v")
        await settle(app, pilot)
        timeline = "\n".join(widget_lines(app.query_one("#entity-timeline")))
        assert "Vladimir Putin" in timeline and "██" in timeline  # two weeks with a mention each
        assert "2023-W21" in timeline and "2023-W25" in timeline and "1 undated" in timeline
        assert "peak 2023-W21" in timeline
        assert screen_text(app).count("Russia Urges Baku") == 0  # Putin is not in it
        await pilot.press("t")  # the timeline: the cursor starts at the peak
        await pilot.press("right")  # the next week
        await settle(app, pilot)
        assert "2023-W22: 1 article" in "\n".join(widget_lines(app.query_one("#entity-timeline")))
        await pilot.press("enter")  # only that week
        await settle(app, pilot)
        screen = screen_text(app)
        assert "Mentions from 2023-05-29 to 2023-06-04" in screen
        assert "2023-05-29 · Russia's President" in screen and "2023-05-26 · Russia sees" not in screen
        assert "undated" not in widget_lines(app.query_one("#concordance"))[0]
        await pilot.press("x")  # all periods again
        await settle(app, pilot)
        screen = screen_text(app)
        assert "Mentions, oldest first" in screen and "2023-05-26 · Russia sees" in screen


async def test_a_pinned_timeline_is_compared_on_the_same_scale(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "prospects settlement")
        await choose_entity(app, pilot, "Vladimir Putin")
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press("t", "p")  # pin Putin's timeline
        await pilot.press("escape", "tab")  # back to the mentions, then the related entities
        await pilot.press("enter")  # open the first related entity
        await settle(app, pilot)
        lines = widget_lines(app.query_one("#entity-timeline"))
        assert lines[0].strip().startswith("Vladimir Putin")  # the pinned line, above
        assert "Vladimir Putin" not in location(app)


async def test_the_sidebar_shows_the_selected_entitys_timeline(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await choose_entity(app, pilot, "Lachin Corridor")
        timeline = "\n".join(widget_lines(app.query_one("#sidebar-timeline")))
        assert "2023-W21" in timeline and "█" in timeline and "2 undated" in timeline


# Citations and the reading trail.


async def test_y_copies_a_citation_y_saves_it_and_the_trail_lists_the_session(make_app, isolated_user_dirs, capsys):
    from tuibrowser.cli import main
    from tuibrowser.core.paths import data_dir

    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await pilot.press("y")  # the current match's sentence
        assert app.clipboard.startswith("> This terse call to Baku was made by Russian Foreign Ministry")
        assert "(tuibrowser: `russia-urges-baku-to-unblock-lachin-corridor`)" in app.clipboard
        assert any("Copied a citation of this sentence" in n.message for n in app._notifications)
        await pilot.press("Y")  # the same citation, saved to a file (terminals without OSC 52)
        await settle(app, pilot)
        saved = (data_dir() / "citations.md").read_text()
        assert saved.startswith("> ")
        await pilot.press("apostrophe")  # the first quote: it is cited whole, marks balanced
        await pilot.press("y")
        quoted = app.clipboard.splitlines()[0]
        assert quoted.startswith("> “") and quoted.count("“") == quoted.count("”")
        assert any("Copied a citation of this quote" in n.message for n in app._notifications)
        await choose_entity(app, pilot, "Maria Zakharova")
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press("Q")
    assert main(["trail", "--markdown"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("- ")]
    assert "read “Russia Urges Baku to ‘Unblock Lachin Corridor’”, Asbarez, 2023-06-23" in lines[0]
    assert "cited “Russia Urges Baku" in lines[1] and "cited “Russia Urges Baku" in lines[2]  # sentence, quote
    assert "looked up Maria Zakharova (`maria-zakharova`)" in lines[3]


# Who said what.


async def test_the_entity_view_lists_what_it_said_and_the_reader_names_the_speaker(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await choose_entity(app, pilot, "Maria Zakharova")
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press("s")  # what she said, instead of where she is mentioned
        screen = screen_text(app)
        assert "Said: 6 quotes, oldest first" in screen
        assert "“The peacekeepers are working closely with the parties" in screen
        await pilot.press("enter")  # opens the article at that quote
        await settle(app, pilot)
        assert "· Maria Zakharova" in location(app) and "quote " in location(app)
        await pilot.press("apostrophe")  # the next quote, and who said it
        position = location(app)
        assert "quote " in position and "Maria Zakharova said" in position


async def test_quotes_step_through_an_article_and_say_when_no_speaker_is_stated(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await pilot.press("apostrophe")  # the first quote after the cursor (at match 1)
        assert location(app).endswith("quote 2/7 · Maria Zakharova emphasised")
        await pilot.press("quotation_mark")  # the one before: the lead's quote is Russia's call
        assert location(app).endswith("quote 1/7 · Russia called")
        await pilot.press("quotation_mark")  # before the first: wraps to the last
        await settle(app, pilot)
        assert location(app).endswith("quote 7/7 · Maria Zakharova said")


# Following.


async def test_following_counts_what_an_import_brought_while_the_app_was_open(make_app, tmp_path, monkeypatch):
    from tuibrowser.tui.screens.following import FollowingScreen

    monkeypatch.setattr(MainScreen, "POLL_SECONDS", 0.2)
    locations = indexed_copy(tmp_path)
    app = make_app(locations)
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await choose_entity(app, pilot, "Maria Zakharova")
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press("w")  # follow her
        assert any("Following Maria Zakharova" in n.message for n in app._notifications)
        drop = tmp_path / "drop"
        drop.mkdir()
        (drop / "new.txt").write_text(
            "Zakharova speaks again\n\nMaria Zakharova said on Friday that the peacekeepers will stay.\n"
        )
        import_paths([drop], locations.corpus, locations.index)  # in another terminal
        for _ in range(10):
            await pilot.pause(0.3)
            await settle(app, pilot)
            if "1 new (W)" in location(app):
                break
        assert "1 new (W)" in location(app)
        await pilot.press("W")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowingScreen)
        assert "1 new  Maria Zakharova  (entity)" in screen_text(app)
        await pilot.press("enter")  # her new articles, which are now seen
        await settle(app, pilot)
        assert "New for Maria Zakharova: 1 article, newest first" in screen_text(app)
        assert "Zakharova speaks again" in screen_text(app)
        # Seen: the row and the bar behind the dialog say so at once (they kept "1 new").
        assert "0 new  Maria Zakharova  (entity)" in screen_text(app)
        assert "new (W)" not in location(app)
        await pilot.press("enter")  # open it
        await settle(app, pilot)
        assert not isinstance(app.screen, FollowingScreen)
        assert "Zakharova speaks again" in location(app)
        assert "new (W)" not in location(app)
        await pilot.press("W", "enter")  # seen: nothing new now, and it says so
        await settle(app, pilot)
        assert "Nothing new for Maria Zakharova since you last looked." in screen_text(app)


POLITICS = SHARED_DATA / "bbc-news" / "bbc" / "politics"


@pytest.mark.skipif(not POLITICS.is_dir(), reason="../shared/data is not beside the repository")
async def test_the_results_list_fetches_more_as_the_highlight_nears_its_end(make_app, tmp_path):
    """Each keystroke fetches one page (jobs.RESULT_LIMIT hits); moving down the list brings
    the rest, added below what is shown, down to the last hit."""
    locations = indexed_copy(tmp_path, *sorted(POLITICS.glob("*.txt"))[:40])
    every = Services(locations).search("government", limit=100, suggest=False)
    assert every.total > jobs.RESULT_LIMIT  # the test needs a second page
    app = make_app(locations)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press(*"government")
        await settle(app, pilot)
        results = app.query_one("#results", OptionList)
        assert results.option_count == jobs.RESULT_LIMIT
        last = every.hits[-1].title[:40]  # long titles are cut to the list's width
        assert last not in screen_text(app)
        await pilot.press("down", "end")
        await settle(app, pilot)
        assert results.option_count == every.total  # the rest came
        await pilot.press("end")
        await settle(app, pilot)
        assert last in screen_text(app)  # and the last hit can be reached
        assert location(app).endswith(f"› {every.total}/{every.total}")  # the list has no scrollbar: the bar says where
        await pilot.press("home")
        await settle(app, pilot)
        assert location(app).endswith(f"› 1/{every.total}")
        assert f"{every.total} results for government" in screen_text(app)


async def test_notifications_show_names_as_typed_never_as_markup(make_app):
    """Notifications carry names from outside (an entity renamed in the browser, a saved
    search, a file name); screens call notify with markup on, the app turns it off."""
    app = make_app()
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(app, pilot)
        app.main.notify("[b]Putin[/b][@click=app.quit]x[/]")
        await pilot.pause(0.2)
        toasts = "\n".join(line for toast in app.screen.query("Toast") for line in widget_lines(toast))
        assert "[b]Putin[/b][@click=app.quit]x[/]" in toasts


async def test_a_quoted_phrase_is_counted_and_stepped_through_as_a_phrase(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, '"Lachin Corridor"')
        text = app.main.opened.article.text
        phrases = len(re.findall(r"lachin\W+corridor", text, re.IGNORECASE))
        words = len(re.findall(r"\b(?:lachin|corridor)\b", text, re.IGNORECASE))
        assert 1 < phrases < words  # not every "Lachin" or "corridor" is the phrase
        assert location(app).endswith(f"match 1/{phrases}")
        await pilot.press("n")
        assert location(app).endswith(f"match 2/{phrases}")
        assert re.search(r"Lachin\s+Corridor", reader_text(app), re.IGNORECASE)
