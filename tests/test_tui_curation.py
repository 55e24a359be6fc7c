"""Pilot tests of curating entities in the browser, asserting on what is on the screen.

Each test works on its own indexed copy of the sample corpus (curation rewrites its
entities.toml), drives the keys a person would press (R rename, A alias, D drop an alias,
J merge, S split, H hide, P promote, U hidden names, u undo, Ctrl+R redo) and reads the
rendered sidebar, entity view and dialogs.
"""

from __future__ import annotations

from textual.widgets import Input, OptionList

from tui_support import NARROW, WIDE, indexed_copy, screen_lines, screen_text, settle, widget_lines
from tuibrowser.core.user_state import Visit
from tuibrowser.tui.screens.dialogs import PickerScreen, TextPrompt
from tuibrowser.tui.screens.hidden import HiddenScreen

PUTIN_ARTICLE_QUERY = "Kremlin press service"
"""Finds the article where discovery found "Security Council" (the sample's one discovered entity)."""


def sidebar_entities(app) -> list[str]:
    """The entity list's rows as shown: "  6 Maria Zakharova"."""
    return [line.strip() for line in widget_lines(app.query_one("#entity-list")) if line.strip()]


def entity_header(app) -> str:
    return "\n".join(widget_lines(app.query_one("#entity-header")))


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


def also_line(app) -> str:
    """The entity view's "also: ..." line (its aliases), or "" when it has none."""
    return next((line.strip() for line in entity_header(app).splitlines() if line.strip().startswith("also:")), "")


def picker_choices(app) -> list[str]:
    return [line.strip() for line in widget_lines(app.screen.query_one("#picker-choices")) if line.strip()]


def entities_toml(app) -> str:
    return (app.services.locations.corpus / "entities.toml").read_text(encoding="utf-8")


async def open_first_result(app, pilot, query: str) -> None:
    if isinstance(app.focused, Input):
        await pilot.press("escape")
    await pilot.press("slash", *query)
    await settle(app, pilot)
    await pilot.press("enter", "enter")  # into the results, open the first
    await settle(app, pilot)


async def select_entity(app, pilot, name: str) -> None:
    """Open the sidebar (e) and move down to the entity called `name`."""
    if not app.query_one("#entity-list").has_focus:
        await pilot.press("e")
        await settle(app, pilot)
    entity_list = app.query_one("#entity-list", OptionList)
    for _ in range(entity_list.option_count):
        option = entity_list.get_option_at_index(entity_list.highlighted)
        if str(option.prompt).strip().removesuffix(" *").split(" ", 1)[1:] == [name]:  # "6 Maria Zakharova *"
            break
        await pilot.press("down")
    await settle(app, pilot)
    assert app.main.selected_entity is not None and name in app.main._entity_name(app.main.selected_entity)


async def test_rename_from_the_sidebar_shows_the_new_name_in_the_sidebar_and_the_entity_view(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Maria Zakharova")
        await pilot.press("R")
        await settle(app, pilot)
        assert isinstance(app.screen, TextPrompt)
        assert "Rename Maria Zakharova" in screen_text(app)
        await pilot.press(*"Maria V. Zakharova")  # the old name is selected: typing replaces it
        await pilot.press("enter")
        await settle(app, pilot)
        assert "6 Maria V. Zakharova" in sidebar_entities(app)
        assert any(n.startswith("Renamed Maria Zakharova (maria-zakharova) to Maria V. Zakharova") for n in notes(app))
        assert app.focused is app.query_one("#entity-list")  # still where the reader was
        await pilot.press("v")
        await settle(app, pilot)
        header = entity_header(app)
        assert "Maria V. Zakharova  person" in header
        aliases = next(line.strip() for line in header.splitlines() if line.strip().startswith("also:"))
        assert aliases.endswith(", Maria Zakharova")  # the old name, now an alias


async def test_undo_restores_the_old_name_on_screen_and_redo_brings_the_new_one_back(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Maria Zakharova")
        await pilot.press("v")  # from the entity view this time
        await settle(app, pilot)
        await pilot.press("R", *"Maria V. Zakharova", "enter")
        await settle(app, pilot)
        assert "Maria V. Zakharova" in entity_header(app)
        await pilot.press("u")
        await settle(app, pilot)
        assert "Undid: renamed Maria Zakharova (maria-zakharova) to Maria V. Zakharova" in " ".join(notes(app))
        header = entity_header(app)
        assert "Maria Zakharova" in header and "V. Zakharova" not in header
        await pilot.press("q")  # up to the article: its sidebar has the old name too
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert "6 Maria Zakharova" in sidebar_entities(app)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert "6 Maria V. Zakharova" in sidebar_entities(app)
        assert any(n.startswith("Redid: renamed Maria Zakharova") for n in notes(app))


async def test_merge_chosen_from_the_fuzzy_list_leaves_one_entity_and_moves_its_bookmark(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    app.store.toggle_bookmark(Visit("entity", "baku"))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        assert "3 Baku" in sidebar_entities(app) and "2 Azerbaijan" in sidebar_entities(app)
        await select_entity(app, pilot, "Baku")
        await pilot.press("J")
        await settle(app, pilot)
        assert isinstance(app.screen, PickerScreen) and "Merge Baku into…" in screen_text(app)
        await pilot.press(*"azerbaijan")
        await settle(app, pilot)
        choices = [line.strip() for line in widget_lines(app.screen.query_one("#picker-choices")) if line.strip()]
        assert choices[0].startswith("Azerbaijan  place") and not any(c.startswith("Baku") for c in choices)
        await pilot.press("enter")
        await settle(app, pilot)
        rows = sidebar_entities(app)
        assert "5 Azerbaijan" in rows and not any(row.endswith(" Baku") for row in rows)
        assert any(n.startswith("Merged Baku (baku) into Azerbaijan (azerbaijan)") for n in notes(app))
        assert app.store.is_bookmarked("entity", "azerbaijan") and not app.store.is_bookmarked("entity", "baku")
        await pilot.press("u")  # undone, Baku is an entity of its own again, with its bookmark
        await settle(app, pilot)
        rows = sidebar_entities(app)
        assert "3 Baku" in rows and "2 Azerbaijan" in rows
        assert app.store.is_bookmarked("entity", "baku") and not app.store.is_bookmarked("entity", "azerbaijan")
        await pilot.press("B")  # what the reader sees: the bookmark is Baku's again
        await settle(app, pilot)
        assert "Baku (place)" in screen_text(app) and "Azerbaijan (place)" not in screen_text(app)


async def test_hide_removes_a_discovered_entity_and_unhide_from_the_hidden_list_brings_it_back(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, PUTIN_ARTICLE_QUERY)
        assert "1 Security Council *" in sidebar_entities(app)
        await select_entity(app, pilot, "Security Council")
        await pilot.press("H")
        await settle(app, pilot)
        assert not any("Security Council" in row for row in sidebar_entities(app))
        assert any(n.startswith("Hid Security Council") for n in notes(app))
        await pilot.press("U")
        await settle(app, pilot)
        assert isinstance(app.screen, HiddenScreen)
        assert "Security Council" in "\n".join(widget_lines(app.screen.query_one("#hidden-names")))
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, HiddenScreen)
        assert "1 Security Council *" in sidebar_entities(app)
        await pilot.press("U")
        await settle(app, pilot)
        assert "No name is hidden" in screen_text(app)
        await pilot.press("escape")


async def test_an_empty_name_is_refused_in_the_dialog_and_changes_nothing(make_app, tmp_path):
    locations = indexed_copy(tmp_path)
    before = (locations.corpus / "entities.toml").read_text(encoding="utf-8")
    app = make_app(locations)
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Maria Zakharova")
        await pilot.press("R", "backspace", "enter")  # the name selected, deleted: nothing left
        await settle(app, pilot)
        assert isinstance(app.screen, TextPrompt)
        assert "A name cannot be empty" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert "6 Maria Zakharova" in sidebar_entities(app)
    assert (locations.corpus / "entities.toml").read_text(encoding="utf-8") == before


async def test_an_alias_another_entity_has_is_refused_with_its_owner_and_changes_nothing(make_app, tmp_path):
    locations = indexed_copy(tmp_path)
    before = (locations.corpus / "entities.toml").read_text(encoding="utf-8")
    app = make_app(locations)
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Baku")
        await pilot.press("A", *"Zakharova", "enter")
        await settle(app, pilot)
        assert "Not changed: 'Zakharova' already belongs to Maria Zakharova (maria-zakharova)" in notes(app)
        rows = sidebar_entities(app)
        assert "3 Baku" in rows and "6 Maria Zakharova" in rows
        await pilot.press("u")  # nothing was done, so nothing to undo
        await settle(app, pilot)
        assert "Not changed: nothing to undo" in notes(app)
    assert (locations.corpus / "entities.toml").read_text(encoding="utf-8") == before


async def test_a_malformed_entities_toml_is_reported_and_never_overwritten(make_app, tmp_path):
    locations = indexed_copy(tmp_path)
    app = make_app(locations)
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Baku")
        broken = "[[entity]\nid = 'x'\n"  # edited by hand, while the app runs, into bad TOML
        (locations.corpus / "entities.toml").write_text(broken, encoding="utf-8")
        await pilot.press("A", *"Bakou", "enter")
        await settle(app, pilot)
        assert any(n.startswith("Not changed:") and "entities.toml" in n for n in notes(app))
        assert app.return_code is None and "3 Baku" in sidebar_entities(app)
    assert (locations.corpus / "entities.toml").read_text(encoding="utf-8") == broken


async def test_the_curation_keys_are_in_the_help_and_u_types_in_the_query_box(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Maria Zakharova")
        await pilot.press("f1")
        await settle(app, pilot)
        help_text = screen_text(app)
        for line in (
            "Rename the entity",
            "Merge (join) the entity into another",
            "Drop (remove) one of the entity's aliases",
            "Split an alias off into a new entity",
            "Promote a discovered entity into entities.toml",
            "Undo the last change",
        ):
            assert line in help_text
        await pilot.press("escape")
        await pilot.press("slash", "u")
        await settle(app, pilot)
        assert app.query_one("#query", Input).value == "u"
        assert not any("nothing to undo" in n for n in notes(app))


async def test_retype_and_hide_from_the_entity_view_which_then_goes_back_to_the_article(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, PUTIN_ARTICLE_QUERY)
        await select_entity(app, pilot, "Security Council")
        await pilot.press("v")
        await settle(app, pilot)
        assert "Security Council  organization, discovered" in entity_header(app)
        await pilot.press("T")
        await settle(app, pilot)
        assert isinstance(app.screen, PickerScreen) and "Type of Security Council" in screen_text(app)
        await pilot.press(*"grp", "enter")  # fuzzy: "grp" is "group"
        await settle(app, pilot)
        assert "Security Council  group" in entity_header(app)  # written into entities.toml: curated now
        await pilot.press("H")
        await settle(app, pilot)
        # A curated entity is merged or loses an alias instead: refused, and said why.
        assert any(n.startswith("Not changed:") for n in notes(app)) and app.main.view == "entity"
        await pilot.press("u")  # back to discovered, which can be hidden
        await settle(app, pilot)
        assert "Security Council  organization, discovered" in entity_header(app)
        await pilot.press("H")
        await settle(app, pilot)
        assert app.main.view == "article"  # the entity in view is gone: up to the article
        assert not any("Security Council" in row for row in sidebar_entities(app))


async def test_names_from_outside_are_shown_as_typed_never_as_markup(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Maria Zakharova")
        await pilot.press("R", *"[@click=app.quit]Z", "enter")
        await settle(app, pilot)
        assert "6 [@click=app.quit]Z" in sidebar_entities(app)
        renamed = [n for n in app._notifications if n.message.startswith("Renamed")]
        assert renamed and not renamed[-1].markup
        assert app.return_code is None


async def test_a_locked_index_keeps_the_change_and_says_it_will_be_relinked_later(make_app, tmp_path):
    from tuibrowser.core.errors import IndexLocked

    app = make_app(indexed_copy(tmp_path))

    def locked(**_kwargs):
        raise IndexLocked("another tuibrowser is indexing this corpus")

    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Baku")
        app.services.sync = locked  # another process holds the index
        await pilot.press("A", *"Bakou", "enter")
        await settle(app, pilot)
        warning = [n for n in app._notifications if "could not be relinked now" in n.message]
        assert warning and warning[-1].severity == "warning"
        assert 'aliases = ["Bakou"]' in (app.services.locations.corpus / "entities.toml").read_text(encoding="utf-8")
        assert app.return_code is None and "3 Baku" in sidebar_entities(app)


async def test_an_unexpected_failure_of_a_change_is_a_notification_not_a_crash(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))

    def broken(*_args, **_kwargs):
        raise RuntimeError("something unforeseen")

    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Baku")
        app.services.curate = broken
        await pilot.press("H")
        await settle(app, pilot)
        assert "The change could not be made: something unforeseen" in notes(app)
        assert app.return_code is None and app.main.indexing is None
        app.services.curate = type(app.services).curate.__get__(app.services)
        await pilot.press("R", *"Baku City", "enter")  # the next change is not refused as "still running"
        await settle(app, pilot)
        assert "3 Baku City" in sidebar_entities(app)


async def test_at_80x24_the_sidebar_panel_stays_open_and_shows_the_new_name(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=NARROW) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Maria Zakharova")
        await pilot.press("R", *"M. Zakharova", "enter")
        await settle(app, pilot)
        assert app.main.has_class("-sidebar-open")
        assert "6 M. Zakharova" in sidebar_entities(app)
        assert "R/T/A/J/H edit" in widget_lines(app.query_one("#key-hints"))[0]  # the keys, in the hint line


async def test_drop_an_alias_chosen_from_its_aliases_takes_it_off_the_also_line(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Maria Zakharova")
        await pilot.press("v")
        await settle(app, pilot)
        assert "Mariya Zakharova" in also_line(app)
        await pilot.press("D")
        await settle(app, pilot)
        assert isinstance(app.screen, PickerScreen) and "Remove an alias of Maria Zakharova" in screen_text(app)
        assert picker_choices(app) == ["Mariya Zakharova", "Zakharova", "Maria Vladimirovna Zakharova"]
        await pilot.press(*"mariya", "enter")
        await settle(app, pilot)
        assert also_line(app) == "also: Zakharova, Maria Vladimirovna Zakharova"
        assert "Maria Zakharova  person" in entity_header(app)
        assert any(n.startswith("'Mariya Zakharova' is no longer an alias of Maria Zakharova") for n in notes(app))
        assert '"Mariya Zakharova"' not in entities_toml(app)


async def test_split_an_alias_off_makes_a_new_entity_in_the_sidebar_that_the_old_one_no_longer_lists(
    make_app, tmp_path
):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Maria Zakharova")
        await pilot.press("S")
        await settle(app, pilot)
        assert isinstance(app.screen, PickerScreen) and "Split an alias off Maria Zakharova" in screen_text(app)
        await pilot.press(*"zakharova")
        await settle(app, pilot)
        assert picker_choices(app)[0] == "Zakharova"  # the exact spelling first
        await pilot.press("enter")
        await settle(app, pilot)
        # Then its type, from the list retype uses, the old entity's type marked.
        assert "Type of Zakharova, split off Maria Zakharova" in screen_text(app)
        assert picker_choices(app) == ["person  (as Maria Zakharova)", "organization", "place", "event", "group"]
        await pilot.press("enter")
        await settle(app, pilot)
        rows = sidebar_entities(app)
        assert any(row.endswith(" Zakharova") and "Maria" not in row for row in rows)  # the new entity
        assert any(row.endswith(" Maria Zakharova") for row in rows)
        assert any(n.startswith("Split 'Zakharova' off Maria Zakharova (maria-zakharova)") for n in notes(app))
        await select_entity(app, pilot, "Maria Zakharova")
        await pilot.press("v")
        await settle(app, pilot)
        assert also_line(app) == "also: Mariya Zakharova, Maria Vladimirovna Zakharova"
        await pilot.press("u")  # undone: one entity again, with its alias
        await settle(app, pilot)
        assert also_line(app) == "also: Mariya Zakharova, Zakharova, Maria Vladimirovna Zakharova"


async def test_undoing_a_split_with_the_new_entity_selected_selects_the_one_it_came_from(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Maria Zakharova")
        await pilot.press("S", *"zakharova", "enter")
        await settle(app, pilot)
        await pilot.press("enter")  # its type: a person, as Maria Zakharova
        await settle(app, pilot)
        await select_entity(app, pilot, "Zakharova")  # the new entity
        await pilot.press("v")
        await settle(app, pilot)
        assert entity_header(app).lstrip().startswith("Zakharova  person")
        await pilot.press("u")  # the new entity is gone: the view and the sidebar follow it back
        await settle(app, pilot)
        assert entity_header(app).lstrip().startswith("Maria Zakharova  person")
        assert also_line(app) == "also: Mariya Zakharova, Zakharova, Maria Vladimirovna Zakharova"
        assert location(app).endswith("› Maria Zakharova")


async def test_promote_writes_a_discovered_entity_into_entities_toml_and_its_view_stays(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, PUTIN_ARTICLE_QUERY)
        await select_entity(app, pilot, "Security Council")
        await pilot.press("v")
        await settle(app, pilot)
        assert "Security Council  organization, discovered" in entity_header(app)
        assert 'name = "Security Council"' not in entities_toml(app)
        await pilot.press("P")
        await settle(app, pilot)
        assert 'name = "Security Council"' in entities_toml(app)
        assert any(n.startswith("Promoted Security Council") for n in notes(app))
        assert app.main.view == "entity"
        header = entity_header(app)
        assert "Security Council  organization · 1 mention" in header and "discovered" not in header
        await pilot.press("q")  # up to the article: no longer marked as found by reading
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert "1 Security Council" in sidebar_entities(app)


async def test_promote_a_curated_entity_says_it_is_there_already_and_changes_nothing(make_app, tmp_path):
    locations = indexed_copy(tmp_path)
    before = (locations.corpus / "entities.toml").read_text(encoding="utf-8")
    app = make_app(locations)
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Maria Zakharova")
        await pilot.press("P")
        await settle(app, pilot)
        assert "Nothing to change: Maria Zakharova (maria-zakharova) is already in entities.toml" in notes(app)
        assert "6 Maria Zakharova" in sidebar_entities(app)
    assert (locations.corpus / "entities.toml").read_text(encoding="utf-8") == before


async def test_dropping_what_has_become_the_entity_s_name_is_refused_and_changes_nothing(make_app, tmp_path):
    locations = indexed_copy(tmp_path)
    app = make_app(locations)
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Maria Zakharova")
        await pilot.press("D", *"zakharova")
        await settle(app, pilot)
        assert picker_choices(app)[0] == "Zakharova"
        # While the list is open, entities.toml is edited by hand: "Zakharova" is its name now.
        edited = entities_toml(app).replace(
            'name = "Maria Zakharova"\ntype = "person"\naliases = ["Mariya Zakharova", "Zakharova",',
            'name = "Zakharova"\ntype = "person"\naliases = ["Mariya Zakharova", "Maria Zakharova",',
        )
        assert edited != entities_toml(app)
        (locations.corpus / "entities.toml").write_text(edited, encoding="utf-8")
        await pilot.press("enter")
        await settle(app, pilot)
        assert any(
            n.startswith("Not changed: 'Zakharova' is the name of Zakharova (maria-zakharova), not an alias")
            for n in notes(app)
        )
        assert app.return_code is None and "6 Maria Zakharova" in sidebar_entities(app)
    assert (locations.corpus / "entities.toml").read_text(encoding="utf-8") == edited


async def test_splitting_a_spelling_the_entity_no_longer_has_is_refused_and_changes_nothing(make_app, tmp_path):
    locations = indexed_copy(tmp_path)
    app = make_app(locations)
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Maria Zakharova")
        await pilot.press("S", *"zakharova", "enter")
        await settle(app, pilot)
        assert "Type of Zakharova, split off Maria Zakharova" in screen_text(app)
        # While the type is being chosen, the alias is removed by hand.
        edited = entities_toml(app).replace(
            'aliases = ["Mariya Zakharova", "Zakharova", ', 'aliases = ["Mariya Zakharova", '
        )
        assert edited != entities_toml(app)
        (locations.corpus / "entities.toml").write_text(edited, encoding="utf-8")
        await pilot.press("enter")
        await settle(app, pilot)
        assert any(
            n.startswith("Not changed: 'Zakharova' is not an alias of Maria Zakharova (maria-zakharova)")
            for n in notes(app)
        )
        rows = sidebar_entities(app)
        assert "6 Maria Zakharova" in rows and not any(
            row.endswith(" Zakharova") and "Maria" not in row for row in rows
        )
    assert (locations.corpus / "entities.toml").read_text(encoding="utf-8") == edited


async def test_drop_or_split_on_an_entity_without_aliases_says_so_without_a_dialog(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, PUTIN_ARTICLE_QUERY)
        await select_entity(app, pilot, "Security Council")
        for key in ("D", "S"):
            await pilot.press(key)
            await settle(app, pilot)
            assert not isinstance(app.screen, PickerScreen)
        assert "Security Council has no alias to remove (A adds one)." in notes(app)
        assert "Security Council has no alias to split off (A adds one)." in notes(app)


async def test_the_new_keys_can_be_remapped_by_id_and_a_clash_with_rename_is_refused(make_app, tmp_path):
    config = '[keymap]\n"entity.promote" = "X"\n"entity.split" = "R"\n'
    app = make_app(indexed_copy(tmp_path), config=config)
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, PUTIN_ARTICLE_QUERY)
        assert not any("no binding has the id" in n for n in notes(app))
        assert any("'R' for entity.split is taken by entity.rename" in n for n in notes(app))
        await select_entity(app, pilot, "Security Council")
        await pilot.press("X")
        await settle(app, pilot)
        assert 'name = "Security Council"' in entities_toml(app)
        assert "1 Security Council" in sidebar_entities(app)


def section_of(rows: list[str], name: str) -> str | None:
    """The sidebar section ("People", "Organisations", ...) whose rows include `name`."""
    section = None
    for row in rows:
        if row[:1].isdigit() or row[:1] == " ":
            if row.split(" ", 1)[1].removesuffix(" *") == name:
                return section
        else:
            section = row
    return None


async def test_split_s_type_list_starts_on_the_entity_s_type_so_enter_at_once_keeps_it(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Kremlin")
        await select_entity(app, pilot, "Kremlin")
        await pilot.press("S", *"the kremlin", "enter")
        await settle(app, pilot)
        assert "Type of the Kremlin, split off Kremlin" in screen_text(app)
        assert "organization  (as Kremlin)" in picker_choices(app)
        await pilot.press("enter")  # at once: the hint's type, not the first listed (person)
        await settle(app, pilot)
        rows = sidebar_entities(app)
        assert section_of(rows, "the Kremlin") == "Organisations"
        assert section_of(rows, "Kremlin") == "Organisations"
        assert any(n.startswith("Split 'the Kremlin' off Kremlin") and "person" not in n for n in notes(app))


def location(app) -> str:
    """The location bar as shown: "search “Kremlin” (3) › <title> › 3 mentions of Kremlin"."""
    return widget_lines(app.query_one("#location"))[0].strip()


async def test_undoing_a_hide_selects_the_entity_again_and_its_keys_act_on_it(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Kremlin")
        await select_entity(app, pilot, "Security Council")
        assert location(app).endswith("› 1 mention of Security Council")
        await pilot.press("H")
        await settle(app, pilot)
        assert location(app).endswith("› 3 matches")  # gone, so nothing is selected
        await pilot.press("u")
        await settle(app, pilot)
        assert "1 Security Council *" in sidebar_entities(app)
        assert location(app).endswith("› 1 mention of Security Council")
        await pilot.press("D")
        await settle(app, pilot)
        assert "Security Council has no alias to remove (A adds one)." in notes(app)
        assert not any(n.startswith("Select an entity first") for n in notes(app))
        await pilot.press("ctrl+r")  # hidden again: no longer selected
        await settle(app, pilot)
        assert location(app).endswith("› 3 matches")
        assert not any("Security Council" in row for row in sidebar_entities(app))


async def test_undoing_a_merge_selects_the_entity_merged_away_again(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Zakharova")
        await select_entity(app, pilot, "Baku")
        await pilot.press("J", *"azerbaijan", "enter")
        await settle(app, pilot)
        assert location(app).endswith("› 5 mentions of Azerbaijan")  # the entity Baku became
        await pilot.press("u")
        await settle(app, pilot)
        assert location(app).endswith("› 3 mentions of Baku")
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert location(app).endswith("› 5 mentions of Azerbaijan")
        await pilot.press("R")
        await settle(app, pilot)
        assert isinstance(app.screen, TextPrompt) and "Rename Azerbaijan" in screen_text(app)


async def test_the_selection_survives_every_change_that_keeps_the_entity_and_its_undo_and_redo(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await open_first_result(app, pilot, "Kremlin")
        await select_entity(app, pilot, "Kremlin")
        changes = (
            (("R", *"Kreml", "enter"), "Kreml"),
            (("A", *"Kremlj", "enter"), "Kreml"),
            (("T", *"grp", "enter"), "Kreml"),
            (("S", *"the kremlin", "enter", "enter"), "Kreml"),
        )
        for keys, name in changes:
            await pilot.press(*keys)
            await settle(app, pilot)
            assert location(app).endswith(f" of {name}"), keys
            for undo_redo in ("u", "ctrl+r"):
                await pilot.press(undo_redo)
                await settle(app, pilot)
                assert " mention" in location(app) and location(app).split(" of ")[-1].startswith("Krem"), undo_redo
        await pilot.press("D")
        await settle(app, pilot)
        assert isinstance(app.screen, PickerScreen) and "Remove an alias of Kreml" in screen_text(app)


async def test_hiding_the_entity_in_view_beside_the_results_leaves_nothing_showing_it(make_app, tmp_path):
    app = make_app(indexed_copy(tmp_path))
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"Security Council")  # opened from the palette, not from an article
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Security Council  organization, discovered · 1 mention in 1 article" in entity_header(app)
        await pilot.press("H")
        await settle(app, pilot)
        assert any(n.startswith("Hid Security Council") for n in notes(app))
        app.clear_notifications()  # their toasts name it
        await pilot.pause()
        assert app.main.view == "search"
        assert "Security Council" not in screen_text(app)
        await pilot.press("U")
        await settle(app, pilot)
        behind = [line for line in screen_lines(app) if "│" not in line]  # outside the dialog's box
        assert not any("Security Council" in line for line in behind)
