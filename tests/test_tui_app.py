"""Pilot tests for every TUI flow, asserting on the app's state."""

from __future__ import annotations

import json

from textual.widgets import Input, OptionList, Static

from tui_support import HOSTILE, indexed_copy, settle
from tuibrowser.tui.help_screen import HelpScreen
from tuibrowser.tui.widgets.reader import ArticleReader

WIDE, NARROW = (150, 45), (80, 24)


def results(app) -> list[str]:
    option_list = app.query_one("#results", OptionList)
    return [option_list.get_option_at_index(i).id for i in range(option_list.option_count)]


def status(app) -> str:
    return str(app.query_one("#search-status", Static).render())


async def open_first_result(app, pilot, query: str) -> None:
    await pilot.press(*query)
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)


# Start.


async def test_start_lists_the_corpus_newest_first_before_any_query(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        listed = results(app)
        assert len(listed) == 5
        assert listed[0] == "russia-urges-baku-to-unblock-lachin-corridor"  # 2023-06-23, the newest
        assert "newest first" in status(app)
        assert isinstance(app.focused, Input)
        assert app.current_article is None


# Search as you type.


async def test_search_as_you_type_updates_results_and_the_newest_query_wins(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press(*"zak")  # every key starts a search; stale ones must not win
        await pilot.press("backspace", "backspace", "backspace", *"Bayramov")
        await settle(app, pilot)
        assert app.current_query == "Bayramov"
        assert sorted(results(app)) == [
            "lachin-corridor-talks-civilian-access-peace-negotiations-and-regional-stability",
            "prime-minister-nikol-pashinyan-during-a-telephone-conversation-on-tuesday",
        ]
        assert status(app).startswith("2 results for Bayramov")


async def test_enter_and_down_move_into_the_results(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press(*"Lachin")
        await settle(app, pilot)
        await pilot.press("down")
        assert app.focused.id == "results"
        await pilot.press("escape")
        assert app.focused.id == "query"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.focused.id == "results"


async def test_did_you_mean_is_offered(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press(*"Zakharva")
        await settle(app, pilot)
        assert "did you mean: zakharova" in status(app)


async def test_query_error_is_inline_and_previous_results_stay(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press(*"Bayramov")
        await settle(app, pilot)
        before = results(app)
        app.query_one("#query", Input).value = "Bayramov date:bogus"  # pasted in one go
        await settle(app, pilot)
        assert "cannot read the date" in status(app)
        assert app.query_one("#search-status").has_class("-error")
        assert results(app) == before


async def test_search_only_on_enter_when_search_as_you_type_is_off(make_app):
    app = make_app(config="search_as_you_type = false\n")
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press(*"Zakharova")
        await settle(app, pilot)
        assert len(results(app)) == 5  # still the start listing
        await pilot.press("enter")
        await settle(app, pilot)
        assert results(app) == ["russia-urges-baku-to-unblock-lachin-corridor"]


# Read.


async def test_opening_a_result_shows_it_with_query_matches_and_n_steps_through_them(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        reader = app.query_one(ArticleReader)
        assert reader.article.id == "russia-urges-baku-to-unblock-lachin-corridor"
        assert app.focused is reader
        text = reader.article.text
        assert [text[s:e] for s, e in reader.matches] == ["Zakharova"] * 6
        await pilot.press("n")
        first = reader.current
        await pilot.press("n")
        assert reader.current > first
        await pilot.press("N")
        assert reader.current == first
        assert "russia-urges-baku-to-unblock-lachin-corridor" in app.state.read


async def test_reader_scroll_keys(make_app):
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Lachin")
        reader = app.query_one(ArticleReader)
        assert reader.scroll_y == 0
        await pilot.press("j", "j")
        assert reader.scroll_y == 2
        await pilot.press("k")
        assert reader.scroll_y == 1
        await pilot.press("G")
        assert reader.scroll_y == reader.max_scroll_y > 0
        await pilot.press("g")
        assert reader.scroll_y == 0
        await pilot.press("space")
        assert reader.scroll_y > 5
        await pilot.press("pageup")
        assert reader.scroll_y == 0


# Follow an entity.


async def select_entity(app, pilot, entity_id: str) -> None:
    await pilot.press("e")
    await settle(app, pilot)
    entity_list = app.query_one("#entity-list", OptionList)
    for index in range(entity_list.option_count):
        if entity_list.get_option_at_index(index).id == entity_id:
            entity_list.highlighted = index
            break
    await settle(app, pilot)


async def test_selecting_an_entity_marks_its_mentions_and_m_continues_into_the_next_article(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        # 003 (2023-05-26) is the first article in date order that mentions Putin.
        await open_first_result(app, pilot, "prospects settlement")
        reader = app.query_one(ArticleReader)
        assert reader.article.date == "2023-05-26"
        await select_entity(app, pilot, "vladimir-putin")
        assert app.selected_entity == reader.selected_entity == "vladimir-putin"
        mentions = reader.selected_mentions
        assert len(mentions) == 7
        app.action_focus_reader()
        for _ in mentions:
            await pilot.press("m")
        assert reader.current == sorted(mentions)[-1]
        await pilot.press("m")  # past the last mention: the next article that mentions Putin
        await settle(app, pilot)
        assert reader.article.date == "2023-05-29"
        assert reader.current is not None
        assert reader.article.text[reader.current[0] : reader.current[1]] in ("Putin", "Vladimir Putin")
        await pilot.press("M")  # back before the first mention: the previous article, at its last
        await settle(app, pilot)
        assert reader.article.date == "2023-05-26"
        assert reader.current == sorted(mentions)[-1]


async def test_sidebar_shows_other_articles_and_related_entities(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "lachin-corridor")
        others = app.query_one("#entity-articles", OptionList)
        assert others.option_count == 4  # every other article mentions the corridor
        related = app.query_one("#entity-related", OptionList)
        assert related.option_count > 0
        # Choosing another article opens it at the mention.
        others.focus()
        others.highlighted = 0
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.query_one(ArticleReader)
        assert reader.article.id != "russia-urges-baku-to-unblock-lachin-corridor"
        start, end = reader.current
        assert "lachin" in reader.article.text[start:end].lower()


async def test_entity_view_and_moving_to_a_related_entity(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "maria-zakharova")
        app.action_focus_reader()
        await pilot.press("v")
        await settle(app, pilot)
        assert app.view == "entity"
        concordance = app.query_one("#concordance", OptionList)
        assert concordance.option_count == 6
        related = app.query_one("#view-related", OptionList)
        related.focus()
        related.highlighted = 0
        first_related = related.get_option_at_index(0).id
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.selected_entity == first_related
        assert app.state.history.current.target == first_related


# History.


async def test_back_and_forward_across_searches_articles_and_entity_views(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "maria-zakharova")
        app.action_focus_reader()
        await pilot.press("v")
        await settle(app, pilot)
        kinds = [v.kind for v in app.state.history.entries]
        assert kinds == ["search", "article", "entity"]
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert app.view == "article" and app.state.history.current.kind == "article"
        await pilot.press("backspace")
        await settle(app, pilot)
        assert app.view == "search" and app.query_one("#query", Input).value == "Zakharova"
        await pilot.press("alt+right")
        await settle(app, pilot)
        assert app.state.history.current.kind == "article"
        # A new visit after going back drops the forward entries.
        await pilot.press("slash", *" Shushi")
        await settle(app, pilot)
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        assert [v.kind for v in app.state.history.entries] == ["search", "article", "search", "article"]
        await pilot.press("right_square_bracket")
        assert app.state.history.position == 3


# Help and commands.


async def test_f1_shows_the_focused_panes_keys_from_the_real_bindings(make_app):
    app = make_app(config='[keymap]\n"reader.next-mention" = "x"\n')
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = {(where, keys, what) for where, keys, what in app.screen._rows}
        assert ("the reader", "x", "Next mention") in rows  # keymap override, by binding id
        assert ("the reader", "n", "Next match") in rows
        assert any(where == "anywhere" and what == "Back" for where, _, what in rows)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_question_mark_is_help_outside_the_query_and_text_inside_it(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press(*"who?")
        assert app.query_one("#query", Input).value == "who?"
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("down", "question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_command_palette_keeps_built_ins_and_opens_articles(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        # Our providers are registered as callables that import them on first use.
        names = {(p if isinstance(p, type) else p()).__name__ for p in app.COMMANDS}
        assert {"ArticlesProvider", "EntitiesProvider", "RecentSearchesProvider"} <= names
        assert len(app.COMMANDS) > 3  # the built-in commands are still there
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"Unblock Lachin")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_article.article.id == "russia-urges-baku-to-unblock-lachin-corridor"


# Persistence.


async def test_read_marks_bookmarks_and_history_survive_a_restart(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await pilot.press("b")
        await pilot.press("q")
    saved = json.loads((tmp_path / "state.json").read_text())
    assert saved["read"] == ["russia-urges-baku-to-unblock-lachin-corridor"]
    assert saved["bookmarks"] == [["article", "russia-urges-baku-to-unblock-lachin-corridor", 0]]
    again = make_app()
    async with again.run_test(size=WIDE) as pilot:
        await settle(again, pilot)
        assert again.state.is_bookmarked("article", "russia-urges-baku-to-unblock-lachin-corridor")
        await pilot.press("down", "left_square_bracket")  # back works across restarts
        await settle(again, pilot)
        assert again.query_one("#query", Input).value == "Zakharova"


async def test_corrupt_state_and_config_are_reported_and_not_overwritten(make_app, tmp_path):
    (tmp_path / "state.json").write_text("{not json")
    app = make_app(config="theme = \n")
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("state.json was unreadable" in m for m in messages)
        assert any("not valid TOML" in m for m in messages)
        await open_first_result(app, pilot, "Zakharova")
    assert (tmp_path / "config.toml").read_text() == "theme = \n"
    (aside,) = tmp_path.glob("state.json.corrupt-*")
    assert aside.read_text() == "{not json"
    assert json.loads((tmp_path / "state.json").read_text())["read"]


# Terminals and layout.


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
        assert app.query_one("#sidebar").display
        reader = app.query_one(ArticleReader)
        await pilot.press("escape")
        await pilot.resize_terminal(*WIDE)
        await settle(app, pilot)
        assert app.screen.has_class("-wide")
        assert reader.article.id == "russia-urges-baku-to-unblock-lachin-corridor"
        assert app.query_one("#search-pane").display and app.query_one("#sidebar").display
        await pilot.resize_terminal(*NARROW)
        await settle(app, pilot)
        assert reader.article.id == "russia-urges-baku-to-unblock-lachin-corridor" and app.view == "article"


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
        await open_first_result(app, pilot, "hostile")
        reader = app.query_one(ArticleReader)
        assert reader.article.title.startswith("[bold]Hostile[/bold] headline [@click=app.quit]Quit[/]")
        header = str(app.query_one("#article-header", Static).render())
        assert "[bold]Hostile[/bold]" in header and "[@click=app.quit]" in header
        body = "\n".join(str(p.render()) for p in reader.query(".paragraph"))
        assert "[link=https://evil.example]a link[/link]" in body and "[@click=app.quit]click me[/]" in body
        assert "By [red]Mallory[/red] | March 3, 2024" in body  # not a byline: no name starts with "["
        for control in ("\x1b", "\x07", "\x9b"):
            assert control not in body and control not in header
        result_titles = [str(app.query_one("#results", OptionList).get_option_at_index(0).prompt)]
        assert "[bold]Hostile[/bold]" in result_titles[0]
        # Clicking the would-be link does nothing: the app is still running.
        await pilot.click("#article-header")
        await settle(app, pilot)
        assert app.is_running


# Import from the TUI.


async def test_import_from_the_command_palette_with_progress_and_verdicts(make_app, tmp_path):
    from tuibrowser.tui.import_screen import ImportScreen

    drop = tmp_path / "drop folder"
    drop.mkdir()
    (drop / "good.txt").write_text("Lighthouse restored\n\nThe old lighthouse was restored by volunteers.")
    (drop / "bad.json").write_text("{nope")
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
        box = app.screen.query_one("#import-paths", Input)
        box.value = f'"{drop}"'
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        status = str(screen.query_one("#import-status", Static).render())
        assert status.startswith("1 imported, 0 updated, 0 duplicate, 1 rejected")
        lines = str(screen.query_one("#import-verdict-lines", Static).render())
        assert "rejected  " in lines and "malformed JSON" in lines and "lighthouse-restored" in lines
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert "lighthouse-restored" in results(app)  # the listing was refreshed
