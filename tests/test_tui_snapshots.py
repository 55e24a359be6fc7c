"""SVG snapshots of what people see, at 80x24 and 120x40, after multi-step flows.

Baselines live in tests/__snapshots__/; they are reviewed artefacts: update them only after
looking at the report (`pytest tests/test_tui_snapshots.py --snapshot-update`).
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tui_support import NARROW, WIDE, settle

SIZES = {"80x24": NARROW, "120x40": WIDE}


def scenario(steps):
    """A run_before that freezes the cursor, plays the steps and waits for the workers."""

    async def run_before(pilot) -> None:
        app = pilot.app
        for box in app.query(Input):
            box.cursor_blink = False
        await settle(app, pilot)
        for step in steps:
            if callable(step):
                await step(pilot)
            elif step.startswith("type:"):
                await pilot.press(*step[5:])
            else:
                await pilot.press(*step.split())
            await settle(app, pilot)
        app.clear_notifications()  # toasts come and go with time: not part of the picture
        for box in app.query(Input):
            # The cursor as a steady block: pausing the blink leaves it in whatever phase it
            # had; turning it on and off again shows it.
            box.cursor_blink = True
            box.cursor_blink = False
        await settle(app, pilot)

    return run_before


async def _paste_bad_query(pilot) -> None:
    box = pilot.app.query_one("#query", Input)
    box.value = "Lachin date:bogus"
    box.cursor_position = len(box.value)  # where a paste leaves it (else it depends on timing)


def _entity(name: str):
    async def choose(pilot) -> None:
        from textual.widgets import OptionList

        entity_list = pilot.app.query_one("#entity-list", OptionList)
        for _ in range(entity_list.option_count):
            if name in str(entity_list.get_option_at_index(entity_list.highlighted).prompt):
                return
            await pilot.press("down")
            await settle(pilot.app, pilot)

    return choose


SEARCH_ZAKHAROVA = ["type:Zakharova", "enter", "enter"]
NEW_SEARCH_MUNICH = ["slash", "type:Munich Security Conference", "enter", "enter"]

SCENARIOS = {
    "start": [],
    "results": ["type:Lachin Corridor"],
    "no_results": ["type:Quetzalcoatl"],
    "query_error": ["type:Lachin", _paste_bad_query],
    # A second article, opened after the first: its own text, at its first match.
    "second_article": [*SEARCH_ZAKHAROVA, "q", *NEW_SEARCH_MUNICH],
    "match_3_of_6": [*SEARCH_ZAKHAROVA, "n n"],
    "sidebar_with_entity": [*SEARCH_ZAKHAROVA, "e", _entity("Lachin Corridor")],
    "mention_in_next_article": ["type:prospects settlement", "enter", "enter", "e", _entity("Vladimir Putin"), "r g"]
    + ["m"] * 8,
    "entity_view": [*SEARCH_ZAKHAROVA, "e", _entity("Lachin Corridor"), "v"],
    "help_in_reader": [*SEARCH_ZAKHAROVA, "f1"],
    "bookmarks_and_history": [*SEARCH_ZAKHAROVA, "b", "q", *NEW_SEARCH_MUNICH, "B"],
}


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_snapshot(snap_compare, make_app, name, size):
    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=scenario(SCENARIOS[name]))
